"""The library's workspace: one service's folder, its manifest and its framework.

Reads return result objects (:mod:`mentorqa.results`). Every write (:mod:`mentorqa.recording`)
takes the workspace lock, reads the manifest once, checks the change against the framework's
rules on that fresh state, writes atomically (patching only what changed) and returns a
:class:`~mentorqa.recording.base.Change`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import MentorqaError, Problem, UnknownFrameworkError, UsageError, resolve
from .frameworks import Found, Framework, get
from .layout import EVIDENCE_TABLE, MANIFEST, MANIFEST_VERSION, PRIVATE_DIR
from .manifest import Manifest
from .recording.base import Draft, resolve_sector
from .recording.deferred import MapWrites, SheetWrites
from .recording.migrate import MigrateWrites
from .recording.plan import PlanWrites
from .recording.records import RecordWrites
from .recording.visit import VisitWrites
from .rules.evidence import FileState, in_private
from .rules.indicators import blank
from .store.files import (
    ChecksumCache,
    find_root,
    locked,
    remove_stale_temp_files,
)
from .store.manifest_file import (
    ManifestFile,
    append_evidence,
    patch_record,
    read_manifest,
    save_manifest,
    upgraded,
)
from .store.scaffold import scaffold
from .values import today

if TYPE_CHECKING:  # what only reads need is imported by them (a write starts sooner)
    from . import results
    from .assessment import Assessment
    from .store.hashing import HashAhead

T = TypeVar("T")


class Workspace(RecordWrites, VisitWrites, PlanWrites, SheetWrites, MigrateWrites, MapWrites):
    """A service's workspace. Use :func:`open_workspace` or :func:`create_workspace`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._file: ManifestFile | None = None
        self._found: Found | None = None
        self.created: list[Path] = []  # what create_workspace made
        self._ahead_wanted = False  # hash evidence while a first read validates
        self._ahead: _Ahead | None = None

    def __repr__(self) -> str:
        return f"Workspace({str(self.root)!r})"

    @property
    def path(self) -> Path:
        """The manifest, ``mentorqa.yaml``."""
        return self.root / MANIFEST

    # --- reading ------------------------------------------------------------------------------

    @property
    def file(self) -> ManifestFile:
        if self._file is None:
            wanted = self._ahead_wanted
            self._file = read_manifest(
                self.root, for_write=self._for_write, afresh=self._start_hashing if wanted else None
            )
        return self._file

    @contextlib.contextmanager
    def _hashing_ahead(self) -> Iterator[None]:
        """While this runs, a first read of a manifest the cache cannot answer starts a helper
        hashing the evidence the checksum cache lacks (:mod:`.store.hashing`), for
        :meth:`evidence_states` to take; the helper is stopped when this ends, however it
        ends (its ``stop`` may be called twice)."""
        self._ahead_wanted = True
        try:
            yield
        finally:
            self._ahead_wanted = False
            ahead, self._ahead = self._ahead, None
            if ahead is not None:
                ahead.hashing.stop()

    def _start_hashing(self, files: list[str]) -> None:
        """Start hashing ``files`` (the evidence the manifest names) that the checksum cache
        lacks, if there is enough to be worth a helper."""
        from .store.hashing import HashAhead, worth_it

        cache = ChecksumCache(self.root)
        # Where the files are is not kept: evidence_states looks again once the manifest is
        # validated, and takes a helper's checksum only for a file still as it was given.
        missing = cache.split(list(_settle(str(self.root.resolve()), files)[1].values()))[1]
        stats = [(info.st_size, info.st_mtime_ns) for _, info in missing]
        if worth_it([size for size, _ in stats]):
            self._ahead = _Ahead(cache, HashAhead([path for path, _ in missing], stats))

    @property
    def manifest(self) -> Manifest:
        return self.file.manifest

    @property
    def found(self) -> Found:
        """The framework the manifest names, and where it was found."""
        if self._found is None or (
            self._file is not None and self._found.framework.id != self.manifest.framework
        ):
            self._found = self._find_framework(self.file)
        return self._found

    @property
    def framework(self) -> Framework:
        return self.found.framework

    def _find_framework(self, current: ManifestFile) -> Found:
        try:
            return get(current.manifest.framework, self.root)
        except UnknownFrameworkError as exc:
            # Point at the manifest's 'framework:' line, where the id came from.
            raise UnknownFrameworkError(
                [current.document.problem(p.message, ["framework"]) for p in exc.problems]
            ) from None

    def version_warning(self) -> str | None:
        """A sentence when the manifest was made for another version of its framework."""
        recorded = self.manifest.framework_version
        fw = self.framework
        if recorded and recorded != fw.version:
            return (
                f"{self.path} was made for {fw.id} version {recorded}, but version {fw.version} "
                f"is loaded from {self.found.path}"
            )
        return None

    def protected_files(self) -> frozenset[Path]:
        """Files no output may replace: the manifest and every recorded evidence file."""
        root = self.root.resolve()
        files = {self.path.resolve(), (self.root / EVIDENCE_TABLE).resolve()}
        try:
            for record in self.manifest.indicators.values():
                files.update((root / item.file).resolve() for item in record.evidence)
            files.update((root / c.file).resolve() for c in self.manifest.case_studies if c.file)
        except MentorqaError:
            pass  # an unreadable manifest protects at least itself
        return frozenset(files)

    def resolve_indicator(self, indicator: str) -> str:
        fw = self.framework
        return resolve(
            "indicator",
            indicator,
            fw.indicator_index,
            f"see 'mentorqa frameworks show {fw.id}' for the ids",
        )

    def evidence_states(self) -> dict[str, FileState]:
        """The state on disk of every recorded evidence file, re-hashing only what changed."""
        records = self.manifest.indicators.values()  # a first read may start hashing ahead
        ahead = self._ahead  # (left in place until taken: _hashing_ahead stops it otherwise)
        cache = ahead.cache if ahead is not None else ChecksumCache(self.root)
        recorded: dict[str, str] = {}  # file -> its checksum as first recorded
        for record in records:
            for item in record.evidence:
                recorded.setdefault(item.file, item.sha256)
        states, located = _settle(str(self.root.resolve()), recorded)
        sums = cache.checksums(list(located.values()), ahead.hashing if ahead is not None else None)
        self._ahead = None
        for file, (path, _) in located.items():
            value = sums.get(path)
            states[file] = (
                "missing" if value is None else "ok" if value == recorded[file] else "changed"
            )
        cache.save()
        return states

    def assess(self, level: str | None = None, *, files: bool = False) -> Assessment:
        """Everything known about the workspace today; ``files`` also inspects evidence on disk."""
        from .assessment import assess

        fw = self.framework
        wanted = _level(fw, level)
        states = self.evidence_states() if files else None
        return assess(fw, self.manifest, today(), states, wanted)

    def status(self, level: str | None = None) -> results.Status:
        """Progress per level and area and what is missing (``mentorqa status``)."""
        from . import results

        wanted = _level(self.framework, level)
        return results.Status(self.assess(wanted), wanted)

    def check(self, level: str | None = None, strict: bool = False) -> results.Verdict:
        """Consistency findings for CI (``mentorqa check``); each finding knows its line.

        Called on a workspace whose manifest is not read yet (a fresh :func:`open_workspace`),
        evidence is hashed meanwhile, if there is much to hash and the manifest must be
        validated afresh."""
        from . import results

        with self._hashing_ahead():
            wanted = _level(self.framework, level)
            found = results.verdict(self.assess(wanted, files=True), wanted, strict)
        located = tuple(_place(f, self.file) for f in found.findings)
        return results.Verdict(found.assessment, located, strict)

    def timeline(self) -> results.Timeline:
        """Every milestone with its due date and state (``mentorqa timeline``)."""
        from . import results

        return results.Timeline(self.assess())

    def eligibility(self) -> results.Eligibility:
        from . import results

        return results.Eligibility(self.assess())

    def cost(self, turnover: float | None = None, sector: str | None = None) -> results.Cost:
        """The fees, from the workspace's turnover and sector unless others are given."""
        service = self.manifest.service
        return cost(
            self.framework,
            service.turnover if turnover is None else turnover,
            sector or service.sector,
        )

    def plan(self) -> results.Plan:
        from . import results
        from .rules.plan import rules_of

        rules_of(self.framework)
        return results.Plan(self.assess())

    def indicator(self, indicator: str) -> results.IndicatorView:
        """One indicator with both judgements and its evidence (``mentorqa show``)."""
        from . import results

        ind_id = self.resolve_indicator(indicator)
        found = next(r for r in self.assess().indicators if r.id == ind_id)
        return results.IndicatorView(self.framework, found, self.manifest.privacy.names_consent)

    def changes(self) -> results.Changes:
        """The dated log of significant changes (``mentorqa change list``)."""
        from . import results

        return results.Changes(self.assess())

    def evidence(self, indicator: str | None = None) -> results.EvidenceList:
        from . import results

        with self._hashing_ahead():
            only = self.resolve_indicator(indicator) if indicator is not None else None
            return results.EvidenceList(self.assess(), dict(self.evidence_states()), only)

    # --- writing ------------------------------------------------------------------------------

    def _other(self, source: Path | str) -> tuple[Path, Framework, Manifest]:
        other = open_workspace(source)
        return other.root, other.framework, other.manifest

    def _forget_framework(self) -> None:
        self._found = None

    def _append_evidence(self, indicator: str, entries: list[dict[str, Any]]) -> bool:
        return self._quick(lambda current: append_evidence(current, indicator, entries))

    def _patch_record(self, indicator: str, change: Callable[[dict[str, Any]], bool]) -> bool:
        return self._quick(lambda current: patch_record(current, indicator, change))

    def _quick(self, write: Callable[[ManifestFile], ManifestFile | None]) -> bool:
        """Run a write that changes only what it touches on the fresh state inside the lock;
        False where it could not be done for certain (then nothing was written)."""
        _ready_to_write()
        with locked(self.root):
            remove_stale_temp_files(self.root)
            current = read_manifest(self.root, for_write=True, known=self._file)
            self._file = current
            fresh = current
            if current.manifest.mentorqa < MANIFEST_VERSION:  # (in memory: written with it)
                fresh = upgraded(current) or current
            saved = write(fresh)
            if saved is not None and saved is not fresh:  # (fresh: nothing was written)
                self._file = saved
            return saved is not None

    def _write(self, change: Callable[[Draft], T]) -> T:
        """Run ``change`` on the fresh state inside the lock, then save what it changed."""
        _ready_to_write()
        with locked(self.root):
            remove_stale_temp_files(self.root)
            current = read_manifest(self.root, for_write=True)
            self._file = current
            found = self._find_framework(current)
            self._found = found
            draft = Draft(current.draft(), current.manifest, found.framework, current.table)
            outcome = change(draft)
            if draft.data != current.document.data:
                self._file = save_manifest(current, draft.data)
        return outcome


def _level(framework: Framework, level: str | None) -> str | None:
    """The level a reader asked for, by its id (None for all); the rules load on first use."""
    if level is None:
        return None
    from .rules.levels import resolve_level

    return resolve_level(framework, level)


def _ready_to_write() -> None:
    """Load what every write needs before the lock is taken, so that writers queue only for the
    work on the file. (The validating models are not: a change to a manifest read from the
    cache is judged without them, see conform.py.)"""
    from . import conform  # noqa: F401
    from .store import append, region, yamlio, yamlpatch  # noqa: F401

    yamlio.prepare()


@dataclass
class _Ahead:
    """Hashing begun during a first read: the checksum cache it consulted, and the helper
    hashing the files the cache lacks."""

    cache: ChecksumCache
    hashing: HashAhead


def _settle(
    root: str, files: Iterable[str]
) -> tuple[dict[str, FileState], dict[str, tuple[str, os.stat_result]]]:
    """The state of each evidence file where its place settles it (outside the workspace, in
    private/, missing), and the real path and status of the rest, which are to be hashed.

    This runs once per recorded file on every check (50,000 at the largest workspaces), so the
    usual case is one dictionary look-up and one ``lstat``: a regular file, not a link, whose
    name cannot make it private, in a folder (resolved once) inside the workspace and out of
    private/. Anything else is settled by :func:`_file_state`, which this must agree with."""
    states: dict[str, FileState] = {}
    located: dict[str, tuple[str, os.stat_result]] = {}
    folders = _Folders()
    lstat, regular = os.lstat, stat.S_ISREG
    for file in files:
        if file in states or file in located:
            continue
        folder, _, name = file.rpartition("/")
        prefix = folders.plain.get(folder)
        if prefix is None:
            prefix = folders.plain_prefix(root, folder)
        plain_name = name not in _UNPLAIN_NAMES and PRIVATE_DIR not in name
        if prefix and plain_name and not file.startswith("/"):
            path = prefix + name
            try:
                info = lstat(path)
            except (OSError, ValueError):
                states[file] = "missing"
                continue
            if regular(info.st_mode):
                located[file] = (path, info)
                continue
            if not stat.S_ISLNK(info.st_mode):
                states[file] = "missing"
                continue
        state, found = _file_state(root, file, folders)
        if found is None:
            states[file] = state
        else:
            located[file] = found
    return states, located


_UNPLAIN_NAMES = ("", ".", "..")


def _file_state(
    root: str, file: str, folders: _Folders
) -> tuple[FileState, tuple[str, os.stat_result] | None]:
    """A file's state where its place settles it, else its real path and status to hash.

    Paths are plain strings here: a check over thousands of files spent most of its time
    building ``Path`` objects."""
    try:
        path, info = folders.locate(root, file)
        inside = root.rstrip(os.sep) + os.sep
        if path != root and not path.startswith(inside):
            return "outside", None
        if in_private(path[len(inside) :].replace(os.sep, "/")):
            return "private", None  # a link from evidence/ into private/ is private too
        if info is None or not stat.S_ISREG(info.st_mode):
            return "missing", None
        return "ok", (path, info)
    except (OSError, ValueError):
        return "missing", None


class _Folders:
    """Real paths of evidence files for one run: each folder is resolved once, and a file that
    is not a link costs one ``lstat`` (a full resolve costs one per part of the path)."""

    def __init__(self) -> None:
        self.real: dict[str, str] = {}
        self.plain: dict[str, str] = {}  # folder -> its real path and "/", or "" (see _settle)

    def plain_prefix(self, root: str, folder: str) -> str:
        """The real path of ``folder`` and a "/" if it lies inside ``root`` and nothing in its
        name can place its files in private/; else "" (its files take the long way)."""
        prefix = ""
        if os.sep == "/" and not folder.startswith("/"):
            try:
                real = self.real.get(folder)
                if real is None:
                    real = self.real[folder] = os.path.realpath(os.path.join(root, folder))
            except (OSError, ValueError):
                real = ""
            inside = root.rstrip("/") + "/"
            if real == root:
                prefix = inside
            elif real.startswith(inside) and PRIVATE_DIR not in real[len(inside) :]:
                prefix = real + "/"
        self.plain[folder] = prefix
        return prefix

    def locate(self, root: str, file: str) -> tuple[str, os.stat_result | None]:
        """The real path of ``file`` (relative to ``root``) and its status (of the target, for
        a link; None if missing)."""
        folder, _, name = file.rpartition("/")
        if name in ("", ".", "..") or os.sep != "/" or file.startswith("/"):
            path = os.path.realpath(os.path.join(root, file))
        else:
            real = self.real.get(folder)
            if real is None:
                real = self.real[folder] = os.path.realpath(os.path.join(root, folder))
            path = f"{real.rstrip('/')}/{name}"
        try:
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                path = os.path.realpath(path)
                info = os.stat(path)
        except OSError:
            return path, None
        return path, info


def _place(finding: Any, file: ManifestFile) -> Any:
    """The finding with the manifest line its node is on."""
    from dataclasses import replace

    return replace(finding, line=file.line_of(finding.loc) if finding.loc else None)


def cost(framework: Framework, turnover: float | None, sector: str | None = None) -> results.Cost:
    """What ``framework`` costs an organisation with ``turnover`` (no workspace needed)."""
    from . import results
    from .rules.costs import quote

    chosen = resolve_sector(framework, sector) if sector else None
    return results.Cost(quote(framework, turnover, chosen))


def create_workspace(
    path: Path | str,
    framework: str,
    name: str,
    *,
    turnover: float | None = None,
    start: dt.date | None = None,
    cycle: str | None = None,
) -> Workspace:
    """Create a workspace in ``path`` (created if needed) for the framework with id ``framework``.

    ``start`` is the date the process started (the framework's first event, or the start of
    ``cycle``, e.g. ``"reaccreditation"``); without it nothing is recorded and deadlines that
    count from it wait. Refuses a folder that already holds a
    workspace or lies inside one. Existing files are never overwritten.
    """
    folder = Path(path)
    try:
        folder.resolve().exists()
    except (OSError, RuntimeError) as exc:
        raise MentorqaError(Problem(f"cannot be used: {exc}", folder)) from None
    if not name.strip():
        raise UsageError("the service name must not be empty")
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            Problem("is a file, not a folder; give a folder for the workspace", folder)
        )
    enclosing = find_root(folder, must_exist=False)
    if enclosing is not None:
        where = "here" if enclosing == folder.resolve() else f"in {enclosing}"
        raise UsageError(
            Problem(
                f"a workspace already exists {where}; nothing was changed", enclosing / MANIFEST
            )
        )
    found = get(framework, folder.resolve() if folder.is_dir() else None)
    fw = found.framework
    chosen = resolve("cycle", cycle, [c.id for c in fw.cycles]) if cycle is not None else None
    start_event = fw.start_event(chosen)
    dates = {start_event: start} if start is not None and start_event else {}
    from .schema import manifest_schema

    created = scaffold(folder, fw, name.strip(), turnover, dates, chosen, manifest_schema(fw))
    workspace = Workspace(folder.resolve())
    workspace.created = created
    workspace._found = found  # what it was made for (no need to read it back)
    return workspace


def open_workspace(path: Path | str | None = None) -> Workspace:
    """The workspace at ``path`` or the nearest folder above it holding ``mentorqa.yaml``."""
    where = Path(path) if path is not None else Path.cwd()
    try:
        exists = where.exists()
    except OSError as exc:  # a name past the system's limit, a loop of links
        raise MentorqaError(Problem(f"cannot be used: {exc.strerror or exc}", where)) from None
    if not exists:
        raise MentorqaError(Problem("no such folder", where))
    root = find_root(where)
    assert root is not None
    return Workspace(root)


def indicator(framework: Framework, indicator: str) -> results.IndicatorView:
    """One indicator of ``framework`` with nothing recorded (``mentorqa show`` outside a
    workspace)."""
    from . import results

    ind_id = resolve(
        "indicator",
        indicator,
        framework.indicator_index,
        f"see 'mentorqa frameworks show {framework.id}' for the ids",
    )
    return results.IndicatorView(framework, blank(framework, ind_id))
