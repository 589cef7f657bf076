"""Cost of the course topics (issue 18): first principles, implicit curves, related rates, constrained
extrema, %%tangent on an equation; without and with their figure, in the light and the dark theme.

Run: python benchmarks/bench_course.py

Prints, measured in this run, the median CPU time of each call with SymPy's cache cleared before every
call (what a user's first call of a cell costs: nothing computed earlier helps), over REPEAT calls.
"""

from __future__ import annotations

import statistics
import time

import sympy as sp

from ipython_gradients import deriv, grad, tangent

REPEAT = 5

CASES = [
    ("%deriv x^2 sin(x) --definition --at 1", lambda **kw: deriv("x^2 sin(x)", definition=True, at="1", **kw)),
    ("%deriv x^3 + y^3 = 6 x y --implicit y --at 3,3",
     lambda **kw: deriv("x^3 + y^3 = 6 x y", implicit="y", at="3,3", **kw)),
    ("%deriv x^2 + y^2 = 100 --rate t --given dx/dt=1 --at x=6, y=8",
     lambda **kw: deriv("x^2 + y^2 = 100", rate="t", given="dx/dt = 1", at="x=6, y=8", **kw)),
    ("%grad x y --subject-to x^2 + y^2 = 1", lambda **kw: grad("x y", subject_to="x^2 + y^2 = 1", **kw)),
    ("%grad x y z --subject-to 2xy + 2yz + 2zx = 6 (the box)",
     lambda **kw: grad("x y z", subject_to="2 x y + 2 y z + 2 z x = 6", **kw)),
    ("%grad x^3 + y --subject-to x^4 + y^4 = 1 (solve misses 2)",
     lambda **kw: grad("x^3 + y", subject_to="x^4 + y^4 = 1", **kw)),
    ("%%tangent --at 3,3 --normal: x^3 + y^3 = 6 x y",
     lambda **kw: tangent("x^3 + y^3 = 6 x y", at="3,3", normal=True, **kw)),
    ("%%tangent --at x=1: (x^2 + y^2)^2 = 2(x^2 - y^2)",
     lambda **kw: tangent("(x^2 + y^2)^2 = 2(x^2 - y^2)", at="x=1", **kw)),
]


def first_call(func) -> float:
    """Median CPU time of ``func`` with SymPy's cache cleared before each call (its figure drawn to PNG)."""
    times = []
    for _ in range(REPEAT):
        sp.core.cache.clear_cache()
        start = time.process_time()
        result = func()
        if result.figure is not None:
            result.figure_bundle()  # the PNG a notebook shows
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    func = CASES[0][1]
    func(plot=False), func(theme="light"), func(theme="dark")  # imports and fonts, once
    print(f"{'call':64} {'no figure':>10} {'light':>10} {'dark':>10}")
    for name, func in CASES:
        bare, light, dark = (first_call(lambda: func(plot=False)), first_call(lambda: func(theme="light")),
                             first_call(lambda: func(theme="dark")))
        print(f"{name:64} {bare * 1e3:8.0f}ms {light * 1e3:8.0f}ms {dark * 1e3:8.0f}ms")


if __name__ == "__main__":
    main()
