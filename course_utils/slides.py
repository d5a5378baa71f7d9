"""Offline reveal.js slide decks of the lessons (``make slides``).

    python -m course_utils.slides build              # executes the lessons, writes build/slides/
    python -m course_utils.slides build --no-execute # slides without outputs (seconds)
    python -m course_utils.slides vendor             # only fetch reveal.js & co. from npm

reveal.js, MathJax, RequireJS, jQuery, Font Awesome and the Jupyter widgets HTML manager are installed once from the npm registry
into ``build/slides/vendor/`` (this needs the registry the first time), and the decks point at that
copy instead of a CDN, so the slides work with the network off. Slide boundaries come from the
cells' ``slideshow`` metadata; cells without it are split at their headings and get one from
them: ``#``/``##`` start a slide, ``###`` a sub-slide, anything else continues the current slide.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

from ._build import cli, executed, external_urls, npm_vendor

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "slides"
VENDOR_PACKAGES = {"reveal.js": "4.6.1", "mathjax": "2.7.9", "requirejs": "2.3.7", "jquery": "3.7.1", "font-awesome": "4.7.0",
                   "@jupyter-widgets/html-manager": "1.0.15"}
LOCAL_URLS = {
    "reveal_url_prefix": "vendor/reveal.js",
    "require_js_url": "vendor/requirejs/require.js",
    "jquery_url": "vendor/jquery/dist/jquery.min.js",
    "mathjax_url": "vendor/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
    "font_awesome_url": "vendor/font-awesome/css/font-awesome.css",
    "widget_renderer_url": "vendor/@jupyter-widgets/html-manager/dist/embed-amd.js",
}
REQUIRE_TAG = '<script src="vendor/requirejs/require.js"></script>'
# the widget manager finds its fonts relative to RequireJS's baseUrl; reveal.js is loaded by path, unaffected
REQUIRE_BASE = REQUIRE_TAG + '<script>require.config({baseUrl: "vendor/"});</script>'


def vendor(out_dir: Path = OUT) -> Path:
    """Install the front-end packages from the npm registry into ``out_dir/vendor`` (once)."""
    return npm_vendor(VENDOR_PACKAGES, out_dir / "vendor", "`make slides`")


def split_at_headings(nb) -> None:
    """Split markdown cells so that every ``#``/``##``/``###`` heading starts a cell of its own (in place).

    Lessons often end a cell with a "Think!" box and open the next section in the same cell; on a
    slide that would put two sections on one screen.
    """
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "markdown" or "slide_type" in cell.metadata.get("slideshow", {}):
            cells.append(cell)
            continue
        parts, current, fenced = [], [], False
        for line in cell.source.split("\n"):
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
            if not fenced and re.match(r"#{1,3} ", line) and any(l.strip() for l in current):
                parts.append("\n".join(current).strip("\n"))
                current = []
            current.append(line)
        parts.append("\n".join(current).strip("\n"))
        cells.append(cell)
        cell.source = parts[0]
        base = cell.get("id", "md")[:58]  # deterministic ids: the same deck from the same lesson
        cells.extend(nbformat.v4.new_markdown_cell(part, id=f"{base}-{k}") for k, part in enumerate(parts[1:], 1))
    nb.cells = cells


def add_slide_metadata(nb) -> None:
    """Give every cell a ``slideshow.slide_type`` unless it already has one (in place)."""
    for cell in nb.cells:
        meta = cell.metadata.setdefault("slideshow", {})
        if "slide_type" in meta:
            continue
        first = cell.source.lstrip().split("\n", 1)[0] if cell.cell_type == "markdown" else ""
        if re.match(r"#{1,2} ", first):
            meta["slide_type"] = "slide"
        elif first.startswith("### "):
            meta["slide_type"] = "subslide"
        else:
            meta["slide_type"] = "-"


MERMAID_IMPORT = re.compile(r"<script type=\"module\">\s*import mermaid from '[^']+';\s*mermaid\.initialize\([^)]*\);\s*</script>")


def drop_unused_mermaid(html: str, nb) -> str:
    """nbconvert's slides template always imports mermaid from cdnjs; the lessons draw no mermaid diagrams."""
    if any("```mermaid" in cell.source for cell in nb.cells if cell.cell_type == "markdown"):
        raise ValueError("a lesson uses a mermaid diagram: vendor mermaid from npm before building offline slides")
    return MERMAID_IMPORT.sub("", html)


def build_one(path: Path, out_dir: Path = OUT, execute: bool = True, timeout: int = 300) -> Path:
    """Write ``out_dir/<lesson>.slides.html`` for one notebook; returns its path."""
    from nbconvert.exporters import SlidesExporter

    nb = executed(path, timeout) if execute else nbformat.read(path, as_version=4)
    split_at_headings(nb)
    add_slide_metadata(nb)
    # reveal.js's "simple" theme @imports Google Fonts; "white" ships its font with the package
    exporter = SlidesExporter(**LOCAL_URLS, reveal_theme="white")
    html, _ = exporter.from_notebook_node(nb)
    html = drop_unused_mermaid(html, nb)
    if REQUIRE_TAG not in html:
        raise RuntimeError(f"{path.name}: nbconvert's slides template no longer loads {REQUIRE_TAG}")
    html = html.replace(REQUIRE_TAG, REQUIRE_BASE, 1)
    leftovers = external_urls(html)
    if leftovers:
        raise RuntimeError(f"{path.name}: the slides would still load {leftovers[:3]} from the network")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{path.stem}.slides.html"
    target.write_text(html)
    return target


def build(out_dir: Path = OUT, execute: bool = True, lessons=None) -> list[Path]:
    vendor(out_dir)
    paths = sorted((ROOT / "notebooks").glob("*.ipynb")) if lessons is None else [Path(p) for p in lessons]
    written = []
    for path in paths:
        written.append(build_one(path, out_dir, execute))
        print(f"wrote {written[-1].relative_to(out_dir.parent.parent) if out_dir.is_relative_to(ROOT) else written[-1]}", flush=True)
    index = out_dir / "index.html"
    items = "\n".join(f'<li><a href="{p.name}">{p.stem.replace(".slides", "")}</a></li>' for p in written)
    index.write_text(f"<!doctype html><meta charset='utf-8'><title>Inside Generative Models — slides</title>"
                     f"<h1>Inside Generative Models — slides</h1><ul>{items}</ul>\n")
    return written


def main(argv=None) -> int:
    return cli(argv, "python -m course_utils.slides", OUT, build, vendor, build_help="write build/slides/*.slides.html",
               vendor_help="only fetch reveal.js, MathJax, ... from npm into build/slides/vendor/")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
