"""The exercises generator, on small fixture notebooks, and the committed exercises/ being current."""
import json

import nbformat
import pytest

from course_utils import exercises as gen

ROOT = gen.ROOT


def make_solution(root, cells, name="02_demo_exercises.ipynb"):
    (root / "solutions").mkdir(parents=True, exist_ok=True)
    (root / "exercises").mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook(cells=cells)
    path = root / "solutions" / name
    nbformat.write(nb, path)
    return path


def code(src, **meta):
    cell = nbformat.v4.new_code_cell(src)
    cell.metadata.update(meta)
    cell.outputs = [nbformat.v4.new_output("stream", text="old output\n")]
    cell.execution_count = 3
    return cell


SOLVED = '''def gaussian_kl(mean, log_var):
    """KL per example."""
    ### BEGIN SOLUTION
    kl = -0.5 * (1 + log_var - mean**2 - np.exp(log_var))
    return kl.sum(axis=1)
    ### END SOLUTION'''


def test_code_region_replaced_with_indentation_and_exercise_id(tmp_path):
    path = make_solution(tmp_path, [code(SOLVED, exercise="2.4"), code('check("2.4", gaussian_kl)')])
    nb = gen.generate(path, tmp_path)
    src = nb.cells[0].source
    assert "### BEGIN" not in src and "np.exp" not in src
    assert '    # YOUR CODE HERE\n    raise NotImplementedError("Exercise 2.4: implement gaussian_kl")' in src
    assert src.startswith('def gaussian_kl(mean, log_var):\n    """KL per example."""')
    assert nb.cells[0].metadata["tags"] == ["raises-exception"]
    assert "tags" not in nb.cells[1].metadata  # the check cell runs normally
    assert all(c.outputs == [] and c.execution_count is None for c in nb.cells)
    assert nb.metadata["course"]["generated_from"] == "solutions/02_demo_exercises.ipynb"


def test_markdown_answers_and_solution_only_cells(tmp_path):
    answer = nbformat.v4.new_markdown_cell("**Think!** Why?\n\n### BEGIN SOLUTION\nBecause KL >= 0.\n### END SOLUTION")
    demo = code("plot(gaussian_kl(m, v))", tags=["solution-only"])
    path = make_solution(tmp_path, [answer, demo])
    nb = gen.generate(path, tmp_path)
    assert len(nb.cells) == 1
    assert nb.cells[0].source == "**Think!** Why?\n\n*YOUR ANSWER HERE*"


@pytest.mark.parametrize("source, message", [
    ("### BEGIN SOLUTION\nx = 1\n### BEGIN SOLUTION\n### END SOLUTION\n### END SOLUTION", "cannot be nested"),
    ("x = 1\n### END SOLUTION", "without a matching"),
    ("def f():\n    ### BEGIN SOLUTION\n    return 1", "never closed"),
])
def test_bad_markers_are_clear_errors(tmp_path, source, message):
    path = make_solution(tmp_path, [code(source, exercise="2.1")])
    with pytest.raises(gen.MarkerError, match=message) as err:
        gen.generate(path, tmp_path)
    assert "02_demo_exercises.ipynb, cell 0" in str(err.value)


def test_build_check_and_refusal_to_overwrite_edits(tmp_path, capsys):
    path = make_solution(tmp_path, [code(SOLVED, exercise="2.4")])
    target = tmp_path / "exercises" / path.name
    assert gen.build(tmp_path, check=True) == 1
    assert "stale: exercises/02_demo_exercises.ipynb" in capsys.readouterr().out
    assert gen.build(tmp_path) == 0 and target.exists()
    assert gen.build(tmp_path, check=True) == 0
    # running the notebook (outputs) is not an edit; editing a cell is
    nb = nbformat.read(target, as_version=4)
    assert not gen.was_edited(target)
    nb.cells[0].source = nb.cells[0].source.replace("raise NotImplementedError", "return 0  #")
    nbformat.write(nb, target)
    assert gen.was_edited(target)
    # the solution changes: the builder must not overwrite the learner's edit
    sol = nbformat.read(path, as_version=4)
    sol.cells[0].source += "\n# a new comment"
    nbformat.write(sol, path)
    capsys.readouterr()
    assert gen.build(tmp_path) == 2
    assert "refused: exercises/02_demo_exercises.ipynb was edited by hand" in capsys.readouterr().out
    assert "return 0  #" in target.read_text()
    # with --backup the edit is kept beside the rebuilt notebook
    assert gen.build(tmp_path, backup=True) == 0
    backups = list((tmp_path / "exercises").glob("02_demo_exercises.edited-*.ipynb"))
    assert len(backups) == 1 and "return 0  #" in backups[0].read_text()
    assert "a new comment" in target.read_text()


def test_orphan_exercise_is_stale(tmp_path, capsys):
    make_solution(tmp_path, [code(SOLVED, exercise="2.4")])
    gen.build(tmp_path)
    (tmp_path / "exercises" / "99_gone_exercises.ipynb").write_text("{}")
    assert gen.build(tmp_path, check=True) == 1
    assert "has no solution notebook" in capsys.readouterr().out


def test_cli_reports_marker_errors(tmp_path, capsys):
    make_solution(tmp_path, [code("### END SOLUTION", exercise="2.1")])
    assert gen.main(["build", "--root", str(tmp_path)]) == 1
    assert "error:" in capsys.readouterr().err


def test_committed_exercises_are_current(capsys):
    status = gen.build(ROOT, check=True)
    assert status == 0, capsys.readouterr().out
    assert len(list((ROOT / "exercises").glob("*.ipynb"))) == len(list((ROOT / "solutions").glob("*.ipynb")))


def test_generated_notebooks_are_stable_json(tmp_path):
    path = make_solution(tmp_path, [code(SOLVED, exercise="2.4")])
    first = gen.render(gen.generate(path, tmp_path))
    assert first == gen.render(gen.generate(path, tmp_path))
    assert [c["id"] for c in json.loads(first)["cells"]] == [c.id for c in nbformat.read(path, as_version=4).cells]
