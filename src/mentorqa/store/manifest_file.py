"""Reading ``mentorqa.yaml`` once per command, and writing it back so that only what changed
changes: comments, layout and the spelling of every untouched value stay byte for byte."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import MentorqaError, Problem, WorkspaceError
from ..layout import EVIDENCE_TABLE, MANIFEST, MANIFEST_VERSION, SCHEMA_FILE
from ..manifest import Manifest, decode
from ..plain import copied
from ..values import has_control
from .evidence_table import (
    FACTS,
    SECTIONS,
    Table,
    facts_of,
    listed_files,
    merged,
    named_in,
    parse_table,
    render_table,
    split,
    unrecorded,
)
from .files import cache_dir, keep_cached, write_atomic
from .lines import line_of
from .text import read_text

if TYPE_CHECKING:  # YAML is parsed only where the cache cannot answer (and for writes)
    from .yamlio import Document


class ManifestFile:
    """One read of ``mentorqa.yaml`` and ``mentorqa.evidence.tsv`` beside it: their texts, the
    validated manifest (the evidence facts merged in) and, parsed when first needed (a write, a
    finding's line), the manifest's document and the table of facts."""

    def __init__(
        self,
        path: Path,
        text: str,
        manifest: Manifest,
        crlf: bool,
        document: Document | None,
        lines: Any = None,
        table_text: str | None = None,
    ) -> None:
        self.path, self.text, self.manifest, self.crlf = path, text, manifest, crlf
        self._document = document
        self._lines = lines  # from the cache: where the nodes are, without a parse
        self.table_text = table_text  # None: there is no mentorqa.evidence.tsv
        self.table_on_disk = table_text  # (differs only in an upgrade not written yet)
        self._table: Table | None = None
        self.cached_json: dict[str, Any] | None = None  # the cache's JSON, kept for a write
        self.cached_texts: Texts = {}  # and its records' texts

    @property
    def table_path(self) -> Path:
        return self.path.parent / EVIDENCE_TABLE

    @property
    def table(self) -> Table:
        """The evidence facts of ``mentorqa.evidence.tsv`` (empty when there is none)."""
        if self._table is None:
            self._table = parse_table(self.table_text, self.table_path) if self.table_text else {}
        return self._table

    @property
    def document(self) -> Document:
        if self._document is None:
            from .yamlio import parse_document

            self._document = parse_document(self.text, self.path)
        return self._document

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """The line a finding at ``loc`` is on (as ``Document.locate`` gives it)."""
        if self._document is None and self._lines is not None:
            found = line_of(self._lines, loc)
            if found is not False:
                return found
        where = self.document.locate(loc)
        return where[0] if where else None

    def draft(self) -> dict[str, Any]:
        """A copy of the plain data for a write to change."""
        data: dict[str, Any] = copied(self.document.data)
        return data


def read_manifest(
    root: Path,
    *,
    cache: bool = True,
    for_write: bool = False,
    known: ManifestFile | None = None,
    afresh: Callable[[list[str]], None] | None = None,
) -> ManifestFile:
    """Read the manifest: from the cache of validated manifests when its text (and the evidence
    table's) is unchanged (no YAML, no pydantic), otherwise parsed once and validated.
    ``cache=False`` neither reads nor writes the cache (a roll-up copies no service's data into
    the cache folder); ``for_write`` keeps the cached JSON, for :func:`append_evidence` and
    :func:`save_manifest`;
    ``known``, an earlier read, lends its manifest if the texts are still the same;
    ``afresh`` is given, before a manifest the cache could not answer is parsed and validated,
    the evidence files it seems to name (see ``named_in``), to start work that can go on
    meanwhile."""
    path = root / MANIFEST
    raw, table_text = _read_pair(path, root / EVIDENCE_TABLE)
    # A Windows file is read and written with its CRLF endings kept; a file that mixes endings
    # is patched as it is, so the lines a write does not touch keep theirs.
    crlf = "\r\n" in raw and raw.count("\r\n") == raw.count("\n")
    text = raw.replace("\r\n", "\n") if crlf else raw
    same = known is not None and (known.text, known.table_text) == (text, table_text)
    if known is not None and same and known.cached_json is not None and known._lines is not None:
        return known  # read moments ago with what a write needs, and unchanged since
    cached = _Cache(path, text, table_text) if cache else None
    hit = cached.get(known.manifest if known and same else None) if cached is not None else None
    if hit is not None:
        found = ManifestFile(path, text, hit[0], crlf, None, hit[1], table_text)
        if for_write:
            found.cached_json, found.cached_texts = hit[2], hit[3]
        return found
    table: Table | None = None
    if afresh is not None and table_text:
        try:
            table = parse_table(table_text, path.parent / EVIDENCE_TABLE)
        except MentorqaError:
            pass  # reported in its turn, after the manifest's own problems
        else:
            afresh(named_in(text, table))
    return _read_afresh(path, text, crlf, table_text, table, cached, for_write)


def _read_afresh(
    path: Path,
    text: str,
    crlf: bool,
    table_text: str | None,
    table: Table | None,
    cached: _Cache | None,
    for_write: bool,
) -> ManifestFile:
    """The manifest parsed and validated (the cache could not answer), and kept in the cache;
    ``table``, the evidence table if it was parsed already."""
    from .yamlio import Document, parse_document

    document = parse_document(text, path)
    if table is None:
        table = parse_table(table_text, path.parent / EVIDENCE_TABLE) if table_text else {}
    lines = _lines_with_layout(document.root)
    if not for_write:
        # A read needs the lines only: the node tree (a third of the memory of a large
        # manifest) goes before validation; a problem found is placed by parsing again.
        document = Document(path, text, document.data, None)
    try:
        checked = _validated(document.data, document, table)
    except MentorqaError:
        if document.root is None:
            _validated(document.data, parse_document(text, path), table)
        raise
    if cached is not None:
        cached.store(checked, lines)
    kept = document if document.root is not None else None
    found = ManifestFile(path, text, decode(checked), crlf, kept, lines, table_text)
    found._table = table
    return found


def _lines_with_layout(root: Any) -> Any:
    """The document's line tree (see ``yamlio.line_tree``), with its block layout (see
    ``yamlpatch.layout_of``) kept third at the top, for a write that patches only a part."""
    from .yamlio import line_tree
    from .yamlpatch import layout_of

    lines = line_tree(root)
    if isinstance(lines, list) and len(lines) == 2 and isinstance(lines[1], dict):
        layout = layout_of(root)
        lines.append([layout.mapping, layout.offset])
    return lines


def _read_pair(path: Path, table_path: Path) -> tuple[str, str | None]:
    """The manifest's text and the table's, as one write left them: a write replaces the table,
    then the manifest, then prunes the table, so the pair is read again if the manifest was
    replaced while the table was being read."""
    for _ in range(5):
        before = _identity(path)
        raw = read_text(path, newline="")
        table_text = read_text(table_path) if table_path.exists() else None
        if _identity(path) == before:
            break
    return raw, table_text


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size


def _validated(data: Any, document: Document, table: Table) -> dict[str, Any]:
    """The manifest's validated JSON dump, the evidence facts of ``table`` merged in; located
    problems where it is not valid."""
    from ..spec.manifest import Manifest as Schema
    from .yamlio import Document, validate

    problems = unrecorded(data, table, document)
    if problems:
        raise MentorqaError(problems)
    whole = Document(document.path, document.text, merged(data, table), document.root)
    checked = validate(Schema, whole)
    dumped: dict[str, Any] = checked.model_dump(mode="json", by_alias=True)
    return dumped


def _certified(current: ManifestFile, data: dict[str, Any]) -> dict[str, Any] | None:
    """The validated JSON of ``data``, where ``current`` came from the cache (its text was
    validated as it is) and what ``data`` changes certainly conforms (see ``conform.py``):
    only the changed parts are checked, without pydantic. None where that is not certain."""
    from ..conform import Unsure, patched
    from ..manifest import FORM

    if current.cached_json is None or current._document is None:
        return None
    try:
        dumped: dict[str, Any] = patched(FORM, current._document.data, data, current.cached_json)
    except (Unsure, RecursionError):
        return None
    return dumped


# What a write keeps of the cache entry it read: each indicator's record (the JSON object) and
# its text in the entry, so that an entry written after a change re-encodes only the records
# that changed (at 50,000 evidence records most of the entry is in a few large records).
Texts = dict[str, tuple[Any, str]]


class _Cache:
    """Validated manifests in the user's cache folder, one entry per workspace, used only while
    the manifest's text is exactly what was validated (its sha256 and mentorqa's version). It
    is never inside the workspace, and it holds JSON (never a pickle), so nothing committed
    to a workspace can stand in for its manifest.

    An entry is lines of JSON: the key (and, after a tab, how many records follow), the line
    tree, the manifest without its indicators' records, then one line per record (its id, a
    tab, the record)."""

    def __init__(self, path: Path, text: str, table_text: str | None) -> None:
        folder = cache_dir("manifests")
        where = str(path.resolve()).encode("utf-8", "surrogateescape")
        self.file = folder / f"{hashlib.sha256(where).hexdigest()}.json" if folder else None
        table = "\0no table" if table_text is None else f"\0table\0{table_text}"
        self.key = hashlib.sha256(f"{__version__}\0{text}{table}".encode("utf-8", "surrogatepass"))
        self.key_text = self.key.hexdigest()

    def get(
        self, known: Manifest | None = None
    ) -> tuple[Manifest, Any, dict[str, Any], Texts] | None:
        """The manifest, its line tree, its JSON and its records' texts, if the entry is for
        exactly this text; ``known``, the manifest already decoded from this very text, is not
        decoded again."""
        if self.file is None:
            return None
        try:
            key, tree, head, *records = self.file.read_text(encoding="utf-8").split("\n")
            if key != f"{self.key_text}\t{len(records) - 1}" or records[-1:] != [""]:
                return None  # another text's entry, or one cut short
            dumped = json.loads(head)
            indicators: dict[str, Any] = {}
            texts: Texts = {}
            for line in records[:-1]:
                name, _, record = line.partition("\t")
                indicator = json.loads(name)
                indicators[indicator] = json.loads(record)
                texts[indicator] = (indicators[indicator], record)
            dumped["indicators"] = indicators
            manifest = known if known is not None else decode(dumped)
            return manifest, json.loads(tree), dumped, texts
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # no entry, or a broken one: read the manifest afresh

    def store(self, dumped: dict[str, Any], lines: Any, texts: Texts | None = None) -> None:
        """Keep the validated manifest's JSON dump and its line tree for this text. A record
        that is the very object ``texts`` has a text for is written as that text."""
        if self.file is None:
            return
        texts = texts or {}
        records = dumped["indicators"]
        parts = [f"{self.key_text}\t{len(records)}", json.dumps(lines, separators=(",", ":"))]
        parts.append(json.dumps({**dumped, "indicators": None}))
        for indicator, record in records.items():
            kept = texts.get(indicator)
            text = kept[1] if kept is not None and kept[0] is record else json.dumps(record)
            parts.append(f"{json.dumps(indicator)}\t{text}")
        parts.append("")
        keep_cached(self.file, "\n".join(parts))


def save_manifest(current: ManifestFile, data: dict[str, Any]) -> ManifestFile:
    """Write ``data`` over the manifest ``current`` was read from, patching only the changed
    values. Nothing is written unless the new text reads back as exactly ``data`` and is valid.

    Evidence facts written in ``data``'s entries (a new record, or a version 1 manifest) move
    to ``mentorqa.evidence.tsv``, and the manifest becomes version 2; ``data`` is changed so.
    The table is written first with every line old and new (so a manifest of either moment
    finds its facts), then the manifest, then the table without lines nothing uses."""
    from . import yamlpatch
    from .yamlio import parse_document

    path = current.path
    document = current.document
    table = current.table
    try:
        checked = _certified(current, data) or _validated(data, document, table)
    except MentorqaError as exc:
        raise WorkspaceError(
            [
                Problem(f"not saved, the change would make it invalid: {p.message}", path)
                for p in exc.problems
            ]
        ) from None
    if document.root is None:
        raise WorkspaceError(
            Problem(
                "not saved: this file uses YAML that mentorqa can read but not rewrite "
                "safely; edit it by hand",
                path,
            )
        )
    if isinstance(data.get("mentorqa"), int) and data["mentorqa"] < MANIFEST_VERSION:
        data["mentorqa"] = checked["mentorqa"] = MANIFEST_VERSION  # the file and its cache
    manifest = decode(checked)
    every_line, used = split(data, manifest, table)
    try:
        text = yamlpatch.rewrite(document.text, document.root, data, document.data)
        table_text = render_table(every_line)
        final_text = render_table({file: every_line[file] for file in used})
    except yamlpatch.PatchError as exc:
        raise WorkspaceError(Problem(f"not saved: {exc}", path)) from None
    except ValueError as exc:
        raise WorkspaceError(Problem(f"not saved: a value {exc}", path)) from None
    # The old node tree is done with: let it go before the new one is built (at 50,000
    # records each is a good part of the memory a write takes).
    del document
    current._document = None
    written = parse_document(text, path)
    if written.data != data:  # the safety net: what is written must read back as meant
        raise WorkspaceError(
            Problem(
                "not saved: the change could not be written exactly; edit the file by hand", path
            )
        )
    lines = _lines_with_layout(written.root)
    del written
    _write_both(current, text, table_text)
    if final_text != table_text:  # lines nothing uses now; left for the next write if this fails
        with contextlib.suppress(OSError):
            write_atomic(current.table_path, final_text)
            table_text = final_text
    _Cache(path, text, table_text).store(checked, lines, current.cached_texts)
    return ManifestFile(path, text, manifest, current.crlf, None, lines, table_text)


def _write_both(current: ManifestFile, text: str, table_text: str) -> None:
    """The evidence table (when its text changes), then the manifest; if the manifest cannot be
    written, the table is put back, so a failed write changes nothing."""

    def failed(exc: OSError, path: Path) -> WorkspaceError:
        said = f"not saved: cannot be written ({exc.strerror or exc}); nothing changed"
        return WorkspaceError(Problem(said, path))

    before = current.table_on_disk
    if table_text != before:
        try:
            write_atomic(current.table_path, table_text)
        except OSError as exc:
            raise failed(exc, current.table_path) from None
    try:
        write_atomic(current.path, text.replace("\n", "\r\n") if current.crlf else text)
    except OSError as exc:
        if table_text != before:
            with contextlib.suppress(OSError):
                if before is None:
                    current.table_path.unlink()
                else:
                    write_atomic(current.table_path, before)
        raise failed(exc, current.path) from None


def append_evidence(
    current: ManifestFile, indicator: str, entries: list[dict[str, Any]]
) -> ManifestFile | None:
    """Record new evidence ``entries`` (each with its facts) for ``indicator`` by splicing their
    lines into the manifest and the table, without parsing or validating what is already there
    (see ``append.py``); None where that cannot be done for certain, for the general write."""
    from ..manifest import EvidenceFile
    from . import append

    raw, manifest = current.cached_json, current.manifest
    record = manifest.indicators.get(indicator)
    found = append.evidence_list(current._lines, indicator)
    dumped = _appendable(current, entries)
    if raw is None or found is None or record is None or dumped is None:
        return None
    files = [e.file for e in record.evidence]
    if {e["file"] for e in entries} & set(files):
        return None  # recorded afresh: the general write replaces the entry
    facts = {e["file"]: (e["sha256"], e["size"], e["recorded"]) for e in entries}
    in_manifest = [{k: v for k, v in e.items() if k not in FACTS} for e in entries]
    key_line, items = found
    try:
        spliced = append.splice(current.text, key_line, items[-1][0], in_manifest, files)
    except ValueError:  # a value the renderer refuses: the general write says why
        return None
    table_text = append.table_with(current.table_text, facts)
    if spliced is None or table_text is None:
        return None
    text, starts, added = spliced
    added_items = [EvidenceFile(**{**EvidenceFile._defaults, **e}) for e in entries]
    new_record = record.replace(evidence=(*record.evidence, *added_items))
    new_manifest = manifest.replace(indicators={**manifest.indicators, indicator: new_record})
    _write_both(current, text, table_text)
    # The cache learns the new text: the JSON gains the entries, the lines after them move.
    raw["indicators"][indicator]["evidence"].extend(dumped)
    lines = current._lines
    append.shift(lines, starts[0] - 1, added)
    pattern = items[-1][1:]
    items.extend([start, *pattern] for start in starts)
    return _quickly_saved(current, indicator, text, table_text, new_manifest, raw, lines)


def patch_record(
    current: ManifestFile, indicator: str, change: Callable[[dict[str, Any]], bool]
) -> ManifestFile | None:
    """Change ``indicator``'s record with ``change`` (given the record's data as the file holds
    it, an empty mapping for a new record; False: leave it to the general write) by patching
    the record's lines alone, checking only the changed record (see ``region.py`` and
    ``conform.py``); None where that cannot be done for certain, and then nothing was
    written."""
    from ..conform import Unsure, patched
    from ..manifest import DECODERS, FORMS
    from .region import Region

    raw, lines, table_text = current.cached_json, current._lines, current.table_text
    if raw is None or lines is None or table_text is None:
        return None
    if current.manifest.mentorqa != MANIFEST_VERSION:
        return None
    if not _settled(current.text, raw, table_text):
        return None
    region = Region(current.text, lines, indicator)
    done = region.patched(change) if region.ok else None
    if done is None:
        return None
    text, record, old, root = done
    if text == current.text:
        return current  # nothing changed: nothing to write (as the general write)
    try:  # (a new record, with no old one, is dumped whole)
        kept = raw["indicators"].get(indicator)
        dumped = patched(FORMS["IndicatorRecord"], old, record, kept)
    except (Unsure, RecursionError, AttributeError):
        return None
    _write_both(current, text, table_text)
    raw["indicators"][indicator] = dumped
    lines = region.shifted(lines, root)
    records = {**current.manifest.indicators, indicator: DECODERS["IndicatorRecord"](dumped)}
    manifest = current.manifest.replace(indicators=records)
    return _quickly_saved(current, indicator, text, table_text, manifest, raw, lines)


def upgraded(current: ManifestFile) -> ManifestFile | None:
    """A version 1 manifest read from the cache, upgraded in memory one record at a time: each
    record's lines are patched on their own (see ``region.py``) to leave its entries' facts to
    the evidence table, and ``mentorqa: 1`` becomes 2. Nothing is written: the write that
    follows writes both files, so a failed write still changes nothing. The whole file is
    never parsed (at 50,000 records its node tree alone is ~230 MiB). None where that cannot
    be done for certain (a record the patch declines, or with a comment or in flow style,
    where the two steps could place things otherwise than the general write's one; facts
    that disagree; retired evidence; a table already beside it): then the general write
    upgrades it."""
    from . import append
    from .region import Region, line_starts

    raw, manifest = current.cached_json, current.manifest
    if raw is None or current._lines is None or current.table_text is not None:
        return None
    if manifest.mentorqa != 1 or not append.patchable(current.text):
        return None
    if any(record.evidence for record in manifest.retired.values()):
        return None
    effective = facts_of(manifest)
    if any(len(seen) != 1 for seen in effective.values()):
        return None  # a file whose entries disagree keeps its facts: the general write
    # Where each line starts: '1' becomes '2' in place, and from the last record up each patch
    # leaves the lines before it where they were.
    starts = line_starts(current.text)
    version = _version_line(current.text, current._lines, starts)
    if version is None:
        return None
    text = current.text[:version] + str(MANIFEST_VERSION) + current.text[version + 1 :]
    lines = copied(current._lines)  # (the read's own stays as it was, whatever happens)
    for indicator, record in reversed(manifest.indicators.items()):
        if not record.evidence:
            continue
        region = Region(text, lines, indicator, starts, patchable=True)
        if not region.ok or not _UPGRADE_PLAIN.isdisjoint(text[region.first : region.last]):
            return None  # a comment or a flow style: the general write places it, in one go
        done = region.patched(_facts_left)
        if done is None:
            return None
        text, _, _, root = done
        lines = region.shifted(lines, root)
    table_text = render_table({file: next(iter(seen)) for file, seen in effective.items()})
    up = ManifestFile(
        current.path,
        text,
        manifest.replace(mentorqa=MANIFEST_VERSION),
        current.crlf,
        None,
        lines,
        table_text,
    )
    up.table_on_disk = None
    up.cached_json = {**raw, "mentorqa": MANIFEST_VERSION, "indicators": dict(raw["indicators"])}
    up.cached_texts = current.cached_texts
    return up


def _version_line(text: str, lines: Any, starts: list[int]) -> int | None:
    """Where the ``1`` of ``mentorqa: 1`` is, if it is written plainly on its line."""
    try:
        line = lines[1]["mentorqa"][0]
    except (TypeError, KeyError, IndexError):
        return None
    if not isinstance(line, int) or not 1 <= line <= len(starts):
        return None
    end = starts[line] - 1 if line < len(starts) else len(text)
    found = _VERSION_1.fullmatch(text, starts[line - 1], end)
    return found.start(1) if found is not None else None


_UPGRADE_PLAIN = frozenset("#{[")  # what a record upgraded on its own may not hold
_VERSION_1 = re.compile(r"mentorqa:[ ]+(1)[ ]*(?:#[^\n]*)?")


def _facts_left(record: dict[str, Any]) -> bool:
    """The record without the facts its evidence entries carry (they go to the table)."""
    evidence = record.get("evidence")
    for item in evidence if isinstance(evidence, list) else ():
        if isinstance(item, dict):
            for key in FACTS:
                item.pop(key, None)
    return True


def _quickly_saved(
    current: ManifestFile,
    indicator: str,
    text: str,
    table_text: str,
    manifest: Manifest,
    raw: dict[str, Any],
    lines: Any,
) -> ManifestFile:
    """The read after a write that changed only ``indicator``'s record: the cache learns the
    new text, encoding only that record's JSON again."""
    texts = {k: v for k, v in current.cached_texts.items() if k != indicator}
    _Cache(current.path, text, table_text).store(raw, lines, texts)
    saved = ManifestFile(current.path, text, manifest, current.crlf, None, lines, table_text)
    saved.cached_json, saved.cached_texts = raw, texts
    return saved


def _settled(text: str, raw: dict[str, Any], table_text: str) -> bool:
    """Whether the general write would leave every evidence fact where it is: no entry keeps
    its facts inline (they would move to the table; an entry with any fact inline has its
    sha256 there, unless a key is spelt with escapes), and the table lists exactly the files
    the entries name (a line no entry uses would be pruned)."""
    if "sha256" in text or "\\" in text:
        return False
    named = {
        entry["file"]
        for section in SECTIONS
        for record in raw.get(section, {}).values()
        for entry in record.get("evidence", ())
    }
    return named == listed_files(table_text)


def _appendable(current: ManifestFile, entries: list[dict[str, Any]]) -> list[Any] | None:
    """The new entries' JSON, as the manifest's model takes them, where they can be spliced
    in at all: the current layout, the fields this code knows, distinct paths the table's lines
    can hold, and values certainly valid (see ``conform.py``); else None (the general write
    validates them, and says why not)."""
    from ..conform import Unsure, dump
    from ..manifest import FORMS, EvidenceFile

    new_files = [e["file"] for e in entries]
    if (
        current.manifest.mentorqa != MANIFEST_VERSION
        or set(EvidenceFile._fields) != {"file", *FACTS, "valid_until", "note"}
        or len(set(new_files)) != len(new_files)
        or any(has_control(file) for file in new_files)
    ):
        return None
    try:
        return [dump(FORMS["EvidenceFile"], e) for e in entries]
    except Unsure:
        return None


def new_manifest_text(
    framework_id: str,
    framework_name: str,
    framework_version: str,
    name: str,
    turnover: int | float | None,
    dates: dict[str, date],
    cycle: str | None = None,
) -> str:
    """A new, commented ``mentorqa.yaml``. Every value a user gave goes through the scalar
    renderer, so no name can add lines or keys to the file."""
    from .yamlpatch import render_scalar as scalar

    lines = [
        f"# yaml-language-server: $schema=./{SCHEMA_FILE}",
        f"# mentorqa workspace: the evidence manifest for {_comment(framework_name)}.",
        "# Edit by hand or with mentorqa commands; comments you add are kept.",
        "# Run 'mentorqa status' to see what is still missing.",
        f"mentorqa: {MANIFEST_VERSION}",
        f"framework: {scalar(framework_id)}",
        f"framework_version: {scalar(framework_version)}",
        *([f"cycle: {scalar(cycle)}"] if cycle else []),
        "service:",
        f"  name: {scalar(name)}",
    ]
    if turnover is not None:
        lines.append(f"  turnover: {scalar(turnover)}")
    lines += [
        "privacy:",
        "  # Set to true only when everyone named below has agreed to be named in reports.",
        "  names_consent: false",
        "# Dates of the process's events (see 'mentorqa timeline').",
        "dates:" + ("" if dates else " {}"),
        *(f"  {scalar(event)}: {day.isoformat()}" for event, day in dates.items()),
        "# Answers to the eligibility questions (see 'mentorqa eligibility').",
        "eligibility: {}",
        "# One entry per indicator: the service's own judgement, the assessor's, and evidence.",
        "indicators: {}",
    ]
    return "\n".join(lines) + "\n"


def _comment(text: str) -> str:
    """``text`` fit for a YAML comment line: no line break, and no character YAML refuses
    (a control character in a framework's name would make the new manifest unreadable)."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
