"""APS's facts, as frameworks-facts.md gives them, encoded in frameworks/aps.yaml; and the QiM to
APS mapping in mappings/qim-aps.yaml.

The expected values are written out here from the fact sheet (not read back from the YAML), so
the file under test is checked against the sources rather than against itself.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

import mentorqa
from mentorqa.frameworks import get
from mentorqa.frameworks.model import Framework, Offset
from mentorqa.resources import bundled_dir

from ..conftest import run

ROOT = Path(__file__).resolve().parents[2]
MAPPING = ROOT / "mappings" / "qim-aps.yaml"


def aps() -> Framework:
    return get("aps").framework


# --- the standard: NCVO, ten requirements in four areas ------------------------------------------

# "Management and operation: clear aims; adequate resources; safety of staff, users and
# volunteers. Service users: clear identification and referral; needs assessed. Mentors and
# befrienders: safe, effective recruitment and selection; induction and training; ongoing support.
# The relationship: clear matching process; relationships monitored for progress and outcomes."
AREAS = {
    "Management and operation": [
        "Clear aims",
        "Adequate resources",
        "Safety of staff, service users and volunteers",
    ],
    "Service users": [
        "Clear identification and referral of service users",
        "Service users' needs assessed",
    ],
    "Mentors and befrienders": [
        "Safe, effective recruitment and selection",
        "Induction and training",
        "Ongoing support",
    ],
    "The relationship": [
        "Clear matching process",
        "Relationships monitored for progress and outcomes",
    ],
}


def test_owner_and_identity() -> None:
    fw = aps()
    assert (fw.id, fw.name, fw.owner) == ("aps", "Approved Provider Standard", "NCVO")
    assert (fw.locale, fw.currency) == ("en-GB", "GBP")
    # The requirement names are public; what each requires is mentorqa's own words.
    assert fw.wording == "model"
    assert fw.url == ""  # NCVO's address is not in the sources


def test_four_areas_and_ten_requirements_by_name() -> None:
    fw = aps()
    found = {area.name: [ind.title for ind in area.indicators] for area in fw.practice_areas}
    assert found == AREAS
    assert [area.name for area in fw.practice_areas] == list(AREAS)
    assert len(fw.indicator_index) == 10
    assert sum(len(titles) for titles in AREAS.values()) == 10


def test_every_requirement_is_needed_and_none_may_be_not_applicable() -> None:
    fw = aps()
    assert [level.id for level in fw.levels] == ["approved"]
    indicators = [ind for _, ind in fw.indicator_index.values()]
    assert all(ind.level == "approved" for ind in indicators)
    assert not any(ind.not_applicable for ind in indicators)
    assert "not-applicable" not in fw.status_labels
    level = fw.levels[0]
    assert (level.rule.counts, level.rule.share) == ("met", 1.0)
    assert all(ind.requires and ind.evidence for ind in indicators)


def test_accreditation_lasts_three_years_from_the_award() -> None:
    level = aps().levels[0]
    assert level.name == "Approved Provider"
    assert level.granted_by == ("award",)
    assert level.valid_for == Offset(years=3)
    assert "visit" in level.rule.events  # an assessment visit follows the workbook


def test_workbook_is_due_twelve_months_after_signing_up() -> None:
    fw = aps()
    assert fw.events[0].id == "sign_up"  # the start event ('init --start')
    workbook = next(m for m in fw.milestones if m.id == "workbook")
    assert workbook.after == "sign_up"
    assert workbook.due == Offset(months=12)
    assert workbook.done_when == "workbook_submitted"
    assert workbook.owner == "service"
    # Then the assessment visit, then accreditation.
    order = [step.event for step in fw.steps]
    assert order == ["sign_up", "workbook_submitted", "visit", "award"]
    assert fw.visit is not None and fw.visit.event == "visit"


def test_no_fee_is_invented() -> None:
    fw = aps()
    assert fw.fees.bands == () and fw.fees.membership is None
    assert any("not in mentorqa's sources" in note for note in fw.fees.notes)
    assert any("not mean accreditation is free" in note for note in fw.fees.notes)


@pytest.mark.parametrize(
    "words",
    [
        "mentorqa's own words",  # what each requirement requires
        "not in mentorqa's sources",  # fees, the workbook's criteria, the visit's mode
        '"Partly met" is mentorqa\'s own',
        "12 months of signing up",
    ],
)
def test_models_and_gaps_are_declared(words: str) -> None:
    assert words in " ".join(aps().notes)


WORD_NUMBERS = {"three": 3, "four": 4, "ten": 10, "twelve": 12}
ALLOWED = {3, 4, 10, 12}  # years, areas, requirements, months: every number the facts give


def _prose(fw: Framework) -> list[str]:
    texts = [fw.summary, fw.version, *fw.notes, *fw.fees.notes]
    texts += [f"{lv.name} {lv.description}" for lv in fw.levels]
    texts += [f"{m.name} {m.description}" for m in fw.evidence_methods]
    texts += [f"{a.name} {a.description}" for a in fw.practice_areas]
    texts += [f"{e.name} {e.description}" for e in fw.events]
    texts += [f"{m.title} {m.description}" for m in fw.milestones]
    texts += [s.title for s in fw.steps]
    texts += [f"{r.title} {r.description}" for r in fw.reports]
    texts += [t.description for t in fw.totals]
    return texts


def test_every_number_in_the_prose_is_one_the_facts_give() -> None:
    fw = aps()
    wrong = []
    for text in _prose(fw):
        text = re.sub(r"\bAPS-[A-Z]{2}-\d{2}\b", "", text)  # indicator ids are not numbers
        for token in re.findall(r"\d+|\b(?:" + "|".join(WORD_NUMBERS) + r")\b", text, re.I):
            value = int(token) if token.isdigit() else WORD_NUMBERS[token.lower()]
            if value not in ALLOWED:
                wrong.append(f"{token} in {text!r}")
    assert wrong == []


def test_reports_use_templates_that_exist() -> None:
    fw = aps()
    assert [r.id for r in fw.reports] == ["assessor", "progress"]
    for report in fw.reports:
        assert (bundled_dir("templates") / report.template).is_file(), report.template


# --- a new workspace works end to end ---------------------------------------------------------


@pytest.fixture
def aps_ws(tmp_path: Path) -> mentorqa.Workspace:
    """A new APS workspace, signed up on 2026-01-10 (today is 2026-05-15 in the tests)."""
    return mentorqa.create_workspace(tmp_path / "aps", "aps", "Test", start=date(2026, 1, 10))


def test_new_workspace_status_check_and_timeline(aps_ws: mentorqa.Workspace) -> None:
    status = aps_ws.status()
    assert status.exit_code == 0
    doc = status.to_dict()
    assert (doc["framework"], doc["reached_level"], doc["target_level"]) == (
        "aps",
        None,
        "approved",
    )
    (level,) = doc["levels"]
    assert (level["met"], level["total"], level["achieved"]) == (0, 10, False)
    assert level["missing_steps"] == ["visit"]
    totals = {area["name"]: area["levels"]["approved"]["total"] for area in doc["areas"]}
    assert totals == {name: len(titles) for name, titles in AREAS.items()}

    check = aps_ws.check()
    assert check.exit_code == 0 and check.to_dict()["errors"] == []

    timeline = aps_ws.timeline()
    assert timeline.exit_code == 0
    milestones = {m["id"]: m for m in timeline.to_dict()["milestones"]}
    assert str(milestones["workbook"]["due"]) == "2027-01-10"  # 12 months after signing up
    assert milestones["workbook"]["state"] == "upcoming"


@pytest.mark.parametrize("kind", ["assessor", "progress"])
def test_new_workspace_reports(aps_ws: mentorqa.Workspace, kind: str) -> None:
    result = run("report", "--kind", kind, "-w", aps_ws.root)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Approved Provider Standard:")
    for titles in AREAS.values():
        for title in titles:
            assert title in result.stdout or kind == "progress"
    assert "mentorqa's own model" in result.stdout  # the provenance line


def test_accredited_project_lapses_after_three_years(
    aps_ws: mentorqa.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    for indicator in aps().indicator_index:
        aps_ws.mark(indicator, "met")
    aps_ws.record_event("workbook_submitted", date(2026, 3, 1))
    aps_ws.record_visit(date(2026, 4, 1), "on_site")
    for indicator in aps().indicator_index:
        aps_ws.mark(indicator, "met", by="assessor")
    aps_ws.record_event("award", date(2026, 5, 1))
    assert aps_ws.check().exit_code == 0

    def level(today: str) -> dict[str, Any]:
        monkeypatch.setenv("MENTORQA_TODAY", today)
        (only,) = aps_ws.status().to_dict()["levels"]
        return dict(only)

    on_last_day = level("2029-05-01")
    assert str(on_last_day["expires"]) == "2029-05-01"
    assert (on_last_day["achieved"], on_last_day["expired"]) == (True, False)
    lapsed = level("2029-05-02")
    assert (lapsed["achieved"], lapsed["expired"]) == (False, True)


# --- the QiM to APS mapping ---------------------------------------------------------------------

RELATIONS = {"equal", "subset", "superset", "intersect"}


def mapping() -> dict[str, Any]:
    data = yaml.safe_load(MAPPING.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_mapping_parses_and_names_its_frameworks() -> None:
    data = mapping()
    assert set(data) == {"mentorqa_mapping", "from", "to", "notes", "relations"}
    assert (data["mentorqa_mapping"], data["from"], data["to"]) == (1, "qim", "aps")
    assert all(isinstance(note, str) and note for note in data["notes"])
    assert "mentorqa's own" in " ".join(data["notes"])


def test_every_relation_names_known_indicators_and_a_known_relation() -> None:
    data = mapping()
    source, target = get(data["from"]).framework, get(data["to"]).framework
    relations = data["relations"]
    assert relations
    for relation in relations:
        assert set(relation) <= {"from", "to", "relation", "note"}, relation
        assert relation["from"] in source.indicator_index, relation
        assert relation["to"] in target.indicator_index, relation
        assert relation["relation"] in RELATIONS, relation
        assert isinstance(relation.get("note", ""), str)
    pairs = Counter((r["from"], r["to"]) for r in relations)
    assert [pair for pair, n in pairs.items() if n > 1] == []


def test_every_aps_requirement_is_related_to_some_qim_indicator() -> None:
    related = {relation["to"] for relation in mapping()["relations"]}
    assert related == set(aps().indicator_index)


def test_no_qim_indicator_is_taken_to_cover_a_whole_requirement() -> None:
    # The notes say equal and superset are not used (so 'map --apply' carries nothing over);
    # whoever adds one must change the notes too.
    used = {relation["relation"] for relation in mapping()["relations"]}
    assert used <= {"subset", "intersect"}
    assert "equal and superset" in " ".join(mapping()["notes"])
