"""What ``deriv`` computes: the variables, the derivative at points (symbolic or numeric), the figure."""

from __future__ import annotations

import math
import warnings
from dataclasses import replace

import numpy as np
import sympy as sp

from . import calculus, numeric
from .errors import (
    EvaluationError,
    NoPlot,
    OptionError,
    VariableError,
)
from .expressions import (
    ParsedFunction,
    natural_key,
    own_value,
    parse_function,
    parse_variable_names,
    real_symbol,
    trace_callable,
    user_expression,
)
from .results import DerivativeResult
from .results.notation import unicode_text
from .results.values import PointValue
from .settings import Settings


def as_function(expression, namespace: dict | None, roots: str = "real") -> ParsedFunction:
    if isinstance(expression, str):
        return parse_function(expression, namespace, roots)
    if isinstance(expression, sp.Expr):
        expression = user_expression(expression)
        return ParsedFunction(expression, tuple(sorted(expression.free_symbols, key=natural_key)))
    if callable(expression):
        return trace_callable(expression, getattr(expression, "__name__", "f").replace("<lambda>", "f"))
    raise OptionError(f"cannot differentiate a {type(expression).__name__}: give an expression or a function")


def choose_wrt(function: ParsedFunction, wrt, order: int) -> tuple[sp.Symbol, ...]:
    """The differentiation sequence: --wrt as given, else the only variable, else x."""
    variables = function.variables
    by_name = {v.name: v for v in variables}
    if function.expr is not None:
        by_name.update({s.name: s for s in function.expr.free_symbols if s.name not in by_name})
    if wrt is None:
        if len(variables) == 1:
            chosen = [variables[0]]
        elif "x" in by_name:
            chosen = [by_name["x"]]
        elif not variables:
            chosen = [real_symbol("x")]
        else:
            names = ", ".join(v.name for v in variables)
            raise VariableError(f"the expression has several variables ({names}): choose one with --wrt")
    else:
        chosen = []
        for name in parse_variable_names(wrt, "--wrt"):
            if name not in by_name:
                names = ", ".join(v.name for v in variables) or "none"
                raise VariableError(f"--wrt {name}: {name} is not a variable of the expression "
                                    f"(its variables: {names})")
            chosen.append(by_name[name])
    if len(chosen) > 1 and order > 1:
        raise OptionError("--order applies to one variable; for higher mixed partials list each "
                          "step, as in --wrt x,x,y")
    return tuple(chosen * order) if len(chosen) == 1 else tuple(chosen)


def symbolic_point(function: ParsedFunction, wrt: tuple[sp.Symbol, ...], result_derivative: sp.Expr,
                    point: tuple[sp.Expr, ...]) -> PointValue:
    variables = function.variables
    substitutions = dict(zip(variables, point))
    leftover = (function.expr.free_symbols | result_derivative.free_symbols) - set(variables)
    if leftover:
        names = ", ".join(sorted(s.name for s in leftover))
        raise OptionError(f"cannot evaluate at points: the expression also depends on {names}; "
                          "define it as f(x, ...) = ... or substitute a value")
    if len(set(wrt)) > 1:  # mixed partial: from the smooth piece around the point; on a switch, kinks are caught
        on_switch = False
        if calculus.has_switches(function.expr):
            try:
                result_derivative = sp.diff(calculus.smooth_near(function.expr, substitutions), *wrt)
            except calculus.Undecided:
                on_switch = True
        kind, number = calculus.classify_number(calculus.value_at(result_derivative, substitutions))
        if kind != "real":
            return PointValue(status="undefined", reason="the derivative is not defined there")
        if on_switch and not calculus.is_continuous_near(result_derivative, variables, point):
            return PointValue(status="not differentiable", reason="the derivative is not continuous there")
        return PointValue(status="ok", value=number)
    x = wrt[0]
    others = {v: c for v, c in substitutions.items() if v != x}
    try:
        return calculus.analyse_point(function.expr.subs(others), x, len(wrt), substitutions[x],
                                      result_derivative.subs(others), partial=len(variables) > 1)
    except calculus.Undecided:  # SymPy cannot tell a side: the numeric engine's one-sided quotients do
        return undecided_fallback(numeric_point(function, wrt, point))


def undecided_fallback(value: PointValue) -> PointValue:
    """A numeric value standing in where the symbolic analysis could not decide, marked as such."""
    return replace(value, method="numeric, as SymPy could not decide the one-sided limits: "
                                 + (value.method or "one-sided differences"))


def numeric_point(function: ParsedFunction, wrt: tuple[sp.Symbol, ...], point: tuple) -> PointValue:
    """The derivative at a point by the numeric engine, with the same interpretation as symbolic values."""
    variables = function.variables
    coordinates = tuple(float(c) for c in point)
    name = function.name or "f"
    if len(set(wrt)) > 1:
        return _numeric_mixed_partial(function, wrt, coordinates)
    x = wrt[0]
    index = variables.index(x)
    order = len(wrt)
    if function.func is not None:  # a Python function is differentiated as the black box it is
        func = function.func if len(variables) == 1 else numeric.along(function.func, coordinates, index, False)
        evaluator, analytic = numeric.Evaluator(func, name), False
    else:
        others = {v: c for v, c in zip(variables, point) if v != x}
        restricted = function.expr.subs(others)
        evaluator = numeric.expression_evaluator(restricted, x, name)
        analytic = numeric.is_analytic(restricted)
    try:
        found = numeric.derivative_at(evaluator, coordinates[index], order, analytic=analytic)
    except EvaluationError:
        if function.func is not None:  # a Python function that fails there: say what it did
            raise
        # an expression with no real values at and around the point: outside its domain, as symbolic says
        kind, _ = calculus.classify_number(restricted.subs(x, point[index]))
        return PointValue(status="undefined", reason="outside the domain of f" if kind == "complex"
                          else "f is not defined there")
    if found.status == "ok" and analytic and order > 1:
        value, error = numeric.mpmath_derivative(restricted, (x,), (coordinates[index],), (order,))
        if math.isfinite(value):
            found = replace(found, value=value, error=error, method="mpmath (30 digits)", step=None)
    return _numeric_point_value(found, evaluator, coordinates[index], order,
                                x.name if len(variables) > 1 else None)


def _numeric_mixed_partial(function: ParsedFunction, wrt: tuple[sp.Symbol, ...],
                           coordinates: tuple[float, ...]) -> PointValue:
    variables = function.variables
    if function.func is None:
        orders = tuple(wrt.count(v) for v in variables)
        value, error = numeric.mpmath_derivative(function.expr, variables, coordinates, orders)
        method = "mpmath (30 digits)"
    elif len(wrt) == 2:
        matrix, errors = numeric.hessian(function.func, coordinates, name=function.name or "f")
        i, j = variables.index(wrt[0]), variables.index(wrt[1])
        value, error, method = float(matrix[i, j]), float(errors[i, j]), "central differences"
    else:
        raise EvaluationError("numeric mixed partial derivatives of Python functions go up to second order")
    if not math.isfinite(value):
        return PointValue(status="undefined", reason="the derivative is not defined there")
    return PointValue(status="ok", value=value, error=error, method=method)


def _numeric_point_value(found: numeric.NumericDerivative, evaluator: numeric.Evaluator, x: float,
                         order: int, partial_in: str | None) -> PointValue:
    """A NumericDerivative as a PointValue, with its meaning judged within its error."""
    common = dict(error=found.error, method=found.method, step=found.step)
    if found.status == "ok":
        zero = abs(found.value) <= max(found.error or 0.0, 1e-14)
        stationary = ""
        if zero and order == 1 and partial_in is None:
            stationary = _numeric_stationary_kind(evaluator, x)
        meaning = calculus.describe(order, found.value, zero, partial_in, stationary)
        return PointValue(status="ok", value=found.value, meaning=meaning, **common)
    if found.status == "undefined":
        return PointValue(status="undefined", reason=found.reason)
    meaning = _side_test(evaluator, x) if order == 1 and partial_in is None and found.status != "infinite" and \
        found.left is not None and found.right is not None else ""
    return PointValue(status=found.status, value=found.value, left=found.left, right=found.right,
                      reason=found.reason, meaning=meaning, **common)


def _numeric_stationary_kind(evaluator: numeric.Evaluator, x: float) -> str:
    """What a numeric stationary point is: the second-derivative test where f'' exists and is
    clearly non-zero, else the signs of f(x ± h) − f(x) (``_side_test``).

    f'' is taken with the kink check: where it jumps (x|x|, max(x, 0)² at 0) it does not exist,
    and a value extrapolated across the jump would be a false minimum or maximum.
    """
    second = numeric.derivative_at(evaluator, x, 2)
    if second.status == "ok" and abs(second.value) > max(second.error or 0.0, 1e-8):
        return calculus.extremum_kind(2, second.value)
    by_sides = _side_test(evaluator, x)
    if by_sides:
        return by_sides
    if second.status == "ok":
        return "second-derivative test inconclusive"
    return "test inconclusive (f'' does not exist there)"


# The steps, relative to max(1, |x|), at which the side test compares f(x ± h) with f(x).
SIDE_STEPS = 10.0 ** -np.arange(2, 8)


def _side_test(evaluator: numeric.Evaluator, x: float) -> str:
    """Minimum, maximum or neither from the signs of f(x ± h) − f(x) at every step in SIDE_STEPS.

    A side counts as higher (lower) only if no sample there is lower (higher) beyond rounding,
    and as flat if every sample equals f(x) to rounding. Signs that change with h (x⁴ sin(1/x)),
    or both sides flat, are no answer: the caller says inconclusive. Words as for symbolic answers.
    """
    fx = evaluator.at(x)
    steps = max(1.0, abs(x)) * SIDE_STEPS
    sides = []
    for direction in (-1, 1):
        values = evaluator.many(x + direction * steps)
        if not np.all(np.isfinite(values)):
            return ""
        differences = values - fx
        rounding = 16 * evaluator.eps * np.maximum(abs(fx), np.abs(values))
        up, down = differences > rounding, differences < -rounding
        if up.any() and down.any():
            return ""
        sides.append(1 if up.any() else -1 if down.any() else 0)
    if sides == [0, 0]:  # flat to rounding is not constant (1 + exp(-1/x²) at 0): no claim
        return ""
    return calculus.extremum_from_sides(*sides)


def labelled(value: PointValue, coordinates: tuple[sp.Expr, ...], texts: tuple[str, ...]) -> PointValue:
    """Attach the point's coordinates: floats, the user's own text, and LaTeX (π/4 rather than pi/4)."""
    return replace(value, point=tuple(float(c) for c in coordinates), label=texts,
                   latex_label=latex_coordinates(coordinates, texts))


def latex_coordinates(coordinates: tuple[sp.Expr, ...], texts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(text if _is_plain_number(text) else sp.latex(c) for c, text in zip(coordinates, texts))


def _is_plain_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def traced_formula_disagrees(function: ParsedFunction, point) -> bool:
    """Whether a traced Python function's own value at the point differs from its traced formula.

    Code like ``1.0 if r == 0 else sin(r)/r`` traces to sin(r)/r, undefined at 0 where the
    function itself answers 1: there the derivative must come from the function, numerically.
    """
    if not function.traced or function.func is None:
        return False
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            own, tolerance = own_value(function.func, [float(c) for c in point], function.vector_input)
    except Exception:  # the function fails there: nothing to compare, the formula decides
        return False
    kind, formula = calculus.classify_number(function.expr.subs(dict(zip(function.variables, point))))
    if not math.isfinite(own.real) or own.imag:
        return False
    return kind != "real" or abs(own.real - formula) > tolerance * max(1.0, abs(own.real))


def special_case_note(function: ParsedFunction | None, places: list[str]) -> list[str]:
    if not places:
        return []
    return [f"At ({'), ('.join(places)}), {function.name}'s own value differs from its traced formula (a special "
            "case in its code), so the derivative there was computed numerically from the function."]


def method_notes(function: ParsedFunction, method: str) -> list[str]:
    notes = []
    if function.traced:
        notes.append(f"{function.name} was traced with SymPy symbols and differentiated symbolically.")
    elif function.func is not None:
        notes.append(f"{function.name} could not be traced with SymPy symbols (it branches on values or "
                     "uses functions SymPy does not know), so it was differentiated numerically.")
    elif method == "numeric":
        notes.append("Differentiated numerically (method: numeric).")
    return notes


def plot_range(result: DerivativeResult, x_range, settings: Settings) -> tuple[float, float]:
    """--range if given; else around the points (the tutorial's [-1, 1] for -0.5, 0.5, 0); else x_range."""
    if x_range is not None:
        return x_range
    if result.points:
        xs = [p.point[0] for p in result.points]
        low, high = min(xs), max(xs)
        pad = 0.5 * (high - low) if high > low else 1.0
        return low - pad, high + pad
    return settings.x_range


def derivative_figure(function: ParsedFunction, result: DerivativeResult, x_range,
                      settings: Settings):
    """f and the derivatives up to the one asked for, with the points marked; NoPlot says why there is none."""
    from .plotting import (  # here, so --no-plot calls never import matplotlib
        Curve,
        curves_figure,
    )

    if len(function.variables) != 1:
        raise NoPlot("plots are drawn for functions of one variable (use %grad for several)")
    x = function.variables[0]
    if function.is_symbolic and (function.expr.free_symbols - {x} or function.expr.has(sp.core.function.AppliedUndef)):
        raise NoPlot("the expression has symbols without values")
    low, high = plot_range(result, x_range, settings)
    xs = np.linspace(low, high, settings.samples)
    shown = sorted({0, 1, result.order}) if result.order > 3 else list(range(result.order + 1))
    curves = [Curve(result.curve_label(k), xs, _curve_values(function, result, k, xs)) for k in shown]
    for p in result.points:  # mark --at points on f, and their values on the derivative asked for
        a = p.point[0]
        fa = float(_curve_values(function, result, 0, np.array([a]))[0])
        if math.isfinite(fa):
            (curves[0].markers if p.status == "ok" else curves[0].open_markers).append((a, fa))
        if p.status == "ok" and p.value is not None and math.isfinite(p.value):
            curves[shown.index(result.order)].markers.append((a, p.value))
    return curves_figure(curves, x.name, settings.figure_size)


def function_values(function: ParsedFunction):
    """f on an array of xs in one vectorised call, NaN where undefined (the evaluator built once)."""
    if function.func is not None:
        return numeric.Evaluator(function.func, function.name or "f").many
    return numeric.expression_evaluator(function.expr, function.variables[0]).many


def _curve_values(function: ParsedFunction, result: DerivativeResult, k: int, xs: np.ndarray) -> np.ndarray:
    """f^(k) on xs in one vectorised call: from the formula, or from the numeric engine."""
    x = function.variables[0]
    if result.method == "symbolic":
        formula = function.expr if k == 0 else (result.derivative if k == result.order
                                                else sp.diff(function.expr, x, k))
        if k:  # no curve point where a derivative jumps: sign(0) = 0, Heaviside(0) = 1/2 are conventions
            formula = formula.replace(sp.DiracDelta, lambda *args: sp.S.Zero)
            for step in (sp.Heaviside, sp.sign):
                formula = formula.replace(step, lambda u, *rest, step=step: sp.Piecewise(
                    (sp.nan, sp.Eq(u, 0)), (step(u, *rest), True)))
        if not formula.has(sp.Derivative):  # SymPy cannot differentiate floor(x): the engine can
            return numeric.expression_evaluator(formula, x).many(xs)
    if function.func is not None:
        evaluator, analytic = numeric.Evaluator(function.func, function.name or "f"), False
    else:
        evaluator = numeric.expression_evaluator(function.expr, x)
        analytic = numeric.is_analytic(function.expr)
    if k == 0:
        return evaluator.many(xs)
    return numeric.derivative_many(evaluator, xs, k, analytic=analytic)[0]


def implicit_figure(result: DerivativeResult, x_range, settings: Settings):
    """The curve of ``--implicit`` (F = 0 on a grid) with its points and their tangent lines."""
    from .plotting import CurveData, Segment, implicit_curve_figure

    x, y = result.function_variables
    F = result.expr
    if F.free_symbols - {x, y}:
        raise NoPlot("the equation has symbols without values")
    if x_range is not None:
        (low_x, high_x), (low_y, high_y) = x_range, x_range
    else:
        reach = max([abs(c) for p in result.points for c in p.point] + [abs(v) for v in settings.x_range])
        low_x, high_x = low_y, high_y = -1.5 * reach, 1.5 * reach
    grid_x, grid_y = np.meshgrid(np.linspace(low_x, high_x, 301), np.linspace(low_y, high_y, 301))
    with np.errstate(all="ignore"):
        heights = np.broadcast_to(np.asarray(sp.lambdify((x, y), F, "numpy")(grid_x, grid_y), dtype=float),
                                  grid_x.shape)
    finite = heights[np.isfinite(heights)]
    if not finite.size or not (finite.min() <= 0 <= finite.max()):
        raise NoPlot("the curve has no real points in the range")
    span = 0.2 * max(high_x - low_x, high_y - low_y)
    segments, marked = [], []
    colors = ("#d62728", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b")
    for index, p in enumerate(result.points):
        x0, y0 = p.point
        marked.append((x0, y0))
        if result.order != 1:
            continue
        label, color = f"tangent at ({', '.join(p.label)})", colors[index % len(colors)]
        if p.status == "ok":
            dx = span / math.hypot(1.0, p.value)
            segments.append(Segment(np.array([x0 - dx, x0 + dx]), np.array([y0 - p.value * dx, y0 + p.value * dx]),
                                    label, color, "--"))
        elif p.reason.startswith("vertical tangent"):
            segments.append(Segment(np.array([x0, x0]), np.array([y0 - span, y0 + span]), label, color, "--"))
    title = f"{unicode_text(result.curve.lhs)} = {unicode_text(result.curve.rhs)}"
    return implicit_curve_figure(CurveData(grid_x, grid_y, np.array(heights), marked, segments,
                                           (x.name, y.name), title), settings.figure_size)


def definition_figure(function: ParsedFunction, result: DerivativeResult, x_range, settings: Settings):
    """``--definition --at a``: f with the secants through a and a ± h closing in on the tangent at a
    (the first point), over f's own curve; without a point, the usual figure."""
    from .plotting import Curve, Segment, lines_and_surfaces_figure

    if not result.quotients or len(function.variables) != 1:
        return derivative_figure(function, result, x_range, settings)
    x = function.variables[0]
    low, high = plot_range(result, x_range, settings)
    xs = np.linspace(low, high, settings.samples)
    curve = Curve(result.curve_label(0), xs, _curve_values(function, result, 0, xs))
    point = result.points[0]
    a = point.point[0]
    fa = float(_curve_values(function, result, 0, np.array([a]))[0])
    if not math.isfinite(fa):
        raise NoPlot(f"f is not defined at {', '.join(point.label)}: there are no secants through it")
    curve.markers.append((a, fa))
    segments = []
    span = high - low
    colors = ("#ff7f0e", "#e6a04f", "#f0c08a")
    for index, fraction in enumerate((0.4, 0.2, 0.1)):
        for sign in (1, -1):
            h = sign * fraction * span
            fh = float(_curve_values(function, result, 0, np.array([a + h]))[0])
            if not math.isfinite(fh):
                continue
            slope = (fh - fa) / h
            ends = np.array([min(a, a + h), max(a, a + h)])
            label = f"secants, h = ±{fraction * span:.3g}" if sign == 1 else ""
            segments.append(Segment(ends, fa + slope * (ends - a), label, colors[index], "-"))
    if point.status == "ok" and point.value is not None and math.isfinite(point.value):
        ends = np.array([a - 0.3 * span, a + 0.3 * span])
        segments.append(Segment(ends, fa + point.value * (ends - a), f"tangent at {', '.join(point.label)}",
                                "#2ca02c", "--"))
    return lines_and_surfaces_figure([curve], segments, [], x.name, settings.figure_size)
