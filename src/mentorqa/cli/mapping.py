"""``mentorqa map``: judgements and evidence proposed from another framework's workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from ..workspace import open_workspace
from ._common import JsonOption, WorkspaceOption, err, finish
from .declare import Option


def map_(
    source: Annotated[
        Path,
        Option(
            "--from",
            metavar="DIR",
            help="The other framework's workspace (e.g. your QiM workspace, to start QiB from it).",
            show_default=False,
        ),
    ],
    apply: Annotated[
        bool,
        Option(
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
    from ..views.mapping import mapping, wanted

    result = open_workspace(workspace).map_from(source, apply=apply)
    finish(result, json, None if json else mapping(result))
    if not json and result.evidence_wanted:
        err.print(f"[yellow]warning:[/] {wanted(result)}")
