"""Reports: every kind renders from a real workspace, names stay private, templates are sandboxed."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from mentorqa.frameworks import get

from ..conftest import run, write_tree


def report(ws: Path, *args: str) -> str:
    result = run("report", *args, "-w", ws)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def tables(markdown: str) -> int:
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    return sum(1 for t in tokens if t.type == "table_open")


def visit_item_id() -> str:
    return qim_ids("mentee_journey")[0]


def qim_ids(area: str) -> list[str]:
    fw = get("qim").framework
    return [i for i, (a, _) in fw.indicator_index.items() if a.id == area]


@pytest.fixture
def visited_qim(qim_ws: Path) -> Path:
    """A QiM workspace after a visit: interviews, a case study, judgements, area notes."""
    write_tree(qim_ws, {"evidence/aims.pdf": "aims", "private/case-1.md": "journey"})
    first = qim_ids("service")[0]
    visit_item = qim_ids("mentee_journey")[0]
    steps = [
        ["evidence", "add", first, qim_ws / "evidence/aims.pdf", "--note", "Business plan p.3"],
        ["mark", first, "met", "--note", "Clear aims, shared with referrers"],
        [
            "interview",
            "add",
            "mentee",
            "Mentee A",
            "--date",
            "2026-05-10",
            "--minutes",
            "18",
            "--informs",
            visit_item,
        ],
        ["case-study", "mentee_journey", "--title", "From referral to ending"],
        ["visit", "2026-05-10", "--mode", "remote"],
        ["mark", visit_item, "partly-met", "--note", "We think our first contact is slow"],
        ["mark", visit_item, "met", "--by", "assessor", "--note", "Mentee described their plan"],
        [
            "note",
            "mentee_journey",
            "--strength",
            "Warm, well-paced matching.",
            "--suggestion",
            "Record review dates in one place.",
        ],
    ]
    for args in steps:
        result = run(*args, "-w", qim_ws)
        assert result.exit_code == 0, (args, result.stderr)
    return qim_ws


def test_qim_assessor_report(visited_qim: Path) -> None:
    text = report(visited_qim, "--kind", "assessor", "--all-rows")
    assert text.startswith("# Quality in Mentoring: assessor's report")
    fw = get("qim").framework
    for area in fw.practice_areas:
        assert f"## {area.name}" in text
    for indicator in fw.indicator_index:  # with --all-rows, every indicator
        assert indicator in text
    assert "Mentee described their plan" in text
    # The assessor's judgement and the service's own view side by side, on the indicator's row.
    row = next(line for line in text.splitlines() if line.startswith(f"| {visit_item_id()} "))
    assert "| Met | Partly met |" in row
    assert "evidence/aims.pdf" in text
    assert "Warm, well-paced matching." in text and "Record review dates" in text
    assert "remote" in text
    assert "interview: mentee Mentee A" in text
    # The outcome, what is still to meet per area, then one table per practice area.
    assert tables(text) == 2 + len(fw.practice_areas)
    assert "Assessor's signature:" in text


def test_the_assessor_report_leaves_out_what_nobody_judged(
    visited_qim: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("visit", "--assessor", "Sam Okafor", "-w", visited_qim).exit_code == 0
    text = report(visited_qim, "--kind", "assessor")
    assert "**Assessor:** Sam Okafor" in text
    excellence = [
        i
        for i, (_, ind) in get("qim").framework.indicator_index.items()
        if ind.level == "excellence"
    ]
    assert not [i for i in excellence if f"| {i} " in text]  # none judged: not listed
    assert "Excellence indicators not yet judged are not listed" in text
    # A table has a Comment column only where some indicator has a comment (the example
    # service commented on Staff Management only).
    example = Path(__file__).resolve().parents[2] / "examples" / "qim-riverside"
    monkeypatch.setenv("MENTORQA_TODAY", "2026-06-15")  # the day the example was built
    shown = run("report", "--kind", "assessor", "-w", example).stdout
    heads = {
        part.split("\n", 1)[0]: next(
            ln for ln in part.splitlines() if ln.startswith("| Indicator |")
        )
        for part in shown.split("\n## ")[1:]
        if "\n| Indicator |" in part
    }
    assert "Comment" not in heads["The Service"] and "Comment" in heads["Staff Management"]


def test_progress_report_lists_what_is_missing(visited_qim: Path) -> None:
    text = report(visited_qim, "--kind", "progress")
    assert "Working towards: **Award**" in text
    assert "1 of 61" in text or "2 of 61" in text
    assert "```mermaid" in text and "gantt" in text
    assert "£750" in text  # Medium 1 total for a turnover of 120,000
    missing = re.findall(r"^\| (QIM-[A-Z]+-A\d+) \|", text, flags=re.M)
    assert len(missing) == 59


def test_default_kind_is_the_first_the_framework_lists(visited_qim: Path) -> None:
    assert report(visited_qim) == report(visited_qim, "--kind", "assessor")


def test_reports_name_no_one_without_consent(visited_qim: Path) -> None:
    manifest = visited_qim / "mentorqa.yaml"
    text = manifest.read_text()
    assert "pseudonym: Mentee A" in text
    # A real name typed into the manifest by hand must still not appear without consent.
    manifest.write_text(
        text.replace("pseudonym: Mentee A", "pseudonym: Mentee A\n    name: Jamie Doe")
    )
    assert "Jamie Doe" not in report(visited_qim, "--kind", "assessor")
    assert "Jamie Doe" not in report(visited_qim, "--kind", "progress")
    with_consent = manifest.read_text().replace("names_consent: false", "names_consent: true")
    assert with_consent != manifest.read_text()
    manifest.write_text(with_consent)
    assert "Jamie Doe" in report(visited_qim, "--kind", "assessor")


def test_html_is_one_page_without_raw_html(visited_qim: Path) -> None:
    assert (
        run(
            "note", "service", "--strength", "<script>alert(1)</script>", "-w", visited_qim
        ).exit_code
        == 0
    )
    page = report(visited_qim, "--kind", "assessor", "--format", "html")
    assert page.startswith("<!DOCTYPE html>") and "<table>" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "@media print" in page

    class Titles(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.h2: list[str] = []
            self._in = False

        def handle_starttag(self, tag: str, attrs: object) -> None:
            self._in = tag == "h2"

        def handle_data(self, data: str) -> None:
            if self._in:
                self.h2.append(data)
                self._in = False

    parser = Titles()
    parser.feed(page)
    assert "Mentee Journey" in parser.h2


def test_report_to_a_file(visited_qim: Path) -> None:
    target = visited_qim / "out" / "report.html"
    result = run("report", "--format", "html", "-o", target, "-w", visited_qim)
    assert result.exit_code == 0, result.stderr
    assert target.read_text().startswith("<!DOCTYPE html>")


def nqms_reviewed(ws: Path) -> Path:
    fw = get("nqms").framework
    items = list(fw.indicator_index)
    for item in items[:-2]:
        assert run("mark", item, "met", "--rating", "4", "-w", ws).exit_code == 0
    assert (
        run(
            "mark", items[-2], "not-met", "--rating", "2", "--note", "No survey yet", "-w", ws
        ).exit_code
        == 0
    )
    for event, day in [("submission", "2026-03-20"), ("review", "2026-04-24")]:
        assert run("event", event, day, "-w", ws).exit_code == 0
    for goal in ["Annual participant survey", "Closure interviews", "Board recruitment"]:
        result = run(
            "plan", "add", goal, "--target", "2027-03-01", "--action", "Draft it", "-w", ws
        )
        assert result.exit_code == 0, result.stderr
    assert run("plan", "agree", "2026-04-30", "-w", ws).exit_code == 0
    note = [
        "plan",
        "note",
        "--strength",
        "Strong screening",
        "--improvement",
        "No survey",
        "-w",
        ws,
    ]
    assert run(*note).exit_code == 0
    return ws


def test_nqms_summary_plan_and_statement(nqms_ws: Path) -> None:
    ws = nqms_reviewed(nqms_ws)
    fw = get("nqms").framework
    summary = report(ws, "--kind", "summary")
    assert "Confidential" in summary
    for section in fw.sections:
        assert f"## {section.name}" in summary
    assert "No survey yet" in summary
    assert "Strength: Strong screening" in summary and "To improve: No survey" in summary
    assert "Not yet answered (1)" in summary

    plan = report(ws, "--kind", "plan")
    assert "Annual participant survey" in plan and "2027-03-01" in plan
    assert "2026-10-24" in plan and "2028-04-24" in plan  # 6-24 months after the review
    assert "2026-07-30" in plan  # first check-in, 3 months after the plan was agreed

    statement = report(ws, "--kind", "statement")
    assert statement.count("\n1. ") == 1 and "\n3. " in statement
    assert "Signature: ___" in statement
    assert (
        run(
            "sign",
            "--name",
            "Pat Lee",
            "--role",
            "Executive Director",
            "--date",
            "2026-05-02",
            "-w",
            ws,
        ).exit_code
        == 0
    )
    signed = report(ws, "--kind", "statement")
    assert "Pat Lee" in signed and "2026-05-02" in signed and "___" not in signed


def test_an_empty_plan_renders_as_a_form_to_fill_in(nqms_ws: Path) -> None:
    plan = report(nqms_ws, "--kind", "plan")
    assert "## Priorities (3–5)" in plan and "No priorities recorded yet." in plan  # noqa: RUF001 - the report uses an en dash
    assert "Plan agreed:** —" in plan
    statement = report(nqms_ws, "--kind", "statement")
    assert "Name: ___" in statement


def test_unknown_kind_and_format(visited_qim: Path) -> None:
    result = run("report", "--kind", "plan", "-w", visited_qim)
    assert result.exit_code == 2 and "assessor, progress" in result.stderr
    result = run("report", "--format", "docx", "-w", visited_qim)
    assert result.exit_code == 2 and "md, html, pdf" in result.stderr


def test_workspace_template_overrides_the_bundled_one(visited_qim: Path) -> None:
    write_tree(
        visited_qim,
        {"templates/progress.md.j2": "{{ service.name }}: {{ levels[0].counted }} met\n"},
    )
    assert report(visited_qim, "--kind", "progress") == "Riverside Mentoring: 2 met\n"
    assert report(visited_qim, "--kind", "assessor").startswith("# Quality in Mentoring")


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("# Progress\n\n{{ 1 / 0 }}", ":3: template failed while rendering: ZeroDivisionError"),
        ("{{ '%d' % 'x' }}", ":1: template failed while rendering: TypeError"),
        ("{{ today.replace(month=13) }}", "ValueError: month must be in 1..12"),
    ],
)
def test_a_template_that_fails_while_rendering_names_its_line(
    visited_qim: Path, template: str, words: str
) -> None:
    write_tree(visited_qim, {"templates/progress.md.j2": template})
    result = run("report", "--kind", "progress", "-w", visited_qim)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {visited_qim / 'templates' / 'progress.md.j2'}:")
    assert words in result.stderr and "Traceback" not in result.stderr


def test_a_template_that_is_not_utf8_is_a_clear_error(visited_qim: Path) -> None:
    (visited_qim / "templates").mkdir()
    (visited_qim / "templates" / "progress.md.j2").write_bytes(b"\xff\xfe{{ 1 }}")
    result = run("report", "--kind", "progress", "-w", visited_qim)
    assert result.exit_code == 2
    assert "is not UTF-8 text" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "sandbox forbids"),
        ("{{ areas.append(1) }}", "sandbox forbids"),
        ("{% for x in %}", "template syntax error"),
        ("{{ no_such_thing.field }}", "check the names it uses"),
    ],
)
def test_hostile_or_broken_templates_are_clear_errors(
    visited_qim: Path, template: str, words: str
) -> None:
    write_tree(visited_qim, {"templates/progress.md.j2": template})
    result = run("report", "--kind", "progress", "-w", visited_qim)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and words in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("framework", "kinds"),
    [("qim", ["assessor", "progress"]), ("nqms", ["summary", "plan", "statement", "progress"])],
)
def test_every_report_says_where_its_wording_comes_from(
    tmp_path: Path, framework: str, kinds: list[str]
) -> None:
    ws = tmp_path / framework
    assert run("init", ws, "-f", framework, "-n", "Service").exit_code == 0
    for kind in kinds:
        shown = run("report", "--kind", kind, "-w", ws).stdout
        assert "version" in shown.splitlines()[-1]
        assert "mentorqa's own model of the framework, not the official wording" in shown
    if framework == "nqms":
        summary = run("report", "--kind", "summary", "-w", ws).stdout
        assert "qualifies" not in summary and "the affiliate decides" in summary
