"""``mentorqa.evidence.tsv``: what mentorqa measured of each evidence file when it recorded it
(its sha256, its size and the day), kept beside ``mentorqa.yaml``.

``mentorqa.yaml`` holds what people write and read (which file is evidence for what, a note, a
last valid day); this file holds what the machine wrote, one line per file, sorted, so that a
git diff shows one line per recorded file and a write of one record does not rewrite thousands
of lines a person would have to scroll past. It is committed with the workspace: ``check`` in
CI compares every evidence file with it.

A manifest entry may still carry the facts itself (``mentorqa.yaml`` version 1, or a hand-copied
entry): those win for that entry, and the next write moves them here wherever every entry of
the file agrees, so nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import MentorqaError, Problem
from ..layout import EVIDENCE_TABLE, MANIFEST
from ..manifest import Manifest
from ..values import has_control, plausible

FACTS = ("sha256", "size", "recorded")
HEADER = "file\t" + "\t".join(FACTS)
_SHA256 = re.compile(r"[0-9a-f]{64}")
_LARGEST_SIZE = 2**63 - 1

Facts = tuple[str, int, dt.date]  # sha256, size in bytes, the day it was recorded
Table = dict[str, Facts]  # by the file's path, as mentorqa.yaml writes it


_LINE = re.compile(r"^([^\t\n]+)\t([0-9a-f]{64})\t(\d{1,19})\t(\d{4}-\d\d-\d\d)\n", re.M)
_STRAY = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # a control character but tab and newline


def parse_table(text: str, path: Path) -> Table:
    """The facts in ``text``; a located problem for each line that is not a record."""
    body = text[len(HEADER) + 1 :] if text.startswith(HEADER + "\n") else text
    found = _LINE.findall(body)
    if len(found) == body.count("\n") and not _STRAY.search(body):
        # Every line has the shape of a record (one pass in C): only the values to check.
        days: dict[str, dt.date] = {}
        table: Table = {}
        try:
            for file, sha256, size, recorded in found:
                day = days.get(recorded)
                if day is None:
                    day = days[recorded] = plausible(dt.date.fromisoformat(recorded))
                if int(size) > _LARGEST_SIZE or table.setdefault(
                    file, (sha256, int(size), day)
                ) != (sha256, int(size), day):
                    break
            else:
                return table
        except ValueError:
            pass
    return _parse_lines(text, path)  # something is wrong: find it, line by line


def _parse_lines(text: str, path: Path) -> Table:
    table: Table = {}
    problems: list[Problem] = []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines, start=1):
        if number == 1 and line == HEADER:
            continue
        try:
            file, facts = _record(line)
        except ValueError as exc:
            problems.append(Problem(f"{exc}; {_MEND}", path, number, 1))
            continue
        if file in table and table[file] != facts:
            twice = f"{file} is listed twice with other facts; {_MEND}"
            problems.append(Problem(twice, path, number, 1))
        table[file] = facts
    if problems:
        raise MentorqaError(problems)
    return table


_MEND = (
    "this file is written by mentorqa: undo the hand edit (git checkout), or record the file "
    "again with 'mentorqa evidence add'"
)


def _record(line: str) -> tuple[str, Facts]:
    parts = line.split("\t")
    if len(parts) != 1 + len(FACTS):
        columns = HEADER.replace("\t", ", ")
        raise ValueError(
            f"a record is {1 + len(FACTS)} values separated by tabs ({columns}), "
            f"this line has {len(parts)}"
        )
    file, sha256, size, recorded = parts
    if not file or has_control(file):
        raise ValueError("the file path is empty or holds control characters")
    if not _SHA256.fullmatch(sha256):
        raise ValueError(f"'{sha256[:80]}' is not a sha256 (64 characters 0-9 and a-f)")
    if not size.isdigit() or len(size) > 19 or int(size) > _LARGEST_SIZE:
        raise ValueError(f"'{size[:40]}' is not a size in bytes")
    try:
        day = dt.date.fromisoformat(recorded) if len(recorded) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise ValueError(f"'{recorded[:40]}' is not a day written YYYY-MM-DD")
    return file, (sha256, int(size), plausible(day))


def listed_files(text: str) -> set[str]:
    """The files a table's text lists, without reading their facts."""
    return {line.partition("\t")[0] for line in text.split("\n")[1:] if line}


def render_table(table: Table) -> str:
    """The file's text: the header, then one line per file in path order."""
    if has_control("".join(table)):
        raise ValueError("a file's path holds a control character")
    return "\n".join([HEADER, *(record_line(file, table[file]) for file in sorted(table))]) + "\n"


def record_line(file: str, facts: Facts) -> str:
    """One file's line of the table (without its line break)."""
    sha256, size, recorded = facts
    return f"{file}\t{sha256}\t{size}\t{recorded.isoformat()}"


SECTIONS = ("indicators", "retired")  # the mappings of indicator records (with evidence)


def _lists(data: Any) -> Iterator[tuple[str, Any, list[Any]]]:
    """(section, indicator id, evidence list) for every list of evidence in plain data."""
    if not isinstance(data, dict):
        return
    for section in SECTIONS:
        records = data.get(section)
        if not isinstance(records, dict):
            continue
        for key, record in records.items():
            evidence = record.get("evidence") if isinstance(record, dict) else None
            if isinstance(evidence, list):
                yield section, key, evidence


def _entries(data: Any) -> Iterator[dict[str, Any]]:
    """The evidence entries (mappings) of plain manifest data, whatever else it holds."""
    for _, _, evidence in _lists(data):
        yield from (item for item in evidence if isinstance(item, dict))


_FILE_LINE = re.compile(
    r"^[ ]*(?:-[ ]+)?file:[ ]+([^'\"#\s](?:[^#\n]*[^#\s])?)(?:[ ]+#[^\n]*)?[ ]*$", re.MULTILINE
)


def named_in(text: str, table: Table) -> list[str]:
    """The files of ``table`` that the manifest's ``text`` names on a ``file:`` line, as
    mentorqa writes an evidence entry: a quick look before the text is parsed, to start
    hashing early. It can name a file of a retired record, or miss one written otherwise
    (quoted, in flow style); the check itself goes by the parsed manifest."""
    return list(dict.fromkeys(f for f in _FILE_LINE.findall(text) if f in table))


def _inline(item: dict[str, Any]) -> bool:
    return not item.keys().isdisjoint(FACTS)


def _wanting(evidence: list[Any]) -> bool:
    return any(isinstance(item, dict) and not _inline(item) for item in evidence)


def merged(data: Any, table: Table) -> Any:
    """``data`` with each evidence entry that carries no facts given those of ``table``: the
    manifest as mentorqa judges it. Only what changes is copied; ``data`` is left as it was.
    An entry whose file the table lacks is left without, so validation names it."""
    if not table or not isinstance(data, dict):
        return data
    out = dict(data)
    for section, key, evidence in _lists(data):
        if _wanting(evidence):
            if out[section] is data[section]:
                out[section] = dict(data[section])
            out[section][key] = {
                **data[section][key],
                "evidence": [_with_facts(item, table) for item in evidence],
            }
    return out


def _with_facts(item: Any, table: Table) -> Any:
    if not isinstance(item, dict) or _inline(item):
        return item
    file = item.get("file")
    facts = table.get(file) if isinstance(file, str) else None  # (a hand-written list is not)
    if facts is None:
        return item
    sha256, size, recorded = facts
    return {**item, "sha256": sha256, "size": size, "recorded": recorded}


def unrecorded(data: Any, table: Table, document: Any) -> list[Problem]:
    """A problem for each evidence entry with no facts in the entry or the table (one problem
    when the table itself is missing beside a version 2 manifest)."""
    problems: list[Problem] = []
    for section, ind, evidence in _lists(data):
        for n, item in enumerate(evidence):
            if not isinstance(item, dict) or _inline(item) or not isinstance(item.get("file"), str):
                continue
            if item["file"] in table:
                continue
            where = document.path.parent / EVIDENCE_TABLE
            if not table and not where.exists() and data.get("mentorqa") != 1:
                return [
                    Problem(
                        f"is missing beside {MANIFEST}: it holds the checksums of the evidence "
                        f"recorded there; restore it, and commit it with the workspace "
                        f"(git add {EVIDENCE_TABLE})",
                        where,
                    )
                ]
            problems.append(
                document.problem(
                    f"{item['file']} has no recorded checksum (in the entry or in "
                    f"{EVIDENCE_TABLE}); record it with 'mentorqa evidence add {ind} "
                    f"{item['file']}'",
                    [section, ind, "evidence", n],
                )
            )
    return problems


def split(data: dict[str, Any], manifest: Manifest, table: Table) -> tuple[Table, set[str]]:
    """Move the facts written in ``data``'s entries into a new table, in place, wherever every
    entry of that file agrees (each entry keeps the facts it had, so nothing is lost); returns
    the new table (the old one's lines kept) and the files whose entries take their facts from
    it (the lines to keep once the new manifest is written).

    ``manifest`` is ``data`` validated (the typed facts, entry for entry)."""
    effective = facts_of(manifest)
    new = dict(table)
    for file, seen in effective.items():
        if len(seen) == 1:
            new[file] = next(iter(seen))
    for item in _entries(data):
        named = item.get("file")
        if isinstance(named, str) and len(effective.get(named, ())) == 1:
            for key in FACTS:
                item.pop(key, None)
    used = {item["file"] for item in _entries(data) if not _inline(item) and "file" in item}
    return new, used


def facts_of(manifest: Manifest) -> dict[str, set[Facts]]:
    """The facts each file's entries give it (more than one where they disagree)."""
    effective: dict[str, set[Facts]] = {}
    for records in (manifest.indicators, manifest.retired):
        for record in records.values():
            for kept in record.evidence:
                facts = (kept.sha256, kept.size, kept.recorded)
                effective.setdefault(kept.file, set()).add(facts)
    return effective
