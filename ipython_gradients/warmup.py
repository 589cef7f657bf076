"""The background warm-up: SymPy and matplotlib's figure machinery loaded while the user pauses.

``%load_ext`` imports nothing heavy, so the first magic would pay for SymPy, NumPy and matplotlib
and for their first-call work (printers, fonts, the PNG writer): about a second. Instead, once the
cell that loaded the extension has finished (IPython's ``post_run_cell`` event, so never while
``%load_ext`` itself runs), a daemon thread computes one small ``%deriv`` through the API and
renders its figure to PNG bytes, then throws it all away. It prints nothing, touches neither the
user's namespace nor the settings, never imports pyplot (so the user's backend is left alone), and
swallows any exception of its own: a failed warm-up leaves the magics to load what they need, as
they would without it.

No two threads import the same modules at once: an import cycle between two threads can deadlock
or hand one of them a half-initialised module. So everything that could import alongside the
warm-up waits for it first: every cell (``pre_run_cell``) and every magic or API call (``wait``).
The warm-up therefore only fills time in which nothing else runs.

It is off where it cannot help: in ``ipython -c ...`` or ``ipython script.py`` (nothing
interactive follows, and a thread still importing at exit only risks noise), and when the
environment variable ``IPYTHON_GRADIENTS_WARMUP`` is ``0`` (or ``false``, ``no``, ``off``). With
the extension loaded as IPython or a kernel starts (``--ext``, a configuration file, the
kernelspec), nothing runs until the first cell anyway, so the warm-up starts at once.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

ENVIRONMENT = "IPYTHON_GRADIENTS_WARMUP"
OFF = ("0", "false", "no", "off")
# One small input that reaches the printers, the numeric evaluator and the figure's every part.
EXPRESSION = "x^3 sin(x) + exp(-x^2)/(1 + x^2)"

_thread: threading.Thread | None = None
_lock = threading.Lock()
_stop = threading.Event()  # someone waits: stop after the current step
_shells: dict[int, tuple] = {}  # id(shell) -> (shell, callbacks registered on it)


def enabled() -> bool:
    """False when ``IPYTHON_GRADIENTS_WARMUP`` says off."""
    return os.environ.get(ENVIRONMENT, "1").strip().lower() not in OFF


def schedule(shell) -> None:
    """Warm up in the background once the current (or, at start-up, the first) cell has finished."""
    if not enabled() or id(shell) in _shells or getattr(getattr(shell, "parent", None), "interact", True) is False:
        return

    def after_cell(result=None):
        shell.events.unregister("post_run_cell", after_cell)
        _shells[id(shell)] = (shell, [("pre_run_cell", before_cell)])
        start()

    def before_cell(info=None):
        wait()

    shell.events.register("pre_run_cell", before_cell)
    if _at_start_up(shell):  # nothing else runs until the first cell, which waits
        _shells[id(shell)] = (shell, [("pre_run_cell", before_cell)])
        start()
        return
    shell.events.register("post_run_cell", after_cell)
    _shells[id(shell)] = (shell, [("post_run_cell", after_cell), ("pre_run_cell", before_cell)])


def _at_start_up(shell) -> bool:
    """Loaded by IPython or a kernel as it starts (``--ext``, a configuration file), not in a cell.

    A cell in progress has its result on the display hook; a shell without an application around it
    (a script's ``InteractiveShell``) waits for its first cell instead.
    """
    return getattr(shell, "parent", None) is not None and getattr(shell.displayhook, "exec_result", None) is None


def unschedule(shell) -> None:
    """Remove what ``schedule`` registered on ``shell`` (a warm-up already running finishes alone)."""
    _, callbacks = _shells.pop(id(shell), (None, []))
    for event, callback in callbacks:
        try:
            shell.events.unregister(event, callback)
        except ValueError:
            pass


def start() -> threading.Thread | None:
    """Start the warm-up thread, once per process; None if it is off or nothing is left to warm."""
    global _thread
    with _lock:
        if _thread is None and enabled() and "ipython_gradients.plotting" not in sys.modules:
            _thread = threading.Thread(target=_warm, name="ipython_gradients warm-up", daemon=True)
            _thread.start()
        return _thread


def wait(timeout: float | None = None) -> None:
    """Return once no warm-up is running (at once if there is none, or from the warm-up itself).

    A warm-up being waited for stops after the step it is in: what it has not loaded yet, the
    caller loads as it needs it, so waiting never costs more than the step in progress.
    """
    thread = _thread
    if thread is not None and thread is not threading.current_thread():
        _stop.set()
        thread.join(timeout)


def join(timeout: float | None = None) -> bool:
    """Wait for the warm-up to finish all its steps (for tests and benchmarks); True if none is running."""
    thread = _thread
    if thread is not None and thread is not threading.current_thread():
        thread.join(timeout)
    return not running()


def running() -> bool:
    return _thread is not None and _thread.is_alive()


class _NotFromThisThread(logging.Filter):
    """Drops the records the warm-up thread logs (matplotlib's one-time "building the font cache")."""

    def __init__(self):
        super().__init__()
        self.ident = threading.get_ident()

    def filter(self, record: logging.LogRecord) -> bool:
        return record.thread != self.ident


def _warm() -> None:
    quiet = _NotFromThisThread()
    loggers = [logging.getLogger(name) for name in ("matplotlib", "matplotlib.font_manager")]
    for logger in loggers:
        logger.addFilter(quiet)
    try:
        for step in _steps():
            step()
            if _stop.is_set():
                break
    except Exception:  # the warm-up must never be seen: the first magic then loads what it needs
        pass
    finally:
        for logger in loggers:
            logger.removeFilter(quiet)


def _steps():
    """What the first %deriv with a figure does, in the order it needs it (each step under a second)."""

    def imports():  # SymPy, NumPy, the API
        from . import api  # noqa: F401

    def compute():  # the parser, calculus, the printers
        from . import api

        result = api.deriv(EXPRESSION, at="0.5", plot=False)
        result.latex(), result.text()

    def figure():  # matplotlib's Figure, Agg, fonts, the PNG writer (never pyplot)
        from . import api
        from .plotting import figure_bytes

        result = api.deriv(EXPRESSION, at="0.5", plot=True)
        if result.figure is not None:
            figure_bytes(result.figure, "png")

    return [imports, compute, figure]
