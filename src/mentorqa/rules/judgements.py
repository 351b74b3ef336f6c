"""Statuses and ratings: what a framework allows, checked when marking and by ``check``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..errors import UsageError, resolve
from ..frameworks.model import Framework
from ..manifest import Judgement
from .findings import Finding
from .indicators import IndicatorResult

WHO = {"self": "service's", "assessor": "assessor's"}


def resolve_status(framework: Framework, status: str) -> str:
    """The status id ``status`` names, by id or by the framework's label ('In practice')."""
    by_label = {label.casefold(): sid for sid, label in framework.status_labels.items()}
    found = by_label.get(" ".join(status.split()).casefold())
    return found or resolve("status", status, framework.status_labels)


def allowed(framework: Framework, ind_id: str, status: str, rating: int | None) -> None:
    """Refuse a judgement the framework does not allow (a usage error)."""
    _, indicator = framework.indicator_index[ind_id]
    if status == "not-applicable" and not indicator.not_applicable:
        raise UsageError(f"{ind_id} must be met; {framework.id} does not allow not-applicable here")
    scale = framework.judgement.rating
    if rating is not None:
        if scale is None:
            raise UsageError(f"{framework.id} has no rating scale; leave out --rating")
        if not scale.min <= rating <= scale.max:
            raise UsageError(
                f"the rating must be {scale.min} to {scale.max} ({scale.name.lower()})"
            )


def findings(framework: Framework, results: Sequence[IndicatorResult]) -> Iterator[Finding]:
    """Statuses and ratings recorded by hand that the framework does not allow."""
    for r in results:
        for key, judgement in (("self", r.service), ("assessor", r.assessor)):
            if judgement is not None:
                yield from _judgement(framework, r, key, judgement)


def _judgement(
    framework: Framework, r: IndicatorResult, key: str, judgement: Judgement
) -> Iterator[Finding]:
    statuses = framework.status_labels
    rating = framework.judgement.rating
    loc = ("indicators", r.id, key)
    who = WHO[key]
    if judgement.status not in statuses:
        yield Finding(
            "MQA102",
            f"the {who} status '{judgement.status}' is not allowed by {framework.id}; "
            f"use one of: {', '.join(statuses)}",
            r.id,
            loc=(*loc, "status"),
        )
    elif judgement.status == "not-applicable" and not r.indicator.not_applicable:
        yield Finding(
            "MQA103",
            f"the {who} judgement is not-applicable, but this indicator must be met",
            r.id,
            loc=(*loc, "status"),
        )
    if judgement.rating is None:
        return
    if rating is None:
        yield Finding(
            "MQA104", f"{framework.id} has no rating scale; remove the rating", r.id, loc=loc
        )
    elif not rating.min <= judgement.rating <= rating.max:
        yield Finding(
            "MQA104",
            f"the {who} rating {judgement.rating} is outside {rating.name.lower()} "
            f"{rating.min}-{rating.max}",
            r.id,
            loc=(*loc, "rating"),
        )
