"""``--help`` replayed: the text a help command printed is kept in the user's cache folder and
printed again, byte for byte, without loading typer, rich or any command (a help costs the
start of Python, not the building of the command tree).

The key is everything the text can depend on: mentorqa's version and its sources, the
installed typer and rich (their files' times), the arguments, which of the three standard
streams are terminals and their sizes, and the environment variables that change the layout
or the colours. Anything else (a completion request, a run that fails) is not kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from .. import __version__

_ENV = (
    "COLUMNS",
    "LINES",
    "NO_COLOR",
    "FORCE_COLOR",
    "TERM",
    "COLORTERM",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "_TYPER_FORCE_DISABLE_TERMINAL",
    "TERMINAL_WIDTH",
    "GITHUB_ACTIONS",
    "PY_COLORS",
    "TYPER_USE_RICH",
    "FORCE_TERMINAL",
    "JUPYTER_COLUMNS",
    "JUPYTER_LINES",
    "MENTORQA_FRAMEWORK_PATH",
    "PYTHONIOENCODING",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
)
_LIBRARIES = ("typer", "rich")


class Help:
    """One help request: its cached text, if any, and how to record it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def replay(self) -> bool:
        """Print the cached text; False when there is none (or it cannot be read)."""
        try:
            text = self.path.read_bytes()
        except OSError:
            return False
        try:
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
            sys.stdout.flush()
        except BrokenPipeError:  # e.g. piped into head
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return True

    @contextlib.contextmanager
    def recording(self) -> Iterator[None]:
        """Run the command with its output copied; keep the copy if it ended well."""
        real = sys.stdout
        try:
            fd = real.fileno()
        except (OSError, ValueError, AttributeError):
            yield  # no real stream to copy (an embedding host): just run
            return
        real.flush()
        tee = _Tee(fd)
        sys.stdout = io.TextIOWrapper(
            io.BufferedWriter(tee),
            encoding=real.encoding,
            errors=real.errors,
            line_buffering=bool(real.line_buffering),
        )
        code: object = 0
        try:
            yield
        except SystemExit as exit_:
            code = exit_.code
            raise
        finally:
            with contextlib.suppress(OSError, ValueError):
                sys.stdout.flush()
            sys.stdout = real
            if code in (0, None) and tee.seen:
                self._keep(bytes(tee.seen))

    def _keep(self, text: bytes) -> None:
        from ..store.files import keep_cached

        keep_cached(self.path, text)


class _Tee(io.RawIOBase):
    """Writes to a file descriptor and remembers what it wrote."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self.fd = fd
        self.seen = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        chunk = bytes(data)  # type: ignore[call-overload]
        written = os.write(self.fd, chunk)
        self.seen += chunk[:written]
        return written

    def isatty(self) -> bool:
        return os.isatty(self.fd)

    def fileno(self) -> int:
        return self.fd


def lookup(argv: list[str]) -> Help | None:
    """The cached help for ``argv``, if it is a plain help request (``... --help`` after
    command names only); None for anything else."""
    if not argv or argv[-1] != "--help" or any(a.startswith("-") for a in argv[:-1]):
        return None
    if os.environ.get("MENTORQA_NO_CACHE") or any(k.endswith("_COMPLETE") for k in os.environ):
        return None
    if sys.platform == "win32":  # the console writes through its own layer: not copied here
        return None
    from ..store.files import cache_dir, installed

    folder = cache_dir("help")
    if folder is None:
        return None
    key = hashlib.sha256(f"{__version__}\0{sys.version}".encode())
    for arg in argv:
        key.update(b"\0" + arg.encode("utf-8", "surrogateescape"))
    for name in _ENV:
        key.update(f"\0{name}={os.environ.get(name)}".encode("utf-8", "surrogateescape"))
    # rich takes the width from whichever of the three streams is a terminal.
    for stream in (sys.stdout, sys.stdin, sys.stderr):
        try:
            fd = stream.fileno()
            tty = os.isatty(fd)
            key.update(f"\0{tty}\0{os.get_terminal_size(fd) if tty else None}".encode())
        except (OSError, ValueError, AttributeError):
            key.update(b"\0-")
    package = Path(__file__).parents[1]
    try:
        for source in sorted(package.rglob("*.py")):  # the help texts, and what they quote
            info = source.stat()  # an edit changes its time (cheaper than reading each file)
            key.update(f"\0{source}:{info.st_size}:{info.st_mtime_ns}".encode())
        for library in _LIBRARIES:  # where they are laid out: a reinstall changes the time
            key.update(str(installed(library)).encode())
    except OSError:
        return None
    return Help(folder / f"{key.hexdigest()}.txt")
