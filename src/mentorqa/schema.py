"""The JSON Schema of ``mentorqa.yaml`` for one framework, so editors (through the
yaml-language-server modeline ``init`` writes) check the file and complete its ids: indicators,
events, eligibility criteria, practice areas and statuses, each with its name as description."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .frameworks.model import Framework


def manifest_schema(framework: Framework | None = None) -> dict[str, Any]:
    """The manifest's schema; with ``framework``, its ids as completions and checked values."""
    document = _plain_schema()
    if framework is None:
        document["$id"] = "urn:mentorqa:manifest"
        return document
    fw = framework
    document["$id"] = f"urn:mentorqa:manifest:{fw.id}"
    document["title"] = f"mentorqa workspace manifest for {fw.name} ({fw.version})"
    props = document["properties"]
    record = props["indicators"]["additionalProperties"]
    props["indicators"]["properties"] = {
        ind_id: {**record, "description": f"{ind.title} ({area.name}, {ind.level})"}
        for ind_id, (area, ind) in fw.indicator_index.items()
    }
    props["indicators"]["propertyNames"] = {"enum": list(fw.indicator_index)}
    _ids(props["dates"], {e.id: e.name for e in fw.events})
    _ids(props["eligibility"], {c.id: c.question for c in fw.eligibility.criteria})
    _ids(props["areas"], {a.id: a.name for a in fw.practice_areas})
    props["framework"]["enum"] = [fw.id]
    status = document["$defs"]["Judgement"]["properties"]["status"]
    status["enum"] = list(fw.status_labels)
    status["description"] = "; ".join(f"{k}: {v}" for k, v in fw.status_labels.items())
    return document


# The modules whose text decides the plain schema: a change to any of them makes a new one.
_SOURCES = ("spec/manifest.py", "layout.py", "values.py")


def _plain_schema() -> dict[str, Any]:
    """The schema without a framework's ids, from the user's cache folder when mentorqa's
    version and the models' sources are those it was made from (building it imports pydantic
    and builds every model, most of what 'init' would cost)."""
    import hashlib
    import json

    from . import __version__
    from .store.files import cache_dir, installed, keep_cached

    here = Path(__file__).parent
    key = hashlib.sha256(__version__.encode())
    cached: Path | None = None
    try:
        for name in _SOURCES:
            key.update((here / name).read_bytes())
        key.update(str(installed("pydantic")).encode())  # a new pydantic may write it anew
        folder = cache_dir("schemas")
        cached = folder / f"manifest-{key.hexdigest()}.json" if folder else None
    except OSError:
        cached = None  # no sources to key it by: build it, every time
    if cached is not None:
        try:
            found: dict[str, Any] = json.loads(cached.read_text(encoding="utf-8"))
            return found
        except (OSError, ValueError):
            pass  # none yet, or a broken one: make it
    from .spec.manifest import json_schema

    document = json_schema()
    if cached is not None:
        keep_cached(cached, json.dumps(document))
    return document


def _ids(prop: dict[str, Any], known: dict[str, str]) -> None:
    """A mapping keyed by the framework's ids: each offered with its name, no other allowed."""
    value = prop.get("additionalProperties", {})
    prop["properties"] = {key: {**value, "description": name} for key, name in known.items()}
    prop["propertyNames"] = {"enum": list(known)}


def schema_for(framework: str | None, workspace: Path | None) -> dict[str, Any]:
    """The schema for ``framework``, else for the framework of the workspace at ``workspace``
    (or around the current folder), else the plain one."""
    from .frameworks import get
    from .store.files import find_root
    from .workspace import open_workspace

    root = find_root(workspace or Path.cwd(), must_exist=workspace is not None)
    if framework is None and root is not None:
        framework = open_workspace(root).manifest.framework
    return manifest_schema(get(framework, root).framework if framework is not None else None)
