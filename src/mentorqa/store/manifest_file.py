"""Reading ``mentorqa.yaml`` once per command, and writing it back so that only what changed
changes: comments, layout and the spelling of every untouched value stay byte for byte."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import Problem, WorkspaceError
from ..manifest import MANIFEST, MANIFEST_VERSION, SCHEMA_FILE, Manifest
from . import yamlpatch
from .files import write_atomic
from .yamlio import Document, parse_document, read_text, validate, validation_problems


@dataclass(frozen=True)
class ManifestFile:
    """One read of ``mentorqa.yaml``: its parsed document and the validated manifest."""

    document: Document
    manifest: Manifest
    crlf: bool

    def draft(self) -> dict[str, Any]:
        """A copy of the plain data for a write to change."""
        data: dict[str, Any] = copy.deepcopy(self.document.data)
        return data


def read_manifest(root: Path) -> ManifestFile:
    """Read and validate the manifest, with one parse."""
    path = root / MANIFEST
    raw = read_text(path, newline="")
    # A Windows file is read and written with its CRLF endings kept; a file that mixes endings
    # is patched as it is, so the lines a write does not touch keep theirs.
    crlf = "\r\n" in raw and raw.count("\r\n") == raw.count("\n")
    document = parse_document(raw.replace("\r\n", "\n") if crlf else raw, path)
    return ManifestFile(document, validate(Manifest, document), crlf)


def save_manifest(current: ManifestFile, data: dict[str, Any]) -> ManifestFile:
    """Write ``data`` over the manifest ``current`` was read from, patching only the changed
    values. Nothing is written unless the new text reads back as exactly ``data`` and is valid."""
    path = current.document.path
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(exc, current.document)
        raise WorkspaceError(
            [
                Problem(f"not saved, the change would make it invalid: {p.message}", path)
                for p in problems
            ]
        ) from None
    document = current.document
    if document.root is None:
        raise WorkspaceError(
            Problem(
                "not saved: this file uses YAML that mentorqa can read but not rewrite "
                "safely; edit it by hand",
                path,
            )
        )
    try:
        text = yamlpatch.rewrite(document.text, document.root, data, document.data)
    except yamlpatch.PatchError as exc:
        raise WorkspaceError(Problem(f"not saved: {exc}", path)) from None
    except ValueError as exc:
        raise WorkspaceError(Problem(f"not saved: a value {exc}", path)) from None
    written = parse_document(text, path)
    if written.data != data:  # the safety net: what is written must read back as meant
        raise WorkspaceError(
            Problem(
                "not saved: the change could not be written exactly; edit the file by hand", path
            )
        )
    try:
        write_atomic(path, text.replace("\n", "\r\n") if current.crlf else text)
    except OSError as exc:
        raise WorkspaceError(
            Problem(f"not saved: cannot be written ({exc.strerror or exc}); nothing changed", path)
        ) from None
    return ManifestFile(written, manifest, current.crlf)


def new_manifest_text(
    framework_id: str,
    framework_name: str,
    framework_version: str,
    name: str,
    turnover: int | float | None,
    dates: dict[str, date],
    cycle: str | None = None,
) -> str:
    """A new, commented ``mentorqa.yaml``. Every value a user gave goes through the scalar
    renderer, so no name can add lines or keys to the file."""
    scalar = yamlpatch.render_scalar
    lines = [
        f"# yaml-language-server: $schema=./{SCHEMA_FILE}",
        f"# mentorqa workspace: the evidence manifest for {' '.join(framework_name.split())}.",
        "# Edit by hand or with mentorqa commands; comments you add are kept.",
        "# Run 'mentorqa status' to see what is still missing.",
        f"mentorqa: {MANIFEST_VERSION}",
        f"framework: {scalar(framework_id)}",
        f"framework_version: {scalar(framework_version)}",
        *([f"cycle: {scalar(cycle)}"] if cycle else []),
        "service:",
        f"  name: {scalar(name)}",
    ]
    if turnover is not None:
        lines.append(f"  turnover: {scalar(turnover)}")
    lines += [
        "privacy:",
        "  # Set to true only when everyone named below has agreed to be named in reports.",
        "  names_consent: false",
        "# Dates of the process's events (see 'mentorqa timeline').",
        "dates:" + ("" if dates else " {}"),
        *(f"  {scalar(event)}: {day.isoformat()}" for event, day in dates.items()),
        "# Answers to the eligibility questions (see 'mentorqa eligibility').",
        "eligibility: {}",
        "# One entry per indicator: the service's own judgement, the assessor's, and evidence.",
        "indicators: {}",
    ]
    return "\n".join(lines) + "\n"
