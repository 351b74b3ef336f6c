"""Text a user wrote, in the places the review found it was not yet escaped for: the terminal (a
trailing backslash), GitHub workflow commands (control characters), the calendar's name
(iCalendar TEXT) and the roll-up's facts file (spreadsheet formulas)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from icalendar import Calendar
from rich.console import Console

from mentorqa.assessment import assess
from mentorqa.frameworks import get
from mentorqa.rollup import Judged, Summary
from mentorqa.rules.findings import Finding
from mentorqa.spec import manifest_from
from mentorqa.views.github import command
from mentorqa.views.ics import render_ics
from mentorqa.views.rollup import facts_rows
from mentorqa.views.terminal import esc


@pytest.mark.parametrize("written", ["a\\", "a\\\\", "| a | b |\\", "[red]x\\", "plain"])
@pytest.mark.parametrize("around", ["{}", "[bold]{}[/]", "{} and more", "see {}"])
def test_terminal_text_shows_as_written_wherever_it_lands(written: str, around: str) -> None:
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(around.format(esc(written)))
    shown = console.file.getvalue().rstrip("\n")  # type: ignore[attr-defined]
    assert shown == around.replace("[bold]", "").replace("[/]", "").format(written)


def test_a_workflow_command_carries_no_control_character() -> None:
    finding = Finding("MQA202", "deadline passed \x1b[31mred\x07 bell")
    line = command(finding)
    assert "\x1b" not in line and "\x07" not in line
    assert line.startswith("::warning ") and "\\x1b[31mred" in line


def test_the_calendar_name_is_escaped_as_text() -> None:
    manifest = manifest_from({"framework": "qim", "service": {"name": "a, b; c\\ d"}})
    ics = render_ics(assess(get("qim").framework, manifest, date(2026, 5, 15)))
    assert "X-WR-CALNAME:a\\, b\\; c\\\\ d: Quality in Mentoring" in ics
    assert Calendar.from_ical(ics)["VERSION"] == "2.0"  # and the calendar still parses


def test_a_facts_row_never_holds_a_spreadsheet_formula() -> None:
    fw = get("qim").framework
    hostile = fw.replace(version='=HYPERLINK("http://evil","x")')
    judged = tuple(Judged("", False, None, "") for _ in fw.indicator_index)
    summary = Summary(fw.id, hostile.version, judged, (False,) * len(fw.levels), ())
    rows = facts_rows(hostile, summary, "token")
    assert rows and all(not str(cell).startswith(("=", "+", "-", "@")) for r in rows for cell in r)
    assert rows[0][2] == "'" + hostile.version
