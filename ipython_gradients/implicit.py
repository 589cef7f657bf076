"""Implicit differentiation: the derivatives of y along a curve F(x, y) = G(x, y), with y a function of x.

``curve_sides(text)`` splits the written equation at its one ``=``. ``implicit_derivatives(F, x, y, n)``
differentiates F(x, y(x)) = 0 n times and solves each time for the highest derivative of y, which
appears linearly: y′ = −F_x/F_y, then y″ from the differentiated equation with y′ substituted, and so
on, each a formula in x and y. ``first_steps`` writes the first as a lecture does: both sides
differentiated (the chain rule on the terms in y), the y′ terms collected, y′ solved for.
Where F is a polynomial, a derivative's numerator is reduced by the curve's equation when that makes
it shorter (y″ = −25/y³ on x² + y² = 25). ``at_point`` is the value at a point of the curve: a point off it is refused with its residual, and
where F_y = 0 there is no value (a vertical tangent where F_x ≠ 0, a singular point where both vanish).

For ``%%tangent`` on an equation: ``curve_tangent`` (the slope, exact where the point is, and ∇F at a
point of the curve, through ``at_point``), ``singular_point`` (why there is no single tangent where
∇F = 0: for a polynomial F, the directions of its lowest-order terms there), ``points_with`` (every
point of the curve with a given x, or the refusal) and ``curve_heights`` (F on a grid, for the figure).

Avoids rendering (``results``) and parsing (``expressions``).
"""

from __future__ import annotations

import math
import re

import mpmath
import sympy as sp

from .errors import EvaluationError, ExpressionError
from .results.notation import unicode_text
from .results.values import PointValue
from .steps import Step

# A point is on the curve when F there is 0 exactly, or within this much of the size of F's terms there
# (binary floats from Python, irrational coordinates at 30 digits), with no absolute floor: (0, 0) is not
# on x² + y² = 10⁻²⁰, and (3.000000001, 4) is not on x² + y² = 25.
ON_CURVE = 1e-12


def curve_sides(text: str, option: str = "--implicit", example: str = "x^2 + y^2 = 25") -> tuple[str, str]:
    """The two sides of an equation written with one ``=`` (not ``==``, ``<=``, ``>=``)."""
    if re.search(r"[<>]=?|≤|≥", text):
        hint = (" (for a region, find the interior's critical points with --critical and the boundary's with "
                "--subject-to on its equation, then compare f)") if option == "--subject-to" else ""
        raise ExpressionError(f"{option} takes equations (one '='), not inequalities; got {text!r}{hint}")
    parts = re.split(r"(?<![<>=!])=(?!=)", text)
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        raise ExpressionError(f"{option} needs an equation with one '=', as in {example}; got {text!r}")
    return parts[0].strip(), parts[1].strip()


def implicit_derivatives(F: sp.Expr, x: sp.Symbol, y: sp.Symbol, order: int) -> list[sp.Expr]:
    """y′, y″, … up to ``order`` along F(x, y) = 0, each a formula in x and y."""
    Y = sp.Function(y.name, real=True)(x)  # (real: |y|′ is sign(y)·y′, not a formula in re and im)
    equation = F.xreplace({y: Y})
    found: list[sp.Expr] = []
    for k in range(1, order + 1):
        equation = sp.diff(equation, x)
        unknown = Y.diff(x, k)
        known = equation
        for j in range(k - 1, 0, -1):  # the highest known derivative first: y″ contains y′
            known = known.xreplace({Y.diff(x, j): found[j - 1].xreplace({y: Y})})  # (subs would rewrite y″ too)
        coefficient = sp.expand(known).coeff(unknown)
        rest = sp.expand(known - coefficient * unknown)
        if coefficient == 0 or rest.has(unknown):
            raise EvaluationError(f"the derivative of order {k} of {y} cannot be solved for from the "
                                  "differentiated equation")
        found.append(_on_the_curve(whole_simplify(sp.factor_terms(-rest / coefficient).xreplace({Y: y})), F, x, y))
    return found


def whole_simplify(expr: sp.Expr) -> sp.Expr:
    """``simplify``'s form unless it splits into cases: it rewrites sign(x)/sign(y) as a Piecewise whose
    special cases ("0 for x = 0") hold nowhere on the curve, where |x| has its corner."""
    simpler = sp.simplify(expr)
    if simpler.has(sp.Piecewise, sp.nan, sp.zoo) and not expr.has(sp.Piecewise):
        return expr
    return simpler


def _on_the_curve(expr: sp.Expr, F: sp.Expr, x: sp.Symbol, y: sp.Symbol) -> sp.Expr:
    """``expr`` with its numerator reduced by the curve's equation where that makes it shorter (y″ on
    x² + y² = 25 is −25/y³, not −(x² + y²)/y³): equal at every point of the curve, where it is used."""
    numerator, denominator = sp.fraction(sp.together(expr))
    if not (F.is_polynomial(x, y) and numerator.is_polynomial(x, y)):
        return expr
    try:
        remainder = sp.reduced(sp.expand(numerator), [sp.expand(F)], x, y)[1]
    except (sp.PolynomialError, sp.polys.polyerrors.ComputationFailed):
        return expr
    shorter = sp.factor(remainder) / denominator
    return shorter if sp.count_ops(shorter) < sp.count_ops(expr) else expr


def first_steps(lhs: sp.Expr, rhs: sp.Expr, x: sp.Symbol, y: sp.Symbol, result: sp.Expr) -> list[Step]:
    """The first derivative worked out: differentiate both sides, collect y′, solve."""
    Y = sp.Function(y.name)(x)
    prime = sp.Symbol(f"{y.name}'")
    lprime = sp.Symbol(rf"\frac{{d{sp.latex(y)}}}{{d{sp.latex(x)}}}")

    def written(expr, symbol):
        return sp.diff(expr.xreplace({y: Y}), x).xreplace({Y.diff(x): symbol}).xreplace({Y: y})

    left, right = written(lhs, prime), written(rhs, prime)
    terms = sp.expand(left - right)
    coefficient, rest = terms.coeff(prime), sp.expand(terms - terms.coeff(prime) * prime)
    operator, text_operator = rf"\frac{{d}}{{d{sp.latex(x)}}}", f"d/d{x}"
    return [
        _Step("differentiate both sides",
              rf"{operator}\left({sp.latex(lhs)}\right) = {operator}\left({sp.latex(rhs)}\right)",
              f"{text_operator} ({unicode_text(lhs)}) = {text_operator} ({unicode_text(rhs)})",
              note=f"{y} is a function of {x}: the chain rule gives each term in {y} a factor {y}'",
              note_latex=rf"\text{{{y} is a function of {x}: the chain rule on its terms}}"),
        _Step("the derivatives", rf"{sp.latex(written(lhs, lprime))} = {sp.latex(written(rhs, lprime))}",
              f"{unicode_text(left)} = {unicode_text(right)}"),
        _Step(f"collect the {y}' terms",
              rf"\left({sp.latex(coefficient)}\right) {sp.latex(lprime)} = {sp.latex(-rest)}",
              f"({unicode_text(coefficient)})·{prime} = {unicode_text(-rest)}"),
        _Step(f"solve for {y}'", rf"{sp.latex(lprime)} = {sp.latex(result)}", f"{prime} = {unicode_text(result)}"),
    ]


class _Step(Step):
    """A step named by what it does, not by a rule of differentiation."""

    @property
    def title(self) -> str:
        return self.rule


_SWITCHES = (sp.Abs, sp.sign, sp.Heaviside, sp.floor, sp.ceiling, sp.Max, sp.Min, sp.Piecewise)


def switch_at(F: sp.Expr, at: dict) -> str:
    """What in F switches at the point (|u| with u = 0, max with tied arguments, ...) so that F's gradient
    jumps there, or ''. A switch F's gradient does not feel (x·|x|, whose derivative 2|x| is continuous)
    is no kink: the gradient is compared a hair away on each side of the point in every variable."""
    switch = _switch(F, at)
    if switch and _gradient_continuous(F, at):
        return ""
    return switch


def _gradient_continuous(F: sp.Expr, at: dict) -> bool:
    """Whether F's gradient is the same a hair to each side of the point in each variable with a value
    (a variable without one, y in y = x·|x| at x = 0, must leave the gradient a number)."""
    variables = sorted(F.free_symbols, key=lambda s: s.name)
    gradient = [sp.diff(F, v).replace(sp.DiracDelta, lambda *args: sp.S.Zero) for v in variables]
    samples = []
    for v in (v for v in variables if v in at):
        step = sp.Float(1e-12, 30) * max(1, abs(sp.N(at[v], 30)))
        for sign in (-1, 1):
            moved = {**at, v: sp.N(at[v], 30) + sign * step}
            values = [sp.N(d.xreplace(moved), 30) for d in gradient]
            if not all(value.is_number and value.is_finite and value.is_real for value in values):
                return False
            samples.append([float(value) for value in values])
    spread = max(max(column) - min(column) for column in zip(*samples))
    return spread <= 1e-6 * max(1.0, *(abs(c) for row in samples for c in row))


def _switch(F: sp.Expr, at: dict) -> str:
    for part in sp.preorder_traversal(F):
        if not isinstance(part, _SWITCHES):
            continue
        if isinstance(part, (sp.Max, sp.Min)):
            values = [sp.N(a.xreplace(at), 30) for a in part.args]
            if any(abs(complex(a) - complex(b)) <= 1e-25 for a, b in zip(values, values[1:])):
                return unicode_text(part)
        elif isinstance(part, sp.Piecewise):
            return unicode_text(part) if any(_near_zero(c.lhs - c.rhs, at) for _, c in part.args
                                             if isinstance(c, sp.core.relational.Relational)) else ""
        elif _near_zero(part.args[0], at) or isinstance(part, (sp.floor, sp.ceiling)) and \
                _near_zero(part.args[0] - sp.floor(sp.N(part.args[0].xreplace(at), 30)), at):
            return unicode_text(part)
    return ""


def _near_zero(expr, at) -> bool:
    value = sp.N(expr.xreplace(at), 30)
    return value.is_number and abs(complex(value)) <= 1e-25


def repeated_factor(F: sp.Expr) -> sp.Expr | None:
    """A factor F has twice or more ((y − x)² = 0): its gradient vanishes all along the curve."""
    try:
        _, factors = sp.factor_list(sp.together(F))
    except (sp.PolynomialError, NotImplementedError):
        return None
    return next((base for base, power in factors if power > 1 and base.free_symbols), None)


def at_point(F: sp.Expr, x: sp.Symbol, y: sp.Symbol, derivative: sp.Expr, order: int, point) -> PointValue:
    """The derivative at a point of the curve, or why there is none; a point off the curve is refused."""
    at = {x: point[0], y: point[1]}
    residual = sp.N(F.xreplace(at), 30)
    size = max([0.0] + [abs(complex(sp.N(term.xreplace(at), 30))) for term in sp.Add.make_args(sp.expand(F))])
    if not residual.is_number or not residual.is_real or abs(float(residual)) > ON_CURVE * size:
        shown = "undefined" if not residual.is_number or not residual.is_real else f"{float(residual):.6g}"
        raise EvaluationError(f"the point ({point[0]}, {point[1]}) is not on the curve: "
                              f"{unicode_text(F)} = {shown} there, not 0")
    kink = switch_at(F, at)
    if kink:  # sign(0) = 0, Heaviside(0) = 1/2 are conventions, never a slope
        return PointValue("not differentiable", reason=f"F is not smooth there ({kink} switches): no slope from "
                                                     "the formula; the curve may have a corner or a vertical tangent")
    fx, fy = (sp.N(sp.diff(F, v).xreplace(at), 30) for v in (x, y))
    finite = [d.is_number and d.is_finite and d.is_real for d in (fx, fy)]
    if not all(finite):
        if finite[1] and fy != 0:  # ∂F/∂x infinite, ∂F/∂y not 0: the curve stands vertical there
            return PointValue("not differentiable", reason=f"vertical tangent: ∂F/∂{x} is infinite there")
        return PointValue("not differentiable", reason="the partial derivatives of F are not finite there "
                                                     "(a cusp or an edge of F's domain)")
    if abs(fy) <= 1e-25 * max(1.0, abs(fx)):
        if abs(fx) > 1e-25:
            return PointValue("not differentiable", reason=f"vertical tangent: ∂F/∂{y} = 0 there, ∂F/∂{x} ≠ 0")
        through = _one_branch_through(F, x, y, point) if order == 1 else None
        if through is not None and through[0] is not None:  # y³ = x³ is the line y = x
            return PointValue("ok", value=float(through[0]), meaning=through[1])
        if through is not None:
            return PointValue("not differentiable", reason=f"vertical tangent: {through[1]}")
        return PointValue("not differentiable", reason=f"singular point of the curve: ∂F/∂{x} = ∂F/∂{y} = 0 "
                                                     "there, so the slope does not follow from F (the curve may "
                                                     "cross itself, have a cusp or branches touching there)")
    value = sp.N(derivative.xreplace(at), 30)
    if not value.is_number or not value.is_real:
        return PointValue("undefined", reason="the derivative has no real value there")
    number = float(value)
    if order == 1:
        meaning = ("horizontal tangent" if value == 0 else f"{y} increases with {x} along the curve" if number > 0
                   else f"{y} decreases as {x} increases along the curve")
    else:
        meaning = "" if order > 2 else ("concave up" if number > 0 else "concave down" if number < 0 else "")
    return PointValue("ok", value=number, meaning=meaning)


# --- tangent lines of a curve F(x, y) = 0 (%%tangent on an equation) ----------------------------------


def curve_tangent(F: sp.Expr, x: sp.Symbol, y: sp.Symbol, derivative: sp.Expr,
                  point) -> tuple[PointValue, sp.Expr | None, tuple[sp.Expr, sp.Expr] | None]:
    """At a point of the curve F = 0: what ``at_point`` says there (a point off the curve is refused),
    the slope dy/dx (exact where the point is), and ∇F there (None where it is not finite).

    ``derivative``: y′ along the curve (``implicit_derivatives(F, x, y, 1)[0]``). At a singular point the
    reason also says what the curve does there where F is a polynomial (``singular_point``)."""
    found = at_point(F, x, y, derivative, 1, point)
    at = {x: point[0], y: point[1]}
    gradient = tuple(sp.simplify(sp.diff(F, v).xreplace(at)) for v in (x, y))
    if not all(g.is_number and g.is_finite and g.is_real for g in gradient):
        gradient = None
    if found.status == "ok":
        slope = sp.simplify(derivative.xreplace(at))
        if not (slope.is_number and slope.is_real and slope.is_finite):  # the formula's own trouble: the gradient's
            slope = sp.simplify(-gradient[0] / gradient[1]) if gradient is not None else sp.nan
        if not (slope.is_number and slope.is_real and slope.is_finite):  # ∇F = 0 with one branch through (y³ = x³)
            through = _one_branch_through(F, x, y, point)
            slope = through[0] if through is not None and through[0] is not None else sp.Float(found.value, 30)
        return found, slope, gradient
    if found.reason.startswith("singular point"):
        through = _one_branch_through(F, x, y, point)
        if through is not None:  # y³ = x³ is the line y = x; (y − x)³ = x⁴ one branch tangent to it
            slope, words = through
            if slope is None:
                return PointValue("not differentiable", reason=f"vertical tangent: {words}"), None, gradient
            return PointValue("ok", value=float(slope), meaning=words), slope, gradient
        found = PointValue(found.status, reason=singular_point(F, x, y, point))
    return found, None, gradient


def _one_branch_through(F, x, y, point):
    """(slope or None for vertical, words) where ∇F = 0 but one smooth branch passes through the point:
    the curve leaves it in two opposite directions (small circles) and F's lowest-order terms there have
    exactly one real direction, exact; else None."""
    halves = half_branches(F, x, y, point)
    if halves is None or len(halves) != 2 or not _opposite(*halves):
        return None
    cone = _tangent_cone(F, x, y, point)
    if cone is None or len(cone[1]) != 1:
        return None
    slope, _ = cone[1][0]
    words = (f"∇F = 0 there, but one branch of the curve passes through the point, tangent to F's only real "
             f"lowest-order direction (the slope follows from the branch, not from the gradient)")
    return slope, words


def _tangent_cone(F, x, y, point):
    """F's lowest-order terms at a point with rational coordinates, F a polynomial with rational coefficients:
    (those terms as a polynomial in x − a and y − b, their real directions [(slope, or None for vertical,
    multiplicity)]), or None."""
    a, b = point
    if not F.is_polynomial(x, y) or not (sp.sympify(a).is_Rational and sp.sympify(b).is_Rational):
        return None
    u, v = sp.Dummy("u"), sp.Dummy("v")
    try:
        shifted = sp.Poly(sp.expand(F.xreplace({x: a + u, y: b + v})), u, v)
        if not all(c.is_Rational for c in shifted.coeffs()):
            return None
        lowest = min(sum(m) for m in shifted.monoms())
        cone = sum(c * u ** i * v ** j for (i, j), c in zip(shifted.monoms(), shifted.coeffs()) if i + j == lowest)
        t = sp.Dummy("t")
        slopes = sp.Poly(cone.xreplace({u: 1, v: t}), t)
        real = sp.real_roots(slopes)
    except (sp.PolynomialError, NotImplementedError, ValueError):
        return None
    vertical = lowest - slopes.degree()  # a factor u (x − a) of the cone for each degree lost
    directions = ([(None, vertical)] if vertical else []) + sorted(
        {r: real.count(r) for r in real}.items(), key=lambda item: float(item[0]))
    return cone.xreplace({u: x - a, v: y - b}), directions


def half_branches(F: sp.Expr, x: sp.Symbol, y: sp.Symbol, point) -> list[float] | None:
    """The directions (angles) in which the curve leaves the point: where F changes sign on small circles
    around it, at 30 digits. The same count on two radii (10⁻⁵ and 10⁻⁷ of the point's size) is trusted;
    else None. None too where F cannot be evaluated there. Branches tangent to each other leave within
    one sample of each other and are not told apart: a count is a lower bound, never proof of none."""
    a, b = (mpmath.mpf(str(sp.N(c, 35))) for c in point)
    with mpmath.workdps(30):
        try:
            value = sp.lambdify((x, y), F, "mpmath")
        except (TypeError, ValueError, NameError):
            return None
        found = []
        for radius in (1e-5, 1e-7):
            r = mpmath.mpf(radius) * max(1, abs(a), abs(b))
            angles = [2 * mpmath.pi * (k + 0.3183) / 720 for k in range(720)]  # (off the axes and diagonals)
            try:
                signs = [mpmath.sign(mpmath.re(value(a + r * mpmath.cos(t), b + r * mpmath.sin(t)))) for t in angles]
            except (ZeroDivisionError, ValueError, TypeError, OverflowError):
                return None
            crossings = [float((angles[k] + (angles[k + 1] if k + 1 < 720 else angles[0] + 2 * mpmath.pi)) / 2)
                         for k in range(720) if signs[k] != signs[(k + 1) % 720]]
            found.append(crossings)
    return found[1] if len(found[0]) == len(found[1]) else None


def _opposite(first: float, second: float) -> bool:
    return abs(abs(first - second) - math.pi) < 0.05


def singular_point(F: sp.Expr, x: sp.Symbol, y: sp.Symbol, point) -> str:
    """Why there is no single tangent line where ∇F = 0: from F's lowest-order terms around the point
    (the tangent cone) where F is a polynomial with exact coefficients there; else in general words."""
    general = (f"singular point of the curve: ∂F/∂{x} = ∂F/∂{y} = 0 there, so there is no single tangent "
               "line (the curve may cross itself, have a cusp or be an isolated point there)")
    where = f"∂F/∂{x} = ∂F/∂{y} = 0 there"
    halves = half_branches(F, x, y, point)  # (no crossing seen is no proof of an isolated point: two branches
    if halves is not None and len(halves) == 2 and not _opposite(*halves):  # tangent to each other merge on circles)
        heading = math.degrees(math.atan2(sum(map(math.sin, halves)), sum(map(math.cos, halves)))) % 360
        return (f"singular point: {where}; a cusp: both halves of the curve leave the point in the same direction "
                f"(about {heading:.0f}° from the {x}-axis), so there is no tangent line")
    cone = _tangent_cone(F, x, y, point)
    if cone is None:
        return general
    a, b = point
    lines = [(f"{x} = {unicode_text(a)}" if slope is None else f"{y} = {unicode_text(sp.expand(b + slope * (x - a)))}",
              m) for slope, m in cone[1]]
    if not lines:
        return (f"isolated point of the curve: {where} and no branch of the curve passes through it "
                f"({unicode_text(sp.factor(cone[0]))} has no real zero but the point); "
                "there is no tangent line")
    if len(lines) > 1 and all(m == 1 for _, m in lines):
        return (f"singular point: {where}; the curve crosses itself with {len(lines)} branches, tangent to "
                f"{' and '.join(text for text, _ in lines)}, so there is no single tangent line")
    listed = " and ".join(text + (" (twice)" if m == 2 else f" ({m} times)" if m > 2 else "") for text, m in lines)
    return (f"singular point: {where}; the curve's lowest-order terms there point along {listed}, so every branch "
            "through the point is tangent to that line, if any branch passes: a cusp, branches touching each other "
            "(y² = x⁴), or an isolated point (y² + x⁴ = 0); the slope does not follow from F, so no tangent line is drawn")


def points_with(F: sp.Expr, fixed: sp.Symbol, value: sp.Expr, other: sp.Symbol) -> tuple[list[sp.Expr], bool]:
    """Every real value of ``other`` with F = 0 where ``fixed`` = ``value``, and whether some were found only
    numerically (roots of a polynomial without a closed form in real radicals, to 30 digits). Refused where the list
    could be incomplete or infinite: never a partial list."""
    shown = f"{fixed} = {unicode_text(value)}"
    numerator, denominator = sp.fraction(sp.together(F.xreplace({fixed: value})))
    numerator = sp.expand(numerator)
    found, numeric = [], False
    if numerator.is_polynomial(other) and not (numerator.free_symbols - {other}):
        poly = sp.Poly(numerator, other)
        if poly.is_zero:
            raise EvaluationError(f"every point with {shown} is on the curve (a whole line of it): "
                                  f"give the points as {fixed},{other} pairs")
        if not all(c.is_Rational for c in poly.coeffs()):
            raise EvaluationError(f"the points with {shown} are the roots of {unicode_text(poly.as_expr())}, which "
                                  "cannot be listed exactly: give the points as x,y pairs")
        real = sp.real_roots(poly)
        radicals = ([r for r in sp.roots(poly, multiple=True) if not r.has(sp.I) and sp.count_ops(r) <= 25]
                    if poly.degree() <= 4 and any(isinstance(r, sp.CRootOf) for r in real) else [])
        # (a quartic's radicals can fill a screen and take longer to print than the time limit: numeric then)
        for root in real:
            if isinstance(root, sp.CRootOf):  # in radicals where they are real (±√(√5 − 2)), else numeric
                digits = root.evalf(30)
                closed = next((r for r in radicals if abs(sp.N(r, 30) - digits) <= 1e-25 * max(1, abs(digits))), None)
                root, numeric = (closed, numeric) if closed is not None else (sp.Float(digits, 30), True)
            found.append(root)
    else:
        solutions = sp.solveset(numerator, other, domain=sp.S.Reals)
        if not isinstance(solutions, sp.FiniteSet):
            what = ("infinitely many" if isinstance(solutions, (sp.ImageSet, sp.Union, sp.Interval))
                    else "not all of them found")
            raise EvaluationError(f"the points of the curve with {shown} cannot be listed ({what}): give the "
                                  f"points as {fixed},{other} pairs")
        for root in solutions:
            if root.has(sp.I) or not root.is_real:  # a real root written with i (the cubic formula)
                root, numeric = sp.Float(sp.re(root.evalf(30)), 30), True
            found.append(root)
    kept = []
    for root in found:
        below = sp.N(denominator.xreplace({other: root}), 30)
        if below.is_number and abs(complex(below)) > 1e-25 and root not in kept and _real_point_of(
                F, {fixed: value, other: root}):  # F defined and real there (log(x) + log(y) = 0 has no x = -1)
            kept.append(root)
    if not kept:
        raise EvaluationError(f"no point of the curve has {shown}")
    return sorted(kept, key=lambda r: float(r)), numeric


def _real_point_of(F: sp.Expr, at: dict) -> bool:
    """Whether the point is real and F vanishes there, to 10⁻²⁰ of the size of its terms (at 30 digits)."""
    values = [complex(sp.N(v, 30)) for v in at.values()]
    if any(abs(v.imag) > 1e-25 * max(1.0, abs(v.real)) for v in values):
        return False
    at = {k: sp.Float(v.real, 30) if abs(v.imag) else sp.N(at[k], 30) for k, v in zip(at, values)}
    residual = complex(sp.N(F.xreplace(at), 30))
    size = max([abs(complex(sp.N(t.xreplace(at), 30))) for t in sp.Add.make_args(sp.expand(F))] + [1e-300])
    return abs(residual) <= 1e-20 * size


def curve_heights(F: sp.Expr, x: sp.Symbol, y: sp.Symbol, grid_x, grid_y):
    """F on a grid (NaN where undefined), its zero level the curve; for a quotient F = P/Q its numerator P,
    so that no contour is drawn where F jumps through a pole (1/x + 1/y = 1 at x = 0)."""
    import numpy as np

    numerator, denominator = sp.fraction(sp.together(F))
    drawn = numerator if denominator.free_symbols & {x, y} else F
    with np.errstate(all="ignore"):
        values = np.asarray(sp.lambdify((x, y), drawn, "numpy")(grid_x, grid_y), dtype=complex)
        values = np.where(np.abs(values.imag) <= 1e-12 * (1 + np.abs(values.real)), values.real, np.nan)
        if drawn is numerator:  # the points where F itself is undefined are no points of the curve
            below = np.asarray(sp.lambdify((x, y), denominator, "numpy")(grid_x, grid_y), dtype=complex)
            values = np.where(np.abs(below) > 0, values, np.nan)
    return np.broadcast_to(values, np.shape(grid_x)).astype(float)
