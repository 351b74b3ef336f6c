"""Write the plain models from the validating ones: ``python -m mentorqa.spec.generate``.

For each pydantic model of ``spec.framework`` and ``spec.manifest`` it writes a frozen dataclass
with the same fields, types and defaults, and a decoder that builds it from the model's JSON dump
(``model_dump(mode="json", by_alias=True)``), which is what the caches hold. The generated files
are not edited by hand; a test fails when they differ from what this module writes.

It also writes the bundled frameworks validated (``frameworks/validated/ID.json``), which a
first run decodes instead of validating them (see ``frameworks/loader.py``), and the command
lines the CLI may read without typer (``cli/commands.json``, see ``cli/fast.py``).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter

PACKAGE = Path(__file__).resolve().parents[1]

# The pydantic-free mixins a plain model also inherits (their methods are shared, not copied).
MIXINS = {"Framework": "FrameworkLookups", "Offset": "OffsetWords"}
# Models without __slots__ (the framework caches its look-ups in a __dict__): one object each,
# decoded through the constructor (a slot setter needs a slot).
UNSLOTTED = {"Framework"}


def _models(module: types.ModuleType) -> list[type[BaseModel]]:
    found = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__module__ == module.__name__
        and not value.__name__.startswith("_")
    ]
    return found  # definition order: module dicts keep it


# The annotated-types constraints a form carries, by class name: the attribute each holds.
_LIMITS = {"Ge": "ge", "Le": "le", "MinLen": "min_length", "MaxLen": "max_length"}


class _Writer:
    def __init__(self, models: list[type[BaseModel]]) -> None:
        self.names = {m.__name__ for m in models}
        self.classes = set(models)
        self.imports: set[tuple[str, str]] = set()  # after-validators the forms call

    def annotation(self, tp: Any) -> str:
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin is typing.Annotated:
            return self.annotation(args[0])
        if origin in (types.UnionType, typing.Union):
            return " | ".join(self.annotation(a) for a in args)
        if origin is typing.Literal:
            return f"Literal[{', '.join(repr(a) for a in args)}]"
        if origin is tuple:
            return f"tuple[{self.annotation(args[0])}, ...]"
        if origin is dict:
            return f"dict[{self.annotation(args[0])}, {self.annotation(args[1])}]"
        if tp is type(None):
            return "None"
        if tp is dt.date:
            return "dt.date"
        if isinstance(tp, type) and tp.__name__ in self.names:
            return tp.__name__
        if tp in (str, int, float, bool):
            return str(tp.__name__)
        raise TypeError(f"no plain form for {tp!r}")

    def decode(self, tp: Any, value: str) -> str:
        """An expression building the plain value of type ``tp`` from JSON data ``value``."""
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin is typing.Annotated:
            return self.decode(args[0], value)
        if origin in (types.UnionType, typing.Union):
            rest = [a for a in args if a is not type(None)]
            inner = self.decode(rest[0], value) if len(rest) == 1 else value
            return inner if inner == value else f"None if {value} is None else {inner}"
        if origin is tuple:
            item = self.decode(args[0], "x")
            return f"tuple({value})" if item == "x" else f"tuple({item} for x in {value})"
        if origin is dict:
            key = "int(k)" if args[0] is int else "k"
            item = self.decode(args[1], "x")
            if key == "k" and item == "x":
                return f"dict({value})"
            return f"{{{key}: {item} for k, x in {value}.items()}}"
        if tp is dt.date:
            return f"_day({value})"
        if isinstance(tp, type) and tp.__name__ in self.names:
            return f"_{tp.__name__}({value})"
        if tp is float:
            return f"float({value})"
        return value

    def form(self, tp: Any, metadata: list[Any]) -> str:
        """An expression of ``tp``'s form for :mod:`mentorqa.conform`, with the constraints in
        ``metadata`` (a field's, which pydantic applies to each branch but None)."""
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin is typing.Annotated:
            return self.form(args[0], [*metadata, *tp.__metadata__])
        if origin in (types.UnionType, typing.Union):
            return f"('union', {_tuple([self.form(a, metadata) for a in args])})"
        if tp is type(None):
            return "('none',)"
        if origin is typing.Literal:
            return f"('literal', {args!r})"
        if metadata and (origin in (tuple, dict) or tp in self.classes):
            raise TypeError(f"no certain check for constraints {metadata!r} on {tp!r}")
        if origin is tuple:
            return f"('tuple', {self.form(args[0], [])})"
        if origin is dict:
            return f"('dict', {self.form(args[0], [])}, {self.form(args[1], [])})"
        if tp in self.classes:
            return f"_{tp.__name__}_form"
        kind = {str: "str", int: "int", float: "float", bool: "bool", dt.date: "date"}.get(tp)
        if kind is None:
            raise TypeError(f"no certain check for {tp!r}")
        return self.scalar_form(kind, metadata)

    def scalar_form(self, kind: str, metadata: list[Any]) -> str:
        limits: dict[str, Any] = {"ge": None, "le": None, "min_length": None, "max_length": None}
        after: list[str] = []
        for item in metadata:
            func = getattr(item, "func", None)
            if type(item).__name__ == "AfterValidator" and func is not None:
                if func.__module__.startswith("mentorqa.spec"):
                    raise TypeError(f"{func.__qualname__}: move it out of spec/ (no pydantic)")
                self.imports.add((func.__module__, func.__name__))
                after.append(func.__name__)
            elif type(item).__name__ in _LIMITS:
                name = _LIMITS[type(item).__name__]
                limits[name] = getattr(item, name)
            elif getattr(item, "allow_inf_nan", True) is False and kind == "float":
                pass  # conform never takes a float that is not finite
            else:
                raise TypeError(f"no certain check for {item!r}")
        values = ", ".join(repr(v) for v in limits.values())
        return f"({kind!r}, {values}, {_tuple(after)})"

    def model_form(self, model: type[BaseModel]) -> list[str]:
        """The model's form: its fields' keys in the file, forms and JSON defaults."""
        _judged_alike(model)
        lines = ["", "", f"_{model.__name__}_form: Form = ('model', ("]
        for field_name, field in model.model_fields.items():
            key = field.alias or field_name
            form = self.form(field.annotation, list(field.metadata))
            if field.is_required():
                default = "REQUIRED"
            else:
                value = field.get_default(call_default_factory=True)
                adapter: TypeAdapter[Any] = TypeAdapter(field.annotation)  # type: ignore[arg-type]
                default = repr(adapter.dump_python(value, mode="json", by_alias=True))
            lines.append(f"    ({key!r}, {form}, {default}),")
        lines.append("))")
        return lines

    def default(self, field: Any) -> tuple[str, bool] | None:
        """(the default's expression, whether it must be made afresh for each object), or None
        for a required field."""
        if field.is_required():
            return None
        if field.default_factory is not None:
            return repr(field.default_factory()), True
        value = field.default
        if isinstance(value, BaseModel):
            return self.literal(value), True
        if isinstance(value, dict | list):
            return repr(value), True
        return repr(value), False

    def literal(self, model: BaseModel) -> str:
        """A plain model's constructor call with ``model``'s values (for a default)."""
        parts = [
            f"{name}={self.literal(value) if isinstance(value, BaseModel) else repr(value)}"
            for name, value in model
        ]
        return f"{type(model).__name__}({', '.join(parts)})"

    def model(self, model: type[BaseModel]) -> list[str]:
        name = model.__name__
        fields = model.model_fields
        bases = f"{MIXINS[name]}, Plain" if name in MIXINS else "Plain"
        lines = ["", "", f"class {name}({bases}):"]
        doc = model.__dict__.get("__doc__")
        if doc:
            lines += [f"    {_docstring(doc)}", ""]
        if name not in UNSLOTTED:
            lines.append(f"    __slots__ = {tuple(fields)!r}")
        lines.append(f"    _fields = {tuple(fields)!r}")
        defaults = {n: self.default(f) for n, f in fields.items()}
        shown = ", ".join(f"{n!r}: {d[0]}" for n, d in defaults.items() if d is not None)
        lines.append(f"    _defaults: ClassVar[dict[str, Any]] = {{{shown}}}")
        lines.append("")
        for field_name, field in fields.items():
            lines.append(f"    {field_name}: {self.annotation(field.annotation)}")
        lines += ["", "    def __init__(", "        self,", "        *,"]
        for field_name, field in fields.items():
            typed = self.annotation(field.annotation)
            made = defaults[field_name]
            if made is None:
                lines.append(f"        {field_name}: {typed},")
            elif made[1]:
                lines.append(f"        {field_name}: {typed} | None = None,")
            else:
                lines.append(f"        {field_name}: {typed} = {made[0]},")
        lines += ["    ) -> None:", "        put = object.__setattr__"]
        for field_name in fields:
            made = defaults[field_name]
            value = field_name
            if made is not None and made[1]:
                value = f"{made[0]} if {field_name} is None else {field_name}"
            lines.append(f"        put(self, {field_name!r}, {value})")
        return lines + self.decoder(name, fields)

    def decoder(self, name: str, fields: dict[str, Any]) -> list[str]:
        """The function that builds the plain ``name`` from its JSON dump."""
        values = {
            field_name: self.decode(field.annotation, f"d[{(field.alias or field_name)!r}]")
            for field_name, field in fields.items()
        }
        head = ["", "", f"def _{name}(d: dict[str, Any]) -> {name}:"]
        if name in UNSLOTTED:
            body = [f"        {field}={value}," for field, value in values.items()]
            return [*head, f"    return {name}(", *body, "    )"]
        # Many objects (50,000 evidence entries): each slot set directly, with no keyword
        # arguments to parse, which decodes three to four times faster than the constructor.
        setters = [f"_{name}_{field} = setter({name}, {field!r})" for field in values]
        body = [f"    _{name}_{field}(o, {value})" for field, value in values.items()]
        return ["", *setters, *head, f"    o = new({name})", *body, "    return o"]


# Model settings conform.py judges as pydantic does (an unknown key is left to pydantic);
# pydantic 2.11 to 2.13 spell populate_by_name out as the two _BOTH_WAYS, set to True.
_SAFE_CONFIG = {"extra", "frozen", "populate_by_name", "json_schema_extra"}
_BOTH_WAYS = {"validate_by_alias", "validate_by_name"}


def _judged_alike(model: type[BaseModel]) -> None:
    """Refuse, when generating, what would make conform.py judge ``model`` otherwise than
    pydantic: validators and serializers of any kind, other aliases, other settings."""
    found = model.__pydantic_decorators__
    for kind in ("validators", "field_validators", "root_validators", "model_validators"):
        if getattr(found, kind, None):
            raise TypeError(f"{model.__name__}: {kind} have no certain check in conform.py")
    for kind in ("field_serializers", "model_serializers", "computed_fields"):
        if getattr(found, kind, None):
            raise TypeError(f"{model.__name__}: {kind} change the dump conform.py writes")
    config: dict[str, Any] = dict(model.model_config)
    unsafe = {k for k in config if k not in _SAFE_CONFIG and not (k in _BOTH_WAYS and config[k])}
    if unsafe:
        raise TypeError(f"{model.__name__}: settings {sorted(unsafe)} unknown to conform.py")
    for name, field in model.model_fields.items():
        if {field.validation_alias, field.serialization_alias} - {None, field.alias}:
            raise TypeError(f"{model.__name__}.{name}: only a plain alias is judged alike")


def _tuple(items: list[str]) -> str:
    """A tuple expression of ``items``."""
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def _docstring(doc: str) -> str:
    text = " ".join(doc.split())
    return f'"""{text}"""'


HEADER = '''"""{title}

Generated by ``python -m mentorqa.spec.generate`` from ``{source}``: do not edit by hand.
These are the objects the tool works with; the pydantic models there validate the files and
are imported only when a file is read afresh (not from the cache) or a schema is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from {dots}plain import Plain, new, setter{extra}

_day = dt.date.fromisoformat  # (called as it is: decoders run once per value, thousands of times)
'''


def generate(which: str) -> str:
    """The text of the plain module for ``framework`` or ``manifest``."""
    if which == "framework":
        from . import framework as module

        title = "The framework model: a validated framework file, as plain read-only objects."
        extra = "\n\nfrom .lookups import FrameworkLookups, OffsetWords\n"
        dots = ".."
        entry = "Framework"
    else:
        from . import manifest as module  # type: ignore[no-redef]

        title = "The manifest model: a validated ``mentorqa.yaml``, as plain read-only objects."
        extra = ""
        dots = "."
        entry = "Manifest"
    models = _models(module)
    writer = _Writer(models)
    source = f"src/mentorqa/spec/{which}.py"
    lines = [HEADER.format(title=title, source=source, extra=extra, dots=dots).rstrip("\n")]
    for model in models:
        lines += writer.model(model)
    if which == "manifest":  # the forms conform.py checks a write's changes with
        for model in models:
            lines += writer.model_form(model)
        by_module: dict[str, list[str]] = {
            "conform": ["REQUIRED", "Form"],
            "plain": ["Plain", "new", "setter"],
        }
        for module_name, name in sorted(writer.imports):
            by_module.setdefault(module_name.removeprefix("mentorqa."), []).append(name)
        imports = [f"from {dots}{m} import {', '.join(n)}" for m, n in sorted(by_module.items())]
        lines[0] = lines[0].replace("from .plain import Plain, new, setter", "\n".join(imports))
    lines += [
        "",
        "",
        f"def decode(data: dict[str, Any]) -> {entry}:",
        f'    """A plain {entry} from a validated one\'s JSON dump."""',
        f"    return _{entry}(data)",
    ]
    if which == "manifest":
        forms = ", ".join(f"{m.__name__!r}: _{m.__name__}_form" for m in models)
        decoders = ", ".join(f"{m.__name__!r}: _{m.__name__}" for m in models)
        lines += [
            "",
            "",
            f"FORM = _{entry}_form  # the whole manifest's, for conform.patched",
            f"FORMS: dict[str, Form] = {{{forms}}}",
            f"DECODERS: dict[str, Any] = {{{decoders}}}",
        ]
    return "\n".join(lines) + "\n"


TARGETS = {"framework": PACKAGE / "frameworks" / "model.py", "manifest": PACKAGE / "manifest.py"}


def shipped() -> dict[Path, str]:
    """The validated bundled frameworks, by the file each is shipped in (frameworks/loader.py)."""
    from ..frameworks.loader import SHIPPED, shipped_entry
    from ..frameworks.registry import SUFFIXES
    from ..resources import bundled_dir

    sources = sorted(p for p in bundled_dir("frameworks").iterdir() if p.suffix in SUFFIXES)
    return {SHIPPED / f"{p.stem}.json": shipped_entry(p) for p in sources}


def main() -> None:
    for which, path in TARGETS.items():
        path.write_text(generate(which), encoding="utf-8")
        print(f"wrote {path}", file=sys.stderr)
    from ..frameworks.loader import SHIPPED

    entries = shipped()  # after the models: the frameworks are decoded by the new ones
    SHIPPED.mkdir(exist_ok=True)
    for stale in set(SHIPPED.glob("*.json")) - set(entries):
        stale.unlink()
    for path, text in entries.items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}", file=sys.stderr)
    from ..cli.fast import SPEC

    SPEC.write_text(commands_json(), encoding="utf-8")
    print(f"wrote {SPEC}", file=sys.stderr)


def commands_json() -> str:
    """``cli/commands.json``: the simple command lines, as the commands typer builds read them."""
    from ..cli.describe import describe

    return json.dumps(describe(), indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    main()
