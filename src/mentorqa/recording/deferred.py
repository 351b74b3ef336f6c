"""Writes whose work lives in modules loaded on their first use.

A workspace carries every write as a method, but most runs make one: ``mentorqa mark`` should
not load the spreadsheet reader and the mapping's result types to record a judgement (each
run is a new process, and loading them cost a write some 10 ms of its ~170). The methods here
keep the public signature and the documentation; the work is in :mod:`.sheets` and
:mod:`.mapping`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .base import Recorder

if TYPE_CHECKING:
    from ..frameworks.model import Framework
    from ..manifest import Manifest
    from .mapping import MapResult
    from .sheets import SheetImport


class SheetWrites(Recorder):
    """Judgements from a spreadsheet."""

    def import_sheet(self, file: Path | str, *, dry_run: bool = False) -> SheetImport:
        """Set the judgements a sheet gives (``mentorqa import``). Every bad cell is reported
        at once with its place and nothing is written; ``dry_run`` only says what would change."""
        from .sheets import import_sheet

        return import_sheet(self, file, dry_run=dry_run)


class MapWrites(Recorder):
    """Judgements carried over from another framework's workspace."""

    def _other(self, source: Path | str) -> tuple[Path, Framework, Manifest]:
        """Another workspace's folder, framework and manifest (the workspace opens it)."""
        raise NotImplementedError

    def map_from(self, source: Path | str, *, apply: bool = False) -> MapResult:
        """Propose this workspace's judgements and evidence from the workspace at ``source``
        (another framework's), through the mapping file relating the two frameworks.

        With ``apply``, records the service's own judgement where an ``equal`` or ``superset``
        relation settles it and the service has none yet, in one write. Never an assessor's.
        """
        from .mapping import map_from

        return map_from(self, source, apply=apply)
