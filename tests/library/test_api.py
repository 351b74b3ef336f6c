"""The Python library on its own: the documented journey runs, reads equal the CLI's JSON, and
writes refuse bad input without changing a byte."""

from __future__ import annotations

import ast
import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

import mentorqa
from mentorqa.errors import ExitCode

from ..conftest import run

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "mentorqa"


def cli_json(*args: str | Path) -> Any:
    result = run(*args, "--json")
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


def plain(document: Any) -> Any:
    """A document as JSON would carry it (dates as ISO strings)."""
    return json.loads(json.dumps(document, default=str))


def python_blocks(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, flags=re.S)


def test_the_documented_examples_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocks = python_blocks((ROOT / "docs" / "python-api.md").read_text(encoding="utf-8"))
    assert len(blocks) >= 3
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        for block in blocks:
            exec(compile(block, "docs/python-api.md", "exec"), {"__name__": "__doc__"})
    finally:
        os.chdir(old)
    printed = capsys.readouterr().out
    fw = mentorqa.get_framework("qim")
    online = sum(
        1
        for ind_id, (_, ind) in fw.indicator_index.items()
        if ind.level == "award" and fw.method_of(ind_id).id == "online"
    )
    award = sum(1 for _, ind in fw.indicator_index.values() if ind.level == "award")
    assert f"Award: {online} of {award} met" in printed
    assert "did you mean 'QIM-SV-A01'?" in printed


@pytest.fixture
def journey(tmp_path: Path) -> mentorqa.Workspace:
    """A QiM workspace part-way through, built with the library alone."""
    ws = mentorqa.create_workspace(
        tmp_path / "riverside", "qim", "Riverside", turnover=180_000, start=dt.date(2026, 3, 1)
    )
    fw = ws.framework
    (ws.root / "evidence" / "plan.pdf").write_bytes(b"%PDF- plan")
    ids = list(fw.indicator_index)
    ws.add_evidence(ids[0], ws.root / "evidence" / "plan.pdf")
    ws.mark(ids[0], "met", note="Aims on p.3")
    ws.mark(ids[1], "met")  # no evidence: check finds an error
    ws.mark(ids[2], "partly-met", by="assessor")
    ws.record_event("first_area_uploaded", dt.date(2026, 4, 14))
    ws.answer_eligibility([(c.id, True) for c in fw.eligibility.criteria][:2])
    return ws


def test_reads_equal_the_cli_json(journey: mentorqa.Workspace) -> None:
    w = ("-w", journey.root)
    assert plain(journey.status().to_dict()) == cli_json("status", *w)
    assert plain(journey.status("excellence").to_dict()) == cli_json(
        "status", "--level", "excellence", *w
    )
    assert plain(journey.check().to_dict()) == cli_json("check", *w)
    assert plain(journey.timeline().to_dict()) == cli_json("timeline", *w)
    assert plain(journey.eligibility().to_dict()) == cli_json("eligibility", *w)
    assert plain(journey.cost().to_dict()) == cli_json("cost", *w)
    assert plain(journey.evidence().to_dict()) == cli_json("evidence", "list", *w)


def test_exit_codes_come_from_the_results(journey: mentorqa.Workspace) -> None:
    assert journey.status().exit_code is ExitCode.OK
    assert journey.status("award").exit_code is ExitCode.NOT_HOLDING
    assert run("status", "--level", "award", "-w", journey.root).exit_code == 1
    verdict = journey.check()
    assert verdict.exit_code is ExitCode.NOT_HOLDING
    assert [f.code for f in verdict.errors] == ["MQA110"]
    assert verdict.errors[0].line is not None  # located in mentorqa.yaml
    assert journey.eligibility().exit_code is ExitCode.NOT_HOLDING


def test_a_write_returns_the_new_state_and_what_it_replaced(
    journey: mentorqa.Workspace,
) -> None:
    first = next(iter(journey.framework.indicator_index))
    change = journey.mark(first, "partly-met")
    assert change.replaced == "was Met, note 'Aims on p.3'"
    record = change.manifest.indicators[first].self_
    assert record is not None
    assert (record.status, record.note) == ("partly-met", "Aims on p.3")  # the note is kept
    assert mentorqa.open_workspace(journey.root).manifest == change.manifest


def test_refused_writes_change_nothing(journey: mentorqa.Workspace) -> None:
    before = journey.path.read_bytes()
    fw = journey.framework
    first = next(iter(fw.indicator_index))
    for write in (
        lambda: journey.mark("QIM-SV-A1", "met"),
        lambda: journey.mark(first, "done"),
        lambda: journey.mark(first, "met", rating=3),
        lambda: journey.record_event("graduation", dt.date(2026, 5, 1)),
        lambda: journey.add_evidence(first, journey.root / "missing.pdf"),
        lambda: journey.add_priority("A plan QiM does not have"),
        lambda: journey.sign_statement("A", "B", dt.date(2026, 5, 1)),
    ):
        with pytest.raises(mentorqa.MentorqaError):
            write()
    assert journey.path.read_bytes() == before


def test_ids_match_case_insensitively_with_a_did_you_mean(journey: mentorqa.Workspace) -> None:
    first = next(iter(journey.framework.indicator_index))
    journey.mark(first.lower().replace("-", "_"), "MET")
    assert journey.manifest.indicators[first].self_ is not None
    with pytest.raises(mentorqa.MentorqaError) as raised:
        journey.record_event("first_area_upload", dt.date(2026, 4, 1))
    assert "did you mean 'first_area_uploaded'?" in str(raised.value)


def test_create_workspace_refuses_one_inside_another(journey: mentorqa.Workspace) -> None:
    with pytest.raises(mentorqa.MentorqaError, match="already exists in"):
        mentorqa.create_workspace(journey.root / "evidence" / "inner", "qim", "Inner")
    with pytest.raises(mentorqa.MentorqaError, match="unknown framework 'qmi'; did you mean"):
        mentorqa.create_workspace(journey.root.parent / "other", "qmi", "Other")


def test_without_a_start_date_nothing_is_recorded(tmp_path: Path) -> None:
    ws = mentorqa.create_workspace(tmp_path / "new", "qim", "New")
    assert ws.manifest.dates == {}
    states = {m["state"] for m in ws.timeline().to_dict()["milestones"]}
    assert states == {"waiting"}


# --- the shape of the code ------------------------------------------------------------------------

# Which layers each layer may import (architecture.md): one direction only.
LAYERS = {
    "spec": {"spec", "errors", "values", "layout", "plain", "manifest", "frameworks.model"},
    "store": {
        "store",
        "errors",
        "manifest",
        "conform",  # the manifest model's certain checks, generated beside it
        "plain",  # the base of the plain models, and the copy of plain data
        "values",
        "layout",
        "spec",
        "frameworks.model",
    },
    "rules": {"rules", "errors", "manifest", "layout", "values", "frameworks"},
    "views": {
        "views",
        "rules",
        "assessment",
        "rollup",  # the roll-up's results, which its views format
        "recording.mapping",  # the results of 'map', likewise
        "errors",
        "manifest",
        "values",
        "frameworks",
        "resources",
    },
    "assessment": {"rules", "errors", "manifest", "frameworks"},
    "recording": {
        "recording",
        "rules",
        "errors",
        "manifest",
        "layout",
        "values",
        "frameworks",
        "store",
        "spec",
    },
}


# The generator of the plain models and of the validated bundled frameworks runs when they are
# rebuilt, never in a command: it may read what it writes from (nothing imports it, see below).
BUILD_TIME = {
    "spec/generate.py": {
        "frameworks.loader",
        "frameworks.registry",
        "resources",
        "cli.describe",
        "cli.fast",
    }
}


def imports_of(path: Path) -> set[str]:
    """The mentorqa modules a file imports, as dotted names under the package."""
    package = path.relative_to(SRC).with_suffix("").parts[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            module = ".".join((*base, *(node.module.split(".") if node.module else ())))
            found.add(module)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mentorqa."):
            found.add(str(node.module).removeprefix("mentorqa."))
    return found


def layer_of(module: str) -> str:
    return module.split(".")[0]


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_imports_run_one_way(layer: str) -> None:
    files = list((SRC / layer).rglob("*.py")) if (SRC / layer).is_dir() else [SRC / f"{layer}.py"]
    allowed = LAYERS[layer]
    wrong = {
        f"{path.relative_to(SRC)} imports {module}"
        for path in files
        for module in imports_of(path)
        if module
        and layer_of(module) not in allowed
        and module not in allowed
        and not any(module.startswith(a + ".") for a in allowed)
        and module not in BUILD_TIME.get(path.relative_to(SRC).as_posix(), ())
    }
    assert not wrong


def test_no_command_imports_the_build_time_generator() -> None:
    def names_it(path: Path) -> bool:
        package = ".".join(path.relative_to(SRC).with_suffix("").parts[:-1])
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                if any(a.name == "mentorqa.spec.generate" for a in node.names):
                    return True
            elif isinstance(node, ast.ImportFrom):
                module = (node.module or "").removeprefix("mentorqa.")
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    module = ".".join([*filter(None, base), *filter(None, [node.module])])
                if module == "spec.generate" or (
                    module == "spec" and any(a.name == "generate" for a in node.names)
                ):
                    return True
        return False

    users = {str(path.relative_to(SRC)) for path in SRC.rglob("*.py") if names_it(path)}
    assert not users


def test_only_the_cli_imports_the_cli() -> None:
    """(And the build-time generator, which writes the command lines the CLI reads.)"""
    outside = [
        p
        for p in SRC.rglob("*.py")
        if "cli" not in p.relative_to(SRC).parts and p.name != "__main__.py"
    ]
    assert not [
        f"{p.relative_to(SRC)} imports {m}"
        for p in outside
        for m in imports_of(p)
        if layer_of(m) == "cli" and m not in BUILD_TIME.get(p.relative_to(SRC).as_posix(), ())
    ]


def test_every_finding_code_is_documented() -> None:
    from mentorqa.rules.findings import CODES

    text = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    for code, (severity, _) in CODES.items():
        assert f"## {code}\n" in text
        assert f"| [{code}](#{code.lower()}) | {severity} |" in text
    documented = set(re.findall(r"^## (MQA\d{3})$", text, flags=re.M))
    assert documented == set(CODES)


def test_a_change_that_would_make_the_plan_invalid_is_a_usage_error(tmp_path: Path) -> None:
    """A write whose rules judge the state after the change says why in the file's words."""
    ws = mentorqa.create_workspace(tmp_path / "ws", "nqms", "Northside", start=dt.date(2026, 2, 2))
    before = (tmp_path / "ws" / "mentorqa.yaml").read_bytes()
    with pytest.raises(mentorqa.MentorqaError) as caught:
        ws.add_priority("Recruit mentors", target=dt.date(1000, 1, 1))
    assert str(caught.value) == (
        "not saved, the change would make it invalid: plan.priorities.0.target: 'target': "
        "1000-01-01 is outside 1900-2199; check the year"
    )
    assert (tmp_path / "ws" / "mentorqa.yaml").read_bytes() == before
