"""Values users type: dates, amounts, "today". Each parser raises :class:`UsageError`."""

from __future__ import annotations

import datetime as dt
import math
import os
import re

from .errors import MentorqaError, UsageError
from .layout import MANIFEST_VERSION

# Dates a mentoring service can mean. Far-off years are typing slips (2062 for 2026 stays
# possible) and would overflow the date arithmetic of timelines, so they are refused on entry.
# The layout version of every --json document (and of docs/json/): it goes up by one only on a
# change that could break a program reading them (a key removed, renamed or given a new meaning).
SCHEMA_VERSION = 1

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def has_control(text: str) -> bool:
    """Whether ``text`` holds a control character: no file path does (a NUL is no name any
    system accepts), and a tab or line break in one would break the evidence table's lines."""
    return _CONTROL.search(text) is not None


def no_control(path: str) -> str:
    """``path`` unchanged, or a ValueError when it holds a control character."""
    if has_control(path):
        raise ValueError("a file path may not hold control characters; write the path as it is")
    return path


def known_layout(version: int) -> int:
    """``version`` unchanged, or a ValueError when it is no manifest layout this mentorqa knows."""
    if not 1 <= version <= MANIFEST_VERSION:
        raise ValueError(
            f"layout {version} is not one this mentorqa knows (1 to {MANIFEST_VERSION}); a "
            "newer mentorqa wrote it: upgrade mentorqa (pip install -U mentorqa)"
        )
    return version


EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)


def plausible(day: dt.date) -> dt.date:
    """``day`` unchanged, or a ValueError when it lies outside EARLIEST_DATE..LATEST_DATE."""
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(
            f"{day.isoformat()} is outside {EARLIEST_DATE.year}-{LATEST_DATE.year}; check the year"
        )
    return day


_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str, what: str = "date") -> dt.date:
    """A date written YYYY-MM-DD, within the plausible range."""
    cleaned = text.strip()
    try:
        day = dt.date.fromisoformat(cleaned)
    except ValueError:
        raise UsageError(_date_problem(cleaned, what)) from None
    try:
        return plausible(day)
    except ValueError as exc:
        raise UsageError(f"{what} {exc}") from None


def _date_problem(text: str, what: str) -> str:
    if _ISO_SHAPE.match(text):
        return f"{what} '{text}' is not a real date; check the day and month"
    if match := _DAY_FIRST.match(text):
        first, second, year = (int(g) for g in match.groups())
        for day, month in ((first, second), (second, first)):
            try:
                guess = dt.date(year, month, day)
            except ValueError:
                continue
            return f"{what} '{text}' is not written year-month-day; did you mean '{guess}'?"
    return f"{what} '{text}' is not a date like 2026-03-01 (year-month-day)"


def today() -> dt.date:
    """Today's date; ``MENTORQA_TODAY`` (YYYY-MM-DD) fixes it for examples and tests."""
    fixed = os.environ.get("MENTORQA_TODAY")
    if fixed:
        try:
            return plausible(dt.date.fromisoformat(fixed))
        except ValueError:
            raise MentorqaError(
                f"MENTORQA_TODAY must be a date like 2026-03-01 between {EARLIEST_DATE.year} and "
                f"{LATEST_DATE.year}, not '{fixed}'"
            ) from None
    return dt.date.today()


_AMOUNT = re.compile(r"^[£$€¥]?\s*([0-9]{1,3}(?:[,_][0-9]{3})+|[0-9]+)(\.[0-9]+)?$")
# Turnovers and fees beyond this are typing slips, and would overflow money formatting.
LARGEST_AMOUNT = 10**24


def parse_amount(text: str, what: str = "amount") -> int | float:
    """A non-negative amount such as ``120000``, ``£120,000`` or ``120_000.50``.

    Anything else (negative, not a number, infinite, absurdly large) is a usage error. Whole
    amounts stay whole and exact: a recorded turnover reads 200000, not 200000.0.
    """
    cleaned = text.strip()
    match = _AMOUNT.match(cleaned)  # [0-9] is ASCII digits only
    if not match:
        raise UsageError(
            f"{what} '{text}' is not a plain non-negative number; write it like 120000, "
            "120,000 or £120,000"
        )
    digits = match.group(1).replace(",", "").replace("_", "")
    value: int | float
    if match.group(2) is None or not match.group(2).strip(".0"):
        value = int(digits)
    else:
        value = float(digits + match.group(2))
    if not math.isfinite(value) or value > LARGEST_AMOUNT:
        raise UsageError(f"{what} '{text}' is too large")
    return value


def visible(text: str) -> str:
    """Control characters (ESC, NUL...) shown as escapes, so data cannot steer a terminal or a
    log; line breaks are kept (each output decides what a line break may do)."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == "\n" else repr(ch)[1:-1] for ch in text)


# What a spreadsheet reads as a formula (a leading =, +, -, @, tab or CR, after any quotes).
FORMULA = re.compile(r"'*[=+\-@\t\r]")


def as_cell(value: object) -> object:
    """A value for a CSV or xlsx cell: text a spreadsheet would run as a formula gets a
    leading quote; anything else is written as it is."""
    return f"'{value}" if isinstance(value, str) and FORMULA.match(value) else value
