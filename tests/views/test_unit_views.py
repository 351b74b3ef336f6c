"""The views on Python objects: plain-data builders against golden JSON files, and the JUnit,
calendar and terminal views, with no CLI.

Golden files live in tests/views/golden/. After a deliberate change of a document, rewrite them
with ``MENTORQA_UPDATE_GOLDEN=1 python -m pytest tests/views/test_unit_views.py`` and read the
diff before keeping it.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from rich.console import Console

from mentorqa.assessment import Assessment, assess
from mentorqa.frameworks import get
from mentorqa.results import Verdict, verdict
from mentorqa.rules.costs import quote
from mentorqa.rules.evidence import FileState
from mentorqa.spec import manifest_from
from mentorqa.views import data, terminal, text
from mentorqa.views.ics import render_ics
from mentorqa.views.junit import render_junit

GOLDEN = Path(__file__).parent / "golden"
TODAY = date(2026, 6, 15)
QIM = get("qim").framework
NQMS = get("nqms").framework


def assert_golden(name: str, doc: Any) -> None:
    """``doc`` as stable JSON equals tests/views/golden/unit_NAME.json (or rewrites it when
    MENTORQA_UPDATE_GOLDEN=1)."""
    rendered = json.dumps(doc, indent=2, default=str, sort_keys=True) + "\n"
    path = GOLDEN / f"unit_{name}.json"
    if os.environ.get("MENTORQA_UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
        return
    assert path.is_file(), f"{path} is missing: write it with MENTORQA_UPDATE_GOLDEN=1"
    assert rendered == path.read_text(encoding="utf-8"), f"{path.name} differs"


def doc(file: str, note: str = "") -> dict[str, Any]:
    return {
        "file": file,
        "sha256": "ab" * 32,
        "size": 2048,
        "recorded": date(2026, 4, 10),
        "note": note,
    }


# --- two small fixed workspaces ----------------------------------------------------------------

QIM_RECORDS: dict[str, Any] = {
    "framework": "qim",
    "service": {
        "name": "Riverside Mentoring",
        "organisation": "Riverside Trust",
        "turnover": 180000,
        "sector": "not_for_profit",
    },
    "dates": {
        "registration": date(2026, 3, 2),
        "first_area_uploaded": date(2026, 4, 14),
        "visit": date(2026, 6, 10),
        "evidence_complete": date(2026, 7, 1),  # after today: scheduled
    },
    "eligibility": {"vulnerable_people": True, "mentoring_role": True, "membership": False},
    "indicators": {
        "QIM-SV-A01": {
            "self": {"status": "met", "note": "Aims on p.3"},
            "evidence": [doc("evidence/business-plan.pdf", "Aims on p.3")],
        },
        "QIM-SV-A02": {  # its file has gone
            "self": {"status": "met"},
            "evidence": [doc("evidence/referral-criteria.pdf")],
        },
        "QIM-SV-A03": {"self": {"status": "met"}},  # met without evidence
        "QIM-PP-A01": {  # its file changed
            "self": {"status": "partly-met", "note": "Review date missing"},
            "evidence": [doc("evidence/safeguarding.pdf")],
        },
        "QIM-SM-A04": {"self": {"status": "not-met", "note": "No paid staff yet"}},
        "QIM-MTE-A01": {
            "assessor": {
                "status": "met",
                "note": "Mentee described their own goals",
                "date": date(2026, 6, 10),
            }
        },
        "QIM-MTE-A02": {
            "self": {"status": "met"},
            "assessor": {"status": "not-met", "date": date(2026, 6, 10)},
        },
    },
    "interviews": [
        {
            "role": "mentee",
            "pseudonym": "Mentee A",
            "date": date(2026, 6, 10),
            "minutes": 18,
            "indicators": ["QIM-MTE-A01"],
        },
        {
            "role": "mentor",
            "pseudonym": "Mentor B",
            "name": "Jo Bloggs",  # no consent: reports and warnings keep to the pseudonym
            "date": date(2026, 6, 10),
            "minutes": 25,  # longer than normal
            "indicators": ["QIM-MTR-A01"],
        },
    ],
    "case_studies": [
        {
            "kind": "mentee_journey",
            "title": "Referral to a planned ending",
            "indicators": ["QIM-MTE-A01"],
        }
    ],
    "visit": {"mode": "remote"},
    "areas": {
        "mentee_journey": {
            "strengths": ["Warm, well-paced matching"],
            "suggestions": ["Record review dates in one place"],
        }
    },
}
QIM_FILES: dict[str, FileState] = {
    "evidence/referral-criteria.pdf": "missing",
    "evidence/safeguarding.pdf": "changed",
}

NQMS_RECORDS: dict[str, Any] = {
    "framework": "nqms",
    "service": {"name": "Northside Youth Mentoring", "organisation": "Northside Youth"},
    "dates": {
        "access": date(2026, 2, 2),
        "submission": date(2026, 3, 23),
        "staff_contact": date(2026, 4, 1),
        "review": date(2026, 5, 5),
        "documents_received": date(2026, 5, 15),
        "plan_agreed": date(2026, 6, 1),
        "statement_signed": date(2026, 6, 1),
    },
    "eligibility": {
        "one_year": True,
        "youth_18": True,
        "mentoring_connector": True,
        "staff_capacity": True,
    },
    "indicators": {
        "A1": {"self": {"status": "met", "rating": 4, "note": "Logic model in place"}},
        "A2": {"self": {"status": "not-met", "rating": 2}},
        "B6": {"self": {"status": "not-applicable"}},
        "C8": {
            "self": {"status": "met", "rating": 5},
            "evidence": [doc("evidence/staff-handbook.pdf")],
        },
    },
    "plan": {
        "strengths": ["Thorough mentor screening"],
        "improvements": ["Use evaluation data in planning"],
        "priorities": [
            {
                "area": "evaluation_use",
                "goal": "Run an annual participant survey",
                "actions": ["Draft the survey", "Report results to the board"],
                "owner": "Program director",
                "target": date(2027, 3, 31),
            },
            {
                "area": "training",
                "goal": "Refresh mentor training",
                "actions": ["Add a session on closure"],
                "target": date(2027, 1, 31),
            },
            {
                "area": "matching",
                "goal": "Review matching criteria",
                "actions": ["Analyse match length"],
                "owner": "Match coordinator",
                "target": date(2028, 6, 30),  # after the plan's horizon
            },
        ],
    },
    "statement": {"name": "Dana Reyes", "role": "Executive Director"},
}


@functools.cache
def qim_result(today: date = TODAY) -> Assessment:
    return assess(QIM, manifest_from(QIM_RECORDS), today, files=QIM_FILES)


@functools.cache
def nqms_result(today: date = TODAY) -> Assessment:
    return assess(NQMS, manifest_from(NQMS_RECORDS), today)


# --- plain-data builders against golden files ------------------------------------------------


def test_status_documents() -> None:
    assert_golden("status_qim", data.status(qim_result()))
    assert_golden("status_nqms", data.status(nqms_result()))


def test_timeline_documents() -> None:
    assert_golden("timeline_qim", data.timeline(qim_result()))
    assert_golden("timeline_nqms", data.timeline(nqms_result()))


def test_check_documents() -> None:
    found = verdict(qim_result())
    assert_golden("check_qim", data.check(found.errors, found.warnings, found.ok))
    asked = verdict(nqms_result(), level=NQMS.level_ids[0])
    assert_golden("check_nqms_dedicated", data.check(asked.errors, asked.warnings, asked.ok))
    assert found.to_dict() == data.check(found.errors, found.warnings, found.ok)


def test_cost_documents() -> None:
    records = qim_result().manifest.service
    assert_golden("quote_qim", data.quote(quote(QIM, records.turnover, records.sector)))
    assert_golden("quote_nqms", data.quote(quote(NQMS, None)))


def test_eligibility_plan_and_evidence_documents() -> None:
    assert_golden("eligibility_qim", data.eligibility(qim_result()))
    assert_golden("plan_nqms", data.plan(nqms_result()))
    assert_golden("evidence_qim", data.evidence(qim_result(), dict(QIM_FILES), None))


def test_framework_documents() -> None:
    assert_golden("framework_nqms", data.framework(NQMS))
    listed = data.frameworks([get("nqms"), get("qim")])
    for entry in listed["frameworks"]:  # where the package is installed differs per machine
        entry["path"] = Path(entry["path"]).name
    assert_golden("frameworks", listed)


# --- JUnit -------------------------------------------------------------------------------------


def junit(found: Verdict) -> str:
    """The JUnit document ``check --junit`` writes for ``found``."""
    return render_junit(found.assessment, found.findings, found.strict)


def junit_cases(xml: str) -> tuple[ET.Element, dict[str, tuple[str, str]]]:
    """The suite, and each case's name -> (outcome, the message or the failure type)."""
    suite = ET.fromstring(xml)
    cases: dict[str, tuple[str, str]] = {}
    for case in suite.iter("testcase"):
        failure, skipped = case.find("failure"), case.find("skipped")
        if failure is not None:
            cases[case.get("name", "")] = ("failed", failure.get("type", ""))
        elif skipped is not None:
            cases[case.get("name", "")] = ("skipped", skipped.get("message", ""))
        else:
            cases[case.get("name", "")] = ("passed", "")
    return suite, cases


def outcome(cases: dict[str, tuple[str, str]], ind_id: str) -> tuple[str, str]:
    return next(v for name, v in cases.items() if name.split(" ", 1)[0] == ind_id)


def test_junit_has_one_case_per_indicator_with_its_outcome() -> None:
    result = qim_result()
    suite, cases = junit_cases(junit(verdict(result)))
    indicator_cases = [n for n in cases if n.split(" ", 1)[0] in QIM.indicator_index]
    assert len(indicator_cases) == len(QIM.indicator_index)
    assert outcome(cases, "QIM-SV-A01") == ("passed", "")
    assert outcome(cases, "QIM-MTE-A01") == ("passed", "")  # the assessor's 'met'
    assert outcome(cases, "QIM-SV-A02") == ("failed", "MQA111")  # met, but its file is gone
    assert outcome(cases, "QIM-SV-A03") == ("failed", "MQA110")
    assert outcome(cases, "QIM-PP-A01") == ("skipped", "partly met")  # a warning only
    assert outcome(cases, "QIM-SM-A04") == ("skipped", "not met")
    assert outcome(cases, "QIM-MTE-A02") == ("skipped", "not met")  # the assessor's 'not met'
    assert outcome(cases, "QIM-SV-A04") == ("skipped", "not yet judged")
    # Every other indicator is unjudged; workspace-wide warnings get passing cases of their own.
    states = [v[0] for v in cases.values()]
    assert states.count("passed") == 2 + 2  # two indicators, the MQA203 and MQA204 cases
    assert states.count("failed") == 2
    assert suite.get("tests") == str(len(cases))
    assert suite.get("failures") == "2"
    assert suite.get("skipped") == str(states.count("skipped"))
    assert suite.get("errors") == "0"
    changed = next(c for c in suite.iter("testcase") if c.get("name", "").startswith("QIM-PP-A01"))
    assert "MQA201" in (changed.findtext("system-out") or "")


def test_junit_skips_what_is_not_applicable() -> None:
    _suite, cases = junit_cases(junit(verdict(nqms_result())))
    assert outcome(cases, "B6") == ("skipped", "not applicable")


def test_junit_fails_warnings_when_strict() -> None:
    suite, cases = junit_cases(junit(verdict(qim_result(), strict=True)))
    assert outcome(cases, "QIM-PP-A01") == ("failed", "MQA201")
    assert cases["MQA203 interview longer than is normal"] == ("failed", "MQA203")
    assert suite.get("failures") == "5"


DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def test_junit_case_names_hold_no_dates() -> None:
    def names(records: dict[str, Any], today: date) -> list[str]:
        m = manifest_from(records)
        return list(junit_cases(junit(verdict(assess(QIM, m, today))))[1])

    assert names(QIM_RECORDS, TODAY) == names(QIM_RECORDS, date(2026, 6, 30))
    # With deadlines passed, the findings name their dates; the cases still do not.
    late = {**QIM_RECORDS, "dates": {"registration": date(2026, 3, 2)}}
    first, second = names(late, date(2026, 9, 15)), names(late, date(2026, 12, 1))
    assert first == second
    assert "MQA202 deadline passed" in first
    assert not [n for n in first if DATE.search(n)]


HOSTILE = "\x1b[31m<b>&amp; \x00\x07 ]]> \"'"


def test_junit_parses_whatever_the_records_hold() -> None:
    records = json.loads(json.dumps(NQMS_RECORDS, default=str))
    records["service"]["name"] = f"Northside {HOSTILE}"
    records["indicators"]["A1"]["self"]["note"] = HOSTILE
    records["indicators"][f"Z9{HOSTILE}"] = {"self": {"status": "met"}}  # unknown indicator
    records["plan"]["priorities"][2]["goal"] = HOSTILE  # named in MQA132's message
    records["dates"]["statement_signed"] = "2026-06-20"
    m = manifest_from(records)
    xml = junit(verdict(assess(NQMS, m, TODAY)))
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]", xml)
    suite, cases = junit_cases(xml)
    unknown = [n for n in cases if n.endswith("(unknown indicator)")]
    assert unknown == ["Z9\ufffd[31m<b>&amp; \ufffd\ufffd ]]> \"' (unknown indicator)"]
    assert cases[unknown[0]] == ("failed", "MQA101")
    messages = [f.get("message", "") for f in suite.iter("failure")]
    assert any("<b>&amp;" in msg and "MQA132" in msg for msg in messages)


# --- calendar ----------------------------------------------------------------------------------


def uids(result: Assessment) -> list[str]:
    calendar = Calendar.from_ical(render_ics(result))
    return [str(event["uid"]) for event in calendar.walk("VEVENT")]


def test_calendar_parses_with_stable_unique_uids() -> None:
    for make in (qim_result, nqms_result):
        first, again, later = make(), make.__wrapped__(), make(date(2026, 11, 1))
        dated = [m for m in first.milestones if m.due is not None]
        assert uids(first) == uids(again) == uids(later)
        lapsing = [u for u in uids(first) if u.startswith("evidence-")]
        assert len(set(uids(first))) == len(dated) + len(lapsing) and dated
    events = Calendar.from_ical(render_ics(qim_result())).walk("VEVENT")
    milestones = [e for e in events if not str(e["uid"]).startswith("evidence-")]
    due = {m.due for m in qim_result().milestones if m.due is not None}
    assert {event.decoded("dtstart") for event in milestones} == due


def test_calendar_reminds_before_the_services_deadlines_and_lapsing_evidence() -> None:
    result = qim_result()
    events = {str(e["uid"]): e for e in Calendar.from_ical(render_ics(result)).walk("VEVENT")}
    for m in result.milestones:
        if m.due is None:
            continue
        event = next(e for uid, e in events.items() if uid.startswith(f"{m.id}-"))
        alarms = event.walk("VALARM")
        wanted = m.owner == "service" and m.state != "done" and not m.is_marker
        assert len(alarms) == (1 if wanted else 0), m.id
        if alarms:
            assert alarms[0].decoded("trigger") == -timedelta(weeks=2)
    lapsing = [e for uid, e in events.items() if uid.startswith("evidence-")]
    expected = [
        (r.id, item.file)
        for r in result.indicators
        for item in r.evidence
        if r.indicator.valid_for is not None or item.valid_until is not None
    ]
    assert len(lapsing) == len(expected) > 0
    assert all("is valid" in str(e["summary"]) for e in lapsing)


def test_calendar_copes_with_a_line_break_in_the_service_name() -> None:
    records = {**QIM_RECORDS, "service": {**QIM_RECORDS["service"], "name": "Riverside\nNorth"}}
    result = assess(QIM, manifest_from(records), TODAY)
    Calendar.from_ical(render_ics(result))


# --- terminal text -----------------------------------------------------------------------------


def printed(markup: str) -> str:
    out = io.StringIO()
    Console(file=out, force_terminal=False, width=200).print(markup)
    return out.getvalue()


def test_escaped_text_prints_literally() -> None:
    shown = printed(esc := terminal.esc("[/] \x1b[31m"))
    assert "\x1b" not in shown and "\x1b" not in esc
    assert shown == "[/] \\x1b[31m\n"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("[bold]Riverside[/bold]", "[bold]Riverside[/bold]"),
        ("[link=https://example.org]x[/link]", "[link=https://example.org]x[/link]"),
        ("ends with a backslash \\", "ends with a backslash \\"),
        ("\\[i]not italic", "\\[i]not italic"),
        ("nul\x00 bell\x07 tab\t", "nul\\x00 bell\\x07 tab\\t"),
        ("two\nlines", "two\nlines"),
    ],
)
def test_escaped_text_inside_markup_shows_as_recorded(value: str, shown: str) -> None:
    assert printed(f"[bold]{terminal.esc(value)}[/] [i]after[/i]") == f"{shown} after\n"


def test_the_commands_show_emoji_codes_as_written(tmp_path: Path) -> None:
    # The CLI's consoles never turn ':warning:' into an emoji, so a name shows as recorded.
    from ..conftest import run

    assert run("init", tmp_path / "ws", "-f", "qim", "-n", ":warning: Riverside").exit_code == 0
    shown = run("status", "-w", tmp_path / "ws").stdout
    assert shown.startswith(":warning: Riverside")


def test_terminal_status_shows_a_hostile_service_name_as_text() -> None:
    records = {**QIM_RECORDS, "service": {**QIM_RECORDS["service"], "name": f"[red]{HOSTILE}"}}
    result = assess(QIM, manifest_from(records), TODAY)
    out = io.StringIO()
    console = Console(file=out, force_terminal=False, width=200)
    for line in text.status(result):
        console.print(line)
    shown = out.getvalue()
    assert "\x1b" not in shown and "\x00" not in shown
    assert "[red]\\x1b[31m<b>&amp;" in shown


def test_dates_move_with_today() -> None:
    # The same records a day apart: only 'today' and the days left differ in the documents.
    before, after = data.timeline(qim_result()), data.timeline(qim_result(TODAY + timedelta(1)))
    assert after["today"] == TODAY + timedelta(1)
    assert [m["days_left"] for m in after["milestones"]] == [
        None if m["days_left"] is None else m["days_left"] - 1 for m in before["milestones"]
    ]
