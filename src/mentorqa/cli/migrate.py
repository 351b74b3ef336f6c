"""``mentorqa migrate``: move a workspace to another version of its framework."""

from __future__ import annotations

from typing import Annotated

from ..workspace import open_workspace
from ._common import WorkspaceOption, out
from .declare import Option


def migrate(
    to: Annotated[
        str,
        Option(
            "--to",
            metavar="FILE|ID",
            help="The framework to move to: a framework file (copied into the workspace's "
            "frameworks/ folder) or the id of one mentorqa finds.",
            show_default=False,
        ),
    ],
    dry_run: Annotated[
        bool, Option("--dry-run", help="Say what would move, and write nothing.")
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Move the workspace to another version of its framework, losing nothing.

    Judgements and evidence follow indicator ids, and the ids the new version says it
    replaces. Records of indicators the new version dropped are kept under 'retired:' in
    mentorqa.yaml, and come back if you migrate to a version that has them again. Indicators
    whose requirement is worded differently are listed, so you can check each judgement.
    """
    from ..views.terminal import esc

    done = open_workspace(workspace).migrate(to, dry_run=dry_run)
    for line in done.lines():
        out.print(esc(line))
