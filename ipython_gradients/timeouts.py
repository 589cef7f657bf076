"""A time limit for slow steps (simplify, solve, limits, plotting), in every thread and on every platform.

``with time_limit(seconds):`` raises ``ComputationTimeout`` inside the block once ``seconds`` have
passed. One watchdog thread keeps the deadlines; at a deadline it raises the timeout in the thread
that entered the limit:

- in the main thread on Linux and macOS, by sending that thread a SIGURG signal whose handler raises
  it (a signal also cuts short a sleeping or blocked call, and the handler sees where the thread
  is). SIGURG is ignored by default, so one arriving late changes nothing. ``ITIMER_REAL`` and
  SIGALRM are never touched: a program's own timers run on undisturbed.
- in any other thread, and on Windows, with ``PyThreadState_SetAsyncExc``, which CPython delivers
  between bytecodes as it does a signal handler's exception (a blocking call is interrupted when it
  returns).

SymPy is pure Python, so either way the exception arrives between two steps of it.

The block is a C lock: the ``with`` statement acquires it on entry and releases it on exit without
running a line of Python, so there is no moment at which the block has been left while the limit
still counts it as running (a Python ``__exit__`` could itself be interrupted before it ran). The
watchdog raises the timeout only while the lock is held, again every ``RETRY_SECONDS`` in case it
was swallowed on the way (Python ignores an exception raised in a garbage-collector callback or a
``__del__``), and never once the block is over. Limits nest: the outermost limit that has run out
is the one raised, so an inner limit never outlasts the outer one.

Nothing is ever interrupted half-imported: while the thread is inside the import machinery, the
timeout waits (re-checked every ``RETRY_SECONDS``) until the import has finished, at most
``IMPORT_GRACE_SECONDS``. A module cut off in the middle of its first import stays broken until the
kernel restarts (matplotlib: every later figure, and the user's own ``import matplotlib.pyplot``).
"""

from __future__ import annotations

import ctypes
import math
import os
import signal
import sys
import threading
import time
import weakref

from .errors import ComputationTimeout

# How soon a time limit fires again if its exception was swallowed where it was raised, or was held
# back because the thread was importing a module.
RETRY_SECONDS = 0.05
# How long past its deadline a time limit waits for an import in progress to finish.
IMPORT_GRACE_SECONDS = 30.0
# A block that has not started this long after its deadline (a ``time_limit`` never entered) is forgotten.
_NEVER_ENTERED_SECONDS = 1.0
_IMPORT_MODULES = frozenset({"importlib._bootstrap", "importlib._bootstrap_external",
                             "_frozen_importlib", "_frozen_importlib_external"})
_SIGNAL = getattr(signal, "SIGURG", None) if hasattr(signal, "pthread_kill") else None

try:  # CPython: raise an exception in another thread
    _set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
    _set_async_exc.argtypes = (ctypes.c_ulong, ctypes.py_object)
    _set_async_exc.restype = ctypes.c_int
except (AttributeError, ValueError):  # not CPython: only the main thread, by signal, is limited
    _set_async_exc = None


class _Limit:
    """One ``time_limit``: its block (a weak reference to the lock the ``with`` statement holds),
    the thread that entered it, its deadline, and how its timeout reaches that thread."""

    __slots__ = ("block", "thread", "deadline", "seconds", "what", "order", "by_signal", "next_try", "error")
    _count = 0

    def __init__(self, block, seconds: float, what: str, by_signal: bool):
        _Limit._count += 1
        self.block = weakref.ref(block)
        self.thread = threading.get_ident()
        self.seconds, self.what, self.by_signal = seconds, what, by_signal
        self.deadline = time.monotonic() + seconds
        self.order = _Limit._count  # an enclosing limit was created before the limits inside it
        self.next_try = self.deadline
        self.error = None

    def running(self) -> bool:
        block = self.block()
        return block is not None and block.locked()

    def exception(self) -> type[ComputationTimeout]:
        """The class raised: an exception raised in another thread can only be given as a class, so
        this limit's message is part of it."""
        if self.error is None:
            message = (f"gave up after {self.seconds:g} s: {self.what} took too long "
                       "(simplify the input or raise GradientMagics.timeout)")
            self.error = type("ComputationTimeout", (ComputationTimeout,),
                              {"message": message, "__module__": ComputationTimeout.__module__,
                               "__qualname__": ComputationTimeout.__qualname__})
        return self.error


_guard = threading.Lock()
_wake = threading.Condition(_guard)
_limits: tuple[_Limit, ...] = ()  # replaced, never changed in place: the signal handler reads it unlocked
_watchdog: threading.Thread | None = None
_planned = math.inf  # when the watchdog wakes next
_previous_handler = None  # the SIGURG handler ours replaced (the default, ignore)


def time_limit(seconds: float, what: str = "the computation"):
    """``with time_limit(seconds, what):`` bounds the block; the timeout's message names ``what``."""
    global _limits, _planned
    block = threading.Lock()
    limit = _Limit(block, seconds, what, _signal_reaches_this_thread())
    with _wake:
        now = time.monotonic()
        _limits = tuple(other for other in _limits if _kept(other, now)) + (limit,)
        if _watchdog is None or not _watchdog.is_alive():
            _start_watchdog()
        elif limit.deadline < _planned:
            _wake.notify()
    return block


def _kept(limit: _Limit, now: float) -> bool:
    block = limit.block()
    return block is not None and (block.locked() or now < limit.deadline + _NEVER_ENTERED_SECONDS)


def _start_watchdog() -> None:
    global _watchdog, _planned
    _planned = -math.inf  # it looks at the limits as soon as it starts
    _watchdog = threading.Thread(target=_watch, name="ipython_gradients time limits", daemon=True)
    _watchdog.start()


def _watch() -> None:
    global _limits, _planned
    with _wake:
        while True:
            now = time.monotonic()
            _limits = tuple(limit for limit in _limits if _kept(limit, now))
            wake = math.inf
            due: dict[int, _Limit] = {}  # per thread, the outermost limit that has run out
            for limit in _limits:
                if not limit.running():
                    if _kept(limit, now):  # not entered yet: look again
                        wake = min(wake, max(limit.deadline, now + RETRY_SECONDS))
                    continue
                if limit.deadline > now:
                    wake = min(wake, limit.deadline)
                elif limit.thread not in due or limit.order < due[limit.thread].order:
                    due[limit.thread] = limit
            for limit in due.values():
                if limit.next_try <= now:
                    if not _fire(limit, now):  # the thread has ended
                        _limits = tuple(other for other in _limits if other.thread != limit.thread)
                        continue
                    limit.next_try = now + RETRY_SECONDS
                wake = min(wake, limit.next_try)
            _planned = wake
            _wake.wait(None if wake == math.inf else max(wake - now, 1e-3))


def _fire(limit: _Limit, now: float) -> bool:
    """Raise the limit's timeout in its thread (unless that thread is importing); False if it has ended."""
    if limit.by_signal:
        signal.pthread_kill(limit.thread, _SIGNAL)  # the handler checks for an import itself
        return True
    frame = sys._current_frames().get(limit.thread)
    if frame is None:
        return False
    if _set_async_exc is None or (_importing(frame) and now < limit.deadline + IMPORT_GRACE_SECONDS):
        return True
    # The watchdog holds the GIL from the look at the frame to here, and the thread raises the
    # exception at its next bytecode boundary: where it was seen, inside the block.
    return _set_async_exc(limit.thread, limit.exception()) == 1


def _importing(frame) -> bool:
    """Whether a thread whose innermost frame is ``frame`` is inside the import machinery."""
    while frame is not None:
        if frame.f_globals.get("__name__") in _IMPORT_MODULES:
            return True
        frame = frame.f_back
    return False


def _signal_reaches_this_thread() -> bool:
    """Whether this thread's limit can be delivered by signal: the main thread on Linux and macOS,
    where SIGURG is ours or has its default handling (a program's own SIGURG handler is left alone)."""
    global _previous_handler
    if _SIGNAL is None or threading.current_thread() is not threading.main_thread():
        return False
    current = signal.getsignal(_SIGNAL)
    if current is _on_signal:
        return True
    if current != signal.SIG_DFL:
        return False
    try:
        _previous_handler = signal.signal(_SIGNAL, _on_signal)
    except (ValueError, OSError):  # not the main interpreter
        return False
    return True


def _on_signal(signum, frame) -> None:
    """SIGURG in the main thread: raise the timeout of its outermost limit that has run out, unless
    the thread is importing (the watchdog signals again); ignore it otherwise, as SIGURG's default."""
    thread = threading.get_ident()
    now = time.monotonic()
    due = [limit for limit in _limits if limit.thread == thread and limit.deadline <= now and limit.running()]
    if not due:
        if callable(_previous_handler):
            _previous_handler(signum, frame)
        return
    limit = min(due, key=lambda limit: limit.order)
    if _importing(frame) and now < limit.deadline + IMPORT_GRACE_SECONDS:
        return
    raise limit.exception()()


def _after_fork_in_child() -> None:
    """Only the forking thread lives on in a child process: a new watchdog for its limits."""
    global _guard, _wake, _watchdog, _planned, _limits
    _guard = threading.Lock()
    _wake = threading.Condition(_guard)
    _watchdog, _planned = None, math.inf
    thread = threading.get_ident()
    _limits = tuple(limit for limit in _limits if limit.thread == thread)
    if _limits:
        _start_watchdog()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
