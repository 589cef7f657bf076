"""Pure symbolic calculus: derivatives and what they say at points.

Nothing here knows about IPython; every function takes SymPy objects and returns data.
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Sequence

import sympy as sp

from .results import PointValue

# Functions whose derivative SymPy evaluates at a kink as if nothing happened (sign(0) = 0,
# Heaviside(0) = 1/2): at points where these appear, one-sided limits decide instead.
NON_SMOOTH = (sp.Abs, sp.sign, sp.Heaviside, sp.Piecewise, sp.Max, sp.Min, sp.floor, sp.ceiling, sp.frac)
# How far the higher-derivative test looks before calling a stationary point inconclusive.
MAX_TEST_ORDER = 8


def derivative(expr: sp.Expr, wrt: Sequence[sp.Symbol], simplify: bool = False) -> sp.Expr:
    """d^n expr / d wrt[0] ... d wrt[-1], optionally simplified."""
    result = sp.diff(expr, *wrt)
    return sp.simplify(result) if simplify else result


def classify_number(value: sp.Expr) -> tuple[str, float | None]:
    """("real", v), ("infinite", ±inf), ("complex", None) or ("undefined", None) for a SymPy value."""
    if value.has(sp.nan, sp.zoo):
        return "undefined", None
    if value.is_infinite:  # oo·(-1)^(1/3) is a complex infinity, whatever N() makes of it
        return ("infinite", float(value)) if value in (sp.oo, -sp.oo) else ("complex", None)
    try:
        number = complex(sp.N(value, 20))
    except (TypeError, ValueError):
        return "undefined", None
    if cmath.isnan(number):
        return "undefined", None
    if number.imag and (math.isinf(number.imag) or abs(number.imag) > 1e-12 * max(1.0, abs(number.real))):
        return "complex", None
    if math.isinf(number.real):
        return "infinite", number.real
    return "real", number.real


def is_zero(value: sp.Expr, number: float) -> bool:
    """Exactly zero, or zero up to the rounding of a floating-point input."""
    return bool(value.is_zero) or abs(number) < 1e-14


def analyse_point(f: sp.Expr, x: sp.Symbol, order: int, point: sp.Expr,
                  derivative_expr: sp.Expr, partial: bool = False) -> PointValue:
    """The ``order``-th derivative of f (a function of x alone) at x = point, and what it means.

    A value is trusted directly only where f is smooth; where f has a kink (|x|), a vertical
    tangent (√x at 0) or a domain edge, the one-sided limits of the difference quotient decide.
    """
    f_kind, _ = classify_number(f.subs(x, point))
    if f_kind in ("undefined", "infinite"):
        return PointValue(status="undefined", reason="f is not defined there (singularity)")
    if f_kind == "complex":
        return PointValue(status="undefined", reason="outside the domain of f")

    kind, number = classify_number(derivative_expr.subs(x, point))
    lower = f if order == 1 else sp.diff(f, x, order - 1)
    if kind == "real" and not lower.has(*NON_SMOOTH):
        return PointValue(status="ok", value=number,
                          meaning=_meaning(f, x, order, point, derivative_expr, number, partial))

    left, right = one_sided_derivatives(lower, x, point)
    if left is None and right is None:
        if kind == "real":  # SymPy could not take the limits: trust the plain value
            return PointValue(status="ok", value=number,
                              meaning=_meaning(f, x, order, point, derivative_expr, number, partial))
        return PointValue(status="undefined", reason="the derivative is not defined there")
    if left is not None and right is not None:
        if math.isfinite(left) and math.isfinite(right) and abs(left - right) <= 1e-12 * max(1.0, abs(left)):
            value = number if kind == "real" else (left + right) / 2
            return PointValue(status="ok", value=value,
                              meaning=_meaning(f, x, order, point, derivative_expr, value, partial,
                                               smooth=False))
        if math.isinf(left) and left == right:
            return PointValue(status="infinite", value=left, left=left, right=right,
                              reason="vertical tangent")
    return PointValue(status="not differentiable", left=left, right=right,
                      reason=_kink_reason(left, right), meaning=corner_meaning(order, left, right))


def one_sided_derivatives(g: sp.Expr, x: sp.Symbol, point: sp.Expr) -> tuple[float | None, float | None]:
    """Left and right derivatives of g at point from the limits of its difference quotient.

    None stands for a side where the limit does not exist or is not real (outside the domain).
    """
    h = sp.Dummy("h", positive=True)
    g_at_point = g.subs(x, point)
    sides = []
    for step in (-h, h):
        quotient = (g.subs(x, point + step) - g_at_point) / step
        try:
            limit = sp.limit(quotient, h, 0, "+")
        except (NotImplementedError, ValueError, TypeError, RecursionError):
            sides.append(None)
            continue
        kind, number = classify_number(limit) if not limit.has(sp.Limit) else ("undefined", None)
        sides.append(number if kind in ("real", "infinite") else None)
    return sides[0], sides[1]


def _kink_reason(left: float | None, right: float | None) -> str:
    if left is None or right is None:
        return "edge of the domain"
    if math.isinf(left) or math.isinf(right):
        return "cusp" if (math.isinf(left) and math.isinf(right)) else "vertical on one side"
    return "corner"


def corner_meaning(order: int, left: float | None, right: float | None) -> str:
    if order != 1 or left is None or right is None or math.isinf(left) or math.isinf(right):
        return ""
    if left < 0 < right:
        return "local minimum"
    if left > 0 > right:
        return "local maximum"
    return ""


def _meaning(f: sp.Expr, x: sp.Symbol, order: int, point: sp.Expr, derivative_expr: sp.Expr,
             number: float, partial: bool, smooth: bool = True) -> str:
    zero = is_zero(derivative_expr.subs(x, point), number) if smooth else abs(number) < 1e-14
    stationary = stationary_kind(f, x, point) if zero and smooth and not partial and order == 1 else ""
    return describe(order, number, zero, x.name if partial else None, stationary)


def describe(order: int, number: float, zero: bool, partial_in: str | None = None, stationary: str = "") -> str:
    """Words for a derivative's value: increasing/decreasing/stationary, or concavity."""
    in_x = f" in {partial_in}" if partial_in else ""
    if order == 1:
        if not zero:
            return ("increasing" if number > 0 else "decreasing") + in_x
        return "stationary" + in_x + (f": {stationary}" if stationary else "")
    if order == 2 and not partial_in:
        if zero:
            return "possible inflection point"
        return "concave up" if number > 0 else "concave down"
    return ""


def extremum_kind(order: int, number: float) -> str:
    """What a stationary point is when its first non-zero derivative has this order and value."""
    if order % 2:
        return "neither minimum nor maximum (inflection point)"
    return "local minimum" if number > 0 else "local maximum"


def stationary_kind(f: sp.Expr, x: sp.Symbol, point: sp.Expr) -> str:
    """Higher-derivative test at a stationary point: the first non-zero derivative decides."""
    current = sp.diff(f, x)
    for k in range(2, MAX_TEST_ORDER + 1):
        current = sp.diff(current, x)
        value = current.subs(x, point)
        kind, number = classify_number(value)
        if kind != "real":
            break
        if not is_zero(value, number):
            return extremum_kind(k, number)
    return "higher-derivative test inconclusive"


# --- several variables ----------------------------------------------------------------------

def gradient(expr: sp.Expr, variables: Sequence[sp.Symbol], simplify: bool = False) -> sp.Matrix:
    """∇f as a column vector of partial derivatives, in the order of ``variables``."""
    return sp.Matrix([derivative(expr, [v], simplify) for v in variables])


def hessian(expr: sp.Expr, variables: Sequence[sp.Symbol], simplify: bool = False) -> sp.Matrix:
    matrix = sp.hessian(expr, list(variables))
    return matrix.applyfunc(sp.simplify) if simplify else matrix


def jacobian(components: Sequence[sp.Expr], variables: Sequence[sp.Symbol], simplify: bool = False) -> sp.Matrix:
    matrix = sp.Matrix(list(components)).jacobian(list(variables))
    return matrix.applyfunc(sp.simplify) if simplify else matrix


def unit_vector(direction: Sequence[sp.Expr]) -> sp.Matrix:
    """The direction normalised to length 1 (exactly: (1, 1) becomes (√2/2, √2/2))."""
    vector = sp.Matrix(list(direction))
    length = sp.sqrt(sum(c**2 for c in vector))
    if length == 0:
        raise ValueError("a direction of length zero has no direction")
    return vector / length


def definiteness(eigenvalues: Sequence[float]) -> str:
    """'positive definite', 'negative definite', 'indefinite', or semidefinite, from eigenvalues."""
    scale = max([1.0] + [abs(e) for e in eigenvalues])
    positive = sum(e > 1e-10 * scale for e in eigenvalues)
    negative = sum(e < -1e-10 * scale for e in eigenvalues)
    if positive == len(eigenvalues):
        return "positive definite"
    if negative == len(eigenvalues):
        return "negative definite"
    if positive and negative:
        return "indefinite"
    if positive:
        return "positive semidefinite"
    if negative:
        return "negative semidefinite"
    return "zero"


def critical_kind(matrix_definiteness: str) -> str:
    """Second-derivative test at a critical point, from the Hessian's definiteness."""
    return {"positive definite": "local minimum", "negative definite": "local maximum",
            "indefinite": "saddle point"}.get(matrix_definiteness, "degenerate (test inconclusive)")


def solve_critical_points(gradient_vector: sp.Matrix, variables: Sequence[sp.Symbol]):
    """Exact real solutions of ∇f = 0: (points, families), or None when SymPy cannot say.

    ``families`` are solutions that leave a variable free (a line of minima of x² in the plane).
    """
    try:
        solutions = sp.solve(list(gradient_vector), list(variables), dict=True)
    except (NotImplementedError, ValueError, TypeError, RecursionError):
        return None
    points, families = [], []
    for solution in solutions:
        if any(isinstance(v, sp.Set) for v in solution.values()):
            return None
        values = [solution.get(v, v) for v in variables]
        free = [v for v in variables if v not in solution]
        if any(value.free_symbols - set(free) for value in values):
            return None
        if free:
            families.append(solution)
            continue
        numbers = [classify_number(value) for value in values]
        if all(kind == "real" for kind, _ in numbers):
            points.append(tuple(values))
    return points, families
