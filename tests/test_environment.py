"""One pinned list: requirements.txt, pyproject.toml, environment.yml and every import agree."""
import ast
import json
import re
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# import name -> distribution name, for the imports whose names differ
IMPORT_TO_DIST = {"sklearn": "scikit-learn", "IPython": "ipython", "yaml": "pyyaml", "pytest_socket": "pytest-socket"}
FIRST_PARTY = {"course_utils"} | {p.stem for p in (ROOT / "tests").glob("*.py")}  # + the tests' own helpers


def pinned(name: str = "requirements.txt"):
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line or line == "-r requirements.txt":
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([0-9][^\s]*)", line)
        assert match, f"{name} line {line!r} is not an exact pin (name==version)"
        pins[match.group(1).lower()] = match.group(2)
    return pins


def test_dev_requirements_extend_the_course_pins():
    lines = [l.split("#")[0].strip() for l in (ROOT / "requirements-dev.txt").read_text().splitlines()]
    assert [l for l in lines if l][0] == "-r requirements.txt"
    dev = pinned("requirements-dev.txt")
    assert dev["jupyter-book"].startswith("1.")  # Book 2 needs the network at build time
    assert "playwright" in dev
    assert set(dev) & set(pinned()) == set(), "a package is pinned in both files"


def test_installed_dev_tools_match_their_pins():
    from importlib.metadata import PackageNotFoundError, version

    dev = pinned("requirements-dev.txt")
    installed = {}
    for name in dev:
        try:
            installed[name] = version(name)
        except PackageNotFoundError:
            pass
    if not installed:
        pytest.skip("requirements-dev.txt is not installed (make test installs it)")
    assert installed == dev


def test_requirements_are_exact_pins_of_the_stack():
    pins = pinned()
    assert pins["tensorflow"].startswith("2.21.") and pins["keras"].startswith("3.")
    for needed in ("numpy", "matplotlib", "ipywidgets", "jupyterlab", "nbval", "scikit-learn", "pytest", "pytest-socket"):
        assert needed in pins, f"{needed} is not pinned"


def test_pyproject_reads_the_same_list():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "dependencies" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["dependencies"] == {"file": ["requirements.txt"]}
    assert project["project"]["requires-python"] == ">=3.11,<3.13"  # what the pins have wheels for


def test_environment_yml_installs_the_pinned_list():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^\s*- conda-forge\s*$", text, re.M)
    assert re.search(r"^\s*- python=3\.11\s*$", text, re.M)
    assert re.search(r"^\s*- -r requirements\.txt\s*$", text, re.M)
    # no package is pinned a second time in environment.yml
    deps = [l.strip()[2:] for l in text.splitlines() if l.strip().startswith("- ")]
    extra = [d for d in deps if d not in ("conda-forge", "python=3.11", "pip", "pip:", "-r requirements.txt", "-e .")]
    assert extra == [], f"environment.yml lists packages outside requirements.txt: {extra}"


def test_installed_versions_match_the_pins():
    from course_utils.environment import pinned_versions, version_mismatches

    assert pinned_versions() == pinned()
    assert version_mismatches() == []


def _imports_of_source(source: str):
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _all_imports():
    """{top-level module: the first file that imports it}; course code and notebooks are scanned first."""
    found = {}
    for path in sorted((ROOT / "course_utils").rglob("*.py")):
        for name in _imports_of_source(path.read_text()):
            found.setdefault(name, path.relative_to(ROOT))
    for folder in ("notebooks", "solutions", "exercises"):
        for path in (ROOT / folder).glob("*.ipynb"):
            for cell in json.loads(path.read_text())["cells"]:
                if cell["cell_type"] == "code":
                    source = "".join(cell["source"])
                    source = "\n".join(l for l in source.splitlines() if not l.lstrip().startswith(("%", "!")))
                    for name in _imports_of_source(source):
                        found.setdefault(name, path.relative_to(ROOT))
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for name in _imports_of_source(path.read_text()):
            found.setdefault(name, path.relative_to(ROOT))
    return found


def test_every_third_party_import_is_pinned():
    # the course code and notebooks may use requirements.txt; the tests also the dev tools
    pins, dev_pins = pinned(), pinned("requirements-dev.txt")
    stdlib = set(sys.stdlib_module_names)
    missing = {}
    for name, where in _all_imports().items():
        if name in stdlib or name in FIRST_PARTY:
            continue
        dist = IMPORT_TO_DIST.get(name, name).lower()
        allowed = pins | dev_pins if where.parts[0] == "tests" else pins
        if dist not in allowed:
            missing[name] = str(where)
    assert missing == {}, f"imported but not pinned: {missing}"


def test_import_scan_sees_notebook_imports():
    # the scan above is only worth something if it finds the notebooks' imports
    assert "course_utils" in _all_imports()
    assert _imports_of_source("import sklearn.tree\nfrom keras import ops") == {"sklearn", "keras"}


def test_setup_reports_versions_and_warns_on_mismatch(capsys, monkeypatch):
    from course_utils import environment

    info = environment.setup(seed=3)
    out = capsys.readouterr().out
    assert "tensorflow 2.21" in out and "seed 3" in out and "WARNING" not in out
    assert info["mismatches"] == []
    monkeypatch.setattr(environment, "pinned_versions", lambda: {"numpy": "0.0.1", "no-such-package": "1.0"})
    info = environment.setup(seed=3)
    out = capsys.readouterr().out
    assert "WARNING: your environment differs" in out
    assert "numpy" in out and "pins 0.0.1" in out and "no-such-package is not installed" in out
    assert len(info["mismatches"]) == 2


def test_setup_fixes_seeds():
    import numpy as np

    from course_utils import environment

    environment.setup(seed=5, verbose=False)
    a = np.random.rand(3)
    environment.setup(seed=5, verbose=False)
    assert np.array_equal(a, np.random.rand(3))
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        environment.setup(seed=-1)


def test_makefile_targets_and_ci_entry():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^lab: \$\(STAMP\)", makefile, re.M) and re.search(r"^test: \$\(DEV_STAMP\)", makefile, re.M)
    assert "$(DEV_STAMP): requirements-dev.txt $(STAMP)" in makefile
    test_recipe = makefile.split("\ntest: $(DEV_STAMP)\n", 1)[1].split("\n\n", 1)[0]
    assert "test-browser" in test_recipe and "--ignore=tests/browser" in test_recipe  # the browser tests run once
    assert re.search(r"^site: \$\(DEV_STAMP\)", makefile, re.M) and "apt-get install -y -qq chromium" in makefile
    assert "notebooks/00_start_here.ipynb" in makefile and "--ip=127.0.0.1" in makefile
    assert "$(STAMP): requirements.txt pyproject.toml" in makefile
    ci = (ROOT / ".ci" / "run").read_text()
    assert [l for l in ci.splitlines() if l and not l.startswith("#")][-1] == "make test"
    readme = (ROOT / "README.md").read_text().splitlines()
    head = "\n".join(readme[:15])
    assert "make lab" in head and "make test" in head
