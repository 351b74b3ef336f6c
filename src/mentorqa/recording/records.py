"""Judgements, evidence, event dates, eligibility answers and the service's details."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..errors import MentorqaError, Problem, UsageError, resolve
from ..frameworks.model import Framework
from ..layout import EVIDENCE_TABLE
from ..rules import judgements
from ..rules.evidence import PRIVATE_MESSAGE, in_private, needs_evidence
from ..rules.indicators import indicator_results
from ..store.files import inside, sha256_of
from ..values import today
from .base import Change, Draft, Recorder, entry, resolve_sector


class RecordWrites(Recorder):
    """Judgements, evidence, dates, answers and the service."""

    def mark(
        self,
        indicator: str,
        status: str,
        *,
        by: str = "self",
        note: str | None = None,
        rating: int | None = None,
    ) -> Change:
        """Record a judgement; marking again keeps the rating and note unless new ones are given."""
        key = resolve("judge", by, ("self", "assessor"))
        self._for_write = True  # keep what the record patch needs from the first read
        found: list[tuple[str, str, dict[str, Any] | None, Draft]] = []

        def judge(fw: Framework, record: dict[str, Any], draft: Draft) -> None:
            """Write the judgement into the indicator's ``record``, as the file holds it."""
            ind_id = self.resolve_indicator(indicator)
            chosen = judgements.resolve_status(fw, status)
            old = record.get(key) if isinstance(record.get(key), dict) else None
            kept_rating = rating if rating is not None else (old or {}).get("rating")
            kept_note = note if note is not None else (old or {}).get("note", "")
            judgements.allowed(fw, ind_id, chosen, rating)
            if kept_rating is not None and (fw.judgement.rating is None):
                kept_rating = None
            record[key] = entry(status=chosen, rating=kept_rating, note=kept_note, date=today())
            found[:] = [(ind_id, chosen, old, draft)]

        def said() -> tuple[str, str | None]:
            ind_id, chosen, old, draft = found[0]
            fw = draft.framework
            who = "the service" if key == "self" else "the assessor"
            summary = f"{ind_id}: {fw.status_labels[chosen]} (by {who})"
            if chosen == "met":
                draft.warnings += _evidence_wanted(draft, ind_id, key)
            return summary, (_describe(old, fw) if old else None)

        def change(draft: Draft) -> tuple[str, str | None]:
            ind_id = self.resolve_indicator(indicator)
            judge(draft.framework, draft.mapping("indicators", ind_id), draft)
            return said()

        # Most often only the record's own lines are patched (see store/region.py).
        chosen_id = self.resolve_indicator(indicator)

        def judge_fresh(record: dict[str, Any]) -> bool:  # in the lock, on the fresh read
            if self.resolve_indicator(indicator) != chosen_id:
                return False  # the framework changed meanwhile: the general write decides
            judge(self.framework, record, Draft({}, self.manifest, self.framework))
            return True

        if self._patch_record(chosen_id, judge_fresh):
            summary, replaced = said()
            return Change(summary, self.manifest, replaced, tuple(found[0][3].warnings))
        return self._change(change)

    def clear_mark(self, indicator: str, *, by: str = "self") -> Change:
        """Remove a judgement."""
        key = resolve("judge", by, ("self", "assessor"))

        def change(draft: Draft) -> tuple[str, str | None]:
            ind_id = self.resolve_indicator(indicator)
            record = draft.data.get("indicators", {}).get(ind_id)
            old = record.get(key) if isinstance(record, dict) else None
            if not isinstance(old, dict):
                who = "the assessor" if key == "assessor" else "the service"
                raise UsageError(f"{ind_id} has no judgement by {who} to clear")
            del record[key]
            if not record:
                del draft.data["indicators"][ind_id]
            return f"{ind_id}: judgement cleared", _describe(old, draft.framework)

        return self._change(change)

    def add_evidence(
        self,
        indicator: str,
        *paths: Path | str,
        note: str | None = None,
        valid_until: dt.date | None = None,
    ) -> Change:
        """Record files as evidence; a file already recorded for the indicator is recorded
        afresh (a new checksum), not twice. ``valid_until`` is the last day a document is valid
        (an insurance certificate); without it, the indicator's ``valid_for`` applies, if any."""
        self._for_write = True  # keep what the append needs from the first read
        ind_id = self.resolve_indicator(indicator)
        if not paths:
            raise UsageError("give at least one file")
        if valid_until is not None and valid_until < today():
            raise UsageError(
                f"--valid-until {valid_until} is in the past: an expired document is not evidence; "
                "record a current one"
            )
        # (The checksum cache is not updated: the next 'check' reads each new file once, which
        # costs what was added; loading the cache here would cost what is already recorded.)
        entries = [self._evidence_entry(Path(p), note, valid_until) for p in paths]
        names = ", ".join(f"{e['file']} ({e['size']:,} bytes)" for e in entries)
        if self._append_evidence(ind_id, entries):  # new files: their lines, nothing else
            return Change(f"Recorded for {ind_id}: {names}", self.manifest)

        def change(draft: Draft) -> tuple[str, str | None]:
            evidence = draft.sequence("indicators", ind_id, "evidence")
            index = {
                item.get("file"): n for n, item in enumerate(evidence) if isinstance(item, dict)
            }
            afresh = []
            for new in entries:
                if new["file"] in index:
                    evidence[index[new["file"]]] = new
                    afresh.append(new["file"])
                else:
                    index[new["file"]] = len(evidence)
                    evidence.append(new)
            replaced = f"recorded afresh: {', '.join(afresh)}" if afresh else None
            return f"Recorded for {ind_id}: {names}", replaced

        return self._change(change)

    def _evidence_entry(
        self, path: Path, note: str | None, valid_until: dt.date | None
    ) -> dict[str, Any]:
        resolved = inside(self.root, path)
        if resolved.is_dir():
            raise UsageError(Problem("is a folder; give the files inside it", path))
        if not resolved.is_file():
            raise UsageError(Problem("is not a regular file", path))
        if resolved == self.path.resolve():
            raise UsageError(Problem("is the manifest itself, not evidence", path))
        if resolved == (self.root / EVIDENCE_TABLE).resolve():
            raise UsageError(Problem("is mentorqa's record of the evidence, not evidence", path))
        rel = resolved.relative_to(self.root.resolve()).as_posix()
        if in_private(rel):
            raise UsageError(Problem(PRIVATE_MESSAGE, path))
        try:
            info = resolved.stat()
            digest, size = sha256_of(resolved), info.st_size  # what is recorded is read afresh
        except OSError as exc:
            raise MentorqaError(Problem(f"cannot be read: {exc.strerror or exc}", path)) from None
        return entry(
            file=rel,
            sha256=digest,
            size=size,
            recorded=today(),
            valid_until=valid_until,
            note=note,
        )

    def remove_evidence(self, indicator: str, *paths: Path | str) -> Change:
        """Forget recorded evidence (the files themselves are left alone)."""
        ind_id = self.resolve_indicator(indicator)
        wanted = set()
        for text in paths:
            try:
                wanted.add(
                    inside(self.root, Path(text)).relative_to(self.root.resolve()).as_posix()
                )
            except MentorqaError:
                wanted.add(Path(text).as_posix())  # a file already deleted: match the stored form

        def change(draft: Draft) -> tuple[str, str | None]:
            record = draft.data.get("indicators", {}).get(ind_id)
            evidence = record.get("evidence") if isinstance(record, dict) else None
            kept = [
                e for e in evidence or [] if not (isinstance(e, dict) and e.get("file") in wanted)
            ]
            removed = len(evidence or []) - len(kept)
            if not removed:
                raise UsageError(
                    f"no evidence {', '.join(sorted(wanted))} is recorded for {ind_id}"
                )
            assert isinstance(record, dict)
            record["evidence"] = kept
            return (
                f"Removed {removed} evidence record(s) from {ind_id}; the files are untouched.",
                None,
            )

        return self._change(change)

    def record_event(self, event: str, date: dt.date | None) -> Change:
        """Record the date of a process event; ``None`` forgets it."""

        def change(draft: Draft) -> tuple[str, str | None]:
            fw = draft.framework
            event_id = resolve(
                "event", event, fw.event_names, "see 'mentorqa timeline' for the events"
            )
            dates = draft.mapping("dates")
            old = dates.get(event_id)
            if date is None:
                dates.pop(event_id, None)
            else:
                dates[event_id] = date
            said = "cleared" if date is None else date.isoformat()
            was = f"was {old.isoformat()}" if isinstance(old, dt.date) and old != date else None
            return f"{fw.event_names[event_id]}: {said}", was

        return self._change(change)

    def answer_eligibility(self, answers: list[tuple[str, bool]]) -> Change:
        def change(draft: Draft) -> tuple[str, str | None]:
            known = [c.id for c in draft.framework.eligibility.criteria]
            recorded = draft.mapping("eligibility")
            for key, value in answers:
                recorded[resolve("eligibility criterion", key, known)] = value
            return f"Recorded {len(answers)} answer(s).", None

        return self._change(change)

    def update_service(
        self, *, name: str | None = None, turnover: float | None = None, sector: str | None = None
    ) -> Change:
        """Change the service's name, turnover or sector."""

        def change(draft: Draft) -> tuple[str, str | None]:
            service = draft.mapping("service")
            if name is not None:
                if not name.strip():
                    raise UsageError("the service name must not be empty")
                service["name"] = name.strip()
            if turnover is not None:
                service["turnover"] = turnover
            if sector is not None:
                service["sector"] = resolve_sector(draft.framework, sector)
            return "Service updated.", None

        return self._change(change)


def _describe(old: dict[str, Any], fw: Framework) -> str:
    status = str(old.get("status", ""))
    text = f"was {fw.status_labels.get(status, status)}"
    if old.get("rating") is not None:
        text += f", rating {old['rating']}"
    if old.get("note"):
        text += f", note '{old['note']}'"
    return text


def _evidence_wanted(draft: Draft, ind_id: str, key: str) -> list[str]:
    """A 'met' that check will report as lacking evidence is saved, with a warning now."""
    found = next(
        r for r in indicator_results(draft.framework, draft.manifest, today()) if r.id == ind_id
    )
    if not needs_evidence(found, key):
        return []
    return [
        f"{ind_id} has no evidence that {found.method.name.lower()} accepts yet, so 'mentorqa "
        f"check' reports this 'met' as an error; add it with 'mentorqa evidence add {ind_id} FILE'"
    ]
