"""What ``grad`` computes: the function of several variables, its gradient engines, the figure.

Two engines implement one interface, ``GradientEngine``: ``SymbolicGradient`` (SymPy formulas) and
``NumericGradient`` (the numeric engine, for black boxes and ``--method numeric``). Each owns its
values at points, its critical points and its sampling of f and ∇f for the contour plot, so callers
never ask which engine they hold. Newton's method and gradient descent live in ``optimise.py``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
import sympy as sp

from . import calculus, critical, numeric, optimise
from .derivatives import as_function, latex_coordinates, traced_formula_disagrees
from .errors import (
    EvaluationError,
    NoPlot,
    OptionError,
    VariableError,
)
from .expressions import (
    DEFINITION,
    ParsedFunction,
    natural_key,
    parse_expression,
    parse_parameters,
    parse_point,
    parse_ranges,
    parse_variable_names,
    point_size,
    public_name,
    real_symbol,
    trace_callable,
    user_expression,
)
from .results import GradientResult
from .results.notation import unicode_text
from .results.values import (
    CriticalPoint,
    GradientPoint,
)
from .settings import Settings


@dataclass(frozen=True)
class GradFunction:
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


def dimension_hint(*values) -> int | None:
    """How many coordinates the points given have (for a Python function f(v) of a vector)."""
    return point_size(*values)


def as_grad_function(expression, namespace, vars, dimension: int | None, roots: str = "real") -> GradFunction:
    names = parse_variable_names(vars, "--vars") if vars is not None else None
    components = _vector_components(expression, namespace, roots)
    if components is not None:
        exprs, name, fixed = components
        symbols = fixed or tuple(sorted(set().union(*(e.free_symbols for e in exprs)), key=natural_key))
        return GradFunction(_order_variables(symbols, names, exprs), components=exprs, name=name)
    name = public_name(expression) if isinstance(expression, str) else None
    func = namespace.get(name) if name and namespace else None
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
        parsed = as_function(expression, namespace, roots)
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
    return GradFunction(variables, parsed=parsed, name=parsed.name)


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


def _vector_components(expression, namespace, roots: str = "real"):
    """(components, name, variables) for [e1, e2, ...], F(x, y) = [...], or a SymPy Matrix; else None."""
    if isinstance(expression, sp.MatrixBase):
        return tuple(user_expression(e) for e in expression), None, None
    if not isinstance(expression, str):
        return None
    text = expression.strip()
    value = (namespace or {}).get(public_name(text))
    if isinstance(value, sp.MatrixBase):
        return tuple(user_expression(e) for e in value), text, None
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
    components = tuple(parse_expression(part, namespace, symbols, roots=roots) for part in parts)
    return components, name, fixed


def unit_direction(dir, n: int) -> sp.Matrix:
    vector = parse_point(dir, n, "--dir", "direction")
    try:
        return calculus.unit_vector(vector)
    except ValueError:
        raise OptionError("--dir needs a direction of non-zero length") from None


def descent_start(start, points, n: int) -> tuple[float, ...]:
    if start is not None:
        return tuple(float(c) for c in parse_point(start, n, "--from", "start point"))
    if points:
        return tuple(float(c) for c in points[0][0])
    raise OptionError("--descent needs a start point: give --from 1,1 (or an --at point)")


def grad_box(range, points, start, n: int, settings: Settings) -> list[tuple[float, float]]:
    """The plotting (and numeric search) box: --range, else around the points, else x_range."""
    if range is not None:
        ranges = parse_ranges(range)
        if len(ranges) not in (1, n):
            raise OptionError(f"--range takes A,B for every axis or one A,B per variable ({n}), got {len(ranges)}")
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


class GradientEngine(Protocol):
    """What ``grad`` asks of an engine: formulas where there are some, values, critical points, samples."""

    variables: tuple[sp.Symbol, ...]
    gradient: sp.Matrix | None  # the formulas; None for the numeric engine (values at points only)
    hessian: sp.Matrix | None
    jacobian: sp.Matrix | None  # a vector function's

    def directional(self, unit: sp.Matrix) -> sp.Expr | None:
        """∇f · u as a formula, or None."""

    def at(self, point, texts, unit, with_hessian: bool) -> GradientPoint:
        """Everything %grad says at one point."""

    def value(self, point) -> float:
        """f at a point (NaN where undefined)."""

    def gradient_at(self, point) -> np.ndarray:
        """∇f at a point as floats (NaN where undefined): what gradient descent steps along."""

    def critical_points(self, box, timeout: float) -> tuple[list[CriticalPoint], str]:
        """The verified critical points and a note on how they were found."""

    def formula_disagrees(self, point) -> bool:
        """Whether a traced Python function's own value differs from its formula at the point."""

    def surface(self, grid_x: np.ndarray, grid_y: np.ndarray) -> np.ndarray:
        """f on a grid of two variables (NaN where undefined)."""

    def field(self, grid_x: np.ndarray, grid_y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """∇f on a grid of two variables: the arrows of the contour plot."""


class SymbolicGradient:
    """Gradient, Hessian, Jacobian and their values from SymPy formulas (a ``GradientEngine``)."""

    def __init__(self, function: GradFunction, simplify: bool):
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
        common = dict(point=tuple(float(c) for c in point), label=texts, latex_label=latex_coordinates(point, texts))
        if self.function.components is not None:
            rows = _numbers(self.jacobian.subs(substitutions))
            if rows is None:
                return GradientPoint(reason="the Jacobian is not defined there", **common)
            return GradientPoint(jacobian=rows, **common)
        f_kind, _ = calculus.classify_number(self.function.expr.subs(substitutions))
        if f_kind != "real":
            reason = "outside the domain of f" if f_kind == "complex" else "f is not defined there"
            return GradientPoint(reason=reason, **common)
        gradient_expr, hessian_expr = self.gradient, self.hessian
        if calculus.has_switches(self.function.expr):  # |x| + |y|: the piece f follows around the point decides
            try:
                local = calculus.local_gradient(self.function.expr, self.variables, point)
            except calculus.Undecided:
                return GradientPoint(reason="unknown: SymPy cannot tell which piece of f applies around this "
                                            "point (try --method numeric)", **common)
            if local.piece is None:
                return self._at_switch(local, unit, with_hessian, common)
            gradient_expr = calculus.gradient(local.piece, self.variables)
            hessian_expr = calculus.hessian(local.piece, self.variables)
        gradient = _numbers(gradient_expr.subs(substitutions))
        if gradient is None:
            return GradientPoint(reason="the gradient is not defined there", **common)
        components = tuple(row[0] for row in gradient)
        exact_gradient = gradient_expr.subs(substitutions)
        extras = {"stationary": all(calculus.is_zero(g, n) for g, n in zip(exact_gradient, components))}
        if unit is not None:
            extras["directional"] = sum(g * float(u) for g, u in zip(components, unit))
        if with_hessian:
            matrix = hessian_expr.subs(substitutions)
            extras.update(_hessian_at(_numbers(matrix)))
            if "eigenvalues" in extras and not matrix.has(sp.Float):  # exact: judged exactly (10⁻¹⁴ y² is not 0)
                exact = calculus.exact_definiteness(matrix)
                extras["definiteness"] = exact or extras["definiteness"]
        return GradientPoint(gradient=components, **common, **extras)

    @staticmethod
    def _at_switch(local: calculus.LocalGradient, unit, with_hessian: bool, common: dict) -> GradientPoint:
        """A point where f changes pieces: partial derivatives from one-sided analysis, or why there are none."""
        if local.gradient is None:
            return GradientPoint(reason=local.reason, **common)
        extras = {"stationary": all(g == 0 for g in local.gradient), "note": local.caveat}
        if unit is not None:
            extras["directional"] = sum(g * float(u) for g, u in zip(local.gradient, unit))
        if with_hessian:
            extras["definiteness"] = "the Hessian is not computed where f changes pieces"
        return GradientPoint(gradient=local.gradient, **common, **extras)

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
        """Where ∇f = 0 or does not exist, each verified and classified (see critical.py)."""
        self._require_values()
        return critical.CriticalPoints(self.function.expr, self.variables, self.gradient, self.hessian, box,
                                       timeout).run()

    def formula_disagrees(self, point) -> bool:
        parsed = self.function.parsed
        return parsed is not None and traced_formula_disagrees(parsed, point)

    def surface(self, grid_x, grid_y) -> np.ndarray:
        evaluate = sp.lambdify(self.variables, self.function.expr, "numpy")
        with np.errstate(all="ignore"):
            try:
                values = np.broadcast_to(np.asarray(evaluate(grid_x, grid_y), dtype=complex), grid_x.shape)
                return np.where(np.abs(values.imag) < 1e-12, values.real, np.nan)
            except (TypeError, ValueError, NameError, ZeroDivisionError):
                return _sampled_surface(self.value, grid_x, grid_y)

    def field(self, grid_x, grid_y) -> tuple[np.ndarray, np.ndarray]:
        evaluate = sp.lambdify(self.variables, list(self.gradient), "numpy")
        with np.errstate(all="ignore"):
            try:
                u, v = (np.broadcast_to(np.asarray(c, dtype=float), grid_x.shape) for c in evaluate(grid_x, grid_y))
                return u, v
            except (TypeError, ValueError, NameError, ZeroDivisionError):
                return _difference_field(self.value, grid_x, grid_y)


class NumericGradient:
    """Gradient and Hessian values from the numeric engine, for untraced functions or --method numeric
    (a ``GradientEngine`` without formulas)."""

    jacobian = gradient = hessian = None

    def __init__(self, function: GradFunction):
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
        common = dict(point=coordinates, label=texts, latex_label=latex_coordinates(point, texts))
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
        """Zeros of the numeric gradient in the box, each checked and classified within its errors."""
        def gradient(*point):
            return self.gradient_at(point)

        def hessian(*point):
            return numeric.hessian(self.func, point, self.vector_input, self.name)[0]

        width = max(high - low for low, high in box)
        scale = self._value_scale(box, width)
        found = optimise.newton_critical_points(gradient, hessian, box, starts_per_axis=4, iterations=40,
                                               merge=1e-4, settle=1e-7, tolerance=CHECKED_GRADIENT * scale,
                                               max_starts=64)
        shown_box = " × ".join(f"[{low:g}, {high:g}]" for low, high in box)
        critical_list, dropped = [], 0
        for p in found:
            values, errors = numeric.gradient(self.func, p, self.vector_input, self.name)
            norm = float(np.linalg.norm(values))
            matrix, hessian_errors = numeric.hessian(self.func, p, self.vector_input, self.name)
            left = _newton_step_left(matrix, values)
            # |∇f| small against f's scale, and a zero close by: x² + 10⁻¹⁴ y² has a small gradient at
            # (0, 1.7), but the Newton step from there is 1.7 long
            if not (norm <= max(CHECKED_GRADIENT * scale, 10 * float(np.linalg.norm(errors))) <= 1e-6 * scale
                    and left <= 1e-3 * width):
                dropped += 1
                continue
            kind, eigenvalues = self._numeric_kind(p, matrix, hessian_errors, left, width)
            critical_list.append(CriticalPoint(tuple(float(c) for c in p), kind, None, eigenvalues))
        checked = (f"each checked: |∇f| below {CHECKED_GRADIENT:g} of f's scale (change across the box); "
                   "eigenvalues within their error, or within how much they change over the point's own "
                   "uncertainty, count as zero")
        parts = [f"Critical points found numerically (Newton's method from starts in {shown_box}; {checked})."
                 if critical_list else f"No critical points found numerically in {shown_box}."]
        if dropped:
            parts.append(f"{dropped} point(s) where Newton's method stopped are not listed: |∇f| there was not "
                         "small enough, or the Newton step from there still long (no zero close by).")
        note = " ".join(parts)
        return critical_list, (note[:-1] + ":" if critical_list else note)

    def formula_disagrees(self, point) -> bool:
        return False  # no formula: the function's own values are all there is

    def surface(self, grid_x, grid_y) -> np.ndarray:
        return _sampled_surface(self.value, grid_x, grid_y)

    def field(self, grid_x, grid_y) -> tuple[np.ndarray, np.ndarray]:
        return _difference_field(self.value, grid_x, grid_y)

    def _value_scale(self, box, width: float) -> float:
        """How fast f changes across the box (the middle half of its values / the width): what a small
        gradient is measured against; the middle half, so that e^(x²+y²) at the corners does not count."""
        values = np.array([self.value(p) for p in critical.search_starts(box, 64)])
        values = values[np.isfinite(values)]
        spread = float(np.subtract(*np.percentile(values, [75, 25]))) if values.size else 0.0
        return spread / width if spread > 0 else 1.0

    def _numeric_kind(self, point, matrix, errors, left: float, width: float) -> tuple[str, tuple[float, ...]]:
        """The second-derivative test with honest zeros, and the values around a degenerate point.

        The point is known only to within δ (the Newton step left, at least 10⁻⁶ of the box), so an
        eigenvalue counts as zero within its own error plus how much it changes between the point and
        points δ away: at the degenerate origin of x³ + y³, found at −6·10⁻⁷, that is larger than the
        eigenvalues themselves (−4·10⁻⁶), so no maximum is claimed.
        """
        point = np.asarray(point, dtype=float)
        eigenvalues = np.linalg.eigvalsh(matrix)
        delta = max(1e-6 * width, min(10 * left, 1e-2 * width))
        spread = 0.0
        for direction in np.eye(len(point))[:2] + 0.5:  # two fixed directions, (1.5, 0.5, ...) and (0.5, 1.5, ...)
            moved = point + delta * direction / np.linalg.norm(direction)
            other, _ = numeric.hessian(self.func, moved, self.vector_input, self.name)
            spread = max(spread, float(np.max(np.abs(np.linalg.eigvalsh(other) - eigenvalues))))
        zero = 10 * float(np.sum(errors)) + spread
        shown = tuple(float(e) for e in eigenvalues)
        kind = calculus.critical_kind(calculus.definiteness(shown, relative=0.0, absolute=zero))
        if kind != critical.DEGENERATE:
            return kind, shown
        detail = self._sampled_detail(point, width, delta)
        return (f"{kind}; {detail}" if detail else kind), shown

    def _sampled_detail(self, point: np.ndarray, width: float, delta: float) -> str:
        """critical.sampled_verdict from f's values (floats) on circles 10 to 100 times the point's uncertainty."""
        base = self.value(point)
        if not math.isfinite(base):
            return ""
        rings = []
        directions = np.array(critical.sphere_directions(len(point), 64))
        for factor in (100, 30, 10):  # well outside the point's uncertainty, well inside the box
            radius = min(factor * delta, width / (10 * factor))
            values = [self.value(point + radius * d) for d in directions]
            rings.append([v - base if math.isfinite(v) else None for v in values])
        return critical.sampled_verdict(rings, noise=1e-10 * max(1.0, abs(base)))


# A black box's gradient at a critical point it reports is at most this fraction of f's scale.
CHECKED_GRADIENT = 1e-9


def _newton_step_left(matrix, gradient_values) -> float:
    """|H⁺ ∇f|: how far the zero of ∇f may still be from a point (more near a degenerate one)."""
    try:
        length = float(np.linalg.norm(np.linalg.lstsq(np.asarray(matrix, dtype=float), gradient_values, rcond=None)[0]))
    except (np.linalg.LinAlgError, ValueError):
        return math.inf
    return length if math.isfinite(length) else math.inf


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


def gradient_figure(function: GradFunction, engine: GradientEngine, result: GradientResult, box,
                    fixed_range: bool, settings: Settings):
    """Contour, gradient arrows, points, critical points and descent path, for two variables.

    One variable is %deriv's plot (the API draws it); NoPlot says why there is no figure otherwise.
    Unless the range was given (``fixed_range``), the box grows to cover the critical points and a
    descent path that stayed finite.
    """
    n = len(function.variables)
    if function.components is not None:
        raise NoPlot("vector functions are not plotted (the Jacobian is shown instead)")
    if n != 2:
        raise NoPlot(f"f has {n} variables; contour plots are drawn for two")
    from .plotting import ContourData, contour_figure

    if not fixed_range:
        found = [c.point for c in result.critical]
        if result.descent is not None and result.descent.status != "diverged":
            found += [tuple(p) for p in result.descent.path]
        if found:
            box = _covering(box, np.array(found))
    xs = np.linspace(*box[0], 90)
    ys = np.linspace(*box[1], 90)
    grid_x, grid_y = np.meshgrid(xs, ys)
    heights = engine.surface(grid_x, grid_y)
    arrow_x, arrow_y = np.meshgrid(np.linspace(*box[0], 15), np.linspace(*box[1], 15))
    arrows = engine.field(arrow_x, arrow_y)
    at_points = [(p.point, p.gradient) for p in result.points if p.gradient is not None]
    data = ContourData(grid_x, grid_y, heights, arrow_x, arrow_y, arrows[0], arrows[1], at_points,
                       [(c.point, critical.plot_label(c.kind)) for c in result.critical],
                       None if result.descent is None else result.descent.path,
                       tuple(v.name for v in function.variables), function.name or "f")
    return contour_figure(data, settings.figure_size)


def descent_panel(function: GradFunction, engine: GradientEngine, runs, box, fixed_range: bool, samples: int):
    """What a descent run is drawn on, without the run: the contour plot (two variables) or the curve
    (one), over the box grown, unless the range was given, to hold every run that stayed finite."""
    from .plotting import ContourData, Curve

    n = len(function.variables)
    if function.components is not None or n > 2:
        raise NoPlot(f"f has {n} variables; descent is drawn for one or two")
    if not fixed_range:
        paths = [run.path[np.all(np.isfinite(run.path), axis=1) & (np.abs(run.path).max(axis=1) < 1e6)]
                 for run in runs if run.status != "diverged"]
        paths = [p for p in paths if len(p)]
        if paths:
            box = _covering(box, np.concatenate(paths))
    if n == 1:
        xs = np.linspace(*box[0], samples)
        ys = np.array([engine.value((x,)) for x in xs], dtype=float)
        return Curve(f"{function.name or 'f'}({function.variables[0].name})", xs, ys)
    grid_x, grid_y = np.meshgrid(np.linspace(*box[0], 90), np.linspace(*box[1], 90))
    arrow_x, arrow_y = np.meshgrid(np.linspace(*box[0], 15), np.linspace(*box[1], 15))
    arrows = engine.field(arrow_x, arrow_y)
    return ContourData(grid_x, grid_y, engine.surface(grid_x, grid_y), arrow_x, arrow_y, arrows[0], arrows[1],
                       [], [], None, tuple(v.name for v in function.variables), function.name or "f")


def _covering(box, path) -> list[tuple[float, float]]:
    """The box grown to hold the descent path, with a margin."""
    grown = []
    for (low, high), axis in zip(box, np.asarray(path).T):
        low, high = min(low, float(axis.min())), max(high, float(axis.max()))
        pad = 0.05 * (high - low)
        grown.append((low - pad, high + pad))
    return grown


def _sampled_surface(value: Callable, grid_x, grid_y) -> np.ndarray:
    """f on a grid, one point at a time (a black box, or a formula NumPy cannot evaluate at once)."""
    return np.vectorize(lambda a, b: value((a, b)), otypes=[float])(grid_x, grid_y)


def _difference_field(value: Callable, grid_x, grid_y) -> tuple[np.ndarray, np.ndarray]:
    """∇f on a grid by central differences of f's values."""
    h = 1e-6 * max(1.0, float(np.max(np.abs(grid_x))), float(np.max(np.abs(grid_y))))
    sampled = np.vectorize(lambda a, b: value((a, b)), otypes=[float])
    with np.errstate(all="ignore"):
        u = (sampled(grid_x + h, grid_y) - sampled(grid_x - h, grid_y)) / (2 * h)
        v = (sampled(grid_x, grid_y + h) - sampled(grid_x, grid_y - h)) / (2 * h)
    return u, v


def constrained_figure(function: GradFunction, result: GradientResult, box, fixed: bool, settings: Settings):
    """f's level curves with the constraint curves and the candidates of ``--subject-to`` (two variables):
    over --range if given (``fixed``), else around the candidates."""
    from .plotting import LevelData, level_curves_figure

    x, y = function.variables
    points = [c.point for c in result.constrained]
    (low_x, high_x), (low_y, high_y) = box
    if points and not fixed:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        reach = max(1.0, 0.6 * max(max(xs) - min(xs), max(ys) - min(ys)))
        low_x, high_x, low_y, high_y = min(xs) - reach, max(xs) + reach, min(ys) - reach, max(ys) + reach
    pad = 0.1 * max(high_x - low_x, high_y - low_y)
    xs, ys = np.linspace(low_x - pad, high_x + pad, 241), np.linspace(low_y - pad, high_y + pad, 241)
    grid_x, grid_y = np.meshgrid(xs, ys)

    def on_grid(expr):
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            values = sp.lambdify((x, y), expr, "numpy")(grid_x, grid_y)
        return np.array(np.broadcast_to(np.asarray(values, dtype=float), grid_x.shape))

    constraints = [(on_grid(c.lhs - c.rhs), f"{unicode_text(c.lhs)} = {unicode_text(c.rhs)}") for c in result.constraints]
    data = LevelData(grid_x, grid_y, on_grid(function.expr), [c.value for c in result.constrained], constraints,
                     [(c.point, c.kind) for c in result.constrained], (x.name, y.name))
    return level_curves_figure(data, settings.figure_size)
