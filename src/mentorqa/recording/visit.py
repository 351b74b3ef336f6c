"""What the assessor gathers at the visit: interviews, case studies, the visit, area notes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import Problem, UsageError, resolve
from ..rules.evidence import PRIVATE_MESSAGE, is_private
from ..store.files import inside
from .base import Change, Draft, Recorder, append_new, entry


class VisitWrites(Recorder):
    """Interviews by role and pseudonym, case studies, the visit and the assessor's notes."""

    def add_interview(
        self,
        role: str,
        pseudonym: str,
        *,
        date: dt.date | None = None,
        minutes: int | None = None,
        informs: tuple[str, ...] | list[str] = (),
        note: str | None = None,
    ) -> Change:
        def change(draft: Draft) -> tuple[str, str | None]:
            fw = draft.framework
            chosen = resolve("interview role", role, [i.role for i in fw.interviews])
            indicators = [self.resolve_indicator(i) for i in informs]
            if not pseudonym.strip():
                raise UsageError("the pseudonym must not be empty")
            if any(i.pseudonym == pseudonym for i in draft.manifest.interviews):
                raise UsageError(f"an interview with pseudonym '{pseudonym}' is already recorded")
            if minutes is not None and not 1 <= minutes <= 24 * 60:
                raise UsageError("--minutes must be between 1 and 1440")
            draft.sequence("interviews").append(
                entry(
                    role=chosen,
                    pseudonym=pseudonym,
                    date=date,
                    minutes=minutes,
                    indicators=indicators,
                    note=note,
                )
            )
            return f"Recorded the interview with {chosen} '{pseudonym}'.", None

        return self._change(change)

    def remove_interview(self, pseudonym: str) -> Change:
        def change(draft: Draft) -> tuple[str, str | None]:
            items = draft.sequence("interviews")
            index = next(
                (
                    n
                    for n, i in enumerate(items)
                    if isinstance(i, dict) and i.get("pseudonym") == pseudonym
                ),
                None,
            )
            if index is None:
                raise UsageError(f"no interview with pseudonym '{pseudonym}' is recorded")
            del items[index]
            return f"Removed the interview '{pseudonym}'.", None

        return self._change(change)

    def add_case_study(
        self,
        kind: str,
        *,
        title: str = "",
        file: Path | str | None = None,
        informs: tuple[str, ...] | list[str] = (),
        note: str | None = None,
    ) -> Change:
        stored = ""
        if file is not None:
            resolved = inside(self.root, Path(file))
            stored = resolved.relative_to(self.root.resolve()).as_posix()
            if is_private(stored):
                raise UsageError(Problem(PRIVATE_MESSAGE, Path(file)))

        def change(draft: Draft) -> tuple[str, str | None]:
            fw = draft.framework
            chosen = resolve("case study kind", kind, [c.kind for c in fw.case_studies])
            indicators = [self.resolve_indicator(i) for i in informs]
            draft.sequence("case_studies").append(
                entry(kind=chosen, title=title, file=stored, indicators=indicators, note=note)
            )
            return f"Recorded a {chosen.replace('_', ' ')} case study.", None

        return self._change(change)

    def remove_case_study(self, kind: str, *, title: str | None = None) -> Change:
        """Forget a recorded case study of ``kind`` (the one with ``title`` where several)."""

        def change(draft: Draft) -> tuple[str, str | None]:
            chosen = resolve(
                "case study kind", kind, [c.kind for c in draft.framework.case_studies]
            )
            items = draft.sequence("case_studies")
            found = [
                n
                for n, c in enumerate(items)
                if isinstance(c, dict)
                and c.get("kind") == chosen
                and (title is None or c.get("title", "") == title)
            ]
            if not found:
                raise UsageError(
                    f"no {chosen.replace('_', ' ')} case study is recorded"
                    + (f" with the title '{title}'" if title is not None else "")
                )
            if len(found) > 1:
                titles = ", ".join(repr(items[n].get("title", "")) for n in found)
                raise UsageError(f"several are recorded ({titles}); say which with --title")
            removed = items.pop(found[0])
            return f"Removed the {chosen.replace('_', ' ')} case study.", (
                f"was '{removed.get('title', '')}'" if removed.get("title") else None
            )

        return self._change(change)

    def remove_area_note(self, area: str, text: str) -> Change:
        """Forget a strength or suggestion recorded for a practice area."""

        def change(draft: Draft) -> tuple[str, str | None]:
            chosen = resolve("practice area", area, [a.id for a in draft.framework.practice_areas])
            notes = draft.mapping("areas", chosen)
            for key in ("strengths", "suggestions"):
                kept = notes.get(key)
                if isinstance(kept, list) and text in kept:
                    kept.remove(text)
                    return f"Removed from {chosen}'s {key}: {text}", None
            raise UsageError(f"no strength or suggestion '{text}' is recorded for {chosen}")

        return self._change(change)

    def record_visit(
        self, date: dt.date | None, mode: str = "on_site", *, assessor: str | None = None
    ) -> Change:
        def change(draft: Draft) -> tuple[str, str | None]:
            visit = draft.framework.visit
            if visit is None:
                raise UsageError(f"{draft.framework.name} has no visit")
            chosen = resolve("visit mode", mode, visit.modes)
            draft.mapping("visit")["mode"] = chosen
            if assessor is not None:
                draft.mapping("visit")["assessor"] = " ".join(assessor.split())
            if date is not None and visit.event:
                draft.mapping("dates")[visit.event] = date
            when = f", {date.isoformat()}" if date else ""
            return f"Visit recorded ({chosen.replace('_', ' ')}{when}).", None

        return self._change(change)

    def add_area_notes(
        self,
        area: str,
        *,
        strengths: list[str] | tuple[str, ...] = (),
        suggestions: list[str] | tuple[str, ...] = (),
    ) -> Change:
        def change(draft: Draft) -> tuple[str, str | None]:
            areas = [a.id for a in draft.framework.practice_areas]
            chosen = resolve("practice area", area, areas)
            append_new(draft, ("areas", chosen, "strengths"), strengths)
            append_new(draft, ("areas", chosen, "suggestions"), suggestions)
            return f"Noted for {chosen}.", None

        return self._change(change)
