"""What ``%%tangent`` and ``tangent()`` return: ``TangentResult``, and how it describes itself.

Owns the description of tangent lines, Taylor polynomials and tangent planes: per function its
formula, then per point the equations (point-slope, simplified, rounded), the normal line,
secants and linear approximations, or why there is no tangent. The description is written once,
in a ``Dialect``; ``latex()`` and ``text()`` come from ``FigureOutput``. Avoids computing
anything: the lines arrive ready as ``TangentLine`` records.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from .display import Display, FigureOutput
from .notation import Dialect, format_number, rounded_polynomial, shifted_polynomial, slope_words
from .values import TangentLine


@dataclass(repr=False, eq=False)
class TangentResult(FigureOutput):
    """What ``%%tangent`` and ``tangent()`` return (the cell's value)."""

    lines: list[TangentLine] = field(default_factory=list)
    functions: list[tuple[str, sp.Expr, tuple[sp.Symbol, ...]]] = field(default_factory=list)
    order: int = 1
    notes: list[str] = field(default_factory=list)
    display: Display = field(default_factory=Display)
    live: Any = None  # with --animate (or --interactive): the player or the slider view (interactive.py)

    def __repr__(self) -> str:
        shown = ", ".join(str(line.equation) for line in self.lines)
        return f"TangentResult(lines=[{shown}], figure={'yes' if self.has_figure else 'None'})"

    def _what(self, line: TangentLine) -> str:
        if line.kind == "plane":
            return "tangent plane"
        return "tangent line" if self.order == 1 else f"Taylor polynomial of degree {self.order}"

    def _at(self, line: TangentLine, d: Dialect) -> str:
        labels = d.label(line)
        if len(line.variables) == 1:
            return f"{d.symbol(line.variables[0])} = {labels[0]}"
        return f"({', '.join(str(v) for v in line.variables)}) = ({', '.join(labels)})"

    # --- the description ------------------------------------------------------------------
    def _sections(self, d: Dialect) -> list[list[str | None]]:
        sections = []
        for name, expr, variables in self.functions:
            rows = []
            for line in (l for l in self.lines if l.name == name):
                head = f"{d.words(self._what(line) + ' at ')}{d.sep}{self._at(line, d)}:"
                rows += d.labelled(head, self._rows(line, d) + self._secant_rows(line, d) + self._delta_rows(line, d))
            lhs = f"{d.name(name)}({', '.join(d.symbol(v) for v in variables)})"
            if isinstance(expr, sp.Eq):  # a curve F(x, y) = 0, named by its equation
                heading = (d.words("the curve ") + d.sep + (sp.latex(expr) if d.latex else name)
                           + (d.space + d.words("(no points given)") if not rows else ""))
            else:
                heading = (d.equation(lhs, expr) if expr is not None  # Python code SymPy could not trace: no formula
                           else f"{lhs}{d.space}{d.words('(Python code, differentiated numerically)')}")
            sections.append([d.display(heading), d.aligned(rows, indent=2)])
        sections.append([d.inline(d.words(note)) for note in self.notes])
        return sections

    def _rows(self, line: TangentLine, d: Dialect) -> list[str]:
        """The equations (or the reason there are none) for one line."""
        if line.curve is not None:
            return self._curve_rows(line, d)
        digits = self.display.precision
        eq = (lambda s: f"{line.dependent} = {s}")
        if line.kind == "none":
            sides = ", ".join(f"{side} {format_number(v, digits)}" for side, v in
                              (("left", line.left), ("right", line.right)) if v is not None)
            words = line.reason + (f": one-sided slopes {sides}" if sides else "") + "; no tangent"
            return [d.words(words)]
        if line.kind == "vertical":  # in %deriv's words for the same point
            x, a = d.symbol(line.variables[0]), d.label(line)[0]
            words = slope_words(line.left, line.right, digits)
            if not words.startswith("vertical tangent"):
                words = "vertical tangent; " + words
            return [rf"{x} = {a} \quad {d.words(words)}" if d.latex else f"{x} = {a}   {words}"]
        rows = []
        if not line.errors:  # numeric coefficients are shown rounded only: their last digits are noise
            point_slope = shifted_polynomial(line.coefficients, line.variables, line.center, d.latex)
            rows.append(eq(point_slope))
            simplified = d.symbol(line.polynomial)
            if simplified != point_slope:
                rows.append(eq(simplified))
        approximate = rounded_polynomial(line.polynomial, line.variables, digits, d.latex)
        if approximate is not None:
            rows.append(eq(approximate).replace(" = ", d.approx, 1))
        if line.errors:
            within = d.words("(computed numerically: each coefficient within ")
            rows.append(f"{within}{d.sep}{d.pm}{d.scientific(max(line.errors))}{d.words(')')}")
        normal = line.normal_equation
        if normal is not None:
            rows.append(f"{d.words('normal: ')}{d.sep}{d.symbol(normal.lhs)} = {d.symbol(normal.rhs)}")
        return rows

    def _secant_rows(self, line: TangentLine, d: Dialect) -> list[str]:
        digits = self.display.precision
        rows = []
        for h, rise, slope, difference in line.secants:
            words = (f"secant with h = {d.number(h, digits)}: rise {d.number(rise, digits)} over run "
                     f"{d.number(h, digits)} = slope {d.number(slope, digits)}")
            gap = f", {d.number(difference, digits)} from f'(a)" if difference is not None else ""
            rows.append(d.words(words + gap))
        return rows

    def _delta_rows(self, line: TangentLine, d: Dialect) -> list[str]:
        """Δx: the linear approximation against the true value (\\text{} spells Δ "delta ")."""
        digits = self.display.precision
        return [d.words(f"Δx = {format_number(dx, digits)}: f(a) + f'(a)Δx = {format_number(approximate, digits)}, "
                        f"f(a + Δx) = {format_number(true, digits)}, error {format_number(error, digits)}")
                for dx, approximate, true, error in line.deltas]

    def _curve_rows(self, line: TangentLine, d: Dialect) -> list[str]:
        """A curve's tangent at a point: y = b + m(x − a), simplified, as A x + B y = C; x = a where it is
        vertical; the normal; or why there is none (a singular point)."""
        digits = self.display.precision
        x, y = line.variables
        if line.kind == "none":
            return [d.words(line.reason + ("" if "tangent line" in line.reason else "; no tangent line"))]
        rows = []
        if line.kind == "vertical":
            rows.append(rf"{d.symbol(x)} = {d.label(line)[0]} \quad {d.words(line.reason)}" if d.latex
                        else f"{d.symbol(x)} = {line.label[0]}   {line.reason}")
        else:
            eq = (lambda text: f"{d.symbol(y)} = {text}")
            if not line.errors:
                point_slope = shifted_polynomial(line.coefficients, (x,), line.center[:1], d.latex)
                rows.append(eq(point_slope))
                simplified = d.symbol(line.polynomial)
                if simplified != point_slope:
                    rows.append(eq(simplified))
            approximate = rounded_polynomial(line.polynomial, (x,), digits, d.latex)
            if approximate is not None:
                rows.append(eq(approximate).replace(" = ", d.approx, 1))
            rows.append(d.words(f"slope {format_number(line.slope, digits)}" + (
                " (horizontal tangent)" if line.coefficients[1] == 0 else "")))
        implicit = line.implicit_equation
        if implicit is not None and line.kind == "line" and line.gradient[0] != 0:  # (not y = b again)
            rows.append(f"{d.symbol(implicit.lhs)} = {d.symbol(implicit.rhs)}")
        normal = line.normal_equation
        if normal is not None:
            rounded = rounded_polynomial(normal.rhs, (x,), digits, d.latex)
            lhs = f"{d.words('normal: ')}{d.sep}{d.symbol(normal.lhs)}"
            if not line.errors or rounded is None:  # exact (numeric points: rounded only)
                rows.append(f"{lhs} = {d.symbol(normal.rhs)}")
            if rounded is not None:
                rows.append(f"{lhs}{d.approx}{rounded}")
        return rows
