"""The whole course as a static HTML book with executed outputs (``make site``), built with Jupyter Book 1.

    python -m course_utils.site build               # executes the lessons, writes build/site/_build/html/
    python -m course_utils.site build --no-execute  # the book without outputs (seconds)
    python -m course_utils.site vendor              # only fetch MathJax & co. from npm

The book's sources are staged in ``build/site/src/`` with the repository's layout (so links between
lessons, exercises and the instructor guide keep working): the README as the front page, every
lesson executed (the executed copies are shared with ``make slides``), every exercise notebook as
the learner gets it, and the instructor guide. MathJax 3, RequireJS and the Jupyter widgets HTML
manager are fetched once from the npm registry into ``build/site/vendor/`` and served from the
book's ``_static/`` folder, so the book works offline; the build fails if a page would still load
a script, style or font from the network.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

from ._build import ROOT, cli, executed, external_urls, npm_vendor

OUT = ROOT / "build" / "site"
TITLE = "Inside Generative Models"
VENDOR_PACKAGES = {"mathjax": "3.2.2", "requirejs": "2.3.7", "@jupyter-widgets/html-manager": "1.0.15"}
MATHJAX = "vendor/mathjax/es5/tex-chtml.js"  # relative to _static/
WIDGETS_JS = {  # myst-nb's ipywidgets scripts, local instead of cdnjs/jsdelivr; relative to _static/
    "vendor/requirejs/require.js": {},
    "vendor/widgets-setup.js": {},
    "vendor/@jupyter-widgets/html-manager/dist/embed-amd.js": {"data-jupyter-widgets-cdn": "vendor/", "data-jupyter-widgets-cdn-only": ""},
}
# Run before the widget manager: (1) it finds its fonts relative to RequireJS's baseUrl (by default
# the page's folder), so point that at _static/vendor/ wherever the page is; (2) it typesets widget
# labels with MathJax 2's ``MathJax.Hub.Queue``, which MathJax 3 lacks: map that onto typesetPromise.
WIDGETS_SETUP_JS = """(function () {
  var here = document.currentScript.src;
  require.config({baseUrl: here.slice(0, here.lastIndexOf("/") + 1)});
  var hub = {Queue: function (job) {
    var mj = window.MathJax;
    if (mj && mj.typesetPromise && job && job[2]) { mj.typesetPromise([job[2]]).catch(function () {}); }
  }};
  function patch() {
    if (window.MathJax && !window.MathJax.Hub) { window.MathJax.Hub = hub; }
    return window.MathJax && window.MathJax.typesetPromise;
  }
  if (!patch()) {
    var timer = setInterval(function () { if (patch()) { clearInterval(timer); } }, 50);
    setTimeout(function () { clearInterval(timer); }, 30000);
  }
})();
"""


def lessons(only=None) -> list[Path]:
    """The lesson notebooks, or those whose file name starts with one of ``only`` (e.g. ``["02", "06"]``)."""
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if only is None:
        return paths
    chosen = [p for p in paths if p.stem.startswith(tuple(only))]
    if len(chosen) < len(list(only)):
        raise ValueError(f"only must name lessons by number or file name, e.g. ['02', '06']; got {list(only)}")
    return chosen


def exercises() -> list[Path]:
    return sorted((ROOT / "exercises").glob("[0-9][0-9]_*_exercises.ipynb"))


def config(static_dir: Path) -> dict:
    """Jupyter Book's ``_config.yml`` (as a dict): no execution at build time, nothing from a CDN."""
    return {
        "title": TITLE,
        "author": "the course authors",
        "copyright": "2026",
        "only_build_toc_files": True,
        "execute": {"execute_notebooks": "off"},
        "parse": {"myst_enable_extensions": ["dollarmath", "amsmath", "colon_fence"]},
        "html": {"use_repository_button": False, "use_issues_button": False, "use_edit_page_button": False,
                 "use_download_button": True, "home_page_in_navbar": True, "extra_footer": ""},
        "launch_buttons": {"notebook_interface": "jupyterlab", "binderhub_url": "", "jupyterhub_url": "",
                           "thebe": False, "colab_url": "", "deepnote_url": ""},
        "sphinx": {"extra_extensions": ["course_utils._site_ext"], "config": {
            "html_static_path": [str(static_dir)],
            "mathjax_path": MATHJAX,
            "nb_ipywidgets_js": WIDGETS_JS,
            "html_theme_options": {"search_bar_text": "Search the course…"},
            "suppress_warnings": ["myst.xref_missing", "myst.header"],
        }},
    }


def toc(only=None) -> dict:
    """Jupyter Book's ``_toc.yml``: front page, lessons, exercises (whole course only), instructor guide."""
    parts = [{"caption": "Lessons", "chapters": [{"file": f"notebooks/{p.stem}"} for p in lessons(only)]}]
    if only is None:
        parts.append({"caption": "Exercises (open them in JupyterLab to solve them)",
                      "chapters": [{"file": f"exercises/{p.stem}"} for p in exercises()]})
    parts.append({"caption": "For instructors", "chapters": [{"file": "docs/instructor_guide"}]})
    return {"format": "jb-book", "root": "intro", "parts": parts}


def _yaml(data) -> str:
    # JSON is valid YAML, and it keeps this module free of a YAML dependency
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def stage(src: Path, execute: bool = True, timeout: int = 300, log=print, only=None) -> Path:
    """Write the book's sources into ``src`` (executing the lessons unless ``execute`` is False)."""
    if src.exists():
        shutil.rmtree(src)
    (src / "notebooks").mkdir(parents=True)
    (src / "exercises").mkdir()
    (src / "docs").mkdir()
    shutil.copy(ROOT / "README.md", src / "intro.md")
    shutil.copy(ROOT / "docs" / "instructor_guide.md", src / "docs" / "instructor_guide.md")
    for path in lessons(only):
        start = time.perf_counter()
        nb = executed(path, timeout) if execute else nbformat.read(path, as_version=4)
        nbformat.write(nb, src / "notebooks" / path.name)
        log(f"  {'executed' if execute else 'copied'} {path.name} ({time.perf_counter() - start:.0f} s)")
    for path in exercises() if only is None else []:
        shutil.copy(path, src / "exercises" / path.name)
    return src


def check_offline(html_dir: Path) -> dict[str, list[str]]:
    """``{page: [external script/style/font URLs]}`` for every page that would load one."""
    found = {}
    for page in sorted(html_dir.rglob("*.html")):
        urls = external_urls(page.read_text(errors="replace"))
        if urls:
            found[str(page.relative_to(html_dir))] = urls
    return found


def vendor(out_dir: Path = OUT) -> Path:
    """Fetch the front-end packages once and keep only what the pages use in ``out_dir/static``."""
    vendor_dir = npm_vendor(VENDOR_PACKAGES, out_dir / "vendor", "`make site`")
    static = out_dir / "static"
    if not (static / MATHJAX).exists():
        shutil.copytree(vendor_dir / "mathjax" / "es5", static / "vendor" / "mathjax" / "es5", dirs_exist_ok=True)
        shutil.copytree(vendor_dir / "requirejs", static / "vendor" / "requirejs", dirs_exist_ok=True)
        shutil.copytree(vendor_dir / "@jupyter-widgets" / "html-manager" / "dist",
                        static / "vendor" / "@jupyter-widgets" / "html-manager" / "dist", dirs_exist_ok=True)
    (static / "vendor" / "widgets-setup.js").write_text(WIDGETS_SETUP_JS)
    return static


def build(out_dir: Path = OUT, execute: bool = True, log=print, only=None, static: Path | None = None) -> Path:
    """Stage, build with Jupyter Book and check that nothing loads from the network; returns the HTML folder.

    ``only`` builds a book of some lessons (e.g. ``["02", "06"]``); ``static`` is a folder made by
    :func:`vendor` (by default ``out_dir/static``, fetched from npm when missing).
    """
    start = time.perf_counter()
    static = vendor(out_dir) if static is None else Path(static)
    if not (static / MATHJAX).exists():
        raise ValueError(f"static must be a folder made by course_utils.site.vendor(); {static} has no {MATHJAX}")
    log(f"staging the book in {out_dir / 'src'} ...")
    src = stage(out_dir / "src", execute=execute, log=log, only=only)
    (src / "_config.yml").write_text(_yaml(config(static.resolve())))
    (src / "_toc.yml").write_text(_yaml(toc(only)))
    log("building the HTML with Jupyter Book ...")
    subprocess.run([sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build", str(src),
                    "--path-output", str(out_dir), "--quiet"], check=True)
    html_dir = out_dir / "_build" / "html"
    leftovers = check_offline(html_dir)
    if leftovers:
        raise RuntimeError(f"these pages would still load from the network: {dict(list(leftovers.items())[:3])}")
    log(f"done in {time.perf_counter() - start:.0f} s: open {html_dir / 'index.html'}")
    return html_dir


def main(argv=None) -> int:
    return cli(argv, "python -m course_utils.site", OUT, build, vendor, build_help="write the HTML book to build/site/_build/html/",
               vendor_help="only fetch MathJax, RequireJS and the widget manager from npm")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
