"""``mentorqa map`` at the terminal: the proposals as a table, then what was (or would be)
recorded and why the rest was not."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..values import visible
from .terminal import esc

if TYPE_CHECKING:
    from ..recording.mapping import Counterpart, MapResult, Proposal


def wanted(result: MapResult) -> str:
    """The warning for judgements recorded as met where this workspace has no evidence yet."""
    ids = esc(", ".join(result.evidence_wanted))
    return (
        f"no evidence is recorded in this workspace yet for {ids}: 'mentorqa check' reports a "
        "'met' without evidence as an error until you record some"
    )


_ORIGIN = {
    "workspace": "this workspace's own",
    "MENTORQA_FRAMEWORK_PATH": "found through MENTORQA_FRAMEWORK_PATH",
    "bundled": "bundled with mentorqa",
}


def mapping(result: MapResult) -> list[Any]:
    """The proposals as a table, then what was (or would be) recorded and what was not."""
    theirs, ours = result.source_framework, result.framework
    origin = _ORIGIN.get(result.mapping.origin, result.mapping.origin)
    lines: list[Any] = [
        f"From a {esc(theirs)} workspace into this {esc(ours)} workspace, through "
        f'{esc(result.mapping_file)} ({esc(origin)}). Each relation reads "the {esc(theirs)} '
        f'indicator RELATION the {esc(ours)} indicator".'
    ]
    shown = [p for p in result.proposals if p.has_material]
    if shown:
        lines.append(_table(shown, theirs, ours))
    quiet = len(result.proposals) - len(shown)
    if quiet:
        lines.append(
            f"{quiet} more related indicator(s): the {esc(theirs)} workspace records no "
            "judgement or evidence for what they are related to."
        )
    lines += _carried(result)
    if any(s.evidence for p in shown for s in p.sources):
        lines.append(
            f"\nEvidence is never copied: copy the files you want from the {esc(theirs)} "
            "workspace into evidence/ and record them with 'mentorqa evidence add INDICATOR FILE'."
        )
    return lines


def _table(shown: list[Proposal], theirs: str, ours: str) -> Any:
    """One row per related indicator: the judgement that counts in the other workspace, the
    mapping's note on the relation and the evidence files recorded there, indented under it."""
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD)
    table.add_column(esc(ours), no_wrap=True)
    table.add_column("relation", no_wrap=True)
    table.add_column(f"in the {esc(theirs)} workspace", ratio=1)
    for p in shown:
        for n, s in enumerate(p.sources):
            table.add_row(esc(p.indicator) if n == 0 else "", esc(s.relation), _cell(s))
    return table


def _cell(s: Counterpart) -> Any:
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    parts: list[Any] = [Text(visible(f"{s.indicator}: {s.judgement}"))]
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
        table.add_row(esc(first), esc(second))
    return table
