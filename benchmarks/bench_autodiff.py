"""Cost of the three ways to differentiate, and of --against jax.

Run: python benchmarks/bench_autodiff.py

Prints, measured in this run (CPU time, medians of turns: ``timing.paired_medians``):
- for n = 2, 5, 10, 20, 50 variables: warm ``grad(f, at=point, method=...)`` (the whole API call: parse,
  differentiate, evaluate, the result) for method symbolic, numeric and autodiff, where
  f = Σ sin(xᵢ xᵢ₊₁) + xᵢ² e^(−xᵢ/2) is a chain of n variables (about 7n elementary operations);
- the engines alone for the same f: SymPy's n partial derivatives then their values at the point, the
  numeric engine's gradient (a lambdified f, extrapolated differences per coordinate), and one reverse
  sweep in floating point (building the graph included, then the sweep alone);
- ``--against jax`` per point: ``grad(loss, at=k points, against="jax")`` less the same call without
  --against, divided by k, for a traced logistic loss of two parameters; and JAX's own
  ``jax.grad(loss)`` call per point for comparison.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import paired_medians  # noqa: E402

from ipython_gradients import api, numeric  # noqa: E402
from ipython_gradients.autodiff import Graph  # noqa: E402
from ipython_gradients.expressions import parse_expression  # noqa: E402


def chain(n: int) -> str:
    terms = [f"x{i}^2 exp(-x{i}/2)" for i in range(1, n + 1)]
    terms += [f"sin(x{i} x{i + 1})" for i in range(1, n)]
    return " + ".join(terms)


def point(n: int) -> str:
    return ",".join(f"{0.1 * (i % 7) + 0.3:.1f}" for i in range(n))


def api_times(n: int, repeat: int) -> list[float]:
    text, at = chain(n), point(n)
    calls = [lambda m=m: api.grad(text, at=at, method=m, plot=False, timeout=120)
             for m in ("symbolic", "numeric", "autodiff")]
    return paired_medians(calls, repeat)


def engine_times(n: int, repeat: int) -> list[float]:
    variables = sp.symbols(f"x1:{n + 1}", real=True)
    expr = parse_expression(chain(n), symbols={v.name: v for v in variables})
    coordinates = [float(c) for c in point(n).split(",")]
    at = dict(zip(variables, coordinates))

    def symbolic():
        return [float(sp.diff(expr, v).subs(at)) for v in variables]

    def numeric_gradient():
        f = sp.lambdify(variables, expr, "numpy")
        return numeric.gradient(f, coordinates, False, "f")

    def autodiff():
        return Graph.of(expr, variables).reverse(coordinates, exact=False)

    graph = Graph.of(expr, variables)

    def sweep_only():
        return graph.reverse(coordinates, exact=False)

    found = autodiff().gradient
    assert np.allclose([float(g) for g in found], symbolic(), rtol=1e-12)
    return paired_medians([symbolic, numeric_gradient, autodiff, sweep_only], repeat) + [len(graph.nodes)]


def against_jax(points: int, repeat: int) -> tuple[float, float]:
    import jax
    import jax.numpy as jnp

    def loss(w, b):
        return jnp.log(1 + jnp.exp(-(2 * w + b))) + 0.5 * w ** 2

    at = ";".join(f"{0.1 * k:.1f},{1 - 0.05 * k:.2f}" for k in range(points))
    with_against, without = paired_medians(
        [lambda: api.grad(loss, at=at, against="jax", plot=False), lambda: api.grad(loss, at=at, plot=False)],
        repeat)
    grad = jax.grad(loss, argnums=(0, 1))
    (their_call,) = paired_medians([lambda: grad(jnp.asarray(0.5), jnp.asarray(1.0))], repeat * 10)
    return (with_against - without) / points, their_call


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("grad() of the chain of n variables, whole API call (ms): symbolic | numeric | autodiff")
    for n in (2, 5, 10, 20, 50):
        times = api_times(n, args.repeat)
        print(f"  n = {n:2d}: " + " | ".join(f"{1000 * t:8.1f}" for t in times))
    print("engines alone (ms): symbolic (diff + values) | numeric gradient | autodiff (graph + sweep) | sweep only"
          " | nodes")
    for n in (2, 5, 10, 20, 50):
        *times, nodes = engine_times(n, args.repeat)
        print(f"  n = {n:2d}: " + " | ".join(f"{1000 * t:8.2f}" for t in times) + f" | {nodes}")
    try:
        per_point, theirs = against_jax(10, args.repeat)
    except ImportError:
        print("--against jax: JAX is not installed (pip install 'ipython_gradients[jax]')")
        return
    print(f"--against jax: {1000 * per_point:.1f} ms per point (JAX's own jax.grad call: {1000 * theirs:.2f} ms)")


if __name__ == "__main__":
    main()
