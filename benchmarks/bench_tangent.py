"""Warm %%tangent against the hand-written SymPy + matplotlib code that shows the same.

Run: python benchmarks/bench_tangent.py

Two functions, three points each: the magic (equations as LaTeX and pretty text, the figure as
PNG) against hand-written SymPy (derivative, the line at each point, LaTeX and pretty text of each
equation) + matplotlib (both curves, six tangent segments, the points, a legend naming each line in
a few words as a user would, "f", "tangent to f at -0.5", PNG). Goal: ratio under 1.3. Both sides
are measured in turns, in CPU time (``--clock wall`` for wall time). Everything printed is measured
in this run.
"""

from __future__ import annotations

import statistics

import numpy as np
import sympy as sp
from timing import paired_medians, png_bytes, shell_with_extension

CELLS = [("f(x) = x^2\ng(x) = sin(x)", "x**2", "sin(x)"),
         ("f(x) = exp(-x^2)\ng(x) = x^3 - x", "exp(-x**2)", "x**3 - x"),
         ("f(x) = log(1 + x^2)\ng(x) = atan(x)", "log(1 + x**2)", "atan(x)")]
POINTS = (-0.5, 0.0, 0.5)


def hand_written(first: str, second: str) -> bytes:
    from matplotlib.figure import Figure
    from sympy.parsing.sympy_parser import parse_expr

    x, y = sp.Symbol("x", real=True), sp.Symbol("y")
    xs = np.linspace(-1, 1, 400)
    figure = Figure(figsize=(6.4, 4.0))
    axes = figure.add_subplot()
    for text, color, name in ((first, "C0", "f"), (second, "C1", "g")):
        f = parse_expr(text, local_dict={"x": x})
        slope = sp.diff(f, x)
        sp.latex(f), sp.pretty(f)
        axes.plot(xs, sp.lambdify(x, f, "numpy")(xs) * np.ones_like(xs), color=color, label=name)
        for a in map(sp.Rational, map(str, POINTS)):
            line = sp.Eq(y, sp.expand(f.subs(x, a) + slope.subs(x, a) * (x - a)))
            sp.latex(line), sp.pretty(line)
            window = np.linspace(float(a) - 0.4, float(a) + 0.4, 60)
            values = sp.lambdify(x, line.rhs, "numpy")(window) * np.ones_like(window)
            axes.plot(window, values, "--", color=color, label=f"tangent to {name} at {a}")
            axes.plot(float(a), float(f.subs(x, a)), "o", color=color)
    axes.set_xlabel("x")
    axes.legend(fontsize="x-small")
    return png_bytes(figure)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clock", choices=["cpu", "wall"], default="cpu")
    args = parser.parse_args()
    ip = shell_with_extension()
    at = ",".join(map(str, POINTS))

    def ours(cell):
        result = ip.run_cell_magic("tangent", f"--at {at} --range -1,1", cell)
        result._repr_mimebundle_()
        return result.figure_bundle()

    ratios = []
    for cell, first, second in CELLS:
        t_ours, t_theirs = paired_medians([lambda: ours(cell), lambda: hand_written(first, second)], 9, args.clock)
        ratios.append(t_ours / t_theirs)
        print(f"{cell.replace(chr(10), '; '):40} {t_ours * 1e3:7.1f} ms {t_theirs * 1e3:7.1f} ms  ratio {t_ours / t_theirs:.2f}")
    print(f"\ngeometric mean ratio: {statistics.geometric_mean(ratios):.2f} (goal < 1.3)")


if __name__ == "__main__":
    main()
