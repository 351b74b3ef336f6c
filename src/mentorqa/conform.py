"""Certain validation without pydantic, for writes on a manifest read from the cache.

``spec/generate.py`` writes, beside each plain model of ``manifest.py``, a *form* of every field:
its type and constraints as plain tuples, taken from the pydantic model (one definition, never
kept by hand). :func:`patched` uses them to judge only what a write changed, in a manifest whose
every other part was validated when it was cached, and to give the validated JSON the cache
holds. It answers only where the answer is certain (the exact Python types a file's reader
gives, within the constraints); anything else raises :class:`Unsure`, and the caller validates
the whole manifest with pydantic, which also words the located error.

Forms:
    ("str"|"int"|"float"|"bool"|"date", ge, le, min_length, max_length, after-validators)
    ("none",)  ("literal", values)  ("union", forms)  ("tuple", form)  ("dict", key, value)
    ("model", fields)  with fields a tuple of (key in the file, form, JSON default or REQUIRED)
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from typing import Any

from .plain import copied

Form = tuple[Any, ...]
REQUIRED = object()  # a field without a default
_MISSING = object()


class Unsure(Exception):
    """The data may be invalid, or valid only by a conversion this module does not make."""


def _sized(value: Any, form: Form) -> None:
    _, ge, le, shortest, longest, _after = form
    if ge is not None and not value >= ge:
        raise Unsure
    if le is not None and not value <= le:
        raise Unsure
    if shortest is not None and len(value) < shortest:
        raise Unsure
    if longest is not None and len(value) > longest:
        raise Unsure


def _after(value: Any, validators: Sequence[Callable[[Any], Any]]) -> Any:
    for validator in validators:
        try:
            value = validator(value)
        except ValueError:
            raise Unsure from None
    return value


def _scalar(form: Form, value: Any) -> Any:
    kind = form[0]
    if kind == "str" and type(value) is str:
        _sized(value, form)
        return _after(value, form[5])
    if kind == "int" and type(value) is int:
        _sized(value, form)
        return _after(value, form[5])
    if kind == "float" and type(value) in (int, float):
        try:
            number = float(value)
        except OverflowError:
            raise Unsure from None
        if not math.isfinite(number):
            raise Unsure
        _sized(number, form)
        return _after(number, form[5])
    if kind == "bool" and type(value) is bool:
        return _after(value, form[5])
    if kind == "date" and type(value) is dt.date:
        _sized(value, form)
        day: dt.date = _after(value, form[5])
        return day.isoformat()
    raise Unsure


def dump(form: Form, value: Any) -> Any:
    """The JSON dump pydantic gives ``value`` validated as ``form`` (by alias, defaults filled
    in); :class:`Unsure` where it might not validate, or only by a conversion."""
    kind = form[0]
    if kind == "none":
        if value is None:
            return None
        raise Unsure
    if kind == "literal":
        if any(type(value) is type(allowed) and value == allowed for allowed in form[1]):
            return value
        raise Unsure
    if kind == "union":
        if value is None and ("none",) in form[1]:
            return None
        fits = []
        for choice in form[1]:
            try:
                fits.append(dump(choice, value))
            except Unsure:
                continue
        if len(fits) != 1:  # none fits, or several: which pydantic picks is not settled here
            raise Unsure
        return fits[0]
    if kind == "tuple":
        if type(value) is not list:
            raise Unsure
        return [dump(form[1], item) for item in value]
    if kind == "dict":
        if type(value) is not dict:
            raise Unsure
        return {dump(form[1], key): dump(form[2], item) for key, item in value.items()}
    if kind == "model":
        return _model(form[1], value, None, None)
    return _scalar(form, value)


def _model(fields: Sequence[Form], value: Any, old: Any, old_json: Any) -> dict[str, Any]:
    """A model's JSON dump; where ``old`` (with its dump ``old_json``) is given, fields equal
    in both keep their old dump unchecked."""
    if type(value) is not dict:
        raise Unsure
    known = {key for key, _form, _default in fields}
    if any(key not in known for key in value):
        raise Unsure  # an unknown key, or a field named by its Python name: pydantic words it
    out: dict[str, Any] = {}
    for key, form, default in fields:
        item = value.get(key, _MISSING)
        if item is _MISSING:
            if default is REQUIRED:
                raise Unsure
            out[key] = copied(default)  # never the form's own list or mapping
        elif old is not None and key in old:
            out[key] = patched(form, old[key], item, old_json[key])
        else:
            out[key] = dump(form, item)
    return out


def patched(form: Form, old: Any, new: Any, old_json: Any) -> Any:
    """The JSON dump of ``new``, given that ``old`` validated as ``form`` to ``old_json``: only
    the parts that differ are checked. :class:`Unsure` as for :func:`dump`."""
    if _same(old, new):
        return old_json
    kind = form[0]
    if kind == "model" and type(old) is dict and type(old_json) is dict:
        return _model(form[1], new, old, old_json)
    if kind == "dict" and type(old) is dict and type(new) is dict and type(old_json) is dict:
        out = {}
        for key, item in new.items():
            if key in old and type(key) is str and key in old_json:
                out[key] = patched(form[2], old[key], item, old_json[key])
            else:
                out[dump(form[1], key)] = dump(form[2], item)
        return out
    return dump(form, new)


def _same(old: Any, new: Any) -> bool:
    """Equal, and of the same types all the way down (1 is not True, 1.0 is not 1)."""
    if type(old) is not type(new):
        return False
    if type(old) is dict:  # the order of keys too: pydantic keeps a mapping's order
        return list(old) == list(new) and all(
            type(k) is str and _same(v, new[k]) for k, v in old.items()
        )
    if type(old) is list:
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new, strict=True))
    return bool(old == new)
