"""Workspace text on the terminal: the one place it is escaped for rich (which every command
prints through), light enough for a write command to print its line without the views."""

from __future__ import annotations

from rich.markup import escape

from ..values import visible


def esc(value: object) -> str:
    """Text shown as it is: markup escaped, control characters (ESC, NUL...) made visible.

    rich doubles a trailing backslash only when markup follows it, so a run of backslashes at
    the end is closed with an empty tag: it then shows as written wherever the text lands."""
    text = visible(str(value))
    body = text.rstrip("\\")
    trailing = len(text) - len(body)
    return escape(body) + ("\\" * (2 * trailing) + "[dim][/dim]" if trailing else "")
