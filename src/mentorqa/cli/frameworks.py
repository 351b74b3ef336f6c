"""``mentorqa frameworks``: list, show and validate framework files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from rich.console import Console

from ..errors import ExitCode, FrameworkError
from ..frameworks import discover, get, parse_framework
from ..store.files import find_root
from ..store.text import read_text
from ._common import (
    JsonOption,
    WorkspaceOption,
    err,
    out,
    print_json,
    report_error,
    show,
)
from .declare import Argument, Commands, Option


def _workspace_root(workspace: Path | None) -> Path | None:
    return find_root(workspace or Path.cwd(), must_exist=workspace is not None)


def list_(json: JsonOption = False, workspace: WorkspaceOption = None) -> None:
    """List every framework available.

    Bundled ones, those in the workspace's frameworks/ folder, and those in folders named in
    MENTORQA_FRAMEWORK_PATH."""
    from ..views import data, text

    found, problems = discover(_workspace_root(workspace))
    for problem in problems:
        err.line(f"skipped a broken framework file: {problem}", "warning:")
    if json:
        print_json(data.frameworks(found))
    else:
        show(text.frameworks(found))


def show_framework(
    framework_id: Annotated[str, Argument(metavar="ID", help="Framework id, e.g. qim.")],
    json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Show a framework's practice areas and indicators, with counts per level."""
    from ..views import data, text

    fw = get(framework_id, _workspace_root(workspace)).framework
    if json:
        print_json(data.framework(fw))
        return
    # At a terminal the tree fits the window; piped to a file, no title is cut off.
    (out if out.is_terminal else Console(highlight=False, width=1000, emoji=False)).print(
        text.framework(fw)
    )
    show(text.provenance(fw))


def validate(
    file: Annotated[
        Path, Argument(metavar="FILE", help="The framework (or mapping) file to check.")
    ],
) -> None:
    """Check a framework file, or a mapping file, and list every problem as FILE:LINE:COLUMN
    (exit 2 if any)."""
    from ..views.terminal import esc

    text = read_text(file)
    if text.lstrip().startswith("mentorqa_mapping") or "\nmentorqa_mapping:" in text:
        from ..frameworks.mappings import load_mapping

        found = load_mapping(file)
        out.print(
            f"{esc(file)}: valid mapping from '{esc(found.framework_from)}' to "
            f"'{esc(found.framework_to)}', {len(found.relations)} relations"
        )
        return
    try:
        fw = parse_framework(text, file)
    except FrameworkError as exc:
        report_error(exc)
        raise SystemExit(int(ExitCode.ERROR)) from None
    out.print(
        f"{esc(file)}: valid framework '{esc(fw.id)}' ({esc(fw.name)}), "
        f"{len(fw.indicator_index)} indicators in {len(fw.practice_areas)} practice areas"
    )


def import_(
    sheet: Annotated[
        Path,
        Argument(
            metavar="SHEET",
            help="The indicator list: an xlsx workbook (its first sheet) or a csv file with the "
            "columns id, area, title, level, and optionally requires, method, evidence.",
            show_default=False,
        ),
    ],
    base: Annotated[
        str,
        Option(
            "--base",
            metavar="ID|FILE",
            help="The framework (an id, or a framework file) that gives everything but the "
            "indicators: levels, methods, fees, deadlines, reports, totals.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        Option(
            "--output",
            "-o",
            metavar="FILE.yaml",
            help="The framework file to write.",
            show_default=False,
        ),
    ],
    framework_id: Annotated[
        str | None,
        Option(
            "--id",
            help="The new framework's id. Default: the base's (so it replaces "
            "the base in a workspace's frameworks/ folder).",
        ),
    ] = None,
    version: Annotated[
        str | None,
        Option(help="The new framework's version. Default: the base's, naming the sheet."),
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Build a framework file from an official indicator list in a spreadsheet.

    Areas, levels and methods are the base's, written as ids or names; 'evidence' holds one
    example per line. The result is checked like any framework file, with the base's published
    totals, and every problem points at its sheet row. Put the file in a workspace's
    frameworks/ folder to use its wording there."""
    from ..sheets import build_framework, read_table
    from ..store.files import write_output
    from ..views.terminal import esc

    root = _workspace_root(workspace)
    if Path(base).suffix in (".yaml", ".yml") and Path(base).is_file():
        from ..frameworks import load_framework

        base_fw = load_framework(Path(base))
    else:
        base_fw = get(base, root).framework
    built = build_framework(read_table(sheet), base_fw, framework_id=framework_id, version=version)
    # Never over the manifest: an output named mentorqa.yaml in a workspace is a slip.
    write_output(output, built.text, frozenset({root / "mentorqa.yaml"} if root else ()))
    fw = built.framework
    out.print(
        f"Wrote {esc(output)}: framework '{esc(fw.id)}' with {len(fw.indicator_index)} "
        f"indicators in {len(fw.practice_areas)} practice areas; everything else from "
        f"'{esc(base_fw.id)}'. Check it with 'mentorqa frameworks validate {esc(output)}'."
    )


app = Commands(
    {
        "list": list_,
        "show": show_framework,
        "validate": validate,
        "import": import_,
    },
    dict(
        help="List, show and validate assessment frameworks (the YAML files that declare practice "
        "areas, indicators, levels, fees and deadlines).",
        no_args_is_help=True,
    ),
)
