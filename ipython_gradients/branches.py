"""Which smooth piece a non-smooth expression follows on each side of a point.

max(x, x²) is x just left of 1 and x² just right of it; |x| is -x left of 0 and x right of it;
floor(x) is 0 left of 1 and 1 right of it. Near a point, every Max, Min, Abs, sign, Heaviside,
floor, ceiling, frac and Piecewise is replaced by the branch it takes on one side, innermost first,
so what is left is an ordinary expression whose derivatives at the point are the one-sided ones.

Which branch a side takes comes from the sign of a smooth expression g just beside the point: the
sign of g(a) when it is not zero, else of the first derivative of g that is not zero there (exact,
with SymPy), else of g's values at a few points inside a guard band, at high precision, when they
all agree. Anything else raises ``Undecided``: the caller then says it does not know, or computes
numerically and says so. Nothing here knows about IPython, plots or results; SymPy only.
"""

from __future__ import annotations

import sympy as sp

from .errors import ComputationTimeout
from .timeouts import time_limit

# The functions whose branches this module resolves.
SWITCHING = (sp.Abs, sp.sign, sp.Heaviside, sp.DiracDelta, sp.Max, sp.Min, sp.floor, sp.ceiling, sp.frac,
             sp.Piecewise)
# Derivatives tried at a zero of g before its sign is decided from values instead.
MAX_SIGN_ORDER = 8
# Values this close to zero (at 50 digits) that SymPy cannot decide count as zero.
ZERO = sp.Float("1e-40", 50)
# The guard band: g's values at a + side·δ·scale for these δ (1e-4 to 7e-12) must all have the same sign.
# Irregular multipliers over six decades, so that an oscillation (x² cos(1/x)) shows both signs.
GUARD = tuple(sp.Rational(m, 10) / 10**j for j in range(4, 13, 2) for m in (10, 17, 29, 43, 71))


class Undecided(Exception):
    """The sign of an expression beside a point (which branch applies) could not be decided."""


def has_switches(expr: sp.Basic) -> bool:
    return isinstance(expr, sp.Basic) and expr.has(*SWITCHING)


def value_at(expr: sp.Expr, substitutions) -> sp.Expr:
    """expr with the substitutions made; nan where SymPy cannot even form the value (Max(0, nan))."""
    try:
        return expr.subs(substitutions)
    except (ValueError, TypeError, ZeroDivisionError):
        return sp.nan


def exact_sign(value: sp.Expr) -> int | None:
    """-1, 0 or 1 for a real number; None when it is not a finite real number or cannot be told."""
    value = sp.sympify(value)
    if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or value.free_symbols:
        return None
    if value.is_zero:
        return 0
    if value.is_extended_real is False:
        return None
    try:
        number = complex(sp.N(value, 50))
    except (TypeError, ValueError, RecursionError):
        return None
    if number != number or abs(number.imag) > 1e-30 * max(1.0, abs(number.real)):
        return None
    if value.is_positive:
        return 1
    if value.is_negative:
        return -1
    if abs(number.real) < ZERO:
        return 0
    return 1 if number.real > 0 else -1


def side_sign(g: sp.Expr, x: sp.Symbol, point: sp.Expr, side: int) -> int:
    """The sign of g on (point, point + side·δ) for every small enough δ > 0; g has no switches left.

    0 means g vanishes on that whole side (max(x, x) compares equal pieces). Raises ``Undecided``.
    """
    if not g.has(x):
        sign = exact_sign(g)
        if sign is None:
            raise Undecided(f"cannot tell the sign of {g}")
        return sign
    current = g
    for order in range(MAX_SIGN_ORDER + 1):
        sign = exact_sign(value_at(current, {x: point}))
        if sign is None:  # a singularity, or no closed form: values in the guard band decide
            break
        if sign:
            return sign * side ** order
        current = sp.diff(current, x)
    else:
        if sp.simplify(g) == 0:
            return 0
    return _guard_band_sign(g, x, point, side)


def _guard_band_sign(g: sp.Expr, x: sp.Symbol, point: sp.Expr, side: int) -> int:
    scale = max(sp.Integer(1), abs(sp.nsimplify(sp.N(point, 30), rational=True)))
    signs = set()
    for delta in GUARD:
        sign = exact_sign(sp.N(value_at(g, {x: point + side * delta * scale}), 50))
        if sign is None:
            raise Undecided(f"cannot tell the sign of {g} beside x = {point}")
        signs.add(sign)
    if len(signs) != 1 or 0 in signs:
        raise Undecided(f"the sign of {g} beside x = {point} changes in the guard band")
    return signs.pop()


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


def oscillates(limit) -> bool:
    """Whether SymPy's answer for a limit says it keeps moving between bounds (sin(1/h), ∞·sign(⟨-1, 1⟩))."""
    if limit is None or not isinstance(limit, sp.Basic):
        return False
    bounds = limit.atoms(sp.AccumBounds)
    return bool(bounds) and any(b.min != b.max for b in bounds)


def side_limit(expr: sp.Expr, x: sp.Symbol, point: sp.Expr, side: int) -> sp.Expr:
    """The value a branch takes as x → point from one side: substitution, else SymPy's limit."""
    value = value_at(expr, {x: point})
    if exact_sign(value) is not None or value in (sp.oo, -sp.oo):
        return value
    limit = bounded_limit(expr, x, point, "+" if side > 0 else "-")
    if oscillates(limit):
        return sp.nan  # it oscillates between two bounds: there is no limit
    if limit is None or limit.has(sp.Limit, sp.AccumBounds) or (exact_sign(limit) is None
                                                                and limit not in (sp.oo, -sp.oo)):
        raise Undecided(f"cannot take the limit of {expr} as {x} → {point}")
    return limit


def branch(expr: sp.Expr, x: sp.Symbol, point: sp.Expr, side: int) -> sp.Expr:
    """The expression without switches that equals ``expr`` on (point, point + side·δ) for small δ > 0."""
    if not has_switches(expr):
        return expr
    if isinstance(expr, sp.Piecewise):
        for piece, condition in expr.args:
            if _holds(condition, x, point, side):
                return branch(piece, x, point, side)
        raise Undecided(f"no piece of {expr} applies beside x = {point}")
    args = [branch(a, x, point, side) if isinstance(a, sp.Expr) else a for a in expr.args]
    if isinstance(expr, (sp.Max, sp.Min)):
        better = 1 if isinstance(expr, sp.Max) else -1
        chosen = args[0]
        for candidate in args[1:]:
            if side_sign(candidate - chosen, x, point, side) == better:
                chosen = candidate
        return chosen
    if isinstance(expr, (sp.Abs, sp.sign, sp.Heaviside, sp.DiracDelta)):
        u = args[0]
        sign = side_sign(u, x, point, side)
        if isinstance(expr, sp.Abs):
            return sign * u
        if sign == 0:  # Heaviside(0), sign(0), δ(0) on a whole interval: a convention, not a value
            raise Undecided(f"{expr} is evaluated where its argument vanishes")
        if isinstance(expr, sp.sign):
            return sp.Integer(sign)
        if isinstance(expr, sp.Heaviside):
            return sp.Integer(1 if sign > 0 else 0)
        return sp.S.Zero  # DiracDelta away from its support
    if isinstance(expr, (sp.floor, sp.ceiling, sp.frac)):
        u = args[0]
        value = side_limit(u, x, point, side)
        if value in (sp.oo, -sp.oo) or value is sp.nan:
            raise Undecided(f"{expr} grows without bound beside x = {point}")
        whole = sp.floor(value)
        if whole == value:  # an integer: which side of it u goes
            sign = side_sign(u - value, x, point, side)
            floor_value = value if sign >= 0 else value - 1
            ceiling_value = value if sign <= 0 else value + 1
        else:
            floor_value, ceiling_value = whole, whole + 1
        if isinstance(expr, sp.floor):
            return floor_value
        if isinstance(expr, sp.ceiling):
            return ceiling_value
        return u - floor_value
    return expr.func(*args)


def _holds(condition, x: sp.Symbol, point: sp.Expr, side: int) -> bool:
    """Whether a Piecewise condition holds on a whole side of the point (just beside it)."""
    if condition in (sp.true, True):
        return True
    if condition in (sp.false, False):
        return False
    if isinstance(condition, sp.And):
        return all(_holds(c, x, point, side) for c in condition.args)
    if isinstance(condition, sp.Or):
        return any(_holds(c, x, point, side) for c in condition.args)
    if isinstance(condition, sp.Not):
        return not _holds(condition.args[0], x, point, side)
    if isinstance(condition, sp.core.relational.Relational):
        sign = side_sign(branch(condition.lhs - condition.rhs, x, point, side), x, point, side)
        return {"<": sign < 0, "<=": sign <= 0, ">": sign > 0, ">=": sign >= 0,
                "==": sign == 0, "!=": sign != 0}[condition.rel_op]
    raise Undecided(f"cannot decide the condition {condition}")


def branches(expr: sp.Expr, x: sp.Symbol, point: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """(left, right): the pieces ``expr`` follows just left and just right of the point."""
    return branch(expr, x, point, -1), branch(expr, x, point, 1)


def smooth_near(expr: sp.Expr, point: dict) -> sp.Expr:
    """The expression without switches that equals ``expr`` on a whole neighbourhood of a point.

    ``point`` maps every variable to a value. Each switch is decided by the sign of its argument at
    the point itself; where an argument vanishes (the point is on a kink or a jump of f), the
    neighbourhood has several pieces and this raises ``Undecided``.
    """
    if not has_switches(expr):
        return expr
    if isinstance(expr, sp.Piecewise):
        for piece, condition in expr.args:
            if _holds_at(condition, point):
                return smooth_near(piece, point)
        raise Undecided("no piece applies")
    args = [smooth_near(a, point) if isinstance(a, sp.Expr) else a for a in expr.args]

    def strict_sign(u):
        sign = exact_sign(value_at(u, point))
        if not sign:
            raise Undecided(f"{expr} switches at the point")
        return sign

    if isinstance(expr, (sp.Max, sp.Min)):
        better = 1 if isinstance(expr, sp.Max) else -1
        chosen = args[0]
        for candidate in args[1:]:
            if strict_sign(candidate - chosen) == better:
                chosen = candidate
        return chosen
    if isinstance(expr, (sp.Abs, sp.sign, sp.Heaviside, sp.DiracDelta)):
        sign = strict_sign(args[0])
        if isinstance(expr, sp.Abs):
            return sign * args[0]
        if isinstance(expr, sp.sign):
            return sp.Integer(sign)
        return sp.Integer(sign > 0) if isinstance(expr, sp.Heaviside) else sp.S.Zero
    if isinstance(expr, (sp.floor, sp.ceiling, sp.frac)):
        value = value_at(args[0], point)
        if exact_sign(value) is None or sp.floor(value) == value:
            raise Undecided(f"{expr} switches at the point")
        whole = sp.floor(value)
        if isinstance(expr, sp.floor):
            return whole
        return whole + 1 if isinstance(expr, sp.ceiling) else args[0] - whole
    return expr.func(*args)


def _holds_at(condition, point: dict) -> bool:
    if condition in (sp.true, True):
        return True
    if condition in (sp.false, False):
        return False
    if isinstance(condition, (sp.And, sp.Or, sp.Not)):
        parts = [_holds_at(c, point) for c in condition.args]
        return all(parts) if isinstance(condition, sp.And) else any(parts) if isinstance(condition, sp.Or) \
            else not parts[0]
    if isinstance(condition, sp.core.relational.Relational):
        sign = exact_sign(value_at(smooth_near(condition.lhs - condition.rhs, point), point))
        if not sign:  # x < 0, x <= 0, x == 0 at 0: the pieces change at the point
            raise Undecided(f"the condition {condition} switches at the point")
        return {"<": sign < 0, "<=": sign <= 0, ">": sign > 0, ">=": sign >= 0,
                "==": sign == 0, "!=": sign != 0}[condition.rel_op]
    raise Undecided(f"cannot decide the condition {condition}")
