"""Judgements and evidence proposed from another framework's workspace, through a mapping file
(``mentorqa map``), and the service's own judgements that ``--apply`` records from them.

Only what a relation settles is recorded: a judgement carried through ``equal`` (the two
indicators require the same) or ``superset`` (the other indicator requires all this one does,
and more). A ``superset`` carries ``met`` and ``not-applicable`` only: falling short of the
larger indicator says nothing of which part fell short. Never the assessor's judgement, never
over a judgement the service already made. Evidence is listed, never copied or recorded: files
must lie inside the workspace they are evidence for.

Nothing from the other workspace's notes, names or files outside it reaches the output: a note
may name a mentee.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import TYPE_CHECKING, Any, Literal

from ..errors import ExitCode, UsageError
from ..frameworks.model import Framework
from ..manifest import Manifest
from ..rules import judgements
from ..rules.evidence import is_private, needs_evidence
from ..rules.indicators import IndicatorResult, indicator_results
from ..values import SCHEMA_VERSION, today
from .base import Draft, entry

if TYPE_CHECKING:  # mapping files are read only by 'map'
    from ..frameworks.mappings import FoundMapping, Relation
    from .deferred import MapWrites

# Relations whose source judgement settles the target's; the others point to evidence only.
CARRYING = ("equal", "superset")
# What a superset's judgement settles: a larger practice met (or not applicable) covers the
# smaller one; a shortfall may lie in the part the smaller one does not ask for.
SUPERSET_CARRIES = ("met", "not-applicable")
WHOSE = {"self": "service's own judgement", "assessor": "assessor's judgement"}

Outcome = Literal["recorded", "to_record", "skipped"]
Skip = Literal[
    "relation", "no_judgement", "already_judged", "disagree", "shortfall", "status_not_allowed"
]


@dataclass(frozen=True)
class Counterpart:
    """A related indicator in the other workspace, with what that workspace records for it."""

    indicator: str
    relation: str  # "the other indicator RELATION this one"
    relation_note: str  # the mapping file's note on the relation
    status: str | None  # the judgement that counts there (the assessor's where there is one)
    by: str | None  # "self" or "assessor"
    evidence: tuple[str, ...]  # files, relative to the other workspace

    @property
    def judged(self) -> bool:
        return self.status is not None

    @property
    def judgement(self) -> str:
        """E.g. "met (assessor's judgement)", or "no judgement"."""
        return f"{self.status} ({WHOSE[self.by or 'self']})" if self.judged else "no judgement"

    def describe(self) -> str:
        """E.g. 'QIM-SV-A01 met (assessor's judgement)'."""
        return f"{self.indicator} {self.judgement}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "relation": self.relation,
            "relation_note": self.relation_note or None,
            "status": self.status,
            "by": self.by,
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class Proposal:
    """One indicator of this workspace with its related indicators in the other, and what
    ``--apply`` does (or did) with their judgements."""

    indicator: str
    sources: tuple[Counterpart, ...]
    outcome: Outcome
    status: str | None = None  # the status recorded, or to be recorded
    note: str | None = None  # the note recorded with it
    skip: Skip | None = None
    reason: str | None = None  # why nothing is recorded

    @property
    def carried(self) -> bool:
        return self.outcome != "skipped"

    @property
    def has_material(self) -> bool:
        """Whether the other workspace records anything for it (a judgement or evidence)."""
        return any(s.judged or s.evidence for s in self.sources)

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "outcome": self.outcome,
            "status": self.status,
            "note": self.note,
            "skip": self.skip,
            "reason": self.reason,
            "sources": [s.to_dict() for s in self.sources],
        }


@dataclass(frozen=True)
class MapResult:
    """What ``mentorqa map`` proposes from another framework's workspace, and (with ``--apply``)
    what it recorded."""

    framework: str  # this workspace's framework id
    source_framework: str
    mapping_file: str  # as shown: relative to this workspace where it lies in it
    mapping: FoundMapping
    proposals: tuple[Proposal, ...]
    applied: bool
    evidence_wanted: tuple[str, ...] = ()  # recorded 'met' with no evidence here yet
    exit_code = ExitCode.OK

    @property
    def carried(self) -> list[Proposal]:
        """Judgements recorded (with ``--apply``) or that ``--apply`` would record."""
        return [p for p in self.proposals if p.carried]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "framework": self.framework,
            "source_framework": self.source_framework,
            "mapping": {
                "file": self.mapping_file,
                "origin": self.mapping.origin,
                "from": self.mapping.mapping.framework_from,
                "to": self.mapping.mapping.framework_to,
                "inverted": self.mapping.inverted,
            },
            "applied": self.applied,
            "proposals": [p.to_dict() for p in self.proposals],
            "evidence_wanted": list(self.evidence_wanted),
        }


def map_from(ws: MapWrites, source: Path | str, *, apply: bool = False) -> MapResult:
    """What :meth:`MapWrites.map_from` does (this module is loaded on its first use)."""
    root, theirs, their_manifest = ws._other(source)
    if root.resolve() == ws.root.resolve():
        raise UsageError("--from names this workspace; give another framework's workspace")
    ours = ws.framework
    if theirs.id == ours.id:
        raise UsageError(
            f"both workspaces use the framework {ours.id}; 'mentorqa map' relates two "
            f"frameworks (to move to another version of {ours.id}, use 'mentorqa migrate')"
        )
    from ..frameworks.mappings import find_mapping

    found = find_mapping(theirs.id, ours.id, ws.root, frameworks={f.id: f for f in (theirs, ours)})
    recorded = {r.id: r for r in indicator_results(theirs, their_manifest, today())}
    related = _counterparts(found.relations, recorded)
    shown = _shown(found, ws.root)
    if not apply:
        proposals = _proposals(related, ours, ws.manifest, theirs.id, applying=False)
        return MapResult(ours.id, theirs.id, shown, found, proposals, applied=False)
    decided: list[Proposal] = []

    def change(draft: Draft) -> tuple[str, str | None]:
        proposals = _proposals(related, draft.framework, draft.manifest, theirs.id, True)
        for p in proposals:
            if p.outcome == "recorded":
                record = draft.mapping("indicators", p.indicator)
                record["self"] = entry(status=p.status, note=p.note, date=today())
        decided.extend(proposals)
        count = sum(1 for p in proposals if p.carried)
        return f"Recorded {count} judgement(s) from the {theirs.id} workspace.", None

    done = ws._change(change)
    wanted = _evidence_wanted(ours, done.manifest, decided)
    return MapResult(ours.id, theirs.id, shown, found, tuple(decided), True, wanted)


def _shown(found: FoundMapping, root: Path) -> str:
    """The mapping file as messages name it: relative to the workspace where it lies in it."""
    path = found.mapping.path
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _counterparts(
    relations: tuple[Relation, ...], recorded: dict[str, IndicatorResult]
) -> dict[str, list[Counterpart]]:
    """Target indicator id -> its related indicators with what the other workspace records."""
    related: dict[str, list[Counterpart]] = {}
    for relation in relations:
        found = _counterpart(relation, recorded.get(relation.source))
        related.setdefault(relation.target, []).append(found)
    return related


def _counterpart(relation: Relation, there: IndicatorResult | None) -> Counterpart:
    """The related indicator with the judgement that counts there, by whom, and its files (never
    the judgement's note)."""
    if there is None:  # the mapping names it, and the framework has it: nothing recorded yet
        return Counterpart(relation.source, relation.relation, relation.note, None, None, ())
    judgement = there.judgement
    by = None if judgement is None else "assessor" if there.assessor is not None else "self"
    return Counterpart(
        relation.source,
        relation.relation,
        relation.note,
        judgement.status if judgement is not None else None,
        by,
        _kept(tuple(e.file for e in there.evidence)),
    )


def _kept(files: tuple[str, ...]) -> tuple[str, ...]:
    """The files that may be shown, each once."""
    return tuple(dict.fromkeys(f for f in files if _shareable(f)))


def _shareable(file: str) -> bool:
    """Whether a recorded path may be shown: inside its workspace and not in private/."""
    rel = posixpath.normpath(file.replace("\\", "/"))
    outside = rel.startswith("/") or rel == ".." or rel.startswith("../")
    return not (outside or PureWindowsPath(file).drive or is_private(rel))


def _proposals(
    related: dict[str, list[Counterpart]],
    framework: Framework,
    manifest: Manifest,
    source: str,
    applying: bool,
) -> tuple[Proposal, ...]:
    """One proposal per indicator of ``framework`` that the mapping relates, in file order."""
    proposals = []
    for ind_id in framework.indicator_index:
        sources = related.get(ind_id)
        if not sources:
            continue
        record = manifest.indicators.get(ind_id)
        own = record.self_ if record is not None else None
        proposals.append(
            _decide(
                ind_id, tuple(sources), framework, own.status if own else None, source, applying
            )
        )
    return tuple(proposals)


def _decide(
    ind_id: str,
    sources: tuple[Counterpart, ...],
    framework: Framework,
    own: str | None,
    source: str,
    applying: bool,
) -> Proposal:
    """Whether the related judgements settle this indicator's, and if not, why not."""
    carrying = [s for s in sources if s.relation in CARRYING]
    judged = [s for s in carrying if s.judged]
    if not carrying:
        reason = (
            "related only by subset or intersect: a judgement there does not settle this one; "
            "use its evidence"
        )
        return Proposal(ind_id, sources, "skipped", skip="relation", reason=reason)
    if not judged:
        names = ", ".join(s.indicator for s in carrying)
        reason = f"the {source} workspace records no judgement for {names}"
        return Proposal(ind_id, sources, "skipped", skip="no_judgement", reason=reason)
    if own is not None:
        reason = f"already judged by this service ({own}); left as it is"
        return Proposal(ind_id, sources, "skipped", skip="already_judged", reason=reason)
    return _carry(ind_id, sources, judged, framework, source, applying)


def _carry(
    ind_id: str,
    sources: tuple[Counterpart, ...],
    judged: list[Counterpart],
    framework: Framework,
    source: str,
    applying: bool,
) -> Proposal:
    statuses = {s.status for s in judged}
    if len(statuses) > 1:
        reason = "the judgements there differ: " + ", ".join(s.describe() for s in judged)
        return Proposal(ind_id, sources, "skipped", skip="disagree", reason=reason)
    status = str(judged[0].status)
    if status not in SUPERSET_CARRIES and all(s.relation == "superset" for s in judged):
        reason = (
            f"{judged[0].indicator} is {status}, but it asks for more than {ind_id}: the "
            f"shortfall may lie outside {ind_id}; judge it yourself"
        )
        return Proposal(ind_id, sources, "skipped", skip="shortfall", reason=reason)
    problem = _not_allowed(framework, ind_id, status)
    if problem is not None:
        return Proposal(ind_id, sources, "skipped", skip="status_not_allowed", reason=problem)
    note = f"From the {source} workspace: " + "; ".join(s.describe() for s in judged)
    outcome: Outcome = "recorded" if applying else "to_record"
    return Proposal(ind_id, sources, outcome, status=status, note=note)


def _not_allowed(framework: Framework, ind_id: str, status: str) -> str | None:
    """Why ``framework`` refuses ``status`` for ``ind_id`` as 'mentorqa mark' would, if so."""
    if status not in framework.status_labels:
        return f"{framework.id} has no status '{status}'; judge it yourself"
    try:
        judgements.allowed(framework, ind_id, status, None)
    except UsageError as exc:
        return exc.problems[0].message
    return None


def _evidence_wanted(
    framework: Framework, manifest: Manifest, decided: list[Proposal]
) -> tuple[str, ...]:
    """Indicators given a 'met' here that 'mentorqa check' reports until evidence is recorded."""
    met = {p.indicator for p in decided if p.outcome == "recorded" and p.status == "met"}
    if not met:
        return ()
    results = indicator_results(framework, manifest, today())
    return tuple(r.id for r in results if r.id in met and needs_evidence(r, "self"))
