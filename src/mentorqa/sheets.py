"""Spreadsheets in and out: a workspace's indicators, timeline and plan written as xlsx or csv
(``mentorqa export``), and a framework file built from an indicator list (``mentorqa frameworks
import``). Reading a sheet's cells as a person meant them lives with the import of judgements
(:mod:`mentorqa.recording.sheets`) and is re-exported here.

Pure apart from file I/O. openpyxl is imported only inside the functions that read or write
xlsx, so no other command pays for it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import plain, results
from .errors import Problem, UsageError, fold, unknown
from .frameworks.model import Framework
from .recording.sheets import JUDGEMENT_COLUMNS, Table, cell, read_table, text, word
from .values import as_cell, today

__all__ = ["COLUMNS", "JUDGEMENT_COLUMNS", "Table", "build_framework", "export", "read_table"]

if TYPE_CHECKING:
    from .assessment import Assessment
    from .workspace import Workspace

# The columns of an export, in the contract's order; import reads the judgement columns.
COLUMNS = (
    "indicator",
    "area",
    "level",
    "title",
    "method",
    "status",
    "rating",
    "note",
    "assessor_status",
    "assessor_rating",
    "assessor_note",
    "evidence",
)
WIDTHS = (14, 16, 12, 44, 16, 14, 8, 40, 16, 10, 40, 36)
WRAPPED = {"title", "note", "assessor_note", "evidence"}
BOM = b"\xef\xbb\xbf"

# --- writing ----------------------------------------------------------------------------------


def indicator_rows(assessed: Assessment) -> list[list[object]]:
    """One row per indicator of the framework, every level, in the columns of :data:`COLUMNS`.

    Judgements come from the manifest as recorded, scheduled ones (dated after today) too, so
    that a sheet imported unchanged changes nothing."""
    recorded = assessed.manifest.indicators
    rows: list[list[object]] = []
    for r in assessed.indicators:
        record = recorded.get(r.id)
        row: list[object] = [r.id, r.area.id, r.level, r.title, r.method.id]
        for judgement in (record.self_, record.assessor) if record else (None, None):
            row += (
                [judgement.status, judgement.rating, judgement.note]
                if judgement
                else [None, None, None]
            )
        row.append("\n".join(e.file for e in r.evidence))
        rows.append(row)
    return rows


def _timeline_rows(assessed: Assessment) -> list[list[object]]:
    fields = ("id", "title", "due", "state", "owner", "done_on")
    milestones = results.Timeline(assessed).to_dict()["milestones"]
    return [list(fields), *([m[f] for f in fields] for m in milestones)]


def _plan_rows(assessed: Assessment) -> list[list[object]]:
    fields = ("goal", "area", "actions", "owner", "target")
    priorities = results.Plan(assessed).to_dict()["priorities"]
    return [
        ["priority", *fields],
        *(
            [n, *("\n".join(p[f]) if f == "actions" else p[f] for f in fields)]
            for n, p in enumerate(priorities, 1)
        ),
    ]


def export(ws: Workspace, fmt: str, *, bom: bool = True) -> bytes:
    """The workspace as an xlsx workbook or a csv file (``fmt``: 'xlsx' or 'csv')."""
    assessed = ws.assess()  # once, for every sheet
    rows: list[list[object]] = [list(COLUMNS), *indicator_rows(assessed)]
    if fmt == "csv":
        return to_csv(rows, bom=bom)
    sheets: dict[str, list[list[object]]] = {
        "indicators": rows,
        "timeline": _timeline_rows(assessed),
    }
    if ws.framework.plan is not None:
        sheets["plan"] = _plan_rows(assessed)
    return to_xlsx(sheets, ws)


def to_csv(rows: list[list[object]], *, bom: bool = True) -> bytes:
    """Rows as CSV (RFC 4180, CRLF as Excel writes it), UTF-8 with or without a BOM."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else _guard(v) for v in row])
    return (BOM if bom else b"") + buffer.getvalue().encode("utf-8")


def _guard(value: object) -> object:
    return as_cell(value)


def to_xlsx(sheets: dict[str, list[list[object]]], ws: Workspace) -> bytes:
    """A workbook: the indicators styled for work (frozen header, filters, widths, wrapped text,
    drop-downs of the framework's statuses and ratings), then the other sheets."""
    from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for line in sheet.iter_rows(min_row=2):
            for item in line:
                if isinstance(item.value, str):
                    item.data_type = "s"  # a note starting with '=' stays text, never a formula
        _style(sheet, [str(h) for h in rows[0]], len(rows))
    _drop_downs(book["indicators"], ws, len(sheets["indicators"]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _style(sheet: Any, header: list[str], count: int) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count}"
    for index, name in enumerate(header, 1):
        top = sheet.cell(row=1, column=index)
        top.font = Font(bold=True)
        top.fill = PatternFill("solid", fgColor="DDEBF7")
        letter = get_column_letter(index)
        wide = dict(zip(COLUMNS, WIDTHS, strict=True)).get(
            name, 40 if name in ("title", "goal", "actions") else 14
        )
        sheet.column_dimensions[letter].width = wide
        if name in WRAPPED or name in ("title", "goal", "actions"):
            for (item,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                item.alignment = Alignment(wrap_text=True, vertical="top")
        elif name in ("due", "done_on", "target"):
            for (item,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                item.number_format = "yyyy-mm-dd"


def _drop_downs(sheet: Any, ws: Workspace, count: int) -> None:
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped,unused-ignore]

    fw = ws.framework
    last = max(count, 2)

    def where(name: str) -> str:
        letter = get_column_letter(COLUMNS.index(name) + 1)
        return f"{letter}2:{letter}{last}"

    statuses = DataValidation(
        type="list",
        formula1='"' + ",".join(fw.status_labels) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Status",
        error=f"Choose one of {fw.id}'s statuses: {', '.join(fw.status_labels)}",
    )
    statuses.add(where("status"))
    statuses.add(where("assessor_status"))
    sheet.add_data_validation(statuses)
    scale = fw.judgement.rating
    if scale is not None:
        # A short scale is a drop-down, like the statuses; a long one a range check.
        short = scale.max - scale.min <= 20
        ratings = DataValidation(
            type="list" if short else "whole",
            operator=None if short else "between",
            formula1=(
                '"' + ",".join(str(n) for n in range(scale.min, scale.max + 1)) + '"'
                if short
                else str(scale.min)
            ),
            formula2=None if short else str(scale.max),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=scale.name,
            error=f"{scale.name}: a whole number from {scale.min} to {scale.max}",
        )
        ratings.add(where("rating"))
        ratings.add(where("assessor_rating"))
        sheet.add_data_validation(ratings)


# --- a framework from an indicator list --------------------------------------------------------

FRAMEWORK_COLUMNS = ("id", "area", "title", "level", "requires", "method", "evidence")


@dataclass(frozen=True)
class BuiltFramework:
    """A framework file made from a sheet: its YAML text and the validated framework."""

    text: str
    framework: Framework


def build_framework(
    table: Table, base: Framework, *, framework_id: str | None = None, version: str | None = None
) -> BuiltFramework:
    """A framework with the sheet's indicators (columns id, area, title, level, and optionally
    requires, method, evidence) and everything else from ``base``; checked like any framework
    file, every problem placed at its sheet row, the base's declared totals included."""
    columns = table.columns(["id", "area", "title", "level"], FRAMEWORK_COLUMNS)
    problems: list[Problem] = []
    areas: dict[str, list[dict[str, Any]]] = {area.id: [] for area in base.practice_areas}
    rows: dict[tuple[int, int], int] = {}  # (area, indicator) index -> sheet row
    seen: dict[str, int] = {}
    for index, row in table.body():
        found = _indicator_of(table, index, row, columns, base, problems)
        ind_id = fold(word(cell(row, columns["id"])))
        if ind_id and ind_id in seen:  # ids match case-insensitively: "a1" repeats "A1"
            first = table.place(seen[ind_id], columns["id"])
            problems.append(table.problem(index, columns["id"], f"the id is also in {first}"))
        seen.setdefault(ind_id, index)
        if found is not None:
            area_id, indicator = found
            rows[(list(areas).index(area_id), len(areas[area_id]))] = index
            areas[area_id].append(indicator)
    data = plain.data(base, changed_only=True)
    data.update(
        id=framework_id or base.id,
        version=version or f"{table.path.name}, on {base.id} {base.version}",
        wording="official",
        notes=[
            f"Indicators from {table.path.name} (built {today().isoformat()} with 'mentorqa "
            f"frameworks import'); everything else from {base.id} {base.version}."
        ],
    )
    for area in data["practice_areas"]:
        area["indicators"] = areas[area["id"]]
    framework = _validated(data, table, columns, rows, base, problems)
    if framework is None:
        raise UsageError(problems)
    return BuiltFramework(_yaml(data, table.path, base), framework)


def _indicator_of(
    table: Table,
    index: int,
    row: list[object],
    columns: dict[str, int],
    base: Framework,
    problems: list[Problem],
) -> tuple[str, dict[str, Any]] | None:
    """(area id, the indicator's data) from one row, or None with its problems recorded."""

    def choose(kind: str, options: dict[str, str]) -> str | None:
        given = word(cell(row, columns.get(kind)))
        names = {fold(name): key for key, name in options.items()} | {fold(k): k for k in options}
        if given and fold(given) in names:
            return names[fold(given)]
        message = unknown(kind, given, list(options)) if given else f"no {kind} in this row"
        problems.append(table.problem(index, columns.get(kind), message))
        return None

    before = len(problems)
    area = choose("area", {a.id: a.name for a in base.practice_areas})
    level = choose("level", {level.id: level.name for level in base.levels})
    methods = {m.id: m.name for m in base.evidence_methods}
    method = choose("method", methods) if word(cell(row, columns.get("method"))) else None
    if area is None or level is None or len(problems) > before:
        return None
    ind_id, title = word(cell(row, columns["id"])), text(cell(row, columns["title"]))
    same = base.indicator_index.get(ind_id)
    indicator = {
        "id": ind_id,
        "title": title,
        "requires": text(cell(row, columns.get("requires"))) or title,
        "level": level,
        # The area's own method is left implicit, as a hand-written framework file would.
        "method": None if method == base.practice_areas[_area_index(base, area)].method else method,
        "evidence": [e for e in text(cell(row, columns.get("evidence"))).split("\n") if e.strip()],
        "not_applicable": same[1].not_applicable if same else False,  # as the base allowed
    }
    return area, {k: v for k, v in indicator.items() if v not in (None, [], False)}


def _area_index(base: Framework, area_id: str) -> int:
    return next(n for n, a in enumerate(base.practice_areas) if a.id == area_id)


def _validated(
    data: dict[str, Any],
    table: Table,
    columns: dict[str, int],
    rows: dict[tuple[int, int], int],
    base: Framework,
    problems: list[Problem],
) -> Framework | None:
    """The framework ``data`` makes, or None with every problem placed at its sheet row."""
    from pydantic import ValidationError

    from .frameworks.validate import _counted, check
    from .store.yamlio import _error_loc, _friendly

    whole = not problems  # with rows left out, counts and empty areas say nothing

    def placed(loc: Sequence[str | int], message: str) -> Problem | None:
        if len(loc) >= 4 and loc[0] == "practice_areas" and loc[2] == "indicators":
            field = str(loc[4]) if len(loc) > 4 else "id"
            column = columns.get(field, columns["title"] if field == "requires" else None)
            return table.problem(rows[(int(loc[1]), int(loc[3]))], column, message)
        if not whole:
            return None
        if loc[:1] == ("practice_areas",) and len(loc) >= 2:
            area = base.practice_areas[int(loc[1])].id
            message = f"no row is in practice area '{area}'; each of {base.id}'s areas needs one"
        elif loc[:1] == ("totals",) and len(loc) >= 2 and framework is not None:
            total = base.totals[int(loc[1])]
            message = (
                f"{base.id} publishes {total.count} indicators"
                f"{f' ({total.description})' if total.description else ''}, but the sheet "
                f"has {_counted(framework, total)}; add or remove rows"
            )
        return Problem(message, table.path)

    from .spec import framework_from

    framework: Framework | None = None
    try:
        framework = framework_from(data)
        found = [placed(f.loc, f.message) for f in check(framework)]
    except ValidationError as exc:
        found = [placed(_error_loc(e), _friendly(e)) for e in exc.errors()]
    problems += [p for p in found if p is not None]
    return framework if not problems else None


def _yaml(data: dict[str, Any], source: Path, base: Framework) -> str:
    """The framework file's text, written by ruamel.yaml's YAML 1.2 emitter (so no value can
    read back as another type), and read back through the loader every framework goes through."""
    from ruamel.yaml import YAML

    from .frameworks import parse_framework

    emitter = YAML(typ="rt")
    emitter.width = 100
    emitter.indent(mapping=2, sequence=4, offset=2)
    buffer = io.StringIO()
    emitter.dump(data, buffer)
    head = (
        f"# Built by 'mentorqa frameworks import' from {source.name}, with everything but the\n"
        f"# indicators from {base.id} ({base.version}). Check it with\n"
        "# 'mentorqa frameworks validate FILE'.\n"
    )
    text = head + buffer.getvalue()
    parse_framework(text, source.with_suffix(".yaml"))  # the safety net: it must read back valid
    return text
