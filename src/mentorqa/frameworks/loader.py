"""Loading a framework file: parse safely, validate, cross-check, and cache the result."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .. import __version__
from ..errors import FrameworkError, MentorqaError
from ..store.files import cache_dir, keep_cached
from ..store.text import read_text
from . import model
from .model import Framework

_MEMORY: dict[str, Framework] = {}
# The bundled frameworks ship validated, one JSON file each (written with the plain models by
# 'python -m mentorqa.spec.generate'): a first run on a new machine, such as CI on a fresh
# clone, decodes them as it would a cache entry. A file whose text differs by a byte (edited,
# or another mentorqa's) has another key and is validated as any other.
SHIPPED = Path(__file__).parent / "validated"


def parse_framework(text: str, path: Path) -> Framework:
    """Validate framework text; raise :class:`FrameworkError` listing every problem."""
    return _validated(text, path)[0]


def _validated(text: str, path: Path) -> tuple[Framework, str]:
    """The framework and its validated JSON dump (what the cache keeps)."""
    from ..spec.framework import Framework as Schema
    from ..store.yamlio import parse_document, validate
    from .validate import check

    try:
        document = parse_document(text, path)
        checked = validate(Schema, document, "a framework file")
    except MentorqaError as exc:
        raise FrameworkError(exc.problems) from None
    dumped = checked.model_dump_json(by_alias=True)
    framework = model.decode(json.loads(dumped))
    findings = check(framework)
    if findings:
        raise FrameworkError([document.problem(f.message, f.loc) for f in findings])
    return framework, dumped


def load_framework(path: Path) -> Framework:
    """Load and validate a framework file, reusing an earlier result for identical content.

    Parsing and validating a framework is the slow part of a command, so a validated framework
    is kept as JSON in the user's cache folder, keyed by the file's content and mentorqa's
    version; a later run decodes it into the plain model without YAML or pydantic.
    """
    text = read_text(path)
    key = _key(text)
    if key in _MEMORY:
        return _MEMORY[key]
    cache = cache_dir("frameworks")
    cached = cache / f"{key}.json" if cache else None
    if cached is not None and cached.is_file():
        try:
            framework = model.decode(json.loads(cached.read_bytes()))
        except (OSError, ValueError, KeyError, TypeError):
            framework = None  # a stale or broken cache entry: parse afresh below
        if framework is not None:
            _MEMORY[key] = framework
            return framework
    framework = _shipped(path, key)
    if framework is not None:
        _MEMORY[key] = framework
        return framework
    framework, dumped = _validated(text, path)
    _MEMORY[key] = framework
    if cached is not None:
        keep_cached(cached, dumped)
    return framework


def _key(text: str) -> str:
    """What a validated framework is kept under: its text and mentorqa's version."""
    return hashlib.sha256(f"{__version__}\0{text}".encode()).hexdigest()


def _shipped(path: Path, key: str) -> Framework | None:
    """The validated framework shipped for exactly this text, if there is one."""
    try:
        entry = json.loads((SHIPPED / f"{path.stem}.json").read_bytes())
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        return model.decode(entry["framework"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def shipped_entry(path: Path) -> str:
    """The text of the validated file shipped for the framework file at ``path``."""
    text = read_text(path)
    dumped = _validated(text, path)[1]
    entry = {"key": _key(text), "source": path.name, "framework": json.loads(dumped)}
    return json.dumps(entry, indent=1, ensure_ascii=False) + "\n"
