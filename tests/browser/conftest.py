"""Fixtures for the real-browser tests: Debian's Chromium driven by Playwright, and a JupyterLab server.

``make test-browser`` (run by ``make test``) installs Chromium when it is missing and sets
COURSE_BROWSER_REQUIRED=1, so a missing browser fails there; a plain ``pytest tests`` skips these.
Every page may load only from 127.0.0.1 or local files: any other request is blocked and recorded,
and the tests assert that none was made. Screenshots go to ``build/screenshots/``.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("COURSE_SCREENSHOTS", ROOT / "build" / "screenshots"))
# as root in a container: no sandbox; no background traffic to Google's hosts on a closed network
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
LOCAL = ("http://127.0.0.1", "file://", "data:", "blob:")


def _chromium() -> str | None:
    wanted = os.environ.get("COURSE_CHROMIUM")
    for candidate in ([wanted] if wanted else []) + ["/usr/bin/chromium", shutil.which("chromium") or ""]:
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@pytest.fixture(scope="session")
def chromium_path():
    path = _chromium()
    if path is None:
        message = "no Chromium found (make test-browser installs Debian's chromium; or set COURSE_CHROMIUM)"
        if os.environ.get("COURSE_BROWSER_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def shots():
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


@pytest.fixture(scope="session")
def browser(chromium_path, tmp_path_factory):
    """A persistent Chromium context with a fresh profile; ``.blocked`` lists refused non-local requests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=chromium_path, headless=True,
            args=CHROMIUM_FLAGS, viewport={"width": 1400, "height": 1000})
        context.blocked = []

        def only_local(route):
            url = route.request.url
            if url.startswith(LOCAL):
                route.continue_()
            else:
                context.blocked.append(url)
                route.abort()

        context.route("**/*", only_local)
        yield context
        context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.failed_in_call = report.failed


@pytest.fixture()
def page(browser, request):
    """A new tab; ``page.problems`` collects JavaScript errors and failed loads, and the blocked list starts empty;
    ``page.assert_clean()`` checks both.

    When the test fails, the tab's last picture is saved as ``build/screenshots/FAILED_<test>.png``.
    """
    browser.blocked.clear()
    tab = browser.new_page()
    tab.problems = []
    tab.on("pageerror", lambda error: tab.problems.append(f"JavaScript error: {error}"))
    tab.on("requestfailed", lambda request: tab.problems.append(f"failed to load {request.url}: {request.failure}"))
    tab.assert_clean = lambda: assert_clean(tab, browser)
    yield tab
    if getattr(request.node, "failed_in_call", False):
        SHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SHOTS / f"FAILED_{request.node.name}.png"))
        dialogs = tab.locator(".jp-Dialog").all_inner_texts()
        if dialogs:
            print(f"JupyterLab dialog(s) open at the failure: {dialogs}")
    tab.close()


def assert_clean(tab, browser):
    """No JavaScript error, no failed load, no attempt to reach anything but 127.0.0.1 and local files."""
    assert tab.problems == [], tab.problems
    assert browser.blocked == [], f"the page tried to reach the network: {browser.blocked}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _descendants(pid: int) -> list:
    import psutil

    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


class LabServer:
    """``jupyter lab`` on 127.0.0.1 with a token, in a scratch root with copies of the given notebooks."""

    def __init__(self, root: Path, notebooks: list[Path]):
        self.root, self.port, self.token = root, _free_port(), secrets.token_hex(16)
        (root / "notebooks").mkdir(parents=True)
        for nb in notebooks:  # copies: running them in the browser must not write outputs into the repo
            shutil.copy(nb, root / "notebooks" / nb.name)
        env = dict(os.environ)
        for var, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                         ("JUPYTERLAB_SETTINGS_DIR", "settings"), ("JUPYTERLAB_WORKSPACES_DIR", "workspaces")]:
            env[var] = str(root / ".jupyter" / sub)
        (root / ".jupyter" / "config").mkdir(parents=True)
        (root / ".jupyter" / "config" / "jupyter_server_config.py").write_text(
            "c.LabApp.news_url = None  # no announcements feed\n"
            "c.LabApp.check_for_updates_class = 'jupyterlab.NeverCheckForUpdate'\n")
        settings = root / ".jupyter" / "settings" / "@jupyterlab"
        for plugin, value in [("notebook-extension/tracker", '{"windowingMode": "none"}'),  # all cells in the page
                              ("apputils-extension/notification", '{"fetchNews": "false", "checkForUpdates": false}')]:
            (settings / plugin).parent.mkdir(parents=True, exist_ok=True)
            (settings / f"{plugin}.jupyterlab-settings").write_text(value)
        self.log = open(root / "jupyterlab.log", "w")
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
                   f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={root}",
                   "--ServerApp.port_retries=0", "--ServerApp.allow_root=True"]
        self.process = subprocess.Popen(command, cwd=root, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.api("status"), timeout=2) as response:
                    json.load(response)
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    pytest.fail(f"JupyterLab did not start; its log:\n{(root / 'jupyterlab.log').read_text()[-3000:]}")
                time.sleep(0.5)

    def api(self, path: str) -> str:
        return f"{self.url}/api/{path}?token={self.token}"

    def open_url(self, path: str) -> str:
        return f"{self.url}/lab/tree/{path}?token={self.token}"

    def stop(self) -> list:
        """Shut down the server and its kernels; returns the processes that had to be killed."""
        children = _descendants(self.process.pid)
        if self.process.poll() is None:
            try:
                urllib.request.urlopen(urllib.request.Request(self.api("shutdown"), method="POST"), timeout=5).close()
            except OSError:
                pass
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        killed = []
        for child in children:
            if child.is_running() and child.status() != "zombie":
                killed.append(child)
                child.kill()
        self.log.close()
        return killed


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    server = LabServer(tmp_path_factory.mktemp("lab"), [ROOT / "notebooks" / "06_visualisation.ipynb"])
    yield server
    leftovers = server.stop()
    assert leftovers == [], f"processes outlived the JupyterLab server: {leftovers}"
