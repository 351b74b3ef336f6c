"""The schema init writes names the framework's ids, so editors complete and check them; a real
validator (check-jsonschema) accepts the examples and refuses a typo."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from mentorqa.frameworks import get

from ..conftest import run

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = Path(sys.executable).parent / "check-jsonschema"


def validate(schema: Path, manifest: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VALIDATOR), "--schemafile", str(schema), str(manifest)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_schema_offers_the_frameworks_ids(qim_ws: Path) -> None:
    schema = json.loads((qim_ws / "mentorqa.schema.json").read_text())
    fw = get("qim").framework
    assert schema["$id"] == "urn:mentorqa:manifest:qim"
    indicators = schema["properties"]["indicators"]
    assert indicators["propertyNames"]["enum"] == list(fw.indicator_index)
    assert "Clear aims" in indicators["properties"]["QIM-SV-A01"]["description"]
    assert set(schema["properties"]["dates"]["properties"]) == set(fw.event_names)
    assert schema["$defs"]["Judgement"]["properties"]["status"]["enum"] == list(fw.status_labels)
    printed = json.loads(run("schema", "-w", qim_ws).stdout)
    assert printed == schema


def test_a_real_validator_accepts_the_examples_and_refuses_a_typo(tmp_path: Path) -> None:
    for example in ("qim-riverside", "nqms-northside"):
        folder = ROOT / "examples" / example
        done = validate(folder / "mentorqa.schema.json", folder / "mentorqa.yaml")
        assert done.returncode == 0, done.stdout + done.stderr
    folder = ROOT / "examples" / "qim-riverside"
    typo = tmp_path / "mentorqa.yaml"
    typo.write_text((folder / "mentorqa.yaml").read_text().replace("QIM-SV-A01:", "QIM-SV-A1:"))
    refused = validate(folder / "mentorqa.schema.json", typo)
    assert refused.returncode == 1 and "QIM-SV-A1" in refused.stdout
