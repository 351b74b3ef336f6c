"""``mentorqa rollup``: figures across many workspaces, identifying none."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

from ..errors import MentorqaError, Problem, UsageError
from ..layout import MANIFEST
from ..views import output_format
from ..views.terminal import esc
from ._common import err, report_error
from .declare import Argument, Option


def rollup(
    folders: Annotated[
        list[Path],
        Argument(
            metavar="DIR...",
            help="Workspaces, or folders searched for them (git checkouts too; .git, private/ "
            "and node_modules are skipped).",
            show_default=False,
        ),
    ],
    min_group: Annotated[
        int,
        Option(
            "--min-group",
            metavar="K",
            help="Hide every figure fewer than K programs contribute to, and every count with "
            "fewer than K programs outside it (at least 3).",
        ),
    ] = 5,
    json_: Annotated[
        bool, Option("--json", help="Print one JSON document (the same as --format json).")
    ] = False,
    fmt: Annotated[
        str | None,
        Option(
            "--format",
            metavar="FORMAT",
            help="md, html (one page with a chart), csv or json. Default: from the -o file's "
            "extension, else md.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        Option("--output", "-o", help="Write to this file instead of stdout."),
    ] = None,
    facts: Annotated[
        Path | None,
        Option(
            "--facts",
            metavar="FILE",
            help="Also write de-identified CSV rows, one per program and indicator, under a "
            "random token per program, for DuckDB, SQLite or a warehouse.",
        ),
    ] = None,
    skip_broken: Annotated[
        bool,
        Option("--skip-broken", help="Exit 0 even when unreadable workspaces were left out."),
    ] = False,
) -> None:
    """Aggregate many workspaces of one framework, hiding every small group.

    The output never holds a program's name, path, id or note. Each workspace that cannot be
    read is named on stderr and left out; the exit code is then 1 unless --skip-broken.
    """
    from .. import rollup as library
    from ..facts import facts_file
    from ..views.rollup import FORMATS, render

    chosen = output_format(fmt, output, FORMATS, "md", json_)
    library.check_min_group(min_group)
    for path in (output, facts):
        if path is not None and path.name == MANIFEST:
            raise UsageError(Problem("is a workspace manifest; choose another output file", path))

    def broken(found: library.Broken) -> None:
        report_error(MentorqaError(list(found.problems)))

    with facts_file(facts) as write_facts:
        result = library.rollup(
            folders,
            min_group=min_group,
            skip_broken=skip_broken,
            on_broken=broken,
            on_summary=write_facts,
            shuffle=facts is not None,  # rows must not follow the order of the paths
        )
    if facts is not None:
        err.print(f"Wrote {esc(facts)}")
    text = render(result, chosen)
    if output is None or str(output) == "-":
        sys.stdout.write(text)
    else:
        from ..store.files import write_output

        write_output(output, text)
        err.print(f"Wrote {esc(output)}")
    if result.excluded:
        err.print(
            f"{len(result.excluded)} workspace{'' if len(result.excluded) == 1 else 's'} could "
            "not be read and left out"
            + ("" if skip_broken else " (exit 1; --skip-broken to accept)")
        )
    if result.exit_code:
        raise SystemExit(int(result.exit_code))
