"""Costs, eligibility and the timeline, through the real CLI and as properties."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from mentorqa.errors import UsageError
from mentorqa.frameworks import get
from mentorqa.rules.costs import quote
from mentorqa.rules.timeline import add_months
from mentorqa.values import parse_amount

from ..conftest import run

# --- cost ------------------------------------------------------------------------------------------

# The QiM fee table as published (frameworks-facts.md), written out here as test data, with the
# band edges of the revised decision: Befriending Networks' size categories (Small up to £100,999;
# Medium 1 £101,000-£350,999; Medium 2 £351,000-£750,999; Large £751,000 and over).
QIM_FEES = [
    ("0", "small", 200, 300, 500),
    ("99999", "small", 200, 300, 500),
    ("100000", "small", 200, 300, 500),
    ("£100,999", "small", 200, 300, 500),
    ("100999.99", "small", 200, 300, 500),
    ("101000", "medium_1", 200, 550, 750),
    ("£349,999", "medium_1", 200, 550, 750),
    ("350_000", "medium_1", 200, 550, 750),
    ("350,999", "medium_1", 200, 550, 750),
    ("351_000", "medium_2", 200, 650, 850),
    ("749999.99", "medium_2", 200, 650, 850),
    ("750000", "medium_2", 200, 650, 850),
    ("750,500", "medium_2", 200, 650, 850),
    ("750999", "medium_2", 200, 650, 850),
    ("750999.99", "medium_2", 200, 650, 850),
    ("751000", "large", 200, 750, 950),
    ("£751,000", "large", 200, 750, 950),
    ("10000000", "large", 200, 750, 950),
]


@pytest.mark.parametrize(("turnover", "band", "registration", "assessment", "total"), QIM_FEES)
def test_qim_cost_by_turnover(
    turnover: str, band: str, registration: int, assessment: int, total: int
) -> None:
    result = run("cost", "--framework", "qim", "--turnover", turnover, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["band"], data["registration"], data["assessment"], data["total"]) == (
        band,
        registration,
        assessment,
        total,
    )
    assert data["currency"] == "GBP"
    assert any("non-refundable" in note for note in data["notes"])


def test_cost_from_the_workspace_with_membership_years(qim_ws: Path) -> None:
    # Turnover 120,000 is Medium 1; membership for a not-for-profit of that size is £110 a year,
    # the first year included: 750 + 0 + 110 + 110.
    result = run("cost", "--years", "--json", "-w", qim_ws)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["band"] == "medium_1" and data["total"] == 750
    assert [y["total"] for y in data["years"]] == [750, 110, 110]
    assert data["period_total"] == 970
    text = run("cost", "--years", "-w", qim_ws).stdout
    assert "Medium 1" in text and "£750" in text and "£970" in text


def test_cost_sector_changes_membership(qim_ws: Path) -> None:
    assert run("service", "--sector", "private", "-w", qim_ws).exit_code == 0
    data = json.loads(run("cost", "--json", "-w", qim_ws).stdout)
    assert [y["total"] for y in data["years"]] == [750, 150, 150]
    # A public-sector body is Large whatever its turnover, for fees and membership.
    assert run("service", "--sector", "public", "-w", qim_ws).exit_code == 0
    data = json.loads(run("cost", "--json", "-w", qim_ws).stdout)
    assert (data["band"], data["total"]) == ("large", 950)
    assert [y["total"] for y in data["years"]] == [950, 225, 225]
    bad = run("service", "--sector", "charity", "-w", qim_ws)
    assert bad.exit_code == 2 and "not_for_profit" in bad.stderr and "public" in bad.stderr


def test_nqms_costs_nothing() -> None:
    result = run("cost", "--framework", "nqms", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total"] == 0 and data["free"] is True and data["currency"] == "USD"
    assert any("no monetary cost" in note.lower() for note in data["notes"])
    assert "costs nothing" in run("cost", "--framework", "nqms").stdout


@pytest.mark.parametrize("bad", ["-5", "lots", "1e999", "12,34", "nan", "inf", "£", "١٢٣"])
def test_cost_rejects_bad_amounts(bad: str) -> None:
    result = run("cost", "--framework", "qim", "--turnover", bad)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr


def test_qim_cost_needs_a_turnover(tmp_path: Path) -> None:
    result = run("cost", "--framework", "qim", cwd=tmp_path)
    assert result.exit_code == 2 and "--turnover" in result.stderr


@given(st.integers(min_value=0, max_value=10**12))
@settings(max_examples=200, deadline=None)
def test_every_turnover_falls_in_exactly_one_band(turnover: int) -> None:
    fw = get("qim").framework
    q = quote(fw, float(turnover))
    assert q.band is not None
    matching = [
        b
        for b in fw.fees.bands
        if b.turnover_from <= turnover and (b.turnover_below is None or turnover < b.turnover_below)
    ]
    assert matching == [q.band]
    assert q.total == q.band.registration + q.band.assessment


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["", "£", "$"]))
@settings(max_examples=200, deadline=None)
def test_amounts_round_trip_with_separators(value: int, symbol: str) -> None:
    assert parse_amount(f"{symbol}{value}") == value
    assert parse_amount(f"{symbol}{value:,}") == value
    assert parse_amount(f"{value:_}") == value


@given(st.text(max_size=12))
def test_any_text_is_a_number_or_a_usage_error(text: str) -> None:
    try:
        value = parse_amount(text)
    except UsageError:
        return
    assert value >= 0 and value != float("inf")
    assert all(ch in "0123456789" for ch in text if ch.isdigit())  # plain digits only


# --- eligibility ---------------------------------------------------------------------------------


def test_eligibility_answers_are_recorded(qim_ws: Path) -> None:
    result = run("eligibility", "--json", "-w", qim_ws)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["eligible"] is False
    assert len(data["criteria"]) == 5
    assert all(c["answer"] is None for c in data["criteria"])

    ids = [c["id"] for c in data["criteria"]]
    answers = [a for i in ids for a in ("--answer", f"{i}=yes")]
    result = run("eligibility", *answers, "--json", "-w", qim_ws)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["eligible"] is True

    result = run("eligibility", "--answer", "membership=no", "-w", qim_ws)
    assert result.exit_code == 1
    assert "Befriending Networks" in result.stdout  # what to do when not eligible
    manifest = (qim_ws / "mentorqa.yaml").read_text()
    assert "membership: false" in manifest and "vulnerable_people: true" in manifest


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        ("nope=yes", "unknown eligibility criterion 'nope'"),
        ("one_year", "is not ID=yes or ID=no"),
        ("vulnerable_people=maybe", "is not ID=yes or ID=no"),
    ],
)
def test_eligibility_rejects_bad_answers(qim_ws: Path, answer: str, words: str) -> None:
    before = (qim_ws / "mentorqa.yaml").read_text()
    result = run("eligibility", "--answer", answer, "-w", qim_ws)
    assert result.exit_code == 2 and words in result.stderr
    assert (qim_ws / "mentorqa.yaml").read_text() == before


# --- timeline ------------------------------------------------------------------------------------


def timeline(ws: Path) -> dict[str, dict]:
    result = run("timeline", "--json", "-w", ws)
    assert result.exit_code == 0, result.stderr
    return {m["id"]: m for m in json.loads(result.stdout)["milestones"]}


def test_qim_timeline_from_registration(qim_ws: Path) -> None:
    # Registration 2026-03-01; today 2026-05-15.
    ms = timeline(qim_ws)
    assert ms["first_area"]["due"] == "2026-05-01"
    assert ms["first_area"]["state"] == "overdue"
    assert ms["evidence_complete"]["due"] == "2026-09-01"
    assert ms["evidence_complete"]["state"] == "upcoming"
    assert ms["award_expires"]["state"] == "waiting" and ms["award_expires"]["due"] is None

    assert run("event", "first_area_uploaded", "2026-04-20", "-w", qim_ws).exit_code == 0
    assert run("event", "award", "2026-10-30", "-w", qim_ws).exit_code == 0
    ms = timeline(qim_ws)
    assert ms["first_area"]["state"] == "done"
    assert ms["award_expires"]["due"] == "2029-10-30"
    assert ms["reaccreditation_reminder"]["due"] == "2029-03-30"


def test_nqms_timeline_windows_and_check_ins(
    nqms_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Access 2026-02-02: the self-assessment is due in a 6-8 week window.
    ms = timeline(nqms_ws)
    assert (ms["self_assessment"]["earliest"], ms["self_assessment"]["due"]) == (
        "2026-03-16",
        "2026-03-30",
    )
    assert ms["review"]["state"] == "waiting"
    for event, day in [
        ("submission", "2026-03-20"),
        ("review", "2026-04-24"),
        ("plan_agreed", "2026-04-30"),
    ]:
        assert run("event", event, day, "-w", nqms_ws).exit_code == 0
    ms = timeline(nqms_ws)
    assert (ms["review"]["earliest"], ms["review"]["due"]) == ("2026-04-17", "2026-05-01")
    assert ms["review"]["state"] == "done"
    assert [ms[f"check_in-{n}"]["due"] for n in (1, 2, 3)] == [
        "2026-07-30",
        "2026-10-30",
        "2027-01-30",
    ]
    assert ms["mini_review"]["due"] == "2027-04-30"
    assert ms["reassessment"]["due"] == "2029-04-24"
    assert run("event", "check_in-1", "2026-07-28", "-w", nqms_ws).exit_code == 0
    # A date after today is scheduled: it counts as done only from that day on.
    assert timeline(nqms_ws)["check_in-1"]["state"] == "scheduled"
    monkeypatch.setenv("MENTORQA_TODAY", "2026-07-28")
    assert timeline(nqms_ws)["check_in-1"]["state"] == "done"


def test_unknown_event_and_bad_date(qim_ws: Path) -> None:
    result = run("event", "party", "2026-04-01", "-w", qim_ws)
    assert result.exit_code == 2 and "unknown event 'party'" in result.stderr
    result = run("event", "visit", "2026-02-30", "-w", qim_ws)
    assert result.exit_code == 2 and "2026-02-30" in result.stderr


def test_timeline_writes_a_calendar_that_parses(qim_ws: Path) -> None:
    ics = qim_ws / "deadlines.ics"
    assert run("timeline", "--ics", ics, "-w", qim_ws).exit_code == 0
    calendar = Calendar.from_ical(ics.read_bytes())
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    dated = [m for m in timeline(qim_ws).values() if m["due"]]
    assert len(events) == len(dated)
    first = next(e for s, e in events.items() if "practice area" in s.lower())
    assert first.decoded("dtstart") == date(2026, 5, 1)
    # Same workspace, same calendar: UIDs are stable so calendar apps update, not duplicate.
    again = qim_ws / "again.ics"
    run("timeline", "--ics", again, "-w", qim_ws)
    assert sorted(
        str(e["uid"]) for e in Calendar.from_ical(again.read_bytes()).walk("VEVENT")
    ) == sorted(str(e["uid"]) for e in events.values())


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        ("2026-01-31", 1, "2026-02-28"),  # no 31 February: the month's last day
        ("2028-01-31", 1, "2028-02-29"),  # leap year
        ("2027-12-31", 2, "2028-02-29"),  # across a year end into a leap February
        ("2026-08-31", 6, "2027-02-28"),
        ("2026-03-01", 2, "2026-05-01"),  # the contract's example
        ("2028-02-29", 12, "2029-02-28"),
    ],
)
def test_month_ends_and_leap_years(tmp_path: Path, start: str, months: int, due: str) -> None:
    assert add_months(date.fromisoformat(start), months) == date.fromisoformat(due)
    if months == 2:  # through the CLI: QiM's first practice area is due 2 months on
        ws = tmp_path / "ws"
        assert run("init", ws, "-f", "qim", "-n", "S", "--start", start).exit_code == 0
        assert timeline(ws)["first_area"]["due"] == due


@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31)),
    st.integers(min_value=0, max_value=600),
)
@settings(max_examples=300)
def test_add_months_is_calendar_months(start: date, months: int) -> None:
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == start.day or (end.day < start.day and (end + timedelta(days=1)).day == 1)


def test_fees_not_published_are_unknown_not_nothing() -> None:
    """QiB's and APS's fees are not in mentorqa's sources: cost says to ask, never '£0'."""
    for framework, owner in (("qib", "Befriending Networks"), ("aps", "NCVO")):
        text = run("cost", "--framework", framework)
        assert text.exit_code == 0, text.stderr
        assert "not published" in text.stdout and owner in text.stdout
        assert "costs nothing" not in text.stdout and "£0" not in text.stdout
        document = json.loads(run("cost", "--framework", framework, "--json").stdout)
        assert document["known"] is False and document["free"] is False
        assert document["total"] is None and document["registration"] is None
    free = json.loads(run("cost", "--framework", "nqms", "--json").stdout)
    assert free["known"] is True and free["free"] is True and free["total"] == 0
