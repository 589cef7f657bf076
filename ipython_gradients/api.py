"""The Python API: keyword arguments in, result objects out. The magics call exactly these.

``deriv``, ``grad`` and ``tangent`` check their options, parse, compute (with the pieces in
``derivatives``, ``gradients`` and ``tangents``) under the time limit, and return a result. This is
the one module that orchestrates: everything it imports sits below it, nothing below imports it.
A figure builder that has nothing to draw raises ``NoPlot``; ``_figure_or_note`` turns that (or a
figure that fails to draw) into the result's note.
"""

from __future__ import annotations

import builtins
import dataclasses
import difflib
import inspect
import math
import numbers
import os
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from functools import partial

import numpy as np
import sympy as sp

from . import calculus, optimise
from .derivatives import (
    as_function,
    choose_wrt,
    definition_figure,
    derivative_figure,
    implicit_figure,
    labelled,
    latex_coordinates,
    method_notes,
    numeric_point,
    special_case_note,
    symbolic_point,
    traced_formula_disagrees,
)
from .errors import (
    ComputationTimeout,
    EvaluationError,
    ExpressionError,
    GradientError,
    NoPlot,
    OptionError,
    TimeLimitExceeded,
    VariableError,
)
from .expressions import (
    ParsedFunction,
    parse_expression,
    parse_number,
    parse_numbers,
    parse_points,
    parse_range,
    parse_real,
    natural_key,
    parse_variable_names,
    real_symbol,
    remembered_definition,
    shown_value,
)
from .frameworks import check_framework, derivative_rows, gradient_rows
from .gradients import (
    NumericGradient,
    SymbolicGradient,
    as_grad_function,
    constrained_figure,
    descent_panel,
    descent_start,
    dimension_hint,
    grad_box,
    gradient_figure,
    unit_direction,
)
from .results import (
    DerivativeResult,
    Display,
    GradientResult,
    TangentResult,
)
from .results.graph import FrameworkTable
from .results.notation import unicode_text
from .results.symbols import for_the_user, given_symbols
from .results.rates import RatesResult
from .results.values import (
    Check,
    PointValue,
    QuotientTable,
)
from .settings import METHODS, Settings
from .sizes import refuse_huge_points
from .sweeps import (
    AUTODIFF_NOTE,
    AutodiffGradient,
    autodiff_point,
    check_mode,
    derivative_verdicts,
    gradient_verdicts,
    graph_figure,
    swept_graph,
)
from .tangents import (
    at_points,
    cell_functions,
    curve_box,
    curve_figure,
    curve_points,
    curve_tangent_at,
    is_curve,
    secant_parts,
    tangent_at,
    tangent_box,
    tangent_figure,
    tangent_points,
)
from .interactive import descent_animation, secant_animation
from .textbook import derivative_notation
from .timeouts import time_limit


def deriv(expression, *, wrt=None, order: int = 1, at=None, range=None, plot: bool | None = None,
          simplify: bool | None = None, method: str | None = None, check: bool = False, steps: bool = False,
          definition: bool = False, implicit=None, rate=None, given=None, graph: bool = False,
          mode: str | None = None, against: str | None = None, interactive: bool = False,
          namespace: dict | None = None, settings: Settings | None = None,
          **overrides) -> DerivativeResult | RatesResult:
    """Differentiate ``expression`` and, optionally, evaluate and interpret it at points.

    ``expression``: text in the expression language (``"x^2 sin(x)"``, ``"f(x) = x^2"``), a
    SymPy expression, or a Python function. ``wrt``: ``"x"``, ``"x,y"`` (mixed partial) or a list.
    ``at``: ``"-0.5,0.5,0"`` or a list of numbers (tuples for several variables). ``range``:
    ``"A,B"`` or a pair. ``method``: ``"symbolic"``, ``"numeric"`` or ``"auto"``; ``check``:
    compute the values the three ways (symbolic, numeric, autodiff) and compare. ``graph=True``: the
    computational graph swept at the points (``mode="reverse"`` or ``"forward"``), in ``r.graph``;
    ``method="autodiff"``: values from reverse sweeps; ``against="jax"`` or ``"torch"``: the
    framework's own derivative of a Python function beside ours. ``definition``: derive it from the
    limit of the difference quotient, with the quotients at the points. ``implicit``: the name of y in
    an equation of a curve (``"x^2 + y^2 = 25"``), y a function of x; points are ``x,y`` on the curve.
    ``rate``: related rates, every quantity of the relation a function of this time variable, with
    ``given`` rates (``"dr/dt = 2"``) and ``at`` the values at that moment (``"r = 5"``): returns a
    ``RatesResult``. ``interactive``: a slider for the point a, with the tangent and f'(a) and
    its meaning as ``at`` gives them (``result.live``; shown in Jupyter with ipywidgets). Other keywords (``precision=6``,
    ``notation="prime"``, ...) override ``settings``.
    """
    settings = _settings(deriv, settings, overrides)
    namespace = _namespace(namespace)
    interactive = _flag(interactive, "--interactive")
    plot = _interactive_plot(interactive, plot, settings)
    simplify = _flag(simplify, "--simplify", settings.simplify)
    check, steps = _flag(check, "--check"), _flag(steps, "--steps")
    definition = _flag(definition, "--definition")
    order = _order(order)
    graph = _flag(graph, "--graph")
    mode = check_mode(mode, graph)
    if graph and order != 1:
        raise OptionError("--graph shows the sweep of a first derivative: leave out --order")
    wrt, at, range = _listed(wrt), _listed(at), _listed(range)

    if rate is not None or given is not None:
        if implicit is not None or definition or graph or against is not None or interactive or order != 1:
            raise OptionError("--rate and --given find one rate: they do not go with --implicit, --definition, "
                              "--graph, --against, --interactive or --order")
        return _related_rates(expression, rate, given, at, steps, namespace, settings)
    if implicit is not None:
        return _implicit(expression, implicit, wrt, order, at, range, plot, steps, definition, check, method,
                         namespace, settings)
    with _computing(settings):
        x_range = parse_range(range) if range is not None else None
        expression, wrt, order, source = _derivative_notation(expression, wrt, order, namespace)
        function = as_function(expression, namespace, settings.roots)
        method = _choose_method(function, settings.backend if method is None else method, check, autodiff=True)
        if method == "autodiff" and order != 1:
            raise OptionError("--method autodiff gives first derivatives here: use symbolic or numeric for --order")
        wrt_symbols = choose_wrt(function, wrt, order)
        if not function.variables:  # a constant: a function of the variable differentiated
            function = replace(function, variables=wrt_symbols[:1])
        points = parse_points(at, len(function.variables)) if at is not None else []
        refuse_huge_points([function.expr], function.variables, points)
        framework = check_framework(against, function, points)
        if framework and (order != 1 or len(wrt_symbols) != 1):
            raise OptionError("--against compares first derivatives: leave out --order and give one --wrt variable")
        if method == "symbolic":
            refuse_if_huge(function.expr)
        if definition:
            _refuse_definition(function, wrt_symbols, method, steps)
        result = _differentiated(function, wrt_symbols, points, method, settings, simplify=simplify,
                                 derivation=steps, check=check)
        if definition:
            _from_first_principles(result, function, points)
        if check and not points:
            result.notes.append("Nothing to check: --check compares the values at the --at points.")
        _reading_note(result, function)
        if source:
            result.notes.insert(0, source)
        if graph:
            index = function.variables.index(wrt_symbols[0])
            unit = tuple(int(k == index) for k in builtins.range(len(function.variables)))
            result.graph = swept_graph(function.expr, function.variables, points, mode, unit, function.name or "f")
            result.graph_verdicts = derivative_verdicts(result.graph, index, result.points, settings.precision, method)
        if framework:
            rows = derivative_rows(framework, function, function.variables.index(wrt_symbols[0]), result.points,
                                   settings.precision)
            result.against = FrameworkTable(framework, rows, settings.precision)
        if plot and graph:
            _figure_or_note(result, lambda: graph_figure(result.graph, settings), settings, function)
        elif plot and definition:
            _figure_or_note(result, lambda: definition_figure(function, result, x_range, settings), settings, function)
        elif plot:
            _figure_or_note(result, lambda: derivative_figure(function, result, x_range, settings), settings, function)
        if interactive:
            _live_or_note(result, lambda: _derivative_live(function, wrt_symbols, method, result, x_range, settings),
                          settings.theme)
        return for_the_user(result, given_symbols(expression, namespace))


def _related_rates(expression, rate, given, at, steps: bool, namespace, settings: Settings) -> RatesResult:
    """The one rate not given, through the chain rule, at the moment the values describe."""
    from .implicit import curve_sides
    from .rates import related_rates

    if rate is None or given is None:
        raise OptionError("related rates need both --rate T (the time variable) and --given (the rates known, "
                          "as in dr/dt = 2)")
    if not isinstance(expression, str):
        raise OptionError("--rate needs the relation as text, as in V = 4/3 pi r^3")
    with _computing(settings):
        names = parse_variable_names(rate, "--rate")
        if len(names) != 1:
            raise OptionError("--rate takes one name: the time variable, as in --rate t")
        t = real_symbol(names[0])
        lhs, rhs = (parse_expression(side, namespace, {t.name: t}, roots=settings.roots)
                    for side in curve_sides(expression, "--rate", "V = 4/3 pi r^3"))
        by_name = {s.name: s for s in (lhs - rhs).free_symbols}
        rates = {}
        for item in _assignments(given, "--given", "dr/dt = 2"):
            name, _, value = item.partition("=")
            match = re.fullmatch(rf"\s*d\s*(\w+)\s*/\s*d\s*{re.escape(t.name)}\s*", name)
            if not match:
                raise OptionError(f"--given {item.strip()}: write a rate as d{{quantity}}/d{t.name} = value, "
                                  f"as in dr/d{t.name} = 2")
            quantity = by_name.get(match.group(1), real_symbol(match.group(1)))
            if quantity in rates:
                raise OptionError(f"--given names d{quantity}/d{t.name} twice: give each rate once")
            rates[quantity] = parse_number(value)
        values = {}
        for item in _assignments(at, "--at", "r = 5") if at is not None else []:
            name, _, value = item.partition("=")
            if not name.strip().isidentifier():
                raise OptionError(f"--at {item.strip()}: with --rate, give the values by name, as in r = 5")
            quantity = by_name.get(name.strip(), real_symbol(name.strip()))
            if quantity in values:
                raise OptionError(f"--at names {quantity} twice: give each value once")
            values[quantity] = parse_number(value)
        found = related_rates(lhs, rhs, t, rates, values)
        result = RatesResult(found.relation, found.time, found.unknown, found.formula, found.value, found.values,
                             found.rates, found.steps if steps else [], display=Display.of(settings))
        if found.value is None:
            result.notes.append("Give the quantities' values at that moment with --at (as in r = 5) for the rate's value.")
        return for_the_user(result, given_symbols(expression, namespace))


def _assignments(text, option: str, example: str) -> list[str]:
    """``"dr/dt = 2, dh/dt = -1"`` as its parts (commas or semicolons between them), each with one '='."""
    if not isinstance(text, str):
        raise OptionError(f"{option} takes text such as dr/dt = 2 (several separated by commas)")
    parts = [part for part in re.split(r"[;,]", text) if part.strip()]
    for part in parts:
        if part.count("=") != 1:
            raise OptionError(f"{option} {part.strip()}: give each by name, as in {example}")
    if not parts:
        raise OptionError(f"{option} needs at least one name = value")
    return parts


def _implicit(expression, implicit, wrt, order: int, at, range, plot: bool, steps: bool, definition: bool,
              check: bool, method, namespace, settings: Settings) -> DerivativeResult:
    """dy/dx (or a higher derivative) along the curve an equation draws, at points on it."""
    from .implicit import at_point, curve_sides, first_steps, implicit_derivatives, repeated_factor
    from .steps import Step

    if definition or check or method not in (None, "symbolic", "auto"):
        raise OptionError("--implicit differentiates symbolically: it does not go with --definition, --check "
                          "or --method numeric")
    if not isinstance(expression, str):
        raise OptionError("--implicit needs the curve's equation as text, as in x^2 + y^2 = 25")
    with _computing(settings):
        y_names = parse_variable_names(implicit, "--implicit")
        if len(y_names) != 1:
            raise OptionError("--implicit takes one name: the variable that is a function of the other (y)")
        y_name = y_names[0]
        lhs, rhs = (parse_expression(side, namespace, roots=settings.roots) for side in curve_sides(expression))
        F = lhs - rhs
        names = {s.name: s for s in F.free_symbols}
        if y_name not in names:
            raise VariableError(f"--implicit {y_name}: {y_name} does not appear in the equation")
        y = names[y_name]
        x_name = parse_variable_names(wrt, "--wrt")[0] if wrt is not None else (
            next(iter(sorted(set(names) - {y_name}))) if len(names) == 2 else "x")
        if x_name == y_name:
            raise VariableError(f"--wrt {x_name}: differentiate {y_name} with respect to the other variable")
        x = names.get(x_name, real_symbol(x_name))
        others = sorted(set(names) - {x_name, y_name})
        if others:
            raise VariableError(f"the equation has symbols besides {x_name} and {y_name} ({', '.join(others)}): "
                                "give them values, or choose the variables with --wrt and --implicit")
        refuse_if_huge(F)
        repeated = repeated_factor(F)
        if repeated is not None:
            raise ExpressionError(f"the equation has the factor {unicode_text(repeated)} more than once: its gradient "
                                  f"vanishes all along the curve; write it once ({unicode_text(repeated)} = 0)")
        derivatives = implicit_derivatives(F, x, y, order)
        derivative = derivatives[-1]
        # --at gives the coordinates in the order of the names (x before y, t before u), whichever is Y
        written = tuple(sorted((x, y), key=natural_key))
        points = parse_points(at, 2) if at is not None else []
        if written != (x, y):  # --implicit x: (3, 4) is x = 3, y = 4; inside, (y, x) since x is the function
            points = [((p[1], p[0]), tuple(f"{v} = {t}" for v, t in zip(written, texts))) for p, texts in points]
        refuse_huge_points([F, derivative], (x, y), points)
        worked = []
        if steps:
            worked = first_steps(lhs, rhs, x, y, derivatives[0])
            for k, later in enumerate(derivatives[1:], start=2):
                worked.append(Step(f"differentiate again: order {k}",
                                   rf"\frac{{d^{{{k}}}{sp.latex(y)}}}{{d{sp.latex(x)}^{{{k}}}}} = {sp.latex(later)}",
                                   f"d^{k}{y}/d{x}^{k} = {unicode_text(later)}  (with the lower derivatives substituted)"))
        result = DerivativeResult(
            expr=F, function_variables=(x, y), wrt=(x,) * order, derivative=derivative, name=y.name,
            curve=sp.Eq(lhs, rhs, evaluate=False),
            points=[labelled(at_point(F, x, y, derivative, order, p), p, texts) for p, texts in points],
            steps=worked, display=Display.of(settings))
        if plot:
            box = parse_range(range) if range is not None else None
            _figure_or_note(result, lambda: implicit_figure(result, box, settings), settings)
        return for_the_user(result, given_symbols(expression, namespace))


def _refuse_definition(function: ParsedFunction, wrt_symbols, method: str, steps: bool) -> None:
    if steps:
        raise OptionError("--definition and --steps are two derivations (the limit, the rules): choose one")
    if len(wrt_symbols) != 1 or len(function.variables) != 1:
        raise OptionError("--definition derives a first derivative of a function of one variable "
                          "(drop --order, or use %grad for several variables)")
    if method != "symbolic" or function.expr is None:
        raise OptionError("--definition needs a formula: this function could not be traced with SymPy symbols")


def _from_first_principles(result: DerivativeResult, function: ParsedFunction, points) -> None:
    """The derivation from the limit definition as the result's steps, and the quotients at each point."""
    from .definition import from_definition, quotients

    x = function.variables[0]
    result.steps, limit = from_definition(function.expr, x, function.name or "f")
    if limit is None:
        result.notes.append("The limit of the difference quotient was not found symbolically: the derivative "
                            "above is by the rules of differentiation.")
    result.quotients = [QuotientTable(texts, latex_coordinates(p, texts), quotients(function.expr, x, p[0]))
                        for p, texts in points]


def _derivative_notation(expression, wrt, order: int, namespace: dict):
    """``d/dx x^2``, ``d²/dx² sin x``, ``∂/∂y (x^2 y)``, ``f'(x)``: the function, --wrt and --order they
    stand for, which must agree with the options given, and a note when f is a definition remembered
    from an earlier magic."""
    notation = derivative_notation(expression) if isinstance(expression, str) else None
    if notation is None:
        return expression, wrt, order, None
    if notation.wrt:
        given = parse_variable_names(wrt, "--wrt") if wrt is not None else None
        if given is not None and given != list(notation.wrt):
            raise OptionError(f"the line says {notation.written} but --wrt is {','.join(given)}: give one of them")
        wrt = ",".join(notation.wrt)
    if order != 1 and order != notation.order:
        raise OptionError(f"the line says {notation.written} (order {notation.order}) but --order is {order}: "
                          "give one of them")
    if not notation.wrt:  # f'(x): f is a function of the notebook, or one defined in an earlier magic
        name = re.match(r"\w+", notation.body).group()
        if name not in namespace:
            definition = remembered_definition(name)
            if definition is None:
                raise ExpressionError(f"{notation.written} is the derivative of a function {name} defined before: "
                                      f"define it first (%deriv {name}(x) = x^2, {name} = Lambda(x, x**2), or def "
                                      f"{name}(x): ...)")
            return definition, wrt, notation.order, f"{name} is {definition}, as defined in an earlier magic."
    return notation.body, wrt, notation.order, None


def _reading_note(result, function) -> None:
    """Say how textbook notation was read, where it was not read literally (sin x y as sin(x y))."""
    reading = getattr(function, "reading", None)
    if reading:
        result.notes.insert(0, reading[:1].upper() + reading[1:] + ".")


def _interactive_plot(interactive: bool, plot, settings: Settings) -> bool:
    """--plot as asked; with --interactive the figure is what moves, so it is drawn (--no-plot refused)."""
    if interactive and plot is False:
        raise OptionError("--interactive moves a point on the figure: it cannot go with --no-plot")
    return True if interactive else _flag(plot, "--plot", settings.plot)


def _derivative_live(function: ParsedFunction, wrt_symbols, method: str, result: DerivativeResult, x_range,
                     settings: Settings):
    """The slider view of %deriv --interactive over the figure just drawn; each point is computed as --at
    computes it (``_differentiated`` with the derivative found once), under the time limit."""
    from .derivatives import function_values, plot_range
    from .interactive import DerivativeLive

    if len(function.variables) != 1 or len(wrt_symbols) != 1:
        raise NoPlot("--interactive moves the point of a function of one variable, first derivative")
    derivative = result.derivative  # the engine's symbols: the result's are handed to the user below

    def analyse(text: str) -> DerivativeResult:
        with _computing(settings):
            points = parse_points(text, 1)
            refuse_huge_points([function.expr], function.variables, points)
            return _differentiated(function, wrt_symbols, points, method, settings, derivative=derivative)

    low, high = plot_range(result, x_range, settings)
    start = result.points[0].point[0] if result.points else (low + high) / 2
    return DerivativeLive(result.figure, low, high, start, analyse, function_values(function),
                          name=function.name or "f", variable=function.variables[0].name,
                          precision=settings.precision, timeout=settings.timeout)


def _live_or_note(result, build: Callable, theme: str, figure_needed: bool = True) -> None:
    """Attach the live view, or say in one note why there is none (the static figure stays); its figure is
    made in ``theme``."""
    from .interactive import widgets_problem
    from .plotting import themed

    if figure_needed and result.figure is None:
        result.notes.append("No sliders: --interactive moves a point on the figure, and there is none.")
        return
    problem = widgets_problem()
    if problem:
        result.notes.append(f"No sliders: {problem}; the figure is static.")
        return
    try:
        with themed(theme):
            result.live = build()
    except NoPlot as reason:
        result.notes.append(f"No sliders: {reason}.")
    except (GradientError, ArithmeticError, ValueError, TypeError, AttributeError, RuntimeError) as error:
        result.notes.append(f"No sliders: they could not be set up ({type(error).__name__}: {str(error)[:80]}).")


def _differentiated(function: ParsedFunction, wrt_symbols, points, method: str, settings: Settings, *,
                    simplify: bool = False, derivative=None, derivation: bool = False,
                    check: bool = False) -> DerivativeResult:
    """The derivative along ``wrt_symbols`` (``derivative`` when already known), its values at the
    points with their meaning, the worked steps and the --check comparison if asked for."""
    special = []  # points where a traced function's own value differs from its formula
    derivation_steps = []
    if method == "symbolic":
        if derivative is None:
            derivative = calculus.derivative(function.expr, wrt_symbols, simplify)
        refuse_if_huge(derivative)
        derivation_steps = worked_steps(function.expr, wrt_symbols, len(function.variables) > 1,
                                        derivative) if derivation else []
        values = []
        for p, texts in points:
            if traced_formula_disagrees(function, p):
                values.append(numeric_point(function, wrt_symbols, p))
                special.append(", ".join(texts))
            else:
                values.append(symbolic_point(function, wrt_symbols, derivative, p))
    elif method == "autodiff":
        derivative = None
        values = [autodiff_point(function, wrt_symbols[0], p) for p, _ in points]
    else:
        derivative = None
        values = [numeric_point(function, wrt_symbols, p) for p, _ in points]
    checks = []
    if check:
        other = [numeric_point(function, wrt_symbols, p) for p, _ in points]
        third = ([autodiff_point(function, wrt_symbols[0], p) for p, _ in points] if len(wrt_symbols) == 1
                 else [None] * len(points))
        checks = [Check(texts, latex_coordinates(p, texts), _ok_value(v), _ok_value(o),
                        *_autodiff_check(a))
                  for v, o, a, (p, texts) in zip(values, other, third, points)]
    result = DerivativeResult(
        expr=function.expr, function_variables=function.variables, wrt=wrt_symbols,
        derivative=derivative, name=function.name, method=method,
        points=[labelled(v, *p) for v, p in zip(values, points)], checks=checks, steps=derivation_steps,
        display=Display.of(settings))
    result.notes.extend(method_notes(function, method) if method != "autodiff" else [AUTODIFF_NOTE])
    result.notes.extend(special_case_note(function, special))
    return result


# Orders beyond this are refused: no lecture needs them, and each one costs a differentiation.
MAX_ORDER = 100
# Printing costs time in proportion to an expression's size, and happens when the frontend asks for
# the display, outside any time limit: larger results are refused while computing, with a reason.
MAX_OPERATIONS = 5000


def refuse_if_huge(*exprs) -> None:
    for expr in exprs:
        if expr is not None and sp.count_ops(expr) > MAX_OPERATIONS:
            raise EvaluationError(f"the result has {sp.count_ops(expr):,} operations, more than can be shown "
                                  f"(the limit is {MAX_OPERATIONS:,})")


# --- the keywords, checked before anything is computed ------------------------------------------------


def _settings(command: Callable, settings, overrides: dict) -> Settings:
    """``settings`` (default: the defaults) with the keyword overrides (``precision=6``), each checked."""
    if settings is not None and not isinstance(settings, Settings):
        raise OptionError(f"settings must be an ipython_gradients.settings.Settings, got {type(settings).__name__}")
    names = [f.name for f in dataclasses.fields(Settings)]
    for name in overrides:
        if name not in names:
            keywords = [k for k in inspect.signature(command).parameters
                        if k not in ("expression", "cell", "overrides")]
            close = difflib.get_close_matches(name, keywords + names, n=1)
            others = [n for n in names if n not in keywords]
            hint = (f"did you mean {close[0]}?" if close
                    else f"its keywords are {', '.join(keywords)}, and the settings {', '.join(others)}")
            raise OptionError(f"{command.__name__}() has no keyword {name!r}: {hint}")
    try:
        return (settings or Settings()).replace(**overrides)
    except ValueError as error:  # the one check of every setting, in settings.check_setting
        raise OptionError(" ".join(str(error).split())) from None


def _namespace(namespace) -> Mapping:
    if namespace is None:
        return {}
    if not isinstance(namespace, Mapping):
        raise OptionError(f"namespace must be a dict of names (such as globals()), got {type(namespace).__name__}")
    return namespace


def _flag(value, option: str, default: bool = False) -> bool:
    """A keyword that is True or False (None: its default)."""
    if value is None:
        return default
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise OptionError(f"{option} must be True or False, got {shown_value(value)}")


def _order(order) -> int:
    if isinstance(order, (bool, np.bool_)) or not isinstance(order, numbers.Integral) or not 1 <= order <= MAX_ORDER:
        raise OptionError(f"--order must be a positive integer up to {MAX_ORDER}, got {shown_value(order)}")
    return int(order)


def _rate(rate) -> float:
    if rate is None:
        return 0.1
    try:
        value = float(parse_real(rate, "--rate"))
    except OptionError:
        value = math.nan
    if not value > 0 or not math.isfinite(value):
        raise OptionError(f"--rate must be a positive number, got {shown_value(rate)}")
    return value


def _listed(value):
    """An iterator (a generator, map(...)) as a list: the points in it are read more than once."""
    return list(value) if isinstance(value, Iterator) else value


@contextmanager
def _computing(settings: Settings):
    """The time limit, and one clear error for whatever SymPy or NumPy raise on the way.

    The timeout leaves as ``TimeLimitExceeded``, an ``Exception``; whatever a refused or abandoned
    input left in SymPy's cache (a 125 MB power of two) is dropped with it.
    """
    try:
        with time_limit(settings.timeout):
            try:
                yield
            except GradientError:
                raise
            except RecursionError:
                raise EvaluationError("the expression is nested too deeply to compute") from None
            except Exception as error:  # SymPy's internals on unusual input: one line, not a traceback
                raise EvaluationError(f"could not compute this ({type(error).__name__}: {error})") from None
    except ComputationTimeout as timeout:
        sp.core.cache.clear_cache()
        raise TimeLimitExceeded(str(timeout)) from None
    except GradientError:
        sp.core.cache.clear_cache()
        raise


def _figure_or_note(result, draw: Callable, settings: Settings, *functions: ParsedFunction | None) -> None:
    """Set the result's figure, or a note saying why there is none: a plot that cannot be drawn is no error.

    The result keeps ``draw`` to draw the figure again, under the same limit, once the figure it
    showed has been let go of (see ``FigureOutput``); not where a Python function of the user's is
    drawn: called again, it might draw something else than what was shown (its figure is kept). The
    figure is drawn in the ``theme`` setting ("auto" read from matplotlib's settings now), and drawn again
    in the theme it was drawn in."""
    from .plotting import themed

    try:
        with themed(settings.theme) as palette:
            figure = draw()
    except NoPlot as reason:
        result.notes.append(f"No plot: {reason}.")
    except (GradientError, ArithmeticError, ValueError, TypeError, NameError, KeyError, AttributeError,
            NotImplementedError, RuntimeError) as error:
        result.notes.append(f"No plot: it could not be drawn ({type(error).__name__}: {str(error)[:80]}).")
    else:
        again = all(f is None or f.func is None for f in functions)
        result.attach_figure(figure, partial(_drawn_again, draw, settings.replace(theme=palette.name))
                             if again else None)


def _drawn_again(draw: Callable, settings: Settings):
    """The figure drawn again (``FigureOutput.figure`` after it was let go of): a failure is one error line."""
    from .plotting import themed

    with _computing(settings), themed(settings.theme):
        try:
            return draw()
        except NoPlot as reason:
            raise EvaluationError(f"the figure could not be drawn again: {reason}") from None


def worked_steps(expr, wrt, partial: bool, shown) -> list:
    """The derivation by named rules for each differentiation in ``wrt``, ending at the derivative shown."""
    from .steps import Step, derivation

    found = []
    current = expr
    for k, variable in enumerate(wrt):
        if k:
            found.append(Step("next derivative", rf"\text{{differentiate again, with respect to }} {sp.latex(variable)}",
                              f"differentiate again, with respect to {variable}"))
        part, current = derivation(current, variable, partial)
        found += part
    if shown != current:  # --simplify: one more step to the form shown
        found.append(Step("simplification", rf"{sp.latex(current)} = {sp.latex(shown)}", f"{unicode_text(current)} = {unicode_text(shown)}"))
    return found


def _choose_method(function: ParsedFunction | None, method: str, check: bool, autodiff: bool = False) -> str:
    choices = METHODS + ("autodiff",) if autodiff else METHODS
    if not isinstance(method, str) or method not in choices:
        raise OptionError(f"--method must be one of {', '.join(choices)}, got {shown_value(method)}")
    if function is None:  # a vector function: its Jacobian is symbolic
        if method == "autodiff":
            raise OptionError("--method autodiff sweeps a scalar function, not a vector")
        return "symbolic"
    if method == "autodiff" and not function.is_symbolic:
        raise OptionError(f"--method autodiff sweeps a formula, and {function.name} could not be traced with SymPy "
                          "symbols: use --method numeric or auto")
    if check and not function.is_symbolic:
        raise OptionError(f"--check needs a symbolic derivative, and {function.name} could not be traced "
                          "with SymPy symbols")
    if method == "symbolic" and not function.is_symbolic:
        raise OptionError(f"{function.name} could not be traced with SymPy symbols (it branches on values "
                          "or calls functions SymPy does not know): use --method numeric or auto")
    if method == "auto":
        return "symbolic" if function.is_symbolic else "numeric"
    return "symbolic" if check else method


def _autodiff_check(point: PointValue | None) -> tuple:
    """(value, why there is none) of the autodiff sweep for a --check row; (None, "") where it was not run."""
    if point is None:
        return None, ""
    if point.status == "ok":
        return point.value, ""
    return None, point.reason.removeprefix("autodiff gives no number here: ").removesuffix(
        " (--method symbolic analyses the point)")


def _ok_value(point: PointValue) -> float | None:
    return point.value if point.status == "ok" else None


def grad(expression, *, vars=None, at=None, hessian: bool = False, dir=None, critical: bool = False,
         descent: bool = False, start=None, rate: float | None = None, steps: int | None = None,
         range=None, plot: bool | None = None, method: str | None = None, simplify: bool | None = None,
         derivation: bool = False, subject_to=None, graph: bool = False, mode: str | None = None,
         against: str | None = None, animate: bool = False, save: str | None = None, interactive: bool = False,
         namespace: dict | None = None, settings: Settings | None = None, **overrides) -> GradientResult:
    """The gradient (or, for a vector of expressions, the Jacobian) and what it says.

    Keywords mirror ``%grad``'s options: ``vars="x,y"``, ``at="1,2;0,0"``, ``hessian=True``,
    ``dir="1,1"``, ``critical=True``, ``descent=True`` with ``start="1,1"`` (``--from``),
    ``rate=0.1``, ``steps=30`` (descent iterations), ``range="-2,2"`` or ``"-2,2;-1,3"``, ``plot``,
    ``method`` (also ``"autodiff"``), ``derivation=True`` (``--steps`` without a number: the partial
    derivatives step by step), ``graph=True`` with ``mode="reverse"`` or ``"forward"`` (along ``dir``),
    ``against="jax"`` or ``"torch"``, ``subject_to="x^2 + y^2 = 1"`` (constraints separated by ``;``:
    extrema by Lagrange multipliers). ``animate=True``: the descent step by step in a player
    (``result.live``), for one rate or several side by side (``rate="0.001,0.01"``); ``save="descent.gif"``
    writes it as a GIF. ``interactive=True``: sliders for the rate, the steps and the start of the
    descent (``result.live``; Jupyter with ipywidgets).
    """
    settings = _settings(grad, settings, overrides)
    namespace = _namespace(namespace)
    plot = _flag(plot, "--plot", settings.plot)
    simplify = _flag(simplify, "--simplify", settings.simplify)
    hessian, critical, descent = _flag(hessian, "--hessian"), _flag(critical, "--critical"), _flag(descent, "--descent")
    derivation = _flag(derivation, "--steps")
    graph = _flag(graph, "--graph")
    mode = check_mode(mode, graph)
    if mode == "forward" and dir is None:
        raise OptionError("--mode forward sweeps tangents along one direction: add --dir (1,0 for ∂f/∂x)")
    if steps is True:  # as --steps alone: the derivation, not a number of iterations
        derivation, steps = True, None
    iterations = 30 if steps is None else steps  # of --descent
    if isinstance(iterations, (bool, np.bool_)) or not isinstance(iterations, numbers.Integral) or iterations < 1:
        raise OptionError(f"--steps must be a positive integer, got {shown_value(iterations)}")
    if iterations > 100_000:
        raise OptionError(f"--steps is capped at 100000, got {iterations}")
    animate = _flag(animate, "--animate")
    if animate and not descent:
        raise OptionError("--animate shows --descent step by step: add --descent")
    save = _gif_target(save, animate)
    rates = _rates(rate)
    if len(rates) > 1 and not animate:
        raise OptionError("several --rate values are compared side by side by --animate: add it, or give one rate")
    interactive = _flag(interactive, "--interactive")
    if interactive and not descent:
        raise OptionError("--interactive moves the rate, the steps and the start of --descent: add --descent")
    if interactive and animate:
        raise OptionError("--interactive and --animate are two views of the descent: choose one")
    iterations, rate = int(iterations), rates[0]
    vars, at, dir, start, range = _listed(vars), _listed(at), _listed(dir), _listed(start), _listed(range)

    with _computing(settings):
        function = as_grad_function(expression, namespace, vars, dimension_hint(at, start, dir), settings.roots)
        if not function.variables:
            raise VariableError("%grad needs a function of at least one variable")
        vector = function.components is not None
        if vector and (hessian or critical or descent or dir is not None or graph):
            raise OptionError("--hessian, --dir, --critical, --descent and --graph need a scalar function, not a vector")
        asked = method
        method = settings.backend if method is None else method
        if vector and method == "numeric" and asked is not None:
            raise OptionError("--method numeric estimates the gradient of a scalar function; a vector's Jacobian is "
                              "computed symbolically: use --method symbolic or auto")
        numeric_backend = vector and method == "numeric"
        method = _choose_method(function.parsed if not vector else None, method, False, autodiff=True)
        if method == "autodiff" and hessian:
            raise OptionError("--method autodiff gives first derivatives here: use symbolic or numeric for --hessian")
        n = len(function.variables)
        points = parse_points(at, n) if at is not None else []
        refuse_huge_points([function.expr, *(function.components or ())], function.variables, points)
        framework = check_framework(against, function.parsed if not vector else None, points)
        direction = unit_direction(dir, n) if dir is not None else None
        if start is not None and not descent:
            raise OptionError("--from is the start of --descent: add --descent")
        start_point = descent_start(start, points, n) if descent else None
        result = GradientResult(expr=function.expr, variables=function.variables, name=function.name,
                                method=method, components=function.components,
                                display=Display.of(settings))
        _reading_note(result, function.parsed)
        if numeric_backend:
            result.notes.append("The Jacobian was computed symbolically: the numeric backend (GradientMagics.backend) "
                                "estimates gradients of scalar functions only.")
        if function.traced and method != "autodiff":
            result.notes.append(f"{function.name} was traced with SymPy symbols and differentiated symbolically.")
        elif method == "numeric":
            result.notes.append(f"{function.name or 'f'} could not be traced with SymPy symbols, so it was "
                                "differentiated numerically." if function.func is not None
                                else "Differentiated numerically (method: numeric).")
        if method == "autodiff":
            result.notes.append(AUTODIFF_NOTE)
        engine = (SymbolicGradient(function, simplify) if method == "symbolic" else AutodiffGradient(function)
                  if method == "autodiff" else NumericGradient(function))
        refuse_if_huge(function.expr, *(function.components or ()))
        if vector:
            result.jacobian = engine.jacobian
        else:
            result.gradient = engine.gradient
            if derivation and method == "symbolic":
                result.steps = [(v, worked_steps(function.expr, (v,), True, g))
                                for v, g in zip(function.variables, engine.gradient)]
            result.hessian = engine.hessian if hessian else None
        if direction is not None:
            result.direction = tuple(float(c) for c in direction)
            result.directional = engine.directional(direction)
        special = [texts for p, texts in points if engine.formula_disagrees(p)]
        fallback = NumericGradient(function) if special else None
        result.points = [(fallback if texts in special else engine).at(p, texts, direction, hessian)
                         for p, texts in points]
        result.notes.extend(special_case_note(function.parsed, [", ".join(t) for t in special]))
        result.notes.extend(f"At ({', '.join(p.label)}): {p.note}." for p in result.points if p.note)
        if graph:
            result.graph = swept_graph(function.expr, function.variables, points, mode,
                                       tuple(direction) if direction is not None else None, function.name or "f")
            result.graph_verdicts = gradient_verdicts(result.graph, result.points, settings.precision, method)
        if framework:
            result.against = FrameworkTable(framework, gradient_rows(framework, function, result.points,
                                                                     settings.precision), settings.precision)
        box = grad_box(range, points, start_point, n, settings)
        if critical:
            result.critical, result.critical_note = engine.critical_points(box, settings.timeout)
        if subject_to is not None:
            _subject_to(result, function, subject_to, vector, method, box, namespace, settings)
        if descent:
            result.descent = optimise.gradient_descent(engine.value, engine.gradient_at, start_point, rate,
                                                       iterations)
        if plot and graph:
            _figure_or_note(result, lambda: graph_figure(result.graph, settings), settings, function.parsed)
        elif plot and n == 1 and not vector:  # %deriv's plot of f and f', from what was computed here
            derivative = engine.gradient[0] if engine.gradient is not None else None
            _figure_or_note(result, lambda: derivative_figure(
                function.parsed, _differentiated(function.parsed, function.variables, points, method, settings,
                                                 derivative=derivative),
                box[0] if range is not None else None, settings), settings, function.parsed)
        elif plot and result.constraints and n == 2:
            _figure_or_note(result, lambda: constrained_figure(function, result, box, range is not None, settings), settings,
                            function.parsed)
        elif plot:
            _figure_or_note(result, lambda: gradient_figure(function, engine, result, box, range is not None,
                                                            settings), settings, function.parsed)
        if interactive:
            _live_or_note(result, lambda: _descent_live(function, engine, result, start_point, rate, iterations, box,
                                                        range is not None, settings), settings.theme,
                          figure_needed=False)
        if animate:
            runs = [result.descent] + [optimise.gradient_descent(engine.value, engine.gradient_at, start_point, r,
                                                                 iterations) for r in rates[1:]]
            if len(rates) > 1:
                result.notes.append("The table above is the descent at the first rate, "
                                    f"{rates[0]:g}; the animation compares the rates {', '.join(f'{r:g}' for r in rates)}.")
            _animation_or_note(result, lambda: descent_animation(
                [descent_panel(function, engine, runs, box, range is not None, settings.samples)] * len(runs), runs,
                rates, function.variables[0].name, function.name or "f", settings.precision,
                settings.figure_size), save, settings.theme)
        return for_the_user(result, given_symbols(expression, namespace))


def _descent_live(function, engine, result: GradientResult, start_point, rate: float, iterations: int, box,
                  fixed_range: bool, settings: Settings):
    """The slider view of %grad --descent --interactive: each move runs ``optimise.gradient_descent`` as
    --descent does, under the time limit, on the contour plot (or curve) drawn once."""
    from .interactive import MAX_LIVE_STEPS, DescentLive
    from .plotting import Curve, descent_panels_figure

    if iterations > MAX_LIVE_STEPS:
        raise NoPlot(f"the steps slider goes up to {MAX_LIVE_STEPS}, and --steps is {iterations}")
    panel = descent_panel(function, engine, [result.descent], box, fixed_range, settings.samples)
    name = function.name or "f"
    figure, (path_axes,), values_axes = descent_panels_figure([panel], [f"gradient descent on {name}"],
                                                              function.variables[0].name, settings.figure_size)
    if isinstance(panel, Curve):
        start_box = [(float(panel.xs[0]), float(panel.xs[-1]))]
    else:
        start_box = [(float(panel.grid_x.min()), float(panel.grid_x.max())),
                     (float(panel.grid_y.min()), float(panel.grid_y.max()))]

    def run(start, rate, steps):
        with _computing(settings):
            return optimise.gradient_descent(engine.value, engine.gradient_at, start, rate, steps)

    return DescentLive(figure, path_axes, values_axes, run, tuple(start_point), rate, iterations, start_box,
                       tuple(v.name for v in function.variables), name=name, precision=settings.precision,
                       timeout=settings.timeout)


def _rates(rate) -> list[float]:
    """--rate: one positive number (default 0.1), or several ("0.001,0.01", a list) for --animate."""
    if isinstance(rate, str) and ("," in rate or ";" in rate):
        values = [_rate(part) for part in rate.replace(";", ",").split(",") if part.strip()]
    elif isinstance(rate, (list, tuple)):
        values = [_rate(part) for part in rate]
    else:
        values = [_rate(rate)]
    if not values:
        raise OptionError(f"--rate must be a positive number, got {shown_value(rate)}")
    if len(values) > 6:
        raise OptionError(f"--rate compares at most 6 rates side by side, got {len(values)}")
    return values


def _gif_target(save, animate: bool) -> str | None:
    """--save's file, checked before anything is computed: a .gif in a folder that can be written."""
    if save is None:
        return None
    if not isinstance(save, (str, os.PathLike)):
        raise OptionError(f"--save must be a file name, got {shown_value(save)}")
    save = os.fspath(save)
    if not animate:
        raise OptionError("--save writes the animation: add --animate")
    if not save.lower().endswith(".gif"):
        raise OptionError(f"--save {save}: the animation is written as a .gif file")
    if os.path.isdir(save):
        raise OptionError(f"--save {save}: that is a folder; give the name of a .gif file")
    folder = os.path.dirname(os.path.abspath(save))
    if not os.path.isdir(folder):
        raise OptionError(f"--save {save}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise OptionError(f"--save {save}: cannot write in the folder {folder} (permission denied)")
    return save


def _animation_or_note(result, build: Callable, save: str | None, theme: str) -> None:
    """Draw the animation's frames (under the caller's time limit, in ``theme``) as ``result.live`` and write
    the GIF if asked; a problem drawing it is a note (the static result stands), one writing the file an error."""
    from .plotting import themed

    try:
        with themed(theme):
            result.live = build().render()
    except NoPlot as reason:
        result.notes.append(f"No animation: {reason}.")
    except (GradientError, ArithmeticError, ValueError, TypeError, AttributeError, RuntimeError) as error:
        result.notes.append(f"No animation: it could not be drawn ({type(error).__name__}: {str(error)[:80]}).")
    if save is None:
        return
    if result.live is None:
        raise EvaluationError(f"--save {save}: there is no animation to write ({result.notes[-1]})")
    try:
        result.live.save_gif(save)
    except OSError as error:
        raise EvaluationError(f"--save {save}: cannot write it ({(error.strerror or str(error)).lower()})") from None
    result.notes.append(f"Animation saved to {save} ({len(result.live.frames)} frames).")


def _subject_to(result: GradientResult, function, subject_to, vector: bool, method: str, box, namespace,
                settings: Settings) -> None:
    """Extrema of f on the constraints' set by Lagrange multipliers (``--subject-to``)."""
    from .constrained import constrained_points
    from .implicit import curve_sides

    if vector or function.expr is None or method != "symbolic":
        raise OptionError("--subject-to needs a scalar function given as a formula (Lagrange multipliers are "
                          "solved symbolically)")
    if not isinstance(subject_to, str):
        raise OptionError("--subject-to takes equations as text, as in x^2 + y^2 = 1 (several separated by ;)")
    by_name = {v.name: v for v in function.variables}
    equations = []
    for text in (part.strip() for part in subject_to.split(";")):
        if not text:
            continue
        lhs, rhs = (parse_expression(side, namespace, by_name, roots=settings.roots)
                    for side in curve_sides(text, "--subject-to", "x^2 + y^2 = 1"))
        strangers = sorted(s.name for s in (lhs - rhs).free_symbols if s not in function.variables)
        if strangers:
            raise VariableError(f"--subject-to {text}: {', '.join(strangers)} is not a variable of the function "
                                f"(its variables: {', '.join(by_name)}); name them all in a definition, as in "
                                f"f({', '.join([*by_name, *strangers])}) = ...")
        if not (lhs - rhs).free_symbols:
            raise OptionError(f"--subject-to {text}: the constraint has no variables")
        equations.append(sp.Eq(lhs, rhs, evaluate=False))
    if not equations:
        raise OptionError("--subject-to needs at least one equation, as in x^2 + y^2 = 1")
    if len(equations) > len(function.variables):
        raise OptionError(f"--subject-to: {len(equations)} constraints on {len(function.variables)} variables "
                          "leave no points to compare in general")
    result.constraints = equations
    result.constrained, result.constrained_note = constrained_points(
        function.expr, function.variables, [e.lhs - e.rhs for e in equations], box, min(settings.timeout / 4, 2.5))


def gradcheck(f, *, at, against: str = "jax", vars=None, namespace: dict | None = None,
              settings: Settings | None = None, **overrides) -> FrameworkTable:
    """Check a framework's gradient of ``f`` (written with jax.numpy or torch) at the points ``at``.

    Returns the table (ours | theirs | difference | verdict, one row per point); raises
    ``AssertionError`` carrying it when a gradient differs, a convention is hit at a corner, the
    framework returns NaN or inf where the derivative exists, or there is no derivative to compare.
    For a pytest suite: ``gradcheck(loss, at="0.5,1;0,0", against="jax")``.
    """
    result = grad(f, vars=vars, at=at, against=against, plot=False, namespace=namespace, settings=settings,
                  **overrides)
    table = FrameworkTable(result.against.framework, result.against.rows, max(result.display.precision, 6))
    if not table.ok:
        raise AssertionError("\n" + table.text())
    return table


def tangent(cell, *, at=None, range=None, order: int = 1, secant=None, normal: bool = False, delta=None,
            plot: bool | None = None, method: str | None = None, animate: bool = False, save: str | None = None,
            interactive: bool = False, namespace: dict | None = None, settings: Settings | None = None,
            **overrides) -> TangentResult:
    """Tangent lines (Taylor polynomials, tangent planes) of each function in ``cell`` at the points.

    ``cell``: the text of a ``%%tangent`` cell, one function per line, or a list of functions.
    Keywords mirror the options: ``at="-0.5,0.5"``, ``range="-1,1"``, ``order=2``, ``secant="0.5,0.1"``,
    ``normal=True``, ``delta="0.1"``, ``plot``, ``method``; ``animate=True`` with ``secant``: the secant
    as h shrinks to 0 in a player (``result.live``), ``save="secant.gif"`` writes it as a GIF;
    ``interactive=True`` with ``secant``: sliders for a and h (``result.live``; Jupyter with ipywidgets).
    """
    settings = _settings(tangent, settings, overrides)
    namespace = _namespace(namespace)
    plot = _flag(plot, "--plot", settings.plot)
    animate = _flag(animate, "--animate")
    interactive = _flag(interactive, "--interactive")
    normal = _flag(normal, "--normal")
    order = _order(order)
    at, range, secant, delta = _listed(at), _listed(range), _listed(secant), _listed(delta)
    with _computing(settings):
        functions = cell_functions(cell, namespace, settings.roots)
    if functions and is_curve(functions[0][1]):
        return _curve_tangents(cell, functions, at, range, order, secant, normal, delta, plot, method, animate,
                               save, interactive, namespace, settings)
    if animate and secant is None:
        raise OptionError("--animate shrinks the secant's width h to 0: add --secant H (the width to start from)")
    save = _gif_target(save, animate)
    if interactive and secant is None:
        raise OptionError("--interactive moves a and the secant's width h: add --secant H (the widest h)")
    if interactive and animate:
        raise OptionError("--interactive and --animate are two views of the secants: choose one")
    with _computing(settings):
        method = settings.backend if method is None else method
        for _, parsed in functions:
            _choose_method(parsed, method, False)
        widths = parse_numbers(secant, "--secant") if secant is not None else []
        if any(w == 0 for w in widths):
            raise OptionError("--secant needs non-zero widths h (the secant through a and a + h)")
        deltas = parse_numbers(delta, "--delta") if delta is not None else []
        points = at_points(at, functions)
        box = tangent_box(range, points, settings)
        result = TangentResult(order=order, display=Display.of(settings))
        for name, parsed in functions:
            result.functions.append((name, parsed.expr, parsed.variables))
            if parsed.reading:
                result.notes.append(f"{name}: {parsed.reading}.")
            for point, texts in tangent_points(points, parsed, box, range is not None):
                result.lines.append(tangent_at(name, parsed, point, texts, order, normal, widths, deltas, method))
            if parsed.expr is None:
                result.notes.append(f"{name} could not be traced with SymPy symbols: its slopes were computed numerically.")
            if order > 1 and len(parsed.variables) == 2:
                result.notes.append(f"--order {order} gives Taylor polynomials of functions of one variable; "
                                    f"{name}, of two, gets its tangent plane (first order).")
        if plot:
            _figure_or_note(result, lambda: tangent_figure(result, functions, box, settings), settings,
                            *(parsed for _, parsed in functions))
        if animate:
            def build():
                figure, parts = secant_parts(result, functions, box, settings)
                return secant_animation(figure, parts, max(widths, key=abs), settings.precision)

            _animation_or_note(result, build, save, settings.theme)
        if interactive:
            _live_or_note(result, lambda: _secant_live(functions, result, box, order, normal, deltas, widths, method,
                                                       settings), settings.theme, figure_needed=False)
        return for_the_user(result, given_symbols(cell, namespace))


def _curve_tangents(cell, curves, at, range, order: int, secant, normal: bool, delta, plot: bool, method,
                    animate: bool, save, interactive: bool, namespace, settings: Settings) -> TangentResult:
    """%%tangent on equations (x^2 + y^2 = 25): each curve's tangent line, and normal, at points on it."""
    from .implicit import implicit_derivatives

    refused = [(order != 1, f"--order {order}: Taylor polynomials are for functions y = f(x); on a curve "
                            "%%tangent gives the tangent line (for y'' along it: %deriv ... --implicit y --order 2)"),
               (secant is not None, "--secant: secants are drawn for functions y = f(x), not on a curve F(x, y) = 0"),
               (delta is not None, "--delta: the linear approximation f(a + Δx) is for functions y = f(x), not "
                                   "for a curve F(x, y) = 0"),
               (animate, "--animate: the secant animation is for functions y = f(x), not for a curve F(x, y) = 0"),
               (save is not None, "--save writes the secant animation, which curves F(x, y) = 0 do not have"),
               (interactive, "--interactive: the sliders are for functions y = f(x), not for a curve F(x, y) = 0"),
               (method not in (None, "auto", "symbolic"),
                f"--method {method}: the tangent of a curve F(x, y) = 0 is found symbolically (from ∇F); "
                "drop --method")]
    for wrong, message in refused:
        if wrong:
            raise OptionError(message)
    with _computing(settings):
        points = curve_points(at, curves)
        box = curve_box(range, points, settings)
        result = TangentResult(display=Display.of(settings))
        for name, curve in curves:
            result.functions.append((name, curve.equation, curve.variables))
            if curve.reading:
                result.notes.append(f"{name}: {curve.reading}.")
            refuse_if_huge(curve.F)
            try:
                derivative = implicit_derivatives(curve.F, *curve.variables, 1)[0]
            except EvaluationError:  # |x| + |y| = 1: sign(y) hides y′'s coefficient; −F_x/F_y as it is
                x, y = curve.variables
                derivative = -sp.diff(curve.F, x) / sp.diff(curve.F, y)
            for point, texts in points[name]:
                result.lines.append(curve_tangent_at(curve, derivative, point, texts, normal, box, range is not None))
        if any(line.errors for line in result.lines):
            result.notes.append("Some points were found numerically (roots of a polynomial with no short closed form "
                                "in real radicals, to 30 digits): their coordinates and tangents are shown rounded.")
        if at is None:
            x, y = curves[0][1].variables
            result.notes.append(f"Give points on the curve with --at ({x},{y} pairs separated by ';', or {x} = a "
                                f"for every point with that {x}) for their tangent lines.")
        if plot:
            _figure_or_note(result, lambda: curve_figure(result, curves, box, settings), settings)
        return for_the_user(result, given_symbols(cell, namespace))


def _secant_live(functions, result: TangentResult, box, order: int, normal: bool, deltas, widths, method: str,
                 settings: Settings):
    """The slider view of %%tangent --secant --interactive for the cell's one function of one variable: each
    move computes the tangent at a with the secant of width h as --at a --secant h does (``tangent_at``)."""
    from .interactive import SecantLive
    from .tangents import value_function

    one = [(name, parsed) for name, parsed in functions if len(parsed.variables) == 1]
    if len(functions) != 1 or not one:
        raise NoPlot("--interactive moves the point of one function of one variable, and the cell has "
                     + (f"{len(functions)} functions" if len(functions) != 1 else "one of two variables"))
    name, parsed = one[0]
    display = Display(settings.precision, settings.notation, settings.figure_format)

    def analyse(text: str, h: float) -> TangentResult:
        with _computing(settings):
            [(point, texts)] = parse_points(text, 1)
            line = tangent_at(name, parsed, point, texts, order, normal, [h], deltas, method)
            single = TangentResult(order=order, display=display)
            single.functions.append((name, parsed.expr, parsed.variables))
            single.lines.append(line)
            return for_the_user(single, {})

    curves_only = TangentResult(order=order, display=display, functions=list(result.functions))
    figure = tangent_figure(curves_only, functions, box, settings)
    start = result.lines[0].point[0] if result.lines else (box[0][0] + box[0][1]) / 2
    return SecantLive(figure, box[0][0], box[0][1], start, max(widths, key=abs), analyse, value_function(parsed),
                      name=name, precision=settings.precision, timeout=settings.timeout)
