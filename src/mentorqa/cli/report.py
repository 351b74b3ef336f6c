"""``mentorqa report``: the documents people send, from templates."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..records import write_file
from ._common import WorkspaceOption, out
from ._context import load


def report(
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            "-k",
            help="Report kind; the framework lists them (QiM: assessor, progress; NQMS: "
            "summary, plan, statement, progress). Default: the framework's first.",
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="md (markdown) or html (one printable page).")
    ] = "md",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Render a report from the workspace: markdown on stdout, or HTML, or into a file.

    A workspace may override any template with its own templates/ folder. Reports name no
    mentee or mentor unless the workspace records consent (privacy: names_consent: true).
    """
    from ..reports.render import render

    ctx = load(workspace)
    chosen = kind or (ctx.framework.reports[0].id if ctx.framework.reports else "")
    text = render(ctx.assess(), chosen, fmt, ctx.workspace.root)
    if output is None:
        sys.stdout.write(text)
    else:
        write_file(output, text)
        out.print(f"Wrote {output}")
