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
