"""The base of the plain models (``frameworks/model.py``, ``manifest.py``, generated from the
pydantic ones in ``spec/``): read-only values compared field by field, cheap to import and to
build, so a command on cached, validated files neither builds pydantic models nor parses YAML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

P = TypeVar("P", bound="Plain")
new = object.__new__  # the generated decoders make an object, then set each slot


def setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    """The setter of ``cls``'s slot ``name`` (read-only objects are filled in by decoders)."""
    slot: Any = cls.__dict__[name]
    return slot.__set__  # type: ignore[no-any-return]


class Plain:
    """A read-only record of named fields (``_fields``), with defaults (``_defaults``)."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, Any]] = {}

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only; use replace()")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(
            getattr(self, name) == getattr(other, name) for name in self._fields
        )

    def __hash__(self) -> int:
        return hash((type(self), *(_hashable(getattr(self, name)) for name in self._fields)))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({shown})"

    def replace(self: P, **changes: Any) -> P:
        """A copy with ``changes``."""
        values = {name: getattr(self, name) for name in self._fields}
        values.update(changes)
        return type(self)(**values)


_SHARED = (str, int, float, bool, type(None), dt.date, dt.datetime)


def copied(value: Any) -> Any:
    """A copy of plain data for a change: mappings and lists anew, values that cannot change
    shared (three times faster than ``copy.deepcopy`` on a large manifest)."""
    kind = type(value)
    if kind is dict:
        return {key: copied(item) for key, item in value.items()}
    if kind is list:
        return [copied(item) for item in value]
    if isinstance(value, _SHARED):
        return value
    import copy

    return copy.deepcopy(value)


def _hashable(value: object) -> object:
    return tuple(sorted(value.items())) if isinstance(value, dict) else value


def data(value: Any, *, changed_only: bool = False) -> Any:
    """A model's data as plain values (tuples as lists); ``changed_only`` leaves out the fields
    that hold their defaults (what a file would say)."""
    if isinstance(value, Plain):
        shown: dict[str, Any] = {}
        for name in value._fields:
            current = getattr(value, name)
            if changed_only and name in value._defaults and current == value._defaults[name]:
                continue
            shown[name] = data(current, changed_only=changed_only)
        return shown
    if isinstance(value, tuple | list):
        return [data(v, changed_only=changed_only) for v in value]
    if isinstance(value, dict):
        return {k: data(v, changed_only=changed_only) for k, v in value.items()}
    return value
