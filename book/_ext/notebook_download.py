"""Sphinx extension: offer every MyST Markdown lesson as an .ipynb download.

sphinx-book-theme adds a ".ipynb" entry to its download menu only for pages whose source is a
notebook file, or when a launch service (Binder, JupyterHub...) is configured. The course has
no such service (it works offline), so this extension does the theme's copy itself: the
notebook myst-nb writes for the page into `_build/jupyter_execute/` (the lesson's cells; with
the execution cache on, without outputs, so a learner runs it afresh) is copied next to the
page's sources and announced through the `ipynb_source` context value the download menu reads.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx


def offer_executed_notebook(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Copy `<pagename>.ipynb` into `_sources/` and let the theme's download menu link it."""
    if not str(context.get("sourcename", "")).endswith((".md", ".md.txt")):
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.is_file():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app: Sphinx) -> dict[str, Any]:
    # Before the theme builds its header buttons (priority 501).
    app.connect("html-page-context", offer_executed_notebook, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
