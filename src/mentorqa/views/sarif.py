"""SARIF 2.1.0: ``check``'s findings for GitHub code scanning and other dashboards.

One rule per finding code (every code, found or not, so a dashboard can show the whole rule set),
one result per finding, each located in the manifest relative to the repository root. The rules'
help links point at docs/checks.md on the project's main branch: ``HELP`` + ``#mqa101``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..rules.findings import CODES, Finding
from .github import repository_path

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
HOME = "https://github.com/mentorqa/mentorqa"
HELP = f"{HOME}/blob/main/docs/checks.md"
# GitHub code scanning resolves %SRCROOT% to the checkout, so URIs relative to it land on the file.
SRCROOT = "%SRCROOT%"


def help_uri(code: str) -> str:
    """Where docs/checks.md explains ``code`` (its heading's anchor is the code in lower case)."""
    return f"{HELP}#{code.lower()}"


def rule_name(title: str) -> str:
    """SARIF wants a rule name as an identifier: 'unknown indicator' -> 'UnknownIndicator'."""
    return "".join(
        word.capitalize() for word in re.findall(r"[A-Za-z0-9]+", title.replace("'", ""))
    )


def rules() -> list[dict[str, Any]]:
    """Every finding code as a SARIF reporting descriptor, in code order."""
    return [
        {
            "id": code,
            "name": rule_name(title),
            "shortDescription": {"text": title},
            "helpUri": help_uri(code),
            "help": {"text": f"{code} {title}: see {help_uri(code)}"},
            "defaultConfiguration": {"level": severity},
        }
        for code, (severity, title) in CODES.items()
    ]


def result(finding: Finding, index: int, base: str = "", strict: bool = False) -> dict[str, Any]:
    """One finding as a SARIF result; with ``strict`` a warning fails, so its level is error."""
    physical: dict[str, Any] = {
        # A URI, not a path: a space or a '#' in a folder name must be percent-encoded.
        "artifactLocation": {
            "uri": quote(repository_path(base, finding.file)),
            "uriBaseId": SRCROOT,
        }
    }
    if finding.line is not None:
        physical["region"] = {"startLine": finding.line}
    entry: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": "error" if finding.severity == "error" or strict else "warning",
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": physical}],
    }
    if finding.indicator is not None:
        entry["properties"] = {"indicator": finding.indicator}
    return entry


def render_sarif(
    findings: Sequence[Finding], base: str = "", strict: bool = False
) -> dict[str, Any]:
    """The SARIF log of ``check``'s findings; ``base`` is the workspace relative to the
    repository root ('' when the workspace is the root)."""
    index = {code: n for n, code in enumerate(CODES)}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mentorqa",
                        "informationUri": HOME,
                        "version": __version__,
                        "rules": rules(),
                    }
                },
                "results": [result(f, index[f.code], base, strict) for f in findings],
            }
        ],
    }
