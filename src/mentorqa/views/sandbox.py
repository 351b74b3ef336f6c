"""The sandbox report templates render in, and the markdown escaping of everything they print.

A workspace's own ``templates/`` folder comes from a git repository, so its templates are
untrusted. Jinja's immutable sandbox already keeps them away from Python internals; this module
adds what the sandbox leaves open:

* files: :class:`GuardedLoader` resolves every template path and refuses one whose real path is
  outside its templates folder or inside the workspace's ``private/`` folder;
* time and memory: :class:`BoundedSandbox` counts loop steps, calls, filters and operators
  against one budget per render, refuses operations that would build a huge value, and stops at
  a wall-clock limit and an output size limit (see the ``MAX_`` constants);
* markdown structure: every ``{{ value }}`` is escaped (:func:`escape_markdown`) unless it is
  :class:`Markdown` that mentorqa, or the template's own text, built.
"""

from __future__ import annotations

import functools
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound, nodes
from jinja2.environment import Template
from jinja2.runtime import Context, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

# The bundled templates use a few thousand steps and produce some 50 KB for a full QiM or NQMS
# workspace; these limits are two or three orders of magnitude above that.
MAX_STEPS = 1_000_000  # loop steps, calls, filters and operators in one render
MAX_SECONDS = 10.0  # wall-clock time of one render
MAX_OUTPUT = 10_000_000  # characters of a report, and of all text the template prints
MAX_VALUE = 1_000_000  # characters (or items) of any one value a template builds or prints
MAX_INT_BITS = 4096  # bits of an integer a template computes (about 1,200 digits)
MAX_TEMPLATE_BYTES = 1_000_000  # size of one template file

_ADVICE = "templates should only format the report data"


class Markdown(str):
    """Markdown that mentorqa built itself (or a template's own text): printed without escaping."""

    __slots__ = ()


class TemplateRefused(Exception):
    """A template name or file the loader will not read (outside its folder, private, ``..``)."""

    def __init__(self, name: object, reason: str) -> None:
        self.name, self.reason = name, reason
        super().__init__(f"template '{name}' is refused: {reason}")


class LimitExceeded(Exception):
    """A render that went past one of the limits; the message names the limit."""

    def __init__(self, limit: str) -> None:
        super().__init__(f"{limit}; {_ADVICE}")


# ---------------------------------------------------------------------------------------------
# Markdown escaping

_TO_SPACE = str.maketrans(dict.fromkeys("\n\r\t\v\f\x1c\x1d\x1e\x85\u2028\u2029", " "))
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Escaped everywhere: the backslash first (so text cannot escape what follows it), HTML, table
# pipes, and link/image brackets (an image would be fetched from the network by the HTML page).
_INLINE = str.maketrans(
    {"\\": "\\\\", "&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "\\|", "[": "\\[", "]": "\\]"}
)
# What may start a block when the value lands at the start of a line: a heading, a list item,
# a thematic break or setext underline, a code fence ('>' and '|' are already escaped above).
_BLOCK_START = re.compile(r"^(\s*)(?:([#+*=_`~-])|(\d{1,9})([.)]))")


def escape_markdown(text: str) -> str:
    """``text`` as one line of literal markdown: it cannot add structure or raw HTML."""
    text = _CONTROL.sub("", text.translate(_TO_SPACE)).translate(_INLINE)
    return _BLOCK_START.sub(_escape_block_start, text, count=1)


def _escape_block_start(match: re.Match[str]) -> str:
    spaces, marker, digits, dot = match.groups()
    if marker is not None:
        return f"{spaces}\\{marker}"
    return f"{spaces}{digits}\\{dot}"


def cell(value: object) -> Markdown:
    """Text made safe for one markdown table cell: one line, pipes escaped."""
    if isinstance(value, Markdown):  # built markdown: only the pipes that are not escaped yet
        text = " ".join(value.split())
        return Markdown(re.sub(r"(\\*)\|", _escape_pipe, text))
    return Markdown(" ".join(escape_markdown(str(value)).split()))


def _escape_pipe(match: re.Match[str]) -> str:
    slashes = match.group(1)
    return f"{slashes}|" if len(slashes) % 2 else f"{slashes}\\|"


# ---------------------------------------------------------------------------------------------
# Template files


class GuardedLoader(BaseLoader):
    """Templates from folders in order, refusing any whose real path leaves its folder.

    Each folder is given as (the path shown in messages, the real folder its files must be in);
    ``private`` lists folders no template may be read from even when linked into a templates
    folder.
    """

    def __init__(self, folders: list[tuple[Path, Path]], private: list[Path]) -> None:
        self.folders = folders
        self.private = private

    def get_source(
        self, environment: Any, template: str
    ) -> tuple[str, str, Callable[[], bool] | None]:
        """The source of ``template``, its file name for messages, and an up-to-date check."""
        pieces = _name_pieces(template)
        for shown, real_folder in self.folders:
            candidate = real_folder.joinpath(*pieces)
            if not os.path.lexists(candidate):
                continue
            real = candidate.resolve()
            if not real.is_relative_to(real_folder):
                raise TemplateRefused(
                    template, f"its real path {real} is outside the folder {shown}"
                )
            if any(real.is_relative_to(folder) for folder in self.private):
                raise TemplateRefused(template, "it is inside the workspace's private/ folder")
            if not real.is_file():
                continue
            stat = real.stat()
            if stat.st_size > MAX_TEMPLATE_BYTES:
                raise TemplateRefused(
                    template, f"it is larger than {MAX_TEMPLATE_BYTES:,} bytes (template size)"
                )
            source = real.read_bytes().decode("utf-8")
            return source, str(shown.joinpath(*pieces)), lambda: real.stat().st_mtime == stat.st_mtime
        raise TemplateNotFound(template)


def _name_pieces(template: object) -> list[str]:
    """The folder names and file name in a template name; names that could leave the folder
    (``..``, absolute, backslashes) are refused rather than looked up."""
    if not isinstance(template, str) or not template or "\x00" in template:
        raise TemplateRefused(template, "a template name must be a non-empty text")
    if template.startswith("/") or "\\" in template or re.match(r"^[A-Za-z]:", template):
        raise TemplateRefused(template, "a template name must be relative, with '/' between parts")
    pieces = [p for p in template.split("/") if p not in ("", ".")]
    if ".." in pieces:
        raise TemplateRefused(template, "'..' is not allowed in a template name")
    return pieces


# ---------------------------------------------------------------------------------------------
# Sizes


def weight(value: object, limit: int = MAX_VALUE) -> int:
    """About how many characters ``value`` prints as, counting only up to just past ``limit``.

    Walks containers without printing them, so a list holding one long text a million times is
    seen as huge before anything builds it.
    """
    total, stack = 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, bool) or item is None:
            total += 5
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 1
        elif isinstance(item, dict):
            total += 2 + 4 * len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 + 2 * len(item)
            stack.extend(item)
        else:  # numbers, dates, generators, Jinja helpers: small when printed
            total += 8
    return total


def _ints(values: Iterable[object]) -> list[int]:
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]


def _spec_number(text: str) -> int:
    """The largest width or precision a format string could ask for (any run of digits)."""
    runs = re.findall(r"\d+", text)
    if any(len(run) > 9 for run in runs):
        return MAX_OUTPUT + 1
    return max((int(run) for run in runs), default=0)


def _formatted_size(fmt: str, args: list[object]) -> int:
    """An upper bound on ``fmt % args`` or ``fmt.format(*args)``: every placeholder could print
    every argument, padded to the largest width in the format."""
    placeholders = fmt.count("%") + fmt.count("{")
    return len(fmt) + placeholders * (weight(args) + _spec_number(fmt))


def _text_size(name: str, text: str, args: list[object]) -> int:
    """An upper bound on the size of ``text.<name>(*args)`` (a str method or a text filter)."""
    size = len(text) + weight(args)
    if name in ("center", "ljust", "rjust", "zfill", "wordwrap", "truncate"):
        return size + sum(_ints(args))
    if name == "indent":  # the width is added to every line
        width = args[0] if args else 4
        pad = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
        return size + (text.count("\n") + 1) * pad
    if name == "expandtabs":
        return size + text.count("\t") * sum(_ints(args))
    if name == "replace" and len(args) >= 2 and isinstance(args[0], str):
        new = weight(args[1])
        return size + (text.count(args[0]) if args[0] else len(text) + 1) * new
    if name in ("format", "format_map"):
        return _formatted_size(text, args)
    if name == "translate":
        return size * (weight(args) + 1)
    return size


def _join_size(items: object, separator: object) -> int:
    count = len(items) if isinstance(items, (list, tuple, set, frozenset, dict, str)) else 1
    return weight(items) + count * weight(separator)


# ---------------------------------------------------------------------------------------------
# The environment


class _GuardLoops(NodeTransformer):
    """Routes every ``for`` loop's items and every ``~`` through the environment's counters."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Call(
            nodes.EnvironmentAttribute("counted"), [node.iter], [], None, None, lineno=node.lineno
        )
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Call(
            nodes.EnvironmentAttribute("joined"), list(node.nodes), [], None, None,
            lineno=node.lineno,
        )


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with a per-render budget and markdown escaping of output."""

    intercepted_binops = frozenset({"**", "*", "%", "+"})

    def __init__(self, loader: BaseLoader) -> None:
        super().__init__(
            loader=loader,
            undefined=StrictUndefined,
            autoescape=False,  # Jinja's escaping is HTML's; markdown escaping is done in finalize
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.finalize = self.printed
        # lorem ipsum has no place in a report, and its arguments multiply its size.
        self.globals.pop("lipsum", None)
        self.filters["safe"] = Markdown  # the template's own choice to print markdown as is
        self.filters["cell"] = cell
        self.steps = 0
        self.printed_chars = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    # -- the budget

    def tick(self) -> None:
        """Count one step and check the clock."""
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise LimitExceeded(f"the template took more than {MAX_STEPS:,} steps (step limit)")
        if time.monotonic() > self.deadline:
            raise LimitExceeded(
                f"the template ran for more than {MAX_SECONDS:g} seconds (time limit)"
            )

    def check_size(self, size: int, what: str = "a value") -> None:
        """Refuse to build ``what`` when it would be larger than :data:`MAX_VALUE`."""
        if size > MAX_VALUE:
            raise LimitExceeded(
                f"the template would build {what} of more than {MAX_VALUE:,} characters "
                "(value size limit)"
            )

    def add_filter(self, name: str, function: Callable[..., Any]) -> None:
        """Register ``function`` as filter ``name``, counted and size-checked like the others."""
        self.filters[name] = self._guarded_filter(name, function)

    def guard_filters(self) -> None:
        """Put every registered filter behind the budget (call once all filters are added)."""
        for name, function in list(self.filters.items()):
            self.filters[name] = self._guarded_filter(name, function)

    def _guarded_filter(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        passes_first = getattr(function, "jinja_pass_arg", None) is not None

        @functools.wraps(function)  # keeps jinja_pass_arg, so Jinja passes the same arguments
        def guarded(*args: Any, **kwargs: Any) -> Any:
            self.tick()
            value, *rest = args[1:] if passes_first else args
            rest += kwargs.values()
            if name == "sum" and not isinstance(kwargs.get("start", rest[-1:] or [0])[0]
                                                if False else 0, int):
                pass
            self._check_filter(name, value, rest, kwargs)
            return function(*args, **kwargs)

        return guarded

    def _check_filter(self, name: str, value: object, rest: list[object], kwargs: dict[str, Any]) -> None:
        if name == "sum":
            start = kwargs.get("start", rest[1] if len(rest) > 1 else 0)
            if not isinstance(start, (int, float)):  # adding lists one by one is quadratic
                raise LimitExceeded("the sum filter only adds numbers (value size limit)")
        if name == "join":
            self.check_size(_join_size(value, rest[0] if rest else ""), "a joined text")
        elif isinstance(value, str):
            self.check_size(_text_size(name, value, rest), f"a text with the {name} filter")
        else:
            self.check_size(weight(value) + weight(rest), f"a value with the {name} filter")
