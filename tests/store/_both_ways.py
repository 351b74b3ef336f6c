"""The check the quick writes are held to: the same write run on a workspace whose cache is
warm (the quick paths) and on a copy with no cache (the general write) gives the same outcome,
the same bytes in both files, and a cache that equals a fresh read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import mentorqa
from mentorqa.store.manifest_file import _lines_with_layout, read_manifest


def both_ways(
    fast: Path,
    general: Path,
    write: Callable[[mentorqa.Workspace, Path], Any],
    monkeypatch: pytest.MonkeyPatch,
) -> bool:
    """Run ``write(workspace, root)`` both ways and compare; True where the fast one took a
    quick path (its read keeps the cached JSON a general write does not)."""
    outcome = []
    quick = False
    for root in (fast, general):
        if root == general:
            monkeypatch.setenv("MENTORQA_NO_CACHE", "1")  # no cache: the general write
        ws = mentorqa.open_workspace(root)
        try:
            change = write(ws, root)
            outcome.append((change.summary, change.replaced, change.warnings))
            quick = quick or (root == fast and ws.file.cached_json is not None)
        except mentorqa.MentorqaError as exc:
            outcome.append((str(exc).replace(str(root), "WS"), None, ()))
        monkeypatch.delenv("MENTORQA_NO_CACHE", raising=False)
    assert outcome[0] == outcome[1]
    for name in ("mentorqa.yaml", "mentorqa.evidence.tsv"):
        a, b = fast / name, general / name
        assert a.exists() == b.exists(), name
        if a.exists():
            assert a.read_bytes() == b.read_bytes(), name
    cached, afresh = read_manifest(fast), read_manifest(fast, cache=False)
    assert cached.manifest == afresh.manifest
    if cached._document is None:  # answered from the cache: its lines are those of the text
        assert cached._lines == _lines_with_layout(
            read_manifest(fast, for_write=True).document.root
        )
    return quick
