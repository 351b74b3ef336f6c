"""Reading YAML safely and quickly, and pointing at the line and column of a problem.

Every read goes through one loader: libyaml's C parser (through PyYAML) with the YAML 1.2 core
schema that ruamel.yaml uses (so ``no`` stays a string and ``010`` is ten), duplicate keys
refused, no Python object built from a tag, and limits on size, nesting and aliases. One parse
gives both the data and the node tree, whose marks locate any problem and let a writer patch the
text of the nodes it changes (:mod:`mentorqa.store.yamlpatch`). When that reader refuses a
document, ruamel.yaml's pure-Python safe loader (the reference reader) words the problem.
"""

from __future__ import annotations

import functools
import gc
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import MentorqaError, Problem
from .limits import check_tree, refuse_surrogates

if TYPE_CHECKING:  # pydantic is imported only where a file is validated afresh
    from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound="BaseModel")


@dataclass(frozen=True)
class Document:
    """A parsed YAML file: its text, its plain data and the node tree that locates every value."""

    path: Path
    text: str
    data: Any
    root: Node | None

    def locate(self, loc: Sequence[str | int]) -> tuple[int, int] | None:
        """Line and column (from 1) of the deepest node of ``loc`` (see :func:`locate`)."""
        return locate(self.root, loc)

    def problem(self, message: str, loc: Sequence[str | int]) -> Problem:
        """A problem placed at the node ``loc`` leads to (or the file alone)."""
        where = self.locate(loc)
        return Problem(message, self.path, *(where or (None, None)))


_TAG_LIKE = re.compile(r"(?:^|[\s\[{,])!")


@functools.cache
def _loader() -> type:
    """A YAML 1.2 core-schema safe loader, on libyaml's C parser where PyYAML has it."""
    from yaml.constructor import ConstructorError, SafeConstructor
    from yaml.resolver import BaseResolver

    from .yamlrender import CORE_12  # the reference reader's 1.2 rules, without importing it

    class Core12Resolver(BaseResolver):
        """Plain scalars resolved as ruamel.yaml resolves them under YAML 1.2."""

    for name, patterns, first in CORE_12:
        for pattern in patterns:  # the resolver matches from the start: anchor the end too
            whole = re.compile(rf"(?:{pattern.pattern})\Z", pattern.flags)
            Core12Resolver.add_implicit_resolver(f"tag:yaml.org,2002:{name}", whole, list(first))

    class Core12Constructor(SafeConstructor):
        def construct_yaml_int(self, node: Any) -> int:
            # As ruamel.yaml reads YAML 1.2 integers: '_' separators, 0b/0o/0x, 010 is ten.
            value = str(self.construct_scalar(node)).replace("_", "")
            if not value.lstrip("+-"):  # ('!!int' on nothing)
                raise _refused("number", node)
            sign = -1 if value.startswith("-") else 1
            value = value.lstrip("+-")
            for prefix, base in (("0b", 2), ("0o", 8), ("0x", 16)):
                if value.startswith(prefix):
                    return sign * int(value[2:], base)
            return sign * int(value, 10)

        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            written = list(node.value) if isinstance(node, MappingNode) else []  # before merges
            mapping = dict(super().construct_mapping(node, deep=deep))
            # A count that differs means a key came twice (or a merge); only then is it looked
            # for, among the keys as written, so the common case costs one comparison.
            if len(mapping) != len(written):
                seen: set[Any] = set()
                for key_node, _ in written:
                    key = self.construct_object(key_node, deep=True)
                    if key in seen:
                        raise ConstructorError(
                            None, None, f"duplicate key {key!r}", key_node.start_mark
                        )
                    seen.add(key)
            return mapping

        # An explicit '!!timestamp' or '!!bool' on a value that is none: a located error (the
        # base constructors fail with AttributeError and KeyError).
        def construct_yaml_timestamp(self, node: Any) -> Any:
            if not self.timestamp_regexp.match(str(self.construct_scalar(node))):
                raise _refused("timestamp", node)
            return super().construct_yaml_timestamp(node)

        def construct_yaml_float(self, node: Any) -> Any:
            if not str(self.construct_scalar(node)).replace("_", "").lstrip("+-"):
                raise _refused("number", node)
            return super().construct_yaml_float(node)

        def construct_yaml_bool(self, node: Any) -> Any:
            if str(self.construct_scalar(node)).lower() not in self.bool_values:
                raise _refused("boolean", node)
            return super().construct_yaml_bool(node)

    for tag, method in (
        ("int", Core12Constructor.construct_yaml_int),
        ("timestamp", Core12Constructor.construct_yaml_timestamp),
        ("bool", Core12Constructor.construct_yaml_bool),
        ("float", Core12Constructor.construct_yaml_float),
    ):
        Core12Constructor.add_constructor(f"tag:yaml.org,2002:{tag}", method)  # type: ignore[type-var]
    try:
        from yaml._yaml import CParser as Parser  # present when PyYAML was built with libyaml

        bases: tuple[type, ...] = (Parser, Core12Constructor, Core12Resolver)
    except ImportError:  # pragma: no cover - PyYAML without libyaml
        from yaml.composer import Composer
        from yaml.parser import Parser as PyParser
        from yaml.reader import Reader
        from yaml.scanner import Scanner

        bases = (Reader, Scanner, PyParser, Composer, Core12Constructor, Core12Resolver)

    def __init__(self: Any, stream: str) -> None:
        for base in bases:
            if base not in (Core12Constructor, Core12Resolver):
                base.__init__(self, stream)  # type: ignore[misc]
        Core12Constructor.__init__(self)
        Core12Resolver.__init__(self)

    return type("Core12Loader", bases, {"__init__": __init__})


def _refused(kind: str, node: Any) -> Exception:
    """The located error for a value an explicit tag asks to read as what it is not."""
    from yaml.constructor import ConstructorError

    what = f"{str(node.value)[:80]!r} cannot be read as a {kind}"
    return ConstructorError(None, None, what, node.start_mark)


def prepare() -> None:
    """Build the loader now (its patterns take milliseconds to compile), before a lock."""
    _loader()


def parse_document(text: str, path: Path) -> Document:
    """Parse YAML once into plain data and its node tree; problems are located errors.

    The collector is paused meanwhile: a parse makes a great many small objects and no garbage
    cycles, and collections triggered by the allocations alone made a large manifest's parse
    grow faster than its size (about 3x per entry at 50,000 entries). It runs again afterwards.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _parse(text, path)
    finally:
        if paused:
            gc.enable()


def _parse(text: str, path: Path) -> Document:
    loader = _loader()(text)
    try:
        root = loader.get_single_node()
        if root is not None:
            check_tree(root, text, path)
        data = loader.construct_document(root) if root is not None else None
    except (
        yaml.YAMLError,
        ValueError,
        OverflowError,
        TypeError,
        RecursionError,
        LookupError,
        AttributeError,
    ) as exc:  # (the last two: a constructor's own defect, on odd input)
        # The reference reader words the problem, so every message comes from one place. Where
        # it reads the text after all (the readers differ at a few edges), its data is used,
        # without the node tree: such a file can be read but not patched.
        if isinstance(exc, RecursionError) or "nesting depth" in str(exc):
            raise MentorqaError(_explain(exc, text, path)) from None
        try:
            data = load_safe_pure(text, path)
        except (RecursionError, _Unread):  # (the reference reader is recursive, and fails
            raise MentorqaError(_explain(exc, text, path)) from None  # on '!!bool x')
        refuse_surrogates(data, text, path)
        return Document(path, text, data, None)
    finally:
        loader.dispose()
    refuse_surrogates(data, text, path)
    if _TAG_LIKE.search(text):
        # Tags are where the two readers differ at the edges ('!' alone, unknown tags): such a
        # document is read as the reference reader reads it, and patched only where both agree.
        reference = load_safe_pure(text, path)
        if repr(reference) != repr(data):
            return Document(path, text, reference, None)
    return Document(path, text, data, root)


def load_safe(text: str, path: Path) -> Any:
    """Parse YAML into plain Python data, safely and quickly."""
    return parse_document(text, path).data


def _explain(exc: Exception, text: str, path: Path) -> Problem:
    """The best located words for a document the fast reader refused."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        return _marked(exc.problem or exc.context or "invalid YAML", exc.problem_mark, path)
    if isinstance(exc, yaml.YAMLError) and not isinstance(exc, yaml.MarkedYAMLError):
        return Problem(f"YAML error: {exc}", path)
    if isinstance(exc, RecursionError):
        return Problem("nested too deeply to read", path)
    return _value_problem(exc, text, path)


def _marked(what: str, mark: Any, path: Path) -> Problem:
    what = " ".join(str(what).split())
    return Problem(
        f"YAML syntax error: {what}; fix the YAML at this place",
        path,
        mark.line + 1,
        mark.column + 1,
    )


def load_safe_pure(text: str, path: Path) -> Any:
    """Parse YAML with ruamel.yaml's pure-Python safe loader (the reference reader)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return YAML(typ="safe", pure=True).load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}: {what}"
        if mark is None:
            raise MentorqaError(Problem(f"YAML syntax error: {what}", path)) from None
        raise MentorqaError(_marked(what, mark, path)) from None
    except YAMLError as exc:
        raise MentorqaError(Problem(f"YAML syntax error: {exc}", path)) from None
    except (ValueError, OverflowError) as exc:  # e.g. a date like 2026-02-30
        raise MentorqaError(_value_problem(exc, text, path)) from None
    except (LookupError, AttributeError, TypeError) as exc:  # ruamel.yaml on '!!bool x'
        raise _Unread(_value_problem(exc, text, path)) from None


class _Unread(MentorqaError):
    """The reference reader failed where it should have said why (a tag its constructor cannot
    apply): the fast reader's located words are better, where there are some."""


_DATE_LIKE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _value_problem(exc: Exception, text: str, path: Path) -> Problem:
    """A value YAML could not convert (an impossible date): find its line."""
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
    return Problem(f"a value cannot be read ({exc}); check the dates and numbers", path)


def locate(root: Node | None, loc: Sequence[str | int]) -> tuple[int, int] | None:
    """Line and column (from 1) of the deepest node of ``loc`` found in a node tree.

    Entries of ``loc`` that are not keys or indexes (pydantic adds type names for unions) are
    skipped. A key is located at the key itself, so a wrong value points at its key.
    """
    if root is None:
        return None
    node: Node = root
    found = (node.start_mark.line + 1, node.start_mark.column + 1)
    for part in loc:
        if isinstance(node, MappingNode):
            pair = next(
                (
                    (k, v)
                    for k, v in node.value
                    if isinstance(k, ScalarNode) and k.value == str(part)
                ),
                None,
            )
            if pair is None:
                continue
            found = (pair[0].start_mark.line + 1, pair[0].start_mark.column + 1)
            node = pair[1]
        elif isinstance(node, SequenceNode):
            index = int(part) if str(part).isdigit() else -1
            if not 0 <= index < len(node.value):
                continue
            node = node.value[index]
            found = (node.start_mark.line + 1, node.start_mark.column + 1)
        else:
            break
    return found


LINES_DEPTH = 4  # deep enough for every place a check finding points at


def line_tree(node: Node | None, depth: int = LINES_DEPTH) -> Any:
    """The lines of a node tree, as plain data a cache can keep: enough for :func:`line_of` to
    give the line :func:`locate` would, without parsing the file again.

    A mapping is ``[line, {key: [key line, child]}]``, a sequence ``[line, [child, ...]]``, any
    other node ``[line]``; below ``depth`` a collection is ``[line, None]`` (not kept)."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    if isinstance(node, MappingNode):
        if depth == 0:
            return [line, None]
        return [
            line,
            {
                str(k.value): [k.start_mark.line + 1, line_tree(v, depth - 1)]
                for k, v in node.value
                if isinstance(k, ScalarNode)
            },
        ]
    if isinstance(node, SequenceNode):
        return [line, None] if depth == 0 else [line, [line_tree(v, depth - 1) for v in node.value]]
    return [line]


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
    if kind.startswith(("date_", "datetime_")):
        message = "should be a date like 2026-03-01"
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


class Placing(Protocol):
    """What places a problem: a document (at a line), or a change not yet written (by key)."""

    def problem(self, message: str, loc: Sequence[str | int]) -> Problem: ...


def validation_problems(exc: ValidationError, document: Placing) -> list[Problem]:
    """One located problem per pydantic error."""
    return [document.problem(_friendly(e), _error_loc(e)) for e in exc.errors()]


def validate(model: type[M], document: Document, what: str = "the file") -> M:
    """Validate a document against ``model``; every problem is reported with its place."""
    if not isinstance(document.data, dict):
        raise MentorqaError(
            Problem(f"{what} must be a YAML mapping (key: value lines)", document.path, 1, 1)
        )
    from pydantic import ValidationError

    try:
        return model.model_validate(document.data)
    except ValidationError as exc:
        raise MentorqaError(validation_problems(exc, document)) from None
    except (OverflowError, RecursionError) as exc:
        raise MentorqaError(Problem(f"a value is out of range ({exc})", document.path)) from None
