"""The check machinery: one line per check, never a traceback, passes recorded locally."""
import json

import numpy as np
import pytest

from course_utils import losses, progress
from course_utils.checks import check, run_check


@pytest.fixture(autouse=True)
def progress_file(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    monkeypatch.setenv(progress.ENV_VAR, str(path))
    return path


def unsolved(mean, log_var):
    # YOUR CODE HERE
    raise NotImplementedError("Exercise 2.4: gaussian_kl")


def test_not_attempted(capsys):
    assert check("2.4", unsolved) is False
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert out.startswith("❌ Exercise 2.4 (closed-form Gaussian KL) not passed: not attempted yet")


def test_learner_exception_is_one_line(capsys):
    def broken(mean, log_var):
        return mean @ log_var  # shapes (N, K) @ (N, K) do not align

    assert check("2.4", broken) is False
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "your function raised ValueError" in out and "Traceback" not in out


def test_none_and_non_callable_and_unknown_id():
    passed, line = run_check("2.4", lambda m, lv: None)
    assert not passed and "returned None" in line and "return" in line
    passed, line = run_check("2.4", np.zeros(3))
    assert not passed and "pass the function itself" in line
    passed, line = run_check("9.99", lambda: 0)
    assert not passed and "there is no exercise '9.99'" in line and "2.1" in line


def test_wrong_shape_is_named():
    passed, line = run_check("2.4", lambda m, lv: np.zeros((2, 2)))
    assert not passed and "the KL has shape (2, 2), expected shape (5,)" in line


def test_pass_is_recorded_and_fail_is_not(progress_file, capsys):
    assert check("2.5", lambda m, lv, e: np.asarray(losses.reparameterize(m, lv, e))) is True
    assert check("2.4", unsolved) is False
    recorded = json.loads(progress_file.read_text())["passed"]
    assert set(recorded) == {"2.5"} and recorded["2.5"]["title"] == "reparameterisation trick"
    assert "✅ Exercise 2.5" in capsys.readouterr().out


def test_progress_table_and_cli(progress_file, capsys):
    from course_utils.__main__ import main

    check("2.1", lambda a, b: np.asarray(losses.mse(a, b)), record=True)
    assert main(["progress"]) == 0
    out = capsys.readouterr().out
    assert "Lesson 02: 1/8 passed" in out and "[x] 2.1" in out and "[ ] 2.2" in out
    assert str(progress_file) in out
    assert main(["progress", "--reset"]) == 0
    assert not progress_file.exists()


def test_unreadable_progress_file_never_breaks_a_check(progress_file):
    progress_file.write_text("{not json")
    assert progress.load() == {}
    assert check("2.1", lambda a, b: np.asarray(losses.mse(a, b))) is True
    assert "2.1" in progress.load()


def test_default_progress_location_is_the_user_data_dir(monkeypatch):
    monkeypatch.delenv(progress.ENV_VAR)
    path = progress.progress_file()
    assert path.name == "progress.json" and "inside-generative-models" in str(path)
