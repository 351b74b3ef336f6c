"""JUnit XML: one test case per indicator, so any CI shows progress as a test report.

A case passes when its indicator counts as met, is skipped (with its state) while not yet met or
not applicable, and fails on an error; workspace-wide findings get cases of their own. Case names
never hold dates, so a dashboard tracks the same case from run to run.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ..assessment import Assessment
from ..rules.findings import CODES, Finding
from ..rules.indicators import IndicatorResult

# XML 1.0 cannot hold most control characters, even escaped: they become U+FFFD.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text that XML 1.0 can carry."""
    return _NOT_XML.sub("\ufffd", text)


def _state(r: IndicatorResult, labels: dict[str, str]) -> str:
    if r.status is None:
        return "not yet judged"
    return labels.get(r.status, r.status).lower()


def render_junit(result: Assessment, findings: Sequence[Finding], strict: bool = False) -> str:
    """The JUnit document of ``check``'s findings (a :class:`~mentorqa.results.Verdict`'s)."""
    fw = result.framework
    by_indicator: dict[str | None, list[Finding]] = {}
    for finding in findings:
        by_indicator.setdefault(finding.indicator, []).append(finding)
    suite = ET.Element("testsuite", name=xml_text(f"mentorqa {fw.id}"))
    counts = {"tests": 0, "failures": 0, "skipped": 0}

    def case(classname: str, name: str, items: list[Finding], skip: str | None) -> None:
        counts["tests"] += 1
        element = ET.SubElement(
            suite, "testcase", classname=xml_text(classname), name=xml_text(name)
        )
        failing = [f for f in items if f.severity == "error" or strict]
        for f in failing:
            ET.SubElement(
                element, "failure", message=xml_text(f"{f.code} {f.message}"), type=f.code
            ).text = xml_text(f"{f.file}:{f.line or ''}: {f.message}")
        if failing:
            counts["failures"] += 1
        elif skip is not None:
            ET.SubElement(element, "skipped", message=xml_text(skip))
            counts["skipped"] += 1
        notes = [f"warning {f.code}: {f.message}" for f in items if f not in failing]
        if notes:
            ET.SubElement(element, "system-out").text = xml_text("\n".join(notes))

    labels = fw.status_labels
    for r in result.indicators:
        case(
            r.area.name,
            f"{r.id} {r.title}",
            by_indicator.get(r.id, []),
            None if r.met and r.status != "not-applicable" else _state(r, labels),
        )
    known = set(fw.indicator_index)
    for ind_id, items in by_indicator.items():
        if ind_id is None:
            for code in sorted({f.code for f in items}):
                same = [f for f in items if f.code == code]
                case("workspace", f"{code} {CODES[code][1]}", same, None)
        elif ind_id not in known:
            case("workspace", f"{ind_id} (unknown indicator)", items, None)
    for key, value in counts.items():
        suite.set(key, str(value))
    suite.set("errors", "0")
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
