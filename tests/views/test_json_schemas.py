"""Every ``--json`` document has a published JSON Schema (draft 2020-12) in docs/json/, and the
documents mentorqa really prints, through the CLI and the library, validate against them.

The schemas forbid keys they do not declare, so a document that changes without its schema
(and, for an incompatible change, its ``schema_version``) fails here. The list of commands is
read from the command tree itself: a new command with ``--json`` and no schema fails too.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer.main
from jsonschema import Draft202012Validator  # type: ignore[import-untyped,unused-ignore]

import mentorqa
from mentorqa import rollup as rollup_library
from mentorqa.cli import app
from mentorqa.frameworks import discover, get
from mentorqa.values import SCHEMA_VERSION

from ..conftest import run

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "docs" / "json"
EXAMPLES = ROOT / "examples"
VALIDATOR = Path(sys.executable).parent / "check-jsonschema"
BASE_ID = "https://mentorqa.invalid/json/"
BUILT = "2026-06-15"  # the day the bundled examples were built (examples/build.py)
LAPSED = "2030-01-15"  # after every level the examples reach has expired
EXAMPLE = {"qim": "qim-riverside", "nqms": "nqms-northside"}
FRAMEWORKS = tuple(EXAMPLE)


# --- helpers --------------------------------------------------------------------------------


def schema_name(command: str) -> str:
    """The schema file's stem for a command path: 'plan show' -> 'plan-show'."""
    return command.replace(" ", "-")


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        (SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8")
    )
    return document


@functools.cache
def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(
        load_schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def problems(name: str, document: Any) -> list[str]:
    """Every way ``document`` breaks schema ``name``, one line each (empty when valid)."""
    errors = sorted(validator(name).iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in errors]


def assert_valid(name: str, document: Any) -> None:
    found = problems(name, document)
    assert not found, f"{name}.schema.json refuses the document:\n" + "\n".join(found[:20])


def _default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Path):
        return value.as_posix()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def plain(document: Any) -> Any:
    """A library document as the command prints it (dates as ISO 8601 text)."""
    return json.loads(json.dumps(document, default=_default))


def cli_json(*args: str | Path, codes: tuple[int, ...] = (0,), cwd: Path | None = None) -> Any:
    """The one JSON document ``mentorqa ARGS`` prints, exiting with one of ``codes``."""
    done = run(*args, cwd=cwd)
    assert done.exit_code in codes, (args, done.exit_code, done.stderr)
    return json.loads(done.stdout)


def json_commands() -> set[str]:
    """Every command path with a ``--json`` option, read from the CLI's command tree (through
    click's own listing, so commands the group builds only when asked for are found too)."""
    root: Any = typer.main.get_command(app)
    found: set[str] = set()

    def walk(command: Any, ctx: Any, path: tuple[str, ...]) -> None:
        if any("--json" in getattr(p, "opts", ()) for p in command.params):
            found.add(" ".join(path))
        if not hasattr(command, "list_commands"):
            return
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None:
                walk(sub, sub.context_class(sub, info_name=name, parent=ctx), (*path, name))

    walk(root, root.context_class(root, info_name="mentorqa"), ())
    return found


def copy_example(framework: str, into: Path) -> Path:
    target = into / EXAMPLE[framework]
    shutil.copytree(
        EXAMPLES / EXAMPLE[framework], target, ignore=shutil.ignore_patterns(".mentorqa")
    )
    return target


def init(framework: str, into: Path) -> Path:
    """A fresh workspace: nothing recorded but the start of the process."""
    target = into / f"fresh-{framework}"
    done = run(
        "init",
        target,
        *("--framework", framework, "--name", "Fresh Start"),
        *("--turnover", "120000", "--start", "2026-03-02"),
    )
    assert done.exit_code == 0, done.stderr
    return target


# --- the schemas themselves -----------------------------------------------------------------


def schema_files() -> list[Path]:
    return sorted(SCHEMAS.glob("*.schema.json"))


def walk_schema(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every subschema of ``node`` with its place, for the checks on how schemas are written."""
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            if key in ("const", "enum", "examples", "default"):
                continue
            yield from walk_schema(value, f"{where}/{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from walk_schema(value, f"{where}/{n}")


def test_every_json_command_has_a_schema_and_every_schema_a_command() -> None:
    commands = json_commands()
    assert {"status", "check", "timeline", "cost", "eligibility", "rollup"} <= commands
    have = {path.name.removesuffix(".schema.json") for path in schema_files()}
    wanted = {schema_name(c) for c in commands}
    assert not wanted - have, f"--json commands with no schema in docs/json/: {wanted - have}"
    assert not have - wanted, f"schemas of no --json command: {have - wanted}"


@pytest.mark.parametrize("path", schema_files(), ids=lambda p: p.name)
def test_each_schema_is_a_valid_documented_draft_2020_12_schema(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == BASE_ID + path.name
    assert schema["title"] and schema["description"]
    assert schema["type"] == "object" and schema["additionalProperties"] is False
    for where, node in walk_schema(schema):
        for key, prop in node.get("properties", {}).items():
            if where.endswith(("/if", "/then", "/else")) or "/allOf/" in where:
                continue  # conditions restate properties described elsewhere
            assert prop.get("description"), f"{path.name}: {where}/properties/{key} undescribed"
        if node.get("type") == "object" and "properties" in node:
            assert "required" in node, f"{path.name}: {where} says nothing of what is required"


def test_each_schema_version_is_the_codes() -> None:
    """``schema_version`` is a const equal to the constant the documents are built with (the
    roll-up has its own constant, in mentorqa.rollup)."""
    for path in schema_files():
        name = path.name.removesuffix(".schema.json")
        expected = SCHEMA_VERSION
        assert load_schema(name)["properties"]["schema_version"]["const"] == expected, name


def test_the_readme_lists_every_schema() -> None:
    readme = (SCHEMAS / "README.md").read_text(encoding="utf-8")
    for command in json_commands():
        assert f"`{schema_name(command)}.schema.json`" in readme, command
        assert f"`mentorqa {command}" in readme, command


# --- real outputs through the CLI -----------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A command run in a workspace (``-w`` is added); ``{first}`` is the framework's first
    indicator and ``{top}`` its highest level."""

    command: str  # the command path, as json_commands() names it
    args: tuple[str, ...]
    codes: tuple[int, ...] = (0,)
    frameworks: tuple[str, ...] = FRAMEWORKS

    def argv(self, framework: str) -> list[str]:
        fw = get(framework).framework
        values = {"first": next(iter(fw.indicator_index)), "top": fw.levels[-1].id}
        return [a.format(**values) for a in self.args]


IN_WORKSPACE = (
    Case("status", ("status", "--json")),
    Case("status", ("status", "--json", "--level", "{top}"), (0, 1)),
    Case("check", ("check", "--json")),
    Case("check", ("check", "--format", "json", "--level", "{top}"), (0, 1)),
    Case("timeline", ("timeline", "--json")),
    Case("cost", ("cost", "--json", "--years")),
    Case("eligibility", ("eligibility", "--json"), (0, 1)),
    Case("plan show", ("plan", "show", "--json"), frameworks=("nqms",)),
    Case("evidence list", ("evidence", "list", "--json")),
    Case("change list", ("change", "list", "--json")),
    Case("show", ("show", "{first}", "--json")),
)
# Commands whose documents need more than a workspace; each has its own test below.
ELSEWHERE = {"frameworks list", "frameworks show", "import", "map", "rollup"}


def test_every_json_command_is_exercised() -> None:
    assert {c.command for c in IN_WORKSPACE} | ELSEWHERE == json_commands()


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], Path]:
    """Makes a workspace of ``framework`` in ``state``: 'fresh' (just created), 'busy' (the
    bundled example, on the day it was built) or 'lapsed' (the example years later)."""

    def make(state: str, framework: str) -> Path:
        if state == "fresh":
            return init(framework, tmp_path)
        monkeypatch.setenv("MENTORQA_TODAY", BUILT if state == "busy" else LAPSED)
        return copy_example(framework, tmp_path)

    return make


@pytest.mark.parametrize("case", IN_WORKSPACE, ids=lambda c: " ".join(c.args))
@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("state", ["fresh", "busy", "lapsed"])
def test_cli_outputs_match_their_schemas(
    state: str, framework: str, case: Case, workspace: Callable[[str, str], Path]
) -> None:
    ws = workspace(state, framework)
    if framework not in case.frameworks:  # e.g. QiM has no plan: an error, and no document
        refused = run(*case.argv(framework), "-w", ws)
        assert refused.exit_code == 2 and refused.stdout == "" and "error:" in refused.stderr
        return
    assert_valid(
        schema_name(case.command), cli_json(*case.argv(framework), "-w", ws, codes=case.codes)
    )


def test_the_examples_give_documents_with_content(workspace: Callable[[str, str], Path]) -> None:
    """The busy examples are not empty shells: the documents validated above hold figures."""
    qim, nqms = workspace("busy", "qim"), workspace("busy", "nqms")
    status = cli_json("status", "--json", "-w", nqms)
    assert status["reached_level"] == "dedicated" and status["plan"] is not None
    assert status["levels"][0]["expires"] is not None
    evidence = cli_json("evidence", "list", "--json", "-w", qim)["evidence"]
    assert evidence and {e["state"] for e in evidence} == {"ok"}
    timeline = cli_json("timeline", "--json", "-w", qim)
    assert {m["state"] for m in timeline["milestones"]} >= {"done", "upcoming", "waiting"}
    assert {m["owner"] for m in timeline["milestones"]} == {"service", "body"}


def test_lapsed_levels_and_overdue_deadlines(workspace: Callable[[str, str], Path]) -> None:
    nqms = workspace("lapsed", "nqms")
    status = cli_json("status", "--json", "-w", nqms)
    assert_valid("status", status)
    assert status["levels"][0]["expired"] is True and status["reached_level"] is None
    assert any(d["state"] == "overdue" for d in status["next_deadlines"])
    verdict = cli_json("check", "--json", "--strict", "-w", nqms, codes=(1,))
    assert_valid("check", verdict)
    assert verdict["ok"] is False and verdict["warnings"]


def test_check_with_errors_and_warnings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Findings of every shape: with an indicator and a line, and with neither."""
    monkeypatch.setenv("MENTORQA_TODAY", BUILT)
    ws = copy_example("qim", tmp_path)
    evidence = cli_json("evidence", "list", "--json", "-w", ws)["evidence"]
    (ws / evidence[0]["file"]).write_text("changed since it was recorded\n")
    (ws / evidence[1]["file"]).unlink()
    manifest = ws / "mentorqa.yaml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace(evidence[2]["file"], "private/notes.md", 1)
    text = text.replace(
        "indicators:\n", "indicators:\n  QIM-SV-A1:\n    self:\n      status: met\n", 1
    )
    manifest.write_text(text, encoding="utf-8")
    table = ws / "mentorqa.evidence.tsv"  # its recorded facts go with it
    table.write_text(table.read_text().replace(evidence[2]["file"], "private/notes.md"))
    assert run("mark", "QIM-SV-E01", "met", "-w", ws).exit_code == 0  # met without evidence
    verdict = cli_json("check", "--json", "--level", "excellence", "-w", ws, codes=(1,))
    assert_valid("check", verdict)
    codes = {f["code"] for f in verdict["errors"] + verdict["warnings"]}
    assert {"MQA101", "MQA110", "MQA111", "MQA113", "MQA140", "MQA201"} <= codes, codes
    assert any(f["line"] is None and f["indicator"] is None for f in verdict["errors"])
    assert any(f["line"] is not None and f["indicator"] for f in verdict["errors"])
    states = {e["state"] for e in cli_json("evidence", "list", "--json", "-w", ws)["evidence"]}
    assert {"changed", "missing", "private", "ok"} <= states
    assert_valid("evidence-list", cli_json("evidence", "list", "--json", "-w", ws))


def test_cost_without_a_workspace(tmp_path: Path) -> None:
    for args in (
        ("--framework", "qim", "--turnover", "£500,000", "--sector", "public", "--years"),
        ("--framework", "qim", "--turnover", "40000"),
        ("--framework", "nqms"),
    ):
        assert_valid("cost", cli_json("cost", *args, "--json", cwd=tmp_path))


def test_show_without_a_workspace(tmp_path: Path) -> None:
    for framework in FRAMEWORKS:
        first = next(iter(get(framework).framework.indicator_index))
        shown = cli_json("show", first, "--framework", framework, "--json", cwd=tmp_path)
        assert_valid("show", shown)
        assert shown["self"] is None and shown["assessor"] is None


def test_records_of_every_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Eligibility answered no, a revised plan, logged changes, both judgements with a rating."""
    monkeypatch.setenv("MENTORQA_TODAY", BUILT)
    ws = copy_example("nqms", tmp_path)
    criterion = get("nqms").framework.eligibility.criteria[0].id
    eligibility = cli_json(
        "eligibility", "--answer", f"{criterion}=no", "--json", "-w", ws, codes=(1,)
    )
    assert_valid("eligibility", eligibility)
    assert eligibility["eligible"] is False
    assert run("plan", "revise", "2026-06-01", "-w", ws).exit_code == 0
    plan = cli_json("plan", "show", "--json", "-w", ws)
    assert_valid("plan-show", plan)
    assert plan["history"] and plan["version"] == 2 and plan["agreed"] is False
    for when, what in (("2026-04-01", "A new director"), ("2026-05-01", "A second site")):
        assert run("change", "add", what, "--date", when, "-w", ws).exit_code == 0
    changes = cli_json("change", "list", "--json", "-w", ws)
    assert_valid("change-list", changes)
    assert [c["number"] for c in changes["changes"]] == [1, 2]
    by_assessor = ("--by", "assessor", "--rating", "2", "--note", "Draft only")
    marked = run("mark", "A1", "not-met", *by_assessor, "-w", ws)
    assert marked.exit_code == 0, marked.stderr
    shown = cli_json("show", "a1", "--json", "-w", ws)
    assert_valid("show", shown)
    assert shown["assessor"]["rating"] == 2 and shown["self"] is not None


def test_frameworks_list_and_show(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = init("qim", tmp_path)
    (ws / "frameworks").mkdir()
    shutil.copy(get("qim").path, ws / "frameworks" / "qim.yaml")
    extra = tmp_path / "more"
    extra.mkdir()
    shutil.copy(get("nqms").path, extra / "nqms.yaml")
    monkeypatch.setenv("MENTORQA_FRAMEWORK_PATH", str(extra))
    listed = cli_json("frameworks", "list", "--json", "-w", ws)
    assert_valid("frameworks-list", listed)
    assert {"workspace", "MENTORQA_FRAMEWORK_PATH"} <= {f["source"] for f in listed["frameworks"]}
    monkeypatch.delenv("MENTORQA_FRAMEWORK_PATH")
    assert_valid("frameworks-list", cli_json("frameworks", "list", "--json", cwd=tmp_path))
    for framework in FRAMEWORKS:
        shown = cli_json("frameworks", "show", framework, "--json", cwd=tmp_path)
        assert_valid("frameworks-show", shown)
    sections = cli_json("frameworks", "show", "nqms", "--json", cwd=tmp_path)["areas"]
    assert all(area["section"] for area in sections)


def sheet_with_changes(ws: Path, into: Path) -> Path:
    """The workspace's export with one service and one assessor judgement changed."""
    exported = into / "judgements.csv"
    assert run("export", "-o", exported, "-w", ws).exit_code == 0
    with exported.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    head = rows[0]
    rows[1][head.index("status")] = "not-met"
    rows[1][head.index("rating")] = "2"
    rows[2][head.index("assessor_status")] = "met"
    rows[2][head.index("assessor_note")] = "Seen at the review"
    changed = into / "changed.csv"
    with changed.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return changed


def test_import_dry_run_and_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MENTORQA_TODAY", BUILT)
    ws = copy_example("nqms", tmp_path)
    sheet = sheet_with_changes(ws, tmp_path)
    dry = cli_json("import", sheet, "--dry-run", "--json", "-w", ws)
    assert_valid("import", dry)
    assert dry["dry_run"] is True and len(dry["changes"]) == 2
    assert {c["before"] is None for c in dry["changes"]} == {True, False}
    done = cli_json("import", sheet, "--json", "-w", ws)
    assert_valid("import", done)
    assert done["dry_run"] is False
    again = cli_json("import", sheet, "--json", "-w", ws)  # nothing left to change
    assert_valid("import", again)
    assert again["changes"] == []


def test_import_document_carries_a_schema_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = copy_example("nqms", tmp_path)
    sheet = sheet_with_changes(ws, tmp_path)
    assert cli_json("import", sheet, "--dry-run", "--json", "-w", ws)["schema_version"] == 1


# --- the roll-up ----------------------------------------------------------------------------


def programs(framework: str, into: Path, count: int, varied: int = 0) -> Path:
    """``count`` copies of the framework's example; in the first ``varied`` of them one
    indicator is not met and another unanswered, so that figures have both sides."""
    folder = into / f"programs-{framework}"
    folder.mkdir()
    for n in range(count):
        copy = copy_example(framework, folder)
        copy = copy.rename(folder / f"program-{n}")
        if n < varied:
            ws = mentorqa.open_workspace(copy)
            first, second = list(ws.framework.indicator_index)[:2]
            ws.mark(first, "not-met", rating=2 if ws.framework.judgement.rating else None)
            ws.clear_mark(second)
    return folder


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_rollup_documents(framework: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MENTORQA_TODAY", BUILT)
    folder = programs(framework, tmp_path, 6, varied=3)
    printed = cli_json("rollup", folder, "--min-group", "3", "--json")
    assert_valid("rollup", printed)
    assert printed["programs"] == 6
    if framework == "nqms":  # no copy of the QiM example has had its visit, so none is reached
        assert printed["levels"][0]["reached"] == 3
    assert printed["indicators"][0]["share_met"] == 0.5
    assert (printed["ratings"] is None) == (framework == "qim")
    same = cli_json("rollup", folder, "--min-group", "3", "--format", "json")
    assert same == printed
    library = rollup_library.rollup([folder], min_group=3).to_dict()
    assert_valid("rollup", plain(library))
    # An unreadable workspace is left out and counted; the document stays the same shape.
    broken = folder / "broken"
    broken.mkdir()
    (broken / "mentorqa.yaml").write_text("framework: [\n", encoding="utf-8")
    excluded = cli_json("rollup", folder, "--min-group", "3", "--json", codes=(1,))
    assert_valid("rollup", excluded)
    assert excluded["excluded"] == 1
    # The fewest programs allowed, all alike: nearly every figure is hidden (null).
    (tmp_path / "few").mkdir()
    few = cli_json("rollup", programs(framework, tmp_path / "few", 3), "--min-group", "3", "--json")
    assert_valid("rollup", few)
    assert few["levels"][0]["reached"] is None


# --- real outputs through the library -------------------------------------------------------


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("state", ["fresh", "busy", "lapsed"])
def test_library_reads_match_their_schemas(
    state: str, framework: str, workspace: Callable[[str, str], Path]
) -> None:
    ws = mentorqa.open_workspace(workspace(state, framework))
    assert_valid("status", plain(ws.status().to_dict()))
    for level in ws.framework.levels:
        assert_valid("status", plain(ws.status(level.id).to_dict()))
        assert_valid("check", plain(ws.check(level.id, strict=True).to_dict()))
    assert_valid("check", plain(ws.check().to_dict()))
    assert_valid("timeline", plain(ws.timeline().to_dict()))
    assert_valid("eligibility", plain(ws.eligibility().to_dict()))
    assert_valid("cost", plain(ws.cost().to_dict()))
    assert_valid("evidence-list", plain(ws.evidence().to_dict()))
    assert_valid("change-list", plain(ws.changes().to_dict()))
    if ws.framework.plan is not None:
        assert_valid("plan-show", plain(ws.plan().to_dict()))
    for ind_id in ws.framework.indicator_index:
        assert_valid("show", plain(ws.indicator(ind_id).to_dict()))


def bundled() -> list[str]:
    """Every framework shipped with mentorqa (more than the two the examples use)."""
    found, _ = discover(None)
    return sorted(f.framework.id for f in found if f.origin == "bundled")


def test_every_bundled_framework_gives_valid_documents(tmp_path: Path) -> None:
    """A fresh workspace of each bundled framework, so that a framework added later (with fees
    not published, no plan, no interviews...) is held to the schemas too."""
    assert set(FRAMEWORKS) <= set(bundled())
    for framework in bundled():
        shown = cli_json("frameworks", "show", framework, "--json", cwd=tmp_path)
        assert_valid("frameworks-show", shown)
        ws = mentorqa.open_workspace(init(framework, tmp_path))
        assert_valid("status", plain(ws.status().to_dict()))
        assert_valid("check", plain(ws.check().to_dict()))
        assert_valid("timeline", plain(ws.timeline().to_dict()))
        assert_valid("eligibility", plain(ws.eligibility().to_dict()))
        assert_valid("cost", plain(ws.cost().to_dict()))
        if ws.framework.plan is not None:
            assert_valid("plan-show", plain(ws.plan().to_dict()))
        first = next(iter(ws.framework.indicator_index))
        assert_valid("show", plain(ws.indicator(first).to_dict()))


def test_library_cost_without_a_workspace() -> None:
    for framework in bundled():
        fw = mentorqa.get_framework(framework)
        for turnover in (None, 0, 99_999.5, 2_000_000):
            if fw.fees.bands and turnover is None:
                continue  # a framework with fee bands needs a turnover
            assert_valid("cost", plain(mentorqa.cost(fw, turnover).to_dict()))


def test_show_covers_interviews_case_studies_and_both_judgements(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MENTORQA_TODAY", BUILT)
    ws = mentorqa.open_workspace(copy_example("qim", tmp_path))
    first = next(iter(ws.framework.indicator_index))
    ws.mark(first, "partly-met", by="assessor", note="Aims are not yet published")
    ws.add_interview("mentee", "Mentee B", date=dt.date(2026, 6, 4), informs=[first])
    ws.add_case_study("mentor_journey", title="From training to a first match", informs=[first])
    shown = [plain(ws.indicator(i).to_dict()) for i in ws.framework.indicator_index]
    for document in shown:
        assert_valid("show", document)
    assert any(d["interviews"] for d in shown) and any(d["case_studies"] for d in shown)
    assert any(d["self"] and d["assessor"] for d in shown)


# --- the real validator, and what the schemas refuse ----------------------------------------


def test_check_jsonschema_accepts_a_real_output_and_refuses_a_broken_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MENTORQA_TODAY", BUILT)
    ws = copy_example("nqms", tmp_path)
    done = run("status", "--json", "-w", ws)
    output = tmp_path / "s.json"
    output.write_text(done.stdout, encoding="utf-8")
    command = [str(VALIDATOR), "--schemafile", str(SCHEMAS / "status.schema.json")]
    accepted = subprocess.run(
        [*command, str(output)], capture_output=True, text=True, check=False, timeout=120
    )
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    broken = json.loads(done.stdout)
    broken["today"] = "15/06/2026"
    output.write_text(json.dumps(broken), encoding="utf-8")
    refused = subprocess.run(
        [*command, str(output)], capture_output=True, text=True, check=False, timeout=120
    )
    assert refused.returncode == 1 and "15/06/2026" in refused.stdout


def _set(path: tuple[str | int, ...], value: Any) -> Callable[[Any], None]:
    def change(document: Any) -> None:
        for key in path[:-1]:
            document = document[key]
        document[path[-1]] = value

    return change


def _drop(key: str) -> Callable[[Any], None]:
    def change(document: Any) -> None:
        del document[key]

    return change


def _waiting_with_a_due_date(document: Any) -> None:
    dated = next(m for m in document["milestones"] if m["due"] is not None)
    dated["state"] = "waiting"


BREAKAGES: list[tuple[str, str, Callable[[Any], None]]] = [
    ("status", "a count as text", _set(("levels", 0, "met"), "24")),
    ("status", "a key no one announced", _set(("surprise",), True)),
    ("status", "a required key gone", _drop("unmet")),
    ("status", "a date that is not ISO 8601", _set(("today",), "15/06/2026")),
    ("status", "a newer layout", _set(("schema_version",), 2)),
    ("status", "a level counted another way", _set(("levels", 0, "counts"), "rated")),
    ("status", "a null where a name belongs", _set(("service",), None)),
    ("timeline", "a state outside the vocabulary", _set(("milestones", 0, "state"), "late")),
    ("timeline", "an owner outside the vocabulary", _set(("milestones", 0, "owner"), "funder")),
    ("timeline", "waiting with a due date", _waiting_with_a_due_date),
    ("cost", "money as text", _set(("total",), "750")),
    ("cost", "a currency that is not a code", _set(("currency",), "£")),
    ("cost", "an amount for fees not published", _set(("known",), False)),
    ("eligibility", "an answer as text", _set(("criteria", 0, "answer"), "yes")),
    ("check", "a verdict as text", _set(("ok",), "yes")),
]


@pytest.mark.parametrize(
    ("schema", "what", "breaking"), BREAKAGES, ids=[f"{s}: {w}" for s, w, _ in BREAKAGES]
)
def test_a_wrong_document_is_refused(
    schema: str,
    what: str,
    breaking: Callable[[Any], None],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MENTORQA_TODAY", BUILT)
    ws = copy_example("qim", tmp_path)
    document = cli_json(schema, "--json", "-w", ws, codes=(0, 1))
    assert_valid(schema, document)
    breaking(document)
    assert problems(schema, document), f"{schema}.schema.json accepts {what}"


def test_a_finding_code_must_be_mqa_and_three_digits() -> None:
    finding = {"code": "E101", "indicator": None, "file": None, "line": None, "message": "x"}
    document = {
        "schema_version": SCHEMA_VERSION,
        "ok": False,
        "errors": [finding],
        "warnings": [],
    }
    assert problems("check", document)
    finding["code"] = "MQA101"
    assert not problems("check", document)
