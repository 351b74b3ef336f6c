"""The rule families on Python objects: no CLI, no files, no mocks.

Every figure (indicator counts, offsets, fee bands, plan sizes) is read from the framework object,
so these tests hold for any edit of the bundled framework files that keeps their shape.
"""

from __future__ import annotations

import itertools
import math
import os
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorqa.assessment import assess
from mentorqa.errors import ExitCode, UsageError, resolve, unknown
from mentorqa.frameworks import get
from mentorqa.frameworks.model import Framework
from mentorqa.manifest import Manifest
from mentorqa.results import Status, verdict
from mentorqa.rules import costs, evidence, judgements, levels, plan, references, timeline, visit
from mentorqa.rules.findings import CODES, Finding
from mentorqa.rules.indicators import IndicatorResult, counts_from, indicator_results
from mentorqa.spec import manifest_from

QIM = get("qim").framework
NQMS = get("nqms").framework
TODAY = date(2026, 6, 15)
EXAMPLES = int(os.environ.get("MENTORQA_HYPOTHESIS_EXAMPLES", "100"))


# --- helpers ---------------------------------------------------------------------------------


def manifest(fw: Framework, **fields: Any) -> Manifest:
    """A manifest for ``fw`` from plain data; ``service`` fields are merged into a default."""
    service = {"name": "Riverside Mentoring", **fields.pop("service", {})}
    return manifest_from({"framework": fw.id, "service": service, **fields})


def ids(
    fw: Framework,
    *,
    level: str | None = None,
    vouched: bool | None = None,
    not_applicable: bool | None = None,
) -> list[str]:
    """Indicator ids of ``fw`` by level, by whether an assessor's judgement is evidence, and by
    whether they may be not applicable."""
    return [
        ind_id
        for ind_id, (_, ind) in fw.indicator_index.items()
        if (level is None or ind.level == level)
        and (vouched is None or fw.method_of(ind_id).assessor_judgement_is_evidence == vouched)
        and (not_applicable is None or ind.not_applicable == not_applicable)
    ]


def judged(
    indicator_ids: list[str], status: str = "met", by: str = "self", **extra: Any
) -> dict[str, Any]:
    return {i: {by: {"status": status, **extra}} for i in indicator_ids}


def doc(file: str) -> dict[str, Any]:
    return {"file": file, "sha256": "0" * 64, "size": 10, "recorded": date(2026, 4, 1)}


def result_of(fw: Framework, m: Manifest, ind_id: str, today: date = TODAY) -> IndicatorResult:
    return next(r for r in indicator_results(fw, m, today) if r.id == ind_id)


def codes(found: list[Finding] | tuple[Finding, ...]) -> list[str]:
    return [f.code for f in found]


DOCS_ID = ids(QIM, level="award", vouched=False, not_applicable=False)[0]  # documents online
VISIT_ID = ids(QIM, level="award", vouched=True, not_applicable=False)[0]  # judged at the visit
# QiM allows no 'not applicable' (all its indicators must be met); NQMS allows it for some items.
NA_ID = ids(NQMS, not_applicable=True)[0]
MUST_ID = ids(NQMS, not_applicable=False)[0]
QIM_AWARD_ID = ids(QIM, level="award")[0]
AWARD, EXCELLENCE = QIM.level_ids
DEDICATED, EXPERT = NQMS.level_ids
NQMS_STEPS = NQMS.level(DEDICATED).rule.events


# --- indicators: which judgement counts ------------------------------------------------------


def test_the_assessors_judgement_counts_over_the_services() -> None:
    m = manifest(
        QIM,
        indicators={
            DOCS_ID: {"self": {"status": "not-met"}, "assessor": {"status": "met"}},
            VISIT_ID: {"self": {"status": "met"}, "assessor": {"status": "not-met"}},
        },
    )
    overruled = result_of(QIM, m, DOCS_ID)
    assert (overruled.status, overruled.met) == ("met", True)
    refused = result_of(QIM, m, VISIT_ID)
    assert (refused.status, refused.met) == ("not-met", False)
    assert refused.service is not None and refused.service.status == "met"  # still recorded


def test_a_judgement_dated_after_today_counts_only_from_that_day() -> None:
    later = TODAY + timedelta(days=1)
    m = manifest(
        QIM,
        indicators={
            DOCS_ID: {"self": {"status": "not-met"}, "assessor": {"status": "met", "date": later}}
        },
    )
    assert result_of(QIM, m, DOCS_ID, TODAY).status == "not-met"
    assert result_of(QIM, m, DOCS_ID, later).status == "met"
    record = m.indicators[DOCS_ID]
    assert counts_from(record.assessor, TODAY) is None
    assert counts_from(record.assessor, later) == record.assessor
    assert counts_from(record.self_, TODAY) == record.self_  # undated: counts at once
    assert counts_from(None, TODAY) is None


def test_not_applicable_is_met_only_where_the_framework_allows_it() -> None:
    m = manifest(NQMS, indicators=judged([NA_ID, MUST_ID], "not-applicable"))
    assert result_of(NQMS, m, NA_ID).met
    assert not result_of(NQMS, m, MUST_ID).met
    assert not any(ind.not_applicable for _, ind in QIM.indicator_index.values())


@pytest.mark.parametrize("status", ["partly-met", "not-met"])
def test_an_answer_short_of_met_is_answered_but_not_met(status: str) -> None:
    r = result_of(QIM, manifest(QIM, indicators=judged([DOCS_ID], status)), DOCS_ID)
    assert (r.answered, r.met) == (True, False)
    unjudged = result_of(QIM, manifest(QIM), DOCS_ID)
    assert (unjudged.answered, unjudged.met, unjudged.status) == (False, False, None)


def test_what_evidences_an_indicator_follows_its_method() -> None:
    visit_event = QIM.visit.event if QIM.visit else None
    assert visit_event is not None
    informed = {
        "interviews": [
            {"role": "mentee", "pseudonym": "Mentee A", "indicators": [VISIT_ID, DOCS_ID]}
        ]
    }
    m = manifest(QIM, **informed)
    assert result_of(QIM, m, VISIT_ID).has_evidence  # the visit method accepts interviews
    assert not result_of(QIM, m, DOCS_ID).has_evidence  # documents only
    held = manifest(QIM, dates={visit_event: TODAY})
    scheduled = manifest(QIM, dates={visit_event: TODAY + timedelta(days=1)})
    assert result_of(QIM, held, VISIT_ID).has_evidence
    assert not result_of(QIM, scheduled, VISIT_ID).has_evidence
    with_doc = manifest(QIM, indicators={DOCS_ID: {"evidence": [doc("evidence/plan.pdf")]}})
    assert result_of(QIM, with_doc, DOCS_ID).has_evidence


# --- levels ----------------------------------------------------------------------------------


def test_all_award_indicators_met_reaches_the_award_and_aims_at_the_next_level() -> None:
    award_ids = ids(QIM, level=AWARD)
    m = manifest(QIM, indicators=judged(award_ids))
    results = indicator_results(QIM, m, TODAY)
    # The visit's indicators are judged at the visit: the Award needs it held.
    steps = {event: TODAY for event in QIM.level(AWARD).rule.events}
    assert not levels.levels(QIM, results, {})[0].achieved
    found = levels.levels(QIM, results, steps)
    award, excellence = found
    assert (award.counted, award.total, award.needed, award.achieved) == (
        len(award_ids),
        len(award_ids),
        len(award_ids),
        True,
    )
    # Excellence counts over its own indicators and every Award indicator.
    assert excellence.total == len(QIM.indicator_index)
    assert excellence.counted == len(award_ids)
    assert not excellence.achieved
    reached, towards = levels.target(found)
    assert (reached, towards) == (award, excellence)
    assert [r.id for r in levels.unmet(QIM, results, towards)] == ids(QIM, level=EXCELLENCE)


def test_one_award_indicator_short_leaves_both_levels_unreached() -> None:
    everything = list(QIM.indicator_index)
    m = manifest(QIM, indicators={**judged(everything), **judged([QIM_AWARD_ID], "partly-met")})
    results = indicator_results(QIM, m, TODAY)
    found = levels.levels(QIM, results, {})
    assert [lv.achieved for lv in found] == [False, False]
    assert found[0].counted == found[0].total - 1
    reached, towards = levels.target(found)
    assert reached is None and towards is not None and towards.id == AWARD
    assert [r.id for r in levels.unmet(QIM, results, towards)] == [QIM_AWARD_ID]
    # Working towards Excellence lists the same single gap, since the rest is met.
    _, excellence = levels.target(found, EXCELLENCE)
    assert [r.id for r in levels.unmet(QIM, results, excellence)] == [QIM_AWARD_ID]


def test_a_level_needs_every_level_below_it() -> None:
    # Every NQMS item in practice is enough for the top level's count, but not while the lower
    # level still lacks its recorded steps.
    every = list(NQMS.indicator_index)
    m = manifest(NQMS, indicators=judged(every))
    results = indicator_results(NQMS, m, TODAY)
    dedicated, expert = levels.levels(NQMS, results, {})
    assert expert.counted == expert.total == len(every)
    assert not dedicated.achieved and dedicated.missing_steps == NQMS_STEPS
    assert not expert.achieved
    all_steps = dict.fromkeys(NQMS_STEPS, TODAY)
    assert [lv.achieved for lv in levels.levels(NQMS, results, all_steps)] == [True, True]


def test_a_step_dated_after_today_is_only_scheduled() -> None:
    every = list(NQMS.indicator_index)
    last = NQMS_STEPS[-1]
    dates = {**dict.fromkeys(NQMS_STEPS, date(2026, 6, 1)), last: TODAY + timedelta(days=1)}
    # 'answered' counts any judgement, even 'not in practice'.
    m = manifest(NQMS, indicators=judged(every, "not-met"), dates=dates)
    before = assess(NQMS, m, TODAY)
    assert not before.level(DEDICATED).achieved
    assert before.level(DEDICATED).missing_steps == (last,)
    assert before.level(DEDICATED).counted == len(every)
    on_the_day = assess(NQMS, m, TODAY + timedelta(days=1))
    assert on_the_day.level(DEDICATED).achieved
    assert not on_the_day.level(EXPERT).achieved  # 'not in practice' is not met


def test_levels_are_named_case_insensitively_with_a_did_you_mean() -> None:
    name = QIM.level(EXCELLENCE).id
    assert levels.resolve_level(QIM, name.upper()) == EXCELLENCE
    with pytest.raises(UsageError, match=f"did you mean '{EXCELLENCE}'"):
        levels.resolve_level(QIM, EXCELLENCE[:-1] + "x")


def _expected_status(fw: Framework, m: Manifest, ind_id: str, today: date) -> str | None:
    record = m.indicators.get(ind_id)
    if record is None:
        return None
    for judgement in (record.assessor, record.self_):
        if judgement is not None and (judgement.date is None or judgement.date <= today):
            return judgement.status
    return None


WHEN = (0, -1, 1, None)  # days from today (on, before, after), or undated / not recorded


@st.composite
def workspaces(draw: st.DrawFn) -> tuple[Framework, Manifest, date]:
    """A framework, a manifest and a day: one status for every indicator (so that levels can be
    reached), a few judgements on top, some dated after the day, and some steps recorded.

    Choices are drawn as few integers, since each draw costs hypothesis time."""
    fw = draw(st.sampled_from([QIM, NQMS]))
    statuses = list(fw.status_labels)
    indicator_ids = list(fw.indicator_index)
    today = date(2026, 6, 15)
    everyone = draw(st.sampled_from([*statuses, None]))
    recorded: dict[str, dict[str, Any]] = (
        {} if everyone is None else judged(indicator_ids, everyone)
    )
    shape = (len(indicator_ids), 2, len(statuses), len(WHEN))
    for code in draw(st.lists(st.integers(0, math.prod(shape) - 1), max_size=4)):
        index, who, status, when = _digits(code, shape)
        judgement: dict[str, Any] = {"status": statuses[status]}
        if WHEN[when] is not None:
            judgement["date"] = today + timedelta(days=WHEN[when])
        key = ("self", "assessor")[who]
        recorded[indicator_ids[index]] = {**recorded.get(indicator_ids[index], {}), key: judgement}
    events = list(fw.event_names)
    steps = _digits(draw(st.integers(0, len(WHEN) ** len(events) - 1)), (len(WHEN),) * len(events))
    dates = {
        event: today + timedelta(days=WHEN[step] or 0)
        for event, step in zip(events, steps, strict=True)
        if WHEN[step] is not None
    }
    return fw, manifest(fw, indicators=recorded, dates=dates), today


def _digits(number: int, bases: tuple[int, ...]) -> list[int]:
    """``number`` written in the mixed radix ``bases``, most significant first."""
    out = []
    for base in reversed(bases):
        number, digit = divmod(number, base)
        out.append(digit)
    return out[::-1]


@settings(max_examples=EXAMPLES, deadline=None, database=None)
@given(workspaces())
def test_levels_count_within_totals_and_build_on_each_other(
    case: tuple[Framework, Manifest, date],
) -> None:
    fw, m, today = case
    found = levels.levels(fw, indicator_results(fw, m, today), timeline.happened(m.dates, today))
    below = True
    for index, level in enumerate(found):
        in_scope = [i for _, i in fw.indicators_up_to(level.id)]
        statuses = [_expected_status(fw, m, i.id, today) for i in in_scope]
        if level.counts == "met":
            expected = sum(
                s == "met" or (s == "not-applicable" and i.not_applicable)
                for s, i in zip(statuses, in_scope, strict=True)
            )
        else:
            expected = sum(s is not None for s in statuses)
        steps_done = all(m.dates.get(e, date.max) <= today for e in fw.levels[index].rule.events)
        assert level.total == len(in_scope)
        assert 0 <= level.counted <= level.total and level.needed <= level.total
        assert level.counted == expected
        assert level.achieved == (below and level.counted >= level.needed and steps_done)
        below = level.achieved


# --- judgements --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fw", "given_", "expected"),
    [
        (NQMS, "in practice", "met"),
        (NQMS, "In  Practice", "met"),
        (NQMS, "NOT IN PRACTICE", "not-met"),
        (NQMS, "not_applicable", "not-applicable"),
        (QIM, "Partly met", "partly-met"),
        (QIM, "PARTLY_MET", "partly-met"),
        (QIM, "met", "met"),
    ],
)
def test_a_status_is_named_by_id_or_label(fw: Framework, given_: str, expected: str) -> None:
    assert judgements.resolve_status(fw, given_) == expected


def test_a_status_the_framework_lacks_is_refused_with_the_choices() -> None:
    with pytest.raises(UsageError, match="use one of: met, not-met, not-applicable"):
        judgements.resolve_status(NQMS, "partly-met")
    with pytest.raises(UsageError, match="did you mean 'not-met'"):
        judgements.resolve_status(QIM, "not-mte")


def test_allowed_refuses_what_the_framework_does_not_allow() -> None:
    judgements.allowed(NQMS, NA_ID, "not-applicable", None)
    with pytest.raises(UsageError, match="must be met"):
        judgements.allowed(NQMS, MUST_ID, "not-applicable", None)
    with pytest.raises(UsageError, match="no rating scale"):
        judgements.allowed(QIM, QIM_AWARD_ID, "met", 3)
    scale = NQMS.judgement.rating
    assert scale is not None
    item = next(iter(NQMS.indicator_index))
    judgements.allowed(NQMS, item, "met", scale.max)
    judgements.allowed(NQMS, item, "met", scale.min)
    for bad in (scale.min - 1, scale.max + 1):
        with pytest.raises(UsageError, match=f"{scale.min} to {scale.max}"):
            judgements.allowed(NQMS, item, "met", bad)


def test_hand_edited_judgements_the_framework_does_not_allow_are_errors() -> None:
    scale = NQMS.judgement.rating
    assert scale is not None
    a, b, c, d = list(NQMS.indicator_index)[:4]
    must = next(i for i in ids(NQMS, not_applicable=False) if i not in (a, b, c, d))
    m = manifest(
        NQMS,
        indicators={
            a: {"self": {"status": "partly-met"}},  # a QiM status, not an NQMS one
            b: {"assessor": {"status": "Met"}},  # ids are exact in the file
            c: {"self": {"status": "met", "rating": scale.max + 1}},
            d: {"self": {"status": "met", "rating": scale.max}},
            must: {"self": {"status": "not-applicable"}},
        },
    )
    found = list(judgements.findings(NQMS, indicator_results(NQMS, m, TODAY)))
    by_id = {(f.indicator, f.code) for f in found}
    assert by_id == {(a, "MQA102"), (b, "MQA102"), (c, "MQA104"), (must, "MQA103")}
    assert all(f.severity == "error" for f in found)
    assert ("indicators", b, "assessor", "status") in {f.loc for f in found}
    qim = manifest(QIM, indicators={QIM_AWARD_ID: {"self": {"status": "met", "rating": 3}}})
    (no_scale,) = judgements.findings(QIM, indicator_results(QIM, qim, TODAY))
    assert no_scale.code == "MQA104" and "no rating scale" in no_scale.message


# --- evidence ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "code", "severity"),
    [
        ("missing", "MQA111", "error"),
        ("changed", "MQA201", "warning"),
        ("outside", "MQA112", "error"),
        ("private", "MQA113", "error"),
    ],
)
def test_evidence_file_states_map_to_codes(state: str, code: str, severity: str) -> None:
    files = ["evidence/a.pdf", "evidence/b.pdf"]
    m = manifest(QIM, indicators={DOCS_ID: {"evidence": [doc(f) for f in files]}})
    results = indicator_results(QIM, m, TODAY)
    (finding,) = evidence.findings(results, {files[1]: state})  # type: ignore[dict-item]
    assert (finding.code, finding.severity, finding.indicator) == (code, severity, DOCS_ID)
    assert finding.loc == ("indicators", DOCS_ID, "evidence", 1)
    assert files[1] in finding.message
    assert list(evidence.findings(results, {files[1]: "ok"})) == []
    assert list(evidence.findings(results, {})) == []  # not reported: present and unchanged


def test_a_file_recorded_in_private_is_refused_whatever_its_state() -> None:
    m = manifest(QIM, indicators={DOCS_ID: {"evidence": [doc("private/notes.pdf")]}})
    (finding,) = evidence.findings(indicator_results(QIM, m, TODAY), {})
    assert finding.code == "MQA113" and finding.severity == "error"
    assert evidence.is_private("private") and evidence.is_private("private/a/b.pdf")
    assert not evidence.is_private("privateer/a.pdf")


@pytest.mark.parametrize("file", ["./private/notes.pdf", "evidence/../private/notes.pdf"])
def test_a_private_file_is_refused_however_its_path_is_written(file: str) -> None:
    m = manifest(QIM, indicators={DOCS_ID: {"evidence": [doc(file)]}})
    assert codes(list(evidence.findings(indicator_results(QIM, m, TODAY), {}))) == ["MQA113"]


def _met_without_evidence(m: Manifest, fw: Framework = QIM) -> set[tuple[str | None, tuple]]:
    found = evidence.findings(indicator_results(fw, m, TODAY), {})
    return {(f.indicator, f.loc) for f in found if f.code == "MQA110"}


def test_met_by_the_service_without_evidence_is_an_error() -> None:
    bare = manifest(QIM, indicators=judged([DOCS_ID, VISIT_ID]))
    assert _met_without_evidence(bare) == {
        (DOCS_ID, ("indicators", DOCS_ID, "self")),
        (VISIT_ID, ("indicators", VISIT_ID, "self")),
    }
    documented = manifest(
        QIM, indicators={DOCS_ID: {"self": {"status": "met"}, "evidence": [doc("evidence/a")]}}
    )
    assert _met_without_evidence(documented) == set()
    not_met = manifest(QIM, indicators=judged([DOCS_ID], "partly-met"))
    assert _met_without_evidence(not_met) == set()


def test_an_assessors_judgement_at_the_visit_vouches_for_the_service() -> None:
    for status in ("met", "not-met"):
        m = manifest(
            QIM,
            indicators={VISIT_ID: {"self": {"status": "met"}, "assessor": {"status": status}}},
        )
        assert _met_without_evidence(m) == set()
    alone = manifest(QIM, indicators=judged([VISIT_ID], by="assessor"))
    assert _met_without_evidence(alone) == set()  # the assessor's own judgement is evidence
    # An assessor's judgement dated after today has not been made yet, so vouches for nothing.
    later = manifest(
        QIM,
        indicators={
            VISIT_ID: {
                "self": {"status": "met"},
                "assessor": {"status": "met", "date": TODAY + timedelta(days=3)},
            }
        },
    )
    assert _met_without_evidence(later) == {(VISIT_ID, ("indicators", VISIT_ID, "self"))}


def test_the_assessor_needs_evidence_for_a_documents_method_too() -> None:
    m = manifest(
        QIM, indicators={DOCS_ID: {"self": {"status": "met"}, "assessor": {"status": "met"}}}
    )
    found = [
        f for f in evidence.findings(indicator_results(QIM, m, TODAY), {}) if f.code == "MQA110"
    ]
    assert {f.loc[-1] for f in found} == {"self", "assessor"}
    assert any("by the assessor" in f.message for f in found)


def test_a_self_assessment_is_its_own_evidence() -> None:
    m = manifest(NQMS, indicators=judged(list(NQMS.indicator_index)))
    assert _met_without_evidence(m, NQMS) == set()


# --- references --------------------------------------------------------------------------------


def test_unknown_ids_in_the_manifest_get_a_did_you_mean() -> None:
    typo = DOCS_ID.replace("-", "_").replace("A0", "A")  # e.g. QIM_SV_A1
    first_event = next(iter(QIM.event_names))
    role = QIM.interviews[0].role
    m = manifest(
        QIM,
        indicators={typo: {"self": {"status": "met"}}},
        dates={first_event[:-1] + first_event[-1] * 2: TODAY},
        interviews=[{"role": role[:-1], "pseudonym": "Mentor A", "indicators": ["NOPE-1"]}],
        visit={"mode": "onsite"},
        service={"sector": "charity"},
    )
    found = list(references.findings(QIM, m))
    by_code = [(f.code, f.message) for f in found]
    assert by_code[0][0] == "MQA101" and f"did you mean '{DOCS_ID}'?" in by_code[0][1]
    assert any(c == "MQA120" and f"did you mean '{first_event}'?" in t for c, t in by_code)
    assert any(c == "MQA120" and f"did you mean '{role}'?" in t for c, t in by_code)
    assert any(c == "MQA101" and "'NOPE-1'" in t for c, t in by_code)
    assert any(c == "MQA120" and "did you mean 'on_site'?" in t for c, t in by_code)
    assert any(c == "MQA120" and "unknown sector 'charity'" in t for c, t in by_code)
    assert all(f.severity == "error" for f in found)
    assert list(references.findings(QIM, manifest(QIM, indicators=judged([DOCS_ID])))) == []


def test_ids_match_case_insensitively_with_dashes_and_underscores_alike() -> None:
    known = list(QIM.indicator_index)
    assert resolve("indicator", DOCS_ID.lower().replace("-", "_"), known) == DOCS_ID
    assert resolve("indicator", f"  {DOCS_ID.lower()} ", known) == DOCS_ID
    typo = DOCS_ID.replace("-", "_").replace("A0", "A")
    with pytest.raises(UsageError, match=f"did you mean '{DOCS_ID}'"):
        resolve("indicator", typo, known)
    # Nothing close: a short list is listed, a long one points to where the ids are.
    assert unknown("mode", "zzz", ["on_site", "remote"]) == (
        "unknown mode 'zzz'; use one of: on_site, remote"
    )
    assert unknown("indicator", "zzz", known, "see the list").endswith("; see the list")
    assert unknown("event", "zzz", []) == "unknown event 'zzz'; none is declared"


# --- plan --------------------------------------------------------------------------------------

RULES = plan.rules_of(NQMS)
REVIEW = date(2026, 5, 5)
EARLIEST = timeline.shift(REVIEW, RULES.earliest)
LATEST = timeline.shift(REVIEW, RULES.latest)


def priorities(count: int, target: date | None = None, **extra: Any) -> list[dict[str, Any]]:
    return [
        {
            "goal": f"Goal {n}",
            "actions": ["Do it"],
            "owner": "Director",
            "target": target or EARLIEST,
            **extra,
        }
        for n in range(1, count + 1)
    ]


def plan_codes(m: Manifest, today: date = TODAY) -> list[str]:
    return codes(list(plan.findings(NQMS, m, timeline.happened(m.dates, today))))


def test_a_plan_may_not_hold_more_priorities_than_allowed() -> None:
    ok = manifest(NQMS, plan={"priorities": priorities(RULES.max_priorities)})
    assert plan_codes(ok) == []
    over = manifest(NQMS, plan={"priorities": priorities(RULES.max_priorities + 1)})
    assert plan_codes(over) == ["MQA130"]
    with pytest.raises(UsageError, match=r"^not saved: .*at most"):
        plan.refuse_breaks(NQMS, over, {})
    progress = plan.progress(NQMS, over, {})
    assert progress is not None
    assert progress.lacks[0] == f"1 priority fewer (the plan allows at most {RULES.max_priorities})"
    two_over = manifest(NQMS, plan={"priorities": priorities(RULES.max_priorities + 2)})
    progress = plan.progress(NQMS, two_over, {})
    assert progress is not None and progress.lacks[0].startswith("2 priorities fewer")


def test_a_plan_agreed_with_too_few_priorities_is_an_error_only_once_agreed() -> None:
    few = {"priorities": priorities(RULES.min_priorities - 1)}
    agreed = manifest(NQMS, plan=few, dates={RULES.agreed_event: TODAY})
    assert plan_codes(agreed) == ["MQA131"]
    scheduled = manifest(NQMS, plan=few, dates={RULES.agreed_event: TODAY + timedelta(days=1)})
    assert plan_codes(scheduled) == []
    assert plan_codes(manifest(NQMS, plan=few)) == []


def test_priority_targets_must_fall_within_the_horizon() -> None:
    dates = {RULES.horizon_from: REVIEW}

    def with_target(day: date) -> Manifest:
        return manifest(NQMS, dates=dates, plan={"priorities": priorities(1, day)})

    assert plan_codes(with_target(LATEST)) == []
    assert plan_codes(with_target(LATEST + timedelta(days=1))) == ["MQA132"]
    # Earlier than the window opens is an ambitious target, not an error.
    assert plan_codes(with_target(REVIEW + timedelta(days=1))) == []
    # Without the event the horizon counts from, there is no horizon to break.
    late = manifest(NQMS, plan={"priorities": priorities(1, LATEST + timedelta(days=400))})
    assert plan_codes(late) == []
    (finding,) = plan.findings(NQMS, with_target(LATEST + timedelta(days=1)), {})
    assert str(LATEST) in finding.message
    assert finding.loc == ("plan", "priorities", 0, "target")


def test_plan_progress_says_what_is_still_lacking() -> None:
    m = manifest(
        NQMS,
        dates={RULES.horizon_from: REVIEW},
        plan={"priorities": [{"goal": "Annual survey", "actions": ["Draft it"]}]},
    )
    progress = plan.progress(NQMS, m, timeline.happened(m.dates, TODAY))
    assert progress is not None
    more = RULES.min_priorities - 1
    assert progress.lacks == (
        f"{more} more priorities (the plan needs {RULES.min_priorities}-{RULES.max_priorities})",
        "priority 1 has no owner or target date",
        "not yet agreed (record it with 'mentorqa plan agree DATE')",
    )
    assert (progress.earliest, progress.latest, progress.agreed) == (EARLIEST, LATEST, False)
    full = manifest(
        NQMS,
        dates={RULES.horizon_from: REVIEW, RULES.agreed_event: REVIEW},
        plan={"priorities": priorities(RULES.min_priorities)},
    )
    done = plan.progress(NQMS, full, timeline.happened(full.dates, TODAY))
    assert done is not None and done.lacks == () and done.agreed


def test_a_framework_without_a_plan_refuses_priorities() -> None:
    assert plan.progress(QIM, manifest(QIM), {}) is None
    with pytest.raises(UsageError, match="no improvement plan"):
        plan.rules_of(QIM)
    m = manifest(QIM, plan={"priorities": [{"goal": "Something"}]})
    assert codes(list(plan.findings(QIM, m, {}))) == ["MQA120"]


# --- timeline ----------------------------------------------------------------------------------


def _milestone(fw: Framework, *, repeat: bool = False, marker: bool = False) -> Any:
    return next(
        ms
        for ms in fw.milestones
        if (ms.repeat is not None) == repeat and (ms.done_when is None) == marker
    )


def test_milestone_states_on_a_given_day() -> None:
    ms = _milestone(QIM)
    start = date(2026, 3, 2)
    due = timeline.shift(start, ms.due)

    def state(dates: dict[str, date], today: date) -> tuple[str, date | None]:
        found = next(r for r in timeline.compute(QIM, dates, today) if r.id == ms.id)
        return found.state, found.due

    assert state({}, due) == ("waiting", None)
    assert state({ms.after: start}, due) == ("upcoming", due)  # due today: not late yet
    assert state({ms.after: start}, due + timedelta(days=1)) == ("overdue", due)
    assert ms.done_when is not None
    assert state({ms.after: start, ms.done_when: due}, due + timedelta(days=1))[0] == "done"
    # Recorded for a day still to come: scheduled, however late the milestone is.
    later = {ms.after: start, ms.done_when: due + timedelta(days=30)}
    assert state(later, due + timedelta(days=10))[0] == "scheduled"
    assert state(later, due + timedelta(days=30))[0] == "done"


def test_a_marker_is_done_once_its_day_has_come() -> None:
    ms = _milestone(QIM, marker=True)
    start = date(2026, 9, 1)
    due = timeline.shift(start, ms.due)
    (before,) = [
        r for r in timeline.compute(QIM, {ms.after: start}, due - timedelta(1)) if r.id == ms.id
    ]
    (on,) = [r for r in timeline.compute(QIM, {ms.after: start}, due) if r.id == ms.id]
    assert (before.state, before.days_left, before.is_marker) == ("upcoming", 1, True)
    assert (on.state, on.days_left) == ("done", 0)


def test_a_repeating_milestone_has_one_occurrence_per_time() -> None:
    ms = _milestone(NQMS, repeat=True)
    assert ms.repeat is not None and ms.done_when is not None
    start = date(2026, 6, 1)
    first = f"{ms.done_when}-1"
    found = [
        r
        for r in timeline.compute(NQMS, {ms.after: start, first: date(2026, 9, 1)}, TODAY)
        if r.id.startswith(f"{ms.id}-")
    ]
    assert len(found) == ms.repeat.times
    # From the first of a month no day is clipped, so each due date is one step after the last.
    assert found[0].due == timeline.shift(start, ms.due)
    for before, after in itertools.pairwise(found):
        assert before.due is not None
        assert after.due == timeline.shift(before.due, ms.repeat.every)
    assert [r.done_when for r in found] == [f"{ms.done_when}-{n + 1}" for n in range(len(found))]
    assert [r.state for r in found] == ["scheduled"] + ["upcoming"] * (len(found) - 1)


def test_happened_leaves_out_days_after_today() -> None:
    dates = {"a": TODAY - timedelta(days=1), "b": TODAY, "c": TODAY + timedelta(days=1)}
    assert timeline.happened(dates, TODAY) == {"a": dates["a"], "b": TODAY}


SPAN = 801  # event dates fall within 400 days either side of today


@settings(max_examples=EXAMPLES, deadline=None, database=None)
@given(
    fw=st.sampled_from([QIM, NQMS]),
    recorded=st.integers(0, 2**40 - 1),
    offsets=st.integers(0, SPAN**40 - 1),
)
def test_a_milestone_is_done_exactly_when_its_event_has_happened(
    fw: Framework, recorded: int, offsets: int
) -> None:
    events = sorted(
        {*fw.event_names}
        | {ms.after for ms in fw.milestones}
        | {r.done_when for r in timeline.compute(fw, {}, TODAY) if r.done_when}
    )
    assert len(events) <= 40
    days = _digits(offsets, (SPAN,) * len(events))
    dates = {
        event: TODAY + timedelta(days=day - SPAN // 2)
        for index, (event, day) in enumerate(zip(events, days, strict=True))
        if recorded >> index & 1
    }
    for r in timeline.compute(fw, dates, TODAY):
        assert r.state in ("done", "scheduled", "overdue", "upcoming", "waiting")
        if r.state == "waiting":
            assert r.after not in dates and r.due is None
        if r.done_when is None:
            continue
        happened_on = dates.get(r.done_when)
        assert (r.state == "done") == (happened_on is not None and happened_on <= TODAY)
        assert (r.state == "scheduled") == (happened_on is not None and happened_on > TODAY)
        if happened_on is None and r.due is not None:
            assert r.state == ("overdue" if r.due < TODAY else "upcoming")


# --- visit -------------------------------------------------------------------------------------


def test_interviews_count_by_role_and_long_ones_are_flagged() -> None:
    req = next(i for i in QIM.interviews if i.max_minutes is not None)
    assert req.max_minutes is not None
    m = manifest(
        QIM,
        interviews=[
            {"role": req.role, "pseudonym": "A", "minutes": req.max_minutes},
            {"role": req.role, "pseudonym": "B", "minutes": req.max_minutes + 1},
        ],
        case_studies=[{"kind": QIM.case_studies[0].kind}],
    )
    progress = visit.interviews(QIM, m)
    mine = next(p for p in progress if p.id == req.role)
    assert (mine.recorded, mine.too_long) == (2, ("B",))
    assert mine.complete == (req.count <= 2)
    assert all(p.recorded == 0 and not p.complete for p in progress if p.id != req.role)
    cases = visit.case_studies(QIM, m)
    assert [c.recorded for c in cases] == [1] + [0] * (len(cases) - 1)
    (finding,) = visit.findings(QIM, m, progress)
    assert finding.code == "MQA203" and finding.severity == "warning" and "'B'" in finding.message


def test_a_real_name_without_consent_is_a_warning() -> None:
    role = QIM.interviews[0].role
    named = [{"role": role, "pseudonym": "Mentor A", "name": "Jo Bloggs"}]
    m = manifest(QIM, interviews=named)
    (finding,) = visit.findings(QIM, m, visit.interviews(QIM, m))
    assert (finding.code, finding.severity, finding.loc) == (
        "MQA204",
        "warning",
        ("interviews", 0, "name"),
    )
    assert "Jo Bloggs" not in finding.message
    consented = manifest(QIM, interviews=named, privacy={"names_consent": True})
    assert list(visit.findings(QIM, consented, visit.interviews(QIM, consented))) == []


# --- costs -------------------------------------------------------------------------------------


def test_every_fee_band_applies_from_its_lower_bound() -> None:
    for band in QIM.fees.bands:
        for turnover in (band.turnover_from, (band.turnover_below or 1e9) - 0.01):
            q = costs.quote(QIM, turnover)
            assert q.band == band
            assert q.total == band.registration + band.assessment
            assert not q.free


def test_membership_years_and_free_frameworks() -> None:
    membership = QIM.fees.membership
    assert membership is not None and membership.years is not None
    turnover = 120_000.0
    q = costs.quote(QIM, turnover)
    assert len(q.years) == membership.years
    assert membership.included_years >= 1
    assert q.years[0].total == q.total  # the first year's membership is included in the fees
    sector = next(iter(membership.sectors))
    yearly = next(
        b.amounts[sector]
        for b in membership.bands
        if b.turnover_from <= turnover and (b.turnover_below is None or turnover < b.turnover_below)
    )
    assert [y.total for y in q.years[membership.included_years :]] == [yearly] * (
        membership.years - membership.included_years
    )
    with pytest.raises(UsageError, match="unknown sector"):
        costs.quote(QIM, turnover, "charity")
    with pytest.raises(UsageError, match="--turnover"):
        costs.quote(QIM, None)
    free = costs.quote(NQMS, None)
    assert free.free and free.total == 0 and free.years == ()


# --- findings, verdicts and exit codes -------------------------------------------------------


def test_every_code_has_a_severity_and_warnings_are_the_2xx_codes() -> None:
    for code, (severity, title) in CODES.items():
        assert Finding(code, "x").severity == severity
        assert title
        assert (severity == "warning") == code.startswith("MQA2")


def test_warnings_fail_a_verdict_only_when_strict() -> None:
    m = manifest(QIM, indicators={DOCS_ID: {"evidence": [doc("evidence/a.pdf")]}})
    result = assess(QIM, m, TODAY, files={"evidence/a.pdf": "changed"})
    lenient, strict = verdict(result), verdict(result, strict=True)
    assert codes(lenient.warnings) == ["MQA201"] and lenient.errors == []
    assert (lenient.ok, lenient.exit_code) == (True, ExitCode.OK)
    assert (strict.ok, strict.exit_code) == (False, ExitCode.NOT_HOLDING)
    assert lenient.to_dict()["warnings"][0]["code"] == "MQA201"


def test_a_level_asked_for_and_not_reached_fails_the_verdict() -> None:
    every = list(NQMS.indicator_index)
    recorded = {
        "indicators": judged(every),
        "plan": {"priorities": priorities(RULES.min_priorities)},
    }
    m = manifest(NQMS, **recorded, dates=dict.fromkeys(NQMS_STEPS[:-1], TODAY))
    result = assess(NQMS, m, TODAY)
    assert verdict(result).ok
    asked = verdict(result, level=DEDICATED)
    assert codes(asked.errors) == ["MQA140"] and asked.exit_code == ExitCode.NOT_HOLDING
    assert NQMS_STEPS[-1] in asked.errors[0].message
    assert f"{len(every)} of {len(every)} answered" in asked.errors[0].message
    assert Status(result, DEDICATED).exit_code == ExitCode.NOT_HOLDING
    assert Status(result).exit_code == ExitCode.OK
    all_steps = manifest(NQMS, **recorded, dates=dict.fromkeys(NQMS_STEPS, TODAY))
    reached = assess(NQMS, all_steps, TODAY)
    assert verdict(reached, level=EXPERT).ok
