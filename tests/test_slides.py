"""Slides build offline: slide metadata from headings, and decks that load nothing from a CDN."""
from pathlib import Path

import nbformat

from course_utils import slides

ROOT = Path(__file__).resolve().parent.parent


def test_slide_metadata_from_headings():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Title"), nbformat.v4.new_markdown_cell("## A section"),
        nbformat.v4.new_markdown_cell("### A subsection"), nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell("text", metadata={"slideshow": {"slide_type": "skip"}}),
    ])
    slides.add_slide_metadata(nb)
    assert [c.metadata["slideshow"]["slide_type"] for c in nb.cells] == ["slide", "slide", "subslide", "-", "skip"]


def test_external_urls_are_detected():
    html = '<script src="https://cdnjs.cloudflare.com/ajax/libs/x.js"></script><a href="https://example.org/paper">p</a>'
    assert slides.external_urls(html) == ["https://cdnjs.cloudflare.com/ajax/libs/x.js"]


def test_a_lesson_deck_uses_only_the_vendored_copies(tmp_path):
    out = slides.build_one(ROOT / "notebooks" / "00_start_here.ipynb", tmp_path, execute=False)
    html = out.read_text()
    assert out.name == "00_start_here.slides.html"
    assert "vendor/reveal.js" in html and "vendor/mathjax/MathJax.js" in html
    assert slides.external_urls(html) == []
    assert "unpkg.com" not in html and "cdnjs.cloudflare.com/ajax/libs/mathjax" not in html
    assert html.count("<section") >= 6  # one per "#"/"##" heading of lesson 00
