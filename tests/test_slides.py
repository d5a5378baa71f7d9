"""Slides build offline: slide metadata from headings, and decks that load nothing from a CDN."""
from pathlib import Path

import nbformat
import pytest

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


def test_headings_inside_a_cell_start_their_own_slide():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("> **Think!** why?\n\n## 3. Next section\ntext\n```python\n# not a heading\n```\n### Sub"),
        nbformat.v4.new_markdown_cell("keep me\n## whole", metadata={"slideshow": {"slide_type": "-"}}),
    ])
    slides.split_at_headings(nb)
    assert [c.source for c in nb.cells] == ["> **Think!** why?", "## 3. Next section\ntext\n```python\n# not a heading\n```",
                                            "### Sub", "keep me\n## whole"]
    slides.add_slide_metadata(nb)
    assert [c.metadata["slideshow"]["slide_type"] for c in nb.cells] == ["-", "slide", "subslide", "-"]


def test_the_slides_template_mermaid_import_is_dropped_and_detected():
    html = ("<script type=\"module\">\n  import mermaid from 'https://cdnjs.cloudflare.com/ajax/libs/mermaid/11.10.0/"
            "mermaid.esm.min.mjs';\n  mermaid.initialize({ startOnLoad: true });\n</script><p>x</p>")
    assert slides.external_urls(html) == ["https://cdnjs.cloudflare.com/ajax/libs/mermaid/11.10.0/mermaid.esm.min.mjs"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("no diagrams")])
    assert slides.drop_unused_mermaid(html, nb) == "<p>x</p>"
    nb.cells.append(nbformat.v4.new_markdown_cell("```mermaid\ngraph TD; A-->B\n```"))
    with pytest.raises(ValueError, match="mermaid"):
        slides.drop_unused_mermaid(html, nb)


def test_css_and_module_imports_and_script_addresses_count_as_loads():
    html = "<style>@import url(https://fonts.googleapis.com/css?family=Lato);</style><a href='https://arxiv.org/abs/1'>a</a>"
    assert slides.external_urls(html) == ["https://fonts.googleapis.com/css?family=Lato"]
    js = "<script>var src = 'https://unpkg.com/@jupyter-widgets/html-manager@*/dist/embed-amd.js';</script>"
    assert slides.external_urls(js) == ["https://unpkg.com/@jupyter-widgets/html-manager@*/dist/embed-amd.js"]


def test_widget_decks_use_the_vendored_widget_manager():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title")])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"version_major": 2, "version_minor": 0, "state": {}}}
    from nbconvert.exporters import SlidesExporter

    html, _ = SlidesExporter(**slides.LOCAL_URLS).from_notebook_node(nb)
    assert "vendor/@jupyter-widgets/html-manager/dist/embed-amd.js" in html
    assert "unpkg.com/@jupyter-widgets" not in html


def test_executed_copies_are_cached_until_the_notebook_changes(tmp_path, monkeypatch):
    from course_utils import _build

    path, cache = tmp_path / "tiny.ipynb", tmp_path / "cache"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")]), path)
    nb = _build.executed(path, cache=cache)
    assert nb.cells[0].outputs[0]["text"] == "42\n"
    assert len(list(cache.glob("tiny.*.ipynb"))) == 1 and (cache / "tiny.kernel.log").exists()

    import nbclient

    monkeypatch.setattr(nbclient, "NotebookClient", lambda *a, **k: pytest.fail("re-executed an unchanged notebook"))
    assert _build.executed(path, cache=cache).cells[0].outputs[0]["text"] == "42\n"
    monkeypatch.undo()

    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 9)")]), path)
    assert _build.executed(path, cache=cache).cells[0].outputs[0]["text"] == "54\n"
    assert len(list(cache.glob("tiny.*.ipynb"))) == 1  # the stale copy is gone
