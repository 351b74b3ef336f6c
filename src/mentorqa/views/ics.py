"""An RFC 5545 calendar of the dated milestones, with UIDs stable across exports."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from ..assessment import Assessment
from ..frameworks.model import Offset
from ..rules import freshness


def render_ics(result: Assessment) -> str:
    """One all-day event per dated milestone.

    Each UID comes from the service, framework and milestone ids, so importing a newer export
    updates the events instead of adding copies.
    """
    from icalendar import Calendar, Event, vText

    fw, service = result.framework, result.manifest.service.name
    calendar = Calendar()
    calendar.add("prodid", "-//mentorqa//mentorqa timeline//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", vText(_text(f"{service}: {fw.name}")))  # escaped as TEXT
    stamp = datetime.combine(result.today, datetime.min.time(), tzinfo=UTC)
    seed = hashlib.sha256(f"{service}\0{fw.id}".encode()).hexdigest()[:16]
    for m in result.milestones:
        if m.due is None:
            continue
        event = Event()
        event.add("uid", f"{m.id}-{seed}@mentorqa")
        event.add("summary", _text(f"{fw.name}: {m.title}"))
        event.add("dtstart", m.due)
        event.add("dtend", m.due + timedelta(days=1))
        event.add("dtstamp", stamp)
        details = [m.description] if m.description else []
        details.append(f"Counts from: {m.after_name}. State on {result.today}: {m.state}.")
        if m.earliest is not None:
            details.append(f"Window opens {m.earliest.isoformat()}.")
        event.add("description", "\n".join(_text(d) for d in details))
        event.add("transp", "TRANSPARENT")
        if m.state == "done":
            event.add("status", "CONFIRMED")
        elif m.owner == "service" and not m.is_marker:
            event.add_component(_alarm(fw.reminder_before, f"{fw.name}: {m.title}"))
        calendar.add_component(event)
    for event in _lapses(result, seed, stamp):
        calendar.add_component(event)
    return bytes(calendar.to_ical()).decode("utf-8")


def _lapses(result: Assessment, seed: str, stamp: datetime) -> list[Any]:
    """An event on the last valid day of each document that lapses, with a reminder before."""
    from icalendar import Event

    fw, events = result.framework, []
    for r in result.indicators:
        for item in r.evidence:
            end = freshness.expires(item, r.indicator)
            if end is None:
                continue
            key = hashlib.sha256(f"{r.id}\0{item.file}".encode()).hexdigest()[:16]
            title = _text(f"{fw.name}: last day {item.file} is valid ({r.id})")
            event = Event()
            event.add("uid", f"evidence-{key}-{seed}@mentorqa")
            event.add("summary", title)
            event.add("dtstart", end)
            event.add("dtend", end + timedelta(days=1))
            event.add("dtstamp", stamp)
            event.add(
                "description",
                _text(
                    f"Evidence for {r.id} {r.title}. Record a current copy with 'mentorqa "
                    f"evidence add {r.id} FILE --valid-until DATE'."
                ),
            )
            event.add("transp", "TRANSPARENT")
            if end >= result.today:
                event.add_component(_alarm(fw.expiry_warning, title))
            events.append(event)
    return events


def _alarm(before: Offset, what: str) -> Any:
    """A display reminder ``before`` the day (months as 30 days: a reminder, not a deadline)."""
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    days = before.years * 365 + before.months * 30 + before.weeks * 7 + before.days
    alarm.add("trigger", timedelta(days=-days))
    alarm.add("description", _text(what))
    return alarm


def _text(value: str) -> str:
    """One line of text that RFC 5545 allows: control characters and line breaks as spaces."""
    return " ".join(_CONTROL.sub(" ", value).split())


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
