"""Cost of %grad: the Hessian of the n-dimensional Rosenbrock function, and a warm plot.

Run: python benchmarks/bench_grad.py

Prints, measured in this run:
- for n = 2, 5, 10, 20: the time of ``%grad rosen --at 1,...,1 --hessian --no-plot`` with rosen
  written in NumPy (traced, then a symbolic Hessian evaluated at the point), and of the numeric
  Hessian of the same function as a black box, with how the time grows with n;
- warm ``%grad EXPR --at 1,1 --hessian`` with its figure rendered to PNG, as a ratio to hand-written
  SymPy + matplotlib drawing the same: gradient, Hessian, LaTeX and pretty text, filled contours of
  f, gradient arrows on a grid, the point with its gradient, a colour bar, PNG (goal < 1.3); both
  sides measured in turns, in CPU time (``timing.paired_medians``).
"""

from __future__ import annotations

import statistics

import numpy as np
import sympy as sp
from timing import paired_medians, png_bytes, shell_with_extension, warm_median

EXPRESSIONS = ["x**2 + y**2", "x**3 - 3*x + y**2", "(1 - x)**2 + 100*(y - x**2)**2", "sin(x)*cos(y)"]


def rosen(v):
    return np.sum(100 * (v[1:] - v[:-1] ** 2) ** 2 + (1 - v[:-1]) ** 2)


def hand_written(text: str) -> bytes:
    """What a user would write to show the same: SymPy for the math, matplotlib for the picture."""
    from matplotlib.figure import Figure
    from sympy.parsing.sympy_parser import parse_expr

    x, y = sp.symbols("x y", real=True)
    f = parse_expr(text, local_dict={"x": x, "y": y})
    gradient = sp.Matrix([sp.diff(f, x), sp.diff(f, y)])
    hessian = sp.hessian(f, (x, y))
    for shown in (gradient, hessian, f):
        sp.latex(shown), sp.pretty(shown)
    at_point = gradient.subs({x: 1, y: 1})
    np.linalg.eigvalsh(np.array(hessian.subs({x: 1, y: 1}), dtype=float))
    grid_x, grid_y = np.meshgrid(np.linspace(-1, 3, 90), np.linspace(-1, 3, 90))
    heights = sp.lambdify((x, y), f, "numpy")(grid_x, grid_y)
    arrow_x, arrow_y = np.meshgrid(np.linspace(-1, 3, 15), np.linspace(-1, 3, 15))
    u, v = (np.broadcast_to(c, arrow_x.shape) for c in sp.lambdify((x, y), list(gradient), "numpy")(arrow_x, arrow_y))
    length = np.where(np.hypot(u, v) > 0, np.hypot(u, v), 1.0)
    figure = Figure(figsize=(6.4, 4.0))
    axes = figure.add_subplot()
    filled = axes.contourf(grid_x, grid_y, heights, levels=np.quantile(heights, np.linspace(0, 1, 21)), cmap="viridis")
    figure.colorbar(filled, ax=axes, label="f(x, y)")
    axes.quiver(arrow_x, arrow_y, u / length, v / length, color="white", pivot="mid")
    axes.plot(1, 1, "o", color="black", label="point with ∇f")
    axes.annotate("", xy=(1 + float(at_point[0]) * 0.1, 1 + float(at_point[1]) * 0.1), xytext=(1, 1),
                  arrowprops=dict(arrowstyle="->"))
    axes.set_xlabel("x")
    axes.set_ylabel("y")
    axes.legend()
    return png_bytes(figure)


def main() -> None:
    from ipython_gradients import numeric

    ip = shell_with_extension()
    ip.user_ns["rosen"] = rosen

    print("Hessian of the n-dimensional Rosenbrock function at (1, ..., 1)\n")
    print(f"{'n':>3} {'%grad (traced, symbolic)':>26} {'numeric black box':>19}")
    previous = None
    for n in (2, 5, 10, 20):
        point = ",".join(["1"] * n)
        symbolic = warm_median(lambda: ip.run_line_magic("grad", f"rosen --at {point} --hessian --no-plot"), 5)
        black_box = warm_median(lambda: numeric.hessian(rosen, np.ones(n), vector_input=True), 3)
        growth = "" if previous is None else f"   (×{symbolic / previous[0]:.1f}, ×{black_box / previous[1]:.1f})"
        print(f"{n:>3} {symbolic * 1e3:23.1f} ms {black_box * 1e3:16.1f} ms{growth}")
        previous = (symbolic, black_box)

    def ours(text):
        result = ip.run_line_magic("grad", f"{text} --at 1,1 --hessian --range -1,3")
        result._repr_mimebundle_()
        return result.figure_bundle()

    print("\nWarm %grad with its figure, against hand-written SymPy + matplotlib\n")
    ratios = []
    for text in EXPRESSIONS:
        t_ours, t_theirs = paired_medians([lambda: ours(text), lambda: hand_written(text)], 9)  # in turns, CPU time
        ratios.append(t_ours / t_theirs)
        print(f"{text:34} {t_ours * 1e3:7.1f} ms {t_theirs * 1e3:7.1f} ms  ratio {t_ours / t_theirs:.2f}")
    print(f"\ngeometric mean ratio: {statistics.geometric_mean(ratios):.2f} (goal < 1.3)")


if __name__ == "__main__":
    main()
