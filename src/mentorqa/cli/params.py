"""Plain command-line values without pydantic.

typer 0.29 turns every parameter's value into its annotated type through a pydantic
``TypeAdapter``, built when the command runs: importing pydantic's adapter machinery and
building them is some 100-200 ms of a command that otherwise takes 300. Most of mentorqa's
parameters are text, paths, flags, numbers, choices and lists of those, which need no
validation beyond what click has done, so they are converted here; any other type (a date) is
handed to typer's own coercion, built only when that parameter is actually given.

This relies on typer's ``_TyperParameter._runtime_param`` hook (typer >= 0.29); with a typer
that lacks it, nothing here applies and typer converts every value itself, as before.
"""

from __future__ import annotations

import enum
import re
from pathlib import Path
from typing import Any

_PATH_DEFAULTS = {
    "exists": False,
    "file_okay": True,
    "dir_okay": True,
    "writable": False,
    "resolve_path": False,
    "allow_dash": False,
    "path_type": None,
}
_DIGITS = re.compile(r"[+-]?[0-9]{1,18}")  # a whole number as both Python and pydantic read it


def whole(value: Any) -> int:
    """A whole number written in plain digits; a ValueError for anything else (typer words it)."""
    if type(value) is int:
        return value
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        return int(value)
    raise ValueError(value)


# Plain values and how each is converted, by type; commands.json names a kind by its type's name
# (see describe.py), and the fast path converts it from there.
PLAIN: dict[Any, Any] = {str: str, Path: Path, bool: bool, int: whole}
PLAIN_BY_NAME = {kind.__name__: convert for kind, convert in PLAIN.items()}


def _converter(annotation: Any, info: Any) -> Any:
    """How to convert one given value of ``annotation`` without pydantic; None: typer's way."""
    if annotation is Path and any(
        getattr(info, key, default) != default for key, default in _PATH_DEFAULTS.items()
    ):
        return None  # a path with constraints: typer checks them
    if getattr(info, "parser", None) is not None or getattr(info, "click_type", None) is not None:
        return None
    if annotation in PLAIN:
        return PLAIN[annotation]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return annotation  # click has checked the value is one of the choices: look it up
    return None


def install(command: Any) -> None:
    """Give each plain parameter of ``command`` (and its subcommands) the light conversion."""
    try:
        from typer._coercion import RuntimeParam, build_runtime_param
    except ImportError:  # another typer: it converts every value itself
        return

    class Light(RuntimeParam):  # typer's private base class
        """Converts a plain value directly; anything else through typer, built on first use."""

        descriptor: Any
        convert: Any
        many: bool

        def __init__(self, descriptor: Any, convert: Any, many: bool) -> None:
            object.__setattr__(self, "parameter_info", descriptor.parameter_info)
            object.__setattr__(self, "annotation", descriptor.annotation)
            object.__setattr__(self, "descriptor", descriptor)
            object.__setattr__(self, "convert", convert)
            object.__setattr__(self, "many", many)

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            convert = self.convert
            values = list(value) if self.many else [value]
            if convert is None or (convert is bool and not all(type(v) is bool for v in values)):
                typer_way = build_runtime_param(self.descriptor)
                return typer_way._coerce_value(value, param=param, ctx=ctx)
            try:
                done = [v if type(v) is convert else convert(v) for v in values]
            except (ValueError, TypeError):  # not what click lets through: typer words it
                typer_way = build_runtime_param(self.descriptor)
                return typer_way._coerce_value(value, param=param, ctx=ctx)
            return done if self.many else done[0]

    def light(param: Any) -> None:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", False) is not None:
            return
        annotation, many = descriptor.annotation, False
        if getattr(annotation, "__origin__", None) is list and len(annotation.__args__) == 1:
            annotation, many = annotation.__args__[0], True
        convert = _converter(annotation, descriptor.parameter_info)
        param._runtime_param = Light(descriptor, convert, many)

    for param in getattr(command, "params", ()):
        light(param)
    help_option = getattr(command, "get_help_option", None)
    if help_option is not None and not getattr(help_option, "light", False):
        # --help is an option typer makes afresh for each run, outside ``params``.
        def get_help_option(ctx: Any) -> Any:
            option = help_option(ctx)
            light(option)
            return option

        get_help_option.light = True  # type: ignore[attr-defined]
        command.get_help_option = get_help_option
    for sub in getattr(command, "commands", {}).values():
        install(sub)
