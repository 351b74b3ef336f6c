"""Writes to a workspace, grouped as users meet them: judgements and evidence, the visit and the
plan."""
