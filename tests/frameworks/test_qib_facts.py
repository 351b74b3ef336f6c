"""Quality in Befriending's facts, as frameworks-facts.md gives them, encoded in frameworks/qib.yaml,
and the QiM -> QiB mapping in mappings/qim-qib.yaml.

The expected values are written out here from the fact sheet (not read back from the YAML): QiB is
Befriending Networks' sister award of Quality in Mentoring, with the same seven practice areas in
befriending words, and a public reaccreditation (reminder 7 months before expiry, 6 months to
reaccredit, years 3 and 6 with 25 indicators uploaded, 7 at a visit and interviews with
2 volunteers, 2 participants and 1 staff member, the full award again at year 9, up to 6 months'
extension). Everything else is mentorqa's QiM model with the befriending words, so the counts
are QiM's published ones.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

import mentorqa
from mentorqa.frameworks import get
from mentorqa.frameworks.model import Framework, Offset
from mentorqa.resources import bundled_dir
from mentorqa.views.report import render_markdown

from ..conftest import run

MAPPING = Path(__file__).resolve().parents[2] / "mappings" / "qim-qib.yaml"
RELATIONS = {"equal", "subset", "superset", "intersect"}

# The seven practice areas, in QiM's order, with befriendee / befriender for mentee / mentor.
AREAS = [
    "The Service",
    "Policies and Procedures",
    "Staff Management",
    "Monitoring and Evaluation",
    "Befriendee Journey",
    "Befriender Journey",
    "Matching and Ending",
]
ONLINE_AREAS = AREAS[:4]  # evidenced by documents on the online platform
VISIT_AREAS = AREAS[4:]  # evidenced at a site or remote visit and in interviews

# Mentoring words (but not "mentorqa", the tool's own name).
MENTORING_WORDS = re.compile(r"\bment(ee|or)(s|ing|'s)?\b", re.IGNORECASE)


def qib() -> Framework:
    return get("qib").framework


def qim() -> Framework:
    return get("qim").framework


# --- what it is -------------------------------------------------------------------------------


def test_identity() -> None:
    fw = qib()
    assert (fw.id, fw.name, fw.owner) == ("qib", "Quality in Befriending", "Befriending Networks")
    assert "mentorqa model" in fw.version
    assert (fw.wording, fw.locale, fw.currency) == ("model", "en-GB", "GBP")


def test_the_bundled_file_validates() -> None:
    result = run("frameworks", "validate", bundled_dir("frameworks") / "qib.yaml")
    assert result.exit_code == 0, result.stderr
    assert "valid framework 'qib'" in result.stdout


# --- the seven areas and the counts -------------------------------------------------------------


def test_the_seven_practice_areas() -> None:
    fw = qib()
    assert [area.name for area in fw.practice_areas] == AREAS
    methods = {area.name: area.method for area in fw.practice_areas}
    assert {name for name, method in methods.items() if method == "online"} == set(ONLINE_AREAS)
    assert {name for name, method in methods.items() if method == "visit"} == set(VISIT_AREAS)


def test_levels_and_counts() -> None:
    fw = qib()
    assert [level.id for level in fw.levels] == ["award", "excellence"]
    indicators = [ind for _, ind in fw.indicator_index.values()]
    award = [ind for ind in indicators if ind.level == "award"]
    assert len(award) == 61
    assert len([ind for ind in indicators if ind.level == "excellence"]) == 23
    online = [ind for ind in award if fw.method_of(ind.id).id == "online"]
    visit = [ind for ind in award if fw.method_of(ind.id).id == "visit"]
    assert (len(online), len(visit)) == (38, 23)
    # Every level must be met in full, and nothing may be judged not applicable.
    assert [ind.id for ind in indicators if ind.not_applicable] == []
    assert fw.levels[0].rule.share == 1.0


def test_indicator_ids_are_qims_in_their_own_namespace() -> None:
    ids = list(qib().indicator_index)
    assert all(i.startswith("QIB-") for i in ids)
    assert [i.removeprefix("QIB-") for i in ids] == [
        i.removeprefix("QIM-") for i in qim().indicator_index
    ]


# --- befriending words, everywhere --------------------------------------------------------------


def _texts(fw: Framework) -> Iterator[tuple[str, str]]:
    """(where, text) for everything a service reads about the practice it must show (the notes and
    summary, which compare QiB with QiM, are left out)."""
    for method in fw.evidence_methods:
        yield f"evidence_methods.{method.id}", f"{method.name} {method.description}"
    for area in fw.practice_areas:
        yield f"practice_areas.{area.id}", f"{area.id} {area.name} {area.description}"
        for ind in area.indicators:
            text = " ".join([ind.title, ind.requires, *ind.evidence])
            yield f"practice_areas.{area.id}.{ind.id}", text
    for interview in fw.interviews:
        yield (
            f"interviews.{interview.role}",
            (f"{interview.role} {interview.name} {interview.description}"),
        )
    for case in fw.case_studies:
        yield f"case_studies.{case.kind}", f"{case.kind} {case.name} {case.description}"
    for criterion in fw.eligibility.criteria:
        yield f"eligibility.{criterion.id}", f"{criterion.id} {criterion.question} {criterion.help}"
    yield "eligibility", fw.eligibility.if_not_eligible
    for event in fw.events:
        yield f"events.{event.id}", f"{event.name} {event.description}"
    for milestone in fw.milestones:
        yield f"milestones.{milestone.id}", f"{milestone.title} {milestone.description}"
    for step in fw.steps:
        yield "steps", step.title
    for cycle in fw.cycles:
        yield f"cycles.{cycle.id}", " ".join([cycle.name, *cycle.interviews])


def test_no_mentoring_words_in_what_a_service_reads() -> None:
    found = [(where, text) for where, text in _texts(qib()) if MENTORING_WORDS.search(text)]
    assert found == []


def test_no_qim_in_the_indicators_and_the_steps() -> None:
    """QiB's own names; descriptions may say where a modelled fact comes from ("as for QiM")."""
    fw = qib()
    texts = [
        " ".join([ind.id, ind.title, ind.requires, *ind.evidence])
        for _, ind in fw.indicator_index.values()
    ]
    texts += [area.name for area in fw.practice_areas]
    texts += [step.title for step in fw.steps] + [event.name for event in fw.events]
    texts += [milestone.title for milestone in fw.milestones]
    found = [t for t in texts if re.search(r"QiM|QIM|Quality in Mentoring", t)]
    assert found == []
    assert "Listed as 'Aiming for QiB'" in [event.name for event in fw.events]


def test_befriending_words_stand_where_qim_has_mentoring_words() -> None:
    fw = qib()
    areas = {area.id: area.name for area in fw.practice_areas}
    assert areas["befriendee_journey"] == "Befriendee Journey"
    assert areas["befriender_journey"] == "Befriender Journey"
    assert [c.kind for c in fw.case_studies] == ["befriendee_journey", "befriender_journey"]
    # Each QiM indicator whose text names mentees, mentors or mentoring is, in QiB, about
    # befriendees, befrienders or befriending.
    for qim_id, (_, qim_ind) in qim().indicator_index.items():
        _, ind = fw.indicator_index["QIB-" + qim_id.removeprefix("QIM-")]
        qim_text = " ".join([qim_ind.title, qim_ind.requires, *qim_ind.evidence])
        if MENTORING_WORDS.search(qim_text):
            text = " ".join([ind.title, ind.requires, *ind.evidence])
            assert re.search(r"\bbefriend", text, re.IGNORECASE), ind.id


def test_first_award_interviews_and_case_studies() -> None:
    fw = qib()
    interviews = {(i.role, i.name, i.count, i.max_minutes) for i in fw.interviews}
    assert interviews == {
        ("befriender", "Befrienders", 2, 20),
        ("befriendee", "Befriendees", 2, 20),
        ("staff", "Staff member", 1, 30),
    }
    assert [(c.name, c.count) for c in fw.case_studies] == [
        ("A befriendee's journey", 1),
        ("A befriender's journey", 1),
    ]


# --- reaccreditation (public, Befriending Networks' QiB pages) ------------------------------------


def test_reaccreditation_cycle() -> None:
    fw = qib()
    assert [cycle.id for cycle in fw.cycles] == ["award", "reaccreditation"]
    reacc = fw.cycles[1]
    assert reacc.start_event == "reaccreditation_started"
    assert reacc.at_years == (3, 6)  # the full award again at year 9
    assert reacc.counts == {"online": 25, "visit": 7}
    # 2 volunteers, 2 participants, 1 staff member.
    assert reacc.interviews == {"befriender": 2, "befriendee": 2, "staff": 1}


def test_reaccreditation_milestones() -> None:
    ms = {m.id: m for m in qib().milestones}
    expiry = Offset(years=3)
    assert (ms["award_expires"].after, ms["award_expires"].due) == ("award", expiry)
    # Reminder 7 months before expiry, owed by Befriending Networks.
    assert (ms["reaccreditation_reminder"].after, ms["reaccreditation_reminder"].due) == (
        "award",
        Offset(months=36 - 7),
    )
    assert ms["reaccreditation_reminder"].owner == "body"
    # Allow 6 months: start 6 months before expiry, and 6 months to complete it.
    assert ms["reaccreditation_start"].due == Offset(months=36 - 6)
    assert ms["reaccreditation_start"].done_when == "reaccreditation_started"
    complete = ms["reaccreditation_complete"]
    assert (complete.after, complete.due, complete.cycle) == (
        "reaccreditation_started",
        Offset(months=6),
        "reaccreditation",
    )
    owners = {m.id: m.owner for m in ms.values()}
    assert [i for i, owner in owners.items() if owner == "body"] == ["reaccreditation_reminder"]


def test_both_levels_last_three_years_and_are_renewed_by_reaccreditation() -> None:
    for level in qib().levels:
        assert level.granted_by == ("award", "reaccreditation")
        assert level.valid_for == Offset(years=3)


@pytest.mark.parametrize(
    "words",
    [
        "7 months before",
        "years 3 and 6",
        "25 indicators uploaded",
        "7 more",
        "year 9",
        "6 months' extension",
        "2 volunteers, 2 participants and 1 staff member",
    ],
)
def test_the_reaccreditation_facts_are_in_the_notes(words: str) -> None:
    assert words in " ".join(" ".join(qib().notes).split())


# --- provenance and fees --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "words",
    [
        "not public",  # the indicator wording
        "mentorqa's model",
        "Quality in Mentoring",  # what the model is derived from
        "befriendee and befriender in place of mentee and mentor",  # the public fact
        "launched in 2010",  # the QiM page's words about QiB
        "mappings/qim-qib.yaml",
        '"Partly met" is mentorqa\'s own',
    ],
)
def test_provenance_is_declared(words: str) -> None:
    assert words in " ".join(" ".join(qib().notes).split())


def test_fees_are_not_invented() -> None:
    fw = qib()
    assert fw.fees.bands == () and fw.fees.membership is None
    notes = " ".join(" ".join(fw.fees.notes).split())
    assert "not public" in notes and "not mean QiB is free" in notes
    assert "£" not in notes


# --- a QiB workspace, through the library ---------------------------------------------------------


@pytest.fixture
def workspace(tmp_path: Path) -> mentorqa.Workspace:
    ws = mentorqa.create_workspace(tmp_path / "ws", "qib", "Test", start=date(2026, 3, 1))
    evidence = ws.root / "evidence" / "policy.txt"
    evidence.parent.mkdir(exist_ok=True)
    evidence.write_text("Our policies\n", encoding="utf-8")
    ws.add_evidence("QIB-SV-A01", evidence)
    ws.mark("QIB-SV-A01", "met")
    ws.add_interview("befriender", "Befriender A", date=date(2026, 4, 20), minutes=20)
    ws.add_case_study("befriendee_journey", title="From referral to ending")
    return ws


def test_status(workspace: mentorqa.Workspace) -> None:
    status = workspace.status().to_dict()
    assert status["framework"] == "qib"
    levels = {level["id"]: level for level in status["levels"]}
    assert (levels["award"]["met"], levels["award"]["total"]) == (1, 61)
    assert levels["excellence"]["total"] == 61 + 23
    assert [area["name"] for area in status["areas"]] == AREAS


def test_check(workspace: mentorqa.Workspace) -> None:
    verdict = workspace.check()
    assert verdict.exit_code == 0
    assert verdict.to_dict()["errors"] == []


def test_timeline_of_the_reaccreditation_reminder(workspace: mentorqa.Workspace) -> None:
    workspace.record_event("award", date(2026, 10, 30))
    ms = {m["id"]: m for m in workspace.timeline().to_dict()["milestones"]}
    assert ms["reaccreditation_reminder"]["due"] == date(2029, 3, 30)  # 7 months before expiry
    assert ms["reaccreditation_start"]["due"] == date(2029, 4, 30)  # 6 months before expiry
    assert ms["award_expires"]["due"] == date(2029, 10, 30)


def _report(ws: mentorqa.Workspace, kind: str) -> str:
    text: str = render_markdown(ws.assess(), kind, ws.root)
    return text


@pytest.mark.parametrize("kind", ["assessor", "progress"])
def test_reports_render_in_befriending_words(workspace: mentorqa.Workspace, kind: str) -> None:
    assert [r.id for r in workspace.framework.reports] == ["assessor", "progress"]
    text = _report(workspace, kind)
    assert text.startswith("# Quality in Befriending:")
    assert "QIB-SV-A02" in text  # still to meet
    # The sister award is named where a note says where a fact comes from (the fees).
    words = text.replace("Quality in Mentoring", "QiM")
    assert MENTORING_WORDS.search(words) is None, MENTORING_WORDS.findall(words)


def test_assessor_report_names_the_befriending_interviews(workspace: mentorqa.Workspace) -> None:
    text = _report(workspace, "assessor")
    assert "Interview with befriender Befriender A" in text
    assert "befriendee journey" in text


def test_progress_report_does_not_call_qib_free(workspace: mentorqa.Workspace) -> None:
    text = _report(workspace, "progress")
    cost = text.split("## Cost", 1)[1]
    assert "£0" not in cost and "not public" in cost


def test_cli_status_json(workspace: mentorqa.Workspace) -> None:
    result = run("status", "--json", "-w", workspace.root)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["framework"] == "qib"


# --- the QiM -> QiB mapping -----------------------------------------------------------------------


def _mapping() -> dict[str, Any]:
    data = yaml.safe_load(MAPPING.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_mapping_header() -> None:
    data = _mapping()
    assert data["mentorqa_mapping"] == 1
    assert (data["from"], data["to"]) == ("qim", "qib")
    assert data["notes"] and all(isinstance(n, str) for n in data["notes"])
    assert "mentorqa's own reading" in " ".join(data["notes"])
    assert MAPPING.read_text(encoding="utf-8").startswith("#")


def test_mapping_ids_exist_and_cover_both_frameworks() -> None:
    relations = _mapping()["relations"]
    qim_ids, qib_ids = set(qim().indicator_index), set(qib().indicator_index)
    assert {r["from"] for r in relations} <= qim_ids
    assert {r["to"] for r in relations} <= qib_ids
    assert {r["from"] for r in relations} == qim_ids
    assert {r["to"] for r in relations} == qib_ids
    assert len(relations) == len(qim_ids) == 84


def test_mapping_relations_are_the_four_words() -> None:
    for relation in _mapping()["relations"]:
        assert set(relation) <= {"from", "to", "relation", "note"}, relation
        assert relation["relation"] in RELATIONS, relation
        if relation["relation"] != "equal":
            assert relation.get("note"), relation  # a difference says why


def test_mapping_relates_each_indicator_to_its_namesake() -> None:
    for relation in _mapping()["relations"]:
        assert relation["from"].removeprefix("QIM-") == relation["to"].removeprefix("QIB-")
