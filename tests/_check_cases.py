"""Shared tests for one lesson's exercise checks: the reference passes, every planted wrong
solution fails with its specific message in one line, and every exercise of the lesson is covered."""
import numpy as np
import pytest

from course_utils.checks import all_exercises, run_check


def build(cases: dict, prefix: str):
    """Return the three test functions for ``cases`` = {id: (reference, [(wrong, expected text), ...])}."""

    @pytest.mark.parametrize("exercise_id", sorted(cases))
    def test_reference_passes(exercise_id):
        passed, line = run_check(exercise_id, cases[exercise_id][0])
        assert passed, line
        assert line.startswith("✅") and "passed" in line

    @pytest.mark.parametrize("exercise_id, index", [(e, i) for e in sorted(cases) for i in range(len(cases[e][1]))])
    def test_wrong_solution_fails_with_its_message(exercise_id, index):
        wrong, expected = cases[exercise_id][1][index]
        with np.errstate(all="ignore"):
            passed, line = run_check(exercise_id, wrong)
        assert not passed
        assert line.startswith("❌") and "not passed" in line
        assert expected in line, line
        assert "\n" not in line and "Traceback" not in line

    def test_every_exercise_of_the_lesson_is_tested():
        assert {e for e in all_exercises() if e.startswith(prefix)} == set(cases)
        assert all(len(wrongs) >= 2 for _, wrongs in cases.values()), "at least two wrong solutions per exercise"

    return test_reference_passes, test_wrong_solution_fails_with_its_message, test_every_exercise_of_the_lesson_is_tested
