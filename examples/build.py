"""Rebuild the example workspaces with the mentorqa library.

    python examples/build.py

Each example is created from scratch with a fixed "today" (MENTORQA_TODAY) so that the result,
including the rendered reports, is the same on every machine. The examples hold no real people:
interviewees are pseudonyms and the evidence documents are short made-up extracts.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = "2026-06-15"
os.environ["MENTORQA_TODAY"] = TODAY  # before mentorqa reads it
sys.path.insert(0, str(HERE.parent / "src"))  # this checkout's mentorqa, installed or not

import mentorqa  # noqa: E402
from mentorqa.errors import MentorqaError  # noqa: E402
from mentorqa.views.ics import render_ics  # noqa: E402
from mentorqa.views.report import render  # noqa: E402


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def fresh(name: str) -> Path:
    ws = HERE / name
    if ws.exists():
        shutil.rmtree(ws)
    return ws


def qim() -> None:
    """A QiM service three months into its six: online evidence mostly uploaded."""
    ws = mentorqa.create_workspace(
        fresh("qim-riverside"),
        "qim",
        "Riverside Young People's Mentoring",
        turnover=180_000,
        start=day("2026-03-02"),
    )
    fw = ws.framework
    ws.answer_eligibility([(c.id, True) for c in fw.eligibility.criteria])
    by_area: dict[str, list[str]] = {}
    for ind_id, (area, ind) in fw.indicator_index.items():
        if ind.level == "award" and fw.method_of(ind_id).id == "online":
            by_area.setdefault(area.id, []).append(ind_id)
    # The Service and Policies and Procedures are complete; Staff Management is half done.
    done = by_area["service"] + by_area["policies"] + by_area["staff"][:4]
    for ind_id in done:
        area, ind = fw.indicator_index[ind_id]
        doc = ws.root / "evidence" / area.id / f"{ind_id.lower()}.md"
        doc.parent.mkdir(parents=True, exist_ok=True)
        doc.write_text(
            f"# {ind.title}\n\nExtract from Riverside's documents showing: {ind.title}.\n"
            "(Example file made up for mentorqa's examples.)\n",
            encoding="utf-8",
        )
        ws.add_evidence(ind_id, doc)
        ws.mark(ind_id, "met")
    ws.mark(
        by_area["staff"][4],
        "partly-met",
        note="Safeguarding refresher booked; two coordinators not yet trained",
    )
    ws.record_event("first_area_uploaded", day("2026-04-14"))
    ws.add_interview("mentor", "Mentor A", date=day("2026-06-03"), minutes=20)
    ws.add_case_study("mentee_journey", title="Referral to a planned ending")
    reports(ws, ["progress", "assessor"])


def nqms() -> None:
    """An NQMS program after its on-site review: plan agreed, statement signed."""
    ws = mentorqa.create_workspace(
        fresh("nqms-northside"), "nqms", "Northside Youth Mentoring", start=day("2026-02-02")
    )
    fw = ws.framework
    ws.answer_eligibility([(c.id, True) for c in fw.eligibility.criteria])
    title = {ind.title: ind_id for ind_id, (_, ind) in fw.indicator_index.items()}
    gaps = {
        title["Participant satisfaction"]: "No participant survey yet",
        title["Exit interview with youth"]: "Exit interviews only for planned endings",
    }
    for n, ind_id in enumerate(fw.indicator_index):
        if ind_id in gaps:
            ws.mark(ind_id, "not-met", rating=2, note=gaps[ind_id])
        else:
            ws.mark(ind_id, "met", rating=3 + n % 3)
    for event, when in [
        ("submission", "2026-03-23"),
        ("staff_contact", "2026-03-27"),
        ("review", "2026-04-28"),
        ("documents_received", "2026-05-08"),
    ]:
        ws.record_event(event, day(when))
    ws.add_plan_notes(
        strengths=["Thorough screening and pre-match training"],
        improvements=["Evaluation relies on anecdote"],
    )
    plan = [
        ("Run an annual participant survey", "evaluation", "Program director", "2027-03-31"),
        ("Exit interviews for every closure", "operations", "Match support lead", "2026-12-31"),
        (
            "Recruit two board members with evaluation skills",
            "management",
            "Board chair",
            "2027-06-30",
        ),
    ]
    for goal, area, owner, target in plan:
        ws.add_priority(
            goal,
            area=area,
            owner=owner,
            target=day(target),
            actions=["Agree a first draft at the next staff meeting"],
        )
    ws.agree_plan(day("2026-05-12"))
    ws.sign_statement("Jordan Rivera", "Executive Director", day("2026-05-14"))
    reports(ws, ["summary", "plan", "statement", "progress"])


def reports(ws: mentorqa.Workspace, kinds: list[str]) -> None:
    out = ws.root / "reports"
    out.mkdir(exist_ok=True)
    assessment = ws.assess(files=True)
    for kind in kinds:
        markdown = render(assessment, kind, "md", ws.root)
        assert isinstance(markdown, str)
        (out / f"{kind}.md").write_text(markdown, encoding="utf-8")
    for kind in kinds:  # the HTML versions, with their charts, for people to open
        html = render(assessment, kind, "html", ws.root)
        assert isinstance(html, str)
        (out / f"{kind}.html").write_text(html, encoding="utf-8")
    (out / "deadlines.ics").write_text(render_ics(assessment), encoding="utf-8", newline="")
    try:  # PDF versions where the optional 'pdf' extra is installed (the output is the same
        # on every run: WeasyPrint writes no creation date)
        for kind in kinds:
            pdf = render(assessment, kind, "pdf", ws.root)
            assert isinstance(pdf, bytes)
            (out / f"{kind}.pdf").write_bytes(pdf)
    except MentorqaError as error:
        print(f"PDFs not built: {error}", file=sys.stderr)


if __name__ == "__main__":
    qim()
    nqms()
    print(f"Examples rebuilt in {HERE} (today = {TODAY}).")
