"""Moving a workspace to another version of its framework without losing a judgement.

Records follow indicator ids, and the ids a new version declares it ``replaces``; records of
indicators the new version dropped are kept under ``retired:`` (never deleted), and come back
when a later migration reaches a version that has them again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..frameworks.model import Framework
from ..store.files import write_atomic
from .base import Draft, Recorder


@dataclass
class Migration:
    """What a migration did (or, with ``dry_run``, would do)."""

    source: str  # "qim 2022, mentorqa model"
    target: str
    kept: int = 0
    moved: dict[str, str] = field(default_factory=dict)  # old id -> new id
    retired: list[str] = field(default_factory=list)
    restored: dict[str, str] = field(default_factory=dict)  # retired id -> id it returns as
    reworded: list[str] = field(default_factory=list)  # same indicator, other requirement text
    references: list[str] = field(default_factory=list)  # interview/case study ids left dangling
    framework_file: str | None = None  # the file copied into the workspace's frameworks/
    dry_run: bool = False

    def lines(self) -> list[str]:
        will = "would" if self.dry_run else "will"
        out = [
            f"{'Would migrate' if self.dry_run else 'Migrated'} from {self.source} to "
            f"{self.target}: {self.kept} record(s) kept as they were."
        ]
        out += [
            f"  {old} -> {new} (the new version replaces it)" for old, new in self.moved.items()
        ]
        out += [f"  {old} -> {new} (back from retired:)" for old, new in self.restored.items()]
        out += [
            f"  {old} is not in {self.target}: its record {will} be kept under retired:"
            for old in self.retired
        ]
        out += [
            f"  {ind} is worded differently now: check the judgement still holds "
            f"('mentorqa show {ind}')"
            for ind in self.reworded
        ]
        out += [f"  {text}" for text in self.references]
        if self.framework_file:
            out.append(f"  the new version {will} be read from {self.framework_file}")
        if self.dry_run:
            out.append("Dry run: nothing written.")
        return out


class MigrateWrites(Recorder):
    """``mentorqa migrate``."""

    def migrate(self, to: str | Path, *, dry_run: bool = False) -> Migration:
        """Move the workspace to the framework ``to`` (an id, or a framework file, copied into
        the workspace's ``frameworks/`` folder so the workspace keeps finding it)."""
        target, given = self._target(to)

        def change(draft: Draft) -> Migration:
            done = _plan(draft.framework, target, draft.data, dry_run)
            if given is not None:
                done.framework_file = self._adopt(given, target, dry_run)
            return done

        migration: Migration = self._write(change)
        self._forget_framework()
        return migration

    def _target(self, to: str | Path) -> tuple[Framework, str | None]:
        """The framework to move to, and the text of the file it came from, if one was given
        (read once: it is parsed here and copied into the workspace from the same text)."""
        from ..frameworks.loader import parse_framework
        from ..frameworks.registry import get
        from ..store.text import read_text

        path = Path(to)
        if path.suffix in (".yaml", ".yml") or path.is_file():
            if not path.is_file():
                raise UsageError(f"no framework file {path}; give a file or a framework id")
            text = read_text(path)
            return parse_framework(text, path), text
        return get(str(to), self.root).framework, None

    def _adopt(self, text: str, target: Framework, dry_run: bool) -> str:
        """Copy the framework file into the workspace, unless it is already the one found."""
        destination = self.root / "frameworks" / f"{target.id}.yaml"
        shown = destination.relative_to(self.root).as_posix()
        if destination.is_file():
            if destination.read_text(encoding="utf-8") == text:
                return shown
            raise UsageError(
                f"{shown} already holds another version of '{target.id}'; give the new version "
                f"an id of its own (for example '{target.id}-2027') or move that file aside first"
            )
        if not dry_run:
            destination.parent.mkdir(exist_ok=True)
            write_atomic(destination, text)
        return shown


def _plan(current: Framework, target: Framework, data: dict[str, Any], dry_run: bool) -> Migration:
    """Work out the moves on ``data`` (changed in place unless ``dry_run``)."""
    done = Migration(
        f"{current.id} {current.version}", f"{target.id} {target.version}", dry_run=dry_run
    )
    known = target.indicator_index
    renamed = _renames(current, target)
    records: dict[str, Any] = dict(data.get("indicators") or {})
    retired: dict[str, Any] = dict(data.get("retired") or {})
    result: dict[str, Any] = {}
    for old, record in records.items():
        new = old if old in known else renamed.get(old)
        if new is None or new in result or (new != old and new in records):
            retired[_free(retired, old)] = record
            done.retired.append(old)
            continue
        result[new] = record
        if new == old:
            done.kept += 1
        else:
            done.moved[old] = new
        if old in current.indicator_index and (
            current.indicator_index[old][1].requires != known[new][1].requires
        ):
            done.reworded.append(new)
    for old in list(retired):
        new = old if old in known else renamed.get(old)
        if new is not None and new not in result:
            result[new] = retired.pop(old)
            done.restored[old] = new
    if _in_order(list(records), current):
        # Records kept in the framework's order (as mark writes them) stay in its order.
        order = {ind: n for n, ind in enumerate(known)}
        result = dict(sorted(result.items(), key=lambda item: order.get(item[0], len(order))))
    done.references = _references(data, done, known)
    if not dry_run:
        data["indicators"] = result
        if retired:
            data["retired"] = retired
        else:
            data.pop("retired", None)
        data["framework"] = target.id
        data["framework_version"] = target.version
    return done


def _renames(current: Framework, target: Framework) -> dict[str, str]:
    """Old id -> new id: the target's ``replaces``, and the current version's read backwards
    (moving back to an earlier version returns each record to the id it came from)."""
    renamed = {old: new for new, (_, ind) in target.indicator_index.items() for old in ind.replaces}
    for new, (_, ind) in current.indicator_index.items():
        for old in ind.replaces:
            if old in target.indicator_index and new not in target.indicator_index:
                renamed.setdefault(new, old)
    return renamed


def _in_order(ids: list[str], framework: Framework) -> bool:
    """Whether ``ids`` are all the framework's and follow the framework file's order."""
    order = {ind: n for n, ind in enumerate(framework.indicator_index)}
    places = [order[i] for i in ids if i in order]
    return len(places) == len(ids) and places == sorted(places)


def _free(retired: dict[str, Any], key: str) -> str:
    """A key under ``retired:`` that holds nothing yet (an id retired twice keeps both)."""
    candidate, n = key, 2
    while candidate in retired:
        candidate, n = f"{key}~{n}", n + 1
    return candidate


def _references(data: dict[str, Any], done: Migration, known: dict[str, Any]) -> list[str]:
    """Interviews and case studies: renamed ids follow; ids the new version lacks are named."""
    moves = {**done.moved, **done.restored}
    said: list[str] = []
    for kind in ("interviews", "case_studies"):
        for item in data.get(kind) or []:
            if not isinstance(item, dict) or not isinstance(item.get("indicators"), list):
                continue
            ids = [moves.get(i, i) if isinstance(i, str) else i for i in item["indicators"]]
            if not done.dry_run:
                item["indicators"] = ids
            label = item.get("pseudonym") or item.get("title") or item.get("kind") or kind
            said += [
                f"{kind.replace('_', ' ')[:-1]} '{label}' names {i}, which {done.target} does "
                "not have: edit it in mentorqa.yaml"
                for i in ids
                if isinstance(i, str) and i not in known
            ]
    return said
