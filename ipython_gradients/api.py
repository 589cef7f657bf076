"""The Python API: keyword arguments in, result objects out. The magics call exactly these."""

from __future__ import annotations

import math
import re
import warnings
from contextlib import contextmanager
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import sympy as sp

from . import calculus, numeric
from .errors import EvaluationError, ExpressionError, GradientError, OptionError, VariableError
from .expressions import (
    ParsedFunction,
    DEFINITION,
    natural_key,
    parse_parameters,
    parse_function,
    parse_number,
    parse_points,
    parse_range,
    parse_expression,
    parse_variable_names,
    real_symbol,
    trace_callable,
)
from .results import (
    Check,
    CriticalPoint,
    DerivativeResult,
    Display,
    GradientPoint,
    GradientResult,
    PointValue,
    TangentLine,
    TangentResult,
    _latex_name,
    _rounded_polynomial,
)
from .settings import METHODS, Settings
from .timeouts import time_limit


def deriv(expression, *, wrt=None, order: int = 1, at=None, range=None, plot: bool | None = None,
          simplify: bool | None = None, method: str | None = None, check: bool = False,
          namespace: dict | None = None, settings: Settings | None = None, **overrides) -> DerivativeResult:
    """Differentiate ``expression`` and, optionally, evaluate and interpret it at points.

    ``expression``: text in the expression language (``"x^2 sin(x)"``, ``"f(x) = x^2"``), a
    SymPy expression, or a Python function. ``wrt``: ``"x"``, ``"x,y"`` (mixed partial) or a list.
    ``at``: ``"-0.5,0.5,0"`` or a list of numbers (tuples for several variables). ``range``:
    ``"A,B"`` or a pair. ``method``: ``"symbolic"``, ``"numeric"`` or ``"auto"``; ``check``:
    compute the values both ways and compare. Other keywords (``precision=6``,
    ``notation="prime"``, ...) override ``settings``.
    """
    settings = (settings or Settings()).replace(**overrides)
    plot = settings.plot if plot is None else plot
    simplify = settings.simplify if simplify is None else simplify
    if isinstance(order, bool) or not isinstance(order, int) or not 1 <= order <= MAX_ORDER:
        raise OptionError(f"--order must be a positive integer up to {MAX_ORDER}, got {order!r}")

    with _computing(settings):
        x_range = parse_range(range) if range is not None else None
        function = _as_function(expression, namespace)
        method = _choose_method(function, method or settings.backend, check)
        wrt_symbols = _choose_wrt(function, wrt, order)
        if not function.variables:  # a constant: a function of the variable differentiated
            function = replace(function, variables=wrt_symbols[:1])
        points = parse_points(at, len(function.variables)) if at is not None else []
        result_derivative = None
        special = []  # points where a traced function's own value differs from its formula
        if method == "symbolic":
            result_derivative = calculus.derivative(function.expr, wrt_symbols, simplify)
            values = []
            for p, texts in points:
                if _traced_formula_disagrees(function, p):
                    values.append(_numeric_point(function, wrt_symbols, p))
                    special.append(", ".join(texts))
                else:
                    values.append(_symbolic_point(function, wrt_symbols, result_derivative, p))
        else:
            values = [_numeric_point(function, wrt_symbols, p) for p, _ in points]
        checks = []
        if check:
            other = [_numeric_point(function, wrt_symbols, p) for p, _ in points]
            checks = [Check(texts, _latex_coordinates(p, texts), _ok_value(v), _ok_value(o))
                      for v, o, (p, texts) in zip(values, other, points)]

        result = DerivativeResult(
            expr=function.expr, function_variables=function.variables, wrt=wrt_symbols,
            derivative=result_derivative, name=function.name, method=method,
            points=[_labelled(v, *p) for v, p in zip(values, points)], checks=checks,
            display=Display(settings.precision, settings.notation, settings.figure_format))
        result.notes.extend(_method_notes(function, method))
        result.notes.extend(_special_case_note(function, special))
        if check and not points:
            result.notes.append("Nothing to check: --check compares the values at the --at points.")
        if plot:
            result.figure = _drawn(result.notes, lambda: _derivative_figure(function, result, x_range, settings))
    return result


# Orders beyond this are refused: no lecture needs them, and each one costs a differentiation.
MAX_ORDER = 100


@contextmanager
def _computing(settings: Settings):
    """The time limit, and one clear error for whatever SymPy or NumPy raise on the way."""
    with time_limit(settings.timeout):
        try:
            yield
        except GradientError:
            raise
        except RecursionError:
            raise EvaluationError("the expression is nested too deeply to compute") from None
        except Exception as error:  # SymPy's internals on unusual input: one line, not a traceback
            raise EvaluationError(f"could not compute this ({type(error).__name__}: {error})") from None


def _drawn(notes: list[str], draw: Callable):
    """A figure, or None with a note saying why not: a plot that cannot be drawn is no error."""
    try:
        return draw()
    except (GradientError, ArithmeticError, ValueError, TypeError, NameError, KeyError, AttributeError,
            NotImplementedError, RuntimeError) as error:
        notes.append(f"No plot: it could not be drawn ({type(error).__name__}: {str(error)[:80]}).")
        return None


def _choose_method(function: ParsedFunction, method: str, check: bool) -> str:
    if method not in METHODS:
        raise OptionError(f"--method must be one of {', '.join(METHODS)}, got {method!r}")
    if check and not function.is_symbolic:
        raise OptionError(f"--check needs a symbolic derivative, and {function.name} could not be traced "
                          "with SymPy symbols")
    if method == "symbolic" and not function.is_symbolic:
        raise OptionError(f"{function.name} could not be traced with SymPy symbols (it branches on values "
                          "or calls functions SymPy does not know): use --method numeric or auto")
    if method == "auto":
        return "symbolic" if function.is_symbolic else "numeric"
    return "symbolic" if check else method


def _ok_value(point: PointValue) -> float | None:
    return point.value if point.status == "ok" else None


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
    if len(set(wrt)) > 1:  # mixed partial: no one-sided analysis, but kinks are caught
        kind, number = calculus.classify_number(result_derivative.subs(substitutions))
        if kind != "real":
            return PointValue(status="undefined", reason="the derivative is not defined there")
        if function.expr.has(*calculus.NON_SMOOTH) and not calculus.is_continuous_near(
                result_derivative, variables, point):
            return PointValue(status="not differentiable", reason="the derivative is not continuous there")
        return PointValue(status="ok", value=number)
    x = wrt[0]
    others = {v: c for v, c in substitutions.items() if v != x}
    return calculus.analyse_point(function.expr.subs(others), x, len(wrt), substitutions[x],
                                  result_derivative.subs(others), partial=len(variables) > 1)


def _numeric_point(function: ParsedFunction, wrt: tuple[sp.Symbol, ...], point: tuple) -> PointValue:
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
    found = numeric.derivative_at(evaluator, coordinates[index], order, analytic=analytic)
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
    meaning = calculus.corner_meaning(order, found.left, found.right) if found.status != "infinite" else ""
    return PointValue(status=found.status, value=found.value, left=found.left, right=found.right,
                      reason=found.reason, meaning=meaning, **common)


def _numeric_stationary_kind(evaluator: numeric.Evaluator, x: float) -> str:
    second = numeric.derivative_at(evaluator, x, 2, kink_check=False)
    if second.status != "ok" or abs(second.value) <= max(second.error or 0.0, 1e-8):
        return "second-derivative test inconclusive"
    return calculus.extremum_kind(2, second.value)


def _labelled(value: PointValue, coordinates: tuple[sp.Expr, ...], texts: tuple[str, ...]) -> PointValue:
    """Attach the point's coordinates: floats, the user's own text, and LaTeX (π/4 rather than pi/4)."""
    return replace(value, point=tuple(float(c) for c in coordinates), label=texts,
                   latex_label=_latex_coordinates(coordinates, texts))


def _latex_coordinates(coordinates: tuple[sp.Expr, ...], texts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(text if _is_plain_number(text) else sp.latex(c) for c, text in zip(coordinates, texts))


def _is_plain_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _traced_formula_disagrees(function: ParsedFunction, point) -> bool:
    """Whether a traced Python function's own value at the point differs from its traced formula.

    Code like ``1.0 if r == 0 else sin(r)/r`` traces to sin(r)/r, undefined at 0 where the
    function itself answers 1: there the derivative must come from the function, numerically.
    """
    if not function.traced or function.func is None:
        return False
    arguments = (np.array([float(c) for c in point]),) if function.vector_input else tuple(float(c) for c in point)
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            own = complex(function.func(*arguments))
    except Exception:  # the function fails there: nothing to compare, the formula decides
        return False
    kind, formula = calculus.classify_number(function.expr.subs(dict(zip(function.variables, point))))
    if not math.isfinite(own.real) or own.imag:
        return False
    return kind != "real" or abs(own.real - formula) > 1e-8 * max(1.0, abs(own.real))


def _special_case_note(function: ParsedFunction | None, places: list[str]) -> list[str]:
    if not places:
        return []
    return [f"At ({'), ('.join(places)}), {function.name}'s own value differs from its traced formula (a special "
            "case in its code), so the derivative there was computed numerically from the function."]


def _method_notes(function: ParsedFunction, method: str) -> list[str]:
    notes = []
    if function.traced:
        notes.append(f"{function.name} was traced with SymPy symbols and differentiated symbolically.")
    elif function.func is not None:
        notes.append(f"{function.name} could not be traced with SymPy symbols (it branches on values or "
                     "uses functions SymPy does not know), so it was differentiated numerically.")
    elif method == "numeric":
        notes.append("Differentiated numerically (method: numeric).")
    return notes


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
    if function.is_symbolic and (function.expr.free_symbols - {x} or function.expr.has(sp.core.function.AppliedUndef)):
        result.notes.append("No plot: the expression has symbols without values.")
        return None
    low, high = _plot_range(result, x_range, settings)
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


def _curve_values(function: ParsedFunction, result: DerivativeResult, k: int, xs: np.ndarray) -> np.ndarray:
    """f^(k) on xs in one vectorised call: from the formula, or from the numeric engine."""
    x = function.variables[0]
    if result.method == "symbolic":
        formula = function.expr if k == 0 else (result.derivative if k == result.order
                                                else sp.diff(function.expr, x, k))
        # δ(x) from differentiating sign or a step is zero wherever a curve can be drawn
        formula = formula.replace(sp.DiracDelta, lambda *args: sp.S.Zero)
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


def grad(expression, *, vars=None, at=None, hessian: bool = False, dir=None, critical: bool = False,
         descent: bool = False, start=None, rate: float | None = None, steps: int | None = None,
         range=None, plot: bool | None = None, method: str | None = None, simplify: bool | None = None,
         namespace: dict | None = None, settings: Settings | None = None, **overrides) -> GradientResult:
    """The gradient (or, for a vector of expressions, the Jacobian) and what it says.

    Keywords mirror ``%grad``'s options: ``vars="x,y"``, ``at="1,2;0,0"``, ``hessian=True``,
    ``dir="1,1"``, ``critical=True``, ``descent=True`` with ``start="1,1"`` (``--from``),
    ``rate=0.1``, ``steps=30``, ``range="-2,2"`` or ``"-2,2;-1,3"``, ``plot``, ``method``.
    """
    settings = (settings or Settings()).replace(**overrides)
    plot = settings.plot if plot is None else plot
    simplify = settings.simplify if simplify is None else simplify
    rate = 0.1 if rate is None else rate
    steps = 30 if steps is None else steps
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not rate > 0 or not math.isfinite(rate):
        raise OptionError(f"--rate must be a positive number, got {rate!r}")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise OptionError(f"--steps must be a positive integer, got {steps!r}")
    if steps > 100_000:
        raise OptionError(f"--steps is capped at 100000, got {steps}")

    with _computing(settings):
        function = _as_grad_function(expression, namespace, vars, _dimension_hint(at, start, dir))
        if not function.variables:
            raise VariableError("%grad needs a function of at least one variable")
        vector = function.components is not None
        if vector and (hessian or critical or descent or dir is not None):
            raise OptionError("--hessian, --dir, --critical and --descent need a scalar function, not a vector")
        method = _choose_method(function.parsed, method or settings.backend, False) if not vector else "symbolic"
        n = len(function.variables)
        points = parse_points(at, n) if at is not None else []
        direction = _unit_direction(dir, n) if dir is not None else None
        if start is not None and not descent:
            raise OptionError("--from is the start of --descent: add --descent")
        start_point = _descent_start(start, points, n) if descent else None
        result = GradientResult(expr=function.expr, variables=function.variables, name=function.name,
                                method=method, components=function.components,
                                display=Display(settings.precision, settings.notation, settings.figure_format))
        if function.traced:
            result.notes.append(f"{function.name} was traced with SymPy symbols and differentiated symbolically.")
        elif method == "numeric":
            result.notes.append(f"{function.name or 'f'} could not be traced with SymPy symbols, so it was "
                                "differentiated numerically." if function.func is not None
                                else "Differentiated numerically (method: numeric).")
        engine = _SymbolicGradient(function, simplify) if method == "symbolic" else _NumericGradient(function)
        if vector:
            result.jacobian = engine.jacobian
        else:
            result.gradient = engine.gradient
            result.hessian = engine.hessian if hessian else None
        if direction is not None:
            result.direction = tuple(float(c) for c in direction)
            result.directional = engine.directional(direction)
        special = [texts for p, texts in points if isinstance(engine, _SymbolicGradient)
                   and function.parsed is not None and _traced_formula_disagrees(function.parsed, p)]
        fallback = _NumericGradient(function) if special else None
        result.points = [(fallback if texts in special else engine).at(p, texts, direction, hessian)
                         for p, texts in points]
        result.notes.extend(_special_case_note(function.parsed, [", ".join(t) for t in special]))
        box = _grad_box(range, points, start_point, n, settings)
        if critical:
            result.critical, result.critical_note = engine.critical_points(box, settings.timeout)
        if descent:
            result.descent = numeric.gradient_descent(engine.value, engine.gradient_at, start_point, rate, steps)
        if plot:
            result.figure = _drawn(result.notes, lambda: _grad_figure(
                expression, function, engine, result, box, points, range, at, namespace, method, settings))
    return result


@dataclass(frozen=True)
class _GradFunction:
    """What %grad differentiates: a scalar function (parsed) or a vector of expressions."""

    variables: tuple[sp.Symbol, ...]
    parsed: ParsedFunction | None = None
    components: tuple[sp.Expr, ...] | None = None
    name: str | None = None

    @property
    def expr(self):
        return self.parsed.expr if self.parsed is not None else None

    @property
    def func(self):
        return self.parsed.func if self.parsed is not None else None

    @property
    def traced(self) -> bool:
        return self.parsed is not None and self.parsed.traced


def _dimension_hint(*values) -> int | None:
    """How many coordinates the points given have (for a Python function f(v) of a vector)."""
    for value in values:
        if isinstance(value, str) and value.strip():
            return len(value.split(";")[0].split(","))
        if isinstance(value, (list, tuple)) and value:
            first = value[0]
            return len(first) if isinstance(first, (list, tuple)) else len(value)
    return None


def _as_grad_function(expression, namespace, vars, dimension: int | None) -> _GradFunction:
    names = parse_variable_names(vars) if vars is not None else None
    components = _vector_components(expression, namespace)
    if components is not None:
        exprs, name, fixed = components
        symbols = fixed or tuple(sorted(set().union(*(e.free_symbols for e in exprs)), key=natural_key))
        return _GradFunction(_order_variables(symbols, names, exprs), components=exprs, name=name)
    func = namespace.get(expression.strip()) if isinstance(expression, str) and namespace else None
    if func is None and callable(expression) and not isinstance(expression, (str, sp.Basic)):
        func = expression
    size = len(names) if names else dimension
    takes_one = callable(func) and not isinstance(func, (sp.Basic, type)) and len(_positional_names(func)) == 1
    if takes_one and not size and _wants_a_vector(func):
        raise VariableError(f"{expression} seems to take a vector: say how many coordinates with --vars x,y "
                            "(or give a point, --at 1,1)")
    if takes_one and size and size > 1:
        label = expression.strip() if isinstance(expression, str) else getattr(func, "__name__", "f")
        parsed = trace_callable(func, label.replace("<lambda>", "f"), vector_size=size, names=names)
    else:
        parsed = _as_function(expression, namespace)
    variables = _order_variables(parsed.variables, names, (parsed.expr,) if parsed.expr is not None else ())
    if names and parsed.func is not None and len(names) != len(parsed.variables):
        raise VariableError(f"--vars names {len(names)} variable(s); {parsed.name} takes {len(parsed.variables)}")
    if parsed.func is not None:
        variables = parsed.variables if not names else tuple(real_symbol(n) for n in names)
        if names and parsed.expr is not None:
            parsed = replace(parsed, expr=parsed.expr.xreplace(dict(zip(parsed.variables, variables))),
                             variables=variables)
    elif names:
        parsed = replace(parsed, variables=variables)
    return _GradFunction(variables, parsed=parsed, name=parsed.name)


def _wants_a_vector(func) -> bool:
    """Whether a function of one argument fails on a number the way vector code does (v[0], len(v))."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            func(0.5)
    except (IndexError, TypeError, KeyError):
        return True
    except Exception:  # failing otherwise at 0.5 says nothing about vectors
        return False
    return False


def _positional_names(func) -> list[str]:
    import inspect

    try:
        return [p.name for p in inspect.signature(func).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty]
    except (TypeError, ValueError):
        return []


def _order_variables(symbols, names, exprs) -> tuple[sp.Symbol, ...]:
    """--vars as given (each must appear), else the symbols as found."""
    if not names:
        return tuple(symbols)
    present = {s.name: s for s in symbols}
    for e in exprs:
        present.update({s.name: s for s in e.free_symbols})
    for name in names:
        if name not in present:
            known = ", ".join(sorted(present)) or "none"
            raise VariableError(f"--vars {name}: {name} does not appear in the expression (its symbols: {known})")
    if len(set(names)) != len(names):
        raise VariableError("--vars names a variable twice")
    return tuple(present[name] for name in names)


def _vector_components(expression, namespace):
    """(components, name, variables) for [e1, e2, ...], F(x, y) = [...], or a SymPy Matrix; else None."""
    if isinstance(expression, sp.MatrixBase):
        return tuple(expression), None, None
    if not isinstance(expression, str):
        return None
    text = expression.strip()
    value = (namespace or {}).get(text)
    if isinstance(value, sp.MatrixBase):
        return tuple(value), text, None
    name, fixed = None, None
    definition = DEFINITION.match(text)
    if definition:
        name, params, text = definition.group(1), definition.group(2), definition.group(3).strip()
        if text.startswith("[") and text.endswith("]"):
            fixed = parse_parameters(params, expression)
    if not (text.startswith("[") and text.endswith("]")):
        return None
    parts, depth, current = [], 0, ""
    for char in text[1:-1]:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    symbols = {s.name: s for s in fixed} if fixed else None
    components = tuple(parse_expression(part, namespace, symbols) for part in parts)
    return components, name, fixed


def _unit_direction(dir, n: int) -> sp.Matrix:
    found = parse_points(dir if isinstance(dir, str) else [tuple(dir)], n)
    if len(found) != 1:
        raise OptionError("--dir takes one direction")
    vector = found[0][0]
    try:
        return calculus.unit_vector(vector)
    except ValueError:
        raise OptionError("--dir needs a direction of non-zero length") from None


def _descent_start(start, points, n: int) -> tuple[float, ...]:
    if start is not None:
        found = parse_points(start if isinstance(start, str) else [tuple(start)], n)
        if len(found) != 1:
            raise OptionError("--from takes one point")
        return tuple(float(c) for c in found[0][0])
    if points:
        return tuple(float(c) for c in points[0][0])
    raise OptionError("--descent needs a start point: give --from 1,1 (or an --at point)")


def _grad_box(range, points, start, n: int, settings: Settings) -> list[tuple[float, float]]:
    """The plotting (and numeric search) box: --range, else around the points, else x_range."""
    if range is not None:
        parts = range.split(";") if isinstance(range, str) else [range]
        if len(parts) not in (1, n):
            raise OptionError(f"--range takes A,B for every axis or one A,B per variable ({n})")
        ranges = [parse_range(part) for part in parts]
        return ranges * n if len(ranges) == 1 else ranges
    coordinates = [tuple(float(c) for c in p) for p, _ in points] + ([start] if start else [])
    if not coordinates:
        return [settings.x_range] * n
    box = []
    for axis in zip(*coordinates):
        low, high = min(axis), max(axis)
        pad = max(0.5 * (high - low), 1.0)
        box.append((low - pad, high + pad))
    return box


PERIODIC = (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc)
# A critical point found numerically is only known to about 1e-6 near a degenerate one (Newton
# converges slowly there), so smaller Hessian eigenvalues count as zero.
NUMERIC_EIGENVALUE_TOLERANCE = 1e-6


class _SymbolicGradient:
    """Gradient, Hessian, Jacobian and their values from SymPy formulas."""

    def __init__(self, function: _GradFunction, simplify: bool):
        self.function = function
        self.variables = function.variables
        if function.components is not None:
            self.jacobian = calculus.jacobian(function.components, self.variables, simplify)
            self.gradient = self.hessian = None
            return
        expr = function.expr
        self.gradient = calculus.gradient(expr, self.variables, simplify)
        self.hessian = calculus.hessian(expr, self.variables, simplify)
        extra = (expr.free_symbols - set(self.variables))
        self._parameters = sorted(s.name for s in extra)
        self._value = self._gradient = None

    def _require_values(self):
        if getattr(self, "_parameters", None):
            raise OptionError(f"cannot evaluate at points: the expression also depends on "
                              f"{', '.join(self._parameters)}; define it as f(x, y, ...) = ... or substitute a value")

    def directional(self, unit: sp.Matrix) -> sp.Expr:
        return sp.simplify((self.gradient.T * unit)[0])

    def at(self, point, texts, unit, with_hessian: bool) -> GradientPoint:
        self._require_values()
        substitutions = dict(zip(self.variables, point))
        common = dict(point=tuple(float(c) for c in point), label=texts, latex_label=_latex_coordinates(point, texts))
        if self.function.components is not None:
            rows = _numbers(self.jacobian.subs(substitutions))
            if rows is None:
                return GradientPoint(reason="the Jacobian is not defined there", **common)
            return GradientPoint(jacobian=rows, **common)
        f_kind, _ = calculus.classify_number(self.function.expr.subs(substitutions))
        if f_kind != "real":
            reason = "outside the domain of f" if f_kind == "complex" else "f is not defined there"
            return GradientPoint(reason=reason, **common)
        gradient = _numbers(self.gradient.subs(substitutions))
        if gradient is None:
            return GradientPoint(reason="the gradient is not defined there", **common)
        components = tuple(row[0] for row in gradient)
        exact_gradient = self.gradient.subs(substitutions)
        if self.function.expr.has(*calculus.NON_SMOOTH) and not all(
                calculus.is_continuous_near(g, self.variables, point) for g in self.gradient):
            return GradientPoint(reason="not differentiable there (a partial derivative jumps: a kink)", **common)
        extras = {"stationary": all(calculus.is_zero(g, n) for g, n in zip(exact_gradient, components))}
        if unit is not None:
            extras["directional"] = sum(g * float(u) for g, u in zip(components, unit))
        if with_hessian:
            extras.update(_hessian_at(_numbers(self.hessian.subs(substitutions))))
        return GradientPoint(gradient=components, **common, **extras)

    def value(self, point) -> float:
        if self._value is None:
            self._value = sp.lambdify(self.variables, self.function.expr, "numpy")
        with np.errstate(all="ignore"):
            try:
                return float(self._value(*point))
            except (TypeError, ValueError, ZeroDivisionError, OverflowError):
                return math.nan

    def gradient_at(self, point) -> np.ndarray:
        self._require_values()
        if self._gradient is None:
            self._gradient = sp.lambdify(self.variables, list(self.gradient), "numpy")
        with np.errstate(all="ignore"):
            try:
                return np.asarray(self._gradient(*point), dtype=float)
            except (TypeError, ValueError, ZeroDivisionError, OverflowError):
                return np.full(len(self.variables), np.nan)

    def critical_points(self, box, timeout: float) -> tuple[list[CriticalPoint], str]:
        self._require_values()
        from .errors import ComputationTimeout

        try:
            with time_limit(timeout / 2, "solving ∇f = 0"):
                solved = calculus.solve_critical_points(self.gradient, self.variables)
        except ComputationTimeout:
            solved = None
        if solved is not None:
            points, families = solved
            found = [self._classified(tuple(float(sp.N(c)) for c in p), exact=p) for p in points]
            note = "Critical points, solved exactly (SymPy):" if found else (
                "No isolated critical points." if families else "No critical points (∇f = 0 has no real solution).")
            if found and self.function.expr.has(*PERIODIC):
                note = "Critical points, solved exactly (SymPy), in one period (f is periodic: they repeat):"
            if families:
                shown = "; ".join(", ".join(f"{k} = {v}" for k, v in family.items()) for family in families)
                note += f" Also whole sets of critical points where {shown} (any value of the other variables)."
            return found, note
        hessian = sp.lambdify(self.variables, self.hessian, "numpy")
        gradient = sp.lambdify(self.variables, list(self.gradient), "numpy")
        found = numeric.newton_critical_points(gradient, hessian, box)
        shown_box = " × ".join(f"[{low:g}, {high:g}]" for low, high in box)
        note = (f"Critical points found numerically (Newton's method from a grid of starts in {shown_box}; "
                "SymPy could not solve ∇f = 0 exactly):" if found else
                f"No critical points found numerically in {shown_box} (SymPy could not solve ∇f = 0 exactly).")
        return [self._classified(tuple(float(c) for c in p)) for p in found], note

    def _classified(self, point, exact=None) -> CriticalPoint:
        rows = _numbers(self.hessian.subs(dict(zip(self.variables, exact if exact is not None else point))))
        if rows is None:
            return CriticalPoint(point, "degenerate (the Hessian is not defined there)", exact)
        eigenvalues = tuple(float(e) for e in np.linalg.eigvalsh(np.array(rows)))
        relative = 1e-13 if exact is not None else NUMERIC_EIGENVALUE_TOLERANCE
        return CriticalPoint(point, calculus.critical_kind(calculus.definiteness(eigenvalues, relative)),
                             exact, eigenvalues)


class _NumericGradient:
    """Gradient and Hessian values from the numeric engine, for untraced functions or --method numeric."""

    jacobian = gradient = hessian = None

    def __init__(self, function: _GradFunction):
        self.function = function
        self.variables = function.variables
        parsed = function.parsed
        self.vector_input = parsed.vector_input if parsed is not None else False
        if parsed is not None and parsed.func is not None:
            self.func = parsed.func
        else:
            extra = function.expr.free_symbols - set(self.variables)
            if extra:
                raise OptionError(f"cannot evaluate at points: the expression also depends on "
                                  f"{', '.join(sorted(s.name for s in extra))}")
            self.func = _undefined_as_nan(sp.lambdify(self.variables, function.expr, "numpy"))
        self.name = function.name or "f"

    def _call(self, point) -> float:
        args = (np.asarray(point, dtype=float),) if self.vector_input else tuple(point)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return numeric.as_real(self.func(*args), f"{self.name}{tuple(float(p) for p in point)}")

    def directional(self, unit) -> None:
        return None

    def at(self, point, texts, unit, with_hessian: bool) -> GradientPoint:
        coordinates = tuple(float(c) for c in point)
        common = dict(point=coordinates, label=texts, latex_label=_latex_coordinates(point, texts))
        try:
            fx = self._call(coordinates)
        except Exception as error:
            raise EvaluationError(f"{self.name} raised {type(error).__name__} at {coordinates}: {error}") from None
        if not math.isfinite(fx):
            return GradientPoint(reason=f"{self.name} is not a finite number there", **common)
        values, errors = numeric.gradient(self.func, coordinates, self.vector_input, self.name, kink_check=True)
        if not np.all(np.isfinite(values)):
            return GradientPoint(reason="not differentiable there (a partial derivative is undefined or jumps)",
                                 **common)
        extras = {"stationary": float(np.linalg.norm(values)) <= float(np.linalg.norm(errors)),
                  "method": "central differences with Richardson extrapolation"}
        if unit is not None:
            extras["directional"] = float(np.dot(values, [float(u) for u in unit]))
        if with_hessian:
            matrix, hessian_errors = numeric.hessian(self.func, coordinates, self.vector_input, self.name)
            extras.update(_hessian_at(tuple(tuple(float(v) for v in row) for row in matrix),
                                      10 * float(np.sum(hessian_errors))))
        return GradientPoint(gradient=tuple(float(v) for v in values), errors=tuple(float(e) for e in errors),
                             **common, **extras)

    def value(self, point) -> float:
        try:
            return self._call(point)
        except Exception:  # the user's code failing during descent: the run reports it
            return math.nan

    def gradient_at(self, point) -> np.ndarray:
        try:
            return numeric.gradient(self.func, point, self.vector_input, self.name)[0]
        except EvaluationError:
            return np.full(len(self.variables), np.nan)

    def critical_points(self, box, timeout: float) -> tuple[list[CriticalPoint], str]:
        def gradient(*point):
            return self.gradient_at(point)

        def hessian(*point):
            return numeric.hessian(self.func, point, self.vector_input, self.name)[0]

        found = numeric.newton_critical_points(gradient, hessian, box, starts_per_axis=4, iterations=40,
                                               merge=1e-4, settle=1e-7)
        shown_box = " × ".join(f"[{low:g}, {high:g}]" for low, high in box)
        critical = []
        for p in found:
            matrix, errors = numeric.hessian(self.func, p, self.vector_input, self.name)
            eigenvalues = tuple(float(e) for e in np.linalg.eigvalsh(matrix))
            zero = calculus.definiteness(eigenvalues, absolute=10 * float(np.sum(errors)))
            critical.append(CriticalPoint(tuple(float(c) for c in p), calculus.critical_kind(zero), None, eigenvalues))
        note = (f"Critical points found numerically (Newton's method from a grid of starts in {shown_box}):"
                if critical else f"No critical points found numerically in {shown_box}.")
        return critical, note


def _undefined_as_nan(func: Callable) -> Callable:
    """A lambdified expression that answers NaN where it is undefined (1/0), as NumPy would."""

    def evaluate(*args):
        try:
            return func(*args)
        except (ZeroDivisionError, OverflowError, ValueError):
            return math.nan

    return evaluate


def _numbers(matrix: sp.Matrix) -> tuple[tuple[float, ...], ...] | None:
    """A SymPy matrix of numbers as float rows, or None if any entry is not a finite real number."""
    rows = []
    for i in range(matrix.rows):
        row = []
        for j in range(matrix.cols):
            kind, number = calculus.classify_number(matrix[i, j])
            if kind != "real":
                return None
            row.append(number)
        rows.append(tuple(row))
    return tuple(rows)


def _hessian_at(rows, error: float = 0.0) -> dict:
    """The Hessian's values, eigenvalues and definiteness (eigenvalues within ``error`` count as zero)."""
    if rows is None:
        return {"definiteness": "the Hessian is not defined there"}
    eigenvalues = tuple(float(e) for e in np.linalg.eigvalsh(np.array(rows, dtype=float)))
    return {"hessian": rows, "eigenvalues": eigenvalues,
            "definiteness": calculus.definiteness(eigenvalues, absolute=error)}


def _grad_figure(expression, function: _GradFunction, engine, result: GradientResult, box, points, range, at,
                 namespace, method: str, settings: Settings):
    """Contour, gradient arrows, points, critical points and descent path for two variables."""
    n = len(function.variables)
    if function.components is not None:
        result.notes.append("No plot: vector functions are not plotted (the Jacobian is shown instead).")
        return None
    if n == 1:  # the same plot as %deriv
        return deriv(expression, at=at, range=range, method=method, namespace=namespace, settings=settings,
                     plot=True).figure
    if n > 2:
        result.notes.append(f"No plot: f has {n} variables; contour plots are drawn for two.")
        return None
    from .plotting import ContourData, contour_figure

    if range is None:  # cover what was found too: exact critical points, a descent path that stayed finite
        found = [c.point for c in result.critical]
        if result.descent is not None and result.descent.status != "diverged":
            found += [tuple(p) for p in result.descent.path]
        if found:
            box = _covering(box, np.array(found))
    xs = np.linspace(*box[0], 90)
    ys = np.linspace(*box[1], 90)
    grid_x, grid_y = np.meshgrid(xs, ys)
    heights = _surface(engine, function, grid_x, grid_y)
    arrow_x, arrow_y = np.meshgrid(np.linspace(*box[0], 15), np.linspace(*box[1], 15))
    arrows = _gradient_field(engine, function, arrow_x, arrow_y)
    at_points = [(p.point, p.gradient) for p in result.points if p.gradient is not None]
    data = ContourData(grid_x, grid_y, heights, arrow_x, arrow_y, arrows[0], arrows[1], at_points,
                       [(c.point, c.kind) for c in result.critical],
                       None if result.descent is None else result.descent.path,
                       tuple(v.name for v in function.variables), function.name or "f")
    return contour_figure(data, settings.figure_size)


def _covering(box, path) -> list[tuple[float, float]]:
    """The box grown to hold the descent path, with a margin."""
    grown = []
    for (low, high), axis in zip(box, np.asarray(path).T):
        low, high = min(low, float(axis.min())), max(high, float(axis.max()))
        pad = 0.05 * (high - low)
        grown.append((low - pad, high + pad))
    return grown


def _surface(engine, function: _GradFunction, grid_x, grid_y) -> np.ndarray:
    if isinstance(engine, _SymbolicGradient):
        evaluate = sp.lambdify(function.variables, function.expr, "numpy")
        with np.errstate(all="ignore"):
            try:
                values = np.broadcast_to(np.asarray(evaluate(grid_x, grid_y), dtype=complex), grid_x.shape)
                return np.where(np.abs(values.imag) < 1e-12, values.real, np.nan)
            except (TypeError, ValueError, NameError, ZeroDivisionError):
                pass
    return np.vectorize(lambda a, b: engine.value((a, b)), otypes=[float])(grid_x, grid_y)


def _gradient_field(engine, function: _GradFunction, grid_x, grid_y):
    """∇f on the arrow grid: from the formula, or from central differences for a black box."""
    if isinstance(engine, _SymbolicGradient):
        evaluate = sp.lambdify(function.variables, list(engine.gradient), "numpy")
        with np.errstate(all="ignore"):
            try:
                u, v = (np.broadcast_to(np.asarray(c, dtype=float), grid_x.shape) for c in evaluate(grid_x, grid_y))
                return u, v
            except (TypeError, ValueError, NameError, ZeroDivisionError):
                pass
    h = 1e-6 * max(1.0, float(np.max(np.abs(grid_x))), float(np.max(np.abs(grid_y))))
    value = np.vectorize(lambda a, b: engine.value((a, b)), otypes=[float])
    with np.errstate(all="ignore"):
        u = (value(grid_x + h, grid_y) - value(grid_x - h, grid_y)) / (2 * h)
        v = (value(grid_x, grid_y + h) - value(grid_x, grid_y - h)) / (2 * h)
    return u, v


# --- %%tangent ----------------------------------------------------------------------------------

UNNAMED = ("f", "g", "h", "p", "q", "r", "s", "u")


def tangent(cell, *, at=None, range=None, order: int = 1, secant=None, normal: bool = False, delta=None,
            plot: bool | None = None, method: str | None = None, namespace: dict | None = None,
            settings: Settings | None = None, **overrides) -> TangentResult:
    """Tangent lines (Taylor polynomials, tangent planes) of each function in ``cell`` at the points.

    ``cell``: the text of a ``%%tangent`` cell, one function per line, or a list of functions.
    Keywords mirror the options: ``at="-0.5,0.5"``, ``range="-1,1"``, ``order=2``, ``secant="0.5,0.1"``,
    ``normal=True``, ``delta="0.1"``, ``plot``, ``method``.
    """
    settings = (settings or Settings()).replace(**overrides)
    plot = settings.plot if plot is None else plot
    if isinstance(order, bool) or not isinstance(order, int) or not 1 <= order <= MAX_ORDER:
        raise OptionError(f"--order must be a positive integer up to {MAX_ORDER}, got {order!r}")
    with _computing(settings):
        functions = _cell_functions(cell, namespace)
        method = method or settings.backend
        for _, parsed in functions:
            _choose_method(parsed, method, False)
        widths = [float(parse_number(w)) for w in _items(secant)] if secant is not None else []
        if any(w == 0 for w in widths):
            raise OptionError("--secant needs non-zero widths h (the secant through a and a + h)")
        steps = [float(parse_number(d)) for d in _items(delta)] if delta is not None else []
        box = _tangent_box(range, at, functions, settings)
        result = TangentResult(order=order, display=Display(settings.precision, settings.notation,
                                                           settings.figure_format))
        for name, parsed in functions:
            result.functions.append((name, parsed.expr, parsed.variables))
            for point, texts in _tangent_points(at, parsed, box, range is not None):
                result.lines.append(_tangent_at(name, parsed, point, texts, order, normal, widths, steps, method))
            if parsed.expr is None:
                result.notes.append(f"{name} could not be traced with SymPy symbols: its slopes were computed numerically.")
        if plot:
            result.figure = _drawn(result.notes, lambda: _tangent_figure(result, functions, box, settings))
    return result


def _items(value) -> list[str]:
    if isinstance(value, str):
        return [v for v in value.replace(";", ",").split(",") if v.strip()] or [value]
    return [str(v) for v in (value if isinstance(value, (list, tuple)) else [value])]


def _cell_functions(cell, namespace) -> list[tuple[str, ParsedFunction]]:
    """The functions of a cell, one per line (blank lines and # comments skipped), each named."""
    if isinstance(cell, str):
        entries = [(number, line.split("#", 1)[0].strip()) for number, line in enumerate(cell.splitlines(), start=1)]
        entries = [(number, text) for number, text in entries if text]
    else:
        entries = list(enumerate(cell if isinstance(cell, (list, tuple)) else [cell], start=1))
    if not entries:
        raise ExpressionError("the cell is empty: write one function per line, such as f(x) = x^2")
    functions, used = [], set()
    for number, entry in entries:
        try:
            parsed = _as_function(entry, namespace)
        except GradientError as error:
            raise type(error)(f"line {number}: {error}") from None
        if parsed.expr is None and parsed.func is None:
            raise ExpressionError(f"line {number}: nothing to differentiate")
        if len(parsed.variables) > 2:
            raise VariableError(f"line {number}: {entry!r} has {len(parsed.variables)} variables; tangent lines "
                                "and planes need one or two")
        if not parsed.variables:
            parsed = replace(parsed, variables=(real_symbol("x"),))
        name = parsed.name or next(n for n in UNNAMED if n not in used)
        if name in used:
            raise ExpressionError(f"line {number}: the name {name} is used twice")
        used.add(name)
        functions.append((name, parsed))
    return functions


def _tangent_box(range, at, functions, settings: Settings) -> list[tuple[float, float]]:
    """The x range (and y range for planes): --range, else around the points, else x_range."""
    two = any(len(p.variables) == 2 for _, p in functions)
    if range is not None:
        parts = range.split(";") if isinstance(range, str) else [range]
        ranges = [parse_range(part) for part in parts]
        return (ranges * 2)[:2] if len(ranges) == 1 else ranges[:2]
    if at is None:
        return [settings.x_range] * 2
    coordinates = [float(parse_number(c)) for c in _items(at)]
    xs = coordinates[0::2] if two and all(len(p.variables) == 2 for _, p in functions) else coordinates
    ys = coordinates[1::2] if two and all(len(p.variables) == 2 for _, p in functions) else coordinates
    box = []
    for axis in (xs, ys):
        low, high = min(axis), max(axis)
        pad = 0.5 * (high - low) if high > low else 1.0
        box.append((low - pad, high + pad))
    return box


def _tangent_points(at, parsed: ParsedFunction, box, range_given: bool):
    """The --at points for this function (by its number of variables); default the middle of the range."""
    n = len(parsed.variables)
    if at is None:
        middle = tuple(sp.Rational(repr((low + high) / 2)) for low, high in box[:n])
        return [(middle, tuple(format(float(c), "g") for c in middle))]
    points = list({tuple(point): (point, texts) for point, texts in parse_points(at, n)}.values())  # no repeats
    if range_given:
        for point, texts in points:
            for c, text, (low, high) in zip(point, texts, box):
                if not low <= float(c) <= high:
                    raise OptionError(f"the point {text} is outside --range {low:g},{high:g}")
    return points


def _tangent_at(name: str, parsed: ParsedFunction, point, texts, order: int, normal: bool, widths, steps,
                method: str) -> TangentLine:
    common = dict(name=name, expr=parsed.expr, variables=parsed.variables,
                  point=tuple(float(c) for c in point), label=texts, latex_label=_latex_coordinates(point, texts),
                  center=tuple(point), normal=normal)
    if len(parsed.variables) == 2:
        return _tangent_plane_at(parsed, point, method, common)
    x = parsed.variables[0]
    symbolic = parsed.expr is not None and method != "numeric"
    if symbolic:
        analysis = calculus.analyse_point(parsed.expr, x, 1, point[0], sp.diff(parsed.expr, x))
    else:
        analysis = _numeric_point(parsed, (x,), point)
    if analysis.status in ("infinite",) or (analysis.status == "not differentiable"
                                            and math.inf in map(abs, filter(None, (analysis.left, analysis.right)))):
        return TangentLine(kind="vertical", left=analysis.left, right=analysis.right, **common)
    if analysis.status != "ok":
        reason = analysis.reason if analysis.status == "undefined" else f"not differentiable ({analysis.reason})"
        return TangentLine(kind="none", reason=reason, left=analysis.left, right=analysis.right, **common)
    coefficients = (calculus.taylor_coefficients(parsed.expr, x, point[0], order) if symbolic
                    else _numeric_taylor(parsed, point[0], order))
    if coefficients is None:
        return TangentLine(kind="none", reason=f"a derivative up to order {order} is not defined there", **common)
    value = _value_function(parsed)
    a, fa, slope = float(point[0]), float(coefficients[0]), float(coefficients[1])
    secants = tuple((h, value(a + h) - fa, (value(a + h) - fa) / h, (value(a + h) - fa) / h - slope) for h in widths)
    deltas = tuple((dx, fa + slope * dx, value(a + dx), value(a + dx) - fa - slope * dx) for dx in steps)
    return TangentLine(kind="line" if order == 1 else "taylor", coefficients=tuple(coefficients),
                       secants=secants, deltas=deltas, **common)


def _numeric_taylor(parsed: ParsedFunction, a: sp.Expr, order: int) -> list[sp.Expr] | None:
    evaluator = numeric.Evaluator(parsed.func, parsed.name or "f")
    coefficients = [sp.Float(evaluator.at(float(a)))]
    for k in range(1, order + 1):
        found = numeric.derivative_at(evaluator, float(a), k, kink_check=False)
        if found.status != "ok":
            return None
        coefficients.append(sp.Float(found.value) / sp.factorial(k))
    return coefficients


def _value_function(parsed: ParsedFunction) -> Callable[[float], float]:
    """f as a plain float function, NaN where undefined."""
    if parsed.func is not None:
        evaluator = numeric.Evaluator(parsed.func)
        return lambda t: float(evaluator.many(np.array([t]))[0])
    evaluator = numeric.expression_evaluator(parsed.expr, parsed.variables[0])
    return lambda t: float(evaluator.many(np.array([t]))[0])


def _tangent_plane_at(parsed: ParsedFunction, point, method: str, common: dict) -> TangentLine:
    if parsed.expr is not None and method != "numeric":
        coefficients = calculus.plane_coefficients(parsed.expr, parsed.variables, point)
        if coefficients is not None and parsed.expr.has(*calculus.NON_SMOOTH) and not all(
                calculus.is_continuous_near(sp.diff(parsed.expr, v), parsed.variables, point)
                for v in parsed.variables):
            return TangentLine(kind="none", reason="not differentiable (a partial derivative is not continuous there)",
                               **common)
    else:
        values, _ = numeric.gradient(parsed.func or sp.lambdify(parsed.variables, parsed.expr, "numpy"),
                                     tuple(float(c) for c in point), name=parsed.name or "f")
        height = numeric.as_real((parsed.func or sp.lambdify(parsed.variables, parsed.expr, "numpy"))(
            *(float(c) for c in point)), "f")
        coefficients = [sp.Float(height)] + [sp.Float(v) for v in values]
    if coefficients is None or not all(math.isfinite(float(c)) for c in coefficients):
        return TangentLine(kind="none", reason="the tangent plane is not defined there", **common)
    return TangentLine(kind="plane", coefficients=tuple(coefficients), **common)


def _tangent_figure(result: TangentResult, functions, box, settings: Settings):
    from .plotting import COLORS, Curve, Segment, SurfacePanel, tangent_figure

    curves, segments, surfaces = [], [], []
    one = [(name, parsed) for name, parsed in functions if len(parsed.variables) == 1]
    xs = np.linspace(*box[0], settings.samples)
    width = 0.2 * (box[0][1] - box[0][0])
    for (name, parsed), color in zip(one, COLORS * 4):
        x = parsed.variables[0]
        evaluate = _value_function(parsed)
        ys = (numeric.Evaluator(parsed.func).many(xs) if parsed.func is not None
              else numeric.expression_evaluator(parsed.expr, x).many(xs))
        label = f"${_latex_name(name)}({sp.latex(x)}) = {sp.latex(parsed.expr)}$" if parsed.expr is not None else name
        curve = Curve(label, xs, ys)
        for line in (l for l in result.lines if l.name == name):
            a = line.point[0]
            fa = evaluate(a)
            if math.isfinite(fa):
                (curve.markers if line.kind in ("line", "taylor", "vertical") else curve.open_markers).append((a, fa))
            segments += _line_segments(line, a, fa, width, color, evaluate)
        curves.append(curve)
    for name, parsed in functions:
        if len(parsed.variables) == 2:
            surfaces.append(_surface_panel(name, parsed, [l for l in result.lines if l.name == name], box))
    x_label = one[0][1].variables[0].name if one else "x"
    return tangent_figure(curves, segments, surfaces, x_label, settings.figure_size)


def _line_segments(line: TangentLine, a: float, fa: float, width: float, color: str, evaluate) -> list:
    from .plotting import Segment

    segments = []
    window = np.linspace(a - width, a + width, 60)
    if line.kind in ("line", "taylor"):
        polynomial = sp.lambdify(line.variables[0], line.polynomial, "numpy")
        ys = np.broadcast_to(np.asarray(polynomial(window), dtype=float), window.shape)
        rounded = _rounded_polynomial(line.polynomial, line.variables, 3, latex=True)
        equation = f"y \\approx {rounded}" if rounded else f"y = {sp.latex(line.polynomial)}"
        segments.append(Segment(window, ys, f"${equation}$", color, "--"))
    elif line.kind == "vertical":
        segments.append(Segment(np.array([a, a]), np.array([fa - width, fa + width]), f"${sp.latex(line.variables[0])} = "
                                f"{line.latex_label[0]}$", color, "--"))
    normal = line.normal_equation
    if normal is not None:
        if normal.lhs == line.variables[0]:
            segments.append(Segment(np.array([a, a]), np.array([fa - width, fa + width]), "normal", color, ":"))
        else:
            ys = np.broadcast_to(np.asarray(sp.lambdify(line.variables[0], normal.rhs, "numpy")(window), dtype=float),
                                 window.shape)
            segments.append(Segment(window, ys, f"normal: $y = {sp.latex(normal.rhs)}$", color, ":"))
    for h, rise, slope, _ in line.secants:
        span = np.linspace(min(a, a + h) - 0.1 * abs(h), max(a, a + h) + 0.1 * abs(h), 20)
        segments.append(Segment(span, fa + slope * (span - a), f"secant h = {h:g}: slope {slope:.3g}", color, "-."))
    return segments


def _surface_panel(name: str, parsed: ParsedFunction, lines, box):
    from .plotting import SurfacePanel

    evaluate = (sp.lambdify(parsed.variables, parsed.expr, "numpy") if parsed.expr is not None else parsed.func)
    grid_x, grid_y = np.meshgrid(np.linspace(*box[0], 40), np.linspace(*box[1], 40))
    heights = np.vectorize(lambda a, b: _quiet_float(evaluate, a, b), otypes=[float])(grid_x, grid_y)
    planes = []
    for line in lines:
        if line.kind != "plane":
            continue
        (a, b), (height, fx, fy) = line.point, (float(c) for c in line.coefficients)
        half_x, half_y = 0.25 * (box[0][1] - box[0][0]), 0.25 * (box[1][1] - box[1][0])
        plane_x, plane_y = np.meshgrid(np.linspace(a - half_x, a + half_x, 8), np.linspace(b - half_y, b + half_y, 8))
        planes.append((plane_x, plane_y, height + fx * (plane_x - a) + fy * (plane_y - b), (a, b, height), ""))
    args = ", ".join(v.name for v in parsed.variables)
    title = f"${_latex_name(name)}({args}) = {sp.latex(parsed.expr)}$" if parsed.expr is not None else name
    return SurfacePanel(title, grid_x, grid_y, heights, planes, tuple(v.name for v in parsed.variables))


def _quiet_float(func, *args) -> float:
    try:
        return float(np.real_if_close(complex(func(*args))).real) if np.isreal(complex(func(*args))) else math.nan
    except Exception:  # a point where the user's function fails is a hole in the surface
        return math.nan
