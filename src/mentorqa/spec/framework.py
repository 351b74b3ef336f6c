"""The framework schema: what a framework YAML file may say, checked field by field.

Every model forbids unknown keys and is frozen once loaded. Cross-references between parts
(an indicator's level, a milestone's event, declared totals, fee bands) are checked in
``validate.py`` so that every problem can be reported with its place in the file.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

SCHEMA_VERSION = 1

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64),
    Field(description="A short id: letters, digits, '.', '_' or '-'."),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Money = Annotated[float, Field(ge=0, allow_inf_nan=False)]

StatusId = Literal["met", "partly-met", "not-met", "not-applicable"]
EvidenceKind = Literal["document", "interview", "case_study", "visit"]
VisitMode = Literal["on_site", "remote"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Offset(_Model):
    """A calendar distance: months and years are calendar months, not 30-day blocks."""

    # Bounded at a century: no award's deadline is further off, and dates beyond it overflow.
    years: int = Field(0, ge=0, le=100)
    months: int = Field(0, ge=0, le=1200)
    weeks: int = Field(0, ge=0, le=5200)
    days: int = Field(0, ge=0, le=36500)

    @model_validator(mode="after")
    def _not_empty(self) -> Offset:
        if not (self.years or self.months or self.weeks or self.days):
            raise ValueError("give at least one of years, months, weeks or days")
        return self


class LevelRule(_Model):
    """How a level is earned, counted over the indicators of this level and every level below."""

    counts: Literal["met", "answered"] = Field(
        "met",
        description="'met': an indicator counts when judged met (or not applicable where "
        "allowed); 'answered': when it has any judgement at all.",
    )
    share: float = Field(1.0, gt=0, le=1, description="Share of the indicators that must count.")
    events: tuple[Id, ...] = Field(
        (), description="Process steps (event ids) that must also be recorded."
    )


class Level(_Model):
    """A level of recognition. Levels are listed lowest first; each includes those below."""

    id: Id
    name: Text
    description: str = ""
    rule: LevelRule = LevelRule()
    granted_by: tuple[Id, ...] = Field(
        (),
        description="Events that grant (or renew) the level, e.g. the award date; the latest "
        "one recorded starts its validity.",
    )
    valid_for: Offset | None = Field(
        None, description="How long the level lasts from the event that grants it; then it lapses."
    )


class EvidenceMethod(_Model):
    """How indicators are assessed, and which kinds of recorded evidence satisfy it."""

    id: Id
    name: Text
    description: str = ""
    accepts: tuple[EvidenceKind, ...] = ("document",)
    evidence_required: bool = Field(
        True,
        description="False where the service's own answer is the evidence (a self-assessment).",
    )
    assessor_judgement_is_evidence: bool = Field(
        False, description="True where an assessor judges in person (a visit or an interview)."
    )


class Indicator(_Model):
    """One checkable practice."""

    id: Id
    title: Text
    requires: Text = Field(description="What is required, in one or two plain sentences.")
    level: Id
    method: Id | None = Field(None, description="Evidence method, if not the area's.")
    evidence: tuple[Text, ...] = Field((), description="Typical evidence a service would show.")
    not_applicable: bool = Field(False, description="May be judged not applicable.")
    valid_for: Offset | None = Field(
        None,
        description="How long a document recorded for it stays valid, counted from the day it "
        "was recorded (a yearly insurance certificate: {years: 1}); 'evidence add "
        "--valid-until' overrides it for one file.",
    )
    replaces: tuple[Id, ...] = Field(
        (),
        description="Ids this indicator had in an earlier version of the framework: 'mentorqa "
        "migrate' moves their records here.",
    )
    upcoming: date | None = Field(
        None,
        description="A new indicator, shown from now on but counted towards levels only from "
        "this date.",
    )


class Section(_Model):
    """An optional grouping of practice areas (NQMS: management, operations, evaluation)."""

    id: Id
    name: Text
    description: str = ""


class PracticeArea(_Model):
    id: Id
    name: Text
    description: str = ""
    section: Id | None = None
    method: Id = Field(description="Default evidence method of the area's indicators.")
    indicators: tuple[Indicator, ...]


class Status(_Model):
    id: StatusId
    label: Text


class Rating(_Model):
    """An optional quality rating given beside a status (NQMS: implementation quality 1-5)."""

    name: Text
    min: int
    max: int
    labels: dict[int, str] = {}

    @model_validator(mode="after")
    def _ordered(self) -> Rating:
        if self.min >= self.max:
            raise ValueError("rating 'min' must be below 'max'")
        return self


class JudgementScale(_Model):
    statuses: tuple[Status, ...]
    rating: Rating | None = None


class FeeBand(_Model):
    """Fees for organisations whose turnover is at least ``turnover_from`` and below
    ``turnover_below`` (no upper bound when ``turnover_below`` is absent)."""

    id: Id
    name: Text
    turnover_from: Money
    turnover_below: Money | None = None
    registration: Money
    assessment: Money


class MembershipBand(_Model):
    turnover_from: Money
    turnover_below: Money | None = None
    amounts: dict[Id, Money] = Field(description="Yearly fee by sector id.")


class Membership(_Model):
    """A yearly membership that the award requires, for the ``--years`` view of cost."""

    name: Text
    included_years: int = Field(0, ge=0, description="Years included in the award fee.")
    years: int | None = Field(
        None, ge=1, description="Years of membership the award needs (its validity)."
    )
    sectors: dict[Id, Text] = Field(description="Sector id -> plain name.")
    bands: tuple[MembershipBand, ...]
    notes: tuple[Text, ...] = ()


class Fees(_Model):
    public: bool = Field(
        True,
        description="False when the fees are not published: the cost is then unknown, "
        "not nothing (a framework with no bands and public fees costs nothing).",
    )
    basis: Text = "annual organisation turnover"
    bands: tuple[FeeBand, ...] = ()
    sector_bands: dict[Id, Id] = Field(
        default_factory=dict,
        description="Sector id -> the fee band it is in whatever its turnover (e.g. a "
        "public-sector body is Large); the same band's membership rate applies.",
    )
    membership: Membership | None = None
    notes: tuple[Text, ...] = ()


class Criterion(_Model):
    id: Id
    question: Text = Field(description="A plain yes/no question; 'yes' means the criterion holds.")
    help: str = ""


class Eligibility(_Model):
    criteria: tuple[Criterion, ...] = ()
    if_not_eligible: str = Field("", description="What the owner suggests when a criterion fails.")
    regions: str = ""


class Event(_Model):
    """A dated step of the process that the workspace records (registration, visit, ...)."""

    id: Id
    name: Text
    description: str = ""


class Repeat(_Model):
    every: Offset
    times: int = Field(ge=1, le=100)


class Milestone(_Model):
    """A date computed from a recorded event: due ``due`` after ``after``."""

    id: Id
    title: Text
    after: Id = Field(description="The event it counts from.")
    due: Offset
    earliest: Offset | None = Field(None, description="Start of a window, e.g. 6 of '6-8 weeks'.")
    done_when: Id | None = Field(
        None, description="The event that completes it; without one it is a date marker."
    )
    owner: Literal["service", "body"] = Field(
        "service",
        description="Whose deadline it is: the service's own, or one the awarding body owes the "
        "service (never a failure of the service's).",
    )
    repeat: Repeat | None = None
    cycle: Id | None = Field(
        None, description="Only for workspaces in this cycle (none: for every cycle)."
    )
    description: str = ""


class Cycle(_Model):
    """One kind of assessment round (QiM: the first award, or a reaccreditation): which event
    starts it, and so which milestones count for a workspace in it."""

    id: Id
    name: Text
    start_event: Id = Field(description="The event that starts the round ('init --start').")
    at_years: tuple[int, ...] = Field((), description="Years after the first award it falls in.")
    counts: dict[Id, int] = Field(
        default_factory=dict,
        description="Evidence method id -> how many indicators the round evidences that way.",
    )
    interviews: dict[Id, int] = Field(
        default_factory=dict, description="Interview role -> how many the round normally has."
    )
    description: str = ""


class Step(_Model):
    title: Text
    event: Id | None = None


class InterviewRequirement(_Model):
    role: Id
    name: Text
    count: int = Field(ge=1)
    max_minutes: int | None = Field(None, ge=1)
    description: str = ""


class CaseStudyRequirement(_Model):
    kind: Id
    name: Text
    count: int = Field(1, ge=1)
    description: str = ""


class Visit(_Model):
    name: Text
    modes: tuple[VisitMode, ...] = ("on_site",)
    event: Id | None = Field(None, description="The event that records the visit's date.")
    min_hours: float | None = Field(None, gt=0)
    max_hours: float | None = Field(None, gt=0)
    description: str = ""


class ReportKind(_Model):
    id: Id
    title: Text
    template: Text = Field(description="File name in templates/.")
    charts: tuple[Literal["area_progress", "timeline", "quality"], ...] = Field(
        (), description="Charts the HTML and PDF versions show under the title."
    )
    description: str = ""


class PlanRules(_Model):
    """An improvement plan's rules (NQMS: 3-5 priorities, targets 6-24 months ahead)."""

    name: Text
    min_priorities: int = Field(ge=0)
    max_priorities: int = Field(ge=1)
    horizon_from: Id = Field(description="The event target dates count from.")
    earliest: Offset
    latest: Offset
    agreed_event: Id = Field(description="The event that records the plan as agreed.")
    description: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> PlanRules:
        if self.min_priorities > self.max_priorities:
            raise ValueError("'min_priorities' must not exceed 'max_priorities'")
        return self


class Statement(_Model):
    title: Text
    signer: Text
    confirms: tuple[Text, ...]
    event: Id = Field(description="The event that records the signature.")


class DeclaredTotal(_Model):
    """A published count that validation cross-checks against the indicators."""

    count: int = Field(ge=0)
    level: Id | None = None
    method: Id | None = None
    section: Id | None = None
    area: Id | None = None
    description: str = ""


class Framework(_Model):
    mentorqa_framework: Literal[1] = Field(description="Schema version of this file.")
    id: Id
    name: Text
    owner: Text
    version: Text
    region: str = ""
    url: str = ""
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    currency_symbol: str = ""
    summary: str = ""
    locale: Literal["en-GB", "en-US"] = Field(
        "en-GB",
        description="The spelling and language the framework's text is in (its owner's "
        "country); reports are marked with it.",
    )
    wording: Literal["official", "model"] = Field(
        "official",
        description="'model' where the indicator wording is not the owner's official text but "
        "a model of it (reports say so); 'official' where it is the owner's own list.",
    )
    notes: tuple[Text, ...] = ()
    confidentiality: str = ""
    benefits: tuple[Text, ...] = ()
    levels: tuple[Level, ...] = Field(min_length=1)
    evidence_methods: tuple[EvidenceMethod, ...] = Field(min_length=1)
    sections: tuple[Section, ...] = ()
    practice_areas: tuple[PracticeArea, ...] = Field(min_length=1)
    judgement: JudgementScale
    fees: Fees = Fees()
    eligibility: Eligibility = Eligibility()
    events: tuple[Event, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    cycles: tuple[Cycle, ...] = Field(
        (),
        description="Assessment rounds, the first being the default (e.g. first award, "
        "reaccreditation).",
    )
    steps: tuple[Step, ...] = ()
    interviews: tuple[InterviewRequirement, ...] = ()
    case_studies: tuple[CaseStudyRequirement, ...] = ()
    visit: Visit | None = None
    reports: tuple[ReportKind, ...] = ()
    plan: PlanRules | None = None
    statement: Statement | None = None
    totals: tuple[DeclaredTotal, ...] = ()
    reminder_before: Offset = Field(
        Offset(weeks=2),
        description="How long before each of the service's deadlines the calendar "
        "('timeline --ics') reminds (mentorqa's default: 2 weeks).",
    )
    expiry_warning: Offset = Field(
        Offset(days=60),
        description="How long before a document's validity ends 'check' and 'status' warn "
        "(mentorqa's default: 60 days).",
    )
