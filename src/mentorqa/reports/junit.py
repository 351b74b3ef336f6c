"""JUnit XML: one test case per indicator so any CI shows the award as a test report."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ..assessment import Assessment, Finding
from ..records import write_file


def render_junit(result: Assessment, findings: list[Finding], strict: bool = False) -> str:
    """Failures for errors (and for warnings with ``strict``), skipped for not applicable."""
    fw = result.framework
    by_indicator: dict[str | None, list[Finding]] = {}
    for finding in findings:
        by_indicator.setdefault(finding.indicator, []).append(finding)
    suite = ET.Element("testsuite", name=f"{fw.id} {fw.version}: {result.manifest.service.name}")
    failures = skipped = tests = 0

    def case(classname: str, name: str, items: list[Finding], skip: str | None) -> None:
        nonlocal failures, skipped, tests
        tests += 1
        element = ET.SubElement(suite, "testcase", classname=classname, name=name)
        failing = [f for f in items if f.severity == "error" or strict]
        for finding in failing:
            ET.SubElement(
                element, "failure", message=finding.message, type=finding.severity
            ).text = f"{finding.file}: {finding.message}"
        if failing:
            failures += 1
        elif skip is not None:
            ET.SubElement(element, "skipped", message=skip)
            skipped += 1
        notes = [f"warning: {f.file}: {f.message}" for f in items if f not in failing]
        if notes:
            ET.SubElement(element, "system-out").text = "\n".join(notes)

    for r in result.indicators:
        skip = "not applicable" if r.status == "not-applicable" else None
        case(r.area.name, f"{r.id} {r.title}", by_indicator.get(r.id, []), skip)
    known = set(fw.indicator_index)
    for ind_id, items in by_indicator.items():
        if ind_id is None:
            for finding in items:
                case("workspace", finding.message, [finding], None)
        elif ind_id not in known:
            case("workspace", f"{ind_id} (unknown indicator)", items, None)
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


def write_junit(path: Path, result: Assessment, findings: list[Finding], strict: bool) -> None:
    write_file(path, render_junit(result, findings, strict))
