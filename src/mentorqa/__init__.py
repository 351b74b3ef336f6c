"""mentorqa: evidence, progress, costs, deadlines and reports for mentoring quality awards.

The library surface::

    import mentorqa

    ws = mentorqa.create_workspace("riverside", "qim", "Riverside Mentoring", turnover=180_000)
    ws.mark("QIM-SV-A01", "met")
    print(ws.status().to_dict()["levels"])

Every error for bad input or a bad workspace is a :class:`MentorqaError` carrying the located
problems. See docs/python-api.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

__all__ = [
    "Change",
    "MentorqaError",
    "Problem",
    "Workspace",
    "__version__",
    "cost",
    "create_workspace",
    "get_framework",
    "open_workspace",
]

if TYPE_CHECKING:
    from .errors import MentorqaError, Problem
    from .frameworks.model import Framework
    from .recording.base import Change
    from .workspace import Workspace, cost, create_workspace, open_workspace

_LAZY = {
    "MentorqaError": "errors",
    "Problem": "errors",
    "Change": "recording.base",
    "Workspace": "workspace",
    "cost": "workspace",
    "create_workspace": "workspace",
    "open_workspace": "workspace",
}


def get_framework(framework_id: str) -> Framework:
    """The framework with this id (bundled, or from a folder in MENTORQA_FRAMEWORK_PATH)."""
    from .frameworks import get

    return get(framework_id).framework


def __getattr__(name: str) -> Any:
    # Imported on first use, so that 'mentorqa --version' does not load pydantic and the rest.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'mentorqa' has no attribute {name!r}")
