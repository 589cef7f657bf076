"""Timing shared by the benchmark scripts."""

import statistics
import time


def warm_median(func, repeat: int) -> float:
    """Median of ``repeat`` timings after a warm-up call (warm: imports done, SymPy's caches primed)."""
    func()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}


def paired_medians(funcs, repeat: int, clock: str = "cpu") -> list[float]:
    """Median times of ``funcs``, each called once to warm up, then measured in turns.

    Taking turns puts any change in the machine's speed (other programs, a CPU that slows down) on
    every function alike, so their ratios hold even when absolute times wander. ``clock="cpu"``
    (the default) counts this process's CPU time, which other programs running on the machine do
    not inflate; for this single-threaded work it is the wall time of an idle machine.
    ``clock="wall"`` counts wall time.
    """
    now = CLOCKS[clock]
    for func in funcs:
        func()
    timings = [[] for _ in funcs]
    for _ in range(repeat):
        for func, times in zip(funcs, timings):
            start = now()
            func()
            times.append(now() - start)
    return [statistics.median(times) for times in timings]


def png_bytes(figure) -> bytes:
    """What a hand-written notebook cell would send: the figure as PNG."""
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def shell_with_extension():
    """An IPython shell with ipython_gradients loaded, as a notebook has after %load_ext."""
    from IPython.core.interactiveshell import InteractiveShell

    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "ipython_gradients")
    return ip
