"""Time of the one-sided analysis of functions with pieces (max, min, abs, Heaviside, floor), and of
critical points, on the inputs of issue 11.

Run: python benchmarks/bench_nonsmooth.py [--repeat N]

Prints, measured in this run, the median time of each call (warm: after one call, so imports and
SymPy's caches are primed) with ``plot=False``, and the slowest; goal: each well under a second.
"""

from __future__ import annotations

import argparse

from timing import warm_median

from ipython_gradients import deriv, grad, tangent

CALLS = [
    ("deriv max(0, x) at -1,1", lambda: deriv("max(0, x)", at="-1,1", plot=False)),
    ("deriv max(x, x^2) at 1,2", lambda: deriv("max(x, x^2)", at="1,2", plot=False)),
    ("deriv min(x, x^2) at 1", lambda: deriv("min(x, x^2)", at="1", plot=False)),
    ("tangent min(x, x^2) at 1", lambda: tangent("min(x, x^2)", at="1", plot=False)),
    ("deriv max(sin(x), cos(x)) at pi/4", lambda: deriv("max(sin(x), cos(x))", at="pi/4", plot=False)),
    ("deriv min(x^2, 2 - x^2) at 1", lambda: deriv("min(x^2, 2 - x^2)", at="1", plot=False)),
    ("deriv Heaviside(x) at -1,0.5,1,2", lambda: deriv("Heaviside(x)", at="-1,0.5,1,2", plot=False)),
    ("deriv max(x^2, 1) at 2", lambda: deriv("max(x^2, 1)", at="2", plot=False)),
    ("deriv max(0, x) numeric at -1,0,1", lambda: deriv("max(0, x)", at="-1,0,1", method="numeric", plot=False)),
    ("grad abs(x) + abs(y) at 0,0;1,2", lambda: grad("abs(x) + abs(y)", at="0,0;1,2", plot=False)),
    ("grad abs(x) + abs(y) critical", lambda: grad("abs(x) + abs(y)", critical=True, plot=False)),
    ("grad sqrt(x^2 + y^2) critical", lambda: grad("sqrt(x^2 + y^2)", critical=True, plot=False)),
    ("grad x^2/2 + cos(x) + y^2 + x critical", lambda: grad("x^2/2 + cos(x) + y^2 + x", critical=True, plot=False)),
    ("grad cos(x) + x^2/2 + sin(y) - y critical",
     lambda: grad("cos(x) + x^2/2 + sin(y) - y", critical=True, plot=False)),
    ("grad sin(x) + sin(y) + sin(x + y) critical",
     lambda: grad("sin(x) + sin(y) + sin(x + y)", critical=True, plot=False)),
    ("grad x^4/4 - 3x^2/2 + x + y^2 critical", lambda: grad("x^4/4 - 3x^2/2 + x + y^2", critical=True, plot=False)),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    slowest = ("", 0.0)
    for label, call in CALLS:
        seconds = warm_median(call, args.repeat)
        slowest = max(slowest, (label, seconds), key=lambda pair: pair[1])
        print(f"{label:<48} {seconds * 1000:8.1f} ms")
    print(f"slowest: {slowest[0]} ({slowest[1] * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
