"""Proof in a real frontend: JupyterLab serves an executed notebook, headless Chromium renders it.

The magics' LaTeX must be typeset by MathJax (``mjx-container`` elements inside the LaTeX output
areas, no raw ``$`` source left) and the figures shown as images.
"""

import html
import importlib.util
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# the [test] extra does not install JupyterLab (large); .ci/run does. Found, not imported: importing it
# takes over a second of every pytest run's collection.
HAS_JUPYTERLAB = importlib.util.find_spec("jupyterlab") is not None

pytestmark = [
    pytest.mark.slow,
    pytest.mark.external,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed here (.ci/run installs it)"),
    pytest.mark.skipif(not HAS_JUPYTERLAB, reason="JupyterLab is not installed here (.ci/run installs it)"),
]


class OutputAreas(HTMLParser):
    """The text and tags inside each rendered LaTeX output area and each rendered image area."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []  # (tag, kind of area it opens)
        self.latex: list[dict] = []
        self.images: list[dict] = []

    def _current(self):
        for _, kind in reversed(self.stack):
            if kind:
                return (self.latex if kind == "latex" else self.images)[-1]
        return None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        kind = "latex" if "jp-RenderedLatex" in classes else "image" if "jp-RenderedImage" in classes else None
        if kind:
            (self.latex if kind == "latex" else self.images).append({"tags": [], "text": ""})
        area = self._current()
        if area is not None:
            area["tags"].append((tag, dict(attrs)))
        if tag not in ("img", "br", "hr", "input", "meta", "link"):
            self.stack.append((tag, kind))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        area = self._current()
        if area is not None:
            area["text"] += data


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served_notebook(tmp_path_factory):
    import nbformat  # here, not at the top: a second of imports that only this test needs
    from nbclient import NotebookClient

    folder = tmp_path_factory.mktemp("lab")
    for source, target in (("lecture_notes.ipynb", "notes.ipynb"), ("interactive.ipynb", "live.ipynb")):
        notebook = nbformat.read(EXAMPLES / source, as_version=4)
        NotebookClient(notebook, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(EXAMPLES)}}).execute()  # widget state saved too
        nbformat.write(notebook, folder / target)
    # trusted, as a notebook the user ran is: its widgets and the players' scripts may run
    subprocess.run([sys.executable, "-m", "jupyter", "trust", str(folder / "live.ipynb")], check=True,
                   capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", f"--port={port}",
         "--ServerApp.token=", "--ServerApp.password=", f"--ServerApp.root_dir={folder}",
         "--ServerApp.ip=127.0.0.1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("JupyterLab did not start")
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/lab/tree/notes.ipynb", tmp_path_factory.mktemp("chromium"), folder
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_jupyterlab_typesets_the_latex_and_shows_the_figures(served_notebook):
    url, profile, _ = served_notebook
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         "--virtual-time-budget=30000", "--dump-dom", url],
        capture_output=True, text=True, timeout=180)
    areas = OutputAreas()
    areas.feed(result.stdout)
    assert len(areas.latex) >= 6, "the magics' LaTeX outputs were not rendered"
    for area in areas.latex:
        assert any(tag == "mjx-container" for tag, _ in area["tags"]), area["text"][:200]
        assert "$" not in area["text"]  # no raw LaTeX source left
    images = [attrs for area in areas.images for tag, attrs in area["tags"] if tag == "img"]
    assert len(images) >= 2 and all(attrs.get("src", "").startswith("data:image/png;base64,") for attrs in images)


def dump_dom(url: str, profile, budget_ms: int) -> str:
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         f"--virtual-time-budget={budget_ms}", "--dump-dom", url],
        capture_output=True, text=True, timeout=240).stdout


def test_jupyterlab_shows_the_sliders_and_plays_the_animations(served_notebook):
    """The executed interactive notebook in JupyterLab: every slider of the three live views on the page (from
    the widget state nbclient saved), their readouts, and the animations' players with their scripts run."""
    url, profile, _ = served_notebook
    page = dump_dom(url.replace("notes.ipynb", "live.ipynb"), profile, 120000)
    sliders = re.findall(r'class="[^"]*widget-slider[^"]*"', page)
    # a for each %deriv, a and h for %%tangent, rate, steps, x0 and y0 for %grad
    assert len(sliders) == 2 + 2 + 4, len(sliders)
    assert "f'(0)   not differentiable (corner): left -1.000, right 1.000; local minimum" in html.unescape(page)
    assert page.count('class="ipython-gradients-player"') == 3 and page.count('data-ready="1"') == 3


def test_the_exported_html_plays_the_animations_with_no_kernel(served_notebook, tmp_path):
    import nbformat
    from nbconvert import HTMLExporter

    _, profile, folder = served_notebook
    exported, _ = HTMLExporter().from_notebook_node(nbformat.read(folder / "live.ipynb", as_version=4))
    page = tmp_path / "live.html"
    page.write_text(exported + """<script>window.addEventListener("load", function () {
        document.querySelectorAll('.ipython-gradients-player [data-do="first"]').forEach(function (b) { b.click(); });
    });</script>""")
    assert exported.count('class="ipython-gradients-player"') == 3
    assert "application/vnd.jupyter.widget-state+json" in exported  # the sliders' last state, for the widget manager
    shown = dump_dom(page.as_uri(), profile, 5000)
    assert shown.count('data-ready="1"') == 3 and shown.count('data-frame="0"') == 3  # played back to the start
