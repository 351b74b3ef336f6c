"""Evidence over time: documents that lapse, and new indicators that count only from their date."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

import mentorqa
from mentorqa.assessment import assess
from mentorqa.frameworks import get
from mentorqa.frameworks.model import Framework, Offset
from mentorqa.manifest import EvidenceFile, Manifest
from mentorqa.plain import data as plain
from mentorqa.rules.freshness import expires
from mentorqa.spec import framework_from, manifest_from

from ..conftest import TODAY, run

INSURANCE = "QIM-PP-A10"  # qim.yaml gives it a default validity of one year
AIMS = "QIM-SV-A01"  # no default validity


def workspace(tmp_path: Path) -> mentorqa.Workspace:
    ws = mentorqa.create_workspace(tmp_path / "ws", "qim", "Riverside")
    for name in ("insurance.pdf", "aims.pdf", "policy.pdf"):
        (ws.root / "evidence" / name).write_text(name, encoding="utf-8")
    return ws


@pytest.fixture
def on(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set today's date for the commands run next."""
    return lambda day: monkeypatch.setenv("MENTORQA_TODAY", day)


def codes(tmp_path: Path, today: str, *extra: str) -> tuple[int, list[str], str]:
    import os

    os.environ["MENTORQA_TODAY"] = today  # restored by the fixture's monkeypatch
    result = run("check", "--json", *extra, "-w", str(tmp_path / "ws"))
    document = json.loads(result.stdout)
    return result.exit_code, [f["code"] for f in document["warnings"]], result.stderr


def test_a_document_given_a_last_day_warns_before_and_after_it(tmp_path: Path, on: Any) -> None:
    on(TODAY)  # the fixture restores the date afterwards
    ws = workspace(tmp_path)
    ws.add_evidence(AIMS, ws.root / "evidence" / "aims.pdf", valid_until=date(2026, 9, 30))
    # More than the 60-day window before: nothing to say.
    assert codes(tmp_path, "2026-07-01")[1] == []
    # Within the window: MQA206; check passes, --strict fails on the warning.
    code, found, _ = codes(tmp_path, "2026-08-15")
    assert (code, found) == (0, ["MQA206"])
    assert codes(tmp_path, "2026-08-15", "--strict")[0] == 1
    # The last valid day itself is still valid; the day after, MQA205.
    assert codes(tmp_path, "2026-09-30")[1] == ["MQA206"]
    code, found, _ = codes(tmp_path, "2026-10-01", "--strict")
    assert (code, found) == (1, ["MQA205"])
    text = run("check", "-w", str(ws.root))
    assert "mentorqa.yaml:" in text.stderr and "expired on 2026-09-30" in text.stderr


def test_the_frameworks_default_validity_counts_from_the_day_recorded(
    tmp_path: Path, on: Any
) -> None:
    on(TODAY)  # the fixture restores the date afterwards
    ws = workspace(tmp_path)
    ws.add_evidence(INSURANCE, ws.root / "evidence" / "insurance.pdf")  # recorded on TODAY
    recorded = date.fromisoformat(TODAY)
    last_day = recorded.replace(year=recorded.year + 1) - timedelta(days=1)
    shown = ws.indicator(INSURANCE).to_dict()
    assert shown["evidence"][0]["expires"] == last_day
    listed = json.loads(run("evidence", "list", "--json", "-w", str(ws.root)).stdout)
    assert listed["evidence"][0]["expires"] == last_day.isoformat()
    later = (last_day + timedelta(days=1)).isoformat()
    assert codes(tmp_path, later)[1] == ["MQA205"]
    # A date of the document's own wins over the framework's default.
    ws.add_evidence(INSURANCE, ws.root / "evidence" / "insurance.pdf", valid_until=date(2030, 1, 1))
    assert codes(tmp_path, later)[1] == []


def test_status_show_and_the_calendar_say_what_lapses(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    ws.add_evidence(AIMS, ws.root / "evidence" / "aims.pdf", valid_until=date(2026, 6, 1))
    status = ws.status().to_dict()
    assert status["evidence_expiring"] == [
        {
            "indicator": AIMS,
            "file": "evidence/aims.pdf",
            "expires": date(2026, 6, 1),
            "expired": False,
            "days_left": (date(2026, 6, 1) - date.fromisoformat(TODAY)).days,
        }
    ]
    shown = run("status", "-w", str(ws.root)).stdout
    assert "Evidence that lapses" in shown and "valid until 2026-06-01" in shown
    assert "valid until 2026-06-01" in run("show", AIMS, "-w", str(ws.root)).stdout
    ics = tmp_path / "plan.ics"
    assert run("timeline", "--ics", str(ics), "-w", str(ws.root)).exit_code in (0, 1)
    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    lapse = [e for e in events if str(e["uid"]).startswith("evidence-")]
    assert len(lapse) == 1 and lapse[0].decoded("dtstart") == date(2026, 6, 1)
    alarm = lapse[0].walk("VALARM")[0]
    assert alarm.decoded("trigger") == -timedelta(days=60)


def test_a_last_day_already_past_is_refused(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    result = run(
        "evidence",
        "add",
        AIMS,
        "evidence/aims.pdf",
        "--valid-until",
        "2020-01-01",
        "-w",
        str(ws.root),
    )
    assert result.exit_code == 2 and "in the past" in result.stderr
    assert "aims.pdf" not in ws.path.read_text(encoding="utf-8")


@settings(max_examples=60, deadline=None)
@given(
    recorded=st.dates(date(2000, 1, 1), date(2100, 12, 31)),
    offset=st.builds(
        Offset,
        years=st.integers(0, 5),
        months=st.integers(0, 24),
        weeks=st.integers(0, 10),
        days=st.integers(1, 400),
    ),
)
def test_default_validity_ends_the_day_before_the_offset_comes_round(
    recorded: date, offset: Offset
) -> None:
    _, indicator = get("qim").framework.indicator_index[INSURANCE]
    rule = indicator.replace(valid_for=offset)
    item = EvidenceFile(file="evidence/x.pdf", sha256="0" * 64, size=1, recorded=recorded)
    end = expires(item, rule)
    assert end is not None and end >= recorded
    assert expires(item.replace(valid_until=recorded), rule) == recorded


# --- upcoming indicators -----------------------------------------------------------------------


def with_upcoming(indicator: str, day: date) -> Framework:
    data: dict[str, Any] = plain(get("qim").framework)
    for area in data["practice_areas"]:
        for item in area["indicators"]:
            if item["id"] == indicator:
                item["upcoming"] = day
    return framework_from(data)


def all_award_met_but(framework: Framework, left_out: str) -> Manifest:
    award = [i.id for _, i in framework.indicators_up_to("award") if i.id != left_out]
    return manifest_from(
        {
            "framework": "qim",
            "service": {"name": "T"},
            "dates": {e: date(2026, 6, 1) for e in framework.level("award").rule.events},
            "indicators": {i: {"self": {"status": "met"}} for i in award},
        }
    )


@pytest.mark.parametrize(
    ("today", "reached"), [(date(2026, 12, 31), True), (date(2027, 1, 1), False)]
)
def test_an_upcoming_indicator_counts_only_from_its_date(today: date, reached: bool) -> None:
    framework = with_upcoming(AIMS, date(2027, 1, 1))
    result = assess(framework, all_award_met_but(framework, AIMS), today)
    award = result.level("award")
    assert award.achieved is reached
    assert [r.id for r in result.unmet if r.level == "award"] == ([] if reached else [AIMS])
    # It is shown all along, with its date.
    shown = next(r for r in result.indicators if r.id == AIMS)
    assert shown.indicator.upcoming == date(2027, 1, 1)


def test_status_names_the_new_indicators_not_yet_counted(tmp_path: Path) -> None:
    ws = mentorqa.create_workspace(tmp_path / "ws", "qim", "Riverside")
    folder = ws.root / "frameworks"
    folder.mkdir()
    text = get("qim").path.read_text(encoding="utf-8")
    text = text.replace(
        f"      - id: {AIMS}\n", f"      - id: {AIMS}\n        upcoming: 2030-01-01\n"
    )
    (folder / "qim.yaml").write_text(text, encoding="utf-8")
    shown = run("status", "-w", str(ws.root))
    assert f"New indicators, not yet counted: {AIMS} (from 2030-01-01)" in shown.stdout
    # Nor is it counted among a practice area's indicators, done or to do.
    assert re.search(r"The Service\s+0/8\s", shown.stdout), shown.stdout
    assert "counts towards levels from 2030-01-01" in run("show", AIMS, "-w", str(ws.root)).stdout
