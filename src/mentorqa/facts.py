"""The de-identified facts file of a roll-up: one CSV row per program and indicator, under a
random token made afresh for each program on each run, written to a temporary file and put in
place only when the whole roll-up succeeded."""

from __future__ import annotations

import contextlib
import csv
import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import MentorqaError, Problem
from .frameworks.model import Framework
from .rollup import Summary
from .views.rollup import FACTS_HEADER, facts_rows


@contextlib.contextmanager
def facts_file(path: Path | None) -> Iterator[FactsWriter | None]:
    """A writer of facts rows into a temporary file beside ``path``, put in place only when
    the whole roll-up succeeded: a failed run leaves no partial file behind."""
    if path is None:
        yield None
        return
    folder = path.resolve().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise MentorqaError(Problem(f"cannot be written: {exc.strerror or exc}", path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            writer = FactsWriter(handle)
            yield writer
        try:
            os.replace(temp, path)
        except OSError as exc:
            raise MentorqaError(
                Problem(f"cannot be written: {exc.strerror or exc}", path)
            ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


class FactsWriter:
    """Writes each program's facts rows under a fresh random token (``secrets``, per run)."""

    def __init__(self, handle: IO[str]) -> None:
        self.csv = csv.writer(handle, lineterminator="\n")
        self.csv.writerow(FACTS_HEADER)

    def __call__(self, framework: Framework, summary: Summary) -> None:
        self.csv.writerows(facts_rows(framework, summary, secrets.token_hex(8)))
