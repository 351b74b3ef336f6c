"""An RFC 5545 calendar of the dated milestones, with UIDs stable across exports."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

from ..assessment import Assessment


def render_ics(result: Assessment) -> str:
    """One all-day event per dated milestone.

    Each UID comes from the service, framework and milestone ids, so importing a newer export
    updates the events instead of adding copies.
    """
    from icalendar import Calendar, Event

    fw, service = result.framework, result.manifest.service.name
    calendar = Calendar()
    calendar.add("prodid", "-//mentorqa//mentorqa timeline//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _text(f"{service}: {fw.name}"))
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
        calendar.add_component(event)
    return bytes(calendar.to_ical()).decode("utf-8")


def _text(value: str) -> str:
    """One line of text that RFC 5545 allows: control characters and line breaks as spaces."""
    return " ".join(_CONTROL.sub(" ", value).split())


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
