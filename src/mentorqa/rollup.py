"""Roll-up across services: figures over many workspaces of one framework, identifying none.

Privacy by construction: each workspace is reduced, as soon as it is read, to a
:class:`Summary` of statuses, ratings, levels and day counts (no name, path, id or note), and
the figures are built from counts of those with the rules under "suppression" below: a figure
is ``None`` when fewer than ``K`` workspaces contribute to it, and a count also when fewer than
``K`` lie outside it, since that rest could be derived from the total (complement suppression).

Workspaces are read one at a time, in worker processes when there are many, and folded into
:class:`Totals`, whose size depends on the framework, not on how many workspaces there are.
"""

from __future__ import annotations

import hashlib
import os
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from .errors import ExitCode, MentorqaError, Problem, UsageError
from .frameworks.model import Framework
from .layout import MANIFEST, PRIVATE_DIR, STATE_DIR

DEFAULT_MIN_GROUP = 5
SMALLEST_MIN_GROUP = 3  # below 3 a group's figure is one or two services' own figure
SKIPPED = frozenset({".git", PRIVATE_DIR, "node_modules", STATE_DIR})
PARALLEL_FROM = 200  # below this, starting worker processes costs more than it saves


@dataclass(frozen=True)
class Judged:
    """What counts for one indicator of one workspace: no note, and the month, not the day."""

    status: str  # "" when nothing is judged
    met: bool
    rating: int | None
    month: str  # "YYYY-MM" of the judgement, or ""


@dataclass(frozen=True)
class Summary:
    """One workspace reduced to what a roll-up may use; it holds nothing that names it."""

    framework: str
    version: str  # the version the manifest was made for (else the loaded one)
    indicators: tuple[Judged, ...]  # in the framework's order
    reached: tuple[bool, ...]  # per level, lowest first
    days: tuple[int | None, ...]  # per framework event: days from the workspace's start
    shape: str = ""  # the framework's indicators, levels and events, as a digest

    def same_framework(self, other: Summary) -> bool:
        return (self.framework, self.version, self.shape) == (
            other.framework,
            other.version,
            other.shape,
        )


@dataclass(frozen=True)
class Broken:
    """A workspace that could not be read; its path is told on stderr, never in the output."""

    root: Path
    problems: tuple[Problem, ...]


# --- finding workspaces ---------------------------------------------------------------------


def find_workspaces(folders: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Every workspace in ``folders`` (each a workspace or a folder searched recursively), and
    the folders that could not be searched. ``.git``, ``private/`` and ``node_modules`` are
    never entered, nor is a workspace's own tree (its evidence can be large)."""
    found: dict[Path, Path] = {}
    unreadable: list[Problem] = []
    for folder in folders:
        if not folder.is_dir():
            raise UsageError(Problem("is not a folder; give folders that hold workspaces", folder))
        for root in _walk(folder, unreadable):
            found.setdefault(root.resolve(), root)  # a folder given twice counts once
    return sorted(found.values()), unreadable


def _walk(folder: Path, unreadable: list[Problem]) -> Iterator[Path]:
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as exc:
            unreadable.append(Problem(f"cannot be searched: {exc.strerror or exc}", current))
            continue
        if any(e.name == MANIFEST and e.is_file() for e in entries):
            yield current
            continue
        stack.extend(
            Path(e.path)
            for e in reversed(entries)
            if e.name not in SKIPPED and e.is_dir(follow_symlinks=False)
        )


# --- reading one workspace (in a worker process) ----------------------------------------------

_FRAMEWORKS: dict[str, Framework] = {}


def _framework_of(framework_id: str, root: Path) -> Framework:
    from .frameworks import get

    if (root / "frameworks").is_dir():  # a workspace's own framework file wins, as everywhere
        return get(framework_id, root).framework
    if framework_id not in _FRAMEWORKS:
        _FRAMEWORKS[framework_id] = get(framework_id).framework
    return _FRAMEWORKS[framework_id]


def summarise(root: Path, today: date) -> Summary | Broken:
    """Read one workspace and keep only what a roll-up may use."""
    from .rules import levels
    from .rules.indicators import indicator_results
    from .rules.timeline import happened
    from .store.manifest_file import read_manifest

    try:
        manifest = read_manifest(root, cache=False).manifest  # copy no service's data
        fw = _framework_of(manifest.framework, root)
    except MentorqaError as exc:
        where = root / MANIFEST  # a problem with no place of its own is the manifest's
        problems = [p if p.file is not None else Problem(p.message, where) for p in exc.problems]
        return Broken(root, tuple(problems))
    results = indicator_results(fw, manifest, today)
    done = happened(manifest.dates, today)
    judged = tuple(
        Judged(
            r.status or "",
            r.met,
            r.judgement.rating if r.judgement is not None else None,
            r.judgement.date.strftime("%Y-%m") if r.judgement and r.judgement.date else "",
        )
        for r in results
    )
    reached = tuple(lv.achieved for lv in levels.levels(fw, results, done, today))
    start = done.get(fw.start_event(manifest.cycle) or "")
    days = tuple(
        (done[e.id] - start).days
        if start is not None and e.id in done and done[e.id] >= start
        else None
        for e in fw.events
    )
    version = manifest.framework_version or fw.version
    return Summary(fw.id, version, judged, reached, days, _shape(fw))


def _shape(fw: Framework) -> str:
    """What the figures are laid out by: two workspaces that both say 'qim 2022' but load
    different files (one of their own) cannot be added up."""
    parts = [*fw.indicator_index, "", *fw.level_ids, "", *(e.id for e in fw.events)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def read_all(
    roots: list[Path], today: date, workers: int | None = None
) -> Iterator[Summary | Broken]:
    """Each workspace's summary, in the order given; in worker processes when there are many."""
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if len(roots) >= PARALLEL_FROM else 1
    if workers <= 1:
        yield from (summarise(root, today) for root in roots)
        return
    # Imported before the workers fork, so that each starts with them instead of importing anew.
    from .rules import indicators, levels, timeline  # noqa: F401
    from .store import manifest_file  # noqa: F401

    chunk = max(1, min(64, len(roots) // (workers * 8)))
    with ProcessPoolExecutor(workers) as pool:
        try:
            yield from pool.map(partial(summarise, today=today), roots, chunksize=chunk)
        finally:
            pool.shutdown(cancel_futures=True)


# --- adding up ------------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts for one indicator or practice area; ``*_programs`` count workspaces."""

    programs: int = 0  # with a judgement here
    met_programs: int = 0  # with a met judgement here
    unmet_programs: int = 0  # with a judgement here that is not met
    rated_programs: int = 0
    judgements: int = 0
    met: int = 0
    ratings: int = 0
    rating_sum: int = 0

    def add(self, judged: Iterable[Judged], scale: tuple[int, int] | None) -> None:
        answered = [j for j in judged if j.status]
        met = sum(j.met for j in answered)
        rated = [j.rating for j in answered if on_scale(j.rating, scale)]
        self.programs += bool(answered)
        self.met_programs += met > 0
        self.unmet_programs += met < len(answered)
        self.rated_programs += bool(rated)
        self.judgements += len(answered)
        self.met += met
        self.ratings += len(rated)
        self.rating_sum += sum(r for r in rated if r is not None)


def scale_of(fw: Framework) -> tuple[int, int] | None:
    """The framework's rating scale as (lowest, highest), or None where it has no rating."""
    rating = fw.judgement.rating
    return (rating.min, rating.max) if rating is not None else None


def on_scale(rating: int | None, scale: tuple[int, int] | None) -> bool:
    # A rating the framework does not allow ('check' reports it) is left out of every figure.
    return rating is not None and scale is not None and scale[0] <= rating <= scale[1]


@dataclass
class Totals:
    """Everything the figures are built from; its size does not grow with the workspaces."""

    framework: Framework
    programs: int = 0
    reached: list[int] = field(default_factory=list)
    indicators: list[Tally] = field(default_factory=list)
    areas: list[Tally] = field(default_factory=list)
    rating_judgements: Counter[int] = field(default_factory=Counter)
    rating_programs: Counter[int] = field(default_factory=Counter)  # used the value
    other_programs: Counter[int] = field(default_factory=Counter)  # used another value
    rated_programs: int = 0
    days: list[Counter[int]] = field(default_factory=list)  # per event: days -> workspaces

    def __post_init__(self) -> None:
        fw = self.framework
        self.reached = [0] * len(fw.levels)
        self.indicators = [Tally() for _ in fw.indicator_index]
        self.areas = [Tally() for _ in fw.practice_areas]
        self.days = [Counter() for _ in fw.events]
        area_of = [area.id for area, _ in fw.indicator_index.values()]
        self._area_slices = [
            [n for n, a in enumerate(area_of) if a == area.id] for area in fw.practice_areas
        ]

    @property
    def scale(self) -> tuple[int, int] | None:
        return scale_of(self.framework)

    def add(self, summary: Summary) -> None:
        """Fold one workspace in."""
        scale = self.scale
        self.programs += 1
        for n, achieved in enumerate(summary.reached):
            self.reached[n] += achieved
        for tally, judged in zip(self.indicators, summary.indicators, strict=True):
            tally.add((judged,), scale)
        for tally, members in zip(self.areas, self._area_slices, strict=True):
            tally.add((summary.indicators[n] for n in members), scale)
        used = Counter(
            j.rating for j in summary.indicators if j.status and on_scale(j.rating, scale)
        )
        self.rated_programs += bool(used)
        for value, count in used.items():
            assert value is not None
            self.rating_judgements[value] += count
            self.rating_programs[value] += 1
        if scale is not None:
            for value in range(scale[0], scale[1] + 1):
                self.other_programs[value] += any(v != value for v in used)
        for counter, days in zip(self.days, summary.days, strict=True):
            if days is not None:
                counter[days] += 1


# --- suppression ------------------------------------------------------------------------


def count_shown(count: int, total: int, k: int) -> int | None:
    """A count of workspaces out of ``total``, or ``None`` unless at least ``k`` are in it and
    at least ``k`` are not: the rest could be derived from the total (complement suppression).
    A count of all or none is hidden too, since it states a fact about every workspace."""
    return count if count >= k and total - count >= k else None


def share_shown(
    part: int, whole: int, part_programs: int, rest_programs: int, k: int
) -> float | None:
    """``part / whole`` (rounded), or ``None`` unless at least ``k`` workspaces are behind the
    part and at least ``k`` behind the rest, so neither side's count can be worked out."""
    if whole == 0 or part_programs < k or rest_programs < k:
        return None
    return round(part / whole, 4)


def mean_shown(total: int, count: int, programs: int, k: int) -> float | None:
    """A mean, or ``None`` when fewer than ``k`` workspaces contribute to it."""
    return round(total / count, 2) if count and programs >= k else None


def median_shown(values: Counter[int], k: int) -> float | None:
    """The median of ``values`` (value -> how many workspaces), or ``None`` below ``k``."""
    n = values.total()
    if n < k:
        return None
    ordered = sorted(values.items())
    middle = [(n - 1) // 2, n // 2]
    found: list[int] = []
    seen = 0
    for value, times in ordered:
        while middle and middle[0] < seen + times:
            found.append(value)
            middle.pop(0)
        seen += times
    return sum(found) / 2


def cells_shown(cells: dict[int, tuple[int, int, int]], k: int) -> dict[int, int | None]:
    """A distribution whose total is published: each cell (value -> (count, workspaces using
    the value, workspaces using another)) is hidden when fewer than ``k`` workspaces are on
    either side of it. When cells are hidden, one of them must stand for ``k`` workspaces or
    more, or their sum (the total less the cells shown) would give a small group away: then
    the smallest cell shown is hidden too."""
    shown: dict[int, int | None] = {
        value: count if users >= k and others >= k else None
        for value, (count, users, others) in cells.items()
    }
    hidden = [v for v, c in shown.items() if c is None]
    if hidden and all(cells[v][1] < k for v in hidden):
        candidates = [v for v, c in shown.items() if c is not None]
        if candidates:
            shown[min(candidates, key=lambda v: (cells[v][0], v))] = None
    return shown


# --- the roll-up ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rollup:
    """A roll-up's result: ``to_dict()`` is exactly what ``rollup --json`` prints."""

    totals: Totals
    min_group: int
    excluded: tuple[Broken, ...]
    skip_broken: bool = False

    @property
    def framework(self) -> Framework:
        return self.totals.framework

    @property
    def exit_code(self) -> ExitCode:
        """1 when a workspace was excluded (unless told to skip broken ones), else 0."""
        if self.excluded and not self.skip_broken:
            return ExitCode.NOT_HOLDING
        return ExitCode.OK

    def to_dict(self) -> dict[str, Any]:
        from .views.rollup import data

        return data(self.totals, self.min_group, len(self.excluded))


def check_min_group(min_group: int) -> None:
    """Refuse a group size that would let one or two services' figures be published."""
    if min_group < SMALLEST_MIN_GROUP:
        raise UsageError(
            f"--min-group must be at least {SMALLEST_MIN_GROUP} (it was {min_group}): a smaller "
            "group's figures would be one or two services' own"
        )


def rollup(
    folders: Iterable[Path | str],
    *,
    min_group: int = DEFAULT_MIN_GROUP,
    today: date | None = None,
    workers: int | None = None,
    skip_broken: bool = False,
    on_broken: Callable[[Broken], None] | None = None,
    on_summary: Callable[[Framework, Summary], None] | None = None,
    shuffle: bool = False,
) -> Rollup:
    """Roll up every workspace in ``folders`` (see :func:`find_workspaces`).

    ``on_broken`` hears of each workspace that cannot be read (it is excluded); ``on_summary``
    sees each summary as it is added (``--facts`` writes rows from it); ``shuffle`` reads the
    workspaces in a random order, so that nothing written per workspace follows the paths.
    Raises :class:`UsageError` for mixed frameworks or fewer than ``min_group`` workspaces.
    """
    from .values import today as today_

    check_min_group(min_group)
    roots, _ = find_workspaces(Path(f) for f in folders)
    if shuffle:
        random.SystemRandom().shuffle(roots)
    totals: Totals | None = None
    first: tuple[Path, Summary] | None = None
    excluded: list[Broken] = []
    for root, summary in zip(roots, read_all(roots, today or today_(), workers), strict=True):
        if isinstance(summary, Broken):
            excluded.append(summary)
            if on_broken is not None:
                on_broken(summary)
            continue
        if first is None:
            first = (root, summary)
            totals = Totals(_framework_of(summary.framework, root))
        elif not summary.same_framework(first[1]):
            raise UsageError(_mixed(first, (root, summary)))
        assert totals is not None
        totals.add(summary)
        if on_summary is not None:
            on_summary(totals.framework, summary)
    if totals is None or totals.programs < min_group:
        found = 0 if totals is None else totals.programs
        raise UsageError(
            f"{found} workspace{'' if found == 1 else 's'} could be read "
            f"({len(excluded)} excluded); a roll-up needs at least {min_group} (--min-group), "
            "so that no figure is one service's own"
        )
    return Rollup(totals, min_group, tuple(excluded), skip_broken)


def _mixed(first: tuple[Path, Summary], other: tuple[Path, Summary]) -> list[Problem]:
    def name(s: Summary) -> str:
        return f"{s.framework} version '{s.version}'"

    if name(first[1]) == name(other[1]):  # the same name, another file's indicators
        return [
            Problem(
                f"uses a {name(other[1])} whose indicators differ from the one {first[0]} uses "
                "(a framework file of its own?); a roll-up adds up one framework only",
                other[0],
            )
        ]

    return [
        Problem(
            f"uses {name(other[1])}, but {first[0]} uses {name(first[1])}; a roll-up covers one "
            "framework and version: give the folders of one only",
            other[0],
        )
    ]
