"""The command lines :mod:`.fast` may read, as ``commands.json`` holds them.

Build time only: ``python -m mentorqa.spec.generate`` writes the file from :func:`describe`,
and a test holds the file to it. It builds every command with typer, as a run would, and says
for each parameter how typer's parser reads it.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import types
from collections.abc import Callable
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints

from .declare import Argument, Commands, Option
from .params import PLAIN
from .root import COMMANDS, build

# What a parameter's declaration may say for the fast path to read it as typer does: anything
# else (an envvar, a callback, a range, a path that must exist...) leaves the command to typer.
PLAIN_SETTINGS = {
    "help",
    "metavar",
    "show_default",
    "autocompletion",
    "rich_help_panel",
    "hidden",
    "case_sensitive",
    "parser",
}


def describe() -> dict[str, Any]:
    """For each command (``"mark"``, ``"evidence add"``) whose every parameter is plain: the
    function to call, and each parameter as typer's parser reads it (its option names, whether
    it is a flag, repeatable, required) with how its text becomes the value."""
    found: dict[str, Any] = {}
    for name, (module, attribute, _) in COMMANDS.items():
        target = getattr(importlib.import_module(f".{module}", __package__), attribute)
        command = build(name)
        functions = target.commands if isinstance(target, Commands) else {"": target}
        for sub, function in functions.items():
            params = _described(command.commands[sub] if sub else command, function)
            if params is not None:
                key = f"{name} {sub}".strip()
                found[key] = {"function": _named(function), "params": params}
    return found


def _described(command: Any, function: Callable[..., Any]) -> list[dict[str, Any]] | None:
    """Each parameter of ``command`` as the fast path reads it; None if any is not plain."""
    hints = get_type_hints(function, include_extras=True)
    if sorted(p.name for p in command.params) != sorted(inspect.signature(function).parameters):
        return None  # (a parameter typer fills itself, such as a context)
    described = []
    for param in command.params:
        hint = hints[param.name]
        base, *extras = get_args(hint) if get_origin(hint) is Annotated else (hint,)
        declared = next((e for e in extras if isinstance(e, (Option, Argument))), None)
        if declared is None or not set(declared.settings) <= PLAIN_SETTINGS:
            return None
        if param.envvar or param.callback or param.is_eager or not param.expose_value:
            return None
        if getattr(param, "prompt", None) or getattr(param, "count", False):
            return None
        many = param.multiple or param.nargs == -1
        if param.nargs not in (1, -1) or (many and get_origin(_bare(base)) is not list):
            return None
        kind = _kind(_bare(base), declared.settings, bool(getattr(param, "is_flag", False)))
        if kind is None:
            return None
        entry: dict[str, Any] = {"name": param.name, **kind}
        if param.param_type_name == "argument":
            entry["argument"] = True
        else:
            entry["opts"] = list(param.opts)
            if param.secondary_opts:
                entry["off"] = list(param.secondary_opts)
        if many:
            entry["many"] = True
        if param.required:
            entry["required"] = True
        described.append(entry)
    arguments = [e for e in described if e.get("argument")]
    if any(e.get("many") for e in arguments[:-1]):
        return None  # (a list of arguments before another: click's own arithmetic)
    return described


def _bare(hint: Any) -> Any:
    """``X`` of ``X | None``."""
    if get_origin(hint) in (types.UnionType, Union):
        others = [a for a in get_args(hint) if a is not type(None)]
        return others[0] if len(others) == 1 else hint
    return hint


def _kind(hint: Any, settings: dict[str, Any], flag: bool) -> dict[str, Any] | None:
    """How the fast path turns a parameter's text into its value (None: it cannot)."""
    if get_origin(hint) is list:
        (hint,) = get_args(hint)
    parser = settings.get("parser")
    if parser is not None:
        return {"parser": _named(parser)}
    if flag:
        return {"flag": True} if hint is bool else None
    if hint in PLAIN and hint is not bool:  # (a bool is a flag)
        return {"kind": hint.__name__}
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        fold = settings.get("case_sensitive", True) is False
        return {"choice": _named(hint)} | ({"fold": True} if fold else {})
    return None


def _named(thing: Any) -> str:
    """``module:name`` of a function or class of this package (as :func:`.fast.named` finds
    it); a ValueError for anything else, which the fast path could not find."""
    module, name = thing.__module__, thing.__qualname__
    if not module.startswith(f"{__package__}.") or "." in name:
        raise ValueError(f"{module}.{name} is not a name in {__package__}")
    return f"{module.removeprefix(f'{__package__}.')}:{name}"
