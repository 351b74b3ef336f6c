"""Files on disk: finding the workspace, paths kept inside it, the lock, atomic writes and
checksums."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import MentorqaError, Problem, WorkspaceError
from ..layout import MANIFEST, STATE_DIR

if TYPE_CHECKING:
    from .hashing import HashAhead

# mentorqa's own temporary files: .mentorqa.yaml.XXXX.tmp and .mentorqa.evidence.tsv.XXXX.tmp
TEMP_PREFIX = f".{MANIFEST.split('.')[0]}."
TEMP_SUFFIX = ".tmp"


def find_root(start: Path, *, must_exist: bool = True) -> Path | None:
    """The folder holding ``mentorqa.yaml``: ``start`` or its nearest parent, as git does."""
    try:
        start = start.resolve()
        if start.is_file():
            start = start.parent
        for folder in (start, *start.parents):
            if (folder / MANIFEST).is_file():
                return folder
    except OSError as exc:
        raise WorkspaceError(Problem(f"cannot be read: {exc.strerror or exc}", start)) from None
    if must_exist:
        raise WorkspaceError(
            f"no {MANIFEST} in {start} or any folder above it; run 'mentorqa init' to create a "
            "workspace, or pass --workspace DIR"
        )
    return None


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


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold an exclusive lock on the workspace so that concurrent commands lose nothing."""
    state = root / STATE_DIR
    try:
        state.mkdir(exist_ok=True)
        handle = open(state / "lock", "a+b")  # noqa: SIM115 - closed below, after unlocking
    except OSError as exc:
        raise WorkspaceError(
            Problem(f"cannot take the workspace lock: {exc.strerror or exc}", state / "lock")
        ) from None
    with handle:
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


def write_atomic(path: Path, data: str | bytes) -> None:
    """Replace ``path`` with ``data`` so that readers see the old or the new file, never half.

    A symlink is followed: the file it points at is replaced, and the link stays a link.
    """
    target = path.resolve() if path.is_symlink() else path
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(temp, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def remove_stale_temp_files(folder: Path, older_than: float = 60.0) -> None:
    """Remove mentorqa's own temporary files that a killed write left behind.

    Called while the workspace lock is held, so no live writer owns a file older than a minute.
    """
    cutoff = time.time() - older_than
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.startswith(TEMP_PREFIX) and entry.name.endswith(TEMP_SUFFIX):
                with contextlib.suppress(OSError):
                    if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                        os.unlink(entry.path)


def write_output(path: Path, data: str | bytes, protected: frozenset[Path] = frozenset()) -> None:
    """Write a command's output file (a report, a calendar, a JUnit file).

    Never replaces a file in ``protected`` (the manifest, recorded evidence, mentorqa's own
    files); writes to a device, a pipe or ``-`` as a stream; never replaces a symlink or another
    non-regular file by a new file.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if str(path) == "-":
        sys.stdout.buffer.write(raw)
        sys.stdout.flush()
        return
    try:
        real = path.resolve()
        if real in protected or any(part == STATE_DIR for part in real.parts):
            raise MentorqaError(
                Problem(
                    "is one of the workspace's own files (the manifest, recorded evidence or "
                    "mentorqa's state); choose another output file",
                    path,
                )
            )
        mode = real.stat().st_mode if real.exists() else None
        if mode is not None and not stat.S_ISREG(mode):
            if stat.S_ISDIR(mode):
                raise MentorqaError(Problem("is a folder; give a file name", path))
            with open(real, "wb") as stream:  # a device or a pipe: write through it
                stream.write(raw)
            return
        real.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():
            with open(real, "wb") as handle:  # keep the link; update what it points at
                handle.write(raw)
        else:
            write_atomic(real, raw)
    except OSError as exc:
        raise MentorqaError(Problem(f"cannot be written: {exc.strerror or exc}", path)) from None


def sha256_of(path: Path | str) -> str:
    """The file's sha256, read in one go when small (most evidence is), else in 1 MiB parts."""
    with open(path, "rb") as handle:  # buffered: read(n) returns n bytes unless at the end
        data = handle.read(_WHOLE + 1)
        if len(data) <= _WHOLE:
            return hashlib.sha256(data).hexdigest()
        digest = hashlib.sha256(data)
        for chunk in iter(lambda: handle.read(_WHOLE), b""):
            digest.update(chunk)
    return digest.hexdigest()


_WHOLE = 1 << 20


def _readable_sha256(path: str) -> str | None:
    try:
        return sha256_of(path)
    except OSError:
        return None


def _hash_all(files: list[tuple[str, os.stat_result]]) -> list[str | None]:
    """The checksums of ``files`` (None: unreadable), hashed in two threads over two halves of
    equal size in bytes: hashlib releases the interpreter lock, so both cores hash at once,
    and a thread per half costs nothing per file (a pool's future per file did)."""
    results: list[str | None] = [None] * len(files)

    def work(start: int, stop: int) -> None:
        for n in range(start, stop):
            results[n] = _readable_sha256(files[n][0])

    total = sum(info.st_size for _, info in files)
    half, running = 0, 0
    while half < len(files) and running < total / 2:
        running += files[half][1].st_size
        half += 1
    if len(files) < 8 or total < (1 << 20):
        work(0, len(files))
        return results
    import threading

    other = threading.Thread(target=work, args=(half, len(files)), daemon=True)
    other.start()
    work(0, half)
    other.join()
    return results


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

    def known(self, file: Path | str, info: os.stat_result) -> str | None:
        """The cached checksum, if the file's size and mtime are still those it was made for."""
        return self.split([(str(file), info)])[0].get(str(file))

    def split(
        self, files: list[tuple[str, os.stat_result]]
    ) -> tuple[dict[str, str | None], list[tuple[str, os.stat_result]]]:
        """The checksums the cache holds for ``files`` as they are now, and the files it lacks
        (one tight loop: it runs once per evidence file on every check)."""
        found: dict[str, str | None] = {}
        missing: list[tuple[str, os.stat_result]] = []
        entries = self.entries
        for file, info in files:
            entry = entries.get(file)
            if (
                type(entry) is list
                and len(entry) == 3
                and entry[0] == info.st_size
                and entry[1] == info.st_mtime_ns
            ):
                found[file] = str(entry[2])
            else:
                missing.append((file, info))
        return found, missing

    def checksums(
        self, files: list[tuple[str, os.stat_result]], ahead: HashAhead | None = None
    ) -> dict[str, str | None]:
        """Checksums of many files: cached ones looked up, the rest read in two threads, or
        taken from ``ahead``, a helper hashing them already (see :mod:`.hashing`).
        None: unreadable."""
        found, missing = self.split(files)
        hashed: dict[str, str | None] = {}
        if ahead is not None:
            found = ahead.finish(_readable_sha256)
            for file, info in missing:  # (a file changed since it was given is hashed again)
                if ahead.taken(found, file, info.st_size, info.st_mtime_ns):
                    hashed[file] = found[file]
        rest = [(file, info) for file, info in missing if file not in hashed]
        hashed.update(zip((file for file, _ in rest), _hash_all(rest), strict=True))
        for file, info in missing:
            found[file] = value = hashed[file]
            if value is not None:
                self.remember(file, info, value)
        return found

    def remember(self, file: Path | str, info: os.stat_result, value: str) -> None:
        """Keep ``value`` as the checksum of ``file`` at this size and modification time."""
        self.entries[str(file)] = [info.st_size, info.st_mtime_ns, value]
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(exist_ok=True)
            write_atomic(self.path, json.dumps(self.entries))
        self.dirty = False


def repository_base(root: Path) -> str:
    """The workspace folder relative to the repository root, as SARIF and GitHub name files.

    The root is the git toplevel holding the workspace; outside git (an export, a tarball), the
    current folder, which in a CI job is the checkout.
    """
    import subprocess

    top = Path.cwd()
    try:
        found = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:  # git is not installed: not a reason to fail the check
        found = None
    if found is not None and found.returncode == 0 and found.stdout.strip():
        top = Path(found.stdout.strip())
    return Path(os.path.relpath(root.resolve(), top.resolve())).as_posix()


def installed(library: str) -> tuple[str, int]:
    """Where ``library`` is installed and when (a reinstall changes the time), without importing
    it: part of the key of what is cached from its output (a schema, a help text)."""
    import importlib.util

    spec = importlib.util.find_spec(library)
    if spec is None or spec.origin is None:
        raise OSError(f"{library} is not installed")
    return spec.origin, os.stat(spec.origin).st_mtime_ns


def keep_cached(path: Path, data: str | bytes) -> None:
    """Write an entry of the user's cache folder atomically (readers see the old entry or the
    new one), but without waiting for the disk: a lost entry only costs time, as a read-only
    home does."""
    import threading

    temp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()


def cache_dir(kind: str) -> Path | None:
    """The user's cache folder for ``kind`` (never inside a workspace); None when turned off
    (``MENTORQA_NO_CACHE=1``)."""
    if os.environ.get("MENTORQA_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mentorqa" / kind
