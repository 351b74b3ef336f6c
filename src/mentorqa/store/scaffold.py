"""Making a new workspace folder: the manifest, evidence/, private/ kept out of git, a README."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from ..errors import MentorqaError, Problem, WorkspaceError
from ..frameworks.model import Framework
from ..layout import EVIDENCE_DIR, EVIDENCE_TABLE, MANIFEST, PRIVATE_DIR, SCHEMA_FILE, STATE_DIR
from .evidence_table import render_table
from .files import TEMP_PREFIX, TEMP_SUFFIX
from .manifest_file import new_manifest_text

# What git must never see: notes that name people, mentorqa's caches and lock, and the
# temporary files of a write that was killed before it finished.
IGNORED = (f"{PRIVATE_DIR}/", f"{STATE_DIR}/", f"{TEMP_PREFIX}*{TEMP_SUFFIX}")

_GITIGNORE = (
    "# Added by mentorqa.\n"
    "# private/ holds notes about people (interviews, case notes): never commit it.\n"
    + "".join(f"{line}\n" for line in IGNORED)
)

_README = """# {framework}: evidence

This folder is a mentorqa workspace: `mentorqa.yaml` records what the service has evidenced for
{framework} ({owner}), and `mentorqa.evidence.tsv` the checksum, size and day mentorqa recorded
for each evidence file (written by mentorqa, one line per file: commit both).

- `evidence/`: documents you upload as evidence (policies, minutes, reports). Record each one
  with `mentorqa evidence add INDICATOR FILE`.
- `private/`: interview notes and anything that names mentees or mentors. It is kept out of git
  (see `.gitignore`); reports never name people unless `privacy: names_consent: true` is set.
- `mentorqa status` shows what is still missing; `mentorqa check` checks the records (for CI).
"""


def scaffold(
    folder: Path,
    framework: Framework,
    name: str,
    turnover: int | float | None,
    dates: dict[str, date],
    cycle: str | None,
    schema_document: dict[str, object],
) -> list[Path]:
    """Create the workspace's files in ``folder``; returns what was created."""
    text = new_manifest_text(
        framework.id, framework.name, framework.version, name, turnover, dates, cycle
    )
    manifest = folder / MANIFEST
    created: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(manifest, "x", encoding="utf-8") as handle:
            handle.write(text)
        created.append(manifest)
        table = folder / EVIDENCE_TABLE
        if not table.exists():
            table.write_text(render_table({}), encoding="utf-8")
            created.append(table)
        schema_file = folder / SCHEMA_FILE
        if not schema_file.exists():
            schema_file.write_text(json.dumps(schema_document, indent=2) + "\n", encoding="utf-8")
            created.append(schema_file)
        for sub in (EVIDENCE_DIR, PRIVATE_DIR):
            if not (folder / sub).exists():
                (folder / sub).mkdir()
                created.append(folder / sub)
        (folder / EVIDENCE_DIR / ".gitkeep").touch()
        created += _gitignore(folder)
        readme = folder / "README.md"
        if not readme.exists():
            readme.write_text(
                _README.format(framework=framework.name, owner=framework.owner), encoding="utf-8"
            )
            created.append(readme)
    except FileExistsError:
        raise MentorqaError(Problem("a workspace already exists here", manifest)) from None
    except OSError as exc:
        raise WorkspaceError(
            Problem(f"cannot create the workspace: {exc.strerror or exc}", folder)
        ) from None
    return created


def _gitignore(folder: Path) -> list[Path]:
    """Write ``.gitignore``, or add the lines it lacks to one already there."""
    path = folder / ".gitignore"
    if not path.exists():
        path.write_text(_GITIGNORE, encoding="utf-8")
        return [path]
    existing = path.read_text(encoding="utf-8")
    if missing := [line for line in IGNORED if line not in existing.splitlines()]:
        tail = "" if existing.endswith("\n") else "\n"
        path.write_text(existing + tail + "\n".join(missing) + "\n", encoding="utf-8")
    return []
