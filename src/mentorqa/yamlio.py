"""Reading YAML safely, and pointing at the line and column of a problem.

Reads use the fastest safe loader available: libyaml's C parser through PyYAML, with the
YAML 1.2 core schema that ruamel.yaml uses (so ``no`` stays a string and ``010`` is ten), and
duplicate keys refused. Without libyaml, or when the fast reader finds any problem, ruamel.yaml's
pure-Python safe loader reads the text, so every message comes from one place. No Python object
is ever built from a tag. Only when a problem must be located, or a file rewritten, is the slower
round-trip parser used: it keeps the line and column of every key and item, and the comments a
user wrote.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .errors import MentorqaError, Problem

M = TypeVar("M", bound=BaseModel)


def read_text(path: Path, *, newline: str | None = None) -> str:
    """Read a UTF-8 text file, turning OS and decoding errors into a user-facing error.

    Line endings become ``\n`` unless ``newline=""`` asks for them as they are in the file.
    """
    try:
        with open(path, encoding="utf-8", newline=newline) as handle:
            return handle.read()
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
    fast = _fast_loader()
    # Tags are where the two readers differ at the edges ('!' alone, unknown tags): a document
    # that might hold one is read by the reference reader only. A manifest normally has none.
    if fast is not None and not _TAG_LIKE.search(text):
        try:
            return fast(text)
        except Exception:  # any doubt: ruamel.yaml reads it again and explains the problem
            pass
    return load_safe_pure(text, path)


def load_safe_pure(text: str, path: Path) -> Any:
    """Parse YAML with ruamel.yaml's pure-Python safe loader (the reference reader)."""
    yaml = YAML(typ="safe", pure=True)
    try:
        return yaml.load(text)
    except YAMLError as exc:
        raise MentorqaError(_syntax_problem(exc, path)) from None
    except (ValueError, OverflowError) as exc:  # e.g. a date like 2026-02-30
        raise MentorqaError(_value_problem(exc, text, path)) from None


def _value_problem(exc: Exception, text: str, path: Path) -> Problem:
    """A value YAML could not convert (an impossible date): find its line with the slow parser."""
    words = f"a value cannot be read ({exc}); check the dates and numbers"
    try:
        roundtrip_yaml().load(text)
    except YAMLError as located:
        return _syntax_problem(located, path)
    except (ValueError, OverflowError):
        pass
    for number, line in enumerate(text.splitlines(), start=1):
        for candidate in _DATE_LIKE.finditer(line):
            try:
                date.fromisoformat(candidate.group())
            except ValueError:
                return Problem(
                    f"'{candidate.group()}' is not a real date; write it as YYYY-MM-DD",
                    path,
                    number,
                    candidate.start() + 1,
                )
    return Problem(words, path)


_DATE_LIKE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


_TAG_LIKE = re.compile(r"(?:^|[\s\[{,])!")
_FAST_TAGS = {"bool", "int", "float", "null", "timestamp", "merge", "value"}


@functools.cache
def _fast_loader() -> Callable[[str], Any] | None:
    """A YAML 1.2 core-schema safe loader on libyaml's C parser, or None without libyaml."""
    try:
        from yaml._yaml import CParser  # present only when PyYAML was built with libyaml
    except ImportError:
        return None
    from yaml.constructor import ConstructorError, SafeConstructor
    from yaml.nodes import MappingNode
    from yaml.resolver import BaseResolver

    try:  # ruamel.yaml's own YAML 1.2 rules, so both readers resolve scalars alike
        from ruamel.yaml.resolver import implicit_resolvers
    except ImportError:
        return None

    class Core12Resolver(BaseResolver):
        """Plain scalars resolved as ruamel.yaml resolves them under YAML 1.2."""

    for versions, tag, pattern, first in implicit_resolvers:
        if (1, 2) in versions and tag.rsplit(":", 1)[-1] in _FAST_TAGS:
            Core12Resolver.add_implicit_resolver(tag, pattern, first)

    class Core12Constructor(SafeConstructor):
        def construct_yaml_int(self, node: Any) -> int:
            # As ruamel.yaml reads YAML 1.2 integers: '_' separators, 0b/0o/0x, 010 is ten.
            value = str(self.construct_scalar(node)).replace("_", "")
            sign = -1 if value.startswith("-") else 1
            value = value.lstrip("+-")
            for prefix, base in (("0b", 2), ("0o", 8), ("0x", 16)):
                if value.startswith(prefix):
                    return sign * int(value[2:], base)
            return sign * int(value, 10)

        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            if isinstance(node, MappingNode):
                seen: set[Any] = set()
                for key_node, _ in node.value:
                    key = self.construct_object(key_node, deep=True)
                    if key in seen:
                        raise ConstructorError(None, None, f"duplicate key {key!r}")
                    seen.add(key)
            return dict(super().construct_mapping(node, deep=deep))

    Core12Constructor.add_constructor(  # type: ignore[type-var]
        "tag:yaml.org,2002:int", Core12Constructor.construct_yaml_int
    )

    class Loader(CParser, Core12Constructor, Core12Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Core12Constructor.__init__(self)
            Core12Resolver.__init__(self)

    def load(text: str) -> Any:
        loader = Loader(text)  # safe: the constructor builds no Python objects from tags
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()

    return load


def roundtrip_yaml(mapping: int = 2, offset: int = 2) -> YAML:
    """A YAML instance that keeps comments, key order and quoting when a file is rewritten.

    ``mapping`` is the indent of nested keys, ``offset`` that of a list's ``-`` under its key.
    """
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line the user wrote
    yaml.indent(mapping=mapping, sequence=offset + 2, offset=offset)
    return yaml


def guess_indent(text: str) -> tuple[int, int]:
    """The nested-key indent and list-dash offset a hand-written file uses (default 2 and 2), so
    that a rewrite keeps the file's own layout rather than re-indenting every list."""
    mapping: int | None = None
    offset: int | None = None
    parent: int | None = None  # indent of the previous line when it was 'key:' opening a block
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        if parent is not None:
            if stripped.startswith("- ") and offset is None and indent >= parent:
                offset = indent - parent
            elif not stripped.startswith("- ") and mapping is None and indent > parent:
                mapping = indent - parent
        content = _EOL_COMMENT.sub("", stripped).rstrip()
        opens_block = content.endswith(":") and not stripped.startswith("- ")
        parent = indent if opens_block else None
        if mapping is not None and offset is not None:
            break
    return (mapping or 2, 2 if offset is None else offset)


def load_roundtrip(text: str, path: Path) -> Any:
    """Parse YAML keeping comments and positions (for rewriting and for locating problems)."""
    try:
        return roundtrip_yaml().load(text)
    except YAMLError as exc:
        raise MentorqaError(_syntax_problem(exc, path)) from None
    except (ValueError, OverflowError) as exc:
        raise MentorqaError(_value_problem(exc, text, path)) from None


_EOL_COMMENT = re.compile(r"\s+#.*$")
_DIRECTIVE = re.compile(r"^%YAML\s+(\d+)\.(\d+)\s*$", re.MULTILINE)


def dump_roundtrip(data: Any, like: str | None = None) -> str:
    """``data`` as YAML text, laid out like the text ``like`` when given: its indentation, its
    ``%YAML`` directive and ``---`` / ``...`` document markers."""
    stream = io.StringIO()
    if like is None:
        yaml = roundtrip_yaml()
    else:
        yaml = roundtrip_yaml(*guess_indent(like))
        lines = [line.rstrip() for line in like.splitlines()]
        if directive := _DIRECTIVE.search(like):
            yaml.version = (int(directive.group(1)), int(directive.group(2)))
        yaml.explicit_start = any(line == "---" or line.startswith("--- ") for line in lines)
        content = [line for line in lines if line and not line.lstrip().startswith("#")]
        yaml.explicit_end = bool(content) and content[-1] == "..."
    yaml.dump(data, stream)
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
    if kind == "value_error":  # our own validators say what they found
        return f"{name}{message}"
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
