"""``mentorqa frameworks``: list, show and validate framework files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.tree import Tree

from ..frameworks import Framework, discover, get, parse_framework
from ..workspace import find_root
from ..yamlio import read_text
from ._common import JsonOption, WorkspaceOption, err, out, print_json, report_error

app = typer.Typer(
    help="List, show and validate assessment frameworks (the YAML files that declare practice "
    "areas, indicators, levels, fees and deadlines).",
    no_args_is_help=True,
)


def _workspace_root(workspace: Path | None) -> Path | None:
    return find_root(workspace or Path.cwd(), must_exist=workspace is not None)


@app.command("list")
def list_(json: JsonOption = False, workspace: WorkspaceOption = None) -> None:
    """List every framework available.

    Bundled ones, those in the workspace's frameworks/ folder, and those in folders named in
    MENTORQA_FRAMEWORK_PATH."""
    found, problems = discover(_workspace_root(workspace))
    for problem in problems:
        err.print(f"warning: skipped a broken framework file: {problem}", soft_wrap=True)
    if json:
        print_json(
            {
                "frameworks": [
                    {
                        "id": f.framework.id,
                        "name": f.framework.name,
                        "owner": f.framework.owner,
                        "version": f.framework.version,
                        "indicators": len(f.framework.indicator_index),
                        "levels": list(f.framework.level_ids),
                        "source": f.origin,
                        "path": str(f.path),
                    }
                    for f in found
                ]
            }
        )
        return
    # One short block per framework rather than a table: owners and names are long, and a
    # table squeezed into 80 columns (the width when piped) breaks words in half.
    for f in found:
        fw = f.framework
        levels = ", ".join(level.name for level in fw.levels)
        out.print(f"[bold]{fw.id}[/bold]  {escape(fw.name)} ({escape(fw.owner)})")
        out.print(
            f"      version {escape(fw.version)} · {len(fw.indicator_index)} indicators"
            f" · levels: {escape(levels)} · {f.origin}"
        )


def _show_json(fw: Framework) -> dict[str, object]:
    return {
        "id": fw.id,
        "name": fw.name,
        "owner": fw.owner,
        "version": fw.version,
        "levels": [{"id": level.id, "name": level.name} for level in fw.levels],
        "areas": [
            {
                "id": area.id,
                "name": area.name,
                "section": area.section,
                "method": area.method,
                "indicators": [
                    {
                        "id": ind.id,
                        "title": ind.title,
                        "level": ind.level,
                        "method": ind.method or area.method,
                        "requires": ind.requires,
                        "not_applicable": ind.not_applicable,
                    }
                    for ind in area.indicators
                ],
            }
            for area in fw.practice_areas
        ],
    }


@app.command()
def show(
    framework_id: Annotated[str, typer.Argument(metavar="ID", help="Framework id, e.g. qim.")],
    json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Show a framework's practice areas and indicators, with counts per level."""
    fw = get(framework_id, _workspace_root(workspace)).framework
    if json:
        print_json(_show_json(fw))
        return
    level_names = {level.id: level.name for level in fw.levels}
    methods = {method.id: method.name for method in fw.evidence_methods}
    totals = Counter(ind.level for _, ind in fw.indicator_index.values())
    summary = ", ".join(f"{totals[lid]} {level_names[lid]}" for lid in fw.level_ids)
    tree = Tree(f"[bold]{fw.name}[/] ({fw.id}, {fw.version}) by {fw.owner}: {summary}")
    for area in fw.practice_areas:
        counts = Counter(ind.level for ind in area.indicators)
        per_level = ", ".join(
            f"{counts[lid]} {level_names[lid]}" for lid in fw.level_ids if counts[lid]
        )
        branch = tree.add(
            f"[bold]{area.name}[/] [dim]({area.id})[/] — {per_level}; {methods[area.method]}"
        )
        for ind in area.indicators:
            method = f" [dim]· {methods[ind.method]}[/]" if ind.method else ""
            branch.add(f"{ind.id}  {ind.title} [dim]· {level_names[ind.level]}[/]{method}")
    # At a terminal the tree fits the window; piped to a file, no title is cut off.
    (out if out.is_terminal else Console(highlight=False, width=1000)).print(tree)


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The framework YAML file to check.")],
) -> None:
    """Check a framework file and list every problem as FILE:LINE:COLUMN (exit 2 if any)."""
    from ..errors import FrameworkError

    try:
        fw = parse_framework(read_text(file), file)
    except FrameworkError as exc:
        report_error(exc)
        raise typer.Exit(2) from None
    out.print(
        f"{file}: valid framework '{fw.id}' ({fw.name}), {len(fw.indicator_index)} indicators "
        f"in {len(fw.practice_areas)} practice areas"
    )
