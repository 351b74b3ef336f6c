"""Reading a text file the user gave, with one clear error for every way it can fail."""

from __future__ import annotations

from pathlib import Path

from ..errors import MentorqaError, Problem

MAX_BYTES = 64 * 1024 * 1024  # no manifest or framework comes near it; /dev/zero would


def read_text(path: Path, *, newline: str | None = None) -> str:
    """Read a UTF-8 text file, turning OS and decoding errors into a user-facing error.

    Line endings become ``\\n`` unless ``newline=""`` asks for them as they are in the file.
    """
    try:
        with open(path, encoding="utf-8", newline=newline) as handle:
            text = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise MentorqaError(Problem("file not found", path)) from None
    except IsADirectoryError:
        raise MentorqaError(Problem("is a folder, not a file", path)) from None
    except UnicodeDecodeError as exc:
        raise MentorqaError(
            Problem(f"is not UTF-8 text (byte {exc.start}); save it as UTF-8", path)
        ) from None
    except OSError as exc:
        raise MentorqaError(Problem(f"cannot be read: {exc.strerror or exc}", path)) from None
    if len(text) > MAX_BYTES:
        raise MentorqaError(Problem(f"is larger than {MAX_BYTES // 2**20} MiB", path))
    return text
