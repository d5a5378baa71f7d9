"""Shared by ``make slides`` and ``make site``: executed copies of the lessons and npm-vendored assets.

Executed notebooks are cached in ``build/executed/`` under a key made of the notebook, the course
code and the shipped weights, so building the slides and then the site runs each lesson once.
"""
from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
EXECUTED = ROOT / "build" / "executed"
BUILD_TOOLS = {"_build", "slides", "site", "_site_ext"}  # they do not change what a lesson computes
EXTERNAL = re.compile(r"""(?:src|href)=["'](https?://[^"']+)["']""")
# loads too: an ES module import, a CSS url(...) or @import, a script/style address kept in a string
LOADS = re.compile(r"""\bimport\b[^'"\n;]*?\bfrom\s*["'](https?://[^"']+)["']|\bimport\s*\(\s*["'](https?://[^"']+)["']"""
                   r"""|url\(\s*["']?(https?://[^)"']+)["']?\s*\)|@import\s+["'](https?://[^"']+)["']"""
                   r"""|(?<![=\w])["'](https?://[^"'\s]+\.(?:m?js|css))["']""")


def external_urls(html: str) -> list[str]:
    """The http(s) addresses a page would load scripts, styles or fonts from (links in the text aside)."""
    linked = [u for u in EXTERNAL.findall(html)
              if re.search(r"\.(js|mjs|css|woff2?)(\?|$)|/ajax/libs/|unpkg\.com|cdn\.jsdelivr\.net|fonts\.googleapis", u)]
    return linked + [next(g for g in groups if g) for groups in LOADS.findall(html)]


def source_key(path: Path) -> str:
    """A digest of what a lesson's outputs depend on: the notebook, the ``course_utils`` code, weights and data."""
    digest = hashlib.sha256(Path(path).read_bytes())
    package = ROOT / "course_utils"
    deps = [f for f in sorted(package.rglob("*")) if f.is_file() and f.stem not in BUILD_TOOLS
            and f.suffix in {".py", ".h5", ".json", ".npz"}]
    for dep in deps:
        digest.update(dep.name.encode())
        digest.update(dep.read_bytes())
    return digest.hexdigest()[:16]


def executed(path: Path, timeout: int = 300, cache: Path | None = EXECUTED):
    """The notebook at ``path`` with its outputs (and widget state), executed in its own folder.

    A cached copy is reused when nothing it depends on changed; ``cache=None`` always executes.
    The kernel's stderr goes to ``<cache>/<lesson>.kernel.log``; a failing cell still raises here.
    """
    from nbclient import NotebookClient

    path = Path(path)
    cached = None if cache is None else cache / f"{path.stem}.{source_key(path)}.ipynb"
    if cached is not None and cached.exists():
        return nbformat.read(cached, as_version=4)
    nb = nbformat.read(path, as_version=4)
    log_dir = cache if cache is not None else EXECUTED
    log_dir.mkdir(parents=True, exist_ok=True)
    with open(log_dir / f"{path.stem}.kernel.log", "w") as kernel_log:  # the kernel's own chatter, not the build's
        NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute(stderr=kernel_log)
    if cached is not None:
        cache.mkdir(parents=True, exist_ok=True)
        for stale in cache.glob(f"{path.stem}.*.ipynb"):
            stale.unlink()
        nbformat.write(nb, cached)
    return nb


def npm_vendor(packages: dict[str, str], target: Path, what: str) -> Path:
    """Install ``{name: version}`` from the npm registry into ``target/<name>`` (once; later calls reuse it)."""
    if all((target / name).exists() for name in packages):
        return target
    if shutil.which("npm") is None:
        raise RuntimeError(f"{what} needs npm (Node.js) once, to fetch {', '.join(packages)} from the npm registry")
    staging = target.parent / (target.name + "-npm")
    staging.mkdir(parents=True, exist_ok=True)
    specs = [f"{name}@{version}" for name, version in packages.items()]
    subprocess.run(["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(staging), *specs], check=True)
    for name in packages:
        shutil.copytree(staging / "node_modules" / name, target / name, dirs_exist_ok=True)
    shutil.rmtree(staging, ignore_errors=True)
    return target


def cli(argv, prog: str, out: Path, build, vendor, build_help: str, vendor_help: str) -> int:
    """The ``build [--no-execute] [--out DIR]`` / ``vendor [--out DIR]`` command line of slides and site."""
    parser = argparse.ArgumentParser(prog=prog)
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help=build_help)
    p_build.add_argument("--no-execute", action="store_true", help="skip running the lessons (no outputs)")
    p_build.add_argument("--out", type=Path, default=out)
    sub.add_parser("vendor", help=vendor_help).add_argument("--out", type=Path, default=out)
    args = parser.parse_args(argv)
    if args.command == "vendor":
        print(f"front-end packages in {vendor(args.out)}")
        return 0
    from .environment import set_tf_environment

    set_tf_environment()
    build(args.out, execute=not args.no_execute)
    return 0
