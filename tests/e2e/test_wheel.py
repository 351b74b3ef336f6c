"""End to end: the installed ``mentorqa`` command in a subprocess, and the wheel's bundled data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).parent / ("mentorqa.exe" if os.name == "nt" else "mentorqa")


def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "MENTORQA_TODAY": "2026-05-15",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "NO_COLOR": "1",
    }


def mentorqa(*args: str | Path, cwd: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *map(str, args)],
        cwd=cwd,
        env=env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_installed_command_runs_a_workspace_and_ci_check(tmp_path: Path) -> None:
    assert "mentorqa" in mentorqa("--version", cwd=tmp_path, tmp_path=tmp_path).stdout
    done = mentorqa(
        "init",
        "ws",
        "-f",
        "qim",
        "-n",
        "Riverside",
        "--turnover",
        "90000",
        cwd=tmp_path,
        tmp_path=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    ws = tmp_path / "ws"
    status = mentorqa("status", "--json", cwd=ws / "evidence", tmp_path=tmp_path)  # finds parent
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["target_level"] == "award"
    # Bad input from a CI job: an unknown indicator in the manifest is exit 1 from check,
    # and a manifest that is not YAML is exit 2 with the place of the problem, no traceback.
    manifest = ws / "mentorqa.yaml"
    text = manifest.read_text()
    assert "indicators: {}" in text
    manifest.write_text(
        text.replace("indicators: {}", "indicators:\n  QIM-NOPE: {self: {status: met}}")
    )
    check = mentorqa("check", cwd=ws, tmp_path=tmp_path)
    assert check.returncode == 1 and "QIM-NOPE" in check.stdout + check.stderr
    manifest.write_text("service: [unclosed\n")
    broken = mentorqa("status", cwd=ws, tmp_path=tmp_path)
    assert broken.returncode == 2
    assert broken.stderr.startswith("error: ") and "mentorqa.yaml:" in broken.stderr
    assert "Traceback" not in broken.stderr


def test_python_dash_m_works(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mentorqa", "frameworks", "list", "--json"],
        cwd=tmp_path,
        env=env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert {f["id"] for f in json.loads(done.stdout)["frameworks"]} >= {"qim", "nqms"}


def test_wheel_ships_frameworks_and_templates(tmp_path: Path) -> None:
    """``pip install .`` (not editable) must find the bundled data from any directory."""
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert build.returncode == 0, build.stderr
    wheel = next(dist.glob("mentorqa-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for framework in (ROOT / "frameworks").glob("*.yaml"):
        assert f"mentorqa/_data/frameworks/{framework.name}" in names
    for template in (ROOT / "templates").glob("*.j2"):
        assert f"mentorqa/_data/templates/{template.name}" in names

    # Install the wheel on its own (the test environment provides the dependencies) and run it
    # from a folder far from the repository.
    target = tmp_path / "site"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run_env = {**env(tmp_path), "PYTHONPATH": str(target)}
    code = (
        "import json, mentorqa;"
        "from mentorqa.resources import bundled_dir;"
        "print(json.dumps([mentorqa.__file__, str(bundled_dir('frameworks'))]))"
    )

    def python(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args],
            cwd=elsewhere,
            env=run_env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )

    where = python("-c", code)
    assert where.returncode == 0, where.stderr
    module, frameworks = json.loads(where.stdout)
    assert module.startswith(str(target)) and frameworks.startswith(str(target))
    ws = python("-m", "mentorqa", "init", "ws", "-f", "nqms", "-n", "Northside")
    assert ws.returncode == 0, ws.stderr
    report = python("-m", "mentorqa", "report", "--kind", "statement", "-w", "ws")
    assert report.returncode == 0, report.stderr
    assert report.stdout.startswith("# Statement of Accuracy")
