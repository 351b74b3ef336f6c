"""The schema of the two kinds of file mentorqa reads: pydantic models that validate a framework
file and a workspace manifest, field by field, with located messages.

They are the one definition of each model. The objects the rest of mentorqa works with are plain
frozen dataclasses generated from them (``frameworks/model.py`` and ``manifest.py``, written by
``python -m mentorqa.spec.generate``), so that a command whose files are already validated and
cached never imports pydantic or builds its models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..frameworks.model import Framework
    from ..manifest import Manifest


def manifest_from(data: dict[str, Any]) -> Manifest:
    """A manifest from plain data (as ``mentorqa.yaml`` holds it), validated; pydantic's
    ``ValidationError`` where it is not valid."""
    from ..manifest import decode
    from .manifest import Manifest as Schema

    return decode(Schema.model_validate(data).model_dump(mode="json", by_alias=True))


def framework_from(data: dict[str, Any]) -> Framework:
    """A framework from plain data (as a framework file holds it), validated field by field
    (the cross-checks of ``frameworks validate`` are not run)."""
    from ..frameworks.model import decode
    from .framework import Framework as Schema

    return decode(Schema.model_validate(data).model_dump(mode="json", by_alias=True))
