"""Hashing evidence in a helper process while the command reads and validates the workspace.

A first ``check`` (a fresh clone in CI: no checksums cached, no validated manifest cached)
spends about as long validating the manifest as hashing thousands of files, and both cannot
share the interpreter: threads that hash stall behind a thread that validates (each file needs
the interpreter lock a few times, and waits for it). A helper Python process hashes on the other
core instead, from the front of the list; when the command is ready for the checksums it hashes
from the back itself until the two meet, then stops the helper.

The helper runs the few lines of :data:`HELPER` (the standard library only, ``-I -S``: no
site, no environment, nothing from the workspace); it reads the paths from its stdin and writes
one line per file: the sha256 in hex, or ``-`` for a file it could not read.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Callable

HELPER = """\
import hashlib, os, sys
out = sys.stdout.buffer
for path in sys.stdin.buffer.read().split(b"\\0"):
    try:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for part in iter(lambda: handle.read(1 << 20), b""):
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

# Hashing ahead pays where the files to hash take longer than starting a Python (~20 ms).
AHEAD_BYTES = 8 << 20
AHEAD_FILES = 64


def worth_it(sizes: list[int]) -> bool:
    """Whether files of these sizes are worth a helper process."""
    return len(sizes) >= AHEAD_FILES and sum(sizes) >= AHEAD_BYTES


class HashAhead:
    """A helper process hashing ``paths`` in order; :meth:`finish` gives every checksum."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths
        self.done: list[str | None] = []  # the helper's results, in the order of paths
        self.proc: subprocess.Popen[bytes] | None = None
        self._reader: threading.Thread | None = None
        if not paths or getattr(sys, "frozen", False):  # a frozen app has no Python to start
            return
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", HELPER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            assert self.proc.stdin is not None
            self.proc.stdin.write(b"\0".join(os.fsencode(p) for p in paths))
            self.proc.stdin.close()
        except OSError:  # no helper: the command hashes everything itself
            self.stop()
            return
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        pipe, pending = self.proc.stdout.fileno(), b""
        with contextlib.suppress(OSError, ValueError):
            for chunk in iter(lambda: os.read(pipe, 1 << 16), b""):
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    if len(self.done) < len(self.paths):
                        self.done.append(None if line == b"-" else line.decode("ascii"))

    def finish(self, digest: Callable[[str], str | None]) -> dict[str, str | None]:
        """Every path's checksum (None: unreadable): the helper's, and from the back of the
        list, ``digest``'s, until the two meet. The helper is stopped."""
        mine: dict[int, str | None] = {}
        index = len(self.paths) - 1
        while index >= len(self.done):
            mine[index] = digest(self.paths[index])
            index -= 1
        self.stop()
        return {
            path: self.done[n] if n < len(self.done) else mine[n]
            for n, path in enumerate(self.paths)
        }

    def stop(self) -> None:
        """End the helper (if it still runs) and wait for it; safe to call twice."""
        proc, self.proc = self.proc, None
        if proc is not None:
            with contextlib.suppress(OSError):
                proc.kill()
            proc.wait()
        if self._reader is not None:
            self._reader.join()
            self._reader = None
        if proc is not None:
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
