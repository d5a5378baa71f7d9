"""Generate ``exercises/`` from ``solutions/`` — the one hand-edited source of every exercise.

    python -m course_utils.exercises build            # write exercises/ from solutions/
    python -m course_utils.exercises build --check    # exit 1 (naming the files) when exercises/ is stale
    python -m course_utils.exercises build --backup   # keep a copy of hand-edited exercise notebooks, then rebuild

In a solution notebook, code between nbgrader's markers ``### BEGIN SOLUTION`` and
``### END SOLUTION`` becomes ``# YOUR CODE HERE`` plus ``raise NotImplementedError("Exercise N.M:
...")`` at the same indentation; in markdown cells (answers to "Think!" questions) the region
becomes *YOUR ANSWER HERE*. Cells tagged ``solution-only`` are dropped. Outputs are cleared, and
the generated cells are tagged ``raises-exception`` so nbval accepts the NotImplementedError.

Each generated notebook records a fingerprint of its own cells. The builder never overwrites an
exercise notebook whose cells no longer match that fingerprint — a learner edited it — unless
asked to back it up first.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
ANSWER_PLACEHOLDER = "*YOUR ANSWER HERE*"
SOLUTION_ONLY_TAG = "solution-only"
RAISES_TAG = "raises-exception"


class MarkerError(ValueError):
    """The solution markers in a notebook are unbalanced or nested."""


def _exercise_id(cell: dict, fallback: str) -> str:
    return str(cell.get("metadata", {}).get("exercise", fallback))


def strip_solution(source: str, cell_type: str, exercise: str, where: str) -> tuple[str, bool]:
    """Replace each marked region of one cell's source; returns (new source, had markers)."""
    lines = source.split("\n")
    out, inside, begin_line, found = [], False, 0, False
    function = None
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        match = re.match(r"\s*def\s+([A-Za-z_]\w*)\s*\(", line)
        if match and not inside:
            function = match.group(1)
        if stripped.startswith(BEGIN):
            if inside:
                raise MarkerError(f"{where}, line {number}: '{BEGIN}' inside another solution region "
                                  f"(opened on line {begin_line}); regions cannot be nested")
            inside, begin_line, found = True, number, True
            indent = line[: len(line) - len(line.lstrip())]
            if cell_type == "code":
                what = f"implement {function}" if function else "write the code"
                out.append(f"{indent}# YOUR CODE HERE")
                out.append(f'{indent}raise NotImplementedError("Exercise {exercise}: {what}")')
            else:
                out.append(ANSWER_PLACEHOLDER)
            continue
        if stripped.startswith(END):
            if not inside:
                raise MarkerError(f"{where}, line {number}: '{END}' without a matching '{BEGIN}'")
            inside = False
            continue
        if not inside:
            out.append(line)
    if inside:
        raise MarkerError(f"{where}, line {begin_line}: '{BEGIN}' is never closed by '{END}'")
    return "\n".join(out), found


def fingerprint(nb) -> str:
    """A hash of the cells' types and sources: what a learner's edit changes."""
    payload = json.dumps([[c["cell_type"], c["source"]] for c in nb.cells], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def generate(solution_path: Path, root: Path = ROOT):
    """The exercise notebook for one solution notebook (nothing is written)."""
    nb = nbformat.read(solution_path, as_version=4)
    try:
        rel = solution_path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = solution_path.name
    cells = []
    lesson = re.match(r"(\d+)", solution_path.name)
    for index, cell in enumerate(nb.cells):
        tags = list(cell.get("metadata", {}).get("tags", []))
        if SOLUTION_ONLY_TAG in tags:
            continue
        new = nbformat.from_dict(json.loads(json.dumps(cell)))
        fallback = f"{int(lesson.group(1)) if lesson else '?'}.?"
        source, found = strip_solution(cell.source, cell.cell_type, _exercise_id(cell, fallback),
                                       f"{solution_path.name}, cell {index}")
        new.source = source
        if new.cell_type == "code":
            new.outputs, new.execution_count = [], None
            if found and RAISES_TAG not in tags:
                tags.append(RAISES_TAG)
        new.metadata.pop("execution", None)
        if tags:
            new.metadata["tags"] = tags
        new["id"] = cell.get("id") or f"cell-{index}"  # the solution's id: stable output
        cells.append(new)
    out = nbformat.v4.new_notebook(cells=cells, metadata=json.loads(json.dumps(nb.metadata)))
    out.metadata["course"] = {"generated_from": rel,
                              "note": "generated by `python -m course_utils.exercises build`; edit the solution instead"}
    out.metadata["course"]["fingerprint"] = fingerprint(out)
    return out


def render(nb) -> str:
    return nbformat.writes(nb) + "\n"


def was_edited(path: Path) -> bool:
    """True when an existing exercise notebook no longer matches the fingerprint it was written with."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # unreadable: treat as the learner's, never overwrite silently
        return True
    recorded = nb.metadata.get("course", {}).get("fingerprint")
    return recorded != fingerprint(nb)


def build(root: Path = ROOT, check: bool = False, backup: bool = False, out=print) -> int:
    """Build (or, with ``check``, compare) every exercise notebook; returns the exit status."""
    solutions, exercises = root / "solutions", root / "exercises"
    sources = sorted(solutions.glob("*.ipynb"))
    expected = {exercises / p.name: render(generate(p, root)) for p in sources}
    stale = [path for path, text in expected.items() if not path.exists() or path.read_text() != text]
    orphans = [p for p in sorted(exercises.glob("*.ipynb")) if p not in expected]
    if check:
        for path in stale:
            out(f"stale: {path.relative_to(root)} does not match {('solutions/' + path.name)}")
        for path in orphans:
            out(f"stale: {path.relative_to(root)} has no solution notebook")
        if stale or orphans:
            out("run `python -m course_utils.exercises build` and commit the result")
            return 1
        out(f"exercises/ is up to date ({len(expected)} notebooks)")
        return 0
    refused = []
    exercises.mkdir(exist_ok=True)
    for path in stale:
        if path.exists() and was_edited(path):
            if not backup:
                refused.append(path)
                continue
            saved = path.with_name(f"{path.stem}.edited-{time.strftime('%Y%m%d-%H%M%S')}.ipynb")
            path.rename(saved)
            out(f"kept your edited notebook as {saved.relative_to(root)}")
        path.write_text(expected[path])
        out(f"wrote {path.relative_to(root)}")
    for path in refused:
        out(f"refused: {path.relative_to(root)} was edited by hand; rerun with --backup to keep a copy and rebuild it")
    if not stale:
        out(f"exercises/ is up to date ({len(expected)} notebooks)")
    return 2 if refused else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course_utils.exercises", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="generate exercises/ from solutions/")
    p_build.add_argument("--check", action="store_true", help="only report whether exercises/ is stale")
    p_build.add_argument("--backup", action="store_true", help="back up hand-edited exercise notebooks, then rebuild them")
    p_build.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        return build(args.root, check=args.check, backup=args.backup)
    except MarkerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
