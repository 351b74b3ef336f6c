"""QiM's facts, as decided in frameworks-facts.md and issue 11, encoded in frameworks/qim.yaml.

The expected values are written out here from the fact sheet (not read back from the YAML), so
the file under test is checked against the sources rather than against itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentorqa
from mentorqa.frameworks import get
from mentorqa.frameworks.model import Framework, MembershipBand, Offset
from mentorqa.rules.costs import quote

from ..conftest import run


def qim() -> Framework:
    return get("qim").framework


# --- fee bands: Befriending Networks' size categories, one category for fees and membership ----

# (turnover, band, registration, assessment, total, not-for-profit membership, private membership)
EDGES = [
    (0, "small", 200, 300, 500, 75, 100),
    (100_999, "small", 200, 300, 500, 75, 100),
    (100_999.99, "small", 200, 300, 500, 75, 100),
    (101_000, "medium_1", 200, 550, 750, 110, 150),
    (350_999, "medium_1", 200, 550, 750, 110, 150),
    (351_000, "medium_2", 200, 650, 850, 150, 180),
    (750_000, "medium_2", 200, 650, 850, 150, 180),  # the seed's gap: now Medium 2
    (750_999, "medium_2", 200, 650, 850, 150, 180),
    (751_000, "large", 200, 750, 950, 190, 225),
    (5_000_000, "large", 200, 750, 950, 190, 225),
]


@pytest.mark.parametrize(
    ("turnover", "band", "registration", "assessment", "total", "nfp", "private"), EDGES
)
def test_band_edges_give_the_right_band_and_amounts(
    turnover: float,
    band: str,
    registration: int,
    assessment: int,
    total: int,
    nfp: int,
    private: int,
) -> None:
    fw = qim()
    q = quote(fw, turnover, None)
    assert q.band is not None and q.band.id == band
    assert (q.registration, q.assessment, q.total) == (registration, assessment, total)
    # Year 1 includes membership; years 2 and 3 pay the same size category's yearly rate.
    assert [y.total for y in q.years] == [total, nfp, nfp]
    for sector, yearly in (("not_for_profit", nfp), ("private", private)):
        q = quote(fw, turnover, sector)
        assert q.band is not None and q.band.id == band
        assert [y.items[-1][1] for y in q.years] == [0, yearly, yearly]


def _membership_band(fw: Framework, turnover: float) -> MembershipBand:
    assert fw.fees.membership is not None
    return next(
        b
        for b in fw.fees.membership.bands
        if b.turnover_from <= turnover and (b.turnover_below is None or turnover < b.turnover_below)
    )


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False))
@settings(max_examples=300, deadline=None)
def test_fees_and_membership_agree_on_the_size_category(turnover: float) -> None:
    fw = qim()
    q = quote(fw, turnover)
    assert q.band is not None
    membership = _membership_band(fw, turnover)
    assert (membership.turnover_from, membership.turnover_below) == (
        q.band.turnover_from,
        q.band.turnover_below,
    )


def test_cost_years_puts_fees_and_membership_in_one_category() -> None:
    result = run("cost", "--framework", "qim", "--turnover", "750500", "--years", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["band"], data["total"]) == ("medium_2", 850)
    # The membership charged is the Medium 2 row (£150 not-for-profit), not the Large one.
    assert [y["total"] for y in data["years"]] == [850, 150, 150]
    fw = qim()
    fee_band = next(b for b in fw.fees.bands if b.id == data["band"])
    assert _membership_band(fw, 750_500) == _membership_band(fw, fee_band.turnover_from)
    assert "£351,000 to £750,999" in data["band_basis"]


def test_the_notes_give_the_band_decision_and_its_source() -> None:
    fw = qim()
    notes = " ".join(fw.fees.notes)
    assert "£750,000 to £750,999" in notes  # the seed's gap
    assert "mentorqa's decision" in notes and "membership page" in notes
    for edge in ("£100,999", "£101,000", "£350,999", "£351,000", "£750,999", "£751,000"):
        assert edge in notes
    assert not any("£750,000 and above" in note for note in fw.notes + fw.fees.notes)


# --- the public sector --------------------------------------------------------------------------


def test_public_sector_is_large_for_fees_and_membership_at_any_turnover() -> None:
    result = run(
        "cost", "--framework", "qim", "--turnover", "80000", "--sector", "public", "--years",
        "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["band"], data["registration"], data["assessment"], data["total"]) == (
        "large",
        200,
        750,
        950,
    )
    assert data["sector"] == "public"
    assert [y["total"] for y in data["years"]] == [950, 225, 225]
    assert "Public sector" in data["band_basis"]
    # Without a turnover at all, too.
    q = quote(qim(), None, "public")
    assert q.band is not None and q.band.id == "large"
    assert [y.total for y in q.years] == [950, 225, 225]


def test_public_sector_in_a_workspace(tmp_path: Path) -> None:
    ws = tmp_path / "council"
    assert (
        run("init", ws, "-f", "qim", "-n", "Council mentoring", "--turnover", "80000").exit_code
        == 0
    )
    assert run("service", "--sector", "public", "-w", ws).exit_code == 0
    data = json.loads(run("cost", "--years", "--json", "-w", ws).stdout)
    assert data["band"] == "large" and [y["total"] for y in data["years"]] == [950, 225, 225]


def test_public_sector_rate_is_declared_as_mentorqas_reading() -> None:
    fw = qim()
    membership = fw.fees.membership
    assert membership is not None
    assert membership.sectors == {
        "not_for_profit": "Not-for-profit",
        "private": "Private",
        "public": "Public sector",
    }
    assert fw.fees.sector_bands == {"public": "large"}
    large = membership.bands[-1]
    assert large.amounts == {"not_for_profit": 190, "private": 225, "public": 225}
    public_note = next(n for n in fw.fees.notes if n.startswith("Public sector"))
    assert "mentorqa's reading is £225" in public_note and "Large / Public Sector" in public_note
    # The old, unimplemented claim is gone (the note above says it better).
    assert not any("top membership rate" in n for n in membership.notes)


# --- all 61 must be met ---------------------------------------------------------------------------


def test_no_award_indicator_may_be_judged_not_applicable() -> None:
    fw = qim()
    award = [ind for _, ind in fw.indicators_up_to("award")]
    assert len(award) == 61
    assert [ind.id for ind in award if ind.not_applicable] == []
    # Nor any Excellence indicator: "a further set of 23 indicators must be met".
    assert [i for i, (_, ind) in fw.indicator_index.items() if ind.not_applicable] == []
    assert any("Not applicable is not offered" in note for note in fw.notes)


def test_marking_an_award_indicator_not_applicable_is_refused(qim_ws: Path) -> None:
    for ind_id in ("QIM-SM-A04", "QIM-SM-A06", "QIM-MTE-A06", "QIM-MAE-A06"):
        result = run("mark", ind_id, "not-applicable", "-w", qim_ws)
        assert result.exit_code == 2 and "must be met" in result.stderr


# --- the award lapses after 3 years, and reaccreditation renews it -------------------------------


@pytest.fixture
def awarded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[mentorqa.Workspace]:
    """A QiM service registered 2023-01-01, every Award indicator met with evidence, awarded
    2023-06-01."""
    monkeypatch.setenv("MENTORQA_TODAY", "2023-05-20")
    ws = mentorqa.create_workspace(
        tmp_path / "ws", "qim", "Riverside Mentoring", turnover=120_000, start=date(2023, 1, 1)
    )
    folder = ws.root / "evidence"
    folder.mkdir(exist_ok=True)
    for _, ind in ws.framework.indicators_up_to("award"):
        file = folder / f"{ind.id}.txt"
        file.write_text(f"Evidence for {ind.id}\n", encoding="utf-8")
        ws.add_evidence(ind.id, file)
        ws.mark(ind.id, "met")
    ws.record_visit(date(2023, 5, 10), "remote")  # the Award needs the visit held
    ws.record_event("award", date(2023, 6, 1))
    yield ws


def _award_level(ws: Path, today: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("MENTORQA_TODAY", today)
    result = run("status", "--json", "-w", ws)
    assert result.exit_code == 0, result.stderr
    return next(lv for lv in json.loads(result.stdout)["levels"] if lv["id"] == "award")


def test_the_award_lapses_three_years_after_it_is_granted(
    awarded: mentorqa.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    last_day = _award_level(awarded.root, "2026-06-01", monkeypatch)
    assert last_day["expires"] == "2026-06-01"
    assert (last_day["expired"], last_day["achieved"]) == (False, True)
    lapsed = _award_level(awarded.root, "2026-06-02", monkeypatch)
    assert (lapsed["expired"], lapsed["achieved"]) == (True, False)
    # The library says the same.
    levels = {lv["id"]: lv for lv in awarded.status().to_dict()["levels"]}
    assert levels["award"]["expired"] is True and levels["award"]["achieved"] is False


def test_reaccreditation_renews_the_award(
    awarded: mentorqa.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    awarded.record_event("reaccreditation", date(2026, 5, 1))
    renewed = _award_level(awarded.root, "2026-06-02", monkeypatch)
    assert renewed["expires"] == "2029-05-01"
    assert (renewed["expired"], renewed["achieved"]) == (False, True)
    assert _award_level(awarded.root, "2029-05-02", monkeypatch)["expired"] is True


def test_both_levels_lapse_after_three_years() -> None:
    for level in qim().levels:
        assert level.granted_by == ("award", "reaccreditation")
        assert level.valid_for == Offset(years=3)


# --- the process: evidencing, owners, the named assessor, 'Aiming for QiM' -----------------------


def test_registration_is_the_first_event() -> None:
    assert qim().events[0].id == "registration"


def test_the_six_months_cover_the_whole_evidencing() -> None:
    fw = qim()
    milestone = next(m for m in fw.milestones if m.id == "evidence_complete")
    assert milestone.due == Offset(months=6) and milestone.after == "registration"
    assert milestone.title == (
        "Complete the evidencing (online evidence, visit, interviews and case studies)"
    )
    event = next(e for e in fw.events if e.id == "evidence_complete")
    for text in (milestone.description, event.name, event.description):
        assert all(word in text for word in ("online evidence", "visit", "interviews", "case"))
    step = next(s for s in fw.steps if s.event == "evidence_complete")
    assert step.title.startswith(milestone.title)
    # Completing the evidencing comes after the visit in the steps.
    order = [s.event for s in fw.steps]
    assert order.index("visit") < order.index("evidence_complete")


def test_milestone_owners() -> None:
    owners = {m.id: m.owner for m in qim().milestones}
    assert owners == {
        "first_area": "service",
        "evidence_complete": "service",
        "reaccreditation_complete": "service",
        "reaccreditation_reminder": "body",  # Befriending Networks sends it
        "reaccreditation_start": "service",
        "award_expires": "service",
    }


def test_named_assessor_and_aiming_for_qim_are_dated_steps() -> None:
    fw = qim()
    events = {e.id: e for e in fw.events}
    assert "assessor" in events["initial_meeting"].name
    assert "Aiming for QiM" in events["listed_aiming"].name
    steps = [s.event for s in fw.steps]
    # In the seed's order: initial call, fee paid and login, listed, upload.
    assert steps.index("initial_meeting") < steps.index("registration")
    assert steps.index("registration") < steps.index("listed_aiming")
    assert steps.index("listed_aiming") < steps.index("first_area_uploaded")
    assert not any("Aiming" in benefit for benefit in fw.benefits)


def test_timeline_shows_a_body_owned_reminder(qim_ws: Path) -> None:
    assert run("event", "award", "2026-10-30", "-w", qim_ws).exit_code == 0
    result = run("timeline", "--json", "-w", qim_ws)
    assert result.exit_code == 0, result.stderr
    ms = {m["id"]: m for m in json.loads(result.stdout)["milestones"]}
    assert ms["reaccreditation_reminder"]["due"] == "2029-03-30"  # 7 months before expiry
    assert ms["reaccreditation_start"]["due"] == "2029-04-30"  # 6 months before expiry
    assert ms["award_expires"]["due"] == "2029-10-30"


# --- declared inventions and inconsistencies -------------------------------------------------------


@pytest.mark.parametrize(
    "words",
    [
        '"Partly met" is mentorqa\'s own',  # the status label
        "normally",  # interview counts are what is normal
        "no rating scale",
        "Quality in Befriending",  # reaccreditation dates borrowed from the sister award
        "remaining 29",  # the seed's inconsistency
        "not public",  # the indicator wording
    ],
)
def test_inventions_and_inconsistencies_are_declared(words: str) -> None:
    assert words in " ".join(qim().notes)


# --- near-duplicate indicators ---------------------------------------------------------------------


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3}


def test_indicators_are_distinct() -> None:
    fw = qim()
    indicators = [ind for _, ind in fw.indicator_index.values()]
    assert len({ind.title for ind in indicators}) == len(indicators)
    # No two indicators share most of their wording.
    for a, b in combinations(indicators, 2):
        wa, wb = _words(a.requires), _words(b.requires)
        assert len(wa & wb) / len(wa | wb) < 0.4, (a.id, b.id)
    # Issue 11, item 16: match reviews, someone to contact, learning from feedback.
    reviews = [i.id for i in indicators if re.search(r"\breview(ed|s)? (at|with)\b", i.requires)]
    assert reviews == ["QIM-MAE-A03"]
    contact = [
        i.id for i in indicators if re.search(r"(who|someone) to (contact|call)", i.requires)
    ]
    assert contact == []
    changes = [i.id for i in indicators if "Examples of changes made" in i.evidence]
    assert len(changes) <= 1


# --- numbers in prose match the data ---------------------------------------------------------------

WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

# Numbers in prose that deliberately do not describe this file's data: (where, number) -> why.
EXCEPTIONS = {
    ("notes", "29"): "the source's 'remaining 29 indicators', declared as its inconsistency",
    ("fees.notes", "£750,000"): "the start of the seed's £750,000-£750,999 gap, now closed",
    ("fees.membership.name", "2024/25"): "the year of the membership rates, as published",
    ("eligibility", "12"): "the source's funding criterion (12 months), a question to answer",
    ("milestones.first_area", "one"): "the source's 'at least 1 practice area', one event",
    ("steps", "one"): "the source's 'at least 1 practice area', one event",
}


def prose(fw: Framework) -> Iterator[tuple[str, str]]:
    """(where, text) for every piece of prose in the framework (an indicator's `requires` and
    evidence are practice content, not facts about the framework, and are left out)."""
    yield "summary", fw.summary
    for text in fw.notes:
        yield "notes", text
    for text in fw.benefits:
        yield "benefits", text
    for level in fw.levels:
        yield f"levels.{level.id}", f"{level.name}. {level.description}"
    for method in fw.evidence_methods:
        yield f"evidence_methods.{method.id}", f"{method.name}. {method.description}"
    for area in fw.practice_areas:
        yield f"practice_areas.{area.id}", f"{area.name}. {area.description}"
        for ind in area.indicators:
            yield f"practice_areas.{area.id}.{ind.id}", ind.title
    for status in fw.judgement.statuses:
        yield "judgement", status.label
    for text in fw.fees.notes:
        yield "fees.notes", text
    if fw.fees.membership is not None:
        yield "fees.membership.name", fw.fees.membership.name
        for text in fw.fees.membership.notes:
            yield "fees.membership.notes", text
        for text in fw.fees.membership.sectors.values():
            yield "fees.membership.sectors", text
    yield "eligibility", f"{fw.eligibility.regions}. {fw.eligibility.if_not_eligible}"
    for criterion in fw.eligibility.criteria:
        yield "eligibility", f"{criterion.question} {criterion.help}"
    for event in fw.events:
        yield f"events.{event.id}", f"{event.name}. {event.description}"
    for milestone in fw.milestones:
        yield f"milestones.{milestone.id}", f"{milestone.title}. {milestone.description}"
    for step in fw.steps:
        yield "steps", step.title
    for interview in fw.interviews:
        yield f"interviews.{interview.role}", f"{interview.name}. {interview.description}"
    for case in fw.case_studies:
        yield f"case_studies.{case.kind}", f"{case.name}. {case.description}"
    if fw.visit is not None:
        yield "visit", f"{fw.visit.name}. {fw.visit.description}"
    for report in fw.reports:
        yield f"reports.{report.id}", f"{report.title}. {report.description}"
    for total in fw.totals:
        yield "totals", total.description


def _months(offset: Offset) -> int:
    return offset.years * 12 + offset.months


def allowed_numbers(fw: Framework) -> dict[str, set[float]]:
    """What each kind of number in prose may be, all read from the data."""
    fees, membership = fw.fees, fw.fees.membership
    money: set[float] = set()
    for band in fees.bands:
        money |= {band.registration, band.assessment, band.registration + band.assessment}
    edges = [*fees.bands, *(membership.bands if membership else ())]
    for edge in edges:
        money |= {edge.turnover_from} | (
            {edge.turnover_below - 1} if edge.turnover_below else set()
        )
    if membership is not None:
        money |= {amount for band in membership.bands for amount in band.amounts.values()}
    money.discard(0)

    months = {m.due.months for m in fw.milestones if m.due.months}
    months |= {m.earliest.months for m in fw.milestones if m.earliest and m.earliest.months}
    for level in fw.levels:  # "N months before the award expires"
        if level.valid_for is None:
            continue
        for m in fw.milestones:
            if m.after in level.granted_by and _months(m.due) < _months(level.valid_for):
                months.add(_months(level.valid_for) - _months(m.due))
    years = {m.due.years for m in fw.milestones if m.due.years}
    years |= {lv.valid_for.years for lv in fw.levels if lv.valid_for and lv.valid_for.years}
    if membership is not None and membership.years:
        years.add(membership.years)

    indicators = {t.count for t in fw.totals} | {len(fw.indicator_index)}
    indicators |= {len(fw.indicators_up_to(level.id)) for level in fw.levels}
    area_methods = [area.method for area in fw.practice_areas]
    areas = {len(area_methods)} | {area_methods.count(m) for m in set(area_methods)}
    cases = {c.count for c in fw.case_studies} | {sum(c.count for c in fw.case_studies)}
    return {
        "money": money,
        "months": months,
        "years": years,
        "minutes": {i.max_minutes for i in fw.interviews if i.max_minutes},
        "mentor": {i.count for i in fw.interviews if i.role == "mentor"},
        "mentee": {i.count for i in fw.interviews if i.role == "mentee"},
        "staff": {i.count for i in fw.interviews if i.role == "staff"},
        "practice areas": areas,
        "case studies": cases,
        "indicators": indicators,  # also any number with no other unit
    }


UNITS = [
    ("months", r"months?\b"),
    ("years", r"-?years?\b"),
    ("minutes", r"minutes?\b"),
    ("mentee", r"mentees?\b"),
    ("mentor", r"mentors?\b"),
    ("staff", r"staff members?\b"),
    ("practice areas", r"practice areas?\b"),
    ("case studies", r"case stud(y|ies)\b"),
]
NUMBER = re.compile(
    r"(?P<money>£)?(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<suffix>/\d+)?"
    r"|\b(?P<word>" + "|".join(WORD_NUMBERS) + r")\b",
    re.IGNORECASE,
)
ORDINAL_YEARS = re.compile(r"\byears? (\d+)(?: and (\d+))?\b")


def numbers_in(fw: Framework, where: str, text: str) -> Iterator[tuple[str, str, float]]:
    """(kind, token, value) for each number in ``text``; kind '' for one to check by hand."""
    for name in [b.name for b in fw.fees.bands]:  # names such as "Medium 1" are data
        text = text.replace(name, "")
    taken: set[int] = set()
    for match in ORDINAL_YEARS.finditer(text):  # "years 2 and 3" of the membership
        for group in (1, 2):
            if match.group(group):
                taken.add(match.start(group))
                yield "year of the award", match.group(group), int(match.group(group))
    for match in NUMBER.finditer(text):
        if match.start() in taken or match.start("num") in taken:
            continue
        after = text[match.end() :].lstrip().lower()
        if match.group("word"):
            kind = next((k for k, unit in UNITS if re.match(unit, after)), None)
            if kind is not None:  # "seven practice areas"; a bare "one" is ordinary prose
                yield kind, match.group("word"), WORD_NUMBERS[match.group("word").lower()]
            continue
        token = match.group(0)
        value = float(match.group("num").replace(",", ""))
        if match.group("suffix"):
            yield "", token, value
        elif match.group("money"):
            yield "money", token, value
        else:
            unit = next((k for k, unit in UNITS if re.match(unit, after)), "indicators")
            yield unit, token, value


def test_every_number_in_the_prose_matches_the_data() -> None:
    fw = qim()
    allowed = allowed_numbers(fw)
    membership_years = fw.fees.membership.years if fw.fees.membership else 0
    used: set[tuple[str, str]] = set()
    wrong = []
    for where, text in prose(fw):
        for kind, token, value in numbers_in(fw, where, text):
            exception = next(
                (key for key in EXCEPTIONS if where.startswith(key[0]) and key[1] == token), None
            )
            if exception is not None:
                used.add(exception)
                continue
            if kind == "year of the award":
                ok = 1 <= value <= membership_years
            else:
                ok = kind != "" and value in allowed[kind]
            if not ok:
                wrong.append(f"{where}: {token} ({kind or 'unclassified'}) in {text!r}")
    assert wrong == []
    assert used == set(EXCEPTIONS), "an exception no longer needed: remove it"


def test_the_number_check_catches_a_wrong_number() -> None:
    fw = qim()
    allowed = allowed_numbers(fw)
    found = list(numbers_in(fw, "summary", "All 62 indicators within 5 months for £960."))
    assert [(kind, value in allowed[kind]) for kind, _, value in found] == [
        ("indicators", False),
        ("months", False),
        ("money", False),
    ]
    found = list(numbers_in(fw, "summary", "seven practice areas, up to 20 minutes, 3-year"))
    assert [(kind, value in allowed[kind]) for kind, _, value in found] == [
        ("practice areas", True),
        ("minutes", True),
        ("years", True),
    ]
