"""Pure symbolic calculus: derivatives and what they say at points.

Nothing here knows about IPython; every function takes SymPy objects and returns data.
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import sympy as sp

from .branches import (
    SWITCHING,
    Undecided,
    bounded_limit,
    branches,
    exact_sign,
    has_switches,
    oscillates,
    side_limit,
    side_sign,
    smooth_near,
    value_at,
)
from .errors import ComputationTimeout
from .results.values import PointValue
from .timeouts import time_limit

# Functions whose derivative SymPy evaluates at a kink as if nothing happened (sign(0) = 0,
# Heaviside(0) = 1/2): at points where these appear, one-sided limits decide instead.
NON_SMOOTH = SWITCHING
# How far the higher-derivative test looks before calling a stationary point inconclusive.
MAX_TEST_ORDER = 8


def derivative(expr: sp.Expr, wrt: Sequence[sp.Symbol], simplify: bool = False) -> sp.Expr:
    """d^n expr / d wrt[0] ... d wrt[-1], optionally simplified, without the terms c·δ(u) whose factor c
    vanishes wherever u does (2x²·δ(x) from x²·sign(x)): they are 0, as distributions and as values."""
    result = drop_null_deltas(sp.diff(expr, *wrt))
    return sp.simplify(result) if simplify else result


def drop_null_deltas(expr: sp.Expr) -> sp.Expr:
    if not expr.has(sp.DiracDelta):
        return expr

    def null(term: sp.Expr) -> bool:
        deltas = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.DiracDelta) and len(f.args) == 1]
        if len(deltas) != 1 or len(deltas[0].args[0].free_symbols) != 1:
            return False
        u = deltas[0].args[0]
        (v,) = u.free_symbols
        try:
            zeros = sp.solve(u, v)
        except (NotImplementedError, ValueError, TypeError):
            return False
        rest = term / deltas[0]
        if rest.has(sp.sign, sp.Heaviside, sp.DiracDelta, sp.floor, sp.ceiling, sp.Piecewise):
            return False  # (sign(0) = 0 is a convention, not a continuous 0: sign(x)·δ(x) stays)
        return bool(zeros) and all(sp.simplify(rest.subs(v, z)) == 0 for z in zeros)

    return expr.replace(lambda e: isinstance(e, sp.Mul) and e.has(sp.DiracDelta) and null(e), lambda e: sp.S.Zero)


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

    A value is trusted directly only where f is smooth and defined on both sides. Where f has
    switches (|x|, max, floor, Piecewise, ...), the piece f follows on each side decides; at a
    kink (|x|), a jump (sign x), a vertical tangent (∛x) or an edge of the domain (√x at 0),
    one-sided derivatives decide. A value is stated only where both sides agree. Raises
    ``Undecided`` where SymPy cannot decide a side (the caller computes numerically and says so).
    """
    f_kind, _ = classify_number(value_at(f, {x: point}))
    if f_kind in ("undefined", "infinite"):
        return PointValue(status="undefined", reason="f is not defined there (singularity)")
    if f_kind == "complex":
        return PointValue(status="undefined", reason="outside the domain of f")
    left_defined, right_defined = defined_sides(f, x, point)
    if has_switches(f):
        left, right = branches(f, x, point)
        at_point = value_at(left, {x: point})
        if left == right and exact_sign(at_point) is not None and same_value(at_point, f.subs(x, point)):
            # the point is no switch of f: f is this one smooth piece around it
            found = analyse_point(left, x, order, point, sp.diff(left, x, order), partial)
            if found.meaning.endswith("f is constant"):  # the piece is; f is only near the point
                found = replace(found, meaning=found.meaning + " near there")
            return found
        return _one_sided_point(f, left if left_defined else None, right if right_defined else None,
                                x, order, point, partial)

    kind, number = classify_number(value_at(derivative_expr, {x: point}))
    if kind == "overflow":
        return PointValue(status="undefined", reason=f"the value, about {sp.N(derivative_expr.subs(x, point), 4)}, "
                                                     "is too large for floating point")
    if kind == "real" and left_defined and right_defined and not derivative_expr.has(sp.Derivative):
        return PointValue(status="ok", value=number,
                          meaning=_meaning(f, x, order, point, derivative_expr, number, partial))
    return _one_sided_point(f, f if left_defined else None, f if right_defined else None, x, order, point, partial)


def _one_sided_point(f: sp.Expr, left: sp.Expr | None, right: sp.Expr | None, x: sp.Symbol, order: int,
                     point: sp.Expr, partial: bool) -> PointValue:
    """The derivative at a point from the pieces f follows on each side (None: f is undefined there).

    f, f', ..., f^(order-1) must have the same one-sided values on both sides (and f its own value
    at the point); then the order-th one-sided derivatives decide: equal, a corner, a cusp, a
    vertical tangent, or the one side of an edge of the domain.
    """
    pieces = {side: g for side, g in ((-1, left), (1, right)) if g is not None}
    if not pieces:
        return PointValue(status="undefined", reason="the derivative is not defined there")
    common = f.subs(x, point)
    for k in range(order + 1):
        values = {side: one_sided_derivative(g, x, point, side, k, common) for side, g in pieces.items()}
        what = "f" + "'" * k
        if any(v is sp.nan for v in values.values()):  # x sin(1/x): the quotient oscillates
            if k == 0:
                return PointValue(status="not differentiable", reason="f has no limit there (it oscillates)")
            return PointValue(status="not differentiable",
                              reason=f"the difference quotient of {'f' + chr(39) * (k - 1)} oscillates: "
                                     f"{what} does not exist there")
        if k == order:
            break
        reference = common if k == 0 else next(iter(values.values()))
        if not all(same_value(v, reference) for v in values.values()):
            sides = list(values.values())
            if k == 0 and all(same_value(v, sides[0]) for v in sides) and len(sides) == 2:
                return PointValue(status="not differentiable",
                                  reason="removable discontinuity: f is not continuous there")
            return PointValue(status="not differentiable", reason=f"jump: {what} is not continuous there")
        if reference in (sp.oo, -sp.oo):
            return PointValue(status="undefined", reason=f"{what} is infinite there, so higher derivatives "
                                                         "do not exist")
        common = reference
    numbers = {side: classify_number(v) for side, v in values.items()}
    if any(kind not in ("real", "infinite") for kind, _ in numbers.values()):
        raise Undecided("a one-sided derivative is not a real number")
    left_value = numbers[-1][1] if -1 in numbers else None
    right_value = numbers[1][1] if 1 in numbers else None
    if len(values) == 2 and same_value(values[-1], values[1]):
        if values[1] in (sp.oo, -sp.oo):
            return PointValue(status="infinite", value=right_value, left=left_value, right=right_value,
                              reason="vertical tangent")
        exact = values[1]
        zero = exact_sign(exact) == 0
        stationary = ""
        if zero and order == 1 and not partial:
            stationary = sided_extremum(f, pieces, x, point) or "test inconclusive"
        return PointValue(status="ok", value=right_value,
                          meaning=describe(order, right_value, zero, x.name if partial else None, stationary))
    meaning = sided_extremum(f, pieces, x, point) if order == 1 and len(values) == 2 and not partial else ""
    return PointValue(status="not differentiable", left=left_value, right=right_value,
                      reason=_kink_reason(left_value, right_value), meaning=meaning)


def one_sided_derivative(g: sp.Expr, x: sp.Symbol, point: sp.Expr, side: int, k: int, lower: sp.Expr) -> sp.Expr:
    """The k-th derivative at the point from one side of the smooth piece g (exact, or ±oo).

    ``lower`` is the (k-1)-th derivative's value at the point, already known to be the same from
    this side. The derivative's own value or one-sided limit decides (by the mean value theorem
    they are the one-sided derivative when they exist), else the limit of the difference quotient.
    Raises ``Undecided`` when none can be taken.
    """
    if k == 0:
        return side_limit(g, x, point, side)
    derivative_expr = sp.diff(g, x, k)
    try:
        limit = side_limit(derivative_expr, x, point, side)
        if limit is not sp.nan:  # f' oscillating (x² sin(1/x)) says nothing: the quotient decides
            return limit
    except Undecided:
        pass
    h = sp.Dummy("h", positive=True)
    below = sp.diff(g, x, k - 1)
    quotient = (below.subs(x, point + side * h) - lower) / (side * h)
    limit = bounded_limit(quotient, h, 0, "+")
    if oscillates(limit):
        return sp.nan  # the quotient keeps moving between two bounds: no limit, no derivative
    if limit is None or limit.has(sp.Limit, sp.AccumBounds) or (
            exact_sign(limit) is None and limit not in (sp.oo, -sp.oo)):
        raise Undecided(f"cannot take the one-sided derivative of {g} at {point}")
    return limit


def same_value(a: sp.Expr, b: sp.Expr) -> bool:
    """Whether two exact values (numbers or ±oo) are equal: exactly, or to 40 digits."""
    a, b = sp.sympify(a), sp.sympify(b)
    if a in (sp.oo, -sp.oo) or b in (sp.oo, -sp.oo):
        return a == b
    difference = exact_sign(a - b)
    if difference is None:
        raise Undecided(f"cannot compare {a} and {b}")
    if difference == 0:
        return True
    scale = max(1.0, abs(complex(sp.N(a, 30))), abs(complex(sp.N(b, 30))))
    return abs(complex(sp.N(a - b, 50))) < 1e-30 * scale


def sided_extremum(f: sp.Expr, pieces: dict, x: sp.Symbol, point: sp.Expr) -> str:
    """Whether f has a local extremum at the point, from the sign of f - f(point) on each side."""
    if len(pieces) != 2:
        return ""
    at = f.subs(x, point)
    try:
        signs = [side_sign(g - at, x, point, side) for side, g in sorted(pieces.items())]
    except Undecided:
        return ""
    return extremum_from_sides(*signs)


def extremum_from_sides(left: int, right: int) -> str:
    """Words for a point where f - f(a) has sign ``left`` just left of it and ``right`` just right.

    The one vocabulary of symbolic and numeric answers (``sided_extremum``, the numeric side test).
    """
    if left == right == 0:
        return "f is constant near there"
    if left * right < 0:
        return "neither minimum nor maximum"
    kind = "local minimum" if max(left, right) > 0 else "local maximum"
    return kind + (", not strict (f is constant on one side)" if 0 in (left, right) else "")


# How far on each side of a point f is checked to be defined: a domain edge is closer than this.
SIDE_PROBE = sp.Rational(1, 10**9)


def defined_sides(f: sp.Expr, x: sp.Symbol, point: sp.Expr) -> tuple[bool, bool]:
    """Whether f is real just left and just right of the point (False at an edge of the domain)."""
    step = SIDE_PROBE * max(1, abs(sp.N(point)))
    return tuple(classify_number(value_at(f, {x: point + side * step}))[0] in ("real", "overflow") for side in (-1, 1))


def _kink_reason(left: float | None, right: float | None) -> str:
    if left is None or right is None:
        return "edge of the domain"
    if math.isinf(left) or math.isinf(right):
        return "cusp" if (math.isinf(left) and math.isinf(right)) else "vertical on one side"
    return "corner"


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


@dataclass(frozen=True)
class LocalGradient:
    """What f's first partial derivatives are at a point of a function with switches (|x| + |y|).

    ``piece``: f is this one smooth expression on a neighbourhood of the point (exact gradient and
    Hessian from it). Else the point is on a switch: ``gradient`` holds the partials where each
    exists and every directional derivative checked agrees with them (``caveat`` says what was
    checked), or ``reason`` says why f is not differentiable there.
    """

    piece: sp.Expr | None = None
    gradient: tuple[float, ...] | None = None
    reason: str = ""
    caveat: str = ""


def local_gradient(f: sp.Expr, variables: Sequence[sp.Symbol], point: Sequence[sp.Expr]) -> LocalGradient:
    """The smooth piece of f around a point, or its one-sided analysis there. Raises ``Undecided``."""
    substitutions = dict(zip(variables, point))
    try:
        return LocalGradient(piece=smooth_near(f, substitutions))
    except Undecided:
        pass
    values = []
    for v in variables:
        restricted = f.subs({w: c for w, c in substitutions.items() if w != v})
        along = analyse_point(restricted, v, 1, substitutions[v], sp.diff(restricted, v), partial=True)
        if along.status != "ok":
            return LocalGradient(reason=f"not differentiable there: the partial derivative in {v} does not exist "
                                        f"({_one_sided_words(along)})")
        values.append(along.value)
    t = sp.Dummy("t", real=True)
    checked = []
    for direction in _test_directions(len(variables)):
        line = f.subs({v: c + d * t for v, c, d in zip(variables, point, direction)}, simultaneous=True)
        along = analyse_point(line, t, 1, sp.S.Zero, sp.diff(line, t))
        expected = sum(g * d for g, d in zip(values, direction))
        shown = "(" + ", ".join(str(d) for d in direction) + ")"
        if along.status != "ok":
            return LocalGradient(reason=f"not differentiable there: along the direction {shown} "
                                        f"{_one_sided_words(along)}")
        if abs(along.value - expected) > 1e-9 * max(1.0, abs(expected)):
            return LocalGradient(reason=f"not differentiable there: the slope along the direction {shown} is "
                                        f"{along.value:.6g}, not the gradient's {expected:.6g}")
        checked.append(shown)
    return LocalGradient(gradient=tuple(values), caveat=(
        "f changes pieces at this point; its partial derivatives exist there and the slopes along "
        f"{len(checked)} directions agree with the gradient, which supports but does not prove differentiability"))


def _one_sided_words(value: PointValue) -> str:
    if value.status == "not differentiable" and value.left is not None and value.right is not None:
        return f"{value.reason}: left slope {value.left:.6g}, right slope {value.right:.6g}"
    return value.reason or value.status


def _test_directions(n: int) -> list[tuple[int, ...]]:
    """Directions through a point along which a switch would show: pairs of axes, at several angles."""
    directions = []
    for i in range(n):
        for j in range(i + 1, n):
            for a, b in ((1, 1), (1, -1), (1, 2), (2, 1), (1, -2), (2, -1)):
                d = [0] * n
                d[i], d[j] = a, b
                directions.append(tuple(d))
    if n > 2:
        directions.append((1,) * n)
    return directions


def is_continuous_near(derivative_expr: sp.Expr, variables: Sequence[sp.Symbol],
                                point: Sequence[sp.Expr]) -> bool:
    """Whether a (partial) derivative agrees with itself just off the point, diagonally.

    Where |x y| has a kink, SymPy's sign(0) = 0 makes ∂²/∂x∂y look like 0; the values a little way
    off in the four diagonal directions (1, -1 and -1, 1 among them) tell the kink apart. A jump keeps
    its size when the step shrinks a thousandfold; a derivative that merely varies (2y beside |x|, at
    (-8, 1)) changes a thousand times less. The points are 30-digit floats: exact rationals with
    ten-digit denominators in a variable exponent (|2x|^x) take SymPy minutes to evaluate.
    """
    spreads = []
    for step in (SIDE_PROBE * 1000, SIDE_PROBE):
        values = []
        for signs in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
            offset = {v: sp.Float(c + signs[i % 2] * step, 30) for i, (v, c) in enumerate(zip(variables, point))}
            kind, number = classify_number(derivative_expr.subs(offset))
            if kind != "real":
                return False
            values.append(number)
        spreads.append((max(values) - min(values), max(map(abs, values))))
    (wide, size), (narrow, _) = spreads
    return wide <= 1e-6 * max(1.0, size) or narrow <= wide / 100


# --- tangents -----------------------------------------------------------------------------------

def taylor_coefficients(f: sp.Expr, x: sp.Symbol, point: sp.Expr, degree: int) -> list[sp.Expr] | None:
    """f⁽ᵏ⁾(a)/k! for k = 0..degree (the tangent line for degree 1); None if one is undefined.

    Where f has switches, each derivative must be the same from both sides (raises ``Undecided``
    where a side cannot be told).
    """
    switched = has_switches(f)
    pieces = branches(f, x, point) if switched else (f, f)
    coefficients = []
    lower = f.subs(x, point)
    for k in range(degree + 1):
        if switched:
            sides = [one_sided_derivative(g, x, point, side, k, lower) for g, side in zip(pieces, (-1, 1))]
        else:
            sides = [sp.diff(f, x, k).subs(x, point)] * 2
        value = sides[1]
        if any(classify_number(v)[0] != "real" for v in sides) or not same_value(sides[0], value) or (
                k == 0 and not same_value(value, lower)):
            return None
        coefficients.append(value / sp.factorial(k))
        lower = value
    return coefficients


def plane_coefficients(f: sp.Expr, variables: Sequence[sp.Symbol], point: Sequence[sp.Expr],
                       local: LocalGradient | None = None) -> list[sp.Expr] | None:
    """[f(a,b), f_x(a,b), f_y(a,b)] for the tangent plane; None if one is undefined.

    Where f has switches, the smooth piece around the point gives them; on a switch itself, the
    partial derivatives where f is differentiable there (``local_gradient``, or ``local`` already
    found), else None.
    """
    substitutions = dict(zip(variables, point))
    height = f.subs(substitutions)
    if has_switches(f):
        local = local or local_gradient(f, variables, point)
        if local.piece is None:
            if local.gradient is None:
                return None
            values = [height] + [sp.Float(g) for g in local.gradient]
            return None if any(classify_number(v)[0] != "real" for v in values) else values
        f = local.piece
    values = [height] + [sp.diff(f, v).subs(substitutions) for v in variables]
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
