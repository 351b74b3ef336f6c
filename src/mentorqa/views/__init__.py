"""Pure formatters: one per output, over shared plain-data builders."""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError, resolve


def output_format(
    fmt: str | None,
    output: Path | None,
    formats: tuple[str, ...],
    default: str | None,
    json_: bool = False,
) -> str:
    """The format an output is written in: ``--format`` (or ``--json``), else the ``-o``
    file's extension, else ``default`` (None: the extension must say)."""
    if json_ and fmt not in (None, "json"):
        raise UsageError(f"--json and --format {fmt} ask for two formats; give one")
    if json_:
        return "json"
    if fmt is not None:
        return resolve("format", fmt, formats)
    suffix = output.suffix.lower().lstrip(".") if output is not None and str(output) != "-" else ""
    suffix = {"htm": "html", "markdown": "md"}.get(suffix, suffix)
    if suffix in formats:
        return suffix
    if default is None:
        shown = output.name if output is not None else "stdout"
        raise UsageError(
            f"cannot tell the format from '{shown}'; name it "
            f"{' or '.join('.' + f for f in formats)}, or give --format"
        )
    return default
