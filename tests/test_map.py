"""``mentorqa map``: judgements and evidence proposed from another framework's workspace through
a mapping file, what ``--apply`` records (the service's own judgements only, never over one
already made), how relations read the other way round, and located errors in mapping files."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped,unused-ignore]

import mentorqa
from mentorqa.frameworks.mappings import find_mapping, load_mapping
from mentorqa.resources import bundled_dir

from .conftest import run, write_tree

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "docs" / "json" / "map.schema.json").read_text(encoding="utf-8"))

# Words that live only in the other workspace's notes and details: none may reach the output.
SECRETS = ("Jane Doe", "ASSESSOR-ONLY", "PRIVATE-REMARK", "Hidden Valley Mentoring")


def evidence(ws: mentorqa.Workspace, indicator: str, rel: str, note: str | None = None) -> None:
    path = ws.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"evidence for {indicator}\n", encoding="utf-8")
    ws.add_evidence(indicator, path, note=note)


@pytest.fixture
def qim(tmp_path: Path) -> Path:
    """A QiM workspace with a few judgements (one by the assessor), evidence and notes naming
    people."""
    ws = mentorqa.create_workspace(tmp_path / "qim", "qim", "Hidden Valley Mentoring")
    evidence(ws, "QIM-SV-A01", "evidence/service/aims.md", note="PRIVATE-REMARK about Jane Doe")
    ws.mark("QIM-SV-A01", "met", note="Jane Doe, a mentee, told us")
    ws.mark("QIM-SV-A01", "met", by="assessor", note="ASSESSOR-ONLY remark")
    ws.mark("QIM-SV-A02", "partly-met", note="PRIVATE-REMARK")
    evidence(ws, "QIM-SV-A03", "evidence/service/business-plan.md")
    ws.mark("QIM-SV-A03", "met")
    ws.mark("QIM-SV-E03", "met")  # QiB relates it by intersect only
    ws.mark("QIM-PP-A01", "met")  # APS relates it by subset only
    return ws.root


@pytest.fixture
def qib(tmp_path: Path) -> Path:
    """A new QiB workspace where the service has judged one indicator already."""
    ws = mentorqa.create_workspace(tmp_path / "qib", "qib", "Riverside Befriending")
    ws.mark("QIB-SV-A03", "not-met", note="our own view")
    return ws.root


def map_json(target: Path, source: Path, *extra: str) -> dict[str, Any]:
    result = run("map", "--from", source, "-w", target, "--json", *extra)
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    assert not list(Draft202012Validator(SCHEMA).iter_errors(document))
    return document


def by_indicator(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["indicator"]: p for p in document["proposals"]}


def test_proposes_judgements_and_evidence_through_equal_relations(qim: Path, qib: Path) -> None:
    before = (qib / "mentorqa.yaml").read_bytes()
    result = run("map", "--from", qim, "-w", qib)
    assert result.exit_code == 0, result.stderr
    table = result.stdout
    lines = table.splitlines()
    row = next(n for n, line in enumerate(lines) if "QIB-SV-A01" in line)
    assert "equal" in lines[row] and "QIM-SV-A01: met (assessor's judgement)" in lines[row]
    assert lines[row + 1].strip() == "evidence/service/aims.md"  # listed under it
    assert "mentorqa evidence add" in table  # evidence is listed, to be copied and recorded
    assert "With --apply" in table
    assert (qib / "mentorqa.yaml").read_bytes() == before  # without --apply nothing is written

    proposals = by_indicator(map_json(qib, qim))
    assert len(proposals) == 84  # every QiB indicator the bundled mapping relates
    a01 = proposals["QIB-SV-A01"]
    assert a01["outcome"] == "to_record" and a01["status"] == "met"
    assert a01["sources"] == [
        {
            "indicator": "QIM-SV-A01",
            "relation": "equal",
            "relation_note": None,
            "status": "met",
            "by": "assessor",
            "evidence": ["evidence/service/aims.md"],
        }
    ]
    assert proposals["QIB-SV-A02"]["sources"][0]["by"] == "self"
    assert proposals["QIB-SV-A04"]["skip"] == "no_judgement"


def test_apply_records_only_the_services_own_judgements_naming_the_source(
    qim: Path, qib: Path
) -> None:
    result = run("map", "--from", qim, "-w", qib, "--apply")
    assert result.exit_code == 0, result.stderr
    assert "Recorded as the service's own judgement" in result.stdout
    assert "already judged by this service (not-met)" in result.stdout
    assert "related only by subset or intersect" in result.stdout  # QIB-SV-E03
    # A 'met' with no evidence here yet is reported by check: the warning says so.
    assert "QIB-SV-A01, QIB-PP-A01" in result.stderr and "mentorqa check" in result.stderr

    manifest = mentorqa.open_workspace(qib).manifest
    recorded = {i: r for i, r in manifest.indicators.items() if r.self_ is not None}
    assert set(recorded) == {"QIB-SV-A01", "QIB-SV-A02", "QIB-SV-A03", "QIB-PP-A01"}
    a01 = recorded["QIB-SV-A01"].self_
    assert a01 is not None and a01.status == "met"
    assert a01.note == "From the qim workspace: QIM-SV-A01 met (assessor's judgement)"
    a02 = recorded["QIB-SV-A02"].self_
    assert a02 is not None and a02.status == "partly-met"
    assert a02.note == "From the qim workspace: QIM-SV-A02 partly-met (service's own judgement)"
    a03 = recorded["QIB-SV-A03"].self_  # the service's own judgement is left as it was
    assert a03 is not None and (a03.status, a03.note) == ("not-met", "our own view")
    assert all(r.assessor is None for r in manifest.indicators.values())  # never the assessor's
    assert all(not r.evidence for r in manifest.indicators.values())  # evidence is not recorded

    again = by_indicator(map_json(qib, qim, "--apply"))  # a second run changes nothing
    assert {p["outcome"] for p in again.values()} == {"skipped"}
    assert again["QIB-SV-A01"]["skip"] == "already_judged"
    assert mentorqa.open_workspace(qib).manifest == manifest


def test_the_workspace_stays_valid_after_apply(qim: Path, qib: Path) -> None:
    assert run("map", "--from", qim, "-w", qib, "--apply").exit_code == 0
    assert run("status", "-w", qib).exit_code == 0
    checked = run("check", "-w", qib, "--json")
    assert checked.exit_code == 1  # a 'met' with no evidence yet, as the warning said
    errors = {e["indicator"] for e in json.loads(checked.stdout)["errors"]}
    assert errors == {"QIB-SV-A01", "QIB-PP-A01"}
    for kind in ("assessor", "progress"):
        report = run("report", "--kind", kind, "-w", qib)
        assert report.exit_code == 0, report.stderr
    status = mentorqa.open_workspace(qib).status().to_dict()
    assert status["framework"] == "qib"


def test_aps_gets_proposals_but_apply_records_nothing(qim: Path, tmp_path: Path) -> None:
    aps = mentorqa.create_workspace(tmp_path / "aps", "aps", "Riverside").root
    before = (aps / "mentorqa.yaml").read_bytes()
    document = map_json(aps, qim, "--apply")
    proposals = by_indicator(document)
    assert set(proposals) == {
        f"APS-{a}"
        for a in (
            "MO-01",
            "MO-02",
            "MO-03",
            "SU-01",
            "SU-02",
            "MB-01",
            "MB-02",
            "MB-03",
            "RL-01",
            "RL-02",
        )
    }
    mo01 = {s["indicator"]: s for s in proposals["APS-MO-01"]["sources"]}
    assert mo01["QIM-SV-A01"]["relation"] == "subset"
    assert mo01["QIM-SV-A01"]["evidence"] == ["evidence/service/aims.md"]
    assert mo01["QIM-SV-A02"]["relation"] == "intersect"
    assert mo01["QIM-SV-A02"]["relation_note"] == "who the service is for"
    assert {p["outcome"] for p in proposals.values()} == {"skipped"}
    assert proposals["APS-MO-01"]["skip"] == "relation"
    assert (aps / "mentorqa.yaml").read_bytes() == before  # nothing to record: nothing written

    text = run("map", "--from", qim, "-w", aps, "--apply")
    assert text.exit_code == 0, text.stderr
    assert "Nothing recorded." in text.stdout
    assert "APS-MO-01" in text.stdout and "related only by subset or intersect" in text.stdout


def test_relations_invert_when_the_mapping_is_read_the_other_way(qim: Path, tmp_path: Path) -> None:
    aps = mentorqa.create_workspace(tmp_path / "aps", "aps", "Riverside")
    evidence(aps, "APS-MO-01", "evidence/aims.md")
    aps.mark("APS-MO-01", "met")
    aps.mark("APS-SU-01", "partly-met")
    target = mentorqa.create_workspace(tmp_path / "qim2", "qim", "Riverside").root

    document = map_json(target, aps.root)
    assert document["mapping"]["inverted"] is True
    assert (document["mapping"]["from"], document["mapping"]["to"]) == ("qim", "aps")
    proposals = by_indicator(document)
    # 'QIM-SV-A01 subset APS-MO-01' read from APS: the APS requirement is the superset.
    assert proposals["QIM-SV-A01"]["sources"][0]["relation"] == "superset"
    assert proposals["QIM-SV-A01"]["outcome"] == "to_record"
    sv_a02 = {s["indicator"]: s["relation"] for s in proposals["QIM-SV-A02"]["sources"]}
    assert sv_a02 == {"APS-MO-01": "intersect", "APS-SU-01": "superset"}
    # A superset only partly met says nothing of which part fell short.
    assert proposals["QIM-SV-A02"]["skip"] == "shortfall"

    map_json(target, aps.root, "--apply")
    judged = mentorqa.open_workspace(target).manifest.indicators
    recorded = {i for i, r in judged.items() if r.self_ is not None}
    assert {p for p, v in proposals.items() if v["outcome"] == "to_record"} == recorded
    sv_a01 = judged["QIM-SV-A01"].self_
    assert sv_a01 is not None and sv_a01.status == "met"
    assert sv_a01.note == "From the aps workspace: APS-MO-01 met (service's own judgement)"


def test_qib_into_qim_reads_the_qim_qib_mapping_backwards(qib: Path, tmp_path: Path) -> None:
    target = mentorqa.create_workspace(tmp_path / "qim2", "qim", "Riverside").root
    document = map_json(target, qib)
    assert document["mapping"]["inverted"] is True and document["source_framework"] == "qib"
    a03 = by_indicator(document)["QIM-SV-A03"]
    assert a03["sources"][0] == {
        "indicator": "QIB-SV-A03",
        "relation": "equal",
        "relation_note": None,
        "status": "not-met",
        "by": "self",
        "evidence": [],
    }
    assert a03["outcome"] == "to_record" and a03["status"] == "not-met"
    assert by_indicator(document)["QIM-SV-E03"]["sources"][0]["relation"] == "intersect"


def test_nothing_from_the_other_workspaces_notes_or_private_files_is_shown(
    qim: Path, qib: Path
) -> None:
    manifest = qim / "mentorqa.yaml"
    text = manifest.read_text(encoding="utf-8")
    # Hand-edited records pointing outside the workspace or into private/ are never named.
    extra = (
        "  QIM-SV-A04:\n    evidence:\n"
        "      - {file: ../../elsewhere/Jane Doe.pdf, sha256: '0', size: 1, recorded: 2026-05-01}\n"
        "      - {file: private/Jane Doe notes.md, sha256: '0', size: 1, recorded: 2026-05-01}\n"
        "      - {file: evidence/finance.md, sha256: '0', size: 1, recorded: 2026-05-01}\n"
    )
    manifest.write_text(text.replace("indicators:\n", "indicators:\n" + extra, 1), encoding="utf-8")
    outputs = [run("map", "--from", qim, "-w", qib, *args) for args in ((), ("--json",))]
    outputs.append(run("map", "--from", qim, "-w", qib, "--apply"))
    for result in outputs:
        assert result.exit_code == 0, result.stderr
        for secret in (*SECRETS, "elsewhere", "private/"):
            assert secret not in result.stdout + result.stderr, secret
    sv_a04 = by_indicator(json.loads(outputs[1].stdout))["QIB-SV-A04"]["sources"][0]
    assert sv_a04["evidence"] == ["evidence/finance.md"]


def test_a_broken_mapping_file_is_located_with_did_you_mean(qim: Path, qib: Path) -> None:
    write_tree(
        qib,
        {
            "mappings/qim-qib.yaml": (
                "mentorqa_mapping: 1\n"
                "from: qim\n"
                "to: qib\n"
                "relations:\n"
                "  - {from: QIM-SV-A01, to: QIB-SV-A01, relation: equl}\n"
                "  - {from: QIM-SV-A1, to: QIB-SV-A02, relation: equal}\n"
                "  - {from: qim-sv-a01, to: QIB-SV-A01, relation: equal}\n"
            )
        },
    )
    before = (qib / "mentorqa.yaml").read_bytes()
    result = run("map", "--from", qim, "-w", qib, "--apply")
    assert result.exit_code == 2
    where = qib / "mappings" / "qim-qib.yaml"
    lines = result.stderr.splitlines()
    assert lines == [
        f"error: {where}:5:40: unknown relation 'equl'; did you mean 'equal'?",
        f"error: {where}:6:6: unknown qim indicator 'QIM-SV-A1'; did you mean 'QIM-SV-A01'?",
        f"error: {where}:7:5: QIM-SV-A01 and QIB-SV-A01 are related twice (line 5); keep one "
        "relation",
    ]
    assert "Traceback" not in result.stdout + result.stderr
    assert (qib / "mentorqa.yaml").read_bytes() == before


def test_the_workspaces_own_mapping_comes_first(qim: Path, qib: Path) -> None:
    write_tree(
        qib,
        {
            "mappings/mine.yml": (
                "mentorqa_mapping: 1\nfrom: qib\nto: qim\n"
                "relations:\n  - {from: QIB-SV-A05, to: QIM-SV-A01, relation: Subset}\n"
            )
        },
    )
    document = map_json(qib, qim)
    assert document["mapping"] == {
        "file": "mappings/mine.yml",
        "origin": "workspace",
        "from": "qib",
        "to": "qim",
        "inverted": True,
    }
    (only,) = document["proposals"]
    assert only["indicator"] == "QIB-SV-A05"
    assert only["sources"][0]["relation"] == "superset"  # QiB subset QiM, read from QiM
    assert only["outcome"] == "to_record"


def test_mappings_on_the_framework_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "shared"
    write_tree(
        folder,
        {
            "mappings/qib-aps.yaml": (
                "mentorqa_mapping: 1\nfrom: qib\nto: aps\n"
                "relations:\n  - {from: QIB-SV-A01, to: APS-MO-01, relation: superset}\n"
            )
        },
    )
    monkeypatch.setenv("MENTORQA_FRAMEWORK_PATH", str(folder))
    found = find_mapping("aps", "qib")
    assert found.origin == "MENTORQA_FRAMEWORK_PATH" and found.inverted
    (relation,) = found.relations
    assert (relation.source, relation.target, relation.relation) == (
        "APS-MO-01",
        "QIB-SV-A01",
        "subset",
    )


def test_no_mapping_between_two_frameworks_is_an_error(qim: Path, tmp_path: Path) -> None:
    nqms = mentorqa.create_workspace(tmp_path / "nqms", "nqms", "Northside").root
    result = run("map", "--from", nqms, "-w", qim)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: no mapping relates the frameworks nqms and qim; looked for a mapping file in"
    )
    assert "mappings" in result.stderr and result.stdout == ""


def test_a_workspace_of_the_same_framework_is_refused(qim: Path, tmp_path: Path) -> None:
    other = mentorqa.create_workspace(tmp_path / "qim2", "qim", "Another").root
    result = run("map", "--from", other, "-w", qim)
    assert result.exit_code == 2
    assert "both workspaces use the framework qim" in result.stderr
    assert "mentorqa migrate" in result.stderr
    missing = run("map", "--from", tmp_path / "nowhere", "-w", qim)
    assert missing.exit_code == 2 and missing.stderr.startswith("error: ")


def test_the_library_gives_the_document_the_command_prints(qim: Path, qib: Path) -> None:
    shown = map_json(qib, qim)
    result = mentorqa.open_workspace(qib).map_from(qim)
    assert result.exit_code == 0
    assert json.loads(json.dumps(result.to_dict())) == shown


def test_the_bundled_mappings_are_valid() -> None:
    for path in sorted((ROOT / "mappings").glob("*.yaml")):
        mapping = load_mapping(path)
        assert mapping.framework_from == "qim" and mapping.relations, path


def test_frameworks_validate_checks_a_mapping_file(tmp_path: Path) -> None:
    bundled = bundled_dir("mappings") / "qim-qib.yaml"
    good = run("frameworks", "validate", bundled)
    assert good.exit_code == 0 and "valid mapping from 'qim' to 'qib'" in good.stdout
    broken = tmp_path / "qim-qib.yaml"
    broken.write_text(
        bundled.read_text(encoding="utf-8").replace("relation: equal", "relation: equl", 1),
        encoding="utf-8",
    )
    result = run("frameworks", "validate", broken)
    assert result.exit_code == 2
    assert re.search(
        rf"error: {re.escape(str(broken))}:\d+:\d+: unknown relation 'equl'; did you mean 'equal'\?",
        result.stderr,
    )
