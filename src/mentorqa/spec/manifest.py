"""What ``mentorqa.yaml`` may hold: the manifest of one service, checked field by field."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ..layout import EVIDENCE_TABLE, MANIFEST_VERSION
from ..values import LARGEST_AMOUNT, known_layout, no_control, plausible


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Service(_Model):
    name: str = Field(min_length=1)
    organisation: str = ""
    turnover: float | None = Field(
        None,
        ge=0,
        le=LARGEST_AMOUNT,
        allow_inf_nan=False,
        description="Annual turnover of the whole organisation.",
    )
    sector: str | None = Field(None, description="For membership fees, e.g. not_for_profit.")


class Privacy(_Model):
    names_consent: bool = Field(
        False,
        description="True only when everyone whose real name is recorded has agreed to be named "
        "in reports. Otherwise reports show roles and pseudonyms only.",
    )


FilePath = Annotated[str, AfterValidator(no_control)]

Day = Annotated[dt.date, AfterValidator(plausible)]


class Judgement(_Model):
    status: str
    rating: int | None = Field(None, ge=-1000, le=1000)
    note: str = ""
    date: Day | None = None


def _facts_elsewhere(schema: dict[str, Any]) -> None:
    """In ``mentorqa.yaml`` an entry names its file; mentorqa keeps the checksum, size and day
    in ``mentorqa.evidence.tsv`` (an entry written by version 1 may still carry them)."""
    schema["required"] = ["file"]


class EvidenceFile(_Model):
    model_config = ConfigDict(json_schema_extra=_facts_elsewhere)

    file: FilePath = Field(description="Path relative to the workspace folder.")
    sha256: str = Field(
        description=f"Written by mentorqa in {EVIDENCE_TABLE} (version 1 wrote it here)."
    )
    size: int = Field(ge=0, description=f"Written by mentorqa in {EVIDENCE_TABLE}.")
    recorded: Day = Field(description=f"Written by mentorqa in {EVIDENCE_TABLE}.")
    valid_until: Day | None = Field(
        None, description="The last day the document is valid (an insurance certificate)."
    )
    note: str = ""


class IndicatorRecord(_Model):
    self_: Judgement | None = Field(None, alias="self", description="The service's judgement.")
    assessor: Judgement | None = None
    evidence: tuple[EvidenceFile, ...] = ()


class Interview(_Model):
    role: str
    pseudonym: str = Field(min_length=1, description="Never a real name, e.g. 'Mentor A'.")
    name: str = Field("", description="Real name: shown in reports only with names_consent.")
    date: Day | None = None
    minutes: int | None = Field(None, ge=1)
    indicators: tuple[str, ...] = ()
    note: str = ""


class CaseStudy(_Model):
    kind: str
    title: str = ""
    file: FilePath = ""
    indicators: tuple[str, ...] = ()
    note: str = ""


class Visit(_Model):
    mode: str = "on_site"
    assessor: str = Field("", description="The named assessor (shown on the assessor's report).")


class AreaNotes(_Model):
    strengths: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()


class Priority(_Model):
    area: str = ""
    goal: str = Field(min_length=1)
    actions: tuple[str, ...] = ()
    owner: str = ""
    target: Day | None = None


class Plan(_Model):
    strengths: tuple[str, ...] = ()
    improvements: tuple[str, ...] = ()
    priorities: tuple[Priority, ...] = ()


class PlanVersion(Plan):
    """An earlier version of the plan, kept when it was revised (NQMS: the mini-review)."""

    version: int = Field(ge=1)
    revised: Day = Field(description="When this version was replaced by a revision.")
    agreed: Day | None = Field(None, description="When this version had been agreed.")


class ProgramChange(_Model):
    """A significant change to the service or program, in its dated log."""

    date: Day
    text: str = Field(min_length=1)


class Signature(_Model):
    name: str = ""
    role: str = ""


class Manifest(_Model):
    """Everything one service records: the contents of ``mentorqa.yaml``."""

    mentorqa: Annotated[int, AfterValidator(known_layout)] = Field(
        MANIFEST_VERSION,
        description=f"Version of this file's layout: 1, or {MANIFEST_VERSION}, where the "
        f"evidence checksums are kept in {EVIDENCE_TABLE}.",
    )
    framework: str = Field(description="Framework id, e.g. qim, nqms, qib or aps.")
    framework_version: str = ""
    cycle: str | None = Field(
        None, description="The assessment round (e.g. reaccreditation); none: the first."
    )
    service: Service
    privacy: Privacy = Privacy()
    dates: dict[str, Day] = Field(
        default_factory=dict, description="Event id -> the date it happened."
    )
    eligibility: dict[str, bool] = Field(default_factory=dict)
    indicators: dict[str, IndicatorRecord] = Field(default_factory=dict)
    interviews: tuple[Interview, ...] = ()
    case_studies: tuple[CaseStudy, ...] = ()
    visit: Visit = Visit()
    areas: dict[str, AreaNotes] = Field(
        default_factory=dict, description="Practice area id -> strengths and suggestions."
    )
    plan: Plan = Plan()
    plan_history: tuple[PlanVersion, ...] = Field(
        (), description="Earlier versions of the plan, oldest first."
    )
    changes: tuple[ProgramChange, ...] = Field(
        (), description="A dated log of significant changes to the service or program."
    )
    statement: Signature = Signature()
    retired: dict[str, IndicatorRecord] = Field(
        default_factory=dict,
        description="Records of indicators an earlier framework version had and the current "
        "one dropped ('mentorqa migrate' keeps them here; a later migrate may restore them).",
    )


def json_schema() -> dict[str, Any]:
    """The JSON Schema of ``mentorqa.yaml``, for editors that validate YAML."""
    document = Manifest.model_json_schema(by_alias=True)
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "mentorqa workspace manifest (mentorqa.yaml)"
    return document
