"""Evidence: a 'met' judgement needs evidence its method accepts; recorded files must exist
inside the workspace, outside private/, as they were recorded."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping, Sequence
from typing import Literal

from ..layout import EVIDENCE_DIR, PRIVATE_DIR
from .findings import Finding
from .indicators import IndicatorResult

FileState = Literal["ok", "missing", "changed", "outside", "private"]


def is_private(rel: str) -> bool:
    """Whether a workspace-relative path lies in private/ (never evidence, never in git),
    however it is written (``./private/x``, ``evidence/../private/x``)."""
    if PRIVATE_DIR not in rel:
        return False  # (most paths: no need to normalise them)
    rel = posixpath.normpath(rel.replace("\\", "/"))
    return rel == PRIVATE_DIR or rel.startswith(f"{PRIVATE_DIR}/")


def in_private(real: str) -> bool:
    """Whether a resolved workspace-relative path ('/' between its parts, none of them '.' or
    '..') lies in private/. On the file system a backslash is part of a name, not a separator:
    ``private/..\\notes.pdf`` is a file in private/, whatever :func:`is_private` would make of
    it as a name written in the manifest."""
    return real == PRIVATE_DIR or real.startswith(f"{PRIVATE_DIR}/")


PRIVATE_MESSAGE = (
    f"is in {PRIVATE_DIR}/, which stays out of git and out of reports because it may name "
    f"people; record a copy without names (for example in {EVIDENCE_DIR}/) instead"
)


def needs_evidence(r: IndicatorResult, by: str) -> bool:
    """Whether a 'met' by ``by`` ('self' or 'assessor') still lacks the evidence it needs."""
    if not r.method.evidence_required or r.has_evidence:
        return False
    if by == "assessor":
        return not r.method.assessor_judgement_is_evidence
    return not (r.assessor is not None and r.method.assessor_judgement_is_evidence)


def findings(
    results: Sequence[IndicatorResult], files: Mapping[str, FileState]
) -> Iterator[Finding]:
    for r in results:
        for key, judgement in (("self", r.service), ("assessor", r.assessor)):
            if judgement is not None and judgement.status == "met" and needs_evidence(r, key):
                kinds = ", ".join(k.replace("_", " ") for k in r.method.accepts)
                who = "the service" if key == "self" else "the assessor"
                yield Finding(
                    "MQA110",
                    f"judged met by {who} but no evidence is recorded ({r.method.name} "
                    f"accepts: {kinds}); add it with 'mentorqa evidence add {r.id} FILE'",
                    r.id,
                    loc=("indicators", r.id, key),
                )
        for index, item in enumerate(r.evidence):
            state = "private" if is_private(item.file) else files.get(item.file, "ok")
            finding = _file_finding(r.id, item.file, state)
            if finding is not None:
                yield Finding(
                    finding[0],
                    finding[1],
                    r.id,
                    loc=("indicators", r.id, "evidence", index),
                )


def _file_finding(ind_id: str, file: str, state: str) -> tuple[str, str] | None:
    if state == "missing":
        return (
            "MQA111",
            f"evidence file {file} is missing; restore it, or remove the record with "
            f"'mentorqa evidence remove {ind_id} {file}'",
        )
    if state == "outside":
        return (
            "MQA112",
            f"evidence path {file} leads outside the workspace; record a copy inside it",
        )
    if state == "private":
        return ("MQA113", f"evidence file {file} {PRIVATE_MESSAGE}")
    if state == "changed":
        return (
            "MQA201",
            f"evidence file {file} changed since it was recorded; record it afresh with "
            f"'mentorqa evidence add {ind_id} {file}'",
        )
    return None
