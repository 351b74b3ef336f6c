"""What every write shares: the fresh state it changes (a :class:`Draft`), what it returns (a
:class:`Change`), and the one path through the lock that :class:`Recorder` writes take."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, UsageError, resolve
from ..frameworks.model import Framework
from ..manifest import Manifest
from ..store.evidence_table import Table, merged


@dataclass(frozen=True)
class Change:
    """What a write did: a sentence to show, what it replaced (if anything), the new manifest."""

    summary: str
    manifest: Manifest
    replaced: str | None = None
    warnings: tuple[str, ...] = ()  # what was saved but will not count yet, and why


@dataclass
class Draft:
    """The fresh state a write works on, inside the lock: plain data to change, the manifest it
    was read as, and the framework."""

    data: dict[str, Any]
    manifest: Manifest
    framework: Framework
    table: Table = field(default_factory=dict)  # the evidence facts of mentorqa.evidence.tsv
    warnings: list[str] = field(default_factory=list)

    def mapping(self, *keys: str) -> dict[str, Any]:
        """The mapping at ``keys``, created on the way where missing or empty."""
        node = self.data
        for key in keys:
            child = node.get(key)
            if not isinstance(child, dict):
                child = {}
                node[key] = child
            node = child
        return node

    def sequence(self, *keys: str) -> list[Any]:
        """The list at ``keys``, created where missing."""
        parent = self.mapping(*keys[:-1])
        found = parent.get(keys[-1])
        if not isinstance(found, list):
            found = []
            parent[keys[-1]] = found
        return found

    def validated(self) -> Manifest:
        """The draft as a manifest, for rules that judge the state after the change; a usage
        error, in the words of a file's problems, where the change would make it invalid."""
        from pydantic import ValidationError

        from ..spec import manifest_from
        from ..store.yamlio import validation_problems

        try:
            return manifest_from(merged(self.data, self.table))
        except ValidationError as exc:
            problems = validation_problems(exc, _Nowhere())
            raise UsageError(
                [Problem(f"not saved, the change would make it invalid: {p}") for p in problems]
            ) from None


class _Nowhere:
    """A document for problems that have no place in a file yet (a change not yet written)."""

    def problem(self, message: str, loc: Sequence[str | int]) -> Problem:
        shown = ".".join(str(part) for part in loc)
        return Problem(f"{shown}: {message}" if shown else message)


def entry(**values: Any) -> dict[str, Any]:
    """A new record for the manifest, leaving out empty values."""
    return {
        k: list(v) if isinstance(v, tuple) else v
        for k, v in values.items()
        if v not in (None, "", [], ())
    }


def append_new(draft: Draft, keys: tuple[str, ...], values: list[str] | tuple[str, ...]) -> None:
    """Append values not already there (the same strength twice is kept once)."""
    if not values:
        return
    existing = draft.sequence(*keys)
    for value in values:
        if not value.strip():
            raise UsageError("notes must not be empty")
        if value in existing:
            raise UsageError(f"'{value}' is already recorded")
        existing.append(value)


def resolve_sector(framework: Framework, sector: str) -> str:
    membership = framework.fees.membership
    return resolve("sector", sector, list(membership.sectors) if membership else [])


class Recorder:
    """The writes' side of a workspace: each write runs a change on the fresh state in the lock."""

    root: Path
    _for_write = False  # a write is coming: the first read keeps what it will need

    @property
    def path(self) -> Path:
        raise NotImplementedError

    @property
    def manifest(self) -> Manifest:
        raise NotImplementedError

    @property
    def framework(self) -> Framework:
        raise NotImplementedError

    def resolve_indicator(self, indicator: str) -> str:
        raise NotImplementedError

    def _write(self, change: Callable[[Draft], Any]) -> Any:
        raise NotImplementedError

    def _forget_framework(self) -> None:
        """Look the framework up afresh next time (after a migration)."""

    def _append_evidence(self, indicator: str, entries: list[dict[str, Any]]) -> bool:
        """Record new evidence by appending it, where that can be done without the general
        write (see ``store/append.py``); False where it cannot, and nothing was written."""
        return False

    def _patch_record(self, indicator: str, change: Callable[[dict[str, Any]], bool]) -> bool:
        """Change one indicator's record by patching its lines alone, where that can be done
        without the general write (see ``store/region.py``); False where it cannot, and
        nothing was written."""
        return False

    def _change(self, change: Callable[[Draft], tuple[str, str | None]]) -> Change:
        said: list[str] = []

        def run(draft: Draft) -> tuple[str, str | None]:
            outcome = change(draft)
            said.extend(draft.warnings)
            return outcome

        summary, replaced = self._write(run)
        return Change(summary, self.manifest, replaced, tuple(said))
