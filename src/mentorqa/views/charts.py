"""Charts for the HTML and PDF reports, as inline SVG built here: no script, nothing fetched,
every text escaped, and a text alternative (title and description) for each."""

from __future__ import annotations

from datetime import date
from html import escape

from ..assessment import Assessment

WIDTH = 640
# Colours that stay distinct when printed in grey: dark for done, mid for the rest, light track.
DONE, PART, TRACK, INK, TODAY = "#1f5f8b", "#7a9cb8", "#e4e9ee", "#1b1b1b", "#b03a2e"
STATE = {
    "done": DONE,
    "scheduled": PART,
    "overdue": TODAY,
    "upcoming": "#c08a1e",
    "waiting": "#9aa5ae",
}


def _svg(key: str, height: int, title: str, description: str, body: list[str]) -> str:
    """An SVG with its text alternative; ``key`` keeps ids unique when a page has several."""
    label = escape(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" aria-labelledby="{key}-title {key}-desc">'
        f'<title id="{key}-title">{label}</title>'
        f'<desc id="{key}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 12) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{INK}" '
        f'text-anchor="{anchor}">{escape(text)}</text>'
    )


def area_progress(result: Assessment) -> str:
    """Per practice area and level: how many indicators count as met, as bars."""
    fw = result.framework
    rows: list[tuple[str, int, int]] = []
    for found in result.areas:
        counted = [(lv.name, *found.count(lv.id)) for lv in fw.levels]
        counted = [row for row in counted if row[2]]
        for level_name, met, total in counted:
            # The level is named only where an area has indicators of several levels.
            name = f"{found.area.name} · {level_name}" if len(counted) > 1 else found.area.name
            rows.append((name, met, total))
    label_w, bar_w, row_h = 300, WIDTH - 300 - 60, 22
    body: list[str] = []
    words: list[str] = []
    for n, (name, met, total) in enumerate(rows):
        y = 10 + n * row_h
        filled = bar_w * met / total
        body += [
            _text(0, y + 14, name, size=11 if len(name) > 42 else 12),
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="14" fill="{TRACK}"/>',
            f'<rect x="{label_w}" y="{y + 3}" width="{filled:.1f}" height="14" fill="{DONE}"/>',
            _text(label_w + bar_w + 8, y + 14, f"{met}/{total}"),
        ]
        words.append(f"{name}: {met} of {total} met")
    return _svg(
        "area-progress",
        20 + len(rows) * row_h,
        "Progress per practice area",
        "; ".join(words) + ".",
        body,
    )


def quality(result: Assessment) -> str:
    """Mean rating per practice area on the framework's scale (NQMS: implementation quality)."""
    scale = result.framework.judgement.rating
    if scale is None:
        return ""
    label_w, bar_w, row_h = 300, WIDTH - 300 - 60, 22
    body: list[str] = []
    words: list[str] = []
    for n, found in enumerate(result.areas):
        y = 10 + n * row_h
        mean = found.average_rating
        share = 0.0 if mean is None else (mean - scale.min) / (scale.max - scale.min)
        body += [
            _text(0, y + 14, found.area.name),
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="14" fill="{TRACK}"/>',
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w * share:.1f}" height="14" '
            f'fill="{PART}"/>',
            _text(label_w + bar_w + 8, y + 14, "—" if mean is None else f"{mean:.1f}"),
        ]
        words.append(f"{found.area.name}: {'no rating' if mean is None else f'{mean:.1f}'}")
    return _svg(
        "quality",
        20 + len(result.areas) * row_h,
        f"Mean {scale.name.lower()} per area ({scale.min} to {scale.max})",
        "; ".join(words) + ".",
        body,
    )


def timeline(result: Assessment) -> str:
    """The dated milestones on a line, with their states and today marked."""
    dated = [m for m in result.milestones if m.due is not None]
    if not dated:
        return ""
    days = [m.due for m in dated if m.due is not None] + [result.today]
    first, last = min(days), max(days)
    span = max((last - first).days, 1)
    left, right = 20, WIDTH - 20

    def x(day: date) -> float:
        return left + (right - left) * (day - first).days / span

    row_h = 20
    body = [f'<line x1="{left}" y1="30" x2="{right}" y2="30" stroke="{INK}" stroke-width="1"/>']
    words = []
    for n, m in enumerate(dated):
        assert m.due is not None
        y = 56 + n * row_h
        colour = STATE.get(m.state, PART)
        anchor = "end" if x(m.due) > WIDTH * 0.6 else "start"
        shift = -8 if anchor == "end" else 8
        body += [
            f'<circle cx="{x(m.due):.1f}" cy="30" r="5" fill="{colour}"/>',
            f'<line x1="{x(m.due):.1f}" y1="35" x2="{x(m.due):.1f}" y2="{y - 4}" '
            f'stroke="{colour}" stroke-dasharray="2 2"/>',
            _text(x(m.due) + shift, y, f"{m.due.isoformat()} {m.title} ({m.state})", anchor, 11),
        ]
        words.append(f"{m.title}: {m.due.isoformat()}, {m.state}")
    now = x(result.today)
    body += [
        f'<line x1="{now:.1f}" y1="14" x2="{now:.1f}" y2="46" stroke="{TODAY}" stroke-width="2"/>',
        _text(now, 11, f"today {result.today.isoformat()}", "middle", 11),
    ]
    return _svg(
        "timeline",
        70 + len(dated) * row_h,
        "Timeline",
        f"Today is {result.today.isoformat()}. " + "; ".join(words) + ".",
        body,
    )


CHARTS = {"area_progress": area_progress, "timeline": timeline, "quality": quality}
