"""GitHub Actions workflow commands: one ``::error`` or ``::warning`` line per finding.

GitHub turns each line a step prints into an annotation on the file and line it names, so the
findings of ``check`` show on the changed lines of a pull request. The file is named relative to
the repository root, which only the caller can find (it runs git), so it comes in as ``base``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence

from ..rules.findings import Finding
from ..values import visible


def escape_data(text: str) -> str:
    """A message as a workflow command carries it (GitHub's ``escapeData``).

    ``%`` goes first, so the escapes added after it are not escaped twice.
    """
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (``file=``, ``title=``): ``:`` and ``,`` would end it early."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def repository_path(base: str, file: str) -> str:
    """``file`` (relative to the workspace) relative to the repository root, as a POSIX path.

    ``base`` is the workspace folder relative to the repository root ('' or '.' at the root).
    """
    return posixpath.normpath(posixpath.join(base, file)) if base not in ("", ".") else file


def command(finding: Finding, base: str = "", strict: bool = False) -> str:
    """The workflow command for one finding; with ``strict`` a warning fails, so it is an error.

    The message starts with the code as the contract's plain form does, and the code is also the
    annotation's title, which is what the pull request view shows in bold.
    """
    kind = "error" if finding.severity == "error" or strict else "warning"
    properties = [f"file={escape_property(repository_path(base, finding.file))}"]
    if finding.line is not None:
        properties.append(f"line={finding.line}")
    properties.append(f"title={escape_property(finding.code)}")
    message = visible(f"{finding.code} {finding.message}")  # no control character in the log
    return f"::{kind} {','.join(properties)}::{escape_data(message)}"


def render_github(findings: Sequence[Finding], base: str = "", strict: bool = False) -> list[str]:
    """One workflow command per finding, errors first (as the text view lists them)."""
    ordered = [f for f in findings if f.severity == "error"]
    ordered += [f for f in findings if f.severity != "error"]
    return [command(f, base, strict) for f in ordered]
