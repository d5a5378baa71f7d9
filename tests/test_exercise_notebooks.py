"""Exercise notebooks: their format, and what happens when they are run.

In exercises/ every unsolved cell may fail only with NotImplementedError (and is tagged so nbval
accepts it), and every check reports "not passed" — so a check that accepts anything cannot slip
through. In solutions/ every check passes.
"""
import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))
ALL = sorted(p for d in ("notebooks", "solutions", "exercises") for p in (ROOT / d).glob("*.ipynb"))
ids = lambda p: f"{p.parent.name}/{p.name}"  # noqa: E731


def _run(path, tmp_path, monkeypatch):
    """Execute a notebook in a fresh kernel that records progress into tmp_path."""
    monkeypatch.setenv("COURSE_PROGRESS_FILE", str(tmp_path / "progress.json"))
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def _text(cell):
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


def _errors(cell):
    return [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]


def test_every_solution_has_its_exercise_notebook():
    assert [p.name for p in SOLUTIONS] == [p.name for p in EXERCISES]
    assert SOLUTIONS, "no exercise notebooks yet"


@pytest.mark.parametrize("path", ALL, ids=ids)
def test_course_utils_is_imported_before_tensorflow(path):
    """TensorFlow prints start-up lines unless course_utils sets it up first."""
    first = {}
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        for number, line in enumerate(cell.source.splitlines()):
            for name in ("course_utils", "keras", "tensorflow"):
                if re.match(rf"\s*(import|from)\s+{name}\b", line):
                    first.setdefault(name, len(first))
    if "keras" in first or "tensorflow" in first:
        assert first.get("course_utils", 99) < min(first.get("keras", 99), first.get("tensorflow", 99))


@pytest.mark.parametrize("path", SOLUTIONS, ids=ids)
def test_exercise_format(path):
    cells = nbformat.read(path, as_version=4).cells
    exercise_cells = [i for i, c in enumerate(cells) if c.cell_type == "code" and "### BEGIN SOLUTION" in c.source]
    assert exercise_cells
    for i in exercise_cells:
        eid = cells[i].metadata.get("exercise")
        assert eid and re.fullmatch(r"\d+\.\d+", eid), f"cell {i} needs metadata 'exercise'"
        intro = cells[i - 1].source
        assert cells[i - 1].cell_type == "markdown" and f"Exercise {eid}" in intro
        assert re.search(r"Difficulty [★☆]{3} \w+ · ≈ \d+ min", intro), f"exercise {eid}: difficulty and minutes"
        assert intro.count("<details><summary>Hint") >= 2, f"exercise {eid}: at least two hints"
        assert re.fullmatch(rf'check\("{re.escape(eid)}", \w+\)', cells[i + 1].source.strip()), \
            f"exercise {eid}: the next cell must be its check"
    think = [c for c in cells if c.cell_type == "markdown" and "Think!" in c.source]
    assert all("### BEGIN SOLUTION" in c.source for c in think), "Think! answers belong between solution markers"


@pytest.mark.parametrize("path", SOLUTIONS, ids=ids)
def test_solutions_pass_every_check(path, tmp_path, monkeypatch):
    nb = _run(path, tmp_path, monkeypatch)
    checks = [c for c in nb.cells if c.cell_type == "code" and c.source.strip().startswith("check(")]
    assert checks
    for cell in nb.cells:
        assert not _errors(cell), f"{path.name}: {cell.source[:60]!r} raised"
    for cell in checks:
        assert _text(cell).startswith("✅") and "passed" in _text(cell), _text(cell)
    recorded = json.loads((tmp_path / "progress.json").read_text())["passed"]
    assert len(recorded) == len(checks)


@pytest.mark.parametrize("path", EXERCISES, ids=ids)
def test_unsolved_exercises_fail_only_as_intended(path, tmp_path, monkeypatch):
    nb = _run(path, tmp_path, monkeypatch)
    checks = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for error in _errors(cell):
            assert error["ename"] == "NotImplementedError", f"{cell.source[:60]!r}: {error['ename']}"
            assert "raises-exception" in cell.metadata.get("tags", []), "tag the cell so nbval accepts it"
        if cell.source.strip().startswith("check("):
            checks += 1
            text = _text(cell)
            assert text.startswith("❌") and "not passed: not attempted yet" in text, text
            assert "Traceback" not in text and text.count("\n") == 1
    assert checks > 0
    assert not (tmp_path / "progress.json").exists(), "a failed check must not be recorded"
