"""What a shell may complete: a workspace's ids, from the framework of the workspace around the
current folder (nothing outside one)."""

from __future__ import annotations

from collections.abc import Callable


def complete_ids(kind: str) -> Callable[[str], list[str]]:
    """Shell completion of a workspace's ids ("indicator", "event" or "report"), from the
    framework of the workspace around the current folder; nothing outside a workspace."""

    def complete(incomplete: str) -> list[str]:
        from .errors import fold

        try:
            from .workspace import open_workspace

            fw = open_workspace().framework
        except Exception:  # completion must never fail the shell: offer nothing
            return []
        known = {
            "indicator": list(fw.indicator_index),
            "event": list(fw.event_names),
            "report": [r.id for r in fw.reports],
        }[kind]
        return [i for i in known if fold(i).startswith(fold(incomplete))]

    return complete
