"""Workspaces end to end: init, evidence, judgements, status and check on real folders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mentorqa.frameworks import get

from ..conftest import run, write_tree


def status(ws: Path, *extra: str) -> dict:
    result = run("status", "--json", "-w", ws, *extra)
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


def check(ws: Path, *extra: str) -> tuple[int, dict]:
    result = run("check", "--json", "-w", ws, *extra)
    assert "Traceback" not in result.stderr
    return result.exit_code, json.loads(result.stdout)


def qim_ids(level: str, method: str | None = None) -> list[str]:
    fw = get("qim").framework
    return [
        i
        for i, (area, ind) in fw.indicator_index.items()
        if ind.level == level and (method is None or (ind.method or area.method) == method)
    ]


def manifest(ws: Path) -> str:
    return (ws / "mentorqa.yaml").read_text(encoding="utf-8")


# --- init ----------------------------------------------------------------------------------------


def test_init_creates_a_workspace(qim_ws: Path) -> None:
    assert (qim_ws / "evidence").is_dir()
    assert (qim_ws / "private").is_dir()
    assert "private/" in (qim_ws / ".gitignore").read_text().splitlines()
    assert (qim_ws / "README.md").is_file()
    text = manifest(qim_ws)
    assert "framework: qim" in text and "registration: 2026-03-01" in text
    assert "turnover: 120000" in text


def test_init_refuses_an_existing_workspace(qim_ws: Path) -> None:
    before = manifest(qim_ws)
    result = run("init", qim_ws, "--framework", "nqms", "--name", "Other")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert manifest(qim_ws) == before


def test_init_without_required_options_is_exit_2(tmp_path: Path) -> None:
    result = run("init", tmp_path / "ws", "--name", "No framework")
    assert result.exit_code == 2
    assert "--framework is required" in result.stderr
    assert not (tmp_path / "ws" / "mentorqa.yaml").exists()
    unknown = run("init", tmp_path / "ws", "--framework", "nope", "--name", "X")
    assert unknown.exit_code == 2 and "unknown framework 'nope'" in unknown.stderr


def test_init_keeps_an_existing_gitignore(tmp_path: Path) -> None:
    write_tree(tmp_path, {".gitignore": "*.tmp"})
    assert run("init", tmp_path, "--framework", "qim", "--name", "S").exit_code == 0
    lines = (tmp_path / ".gitignore").read_text().splitlines()
    assert lines[0] == "*.tmp" and "private/" in lines and ".mentorqa/" in lines


def test_init_prompts_at_a_terminal_only(tmp_path: Path) -> None:
    # typer's runner gives no terminal, so missing options are errors rather than prompts
    result = run("init", tmp_path / "ws", input="qim\nName\n")
    assert result.exit_code == 2


# --- a whole QiM journey -------------------------------------------------------------------------


def test_qim_journey_to_award_with_excellence_missing(qim_ws: Path) -> None:
    first = status(qim_ws)
    assert first["target_level"] == "award"
    assert len(first["unmet"]) == 61
    assert first["levels"][0] == {**first["levels"][0], "met": 0, "total": 61, "achieved": False}

    online = qim_ids("award", "online")
    visit = qim_ids("award", "visit")
    assert (len(online), len(visit)) == (38, 23)
    for number, ind in enumerate(online):
        write_tree(qim_ws, {f"evidence/doc-{number}.pdf": f"document {number}"})
        added = run("evidence", "add", ind, f"evidence/doc-{number}.pdf", cwd=qim_ws)
        assert added.exit_code == 0, added.stderr
        assert run("mark", ind, "met", "-w", qim_ws).exit_code == 0
    assert run("event", "first_area_uploaded", "2026-04-10", "-w", qim_ws).exit_code == 0

    halfway = status(qim_ws)
    assert halfway["levels"][0]["met"] == 38
    assert [u["id"] for u in halfway["unmet"]] == visit
    assert all(u["method"] == "visit" for u in halfway["unmet"])

    for role, pseudonym, minutes in [
        ("mentor", "Mentor A", 18),
        ("mentor", "Mentor B", 20),
        ("mentee", "Mentee A", 15),
        ("mentee", "Mentee B", 19),
        ("staff", "Coordinator", 28),
    ]:
        added = run(
            "interview",
            "add",
            role,
            pseudonym,
            "--date",
            "2026-05-01",
            "--minutes",
            str(minutes),
            "--informs",
            visit[0],
            "-w",
            qim_ws,
        )
        assert added.exit_code == 0, added.stderr
    write_tree(qim_ws, {"evidence/mentee-journey.docx": "A", "evidence/mentor-journey.docx": "B"})
    assert (
        run(
            "case-study",
            "mentee_journey",
            "evidence/mentee-journey.docx",
            "--title",
            "From referral to ending",
            cwd=qim_ws,
        ).exit_code
        == 0
    )
    assert (
        run("case-study", "mentor_journey", "evidence/mentor-journey.docx", cwd=qim_ws).exit_code
        == 0
    )
    assert run("visit", "2026-05-01", "--mode", "remote", "-w", qim_ws).exit_code == 0
    for ind in visit:
        assert (
            run(
                "mark", ind, "met", "--by", "assessor", "--note", "Seen at the visit", "-w", qim_ws
            ).exit_code
            == 0
        )

    done = status(qim_ws)
    assert done["reached_level"] == "award"
    assert done["target_level"] == "excellence"
    assert done["levels"][0]["achieved"] is True
    assert len(done["unmet"]) == 23
    assert {u["level"] for u in done["unmet"]} == {"excellence"}
    assert {i["role"]: i["recorded"] for i in done["interviews"]} == {
        "mentor": 2,
        "mentee": 2,
        "staff": 1,
    }
    assert all(c["recorded"] == 1 for c in done["case_studies"])

    assert run("status", "--level", "award", "-w", qim_ws).exit_code == 0
    assert run("status", "--level", "excellence", "-w", qim_ws).exit_code == 1
    code, report = check(qim_ws)
    assert code == 0 and report["ok"] is True and report["errors"] == []
    code, report = check(qim_ws, "--level", "excellence")
    assert code == 1 and "not reached" in report["errors"][0]["message"]

    text = run("status", "--all", "-w", qim_ws)
    assert text.exit_code == 0
    assert "Award: 61 of 61 met" in text.stdout
    assert "Still to be met for Excellence (23)" in text.stdout


def test_status_text_for_a_new_workspace(qim_ws: Path) -> None:
    result = run("status", "--all", cwd=qim_ws / "evidence")  # found from a subfolder, as git does
    assert result.exit_code == 0
    assert "Riverside Mentoring" in result.stdout
    assert "Still to be met for Award (61)" in result.stdout
    assert "Mentors: 0 recorded (normally 2, up to 20 minutes each)" in result.stdout
    assert "2026-05-01" in result.stdout  # first practice area due: registration + 2 months


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_the_short_status_fits_a_screen_and_wraps_at_words(
    qim_ws: Path, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    shown = run("status", "-w", qim_ws).stdout.splitlines()
    assert all(len(line) <= columns for line in shown)
    if columns == 80:
        assert len(shown) <= 40
        assert any("2026-05-01" in line for line in shown[:10])  # the next deadline comes first
    words = set(run("status", "-w", qim_ws).stdout.split())
    monkeypatch.setenv("COLUMNS", "1000")
    assert words == set(run("status", "-w", qim_ws).stdout.split())  # no word was cut


def test_status_for_one_area_says_what_each_indicator_requires(qim_ws: Path) -> None:
    result = run("status", "--area", "SERVICE", "-w", qim_ws)
    assert result.exit_code == 0 and "QIM-SV-A01" in result.stdout
    assert "written aims and objectives" in result.stdout
    wrong = run("status", "--area", "servise", "-w", qim_ws)
    assert wrong.exit_code == 2 and "did you mean 'service'?" in wrong.stderr


def test_no_workspace_is_exit_2(tmp_path: Path) -> None:
    result = run("status", cwd=tmp_path)
    assert result.exit_code == 2
    assert "run 'mentorqa init'" in result.stderr


# --- an NQMS journey -----------------------------------------------------------------------------


def test_nqms_journey_dedicated_then_expert(nqms_ws: Path) -> None:
    fw = get("nqms").framework
    items = list(fw.indicator_index)
    assert len(items) == 92
    for item in items[:-1]:
        assert run("mark", item, "met", "--rating", "4", "-w", nqms_ws).exit_code == 0
    assert run("mark", items[-1], "not-met", "--rating", "1", "-w", nqms_ws).exit_code == 0

    before = status(nqms_ws)
    dedicated = before["levels"][0]
    assert dedicated["met"] == 92 and dedicated["total"] == 92
    assert dedicated["achieved"] is False
    assert set(dedicated["missing_steps"]) == {"review", "plan_agreed", "statement_signed"}

    for event, day in [("submission", "2026-03-20"), ("review", "2026-04-24")]:
        assert run("event", event, day, "-w", nqms_ws).exit_code == 0
    for goal, target in [
        ("Recruit more mentors", "2027-01-15"),
        ("Train mentors on closure", "2027-04-01"),
        ("Measure outcomes", "2027-10-01"),
    ]:
        added = run(
            "plan",
            "add",
            goal,
            "--area",
            "operations",
            "--owner",
            "Program manager",
            "--target",
            target,
            "--action",
            "Do it",
            "-w",
            nqms_ws,
        )
        assert added.exit_code == 0, added.stderr
    agreed = run("plan", "agree", "2026-04-24", "-w", nqms_ws)
    assert agreed.exit_code == 0 and "warning" not in agreed.stderr  # a complete plan
    assert (
        run(
            "sign",
            "--name",
            "Jordan Lee",
            "--role",
            "Executive Director",
            "--date",
            "2026-05-01",
            "-w",
            nqms_ws,
        ).exit_code
        == 0
    )

    after = status(nqms_ws)
    assert after["reached_level"] == "dedicated"
    assert after["target_level"] == "expert"
    assert [u["id"] for u in after["unmet"]] == [items[-1]]

    assert run("mark", items[-1], "met", "--rating", "3", "-w", nqms_ws).exit_code == 0
    assert status(nqms_ws)["reached_level"] == "expert"
    code, report = check(nqms_ws)
    assert code == 0, report


# --- judgements ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["QIM-NOPE", "met"], "unknown indicator 'QIM-NOPE'"),
        (["{award}", "done"], "unknown status 'done'"),
        (["{award}", "met", "--rating", "3"], "no rating scale"),
        (["{award}", "met", "--by", "someone"], "someone"),
    ],
)
def test_bad_judgements_are_exit_2(qim_ws: Path, args: list[str], words: str) -> None:
    before = manifest(qim_ws)
    args = [a.replace("{award}", qim_ids("award")[0]) for a in args]
    result = run("mark", *args, "-w", qim_ws)
    assert result.exit_code == 2
    assert words in result.stderr
    assert manifest(qim_ws) == before


def test_not_applicable_only_where_allowed(qim_ws: Path) -> None:
    fw = get("qim").framework
    must = next(i for i, (_, ind) in fw.indicator_index.items() if not ind.not_applicable)
    result = run("mark", must, "not-applicable", "-w", qim_ws)
    assert result.exit_code == 2 and "must be met" in result.stderr
    may = [i for i, (_, ind) in fw.indicator_index.items() if ind.not_applicable]
    if may:
        assert run("mark", may[0], "not-applicable", "-w", qim_ws).exit_code == 0


def test_nqms_rating_scale(nqms_ws: Path) -> None:
    result = run("mark", "A1", "met", "--rating", "6", "-w", nqms_ws)
    assert result.exit_code == 2 and "1 to 5" in result.stderr
    assert run("mark", "A1", "partly-met", "-w", nqms_ws).exit_code == 2


def test_self_and_assessor_judgements_side_by_side(qim_ws: Path) -> None:
    ind = qim_ids("award", "visit")[0]
    assert run("mark", ind, "partly-met", "--note", "We think so", "-w", qim_ws).exit_code == 0
    assert run("mark", ind, "met", "--by", "assessor", "-w", qim_ws).exit_code == 0
    text = manifest(qim_ws)
    assert "status: partly-met" in text and "status: met" in text
    assert ind not in [u["id"] for u in status(qim_ws)["unmet"]]
    assert run("mark", ind, "not-met", "--by", "assessor", "-w", qim_ws).exit_code == 0
    assert ind in [u["id"] for u in status(qim_ws)["unmet"]]


# --- evidence and paths --------------------------------------------------------------------------


def test_evidence_paths_must_stay_inside(qim_ws: Path, tmp_path: Path) -> None:
    ind = qim_ids("award", "online")[0]
    outside = tmp_path / "secret.txt"
    outside.write_text("outside")
    (qim_ws / "evidence" / "link.txt").symlink_to(outside)
    before = manifest(qim_ws)
    for path in ["../secret.txt", str(outside), "evidence/link.txt", "evidence/absent.pdf"]:
        result = run("evidence", "add", ind, path, cwd=qim_ws)
        assert result.exit_code == 2, path
        assert result.stderr.startswith("error: "), path
        assert "Traceback" not in result.stderr
    assert manifest(qim_ws) == before
    inside = qim_ws / "evidence" / "policy.pdf"
    inside.write_text("policy")
    assert run("evidence", "add", ind, str(inside), cwd=qim_ws).exit_code == 0  # absolute, inside
    assert "file: evidence/policy.pdf" in manifest(qim_ws)


def test_evidence_recorded_afresh_not_twice(qim_ws: Path) -> None:
    ind = qim_ids("award", "online")[0]
    write_tree(qim_ws, {"evidence/plan.pdf": "v1"})
    assert run("evidence", "add", ind, "evidence/plan.pdf", cwd=qim_ws).exit_code == 0
    write_tree(qim_ws, {"evidence/plan.pdf": "version 2"})
    assert run("mark", ind, "met", "-w", qim_ws).exit_code == 0
    code, report = check(qim_ws)
    assert code == 0
    assert any("changed since it was recorded" in w["message"] for w in report["warnings"])
    assert check(qim_ws, "--strict")[0] == 1
    assert run("evidence", "add", ind, "evidence/plan.pdf", cwd=qim_ws).exit_code == 0
    assert manifest(qim_ws).count("file: evidence/plan.pdf") == 1
    assert not any("changed" in w["message"] for w in check(qim_ws)[1]["warnings"])


def test_evidence_list_and_remove(qim_ws: Path) -> None:
    ind = qim_ids("award", "online")[0]
    write_tree(qim_ws, {"evidence/a.pdf": "a", "evidence/b.pdf": "b"})
    assert (
        run("evidence", "add", ind, "evidence/a.pdf", "evidence/b.pdf", cwd=qim_ws).exit_code == 0
    )
    listed = json.loads(run("evidence", "list", "--json", "-w", qim_ws).stdout)["evidence"]
    assert [e["file"] for e in listed] == ["evidence/a.pdf", "evidence/b.pdf"]
    assert listed[0]["size"] == 1 and listed[0]["state"] == "ok"
    (qim_ws / "evidence" / "a.pdf").unlink()
    assert run("evidence", "remove", ind, "evidence/a.pdf", cwd=qim_ws).exit_code == 0
    assert (qim_ws / "evidence" / "b.pdf").exists()
    listed = json.loads(run("evidence", "list", "--json", "-w", qim_ws).stdout)["evidence"]
    assert [e["file"] for e in listed] == ["evidence/b.pdf"]
    assert run("evidence", "remove", ind, "evidence/a.pdf", cwd=qim_ws).exit_code == 2


# --- check: every error and warning --------------------------------------------------------------


def hand_edit(ws: Path, old: str, new: str) -> None:
    text = manifest(ws)
    assert old in text
    (ws / "mentorqa.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("yaml", "words"),
    [
        ("indicators:\n  QIM-XX-A99:\n    self: {status: met}\n", "unknown indicator 'QIM-XX-A99'"),
        ("indicators:\n  {online}:\n    self: {status: met}\n", "no evidence is recorded"),
        ("indicators:\n  {online}:\n    self: {status: done}\n", "status 'done' is not allowed"),
        ("indicators:\n  {online}:\n    assessor: {status: met, rating: 4}\n", "no rating scale"),
        (
            "indicators:\n  {online}:\n    evidence:\n      - {file: evidence/gone.pdf, sha256: x, "
            "size: 1, recorded: 2026-04-01}\n",
            "is missing; restore it",
        ),
        (
            "indicators:\n  {online}:\n    evidence:\n      - {file: ../x.pdf, sha256: x, "
            "size: 1, recorded: 2026-04-01}\n",
            "outside the workspace",
        ),
        (
            "indicators: {}\ninterviews:\n  - {role: funder, pseudonym: F}\n",
            "unknown interview role 'funder'",
        ),
        ("indicators: {}\ncase_studies:\n  - {kind: board_journey}\n", "unknown case study kind"),
        ("indicators: {}\neligibility2: {}\n", None),
    ],
)
def test_check_errors_are_exit_1(qim_ws: Path, yaml: str, words: str | None) -> None:
    online = qim_ids("award", "online")[0]
    hand_edit(qim_ws, "indicators: {}\n", yaml.replace("{online}", online))
    result = run("check", "--json", "-w", qim_ws)
    if words is None:  # an unknown top-level key is a broken manifest: exit 2
        assert result.exit_code == 2
        assert "unknown key 'eligibility2'" in result.stderr
        return
    assert result.exit_code == 1, result.stdout
    errors = json.loads(result.stdout)["errors"]
    assert any(words in e["message"] for e in errors), errors
    junit = qim_ws / "out" / "junit.xml"
    assert run("check", "--junit", junit, "-w", qim_ws).exit_code == 1
    assert ET.parse(junit).getroot().get("failures") != "0"


def test_check_warns_on_long_interviews_and_passed_deadlines(qim_ws: Path) -> None:
    assert (
        run("interview", "add", "mentee", "Mentee A", "--minutes", "45", "-w", qim_ws).exit_code
        == 0
    )
    code, report = check(qim_ws)
    assert code == 0 and report["ok"] is True
    messages = [w["message"] for w in report["warnings"]]
    assert any("longer than the 20 minutes" in m for m in messages)
    assert any("deadline passed" in m and "2026-05-01" in m for m in messages)
    text = run("check", "-w", qim_ws)
    assert text.exit_code == 0 and "warning:" in text.stderr
    assert check(qim_ws, "--strict")[0] == 1


def test_nqms_plan_rules_in_check(nqms_ws: Path) -> None:
    assert run("event", "review", "2026-04-24", "-w", nqms_ws).exit_code == 0
    for n in range(5):
        assert (
            run("plan", "add", f"Goal {n}", "--target", "2027-01-01", "-w", nqms_ws).exit_code == 0
        )
    sixth = run("plan", "add", "One too many", "-w", nqms_ws)
    assert sixth.exit_code == 2 and "already has 5 priorities" in sixth.stderr
    # A hand edit can still break the rule; check reports it.
    hand_edit(nqms_ws, "    - goal: Goal 4\n", "    - goal: Goal 5\n    - goal: Goal 4\n")
    code, report = check(nqms_ws)
    assert code == 1 and any("6 priorities" in e["message"] for e in report["errors"])

    assert run("plan", "remove", "6", "-w", nqms_ws).exit_code == 0
    # A quick win is fine: a priority may be due any time up to the plan's horizon (24 months).
    assert run("plan", "edit", "1", "--target", "2026-06-01", "-w", nqms_ws).exit_code == 0
    assert check(nqms_ws)[0] == 0
    # Beyond the horizon is refused when it is written, and reported by check when hand-edited.
    late = run("plan", "edit", "1", "--target", "2028-05-01", "-w", nqms_ws)
    assert late.exit_code == 2 and "after the plan's horizon 2028-04-24" in late.stderr
    hand_edit(nqms_ws, "target: 2026-06-01", "target: 2028-05-01")
    code, report = check(nqms_ws)
    assert code == 1 and any("after the plan's horizon" in e["message"] for e in report["errors"])
    hand_edit(nqms_ws, "target: 2028-05-01", "target: 2027-01-01")

    for n in (5, 4, 3):
        assert run("plan", "remove", str(n), "-w", nqms_ws).exit_code == 0
    assert check(nqms_ws)[0] == 0  # two priorities, not yet agreed: fine for now
    assert any(
        "1 more priority (the plan needs 3-5)" in lack for lack in status(nqms_ws)["plan"]["lacks"]
    )
    before = (nqms_ws / "mentorqa.yaml").read_bytes()
    agreed = run("plan", "agree", "2026-04-24", "-w", nqms_ws)
    assert (
        agreed.exit_code == 2 and "agreed with 2 priorities; it needs at least 3" in agreed.stderr
    )
    assert (nqms_ws / "mentorqa.yaml").read_bytes() == before
    # A hand-written agreement date is still reported by check.
    hand_edit(nqms_ws, "dates:\n", "dates:\n  plan_agreed: 2026-04-24\n")
    code, report = check(nqms_ws)
    assert code == 1 and any("at least 3" in e["message"] for e in report["errors"])


def test_junit_has_one_case_per_indicator(qim_ws: Path) -> None:
    fw = get("qim").framework
    online = qim_ids("award", "online")
    assert run("mark", online[0], "met", "-w", qim_ws).exit_code == 0  # no evidence: error
    na = [i for i, (_, ind) in fw.indicator_index.items() if ind.not_applicable]
    if na:
        assert run("mark", na[0], "not-applicable", "-w", qim_ws).exit_code == 0
    junit = qim_ws / "junit.xml"
    assert run("check", "--junit", junit, "-w", qim_ws).exit_code == 1
    root = ET.parse(junit).getroot()
    cases = root.findall("testcase")
    per_indicator = [c for c in cases if c.get("classname") != "workspace"]
    assert len(per_indicator) == 84
    assert {c.get("classname") for c in per_indicator} == {a.name for a in fw.practice_areas}
    failed = [c for c in per_indicator if c.find("failure") is not None]
    assert [c.get("name", "").split()[0] for c in failed] == [online[0]]
    # Not yet met (or not applicable) is skipped, with the current state as its message.
    skipped = {
        c.get("name", "").split()[0]: c.find("skipped").get("message")  # type: ignore[union-attr]
        for c in per_indicator
        if c.find("skipped") is not None
    }
    assert len(skipped) == 83 and online[0] not in skipped
    if na:
        assert skipped[na[0]] == "not applicable"
    assert root.get("tests") == str(len(cases))


def test_unknown_level_is_exit_2(qim_ws: Path) -> None:
    result = run("check", "--level", "gold", "-w", qim_ws)
    assert result.exit_code == 2 and "unknown level 'gold'" in result.stderr


# --- the manifest is never lost or reformatted ---------------------------------------------------


def test_corrupted_manifest_is_reported_and_left_alone(qim_ws: Path) -> None:
    hand_edit(qim_ws, "indicators: {}\n", "indicators: {\n  broken: [\n")
    before = manifest(qim_ws)
    for args in (["status"], ["check"], ["mark", qim_ids("award")[0], "met"]):
        result = run(*args, "-w", qim_ws)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"error: {qim_ws / 'mentorqa.yaml'}:")
        assert "YAML syntax error" in result.stderr and "Traceback" not in result.stderr
    assert manifest(qim_ws) == before


def test_wrong_value_is_located(qim_ws: Path) -> None:
    hand_edit(qim_ws, "turnover: 120000", "turnover: lots")
    result = run("status", "-w", qim_ws)
    assert result.exit_code == 2
    line = next(n for n, text in enumerate(manifest(qim_ws).splitlines(), 1) if "lots" in text)
    assert f"mentorqa.yaml:{line}:3: 'turnover'" in result.stderr


def test_comments_and_order_survive_rewrites(qim_ws: Path) -> None:
    ind = qim_ids("award", "online")[0]
    hand_edit(qim_ws, "service:\n", "# Our notes: keep this comment!\nservice:\n")
    hand_edit(
        qim_ws,
        "indicators: {}\n",
        f"indicators:\n  # hand-written judgement\n  {ind}:\n    self:\n"
        "      status: partly-met   # until the policy is signed\n"
        "      note: 'Quoted: kept as written'\n",
    )
    write_tree(qim_ws, {"evidence/p.pdf": "p"})
    assert run("evidence", "add", ind, "evidence/p.pdf", cwd=qim_ws).exit_code == 0
    assert run("event", "first_area_uploaded", "2026-04-02", "-w", qim_ws).exit_code == 0
    text = manifest(qim_ws)
    assert "# Our notes: keep this comment!\nservice:" in text
    assert "# hand-written judgement" in text
    assert "status: partly-met   # until the policy is signed" in text
    assert "note: 'Quoted: kept as written'" in text
    assert text.index("framework:") < text.index("service:") < text.index("indicators:")


def _comment_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def _line_after(text: str, comment: str) -> str:
    lines = text.splitlines()
    index = next(n for n, line in enumerate(lines) if line.strip() == comment)
    return lines[index + 1].strip()


def test_every_write_command_keeps_comments_in_their_place(qim_ws: Path) -> None:
    """Comments above the next block belong there, whatever a command adds, changes or removes."""
    a, b, c = qim_ids("award", "online")[:3]
    write_tree(qim_ws, {f"evidence/{n}.pdf": n for n in ("x", "y", "z", "w")})
    hand_edit(
        qim_ws,
        "indicators: {}\n",
        f"indicators:\n"
        f"  {a}:\n"
        f"    self:\n"
        f"      status: partly-met  # waiting on trustees\n"
        f"    # the board minutes are the evidence\n"
        f"    evidence:\n"
        f"    - file: evidence/x.pdf\n"
        f"      sha256: {'a' * 64}\n"
        f"      size: 1\n"
        f"      recorded: 2026-04-01\n"
        f"    # y is the signed copy\n"
        f"    - file: evidence/y.pdf\n"
        f"      sha256: {'a' * 64}\n"
        f"      size: 1\n"
        f"      recorded: 2026-04-01\n"
        f"  # {b} is next: minutes due in July\n"
        f"  {b}:\n"
        f"    self:\n"
        f"      status: partly-met\n"
        f"    evidence:\n"
        f"    # only one file so far\n"
        f"    - file: evidence/z.pdf\n"
        f"      sha256: {'a' * 64}\n"
        f"      size: 1\n"
        f"      recorded: 2026-04-01\n"
        f"# Interviews come last\n"
        f"interviews: []\n",
    )
    comments = _comment_lines(manifest(qim_ws))
    commands = [
        ("mark", a, "met"),
        ("mark", a, "met", "--by", "assessor", "--note", "seen at the visit"),
        ("event", "first_area_uploaded", "2026-04-02"),
        ("eligibility", "--answer", "membership=yes"),
        ("service", "--turnover", "200000"),
        ("evidence", "add", a, "evidence/x.pdf"),  # recorded afresh, in its place
        ("evidence", "add", a, "evidence/w.pdf"),
        ("evidence", "remove", a, "evidence/x.pdf"),
        ("evidence", "remove", b, "evidence/z.pdf"),  # the only item: the list goes
        ("mark", c, "met"),
        ("interview", "add", "mentor", "Mentor A", "--minutes", "15"),
        ("interview", "remove", "Mentor A"),
    ]
    for command in commands:
        result = run(*command, cwd=qim_ws)
        unanswered = 1 if command[0] == "eligibility" else 0  # other questions still open
        assert result.exit_code == unanswered, (command, result.stderr)
        text = manifest(qim_ws)
        assert _comment_lines(text) == comments, command
        assert _line_after(text, f"# {b} is next: minutes due in July") == f"{b}:", command
        assert _line_after(text, "# Interviews come last").startswith("interviews:"), command
        assert _line_after(
            text, "# Answers to the eligibility questions (see 'mentorqa eligibility')."
        ).startswith("eligibility:"), command
    text = manifest(qim_ws)
    assert "status: met         # waiting on trustees" in text or "# waiting on trustees" in text
    assert "\n    - file: evidence/y.pdf\n" in text  # the hand-written list layout is kept
    assert "turnover: 200000\n" in text
    assert text.endswith("# Interviews come last\ninterviews: []\n")  # emptied, still there


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["nosuchcmd"], "error: no such command 'nosuchcmd'; see 'mentorqa --help'"),
        (["mark"], "error: missing argument"),
        (["status", "--bogus"], "'mentorqa status --help'"),  # click's wording varies
        (["mark", "QIM-SV-A01", "met", "--rating", "abc"], "error: invalid value for '--rating'"),
        (["interview", "add", "mentor", "B", "--minutes", "-5"], "'--minutes'"),
        (["plan", "remove", "x"], "see 'mentorqa plan remove --help'"),
    ],
)
def test_usage_mistakes_are_one_error_line(qim_ws: Path, args: list[str], words: str) -> None:
    before = manifest(qim_ws)
    result = run(*args, cwd=qim_ws)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and words in result.stderr
    assert "; see 'mentorqa " in result.stderr and " --help'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1  # no usage block, no boxed panel
    assert manifest(qim_ws) == before


def test_init_on_a_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("mine", encoding="utf-8")
    result = run("init", "afile", "-f", "qim", "-n", "Y", cwd=tmp_path)
    assert result.exit_code == 2
    assert "afile: is a file, not a folder" in result.stderr
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "mine"


def test_implausible_dates_are_refused_on_entry_and_located_in_the_manifest(
    qim_ws: Path, tmp_path: Path
) -> None:
    before = manifest(qim_ws)
    result = run("event", "first_area_uploaded", "9999-12-01", cwd=qim_ws)
    assert result.exit_code == 2 and "9999-12-01 is outside" in result.stderr
    assert manifest(qim_ws) == before
    result = run("init", tmp_path / "far", "-f", "nqms", "-n", "X", "--start", "9999-12-31")
    assert result.exit_code == 2 and not (tmp_path / "far" / "mentorqa.yaml").exists()
    hand_edit(qim_ws, "registration: 2026-03-01", "registration: 9999-12-01")
    line = next(n for n, t in enumerate(manifest(qim_ws).splitlines(), 1) if "9999" in t)
    for command in ("status", "timeline", "check", "report"):
        result = run(command, cwd=qim_ws)
        assert result.exit_code == 2, command
        assert f"mentorqa.yaml:{line}:3: 'registration': 9999-12-01 is outside" in result.stderr
        assert "Traceback" not in result.stderr


def test_unknown_framework_in_the_manifest_points_at_its_line(qim_ws: Path) -> None:
    hand_edit(qim_ws, "framework: qim", "framework: nosuch")
    line = next(n for n, t in enumerate(manifest(qim_ws).splitlines(), 1) if "nosuch" in t)
    result = run("status", cwd=qim_ws)
    assert result.exit_code == 2
    assert f"mentorqa.yaml:{line}:1: unknown framework 'nosuch'" in result.stderr


def test_private_files_are_never_evidence(qim_ws: Path) -> None:
    write_tree(qim_ws, {"private/jane-smith-interview.md": "notes naming a mentee"})
    before = manifest(qim_ws)
    ind = qim_ids("award")[0]
    result = run("evidence", "add", ind, "private/jane-smith-interview.md", cwd=qim_ws)
    assert result.exit_code == 2 and "is in private/" in result.stderr
    result = run("case-study", "mentee_journey", "private/jane-smith-interview.md", cwd=qim_ws)
    assert result.exit_code == 2 and "is in private/" in result.stderr
    assert manifest(qim_ws) == before


def test_concurrent_writers_lose_nothing(qim_ws: Path) -> None:
    online = qim_ids("award", "online")[:6]
    for number in range(len(online)):
        write_tree(qim_ws, {f"evidence/c{number}.pdf": str(number)})
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "mentorqa", "evidence", "add", ind, f"evidence/c{number}.pdf"],
            cwd=qim_ws,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for number, ind in enumerate(online)
    ]
    for proc in procs:
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr.decode()
    listed = json.loads(run("evidence", "list", "--json", "-w", qim_ws).stdout)["evidence"]
    assert sorted(e["indicator"] for e in listed) == sorted(online)


def test_schema_describes_the_manifest(qim_ws: Path) -> None:
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert {"framework", "service", "indicators"} <= set(schema["properties"])
    assert "self" in json.dumps(schema)


def test_the_statement_needs_a_name_and_role(nqms_ws: Path) -> None:
    before = manifest(nqms_ws)
    result = run("sign", "--name", " ", "--role", "Director", cwd=nqms_ws)
    assert result.exit_code == 2 and "--name must not be empty" in result.stderr
    assert manifest(nqms_ws) == before


HEAD = 'mentorqa: 1\nframework: qim\nframework_version: "2022, mentorqa model"\nservice:\n  name: "X"\n'


@pytest.mark.parametrize(
    ("body", "command", "expected"),
    [
        pytest.param(
            "dates:\n  registration: 2026-03-01\n# interviews\ninterviews:\n# first interview\n"
            "- role: mentor\n  pseudonym: Mentor A\n  indicators: [QIM-SV-A01, QIM-SV-A02]\n"
            "# after interviews\nareas:\n  service:\n    strengths: [good]\n",
            ["interview", "remove", "Mentor A"],
            ["interviews: []", "# after interviews\nareas:"],
            id="comment after a list whose last item ends in a flow list",
        ),
        pytest.param(
            "indicators:\n  QIM-SV-A01:\n    self: {status: met}\n    # about evidence\n"
            "    evidence:\n      - file: evidence/a.md\n        sha256: x\n        size: 6\n"
            "        recorded: 2026-05-01\n",
            ["evidence", "remove", "QIM-SV-A01", "evidence/a.md"],
            ["# about evidence", "evidence: []"],
            id="comment above a key after a flow mapping",
        ),
        pytest.param(
            "indicators:\n  QIM-SV-A02:\n    self: {status: met}  # flow self\n# trailing\n",
            ["mark", "QIM-SV-A03", "met"],
            ["self: {status: met}  # flow self\n  QIM-SV-A03:", "# trailing\n"],
            id="comment lines after a flow value with an end-of-line comment",
        ),
        pytest.param(
            "dates:\n  registration: 2026-03-01\ninterviews:  # people we talked to\n"
            "- role: mentor\n  pseudonym: Mentor A\n",
            ["interview", "add", "mentee", "Mentee B"],
            ["interviews:  # people we talked to\n- role: mentor\n", "\n- role: mentee\n"],
            id="list layout kept when its key has an end-of-line comment",
        ),
        pytest.param(
            "dates:  # when\n  # only date\n  registration: 2026-03-01\n  # after only\n# eof\n",
            ["event", "registration", "--clear"],
            ["dates: {}", "# when", "# only date", "# after only", "# eof"],
            id="clearing the last date keeps the block and its comments",
        ),
        pytest.param(
            "indicators:\n  QIM-SV-A02:\n    self:\n      status: met\n      note: "
            + "word " * 30
            + "end\n",
            ["mark", "QIM-SV-A01", "met"],
            ["note: " + "word " * 30 + "end\n"],
            id="a long line is not re-wrapped",
        ),
    ],
)
def test_hand_written_shapes_survive_a_rewrite(
    qim_ws: Path, body: str, command: list[str], expected: list[str]
) -> None:
    write_tree(qim_ws, {"evidence/a.md": "a", "mentorqa.yaml": HEAD + body})
    before = manifest(qim_ws)
    result = run(*command, cwd=qim_ws)
    assert result.exit_code == 0, result.stderr
    after = manifest(qim_ws)
    assert _comment_lines(after) == _comment_lines(before)
    for text in expected:
        assert text in after
    assert run("check", cwd=qim_ws).exit_code in (0, 1)  # still a valid manifest


def test_windows_line_endings_and_document_markers_are_kept(qim_ws: Path) -> None:
    text = "%YAML 1.2\n---\n" + HEAD + "dates:\n  registration: 2026-03-01\n...\n"
    (qim_ws / "mentorqa.yaml").write_bytes(text.replace("\n", "\r\n").encode())
    assert run("event", "first_area_uploaded", "2026-04-01", cwd=qim_ws).exit_code == 0
    raw = (qim_ws / "mentorqa.yaml").read_bytes().decode()
    assert raw.count("\r\n") == raw.count("\n")  # every line still ends in CRLF
    assert raw.startswith("%YAML 1.2\r\n---\r\n") and raw.endswith("...\r\n")
    assert "  first_area_uploaded: 2026-04-01\r\n" in raw


def test_huge_whole_amounts_are_stored_exactly(qim_ws: Path) -> None:
    assert run("service", "--turnover", "12345678901234567891", cwd=qim_ws).exit_code == 0
    assert "turnover: 12345678901234567891\n" in manifest(qim_ws)


def test_init_names_a_schema_that_exists_so_editors_check_the_manifest(qim_ws: Path) -> None:
    first = (qim_ws / "mentorqa.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=./mentorqa.schema.json"
    schema = json.loads((qim_ws / "mentorqa.schema.json").read_text())
    assert schema["title"].startswith("mentorqa workspace manifest")
    assert {"framework", "service"} <= set(schema["required"])


def test_notes_and_case_studies_can_be_removed(qim_ws: Path) -> None:
    w = ("-w", qim_ws)
    assert run("note", "mentee_journey", "--strength", "Warm matching", *w).exit_code == 0
    again = run("note", "mentee_journey", "--strength", "Warm matching", *w)
    assert again.exit_code == 2 and "already recorded" in again.stderr
    assert run("note", "mentee_journey", "--remove", "Warm matching", *w).exit_code == 0
    gone = run("note", "mentee_journey", "--remove", "Warm matching", *w)
    assert gone.exit_code == 2 and "no strength or suggestion" in gone.stderr
    for title in ("Referral to ending", "A second journey"):
        assert run("case-study", "mentee_journey", "--title", title, *w).exit_code == 0
    which = run("case-study", "mentee_journey", "--remove", *w)
    assert which.exit_code == 2 and "say which with --title" in which.stderr
    removed = run("case-study", "mentee_journey", "--remove", "--title", "A second journey", *w)
    assert removed.exit_code == 0 and "was 'A second journey'" in removed.stderr
    assert "A second journey" not in (qim_ws / "mentorqa.yaml").read_text()


def test_a_reaccreditation_is_a_round_of_its_own(tmp_path: Path) -> None:
    ws = tmp_path / "again"
    made = run(
        "init",
        ws,
        "-f",
        "qim",
        "-n",
        "Riverside",
        "--cycle",
        "Reaccreditation",
        "--start",
        "2026-04-01",
    )
    assert made.exit_code == 0, made.stderr
    text = (ws / "mentorqa.yaml").read_text()
    assert "cycle: reaccreditation" in text and "reaccreditation_started: 2026-04-01" in text
    milestones = {
        m["id"]: m for m in json.loads(run("timeline", "--json", "-w", ws).stdout)["milestones"]
    }
    assert milestones["reaccreditation_complete"]["due"] == "2026-10-01"
    assert "first_area" not in milestones and "evidence_complete" not in milestones
    shown = run("status", "-w", ws).stdout
    assert "Reaccreditation (years 3, 6): 25 by documents" in " ".join(shown.split())
    wrong = run("init", tmp_path / "other", "-f", "qim", "-n", "X", "--cycle", "reacreditation")
    assert wrong.exit_code == 2 and "did you mean 'reaccreditation'?" in wrong.stderr
