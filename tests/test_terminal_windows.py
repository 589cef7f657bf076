"""Figures in an IPython terminal: saved to a file, or, where the user chose a GUI backend for pyplot
(``%matplotlib tk``, ``%matplotlib`` alone), shown in a window of that backend: a real Tk window
on a real X server (Xvfb), which the test skips, saying why, where Tk or Xvfb is missing."""

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.external  # a fresh IPython, and for windows an X server


def terminal(code: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh Python with IPython's terminal shell (the one ``ipython`` runs)."""
    prelude = """
        from IPython.terminal.interactiveshell import TerminalInteractiveShell
        ip = TerminalInteractiveShell.instance()
        ip.history_manager.enabled = False
        ip.run_line_magic("load_ext", "ipython_gradients")
    """
    environment = {**os.environ, **(env or {})}
    environment.pop("MPLBACKEND", None)
    return subprocess.run([sys.executable, "-c", textwrap.dedent(prelude) + code],
                          capture_output=True, text=True, timeout=120, env=environment)


@pytest.mark.parametrize("choice", [None, pytest.param("agg", marks=pytest.mark.slow),
                                    pytest.param("inline", marks=pytest.mark.slow)])
def test_without_a_gui_backend_the_figure_is_saved_to_a_file(choice, tmp_path):
    chosen = f'ip.run_line_magic("matplotlib", "{choice}")\n' if choice else ""
    result = terminal(chosen + textwrap.dedent("""
        import sys
        ip.run_cell("%deriv x^2 --at 1")
        print("pyplot:", "matplotlib.pyplot" in sys.modules)
    """), env={"TMPDIR": str(tmp_path), "DISPLAY": ""})
    assert result.returncode == 0, result.stderr
    saved = result.stdout.split("Figure saved to ")[1].split()[0]
    assert saved.startswith(str(tmp_path)) and open(saved, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    assert f"pyplot: {choice is not None}" in result.stdout  # pyplot only where the user brought it in


def x_server():
    """A private Xvfb display (its number as ':N'), or a reason to skip."""
    try:
        import tkinter  # noqa: F401
    except ImportError:
        pytest.skip("tkinter is not installed: no Tk window to open")
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb): no X server for a real window")
    for _ in range(3):  # (under load a fresh server can refuse its first client: matplotlib then says "headless")
        read, write = os.pipe()
        server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
                                  pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if number and subprocess.run(
                [sys.executable, "-c", "from matplotlib import _c_internal_utils as u; "
                                       "raise SystemExit(0 if u.display_is_valid() else 1)"],
                env={**os.environ, "DISPLAY": f":{number}"}, timeout=60).returncode == 0:
            return server, f":{number}"
        server.kill()
        server.wait(10)
    pytest.fail("Xvfb did not start a display that clients can open, three times")


@pytest.fixture
def display():
    server, name = x_server()
    yield name
    server.terminate()
    server.wait(10)


@pytest.mark.slow
@pytest.mark.parametrize("choice", ["tk", ""])
def test_with_a_gui_backend_the_figure_opens_in_its_window(display, choice, tmp_path):
    result = terminal(textwrap.dedent(f"""
        import sys
        ip.run_line_magic("matplotlib", "{choice}")
        import matplotlib
        print("backend:", matplotlib.get_backend())
        ip.run_cell("%deriv x^2 --at 1")
        from ipython_gradients import plotting
        (manager,) = plotting._windows.values()
        import time
        deadline = time.monotonic() + 10  # a loaded machine maps the window later
        manager.window.update()
        while not manager.window.winfo_ismapped() and time.monotonic() < deadline:
            time.sleep(0.05)
            manager.window.update()
        r = ip.user_ns["_"]  # the cell's value, shown
        print("canvas:", type(manager.canvas).__name__, "same figure:", manager.canvas.figure is r.figure)
        print("mapped:", bool(manager.window.winfo_ismapped()), "title:", manager.get_window_title())
        width, height = manager.canvas.get_width_height()
        print("size:", width, height)
        import matplotlib.pyplot as plt
        plt.close("all")  # pyplot's own figures; ours is not pyplot's
        print("still open:", len(plotting._windows))
        manager.destroy()
        print("closed:", len(plotting._windows))
    """), env={"DISPLAY": display, "TMPDIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "backend: tkagg" in result.stdout.lower()
    assert "Figure saved" not in result.stdout and not list(tmp_path.rglob("*.png"))
    assert "canvas: FigureCanvasTkAgg same figure: True" in result.stdout
    assert "mapped: True title: ipython_gradients figure 1" in result.stdout
    width, height = map(int, result.stdout.split("size: ")[1].split()[:2])
    assert abs(width - 640) <= 2 and abs(height - 400) <= 2  # the figure's size, give or take the border
    assert "still open: 1" in result.stdout and "closed: 0" in result.stdout


@pytest.mark.slow
def test_a_window_that_cannot_open_falls_back_to_the_file_with_one_line(display, tmp_path):
    """The X server goes away after %matplotlib tk: the figure is saved, with one line saying why."""
    result = terminal(textwrap.dedent("""
        import os
        ip.run_line_magic("matplotlib", "tk")
        os.environ["DISPLAY"] = ":0.99"  # no such screen: Tk cannot open a new window there
        ip.run_cell("%deriv x^2")
    """), env={"DISPLAY": display, "TMPDIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "Could not show the figure in a tkagg window (TclError" in result.stdout.replace("TkAgg", "tkagg")
    assert "Figure saved to " in result.stdout
