"""What ``tangent`` computes: the cell's functions, their points, tangent lines and planes, the figure."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import sympy as sp

from . import calculus, numeric
from .derivatives import as_function, latex_coordinates, numeric_point, undecided_fallback
from .errors import (
    EvaluationError,
    ExpressionError,
    GradientError,
    OptionError,
    VariableError,
)
from .expressions import (
    DEFINITION,
    FUNCTIONS,
    NAMED,
    ParsedFunction,
    engine_symbols,
    natural_key,
    parse_points,
    parse_ranges,
    read_expression,
    real_symbol,
    remembered_definition,
)
from .results import TangentResult
from .results.notation import unicode_text
from .results.values import TangentLine
from .settings import Settings
from .sizes import refuse_huge_points
from .textbook import derivative_notation

UNNAMED = ("f", "g", "h", "p", "q", "r", "s", "u")  # then f9, f10, ... for longer cells


def _unnamed(used: set[str], number: int) -> str:
    """A name for the function on line ``number`` of the cell, not yet used."""
    return next((n for n in UNNAMED if n not in used), None) or next(
        f"f{k}" for k in range(number, number + len(used) + 2) if f"f{k}" not in used)


def cell_functions(cell, namespace, roots: str = "real") -> list[tuple[str, ParsedFunction]]:
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
            curve = equation_curve(entry, namespace, roots)
            if curve is not None:
                _refuse_mixing(curve, functions, number)
                if curve.name in used:
                    raise ExpressionError(f"the curve {curve.name} is given twice")
                used.add(curve.name)
                functions.append((curve.name, curve))
                continue
            _refuse_mixing(None, functions, number)
            parsed = _derivative_line(entry, dict(functions), namespace, roots)
            if parsed is None:
                parsed = as_function(entry, namespace, roots)
        except GradientError as error:
            raise type(error)(f"line {number}: {error}") from None
        if parsed.expr is None and parsed.func is None:
            raise ExpressionError(f"line {number}: nothing to differentiate")
        if len(parsed.variables) > 2:
            raise VariableError(f"line {number}: {entry!r} has {len(parsed.variables)} variables; tangent lines "
                                "and planes need one or two")
        if not parsed.variables:
            parsed = replace(parsed, variables=(real_symbol("x"),))
        name = parsed.name or _unnamed(used, number)
        if name in used:
            raise ExpressionError(f"line {number}: the name {name} is used twice")
        used.add(name)
        functions.append((name, parsed))
    return functions


def _derivative_line(entry, earlier: dict[str, ParsedFunction], namespace, roots: str) -> ParsedFunction | None:
    """A line in derivative notation, as the function it stands for: f'(x) or f'' after f is defined (on
    an earlier line or in the notebook), d/dx x^3, ∂/∂x (x^2 y); None for any other line."""
    notation = derivative_notation(entry) if isinstance(entry, str) else None
    if notation is None:
        return None
    name = base_name = None
    if notation.wrt:
        base = as_function(notation.body, namespace, roots)
    else:
        base_name = notation.body.split("(")[0]
        base = earlier.get(base_name)
        if base is None and base_name in namespace:
            base = as_function(notation.body, namespace, roots)
        elif base is None and remembered_definition(base_name) is not None:  # from an earlier magic
            base = as_function(remembered_definition(base_name), namespace, roots)
        if base is None:
            raise ExpressionError(f"{notation.written} is the derivative of a function {base_name} defined before: "
                                  f"define it on an earlier line ({base_name}(x) = x^2), in an earlier magic or in the notebook")
        name = base_name + "'" * notation.order
    if base.expr is None:
        raise ExpressionError(f"{notation.written}: {base.name or 'the function'} is Python code SymPy could not "
                              "trace; %%tangent draws derivatives of formulas only")
    by_name = {v.name: v for v in base.variables}
    if notation.wrt:
        missing = [w for w in notation.wrt if w not in by_name]
        if missing:
            raise VariableError(f"{notation.written}: {missing[0]} is not a variable of {notation.body!r}")
        wrt = [by_name[w] for w in notation.wrt] * (notation.order if len(notation.wrt) == 1 else 1)
    elif len(base.variables) == 1:
        wrt = [base.variables[0]] * notation.order
    else:
        raise VariableError(f"{notation.written}: {base_name} has {len(base.variables)} variables; write "
                            f"∂/∂x {base_name}(x, y) for a partial derivative")
    return ParsedFunction(calculus.derivative(base.expr, wrt), base.variables, name=name, reading=base.reading)


def at_points(at, functions) -> dict[int, list]:
    """The --at points, parsed once for each number of variables in the cell, without repeats ({} without --at)."""
    if at is None:
        return {}
    dimensions = sorted({len(parsed.variables) for _, parsed in functions})
    return {n: list({tuple(point): (point, texts) for point, texts in parse_points(at, n)}.values())
            for n in dimensions}


def tangent_box(range, points: dict[int, list], settings: Settings) -> list[tuple[float, float]]:
    """The x range (and y range for planes): --range, else around the points, else x_range."""
    if range is not None:
        ranges = parse_ranges(range)
        if len(ranges) > 2:
            raise OptionError(f"--range takes A,B, or A,B;C,D for functions of two variables, got {len(ranges)} ranges")
        return ranges * 2 if len(ranges) == 1 else ranges
    if not points:
        return [settings.x_range] * 2
    if 1 in points:  # a curve in the cell: every number of --at is an x
        xs = ys = [float(point[0]) for point, _ in points[1]]
    else:
        xs, ys = ([float(point[axis]) for point, _ in points[2]] for axis in (0, 1))
    box = []
    for axis in (xs, ys):
        low, high = min(axis), max(axis)
        pad = 0.5 * (high - low) if high > low else 1.0
        box.append((low - pad, high + pad))
    return box


def tangent_points(points: dict[int, list], parsed: ParsedFunction, box, range_given: bool):
    """The --at points for this function (by its number of variables); default the middle of the range."""
    n = len(parsed.variables)
    if not points:
        middle = tuple(sp.Rational(repr((low + high) / 2)) for low, high in box[:n])
        return [(middle, tuple(format(float(c), "g") for c in middle))]
    points = points[n]
    if range_given:
        for point, texts in points:
            for c, text, (low, high) in zip(point, texts, box):
                if not low <= float(c) <= high:
                    raise OptionError(f"the point {text} is outside --range {low:g},{high:g}")
    return points


def tangent_at(name: str, parsed: ParsedFunction, point, texts, order: int, normal: bool, widths, deltas,
               method: str) -> TangentLine:
    """The tangent line (Taylor polynomial, plane) at one point, with secants of the ``widths`` and the
    linear approximation's error at each of the ``deltas``; or why there is none."""
    refuse_huge_points([parsed.expr], parsed.variables, [(point, texts)])
    common = dict(name=name, expr=parsed.expr, variables=parsed.variables,
                  point=tuple(float(c) for c in point), label=texts, latex_label=latex_coordinates(point, texts),
                  center=tuple(point), normal=normal)
    if len(parsed.variables) == 2:
        return _tangent_plane_at(parsed, point, method, common)
    x = parsed.variables[0]
    symbolic = parsed.expr is not None and method != "numeric"
    if symbolic:
        try:
            analysis = calculus.analyse_point(parsed.expr, x, 1, point[0], sp.diff(parsed.expr, x))
            coefficients = calculus.taylor_coefficients(parsed.expr, x, point[0], order)
        except calculus.Undecided:  # SymPy cannot tell a side: the numeric engine decides, and says so
            analysis, symbolic = undecided_fallback(numeric_point(parsed, (x,), point)), False
    else:
        analysis = numeric_point(parsed, (x,), point)
    sides = [v for v in (analysis.left, analysis.right) if v is not None]
    if analysis.status == "infinite" or (analysis.status == "not differentiable" and sides
                                         and all(math.isinf(v) for v in sides)):
        # a vertical tangent, a cusp, or √x at the edge of its domain: the tangent is x = a; not where
        # one side is vertical and the other has a finite slope
        return TangentLine(kind="vertical", left=analysis.left, right=analysis.right, **common)
    if analysis.status != "ok":
        reason = analysis.reason if analysis.status == "undefined" else f"not differentiable ({analysis.reason})"
        return TangentLine(kind="none", reason=reason, left=analysis.left, right=analysis.right, **common)
    errors = ()
    if not symbolic:
        coefficients, errors = _numeric_taylor(parsed, point[0], order)
    if coefficients is None:
        return TangentLine(kind="none", reason=f"a derivative up to order {order} is not defined there", **common)
    value = _value_function(parsed)
    a, fa, slope = float(point[0]), float(coefficients[0]), float(coefficients[1])
    secants = tuple((h, value(a + h) - fa, (value(a + h) - fa) / h, (value(a + h) - fa) / h - slope) for h in widths)
    approximations = tuple((dx, fa + slope * dx, value(a + dx), value(a + dx) - fa - slope * dx) for dx in deltas)
    return TangentLine(kind="line" if order == 1 else "taylor", coefficients=tuple(coefficients),
                       secants=secants, deltas=approximations, errors=errors, **common)


def _numeric_taylor(parsed: ParsedFunction, a: sp.Expr, order: int) -> tuple[list[sp.Expr] | None, tuple]:
    """(f(a), f'(a), f''(a)/2, ...) by the numeric engine, and each one's error; None if one is not defined.

    A Python function is the black box it is; an expression (--method numeric) goes through the
    engine's expression mode (complex step, mpmath for higher orders where it is analytic), with the
    same kink checks as ``%deriv --method numeric``.
    """
    x = parsed.variables[0]
    fa = _value_function(parsed)(float(a))
    if not math.isfinite(fa):
        return None, ()
    values, errors = [sp.Float(fa)], [numeric.EPS * abs(fa)]
    for k in range(1, order + 1):
        found = numeric_point(parsed, (x,) * k, (a,))
        if found.status != "ok" or found.value is None or not math.isfinite(found.value):
            return None, ()
        values.append(sp.Float(found.value) / sp.factorial(k))
        errors.append((found.error or 0.0) / math.factorial(k))
    return values, tuple(float(e) for e in errors)


def value_function(parsed: ParsedFunction) -> Callable[[float], float]:
    """f as a plain float function, NaN where undefined."""
    return _value_function(parsed)


def _value_function(parsed: ParsedFunction) -> Callable[[float], float]:
    """f as a plain float function, NaN where undefined."""
    if parsed.func is not None:
        evaluator = numeric.Evaluator(parsed.func)
        return lambda t: float(evaluator.many(np.array([t]))[0])
    evaluator = numeric.expression_evaluator(parsed.expr, parsed.variables[0])
    return lambda t: float(evaluator.many(np.array([t]))[0])


def _tangent_plane_at(parsed: ParsedFunction, point, method: str, common: dict) -> TangentLine:
    errors = ()
    if parsed.expr is not None and method != "numeric":
        try:
            local = calculus.local_gradient(parsed.expr, parsed.variables, point)
        except calculus.Undecided:
            return TangentLine(kind="none", reason="unknown: SymPy cannot tell which piece of f applies around "
                                                   "this point", **common)
        if local.reason:
            return TangentLine(kind="none", reason=local.reason, **common)
        coefficients = calculus.plane_coefficients(parsed.expr, parsed.variables, point, local)
    else:  # a kinked partial (|x| + |y| at the origin) comes out NaN: no plane
        func = parsed.func or sp.lambdify(parsed.variables, parsed.expr, "numpy")
        values, value_errors = numeric.gradient(func, tuple(float(c) for c in point), name=parsed.name or "f",
                                                kink_check=True)
        height = numeric.as_real(func(*(float(c) for c in point)), "f")
        coefficients = [sp.Float(height)] + [sp.Float(v) for v in values]
        errors = (numeric.EPS * abs(height), *(float(e) for e in value_errors))
    if coefficients is None or not all(math.isfinite(float(c)) for c in coefficients):
        return TangentLine(kind="none", reason="the tangent plane is not defined there", **common)
    return TangentLine(kind="plane", coefficients=tuple(coefficients), errors=errors, **common)


def tangent_figure(result: TangentResult, functions, box, settings: Settings):
    """Each curve with its tangent lines, secants and normals; each surface with its tangent planes."""
    from .plotting import COLORS, Curve, lines_and_surfaces_figure

    curves, segments, surfaces = [], [], []
    one = [(name, parsed) for name, parsed in functions if len(parsed.variables) == 1]
    xs = np.linspace(*box[0], settings.samples)
    width = 0.2 * (box[0][1] - box[0][0])
    for (name, parsed), color in zip(one, COLORS * 4):
        x = parsed.variables[0]
        evaluate = _value_function(parsed)
        ys = (numeric.Evaluator(parsed.func).many(xs) if parsed.func is not None
              else numeric.expression_evaluator(parsed.expr, x).many(xs))
        curve = Curve(f"{name}({x})", xs, ys)  # the formulas are shown above the figure
        for line in (l for l in result.lines if l.name == name):
            a = line.point[0]
            fa = evaluate(a)
            if math.isfinite(fa):
                (curve.markers if line.kind in ("line", "taylor", "vertical") else curve.open_markers).append((a, fa))
            segments += _line_segments(line, a, fa, width, color, f" to {name}" if len(one) > 1 else "")
        curves.append(curve)
    for name, parsed in functions:
        if len(parsed.variables) == 2:
            surfaces.append(_surface_panel(name, parsed, [l for l in result.lines if l.name == name], box))
    x_label = one[0][1].variables[0].name if one else "x"
    return lines_and_surfaces_figure(curves, segments, surfaces, x_label, settings.figure_size)


def secant_parts(result: TangentResult, functions, box, settings: Settings):
    """What the secant animation draws on: the figure of the curves and their tangents (without the fixed
    secants), and for each point on a curve (name, a, f(a), f'(a) or None, why there is none, colour, f)."""
    from .errors import NoPlot
    from .plotting import COLORS

    one = [(name, parsed) for name, parsed in functions if len(parsed.variables) == 1]
    if not one:
        raise NoPlot("--animate draws the secants of functions of one variable")
    plain = replace(result, lines=[replace(line, secants=()) for line in result.lines])
    figure = tangent_figure(plain, functions, box, settings)
    parts = []
    for (name, parsed), color in zip(one, COLORS * 4):
        value = _value_function(parsed)
        for line in (l for l in result.lines if l.name == name):
            a = line.point[0]
            fa = value(a)
            if not math.isfinite(fa):
                continue
            why = line.reason or ("the tangent is vertical" if line.kind == "vertical" else "")
            parts.append((name, a, fa, line.slope, why, color, value))
    if not parts:
        raise NoPlot("f has no value at the points, so there is no secant to draw")
    return figure, parts


def _line_segments(line: TangentLine, a: float, fa: float, width: float, color: str, to: str = "") -> list:
    """The lines drawn at one point, each named in a few plain words ("tangent to g at x = 0.5").

    Their equations are shown above the figure: in the legend they were too small to read, and
    matplotlib's mathtext parsed each one anew on every render.
    """
    from .plotting import Segment

    segments = []
    at = f"{line.variables[0]} = {line.label[0].replace('-', '−')}"
    window = np.linspace(a - width, a + width, 60)
    if line.kind in ("line", "taylor"):
        polynomial = sp.lambdify(line.variables[0], line.polynomial, "numpy")
        ys = np.broadcast_to(np.asarray(polynomial(window), dtype=float), window.shape)
        what = "tangent" if line.kind == "line" else f"Taylor polynomial (degree {len(line.coefficients) - 1})"
        segments.append(Segment(window, ys, f"{what}{to} at {at}", color, "--"))
    elif line.kind == "vertical":
        segments.append(Segment(np.array([a, a]), np.array([fa - width, fa + width]),
                                f"vertical tangent{to} at {at}", color, "--"))
    normal = line.normal_equation
    if normal is not None:
        if normal.lhs == line.variables[0]:
            segments.append(Segment(np.array([a, a]), np.array([fa - width, fa + width]), f"normal{to} at {at}",
                                    color, ":"))
        else:
            ys = np.broadcast_to(np.asarray(sp.lambdify(line.variables[0], normal.rhs, "numpy")(window), dtype=float),
                                 window.shape)
            segments.append(Segment(window, ys, f"normal{to} at {at}", color, ":"))
    for h, _, slope, _ in line.secants:
        span = np.linspace(min(a, a + h) - 0.1 * abs(h), max(a, a + h) + 0.1 * abs(h), 20)
        segments.append(Segment(span, fa + slope * (span - a), f"secant{to} h = {h:g}: slope {slope:.3g}", color, "-."))
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
    title = f"{name}({', '.join(v.name for v in parsed.variables)})"  # the formula is shown above the figure
    return SurfacePanel(title, grid_x, grid_y, heights, planes, tuple(v.name for v in parsed.variables))


def _quiet_float(func, *args) -> float:
    try:
        return float(np.real_if_close(complex(func(*args))).real) if np.isreal(complex(func(*args))) else math.nan
    except Exception:  # a point where the user's function fails is a hole in the surface
        return math.nan


# --- curves F(x, y) = 0: a cell line that is an equation ------------------------------------------------

_EQUALS = re.compile(r"(?<![<>=!])=(?!=)")


@dataclass(frozen=True)
class ImplicitCurve:
    """A cell line that is an equation in two variables (x^2 + y^2 = 25): the curve F = lhs − rhs = 0."""

    name: str  # the equation as written out (x² + y² = 25): the name of its lines
    lhs: sp.Expr
    rhs: sp.Expr
    variables: tuple[sp.Symbol, sp.Symbol]  # (x, y): the horizontal axis first
    reading: str | None = None

    @property
    def F(self) -> sp.Expr:
        return self.lhs - self.rhs

    @property
    def equation(self) -> sp.Eq:
        return sp.Eq(self.lhs, self.rhs, evaluate=False)


def is_curve(parsed) -> bool:
    return isinstance(parsed, ImplicitCurve)


def equation_curve(entry, namespace, roots: str) -> ImplicitCurve | None:
    """The curve a cell line stands for, or None for a function (f(x) = x^2, y = x^2, z = x y, x^2).

    A line is a curve when it is an equation (one '='), unless it defines a function: f(x) = ...,
    or name = (an expression without that name), except x = (an expression in y alone), the parabola
    x = y^2 of the textbooks. y = x^2 + y^3, with y on both sides, is a curve.
    """
    from .implicit import curve_sides, repeated_factor

    if isinstance(entry, sp.Eq):
        lhs, rhs, reading = engine_symbols(entry.lhs), engine_symbols(entry.rhs), None
    elif isinstance(entry, str) and _EQUALS.search(entry) and not _defines_function(entry):
        named = NAMED.match(entry)
        if named and "=" not in named.group(2) and named.group(1).isidentifier():  # (y² = x³ − x is a curve)
            name = named.group(1)
            try:
                body, _ = read_expression(named.group(2), namespace, roots=roots)
            except GradientError:
                return None  # read as a function, which says what is wrong with it
            names = {s.name for s in body.free_symbols}
            if not names and len(name) > 1 and name.isalpha():  # xy = 1 sets a name xy: the curve is x y = 1
                raise ExpressionError(f"{entry.strip()!r} gives the name {name} a constant value; for a curve, "
                                      f"write the product with a space or *, as in {' '.join(name)} = "
                                      f"{named.group(2).strip()}")
            if name not in names and not (name == "x" and names == {"y"}):
                return None  # a function named by its value: y = x^2
        lhs_text, rhs_text = curve_sides(entry, "a curve", "x^2 + y^2 = 25")
        (lhs, first), (rhs, second) = (read_expression(side, namespace, roots=roots) for side in (lhs_text, rhs_text))
        reading = "; ".join(r for r in (first, second) if r) or None
    else:
        return None
    F = lhs - rhs
    variables = tuple(sorted(F.free_symbols, key=natural_key))
    written = f"{unicode_text(lhs)} = {unicode_text(rhs)}"
    if len(variables) != 2:
        what = ("no variable" if not variables else f"only {variables[0]}" if len(variables) == 1
                else f"{len(variables)} symbols ({', '.join(v.name for v in variables)})")
        raise VariableError(f"the equation {written} has {what}: a curve's equation has two variables, "
                            "as in x^2 + y^2 = 25" + (" (write numbers for the others)" if len(variables) > 2 else ""))
    repeated = repeated_factor(F)
    if repeated is not None:
        raise ExpressionError(f"the equation {written} has the factor {unicode_text(repeated)} more than once: its "
                              f"gradient vanishes all along the curve; write it once ({unicode_text(repeated)} = 0)")
    return ImplicitCurve(written, lhs, rhs, variables, reading)


def _defines_function(entry: str) -> bool:
    """f(x) = ..., g(x, y) = ...: a name not built in, and variable names in the parentheses (sin(x + y) = 0
    is an equation)."""
    definition = DEFINITION.match(entry)
    if not definition:
        return False
    name, params = definition.group(1), definition.group(2)
    return name not in FUNCTIONS and all(p.strip().isidentifier() for p in params.split(","))


def _refuse_mixing(curve: ImplicitCurve | None, functions, number: int) -> None:
    """A cell holds functions or curves, not both: --at means x values for the one, points for the other."""
    kinds = {is_curve(parsed) for _, parsed in functions}
    if kinds and kinds != {curve is not None}:
        raise ExpressionError("a cell holds either functions (f(x) = x^2) or curves (x^2 + y^2 = 25), not both: "
                              "--at means x values for the one and points x,y for the other; put them in two cells")


def curve_points(at, curves: list[tuple[str, ImplicitCurve]]) -> dict[str, list]:
    """The --at points of each curve: points x,y (by semicolons), the same for every curve (each must lie on
    it: ``curve_tangent`` refuses one off it), and ``x = 3`` (or ``y = 0``): every point of the curve there."""
    from .implicit import points_with

    if at is None:
        return {name: [] for name, _ in curves}
    parts = at.split(";") if isinstance(at, str) else [at]
    found = {name: [] for name, _ in curves}
    for part in parts:
        named = re.fullmatch(r"\s*([^\W\d]\w*)\s*=(.*)", part) if isinstance(part, str) else None
        if named is None:
            for name, _ in curves:
                found[name] += parse_points(part, 2)
            continue
        for name, curve in curves:
            by_name = {v.name: v for v in curve.variables}
            fixed = by_name.get(named.group(1).strip())
            if fixed is None:
                raise OptionError(f"--at {part.strip()}: {named.group(1)} is not a variable of {name} (its variables: "
                                  f"{', '.join(by_name)})")
            other = next(v for v in curve.variables if v != fixed)
            for value, text in parse_points(named.group(2), 1, what="value"):
                try:
                    roots, numeric = points_with(curve.F, fixed, value[0], other)
                except EvaluationError as error:
                    if len(curves) == 1:
                        raise
                    if str(error).startswith("no point of the curve"):
                        continue  # another curve of the cell may have some: each gets its own points
                    raise EvaluationError(f"{curve.name}: {error}") from None
                for root in roots:
                    shown = f"{float(root):.6g}" if numeric and isinstance(root, sp.Float) else unicode_text(root)
                    pair = {fixed: (value[0], text[0]), other: (root, shown.replace("−", "-"))}
                    found[name].append((tuple(pair[v][0] for v in curve.variables),
                                        tuple(pair[v][1] for v in curve.variables)))
    if len(curves) > 1 and not any(found.values()):
        raise EvaluationError(f"no point of any curve of the cell has {at.strip() if isinstance(at, str) else at}")
    return {name: list({tuple(p): (p, t) for p, t in points}.values()) for name, points in found.items()}


def curve_box(range, points: dict[str, list], settings: Settings) -> list[tuple[float, float]]:
    """The x and y ranges of a curve's figure: --range (A,B for both, or A,B;C,D), else a square around the
    origin and the points (textbook curves are drawn whole), else x_range for both."""
    if range is not None:
        ranges = parse_ranges(range)
        if len(ranges) > 2:
            raise OptionError(f"--range takes A,B, or A,B;C,D for x and y, got {len(ranges)} ranges")
        return ranges * 2 if len(ranges) == 1 else ranges
    coordinates = [abs(float(c)) for listed in points.values() for point, _ in listed for c in point]
    if not coordinates:
        return [settings.x_range] * 2
    reach = 1.5 * max(coordinates + [2.0])
    return [(-reach, reach)] * 2


def curve_tangent_at(curve: ImplicitCurve, derivative: sp.Expr, point, texts, normal: bool, box,
                     range_given: bool) -> TangentLine:
    """The tangent line of the curve at a point on it (x = a where it is vertical), or why there is none."""
    from .implicit import curve_tangent

    x, y = curve.variables
    if range_given:
        for c, text, (low, high), v in zip(point, texts, box, curve.variables):
            if not low <= float(c) <= high:
                raise OptionError(f"the point ({', '.join(texts)}) is outside --range: {v} = {text} is not in "
                                  f"{low:g},{high:g}")
    refuse_huge_points([curve.F], curve.variables, [(point, texts)])
    found, slope, gradient = curve_tangent(curve.F, x, y, derivative, point)
    numeric = any(isinstance(c, sp.Float) for c in point)
    common = dict(name=curve.name, expr=curve.F, variables=curve.variables, point=tuple(float(c) for c in point),
                  label=tuple(texts), latex_label=latex_coordinates(point, texts), center=tuple(point), normal=normal,
                  curve=curve.equation, gradient=gradient)
    errors = ()
    if numeric and slope is not None:  # found as roots to 30 digits: shown rounded, within far less than shown
        errors = (1e-20 * max(1.0, abs(float(point[1]))), 1e-20 * max(1.0, abs(float(slope))))
    if found.status == "ok":
        return TangentLine(kind="line", coefficients=(point[1], slope), errors=errors, **common)
    if found.reason.startswith("vertical tangent"):
        return TangentLine(kind="vertical", reason=found.reason, **common)
    return TangentLine(kind="none", reason=found.reason, **common)


def curve_figure(result: TangentResult, curves: list[tuple[str, ImplicitCurve]], box, settings: Settings):
    """The curves (zero contours of F on the box), the points, their tangent and normal segments."""
    from .errors import NoPlot
    from .implicit import curve_heights
    from .plotting import COLORS, CurveData, Segment, implicit_curves_figure

    (low_x, high_x), (low_y, high_y) = box
    grid_x, grid_y = np.meshgrid(np.linspace(low_x, high_x, 301), np.linspace(low_y, high_y, 301))
    drawn = []
    for name, curve in curves:
        heights = curve_heights(curve.F, *curve.variables, grid_x, grid_y)
        finite = heights[np.isfinite(heights)]
        if finite.size and finite.min() <= 0 <= finite.max():
            drawn.append((name, heights))
    if not drawn:
        raise NoPlot("the curve has no real points in the range" if len(curves) == 1
                     else "the curves have no real points in the range")
    span = 0.2 * max(high_x - low_x, high_y - low_y)
    segments, marked = [], []
    several = len(curves) > 1
    palette = COLORS[len(drawn):] or COLORS[1:]  # not the curves' own colours
    for index, line in enumerate(result.lines):
        (a, b), color = line.point, palette[index % len(palette)]
        marked.append((a, b))
        at = f"({', '.join(t.replace('-', '−') for t in line.label)})" + (f" on {line.name}" if several else "")
        if line.kind == "line":
            dx, dy = 1 / math.hypot(1.0, line.slope), line.slope / math.hypot(1.0, line.slope)
        elif line.kind == "vertical":
            dx, dy = 0.0, 1.0
        else:
            continue
        segments.append(Segment(np.array([a - span * dx, a + span * dx]), np.array([b - span * dy, b + span * dy]),
                                f"tangent at {at}", color, "--"))
        if line.normal:
            segments.append(Segment(np.array([a + span * dy, a - span * dy]), np.array([b - span * dx, b + span * dx]),
                                    f"normal at {at}", color, ":"))
    x, y = curves[0][1].variables
    first, *more = drawn
    return implicit_curves_figure(CurveData(grid_x, grid_y, first[1], marked, segments, (x.name, y.name), first[0]),
                                  more, settings.figure_size)
