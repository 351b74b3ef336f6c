"""``mentorqa report``: the documents people send, from templates."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

from ..errors import UsageError
from ..views import output_format
from ..workspace import open_workspace
from ._common import WorkspaceOption, out, write_output
from .declare import Option


def report(
    kind: Annotated[
        str | None,
        Option(
            "--kind",
            "-k",
            help="Report kind; the framework lists them (QiM: assessor, progress; NQMS: "
            "summary, plan, statement, progress). Default: the framework's first.",
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        Option(
            "--format",
            help="md (markdown), html (one printable page) or pdf (needs mentorqa[pdf]). "
            "Default: from the -o file's extension, else md.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        Option("--output", "-o", help="Write to this file instead of stdout ('-': stdout)."),
    ] = None,
    all_rows: Annotated[
        bool,
        Option("--all-rows", help="Also list indicators not yet judged by anyone."),
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Render a report from the workspace: markdown on stdout, or HTML, or into a file.

    A workspace may override any template with its own templates/ folder. Reports name no
    mentee or mentor unless the workspace records consent (privacy: names_consent: true).
    """
    from ..views.report import render
    from ..views.terminal import esc

    ws = open_workspace(workspace)
    fw = ws.framework
    chosen = kind or (fw.reports[0].id if fw.reports else "")
    from ..views.report import FORMATS

    fmt = output_format(fmt, output, FORMATS, "md")
    text = render(ws.assess(files=True), chosen, fmt, ws.root, all_rows)
    if output is None and isinstance(text, bytes):
        raise UsageError("a PDF is written to a file: give -o FILE.pdf (or -o - for stdout)")
    if output is None:
        assert isinstance(text, str)
        sys.stdout.write(text)
    else:
        write_output(ws, output, text)
        if str(output) != "-":
            out.print(f"Wrote {esc(output)}")
