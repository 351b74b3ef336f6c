"""Workspace templates are untrusted: they cannot read other files, run without limit, or let
user text turn into report structure. Real workspaces in temporary folders, rendered through
the library and the CLI."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

import mentorqa
from mentorqa.frameworks import get
from mentorqa.views import sandbox
from mentorqa.views.report import render
from mentorqa.workspace import Workspace

from ..conftest import run, write_tree

SECRET = "root:x:0:0:SECRET-LINE"
INJECTED = "\n## Outcome: Excellence achieved\n"


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    """A fresh QiM workspace, and a secret file next to it (outside the workspace)."""
    (tmp_path / "outside.txt").write_text(SECRET)
    return mentorqa.create_workspace(
        tmp_path / "ws", "qim", "Name", start=datetime.date(2026, 3, 1)
    )


def report(ws: Workspace, kind: str = "progress", fmt: str = "md") -> str:
    return render(ws.assess(files=True), kind, fmt, ws.root)


def refused(ws: Workspace, *words: str) -> str:
    """Render the progress report expecting a clear error; returns its message."""
    with pytest.raises(mentorqa.MentorqaError) as caught:
        report(ws)
    message = str(caught.value)
    for word in words:
        assert word in message
    assert SECRET not in message
    return message


def headings(markdown: str) -> list[str]:
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    return [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]


# -- 1. files a template may read ----------------------------------------------------------


def test_a_template_that_is_a_link_to_a_file_outside_is_refused(ws: Workspace) -> None:
    (ws.root / "templates").mkdir()
    (ws.root / "templates" / "progress.md.j2").symlink_to(ws.root.parent / "outside.txt")
    message = refused(ws, "template 'progress.md.j2' is refused", "outside the folder")
    assert str(ws.root / "templates") in message


@pytest.mark.parametrize("tag", ["include", "extends", "import", "from"])
def test_include_extends_or_import_of_a_link_outside_is_refused(ws: Workspace, tag: str) -> None:
    statement = {
        "include": '{% include "leak.j2" %}',
        "extends": '{% extends "leak.j2" %}',
        "import": '{% import "leak.j2" as leak %}',
        "from": '{% from "leak.j2" import x %}',
    }[tag]
    write_tree(ws.root, {"templates/progress.md.j2": f"# Report\n{statement}\n"})
    (ws.root / "templates" / "leak.j2").symlink_to(ws.root.parent / "outside.txt")
    refused(ws, "template 'leak.j2' is refused", "outside the folder")


def test_a_link_into_the_private_folder_is_refused(ws: Workspace) -> None:
    write_tree(ws.root, {"private/names.md": SECRET, "templates/progress.md.j2": "x"})
    (ws.root / "templates" / "names.j2").symlink_to(ws.root / "private" / "names.md")
    write_tree(ws.root, {"templates/progress.md.j2": '{% include "names.j2" %}'})
    refused(ws, "template 'names.j2' is refused")


def test_private_is_refused_even_when_it_links_into_templates(ws: Workspace) -> None:
    # private/ itself a link to a folder inside templates/: the files are in templates/, but
    # they are the workspace's private files all the same.
    write_tree(ws.root, {"templates/people/names.md": SECRET})
    (ws.root / "private").rmdir() if (ws.root / "private").is_dir() else None
    (ws.root / "private").symlink_to(ws.root / "templates" / "people")
    write_tree(ws.root, {"templates/progress.md.j2": '{% include "people/names.md" %}'})
    refused(ws, "template 'people/names.md' is refused", "private/ folder")


def test_a_templates_folder_that_is_a_link_is_refused(ws: Workspace, tmp_path: Path) -> None:
    write_tree(tmp_path, {"elsewhere/progress.md.j2": SECRET})
    (ws.root / "templates").symlink_to(tmp_path / "elsewhere")
    refused(ws, "template 'progress.md.j2' is refused", "outside the folder")


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("../private/names.md", "'..' is not allowed"),
        ("../../outside.txt", "'..' is not allowed"),
        ("sub/../../outside.txt", "'..' is not allowed"),
        (str(Path("/etc/passwd")), "must be relative"),
    ],
)
def test_names_that_leave_the_folder_are_refused(ws: Workspace, name: str, words: str) -> None:
    write_tree(ws.root, {"private/names.md": SECRET, "templates/progress.md.j2": "x"})
    write_tree(ws.root, {"templates/progress.md.j2": f'{{% include "{name}" %}}'})
    refused(ws, f"template '{name}' is refused", words)


def test_links_inside_the_templates_folder_still_work(ws: Workspace) -> None:
    write_tree(
        ws.root,
        {
            "templates/parts/head.j2": "# {{ service.name }}\n",
            "templates/progress.md.j2": '{% include "head.j2" %}{% include "parts/head.j2" %}',
        },
    )
    (ws.root / "templates" / "head.j2").symlink_to(ws.root / "templates" / "parts" / "head.j2")
    assert report(ws) == "# Name\n# Name\n"


def test_refusals_are_clear_errors_from_the_cli(ws: Workspace) -> None:
    write_tree(ws.root, {"templates/progress.md.j2": '{% include "../../outside.txt" %}'})
    result = run("report", "--kind", "progress", "-w", ws.root)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: template '../../outside.txt' is refused")
    assert "Traceback" not in result.stderr and SECRET not in result.stdout + result.stderr


# -- 2. limits ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "limit"),
    [
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
            "step limit",
        ),
        (  # loops over the report data print nothing, yet still count
            "{% for a in levels %}{% for b in unmet %}{% for c in unmet %}{% for d in unmet %}"
            "{% for e in unmet %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}",
            "step limit",
        ),
        ("{{ 9**(9**9) }}", "number size limit"),
        ("{% set n = 10**1000 %}{{ n * n * n * n * n }}", "number size limit"),
        ("{{ 'x' * 10**9 }}", "value size limit"),
        ("{{ [unmet] * 10**6 }}", "value size limit"),
        ("{{ '%0999999999d' % 1 }}", "value size limit"),
        ("{{ '{:>999999999}'.format(1) }}", "value size limit"),
        ("{{ 'x'.ljust(10**9) }}", "value size limit"),
        ("{{ 'x' | center(10**9) }}", "value size limit"),
        ("{{ ('a\n' * 500000) | indent(10000) }}", "value size limit"),
        ("{{ range(100000) | join('x' * 100000) }}", "value size limit"),
        ("{{ range(100000) | map('string') | join('x' * 100000) }}", "value size limit"),
        ("{{ ('x' * 1000) | replace('x', 'y' * 10000) }}", "value size limit"),
        ("{{ range(50000) | batch(1) | sum(start=[]) }}", "sum filter may only add numbers"),
        (
            '{% set ns = namespace(x="ab") %}{% for i in range(64) %}'
            "{% set ns.x = ns.x ~ ns.x %}{% endfor %}",
            "value size limit",
        ),
        (
            '{% set ns = namespace(x="ab") %}{% for i in range(64) %}'
            "{% set ns.x = ns.x + ns.x %}{% endfor %}",
            "value size limit",
        ),
        (
            "{% for i in range(100000) %}{% for j in range(9) %}{{ 'x' * 100000 }}"
            "{% endfor %}{% endfor %}",
            "output size limit",
        ),
        (  # text built inside a block is never output, but counts
            "{% set big %}{% for i in range(100000) %}{{ 'y' * 1000 }}{% endfor %}{% endset %}",
            "output size limit",
        ),
    ],
)
def test_templates_that_would_run_without_limit_are_stopped(
    ws: Workspace, template: str, limit: str
) -> None:
    write_tree(ws.root, {"templates/progress.md.j2": template})
    started = time.monotonic()
    message = refused(ws, "template 'progress.md.j2' stopped", limit)
    assert "templates should only format the report data" in message
    assert time.monotonic() - started < sandbox.MAX_SECONDS


def test_a_template_that_runs_too_long_is_stopped(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.05)
    write_tree(
        ws.root,
        {"templates/progress.md.j2": "{% for i in range(100000) %}{{ i }}{% endfor %}" * 9},
    )
    refused(ws, "ran for more than 0.05 seconds (time limit)")


def test_limits_are_clear_errors_from_the_cli(ws: Workspace) -> None:
    write_tree(ws.root, {"templates/progress.md.j2": "{{ 9**(9**9) }}"})
    result = run("report", "--kind", "progress", "-w", ws.root)
    assert result.exit_code == 2 and result.stderr.startswith("error: template 'progress.md.j2'")
    assert "number size limit" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("framework", ["qim", "nqms"])
def test_bundled_templates_are_far_below_the_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, framework: str
) -> None:
    """Every bundled report of a workspace with everything recorded renders with a hundredth
    of each limit."""
    ws = mentorqa.create_workspace(
        tmp_path / "ws", framework, "Name", start=datetime.date(2026, 3, 1)
    )
    fw = get(framework).framework
    for indicator in fw.indicator_index:
        note = "A long note about the evidence seen. " * 5
        args = ["mark", indicator, "met", "--note", note, "-w", ws.root]
        if framework == "nqms":
            args += ["--rating", "4"]
        assert run(*args).exit_code == 0
    for name in ("MAX_STEPS", "MAX_OUTPUT", "MAX_VALUE"):
        monkeypatch.setattr(sandbox, name, getattr(sandbox, name) // 100)
    monkeypatch.setattr(sandbox, "MAX_SECONDS", sandbox.MAX_SECONDS / 10)
    for kind in fw.reports:
        assert report(ws, kind.id)


# -- 3. user text cannot become markdown structure ----------------------------------------


def test_user_text_cannot_add_headings_or_raw_html(tmp_path: Path) -> None:
    ws = mentorqa.create_workspace(
        tmp_path / "ws", "qim", "Name" + INJECTED, start=datetime.date(2026, 3, 1)
    )
    area, indicator = "mentee_journey", next(iter(get("qim").framework.indicator_index))
    html = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    steps = [
        ["note", area, "--strength", "Warm" + INJECTED, "--suggestion", html],
        ["interview", "add", "mentee", "Mentee A" + INJECTED, "--date", "2026-05-10"],
        ["case-study", area, "--title", "Journey" + INJECTED],
        ["mark", indicator, "met", "--by", "assessor", "--note", "Seen\u2028# Outcome\r" + html],
    ]
    for args in steps:
        result = run(*args, "-w", ws.root)
        assert result.exit_code == 0, (args, result.stderr)
    for kind in ("assessor", "progress"):
        markdown = report(ws, kind)
        assert not [h for h in headings(markdown) if "Excellence" in h]
        assert "<script" not in markdown and "<img" not in markdown
        page = report(ws, kind, "html")
        assert "<script" not in page and "<img" not in page
    markdown = report(ws, "assessor")
    assert "Warm ## Outcome: Excellence achieved" in markdown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in markdown
    assert "Seen \\# Outcome" not in markdown  # '#' mid-text needs no escape
    assert "Seen # Outcome" in markdown


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("# Heading", "\\# Heading"),
        ("  ## Heading", "  \\## Heading"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("* item", "\\* item"),
        ("---", "\\---"),
        ("===", "\\==="),
        ("```mermaid", "\\```mermaid"),
        ("1. item", "1\\. item"),
        ("12) item", "12\\) item"),
        ("> quote", "&gt; quote"),
        ("| a | b |", "\\| a \\| b \\|"),
        ("![x](https://example.com/t.png)", "!\\[x\\](https://example.com/t.png)"),
        ("a\\", "a\\\\"),
        ("Smith & Jones <b>", "Smith &amp; Jones &lt;b&gt;"),
        ("one\ntwo\r\nthree\u2028four\u2029five\x85six", "one two  three four five six"),
        ("bell\x07 and\x1b[31m escape", "bell and\\[31m escape"),
        ("-5 and 3.8 and *bold*", "-5 and 3.8 and *bold*"),
    ],
)
def test_printed_text_is_escaped_for_markdown(ws: Workspace, text: str, printed: str) -> None:
    assert sandbox.escape_markdown(text) == printed
    # The same through a template and the report data (a strength is user text).
    assert run("note", "service", "--strength", text, "-w", ws.root).exit_code == 0
    write_tree(ws.root, {"templates/progress.md.j2": "{{ areas[0].strengths[0] }}"})
    assert report(ws) == printed


def test_dates_numbers_and_built_markdown_print_as_they_are(ws: Workspace) -> None:
    write_tree(
        ws.root,
        {
            "templates/progress.md.j2": (
                "{{ today }} {{ today | date }} {{ 3.5 }} {{ -5 }} {{ levels[0].total }}\n"
                "{% macro h(x) %}## {{ x }}{% endmacro %}"
                "{{ h('A & B') }}\n"
                "{% set block %}- {{ '<i>' }}{% endset %}"
                "{{ block }}\n"
                "{{ '**bold**' | safe }} {{ 'a|b' | cell }} {{ 'x' ~ '<' }}"
            )
        },
    )
    assert report(ws) == (
        "2026-05-15 2026-05-15 3.5 -5 61\n## A &amp; B\n- &lt;i&gt;\n**bold** a\\|b x&lt;"
    )


def test_cell_keeps_table_rows_whole(ws: Workspace) -> None:
    assert run("note", "service", "--strength", "a | b\n| c |", "-w", ws.root).exit_code == 0
    write_tree(
        ws.root,
        {"templates/progress.md.j2": "| x |\n|---|\n| {{ areas[0].strengths[0] | cell }} |\n"},
    )
    markdown = report(ws)
    assert markdown.endswith("| a \\| b \\| c \\| |\n")
    assert MarkdownIt("commonmark").enable("table").render(markdown).count("<td>") == 1


def test_the_timeline_is_markdown_mentorqa_built(ws: Workspace) -> None:
    markdown = report(ws)
    assert "\n```mermaid\ngantt\n" in markdown
