"""Loading what most commands need: the workspace and its framework."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import workspace as ws_module
from ..assessment import Assessment, assess
from ..errors import Problem, UnknownFrameworkError
from ..frameworks import Found, Framework, get
from ..records import inspect
from ..workspace import Workspace
from ..yamlio import load_roundtrip, locate, read_text
from ._common import err


@dataclass
class Context:
    workspace: Workspace
    found: Found

    @property
    def framework(self) -> Framework:
        return self.found.framework

    def assess(self, target_level: str | None = None, *, files: bool = True) -> Assessment:
        """Assess the workspace today; ``files`` also inspects evidence files on disk."""
        states = inspect(self.workspace) if files else None
        return assess(
            self.framework, self.workspace.manifest, ws_module.today(), states, target_level
        )


def load(workspace: Path | None) -> Context:
    ws = ws_module.load(workspace)
    try:
        found = get(ws.manifest.framework, ws.root)
    except UnknownFrameworkError as exc:
        # Point at the manifest's 'framework:' line, where the id came from.
        path = ws.manifest_path
        place = locate(load_roundtrip(read_text(path), path), ["framework"]) or (None, None)
        raise UnknownFrameworkError(
            [Problem(p.message, path, *place) for p in exc.problems]
        ) from None
    recorded = ws.manifest.framework_version
    if recorded and recorded != found.framework.version:
        err.print(
            f"warning: {ws.manifest_path} was made for {found.framework.id} version {recorded}, "
            f"but version {found.framework.version} is loaded from {found.path}",
            soft_wrap=True,
        )
    return Context(ws, found)
