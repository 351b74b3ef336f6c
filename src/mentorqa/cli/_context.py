"""Loading what most commands need: the workspace and its framework."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import workspace as ws_module
from ..assessment import Assessment, assess
from ..frameworks import Found, Framework, get
from ..records import inspect
from ..workspace import Workspace
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
    found = get(ws.manifest.framework, ws.root)
    recorded = ws.manifest.framework_version
    if recorded and recorded != found.framework.version:
        err.print(
            f"warning: {ws.manifest_path} was made for {found.framework.id} version {recorded}, "
            f"but version {found.framework.version} is loaded from {found.path}",
            soft_wrap=True,
        )
    return Context(ws, found)
