"""Where evidence files are: the short way a check takes for the usual file (one look-up and
one ``lstat``) settles every file as the long way does, whatever the names and links."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mentorqa
from mentorqa.workspace import _file_state, _Folders, _settle

# Folders and names a manifest may give, hand-edited or hostile: links in and out of the
# workspace and private/, names that only look private, dots, backslashes, absolute paths.
FOLDERS = [
    "",
    "evidence",
    "evidence/sub",
    "evidence/privately",
    "evidence/..",
    "evidence/./sub",
    "private",
    "privates",
    "linked-private",
    "linked-out",
    "linked-evidence",
    "evidence/missing-folder",
    "/etc",
    "evidence\\sub",
    "a\x00b",
]
NAMES = [
    "a.pdf",
    "..\\notes.pdf",
    "b.txt",
    "private",
    "private.pdf",
    "my-private-notes.pdf",
    "..\\private\\a.pdf",
    "a\\b.pdf",
    "link-to-private",
    "link-to-outside",
    "link-to-a",
    "dangling",
    "folder",
    "fifo",
    "missing.pdf",
    ".",
    "..",
    "",
    "nul\x00.pdf",
]


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[str]]:
    top = tmp_path_factory.mktemp("places")
    root, outside = top / "ws", top / "outside"
    for folder in ("evidence/sub", "evidence/privately", "private", "privates", "outside"):
        (top / "ws" / folder if folder != "outside" else outside).mkdir(parents=True)
    for folder in ("", "evidence", "evidence/sub", "evidence/privately", "private", "privates"):
        here = root / folder
        for name in ("a.pdf", "b.txt", "private.pdf", "my-private-notes.pdf", "a\\b.pdf"):
            (here / name).write_bytes(name.encode())
        (here / "..\\notes.pdf").write_bytes(b"n")
        (here / "folder").mkdir()
        os.mkfifo(here / "fifo")
        (here / "link-to-private").symlink_to(root / "private" / "a.pdf")
        (here / "link-to-outside").symlink_to(outside / "x.pdf")
        (here / "link-to-a").symlink_to("a.pdf")
        (here / "dangling").symlink_to(here / "nothing")
    (root / "private" / "private").write_bytes(b"p")
    (outside / "x.pdf").write_bytes(b"x")
    (outside / "a.pdf").write_bytes(b"x")
    (root / "linked-private").symlink_to(root / "private")
    (root / "linked-out").symlink_to(outside)
    (root / "linked-evidence").symlink_to(root / "evidence")
    files = [f"{folder}/{name}" if folder else name for folder in FOLDERS for name in NAMES]
    files += [f"/{name}" for name in NAMES] + [str(root / "evidence" / "a.pdf")]
    return str(root.resolve()), files


def long_way(root: str, files: list[str]) -> tuple[dict[str, str], dict[str, object]]:
    folders = _Folders()
    states: dict[str, str] = {}
    located: dict[str, object] = {}
    for file in files:
        if file in states or file in located:
            continue
        state, found = _file_state(root, file, folders)
        if found is None:
            states[file] = state
        else:
            located[file] = found
    return states, located


# Paths made of the parts above, any number deep, absolute or not.
PARTS = sorted({p for f in FOLDERS for p in f.split("/")} | set(NAMES) | {"ws", "..", "."})
PATHS = st.builds(
    lambda lead, parts: lead + "/".join(parts),
    st.sampled_from(["", "", "", "/", "./", "../"]),
    st.lists(st.sampled_from(PARTS), min_size=1, max_size=4),
)


@settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_short_way_settles_files_as_the_long_way(
    places: tuple[str, list[str]], data: st.DataObject
) -> None:
    root, pool = places
    files = data.draw(st.lists(st.one_of(st.sampled_from(pool), PATHS), max_size=30))
    assert _settle(root, files) == long_way(root, files)


def test_a_file_in_private_is_private_whatever_its_name(places: tuple[str, list[str]]) -> None:
    """A name with a backslash is one name on the file system: 'private/..\\notes.pdf' is in
    private/ (read as a written path it would normalise to 'notes.pdf'); an absolute path is
    outside, even of one part."""
    root, _ = places
    states = _settle(root, ["private/..\\notes.pdf", "/a.pdf", "linked-private/a.pdf"])[0]
    assert states == {
        "private/..\\notes.pdf": "private",
        "/a.pdf": "outside",
        "linked-private/a.pdf": "private",
    }


def test_every_kind_of_place_is_met(places: tuple[str, list[str]]) -> None:
    """The pool holds files of every state, so the property above compares all of them."""
    root, pool = places
    states, located = _settle(root, pool)
    assert set(states.values()) == {"outside", "private", "missing"}
    assert any(path.startswith(root) for path, _ in located.values())
    assert _settle(root, pool) == long_way(root, pool)
    assert Path(root, "evidence", "a.pdf").as_posix() in {p for p, _ in located.values()}


def test_a_file_in_private_cannot_be_recorded_whatever_its_name(tmp_path: Path) -> None:
    ws = mentorqa.create_workspace(tmp_path / "ws", "qim", "R")
    hidden = ws.root / "private" / "..\\notes.pdf"  # one name, in private/
    hidden.write_bytes(b"names a mentee")
    with pytest.raises(mentorqa.MentorqaError, match="is in private/"):
        ws.add_evidence("QIM-SV-A01", hidden)
    assert not any(r.evidence for r in ws.manifest.indicators.values())
