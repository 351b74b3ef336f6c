"""Hashing evidence in a helper process while the command reads and validates the workspace.

A first ``check`` (a fresh clone in CI: no checksums cached, no validated manifest cached)
spends about as long validating the manifest as hashing thousands of files, and both cannot
share the interpreter: threads that hash stall behind a thread that validates (each file needs
the interpreter lock a few times, and waits for it). A helper Python process hashes on the other
core instead, from the front of the list; when the command is ready for the checksums it hashes
from the back itself until the two meet, then stops the helper.

The helper runs the few lines of :data:`HELPER` (the standard library only, ``-I -S``: no
site, no environment, nothing from the workspace). It reads the paths from its stdin, says
:data:`HELLO`, then writes one line per file: the sha256 in hex, or ``-`` for a file it could
not read. Anything else it says ends what is taken from it (a ``sys.executable`` that is not
Python, as in an embedded interpreter, is never believed).
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import threading
from array import array
from collections.abc import Callable

HELLO = b"mentorqa hashes 1"
HELPER = """\
import hashlib, os, sys
out = sys.stdout.buffer
paths = sys.stdin.buffer.read().split(b"\\0")
out.write(b"mentorqa hashes 1\\n")
for path in paths:
    try:
        digest = hashlib.sha256()
        with open(path.decode("utf-8", "surrogatepass") if os.name == "nt" else path, "rb") as f:
            for part in iter(lambda: f.read(1 << 20), b""):
                digest.update(part)
        line = digest.hexdigest().encode() + b"\\n"
    except OSError:
        line = b"-\\n"
    try:
        out.write(line)
        out.flush()
    except OSError:  # the command has ended or stopped reading
        os._exit(0)
"""
_LINE = re.compile(rb"[0-9a-f]{64}|-")

# Hashing ahead pays where the files to hash take longer than starting a Python (~20 ms).
AHEAD_BYTES = 8 << 20
AHEAD_FILES = 64


def worth_it(sizes: list[int]) -> bool:
    """Whether files of these sizes are worth a helper process."""
    return len(sizes) >= AHEAD_FILES and sum(sizes) >= AHEAD_BYTES


def _encoded(path: str) -> bytes:
    """A path as the helper opens it: the file system's bytes (on Windows, UTF-8, which the
    helper decodes whatever the command's own settings)."""
    return path.encode("utf-8", "surrogatepass") if os.name == "nt" else os.fsencode(path)


class HashAhead:
    """A helper process hashing ``paths`` in order; :meth:`finish` gives every checksum."""

    def __init__(self, paths: list[str], stats: list[tuple[int, int]] | None = None) -> None:
        """``stats``: each path's size and modification time (ns) before it was given here; a
        checksum is taken for a file only while they still hold (see :meth:`taken`)."""
        self.paths = paths
        self._before = array("q", [n for pair in stats or () for n in pair])
        # The helper's results in the order of paths, compactly (at 50,000 files a list of
        # hex strings was 6 MB at the command's peak): 32 bytes each, zeros for unreadable.
        self._digests = bytearray()
        self._unreadable: set[int] = set()
        self._index: dict[str, int] | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        self._reader: threading.Thread | None = None
        if not paths or not sys.executable or getattr(sys, "frozen", False):
            return  # no Python to start (an embedded or frozen app): the command hashes all
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", HELPER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
            )
        except OSError:
            return
        self._reader = threading.Thread(target=self._talk, daemon=True)
        self._reader.start()

    def _talk(self) -> None:
        """Give the helper its paths (in this thread: a long list would keep the command
        waiting for the helper to read it), then take its lines as they come."""
        proc = self.proc
        assert proc is not None and proc.stdin is not None and proc.stdout is not None
        with contextlib.suppress(OSError, ValueError):
            for start in range(0, len(self.paths), 1000):  # (not all at once: memory)
                part = self.paths[start : start + 1000]
                proc.stdin.write(b"\0".join(_encoded(p) for p in part))
                proc.stdin.write(b"\0" if start + 1000 < len(self.paths) else b"")
            proc.stdin.close()
            pipe, pending, greeted = proc.stdout.fileno(), b"", False
            for chunk in iter(lambda: os.read(pipe, 1 << 16), b""):
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    if not greeted and line == HELLO:
                        greeted = True
                    elif greeted and _LINE.fullmatch(line) and self.done < len(self.paths):
                        if line == b"-":
                            self._unreadable.add(self.done)
                        self._digests += bytes(32) if line == b"-" else bytes.fromhex(line.decode())
                    else:
                        return  # not the helper speaking: nothing more is taken

    def finish(self, digest: Callable[[str], str | None]) -> dict[str, str | None]:
        """Every path's checksum (None: unreadable): the helper's, and from the back of the
        list, ``digest``'s, until the two meet; nothing when no helper started (the command
        hashes in its own way). The helper is stopped."""
        if self._reader is None:
            return {}
        mine: dict[int, str | None] = {}
        index = len(self.paths) - 1
        while index >= self.done:
            mine[index] = digest(self.paths[index])
            index -= 1
        self.stop()
        done = self.done
        return {path: self._result(n) if n < done else mine[n] for n, path in enumerate(self.paths)}

    def taken(self, found: dict[str, str | None], path: str, size: int, mtime_ns: int) -> bool:
        """Whether ``found`` (from :meth:`finish`) holds ``path``'s checksum for the file as it
        is now: its size and modification time are those it had before the helper could read
        it (else it changed meanwhile, and is hashed again)."""
        if path not in found:
            return False
        if not self._before:
            return True
        if self._index is None:
            self._index = {p: n for n, p in enumerate(self.paths)}
        n = self._index[path]
        return (self._before[2 * n], self._before[2 * n + 1]) == (size, mtime_ns)

    @property
    def done(self) -> int:
        """How many of the paths, from the first, the helper has hashed."""
        return len(self._digests) // 32

    def _result(self, n: int) -> str | None:
        return None if n in self._unreadable else self._digests[32 * n : 32 * n + 32].hex()

    def stop(self) -> None:
        """End the helper (if it still runs) and wait for it; safe to call twice."""
        proc, self.proc = self.proc, None
        if proc is not None:
            with contextlib.suppress(OSError):
                proc.kill()
            proc.wait()
        if self._reader is not None:
            self._reader.join()
        if proc is not None:
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
