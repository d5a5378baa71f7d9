"""Notebook hygiene: committed without outputs, start with setup(), lesson 00 covers its brief.

The notebooks themselves are executed by nbval in `make test` (second pytest run)."""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p for folder in ("notebooks", "solutions", "exercises") for p in (ROOT / folder).glob("*.ipynb"))


def _cells(path):
    return json.loads(path.read_text())["cells"]


def test_there_are_notebooks():
    assert (ROOT / "notebooks" / "00_start_here.ipynb") in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_committed_without_outputs(path):
    for cell in _cells(path):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None, \
                f"{path.name} has outputs: strip them (CI executes notebooks)"


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_lessons_follow_the_template(path):
    cells = _cells(path)
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    first_code = next("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert re.match(r"# \d\d ", "".join(cells[0]["source"])), "the first cell is the title '# NN ...'"
    assert "Objectives" in text and re.search(r"≈ \d+ min to read, ≈ \d+ s to run", text)
    assert "setup()" in first_code
    assert "Think!" in text and "## References" in text


def test_lesson_00_maps_the_article_and_has_the_glossary():
    text = "\n".join("".join(c["source"]) for c in _cells(ROOT / "notebooks" / "00_start_here.ipynb"))
    for section in ("3.2 (1)", "3.2 (2)", "3.2 (3)", "3.2 (4)", "3.3", "5 未来", "6 附录"):
        assert section in text
    for term in ("变分自编码器", "生成对抗网络", "梯度上升", "解释模型", "可解释性"):
        assert term in text
    assert "zoo_gallery" in text and "zoo.verify" in text


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_lesson_output_is_clean(path):
    """A learner sees no TensorFlow log lines, progress bars or warnings (nbval runs the rest)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    noisy = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            text = out.get("text", "") if out.get("output_type") == "stream" else ""
            if out.get("name") == "stderr" or re.search(r"Warning|W0000|I0000|E0000|━━|ms/step|absl::", text):
                noisy.append((i, text[:200]))
    assert noisy == [], f"{path.name}: noisy output in cells {noisy}"
