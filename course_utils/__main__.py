"""``python -m course_utils progress`` — the course's command line."""
from __future__ import annotations

import argparse
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course_utils", description="Inside Generative Models.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_prog = sub.add_parser("progress", help="show which exercise checks you have passed")
    p_prog.add_argument("--reset", action="store_true", help="forget every recorded pass")
    args = parser.parse_args(argv)
    from . import progress

    if args.reset:
        progress.reset()
        print(f"progress reset ({progress.progress_file()})")
        return 0
    print(progress.table())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
