"""Sphinx extension: a JupyterLite copy of the site at `<site>/lite/`, where every chapter's
exercises run in the learner's browser with NumPy, matplotlib and nnlib, offline, no server.

At `builder-inited` the Pyodide distribution is assembled and verified (`pyodide_dist`), so the
pages know whether to offer "Work in your browser". If the files cannot be had, the site builds
without the lite copy and its links and says so in one line; a file whose hash does not match
the official lock stops the build. At `build-finished` (after the course wheel) the lite copy
is built from scratch in a fresh folder with the pinned jupyterlite-core 0.6.4 and
jupyterlite-pyodide-kernel 0.6.1: an incremental build once skipped the task that points the
kernel at the local Pyodide, and the kernel then waited for a CDN forever, so the build fails
unless `pyodideUrl` is the local one.

Shipped: the release notebooks `book/NN_topic/exercises.ipynb` (no masters, no hidden tests),
Pyodide with the course wheel in its lock (`import nnlib` needs no `%pip`), `comm` for the
kernel's start-up, only the kernel's and the widgets' lab extensions, no source maps, and
`lite_a11y.js`, which fixes one ARIA mistake of JupyterLab's toolbar buttons.
"""

from __future__ import annotations

import importlib.metadata
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from pyodide_dist import (
    PYODIDE_VERSION,
    Distribution,
    Unavailable,
    add_to_lock,
    build_distribution,
    declared_licence,
    metadata_licence,
    pip_download,
    provenance,
    sha256,
)
from sphinx.application import Sphinx
from sphinx.util import logging

from dld.site import WHEEL_DIR, wheel_name

logger = logging.getLogger(__name__)

LITE_DIR = "lite"
LOCAL_PYODIDE = "./static/pyodide/pyodide.js"
KERNEL_PYPI = ("comm==0.2.3",)
LITE_APPLICATION = ("jupyterlite-core", "jupyterlite-pyodide-kernel")
SETTINGS = {
    # The notebooks ask for kernel `python3`, the lite kernel is `python`: start it without asking.
    # Every cell in the page (no windowing): the browser's find and screen readers see the whole
    # notebook, and the tests read every cell's prompt.
    "@jupyterlab/notebook-extension:tracker": {
        "autoStartDefaultKernel": True,
        "windowingMode": "none",
    },
}
PYODIDE_SETTINGS = {"disablePyPIFallback": True}
# Loaded by every app page of the lite copy: moves JupyterLab's misplaced aria-pressed.
A11Y_SCRIPT = Path(__file__).with_name("lite_a11y.js")
# Only the kernel's and the widgets' extensions (nnlib's progress bar is a widget): the venv's
# other lab extensions (nbgrader's instructor tools, jupytext) would otherwise be copied in.
LAB_EXTENSIONS = [
    Path(sys.prefix) / "share" / "jupyter" / "labextensions" / name
    for name in ("@jupyterlite/pyodide-kernel-extension", "@jupyter-widgets/jupyterlab-manager")
]


def chapters(root: Path) -> list[str]:
    """Chapter folders that have a release notebook, e.g. `["01_deep_learning", ...]`."""
    return sorted(p.parent.name for p in (root / "book").glob("[0-9][0-9]_*/exercises.ipynb"))


def lite_url(chapter: str) -> str:
    """The lite copy's address of a chapter's exercises, relative to the site's root."""
    return f"{LITE_DIR}/lab/index.html?path={chapter}/exercises.ipynb"


def lite_distribution(app: Sphinx) -> Distribution | None:
    """The verified Pyodide, or None when the site is built without the lite copy."""
    return getattr(app, "dld_pyodide", None)


def prepare_pyodide(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    root = Path(app.confdir)
    try:
        dist = build_distribution(
            root / "node_modules" / "pyodide", Path(app.outdir).parent / "lite-work"
        )
    except Unavailable as reason:
        logger.info(
            f"JupyterLite copy left out, the site has no 'Work in your browser' links: {reason}"
        )
        dist = None
    else:
        logger.info(
            f"Pyodide {PYODIDE_VERSION}: {dist.verified}/{dist.total} "
            "files verified against the official lock"
        )
    app.dld_pyodide = dist  # type: ignore[attr-defined]


def write_lite_dir(lite_dir: Path, notebooks: dict[str, Path], pyodide: Path) -> None:
    """Lay out a fresh lite build's input: contents, Pyodide, the kernel's wheels, settings.

    Args:
        lite_dir: the folder to (re)create.
        notebooks: path in the lite copy (e.g. `04_training/exercises.ipynb`) -> notebook file.
        pyodide: the verified Pyodide folder, its lock already listing the course wheel.
    """
    shutil.rmtree(lite_dir, ignore_errors=True)
    for name, notebook in notebooks.items():
        (lite_dir / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(notebook, lite_dir / "content" / name)
    shutil.copytree(pyodide, lite_dir / "static" / "pyodide")
    for requirement in KERNEL_PYPI:
        pip_download(requirement, lite_dir / "pypi")
    (lite_dir / "overrides.json").write_text(json.dumps(SETTINGS, indent=1))
    config = {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": PYODIDE_SETTINGS}
        },
    }
    (lite_dir / "jupyter-lite.json").write_text(json.dumps(config, indent=1))
    build_config = {
        "LiteBuildConfig": {
            "ignore_sys_prefix": ["federated_extensions"],
            "federated_extensions": [str(p) for p in LAB_EXTENSIONS],
        }
    }
    (lite_dir / "jupyter_lite_config.json").write_text(json.dumps(build_config, indent=1))


def run_lite_build(lite_dir: Path, output: Path) -> None:
    """`jupyter lite build` of `lite_dir` into an emptied `output`; fail unless Pyodide is the local
    one."""
    shutil.rmtree(output, ignore_errors=True)
    proc = subprocess.run(
        [
            str(Path(sys.executable).parent / "jupyter"),
            "lite",
            "build",
            "--no-sourcemaps",
            "--no-unused-shared-packages",
            "--apps",
            "lab",
            "--contents",
            "content",
            "--output-dir",
            str(output),
        ],
        cwd=lite_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"`jupyter lite build` failed (exit {proc.returncode}):\n"
            f"{(proc.stdout + proc.stderr)[-3000:]}"
        )
    settings = json.loads((output / "jupyter-lite.json").read_text())["jupyter-config-data"][
        "litePluginSettings"
    ]
    url = settings.get("@jupyterlite/pyodide-kernel-extension:kernel", {}).get("pyodideUrl")
    if url != LOCAL_PYODIDE:
        raise RuntimeError(
            f"the lite copy's pyodideUrl is {url!r}, not the local "
            f"{LOCAL_PYODIDE!r}: the kernel would wait for a CDN"
        )
    for sourcemap in output.rglob("*.map"):
        sourcemap.unlink()
    shutil.copy2(A11Y_SCRIPT, output / A11Y_SCRIPT.name)
    for page in output.glob("*/index.html"):
        text = page.read_text()
        page.write_text(
            text.replace("</head>", f'<script src="../{A11Y_SCRIPT.name}"></script></head>', 1)
        )


def build_lite(root: Path, dist: Distribution, outdir: Path) -> Path:
    """Build the site's lite copy (every chapter's release notebook) into `outdir/lite`."""
    add_to_lock(
        dist,
        outdir / WHEEL_DIR / wheel_name(root),
        "deep-learning-demystified",
        imports=["nnlib"],
        depends=["numpy", "tqdm", "ipywidgets"],
    )
    lite_dir = outdir.parent / "lite-work" / "site"
    notebooks = {
        f"{chapter}/exercises.ipynb": root / "book" / chapter / "exercises.ipynb"
        for chapter in chapters(root)
    }
    write_lite_dir(lite_dir, notebooks, dist.folder)
    run_lite_build(lite_dir, outdir / LITE_DIR)
    write_provenance(dist, outdir / LITE_DIR)
    return outdir / LITE_DIR


def write_provenance(dist: Distribution, output: Path) -> None:
    """`output/provenance.json`: file, SHA-256, licence and source of everything the lite copy
    ships: the Pyodide files (`static/pyodide/`), the kernel's wheels (`pypi/`) and the
    JupyterLite application itself (the rest)."""
    records = [{**r, "file": f"static/pyodide/{r['file']}"} for r in provenance(dist)]
    for wheel in sorted((output / "pypi").glob("*.whl")):
        records.append(
            {
                "file": f"pypi/{wheel.name}",
                "sha256": sha256(wheel),
                "licence": declared_licence(wheel),
                "source": "PyPI " + "==".join(wheel.name.split("-")[:2]),
            }
        )
    for name in LITE_APPLICATION:
        meta = importlib.metadata.metadata(name)
        records.append(
            {
                "file": "the JupyterLite application (everything else under lite/)",
                "sha256": "",
                "licence": metadata_licence(meta) or "",
                "source": f"PyPI {name}=={meta['Version']}, built by `jupyter lite build`",
            }
        )
    (output / "provenance.json").write_text(json.dumps(records, indent=1))


def ship_lite(app: Sphinx, exception: Exception | None) -> None:
    dist = lite_distribution(app)
    if exception is None and dist is not None:
        output = build_lite(Path(app.confdir), dist, Path(app.outdir))
        size = sum(p.stat().st_size for p in output.rglob("*") if p.is_file())
        logger.info(f"JupyterLite copy: {output.relative_to(app.outdir)}/ ({size / 2**20:.1f} MiB)")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", prepare_pyodide)
    app.connect("build-finished", ship_lite, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
