"""The plain values the engines compute and the results hold.

Owns the frozen records passed from the engines (calculus, critical, derivatives, gradients,
tangents) to the result classes: a derivative at a point, a symbolic-vs-numeric check, the
gradient at a point, a critical point, a tangent line. Their properties are mathematics (a
norm, a tangent's equation), never presentation: nothing here formats a number, writes LaTeX or
knows about IPython, so an engine can import it without the rendering modules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp


@dataclass(frozen=True)
class PointValue:
    """A derivative at one point: its value, or why there is none, and what it means."""

    status: str  # "ok", "not differentiable", "infinite" (vertical tangent), "undefined"
    value: float | None = None
    left: float | None = None  # one-sided derivatives, where they were needed
    right: float | None = None
    meaning: str = ""  # "increasing", "stationary: local minimum", "concave up", ...
    reason: str = ""  # why there is no value
    point: tuple[float, ...] = ()
    label: tuple[str, ...] = ()  # the coordinates as the user wrote them
    latex_label: tuple[str, ...] = ()
    error: float | None = None  # error estimate of a numeric value
    method: str = ""  # how a numeric value was computed: "complex step", "central differences", ...
    step: float | None = None  # the finite-difference step, for numeric values


@dataclass(frozen=True)
class Check:
    """A value computed the three ways, symbolically, numerically and by autodiff (--check)."""

    label: tuple[str, ...]
    latex_label: tuple[str, ...]
    symbolic: float | None
    numeric: float | None
    autodiff: float | None = None  # the autodiff sweep's value, for first derivatives
    autodiff_problem: str = ""  # why the sweep gave no value, where it was run and did not

    @property
    def absolute(self) -> float | None:
        if self.symbolic is None or self.numeric is None:
            return None
        return abs(self.symbolic - self.numeric)

    @property
    def relative(self) -> float | None:
        if self.absolute is None:
            return None
        return self.absolute / abs(self.symbolic) if self.symbolic else self.absolute


@dataclass(frozen=True)
class GradientPoint:
    """Everything %grad says at one point."""

    point: tuple[float, ...]
    label: tuple[str, ...]
    latex_label: tuple[str, ...]
    gradient: tuple[float, ...] | None = None  # None where undefined
    errors: tuple[float, ...] | None = None  # numeric error estimates
    directional: float | None = None
    hessian: tuple[tuple[float, ...], ...] | None = None
    eigenvalues: tuple[float, ...] | None = None
    definiteness: str = ""
    jacobian: tuple[tuple[float, ...], ...] | None = None
    reason: str = ""  # why there is no gradient
    stationary: bool = False  # ∇f = 0 there: exactly, or within the numeric error
    method: str = ""  # how a numeric gradient was computed
    note: str = ""  # a caveat about this point's values (f changes pieces there)

    @property
    def norm(self) -> float | None:
        return None if self.gradient is None else math.sqrt(sum(g * g for g in self.gradient))


@dataclass(frozen=True)
class CriticalPoint:
    """A point where ∇f = 0 (or where the gradient does not exist), and what kind it is."""

    point: tuple[float, ...]
    kind: str  # "local minimum", "local maximum", "saddle point", "degenerate (test inconclusive)"
    exact: tuple[sp.Expr, ...] | None = None  # the exact solution, when SymPy found it
    eigenvalues: tuple[float, ...] = ()


@dataclass(frozen=True)
class TangentLine:
    """The tangent line (or Taylor polynomial, or tangent plane) of one function at one point."""

    name: str  # the function's name: f, g, or f₁, f₂ for unnamed lines
    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    point: tuple[float, ...]
    label: tuple[str, ...]
    latex_label: tuple[str, ...]
    center: tuple[sp.Expr, ...]  # the point, exactly
    kind: str  # "line", "taylor", "plane", "vertical", "none"
    coefficients: tuple[sp.Expr, ...] = ()  # Taylor: f(a), f'(a), f''(a)/2, ...; plane: f, f_x, f_y
    reason: str = ""  # why there is no tangent
    left: float | None = None
    right: float | None = None
    normal: bool = False
    secants: tuple[tuple[float, float, float, float], ...] = ()  # (h, rise, slope, slope - f'(a))
    deltas: tuple[tuple[float, float, float, float], ...] = ()  # (Δx, approximation, true value, error)
    errors: tuple[float, ...] = ()  # numeric coefficients: the estimated absolute error of each
    # On a curve F(x, y) = 0 (%%tangent on an equation): the curve, ∇F at the point (None where it is not
    # finite). Then ``variables`` are (x, y), ``center`` is (a, b) and a line's coefficients are (b, dy/dx).
    curve: sp.Eq | None = None
    gradient: tuple[sp.Expr, sp.Expr] | None = None

    @property
    def slope(self) -> float | None:
        """f'(a) for a line; None for a plane (see ``slopes``), a vertical tangent, or none."""
        return float(self.coefficients[1]) if self.kind in ("line", "taylor") and len(self.coefficients) > 1 else None

    @property
    def slopes(self) -> tuple[float, ...] | None:
        return tuple(float(c) for c in self.coefficients[1:]) if self.kind == "plane" else None

    @property
    def polynomial(self) -> sp.Expr | None:
        """The right-hand side as one SymPy expression: m x + c for a line."""
        if self.kind in ("line", "taylor"):
            x, a = self.variables[0], self.center[0]
            return sp.expand(sum(c * (x - a) ** k for k, c in enumerate(self.coefficients)))
        if self.kind == "plane":
            height, *slopes = self.coefficients
            return sp.expand(height + sum(m * (v - c) for m, v, c in zip(slopes, self.variables, self.center)))
        return None

    @property
    def equation(self) -> sp.Eq | None:
        """y = m x + c, z = ... for a plane, x = a for a vertical tangent, or None."""
        if self.kind == "vertical":
            return sp.Eq(self.variables[0], self.center[0])
        polynomial = self.polynomial
        if polynomial is None:
            return None
        if self.curve is not None:
            return sp.Eq(self.variables[1], polynomial)
        return sp.Eq(sp.Symbol(self.dependent), polynomial)

    @property
    def implicit_equation(self) -> sp.Eq | None:
        """On a curve: the tangent as ∇F·((x, y) − (a, b)) = 0, written A x + B y = C (3x + 4y = 25), with the
        smallest whole numbers where ∇F is rational; None elsewhere, and where the point was found numerically."""
        if self.curve is None or self.gradient is None or self.errors or self.kind not in ("line", "vertical"):
            return None
        (x, y), (a, b) = self.variables, self.center
        A, B = self.gradient
        common = sp.gcd(A, B) if A != 0 and B != 0 else (A if A != 0 else B)
        if common != 0:  # e x + e y = 2e is x + y = 2
            A, B = sp.simplify(A / common), sp.simplify(B / common)
        if A.is_Rational and B.is_Rational:
            numerators = [int(sp.Rational(c).p) for c in (A, B) if c != 0]
            scale = sp.Rational(sp.ilcm(sp.Rational(A).q, sp.Rational(B).q), math.gcd(*numerators))
            A, B = A * scale, B * scale
        if (A.is_number and A.is_negative) or (A == 0 and B.is_negative):
            A, B = -A, -B
        return sp.Eq(A * x + B * y, sp.simplify(A * a + B * b), evaluate=False)

    @property
    def dependent(self) -> str:
        """The name of the line's (plane's) height: y (z), or the next free letter when the function's
        own variable is called so (the tangent of f(y) = y² is z = 16 + 8·(y − 4), not y = ...)."""
        names = {v.name for v in self.variables}
        return next(c for c in (("z", "w", "u") if self.kind == "plane" else ("y", "z", "w", "u"))
                    if c not in names)

    @property
    def normal_equation(self) -> sp.Eq | None:
        """The normal line through (a, f(a)): slope −1/f'(a); vertical where the tangent is flat."""
        if not self.normal or self.kind not in ("line", "taylor", "vertical"):
            return None
        x, a = self.variables[0], self.center[0]
        y = sp.Symbol(self.dependent) if self.curve is None else self.variables[1]
        if self.kind == "vertical":
            return sp.Eq(y, self.expr.subs(x, a) if self.curve is None else self.center[1])
        height, slope = self.coefficients[0], self.coefficients[1]
        if slope == 0:
            return sp.Eq(x, a)
        return sp.Eq(y, sp.expand(height - (x - a) / slope))


@dataclass(frozen=True)
class QuotientTable:
    """Difference quotients (f(a + h) − f(a))/h at one point (``--definition --at``): per width h,
    the quotient at −h and at +h (None where f(a ± h) is undefined)."""

    label: tuple[str, ...]
    latex_label: tuple[str, ...]
    rows: list  # (h as a SymPy Rational, quotient at -h, quotient at +h)


@dataclass(frozen=True)
class ConstrainedPoint:
    """A candidate extremum of f on a constraint set (``--subject-to``): its multipliers, f there, its kind."""

    point: tuple[float, ...]
    value: float
    multipliers: tuple[float, ...]  # empty where the multiplier rule does not apply (dependent gradients)
    kind: str
    exact: tuple[sp.Expr, ...] | None = None


@dataclass(frozen=True)
class FrameworkRow:
    """One point of ``--against jax|torch``: our derivative, the framework's, and the verdict in words."""

    label: tuple[str, ...]
    ours: tuple[float, ...] | None  # None where there is no derivative (the verdict says why)
    theirs: tuple[float, ...] | None  # None where the framework failed to give one
    difference: float | None  # the largest |ours - theirs| over the components
    verdict: str  # "agrees", "differs beyond the error bound (...)", "not differentiable here (...): ..."
    ok: bool  # False where a gradient is wrong, a convention or NaN was hit, or there is no comparison
