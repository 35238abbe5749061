"""Finding the submissions and the masters (dld.grade.collect, dld.paths.resolve_masters) on
hand-built folders: both layouts, renamed copies, and a clear error for every unusable folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from dld.grade import SubmissionsError, collect
from dld.paths import chapters, resolve_masters
from dld.report import ERROR


def _touch(folder: Path, *names: str) -> None:
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("{}")


def test_nested_layout_one_submission_per_learner_and_chapter(tmp_path: Path) -> None:
    _touch(
        tmp_path,
        "ann/02_neurons/exercises.ipynb",
        "ann/04_training/exercises.ipynb",
        "bob/02_neurons/Exercises (1).ipynb",
        "cat/02_neurons/notes.ipynb",
    )
    found, rows = collect(tmp_path, None)
    assert sorted((s.learner, s.chapter, s.path.name) for s in found) == [
        ("ann", "02_neurons", "exercises.ipynb"),
        ("ann", "04_training", "exercises.ipynb"),
        ("bob", "02_neurons", "Exercises (1).ipynb"),
    ]
    assert [s.note for s in found if s.learner == "bob"] == [
        "graded Exercises (1).ipynb as exercises.ipynb"
    ]
    assert [(r.learner, r.status) for r in rows] == [("cat", ERROR)]
    assert "no exercises.ipynb here (found: notes.ipynb)" in rows[0].note
    only, _ = collect(tmp_path, "04_training")
    assert [(s.learner, s.chapter) for s in only] == [("ann", "04_training")]


def test_flat_folder_needs_a_chapter_and_reads_renamed_copies(tmp_path: Path) -> None:
    _touch(tmp_path, "ann.ipynb", "bob (1).ipynb")
    with pytest.raises(SubmissionsError, match=r"--chapter \(make: CHAPTER=\.\.\."):
        collect(tmp_path, None)
    found, rows = collect(tmp_path, "02_neurons")
    assert sorted((s.learner, s.note) for s in found) == [
        ("ann", ""),
        ("bob", "graded bob (1).ipynb as bob.ipynb"),
    ]
    assert rows == []


@pytest.mark.parametrize(
    "names, message",
    [
        ([], "no submissions found; expected <learner>/<chapter>/exercises.ipynb"),
        (["ann.ipynb", "bob/02_neurons/exercises.ipynb"], "mixes <learner>.ipynb files"),
    ],
)
def test_unusable_folders_say_what_is_expected(
    tmp_path: Path, names: list[str], message: str
) -> None:
    _touch(tmp_path, *names)
    with pytest.raises(SubmissionsError, match=message):
        collect(tmp_path, "02_neurons")
    with pytest.raises(SubmissionsError, match="no such folder"):
        collect(tmp_path / "missing", None)


def test_masters_resolve_by_chapter_id_and_unknown_ones_are_listed() -> None:
    every = resolve_masters(None)
    assert list(every) == chapters() and all(p.is_file() for p in every.values())
    assert resolve_masters(["02_neurons"]) == {"02_neurons": every["02_neurons"]}
    with pytest.raises(FileNotFoundError, match="02_neurons"):
        resolve_masters(["02_nerons"])
