"""Speed of %deriv against the hand-written SymPy (and matplotlib) code it replaces.

Run: python benchmarks/bench_deriv.py [--repeat N]

Prints, measured in this run:
- the time of ``%load_ext ipython_gradients`` in a fresh interpreter (median of 5; goal < 50 ms);
- warm ``%deriv EXPR --no-plot``, shown as a user sees it (text/latex and text/plain), as a ratio
  to hand-written SymPy showing the same thing: parse, diff, and the equation d/dx f = f' as IPython
  shows a SymPy result after ``sympy.init_printing()`` (LaTeX and unicode pretty text) (goal < 1.3).
  For reference, also against parse, diff and the LaTeX of f' alone, a smaller output (no f, no
  text/plain);
- warm ``%deriv EXPR`` with its figure rendered to PNG, as a ratio to the plot a user writes by
  hand next to SymPy's output (issue 13's comparison): the above, then lambdify f and f', a
  ``Figure`` of the same size, ``ax.plot(xs, f(xs), label="f")``, ``ax.plot(xs, df(xs),
  label="f'")``, ``ax.legend()``, PNG (goal < 1.3). The magic draws more (axis lines, grid, axis
  labels, the margins its texts need) and names the curves f(x), f′(x) in plain text.

"Warm" means after one call: imports done, SymPy's caches primed, for both sides alike. The two
sides of each ratio are measured in turns (``timing.paired_medians``), so load on the machine
falls on both alike; by default they count CPU time (``--clock wall`` for wall time).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

from timing import paired_medians, png_bytes, shell_with_extension

EXPRESSIONS = [
    "x**2",
    "x**3 - 3*x + 1",
    "sin(x)*exp(-x**2)",
    "log(1 + x**2)/(1 + x**2)",
    "sqrt(1 + x**2)*atan(x)",
    "exp(sin(x))*cos(3*x)",
]

LOAD_SNIPPET = """
import time
from IPython.core.interactiveshell import InteractiveShell
ip = InteractiveShell.instance()
start = time.perf_counter()
ip.run_line_magic("load_ext", "ipython_gradients")
print(time.perf_counter() - start)
"""


def load_time() -> float:
    runs = [float(subprocess.run([sys.executable, "-c", LOAD_SNIPPET], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(5)]
    return statistics.median(runs)


def hand_written_latex_only(text: str):
    import sympy
    from sympy.parsing.sympy_parser import parse_expr

    x = sympy.Symbol("x", real=True)
    derivative = sympy.diff(parse_expr(text, local_dict={"x": x}), x)
    return sympy.latex(derivative)


def hand_written_sympy(text: str):
    """What IPython shows for Eq(Derivative(f, x), f') after sympy.init_printing()."""
    import sympy
    from sympy.parsing.sympy_parser import parse_expr

    x = sympy.Symbol("x", real=True)
    expr = parse_expr(text, local_dict={"x": x})
    derivative = sympy.diff(expr, x)
    equation = sympy.Eq(sympy.Derivative(expr, x), derivative, evaluate=False)
    shown = {"text/latex": f"$\\displaystyle {sympy.latex(equation)}$", "text/plain": sympy.pretty(equation)}
    return expr, derivative, shown


def hand_written_sympy_matplotlib(text: str):
    """SymPy's output as above, then the plot of f and f' with a legend that a user writes by hand."""
    import numpy as np
    import sympy
    from matplotlib.figure import Figure

    expr, derivative, _ = hand_written_sympy(text)
    x = sympy.Symbol("x", real=True)
    f, df = sympy.lambdify(x, expr, "numpy"), sympy.lambdify(x, derivative, "numpy")
    xs = np.linspace(-5, 5, 400)
    fig = Figure(figsize=(6.4, 4.0))  # the magic's size (Figure() alone is 6.4 x 4.8: more pixels to draw)
    ax = fig.add_subplot()
    ax.plot(xs, f(xs) * np.ones_like(xs), label="f")
    ax.plot(xs, df(xs) * np.ones_like(xs), label="f'")
    ax.legend()
    return png_bytes(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--clock", choices=["cpu", "wall"], default="cpu",
                        help="CPU time of this process (default: other programs do not count) or wall time")
    args = parser.parse_args()

    print(f"%load_ext ipython_gradients: {load_time() * 1000:.1f} ms (goal < 50 ms)")

    ip = shell_with_extension()

    def magic_no_plot(text):
        return ip.run_line_magic("deriv", f"{text} --no-plot")._repr_mimebundle_()

    def magic_with_plot(text):
        result = ip.run_line_magic("deriv", text)
        result._repr_mimebundle_()
        return result.figure_bundle()

    rows = []
    for text in EXPRESSIONS:
        ours, theirs, latex_only = paired_medians(
            [lambda: magic_no_plot(text), lambda: hand_written_sympy(text), lambda: hand_written_latex_only(text)],
            args.repeat, args.clock)
        ours_plot, theirs_plot = paired_medians(
            [lambda: magic_with_plot(text), lambda: hand_written_sympy_matplotlib(text)], max(5, args.repeat // 2),
            args.clock)
        rows.append((text, ours, theirs, latex_only, ours_plot, theirs_plot))

    print(f"\ntimes: medians of {args.clock} time, each side measured in turn with the other")
    print(f"{'expression':26} {'%deriv':>8} {'SymPy':>8} {'ratio':>5} {'latex(fʹ)':>9} {'ratio':>5}"
          f"   {'+plot':>8} {'SymPy+mpl':>9} {'ratio':>5}")
    for text, ours, theirs, latex_only, ours_plot, theirs_plot in rows:
        print(f"{text:26} {ours * 1e3:6.2f}ms {theirs * 1e3:6.2f}ms {ours / theirs:5.2f} "
              f"{latex_only * 1e3:7.2f}ms {ours / latex_only:5.2f}"
              f"   {ours_plot * 1e3:6.1f}ms {theirs_plot * 1e3:7.1f}ms {ours_plot / theirs_plot:5.2f}")

    def mean_ratio(i, j):
        return statistics.geometric_mean([r[i] / r[j] for r in rows])

    print(f"\ngeometric mean ratio without plot, same output:  {mean_ratio(1, 2):.2f} (goal < 1.3)")
    print(f"geometric mean ratio with plot, hand-written plot: {mean_ratio(4, 5):.2f} (goal < 1.3)")
    print(f"for reference, against latex(f') alone:           {mean_ratio(1, 3):.2f}")


if __name__ == "__main__":
    main()
