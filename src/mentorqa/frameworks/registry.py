"""Finding frameworks: a workspace's own, those on MENTORQA_FRAMEWORK_PATH, the bundled ones."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import MentorqaError, Problem, UnknownFrameworkError, fold, unknown
from ..resources import bundled_dir
from .loader import load_framework
from .model import Framework

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Source:
    """A folder frameworks are read from, and what it is called in messages."""

    folder: Path
    origin: str  # "workspace", "MENTORQA_FRAMEWORK_PATH" or "bundled"


@dataclass(frozen=True)
class Found:
    framework: Framework
    path: Path
    origin: str


def sources(workspace_root: Path | None = None) -> list[Source]:
    """Folders to search, first match wins: workspace, then the path variable, then bundled."""
    found: list[Source] = []
    if workspace_root is not None:
        found.append(Source(workspace_root / "frameworks", "workspace"))
    for entry in os.environ.get("MENTORQA_FRAMEWORK_PATH", "").split(os.pathsep):
        if entry.strip():
            found.append(Source(Path(entry).expanduser(), "MENTORQA_FRAMEWORK_PATH"))
    found.append(Source(bundled_dir("frameworks"), "bundled"))
    return found


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file())


def discover(workspace_root: Path | None = None) -> tuple[list[Found], list[Problem]]:
    """Every framework available, first-found wins per id, plus problems with broken files."""
    chosen: dict[str, Found] = {}
    problems: list[Problem] = []
    for source in sources(workspace_root):
        for path in _files(source.folder):
            try:
                framework = load_framework(path)
            except MentorqaError as exc:
                problems.extend(exc.problems)
                continue
            chosen.setdefault(framework.id, Found(framework, path, source.origin))
    return list(chosen.values()), problems


def get(framework_id: str, workspace_root: Path | None = None) -> Found:
    """The framework with this id (case-insensitive, '-' and '_' alike); a file named ``ID.yaml``
    is tried first in each folder."""
    wanted = fold(framework_id)
    for source in sources(workspace_root):
        files = _files(source.folder)
        named = [p for p in files if fold(p.stem) == wanted]
        for path in named + [p for p in files if p not in named]:
            try:
                framework = load_framework(path)
            except MentorqaError:
                if path in named:
                    raise  # the file meant to be this framework is broken: say so
                continue
            if fold(framework.id) == wanted:
                return Found(framework, path, source.origin)
    available = sorted({f.framework.id for f in discover(workspace_root)[0]})
    raise UnknownFrameworkError(
        unknown("framework", framework_id, available, "see 'mentorqa frameworks list'")
    )


def declaring(indicator: str) -> str:
    """The bundled or configured framework that declares ``indicator`` (outside a workspace)."""
    from ..errors import UsageError

    found, _ = discover(None)
    for f in found:
        if any(fold(i) == fold(indicator) for i in f.framework.indicator_index):
            return f.framework.id
    ids = ", ".join(f.framework.id for f in found)
    raise UsageError(
        f"no framework declares indicator '{indicator}'; give --framework ID ({ids}) or run it "
        "in a workspace"
    )
