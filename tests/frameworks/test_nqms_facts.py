"""The bundled NQMS file says what its sources say: partner status lapses, the affiliate's steps
are the affiliate's, every number written in its prose matches its data, and it is US English."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

import mentorqa
from mentorqa.frameworks import get
from mentorqa.frameworks.model import Framework, Milestone, Offset
from mentorqa.plain import data as plain
from mentorqa.resources import bundled_dir
from mentorqa.spec import framework_from

from ..conftest import run

NQMS_FILE = bundled_dir("frameworks") / "nqms.yaml"

REVIEW = date(2023, 3, 1)
EXPIRES = date(2026, 3, 1)  # 3 years after the review: the last day of partner status


def reviewed_program(root: Path, *, plan_agreed: date = REVIEW) -> mentorqa.Workspace:
    """A program that answered every item, had its review and agreed a 3-priority plan."""
    ws = mentorqa.create_workspace(root, "nqms", "P", start=date(2023, 1, 9))
    for indicator in ws.framework.indicator_index:
        ws.mark(indicator, "met", rating=4)
    ws.record_event("submission", date(2023, 1, 30))
    ws.record_event("review", REVIEW)
    for number, area in enumerate(("management", "operations", "evaluation"), 1):
        ws.add_priority(
            f"Priority {number}",
            area=area,
            owner="Director",
            target=date(2024, 3, 1),
            actions=["Write the procedure"],
        )
    ws.agree_plan(plan_agreed)
    ws.sign_statement("Pat Lee", "Executive Director", REVIEW)
    return ws


# --- partner status lapses 3 years after the review ----------------------------------------------


def test_partner_levels_last_three_years_from_the_review() -> None:
    fw = get("nqms").framework
    for level in fw.levels:
        assert level.granted_by == ("review",), level.id
        assert level.valid_for == Offset(years=3), level.id


def levels_on(ws: mentorqa.Workspace, day: date, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("MENTORQA_TODAY", day.isoformat())
    return {lv["id"]: lv for lv in ws.status().to_dict()["levels"]}


def test_partner_status_lapses_the_day_after_three_years(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MENTORQA_TODAY", "2023-03-02")
    ws = reviewed_program(tmp_path / "p")

    before = levels_on(ws, EXPIRES - timedelta(days=1), monkeypatch)
    for level_id in ("dedicated", "expert"):
        assert before[level_id]["expires"] in (EXPIRES, EXPIRES.isoformat())
        assert before[level_id]["expired"] is False
        assert before[level_id]["achieved"] is True

    last_day = levels_on(ws, EXPIRES, monkeypatch)
    assert all(not lv["expired"] and lv["achieved"] for lv in last_day.values())

    after = levels_on(ws, EXPIRES + timedelta(days=1), monkeypatch)
    for level_id in ("dedicated", "expert"):
        assert after[level_id]["expired"] is True
        assert after[level_id]["achieved"] is False


def test_a_later_review_renews_partner_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MENTORQA_TODAY", "2023-03-02")
    ws = reviewed_program(tmp_path / "p")
    monkeypatch.setenv("MENTORQA_TODAY", "2026-02-10")
    ws.record_event("review", date(2026, 2, 9))  # the NQMS repeated before the status ran out
    after = levels_on(ws, EXPIRES + timedelta(days=1), monkeypatch)
    assert after["dedicated"]["expired"] is False and after["dedicated"]["achieved"] is True


# --- whose deadline: the affiliate's steps never fail the program's check ------------------------

# From the seed's wording: "MENTOR Independence Region staff will ..." is the affiliate's step;
# "We suggest completing the NQMS ..." and "Programs complete the NQMS every three years" are the
# program's own.
BODY_MILESTONES = {"staff_contact", "review", "documents", "check_in", "mini_review"}
SERVICE_MILESTONES = {"self_assessment", "reassessment"}


def test_each_milestone_says_whose_step_it_is() -> None:
    owners = {m.id: m.owner for m in get("nqms").framework.milestones}
    assert owners == {
        **{m: "body" for m in BODY_MILESTONES},
        **{m: "service" for m in SERVICE_MILESTONES},
    }


def check(ws: Path) -> tuple[int, dict[str, Any]]:
    result = run("check", "--strict", "--json", cwd=ws)
    assert "Traceback" not in result.stderr, result.stderr
    return result.exit_code, json.loads(result.stdout)


def deadline_warnings(data: dict[str, Any]) -> list[str]:
    findings = [*data["errors"], *data["warnings"]]
    return [f["message"] for f in findings if f["code"] == "MQA202"]


def test_body_steps_overdue_after_the_review_do_not_fail_strict_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MENTORQA_TODAY", "2023-03-02")
    reviewed_program(tmp_path / "p")
    # 14 months on: staff contact, documents, 3 check-ins and the mini-review are all overdue
    # (none recorded); the program's own deadlines are done (submission) or not yet due.
    monkeypatch.setenv("MENTORQA_TODAY", "2024-05-01")
    timeline = json.loads(run("timeline", "--json", cwd=tmp_path / "p").stdout)
    overdue = {m["id"] for m in timeline["milestones"] if m["state"] == "overdue"}
    assert {m.split("-")[0] for m in overdue} == BODY_MILESTONES - {"review"}
    assert all(m["owner"] == "body" for m in timeline["milestones"] if m["id"] in overdue)

    code, data = check(tmp_path / "p")
    assert deadline_warnings(data) == []
    assert code == 0, data


def test_the_programs_own_overdue_deadline_still_warns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MENTORQA_TODAY", "2023-03-02")
    reviewed_program(tmp_path / "p")
    monkeypatch.setenv("MENTORQA_TODAY", (EXPIRES + timedelta(days=1)).isoformat())
    code, data = check(tmp_path / "p")
    warnings = deadline_warnings(data)
    assert len(warnings) == 1, warnings
    assert "Repeat the NQMS" in warnings[0]
    assert code == 1


def test_an_unsubmitted_self_assessment_warns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MENTORQA_TODAY", "2023-01-10")
    mentorqa.create_workspace(tmp_path / "p", "nqms", "P", start=date(2023, 1, 9))
    monkeypatch.setenv("MENTORQA_TODAY", "2023-03-20")  # 8 weeks after access have passed
    code, data = check(tmp_path / "p")
    warnings = deadline_warnings(data)
    assert len(warnings) == 1 and "Complete the self-assessment" in warnings[0], warnings
    assert code == 1


# --- every number written in the prose matches the data it describes -----------------------------

WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
NUMBER = r"\d+|" + "|".join(WORDS)
JOIN = r"(?:\s*-\s*|\s+to\s+|,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+)"
# A number, or a run of them ("3, 6 and 9", "6-24", "six to eight"), not part of an id such as
# A1-A5 or M92 nor an ordinal (4th), and the word after it ("months", "-item", "%").
GROUP = re.compile(
    rf"(?<![\w.-])(?P<numbers>(?:{NUMBER})(?:{JOIN}(?:{NUMBER}))*)\b(?!\.\d)"
    r"(?:\s*-\s*|\s*)(?P<unit>%|[A-Za-z]+)?",
    re.IGNORECASE,
)
UNITS = {
    "week": "weeks",
    "weeks": "weeks",
    "month": "months",
    "months": "months",
    "year": "years",
    "years": "years",
    "hour": "hours",
    "hours": "hours",
    "%": "percent",
    "item": "items",
    "items": "items",
    "priority": "priorities",
    "priorities": "priorities",
    "standard": "standards",
    "standards": "standards",
    "section": "sections",
    "sections": "sections",
}

Facts = dict[str, set[int]]

# Numbers in the prose that are not a count, week, month, year or hour of the data, each with the
# reason; a phrase is taken out of its text before the numbers are checked, and each must still be
# there (a stale exception fails). ``check`` tests the number against the data where there is any.
EXCEPTIONS: list[tuple[str, str, str, Callable[[Framework], bool]]] = [
    (
        "eligibility.one_year",
        "at least one year",
        "an eligibility question is yes/no: its year is the question's own words",
        lambda fw: True,
    ),
    (
        "eligibility.youth_18",
        "aged 18 and younger",
        "an eligibility question is yes/no: the age is the question's own words",
        lambda fw: True,
    ),
    (
        "indicator.H40",
        "At least 2 hours of pre-match training",
        "a practice's own standard (EEPM: at least 2 hours of pre-match training), not process data",
        lambda fw: True,
    ),
    (
        "indicator.H40",
        "at least two hours of in-person training",
        "the same practice's standard, in its requirement",
        lambda fw: True,
    ),
    (
        "levels.expert.description",
        "need not all be 5",
        "the top implementation-quality rating",
        lambda fw: fw.judgement.rating is not None and fw.judgement.rating.max == 5,
    ),
    (
        "notes",
        "need not all be 5",
        "the top implementation-quality rating",
        lambda fw: fw.judgement.rating is not None and fw.judgement.rating.max == 5,
    ),
    (
        "notes",
        "rated 1-5",
        "the implementation-quality rating scale",
        lambda fw: (
            fw.judgement.rating is not None
            and (fw.judgement.rating.min, fw.judgement.rating.max) == (1, 5)
        ),
    ),
    (
        "notes",
        "the ratings 1-5",
        "the implementation-quality rating scale, whose labels are listed",
        lambda fw: (
            fw.judgement.rating is not None
            and sorted(fw.judgement.rating.labels) == [1, 2, 3, 4, 5]
        ),
    ),
]


def _marks(offset: Offset, milestone: Milestone | None = None) -> dict[str, set[int]]:
    """The weeks, months and years an offset (with a milestone's repeats) reaches."""
    times = milestone.repeat.times if milestone and milestone.repeat else 1
    every = milestone.repeat.every if milestone and milestone.repeat else Offset(days=1)
    return {
        unit: {getattr(offset, unit) + k * getattr(every, unit) for k in range(times)} - {0}
        for unit in ("weeks", "months", "years")
    }


def _merge(*facts: Facts) -> Facts:
    out: Facts = {}
    for fact in facts:
        for unit, values in fact.items():
            out.setdefault(unit, set()).update(values)
    return out


def milestone_facts(m: Milestone) -> Facts:
    return _merge(_marks(m.due, m), _marks(m.earliest) if m.earliest else {})


def global_facts(fw: Framework) -> Facts:
    """Every number the data holds, by what it counts."""
    operations = [a for a in fw.practice_areas if a.section == "operations"]
    facts = _merge(*(milestone_facts(m) for m in fw.milestones))
    if fw.plan:
        facts = _merge(
            facts,
            _marks(fw.plan.earliest),
            _marks(fw.plan.latest),
            {"priorities": {fw.plan.min_priorities, fw.plan.max_priorities}},
        )
    for level in fw.levels:
        if level.valid_for:
            facts = _merge(facts, _marks(level.valid_for))
        facts = _merge(facts, {"percent": {round(level.rule.share * 100)}})
    if fw.visit:
        hours = {fw.visit.min_hours, fw.visit.max_hours} - {None}
        facts = _merge(facts, {"hours": {int(h) for h in hours if h}})
    sections = {
        sum(len(a.indicators) for a in fw.practice_areas if a.section == s.id) for s in fw.sections
    }
    return _merge(
        facts,
        {
            "items": {len(fw.indicator_index), *(t.count for t in fw.totals), *sections},
            "standards": {len(operations)},
            "sections": {len(fw.sections)},
        },
    )


def prose(fw: Framework) -> Iterator[tuple[str, str, Facts | None]]:
    """(where, text, the facts it may state: None for the whole file's)."""
    yield "summary", fw.summary, None
    for note in fw.notes:
        yield "notes", note, None
    yield "confidentiality", fw.confidentiality, None
    for benefit in fw.benefits:
        yield "benefits", benefit, None
    for level in fw.levels:
        yield f"levels.{level.id}.description", f"{level.name}. {level.description}", None
    for method in fw.evidence_methods:
        yield f"evidence_methods.{method.id}", f"{method.name}. {method.description}", None
    for section in fw.sections:
        yield f"sections.{section.id}", f"{section.name}. {section.description}", None
    operations = [a.id for a in fw.practice_areas if a.section == "operations"]
    for area in fw.practice_areas:
        # "Standard 1 of the Elements": the standards are the operations areas, in order.
        number = {"standard_no": {operations.index(area.id) + 1}} if area.id in operations else None
        yield f"areas.{area.id}", f"{area.name}. {area.description}", number
        for ind in area.indicators:
            # A practice's own wording holds no process data: any number in it is an exception.
            text = " ".join((ind.title, ind.requires, *ind.evidence))
            yield f"indicator.{ind.id}", text, {}
    for note in fw.fees.notes:
        yield "fees.notes", note, None
    for criterion in fw.eligibility.criteria:
        yield f"eligibility.{criterion.id}", f"{criterion.question} {criterion.help}", None
    yield "eligibility", f"{fw.eligibility.if_not_eligible} {fw.eligibility.regions}", None
    for event in fw.events:
        yield f"events.{event.id}", f"{event.name}. {event.description}", None
    by_event = {m.done_when: m for m in fw.milestones if m.done_when}
    for m in fw.milestones:
        yield f"milestones.{m.id}", f"{m.title}. {m.description}", milestone_facts(m)
    for step in fw.steps:
        facts = None
        if step.event in by_event:
            facts = milestone_facts(by_event[step.event])
            if fw.visit and fw.visit.event == step.event:
                hours = {fw.visit.min_hours, fw.visit.max_hours} - {None}
                facts = _merge(facts, {"hours": {int(h) for h in hours if h}})
        yield f"steps.{step.event or step.title}", step.title, facts
    if fw.visit:
        yield "visit", f"{fw.visit.name}. {fw.visit.description}", None
    for report in fw.reports:
        yield f"reports.{report.id}", f"{report.title}. {report.description}", None
    if fw.plan:
        plan_facts = _merge(
            _marks(fw.plan.earliest),
            _marks(fw.plan.latest),
            {"priorities": {fw.plan.min_priorities, fw.plan.max_priorities}},
        )
        yield "plan", f"{fw.plan.name}. {fw.plan.description}", plan_facts
    if fw.statement:
        text = " ".join((fw.statement.title, fw.statement.signer, *fw.statement.confirms))
        yield "statement", text, None
    for total in fw.totals:
        yield "totals", total.description, None


def _value(token: str) -> int:
    return WORDS[token.lower()] if token.lower() in WORDS else int(token)


def numbers_in(text: str) -> Iterator[tuple[str, list[int], str | None]]:
    """(the phrase, its numbers, what they count: None when the word after is not a unit)."""
    for match in GROUP.finditer(text):
        tokens = re.findall(NUMBER, match["numbers"], re.IGNORECASE)
        unit = UNITS.get((match["unit"] or "").lower())
        if unit is None and not match["numbers"][0].isdigit():
            continue  # a number word in plain English ("one affiliate"), not a figure
        yield match.group(0).strip(), [_value(t) for t in tokens], unit


def mismatches(fw: Framework) -> list[str]:
    everywhere = global_facts(fw)
    unused = [(where, phrase) for where, phrase, _, _ in EXCEPTIONS]
    problems = []
    for where, text, scoped in prose(fw):
        text = " ".join(text.split())
        for exc_where, phrase, reason, holds in EXCEPTIONS:
            if where.startswith(exc_where) and phrase in text:
                assert holds(fw), f"{where}: {phrase!r} ({reason}) does not match the data"
                text = text.replace(phrase, " ")
                if (exc_where, phrase) in unused:
                    unused.remove((exc_where, phrase))
        for match in re.finditer(r"\bStandard (\d+)\b", text):
            if int(match[1]) not in (scoped or {}).get("standard_no", set()):
                problems.append(f"{where}: {match[0]!r}: not this standard's place in order")
        text = re.sub(r"\bStandard \d+\b", " ", text)
        for phrase, values, unit in numbers_in(text):
            if unit is None:
                problems.append(f"{where}: {phrase!r}: a number that counts nothing known")
                continue
            facts = everywhere if scoped is None else {**everywhere, **scoped}
            if where.startswith("indicator."):
                facts = {}
            wrong = [v for v in values if v not in facts.get(unit, set())]
            if wrong:
                problems.append(
                    f"{where}: {phrase!r}: {wrong} not among the data's {unit} "
                    f"{sorted(facts.get(unit, set()))}"
                )
    problems += [f"stale exception: {where}: {phrase!r}" for where, phrase in unused]
    return problems


def test_every_number_in_the_nqms_prose_matches_the_data() -> None:
    assert mismatches(get("nqms").framework) == []


def test_the_prose_check_finds_numbers_that_drift() -> None:
    fw = get("nqms").framework
    data = plain(fw)
    data["summary"] += " Staff contact the program within 3 weeks; the plan has 4-7 priorities."
    data["milestones"][1]["description"] += " Usually within 10 days or 5 weeks."
    data["notes"] = [*data["notes"], "The 91 items and the six sections."]
    data["practice_areas"][6]["description"] = "Standard 3 of the Elements: screening."
    problems = mismatches(framework_from(data))
    assert any("summary" in p and "'3 weeks'" in p for p in problems), problems
    assert any("summary" in p and "[4, 7]" in p for p in problems), problems
    assert any("milestones.staff_contact" in p and "'5 weeks'" in p for p in problems), problems
    assert any("milestones.staff_contact" in p and "10 days" in p for p in problems), problems
    assert any("'91 items'" in p for p in problems), problems
    assert any("'six sections'" in p for p in problems), problems
    assert any("areas.screening: 'Standard 3'" in p for p in problems), problems


def test_prose_numbers_are_read_as_written() -> None:
    found = list(numbers_in("at 3, 6, and 9 month marks, in six to eight weeks, 100% of A1-A5"))
    assert found == [
        ("3, 6, and 9 month", [3, 6, 9], "months"),
        ("six to eight weeks", [6, 8], "weeks"),
        ("100%", [100], "percent"),
    ]
    assert list(numbers_in("the 92-item list, EEPM 4th edition, to M92")) == [
        ("92-item", [92], "items")
    ]


# --- US English, one affiliate named only with attribution ---------------------------------------

UK_SPELLINGS = ["programme", "organisation", "prioritise", "behaviour", "colour", "centre"]


def test_nqms_is_written_in_us_english() -> None:
    text = NQMS_FILE.read_text(encoding="utf-8").lower()
    assert [word for word in UK_SPELLINGS if word in text] == []


def test_no_single_affiliate_is_named_outside_the_notes_and_attributions() -> None:
    fw = get("nqms").framework
    named = []
    for where, text, _ in prose(fw):
        if where == "notes":
            continue
        text = " ".join(text.split())
        # The partner levels are attributed to their scheme, as data the affiliate replaces.
        text = text.replace("(MENTOR Minnesota's partner levels; the affiliate decides)", "")
        if re.search(r"MENTOR (Independence|Minnesota|IR\b)", text):
            named.append(where)
    assert named == []
    assert "MENTOR Independence Region" in " ".join(fw.notes)


def test_level_descriptions_do_not_assert_the_program_qualifies() -> None:
    for level in get("nqms").framework.levels:
        flat = " ".join(level.description.split())
        assert flat.startswith(f"Meets the criteria mentorqa models for an {level.name}") or (
            flat.startswith(f"Meets the criteria mentorqa models for a {level.name}")
        )
        assert "(MENTOR Minnesota's partner levels; the affiliate decides)" in flat
