"""What ``%grad`` and ``grad()`` return: ``GradientResult``, and how it describes itself.

Owns the description of a gradient (or a vector function's Jacobian): the formulas (∇f, J, H,
the directional derivative), the worked steps per partial derivative, the values at each point,
the critical points, the gradient-descent table, the notes. The description is written once, in
a ``Dialect``; ``latex()`` and ``text()`` come from ``FigureOutput``. Avoids computing anything:
points, critical points and the descent run arrive ready.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from .display import Display, FigureOutput
from .graph import against_blocks, sweep_blocks
from .notation import TEXT, Dialect, format_number
from .values import ConstrainedPoint, CriticalPoint, GradientPoint


@dataclass(repr=False, eq=False)
class GradientResult(FigureOutput):
    """What ``%grad`` and ``grad()`` return."""

    expr: sp.Expr | None  # None for a vector function or an untraced Python function
    variables: tuple[sp.Symbol, ...]
    gradient: sp.Matrix | None = None
    name: str | None = None
    method: str = "symbolic"
    components: tuple[sp.Expr, ...] | None = None  # a vector function's components
    jacobian: sp.Matrix | None = None
    hessian: sp.Matrix | None = None
    direction: tuple[float, ...] | None = None  # the unit direction of --dir
    directional: sp.Expr | None = None  # ∇f · u
    points: list[GradientPoint] = field(default_factory=list)
    critical: list[CriticalPoint] = field(default_factory=list)
    critical_note: str = ""  # how the critical points were found, or why not
    constraints: list = field(default_factory=list)  # sp.Eq of --subject-to
    constrained: list[ConstrainedPoint] = field(default_factory=list)
    constrained_note: str = ""  # how the constrained candidates were found
    descent: Any = None  # numeric.DescentRun
    live: Any = None  # with --animate (or --interactive): the player or the slider view (interactive.py)
    steps: list = field(default_factory=list)  # (variable, [steps.Step]) per component, with --steps
    notes: list[str] = field(default_factory=list)
    display: Display = field(default_factory=Display)
    graph: Any = None  # autodiff.SweptGraph, with --graph
    graph_verdicts: list[str] = field(default_factory=list)  # per sweep: how it compares with the symbolic one
    against: Any = None  # graph.FrameworkTable, with --against jax|torch

    @property
    def values(self) -> dict:
        """Point → the gradient there as a SymPy column Matrix (the Jacobian for a vector function)."""
        values = {}
        for p in self.points:
            key = p.point if len(p.point) > 1 else p.point[0]
            if p.jacobian is not None:
                values[key] = sp.Matrix(p.jacobian)
            else:
                values[key] = None if p.gradient is None else sp.Matrix(p.gradient)
        return values

    @property
    def critical_points(self) -> list[tuple[tuple[float, ...], str]]:
        return [(c.point, c.kind) for c in self.critical]

    @property
    def path(self):
        return None if self.descent is None else self.descent.path

    def __repr__(self) -> str:
        return (f"GradientResult(expr={self.expr}, variables={self.variables}, gradient={self.gradient}, "
                f"values={self.values}, figure={'yes' if self.has_figure else 'None'})")

    def _name(self) -> str:
        return self.name or ("F" if self.components is not None else "f")

    # --- the description ------------------------------------------------------------------
    def _sections(self, d: Dialect) -> list[list[str | None]]:
        name, args = d.name(self._name()), d.args(d.symbol(v) for v in self.variables)
        equations = []
        if self.components is not None:
            equations.append(d.equation(f"{name}{args}", sp.Matrix(self.components)))
            if self.jacobian is not None:
                equations.append(d.equation(f"{d.subscript('J', name)}{args}", self.jacobian))
        else:
            if self.expr is not None:
                equations.append(d.equation(f"{name}{args}", self.expr))
            equations.append(self._gradient_equation(d, name, args))
        if self.hessian is not None:
            equations.append(d.equation(f"{d.subscript('H', name)}{args}", self.hessian))
        if self.direction is not None:
            equations.append(self._directional_equation(d, name))
        sections = [[d.display(equation) for equation in equations]]
        for variable, component in self.steps:
            partial = d.fraction(f"{d.partial}{d.sep}{name}", f"{d.partial}{d.sep}{d.symbol(variable)}")
            sections.append([d.inline(f"{d.words('Steps for ')}{d.sep}{partial}:"), d.steps(component)])
        if self.points:
            sections.append([d.aligned(*(self._point_rows(d, p) for p in self.points))])
        if self.graph is not None:
            sections.append(sweep_blocks(d, self.graph, self.graph_verdicts, self.display.precision))
        if self.against is not None:
            sections.append(against_blocks(d, self.against.framework, self.against.rows, self.display.precision))
        if self.critical_note:
            rows = [d.remark(d.args(_coordinates(c, d)), d.words(c.kind)) for c in self.critical]
            sections.append([d.inline(d.words(self.critical_note)), d.aligned(rows, indent=2) if rows else None])
        if self.constraints:
            sections.append(self._constrained_blocks(d, name))
        if self.descent is not None:
            sections.append(self._descent_blocks(d))
        sections.append([d.inline(d.words(note)) for note in self.notes])
        return sections

    def _constrained_blocks(self, d: Dialect, name: str) -> list[str | None]:
        """Extrema of f subject to the constraints: each candidate, λ, f there and its kind."""
        shown = "; ".join(sp.latex(c) if d.latex else f"{d.symbol(c.lhs)} = {d.symbol(c.rhs)}" for c in self.constraints)
        heading = (d.inline(rf"\text{{Extrema of }} {name} \text{{ subject to }} {shown}\text{{:}}") if d.latex
                   else f"Extrema of {name} subject to {shown}:")
        digits = self.display.precision
        rows = []
        for c in self.constrained:
            coordinates = d.args(_coordinates(c, d))
            lams = (", ".join(f"{'λ' if not d.latex else chr(92) + 'lambda'}"
                              f"{'' if len(c.multipliers) == 1 else k + 1} = {d.number(v, digits)}"
                              for k, v in enumerate(c.multipliers)))
            words = f"{name} = {format_number(c.value, digits)}" + (f", {lams}" if lams and not d.latex else "")
            rows.append(d.remark(coordinates + (rf",\ {lams}" if lams and d.latex else ""),
                                 d.words(f"{words}: {c.kind}" if not d.latex else
                                         f"{name} = {format_number(c.value, digits)}: {c.kind}")))
        return [heading, d.inline(d.words(self.constrained_note)), d.aligned(rows, indent=2) if rows else None]

    def _gradient_equation(self, d: Dialect, name: str, args: str) -> str:
        """∇f(x, y) = (the gradient); LaTeX shows the column of partial derivatives in between."""
        lhs = f"{d.nabla}{name}{args}"
        if d.latex:
            partials = r" \\ ".join(d.fraction(f"{d.partial}{d.sep}{name}", f"{d.partial}{d.sep}{d.symbol(v)}")
                                    for v in self.variables)
            lhs += rf" = \begin{{bmatrix}}{partials}\end{{bmatrix}}"
        if self.gradient is not None:
            return d.equation(lhs, self.gradient)
        how = "by automatic differentiation" if self.method == "autodiff" else "numerically"
        if d.latex:
            return rf"{lhs} = \text{{computed {how} at the points}}"
        return f"{lhs}: computed {how} at the points"

    def _directional_equation(self, d: Dialect, name: str) -> str:
        """D_u f = ∇f · u (= its formula), and the unit vector u."""
        u = d.bold("u")
        lhs = f"{d.subscript('D', u)} {name} = {d.nabla}{name}{d.dot}{u}"
        shown = d.equation(lhs, self.directional) if self.directional is not None else lhs
        unit = d.numbers(self.direction, self.display.precision)
        return d.beside(shown, rf", \quad {u} = {unit}" if d.latex else f",  {u} = {unit}")

    def _point_rows(self, d: Dialect, p: GradientPoint) -> list[str]:
        """∇f (or J) at one point, with its norm and direction; D_u f and H there."""
        digits = self.display.precision
        name, at = d.name(self._name()), d.args(d.label(p))
        if p.jacobian is not None:
            return [d.row(f"{d.subscript('J', name)}{at}", d.matrix(p.jacobian, digits))]
        gradient = f"{d.nabla}{name}{at}"
        if p.gradient is None:
            return [d.row(gradient, None, d.words(p.reason if p.reason.startswith("unknown:") else "undefined: " + p.reason))]
        norm = f"{d.norm(d.nabla + name)} = {d.number(p.norm, digits)},{d.space}{d.words(self._direction_words(p))}"
        rows = [d.row(gradient, d.numbers(p.gradient, digits), norm)]
        if p.directional is not None:
            rows.append(d.row(f"{d.subscript('D', d.bold('u'))} {name}{at}", d.number(p.directional, digits)))
        hessian = f"{d.subscript('H', name)}{at}"
        if p.hessian is not None:
            rows.append(d.row(hessian, d.matrix(p.hessian, digits), d.words(self._hessian_words(p))))
        elif p.definiteness:
            rows.append(d.row(hessian, None, d.words(p.definiteness)))
        return rows

    def _direction_words(self, p: GradientPoint) -> str:
        """'steepest ascent along (0.447, 0.894)', or 'stationary point' where ∇f = 0."""
        if p.stationary:
            words = "stationary point"
        else:
            words = "steepest ascent along " + TEXT.numbers([g / p.norm for g in p.gradient], self.display.precision)
        if p.errors is not None:
            words += f" ({p.method or 'numeric'}, error ≈ {max(p.errors):.1e})"
        return words

    def _hessian_words(self, p: GradientPoint) -> str:
        return f"eigenvalues {TEXT.numbers(p.eigenvalues, self.display.precision)}: {p.definiteness}"

    def _descent_blocks(self, d: Dialect) -> list[str]:
        """Where gradient descent went: a heading, the iterates (k, x, y, f), how it ended."""
        digits, run = self.display.precision, self.descent
        header = ["k"] + [d.symbol(v) for v in self.variables] + [d.name(self._name())]
        rows = [None if k is None else [str(k)] + [d.number(c, digits) for c in run.path[k]]
                + [d.number(float(run.values[k]), digits)] for k in _shown_iterations(len(run.path))]
        return [d.inline(d.words(self._descent_heading())), d.table(header, rows, digits + 8),
                d.inline(d.words(run.message))]

    def _descent_heading(self) -> str:
        start = TEXT.numbers(self.descent.path[0], self.display.precision)
        end = TEXT.numbers(self.descent.path[-1], self.display.precision)
        value = format_number(float(self.descent.values[-1]), self.display.precision)
        return f"Gradient descent from {start}: ends at {end}, {self._name()} = {value}"


def _shown_iterations(count: int) -> list[int | None]:
    """Every iteration of a short run; the first and last five of a long one (None: the gap)."""
    if count <= 12:
        return list(range(count))
    return list(range(5)) + [None] + list(range(count - 5, count))


def _coordinates(c: CriticalPoint, d: Dialect) -> tuple[str, ...]:
    """A critical point's coordinates, exact where SymPy found them (a root of a quintic, CRootOf,
    says less than its digits)."""
    if c.exact is not None:  # with its digits beside it, unless it is a plain fraction: √3/3 ≈ 0.57735
        return tuple(f"{p:.6g}" if v.has(sp.CRootOf) else d.symbol(v) if v.is_Rational else
                     f"{d.symbol(v)}{d.approx}{p:.6g}" for v, p in zip(c.exact, c.point))
    return tuple(f"{v:.6g}" for v in c.point)
