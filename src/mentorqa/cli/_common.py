"""What every command shares: consoles, the error mapping, options, JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup, TyperOption

from ..errors import MentorqaError

# Messages are not wrapped (soft_wrap), so a long line stays one line when piped or logged;
# tables still fit the terminal.
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def report_error(exc: MentorqaError) -> None:
    for problem in exc.problems:
        err.print(f"[bold red]error:[/] {escape(str(problem))}")


_TYPER_DISPLAY_TYPE: Callable[[TyperOption, Any], str | None] | None = getattr(
    TyperOption, "display_type_rich", None
)


def _flag_aware_type(self: TyperOption, ctx: Any) -> str | None:
    """An on/off flag takes no value, so its help shows no type (recent typer prints ``<bool>``,
    which reads as if a user had to type one)."""
    if self.is_flag and self.metavar is None:
        return None
    assert _TYPER_DISPLAY_TYPE is not None
    return _TYPER_DISPLAY_TYPE(self, ctx)


if _TYPER_DISPLAY_TYPE is not None:
    TyperOption.display_type_rich = _flag_aware_type  # type: ignore[method-assign]


class Group(TyperGroup):
    """Maps every :class:`MentorqaError` to ``error: ...`` lines and its exit code, in one place."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except MentorqaError as exc:
            report_error(exc)
            raise typer.Exit(exc.exit_code) from None


def print_json(document: Any) -> None:
    """One JSON document on stdout, nothing else there."""
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False, default=_json_default))
    sys.stdout.write("\n")


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return value.as_posix()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON document on stdout instead of a table.")
]
WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        metavar="DIR",
        help="The workspace folder. Default: the current folder or the nearest parent holding "
        "mentorqa.yaml.",
        show_default=False,
    ),
]
