"""Local record of passed exercise checks (no network, no telemetry).

Passes are stored in one JSON file: ``$COURSE_PROGRESS_FILE`` if set, else
``progress.json`` in the user's data directory (platformdirs). Show them with
``python -m course_utils progress``.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

ENV_VAR = "COURSE_PROGRESS_FILE"
APP_NAME = "inside-generative-models"


def progress_file() -> Path:
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "progress.json"


def load() -> dict:
    """{exercise id: {"passed_at": ISO time, "title": ...}}; empty when nothing is recorded."""
    path = progress_file()
    try:
        with open(path) as handle:
            data = json.load(handle)
        return data.get("passed", {}) if isinstance(data, dict) else {}
    except (OSError, ValueError):  # missing or unreadable: start afresh, never crash a lesson
        return {}


def record_pass(exercise_id: str, title: str) -> bool:
    """Remember that ``exercise_id`` passed; returns False (silently) if the file can't be written."""
    passed = load()
    passed[exercise_id] = {"title": title, "passed_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
    path = progress_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"passed": passed}, indent=1, sort_keys=True))
        tmp.replace(path)
        return True
    except OSError:
        return False


def reset() -> None:
    path = progress_file()
    if path.exists():
        path.unlink()


def table(registry: dict | None = None, passed: dict | None = None) -> str:
    """Per-lesson table of exercises: passed ones ticked, with a count per lesson."""
    from . import checks

    registry = checks.all_exercises() if registry is None else registry
    passed = load() if passed is None else passed
    lessons: dict[str, list] = {}
    for ex in registry.values():
        lessons.setdefault(ex.lesson, []).append(ex)
    lines = [f"Progress file: {progress_file()}"]
    total = done = 0
    for lesson in sorted(lessons):
        items = sorted(lessons[lesson], key=lambda e: tuple(int(p) for p in e.id.split(".")))
        n_done = sum(e.id in passed for e in items)
        total, done = total + len(items), done + n_done
        lines.append(f"Lesson {lesson}: {n_done}/{len(items)} passed")
        for e in items:
            mark = "x" if e.id in passed else " "
            lines.append(f"  [{mark}] {e.id:5s} {e.title}")
    lines.append(f"Total: {done}/{total} exercises passed")
    return "\n".join(lines)
