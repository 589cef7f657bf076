"""The Python API: keyword arguments in, result objects out. The magics call exactly these.

``deriv``, ``grad`` and ``tangent`` check their options, parse, compute (with the pieces in
``derivatives``, ``gradients`` and ``tangents``) under the time limit, and return a result. This is
the one module that orchestrates: everything it imports sits below it, nothing below imports it.
A figure builder that has nothing to draw raises ``NoPlot``; ``_figure_or_note`` turns that (or a
figure that fails to draw) into the result's note.
"""

from __future__ import annotations

import dataclasses
import difflib
import inspect
import math
import numbers
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace

import numpy as np
import sympy as sp

from . import calculus, optimise
from .derivatives import (
    as_function,
    choose_wrt,
    derivative_figure,
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
    GradientError,
    NoPlot,
    OptionError,
    TimeLimitExceeded,
    VariableError,
)
from .expressions import (
    ParsedFunction,
    parse_numbers,
    parse_points,
    parse_range,
    parse_real,
    shown_value,
)
from .gradients import (
    NumericGradient,
    descent_panel,
    SymbolicGradient,
    as_grad_function,
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
from .results.symbols import for_the_user, given_symbols
from .results.values import (
    Check,
    PointValue,
)
from .settings import METHODS, Settings
from .sizes import refuse_huge_points
from .tangents import (
    at_points,
    cell_functions,
    secant_parts,
    tangent_at,
    tangent_box,
    tangent_figure,
    tangent_points,
)
from .interactive import descent_animation, secant_animation
from .timeouts import time_limit


def deriv(expression, *, wrt=None, order: int = 1, at=None, range=None, plot: bool | None = None,
          simplify: bool | None = None, method: str | None = None, check: bool = False, steps: bool = False,
          interactive: bool = False, namespace: dict | None = None, settings: Settings | None = None,
          **overrides) -> DerivativeResult:
    """Differentiate ``expression`` and, optionally, evaluate and interpret it at points.

    ``expression``: text in the expression language (``"x^2 sin(x)"``, ``"f(x) = x^2"``), a
    SymPy expression, or a Python function. ``wrt``: ``"x"``, ``"x,y"`` (mixed partial) or a list.
    ``at``: ``"-0.5,0.5,0"`` or a list of numbers (tuples for several variables). ``range``:
    ``"A,B"`` or a pair. ``method``: ``"symbolic"``, ``"numeric"`` or ``"auto"``; ``check``:
    compute the values both ways and compare. ``interactive``: a slider for the point a, with the
    tangent and f'(a) and its meaning as ``at`` gives them (``result.live``; shown in Jupyter with
    ipywidgets). Other keywords (``precision=6``, ``notation="prime"``, ...) override ``settings``.
    """
    settings = _settings(deriv, settings, overrides)
    namespace = _namespace(namespace)
    interactive = _flag(interactive, "--interactive")
    plot = _interactive_plot(interactive, plot, settings)
    simplify = _flag(simplify, "--simplify", settings.simplify)
    check, steps = _flag(check, "--check"), _flag(steps, "--steps")
    order = _order(order)
    wrt, at, range = _listed(wrt), _listed(at), _listed(range)

    with _computing(settings):
        x_range = parse_range(range) if range is not None else None
        function = as_function(expression, namespace, settings.roots)
        method = _choose_method(function, settings.backend if method is None else method, check)
        wrt_symbols = choose_wrt(function, wrt, order)
        if not function.variables:  # a constant: a function of the variable differentiated
            function = replace(function, variables=wrt_symbols[:1])
        points = parse_points(at, len(function.variables)) if at is not None else []
        refuse_huge_points([function.expr], function.variables, points)
        if method == "symbolic":
            refuse_if_huge(function.expr)
        result = _differentiated(function, wrt_symbols, points, method, settings, simplify=simplify,
                                 derivation=steps, check=check)
        if check and not points:
            result.notes.append("Nothing to check: --check compares the values at the --at points.")
        if plot:
            _figure_or_note(result, lambda: derivative_figure(function, result, x_range, settings))
        if interactive:
            _live_or_note(result, lambda: _derivative_live(function, wrt_symbols, method, result, x_range, settings))
        return for_the_user(result, given_symbols(expression, namespace))


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


def _live_or_note(result, build: Callable, figure_needed: bool = True) -> None:
    """Attach the live view, or say in one note why there is none (the static figure stays)."""
    from .interactive import widgets_problem

    if figure_needed and result.figure is None:
        result.notes.append("No sliders: --interactive moves a point on the figure, and there is none.")
        return
    problem = widgets_problem()
    if problem:
        result.notes.append(f"No sliders: {problem}; the figure is static.")
        return
    try:
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
    else:
        derivative = None
        values = [numeric_point(function, wrt_symbols, p) for p, _ in points]
    checks = []
    if check:
        other = [numeric_point(function, wrt_symbols, p) for p, _ in points]
        checks = [Check(texts, latex_coordinates(p, texts), _ok_value(v), _ok_value(o))
                  for v, o, (p, texts) in zip(values, other, points)]
    result = DerivativeResult(
        expr=function.expr, function_variables=function.variables, wrt=wrt_symbols,
        derivative=derivative, name=function.name, method=method,
        points=[labelled(v, *p) for v, p in zip(values, points)], checks=checks, steps=derivation_steps,
        display=Display(settings.precision, settings.notation, settings.figure_format))
    result.notes.extend(method_notes(function, method))
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


def _figure_or_note(result, draw: Callable) -> None:
    """Set the result's figure, or a note saying why there is none: a plot that cannot be drawn is no error."""
    try:
        result.figure = draw()
    except NoPlot as reason:
        result.notes.append(f"No plot: {reason}.")
    except (GradientError, ArithmeticError, ValueError, TypeError, NameError, KeyError, AttributeError,
            NotImplementedError, RuntimeError) as error:
        result.notes.append(f"No plot: it could not be drawn ({type(error).__name__}: {str(error)[:80]}).")


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
        found.append(Step("simplification", rf"{sp.latex(current)} = {sp.latex(shown)}", f"{current} = {shown}"))
    return found


def _choose_method(function: ParsedFunction | None, method: str, check: bool) -> str:
    if not isinstance(method, str) or method not in METHODS:
        raise OptionError(f"--method must be one of {', '.join(METHODS)}, got {shown_value(method)}")
    if function is None:  # a vector function: its Jacobian is symbolic
        return "symbolic"
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


def grad(expression, *, vars=None, at=None, hessian: bool = False, dir=None, critical: bool = False,
         descent: bool = False, start=None, rate: float | None = None, steps: int | None = None,
         range=None, plot: bool | None = None, method: str | None = None, simplify: bool | None = None,
         derivation: bool = False, animate: bool = False, save: str | None = None, interactive: bool = False,
         namespace: dict | None = None, settings: Settings | None = None, **overrides) -> GradientResult:
    """The gradient (or, for a vector of expressions, the Jacobian) and what it says.

    Keywords mirror ``%grad``'s options: ``vars="x,y"``, ``at="1,2;0,0"``, ``hessian=True``,
    ``dir="1,1"``, ``critical=True``, ``descent=True`` with ``start="1,1"`` (``--from``),
    ``rate=0.1``, ``steps=30`` (descent iterations), ``range="-2,2"`` or ``"-2,2;-1,3"``, ``plot``,
    ``method``, ``derivation=True`` (``--steps`` without a number: the partial derivatives step by step).
    ``animate=True``: the descent step by step in a player (``result.live``), for one rate or several
    side by side (``rate="0.001,0.01"``); ``save="descent.gif"`` writes it as a GIF. ``interactive=True``:
    sliders for the rate, the steps and the start of the descent (``result.live``; Jupyter with ipywidgets).
    """
    settings = _settings(grad, settings, overrides)
    namespace = _namespace(namespace)
    plot = _flag(plot, "--plot", settings.plot)
    simplify = _flag(simplify, "--simplify", settings.simplify)
    hessian, critical, descent = _flag(hessian, "--hessian"), _flag(critical, "--critical"), _flag(descent, "--descent")
    derivation = _flag(derivation, "--steps")
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
        if vector and (hessian or critical or descent or dir is not None):
            raise OptionError("--hessian, --dir, --critical and --descent need a scalar function, not a vector")
        method = settings.backend if method is None else method
        method = _choose_method(function.parsed, method, False) if not vector else _choose_method(None, method, False)
        n = len(function.variables)
        points = parse_points(at, n) if at is not None else []
        refuse_huge_points([function.expr, *(function.components or ())], function.variables, points)
        direction = unit_direction(dir, n) if dir is not None else None
        if start is not None and not descent:
            raise OptionError("--from is the start of --descent: add --descent")
        start_point = descent_start(start, points, n) if descent else None
        result = GradientResult(expr=function.expr, variables=function.variables, name=function.name,
                                method=method, components=function.components,
                                display=Display(settings.precision, settings.notation, settings.figure_format))
        if function.traced:
            result.notes.append(f"{function.name} was traced with SymPy symbols and differentiated symbolically.")
        elif method == "numeric":
            result.notes.append(f"{function.name or 'f'} could not be traced with SymPy symbols, so it was "
                                "differentiated numerically." if function.func is not None
                                else "Differentiated numerically (method: numeric).")
        engine = SymbolicGradient(function, simplify) if method == "symbolic" else NumericGradient(function)
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
        box = grad_box(range, points, start_point, n, settings)
        if critical:
            result.critical, result.critical_note = engine.critical_points(box, settings.timeout)
        if descent:
            result.descent = optimise.gradient_descent(engine.value, engine.gradient_at, start_point, rate,
                                                       iterations)
        if plot and n == 1 and not vector:  # %deriv's plot of f and f', from what was computed here
            derivative = engine.gradient[0] if engine.gradient is not None else None
            _figure_or_note(result, lambda: derivative_figure(
                function.parsed, _differentiated(function.parsed, function.variables, points, method, settings,
                                                 derivative=derivative),
                box[0] if range is not None else None, settings))
        elif plot:
            _figure_or_note(result, lambda: gradient_figure(function, engine, result, box, range is not None,
                                                            settings))
        if interactive:
            _live_or_note(result, lambda: _descent_live(function, engine, result, start_point, rate, iterations, box,
                                                        range is not None, settings), figure_needed=False)
        if animate:
            runs = [result.descent] + [optimise.gradient_descent(engine.value, engine.gradient_at, start_point, r,
                                                                 iterations) for r in rates[1:]]
            if len(rates) > 1:
                result.notes.append("The table above is the descent at the first rate, "
                                    f"{rates[0]:g}; the animation compares the rates {', '.join(f'{r:g}' for r in rates)}.")
            _animation_or_note(result, lambda: descent_animation(
                [descent_panel(function, engine, runs, box, range is not None, settings.samples)] * len(runs), runs,
                rates, function.variables[0].name, function.name or "f", settings.precision,
                settings.figure_size), save)
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


def _animation_or_note(result, build: Callable, save: str | None) -> None:
    """Draw the animation's frames (under the caller's time limit) as ``result.live`` and write the GIF if
    asked; a problem drawing it is a note (the static result stands), one writing the file an error."""
    try:
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
    if animate and secant is None:
        raise OptionError("--animate shrinks the secant's width h to 0: add --secant H (the width to start from)")
    save = _gif_target(save, animate)
    interactive = _flag(interactive, "--interactive")
    if interactive and secant is None:
        raise OptionError("--interactive moves a and the secant's width h: add --secant H (the widest h)")
    if interactive and animate:
        raise OptionError("--interactive and --animate are two views of the secants: choose one")
    normal = _flag(normal, "--normal")
    order = _order(order)
    at, range, secant, delta = _listed(at), _listed(range), _listed(secant), _listed(delta)
    with _computing(settings):
        functions = cell_functions(cell, namespace, settings.roots)
        method = settings.backend if method is None else method
        for _, parsed in functions:
            _choose_method(parsed, method, False)
        widths = parse_numbers(secant, "--secant") if secant is not None else []
        if any(w == 0 for w in widths):
            raise OptionError("--secant needs non-zero widths h (the secant through a and a + h)")
        deltas = parse_numbers(delta, "--delta") if delta is not None else []
        points = at_points(at, functions)
        box = tangent_box(range, points, settings)
        result = TangentResult(order=order, display=Display(settings.precision, settings.notation,
                                                           settings.figure_format))
        for name, parsed in functions:
            result.functions.append((name, parsed.expr, parsed.variables))
            for point, texts in tangent_points(points, parsed, box, range is not None):
                result.lines.append(tangent_at(name, parsed, point, texts, order, normal, widths, deltas, method))
            if parsed.expr is None:
                result.notes.append(f"{name} could not be traced with SymPy symbols: its slopes were computed numerically.")
            if order > 1 and len(parsed.variables) == 2:
                result.notes.append(f"--order {order} gives Taylor polynomials of functions of one variable; "
                                    f"{name}, of two, gets its tangent plane (first order).")
        if plot:
            _figure_or_note(result, lambda: tangent_figure(result, functions, box, settings))
        if animate:
            def build():
                figure, parts = secant_parts(result, functions, box, settings)
                return secant_animation(figure, parts, max(widths, key=abs), settings.precision)

            _animation_or_note(result, build, save)
        if interactive:
            _live_or_note(result, lambda: _secant_live(functions, result, box, order, normal, deltas, widths, method,
                                                       settings), figure_needed=False)
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
