"""Spreadsheets in and out: export, import of judgements, frameworks from an indicator list.

Real files in temporary folders: openpyxl writes and reads real xlsx workbooks, the CLI runs
in-process as the console script would."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest
import yaml

from mentorqa.frameworks import get, load_framework

from .conftest import run

HEADER = [
    "indicator",
    "area",
    "level",
    "title",
    "method",
    "status",
    "rating",
    "note",
    "assessor_status",
    "assessor_rating",
    "assessor_note",
    "evidence",
]


def ok(*args: str | Path, cwd: Path | None = None) -> str:
    result = run(*args, cwd=cwd)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def manifest(ws: Path) -> bytes:
    return (ws / "mentorqa.yaml").read_bytes()


def indicators(ws: Path) -> dict:
    data = yaml.safe_load(manifest(ws))
    return data.get("indicators") or {}


def column(name: str) -> str:
    return "ABCDEFGHIJKL"[HEADER.index(name)]


def row_of(sheet: object, ind_id: str) -> int:
    for (cell,) in sheet.iter_rows(min_col=1, max_col=1):  # type: ignore[attr-defined]
        if cell.value == ind_id:
            return int(cell.row)
    raise AssertionError(ind_id)


@pytest.fixture
def busy(nqms_ws: Path) -> Path:
    """An NQMS program with both judgements, notes, evidence and a scheduled judgement."""
    (nqms_ws / "evidence" / "mission.pdf").write_bytes(b"%PDF mission")
    (nqms_ws / "evidence" / "plan.pdf").write_bytes(b"%PDF plan")
    ok("evidence", "add", "A1", "evidence/mission.pdf", "evidence/plan.pdf", cwd=nqms_ws)
    ok("mark", "A1", "met", "--rating", "3", "--note", "Mission on p.2, café", "-w", nqms_ws)
    ok("mark", "A1", "not-met", "--by", "assessor", "--note", "=not yet", "-w", nqms_ws)
    ok("mark", "A2", "not-met", "--rating", "1", "-w", nqms_ws)
    text = manifest(nqms_ws).decode()
    # A judgement dated after today is scheduled; an export must still carry it unchanged.
    (nqms_ws / "mentorqa.yaml").write_text(text.replace("2026-05-15", "2026-07-01", 1))
    return nqms_ws


# --- export -> import -----------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_an_unchanged_export_imported_is_a_no_op(busy: Path, suffix: str) -> None:
    sheet = busy / f"out.{suffix}"
    ok("export", "-o", sheet, "-w", busy)
    before = manifest(busy)
    stdout = ok("import", sheet, "-w", busy)
    assert "no changes" in stdout
    assert manifest(busy) == before


def test_export_edit_one_cell_import_changes_exactly_that(busy: Path) -> None:
    sheet = busy / "out.xlsx"
    ok("export", "-o", sheet, "-w", busy)
    book = openpyxl.load_workbook(sheet)
    first = book.worksheets[0]
    first[f"{column('rating')}{row_of(first, 'A2')}"] = 4
    book.save(sheet)
    before = indicators(busy)
    stdout = ok("import", sheet, "-w", busy)
    after = indicators(busy)
    assert "A2 (service)" in stdout and "was Not in practice, rating 1" in stdout
    assert after["A2"]["self"] == {"status": "not-met", "rating": 4, "date": dt.date(2026, 5, 15)}
    del before["A2"], after["A2"]
    assert after == before


def test_import_dry_run_writes_nothing(busy: Path) -> None:
    sheet = busy / "out.csv"
    ok("export", "-o", sheet, "-w", busy)
    rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"))))
    rows[3][HEADER.index("status")] = "met"
    with open(sheet, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    before = manifest(busy)
    stdout = ok("import", sheet, "--dry-run", "-w", busy)
    assert "would set 1 judgement" in stdout and "A3 (service): In practice" in stdout
    assert manifest(busy) == before


def test_92_nqms_items_with_ratings_come_in_with_one_command(nqms_ws: Path) -> None:
    fw = get("nqms").framework
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Indicator", "Status", "Rating", "Note"])  # only the columns a director fills
    for n, ind_id in enumerate(fw.indicator_index):
        sheet.append([ind_id, "In practice" if n % 4 else "Not in practice", n % 5 + 1, None])
    book.save(nqms_ws / "self-assessment.xlsx")
    stdout = ok("import", "self-assessment.xlsx", cwd=nqms_ws)
    assert "set 92 judgement(s) on 92 indicator(s)" in stdout
    recorded = indicators(nqms_ws)
    assert len(recorded) == 92 and recorded["A1"]["self"]["rating"] == 1
    status = json.loads(ok("status", "--json", "-w", nqms_ws))
    dedicated = next(level for level in status["levels"] if level["id"] == "dedicated")
    assert dedicated["met"] == dedicated["total"] == 92  # every item answered


# --- bad cells ------------------------------------------------------------------------------


def test_every_bad_cell_is_reported_with_its_place_and_nothing_is_written(busy: Path) -> None:
    sheet = busy / "out.xlsx"
    ok("export", "-o", sheet, "-w", busy)
    book = openpyxl.load_workbook(sheet)
    first = book.worksheets[0]
    first["F4"] = "in practise"  # a misspelt status
    first["G5"] = 7  # outside 1-5
    first["J6"] = "good"  # not a number
    first["A7"] = "A77x"  # an unknown id
    first["H8"] = "a note with no status"  # no judgement to attach it to
    first["F9"] = "met"  # a valid change on a row of its own: still not written
    book.save(sheet)
    before = manifest(busy)
    result = run("import", sheet, "-w", busy)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    places = [line.split(": ", 2)[1] for line in lines]
    assert places == [f"{sheet}:indicators!{cell}" for cell in ("F4", "G5", "J6", "A7", "H8")]
    assert "did you mean" in lines[0]
    assert "outside implementation quality 1-5" in lines[1]
    assert "'good' is not a rating" in lines[2]
    assert "unknown indicator 'A77x'" in lines[3]
    assert "give a status" in lines[4]
    assert manifest(busy) == before


def test_csv_problems_name_the_row(nqms_ws: Path) -> None:
    sheet = nqms_ws / "in.csv"
    sheet.write_text("indicator,status\nA1,met\nA2,sometimes\nA1,met\n,met\n", encoding="utf-8")
    result = run("import", sheet, "-w", nqms_ws)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {sheet}:3: unknown status 'sometimes'; use one of: met, not-met, not-applicable, "
        "In practice, Not in practice, Not applicable",
        f"error: {sheet}:4: A1 is also in {sheet}:2; keep one row",
        f"error: {sheet}:5: no indicator id in this row",
    ]
    assert indicators(nqms_ws) == {}


def test_a_sheet_without_the_columns_is_refused(nqms_ws: Path) -> None:
    sheet = nqms_ws / "in.csv"
    sheet.write_text("id,state\nA1,met\n", encoding="utf-8")
    result = run("import", sheet, "-w", nqms_ws)
    assert result.exit_code == 2
    assert f"error: {sheet}:1: no 'indicator' column" in result.stderr


def test_qim_refuses_a_rating_and_not_applicable(qim_ws: Path) -> None:
    sheet = qim_ws / "in.csv"
    sheet.write_text("indicator,status,rating\nQIM-SV-A01,met,3\nQIM-SV-A02,n/a,\n", "utf-8")
    result = run("import", sheet, "-w", qim_ws)
    assert result.exit_code == 2
    assert f"{sheet}:2: qim has no rating scale" in result.stderr
    assert f"{sheet}:3: unknown status 'n/a'" in result.stderr


# --- cells Excel altered ----------------------------------------------------------------------


def test_cells_excel_altered_are_read_as_meant(nqms_ws: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "My sheet"
    sheet.append([" Indicator\u00a0", "Assessor Status", "ASSESSOR_RATING", "assessor note", "x"])
    sheet.append(["a1 ", "In\u00a0practice ", "4", dt.datetime(2026, 5, 1), "ignored"])  # text
    sheet.append(["A2", "MET", 4.0, "  trailing  ", None])  # a rating as a float
    sheet.append(["A3", "not_met", " 2 ", None, None])
    sheet.append([None, None, None, None, None])  # an empty row is skipped
    book.save(nqms_ws / "altered.xlsx")
    ok("import", "altered.xlsx", cwd=nqms_ws)
    recorded = indicators(nqms_ws)
    assert recorded["A1"]["assessor"]["status"] == "met"
    assert recorded["A1"]["assessor"]["rating"] == 4
    assert recorded["A2"]["assessor"]["rating"] == 4
    assert recorded["A3"]["assessor"] == {
        "status": "not-met",
        "rating": 2,
        "date": dt.date(2026, 5, 15),
    }
    assert recorded["A1"]["assessor"]["note"] == "2026-05-01"  # a date cell, as meant
    assert recorded["A2"]["assessor"]["note"] == "trailing"


def test_a_note_alone_needs_a_judgement_and_is_placed_by_sheet_name(nqms_ws: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "My sheet"
    sheet.append(["indicator", "note"])
    sheet.append(["A1", dt.datetime(2026, 5, 1)])
    book.save(nqms_ws / "note.xlsx")
    result = run("import", "note.xlsx", cwd=nqms_ws)
    assert result.exit_code == 2
    assert "note.xlsx:'My sheet'!B2: A1 has no judgement by the service yet" in result.stderr
    ok("mark", "A1", "met", "-w", nqms_ws)
    ok("import", "note.xlsx", cwd=nqms_ws)
    assert indicators(nqms_ws)["A1"]["self"]["note"] == "2026-05-01"  # a date cell, as meant


def test_excel_csv_with_semicolons_and_windows_code_page(nqms_ws: Path) -> None:
    raw = "Indicator;Status;Rating;Note\r\nA1;In practice;3,0;Café\xa0\r\n"
    (nqms_ws / "excel.csv").write_bytes(raw.encode("cp1252"))
    ok("import", "excel.csv", cwd=nqms_ws)
    assert indicators(nqms_ws)["A1"]["self"] == {
        "status": "met",
        "rating": 3,
        "note": "Café",
        "date": dt.date(2026, 5, 15),
    }


# --- the files written ------------------------------------------------------------------------


def test_csv_has_a_bom_in_a_file_and_not_without(busy: Path) -> None:
    ok("export", "-o", busy / "a.csv", "-w", busy)
    ok("export", "-o", busy / "b.csv", "--no-bom", "-w", busy)
    assert (busy / "a.csv").read_bytes().startswith(b"\xef\xbb\xbfindicator,area,level,")
    plain = (busy / "b.csv").read_bytes()
    assert plain.startswith(b"indicator,area,level,title,method,status,rating,note,assessor_")
    assert (busy / "a.csv").read_bytes()[3:] == plain
    stdout = ok("export", "-w", busy)  # csv on stdout, for pipes: no BOM
    rows = list(csv.reader(io.StringIO(stdout)))
    assert rows[0] == HEADER and len(rows) == 93
    a1 = dict(zip(HEADER, rows[1], strict=True))
    assert a1["status"] == "met" and a1["rating"] == "3" and a1["note"] == "Mission on p.2, café"
    assert a1["assessor_note"] == "'=not yet"  # never run as a formula by a spreadsheet
    assert a1["evidence"] == "evidence/mission.pdf\nevidence/plan.pdf"


def test_the_format_follows_the_extension(busy: Path) -> None:
    result = run("export", "-o", busy / "out.txt", "-w", busy)
    assert result.exit_code == 2 and "name it .xlsx or .csv" in result.stderr
    ok("export", "-o", busy / "out.txt", "--format", "xlsx", "-w", busy)
    assert (busy / "out.txt").read_bytes().startswith(b"PK")


def test_the_xlsx_workbook_is_ready_to_work_in(busy: Path) -> None:
    ok("export", "-o", busy / "out.xlsx", "-w", busy)
    book = openpyxl.load_workbook(busy / "out.xlsx")
    assert book.sheetnames == ["indicators", "timeline", "plan"]
    sheet = book["indicators"]
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:L93"
    assert sheet.column_dimensions["D"].width > 30
    assert sheet["D2"].alignment.wrap_text
    found = {str(v.sqref): (v.type, v.formula1) for v in sheet.data_validations.dataValidation}
    assert found["F2:F93 I2:I93"] == ("list", '"met,not-met,not-applicable"')
    assert found["G2:G93 J2:J93"] == ("list", '"1,2,3,4,5"')
    assert sheet["K2"].value == "=not yet" and sheet["K2"].data_type == "s"
    assert sheet["G2"].value == 3  # a number, not text
    timeline = book["timeline"]
    assert [c.value for c in timeline[1]][:4] == ["id", "title", "due", "state"]
    assert timeline.max_row > 2


def test_qim_has_no_plan_sheet(qim_ws: Path) -> None:
    ok("export", "-o", qim_ws / "out.xlsx", "-w", qim_ws)
    book = openpyxl.load_workbook(qim_ws / "out.xlsx")
    assert book.sheetnames == ["indicators", "timeline"]
    assert book["indicators"].max_row == 85


# --- a framework from an indicator list ---------------------------------------------------


def official_qim_sheet(path: Path) -> None:
    """84 rows in the official list's shape: areas and levels by name, the wording changed."""
    fw = get("qim").framework
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ID", "Area", "Title", "Level", "Requires", "Method", "Evidence"])
    for ind_id, (area, ind) in fw.indicator_index.items():
        sheet.append(
            [
                ind_id,
                area.name,
                f"Official {ind.title}",
                ind.level.capitalize(),
                f"Official wording: {ind.requires}",
                ind.method,
                "\n".join(ind.evidence),
            ]
        )
    book.save(path)


def test_a_qim_framework_from_an_official_sheet_replaces_the_bundled_wording(
    qim_ws: Path,
) -> None:
    official_qim_sheet(qim_ws / "official.xlsx")
    (qim_ws / "frameworks").mkdir()
    target = qim_ws / "frameworks" / "qim.yaml"
    stdout = ok("frameworks", "import", "official.xlsx", "--base", "qim", "-o", target, cwd=qim_ws)
    assert "84 indicators in 7 practice areas" in stdout
    assert "valid framework 'qim'" in ok("frameworks", "validate", target)
    shown = json.loads(ok("show", "QIM-SV-A01", "--json", "-w", qim_ws))
    assert shown["title"].startswith("Official ")
    assert shown["requires"].startswith("Official wording: ")
    status = json.loads(ok("status", "--json", "-w", qim_ws))
    assert status["unmet"][0]["title"].startswith("Official ")
    built, bundled = load_framework(target), get("qim").framework
    assert built.wording == "official"
    assert (built.fees, built.milestones, built.levels) == (
        bundled.fees,
        bundled.milestones,
        bundled.levels,
    )


def test_framework_problems_point_at_sheet_rows(tmp_path: Path) -> None:
    sheet = tmp_path / "list.csv"
    rows = [["id", "area", "title", "level"]]
    rows += [["QIM-1", "service", "One", "award"], ["bad id", "Servce", "Two", "award"]]
    rows += [["qim-1", "service", "Three", "gold"], ["QIM-4", "service", "", "award"]]
    with open(sheet, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    result = run("frameworks", "import", sheet, "--base", "qim", "-o", tmp_path / "out.yaml")
    assert result.exit_code == 2
    assert f"error: {sheet}:3: unknown area 'Servce'; did you mean 'service'?" in result.stderr
    assert f"error: {sheet}:4: unknown level 'gold'" in result.stderr
    assert f"error: {sheet}:4: the id is also in {sheet}:2" in result.stderr
    assert f"error: {sheet}:5: 'title'" in result.stderr
    assert not (tmp_path / "out.yaml").exists()


def test_the_bases_published_totals_are_cross_checked(tmp_path: Path) -> None:
    official_qim_sheet(tmp_path / "official.xlsx")
    book = openpyxl.load_workbook(tmp_path / "official.xlsx")
    book.active.delete_rows(3)  # one Award indicator fewer
    book.save(tmp_path / "official.xlsx")
    result = run(
        "frameworks",
        "import",
        tmp_path / "official.xlsx",
        "--base",
        "qim",
        "-o",
        tmp_path / "q.yaml",
    )
    assert result.exit_code == 2
    assert "qim publishes 61 indicators (Award indicators), but the sheet has 60" in result.stderr
    assert "qim publishes 38 indicators" in result.stderr
    assert not (tmp_path / "q.yaml").exists()


def test_the_documented_sample_sheet_builds(tmp_path: Path) -> None:
    sample = Path(__file__).parents[1] / "docs" / "sample-indicators.csv"
    base = tmp_path / "base.yaml"
    # The sample is a short list, so it is built on a copy of qim without published totals.
    text = (Path(__file__).parents[1] / "frameworks" / "qim.yaml").read_text(encoding="utf-8")
    base.write_text(text.split("\ntotals:")[0] + "\n", encoding="utf-8")
    out = tmp_path / "sample.yaml"
    result = run("frameworks", "import", sample, "--base", base, "--id", "qim-sample", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "framework 'qim-sample'" in result.stdout


def test_a_sheet_larger_than_any_file_mentorqa_reads_is_refused(qim_ws: Path) -> None:
    """Not read into memory: /dev/zero or a huge export is one error line, exit 2."""
    huge = qim_ws / "huge.csv"
    with open(huge, "wb") as handle:
        handle.truncate(65 * 2**20)  # sparse: no disk used
    before = (qim_ws / "mentorqa.yaml").read_bytes()
    result = run("import", huge, "-w", qim_ws)
    assert result.exit_code == 2 and "is larger than 64 MiB" in result.stderr
    assert (qim_ws / "mentorqa.yaml").read_bytes() == before
