"""The Python API: keyword arguments in, result objects out. The magics call exactly these."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import sympy as sp

from . import calculus, numeric
from .errors import EvaluationError, OptionError, VariableError
from .expressions import (
    ParsedFunction,
    natural_key,
    parse_function,
    parse_points,
    parse_range,
    parse_variable_names,
    real_symbol,
    trace_callable,
)
from .results import DerivativeResult, Display, PointValue
from .settings import Settings
from .timeouts import time_limit


def deriv(expression, *, wrt=None, order: int = 1, at=None, range=None, plot: bool | None = None,
          simplify: bool | None = None, namespace: dict | None = None,
          settings: Settings | None = None, **overrides) -> DerivativeResult:
    """Differentiate ``expression`` and, optionally, evaluate and interpret it at points.

    ``expression``: text in the expression language (``"x^2 sin(x)"``, ``"f(x) = x^2"``), a
    SymPy expression, or a Python function. ``wrt``: ``"x"``, ``"x,y"`` (mixed partial) or a list.
    ``at``: ``"-0.5,0.5,0"`` or a list of numbers (tuples for several variables). ``range``:
    ``"A,B"`` or a pair. Other keywords (``precision=6``, ``notation="prime"``, ...) override
    ``settings``.
    """
    settings = (settings or Settings()).replace(**overrides)
    plot = settings.plot if plot is None else plot
    simplify = settings.simplify if simplify is None else simplify
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        raise OptionError(f"--order must be a positive integer, got {order!r}")
    x_range = parse_range(range) if range is not None else None

    with time_limit(settings.timeout):
        function = _as_function(expression, namespace)
        wrt_symbols = _choose_wrt(function, wrt, order)
        points = parse_points(at, len(function.variables)) if at is not None else []
        if function.is_symbolic:
            result_derivative = calculus.derivative(function.expr, wrt_symbols, simplify)
            values = [_symbolic_point(function, wrt_symbols, result_derivative, p) for p, _ in points]
        else:
            result_derivative = None
            values = [_numeric_point(function, wrt_symbols, p) for p, _ in points]

    result = DerivativeResult(
        expr=function.expr, function_variables=function.variables, wrt=wrt_symbols,
        derivative=result_derivative, name=function.name,
        method="symbolic" if function.is_symbolic else "numeric",
        points=[_labelled(v, *p) for v, p in zip(values, points)],
        display=Display(settings.precision, settings.notation, settings.figure_format))
    result.notes.extend(_method_notes(function))
    if plot:
        result.figure = _derivative_figure(function, result, x_range, settings)
    return result


def _as_function(expression, namespace: dict | None) -> ParsedFunction:
    if isinstance(expression, str):
        return parse_function(expression, namespace)
    if isinstance(expression, sp.Expr):
        return ParsedFunction(expression, tuple(sorted(expression.free_symbols, key=natural_key)))
    if callable(expression):
        return trace_callable(expression, getattr(expression, "__name__", "f").replace("<lambda>", "f"))
    raise OptionError(f"cannot differentiate a {type(expression).__name__}: give an expression or a function")


def _choose_wrt(function: ParsedFunction, wrt, order: int) -> tuple[sp.Symbol, ...]:
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
        for name in parse_variable_names(wrt):
            if name not in by_name:
                names = ", ".join(v.name for v in variables) or "none"
                raise VariableError(f"--wrt {name}: {name} is not a variable of the expression "
                                    f"(its variables: {names})")
            chosen.append(by_name[name])
    if len(chosen) > 1 and order > 1:
        raise OptionError("--order applies to one variable; for higher mixed partials list each "
                          "step, as in --wrt x,x,y")
    return tuple(chosen * order) if len(chosen) == 1 else tuple(chosen)


def _symbolic_point(function: ParsedFunction, wrt: tuple[sp.Symbol, ...], result_derivative: sp.Expr,
                    point: tuple[sp.Expr, ...]) -> PointValue:
    variables = function.variables
    substitutions = dict(zip(variables, point))
    leftover = (function.expr.free_symbols | result_derivative.free_symbols) - set(variables)
    if leftover:
        names = ", ".join(sorted(s.name for s in leftover))
        raise OptionError(f"cannot evaluate at points: the expression also depends on {names}; "
                          "define it as f(x, ...) = ... or substitute a value")
    if len(set(wrt)) > 1:  # mixed partial: no one-sided analysis
        kind, number = calculus.classify_number(result_derivative.subs(substitutions))
        if kind == "real":
            return PointValue(status="ok", value=number)
        return PointValue(status="undefined", reason="the derivative is not defined there")
    x = wrt[0]
    others = {v: c for v, c in substitutions.items() if v != x}
    return calculus.analyse_point(function.expr.subs(others), x, len(wrt), substitutions[x],
                                  result_derivative.subs(others), partial=len(variables) > 1)


def _numeric_point(function: ParsedFunction, wrt: tuple[sp.Symbol, ...], point: tuple) -> PointValue:
    if len(function.variables) > 1:
        raise EvaluationError("numeric derivatives of functions of several variables need %grad")
    value, error = numeric.finite_difference(function.func, float(point[0]), len(wrt), function.name or "f")
    meaning = ""
    if len(wrt) == 1 and abs(value) > error:
        meaning = "increasing" if value > 0 else "decreasing"
    elif len(wrt) == 1:
        meaning = "stationary"
    return PointValue(status="ok", value=value, error=error, meaning=meaning)


def _labelled(value: PointValue, coordinates: tuple[sp.Expr, ...], texts: tuple[str, ...]) -> PointValue:
    """Attach the point's coordinates: floats, the user's own text, and LaTeX (π/4 rather than pi/4)."""
    latex = tuple(text if _is_plain_number(text) else sp.latex(c) for c, text in zip(coordinates, texts))
    return replace(value, point=tuple(float(c) for c in coordinates), label=texts, latex_label=latex)


def _is_plain_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _method_notes(function: ParsedFunction) -> list[str]:
    if function.traced:
        return [f"{function.name} was traced with SymPy symbols and differentiated symbolically."]
    if not function.is_symbolic:
        return [f"{function.name} could not be traced with SymPy symbols (it branches on values or "
                "uses functions SymPy does not know), so it was differentiated numerically "
                "(central differences with Richardson extrapolation)."]
    return []


def _plot_range(result: DerivativeResult, x_range, settings: Settings) -> tuple[float, float]:
    """--range if given; else around the points (the tutorial's [-1, 1] for -0.5, 0.5, 0); else x_range."""
    if x_range is not None:
        return x_range
    if result.points:
        xs = [p.point[0] for p in result.points]
        low, high = min(xs), max(xs)
        pad = 0.5 * (high - low) if high > low else 1.0
        return low - pad, high + pad
    return settings.x_range


def _derivative_figure(function: ParsedFunction, result: DerivativeResult, x_range,
                       settings: Settings):
    from .plotting import Curve, curves_figure  # here, so --no-plot calls never import matplotlib

    if len(function.variables) != 1:
        result.notes.append("No plot: plots are drawn for functions of one variable (use %grad "
                            "for several).")
        return None
    x = function.variables[0]
    if function.is_symbolic:
        extra = function.expr.free_symbols - {x}
        if extra or function.expr.has(sp.core.function.AppliedUndef):
            result.notes.append("No plot: the expression has symbols without values.")
            return None
        steps = [function.expr] + [sp.diff(function.expr, x, k) for k in range(1, result.order + 1)]
        evaluators: list[Callable] = [numeric.vectorised(e, x) for e in steps]
    else:
        f = function.func
        evaluators = [lambda xs: numeric.call_vectorised(f, xs)]
        evaluators += [_numeric_curve(f, k) for k in range(1, result.order + 1)]
    low, high = _plot_range(result, x_range, settings)
    xs = np.linspace(low, high, settings.samples)
    shown = sorted({0, 1, result.order}) if result.order > 3 else list(range(result.order + 1))
    curves = []
    for k in shown:
        label = _curve_label(result, k)
        curves.append(Curve(label, xs, evaluators[k](xs)))
    _mark_points(result, curves, shown, evaluators)
    return curves_figure(curves, x.name, settings.figure_size)


def _numeric_curve(f: Callable, order: int) -> Callable[[np.ndarray], np.ndarray]:
    """A vectorised central difference for the plot (the point values use the careful estimate)."""

    def evaluate(xs: np.ndarray) -> np.ndarray:
        h = np.maximum(1.0, np.abs(xs)) * np.finfo(float).eps ** (1.0 / (order + 2))
        total = np.zeros_like(xs)
        with np.errstate(all="ignore"):
            for k in range(order + 1):
                total += (-1) ** k * math.comb(order, k) * numeric.call_vectorised(f, xs + (order / 2 - k) * h)
            return total / h ** order

    return evaluate


def _curve_label(result: DerivativeResult, k: int) -> str:
    name = result.name if result.name and len(result.name) == 1 else "f"
    marks = "'" * k if k <= 3 else f"^{{({k})}}"
    head = f"{name}{marks}({result.function_variables[0]})"
    if k == 0 and result.expr is not None:
        return f"${head} = {sp.latex(result.expr)}$"
    if k == result.order and result.derivative is not None:
        return f"${head} = {sp.latex(result.derivative)}$"
    return f"${head}$"


def _mark_points(result: DerivativeResult, curves: list[Curve], shown: list[int],
                 evaluators: list[Callable]) -> None:
    """Mark each --at point on f, and its value on the curve of the derivative asked for."""
    for p in result.points:
        a = p.point[0]
        (fa,) = evaluators[0](np.array([a]))
        if np.isfinite(fa):
            target = curves[0].markers if p.status == "ok" else curves[0].open_markers
            target.append((a, fa))
        if p.status == "ok" and p.value is not None and np.isfinite(p.value):
            curves[shown.index(result.order)].markers.append((a, p.value))

