"""Sphinx extension: tell a learner with only the website how to work each notebook.

Every exercises page gets, under its title, "Work in your browser" (the page's notebook in the
JupyterLite copy, when the site has one), the notebook's download and the course wheel, and says
where browser work lives and how to hand it in. Lesson pages get the download and the wheel; the
intro page gets the repository's address (the one setting `repository.url` in `_config.yml`)
and the wheel. Pages can also write `{{ repository_url }}` and `{{ course_wheel }}`.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from course_wheel import wheel_path
from lite_copy import lite_distribution, lite_url
from sphinx.application import Sphinx

CHAPTER_PAGE = re.compile(r"^book/(\d\d_[a-z0-9_]+)/(exercises|lesson)$")
STORAGE_NOTE = (
    "In the browser nothing is installed: the first visit loads about 40 MB, then it works "
    "offline. Your work is kept in this browser's storage only and is lost if you clear the "
    "site's data, so keep it with <em>File &rsaquo; Download</em>. To hand it in, submit that "
    "downloaded <code>exercises.ipynb</code>: it is graded like any other."
)


def repository_url(app: Sphinx) -> str:
    """The course repository's address, from `repository.url` in `_config.yml`."""
    url = app.config.html_theme_options.get("repository_url", "")
    if not url:
        raise ValueError(
            "_config.yml must set repository.url, the course repository's address shown on the site"
        )
    return str(url)


def add_substitutions(app: Sphinx, config: Any) -> None:
    config.myst_substitutions = {**config.myst_substitutions, "repository_url": repository_url(app)}


def banner(app: Sphinx, pagename: str, pathto: Any) -> str | None:
    """The HTML block for `pagename`, or None for pages that get none."""
    wheel = wheel_path(Path(app.confdir))
    wheel_link = (
        f'<a href="{pathto(wheel, 1)}">Course library '
        f"<code>{html.escape(Path(wheel).name)}</code></a>"
    )
    if pagename == app.config.root_doc:
        url = html.escape(repository_url(app))
        return (
            '<aside class="dld-work" aria-label="Get the course">'
            f'<p class="dld-work-links"><a href="{url}">Course repository: '
            f"{url}</a>{wheel_link}</p>"
            "<p>Every exercises page opens its notebook in your browser, with nothing to install. "
            "To work on your own machine, download a notebook and install the course library "
            "with <code>%pip install</code> and the wheel's address, or clone the repository."
            "</p></aside>"
        )
    match = CHAPTER_PAGE.match(pagename)
    if not match:
        return None
    chapter, kind = match.groups()
    links = []
    if kind == "exercises" and lite_distribution(app) is not None:
        links.append(
            f'<a class="dld-lite-link" href="{pathto(lite_url(chapter), 1)}">Work in your '
            "browser</a>"
        )
    links.append(
        f'<a href="{pathto(f"_sources/{pagename}.ipynb", 1)}" download>Download {kind}.ipynb</a>'
    )
    links.append(wheel_link)
    note = (
        f"<p>{STORAGE_NOTE}</p>"
        if kind == "exercises" and lite_distribution(app) is not None
        else ""
    )
    return (
        '<aside class="dld-work" aria-label="Work on this notebook">'
        f'<p class="dld-work-links">{"".join(links)}</p>{note}</aside>'
    )


def add_banner(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    block = banner(app, pagename, context.get("pathto"))
    if block and "body" in context:
        context["body"] = context["body"].replace("</h1>", "</h1>" + block, 1)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", add_substitutions)
    app.connect("html-page-context", add_banner)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
