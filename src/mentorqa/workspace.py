"""A service's workspace: the folder holding ``mentorqa.yaml`` and its evidence.

Reading is fast and safe (plain data validated by pydantic). Writing goes through
:func:`edit`, which takes a lock, re-reads the file in round-trip mode so that the user's comments,
key order and quoting survive, applies a change, validates the result and replaces the file
atomically. Nothing is written when the change or the result is invalid.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .comments import lost_comments
from .errors import MentorqaError, Problem, WorkspaceError
from .yamlio import dump_roundtrip, load_roundtrip, load_safe, read_text, validation_problems

MANIFEST = "mentorqa.yaml"
STATE_DIR = ".mentorqa"  # cache and lock; kept out of git
PRIVATE_DIR = "private"
EVIDENCE_DIR = "evidence"
MANIFEST_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Service(_Model):
    name: str = Field(min_length=1)
    organisation: str = ""
    turnover: float | None = Field(
        None, ge=0, allow_inf_nan=False, description="Annual turnover of the whole organisation."
    )
    sector: str | None = Field(None, description="For membership fees, e.g. not_for_profit.")


class Privacy(_Model):
    names_consent: bool = Field(
        False,
        description="True only when everyone whose real name is recorded has agreed to be named "
        "in reports. Otherwise reports show roles and pseudonyms only.",
    )


# Dates a mentoring service can mean. Far-off years are typing slips (2062 for 2026 stays
# possible) and would overflow the date arithmetic of timelines, so they are refused on entry.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)


def plausible(day: dt.date) -> dt.date:
    """``day`` unchanged, or a ValueError when it lies outside EARLIEST_DATE..LATEST_DATE."""
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(
            f"{day.isoformat()} is outside {EARLIEST_DATE.year}-{LATEST_DATE.year}; check the year"
        )
    return day


Day = Annotated[dt.date, AfterValidator(plausible)]


class Judgement(_Model):
    status: str
    rating: int | None = None
    note: str = ""
    date: Day | None = None


class EvidenceFile(_Model):
    file: str = Field(description="Path relative to the workspace folder.")
    sha256: str
    size: int = Field(ge=0)
    recorded: Day
    note: str = ""


class IndicatorRecord(_Model):
    self_: Judgement | None = Field(None, alias="self", description="The service's judgement.")
    assessor: Judgement | None = None
    evidence: tuple[EvidenceFile, ...] = ()


class Interview(_Model):
    role: str
    pseudonym: str = Field(min_length=1, description="Never a real name, e.g. 'Mentor A'.")
    name: str = Field("", description="Real name: shown in reports only with names_consent.")
    date: Day | None = None
    minutes: int | None = Field(None, ge=1)
    indicators: tuple[str, ...] = ()
    note: str = ""


class CaseStudy(_Model):
    kind: str
    title: str = ""
    file: str = ""
    indicators: tuple[str, ...] = ()
    note: str = ""


class Visit(_Model):
    mode: str = "on_site"


class AreaNotes(_Model):
    strengths: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()


class Priority(_Model):
    area: str = ""
    goal: str = Field(min_length=1)
    actions: tuple[str, ...] = ()
    owner: str = ""
    target: Day | None = None


class Plan(_Model):
    strengths: tuple[str, ...] = ()
    improvements: tuple[str, ...] = ()
    priorities: tuple[Priority, ...] = ()


class Signature(_Model):
    name: str = ""
    role: str = ""


class Manifest(_Model):
    """Everything one service records: the contents of ``mentorqa.yaml``."""

    mentorqa: int = Field(MANIFEST_VERSION, description="Version of this file's layout.")
    framework: str = Field(description="Framework id, e.g. qim or nqms.")
    framework_version: str = ""
    service: Service
    privacy: Privacy = Privacy()
    dates: dict[str, Day] = Field(
        default_factory=dict, description="Event id -> the date it happened."
    )
    eligibility: dict[str, bool] = Field(default_factory=dict)
    indicators: dict[str, IndicatorRecord] = Field(default_factory=dict)
    interviews: tuple[Interview, ...] = ()
    case_studies: tuple[CaseStudy, ...] = ()
    visit: Visit = Visit()
    areas: dict[str, AreaNotes] = Field(
        default_factory=dict, description="Practice area id -> strengths and suggestions."
    )
    plan: Plan = Plan()
    statement: Signature = Signature()


class Workspace:
    """A loaded workspace: its root folder and its validated manifest."""

    def __init__(self, root: Path, manifest: Manifest) -> None:
        self.root = root
        self.manifest = manifest

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    def relative(self, path: Path) -> str:
        """The workspace-relative form of a path given on the command line.

        The path must exist and resolve, symlinks followed, inside the workspace.
        """
        resolved = inside(self.root, path)
        return resolved.relative_to(self.root.resolve()).as_posix()

    def path_of(self, stored: str) -> Path:
        """The file a stored relative path names; refused when it leads outside."""
        return inside(self.root, self.root / stored, must_exist=False)


def inside(root: Path, path: Path, *, must_exist: bool = True) -> Path:
    """``path`` resolved (symlinks followed); an error unless it lies inside ``root``."""
    real_root = root.resolve()
    try:
        resolved = path.resolve(strict=must_exist)
    except FileNotFoundError:
        raise WorkspaceError(Problem("no such file; check the path", path)) from None
    except (OSError, RuntimeError) as exc:
        raise WorkspaceError(Problem(f"cannot be resolved: {exc}", path)) from None
    if resolved != real_root and real_root not in resolved.parents:
        raise WorkspaceError(
            Problem(
                f"is outside the workspace {real_root}; copy the file into the workspace "
                "(for example into evidence/) and record that copy",
                path,
            )
        )
    return resolved


def find_root(start: Path, *, must_exist: bool = True) -> Path | None:
    """The folder holding ``mentorqa.yaml``: ``start`` or its nearest parent, as git does."""
    start = start.resolve()
    if start.is_file():
        start = start.parent
    for folder in (start, *start.parents):
        if (folder / MANIFEST).is_file():
            return folder
    if must_exist:
        raise WorkspaceError(
            f"no {MANIFEST} in {start} or any folder above it; run 'mentorqa init' to create a "
            "workspace, or pass --workspace DIR"
        )
    return None


def _parse(text: str, path: Path) -> Manifest:
    data = load_safe(text, path)
    if not isinstance(data, dict):
        raise WorkspaceError(
            Problem("the manifest must be a YAML mapping (key: value lines)", path, 1, 1)
        )
    try:
        return Manifest.model_validate(data)
    except ValidationError as exc:
        raise WorkspaceError(validation_problems(exc, text, path)) from None


def load(where: Path | None = None) -> Workspace:
    """Find and load the workspace at or above ``where`` (default: the current folder)."""
    if where is not None and not where.exists():
        raise WorkspaceError(Problem("no such folder", where))
    root = find_root(where or Path.cwd())
    assert root is not None
    path = root / MANIFEST
    return Workspace(root, _parse(read_text(path), path))


# --- writing ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """Hold an exclusive lock on the workspace so that concurrent commands lose nothing."""
    state = root / STATE_DIR
    state.mkdir(exist_ok=True)
    with open(state / "lock", "a+b") as handle:
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that readers see the old or the new file, never half."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(temp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


@contextlib.contextmanager
def edit(workspace: Workspace) -> Iterator[CommentedMap]:
    """Change the manifest in place, keeping comments; validated and written atomically on exit.

    The body receives the round-trip document; ``workspace.manifest`` is refreshed afterwards.
    """
    path = workspace.manifest_path
    with _locked(workspace.root):
        raw = read_text(path, newline="")  # one read; line endings as they are in the file
        crlf = "\r\n" in raw
        text = raw.replace("\r\n", "\n") if crlf else raw
        _parse(text, path)  # refuse to rewrite a manifest that is already broken
        document = load_roundtrip(text, path)
        yield document
        new_text = dump_roundtrip(document, like=text)
        manifest = _parse_new(new_text, path)
        if lost := lost_comments(text, new_text):
            # comments.py places every comment line; should a shape escape it, keep the file.
            raise WorkspaceError(
                Problem(
                    f"not saved: the change would lose the comment line {lost[0]!r}; move that "
                    "comment next to another line and run the command again",
                    path,
                )
            )
        if crlf:
            new_text = new_text.replace("\n", "\r\n")  # keep Windows line endings as they were
        write_atomic(path, new_text)
    workspace.manifest = manifest


def _parse_new(text: str, path: Path) -> Manifest:
    try:
        return _parse(text, path)
    except MentorqaError as exc:
        # The change itself was bad (the command's own check missed it): keep the file as it was.
        problems = [
            Problem(f"not saved, the change would make it invalid: {p.message}", path)
            for p in exc.problems
        ]
        raise WorkspaceError(problems) from None


def block(data: dict[str, Any]) -> CommentedMap:
    """A new block-style mapping for the manifest, leaving out empty values."""
    mapping = CommentedMap()
    for key, value in data.items():
        if value in (None, "", [], ()):
            continue
        mapping[key] = CommentedSeq(value) if isinstance(value, (list, tuple)) else value
    return mapping


# --- checksums ---------------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class ChecksumCache:
    """Checksums keyed by path, size and modification time, so unchanged files are not re-read.

    Kept in ``.mentorqa/checksums.json`` (out of git); losing it only costs time.
    """

    def __init__(self, root: Path) -> None:
        self.path = root / STATE_DIR / "checksums.json"
        self.entries: dict[str, list[Any]] = {}
        self.dirty = False
        with contextlib.suppress(OSError, ValueError):
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self.entries = loaded

    def checksum(self, file: Path) -> str:
        stat = file.stat()
        key = str(file)
        entry = self.entries.get(key)
        if entry and entry[0] == stat.st_size and entry[1] == stat.st_mtime_ns:
            return str(entry[2])
        value = sha256_of(file)
        self.entries[key] = [stat.st_size, stat.st_mtime_ns, value]
        self.dirty = True
        return value

    def save(self) -> None:
        if not self.dirty:
            return
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(exist_ok=True)
            write_atomic(self.path, json.dumps(self.entries))
        self.dirty = False


def today() -> dt.date:
    """Today's date; ``MENTORQA_TODAY`` (YYYY-MM-DD) fixes it for examples and tests."""
    fixed = os.environ.get("MENTORQA_TODAY")
    if fixed:
        try:
            return plausible(dt.date.fromisoformat(fixed))
        except ValueError:
            raise MentorqaError(
                f"MENTORQA_TODAY must be a date like 2026-03-01 between {EARLIEST_DATE.year} and "
                f"{LATEST_DATE.year}, not '{fixed}'"
            ) from None
    return dt.date.today()
