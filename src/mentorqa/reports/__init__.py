"""Rendering results: JUnit XML for CI, markdown and HTML reports from templates."""
