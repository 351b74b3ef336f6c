"""The roll-up's outputs: the JSON data, markdown, one HTML page with a chart, CSV, and the
de-identified facts rows.

Pure formatters. :func:`data` is the one place figures are built (with the suppression rules of
:mod:`mentorqa.rollup`); every other output is drawn from its document, so no format can show a
figure the JSON hides. Names shown come from the framework file, never from a workspace.
"""

from __future__ import annotations

import csv
import io
import json
from html import escape
from typing import Any

from ..frameworks.model import Framework
from ..rollup import (
    Rollup,
    Summary,
    Tally,
    Totals,
    cells_shown,
    count_shown,
    mean_shown,
    median_shown,
    on_scale,
    scale_of,
    share_shown,
)
from ..values import SCHEMA_VERSION, as_cell

FORMATS = ("md", "html", "csv", "json")
HIDDEN = "—"  # what a suppressed figure reads as in md and html
FACTS_HEADER = (
    "token",
    "framework",
    "framework_version",
    "indicator",
    "area",
    "level",
    "status",
    "met",
    "rating",
    "month",
    "reached",
)


# --- the data -------------------------------------------------------------------------------


def data(totals: Totals, k: int, excluded: int) -> dict[str, Any]:
    """The roll-up as the JSON document ``rollup --json`` prints (``None`` is suppressed)."""
    fw = totals.framework
    n = totals.programs
    return {
        "schema_version": SCHEMA_VERSION,
        "framework": fw.id,
        "framework_version": fw.version,
        "programs": n,
        "excluded": excluded,
        "min_group": k,
        "levels": [
            {"id": level.id, "reached": count_shown(count, n, k)}
            for level, count in zip(fw.levels, totals.reached, strict=True)
        ],
        "areas": [
            _tally(area.id, tally, n, k)
            for area, tally in zip(fw.practice_areas, totals.areas, strict=True)
        ],
        "indicators": [
            _tally(ind_id, tally, n, k)
            for ind_id, tally in zip(fw.indicator_index, totals.indicators, strict=True)
        ],
        "ratings": _ratings(totals, k),
        "timeliness": _timeliness(totals, k),
    }


def _tally(item_id: str, tally: Tally, n: int, k: int) -> dict[str, Any]:
    return {
        "id": item_id,
        "programs": count_shown(tally.programs, n, k),
        "share_met": share_shown(
            tally.met, tally.judgements, tally.met_programs, tally.unmet_programs, k
        ),
        "mean_rating": mean_shown(tally.rating_sum, tally.ratings, tally.rated_programs, k),
    }


def _ratings(totals: Totals, k: int) -> dict[str, Any] | None:
    scale = totals.scale
    if scale is None:
        return None  # the framework rates nothing
    values = range(scale[0], scale[1] + 1)
    cells = {
        v: (totals.rating_judgements[v], totals.rating_programs[v], totals.other_programs[v])
        for v in values
    }
    rated = totals.rating_judgements.total() if totals.rated_programs >= k else None
    shown = cells_shown(cells, k) if rated is not None else dict.fromkeys(values)
    return {
        "min": scale[0],
        "max": scale[1],
        "programs": count_shown(totals.rated_programs, totals.programs, k),
        "judgements": rated,
        "counts": {str(v): shown[v] for v in values},
    }


def _timeliness(totals: Totals, k: int) -> dict[str, Any]:
    fw = totals.framework
    starts = {c.start_event for c in fw.cycles} or {fw.events[0].id if fw.events else ""}
    return {
        event.id: {
            "programs": count_shown(days.total(), totals.programs, k),
            "median_days": median_shown(days, k),
        }
        for event, days in zip(fw.events, totals.days, strict=True)
        if event.id not in starts
    }


# --- markdown and HTML ----------------------------------------------------------------------


def _cell(text: object) -> str:
    """A table cell: markdown's special characters shown as written, on one line (the same
    escaping as every report's table cells)."""
    from .sandbox import cell

    return str(cell(text))


def _share(value: float | None) -> str:
    return HIDDEN if value is None else f"{value * 100:.1f}%"


def _plain(value: object) -> str:
    return HIDDEN if value is None else str(value)


def _figures(item: dict[str, Any]) -> list[str]:
    return [_plain(item["programs"]), _share(item["share_met"]), _plain(item["mean_rating"])]


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
    ]


def markdown(document: dict[str, Any], fw: Framework) -> str:
    """The roll-up as a markdown page."""
    k, n = document["min_group"], document["programs"]
    areas = {a.id: a.name for a in fw.practice_areas}
    area_of = {i: a.id for i, (a, _) in fw.indicator_index.items()}
    lines = [
        f"# Roll-up: {_cell(fw.name)}",
        "",
        f"{n} programs, framework version {_cell(fw.version)}; " + _excluded(document["excluded"]),
        "",
        f"{HIDDEN} marks a hidden figure: fewer than {k} programs contribute to it, or a count "
        f"has fewer than {k} programs outside it. No program is named or can be singled out.",
        "",
        "## Levels",
        "",
        *_table(
            ["Level", "Programs that reached it"],
            [[_cell(fw.level(lv["id"]).name), _plain(lv["reached"])] for lv in document["levels"]],
        ),
        "## Practice areas",
        "",
        *_table(
            ["Practice area", "Programs", "Share met", "Mean rating"],
            [[_cell(areas[a["id"]]), *_figures(a)] for a in document["areas"]],
        ),
        "## Indicators",
        "",
        *_table(
            ["Indicator", "Practice area", "Programs", "Share met", "Mean rating"],
            [
                [_cell(i["id"]), _cell(areas[area_of[i["id"]]]), *_figures(i)]
                for i in document["indicators"]
            ],
        ),
    ]
    ratings = document["ratings"]
    if ratings is not None:
        lines += [
            "## Ratings",
            "",
            f"{_plain(ratings['judgements'])} rated judgements from "
            f"{_plain(ratings['programs'])} programs.",
            "",
            *_table(
                ["Rating", "Judgements"],
                [[value, _plain(count)] for value, count in ratings["counts"].items()],
            ),
        ]
    lines += [
        "## Timeliness",
        "",
        *_table(
            ["Step", "Programs", "Median days from the start"],
            [
                [_cell(fw.event_names[event]), _plain(t["programs"]), _plain(t["median_days"])]
                for event, t in document["timeliness"].items()
            ],
        ),
    ]
    return "\n".join(lines) + "\n"


def _excluded(count: int) -> str:
    if count == 0:
        return "every workspace found could be read."
    return f"{count} workspace{' was' if count == 1 else 's were'} left out, unreadable."


def area_chart(document: dict[str, Any], fw: Framework) -> str:
    """Share met per practice area as an inline SVG bar chart (no script, every text escaped)."""
    from .charts import DONE, INK, TRACK, WIDTH

    names = {a.id: a.name for a in fw.practice_areas}
    label_w, bar_w, row_h = 260, WIDTH - 260 - 70, 22
    body: list[str] = []
    words: list[str] = []
    for n, area in enumerate(document["areas"]):
        y, share = 10 + n * row_h, area["share_met"]
        name = escape(names[area["id"]])
        shown = _share(share)
        body += [
            f'<text x="0" y="{y + 14}" font-size="12" fill="{INK}">{name}</text>',
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="14" fill="{TRACK}"/>',
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w * (share or 0):.1f}" height="14" '
            f'fill="{DONE}"/>',
            f'<text x="{label_w + bar_w + 8}" y="{y + 14}" font-size="12" fill="{INK}">'
            f"{escape(shown)}</text>",
        ]
        words.append(f"{name}: {'hidden' if share is None else shown}")
    height = 20 + len(document["areas"]) * row_h
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height}" '
        'width="100%" aria-labelledby="rt rd"><title id="rt">Share met per practice area</title>'
        f'<desc id="rd">{"; ".join(words)}.</desc>' + "".join(body) + "</svg>"
    )


def html(document: dict[str, Any], fw: Framework) -> str:
    """One self-contained HTML page: the markdown page, escaped, with the chart; no script."""
    from .report import to_html

    return to_html(markdown(document, fw), f"Roll-up: {fw.name}", (area_chart(document, fw),))


# --- CSV, JSON and the facts ----------------------------------------------------------------


def csv_text(document: dict[str, Any]) -> str:
    """Long-format CSV: one row per figure (``kind,id,measure,value``; empty when hidden)."""
    rows: list[list[object]] = [["kind", "id", "measure", "value"]]
    rows += [["programs", "", "programs", document["programs"]]]
    rows += [["level", lv["id"], "reached", lv["reached"]] for lv in document["levels"]]
    for kind in ("area", "indicator"):
        for item in document[f"{kind}s"]:
            rows += [
                [kind, item["id"], m, item[m]] for m in ("programs", "share_met", "mean_rating")
            ]
    ratings = document["ratings"]
    if ratings is not None:
        rows += [["ratings", "", m, ratings[m]] for m in ("programs", "judgements")]
        rows += [["rating", v, "judgements", c] for v, c in ratings["counts"].items()]
    for event, t in document["timeliness"].items():
        rows += [["timeliness", event, m, t[m]] for m in ("programs", "median_days")]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [["" if v is None else v for v in row] for row in rows]
    )
    return out.getvalue()


def render(result: Rollup, fmt: str) -> str:
    """The roll-up in ``fmt``: one of :data:`FORMATS`."""
    document = result.to_dict()
    if fmt == "json":
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return csv_text(document)
    if fmt == "html":
        return html(document, result.framework)
    return markdown(document, result.framework)


def facts_rows(fw: Framework, summary: Summary, token: str) -> list[list[str]]:
    """One workspace's rows of the facts file, one per indicator, under a random ``token``.

    A status the framework does not know is written as ``other``: a hand-edited status is free
    text and could hold anything. Dates are given to the month only.
    """
    reached = [lv.id for lv, got in zip(fw.levels, summary.reached, strict=True) if got]
    statuses = fw.status_labels
    scale = scale_of(fw)
    rows = []
    for (ind_id, (area, ind)), judged in zip(
        fw.indicator_index.items(), summary.indicators, strict=True
    ):
        status = judged.status if judged.status in statuses or not judged.status else "other"
        rating = judged.rating
        rows.append(
            [
                token,
                fw.id,
                str(as_cell(fw.version)),  # free text: a workspace's own framework file sets it
                ind_id,
                area.id,
                ind.level,
                status,
                ("true" if judged.met else "false") if judged.status else "",
                str(rating) if on_scale(rating, scale) else "",
                judged.month,
                reached[-1] if reached else "",
            ]
        )
    return rows
