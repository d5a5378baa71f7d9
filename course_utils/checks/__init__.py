"""Exercise checks: ``check("2.4", gaussian_kl)`` prints one friendly line, pass or not.

A check calls the learner's function on fresh inputs (fixed seeds, so it is deterministic),
compares the result with the reference implementation in ``course_utils`` by tolerance and by
the invariants of the topic, and recognises common mistakes (a flipped sign, a mean where a sum
belongs, a forgotten term) to say what is wrong. A learner's mistake never prints a traceback:
exceptions raised by the learner's code become one line too.

Each lesson's checks live in ``course_utils/checks/lessonNN.py`` and register themselves with
the :func:`exercise` decorator.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Callable

import numpy as np

PASS_MARK, FAIL_MARK = "✅", "❌"


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    lesson: str
    checker: Callable


class Fail(Exception):
    """Raised by a checker: what is wrong, and a hint."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


class _LearnerRaised(Exception):
    def __init__(self, exc: BaseException):
        super().__init__(str(exc))
        self.exc = exc


_REGISTRY: dict[str, Exercise] = {}
_LOADED = False


def exercise(exercise_id: str, title: str):
    """Register ``checker(fn) -> str`` as the check of ``exercise_id`` (returns a pass summary)."""

    def register(checker):
        lesson = exercise_id.split(".")[0].zfill(2)
        _REGISTRY[exercise_id] = Exercise(exercise_id, title, lesson, checker)
        return checker

    return register


def _load_all() -> None:
    global _LOADED
    if _LOADED:
        return
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("lesson"):
            importlib.import_module(f"{__name__}.{module.name}")
    _LOADED = True


def all_exercises() -> dict[str, Exercise]:
    _load_all()
    return dict(_REGISTRY)


# ------------------------------------------------------------------------------ helpers
def call(fn, *args, **kwargs):
    """Call the learner's function; its exceptions are reported, not raised at the learner."""
    try:
        with np.errstate(all="ignore"):  # a NaN from a learner's division is reported by the check, once
            return fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - anything the learner's code raises
        raise _LearnerRaised(exc) from None


def as_array(value, what: str = "your function") -> np.ndarray:
    """The learner's result as a float numpy array (numpy, TF tensors and Python numbers accepted)."""
    if value is None:
        raise Fail(f"{what} returned None", "did you forget the `return` statement?")
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise Fail(f"{what} returned {type(value).__name__}, not numbers",
                   "return a numpy array or a tensor") from None


def expect_shape(got: np.ndarray, shape: tuple, what: str = "the result", hint: str = "") -> None:
    if got.shape != tuple(shape):
        explain = "a scalar" if shape == () else f"shape {tuple(shape)}"
        raise Fail(f"{what} has shape {got.shape}, expected {explain}", hint)


def compare(got, expected, *, what: str = "the result", rtol: float = 1e-4, atol: float = 1e-5,
            mistakes: tuple = (), hint: str = "") -> None:
    """Compare a learner's result with the reference; explain the difference if there is one.

    ``mistakes``: (wrong_value, message) pairs — the outputs of planted wrong solutions; when the
    learner's result matches one, its message is what the learner reads.
    """
    got = as_array(got, what)
    expected = np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape:
        for wrong, message in mistakes:
            if np.shape(wrong) == got.shape and np.allclose(got, wrong, rtol=rtol, atol=atol):
                raise Fail(message, hint)
        expect_shape(got, expected.shape, what, hint)
    if not np.all(np.isfinite(got)):
        raise Fail(f"{what} contains NaN or infinity",
                   "clip probabilities away from 0 and 1 before taking a log" if not hint else hint)
    if np.allclose(got, expected, rtol=rtol, atol=atol):
        return
    for wrong, message in mistakes:
        wrong = np.asarray(wrong, dtype=np.float64)
        if wrong.shape == got.shape and np.allclose(got, wrong, rtol=rtol, atol=atol):
            raise Fail(message, hint)
    nonzero = np.abs(expected) > 1e-8
    if nonzero.any():
        ratio = got[nonzero] / expected[nonzero]
        if np.allclose(ratio, ratio.flat[0], rtol=1e-3) and np.all(np.abs(got[~nonzero]) < 1e-6):
            r = float(ratio.flat[0])
            if abs(r + 1) < 1e-3:
                raise Fail(f"{what} has the wrong sign", hint)
            if nonzero.sum() > 1:  # one number is always "a constant factor" away: say so only for arrays
                raise Fail(f"{what} is off by a constant factor: it is {r:.4g} times the expected value", hint)
    worst = float(np.max(np.abs(got - expected)))
    raise Fail(f"{what} differs from the reference (largest difference {worst:.3g})", hint)


# ------------------------------------------------------------------------------ check()
def run_check(exercise_id: str, fn) -> tuple[bool, str]:
    """Run a check without printing: (passed, the one line a learner would read)."""
    exercises = all_exercises()
    if exercise_id not in exercises:
        known = ", ".join(sorted(exercises, key=lambda e: tuple(int(p) for p in e.split("."))))
        return False, f"{FAIL_MARK} there is no exercise {exercise_id!r}; the exercises are {known}"
    ex = exercises[exercise_id]
    head = f"Exercise {ex.id} ({ex.title})"
    if not callable(fn):
        return False, f"{FAIL_MARK} {head} not passed: pass the function itself, e.g. check({ex.id!r}, my_function), not {type(fn).__name__}"
    try:
        summary = ex.checker(fn)
    except _LearnerRaised as raised:
        exc = raised.exc
        if isinstance(exc, NotImplementedError):
            return False, (f"{FAIL_MARK} {head} not passed: not attempted yet — replace "
                           "`raise NotImplementedError` with your code")
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return False, f"{FAIL_MARK} {head} not passed: your function raised {type(exc).__name__}" + (f": {text[:200]}" if text else "")
    except Fail as fail:
        hint = f" Hint: {fail.hint}" if fail.hint else ""
        return False, f"{FAIL_MARK} {head} not passed: {fail.message}.{hint}"
    return True, f"{PASS_MARK} {head} passed" + (f" — {summary}" if summary else "")


def check(exercise_id: str, fn, record: bool = True) -> bool:
    """Check the learner's ``fn`` for ``exercise_id``; print one line; record a pass locally."""
    passed, line = run_check(exercise_id, fn)
    print(line)
    if passed and record:
        from .. import progress

        progress.record_pass(exercise_id, all_exercises()[exercise_id].title)
    return passed
