"""``mentorqa export`` and ``mentorqa import``: spreadsheets in and out."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from ..errors import UsageError
from ..views import output_format
from ..workspace import open_workspace
from ._common import JsonOption, WorkspaceOption, out, print_json, write_output
from .declare import Argument, Option


class SheetFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


def export(
    output: Annotated[
        Path | None,
        Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to this file (.xlsx or .csv) instead of stdout ('-': stdout).",
        ),
    ] = None,
    fmt: Annotated[
        SheetFormat | None,
        Option("--format", help="xlsx or csv. Default: from the -o file's extension, else csv."),
    ] = None,
    bom: Annotated[
        bool | None,
        Option(
            "--bom/--no-bom",
            help="Start a csv file with a UTF-8 byte order mark, so that Excel reads accents "
            "and symbols right. Default: yes in a file, no on stdout.",
            show_default=False,
        ),
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Export every indicator, with both judgements and the evidence, to xlsx or csv.

    One row per indicator of every level. The xlsx workbook has drop-downs of the framework's
    statuses and ratings, a timeline sheet and, where the framework has one, a plan sheet. Edit
    the judgement columns and bring them back with 'mentorqa import'."""
    from .. import sheets
    from ..views.terminal import esc

    ws = open_workspace(workspace)
    to_stdout = output is None or str(output) == "-"
    formats = tuple(f.value for f in SheetFormat)
    chosen = output_format(
        fmt.value if fmt is not None else None, output, formats, "csv" if to_stdout else None
    )
    if chosen == "xlsx" and to_stdout and sys.stdout.isatty():
        raise UsageError("an xlsx workbook is not for the terminal; give -o FILE.xlsx")
    data = sheets.export(ws, chosen, bom=not to_stdout if bom is None else bom)
    write_output(ws, output if output is not None else Path("-"), data)
    if not to_stdout:
        out.print(f"Wrote {esc(output)} ({len(ws.framework.indicator_index)} indicators)")


def import_(
    file: Annotated[
        Path,
        Argument(
            metavar="FILE",
            help="An xlsx workbook (its first sheet) or a csv file.",
            show_default=False,
        ),
    ],
    dry_run: Annotated[
        bool, Option("--dry-run", help="Say what would change; write nothing.")
    ] = False,
    json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Bring judgements in from a spreadsheet with the columns 'export' writes.

    Columns are found by name, in any order, in any case; others are ignored. A non-empty
    status, rating or note sets that part of the service's judgement, assessor_status,
    assessor_rating and assessor_note the assessor's; an empty cell leaves it as it is. The
    whole file is checked first: any bad cell is reported with its place and nothing is written.
    """
    from ..views.terminal import esc
    from ..views.text import wrapped

    ws = open_workspace(workspace)
    done = ws.import_sheet(file, dry_run=dry_run)
    if json:
        print_json(done.to_dict())
        return
    out.print(esc(done.summary))
    sys.stdout.write(wrapped(done.lines(), out.width))
