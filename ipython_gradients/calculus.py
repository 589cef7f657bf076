"""Pure symbolic calculus: derivatives and what they say at points.

Nothing here knows about IPython; every function takes SymPy objects and returns data.
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Sequence

import sympy as sp

from .errors import ComputationTimeout
from .results import PointValue
from .timeouts import time_limit

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
    """What a SymPy value is, as a float where it is one.

    ("real", v); ("infinite", ±inf) for ±∞; ("overflow", None) for a finite value too large for a
    float (e^800); ("complex", None) off the real line; ("undefined", None) for 0/0, ∞ without a
    sign, or anything that does not evaluate to a number.
    """
    if value.has(sp.nan, sp.zoo):
        return "undefined", None
    if value.is_infinite:  # oo·(-1)^(1/3) is a complex infinity, whatever N() makes of it
        return ("infinite", float(value)) if value in (sp.oo, -sp.oo) else ("complex", None)
    try:
        number = complex(sp.N(value, 20))
    except (TypeError, ValueError, RecursionError):
        return "undefined", None
    if cmath.isnan(number):
        return "undefined", None
    real = value.is_extended_real  # SymPy knows √(-1e-9) is not real, however small its imaginary part
    if real is False or (real is None and number.imag
                         and (math.isinf(number.imag) or abs(number.imag) > 1e-12 * abs(number.real))):
        return "complex", None
    if math.isinf(number.real):
        return ("overflow", None) if value.is_finite else ("infinite", number.real)
    return "real", number.real


def is_zero(value: sp.Expr, number: float) -> bool:
    """Exactly zero for exact input (x² at 1e-20 is not stationary); up to rounding for floats."""
    if value.has(sp.Float):
        return abs(number) < 1e-12
    exact = value.is_zero
    if exact is not None:
        return exact
    return abs(complex(sp.N(value, 50))) < 1e-40


def analyse_point(f: sp.Expr, x: sp.Symbol, order: int, point: sp.Expr,
                  derivative_expr: sp.Expr, partial: bool = False) -> PointValue:
    """The ``order``-th derivative of f (a function of x alone) at x = point, and what it means.

    A value is trusted directly only where f is smooth and defined on both sides; at a kink (|x|),
    a jump (sign x), a vertical tangent (∛x), or an edge of the domain (√x at 0), one-sided limits
    decide instead.
    """
    f_kind, _ = classify_number(f.subs(x, point))
    if f_kind in ("undefined", "infinite"):
        return PointValue(status="undefined", reason="f is not defined there (singularity)")
    if f_kind == "complex":
        return PointValue(status="undefined", reason="outside the domain of f")

    kind, number = classify_number(derivative_expr.subs(x, point))
    if kind == "overflow":
        return PointValue(status="undefined", reason=f"the value, about {sp.N(derivative_expr.subs(x, point), 4)}, "
                                                     "is too large for floating point")
    lower = f if order == 1 else sp.diff(f, x, order - 1)
    left_defined, right_defined = defined_sides(f, x, point)
    smooth = not lower.has(*NON_SMOOTH) and not derivative_expr.has(sp.Derivative)
    if kind == "real" and smooth and left_defined and right_defined:
        return PointValue(status="ok", value=number,
                          meaning=_meaning(f, x, order, point, derivative_expr, number, partial))

    if not smooth and is_jump(lower, x, point):
        what = "f" if order == 1 else "f" + "'" * (order - 1)
        return PointValue(status="not differentiable", reason=f"jump: {what} is not continuous there")
    left, right = one_sided_derivatives(lower, x, point)
    left, right = (left if left_defined else None), (right if right_defined else None)
    if left is None and right is None:
        if kind == "real" and left_defined and right_defined:  # SymPy could not take the limits
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


# How far on each side of a point f is checked to be defined: a domain edge is closer than this.
SIDE_PROBE = sp.Rational(1, 10**9)


def defined_sides(f: sp.Expr, x: sp.Symbol, point: sp.Expr) -> tuple[bool, bool]:
    """Whether f is real just left and just right of the point (False at an edge of the domain)."""
    step = SIDE_PROBE * max(1, abs(sp.N(point)))
    return tuple(classify_number(f.subs(x, point + side * step))[0] in ("real", "overflow") for side in (-1, 1))


def is_jump(g: sp.Expr, x: sp.Symbol, point: sp.Expr) -> bool:
    """Whether g has a jump at the point: a one-sided limit that exists and differs from g there."""
    kind, at_point = classify_number(g.subs(x, point))
    for direction in ("-", "+"):
        limit = bounded_limit(g, x, point, direction)
        if limit is None:
            continue
        side_kind, side = classify_number(limit) if not limit.has(sp.Limit) else ("undefined", None)
        if side_kind == "real" and (kind != "real" or abs(side - at_point) > 1e-12 * max(1.0, abs(side))):
            return True
    return False


# SymPy's limit() can take minutes on a hard expression: each one gets this long, then counts as
# "could not take the limit" (the caller has an answer for that), so one point never eats the timeout.
LIMIT_SECONDS = 2.0


def bounded_limit(expr: sp.Expr, variable: sp.Symbol, point, direction: str):
    """sp.limit within LIMIT_SECONDS, or None when SymPy fails or takes longer."""
    try:
        with time_limit(LIMIT_SECONDS, "a one-sided limit"):
            return sp.limit(expr, variable, point, direction)
    except (ComputationTimeout, NotImplementedError, ValueError, TypeError, RecursionError, ZeroDivisionError):
        return None


def one_sided_derivatives(g: sp.Expr, x: sp.Symbol, point: sp.Expr) -> tuple[float | None, float | None]:
    """Left and right derivatives of g at point from the limits of its difference quotient.

    None stands for a side where the limit does not exist or is not real (outside the domain).
    """
    h = sp.Dummy("h", positive=True)
    g_at_point = g.subs(x, point)
    sides = []
    for step in (-h, h):
        quotient = (g.subs(x, point + step) - g_at_point) / step
        limit = bounded_limit(quotient, h, 0, "+")
        if limit is None:
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
    zero = is_zero(derivative_expr.subs(x, point), number) if smooth else number == 0
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
    if not f.has(x):
        return "f is constant"
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


def definiteness(eigenvalues: Sequence[float], relative: float = 1e-13, absolute: float = 0.0) -> str:
    """'positive definite', 'negative definite', 'indefinite', or semidefinite, from eigenvalues.

    For eigenvalues known as floats: an eigenvalue counts as zero within ``relative`` × the largest
    (their rounding) or within ``absolute`` (a numeric Hessian's own error). A Hessian given exactly
    is judged exactly instead (``exact_definiteness``): 10⁻¹⁴ is not zero there.
    """
    zero = max(relative * max([0.0] + [abs(e) for e in eigenvalues]), absolute)
    positive = sum(e > zero for e in eigenvalues)
    negative = sum(e < -zero for e in eigenvalues)
    if eigenvalues and positive == len(eigenvalues):
        return "positive definite"
    if eigenvalues and negative == len(eigenvalues):
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


def is_continuous_near(derivative_expr: sp.Expr, variables: Sequence[sp.Symbol],
                                point: Sequence[sp.Expr]) -> bool:
    """Whether a (partial) derivative agrees with itself just off the point, diagonally.

    Where |x y| has a kink, SymPy's sign(0) = 0 makes ∂²/∂x∂y look like 0; the values a little way
    off in the four diagonal directions (1, -1 and -1, 1 among them) tell the kink apart.
    """
    step = SIDE_PROBE * 1000
    values = []
    for signs in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
        offset = {v: c + signs[i % 2] * step for i, (v, c) in enumerate(zip(variables, point))}
        kind, number = classify_number(derivative_expr.subs(offset))
        if kind != "real":
            return False
        values.append(number)
    return max(values) - min(values) <= 1e-6 * max(1.0, max(map(abs, values)))


# --- tangents -----------------------------------------------------------------------------------

def taylor_coefficients(f: sp.Expr, x: sp.Symbol, point: sp.Expr, degree: int) -> list[sp.Expr] | None:
    """f⁽ᵏ⁾(a)/k! for k = 0..degree (the tangent line for degree 1); None if one is undefined."""
    coefficients = []
    current = f
    for k in range(degree + 1):
        value = current.subs(x, point)
        if classify_number(value)[0] != "real":
            return None
        coefficients.append(value / sp.factorial(k))
        current = sp.diff(current, x)
    return coefficients


def plane_coefficients(f: sp.Expr, variables: Sequence[sp.Symbol], point: Sequence[sp.Expr]) -> list[sp.Expr] | None:
    """[f(a,b), f_x(a,b), f_y(a,b)] for the tangent plane; None if one is undefined."""
    substitutions = dict(zip(variables, point))
    values = [f.subs(substitutions)] + [sp.diff(f, v).subs(substitutions) for v in variables]
    return None if any(classify_number(v)[0] != "real" for v in values) else values


# --- exact signs and definiteness (critical points) ---------------------------------------------

# Digits at which an exact number is evaluated to read its sign: a number whose value there is
# below SIGN_ZERO is zero unless SymPy proves otherwise.
SIGN_DIGITS = 60
SIGN_ZERO = 1e-45
# How long SymPy may try to prove that a number which is zero to SIGN_DIGITS digits is exactly zero.
ZERO_PROOF_SECONDS = 2.0


def sign_of(value: sp.Expr) -> int | None:
    """The sign of a real number given exactly: 1, -1 or 0, or None when SymPy cannot decide.

    SymPy's assumptions decide first; then the value at SIGN_DIGITS digits (evalf keeps its digits
    correct, so a value well away from zero has a certain sign); a value that is zero to those digits
    counts as 0 only when SymPy proves it (``equals(0)``), else the answer is None.
    """
    value = sp.sympify(value)
    if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return None
    try:
        if value.is_zero:
            return 0
        if value.is_positive:
            return 1
        if value.is_negative:
            return -1
        real, imaginary = value.evalf(SIGN_DIGITS).as_real_imag()
        real, imaginary = complex(real).real, complex(imaginary).real
    except (TypeError, ValueError, RecursionError):
        return None
    if abs(imaginary) > SIGN_ZERO * max(1.0, abs(real)):
        return None  # not a real number
    if abs(real) > SIGN_ZERO:
        return 1 if real > 0 else -1
    try:
        with time_limit(ZERO_PROOF_SECONDS, "proving a number is zero"):
            proved = value.equals(0)
    except (ComputationTimeout, TypeError, ValueError, NotImplementedError, RecursionError):
        proved = None
    return 0 if proved else None


def eigenvalue_signs(matrix: sp.Matrix) -> tuple[int, int, int] | None:
    """(positive, negative, zero) eigenvalue counts of a real symmetric matrix given exactly.

    From the signs of the characteristic polynomial's coefficients: its roots are all real, so
    Descartes' rule of signs counts the positive roots exactly (and those of p(-λ) the negative
    ones); zero roots are the trailing zero coefficients. None when a coefficient's sign is unknown.
    """
    n = matrix.rows
    coefficients = matrix.charpoly(sp.Dummy("lambda")).all_coeffs()
    signs = [sign_of(c) for c in coefficients]
    if any(s is None for s in signs):
        return None
    zero = 0
    while signs and signs[-1] == 0:
        signs.pop()
        zero += 1

    def changes(sequence):
        nonzero = [s for s in sequence if s]
        return sum(a != b for a, b in zip(nonzero, nonzero[1:]))

    positive = changes(signs)
    degree = len(signs) - 1
    negative = changes([s * (-1) ** (degree - k) for k, s in enumerate(signs)])
    if positive + negative + zero != n:  # cannot happen for a symmetric matrix: refuse rather than guess
        return None
    return positive, negative, zero


def definiteness_from_counts(positive: int, negative: int, zero: int) -> str:
    """The definiteness word for eigenvalue sign counts (as ``definiteness`` names it)."""
    if positive and negative:
        return "indefinite"
    if positive:
        return "positive definite" if not zero else "positive semidefinite"
    if negative:
        return "negative definite" if not zero else "negative semidefinite"
    return "zero"


def exact_definiteness(matrix: sp.Matrix) -> str | None:
    """``definiteness`` for a Hessian given exactly (x² + 10⁻¹⁴ y² is positive definite), or None."""
    counts = eigenvalue_signs(matrix)
    return None if counts is None else definiteness_from_counts(*counts)
