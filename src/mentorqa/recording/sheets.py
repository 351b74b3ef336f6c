"""Bringing judgements in from a spreadsheet: the sheet is read as a person meant its cells,
checked whole, then every change is made in one locked, atomic write (``mentorqa import``).

openpyxl is imported only inside the function that reads xlsx, so no other command pays for it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import MentorqaError, Problem, UsageError, fold, unknown
from ..frameworks.model import Framework
from ..rules import judgements
from ..store.text import MAX_BYTES
from ..values import FORMULA, SCHEMA_VERSION, today
from .base import Draft, Recorder, entry

# Whose judgement each trio of columns sets: the service's own, then the assessor's.
JUDGEMENT_COLUMNS = {
    "self": ("status", "rating", "note"),
    "assessor": ("assessor_status", "assessor_rating", "assessor_note"),
}
# Spaces Excel and word processors put in cells that a person reads as plain spaces.
_SPACES = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u200b": "", "\ufeff": ""})
# A csv cell a spreadsheet would run as a formula; written with a leading "'" (and read back
# without it) so that opening an export can never run a note as a formula.


def text(value: object) -> str:
    """A cell as the text a person meant: numbers Excel made of text back as written (4.0 is
    '4'), dates as ISO dates, odd spaces as plain ones, line endings as '\\n', ends trimmed."""
    if isinstance(value, str) and value.isascii() and "\r" not in value:
        return value.strip()  # the common case, first: a sheet may hold 50,000 cells
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    found = str(value).translate(_SPACES).replace("\r\n", "\n").replace("\r", "\n")
    return found.strip()


def word(value: object) -> str:
    """A cell holding an id or a status: its text with runs of spaces made one."""
    return " ".join(text(value).split())


def header_key(value: object) -> str:
    """A column name as it is matched: case-insensitive, spaces and '-' read as '_'."""
    return re.sub(r"[\s\-]+", "_", word(value).casefold())


@dataclass(frozen=True)
class Table:
    """The first sheet of a workbook, or a csv file: its rows of raw cell values (the first is
    the header), and how to name a cell's place in an error line."""

    path: Path
    rows: list[list[object]]
    sheet: str | None = None  # the worksheet's name (xlsx); None for csv

    def place(self, row: int, column: int | None = None) -> Path:
        """``FILE:ROW`` (csv) or ``FILE:SHEET!CELL`` (xlsx); ``row`` and ``column`` from 0."""
        if self.sheet is None:
            return Path(f"{self.path}:{row + 1}")
        from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

        name = self.sheet if re.fullmatch(r"\w+", self.sheet) else f"'{self.sheet}'"
        return Path(f"{self.path}:{name}!{get_column_letter((column or 0) + 1)}{row + 1}")

    def problem(self, row: int, column: int | None, message: str) -> Problem:
        return Problem(message, self.place(row, column))

    def columns(self, required: Sequence[str], known: Sequence[str]) -> dict[str, int]:
        """Column name -> index, from the header row; names matched case-insensitively, other
        columns ignored. Refuses a missing required column or a column named twice."""
        if not self.rows:
            raise UsageError(
                Problem("the sheet is empty; the first row must name the columns", self.path)
            )
        found: dict[str, int] = {}
        problems = []
        for index, cell in enumerate(self.rows[0]):
            key = header_key(cell)
            if key not in known:
                continue
            if key in found:
                problems.append(self.problem(0, index, f"a second '{key}' column; keep one"))
            found[key] = index
        missing = [name for name in required if name not in found]
        if missing:
            problems.append(
                self.problem(
                    0,
                    None,
                    f"no {', '.join(repr(m) for m in missing)} column; the first row must name "
                    f"the columns ({', '.join(known)})",
                )
            )
        if problems:
            raise UsageError(problems)
        return found

    def body(self) -> Iterator[tuple[int, list[object]]]:
        """Each row after the header with its index (from 0), skipping rows with nothing in."""
        for index, row in enumerate(self.rows[1:], 1):
            if any(text(cell) for cell in row):
                yield index, row


def cell(row: list[object], column: int | None) -> object:
    """The raw value at ``column`` (None for a missing column or a short row)."""
    return row[column] if column is not None and column < len(row) else None


# --- reading ----------------------------------------------------------------------------------


def read_table(path: Path) -> Table:
    """The first sheet of an xlsx workbook, or a csv file (told apart by their first bytes)."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(8)
    except FileNotFoundError:
        raise UsageError(Problem("file not found", path)) from None
    except IsADirectoryError:
        raise UsageError(Problem("is a folder, not a file", path)) from None
    except OSError as exc:
        raise MentorqaError(Problem(f"cannot be read: {exc.strerror or exc}", path)) from None
    if start.startswith(b"PK\x03\x04"):
        return _read_xlsx(path)
    if start.startswith(b"\xd0\xcf\x11\xe0"):
        raise UsageError(Problem("is an old .xls workbook; save it as .xlsx or CSV", path))
    return _read_csv(path)


def _read_xlsx(path: Path) -> Table:
    import zipfile

    from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]

    try:
        # data_only: a formula cell is read as the value the spreadsheet last showed.
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UsageError(
            Problem(f"is not an xlsx workbook that can be read ({exc}); save it as .xlsx", path)
        ) from None
    try:
        sheet = book.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        return Table(path, rows, sheet.title)
    finally:
        book.close()


def _read_csv(path: Path) -> Table:
    with open(path, "rb") as handle:  # no larger than any file mentorqa reads
        raw = handle.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise UsageError(Problem(f"is larger than {MAX_BYTES // 2**20} MiB", path))
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" on Windows is saved in the Windows code page, not UTF-8.
        content = raw.decode("cp1252", errors="replace")
    first = content.split("\n", 1)[0]
    # Excel in many European locales separates with ';'; the header line tells which is used.
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    try:
        rows: list[list[object]] = [[_unguard(c) for c in row] for row in reader]
    except csv.Error as exc:
        raise UsageError(Problem(f"is not a CSV file that can be read: {exc}", path)) from None
    return Table(path, rows)


def _unguard(value: str) -> str:
    return value[1:] if value.startswith("'") and FORMULA.match(value) else value


# --- importing judgements ---------------------------------------------------------------

WHO = {"self": "service", "assessor": "assessor"}
PARTS = ("status", "rating", "note")


@dataclass(frozen=True)
class JudgementChange:
    """One judgement a sheet sets: whose, on which indicator, what it was and what it becomes."""

    indicator: str
    by: str  # "self" or "assessor"
    before: dict[str, Any] | None
    after: dict[str, Any]

    def describe(self, framework: Framework) -> str:
        """E.g. 'A1 (service): In practice, rating 4; was Not in practice, rating 2'."""
        was = _shown(self.before, framework) if self.before else "none recorded"
        return f"{self.indicator} ({WHO[self.by]}): {_shown(self.after, framework)}; was {was}"


@dataclass(frozen=True)
class SheetImport:
    """What an import did (or, with ``dry_run``, would do)."""

    file: Path
    rows: int
    changes: tuple[JudgementChange, ...]
    framework: Framework
    dry_run: bool = False

    @property
    def summary(self) -> str:
        if not self.changes:
            return f"{self.file}: no changes ({self.rows} rows read); nothing written"
        new = sum(1 for c in self.changes if c.before is None)
        verb = "would set" if self.dry_run else "set"
        text = (
            f"{self.file}: {verb} {len(self.changes)} judgement(s) on "
            f"{len({c.indicator for c in self.changes})} indicator(s) from {self.rows} rows "
            f"({new} new, {len(self.changes) - new} changed)"
        )
        return text + ("; dry run, nothing written" if self.dry_run else "")

    def lines(self) -> list[str]:
        """One line per judgement set, in sheet order."""
        return [c.describe(self.framework) for c in self.changes]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "file": self.file.as_posix(),
            "rows": self.rows,
            "dry_run": self.dry_run,
            "changes": [
                {"indicator": c.indicator, "by": c.by, "before": c.before, "after": c.after}
                for c in self.changes
            ],
        }


def import_sheet(ws: Recorder, file: Path | str, *, dry_run: bool = False) -> SheetImport:
    """What :meth:`SheetWrites.import_sheet` does (this module is loaded on its first use)."""
    table = read_table(Path(file))  # read before taking the lock: a big sheet takes time

    def change(draft: Draft) -> SheetImport:
        rows, found = plan(table, draft.framework, draft.data.get("indicators") or {})
        if not dry_run:
            for c in found:
                draft.mapping("indicators", c.indicator)[c.by] = c.after
        return SheetImport(Path(file), rows, tuple(found), draft.framework, dry_run)

    done: SheetImport = ws._write(change)
    return done


def plan(
    table: Table, fw: Framework, recorded: dict[str, Any]
) -> tuple[int, list[JudgementChange]]:
    """(rows read, the judgements that change), or every bad cell as one :class:`UsageError`."""
    known = [name for names in JUDGEMENT_COLUMNS.values() for name in names]
    columns = table.columns(["indicator"], ["indicator", *known])
    if not any(name in columns for name in known):
        raise UsageError(
            table.problem(0, None, f"no judgement columns; name at least one of {', '.join(known)}")
        )
    ids = {fold(i): i for i in fw.indicator_index}  # built once: a sheet may hold 5,000 rows
    problems: list[Problem] = []
    changes: list[JudgementChange] = []
    seen: dict[str, int] = {}
    where = f"see 'mentorqa frameworks show {fw.id}' for the ids"
    rows = 0
    for index, row in table.body():
        rows += 1
        ind_id = _indicator(table, index, row, columns["indicator"], ids, seen, problems, where)
        if ind_id is None:
            continue
        found = recorded.get(ind_id)
        existing: dict[str, Any] = found if isinstance(found, dict) else {}
        for by, names in JUDGEMENT_COLUMNS.items():
            places = [columns.get(name) for name in names]
            old = existing.get(by) if isinstance(existing.get(by), dict) else None
            side = _Side(table, index, fw, ind_id, by, problems)
            after = side.judge(old, [cell(row, p) for p in places], places)
            if after is not None:
                changes.append(JudgementChange(ind_id, by, old, after))
    if problems:
        raise UsageError(problems)
    return rows, changes


def _indicator(
    table: Table,
    index: int,
    row: list[object],
    column: int,
    ids: dict[str, str],
    seen: dict[str, int],
    problems: list[Problem],
    where: str,
) -> str | None:
    given = word(cell(row, column))
    if not given:
        problems.append(table.problem(index, column, "no indicator id in this row"))
        return None
    ind_id = ids.get(fold(given))
    if ind_id is None:
        problems.append(
            table.problem(index, column, unknown("indicator", given, list(ids.values()), where))
        )
        return None
    if ind_id in seen:
        first = table.place(seen[ind_id], column)
        problems.append(table.problem(index, column, f"{ind_id} is also in {first}; keep one row"))
        return None
    seen[ind_id] = index
    return ind_id


@dataclass
class _Side:
    """One judgement's cells in one row: the service's or the assessor's."""

    table: Table
    index: int
    fw: Framework
    ind_id: str
    by: str
    problems: list[Problem]

    def judge(
        self, old: dict[str, Any] | None, values: list[object], places: list[int | None]
    ) -> dict[str, Any] | None:
        """The judgement after this row, or None when the row leaves it as it is (or is bad).
        An empty cell leaves its part alone; a value equal to the recorded one is no change."""
        status_cell, rating_cell, note_cell = values
        status_text, note = word(status_cell), text(note_cell)
        before, had = len(self.problems), old or {}
        new = dict(had)
        if status_text and (status := self._status(status_text, had, places[0])):
            new["status"] = status
        rating = self._rating(rating_cell, had, places[1]) if text(rating_cell) else None
        if rating is not None:
            new["rating"] = rating
        if note and note != text(had.get("note")):
            new["note"] = note
        if len(self.problems) > before or all(new.get(p) == had.get(p) for p in PARTS):
            return None
        if "status" not in new:
            given = next(places[n] for n in (1, 2) if text(values[n]))
            self.problems.append(
                self.table.problem(
                    self.index,
                    given,
                    f"{self.ind_id} has no judgement by the {WHO[self.by]} yet; give a status "
                    "beside the rating or note",
                )
            )
            return None
        if old is None:
            return entry(
                status=new["status"], rating=new.get("rating"), note=new.get("note"), date=today()
            )
        new["date"] = today()  # set in place, so the manifest keeps its order of keys
        return new

    def _status(self, given: str, had: dict[str, Any], place: int | None) -> str | None:
        recorded = str(had.get("status", ""))
        if fold(given) == fold(recorded):
            return recorded  # unchanged, even where the framework no longer knows it
        labels = self.fw.status_labels
        try:
            chosen = judgements.resolve_status(self.fw, given)
        except UsageError:
            # Sheets hold labels as often as ids, so either may be the one meant.
            message = unknown("status", given, [*labels, *labels.values()])
            self.problems.append(self.table.problem(self.index, place, message))
            return None
        try:
            judgements.allowed(self.fw, self.ind_id, chosen, None)
        except UsageError as exc:
            self.problems += [
                self.table.problem(self.index, place, p.message) for p in exc.problems
            ]
            return None
        return chosen

    def _rating(self, value: object, had: dict[str, Any], place: int | None) -> int | None:
        scale = self.fw.judgement.rating
        number = whole(value)
        if number is not None and number == had.get("rating"):
            return number  # unchanged, even where the scale has changed since
        if scale is None:
            message = f"{self.fw.id} has no rating scale; leave the rating empty"
        elif number is None:
            message = (
                f"'{text(value)}' is not a rating; give a whole number from {scale.min} to "
                f"{scale.max} ({scale.name.lower()})"
            )
        elif not scale.min <= number <= scale.max:
            message = f"the rating {number} is outside {scale.name.lower()} {scale.min}-{scale.max}"
        else:
            return number
        self.problems.append(self.table.problem(self.index, place, message))
        return None


def whole(value: object) -> int | None:
    """A whole number as a person meant it: 4, 4.0, '4', ' 4 ', '4.0', '4,0'; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    found = re.fullmatch(r"([+-]?\d+)(?:[.,]0*)?", text(value))
    return int(found.group(1)) if found else None


def _shown(judgement: dict[str, Any], fw: Framework) -> str:
    status = str(judgement.get("status", ""))
    parts = [fw.status_labels.get(status, status)]
    if judgement.get("rating") is not None:
        parts.append(f"rating {judgement['rating']}")
    note = str(judgement.get("note") or "")
    if note:
        short = " ".join(note.split())
        parts.append(f"note '{short[:40]}{'...' if len(short) > 40 else ''}'")
    return ", ".join(parts)
