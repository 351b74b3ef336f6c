"""Reliability tests: fuzzed inputs, killed writers and concurrent writers (see
bench/reliability.py for the same checks at harness size)."""
