"""Where the bundled frameworks and templates live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """The bundled ``frameworks`` or ``templates`` folder.

    A wheel carries them inside the package (``mentorqa/_data/NAME``); a source checkout or an
    editable install reads them from the repository root, where they are edited.
    """
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent.parent / name
