"""Sphinx extension: name the theme's navigation toggles, so the site meets WCAG 2.1 AA.

pydata-sphinx-theme folds every chapter's sections in `<details><summary>` whose only content is
a decorative chevron, so a screen reader announces an unnamed control (axe rule `summary-name`).
Each such summary gets an `aria-label` naming what it opens: "Sections of <chapter title>".
myst-nb's "Show code cell source" toggles carry aria-label "Toggle hidden content", which does not
contain their visible text (axe rule `label-content-name-mismatch`, it breaks voice control):
the label is dropped, so the visible text names them. The search button and the light/dark switch
get their names from their visible content (templates `book/_templates/search-button-field.html` and
`theme-switcher.html`). The pages' default colour mode is set to "auto": left empty, the theme
logged "Got invalid theme mode" as a console error on every page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from bs4 import BeautifulSoup
from sphinx.application import Sphinx


def name_toggles(soup: BeautifulSoup) -> None:
    """Give every text-less navigation `<summary>` an aria-label from its entry's link text."""
    for summary in soup.select("li > details > summary"):
        if summary.get_text(strip=True) or summary.get("aria-label"):
            continue
        link = summary.parent.parent.find("a", recursive=False)
        title = link.get_text(" ", strip=True) if link else "this part"
        summary["aria-label"] = f"Sections of {title}"


def labelled(generate: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap the theme's `generate_toctree_html` so its summaries come out named."""

    @functools.wraps(generate)
    def wrapper(kind: str, *args: Any, **kwargs: Any) -> Any:
        result = generate(kind, *args, **kwargs)
        soup = result if isinstance(result, BeautifulSoup) else BeautifulSoup(result, "html.parser")
        name_toggles(soup)
        return soup if isinstance(result, BeautifulSoup) else str(soup)

    return wrapper


def label_navigation(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if "generate_toctree_html" in context:
        context["generate_toctree_html"] = labelled(context["generate_toctree_html"])


MYST_NB_TOGGLE = '<summary aria-label="Toggle hidden content">'


def name_code_toggles(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if "body" in context:
        context["body"] = context["body"].replace(MYST_NB_TOGGLE, "<summary>")


def default_mode(app: Sphinx, config: Any) -> None:
    config.html_context = {"default_mode": "auto", **config.html_context}


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", default_mode)
    # After pydata-sphinx-theme puts `generate_toctree_html` into the context (priority 500).
    app.connect("html-page-context", label_navigation, priority=600)
    app.connect("html-page-context", name_code_toggles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
