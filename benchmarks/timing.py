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
