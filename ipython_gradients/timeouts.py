"""A time limit for slow steps (simplify, solve, limits, plotting)."""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager

from .errors import ComputationTimeout


# How soon a time limit fires again if its exception was swallowed where it was raised.
RETRY_SECONDS = 0.05


@contextmanager
def time_limit(seconds: float, what: str = "the computation"):
    """Raise ``ComputationTimeout`` inside the block once ``seconds`` have passed.

    SymPy is pure Python, so a timer signal interrupts it between bytecodes. Signals can only be
    handled in the main thread: elsewhere (a thread a frontend started) the block runs unbounded.
    Limits nest: an inner one never outlasts the outer, which is re-armed with its remaining time.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(signum, frame):
        # Python swallows an exception raised inside a garbage-collector callback or a __del__:
        # the alarm comes again shortly, until the block is left (which disarms it).
        signal.setitimer(signal.ITIMER_REAL, RETRY_SECONDS)
        raise ComputationTimeout(
            f"gave up after {seconds:g} s: {what} took too long "
            "(simplify the input or raise GradientMagics.timeout)")

    outer_remaining, _ = signal.getitimer(signal.ITIMER_REAL)
    started = time.monotonic()
    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer_remaining) if outer_remaining else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if outer_remaining:
            left = outer_remaining - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3))
