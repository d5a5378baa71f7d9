"""``make bench``: the course's speed budgets, measured on this machine.

    .venv/bin/python benchmarks/run.py            # lessons, slides, site, browser test
    .venv/bin/python benchmarks/run.py --quick    # lessons only

Budgets (from the developers' guide and the issues): every lesson notebook runs in under 90 s on
2 cores; ``make slides`` and ``make site`` build in at most 5 minutes from nothing; the browser
test takes at most 2 minutes. Each lesson is executed once, fresh (no cache), and that executed
copy then feeds the slides and the site, so a cold build's time is the lessons' total plus the
build itself. Results go to ``benchmarks/results/bench-<time>.json``; the exit status is 1 when a
budget is exceeded.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUDGETS_S = {"lesson": 90, "slides (cold)": 300, "site (cold)": 300, "browser test": 120}


def timed(fn, *args, **kwargs) -> float:
    start = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/run.py")
    parser.add_argument("--quick", action="store_true", help="time the lessons only")
    args = parser.parse_args(argv)

    from course_utils import _build, site, slides
    from course_utils.environment import set_tf_environment

    set_tf_environment()
    rows = []  # (what, seconds, budget)
    shutil.rmtree(_build.EXECUTED, ignore_errors=True)  # every lesson runs fresh
    for path in site.lessons():
        seconds = timed(_build.executed, path)
        rows.append((f"lesson {path.stem}", seconds, BUDGETS_S["lesson"]))
        print(f"{rows[-1][0]:<40} {seconds:6.1f} s", flush=True)
    lessons_total = sum(r[1] for r in rows)
    if not args.quick:
        quiet = lambda *_: None  # noqa: E731
        slides_s = timed(slides.build)  # executed copies come from the cache filled above
        rows.append(("slides (cold)", lessons_total + slides_s, BUDGETS_S["slides (cold)"]))
        site_s = timed(site.build, log=quiet)
        rows.append(("site (cold)", lessons_total + site_s, BUDGETS_S["site (cold)"]))
        env = dict(os.environ, COURSE_BROWSER_REQUIRED="1")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pytest", "-q", "tests/browser"], cwd=ROOT, env=env, check=True)
        rows.append(("browser test", time.perf_counter() - start, BUDGETS_S["browser test"]))

    over = [r for r in rows if r[1] > r[2]]
    print(f"\n{'what':<40} {'seconds':>8} {'budget':>8}")
    for what, seconds, budget in rows:
        print(f"{what:<40} {seconds:8.1f} {budget:8d}{'  OVER' if seconds > budget else ''}")
    results = ROOT / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    record = {"time": stamp, "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                                         "python": platform.python_version()},
              "rows": [{"what": w, "seconds": round(s, 1), "budget_s": b} for w, s, b in rows]}
    (results / f"bench-{stamp}.json").write_text(json.dumps(record, indent=2) + "\n")
    print(f"\nwrote benchmarks/results/bench-{stamp}.json; {len(over)} over budget")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
