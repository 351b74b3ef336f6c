"""``mentorqa status`` and ``mentorqa check``."""

from __future__ import annotations

import contextlib
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from ..errors import MentorqaError
from ..frameworks.registry import declaring
from ..store.files import repository_base
from ..workspace import Workspace, open_workspace
from ._common import (
    IndicatorArgument,
    JsonOption,
    WorkspaceOption,
    err,
    finish,
    out,
    print_json,
    write_output,
)
from .declare import Option

LevelOption = Annotated[
    str | None,
    Option(
        "--level",
        metavar="LEVEL",
        help="A level id (e.g. award, excellence); exit 1 unless reached.",
    ),
]


def status(
    level: LevelOption = None,
    all_: Annotated[
        bool, Option("--all", help="List every indicator still to do, per practice area.")
    ] = False,
    area: Annotated[
        str | None,
        Option(metavar="AREA", help="Only this practice area, with what each requires."),
    ] = None,
    json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Show where you stand: the next deadlines, each level, and what to do next.

    Short by default: per practice area how many indicators are done and the next one to do.
    --all lists everything still to do; --area AREA one practice area in detail.

    Exit 0 whatever the progress; with --level, exit 1 while that level is not reached.
    """
    from ..errors import resolve

    ws = open_workspace(workspace)
    warn_version(ws)
    result = ws.status(level)
    chosen = None
    if area is not None:
        chosen = resolve("practice area", area, [a.id for a in ws.framework.practice_areas])
    view = None
    if not json:  # (the views, and rich, are loaded only to be shown)
        from ..views import text

        view = text.status(result.assessment, out.is_terminal, full=all_, area=chosen)
    finish(result, json, view)


def show(
    indicator: IndicatorArgument,
    framework: Annotated[
        str | None,
        Option("--framework", "-f", metavar="ID", help="Framework id, without a workspace."),
    ] = None,
    json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Show one indicator: what it requires, typical evidence, and what is recorded for it.

    In a workspace, both judgements and the evidence recorded are shown too.
    """
    from ..frameworks import get
    from ..store.files import find_root
    from ..views import text
    from ..workspace import indicator as blank_indicator

    root = find_root(workspace or Path.cwd(), must_exist=workspace is not None)
    if framework is not None or root is None:
        fw = get(framework or declaring(indicator), root).framework
        result = blank_indicator(fw, indicator)
    else:
        ws = open_workspace(root)
        fw = ws.framework
        result = ws.indicator(indicator)
    finish(result, json, None if json else text.indicator(fw, result.to_dict()))


class CheckFormat(StrEnum):
    """What ``check`` prints on stdout."""

    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


def check(
    level: LevelOption = None,
    json: JsonOption = False,
    fmt: Annotated[
        CheckFormat | None,
        Option(
            "--format",
            metavar="FORMAT",
            case_sensitive=False,
            help="text (lines on stderr), json (--json), github (workflow commands: annotations "
            "on a pull request) or sarif (SARIF 2.1.0, for code scanning). Default: text.",
            show_default=False,
        ),
    ] = None,
    junit: Annotated[
        Path | None,
        Option(metavar="FILE", help="Also write a JUnit XML report, one test per indicator."),
    ] = None,
    strict: Annotated[bool, Option(help="Treat warnings as errors.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Check the records for consistency (for CI on an evidence repository).

    Errors (exit 1): unknown ids, 'met' without evidence, missing evidence files, statuses or
    ratings the framework does not allow, broken framework rules, and with --level a level not
    reached. Warnings (exit 0, or 1 with --strict): changed evidence, passed deadlines. An
    unfinished workspace with nothing wrong passes. Each finding has a code (docs/checks.md).
    """
    from ..views import output_format

    chosen = CheckFormat(
        output_format(fmt.value if fmt else None, None, tuple(CheckFormat), CheckFormat.text, json)
    )
    ws = open_workspace(workspace)
    try:  # check reads the manifest itself (to hash evidence meanwhile: see Workspace.check)
        verdict = ws.check(level, strict)
    except MentorqaError:
        with contextlib.suppress(MentorqaError):  # the version may be why: say it first
            warn_version(ws)
        raise
    warn_version(ws)
    if junit is not None:
        from ..views.junit import render_junit

        write_output(ws, junit, render_junit(verdict.assessment, verdict.findings, verdict.strict))
    if chosen is CheckFormat.json:
        finish(verdict, True)
        return
    from ..views import findings

    summary = findings.summary(len(verdict.errors), len(verdict.warnings), verdict.ok)
    if chosen is CheckFormat.github:
        from ..views.github import render_github

        for line in render_github(verdict.findings, repository_base(ws.root), strict):
            sys.stdout.write(line + "\n")
    elif chosen is CheckFormat.sarif:
        from ..views.sarif import render_sarif

        print_json(render_sarif(verdict.findings, repository_base(ws.root), strict))
    elif chosen is CheckFormat.text:
        for line in findings.lines(verdict.errors, verdict.warnings):
            err.line(line)
    if chosen in (CheckFormat.github, CheckFormat.sarif):
        # stdout is the machine's document; the person reading the log gets the summary.
        err.styled(*summary)
    else:
        out.styled(*summary)
    finish(verdict)


def warn_version(ws: Workspace) -> None:
    sentence = ws.version_warning()
    if sentence:
        err.line(sentence, "warning:")
