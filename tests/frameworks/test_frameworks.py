"""The bundled frameworks encode the published facts; broken framework files are reported well."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from mentorqa.frameworks import get
from mentorqa.resources import bundled_dir

from ..conftest import run, write_tree

ROOT = Path(__file__).resolve().parents[2]


def show(framework_id: str) -> dict:
    result = run("frameworks", "show", framework_id, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_list_shows_both_bundled_frameworks() -> None:
    result = run("frameworks", "list", "--json")
    assert result.exit_code == 0, result.stderr
    listed = {f["id"]: f for f in json.loads(result.stdout)["frameworks"]}
    assert listed["qim"]["indicators"] == 84
    assert listed["qim"]["levels"] == ["award", "excellence"]
    assert listed["qim"]["owner"] == "Befriending Networks"
    assert listed["nqms"]["indicators"] == 92
    assert listed["nqms"]["levels"] == ["dedicated", "expert"]
    for entry in listed.values():
        assert set(entry) >= {"id", "name", "owner", "version", "indicators", "levels"}


def test_list_for_people_keeps_words_whole_when_piped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # the width rich assumes when output is piped
    result = run("frameworks", "list")
    assert result.exit_code == 0
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    # Long names and owners wrap between words, never inside one.
    words = result.stdout.split()
    for text in (
        "Quality in Mentoring (Befriending Networks)",
        "84 indicators",
        "(MENTOR: The National Mentoring Partnership)",
        "levels: Dedicated Partner, Expert Partner",
    ):
        assert " ".join(text.split()) in " ".join(words)


# The published facts, written out here as test data (from frameworks-facts.md and the seeds),
# so the YAML under test is checked against the sources rather than against itself.
QIM_AREAS = [
    "The Service",
    "Policies and Procedures",
    "Staff Management",
    "Monitoring and Evaluation",
    "Mentee Journey",
    "Mentor Journey",
    "Matching and Ending",
]


def test_qim_counts_match_the_published_totals() -> None:
    data = show("qim")
    assert [a["name"] for a in data["areas"]] == QIM_AREAS
    indicators = [i for a in data["areas"] for i in a["indicators"]]
    levels = Counter(i["level"] for i in indicators)
    assert levels == {"award": 61, "excellence": 23}
    award_methods = Counter(i["method"] for i in indicators if i["level"] == "award")
    assert award_methods == {"online": 38, "visit": 23}
    online_areas = {a["name"] for a in data["areas"] if a["method"] == "online"}
    assert online_areas == set(QIM_AREAS[:4])
    assert len({i["id"] for i in indicators}) == 84


def test_qim_process_facts() -> None:
    fw = get("qim").framework
    interviews = {i.role: (i.count, i.max_minutes) for i in fw.interviews}
    assert interviews == {"mentor": (2, 20), "mentee": (2, 20), "staff": (1, 30)}
    assert {c.kind: c.count for c in fw.case_studies} == {"mentee_journey": 1, "mentor_journey": 1}
    milestones = {m.id: m for m in fw.milestones}
    assert milestones["first_area"].due.months == 2
    assert milestones["evidence_complete"].due.months == 6
    assert milestones["award_expires"].due.years == 3
    assert fw.visit is not None and set(fw.visit.modes) == {"on_site", "remote"}
    assert len(fw.eligibility.criteria) == 5
    bands = [
        (b.name, b.turnover_from, b.turnover_below, b.registration, b.assessment)
        for b in fw.fees.bands
    ]
    assert bands == [
        # Befriending Networks' size categories (frameworks-facts.md, revised decision): up to
        # £100,999; £101,000-£350,999; £351,000-£750,999; £751,000 and over.
        ("Small", 0, 101_000, 200, 300),
        ("Medium 1", 101_000, 351_000, 200, 550),
        ("Medium 2", 351_000, 751_000, 200, 650),
        ("Large", 751_000, None, 200, 750),
    ]
    assert fw.currency == "GBP"
    notes = " ".join(fw.notes).lower()
    assert "29" in notes and "not public" in notes


NQMS_STANDARDS = [
    "Recruitment",
    "Screening",
    "Training",
    "Matching and Initiating",
    "Monitoring and Support",
    "Closure",
]


def test_nqms_counts_and_structure() -> None:
    data = show("nqms")
    indicators = [i for a in data["areas"] for i in a["indicators"]]
    assert len(indicators) == 92
    numbers = [int(re.sub(r"\D", "", i["id"])) for i in indicators]
    assert numbers == list(range(1, 93))
    sections = [a["section"] for a in data["areas"]]
    assert set(sections) == {"management", "operations", "evaluation"}
    operations = [a["name"] for a in data["areas"] if a["section"] == "operations"]
    assert operations == NQMS_STANDARDS
    assert [i["id"] for i in indicators[:10]] == [
        "A1",
        "A2",
        "A3",
        "A4",
        "A5",
        "B6",
        "B7",
        "C8",
        "C9",
        "C10",
    ]


def test_nqms_process_facts() -> None:
    fw = get("nqms").framework
    assert fw.judgement.rating is not None
    assert (fw.judgement.rating.min, fw.judgement.rating.max) == (1, 5)
    assert {s.id for s in fw.judgement.statuses} == {"met", "not-met", "not-applicable"}
    assert fw.plan is not None
    assert (fw.plan.min_priorities, fw.plan.max_priorities) == (3, 5)
    assert (fw.plan.earliest.months, fw.plan.latest.months) == (6, 24)
    dedicated, expert = fw.levels
    assert dedicated.rule.counts == "answered"
    assert set(dedicated.rule.events) == {"review", "plan_agreed", "statement_signed"}
    assert expert.rule.counts == "met" and expert.rule.share == 1.0
    milestones = {m.id: m for m in fw.milestones}
    window = milestones["self_assessment"]
    assert window.earliest is not None
    assert (window.earliest.weeks, window.due.weeks) == (6, 8)
    assert milestones["staff_contact"].due.weeks == 2
    assert (milestones["review"].earliest.weeks, milestones["review"].due.weeks) == (4, 6)
    assert milestones["documents"].due.weeks == 2
    check_in = milestones["check_in"]
    assert check_in.due.months == 3 and check_in.repeat is not None
    assert (check_in.repeat.every.months, check_in.repeat.times) == (3, 3)
    assert milestones["mini_review"].due.months == 12
    assert milestones["reassessment"].due.years == 3
    assert fw.visit is not None and (fw.visit.min_hours, fw.visit.max_hours) == (2, 3)
    assert not fw.fees.bands
    assert {c.id for c in fw.eligibility.criteria} == {
        "one_year",
        "youth_18",
        "mentoring_connector",
        "staff_capacity",
    }
    assert fw.confidentiality
    assert fw.statement is not None and len(fw.statement.confirms) == 3


def test_show_text_counts_per_level() -> None:
    result = run("frameworks", "show", "qim")
    assert result.exit_code == 0
    assert "61 Award, 23 Excellence" in result.stdout
    assert "Mentee Journey" in result.stdout


def test_show_unknown_framework_is_exit_2() -> None:
    result = run("frameworks", "show", "nope")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: unknown framework 'nope'")
    assert "qim" in result.stderr


@pytest.mark.parametrize("name", ["qim.yaml", "nqms.yaml", "qib.yaml", "aps.yaml"])
def test_bundled_files_validate(name: str) -> None:
    result = run("frameworks", "validate", bundled_dir("frameworks") / name)
    assert result.exit_code == 0, result.stderr
    assert "valid framework" in result.stdout


# --- validation errors, each with its line and column --------------------------------------------

MINIMAL = """\
mentorqa_framework: 1
id: demo
name: Demo
owner: Tests
version: "1"
currency: GBP
levels:
  - id: award
    name: Award
evidence_methods:
  - id: online
    name: Online
practice_areas:
  - id: area
    name: Area
    method: online
    indicators:
      - id: D1
        title: First
        requires: Something.
        level: award
      - id: D2
        title: Second
        requires: Something else.
        level: award
judgement:
  statuses:
    - id: met
      label: Met
fees:
  bands:
    - {id: small, name: Small, turnover_from: 0, turnover_below: 1000, registration: 1, assessment: 2}
    - {id: large, name: Large, turnover_from: 1000, registration: 1, assessment: 3}
events:
  - {id: start, name: Start}
milestones:
  - {id: soon, title: Soon, after: start, due: {months: 1}}
totals:
  - {count: 2, level: award}
"""


def validate(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("frameworks", "validate", path)
    if result.exit_code == 0:
        return []
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    for line in lines:
        assert line.startswith(f"error: {path}:"), line
    return [line.removeprefix(f"error: {path}:") for line in lines]


def test_minimal_framework_is_valid(tmp_path: Path) -> None:
    assert validate(tmp_path, MINIMAL) == []


@pytest.mark.parametrize(
    ("old", "new", "where", "words"),
    [
        ("name: Demo\n", "name: Demo\nnmae: typo\n", "4:1", "unknown key 'nmae'"),
        ("owner: Tests\n", "", "1:1", "missing required key 'owner'"),
        ("      - id: D2\n", "      - id: D1\n", "22:9", "duplicate indicator id 'D1'"),
        (
            "        level: award\n      - id: D2",
            "        level: gold\n      - id: D2",
            "21:9",
            "unknown level 'gold'",
        ),
        (
            "    method: online\n    indicators",
            "    method: post\n    indicators",
            "16:5",
            "unknown evidence method 'post'",
        ),
        (
            "  - {count: 2, level: award}",
            "  - {count: 3, level: award}",
            "39:6",
            "declared total 3 does not match the 2",
        ),
        (
            "turnover_from: 1000, registration: 1, assessment: 3",
            "turnover_from: 900, registration: 1, assessment: 3",
            "33:32",
            "overlap",
        ),
        (
            "turnover_from: 1000, registration: 1, assessment: 3",
            "turnover_from: 1200, registration: 1, assessment: 3",
            "33:32",
            "gap",
        ),
        (
            "  - {count: 2, level: award}",
            "  - {count: 2, level: award, area: nope}",
            "39:30",
            "unknown area 'nope'",
        ),
        ("after: start,", "after: begin,", "37:29", "unknown event 'begin'"),
        ("currency: GBP", "currency: pounds", "6:1", "'currency'"),
        ("due: {months: 1}", "due: {}", "37:43", "at least one of"),
        ("name: Demo\n", "name: Demo\nname: Again\n", "4:1", "duplicate key"),
        ("levels:\n", "levels: [\n", "8:3", "YAML syntax error"),
    ],
)
def test_each_problem_is_located(
    tmp_path: Path, old: str, new: str, where: str, words: str
) -> None:
    assert old in MINIMAL
    problems = validate(tmp_path, MINIMAL.replace(old, new, 1))
    assert problems, "expected the file to be invalid"
    assert any(p.startswith(f"{where}:") and words in p for p in problems), problems


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    text = MINIMAL.replace("level: award\n      - id: D2", "level: gold\n      - id: D2")
    text = text.replace("after: start,", "after: begin,")
    text = text.replace("{count: 2, level: award}", "{count: 5}")
    problems = validate(tmp_path, text)
    assert len(problems) == 3, problems


def test_not_a_mapping(tmp_path: Path) -> None:
    problems = validate(tmp_path, "- just\n- a list\n")
    assert problems == ["1:1: a framework file must be a YAML mapping (key: value lines)"]


def test_validate_missing_file(tmp_path: Path) -> None:
    result = run("frameworks", "validate", tmp_path / "absent.yaml")
    assert result.exit_code == 2
    assert "file not found" in result.stderr


# --- where frameworks are found ------------------------------------------------------------------


def test_framework_path_and_workspace_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = tmp_path / "extra"
    write_tree(extra, {"demo.yaml": MINIMAL, "broken.yaml": "id: [\n"})
    monkeypatch.setenv("MENTORQA_FRAMEWORK_PATH", str(extra))
    result = run("frameworks", "list", "--json")
    assert result.exit_code == 0
    ids = [f["id"] for f in json.loads(result.stdout)["frameworks"]]
    assert ids[0] == "demo" and {"qim", "nqms"} <= set(ids)
    assert "broken.yaml" in result.stderr

    ws = tmp_path / "ws"
    assert run("init", ws, "--framework", "demo", "--name", "Demo service").exit_code == 0
    own = MINIMAL.replace("name: Demo\n", "name: Our own demo\n", 1)
    write_tree(ws, {"frameworks/demo.yaml": own})
    listed = json.loads(run("frameworks", "list", "--json", cwd=ws).stdout)["frameworks"]
    demo = next(f for f in listed if f["id"] == "demo")
    assert demo["name"] == "Our own demo" and demo["source"] == "workspace"
    status = run("status", "--json", cwd=ws)
    assert status.exit_code == 0


def test_workspace_copy_replaces_bundled_qim(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run("init", ws, "--framework", "qim", "--name", "S", "--turnover", "1").exit_code == 0
    text = (bundled_dir("frameworks") / "qim.yaml").read_text(encoding="utf-8")
    write_tree(
        ws,
        {
            "frameworks/qim.yaml": text.replace(
                "name: Quality in Mentoring", "name: QiM (assessor's list)", 1
            )
        },
    )
    result = run("frameworks", "show", "qim", "--json", "-w", ws)
    assert json.loads(result.stdout)["name"] == "QiM (assessor's list)"


# --- one source of truth -------------------------------------------------------------------------

# Numbers that belong to QiM or NQMS. Code and templates must read them from the framework file.
FRAMEWORK_NUMBERS = ["61", "84", "38", "92", "750000", "750_000", "100000", "350000", "950", "850"]


def test_no_framework_number_is_written_in_code() -> None:
    sources = [*(ROOT / "src" / "mentorqa").rglob("*.py"), *(ROOT / "templates").glob("*.j2")]
    assert sources
    pattern = re.compile(r"(?<![\w.])(" + "|".join(FRAMEWORK_NUMBERS) + r")(?![\w.])")
    found = []
    for path in sources:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_framework_cache_is_reused(tmp_path: Path) -> None:
    """A second load of the same content comes from the cache, not a new parse."""
    from mentorqa.frameworks.loader import _MEMORY, load_framework

    path = tmp_path / "demo.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    first = load_framework(path)
    assert load_framework(path) is first
    _MEMORY.clear()
    again = load_framework(path)  # from the on-disk cache
    assert again == first and again is not first
