"""``mentorqa map``: judgements and evidence proposed from another framework's workspace."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..recording.mapping import WHOSE
from ..workspace import open_workspace
from ._common import JsonOption, WorkspaceOption, err, finish

if TYPE_CHECKING:
    from ..recording.mapping import Counterpart, MapResult, Proposal


def map_(
    source: Annotated[
        Path,
        typer.Option(
            "--from",
            metavar="DIR",
            help="The other framework's workspace (e.g. your QiM workspace, to start QiB from it).",
            show_default=False,
        ),
    ],
    apply: Annotated[
        bool,
        typer.Option(
            "--apply",
            help="Record the judgements an equal or superset relation settles, as the service's "
            "own, where the service has none yet.",
        ),
    ] = False,
    json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Propose judgements and evidence from another framework's workspace, through a mapping file.

    A mapping file relates the indicators of two frameworks: equal (they require the same),
    subset (the other indicator is part of this one), superset (the other requires all this one
    does, and more) or intersect (they overlap). It is found in the workspace's mappings/ folder,
    in a mappings/ folder in each folder of MENTORQA_FRAMEWORK_PATH, or among the bundled ones
    (QiM to QiB, QiM to APS), written in either direction.

    Without --apply nothing is written: each related indicator is listed with the judgement that
    counts in the other workspace and the evidence recorded there. --apply records the service's
    own judgement where an equal or superset relation settles it, with a note naming where it
    came from; it never records an assessor's judgement and never replaces one the service made.
    Evidence is never copied: copy the files into evidence/ and record them with
    'mentorqa evidence add'.
    """
    result = open_workspace(workspace).map_from(source, apply=apply)
    finish(result, json, None if json else _view(result))
    if not json and result.evidence_wanted:
        wanted = ", ".join(result.evidence_wanted)
        err.print(
            f"[yellow]warning:[/] no evidence is recorded in this workspace yet for "
            f"{_esc(wanted)}: 'mentorqa check' reports a 'met' without evidence as an error "
            "until you record some"
        )


def _esc(value: object) -> str:
    from ..views.text import esc

    return esc(value)


_ORIGIN = {
    "workspace": "this workspace's own",
    "MENTORQA_FRAMEWORK_PATH": "found through MENTORQA_FRAMEWORK_PATH",
    "bundled": "bundled with mentorqa",
}


def _view(result: MapResult) -> list[Any]:
    """The proposals as a table, then what was (or would be) recorded and what was not."""
    theirs, ours = result.source_framework, result.framework
    origin = _ORIGIN.get(result.mapping.origin, result.mapping.origin)
    lines: list[Any] = [
        f"From a {_esc(theirs)} workspace into this {_esc(ours)} workspace, through "
        f'{_esc(result.mapping_file)} ({_esc(origin)}). Each relation reads "the {_esc(theirs)} '
        f'indicator RELATION the {_esc(ours)} indicator".'
    ]
    shown = [p for p in result.proposals if p.has_material]
    if shown:
        lines.append(_table(shown, theirs, ours))
    quiet = len(result.proposals) - len(shown)
    if quiet:
        lines.append(
            f"{quiet} more related indicator(s): the {_esc(theirs)} workspace records no "
            "judgement or evidence for what they are related to."
        )
    lines += _carried(result)
    if any(s.evidence for p in shown for s in p.sources):
        lines.append(
            f"\nEvidence is never copied: copy the files you want from the {_esc(theirs)} "
            "workspace into evidence/ and record them with 'mentorqa evidence add INDICATOR FILE'."
        )
    return lines


def _table(shown: list[Proposal], theirs: str, ours: str) -> Any:
    """One row per related indicator: the judgement that counts in the other workspace, the
    mapping's note on the relation and the evidence files recorded there, indented under it."""
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD)
    table.add_column(_esc(ours), no_wrap=True)
    table.add_column("relation", no_wrap=True)
    table.add_column(f"in the {_esc(theirs)} workspace", ratio=1)
    for p in shown:
        for n, s in enumerate(p.sources):
            table.add_row(_esc(p.indicator) if n == 0 else "", _esc(s.relation), _cell(s))
    return table


def _cell(s: Counterpart) -> Any:
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    from ..views.text import visible

    judged = f"{s.status} ({WHOSE[s.by or 'self']})" if s.judged else "no judgement"
    parts: list[Any] = [Text(visible(f"{s.indicator}: {judged}"))]
    if s.relation_note:
        parts.append(Padding(Text(visible(s.relation_note), style="italic"), (0, 0, 0, 2)))
    # A path is one word: a long one folds rather than being cut short.
    parts += [
        Padding(Text(visible(f), style="dim", overflow="fold"), (0, 0, 0, 2)) for f in s.evidence
    ]
    return Group(*parts)


def _carried(result: MapResult) -> list[Any]:
    """What was recorded (or, without --apply, would be), and why the others were not."""
    lines: list[Any] = []
    carried = result.carried
    if carried:
        heading = (
            "Recorded as the service's own judgement"
            if result.applied
            else "With --apply, would be recorded as the service's own judgement"
        )
        lines.append(f"\n[bold]{heading}[/] ({len(carried)}):")
        lines.append(_listing([(f"{p.indicator} {p.status}", p.note or "") for p in carried]))
    elif result.applied:
        lines.append("\nNothing recorded.")
    skipped = [p for p in result.proposals if p.skip is not None and p.skip != "no_judgement"]
    if skipped:
        lines.append(f"\n[bold]Not carried over[/] ({len(skipped)}):")
        lines.append(_listing([(p.indicator, p.reason or "") for p in skipped]))
    return lines


def _listing(rows: list[tuple[str, str]]) -> Any:
    """Two columns, indented, the second wrapping under itself."""
    from rich.table import Table

    table = Table(show_header=False, box=None, padding=(0, 1, 0, 2))
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for first, second in rows:
        table.add_row(_esc(first), _esc(second))
    return table
