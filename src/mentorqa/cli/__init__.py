"""The ``mentorqa`` command: a thin skin that parses arguments, calls the core and renders.

The command tree lives in :mod:`.root`; it is imported only when typer must read the command
line, so that ``mentorqa --version`` answers without loading the command-line libraries at
all, a simple command line runs without them (:mod:`.fast`), and a ``--help`` already shown
once is replayed from the cache (:mod:`.helpcache`).
"""

from __future__ import annotations

import gc
import os
import sys
from typing import TYPE_CHECKING, Any

from .. import __version__

if TYPE_CHECKING:
    import typer

    app: typer.Typer


def main() -> None:
    """Entry point of the ``mentorqa`` console script."""
    # pydantic looks for plugins (observability tools) among every installed distribution when
    # it builds its first model: 25-50 ms of a first run, for instruments mentorqa's models
    # have no use for. The command line skips the search unless the variable is set already
    # (set it empty to have them loaded); the library, in someone else's program, leaves it,
    # and so does a run of main() in someone else's process, once it ends.
    plugins = "PYDANTIC_DISABLE_PLUGINS"
    skipped = plugins not in os.environ
    if skipped:
        os.environ[plugins] = "__all__"
    try:
        _run()
    finally:
        if skipped:
            os.environ.pop(plugins, None)


def _run() -> None:
    """One run of the command line: see main()."""
    if sys.argv[1:] == ["--version"]:
        print(f"mentorqa {__version__}")
        return
    cached = None
    if sys.argv[-1] == "--help":
        from . import helpcache

        cached = helpcache.lookup(sys.argv[1:])
        if cached is not None and cached.replay():
            return
    # Starting up creates tens of thousands of objects that live until the end of the run;
    # the collector would walk them again and again. It is paused until the command is built,
    # then what start-up loaded is frozen out of its sight and it runs again (resume()).
    global _paused
    enabled = gc.isenabled()
    _paused = enabled
    gc.disable()
    try:
        if cached is None:
            from . import fast

            fast.run(sys.argv[1:])  # (exits, if it ran the command)
        from .root import app

        if cached is None:
            app(prog_name="mentorqa")
        else:
            with cached.recording():
                app(prog_name="mentorqa")
    finally:
        _paused = False
        if enabled:  # (however the run ended: a usage error builds no command)
            gc.enable()


_paused = False  # whether main() paused the collector for the run under way
_frozen = False  # whether a run froze what start-up loaded (once a process: see resume())


def resume() -> None:
    """After main() paused the collector: freeze what start-up loaded, the first time in the
    process (a later run in the same process would freeze the garbage of the ones before),
    and let the collector run again."""
    global _frozen
    if not _paused:
        return
    if not _frozen:
        _frozen = True
        gc.freeze()
    gc.enable()


def __getattr__(name: str) -> Any:
    if name == "app":  # the typer app, for tests and for embedding
        from .root import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
