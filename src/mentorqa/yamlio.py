"""Reading YAML safely, and pointing at the line and column of a problem.

Reads use ruamel.yaml's safe loader (no Python objects are ever built from tags). Only when a
problem must be located, or a file rewritten, is the slower round-trip parser used: it keeps the
line and column of every key and item, and the comments a user wrote.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .errors import MentorqaError, Problem

M = TypeVar("M", bound=BaseModel)


def read_text(path: Path) -> str:
    """Read a UTF-8 text file, turning OS and decoding errors into a user-facing error."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MentorqaError(Problem("file not found", path)) from None
    except IsADirectoryError:
        raise MentorqaError(Problem("is a folder, not a file", path)) from None
    except UnicodeDecodeError as exc:
        raise MentorqaError(
            Problem(f"is not UTF-8 text (byte {exc.start}); save it as UTF-8", path)
        ) from None
    except OSError as exc:
        raise MentorqaError(Problem(f"cannot be read: {exc.strerror}", path)) from None


def _syntax_problem(exc: YAMLError, path: Path) -> Problem:
    if isinstance(exc, MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}: {what}"
        what = " ".join(what.split())
        return Problem(
            f"YAML syntax error: {what}; fix the YAML at this place",
            path,
            mark.line + 1,
            mark.column + 1,
        )
    return Problem(f"YAML syntax error: {exc}", path)


def load_safe(text: str, path: Path) -> Any:
    """Parse YAML into plain Python data, safely and quickly."""
    yaml = YAML(typ="safe", pure=True)
    try:
        return yaml.load(text)
    except YAMLError as exc:
        raise MentorqaError(_syntax_problem(exc, path)) from None


def roundtrip_yaml() -> YAML:
    """A YAML instance that keeps comments, key order and quoting when a file is rewritten."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load_roundtrip(text: str, path: Path) -> Any:
    """Parse YAML keeping comments and positions (for rewriting and for locating problems)."""
    try:
        return roundtrip_yaml().load(text)
    except YAMLError as exc:
        raise MentorqaError(_syntax_problem(exc, path)) from None


def dump_roundtrip(data: Any) -> str:
    stream = io.StringIO()
    roundtrip_yaml().dump(data, stream)
    return stream.getvalue()


def locate(root: Any, loc: Sequence[str | int]) -> tuple[int, int] | None:
    """Line and column (from 1) of the deepest node of ``loc`` found in round-trip data.

    Entries of ``loc`` that are not keys or indexes (pydantic adds type names for unions) are
    skipped. A key is located at the key itself, so a wrong value points at its key.
    """
    node = root
    found: tuple[int, int] | None = None
    if isinstance(node, (CommentedMap, CommentedSeq)):
        found = (node.lc.line + 1, node.lc.col + 1)
    for part in loc:
        if isinstance(node, CommentedMap):
            key = _match_key(node, part)
            if key is None:
                continue
            line, col = node.lc.key(key)
            found = (line + 1, col + 1)
            node = node[key]
        elif isinstance(node, CommentedSeq):
            if isinstance(part, int) and 0 <= part < len(node):
                line, col = node.lc.item(part)
                found = (line + 1, col + 1)
                node = node[part]
            elif isinstance(part, str) and part.isdigit() and int(part) < len(node):
                line, col = node.lc.item(int(part))
                found = (line + 1, col + 1)
                node = node[int(part)]
        else:
            break
    return found


def _match_key(mapping: CommentedMap, part: str | int) -> Any:
    if part in mapping:
        return part
    for key in mapping:
        if str(key) == str(part):
            return key
    return None


def _friendly(error: Any) -> str:
    kind = error["type"]
    loc = [p for p in error["loc"] if isinstance(p, (str, int))]
    field = next((p for p in reversed(loc) if isinstance(p, str)), None)
    if kind == "extra_forbidden":
        return f"unknown key '{field}'; check its spelling or remove it"
    if kind == "missing":
        return f"missing required key '{field}'"
    message: str = error["msg"]
    message = message.removeprefix("Value error, ")
    name = f"'{field}': " if field is not None else ""
    if "input" in error and kind not in ("model_type", "dict_type"):
        shown = repr(error["input"])
        if len(shown) <= 40:
            return f"{name}{message} (found {shown})"
    return f"{name}{message}"


def _error_loc(error: Any) -> list[str | int]:
    loc = [p for p in error["loc"] if isinstance(p, (str, int))]
    if error["type"] == "missing" and loc:
        loc = loc[:-1]  # point at the mapping that lacks the key
    return loc


def validation_problems(exc: ValidationError, text: str, path: Path) -> list[Problem]:
    """One located problem per pydantic error."""
    root = load_roundtrip(text, path)
    problems = []
    for error in exc.errors():
        where = locate(root, _error_loc(error))
        line, col = where if where else (None, None)
        problems.append(Problem(_friendly(error), path, line, col))
    return problems


def validate(model: type[M], data: Any, text: str, path: Path) -> M:
    """Validate parsed data against ``model``; every problem is reported with its place."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise MentorqaError(validation_problems(exc, text, path)) from None
