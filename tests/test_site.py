"""make site: the Jupyter Book configuration, the table of contents and the offline check."""
import json
from pathlib import Path

import pytest

from course_utils import site

ROOT = Path(__file__).resolve().parent.parent


def test_toc_lists_every_lesson_exercise_and_the_guide():
    toc = site.toc()
    files = [ch["file"] for part in toc["parts"] for ch in part["chapters"]]
    lessons = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    exercises = sorted(p.stem for p in (ROOT / "exercises").glob("*_exercises.ipynb"))
    assert len(lessons) == 9 and len(exercises) == 8
    assert files == [f"notebooks/{s}" for s in lessons] + [f"exercises/{s}" for s in exercises] + ["docs/instructor_guide"]
    assert toc["root"] == "intro" and toc["format"] == "jb-book"


def test_a_partial_book_and_bad_selections():
    files = [ch["file"] for part in site.toc(["02", "06"])["parts"] for ch in part["chapters"]]
    assert files == ["notebooks/02_maths", "notebooks/06_visualisation", "docs/instructor_guide"]
    with pytest.raises(ValueError, match=r"only must name lessons.*\['02', '99'\]"):
        site.lessons(["02", "99"])


def test_config_serves_mathjax_and_widgets_locally(tmp_path):
    config = site.config(tmp_path)
    sphinx = config["sphinx"]["config"]
    assert config["execute"]["execute_notebooks"] == "off"  # lessons are executed by course_utils, once
    assert sphinx["mathjax_path"] == site.MATHJAX and not sphinx["mathjax_path"].startswith("http")
    assert sphinx["html_static_path"] == [str(tmp_path)]
    assert all(not url.startswith("http") for url in sphinx["nb_ipywidgets_js"])
    assert "course_utils._site_ext" in config["sphinx"]["extra_extensions"]
    assert config["launch_buttons"]["thebe"] is False
    assert "http" not in json.dumps(config)


def test_offline_check_finds_remote_scripts(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "page.html").write_text('<script src="https://cdn.jsdelivr.net/npm/x/embed.js"></script>')
    (tmp_path / "ok.html").write_text('<script src="_static/x.js"></script><a href="https://arxiv.org/abs/1">paper</a>')
    assert site.check_offline(tmp_path) == {"a/page.html": ["https://cdn.jsdelivr.net/npm/x/embed.js"]}


def test_build_needs_a_vendored_static_folder(tmp_path):
    with pytest.raises(ValueError, match="made by course_utils.site.vendor"):
        site.build(tmp_path / "out", execute=False, only=["00"], static=tmp_path / "empty", log=lambda *_: None)


def test_a_small_book_builds_offline_with_local_mathjax(tmp_path):
    pytest.importorskip("jupyter_book", reason="make test installs requirements-dev.txt")
    static = tmp_path / "static"  # stand-ins for the npm files: the build only links them
    for rel in (site.MATHJAX, *site.WIDGETS_JS):
        (static / rel).parent.mkdir(parents=True, exist_ok=True)
        (static / rel).write_text("/* stand-in */")
    html = site.build(tmp_path / "out", execute=False, only=["00", "02"], static=static, log=lambda *_: None)
    page = (html / "notebooks" / "02_maths.html").read_text()
    assert 'src="../_static/vendor/mathjax/es5/tex-chtml.js' in page
    assert "02 · The maths of generative models" in page
    assert (html / "_static" / "vendor" / "mathjax" / "es5" / "tex-chtml.js").exists()
    assert "THEBE_JS_URL" not in page and "sphinx-thebe.js" not in page  # Thebe is off: its scripts are dropped
    assert site.check_offline(html) == {}
    assert (html / "intro.html").exists() and (html / "docs" / "instructor_guide.html").exists()


def test_command_line(tmp_path, monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(site, "vendor", lambda out: calls.append(("vendor", out)) or out / "static")
    monkeypatch.setattr(site, "build", lambda out, execute: calls.append(("build", out, execute)))
    assert site.main(["vendor", "--out", str(tmp_path)]) == 0
    assert site.main(["build", "--no-execute", "--out", str(tmp_path)]) == 0
    assert site.main(["build"]) == 0
    assert calls == [("vendor", tmp_path), ("build", tmp_path, False), ("build", site.OUT, True)]
    assert "front-end packages in" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        site.main(["publish"])
