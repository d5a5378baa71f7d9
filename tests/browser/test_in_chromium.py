"""The course in a real browser: JupyterLab's widgets, the slides and the site, offline, in headless Chromium."""
from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest

from course_utils import site, slides

ROOT = Path(__file__).resolve().parents[2]

NOTEBOOK_STATE = """() => {
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')];
  const pending = cells.findIndex(c => !/\\[\\d+\\]/.test(c.querySelector('.jp-InputPrompt').textContent));
  const errors = [...document.querySelectorAll('.jp-OutputArea-output')]
      .map(o => o.textContent).filter(t => /Traceback|Error:/.test(t)).map(t => t.slice(-600));
  const busy = cells.some(c => c.querySelector('.jp-InputPrompt').textContent.includes('*'));
  return {cells: cells.length, pending, busy, errors};
}"""


def _require(path: Path, how: str) -> Path:
    if not path.exists():
        message = f"{path} is missing: run `{how}` first (make test-browser does)"
        if os.environ.get("COURSE_BROWSER_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def _pixels(png: bytes) -> np.ndarray:
    return mpimg.imread(io.BytesIO(png), format="png")[..., :3]


def _run_all_cells(page, shots, timeout_s: float = 90):
    """Run > Run All Cells; click again if the kernel was not listening yet (no prompt moved in 10 s)."""
    clicks, last_click = 0, 0.0
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        state = page.evaluate(NOTEBOOK_STATE)
        assert state["errors"] == [], f"a cell failed in JupyterLab: {state['errors'][0]}"
        if state["cells"] and state["pending"] == -1:
            return state
        select_kernel = page.locator(".jp-Dialog", has_text="Select Kernel")
        if select_kernel.count():  # JupyterLab asks when Run All comes before the session is ready
            select_kernel.locator(".jp-Dialog-button.jp-mod-accept").click()
            last_click = time.monotonic()
        elif state["pending"] == 0 and not state["busy"] and clicks < 3 and time.monotonic() - last_click > 10:
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
            page.locator(".lm-Menu-itemLabel").get_by_text("Run All Cells", exact=True).click()
            clicks, last_click = clicks + 1, time.monotonic()
        time.sleep(0.5)
    page.screenshot(path=str(shots / "jupyterlab_06_timeout.png"))
    raise AssertionError(f"the notebook did not finish within {timeout_s} s ({clicks} x Run All); first unfinished "
                         f"code cell: {state['pending']} (screenshot: {shots / 'jupyterlab_06_timeout.png'})")


def test_moving_a_latent_slider_in_jupyterlab_redraws_the_decoded_image(page, lab, shots):
    page.set_default_timeout(60_000)
    page.goto(lab.open_url("notebooks/06_visualisation.ipynb"))
    page.wait_for_selector(".jp-Notebook .jp-CodeCell")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    # the status bar reads "Python 3 (ipykernel) | Idle" once the kernel's session is connected
    page.locator(".jp-StatusBar-Widget").get_by_text(re.compile(r"ipykernel\) \| Idle")).wait_for()
    state = _run_all_cells(page, shots)
    assert state["cells"] >= 10

    explorer = page.locator(".jp-OutputArea-output", has_text="Latent explorer: move a slider")
    explorer.scroll_into_view_if_needed()
    image = explorer.locator(".widget-image, img").first
    caption = explorer.locator(".widget-html", has_text="z = [")
    handle = explorer.locator(".widget-slider", has_text="z0").locator(".noUi-handle")
    assert caption.inner_text().strip() == "z = [+0.0, +0.0]"
    src_before, png_before = image.get_attribute("src"), image.screenshot()
    page.screenshot(path=str(shots / "jupyterlab_06_before.png"))

    box = handle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 45, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()

    from playwright.sync_api import expect

    expect(caption).not_to_have_text("z = [+0.0, +0.0]", timeout=30_000)
    expect(image).not_to_have_attribute("src", src_before, timeout=30_000)
    page.wait_for_timeout(300)  # let the new picture paint before the screenshot
    png_after = image.screenshot()
    page.screenshot(path=str(shots / "jupyterlab_06_after_moving_z0.png"))
    z0, z1 = (float(t) for t in re.findall(r"[+-]\d+\.\d", caption.inner_text()))
    assert z0 > 0.3 and z1 == 0.0, caption.inner_text()  # dragged right: only z0 moved
    before, after = _pixels(png_before), _pixels(png_after)
    assert before.shape == after.shape
    assert np.abs(before - after).mean() > 0.01, "the decoded image did not visibly change"
    page.assert_clean()


def test_a_slide_deck_runs_offline_with_maths(page, shots, tmp_path):
    vendor = _require(slides.OUT / "vendor" / "reveal.js", "python -m course_utils.slides vendor").parent
    deck = slides.build_one(ROOT / "notebooks" / "02_maths.ipynb", tmp_path, execute=False)
    (tmp_path / "vendor").symlink_to(vendor, target_is_directory=True)
    page.goto(deck.as_uri())
    page.wait_for_selector(".reveal.ready", state="attached", timeout=30_000)  # reveal.js initialised
    assert page.locator(".reveal .slides > section").count() >= 8
    page.wait_for_selector(".mjx-chtml", state="attached", timeout=30_000)  # MathJax typeset the equations
    first = page.locator(".reveal .slides > section.present").inner_text()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(800)  # the slide transition; then MathJax re-renders the new slide
    page.wait_for_function("() => MathJax.Hub.queue.pending === 0 && !MathJax.Hub.queue.running", timeout=10_000)
    page.wait_for_timeout(300)
    page.screenshot(path=str(shots / "slides_02_maths.png"))
    assert page.locator(".reveal .slides > section.present").inner_text() != first, "the arrow keys did not change slide"
    page.assert_clean()

    # an executed deck: the explorers' saved state is drawn by the vendored widget manager
    deck = slides.build_one(ROOT / "notebooks" / "06_visualisation.ipynb", tmp_path, execute=True)
    page.goto(deck.as_uri())
    page.wait_for_selector(".reveal.ready", state="attached", timeout=30_000)
    explorer = page.locator(".jupyter-widgets", has_text="Latent explorer: move a slider").first
    explorer.wait_for(state="attached", timeout=30_000)
    assert explorer.locator("img").first.evaluate("img => img.complete && img.naturalWidth") > 0
    page.assert_clean()


def test_the_site_renders_maths_and_widgets_offline(page, shots, tmp_path):
    static = _require(site.OUT / "static" / site.MATHJAX, "python -m course_utils.site vendor").parents[3]
    html = site.build(tmp_path, execute=True, only=["02", "06"], static=static, log=lambda *_: None)
    page.goto((html / "notebooks" / "02_maths.html").as_uri())
    page.wait_for_function("() => document.querySelectorAll('mjx-container').length >= 20", timeout=30_000)
    page.screenshot(path=str(shots / "site_02_maths.png"))

    page.goto((html / "notebooks" / "06_visualisation.html").as_uri())
    explorer = page.locator(".jupyter-widgets", has_text="Latent explorer: move a slider").first
    explorer.wait_for(timeout=30_000)  # the widget manager rendered the saved widget state
    explorer.scroll_into_view_if_needed()
    expect_caption = page.locator(".widget-html", has_text="z = [+0.0, +0.0]")
    expect_caption.first.wait_for(timeout=10_000)
    image = explorer.locator("img").first
    assert image.evaluate("img => img.complete && img.naturalWidth") > 0
    page.screenshot(path=str(shots / "site_06_widgets.png"))
    page.assert_clean()
