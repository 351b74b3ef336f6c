"""Where things live in a workspace: names every layer uses, with nothing to import."""

from __future__ import annotations

MANIFEST = "mentorqa.yaml"
EVIDENCE_TABLE = "mentorqa.evidence.tsv"  # checksums, sizes and days mentorqa recorded; committed
STATE_DIR = ".mentorqa"  # caches and the lock; kept out of git
PRIVATE_DIR = "private"
EVIDENCE_DIR = "evidence"
MANIFEST_VERSION = 2  # 2: the evidence facts live in EVIDENCE_TABLE
SCHEMA_FILE = "mentorqa.schema.json"  # beside the manifest, so editors check it with no set-up
