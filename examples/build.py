"""Rebuild the example workspaces with the real mentorqa commands.

    python examples/build.py

Each example is created from scratch with a fixed "today" (MENTORQA_TODAY) so that the result,
including the rendered reports, is the same on every machine. The examples hold no real people:
interviewees are pseudonyms and the evidence documents are short made-up extracts.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = "2026-06-15"


def mentorqa(*args: str | Path, check: bool = True) -> str:
    env = {**os.environ, "MENTORQA_TODAY": TODAY, "NO_COLOR": "1", "COLUMNS": "100"}
    result = subprocess.run(
        [sys.executable, "-m", "mentorqa", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and result.returncode != 0:
        sys.exit(f"mentorqa {' '.join(map(str, args))} failed:\n{result.stderr}")
    return result.stdout


def indicators(framework: str) -> list[dict[str, str]]:
    data = json.loads(mentorqa("frameworks", "show", framework, "--json"))
    return [dict(i, area=a["id"]) for a in data["areas"] for i in a["indicators"]]


def fresh(name: str) -> Path:
    ws = HERE / name
    if ws.exists():
        shutil.rmtree(ws)
    return ws


def qim() -> None:
    """A QiM service three months into its six: online evidence mostly uploaded."""
    ws = fresh("qim-riverside")
    mentorqa(
        "init",
        ws,
        "--framework",
        "qim",
        "--name",
        "Riverside Young People's Mentoring",
        "--turnover",
        "£180,000",
        "--start",
        "2026-03-02",
    )
    answers = [
        "vulnerable_people",
        "mentoring_role",
        "full_cycle",
        "funding_12_months",
        "membership",
    ]
    mentorqa("eligibility", *[a for c in answers for a in ("--answer", f"{c}=yes")], "-w", ws)
    items = indicators("qim")
    online = [i for i in items if i["level"] == "award" and i["method"] == "online"]
    by_area: dict[str, list[dict[str, str]]] = {}
    for item in online:
        by_area.setdefault(item["area"], []).append(item)
    # The Service and Policies and Procedures are complete; Staff Management is half done.
    done = by_area["service"] + by_area["policies"] + by_area["staff"][:4]
    for item in done:
        doc = ws / "evidence" / item["area"] / f"{item['id'].lower()}.md"
        doc.parent.mkdir(parents=True, exist_ok=True)
        doc.write_text(
            f"# {item['title']}\n\nExtract from Riverside's documents showing: {item['title']}.\n"
            "(Example file made up for mentorqa's examples.)\n",
            encoding="utf-8",
        )
        mentorqa("evidence", "add", item["id"], doc, "-w", ws)
        mentorqa("mark", item["id"], "met", "-w", ws)
    partly = by_area["staff"][4]
    mentorqa(
        "mark",
        partly["id"],
        "partly-met",
        "--note",
        "Safeguarding refresher booked; two coordinators not yet trained",
        "-w",
        ws,
    )
    mentorqa("event", "first_area_uploaded", "2026-04-14", "-w", ws)
    mentorqa(
        "interview",
        "add",
        "mentor",
        "Mentor A",
        "--date",
        "2026-06-03",
        "--minutes",
        "20",
        "-w",
        ws,
    )
    mentorqa("case-study", "mentee_journey", "--title", "Referral to a planned ending", "-w", ws)
    reports(ws, ["progress", "assessor"])


def nqms() -> None:
    """An NQMS program after its on-site review: plan agreed, statement signed."""
    ws = fresh("nqms-northside")
    mentorqa(
        "init",
        ws,
        "--framework",
        "nqms",
        "--name",
        "Northside Youth Mentoring",
        "--start",
        "2026-02-02",
    )
    mentorqa(
        "eligibility",
        "--answer",
        "one_year=yes",
        "--answer",
        "youth_18=yes",
        "--answer",
        "mentoring_connector=yes",
        "--answer",
        "staff_capacity=yes",
        "-w",
        ws,
    )
    items = indicators("nqms")
    title = {i["title"]: i["id"] for i in items}
    gaps = {
        title["Participant satisfaction"]: "No participant survey yet",
        title["Exit interview with youth"]: "Exit interviews only for planned endings",
    }
    for n, item in enumerate(items):
        if item["id"] in gaps:
            mentorqa(
                "mark", item["id"], "not-met", "--rating", "2", "--note", gaps[item["id"]], "-w", ws
            )
        else:
            mentorqa("mark", item["id"], "met", "--rating", str(3 + n % 3), "-w", ws)
    for event, day in [
        ("submission", "2026-03-23"),
        ("staff_contact", "2026-03-27"),
        ("review", "2026-04-28"),
        ("documents_received", "2026-05-08"),
    ]:
        mentorqa("event", event, day, "-w", ws)
    mentorqa(
        "plan",
        "note",
        "--strength",
        "Thorough screening and pre-match training",
        "--improvement",
        "Evaluation relies on anecdote",
        "-w",
        ws,
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
        mentorqa(
            "plan",
            "add",
            goal,
            "--area",
            area,
            "--owner",
            owner,
            "--target",
            target,
            "--action",
            "Agree a first draft at the next staff meeting",
            "-w",
            ws,
        )
    mentorqa("plan", "agree", "2026-05-12", "-w", ws)
    mentorqa(
        "sign",
        "--name",
        "Jordan Rivera",
        "--role",
        "Executive Director",
        "--date",
        "2026-05-14",
        "-w",
        ws,
    )
    reports(ws, ["summary", "plan", "statement", "progress"])


def reports(ws: Path, kinds: list[str]) -> None:
    out = ws / "reports"
    for kind in kinds:
        mentorqa("report", "--kind", kind, "-o", out / f"{kind}.md", "-w", ws)
    mentorqa(
        "report", "--kind", kinds[0], "--format", "html", "-o", out / f"{kinds[0]}.html", "-w", ws
    )
    mentorqa("timeline", "--ics", out / "deadlines.ics", "-w", ws)


if __name__ == "__main__":
    qim()
    nqms()
    print(f"Examples rebuilt in {HERE} (today = {TODAY}).")
