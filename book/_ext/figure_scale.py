"""Sphinx extension: figures whose tick labels stay readable on a phone.

A 1290-px-wide matplotlib figure squeezed into a 350-px phone column shrinks to 27% and its
10-pt tick labels to about 4 px. Each PNG figure gets a minimum width at which its text is at
least `MIN_TEXT_PX` CSS pixels tall; on a narrow screen the figure then scrolls inside its own
box (course.css) instead of shrinking further. The text size in the image follows from the
PNG's resolution (matplotlib writes it): `FONT_PT` points at `dpi` are `FONT_PT * dpi / 72`
image pixels, so a 2x (retina) PNG gets half the minimum width of a 1x one.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PIL import Image
from sphinx.application import Sphinx

# matplotlib's default tick label size ("medium" = rcParams["font.size"] = 10 pt).
FONT_PT = 10.0
MIN_TEXT_PX = 9.0
IMG = re.compile(r'<img\b([^>]*?)\bsrc="([^"]*_images/([^"/]+\.png))"([^>]*)>')
STYLE = re.compile(r'style="([^"]*)"')


def min_width(image: Path) -> int | None:
    """CSS width below which the figure's text would be smaller than MIN_TEXT_PX, or None."""
    with Image.open(image) as png:
        width = png.width
        dpi = float(png.info.get("dpi", (72.0, 72.0))[0]) or 72.0
    text_px = FONT_PT * dpi / 72.0
    return min(width, round(width * MIN_TEXT_PX / text_px)) if text_px > MIN_TEXT_PX else None


def set_min_widths(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if "body" not in context:
        return
    sources = {dest: Path(src) for src, dest in app.builder.images.items()}

    def sized(match: re.Match[str]) -> str:
        source = sources.get(match.group(3))
        width = min_width(source) if source and source.is_file() else None
        if width is None:
            return match.group(0)
        tag, given = match.group(0), STYLE.search(match.group(0))
        # A 2x (retina) PNG comes with its display size: keep its width, drop its height (which
        # would distort a figure narrowed to the screen), add the minimum width.
        declarations = [d.strip() for d in given.group(1).split(";")] if given else []
        kept = [d for d in declarations if d and not d.startswith("height")]
        style = f'style="{"; ".join([*kept, f"min-width: {width}px"])}"'
        if given:
            return tag[: given.start()] + style + tag[given.end() :]
        return f'<img{match.group(1)}src="{match.group(2)}" {style}{match.group(4)}>'

    context["body"] = IMG.sub(sized, context["body"])


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", set_min_widths)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
