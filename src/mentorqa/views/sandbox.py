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
from collections.abc import Callable, Iterable, Iterator, Sized
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound, nodes
from jinja2.environment import Template
from jinja2.runtime import Context, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

# The bundled templates take under a thousand steps and print some 10 KB for the example
# workspaces, and stay under a hundredth of every limit for a workspace with every indicator
# marked and noted (tests/views/test_report_security.py).
MAX_STEPS = 1_000_000  # loop steps, calls, filters and operators in one render
MAX_SECONDS = 10.0  # wall-clock time of one render
MAX_OUTPUT = 10_000_000  # characters of a report, and of all text the template prints
MAX_VALUE = 1_000_000  # characters (or items) of any one value a template builds or prints
MAX_INT_BITS = 4096  # bits of an integer a template computes (about 1,200 digits)
MAX_TEMPLATE_BYTES = 1_000_000  # size of one template file


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

    def __init__(self, what: str, limit: str) -> None:
        super().__init__(f"{what} ({limit} limit); templates should only format the report data")


# -- Markdown escaping

_TO_SPACE = str.maketrans(dict.fromkeys("\n\r\t\v\f\x1c\x1d\x1e\x85\u2028\u2029", " "))
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Escaped everywhere: the backslash first (so text cannot escape what follows it), HTML, table
# pipes, and link/image brackets (an image would be fetched from the network by the HTML page).
_INLINE = str.maketrans(
    {"\\": "\\\\", "&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "\\|", "[": "\\[", "]": "\\]"}
)
# What may start a block when the value lands at the start of a line: a heading, a list item,
# a thematic break or setext underline, a code fence ('>' and '|' are already escaped above).
# Each needs a space, the end, or the same character after it, so "-5" or "3.8" stay as they are.
_BLOCK_START = re.compile(r"^(\s*)(?:([#+*=_`~-])(?=\s|$|\2)|(\d{1,9})([.)])(?=\s|$))")


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
        return Markdown(re.sub(r"(?<!\\)((?:\\\\)*)\|", r"\1\\|", " ".join(value.split())))
    return Markdown(" ".join(escape_markdown(str(value)).split()))


# -- Template files


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
            if real.stat().st_size > MAX_TEMPLATE_BYTES:
                raise TemplateRefused(template, f"it is larger than {MAX_TEMPLATE_BYTES:,} bytes")
            # No up-to-date check: every render has its own environment, so nothing is reused.
            return real.read_bytes().decode("utf-8"), str(shown.joinpath(*pieces)), None
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


# -- Sizes


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
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 1
        elif isinstance(item, dict):
            total += 2 + 4 * len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 + 2 * len(item)
            stack.extend(item)
        else:  # None, floats, dates, generators, Jinja helpers: small when printed
            total += 8
    return total


def _ints(values: Iterable[object]) -> list[int]:
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]


def _formatted_size(fmt: str, args: list[object]) -> int:
    """An upper bound on ``fmt % args`` or ``fmt.format(*args)``: every placeholder could print
    every argument, padded to the largest number in the format (a width or a precision)."""
    widest = max((int(run[:10]) for run in re.findall(r"\d+", fmt)), default=0)
    return len(fmt) + (fmt.count("%") + fmt.count("{")) * (weight(args) + widest)


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


def _sized(items: Any) -> Any:
    """``items`` as a list when it is a generator (joining would list it anyway)."""
    return items if isinstance(items, Sized) else list(items)


def _join_size(items: object, separator: object) -> int:
    count = len(items) if isinstance(items, Sized) else 1
    return weight(items) + count * weight(separator)


# -- The environment


# Filters that print a whole value, however it is nested (others select or count).
_PRINTING_FILTERS = frozenset(
    {"string", "pprint", "tojson", "xmlattr", "urlencode", "safe", "e", "escape", "forceescape"}
)


class _GuardLoops(NodeTransformer):
    """Routes every ``for`` loop's items and every ``~`` through the environment's counters."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = _call("counted", [node.iter], node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _call("joined", list(node.nodes), node.lineno)


def _call(method: str, args: list[Any], lineno: int) -> nodes.Call:
    """``environment.<method>(*args)`` as a template node (it goes through the sandbox's call)."""
    return nodes.Call(nodes.EnvironmentAttribute(method), args, [], None, None, lineno=lineno)


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with a per-render budget and markdown escaping of output."""

    intercepted_binops = frozenset({"**", "*", "%", "+"})

    def __init__(self, loader: BaseLoader, filters: dict[str, Callable[..., Any]]) -> None:
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
        self.filters.update(filters)
        self.filters["safe"] = Markdown  # the template's own choice to print markdown as is
        self.filters["cell"] = cell
        for name, function in list(self.filters.items()):
            self.filters[name] = self._guarded_filter(name, function)
        self.steps = 0
        self.printed_chars = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    # -- the budget

    def tick(self) -> None:
        """Count one step and check the clock."""
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise LimitExceeded(f"the template took more than {MAX_STEPS:,} steps", "step")
        self.check_clock()

    def check_clock(self) -> None:
        """Stop a render that has run past :data:`MAX_SECONDS`."""
        if time.monotonic() > self.deadline:
            raise LimitExceeded(f"the template ran for more than {MAX_SECONDS:g} seconds", "time")

    def check_size(self, size: int, what: str = "a value") -> None:
        """Refuse to build ``what`` when it would be larger than :data:`MAX_VALUE`."""
        if size > MAX_VALUE:
            raise LimitExceeded(
                f"the template would build {what} over {MAX_VALUE:,} characters", "value size"
            )

    def _guarded_filter(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        passes_first = getattr(function, "jinja_pass_arg", None) is not None

        @functools.wraps(function)  # keeps jinja_pass_arg, so Jinja passes the same arguments
        def guarded(*args: Any, **kwargs: Any) -> Any:
            self.tick()
            head = 1 if passes_first else 0
            if name == "join" and len(args) > head:  # its size depends on how many items
                args = (*args[:head], _sized(args[head]), *args[head + 1 :])
            value, *rest = args[head:]
            self._check_filter(name, value, rest, kwargs)
            return function(*args, **kwargs)

        return guarded

    def _check_filter(
        self, name: str, value: object, rest: list[Any], kwargs: dict[str, Any]
    ) -> None:
        """Refuse a filter call whose result would be huge, before the filter builds it."""
        if name == "sum":
            start = kwargs.get("start", rest[1] if len(rest) > 1 else 0)
            if not isinstance(start, (int, float)):  # adding lists one by one is quadratic
                raise LimitExceeded("the sum filter may only add numbers", "value size")
        arguments = [*rest, *kwargs.values()]
        if name == "join":
            separator = kwargs.get("d", rest[0] if rest else "")
            self.check_size(_join_size(value, separator), "a joined text")
        elif isinstance(value, str):
            self.check_size(_text_size(name, value, arguments), f"a text with the {name} filter")
        elif name in _PRINTING_FILTERS:
            self.check_size(weight(value) + weight(arguments), f"a text with the {name} filter")

    # -- hooks Jinja calls from the compiled template

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Every call from a template: counted, and refused when it would build a huge value."""
        self.tick()
        function = getattr(obj, "__wrapped__", obj)  # str.format comes wrapped by the sandbox
        owner = getattr(function, "__self__", None)
        arguments = [*args, *kwargs.values()]
        name = getattr(function, "__name__", "")
        # Only text methods can build text much larger than what they are given.
        if isinstance(owner, str) and name == "join" and args:
            args = (_sized(args[0]), *args[1:])
            self.check_size(_join_size(args[0], owner), "a joined text")
        elif isinstance(owner, str):
            self.check_size(_text_size(name, owner, arguments), f"a text with {name}()")
        return super().call(context, obj, *args, **kwargs)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """``**``, ``*``, ``%`` and ``+``: refused when the result would be huge."""
        self.tick()
        if operator == "**":
            self._check_power(left, right)
        elif operator == "*":
            self._check_product(left, right)
        elif operator == "%" and isinstance(left, str):
            items = list(right) if isinstance(right, tuple) else [right]
            self.check_size(_formatted_size(left, items), "a formatted text")
        elif operator == "+" and not isinstance(left, (int, float)):
            self.check_size(weight(left) + weight(right), "a joined value")
        return super().call_binop(context, operator, left, right)

    def _check_power(self, base: Any, exponent: Any) -> None:
        # bit_length * exponent is about the size of the result, known without building it
        ints = _ints([base, exponent])
        if len(ints) == 2 and abs(base) > 1 and exponent > 0:
            self._check_bits(abs(base).bit_length() * min(exponent, MAX_INT_BITS + 1))

    def _check_product(self, left: Any, right: Any) -> None:
        ints = _ints([left, right])
        if len(ints) == 2:
            self._check_bits(left.bit_length() + right.bit_length())
        elif len(ints) == 1:
            count, sequence = (left, right) if ints[0] is left else (right, left)
            self.check_size(max(count, 0) * weight(sequence), "a repeated value")

    def _check_bits(self, bits: int) -> None:
        if bits > MAX_INT_BITS:
            raise LimitExceeded(
                f"the template would compute a number over {MAX_INT_BITS:,} bits", "number size"
            )

    def counted(self, items: Iterable[Any]) -> Iterator[Any]:
        """A ``for`` loop's items, one step each (the loop is rewritten to call this)."""
        for item in items:
            self.tick()
            yield item

    def joined(self, *values: Any) -> str:
        """``a ~ b``: the same text Jinja builds, refused when it would be huge."""
        self.tick()
        self.check_size(sum(weight(v) for v in values), "a joined text")
        return "".join(str(v) for v in values)

    def printed(self, value: Any) -> Any:
        """What ``{{ value }}`` prints: markdown-escaped text, unless it is :class:`Markdown`.

        Counts what it prints, so text printed into blocks that are never output counts too.
        """
        if isinstance(value, (bool, int, float, date, Undefined)) or value is None:
            return value  # numbers and dates print as always; Undefined raises its own error
        if not isinstance(value, Markdown):
            self.check_size(weight(value), "a printed value")
            value = escape_markdown(str(value))
        self.printed_chars += len(value)
        if self.printed_chars > MAX_OUTPUT:
            raise LimitExceeded(
                f"the template printed over {MAX_OUTPUT:,} characters", "output size"
            )
        return value

    def concat(self, parts: Iterable[str]) -> Markdown:
        """The text of a macro, ``caller()`` or ``{% set %}`` block: built from the template's
        own text and values already escaped, so it is markdown and is not escaped again."""
        parts = list(parts)
        if sum(len(p) for p in parts) > MAX_OUTPUT:
            raise LimitExceeded(f"the template built over {MAX_OUTPUT:,} characters", "output size")
        return Markdown("".join(parts))

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        guarded = _GuardLoops().visit(tree)
        assert isinstance(guarded, nodes.Template)
        guarded.set_environment(self)  # the nodes added above need it like the parsed ones
        return guarded


def render(template: Template, context: dict[str, Any]) -> str:
    """``template`` rendered with ``context`` under the output size and time limits."""
    environment = template.environment
    assert isinstance(environment, BoundedSandbox)
    environment.deadline = time.monotonic() + MAX_SECONDS
    parts: list[str] = []
    size = 0
    for part in template.generate(context):  # piece by piece, so a huge report is never built
        size += len(part)
        if size > MAX_OUTPUT:
            raise LimitExceeded(f"the report would pass {MAX_OUTPUT:,} characters", "output size")
        environment.check_clock()
        parts.append(part)
    return "".join(parts)
