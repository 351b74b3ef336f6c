"""The plain models are generated from the validating ones and stay in step; validated
manifests are cached outside the workspace and used only for exactly the text validated."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentorqa
from mentorqa.frameworks import get
from mentorqa.frameworks.loader import SHIPPED
from mentorqa.plain import data as plain
from mentorqa.resources import bundled_dir
from mentorqa.spec import framework_from, manifest_from
from mentorqa.spec.generate import TARGETS, generate, shipped
from mentorqa.store.lines import line_of
from mentorqa.store.yamlio import LINES_DEPTH, line_tree, parse_document

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "qim-riverside"


@pytest.mark.parametrize("which", sorted(TARGETS))
def test_the_generated_models_are_up_to_date(which: str) -> None:
    """Edit src/mentorqa/spec/, then run 'python -m mentorqa.spec.generate'."""
    assert TARGETS[which].read_text(encoding="utf-8") == generate(which)


def test_the_shipped_frameworks_are_up_to_date() -> None:
    """Edit a bundled framework (or the version), then run 'python -m mentorqa.spec.generate'."""
    entries = shipped()
    assert set(SHIPPED.glob("*.json")) == set(entries)
    assert {p.stem for p in entries} >= {"qim", "nqms"}
    for path, text in entries.items():
        assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text), path.name


def test_a_shipped_framework_answers_only_for_the_text_it_was_validated_from(
    tmp_path: Path,
) -> None:
    """A first run decodes the bundled framework it ships validated, without pydantic; a copy
    differing by one word (of the same file name) is validated as any framework file is."""
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from mentorqa.frameworks.loader import load_framework\n"
        "framework = load_framework(Path(sys.argv[1]))\n"
        "print(framework.name, 'pydantic' in sys.modules)\n"
    )
    bundled = bundled_dir("frameworks") / "qim.yaml"
    edited = tmp_path / "mine" / "qim.yaml"
    edited.parent.mkdir()
    text = bundled.read_text(encoding="utf-8")
    edited.write_text(text.replace("name: Quality in Mentoring", "name: Our Mentoring", 1))

    def loaded(path: Path) -> str:
        env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": ""}
        done = subprocess.run(
            [sys.executable, "-c", probe, str(path)], capture_output=True, text=True, env=env
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert loaded(bundled) == "Quality in Mentoring False"
    assert loaded(edited) == "Our Mentoring True"
    # The edited copy's validation is cached; the shipped framework needed no entry.
    assert len(list((tmp_path / "cache" / "mentorqa" / "frameworks").iterdir())) == 1


def test_plain_models_hold_what_pydantic_validated() -> None:
    framework = get("qim").framework
    again = framework_from(plain(framework))
    assert again == framework and plain(again) == plain(framework)
    assert framework.indicator_index["QIM-SV-A01"][1].title
    with pytest.raises(AttributeError, match="read-only"):
        framework.__setattr__("id", "other")
    changed = framework.levels[0].replace(name="Other")
    assert changed.name == "Other" and framework.levels[0].name != "Other"
    manifest = manifest_from({"framework": "qim", "service": {"name": "T"}})
    assert manifest.privacy.names_consent is False and manifest.indicators == {}


def copy_example(tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".mentorqa"))
    return target


def cached_files(cache: Path) -> list[Path]:
    return sorted((cache / "mentorqa" / "manifests").glob("*.json"))


def test_a_second_read_comes_from_the_cache_without_yaml_or_pydantic_models(
    tmp_path: Path,
) -> None:
    ws = copy_example(tmp_path)
    cache = tmp_path / "cache"
    env = {"XDG_CACHE_HOME": str(cache), "PATH": "", "MENTORQA_TODAY": "2026-05-15"}
    probe = (
        "import sys, json, mentorqa\n"
        "ws = mentorqa.open_workspace(sys.argv[1])\n"
        "ws.status()\n"
        "print(json.dumps(sorted(m for m in sys.modules if m in "
        "('yaml', 'mentorqa.spec.manifest', 'mentorqa.spec.framework'))))\n"
    )

    def modules() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", probe, str(ws)], capture_output=True, text=True, env=env
        )
        assert done.returncode == 0, done.stderr
        loaded: list[str] = json.loads(done.stdout)
        return loaded

    # The bundled framework ships validated: only the manifest is validated on a first read.
    assert modules() == ["mentorqa.spec.manifest", "yaml"]
    assert len(cached_files(cache)) == 1
    assert modules() == []  # both the framework and the manifest came from the cache


def test_the_cache_answers_only_for_the_text_it_validated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws_root = copy_example(tmp_path)
    first = mentorqa.open_workspace(ws_root).status().to_dict()
    (entry,) = cached_files(Path(_cache_home()))
    # An edit by hand: the cache entry no longer answers, the new text is read.
    text = (ws_root / "mentorqa.yaml").read_text(encoding="utf-8")
    (ws_root / "mentorqa.yaml").write_text(
        text.replace("Riverside Young People's Mentoring", "Riverside Edited"), encoding="utf-8"
    )
    assert mentorqa.open_workspace(ws_root).status().to_dict()["service"] == "Riverside Edited"
    # A crafted entry for the new text that says something else is refused when it is broken...
    entry.write_text('{"key": "x", "manifest": {}}', encoding="utf-8")
    assert mentorqa.open_workspace(ws_root).status().to_dict()["service"] == "Riverside Edited"
    # ...and an invalid manifest is never cached: its errors come every time.
    (ws_root / "mentorqa.yaml").write_text(text.replace("framework: qim", "framework: [qim"))
    for _ in range(2):
        with pytest.raises(mentorqa.MentorqaError):
            mentorqa.open_workspace(ws_root).status()
    assert first["service"] == "Riverside Young People's Mentoring"
    # With the cache turned off nothing is written.
    monkeypatch.setenv("MENTORQA_NO_CACHE", "1")
    entry.unlink()
    (ws_root / "mentorqa.yaml").write_text(text, encoding="utf-8")
    mentorqa.open_workspace(ws_root).status()
    assert cached_files(Path(_cache_home())) == []


def test_a_write_leaves_a_cache_entry_for_the_text_it_wrote(tmp_path: Path) -> None:
    ws = mentorqa.create_workspace(tmp_path / "ws", "qim", "Riverside")
    ws.mark("QIM-SV-A01", "partly-met", note="a note")
    again = mentorqa.open_workspace(ws.root)
    assert again.file._document is None  # answered from the cache: not parsed
    assert again.manifest.indicators["QIM-SV-A01"].self_ is not None
    assert again.manifest.indicators["QIM-SV-A01"].self_.note == "a note"


def _cache_home() -> str:
    import os

    return os.environ["XDG_CACHE_HOME"]


def _paths(data: object, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [prefix]
    if len(prefix) < 5:
        if isinstance(data, dict):
            for key, value in data.items():
                found += _paths(value, (*prefix, str(key)))
        elif isinstance(data, list):
            for index, value in enumerate(data):
                found += _paths(value, (*prefix, index))
    return found


JUNK: list[str | int] = ["nope", 99, "function-after[...]", "0"]
MANIFESTS = sorted((EXAMPLE.parent).glob("*/mentorqa.yaml"))


@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda p: p.parent.name)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_the_cached_lines_give_the_line_a_parse_gives(manifest: Path, data: st.DataObject) -> None:
    """Findings get their line from the cache exactly as from the parsed file."""
    document = parse_document(manifest.read_text(encoding="utf-8"), manifest)
    tree = json.loads(json.dumps(line_tree(document.root)))
    paths = _paths(document.data)
    loc = list(data.draw(st.sampled_from(paths)))
    # Mix in parts that are not there (locate skips them) and pydantic's type names.
    for _ in range(data.draw(st.integers(0, 2))):
        at = data.draw(st.integers(0, len(loc)))
        junk = data.draw(st.sampled_from(JUNK))
        loc.insert(at, junk)
    expected = document.locate(loc)
    found = line_of(tree, loc)
    if found is not False:  # False: the cached tree stops short, and the file is parsed instead
        assert found == (expected[0] if expected else None)
    if len(loc) <= LINES_DEPTH:
        assert found is not False
