"""Loading a framework file: parse safely, validate, cross-check, and cache the result."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from pydantic import ValidationError

from .. import __version__
from ..errors import FrameworkError, MentorqaError
from ..store.yamlio import parse_document, read_text, validate
from .model import Framework
from .validate import check

_MEMORY: dict[str, Framework] = {}


def _cache_dir() -> Path | None:
    if os.environ.get("MENTORQA_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mentorqa" / "frameworks"


def parse_framework(text: str, path: Path) -> Framework:
    """Validate framework text; raise :class:`FrameworkError` listing every problem."""
    try:
        document = parse_document(text, path)
        framework = validate(Framework, document, "a framework file")
    except MentorqaError as exc:
        raise FrameworkError(exc.problems) from None
    findings = check(framework)
    if findings:
        raise FrameworkError([document.problem(f.message, f.loc) for f in findings])
    return framework


def load_framework(path: Path) -> Framework:
    """Load and validate a framework file, reusing an earlier result for identical content.

    Parsing YAML in pure Python is the slow part of every command, so a validated framework is
    kept as JSON in the user's cache folder, keyed by the file's content and mentorqa's version.
    """
    text = read_text(path)
    key = hashlib.sha256(f"{__version__}\0{text}".encode()).hexdigest()
    if key in _MEMORY:
        return _MEMORY[key]
    cache = _cache_dir()
    cached = cache / f"{key}.json" if cache else None
    if cached is not None and cached.is_file():
        try:
            framework = Framework.model_validate_json(cached.read_bytes())
        except (OSError, ValidationError):
            framework = None  # a stale or broken cache entry: parse afresh below
        if framework is not None:
            _MEMORY[key] = framework
            return framework
    framework = parse_framework(text, path)
    _MEMORY[key] = framework
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            temp = cached.with_suffix(f".{os.getpid()}.tmp")
            temp.write_text(framework.model_dump_json(), encoding="utf-8")
            os.replace(temp, cached)
        except OSError:
            pass  # a read-only home is fine: the cache only saves time
    return framework
