"""Recording things in a workspace: evidence, judgements, dates, interviews, plans.

Each function checks its input against the framework first, then changes the manifest through
:func:`mentorqa.workspace.edit`, so a refused change writes nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .assessment import FileState
from .comments import append_in, delete, drop_in, find, put, put_in, remove_item, update
from .errors import MentorqaError, Problem, UsageError, WorkspaceError
from .frameworks.model import Framework
from .workspace import (
    EVIDENCE_DIR,
    MANIFEST,
    MANIFEST_VERSION,
    PRIVATE_DIR,
    STATE_DIR,
    ChecksumCache,
    Workspace,
    block,
    edit,
    inside,
    plausible,
    sha256_of,
    today,
    write_atomic,
)

STATUSES = ("met", "partly-met", "not-met", "not-applicable")


def parse_date(text: str, what: str = "date") -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{what} '{text}' is not a date like 2026-03-01 (year-month-day)"
        ) from None
    try:
        return plausible(day)
    except ValueError as exc:
        raise UsageError(f"{what} {exc}") from None


def require_indicator(framework: Framework, indicator: str) -> None:
    if indicator not in framework.indicator_index:
        raise UsageError(
            f"unknown indicator '{indicator}' in {framework.id}; see "
            f"'mentorqa frameworks show {framework.id}' for the ids"
        )


# --- init -------------------------------------------------------------------------------------

_GITIGNORE = f"""# Added by mentorqa.
# private/ holds notes about people (interviews, case notes): never commit it.
{PRIVATE_DIR}/
{STATE_DIR}/
"""

_README = """# {name}: {framework} evidence

This folder is a mentorqa workspace: `mentorqa.yaml` records what {name} has evidenced for
{framework} ({owner}).

- `evidence/`: documents you upload as evidence (policies, minutes, reports). Record each one
  with `mentorqa evidence add INDICATOR FILE`.
- `private/`: interview notes and anything that names mentees or mentors. It is kept out of git
  (see `.gitignore`); reports never name people unless `privacy: names_consent: true` is set.
- `mentorqa status` shows what is still missing; `mentorqa check` checks the records (for CI).
"""


def manifest_text(
    framework: Framework, name: str, turnover: float | None, start: date, start_event: str | None
) -> str:
    """A new, commented ``mentorqa.yaml``."""
    lines = [
        f"# mentorqa workspace for {name}: the evidence manifest for {framework.name}.",
        "# Edit by hand or with mentorqa commands; comments you add are kept.",
        "# Run 'mentorqa status' to see what is still missing.",
        f"mentorqa: {MANIFEST_VERSION}",
        f"framework: {framework.id}",
        f"framework_version: {_quote(framework.version)}",
        "service:",
        f"  name: {_quote(name)}",
    ]
    if turnover is not None:
        lines.append(
            f"  turnover: {turnover:.0f}"
            if float(turnover).is_integer()
            else f"  turnover: {turnover}"
        )
    lines += [
        "privacy:",
        "  # Set to true only when everyone named below has agreed to be named in reports.",
        "  names_consent: false",
        "# Dates of the process's events (see 'mentorqa timeline').",
        "dates:" + ("" if start_event else " {}"),
    ]
    if start_event:
        lines.append(f"  {start_event}: {start.isoformat()}")
    lines += [
        "# Answers to the eligibility questions (see 'mentorqa eligibility').",
        "eligibility: {}",
        "# One entry per indicator: the service's own judgement, the assessor's, and evidence.",
        "indicators: {}",
    ]
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def init(
    folder: Path, framework: Framework, name: str, turnover: float | None, start: date
) -> list[Path]:
    """Create a workspace in ``folder``; refuses one that already holds a workspace.

    Returns the files and folders created. Existing files are never overwritten: a
    ``.gitignore`` already there gets the missing lines appended.
    """
    manifest = folder / MANIFEST
    if manifest.exists():
        raise MentorqaError(
            Problem("a workspace already exists here; nothing was changed", manifest)
        )
    if not name.strip():
        raise UsageError("the service name must not be empty")
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            Problem("is a file, not a folder; give a folder for the workspace", folder)
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(
            Problem(f"cannot create the folder: {exc.strerror or exc}", folder)
        ) from None
    # The framework's first event is the one that starts the process (QiM: registration).
    start_event = framework.events[0].id if framework.events else None
    created: list[Path] = []
    try:
        with open(manifest, "x", encoding="utf-8") as handle:
            handle.write(manifest_text(framework, name.strip(), turnover, start, start_event))
    except FileExistsError:
        raise MentorqaError(Problem("a workspace already exists here", manifest)) from None
    created.append(manifest)
    for sub in (EVIDENCE_DIR, PRIVATE_DIR):
        path = folder / sub
        if not path.exists():
            path.mkdir()
            created.append(path)
    (folder / EVIDENCE_DIR / ".gitkeep").touch()
    gitignore = folder / ".gitignore"
    existing = gitignore.read_text(encoding="utf-8") if gitignore.exists() else ""
    wanted = [f"{PRIVATE_DIR}/", f"{STATE_DIR}/"]
    if not existing:
        gitignore.write_text(_GITIGNORE, encoding="utf-8")
        created.append(gitignore)
    elif missing := [w for w in wanted if w not in existing.splitlines()]:
        tail = "" if existing.endswith("\n") else "\n"
        gitignore.write_text(existing + tail + "\n".join(missing) + "\n", encoding="utf-8")
    readme = folder / "README.md"
    if not readme.exists():
        readme.write_text(
            _README.format(name=name.strip(), framework=framework.name, owner=framework.owner),
            encoding="utf-8",
        )
        created.append(readme)
    return created


# --- evidence ---------------------------------------------------------------------------------


def add_evidence(
    ws: Workspace, framework: Framework, indicator: str, paths: list[Path], note: str = ""
) -> list[dict[str, Any]]:
    """Record files as evidence; a path already recorded for the indicator is recorded afresh."""
    require_indicator(framework, indicator)
    entries = []
    problems: list[Problem] = []
    for path in paths:
        try:
            resolved = inside(ws.root, path)
        except MentorqaError as exc:
            problems.extend(exc.problems)
            continue
        if resolved.is_dir():
            problems.append(Problem("is a folder; give the files inside it", path))
            continue
        if resolved == ws.manifest_path.resolve():
            problems.append(Problem("is the manifest itself, not evidence", path))
            continue
        rel = resolved.relative_to(ws.root.resolve()).as_posix()
        if _is_private(rel):
            problems.append(_private_problem(path))
            continue
        entries.append(
            block(
                {
                    "file": rel,
                    "sha256": sha256_of(resolved),
                    "size": resolved.stat().st_size,
                    "recorded": today(),
                    "note": note,
                }
            )
        )
    if problems:
        raise MentorqaError(problems)
    with edit(ws) as doc:
        where = ("indicators", indicator, "evidence")
        for entry in entries:
            evidence = find(doc, where)
            same = [i for i, item in enumerate(evidence or []) if item.get("file") == entry["file"]]
            if evidence is None or not same:
                append_in(doc, where, entry)
                continue
            update(evidence[same[0]], entry)  # recorded afresh, in its place
            for index in reversed(same[1:]):
                delete(evidence, index)
    return [dict(e) for e in entries]


def _is_private(rel: str) -> bool:
    return rel == PRIVATE_DIR or rel.startswith(f"{PRIVATE_DIR}/")


def _private_problem(path: Path) -> Problem:
    return Problem(
        f"is in {PRIVATE_DIR}/, which stays out of git and out of reports because it may name "
        f"people; record a copy without names (for example in {EVIDENCE_DIR}/) instead",
        path,
    )


def remove_evidence(ws: Workspace, indicator: str, files: list[str]) -> int:
    """Forget recorded evidence (the files themselves are left alone). Returns how many."""
    wanted = set()
    for text in files:
        candidate = Path(text)
        try:
            wanted.add(ws.relative(candidate))
        except MentorqaError:
            wanted.add(Path(text).as_posix())  # a file already deleted: match the stored form
    removed = 0
    with edit(ws) as doc:
        where = ("indicators", indicator, "evidence")
        evidence = find(doc, where)
        if isinstance(evidence, CommentedSeq):
            for index in range(len(evidence) - 1, -1, -1):
                if evidence[index].get("file") in wanted:
                    remove_item(doc, where, index)
                    removed += 1
        if not removed:  # raised inside the edit, so the manifest is not rewritten
            raise UsageError(f"no evidence {', '.join(sorted(wanted))} is recorded for {indicator}")
    return removed


def inspect(ws: Workspace) -> dict[str, FileState]:
    """The state on disk of every recorded evidence file, re-hashing only what changed."""
    cache = ChecksumCache(ws.root)
    states: dict[str, FileState] = {}
    root = ws.root.resolve()
    for record in ws.manifest.indicators.values():
        for item in record.evidence:
            if item.file in states:
                continue
            path = (root / item.file).resolve()
            if path != root and root not in path.parents:
                states[item.file] = "outside"
            elif not path.is_file():
                states[item.file] = "missing"
            elif cache.checksum(path) != item.sha256:
                states[item.file] = "changed"
            else:
                states[item.file] = "ok"
    cache.save()
    return states


# --- judgements, dates, answers -----------------------------------------------------------------


def mark(
    ws: Workspace,
    framework: Framework,
    indicator: str,
    status: str,
    by: str,
    note: str = "",
    rating: int | None = None,
) -> None:
    require_indicator(framework, indicator)
    allowed = framework.status_labels
    if status not in allowed:
        raise UsageError(
            f"status '{status}' is not used by {framework.id}; use one of: {', '.join(allowed)}"
        )
    _, ind = framework.indicator_index[indicator]
    if status == "not-applicable" and not ind.not_applicable:
        raise UsageError(f"{indicator} must be met; {framework.id} does not allow not-applicable")
    scale = framework.judgement.rating
    if rating is not None:
        if scale is None:
            raise UsageError(f"{framework.id} has no rating scale; leave out --rating")
        if not scale.min <= rating <= scale.max:
            raise UsageError(f"--rating must be {scale.min} to {scale.max} ({scale.name.lower()})")
    key = "self" if by == "self" else "assessor"
    with edit(ws) as doc:
        judgement = block({"status": status, "rating": rating, "note": note, "date": today()})
        put_in(doc, ("indicators", indicator, key), judgement)


def record_event(ws: Workspace, framework: Framework, event: str, when: date | None) -> None:
    """Record (or with ``when=None`` forget) the date of a process event."""
    if event not in framework.event_names:
        raise UsageError(
            f"unknown event '{event}' in {framework.id}; use one of: "
            f"{', '.join(framework.event_names)}"
        )
    with edit(ws) as doc:
        if when is None:
            drop_in(doc, ("dates", event))
        else:
            put_in(doc, ("dates", event), when)


def answer(ws: Workspace, answers: list[tuple[str, bool]]) -> None:
    with edit(ws) as doc:
        for key, value in answers:
            put_in(doc, ("eligibility", key), value)


def set_service(ws: Workspace, **fields: Any) -> None:
    with edit(ws) as doc:
        for key, value in fields.items():
            if value is not None:
                put_in(doc, ("service", key), value)


# --- interviews, case studies, visit, area notes --------------------------------------------------


def add_interview(
    ws: Workspace,
    framework: Framework,
    role: str,
    pseudonym: str,
    when: date | None,
    minutes: int | None,
    indicators: list[str],
    note: str = "",
) -> None:
    roles = [i.role for i in framework.interviews]
    if role not in roles:
        raise UsageError(
            f"unknown interview role '{role}'; {framework.id} uses: {', '.join(roles) or 'none'}"
        )
    for indicator in indicators:
        require_indicator(framework, indicator)
    if any(i.pseudonym == pseudonym for i in ws.manifest.interviews):
        raise UsageError(f"an interview with pseudonym '{pseudonym}' is already recorded")
    with edit(ws) as doc:
        append_in(
            doc,
            ("interviews",),
            block(
                {
                    "role": role,
                    "pseudonym": pseudonym,
                    "date": when,
                    "minutes": minutes,
                    "indicators": indicators,
                    "note": note,
                }
            ),
        )


def remove_interview(ws: Workspace, pseudonym: str) -> None:
    with edit(ws) as doc:
        items = find(doc, ("interviews",))
        index = next(
            (i for i, item in enumerate(items or []) if item.get("pseudonym") == pseudonym), None
        )
        if index is None:
            raise UsageError(f"no interview with pseudonym '{pseudonym}' is recorded")
        remove_item(doc, ("interviews",), index)


def add_case_study(
    ws: Workspace,
    framework: Framework,
    kind: str,
    title: str,
    file: Path | None,
    indicators: list[str],
    note: str = "",
) -> None:
    kinds = [c.kind for c in framework.case_studies]
    if kind not in kinds:
        raise UsageError(
            f"unknown case study kind '{kind}'; {framework.id} uses: {', '.join(kinds) or 'none'}"
        )
    for indicator in indicators:
        require_indicator(framework, indicator)
    stored = ws.relative(file) if file is not None else ""
    if _is_private(stored):
        assert file is not None
        raise UsageError(_private_problem(file))
    with edit(ws) as doc:
        append_in(
            doc,
            ("case_studies",),
            block(
                {
                    "kind": kind,
                    "title": title,
                    "file": stored,
                    "indicators": indicators,
                    "note": note,
                }
            ),
        )


def record_visit(ws: Workspace, framework: Framework, when: date | None, mode: str) -> None:
    visit = framework.visit
    if visit is None:
        raise UsageError(f"{framework.name} has no visit")
    if mode not in visit.modes:
        raise UsageError(f"visit mode '{mode}' is not one of: {', '.join(visit.modes)}")
    with edit(ws) as doc:
        put_in(doc, ("visit", "mode"), mode)
        if when is not None and visit.event:
            put_in(doc, ("dates", visit.event), when)


def add_area_note(
    ws: Workspace, framework: Framework, area: str, strengths: list[str], suggestions: list[str]
) -> None:
    areas = [a.id for a in framework.practice_areas]
    if area not in areas:
        raise UsageError(f"unknown practice area '{area}'; use one of: {', '.join(areas)}")
    with edit(ws) as doc:
        for key, values in (("strengths", strengths), ("suggestions", suggestions)):
            for value in values:
                append_in(doc, ("areas", area, key), value)


# --- plan and statement ---------------------------------------------------------------------


def _plan_rules(framework: Framework) -> Any:
    if framework.plan is None:
        raise UsageError(f"{framework.name} has no improvement plan")
    return framework.plan


def add_priority(
    ws: Workspace,
    framework: Framework,
    goal: str,
    area: str,
    actions: list[str],
    owner: str,
    target: date | None,
) -> int:
    """Add a priority; refused beyond the framework's maximum. Returns its number."""
    rules = _plan_rules(framework)
    count = len(ws.manifest.plan.priorities)
    if count >= rules.max_priorities:
        raise UsageError(
            f"the {rules.name} already has {count} priorities, the most "
            f"{framework.name} allows; edit or remove one instead"
        )
    with edit(ws) as doc:
        return append_in(
            doc,
            ("plan", "priorities"),
            block(
                {
                    "goal": goal,
                    "area": area,
                    "actions": actions,
                    "owner": owner,
                    "target": target,
                }
            ),
        )


def edit_priority(ws: Workspace, framework: Framework, number: int, **fields: Any) -> None:
    _plan_rules(framework)
    with edit(ws) as doc:
        priorities = _priorities(doc)
        if not 1 <= number <= len(priorities):
            raise UsageError(f"there is no priority {number}; the plan has {len(priorities)}")
        entry = priorities[number - 1]
        for key, value in fields.items():
            if value is None:
                continue
            put(entry, key, CommentedSeq(value) if isinstance(value, list) else value)


def remove_priority(ws: Workspace, framework: Framework, number: int) -> None:
    _plan_rules(framework)
    with edit(ws) as doc:
        priorities = _priorities(doc)
        if not 1 <= number <= len(priorities):
            raise UsageError(f"there is no priority {number}; the plan has {len(priorities)}")
        remove_item(doc, ("plan", "priorities"), number - 1)


def _priorities(doc: CommentedMap) -> list[Any]:
    priorities = find(doc, ("plan", "priorities"))
    return list(priorities) if isinstance(priorities, CommentedSeq) else []


def add_plan_notes(ws: Workspace, strengths: list[str], improvements: list[str]) -> None:
    with edit(ws) as doc:
        for key, values in (("strengths", strengths), ("improvements", improvements)):
            for value in values:
                append_in(doc, ("plan", key), value)


def sign_statement(ws: Workspace, framework: Framework, name: str, role: str, when: date) -> None:
    statement = framework.statement
    if statement is None:
        raise UsageError(f"{framework.name} has no statement to sign")
    missing = [flag for flag, value in (("--name", name), ("--role", role)) if not value.strip()]
    if missing:
        raise UsageError(
            f"{' and '.join(missing)} must not be empty: the statement records who signed it"
        )
    with edit(ws) as doc:
        put_in(doc, ("statement", "name"), name.strip())
        put_in(doc, ("statement", "role"), role.strip())
        put_in(doc, ("dates", statement.event), when)


def write_file(path: Path, text: str) -> None:
    """Write an output file atomically, creating its folder."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
    except OSError as exc:
        raise MentorqaError(Problem(f"cannot be written: {exc.strerror}", path)) from None
