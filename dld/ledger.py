"""The grading course's memory: what was graded from which file, so a run grades only what changed.

`OUT/course/ledger.json` holds one entry per learner and chapter: the SHA-256 of the notebook
handed in, of each answer cell in it and of the chapter's source (master) it was graded against,
how grading ended, and every hand-given score set aside because the answer it marked changed
(so no grade is ever lost, even when it no longer counts). The file is written atomically.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

LEDGER_FILE = "ledger.json"
LOCK_FILE = ".dld-lock"
FORMAT = 1
# How grading a submission ended: graded, the learner's error, or not the learner's fault.
GRADED, ERROR, INFRASTRUCTURE = "graded", "error", "infrastructure error"


def sha256(data: bytes) -> str:
    """Hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def answer_hashes(notebook: dict[str, Any]) -> dict[str, str]:
    """grade_id -> SHA-256 of the source of each answer (nbgrader solution) cell of `notebook`."""
    hashes = {}
    for cell in notebook["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id"):
            source = cell["source"]
            text = "".join(source) if isinstance(source, list) else source
            hashes[meta["grade_id"]] = sha256(text.encode())
    return hashes


def changed_answers(before: dict[str, str], after: dict[str, str]) -> set[str]:
    """Answer ids whose source differs between two `answer_hashes` (added or removed included)."""
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


def answer_of(grade_id: str) -> str:
    """The answer cell a graded cell marks: `X_tests` marks `X`; a written answer marks itself."""
    return grade_id.removesuffix("_tests")


@dataclass
class Entry:
    """One learner's chapter as last graded.

    Attributes:
        file: SHA-256 of the notebook handed in ("" when there was no readable file).
        source: SHA-256 of the chapter's source notebook it was graded against.
        answers: `answer_hashes` of the notebook handed in.
        status: how grading ended: GRADED, ERROR or INFRASTRUCTURE.
        set_aside: hand-given scores and comments cleared because their answer changed.
        feedback: fingerprint of what the feedback page was last rendered from.
    """

    learner: str
    chapter: str
    file: str = ""
    source: str = ""
    answers: dict[str, str] = field(default_factory=dict)
    status: str = ""
    note: str = ""
    set_aside: list[dict[str, Any]] = field(default_factory=list)
    feedback: str = ""


class Ledger:
    """The entries of one grading course, read from and saved to `course/ledger.json`."""

    def __init__(self, course: Path) -> None:
        self.path = course / LEDGER_FILE
        self._entries: dict[tuple[str, str], Entry] = {}
        if self.path.is_file():
            data = json.loads(self.path.read_text())
            if data.get("format") != FORMAT:
                raise ValueError(
                    f"{self.path}: ledger format {data.get('format')!r}, expected {FORMAT}: "
                    "grade with --fresh into a new folder, or use the dld version that wrote it"
                )
            for item in data["entries"]:
                entry = Entry(**item)
                self._entries[entry.learner, entry.chapter] = entry

    def get(self, learner: str, chapter: str) -> Entry | None:
        """The entry of `learner`'s `chapter`, or None if it was never handed in here."""
        return self._entries.get((learner, chapter))

    def put(self, entry: Entry) -> None:
        """Add or replace the entry of `entry.learner`'s `entry.chapter`."""
        self._entries[entry.learner, entry.chapter] = entry

    def entries(self) -> list[Entry]:
        """Every entry, sorted by chapter then learner."""
        return [self._entries[key] for key in sorted(self._entries, key=lambda k: (k[1], k[0]))]

    def save(self) -> None:
        """Write the ledger atomically (a crash leaves the old file or the new one, never half)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"format": FORMAT, "entries": [asdict(e) for e in self.entries()]}
        tmp = self.path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
        os.replace(tmp, self.path)


def up_to_date(entry: Entry | None, file: str, source: str) -> bool:
    """Whether a submission needs no grading: the same file was graded against the same source.

    A submission whose grading failed for a reason that was not the learner's is never up to date.
    """
    return (
        entry is not None
        and entry.file == file
        and entry.source == source
        and entry.status not in ("", INFRASTRUCTURE)
    )


@contextmanager
def exclusive(out: Path) -> Iterator[None]:
    """One `dld grade` or `dld export` at a time on a grading folder; another stops at once.

    Raises:
        RuntimeError: another run holds `out` (the message says to wait for it).
    """
    out.mkdir(parents=True, exist_ok=True)
    with (out / LOCK_FILE).open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RuntimeError(
                f"{out} is in use by another dld grade or dld export: let it finish, then run again"
            ) from None
        yield
