"""A time limit for slow steps (simplify, solve, limits, plotting), in every thread and on every platform.

``with time_limit(seconds):`` raises ``ComputationTimeout`` inside the block once ``seconds`` have
passed. SymPy is pure Python, so the exception arrives between two of its steps. Two ways deliver it:

- In the main thread on Linux and macOS, the process's real-time timer (``ITIMER_REAL``) sends
  SIGALRM, whose handler raises. The kernel's timer needs no lock of Python's, so it also stops
  what no other thread could: a blocked call (sleep), and CPython's long loops that check for
  signals (a power of huge integers). It is used only while it is free: where a program runs its
  own real-time timer, or has its own SIGALRM handler, both are left exactly as they are and the
  limit works as in other threads.
- In any other thread, on Windows, and beside a program's own timer, a watchdog thread raises the
  timeout with ``PyThreadState_SetAsyncExc``, which CPython delivers between bytecodes as it does a
  signal handler's exception. A blocking call is interrupted only when it returns, and one long
  C-level operation (a multiplication of two huge integers) runs to its end: the sizes of numbers
  are refused before they are built for that reason (``sizes``).

The timeout comes again every ``RETRY_SECONDS`` while the block runs, in case it was swallowed
(Python ignores an exception raised in a garbage-collector callback or a ``__del__``), and never
once the block is over. In the main thread the signal handler sees where the thread is and holds
the timeout back while a limit is being entered or left (this module's code, and a generator
context manager's around it, such as the API's ``_computing``). Elsewhere the block is a C lock,
acquired and released by the ``with`` statement without a line of Python, and the watchdog raises
the timeout only while it is held (a Python ``__exit__`` could itself be interrupted before it
ran), looking at the thread's frames first as the signal handler does. Limits nest: the outermost
limit that has run out is the one raised, so an inner limit never outlasts the outer one.

Nothing is ever interrupted half-imported: while the thread is inside the import machinery the
timeout is held back (looked at again every 5 ms) until the import has finished, for at most
``IMPORT_GRACE_SECONDS``; so it is while a finaliser runs (``__del__``, a garbage-collector
callback), which would only print it as "Exception ignored" and drop it. A module cut off in the middle of its first import stays broken until
the kernel restarts (matplotlib: every later figure, and the user's own ``import matplotlib.pyplot``).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import math
import os
import signal
import sys
import threading
import time
import types
import weakref

from .errors import ComputationTimeout

# How soon a time limit fires again if its exception was swallowed where it was raised, or was held
# back because the thread was importing a module.
RETRY_SECONDS = 0.05
# How long past its deadline a time limit waits for an import in progress to finish, and how often
# it looks whether the import has finished.
IMPORT_GRACE_SECONDS = 30.0
_HELD_BACK_RETRY_SECONDS = 0.005
# A block that has not started this long after its deadline (a ``time_limit`` never entered) is forgotten.
_NEVER_ENTERED_SECONDS = 1.0
_IMPORT_MODULES = frozenset({"importlib._bootstrap", "importlib._bootstrap_external",
                             "_frozen_importlib", "_frozen_importlib_external"})
_ALARM = hasattr(signal, "setitimer")
_CO_GENERATOR = 0x20  # inspect.CO_GENERATOR

try:  # CPython: raise an exception in another thread
    _set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
    _set_async_exc.argtypes = (ctypes.c_ulong, ctypes.py_object)
    _set_async_exc.restype = ctypes.c_int
except (AttributeError, ValueError):  # not CPython: only the main thread, by its timer, is limited
    _set_async_exc = None


class _Limit:
    """A limit for a thread without the real-time timer: its block (a weak reference to the lock the
    ``with`` statement holds), the thread that entered it, its deadline, and its exception."""

    __slots__ = ("block", "thread", "deadline", "seconds", "what", "order", "next_try", "error", "generator")
    _count = 0

    def __init__(self, block, seconds: float, what: str, generator: int | None):
        _Limit._count += 1
        self.generator = generator
        self.block = weakref.ref(block)
        self.thread = threading.get_ident()
        self.seconds, self.what = seconds, what
        self.deadline = time.monotonic() + seconds
        self.order = _Limit._count  # an enclosing limit was created before the limits inside it
        self.next_try = self.deadline
        self.error = None

    def running(self) -> bool:
        block = self.block()
        return block is not None and block.locked()

    def exception(self) -> type[ComputationTimeout]:
        return _exception(self)


class _Alarm:
    """A limit in the main thread, kept by the real-time timer: SIGALRM at the soonest deadline."""

    __slots__ = ("deadline", "seconds", "what", "error", "generator")

    def __init__(self, seconds: float, what: str, generator: int | None):
        self.seconds, self.what, self.error, self.generator = seconds, what, None, generator
        self.deadline = math.inf

    def __enter__(self):
        global _previous_alarm_handler
        if not _alarms:
            _previous_alarm_handler = signal.signal(signal.SIGALRM, _on_alarm)
        self.deadline = time.monotonic() + self.seconds
        _alarms.append(self)
        _arm_alarm()
        return self

    def __exit__(self, *exception) -> bool:
        _alarms.remove(self)
        if _alarms:
            _arm_alarm()
        else:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, _previous_alarm_handler)
        return False

    def exception(self) -> type[ComputationTimeout]:
        return _exception(self)


def _exception(limit) -> type[ComputationTimeout]:
    """The class raised for a limit: an exception raised in another thread can only be given as a
    class, so the limit's message is part of it."""
    if limit.error is None:
        message = (f"gave up after {limit.seconds:g} s: {limit.what} took too long "
                   "(simplify the input or raise GradientMagics.timeout)")
        limit.error = type("ComputationTimeout", (ComputationTimeout,),
                           {"message": message, "__module__": ComputationTimeout.__module__,
                            "__qualname__": ComputationTimeout.__qualname__})
    return limit.error


_guard = threading.Lock()
_wake = threading.Condition(_guard)
_limits: tuple[_Limit, ...] = ()  # replaced, never changed in place
_watchdog: threading.Thread | None = None
_planned = math.inf  # when the watchdog wakes next
_alarms: list[_Alarm] = []  # the main thread's limits on the real-time timer, outermost first
_previous_alarm_handler = None


def time_limit(seconds: float, what: str = "the computation"):
    """``with time_limit(seconds, what):`` bounds the block; the timeout's message names ``what``."""
    caller = sys._getframe(1)
    generator = id(caller) if caller.f_code.co_flags & _CO_GENERATOR else None
    if _alarm_is_free():
        return _Alarm(seconds, what, generator)
    global _limits, _planned
    block = threading.Lock()
    limit = _Limit(block, seconds, what, generator)
    with _wake:
        now = time.monotonic()
        _limits = tuple(other for other in _limits if _kept(other, now)) + (limit,)
        if _watchdog is None or not _watchdog.is_alive():
            _start_watchdog()
        elif limit.deadline < _planned:
            _wake.notify()
    return block


def _alarm_is_free() -> bool:
    """Whether this thread's limit can use the real-time timer: the main thread on Linux and macOS,
    while the timer is ours or unused (no timer running, no SIGALRM handler of the program's own)."""
    if not _ALARM or threading.current_thread() is not threading.main_thread():
        return False
    if _alarms:
        return True
    return signal.getsignal(signal.SIGALRM) == signal.SIG_DFL and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def _arm_alarm() -> None:
    soonest = min(limit.deadline for limit in _alarms)
    signal.setitimer(signal.ITIMER_REAL, max(soonest - time.monotonic(), 1e-4))


def _on_alarm(signum, frame) -> None:
    """SIGALRM in the main thread: raise the timeout of the outermost limit that has run out."""
    now = time.monotonic()
    due = next((limit for limit in _alarms if limit.deadline <= now), None)
    if due is None:  # early (the timer's granularity), or the block is being left
        if _alarms:
            _arm_alarm()
        return
    if _held_back(frame, due.deadline, now, {limit.generator for limit in _alarms}):
        signal.setitimer(signal.ITIMER_REAL, _HELD_BACK_RETRY_SECONDS)
        return
    signal.setitimer(signal.ITIMER_REAL, RETRY_SECONDS)  # again, in case it is swallowed
    raise due.exception()()


def _held_back(frame, deadline: float, now: float, generators: set) -> bool:
    """Whether a thread at ``frame`` must not be interrupted yet: entering or leaving a limit (this
    module's code, or that of a generator context manager whose generator holds a running limit,
    such as the API's ``_computing``: interrupted before it resumed the generator, it would leave
    the limit running); importing a module; or running a finaliser (a ``__del__``, a weak-reference
    or garbage-collector callback), where Python would print the timeout as "Exception ignored" and
    drop it. The last two for at most ``IMPORT_GRACE_SECONDS``."""
    waiting = False
    callbacks = None
    while frame is not None:
        code = frame.f_code
        if frame.f_globals is _GLOBALS:
            return True
        if code in _ENTRY_AND_EXIT:
            generator = getattr(frame.f_locals.get("self"), "gen", None)
            if generator is not None and id(generator.gi_frame) in generators:
                return True
        if not waiting:
            if callbacks is None:
                callbacks = _FINALISERS | {getattr(callback, "__code__", None) for callback in gc.callbacks}
            waiting = (code.co_name == "__del__" or code in callbacks
                       or frame.f_globals.get("__name__") in _IMPORT_MODULES)
        frame = frame.f_back
    return waiting and now < deadline + IMPORT_GRACE_SECONDS


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
                if not limit.running():  # not entered yet: look again
                    wake = min(wake, max(limit.deadline, now + RETRY_SECONDS))
                elif limit.deadline > now:
                    wake = min(wake, limit.deadline)
                elif limit.thread not in due or limit.order < due[limit.thread].order:
                    due[limit.thread] = limit
            for limit in due.values():
                if limit.next_try <= now:
                    fired = _fire(limit, now)
                    if fired is None:  # the thread has ended
                        _limits = tuple(other for other in _limits if other.thread != limit.thread)
                        continue
                    limit.next_try = now + (RETRY_SECONDS if fired else _HELD_BACK_RETRY_SECONDS)
                wake = min(wake, limit.next_try)
            _planned = wake
            _wake.wait(None if wake == math.inf else max(wake - now, 1e-3))


def _fire(limit: _Limit, now: float) -> bool | None:
    """Raise the limit's timeout in its thread: True, or False if held back; None if the thread has ended."""
    frame = sys._current_frames().get(limit.thread)
    if frame is None:
        return None
    if _set_async_exc is None:  # not CPython: nothing can reach another thread
        return True
    running = {other.generator for other in _limits if other.thread == limit.thread and other.running()}
    if _held_back(frame, limit.deadline, now, running):
        return False
    # The watchdog holds the GIL from the look at the frame to here, and the thread raises the
    # exception where it next checks for one: where it was seen, inside the block.
    return True if _set_async_exc(limit.thread, limit.exception()) == 1 else None


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
    if _alarms and threading.current_thread() is threading.main_thread():
        _arm_alarm()  # a child process starts without the parent's timer


_GLOBALS = globals()
_ENTRY_AND_EXIT = frozenset({contextlib._GeneratorContextManager.__enter__.__code__,
                             contextlib._GeneratorContextManager.__exit__.__code__})
# The callbacks weak dictionaries run when a key or value is collected
_FINALISERS = frozenset(const for cls in (weakref.WeakKeyDictionary, weakref.WeakValueDictionary)
                        for const in cls.__init__.__code__.co_consts if isinstance(const, types.CodeType))
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
