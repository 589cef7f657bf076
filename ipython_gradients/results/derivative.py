"""What ``%deriv`` and ``deriv()`` return: ``DerivativeResult``, and how it describes itself.

Owns the derivative's notation (Leibniz d²f/dx², or primes f''(x) and subscripts f_xy) and the
description of a result: the formula, the values at the points with what they mean, the worked
steps, the symbolic-vs-numeric check, the notes. The description is written once, in a
``Dialect``; ``latex()`` and ``text()`` come from ``FigureOutput``. Avoids computing anything:
the values arrive ready in ``PointValue`` and ``Check`` records.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from .display import Display, FigureOutput
from .graph import against_blocks, sweep_blocks
from .notation import (TEXT, Dialect, beside, format_number, pretty, prime_marks, runs, slope_words, superscript,
                       unicode_text)
from .values import Check, PointValue, QuotientTable


@dataclass(repr=False, eq=False)
class DerivativeResult(FigureOutput):
    """What ``%deriv`` and ``deriv()`` return."""

    expr: sp.Expr | None  # None for a Python function that could not be traced
    function_variables: tuple[sp.Symbol, ...]
    wrt: tuple[sp.Symbol, ...]  # differentiation sequence: (x, x) for d²/dx², (x, y) for ∂²/∂y∂x
    derivative: sp.Expr | None  # None when computed numerically
    name: str | None = None
    method: str = "symbolic"  # "symbolic", or "numeric" for a function that could not be traced
    points: list[PointValue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    display: Display = field(default_factory=Display)
    checks: list[Check] = field(default_factory=list)
    steps: list = field(default_factory=list)  # steps.Step, with --steps (or --definition)
    quotients: list[QuotientTable] = field(default_factory=list)  # with --definition --at
    curve: sp.Eq | None = None  # with --implicit: the curve's equation, y (``name``) a function of x (``wrt``)
    graph: Any = None  # autodiff.SweptGraph, with --graph
    graph_verdicts: list[str] = field(default_factory=list)  # per sweep: how it compares with the symbolic one
    against: Any = None  # graph.FrameworkTable, with --against jax|torch
    live: Any = None  # with --interactive: the slider view (interactive.DerivativeLive)

    @property
    def order(self) -> int:
        return len(self.wrt)

    @property
    def variables(self) -> tuple[sp.Symbol, ...]:
        """The distinct variables differentiated with respect to, in order."""
        return tuple(dict.fromkeys(self.wrt))

    @property
    def variable(self) -> sp.Symbol | None:
        """The variable, when there is one (None for a mixed partial derivative)."""
        return self.wrt[0] if len(self.variables) == 1 else None

    @property
    def partial(self) -> bool:
        return len(self.function_variables) > 1 and self.curve is None

    @property
    def values(self) -> dict:
        """Point → value (None where undefined or not differentiable). A point of one variable is a float."""
        return {(p.point[0] if len(p.point) == 1 else p.point): (p.value if p.status == "ok" else None)
                for p in self.points}

    def __repr__(self) -> str:
        return (f"DerivativeResult(expr={self.expr}, wrt={self.wrt}, derivative={self.derivative}, "
                f"values={self.values}, figure={'yes' if self.has_figure else 'None'})")

    # --- notation -------------------------------------------------------------------------
    def _function_name(self) -> str:
        return self.name or "f"

    def _args(self, d: Dialect, coordinates: tuple[str, ...] | None = None) -> str:
        return d.args(coordinates or [d.symbol(v) for v in self.function_variables])

    def _prime(self, d: Dialect, coordinates: tuple[str, ...] | None = None) -> str:
        """f'(x), f''(x), f^{(4)}(x); partials as subscripts f_{xy}(x, y)."""
        name, args = d.name(self._function_name()), self._args(d, coordinates)
        if self.curve is not None:  # y′ at (3, 4): y is no function of both coordinates
            at = r"\text{ at }" if d.latex else " at "
            return f"{name}{prime_marks(self.order, d.latex)}" + (f"{at}{args}" if coordinates else "")
        if self.partial:
            return d.subscript(name, "".join(d.symbol(v) for v in self.wrt)) + args
        return f"{name}{prime_marks(self.order, d.latex)}{args}"

    def _leibniz(self, d: Dialect) -> str:
        """df/dx, d²f/dx², ∂²/∂y∂x f(x, y), d/dx (x²) (a formula without a name: LaTeX only)."""
        mark = d.partial if self.partial else "d"
        top = d.power(mark, self.order)
        bottom = d.thin.join(d.power(f"{mark}{d.sep}{d.symbol(v)}", n) for v, n in runs(reversed(self.wrt)))
        name = self._function_name()
        if self.name and len(name) == 1:
            return d.fraction(f"{top}{d.sep}{name}", bottom)
        operator = d.fraction(top, bottom)
        if not self.name and self.expr is not None:
            return f"{operator} {d.parenthesized(d.symbol(self.expr))}"
        return f"{operator} {d.name(name)}{self._args(d)}"

    def curve_label(self, k: int) -> str:
        """The legend label of f^(k) in a figure: f(x), f′(x), g″(t), relu⁽⁴⁾(x) (plain text).

        Short and the same for every formula: the formula itself is shown above the figure, and
        mathtext would parse a formula label anew on every render (most of a figure's time).
        """
        marks = "′″‴"[k - 1] if 1 <= k <= 3 else f"⁽{superscript(k)}⁾" if k else ""
        return f"{self._function_name()}{marks}({self.function_variables[0]})"

    # --- the description ------------------------------------------------------------------
    def _sections(self, d: Dialect) -> list[list[str | None]]:
        sections = [[d.display(self._equation(d))], [self._point_block(d)] if self.points else []]
        if self.curve is not None:
            sections[0].insert(0, d.inline(d.words(f"along the curve ") + (
                sp.latex(self.curve) if d.latex else f"{unicode_text(self.curve.lhs)} = {unicode_text(self.curve.rhs)}")
                + d.words(f", {self.name} a function of {self.wrt[0]}:")))
        if self.steps:
            sections.append([None if d.latex else "Steps:", d.steps(self.steps)])
        for table in self.quotients:
            sections.append(self._quotient_block(d, table))
        if self.checks:
            labels = [self._prime(d, d.label(c)) for c in self.checks]
            width = max(map(len, labels))
            rows = [d.remark(label, d.words(check_words(c)), width) for label, c in zip(labels, self.checks)]
            three = any(c.autodiff is not None or c.autodiff_problem for c in self.checks)
            heading = "check, symbolic vs numeric vs autodiff:" if three else "check, symbolic vs numeric:"
            sections.append([d.aligned(rows, heading=heading)])
        if self.graph is not None:
            sections.append(sweep_blocks(d, self.graph, self.graph_verdicts, self.display.precision))
        if self.against is not None:
            sections.append(against_blocks(d, self.against.framework, self.against.rows, self.display.precision))
        sections.append([d.inline(d.words(note)) for note in self.notes])
        return sections

    def _quotient_block(self, d: Dialect, table: QuotientTable) -> list[str]:
        """The difference quotients at one point, and what they approach (from the point's analysis)."""
        a = d.label(table)[0]
        name = self._function_name()
        h = "h"
        if d.latex:
            heading = rf"\text{{difference quotients }} \frac{{{name}({a} + h) - {name}({a})}}{{h}}"
            header = ["h", r"\text{from the left } (-h)", r"\text{from the right } (+h)"]
        else:
            heading = f"Difference quotients ({name}({a} + h) − {name}({a}))/h:"
            header = [h, "from the left (−h)", "from the right (+h)"]
        precision = max(self.display.precision, 3) + 4  # enough digits to watch them settle
        rows = [[_power_of_ten(width, d), self._quotient(d, left, precision), self._quotient(d, right, precision)]
                for width, left, right in table.rows]
        point = next((p for p in self.points if p.label == table.label), None)
        return [d.display(heading) if d.latex else heading, d.table(header, rows, 20),
                d.inline(d.words(_approach(point, table, f"{name}'({', '.join(table.label)})",
                                           self.display.precision)))
                if point is not None else None]

    @staticmethod
    def _quotient(d: Dialect, value: float | None, precision: int) -> str:
        return d.number(value, precision) if value is not None else d.words("undefined")

    def _equation(self, d: Dialect) -> str:
        """The derivative's formula, or its left side and that it was computed numerically.

        Text in Leibniz notation without a name lets SymPy draw d/dx (...) in 2D.
        """
        drawn = not d.latex and self.display.notation == "leibniz" and self.name is None
        if self.derivative is None:
            if drawn and self.expr is not None:
                lhs = pretty(sp.Derivative(self.expr, *self.wrt, evaluate=False))
            else:
                lhs = self._prime(d) if self.display.notation == "prime" else self._leibniz(d)
            how = "by automatic differentiation" if self.method == "autodiff" else "numerically"
            if d.latex:
                return rf"{lhs} \quad \text{{computed {how} at the points}}"
            return beside(lhs, f": computed {how} at the points")
        if drawn:
            return pretty(sp.Eq(sp.Derivative(self.expr, *self.wrt, evaluate=False), self.derivative,
                                evaluate=False))
        lhs = self._prime(d) if self.display.notation == "prime" else self._leibniz(d)
        return d.equation(lhs, self.derivative)

    def point_rows(self) -> str:
        """The rows of the points in text, as ``text()`` shows them: "f'(0.5) = 1.000   increasing"."""
        return self._point_block(TEXT) if self.points else ""

    def _point_block(self, d: Dialect) -> str:
        """f'(a) = value and what it means, one row per point (or why there is no value)."""
        labels = [self._prime(d, d.label(p)) for p in self.points]
        values = [d.number(p.value, self.display.precision) if p.status == "ok" else None for p in self.points]
        width, value_width = max(map(len, labels)), max(len(v or "") for v in values)
        rows = []
        for label, value, p in zip(labels, values, self.points):
            words = d.remarks(p.meaning, numeric_words(p)) if value is not None else self._status_words(p)
            rows.append(d.row(label, value, d.words(words) if words else "", width, value_width))
        return d.aligned(rows)

    def _status_words(self, p: PointValue) -> str:
        digits = self.display.precision
        if p.status == "infinite":
            return slope_words(p.value, p.value, digits)
        if p.status == "not differentiable":
            sides = ", ".join(f"{side} {format_number(v, digits)}" for side, v in
                              (("left", p.left), ("right", p.right)) if v is not None)
            words = f"not differentiable ({p.reason})" + (f": {sides}" if sides else "")
            return words + (f"; {p.meaning}" if p.meaning else "")
        if p.status == "unknown":
            return f"unknown: {p.reason}"
        return f"undefined: {p.reason}"


def numeric_words(p: PointValue) -> str:
    """'central differences, h = 1.2e-03, error ≈ 3.1e-11' for a numeric value; '' for a symbolic one."""
    if not p.method:
        return ""
    parts = [p.method]
    if p.step is not None and p.method != "complex step":
        parts.append(f"h = {p.step:.1e}")
    if p.error is not None:
        parts.append(f"error ≈ {p.error:.1e}")
    return ", ".join(parts)


def check_words(c: Check) -> str:
    def shown(v):
        return "undefined" if v is None else f"{v:.17g}"

    words = f"symbolic {shown(c.symbolic)}, numeric {shown(c.numeric)}"
    if c.absolute is not None:
        words += f", |difference| {c.absolute:.1e}, relative {c.relative:.1e}"
    if c.autodiff is not None:
        words += f"; autodiff {shown(c.autodiff)}"
        if c.symbolic is not None:
            words += f", |difference| {abs(c.autodiff - c.symbolic):.1e}"
    elif c.autodiff_problem:
        words += f"; autodiff: no number ({c.autodiff_problem})"
    return words


def _power_of_ten(width, d: Dialect) -> str:
    """10⁻³, or 10^{-3}: a width of the quotient table."""
    k = -int(sp.log(width, 10))
    return f"10^{{-{k}}}" if d.latex else "10⁻" + str(k).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _approach(point: PointValue, table: QuotientTable, prime: str, precision: int) -> str:
    """What the quotients approach, as the analysis at the point found it (not read off the table)."""
    if point.status == "ok" and point.value is not None:
        return f"From both sides they approach {prime} = {format_number(point.value, precision)}."
    if all(left is None and right is None for _, left, right in table.rows):
        return f"f is not defined at {', '.join(table.label)}: there is no difference quotient."
    if point.left is not None and point.left == point.right and math.isinf(point.left):
        return (f"From both sides they grow without bound ({'+' if point.left > 0 else '-'}∞): a vertical "
                f"tangent, so {prime} does not exist as a number.")
    sides = []
    for side, limit, column in (("left", point.left, 1), ("right", point.right, 2)):
        if all(row[column] is None for row in table.rows):
            sides.append(f"from the {side}, f is not defined")
        elif limit is not None and math.isinf(limit):
            sides.append(f"from the {side} they grow without bound ({'+' if limit > 0 else '-'}∞)")
        elif limit is not None:
            sides.append(f"from the {side} they approach {format_number(limit, precision)}")
    if point.status == "ok" or not sides:
        return f"They approach no number: {point.reason or point.status}."
    said = "; ".join(sides)
    return f"{said[0].upper()}{said[1:]}: no single finite limit, so {prime} does not exist."
