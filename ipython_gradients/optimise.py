"""Optimisation on numbers: Newton's method for the zeros of a gradient, and gradient descent.

Owns the iterations only: the gradient and Hessian come in as functions (from the symbolic or the
numeric engine), so nothing here differentiates, parses or renders. ``critical.py`` verifies and
classifies what Newton's method finds; ``%grad --descent`` reports a ``DescentRun``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


def newton_critical_points(gradient_func: Callable, hessian_func: Callable, box: list[tuple[float, float]],
                           starts_per_axis: int = 7, iterations: int = 60, merge: float = 1e-6,
                           settle: float = 1e-10, tolerance: float | None = None,
                           max_starts: int = 400) -> list[np.ndarray]:
    """Zeros of ∇f inside ``box`` by Newton's method from a grid of starting points, without repeats.

    A point counts only where |∇f| is small: below ``tolerance`` (absolute) when given, else 10⁻¹²
    of the point's size. Newton's method stops when its step becomes negligible (``settle`` × the
    box) too, as it converges slowly to a degenerate point; a point where a singular Hessian made the
    step vanish while ∇f did not is not a zero and is dropped. Points within ``merge`` × the box of
    each other, or within ten Newton steps of one that converged slowly, are one: the one with the
    smallest |∇f| is kept. A grid with more than ``max_starts`` points is never built: that many
    points of the box are sampled instead (fixed, so the answer does not change between runs).
    """
    n = len(box)
    lows, highs = np.array(box, dtype=float).T
    if starts_per_axis ** n <= max_starts:
        axes = [np.linspace(low, high, starts_per_axis) for low, high in box]
        grid = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, n)
    else:  # many variables: a fixed pseudo-random sample of the box instead
        grid = lows + (highs - lows) * np.random.default_rng(0).random((max_starts, n))
    scale = float(np.max(highs - lows))
    found: list[tuple[np.ndarray, float]] = []
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for start in grid:
            point = start.astype(float)
            settled = False  # the Newton step has become negligible (slow convergence at a degenerate point)
            for _ in range(iterations):
                g = np.asarray(gradient_func(*point), dtype=float).ravel()
                if not np.all(np.isfinite(g)):
                    break
                norm = float(np.linalg.norm(g))
                small = norm <= tolerance if tolerance is not None else norm < 1e-12 * max(1.0, np.linalg.norm(point))
                if small or settled:
                    if not small:
                        break  # the step vanished without ∇f doing so: a singular Hessian, not a zero
                    point = np.where(np.abs(point) < 1e-9 * scale, 0.0, point)  # -1e-13 is 0 here
                    inside = all(low - 1e-9 * scale <= c <= high + 1e-9 * scale for c, (low, high) in zip(point, box))
                    if inside:
                        _keep_best(found, point, norm, max(merge * scale, 10 * _newton_step(hessian_func, point, g)))
                    break
                try:
                    step = np.linalg.lstsq(np.asarray(hessian_func(*point), dtype=float), g, rcond=None)[0]
                except (np.linalg.LinAlgError, ValueError):
                    break
                point = point - step
                settled = bool(np.linalg.norm(step) < settle * scale)
    return sorted((p for p, _, _ in found), key=tuple)


def _newton_step(hessian_func: Callable, point: np.ndarray, g: np.ndarray) -> float:
    """The length of the Newton step left at a point: how far the zero may still be (more near a degenerate one)."""
    try:
        step = np.linalg.lstsq(np.asarray(hessian_func(*point), dtype=float), g, rcond=None)[0]
    except (np.linalg.LinAlgError, ValueError):
        return 0.0
    length = float(np.linalg.norm(step))
    return length if math.isfinite(length) else 0.0


def _keep_best(found: list, point: np.ndarray, norm: float, radius: float) -> None:
    """Add a point, or let it replace a near-duplicate (within either one's radius) with a larger |∇f|."""
    for index, (other, other_norm, other_radius) in enumerate(found):
        if np.linalg.norm(point - other) < max(radius, other_radius):
            if norm < other_norm:
                found[index] = (point, norm, max(radius, other_radius))
            return
    found.append((point, norm, radius))


@dataclass(frozen=True)
class DescentRun:
    """The iterates of gradient descent and how it ended."""

    path: np.ndarray  # (k + 1, n): the start, then each iterate
    values: np.ndarray  # f at each iterate
    status: str  # "converged", "diverged", "not converged"
    message: str


def gradient_descent(f: Callable, gradient_func: Callable, start, rate: float, iterations: int,
                     tolerance: float = 1e-8) -> DescentRun:
    """x ← x − rate·∇f(x), ``iterations`` times or until the step or the gradient is negligible.

    Divergence (values growing without bound, or leaving the domain) ends the run with a message
    instead of an overflow warning.
    """
    point = np.asarray(start, dtype=float)
    path, values = [point], [float(f(point))]
    first_norm = None
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for k in range(1, iterations + 1):
            g = np.asarray(gradient_func(point), dtype=float).ravel()
            if not np.all(np.isfinite(g)):
                return _descent(path, values, "diverged", f"the gradient is not defined at step {k - 1}")
            first_norm = first_norm if first_norm is not None else float(np.linalg.norm(g))
            if np.linalg.norm(g) <= tolerance * max(first_norm, 1e-300) or not np.any(g):
                return _descent(path, values, "converged", f"converged after {k - 1} steps: ∇f ≈ 0")
            point = point - rate * g
            value = float(f(point))
            path.append(point)
            values.append(value)
            if np.all(np.isfinite(point)) and not math.isfinite(value) and abs(value) != math.inf:
                return _descent(path, values, "diverged",
                                f"left the domain at step {k}: f is not defined at the new point (a smaller "
                                "rate keeps the steps shorter)")
            if not (np.all(np.isfinite(point)) and math.isfinite(value)) or abs(value) > 1e100 \
                    or np.linalg.norm(point) > 1e100:
                return _descent(path, values, "diverged",
                                f"diverged at step {k}: the values grow without bound (the rate {rate:g} "
                                "is too large for this function)")
            growing = len(values) > 10 and all(b > a for a, b in zip(values[-11:-1], values[-10:]))
            if growing and abs(value) > 1e3 * (1.0 + abs(values[0])):
                return _descent(path, values, "diverged",
                                f"diverged: f has grown at every step up to step {k} (the rate {rate:g} is too "
                                "large for this function)")
    gradient_norm = float(np.linalg.norm(np.asarray(gradient_func(point), dtype=float)))
    return _descent(path, values, "not converged",
                    f"not converged after {iterations} steps (|∇f| = {gradient_norm:.3g}): more --steps or a larger --rate")


def _descent(path, values, status, message) -> DescentRun:
    return DescentRun(np.array(path), np.array(values), status, message)
