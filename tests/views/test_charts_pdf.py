"""HTML reports carry their charts as inline SVG (never Mermaid source), and print to PDF."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from ..conftest import run

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize(
    ("example", "kind", "charts"),
    [
        ("qim-riverside", "progress", 2),  # progress per area, and the timeline
        ("qim-riverside", "assessor", 1),
        ("nqms-northside", "summary", 2),  # progress per area, and quality per area
    ],
)
def test_html_reports_show_svg_charts_and_no_mermaid(
    example: str, kind: str, charts: int, tmp_path: Path
) -> None:
    page = tmp_path / "report.html"
    assert run("report", "--kind", kind, "-o", page, "-w", EXAMPLES / example).exit_code == 0
    html = page.read_text()
    assert html.count("<svg") == charts
    assert "mermaid" not in html and "gantt" not in html
    for svg in re.findall(r"<svg.*?</svg>", html, flags=re.S):
        assert "<title" in svg and "<desc" in svg and 'role="img"' in svg
        assert "<script" not in svg and "href" not in svg


def test_chart_text_from_a_framework_is_escaped(tmp_path: Path) -> None:
    from mentorqa.frameworks import get
    from mentorqa.views.charts import area_progress

    ws = tmp_path / "ws"
    framework = (Path(__file__).resolve().parents[2] / "frameworks" / "qim.yaml").read_text()
    (ws / "frameworks").mkdir(parents=True)
    hostile = framework.replace("name: The Service", 'name: "<script>x</script> & Co"', 1)
    (ws / "frameworks" / "qim.yaml").write_text(hostile)
    assert run("init", ws, "-f", "qim", "-n", "S", "--start", "2026-03-01").exit_code == 0
    html = run("report", "--kind", "progress", "--format", "html", "-w", ws).stdout
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt; &amp; Co" in html
    assert area_progress.__name__ == "area_progress"
    assert get("qim").framework.practice_areas[0].name == "The Service"  # bundled file as it was


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def test_a_report_prints_to_pdf(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint", reason="the optional 'pdf' extra is not installed")
    out = tmp_path / "assessor.pdf"
    result = run("report", "--kind", "assessor", "-o", out, "-w", EXAMPLES / "qim-riverside")
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    assert 1 <= pages(out) <= 8  # the example assessor's report, printed on A4


def test_without_the_pdf_extra_the_install_command_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if it were not installed
    result = run("report", "-o", tmp_path / "r.pdf", "-w", EXAMPLES / "qim-riverside")
    assert result.exit_code == 2
    assert 'python -m pip install "mentorqa[pdf]"' in result.stderr
    assert not (tmp_path / "r.pdf").exists()


def test_a_pdf_is_not_sent_to_a_terminal(tmp_path: Path) -> None:
    result = run("report", "--format", "pdf", "-w", EXAMPLES / "qim-riverside")
    assert result.exit_code == 2 and "-o FILE.pdf" in result.stderr


def test_html_tables_are_captioned_and_headers_scoped(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    assert (
        run("report", "--kind", "assessor", "-o", page, "-w", EXAMPLES / "qim-riverside").exit_code
        == 0
    )
    html = page.read_text()
    assert html.count("<table>") == html.count('<caption class="sr">')
    assert "<th>" not in html and '<th scope="col">' in html
    assert '<html lang="en-GB">' in html


@pytest.mark.parametrize(
    ("example", "kind", "width"),
    [("qim-riverside", "assessor", 595), ("nqms-northside", "summary", 612)],
)
def test_pdf_pages_follow_the_frameworks_country_and_name_the_report(
    example: str, kind: str, width: int, tmp_path: Path
) -> None:
    pytest.importorskip("weasyprint", reason="the optional 'pdf' extra is not installed")
    from pypdf import PdfReader

    out = tmp_path / "r.pdf"
    assert run("report", "--kind", kind, "-o", out, "-w", EXAMPLES / example).exit_code == 0
    pages = PdfReader(out).pages
    assert round(float(pages[0].mediabox.width)) == width  # A4 in the UK, US Letter in the US
    service = "Riverside" if example.startswith("qim") else "Northside"
    assert all(service in page.extract_text() for page in pages)  # the running header
