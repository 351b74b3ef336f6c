"""Mapping files: how the indicators of two frameworks relate, found, read and checked.

A mapping file (YAML, in a ``mappings/`` folder) relates the indicators of the framework named
``from`` to those of the framework named ``to``. Each relation reads "the ``from`` indicator
RELATION the ``to`` indicator": ``equal`` (they require the same), ``subset`` (everything the
``from`` indicator requires is part of the ``to`` one), ``superset`` (the ``from`` indicator
requires all the ``to`` one does, and more) or ``intersect`` (they overlap). Used the other way
round, ``subset`` and ``superset`` swap; ``equal`` and ``intersect`` stay.

Every problem in a file is reported with its ``FILE:LINE:COLUMN``, like a framework file's.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ..errors import MentorqaError, Problem, UnknownFrameworkError, UsageError, fold, unknown
from ..resources import bundled_dir
from ..store.text import read_text
from ..store.yamlio import Document, parse_document, validate
from .model import Framework

RELATIONS = ("equal", "subset", "superset", "intersect")
# The relation read from the other side: A subset of B is B superset of A.
INVERSE = {"equal": "equal", "subset": "superset", "superset": "subset", "intersect": "intersect"}
SUFFIXES = (".yaml", ".yml")
FOLDER = "mappings"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Loc = tuple[str | int, ...]


class MappingError(MentorqaError):
    """A mapping file that cannot be read, or relates what its frameworks do not have."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RelationEntry(_Model):
    """One line of ``relations:`` as written in the file."""

    from_: Text = Field(alias="from", description="An indicator id of the 'from' framework.")
    to: Text = Field(description="An indicator id of the 'to' framework.")
    relation: Text = Field(description="equal, subset, superset or intersect.")
    note: str = Field("", description="How the two differ, or why they are related so.")


class MappingFile(_Model):
    """A mapping file as written: which two frameworks it relates, and the relations."""

    mentorqa_mapping: Literal[1] = Field(description="Version of the mapping file's layout.")
    from_: Text = Field(alias="from", description="The framework id the relations start from.")
    to: Text = Field(description="The framework id the relations lead to.")
    notes: tuple[Text, ...] = Field((), description="Where the relations come from.")
    relations: tuple[RelationEntry, ...] = Field(min_length=1)


@dataclass(frozen=True)
class Relation:
    """How a ``source`` indicator relates to a ``target`` indicator ("source RELATION target")."""

    source: str
    target: str
    relation: str  # one of RELATIONS
    note: str = ""

    def inverted(self) -> Relation:
        """The same relation read from the target's side."""
        return Relation(self.target, self.source, INVERSE[self.relation], self.note)


@dataclass(frozen=True)
class IndicatorMapping:
    """A checked mapping file: its frameworks and relations, with ids as the frameworks spell
    them, in the file's direction (``framework_from`` to ``framework_to``)."""

    path: Path
    framework_from: str
    framework_to: str
    relations: tuple[Relation, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class FoundMapping:
    """The mapping found for two frameworks, with its relations read from source to target."""

    mapping: IndicatorMapping
    origin: str  # "workspace", "MENTORQA_FRAMEWORK_PATH" or "bundled"
    source: str  # framework ids, as the frameworks spell them
    target: str
    relations: tuple[Relation, ...]

    @property
    def inverted(self) -> bool:
        """Whether the file is written from the target to the source (and was read back)."""
        return self.mapping.framework_from != self.source


# --- reading one file -------------------------------------------------------------------------


def load_mapping(
    path: Path,
    frameworks: Mapping[str, Framework] | None = None,
    workspace_root: Path | None = None,
) -> IndicatorMapping:
    """Read and check a mapping file; raise :class:`MentorqaError` listing every problem.

    The frameworks it names are taken from ``frameworks`` (by id) where given there, otherwise
    looked up as every command finds frameworks (the workspace's, ``MENTORQA_FRAMEWORK_PATH``,
    the bundled ones).
    """
    try:
        document = parse_document(read_text(path), path)
    except MentorqaError as exc:
        raise MappingError(exc.problems) from None
    return _checked(document, frameworks or {}, workspace_root)


def _checked(
    document: Document, frameworks: Mapping[str, Framework], workspace_root: Path | None
) -> IndicatorMapping:
    try:
        written = validate(MappingFile, document, "a mapping file")
    except MentorqaError as exc:
        raise MappingError(exc.problems) from None
    found: list[tuple[Loc, str]] = []
    sides = []
    for key, declared in (("from", written.from_), ("to", written.to)):
        framework = _framework(declared, frameworks, workspace_root)
        if framework is None:
            found.append(((key,), _unknown_framework(declared, frameworks, workspace_root)))
        sides.append(framework)
    if fold(written.from_) == fold(written.to):
        found.append((("to",), "a mapping relates two different frameworks; name another here"))
    relations = _relations(written, sides[0], sides[1], found, document)
    if found:
        raise MappingError([document.problem(message, loc) for loc, message in found])
    assert sides[0] is not None and sides[1] is not None
    return IndicatorMapping(
        document.path, sides[0].id, sides[1].id, tuple(relations), written.notes
    )


def _framework(
    declared: str, frameworks: Mapping[str, Framework], workspace_root: Path | None
) -> Framework | None:
    for framework in frameworks.values():
        if fold(framework.id) == fold(declared):
            return framework
    from .registry import get

    try:
        return get(declared, workspace_root).framework
    except UnknownFrameworkError:
        return None


def _unknown_framework(
    declared: str, frameworks: Mapping[str, Framework], workspace_root: Path | None
) -> str:
    from .registry import discover

    known = {f.framework.id for f in discover(workspace_root)[0]} | set(frameworks)
    return unknown("framework", declared, sorted(known), "see 'mentorqa frameworks list'")


def _relations(
    written: MappingFile,
    source: Framework | None,
    target: Framework | None,
    found: list[tuple[Loc, str]],
    document: Document,
) -> list[Relation]:
    """The relations with ids as the frameworks spell them; each problem is added to ``found``."""
    words = {fold(word): word for word in RELATIONS}
    seen: dict[tuple[str, str], int] = {}
    relations = []
    for index, item in enumerate(written.relations):
        where: Loc = ("relations", index)
        relation = words.get(fold(item.relation))
        if relation is None:
            found.append(((*where, "relation"), unknown("relation", item.relation, [*RELATIONS])))
        from_id = _indicator(source, item.from_, (*where, "from"), found)
        to_id = _indicator(target, item.to, (*where, "to"), found)
        if from_id is None or to_id is None:
            continue
        if (from_id, to_id) in seen:
            first = document.locate(("relations", seen[(from_id, to_id)]))
            line = f" (line {first[0]})" if first else ""
            found.append(
                (where, f"{from_id} and {to_id} are related twice{line}; keep one relation")
            )
            continue
        seen[(from_id, to_id)] = index
        if relation is not None:
            relations.append(Relation(from_id, to_id, relation, item.note.strip()))
    return relations


def _indicator(
    framework: Framework | None, given: str, loc: Loc, found: list[tuple[Loc, str]]
) -> str | None:
    if framework is None:
        return None  # the framework itself is unknown: said once, at its key
    ids = {fold(i): i for i in framework.indicator_index}
    known = ids.get(fold(given))
    if known is None:
        where = f"see 'mentorqa frameworks show {framework.id}' for the ids"
        found.append((loc, unknown(f"{framework.id} indicator", given, list(ids.values()), where)))
    return known


# --- finding the mapping for two frameworks ---------------------------------------------------


@dataclass(frozen=True)
class MappingFolder:
    """A folder mapping files are read from, and what it is called in messages."""

    folder: Path
    origin: str


def folders(workspace_root: Path | None = None) -> list[MappingFolder]:
    """Where mapping files are searched, first match wins: the workspace's ``mappings/``, a
    ``mappings/`` folder in each folder of ``MENTORQA_FRAMEWORK_PATH``, the bundled ones."""
    found: list[MappingFolder] = []
    if workspace_root is not None:
        found.append(MappingFolder(workspace_root / FOLDER, "workspace"))
    for entry in os.environ.get("MENTORQA_FRAMEWORK_PATH", "").split(os.pathsep):
        if entry.strip():
            found.append(
                MappingFolder(Path(entry).expanduser() / FOLDER, "MENTORQA_FRAMEWORK_PATH")
            )
    found.append(MappingFolder(bundled_dir(FOLDER), "bundled"))
    return found


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file())


def find_mapping(
    source: str,
    target: str,
    workspace_root: Path | None = None,
    *,
    frameworks: Mapping[str, Framework] | None = None,
) -> FoundMapping:
    """The mapping between frameworks ``source`` and ``target`` (ids), written in either
    direction, with its relations read from ``source`` to ``target``.

    A file that relates the two but has problems is an error with every problem located. A file
    that cannot even be read is skipped, and named if no mapping is found.
    """
    skipped: list[Problem] = []
    for place in folders(workspace_root):
        for path in _files(place.folder):
            document = _header(path, skipped)
            if document is None or not _relates(document.data, source, target):
                continue
            return _oriented(_checked(document, frameworks or {}, workspace_root), place, source)
    looked = ", ".join(str(p.folder) for p in folders(workspace_root))
    raise UsageError(
        [
            Problem(
                f"no mapping relates the frameworks {source} and {target}; looked for a mapping "
                f"file in {looked} (write one in the workspace's {FOLDER}/ folder, in the format "
                f"of the bundled {FOLDER}/qim-qib.yaml)"
            ),
            *(Problem(f"{p.message} (skipped)", p.file, p.line, p.column) for p in skipped),
        ]
    )


def _oriented(mapping: IndicatorMapping, place: MappingFolder, source: str) -> FoundMapping:
    """The mapping with its relations read from ``source``'s side."""
    if fold(mapping.framework_from) == fold(source):
        return FoundMapping(
            mapping, place.origin, mapping.framework_from, mapping.framework_to, mapping.relations
        )
    inverted = tuple(r.inverted() for r in mapping.relations)
    return FoundMapping(
        mapping, place.origin, mapping.framework_to, mapping.framework_from, inverted
    )


def _header(path: Path, skipped: list[Problem]) -> Document | None:
    """The parsed file, or None (with its problems kept) where it cannot be read as YAML."""
    try:
        return parse_document(read_text(path), path)
    except MentorqaError as exc:
        skipped.extend(exc.problems)
        return None


def _relates(data: Any, source: str, target: str) -> bool:
    if not isinstance(data, dict):
        return False
    pair = {fold(str(data.get("from", ""))), fold(str(data.get("to", "")))}
    return pair == {fold(source), fold(target)} and fold(source) != fold(target)
