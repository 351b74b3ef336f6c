"""Every example report opened in headless Chromium, as an assessor or a trustee would: it
renders with no console error, shows its SVG charts and no Mermaid source, and prints to a
bounded number of A4 pages. Screenshots are kept under the temporary folder (CI artifacts)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "examples").glob("*/reports/*.html"))
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(os.environ.get("MENTORQA_ARTIFACTS", tempfile.gettempdir())) / "mentorqa-screens"
# Printed on A4: how many pages each example report may take at most.
MOST_PAGES = {"assessor": 6, "progress": 8, "summary": 6, "plan": 3, "statement": 2}

needs_browser = pytest.mark.skipif(
    BROWSER is None,
    reason="Debian's chromium is not installed here; .ci/run installs it (apt-get install "
    "chromium)",
)


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    flags = [
        "--headless",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
        f"--user-data-dir={profile}",
    ]
    return subprocess.run(
        [BROWSER, *flags, *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_there_are_example_pages() -> None:
    kinds = {page.stem for page in PAGES}
    assert {"assessor", "progress", "summary", "plan", "statement"} <= kinds


@needs_browser
@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_a_report_renders_prints_and_shows_its_charts(page: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    url = page.resolve().as_uri()
    dom = chromium("--dump-dom", url, profile=tmp_path / "p1")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "CONSOLE" not in dom.stderr and "Uncaught" not in dom.stderr
    assert "mermaid" not in dom.stdout and "gantt" not in dom.stdout
    assert "<script" not in dom.stdout
    if page.stem in ("assessor", "progress", "summary"):
        assert "<svg" in dom.stdout
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"{page.parent.parent.name}-{page.stem}.png"
    done = chromium(f"--screenshot={shot}", "--window-size=1000,1400", url, profile=tmp_path / "p2")
    assert done.returncode == 0 and shot.stat().st_size > 10_000
    pdf = tmp_path / "printed.pdf"
    printed = chromium(
        f"--print-to-pdf={pdf}", "--no-pdf-header-footer", url, profile=tmp_path / "p3"
    )
    assert printed.returncode == 0 and pdf.is_file(), printed.stderr[-2000:]
    assert 1 <= len(PdfReader(pdf).pages) <= MOST_PAGES[page.stem]


@needs_browser
def test_an_image_a_workspace_template_links_is_never_fetched(tmp_path: Path) -> None:
    """A workspace's templates may come from anyone: the report's content security policy
    keeps a browser from fetching what they link (which would tell a server who opened it)."""
    import http.server
    import threading

    from tests.conftest import run

    hits: list[str] = []

    class Probe(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Probe)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        ws = tmp_path / "ws"
        assert run("init", ws, "--framework", "qim", "--name", "Riverside").exit_code == 0
        (ws / "templates").mkdir()
        link = f"http://127.0.0.1:{server.server_port}/probe.png"
        (ws / "templates" / "progress.md.j2").write_text(f"# Progress\n\n![who opened]({link})\n")
        page = tmp_path / "report.html"
        done = run("report", "--kind", "progress", "--format", "html", "-o", page, "-w", ws)
        assert done.exit_code == 0, done.stderr
        assert f'src="{link}"' in page.read_text()  # the link is there; the policy stops it
        dom = chromium(
            "--virtual-time-budget=3000", "--dump-dom", page.as_uri(), profile=tmp_path / "p"
        )
        assert dom.returncode == 0 and "who opened" in dom.stdout
    finally:
        server.shutdown()
        server.server_close()
    assert hits == []
