"""Critical points of f(x, y, ...) from its formula: found, verified, merged and classified.

What ``%grad --critical`` lists, and why each line can be trusted:

- Where ∇f = 0. Factors that never vanish are dropped first (e^(-x²-y²)). A polynomial system is
  solved without ``sp.solve`` and without a clock: a factor common to every equation gives curves
  of critical points, and the rest, with finitely many solutions, is solved from Gröbner
  eliminants: each coordinate of a real solution is a real root of its eliminant (exact: rational,
  radical, 2·cos(2π/9) for a cubic's three real roots, CRootOf beyond), and a tuple of them is a
  solution when every equation vanishes there at 60 digits. Other systems go to ``sp.solve`` for at
  most SOLVE_SECONDS (a polynomial one that the above cannot finish for half the timeout), except a
  periodic f and x mixed with sin x, which it solves slowly and for one period at best.
  Unless the polynomial solve was complete, Newton's method (the Hessian's pseudo-inverse, damped
  where that fails) runs from a fixed quasi-random set of starts in the box, all at once, and each
  point it stops at is refined at DIGITS digits with mpmath. Nothing there depends on the clock, so
  the points in the box are the same on a fast and a slow machine. A refined point that a simple
  closed form fits (p/q, (p/q)·π, √(p/q), log, inverse trigonometric values, an eliminant's root) is
  replaced by it where ∇f vanishes there exactly.
- Verified: exact points by ∇f = 0 exactly (calculus.sign_of; at 60 digits for the algebraic
  solutions of a polynomial system), numeric points by |∇f| < RESIDUAL × the gradient's typical
  size at DIGITS digits with a Newton step left below STABLE × the box. Points where Newton's method
  stopped without that, where ∇f underflows all around, or closing in on a point where f is not
  defined (x/sin x at 0) are not listed; the note counts them. Points that agree within their
  accuracy are one point; points on a curve of critical points (Newton's method restricted to the
  plane normal to the Hessian's null direction finds more) are named in the note, not listed.
- Classified: exact points by the signs of the exact Hessian's eigenvalues (read at 60 digits where
  clear, else calculus.eigenvalue_signs), numeric points by eigenvalues at DIGITS digits, those
  within the point's accuracy counting as zero. Degenerate points further, exact ones only for
  proofs: SymPy proving f(p + h) > f(p) (or <) for every h ≠ 0; the lowest-order non-zero Taylor
  terms (an odd order, or terms taking both signs, rule out an extremum; terms of one sign except
  at p prove one); along the directions where those terms vanish, the first non-zero derivative of
  f(p + t·d), or f constant along the line (then p, an isolated critical point, is no extremum).
  Where nothing is proved, values on small circles (spheres) at three radii give a statement worded
  as likely only ("probably a local minimum"); equal values claim nothing.
- Points where ∇f does not exist (critical points by definition): zeros of the arguments of |·|,
  sign and Heaviside, of the differences inside Max/Min, and of the bases of negative powers in ∇f
  (√ in a denominator), at isolated points: zeros of one such expression where its own gradient
  vanishes (√(x² + y²) at 0), crossings of two curves (|x| + |y| at 0), and points where f along one
  such curve is stationary (|x| + y² at 0). Each is checked: f is defined there and ∇f really is
  not (no value, or a jump). Whole curves of such points are named in the note, not listed.
"""
from __future__ import annotations

import itertools
import math
import time
import warnings
from dataclasses import dataclass, field
from fractions import Fraction

import mpmath
import numpy as np
import sympy as sp

from . import calculus
from .errors import ComputationTimeout
from .results.notation import unicode_text
from .results.values import CriticalPoint
from .timeouts import time_limit

PERIODIC = (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc)

DIGITS = 45  # working precision of the refinement and of the numeric checks
RESIDUAL = 1e-20  # a numeric point is kept when |∇f| < RESIDUAL × the gradient's typical size, at DIGITS digits
TARGET = 1e-38  # refinement stops once |∇f| is this small (relative)
STABLE = 1e-6  # ... and a numeric point is kept only if the Newton step left is below this × the box
NEWTON_ITERATIONS = 100  # damped Newton steps in floating point, for every start at once
REFINE_ITERATIONS = 150  # Newton steps at DIGITS digits (a degenerate point converges linearly)
MAX_REFINED = 80  # distinct points refined at most (a periodic function in a wide box has many)
MAX_TAYLOR_ORDER = 8  # how far the Taylor test of a degenerate point looks
MAX_LINE_ORDER = 12  # how far the derivative test along a line looks
MAX_TAYLOR_VARIABLES = 4  # the Taylor test (and its sign patterns) for at most this many variables
SAMPLE_RADII = (1e-1, 1e-2, 1e-3)  # × the point's neighbourhood size, for the values around a point
SAMPLE_DIRECTIONS = 240
SOLVE_SECONDS = 1.0  # SymPy's solve of a system that is not polynomial (at most half the timeout)
SMALL_SOLVE_SECONDS = 1.0  # each solve for the points where ∇f does not exist

MINIMUM, MAXIMUM, SADDLE = "local minimum", "local maximum", "saddle point"
DEGENERATE = "degenerate (test inconclusive)"
UNDEFINED = "gradient undefined"


# How many sets of kink curves (surfaces) are intersected, at most, for each number of them.
MAX_CROSSINGS = 40


def search_starts(box, count: int) -> np.ndarray:
    """``count`` fixed, well-spread points of the box (a Halton sequence; seeded random beyond 6 axes).

    Sampled directly: no grid of starts_per_axisⁿ points is ever built.
    """
    n = len(box)
    if n <= 6:
        primes = [2, 3, 5, 7, 11, 13][:n]
        unit = np.empty((count, n))
        index = np.arange(1, count + 1)
        for axis, base in enumerate(primes):
            fraction, value, rest = 1.0, np.zeros(count), index.copy()
            while np.any(rest > 0):
                fraction /= base
                value += fraction * (rest % base)
                rest //= base
            unit[:, axis] = value
    else:
        unit = np.random.default_rng(0).random((count, n))
    lows, highs = np.array(box, dtype=float).T
    return lows + (highs - lows) * unit


def start_count(n: int) -> int:
    return {1: 60, 2: 400, 3: 600}.get(n, 800)


def _without_delta(expr: sp.Expr) -> sp.Expr:
    """DiracDelta (the second derivative of |x| at its kink) is 0 wherever it can be evaluated."""
    if not expr.has(sp.DiracDelta):
        return expr
    return expr.replace(lambda e: isinstance(e, sp.DiracDelta), lambda e: sp.S.Zero)


class _Vectorised:
    """Expressions evaluated at many points at once with NumPy: (m, n) points → (m, k) values, NaN where undefined."""

    def __init__(self, exprs, variables, complex_input: bool = False):
        self.exprs = [_without_delta(sp.sympify(e)) for e in exprs]
        self.variables = variables
        self._together = sp.lambdify(variables, self.exprs, "numpy")
        self._each = None
        self._dtype = complex if complex_input else float  # (-7)^(1/3) is a number only with complex input

    def __call__(self, points: np.ndarray) -> np.ndarray:
        points = np.atleast_2d(np.asarray(points, dtype=self._dtype))
        m = points.shape[0]
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                values = self._together(*points.T)
                return np.stack([_real_column(v, m) for v in values], axis=1)
            except Exception:  # an entry NumPy cannot take as arrays: one by one, NaN where it fails
                pass
            if self._each is None:
                self._each = [sp.lambdify(self.variables, e, "numpy") for e in self.exprs]
            columns = []
            for func in self._each:
                try:
                    columns.append(_real_column(func(*points.T), m))
                except Exception:
                    columns.append(np.array([_one_value(func, p) for p in points]))
            return np.stack(columns, axis=1)


def _real_column(value, m: int) -> np.ndarray:
    value = np.broadcast_to(np.asarray(value), (m,))
    if value.dtype.kind == "c":
        return np.where(np.abs(value.imag) <= 1e-12 * np.maximum(1.0, np.abs(value.real)), value.real, np.nan)
    return value.astype(float)


def _one_value(func, point) -> float:
    try:
        value = complex(func(*point))
    except Exception:
        return math.nan
    return value.real if abs(value.imag) <= 1e-12 * max(1.0, abs(value.real)) else math.nan


class _Precise:
    """Expressions evaluated at one point with mpmath at its working precision: a list of mpf, or None."""

    def __init__(self, exprs, variables):
        self.exprs = [_without_delta(sp.sympify(e)) for e in exprs]
        self.variables = variables
        try:
            self._func = sp.lambdify(variables, self.exprs, "mpmath")
        except Exception:  # noqa: BLE001 - SymPy's printers fail in many ways; evalf below always works
            self._func = None

    def __call__(self, point):
        values = None
        if self._func is not None:
            try:
                values = [mpmath.mpmathify(v) for v in self._func(*point)]
            except Exception:
                values = None
        if values is None:
            digits = mpmath.mp.dps
            substitutions = {v: sp.Float(mpmath.nstr(c, digits + 5), digits + 5) for v, c in zip(self.variables, point)}
            try:
                values = [mpmath.mpmathify(sp.N(e.subs(substitutions, simultaneous=True), digits)) for e in self.exprs]
            except Exception:
                return None
        real = []
        for v in values:
            if isinstance(v, mpmath.mpc):
                if abs(v.imag) > mpmath.mpf(10) ** (10 - DIGITS) * max(1, abs(v.real)):
                    return None
                v = v.real
            if not mpmath.isfinite(v):
                return None
            real.append(v)
        return real


@dataclass
class _Point:
    """A critical point on its way to the list."""

    values: tuple  # mpf coordinates (DIGITS digits)
    exact: tuple | None = None  # SymPy numbers, when the point is known exactly
    accuracy: float = 0.0  # the true point is within this distance (0 when exact)
    residual: float = 0.0  # |∇f| there
    undefined: bool = False  # ∇f does not exist there
    kind: str = ""
    eigenvalues: tuple = ()
    fine: tuple | None = None  # an exact point's coordinates at calculus.SIGN_DIGITS digits

    @property
    def floats(self) -> tuple[float, ...]:
        return tuple(float(c) for c in self.values)


@dataclass
class Search:
    """The outcome of ``find``: the points, and what the note should say about how they were found."""

    points: list = field(default_factory=list)
    families: list = field(default_factory=list)  # SymPy's solutions with a free variable
    curves: list = field(default_factory=list)  # numeric critical points that lie on a curve of them
    undefined_curves: list = field(default_factory=list)  # equations of curves where ∇f does not exist
    edge_points: list = field(default_factory=list)  # points on an edge of f's domain where ∇f does not exist
    edge_curves: list = field(default_factory=list)  # edges of f's domain where ∇f does not exist
    solved: str = "no"  # "complete", "partial" (SymPy's list, checked), "timeout", "failed", "no"
    solve_seconds: float = 0.0
    missed_by_sympy: int = 0  # points the numeric search found that SymPy's solution did not have
    unverified: int = 0  # points where Newton's method stopped without |∇f| becoming small
    flat: int = 0  # points in regions where ∇f underflows to 0 at DIGITS digits
    singular: int = 0  # points closing in on a point where f is not defined
    starts: int = 0
    periods: dict = field(default_factory=dict)
    truncated: bool = False


class CriticalPoints:
    """Critical points of one expression in a box; ``run()`` gives the list and a note."""

    def __init__(self, expr: sp.Expr, variables, gradient, hessian, box, timeout: float):
        self.expr = expr
        self.variables = tuple(variables)
        self.n = len(self.variables)
        self.gradient = [sp.sympify(g) for g in gradient]
        self.hessian = sp.Matrix(hessian)
        self.box = [(float(low), float(high)) for low, high in box]
        self.timeout = timeout
        self.width = max([high - low for low, high in self.box] + [1e-300])
        self.center = np.array([(low + high) / 2 for low, high in self.box])
        self.non_smooth = expr.has(*calculus.NON_SMOOTH) or any(g.has(*calculus.NON_SMOOTH) for g in self.gradient)
        self._np_gradient = _Vectorised(self.gradient, self.variables)
        self._np_hessian = _Vectorised(list(self.hessian), self.variables)
        self._np_value = _Vectorised([expr], self.variables)
        self._mp_gradient = _Precise(self.gradient, self.variables)
        self._mp_hessian = _Precise(list(self.hessian), self.variables)
        self._mp_value = _Precise([expr], self.variables)
        self._derivatives: dict = {}
        self._eliminant_roots = None  # per variable, the real roots of the polynomial system's eliminant
        self.gradient_scale = 1.0
        self.hessian_scale = 1.0

    # --- the whole search ---------------------------------------------------------------------

    def run(self) -> tuple[list[CriticalPoint], str]:
        with np.errstate(all="ignore"), warnings.catch_warnings():  # overflow far out in the box is no news
            warnings.simplefilter("ignore", RuntimeWarning)
            found = self.find()
            for point in found.points:
                self.classify(point, found.points)
        found.points.sort(key=lambda p: p.floats)
        shown = [CriticalPoint(p.floats, p.kind, p.exact, p.eigenvalues) for p in found.points]
        return shown, self.note(found)

    def find(self) -> Search:
        search = Search()
        starts = search_starts(self.box, start_count(self.n))
        search.starts = len(starts)
        self._scales(starts)
        if self.expr.has(*PERIODIC):
            search.periods = self._periods()
        periodic = bool(search.periods)
        exact = self._solve(search)  # a periodic f is not solved with SymPy: its points come from the box
        points = self._exact_points(exact, search)
        # a polynomial system solved from its eliminants has every real solution: nothing to search for
        numeric = self._numeric(starts, search, known=points) if search.solved != "complete" else []
        for point in numeric:
            if self._on_family(point, search.families):
                continue
            if any(self._same(point, other) for other in points):
                continue
            if search.solved in ("complete", "partial"):
                search.missed_by_sympy += 1
            points.append(point)
        for point in self._undefined_points(search):
            if not any(self._same(point, other) for other in points):
                points.append(point)
            else:  # ∇f = 0 by SymPy's sign(0) = 0, while it does not exist there
                for index, other in enumerate(points):
                    if self._same(point, other) and not other.undefined:
                        points[index] = point
        if periodic:
            points = [p for p in points if self._inside(p.floats)]
        search.points = points
        return search

    # --- scales -------------------------------------------------------------------------------

    def _scales(self, starts: np.ndarray) -> None:
        """Typical sizes of ∇f and of the Hessian in the box: what "small" is measured against."""
        gradients = self._np_gradient(starts)
        norms = np.linalg.norm(gradients, axis=1)
        norms = norms[np.isfinite(norms) & (norms > 0)]
        values = self._np_value(starts)[:, 0]
        values = values[np.isfinite(values)]
        # the middle half of f's values, so that e^(x²+y²) at the corners does not make every gradient small
        spread = float(np.subtract(*np.percentile(values, [75, 25])) / self.width) if values.size else 0.0
        scale = float(np.median(norms)) if norms.size else 0.0
        self.gradient_scale = max(scale, spread, 1e-300) if (scale or spread) else 1.0
        hessians = self._np_hessian(starts[:50])
        sizes = np.abs(hessians[np.all(np.isfinite(hessians), axis=1)])
        self.hessian_scale = float(np.median(np.max(sizes, axis=1))) if sizes.size else 0.0
        if not self.hessian_scale > 0:
            self.hessian_scale = self.gradient_scale / self.width

    def _periods(self) -> dict:
        periods = {}
        outside = self.expr.replace(lambda e: isinstance(e, PERIODIC), lambda e: sp.Dummy()).free_symbols
        for v in self.variables:
            if v in outside:  # x appears outside sin and cos (x² + cos x): not periodic in x
                continue
            try:
                with time_limit(1.0, "finding the period"):
                    period = sp.periodicity(self.expr, v)
            except (ComputationTimeout, NotImplementedError, ValueError, TypeError, RecursionError):
                period = None
            if period is not None and period.is_positive and period.is_number:
                periods[v] = period
        return periods

    # --- exact solutions ----------------------------------------------------------------------

    def _solve(self, search: Search) -> list[tuple]:
        """SymPy's real solutions of ∇f = 0 (factors that never vanish dropped), as tuples of numbers."""
        reduced = [reduced_equation(g, self.variables) for g in self.gradient]
        if any(r is None for r in reduced):
            search.solved = "failed"
            return []
        reduced = [r for r in reduced if r != 0]
        if not reduced:  # f is constant
            search.families.append({})
            search.solved = "complete"
            return []
        polynomial = all(r.is_polynomial(*self.variables) for r in reduced)
        if not polynomial and (search.periods or any(_mixes_trigonometry(r, self.variables) for r in reduced)):
            # SymPy gives one period's solutions of a periodic f slowly and not always all of them, and
            # cannot solve x = sin x in closed form: the numeric search (no clock) decides instead
            search.solved = "skipped"
            return []
        if polynomial:
            points = self._solve_polynomial(reduced, search)
            if points is not None:
                search.solved = "complete" if search.solved != "timeout" else "timeout"
                return points
        seconds = self.timeout / 2 if polynomial else min(self.timeout / 2, SOLVE_SECONDS)
        started = time.perf_counter()
        try:
            with time_limit(seconds, "solving ∇f = 0"):
                solutions = sp.solve(reduced, list(self.variables), dict=True)
        except ComputationTimeout:
            search.solved = "timeout"
            search.solve_seconds = seconds
            return []
        except (NotImplementedError, ValueError, TypeError, RecursionError, AttributeError, ZeroDivisionError):
            search.solved = "failed"
            return []
        search.solve_seconds = time.perf_counter() - started
        points = []
        complete = polynomial
        for solution in solutions:
            if any(isinstance(v, sp.Set) for v in solution.values()):
                complete = False
                continue
            values = [solution.get(v, v) for v in self.variables]
            free = [v for v in self.variables if v not in solution]
            if any(value.free_symbols - set(free) for value in values):
                complete = False
                continue
            if free:
                if self._real_family(solution, free):
                    search.families.append(solution)
                else:  # x = ±i·y has real points (y = 0) all the same: let the numeric search find them
                    complete = False
                continue
            real = self._real_point(values, reduced)
            if real is not None:
                points.append(real)
        if search.families:  # SymPy's solve may drop roots it cannot write (a quintic's): not claimed complete
            complete = False
        search.solved = "complete" if complete else "partial"
        return points

    def _solve_polynomial(self, reduced, search: Search) -> list[tuple] | None:
        """All real solutions of a polynomial system without sp.solve (no clock), or None to fall back on it.

        A factor common to every equation vanishes on whole curves (x for x² y): each of its factors
        is a set of critical points, written as one variable in terms of the others where SymPy can.
        What is left has finitely many solutions, each coordinate a real root of that variable's
        eliminant; the ones on those curves are not listed again.
        """
        try:
            common = sp.factor_terms(sp.gcd_list(reduced, *self.variables))
        except (sp.PolynomialError, NotImplementedError, ValueError, TypeError):
            return None
        families, isolated = [], []
        if len(self.variables) > 1 and common.free_symbols & set(self.variables):  # in one variable: points
            for factor, _ in sp.factor_list(common, *self.variables)[1]:
                found = self._family_of(factor)
                if found is None:
                    return None
                families += found[0]
                isolated += found[1]
            reduced = [sp.cancel(r / common) for r in reduced]
        roots = eliminant_roots(reduced, self.variables)
        if roots == "timeout":
            search.solved = "timeout"
            search.solve_seconds = 2.0
            return []
        self._eliminant_roots = roots
        if roots is None:
            return None
        points = self._polynomial_points(reduced)
        if points is None:
            return None
        if families:
            curve = _Precise([common], self.variables)
            with mpmath.workdps(DIGITS):
                points = [p for p in points
                          if abs(curve([mpmath.mpf(str(sp.N(c, DIGITS + 5))) for c in p])[0]) > mpmath.mpf(10) ** -30]
        search.families += families
        return points + [p for p in isolated if p not in points]

    def _family_of(self, factor: sp.Expr):
        """The zeros of a factor common to every equation: (sets of critical points, isolated points), or None.

        A curve is {variable: expression} for the first variable SymPy can isolate, else {factor: 0};
        a factor that does not change sign (x² + y²) vanishes at isolated points, or on a set of lower
        dimension (the z axis, for x² + y² in three variables), found where its own gradient vanishes.
        """
        if not self._changes_sign(factor):
            try:
                with time_limit(min(SMALL_SOLVE_SECONDS, self.timeout / 8), "the zeros of a factor"):
                    solutions = sp.solve([factor] + [sp.diff(factor, v) for v in self.variables],
                                         list(self.variables), dict=True)
            except (ComputationTimeout, NotImplementedError, ValueError, TypeError):
                return None
            families, points = [], []
            for solution in solutions:
                values = [solution.get(v, v) for v in self.variables]
                free = [v for v in self.variables if v not in solution]
                if any(value.free_symbols - set(free) for value in values):
                    return None
                if free:
                    if not self._real_family(solution, free):
                        return None  # real points of a complex set: left to sp.solve and the numeric search
                    families.append(solution)
                elif all(calculus.classify_number(value)[0] == "real" for value in values):
                    points.append(tuple(values))
            return families, points
        for v in self.variables:
            if not factor.has(v) or sp.degree(factor, v) > 2:
                continue
            try:
                with time_limit(1.0, "describing a curve of critical points"):
                    branches = sp.solve(factor, v)
            except (ComputationTimeout, NotImplementedError, ValueError, TypeError):
                continue
            free = [w for w in self.variables if w != v]
            real = [b for b in branches if self._real_family({v: b}, free)]
            if len(real) == 1:
                return [{v: real[0]}], []
            if real:
                return [{factor: sp.S.Zero}], []
        return [{factor: sp.S.Zero}], []

    def _polynomial_points(self, reduced) -> list[tuple] | None:
        """Every real solution of a polynomial system with finitely many: tuples of eliminant roots that solve it.

        Each coordinate of a real solution is a real root of that variable's eliminant; a tuple of
        such roots is kept when every equation vanishes there at 60 digits (relative to the size of
        its terms). None if there are too many tuples to try.
        """
        lists = self._eliminant_roots
        if math.prod(len(roots) for roots in lists) > 4000:
            return None
        digits = calculus.SIGN_DIGITS
        equations = _Precise(reduced, self.variables)
        sizes = _Precise([sum(sp.Abs(term) for term in sp.Add.make_args(e)) for e in reduced], self.variables)
        points = []
        with mpmath.workdps(digits):
            numbers = [[mpmath.mpf(str(sp.N(r, digits + 5))) for r in roots] for roots in lists]
            for choice in itertools.product(*[range(len(roots)) for roots in lists]):
                at = [numbers[k][i] for k, i in enumerate(choice)]
                values, size = equations(at), sizes(at)
                if values is None or size is None:
                    continue
                if all(abs(v) <= mpmath.mpf(10) ** (20 - digits) * max(1, t) for v, t in zip(values, size)):
                    points.append(tuple(trigonometric_form(lists[k][i]) or lists[k][i] for k, i in enumerate(choice)))
        return points

    def _real_family(self, solution: dict, free, equation: sp.Expr | None = None) -> bool:
        """Whether a set of solutions has real points other than isolated ones (x = i·|y| has only y = 0).

        With ``equation``: whether it changes sign in the box (a curve), for a curve no variable of
        which SymPy isolates.
        """
        if equation is not None:
            return self._changes_sign(equation)
        samples = search_starts([self.box[self.variables.index(v)] for v in free], 42)[2:]  # not the centre
        values = _Vectorised(list(solution.values()), free, complex_input=True)(samples)
        return int(np.sum(np.all(np.isfinite(values), axis=1))) >= 2

    def _real_point(self, values, reduced) -> tuple | None:
        """The solution with real coordinates written without i, or None if it is not real."""
        coordinates = []
        for variable, value in zip(self.variables, values):
            if not value.has(sp.I):
                if calculus.classify_number(value)[0] != "real":
                    return None
                coordinates.append(value)
                continue
            number = value.evalf(calculus.SIGN_DIGITS)
            real, imaginary = (complex(part).real for part in number.as_real_imag())
            if abs(imaginary) > calculus.SIGN_ZERO * max(1.0, abs(real)):
                return None
            root = self._matching_root(self.variables.index(variable), value.evalf(calculus.SIGN_DIGITS), 1e-30)
            if root is None:
                return None
            coordinates.append(root)
        return tuple(coordinates)

    def _matching_root(self, index: int, value, tolerance: float):
        """The exact real root of the eliminant in variable ``index`` within ``tolerance`` of a value, or None."""
        if self._eliminant_roots is None:
            return None
        number = mpmath.mpf(str(sp.re(sp.N(value, DIGITS))))
        for root in self._eliminant_roots[index]:
            if abs(mpmath.mpf(str(sp.N(root, DIGITS))) - number) <= tolerance * max(1, abs(number)):
                return trigonometric_form(root) or root
        return None

    def _exact_points(self, exact, search: Search) -> list[_Point]:
        points = []
        for values in exact:
            point = self._checked_exact(values, solved_polynomial=search.solved == "complete")
            if point is not None and not any(self._same(point, other) for other in points):
                points.append(point)
        return points

    def _checked_exact(self, values, solved_polynomial: bool = False) -> _Point | None:
        """An exact candidate as a point where ∇f = 0, one where ∇f does not exist, or None.

        ∇f = 0 is proved with SymPy (calculus.sign_of); for a solution of a polynomial system, which
        SymPy's algebra already makes exact, ∇f there at 60 digits is enough (proving that
        2·cos(2π/9) is a root of x³ − 3x + 1 with SymPy takes seconds).
        """
        with mpmath.workdps(calculus.SIGN_DIGITS):
            fine = [mpmath.mpf(str(sp.N(c, calculus.SIGN_DIGITS + 5))) for c in values]
        with mpmath.workdps(DIGITS):
            precise = tuple(+c for c in fine)
        if solved_polynomial and not self.non_smooth:  # f, ∇f at the roots' 60 digits: no SymPy arithmetic on them
            with mpmath.workdps(calculus.SIGN_DIGITS):
                value, gradient = self._mp_value(fine), self._mp_gradient(fine)
                if value is None:
                    return None
                if gradient is not None:
                    if mpmath.norm(mpmath.matrix(gradient)) > 1e-40 * max(1.0, self.gradient_scale):
                        return None
                    return _Point(precise, tuple(values), fine=tuple(fine))
        substitutions = dict(zip(self.variables, values))
        if calculus.classify_number(self.expr.subs(substitutions, simultaneous=True))[0] != "real":
            return None
        if self.non_smooth:
            verdict = self._local_verdict(values)
            if verdict is not None:
                return _Point(precise, tuple(values), undefined=True) if verdict == "undefined" else (
                    _Point(precise, tuple(values)) if verdict == "zero" else None)
            if not self._gradient_continuous(values):
                return _Point(precise, tuple(values), undefined=True)
        for g in self.gradient:
            value = g.subs(substitutions, simultaneous=True)
            kind, _ = calculus.classify_number(value)
            if kind != "real":
                return _Point(precise, tuple(values), undefined=True)
            if solved_polynomial:
                if abs(complex(value.evalf(calculus.SIGN_DIGITS))) > 1e-40 * max(1.0, self.gradient_scale):
                    return None
            elif calculus.sign_of(value) != 0:
                return None
        return _Point(precise, tuple(values))

    def _local_verdict(self, values) -> str | None:
        """At a point of a function with pieces: "undefined" (no gradient), "zero" (∇f = 0), "nonzero",
        from the smooth piece around it or the one-sided analysis on a switch; None if SymPy cannot tell.

        x^(1/3)·y at the origin is on the switch of its real root, yet its gradient exists there and
        is 0 (|f| ≤ r^(4/3)); |x| + |y| has none.
        """
        try:
            with time_limit(min(SMALL_SOLVE_SECONDS, self.timeout / 8), "the gradient at a kink"):
                local = calculus.local_gradient(self.expr, self.variables, values)
                if local.piece is not None:
                    at = dict(zip(self.variables, values))
                    components = [sp.diff(local.piece, v).subs(at) for v in self.variables]
                    if any(calculus.classify_number(c)[0] != "real" for c in components):
                        return "undefined"
                    return "zero" if all(calculus.sign_of(c) == 0 for c in components) else "nonzero"
        except (calculus.Undecided, ComputationTimeout, ValueError, TypeError):
            return None
        if local.gradient is None:
            return "undefined"
        return "zero" if all(g == 0 for g in local.gradient) else "nonzero"

    def _gradient_continuous(self, values) -> bool:
        return all(calculus.is_continuous_near(g, self.variables, values) for g in self.gradient)

    # --- the numeric search -------------------------------------------------------------------

    def _numeric(self, starts: np.ndarray, search: Search, known=()) -> list[_Point]:
        """Critical points in the box from Newton's method: refined, checked, snapped to closed forms, merged.

        A point is kept when a closed form that fits it has ∇f = 0 exactly, or when Newton's method at
        DIGITS digits converged there: |∇f| < RESIDUAL × its typical size and a Newton step that has
        become small (far out on a flat slope, e^(-x²) for large x, |∇f| is tiny without any zero).
        Points on a curve of critical points are set aside for the note, not listed.
        """
        finals, norms, remaining = self._newton(starts)
        tolerance = 1e-6 * self.gradient_scale
        inside = np.array([self._inside(p, 1e-6) for p in finals]) if len(finals) else np.zeros(0, bool)
        keep = np.isfinite(norms) & (norms <= tolerance) & inside
        for family in search.families:  # points on SymPy's curves of critical points are not refined one by one
            if not family:
                keep[:] = False
                continue
            gaps = _Vectorised([v - expr for v, expr in family.items()], self.variables, complex_input=True)(finals)
            near = np.maximum(1e-6 * max(1.0, self.width), 10 * np.nan_to_num(remaining, nan=np.inf))
            keep &= ~np.all(np.abs(gaps) <= near[:, None], axis=1)
        order = np.argsort(norms[keep], kind="stable")
        candidates, radii = finals[keep][order], remaining[keep][order]
        representatives: list[tuple[np.ndarray, float]] = []
        for point, step in zip(candidates, radii):
            # duplicates of one point agree to about 1e-15 of its size (floats), whatever the box: the
            # box's width is no scale for telling points apart ((-1, 0) and (1, 0) in a box 1e26 wide)
            radius = max(1e-7 * min(self.width, max(1.0, float(np.linalg.norm(point)))), 10 * step)
            if any(np.linalg.norm(point - other) <= max(radius, other_radius)
                   for other, other_radius in representatives):
                continue
            representatives.append((point, radius))
        found: list[_Point] = []
        curves_seen = False
        refined = 0
        for point, _ in representatives:
            if curves_seen and self._float_on_curve(point):
                self._add_curve(search, point)
                continue
            if refined == MAX_REFINED:
                search.truncated = True
                break
            refined += 1
            result = self._refine(point)
            if result == "slid":
                continue
            if result is None:
                search.unverified += 1
                continue
            if any(self._same(result, other) for other in list(known) + found):
                continue  # found exactly already
            if self._numerically_flat(result):  # tanh(y^y) for y > 3: ∇f underflows, no zero to locate
                search.flat += 1
                continue
            result = self._snapped(result)
            if result == "singular":  # x / asin(x) at 0: Newton's method closes in on a point outside the domain
                search.singular += 1
                continue
            if result.exact is None and (result.residual > RESIDUAL * self.gradient_scale
                                         or result.accuracy > STABLE * self.width):
                search.unverified += 1
                continue
            if result.exact is None and self.non_smooth and self._jumps(result):
                result.undefined = True  # SymPy's sign(0) = 0 made ∇f look like 0 at a kink
            if not self._inside(result.floats, 1e-9) or any(self._same(result, other) for other in found):
                continue
            if self._on_curve(result):
                curves_seen = True
                self._add_curve(search, result.floats)
                continue
            found.append(result)
        return found

    def _numerically_flat(self, point: _Point) -> bool:
        """Whether ∇f is below the residual at DIGITS digits all around the point too, 10⁻³ of the box away.

        A degenerate critical point has a small gradient at it and a larger one nearby (x⁴ at 0); where
        the gradient underflows everywhere nearby, no zero can be told apart from its surroundings.
        """
        if point.residual > 0:
            return False
        step = 1e-3 * self.width
        with mpmath.workdps(DIGITS):
            for k in range(self.n):
                for sign in (1, -1):
                    moved = list(point.values)
                    moved[k] += sign * step
                    gradient = self._mp_gradient(moved)
                    if gradient is None or mpmath.norm(mpmath.matrix(gradient)) > RESIDUAL * self.gradient_scale:
                        return False
        return True

    def _jumps(self, point: _Point) -> bool:
        """Whether ∇f differs on the two sides of the point along some axis or diagonal (a kink)."""
        center = np.array(point.floats)
        h = 1e-7 * max(1.0, self.width)
        directions = np.array(_candidate_directions(self.n), dtype=float)
        directions /= np.linalg.norm(directions, axis=1, keepdims=True)
        sides = self._np_gradient(np.concatenate([center + h * directions, center - h * directions]))
        if not np.all(np.isfinite(sides)):
            return True
        half = len(directions)
        jumps = np.linalg.norm(sides[:half] - sides[half:], axis=1)
        return bool(np.any(jumps > 1e-3 * max(self.gradient_scale, 1e-300)))

    def _add_curve(self, search: Search, point) -> None:
        point = tuple(float(c) for c in point)
        if not any(np.linalg.norm(np.subtract(point, c)) < 1e-2 * self.width for c in search.curves):
            search.curves.append(point)

    def _float_on_curve(self, point: np.ndarray) -> bool:
        """``_on_curve`` in floating point: for skipping points once curves of critical points are known."""
        hessian = self._np_hessian(point[None])[0].reshape(self.n, self.n)
        if self.n == 1 or not np.all(np.isfinite(hessian)):
            return False
        values, vectors = np.linalg.eigh(hessian)
        null = vectors[:, np.abs(values) <= 1e-6 * max(self.hessian_scale, np.max(np.abs(values)), 1e-300)]
        for k in null.T:
            basis = np.linalg.svd(np.eye(self.n) - np.outer(k, k))[0][:, : self.n - 1]
            found = 0
            for epsilon in (1e-3, 1e-4):
                start = point + epsilon * self.width * k
                z = np.zeros(self.n - 1)
                with np.errstate(all="ignore"), warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    for _ in range(20):
                        q = start + basis @ z
                        g = self._np_gradient(q[None])[0]
                        if not np.all(np.isfinite(g)):
                            break
                        if np.linalg.norm(g) <= 1e-10 * self.gradient_scale:
                            found += np.linalg.norm(q - point) <= 3 * epsilon * self.width
                            break
                        jacobian = self._np_hessian(q[None])[0].reshape(self.n, self.n) @ basis
                        if not np.all(np.isfinite(jacobian)):
                            break
                        z = z - np.linalg.lstsq(jacobian, g, rcond=None)[0]
            if found == 2:
                return True
        return False

    def _newton(self, starts: np.ndarray):
        """Newton's method on ∇f = 0 from every start at once: (points, |∇f|, the Newton step left).

        Each iteration tries the Newton step (the pseudo-inverse of the Hessian, so a singular one
        does no harm), and where that does not reduce |∇f|, a Levenberg-Marquardt step whose damping
        grows until one does; a point that no step improves stops there (and is checked later).
        """
        points = starts.astype(float).copy()
        m, n = points.shape
        gradients = self._np_gradient(points)
        norms = np.linalg.norm(gradients, axis=1)
        damping = np.full(m, 1e-3)
        active = np.isfinite(norms)
        identity = np.eye(n)
        floor = 1e-15 * self.gradient_scale
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for _ in range(NEWTON_ITERATIONS):
                active &= (norms > floor) & (damping < 1e12)
                active &= np.all(np.abs(points - self.center) <= 5 * self.width, axis=1)
                index = np.nonzero(active)[0]
                if not index.size:
                    break
                hessians = self._np_hessian(points[index]).reshape(-1, n, n)
                good = np.all(np.isfinite(hessians), axis=(1, 2))
                active[index[~good]] = False
                index, hessians = index[good], hessians[good]
                if not index.size:
                    break
                g = gradients[index]
                newton = np.einsum("kij,kj->ki", np.linalg.pinv(hessians, rcond=1e-15), g)
                normal = np.einsum("kji,kjl->kil", hessians, hessians)
                size = np.trace(normal, axis1=1, axis2=2) / n + 1e-300
                system = normal + (damping[index] * size)[:, None, None] * identity
                right = np.einsum("kji,kj->ki", hessians, g)
                damped = np.linalg.solve(system, right[..., None])[..., 0]
                improved = np.zeros(index.size, dtype=bool)
                for step in (newton, damped):
                    todo = ~improved & np.all(np.isfinite(step), axis=1)
                    if not todo.any():
                        continue
                    trial = points[index[todo]] - step[todo]
                    trial_gradients = self._np_gradient(trial)
                    trial_norms = np.linalg.norm(trial_gradients, axis=1)
                    better = np.isfinite(trial_norms) & (trial_norms < norms[index[todo]])
                    accepted = index[todo][better]
                    points[accepted] = trial[better]
                    gradients[accepted] = trial_gradients[better]
                    norms[accepted] = trial_norms[better]
                    where = np.nonzero(todo)[0][better]
                    improved[where] = True
                damping[index[improved]] = np.maximum(damping[index[improved]] / 10, 1e-15)
                damping[index[~improved]] *= 10
            # how far each point may still be from the zero: the Newton step from it
            hessians = self._np_hessian(points).reshape(-1, n, n)
            finite = np.all(np.isfinite(hessians), axis=(1, 2)) & np.all(np.isfinite(gradients), axis=1)
            remaining = np.full(m, np.inf)
            if finite.any():
                remaining[finite] = np.linalg.norm(
                    np.einsum("kij,kj->ki", np.linalg.pinv(hessians[finite], rcond=1e-15), gradients[finite]), axis=1)
        return points, norms, remaining

    def _refine(self, start):
        """Newton's method at DIGITS digits from a floating-point point: the point, its |∇f| and accuracy.

        A Newton step that raises |∇f| is still taken a few times (a curved valley towards a
        degenerate zero is followed that way), with the best point kept; otherwise the step is damped.
        The accuracy is ten full Newton steps from the final point: how far the zero may still be.
        "slid" when the point slides away (a slope flattening out, no zero), None when it cannot be computed.
        """
        with mpmath.workdps(DIGITS):
            point = [mpmath.mpf(float(c)) for c in start]
            gradient = self._mp_gradient(point)
            if gradient is None:
                return None
            norm = mpmath.norm(mpmath.matrix(gradient))
            best = (norm, point)
            target = TARGET * self.gradient_scale
            damping = mpmath.mpf(0)
            uphill = 0
            matrix, matrix_at = None, None
            improved_at = 0
            for iteration in range(REFINE_ITERATIONS):
                if norm <= target or iteration - improved_at > 20:  # converged, or no progress for a while
                    break
                if matrix_at is not point:
                    matrix, matrix_at = self._mp_matrix(point), point
                if matrix is None:
                    break
                step = _damped_step(matrix, mpmath.matrix(gradient), damping)
                if step is None:
                    break
                trial = [c - s for c, s in zip(point, step)]
                trial_gradient = self._mp_gradient(trial)
                trial_norm = mpmath.norm(mpmath.matrix(trial_gradient)) if trial_gradient is not None else mpmath.inf
                if trial_norm < norm or (not damping and uphill < 40 and trial_norm < 1e6 * norm):
                    uphill += trial_norm >= norm
                    point, gradient, norm = trial, trial_gradient, trial_norm
                    if sum((float(a) - float(b)) ** 2 for a, b in zip(point, start)) > (0.1 * self.width) ** 2:
                        return "slid"  # sliding away: no zero here, only a slope flattening out
                    if norm < best[0] / 2:
                        improved_at = iteration
                    if norm < best[0]:
                        best = (norm, point)
                    damping = damping / 100 if damping > mpmath.mpf(10) ** (-30) else mpmath.mpf(0)
                else:
                    damping = max(damping * 10, mpmath.mpf(10) ** -12)
                    if damping > 1e6:
                        break
            norm, point = best
            matrix, gradient = self._mp_matrix(point), self._mp_gradient(point)
            newton = _damped_step(matrix, mpmath.matrix(gradient), 0) if matrix is not None and norm else None
            left = 0.0 if not norm else float(mpmath.norm(mpmath.matrix(newton))) if newton is not None else math.inf
            accuracy = max(10 * left, 1e-40 * max(1.0, max(abs(float(c)) for c in point)))
            return _Point(tuple(point), accuracy=accuracy, residual=float(norm))

    def _mp_matrix(self, point):
        entries = self._mp_hessian(point)
        if entries is None:
            return None
        matrix = mpmath.matrix(self.n, self.n)
        for k, value in enumerate(entries):
            matrix[k // self.n, k % self.n] = value
        return matrix

    def _snapped(self, point: _Point) -> _Point:
        """The point with a simple closed form in place of its digits, where ∇f vanishes there exactly."""
        tolerance = max(10 * point.accuracy, 1e-30 * max(1.0, max(abs(float(c)) for c in point.values)))
        guess, algebraic = [], False
        with mpmath.workdps(DIGITS):
            for index, value in enumerate(point.values):
                form = closed_form(value, tolerance)
                if form is None:  # a root of the polynomial system's eliminant (a quintic's, say)
                    form = self._matching_root(index, sp.Float(mpmath.nstr(value, DIGITS), DIGITS), tolerance)
                    algebraic = True
                if form is None:
                    return point
                guess.append(form)
        substitutions = dict(zip(self.variables, guess))
        if calculus.classify_number(self.expr.subs(substitutions, simultaneous=True))[0] != "real":
            return "singular"  # the point closes in on one where f itself is not defined
        checked = self._checked_exact(tuple(guess), solved_polynomial=algebraic)
        return point if checked is None else checked

    # --- families and curves of critical points ---------------------------------------------------

    def _on_family(self, point: _Point, families) -> bool:
        """Whether a numeric point lies on one of SymPy's sets of critical points (the line x = 0 of x² y)."""
        for family in families:
            if not family:
                return True
            values = dict(zip(self.variables, point.floats))
            try:
                if all(abs(float(expr.subs(values)) - values[v]) <= 1e-8 * max(1.0, self.width)
                       for v, expr in family.items()):
                    return True
            except (TypeError, ValueError):
                continue
        return False

    def _on_curve(self, point: _Point) -> bool:
        """Whether critical points continue from this one along a null direction of the Hessian.

        From p + ε k (k a null vector, ε = 10⁻³ and 10⁻⁴ of the box), Newton's method at DIGITS digits
        restricted to the plane through that point normal to k finds a verified critical point at both
        distances: the point is on a curve (a surface) of them, as on the circle of minima of
        (x² + y² − 1)². Near x² + 10⁻¹⁴ y² at 0 it finds none: ∇f there is small, not zero.
        """
        hessian = self._np_hessian(np.array([point.floats]))[0].reshape(self.n, self.n)
        if not np.all(np.isfinite(hessian)):
            return False
        values, vectors = np.linalg.eigh(hessian)
        null = vectors[:, np.abs(values) <= 1e-6 * max(self.hessian_scale, np.max(np.abs(values)), 1e-300)]
        for k in null.T:
            if all(self._critical_along(point, k, epsilon * self.width) for epsilon in (1e-3, 1e-4)):
                return True
        return False

    def _critical_along(self, point: _Point, direction: np.ndarray, distance: float) -> bool:
        if self.n == 1:
            return False
        basis = np.linalg.svd(np.eye(self.n) - np.outer(direction, direction))[0][:, : self.n - 1]
        with mpmath.workdps(DIGITS):
            basis = mpmath.matrix(basis.tolist())
            start = [c + mpmath.mpf(distance) * mpmath.mpf(float(d)) for c, d in zip(point.values, direction)]
            z = mpmath.matrix(self.n - 1, 1)
            for _ in range(30):
                q = [c + (basis * z)[i] for i, c in enumerate(start)]
                g = self._mp_gradient(q)
                if g is None:
                    return False
                if mpmath.norm(mpmath.matrix(g)) <= RESIDUAL * self.gradient_scale:
                    moved = math.sqrt(sum(float(a - b) ** 2 for a, b in zip(q, point.values)))
                    return moved <= 3 * distance
                entries = self._mp_hessian(q)
                if entries is None:
                    return False
                hessian = mpmath.matrix(self.n, self.n)
                for k, value in enumerate(entries):
                    hessian[k // self.n, k % self.n] = value
                jacobian = hessian * basis
                try:
                    z = z - mpmath.lu_solve(jacobian.T * jacobian, jacobian.T * mpmath.matrix(g))
                except ZeroDivisionError:
                    return False
        return False

    # --- points where ∇f does not exist ---------------------------------------------------------

    def _undefined_points(self, search: Search) -> list[_Point]:
        equations = singular_equations(self.expr, self.gradient, self.variables)
        if not equations:
            return []
        candidates: list[tuple] = []
        curves = []
        for equation in equations:
            if self.n == 1:  # on a line, the zeros of each expression are the points
                candidates += self._small_solve([equation])
                continue
            if self._changes_sign(equation):
                curves.append(equation)
            system = [equation] + [sp.diff(equation, v) for v in self.variables]
            candidates += self._small_solve(system)
        # partial derivatives with no kink anywhere (2z in |x - 1| + |y| + z²): zero where f along a
        # crossing of kinks is stationary
        smooth = [g for g in self.gradient if not g.has(sp.Abs, sp.sign, sp.Heaviside, sp.Max, sp.Min,
                                                        sp.DiracDelta, sp.Derivative)]
        for size in range(2, self.n + 1):  # where two curves cross (in 3-D, where three surfaces meet)
            for crossing in itertools.islice(itertools.combinations(curves, size), MAX_CROSSINGS):
                candidates += self._small_solve(list(crossing))
                if size < self.n and smooth:
                    candidates += self._small_solve(list(crossing) + smooth)
        for curve in curves:
            candidates += self._stationary_on(curve)
        points = []
        for values in candidates:
            if search.periods and not self._inside([float(c) for c in values]):
                continue
            point = self._checked_exact(values)
            if point is None or any(self._same(point, other) for other in points):
                continue
            if point.undefined and not self._defined_all_around(point):
                # at an edge of f's domain (y√x at x = 0): no interior critical point, named in the note
                if point.exact not in search.edge_points:
                    search.edge_points.append(point.exact)
                continue
            points.append(point)
        for curve in curves:
            if self._defined_on(curve) and self._gradient_breaks_on(curve):
                (search.undefined_curves if self._inside_domain(curve) else search.edge_curves).append(curve)
        return points

    def _defined_all_around(self, point: _Point) -> bool:
        """Whether f has real values all around the point (it is not on an edge of f's domain)."""
        values = self._around(point.values, 1e-6 * max(1.0, self.width), 16)
        return values is not None and all(v is not None for v in values)

    def _small_solve(self, system) -> list[tuple]:
        system = [s for s in system if s != 0]
        if not system:
            return []
        try:
            with time_limit(min(SMALL_SOLVE_SECONDS, self.timeout / 8), "solving for kinks"):
                solutions = sp.solve(system, list(self.variables), dict=True)
        except (ComputationTimeout, NotImplementedError, ValueError, TypeError, RecursionError, AttributeError):
            return []
        found = []
        for solution in solutions:
            if len(solution) != self.n or any(isinstance(v, sp.Set) for v in solution.values()):
                continue
            values = [solution[v] for v in self.variables]
            if any(v.free_symbols for v in values):
                continue
            real = self._real_point(values, [s for s in system if s.is_polynomial(*self.variables)])
            if real is not None:
                found.append(real)
        return found

    def _stationary_on(self, curve: sp.Expr) -> list[tuple]:
        """Points of the curve where f along it is stationary (two variables: solve the curve for one)."""
        if self.n != 2:
            return []
        found = []
        for k, v in enumerate(self.variables):
            other = self.variables[1 - k]
            try:
                with time_limit(min(SMALL_SOLVE_SECONDS, self.timeout / 8), "solving for kinks"):
                    branches = sp.solve(curve, v)
                    for branch in branches:
                        if branch.has(v) or not branch.is_real and branch.is_real is not None:
                            continue
                        along = self.expr.subs(v, branch)
                        slope = sp.diff(along, other)
                        for t in sp.solve(reduced_equation(slope, (other,)) or slope, other):
                            if t.free_symbols:
                                continue
                            point = [None, None]
                            point[k], point[1 - k] = branch.subs(other, t), t
                            if all(calculus.classify_number(c)[0] == "real" for c in point):
                                found.append(tuple(point))
            except (ComputationTimeout, NotImplementedError, ValueError, TypeError, RecursionError, AttributeError):
                continue
            if found:
                break
        return found

    def _changes_sign(self, equation: sp.Expr) -> bool:
        """Whether the expression vanishes along a curve (it takes both signs), looking well beyond the box.

        A curve at the edge of the box (x = 0 for the box [0, 2] × [0, 3]) counts: the grid covers the
        box, then the box grown four times about its centre, then [-10R, 10R] in every variable.
        """
        side = max(2, int(round(1500 ** (1 / self.n))))
        grids = []
        for grow in (1, 4, None):
            if grow is None:
                reach = 10 * max(1.0, max(abs(c) for bounds in self.box for c in bounds))
                box = [(-reach, reach)] * self.n
            else:
                box = [(c - grow * (high - low) / 2, c + grow * (high - low) / 2)
                       for c, (low, high) in zip(self.center, self.box)]
            if side ** self.n > 2000:
                grids.append(search_starts(box, 1500))
            else:
                axes = [np.linspace(low, high, side) for low, high in box]
                grids.append(np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, self.n))
        values = _Vectorised([equation], self.variables)(np.concatenate(grids))[:, 0]
        values = values[np.isfinite(values)]
        return bool(values.size and np.any(values > 0) and np.any(values < 0))

    def _defined_on(self, curve: sp.Expr) -> bool:
        """Whether f is defined at points of the curve in the box (log x is not, on x = 0; √(1 − x² − y²)
        is, on its circle): f at exact points of the curve (one coordinate solved for, the others rational)."""

        def defined(p):
            point = self._exact_curve_point(curve, p)
            if point is None:
                return math.isfinite(self._np_value(p[None])[0, 0])
            return calculus.classify_number(self.expr.subs(dict(zip(self.variables, point)), simultaneous=True))[0] == "real"

        return self._curve_points(curve, defined)

    def _exact_curve_point(self, curve: sp.Expr, near: np.ndarray) -> tuple | None:
        """A point of the curve given exactly, near a point found by bisection, or None."""
        for k, v in enumerate(self.variables):
            if not curve.has(v):
                continue
            fixed = {w: sp.nsimplify(float(c), rational=True, tolerance=1e-12)
                     for j, (w, c) in enumerate(zip(self.variables, near)) if j != k}
            try:
                with time_limit(0.5, "a point of a curve"):
                    roots = [r for r in sp.solve(curve.subs(fixed), v) if calculus.classify_number(r)[0] == "real"]
            except (ComputationTimeout, NotImplementedError, ValueError, TypeError):
                continue
            if roots:
                root = min(roots, key=lambda r: abs(float(r) - float(near[k])))
                if abs(float(root) - float(near[k])) <= 1e-6 * max(1.0, self.width):
                    return tuple(root if j == k else fixed[w] for j, w in enumerate(self.variables))
        return None

    def _inside_domain(self, curve: sp.Expr) -> bool:
        """Whether f is defined on both sides of the curve (not an edge of its domain, as x = 0 for √x)."""
        normal = _Vectorised([sp.diff(curve, v) for v in self.variables], self.variables)
        h = 1e-6 * max(1.0, self.width)

        def both_sides(p):
            n = normal(p[None])[0]
            if not np.all(np.isfinite(n)) or not np.any(n):
                return True
            step = h * n / np.linalg.norm(n)
            return bool(np.all(np.isfinite(self._np_value(np.array([p + step, p - step]))[:, 0])))

        return self._curve_points(curve, both_sides)

    def _gradient_breaks_on(self, curve: sp.Expr) -> bool:
        """Whether ∇f jumps or has no value on the curve (|x|³ is differentiable on x = 0, |x| is not)."""

        def breaks(p):
            gradient = self._np_gradient(p[None])[0]
            if not np.all(np.isfinite(gradient)):
                return True
            normal = _Vectorised([sp.diff(curve, v) for v in self.variables], self.variables)(p[None])[0]
            if not np.all(np.isfinite(normal)) or not np.any(normal):
                return False
            h = 1e-7 * max(1.0, self.width) * normal / np.linalg.norm(normal)
            sides = self._np_gradient(np.array([p + h, p - h]))
            if not np.all(np.isfinite(sides)):
                return True
            jump = np.linalg.norm(sides[0] - sides[1])
            return jump > 1e-4 * max(1.0, float(np.linalg.norm(sides[0])))

        return self._curve_points(curve, breaks)

    def _curve_points(self, curve: sp.Expr, test) -> bool:
        """``test`` at a few points of the curve found by bisection between grid points of both signs."""
        evaluate = _Vectorised([curve], self.variables)
        grid = search_starts(self.box, 400)
        values = evaluate(grid)[:, 0]
        plus, minus = grid[values > 0], grid[values < 0]
        results = []
        for a, b in itertools.islice(zip(plus, minus), 5):
            low, high = a, b
            for _ in range(60):
                middle = (low + high) / 2
                value = evaluate(middle[None])[0, 0]
                if not math.isfinite(value):
                    break
                if value > 0:
                    low = middle
                else:
                    high = middle
            results.append(bool(test((low + high) / 2)))
        return bool(results) and sum(results) * 2 >= len(results)

    # --- classification -----------------------------------------------------------------------

    def classify(self, point: _Point, others) -> None:
        if point.undefined:
            point.kind = self._undefined_kind(point, others)
            return
        counts, eigenvalues = self._hessian_signs(point)
        point.eigenvalues = eigenvalues
        if counts is None:
            detail = self._degenerate_detail(point, others, hessian_defined=False)
            point.kind = "degenerate (the Hessian is not defined there)" + (f"; {detail}" if detail else "")
            return
        positive, negative, zero = counts
        if positive and negative:
            point.kind = SADDLE
        elif not zero:
            point.kind = MINIMUM if positive else MAXIMUM
        else:
            detail = self._degenerate_detail(point, others)
            point.kind = DEGENERATE + (f"; {detail}" if detail else "")

    def _hessian_signs(self, point: _Point):
        """((positive, negative, zero) eigenvalue counts, or None where the Hessian is not defined; eigenvalues).

        Exact points: signs read at 60 digits where clear, else from the exact characteristic polynomial.
        Numeric points: at DIGITS digits, an eigenvalue within what the point's accuracy allows counting as 0.
        """
        if point.exact is not None:
            if self.non_smooth and not all(calculus.is_continuous_near(h, self.variables, point.exact)
                                           for h in self.hessian):
                return None, ()
            # entries to 60 digits move each eigenvalue by less than 10⁻⁵⁰ (Weyl): one well away from 0 has a
            # certain sign; only near 0 do the exact signs of the characteristic polynomial decide
            with mpmath.workdps(calculus.SIGN_DIGITS):
                fine = point.fine or [mpmath.mpf(str(sp.N(c, calculus.SIGN_DIGITS + 5))) for c in point.exact]
                entries = self._mp_hessian(list(fine))
            matrix = None
            if entries is None:
                matrix = self.hessian.subs(dict(zip(self.variables, point.exact)), simultaneous=True)
                if any(calculus.classify_number(e)[0] != "real" for e in matrix):
                    return None, ()
                entries = [mpmath.mpf(str(e.evalf(calculus.SIGN_DIGITS))) for e in matrix]
            with mpmath.workdps(calculus.SIGN_DIGITS):
                numbers = mpmath.matrix(self.n, self.n)
                for k, value in enumerate(entries):
                    numbers[k // self.n, k % self.n] = value
                values = sorted(mpmath.eigsy(numbers, eigvals_only=True))
                size = max([abs(v) for v in values] + [mpmath.mpf(1)])
                eigenvalues = tuple(float(v) for v in values)
                clear = all(abs(v) > calculus.SIGN_ZERO * 1e5 * size for v in values)
                if clear:
                    positive = sum(v > 0 for v in values)
                    return (positive, self.n - positive, 0), eigenvalues
            matrix = matrix if matrix is not None else self.hessian.subs(dict(zip(self.variables, point.exact)), simultaneous=True)
            counts = calculus.eigenvalue_signs(matrix)
            if counts is not None:
                return counts, eigenvalues
        with mpmath.workdps(DIGITS):
            entries = self._mp_hessian(list(point.values))
            if entries is None:
                return None, ()
            matrix = mpmath.matrix(self.n, self.n)
            for k, value in enumerate(entries):
                matrix[k // self.n, k % self.n] = value
            values = [mpmath.mpf(v) for v in mpmath.eigsy(matrix, eigvals_only=True)]
        eigenvalues = tuple(sorted(float(v) for v in values))
        # the Hessian a distance `accuracy` away differs by about (its size / the box) × accuracy
        zero = 1e-30 * max(self.hessian_scale, 1e-300) + 100 * point.accuracy * self.hessian_scale / self.width
        positive = sum(v > zero for v in values)
        negative = sum(v < -zero for v in values)
        return (positive, negative, self.n - positive - negative), eigenvalues

    def _degenerate_detail(self, point: _Point, others, hessian_defined: bool = True) -> str:
        """What more than the Hessian says at a degenerate point, worded as strongly as the evidence allows."""
        proof = self._proved_extremum(point)
        if proof:
            return proof
        if point.exact is not None and hessian_defined:
            verdict = self._taylor_verdict(point)
            if verdict:
                return verdict
        return self._sampled_detail(point, others)

    def _proved_extremum(self, point: _Point) -> str:
        """SymPy proving f(p + h) − f(p) > 0 (or < 0) for every h ≠ 0, where the point is exact."""
        if point.exact is None or self.n > 6:  # 2ⁿ − 1 sign patterns of h
            return ""
        steps = [sp.Symbol(f"h{k}", real=True, nonzero=True) for k in range(self.n)]
        base = self.expr.subs(dict(zip(self.variables, point.exact)), simultaneous=True)
        signs = set()
        try:
            with time_limit(min(2.0, self.timeout / 8), "proving an extremum"):
                for subset in itertools.product((False, True), repeat=self.n):
                    if not any(subset):
                        continue
                    moved = {v: c + (h if used else 0)
                             for v, c, h, used in zip(self.variables, point.exact, steps, subset)}
                    difference = self.expr.subs(moved, simultaneous=True) - base
                    if difference.is_positive:
                        signs.add(1)
                    elif difference.is_negative:
                        signs.add(-1)
                    else:
                        return ""
        except (ComputationTimeout, TypeError, ValueError, RecursionError, AttributeError):
            return ""
        if signs == {1}:
            return f"{MINIMUM}: f(p + h) > f(p) for every h ≠ 0 (proved with SymPy)"
        if signs == {-1}:
            return f"{MAXIMUM}: f(p + h) < f(p) for every h ≠ 0 (proved with SymPy)"
        return ""

    def _derivative(self, orders: tuple[int, ...]) -> sp.Expr:
        """∂^|α| f / ∂x^α, built from lower ones and kept."""
        if orders in self._derivatives:
            return self._derivatives[orders]
        if not any(orders):
            result = self.expr
        else:
            k = max(i for i, o in enumerate(orders) if o)
            lower = list(orders)
            lower[k] -= 1
            result = sp.diff(self._derivative(tuple(lower)), self.variables[k])
        self._derivatives[orders] = result
        return result

    def _taylor_form(self, point: _Point, order: int):
        """The order-k Taylor terms at the point, Σ ∂^α f(p) h^α / α!, exactly; None if a coefficient is unknown.

        (An exact point only: each coefficient's sign comes from calculus.sign_of.)
        """
        h = sp.symbols(f"h:{self.n}", real=True)
        substitutions = dict(zip(self.variables, point.exact))
        total = sp.S.Zero
        for orders in _multi_indices(self.n, order):
            value = self._derivative(orders).subs(substitutions, simultaneous=True)
            if calculus.classify_number(value)[0] != "real":
                return None, h
            sign = calculus.sign_of(value)
            if sign is None:
                return None, h
            if sign:
                coefficient = value / sp.prod([sp.factorial(o) for o in orders])
                total += coefficient * sp.prod([hk ** o for hk, o in zip(h, orders)])
        return sp.expand(total), h

    def _taylor_verdict(self, point: _Point) -> str:
        """The lowest-order non-zero Taylor terms (exact point): what they prove, or ''."""
        if self.n > MAX_TAYLOR_VARIABLES:  # C(n + k − 1, k) coefficients per order: too many
            return ""
        for order in range(3 if all(self._hessian_zero(point)) else 2, MAX_TAYLOR_ORDER + 1):
            try:
                with time_limit(min(3.0, self.timeout / 4), "the Taylor test"):
                    form, h = self._taylor_form(point, order)
            except (ComputationTimeout, RecursionError):
                return ""
            if form is None:
                return ""
            if form == 0:
                continue
            if order % 2:
                direction = _nonzero_direction(form, h)
                return (f"not a local extremum: the lowest-order Taylor terms have odd order {order}, so "
                        f"f − f(p) changes sign along {_direction_text(direction)}")
            verdict = self._even_form_verdict(point, form, h, order)
            return verdict
        return ""

    def _hessian_zero(self, point: _Point):
        substitutions = dict(zip(self.variables, point.exact))
        return [calculus.sign_of(e.subs(substitutions, simultaneous=True)) == 0 for e in self.hessian]

    def _even_form_verdict(self, point: _Point, form: sp.Expr, h, order: int) -> str:
        """An even-order form: definite (extremum), taking both signs (saddle), or semidefinite (look further)."""
        sign, zeros, both = _form_signs(form, h)
        if order == 2 and self.n > 2 and not both:  # the Hessian's own null space gives the flat directions
            sign, zeros = self._hessian_null(point)
        if both:
            plus, minus = both
            return (f"{SADDLE}: the order-{order} Taylor terms take both signs (f rises along "
                    f"{_direction_text(plus)} and falls along {_direction_text(minus)})")
        if sign is None:
            return ""
        word = MINIMUM if sign > 0 else MAXIMUM
        if not zeros:
            return (f"{word}: the lowest-order Taylor terms (order {order}) are "
                    f"{'positive' if sign > 0 else 'negative'} for every h ≠ 0")
        # semidefinite: along the directions where the form vanishes, higher derivatives decide
        for direction in zeros:
            line = self._line_order(point, direction)
            if line is None:
                return ""
            line_order, line_sign = line
            if line_order == "constant":
                return (f"not a local extremum: f is constant along {_direction_text(direction)}, where ∇f ≠ 0 "
                        "near p (an isolated critical point), so f is larger and smaller than f(p) arbitrarily "
                        "close to p")
            if line_order is None:
                continue
            if line_order % 2:
                return (f"not a local extremum: along {_direction_text(direction)} the first non-zero "
                        f"derivative of f(p + t·d) has odd order {line_order}")
            if line_sign != sign:
                return (f"{SADDLE}: f rises and falls: order-{order} terms of one sign, but along "
                        f"{_direction_text(direction)} the first non-zero derivative (order {line_order}) "
                        "has the other sign")
        return ""

    def _hessian_null(self, point: _Point):
        """(sign of the non-zero eigenvalues, null vectors and their pairwise sums) of a semidefinite exact Hessian."""
        matrix = self.hessian.subs(dict(zip(self.variables, point.exact)), simultaneous=True)
        counts = calculus.eigenvalue_signs(matrix)
        if counts is None or (counts[0] and counts[1]) or not (counts[0] or counts[1]):
            return None, []
        try:
            null = [tuple(v) for v in matrix.nullspace()]
        except (NotImplementedError, ValueError, TypeError):
            return None, []
        null += [tuple(a + b for a, b in zip(u, v)) for u, v in itertools.combinations(null, 2)]
        return (1 if counts[0] else -1), null

    def _line_order(self, point: _Point, direction) -> tuple | None:
        """(order, sign) of the first non-zero derivative of t ↦ f(p + t d) at 0, exactly; (None, 0) if none found."""
        t = sp.Symbol("t", real=True)
        along = self.expr.subs({v: c + d * t for v, c, d in zip(self.variables, point.exact, direction)},
                               simultaneous=True)
        current = along
        try:
            with time_limit(min(3.0, self.timeout / 4), "the derivative test along a line"):
                difference = sp.expand(along - self.expr.subs(dict(zip(self.variables, point.exact)), simultaneous=True))
                if difference == 0 or (difference.has(t) and difference.is_zero is None and _proved_zero(difference)):
                    return "constant", 0
                for k in range(1, MAX_LINE_ORDER + 1):
                    current = sp.diff(current, t)
                    value = current.subs(t, 0)
                    if calculus.classify_number(value)[0] != "real":
                        return None
                    sign = calculus.sign_of(value)
                    if sign is None:
                        return None
                    if sign:
                        return k, sign
        except (ComputationTimeout, RecursionError):
            return None
        return None, 0

    def _sampled_detail(self, point: _Point, others) -> str:
        """A statement from f's values on small circles (spheres) around the point, worded as likely only."""
        radius = self._neighbourhood(point, others)
        rings = []
        for factor in SAMPLE_RADII:
            differences = self._around(point.values, factor * radius, SAMPLE_DIRECTIONS, difference=True)
            if differences is None:
                return ""
            rings.append(differences)
        return sampled_verdict(rings, noise=1e-30 * max(1.0, self.gradient_scale * self.width))

    def _neighbourhood(self, point: _Point, others) -> float:
        """A length around the point that holds no other critical point: the scale of 'nearby'."""
        distances = [float(np.linalg.norm(np.subtract(point.floats, o.floats))) for o in others if o is not point]
        distances = [d for d in distances if d > 0]
        return min([1.0, self.width / 10] + [d / 2 for d in distances])

    def _around(self, center, radius: float, count: int, difference: bool = False):
        """f (or f − f(p)) at ``count`` points at distance ``radius``, at DIGITS digits; None where undefined."""
        directions = sphere_directions(self.n, count)
        with mpmath.workdps(DIGITS):
            base = self._mp_value(list(center)) if difference else [mpmath.mpf(0)]
            if base is None:
                return None
            values = []
            for d in directions:
                moved = [c + mpmath.mpf(radius) * mpmath.mpf(float(di)) for c, di in zip(center, d)]
                value = self._mp_value(moved)
                values.append(None if value is None else float(value[0] - base[0]))
        return values

    def _undefined_kind(self, point: _Point, others) -> str:
        proof = self._proved_extremum(point)
        if proof:
            return f"{UNDEFINED}; {proof}"
        detail = self._sampled_detail(point, others)
        return f"{UNDEFINED}; {detail}" if detail else UNDEFINED

    # --- helpers ------------------------------------------------------------------------------

    def _inside(self, point, slack: float = 1e-9) -> bool:
        pad = slack * self.width
        return all(low - pad <= float(c) <= high + pad for c, (low, high) in zip(point, self.box))

    def _same(self, a: _Point, b: _Point) -> bool:
        if a.exact is not None and b.exact is not None:
            if a.exact == b.exact:
                return True
        with mpmath.workdps(DIGITS):
            distance = float(mpmath.sqrt(sum((mpmath.mpf(p) - mpmath.mpf(q)) ** 2 for p, q in zip(a.values, b.values))))
        size = max(1.0, *(abs(float(c)) for c in a.floats + b.floats))  # their own size, not the box's
        return distance <= max(10 * a.accuracy, 10 * b.accuracy, 1e-25 * min(size, max(1.0, self.width)))

    # --- the note -----------------------------------------------------------------------------

    def note(self, found: Search) -> str:
        """How the points were found and checked, what else is critical, and what was left out."""
        box = " × ".join(f"[{low:g}, {high:g}]" for low, high in self.box)
        smooth = [p for p in found.points if not p.undefined]
        undefined = [p for p in found.points if p.undefined]
        exact_count = sum(p.exact is not None for p in smooth)
        where = (f" in {box} (f is periodic{_period_text(found.periods)}: they repeat outside)"
                 if found.periods else "")
        parts = []
        if found.solved in ("complete", "partial"):
            missed = (f", and {found.missed_by_sympy} more found numerically in {box} that SymPy's solution "
                      f"missed (Newton's method, verified at {DIGITS} digits)" if found.missed_by_sympy else "")
            if smooth:
                parts.append(f"Critical points{where}, solved exactly (SymPy){missed}.")
            elif found.families:
                parts.append("No isolated critical points.")
            elif found.solved == "complete":
                parts.append("No critical points where ∇f = 0 (∇f = 0 has no real solution)." if undefined else
                             "No critical points (∇f = 0 has no real solution).")
            else:
                parts.append(f"No critical points where ∇f = 0 found{where or ' in ' + box} "
                             "(SymPy's solution and a numeric search).")
        else:
            why = {"timeout": f"SymPy's exact solve gave up after {found.solve_seconds:g} s",
                   "skipped": "∇f = 0 mixes trigonometric functions with other terms: not solved with SymPy"
                   }.get(found.solved, "SymPy could not solve ∇f = 0 exactly")
            if found.solved == "skipped" and found.periods:
                why = "not solved with SymPy, whose solve of a periodic f is slow and gives one period"

            if smooth:
                identified = f"; {exact_count} identified exactly and checked with SymPy" if exact_count else ""
                parts.append(f"Critical points found numerically{where or ' in ' + box} (Newton's method from "
                             f"{found.starts} starts, each point verified: |∇f| < {RESIDUAL:g} × its typical size "
                             f"at {DIGITS} digits{identified}; {why}).")
            else:
                parts.append(f"No critical points where ∇f = 0 found numerically{where or ' in ' + box} ({why}).")
        explicit = [f for f in found.families
                    if f and not any(v == 0 and k not in self.variables for k, v in f.items())]
        implicit = [f for f in found.families if f and f not in explicit]
        if explicit:
            shown = "; ".join(", ".join(f"{k} = {unicode_text(v)}" for k, v in family.items()) for family in explicit)
            parts.append(f"Also whole sets of critical points where {shown} (any value of the other variables).")
        if implicit:
            shown = "; ".join(f"{unicode_text(k)} = 0" for family in implicit for k in family)
            parts.append(f"Also whole curves of critical points: {shown}.")
        if any(not f for f in found.families):
            parts.append("f is constant: every point is a critical point.")
        if found.curves:
            through = ", ".join("(" + ", ".join(f"{c:.4g}" for c in p) + ")" for p in found.curves[:4])
            parts.append(f"∇f = 0 also on whole curves of critical points (not isolated points) through {through}.")
        if undefined:
            parts.append("At the points marked 'gradient undefined', ∇f does not exist: critical points by "
                         "definition.")
        if found.undefined_curves:
            shown = " and ".join(f"{unicode_text(c)} = 0" for c in found.undefined_curves)
            kind = "curves" if self.n == 2 else "curves or surfaces"
            parts.append(f"∇f does not exist anywhere on {shown} (whole {kind}, every point of which is critical by "
                         f"definition; listed are the points where such {kind} cross or f along them is stationary).")
        if found.edge_curves:
            shown = " and ".join(f"{unicode_text(c)} = 0" for c in found.edge_curves)
            parts.append(f"∇f does not exist on {shown}, an edge of f's domain.")
        if found.edge_points:
            shown = ", ".join("(" + ", ".join(unicode_text(c) for c in p) + ")" for p in found.edge_points[:6])
            parts.append(f"On the edge of f's domain ∇f does not exist at {shown} either (not listed: f is not "
                         "defined on every side there, so these are no interior critical points).")
        if found.solved != "complete" and found.starts:  # say so: a search is no proof there are no others
            spacing = self.width / found.starts ** (1 / self.n)
            sympy = "SymPy's solve may not give every solution, and a" if found.solved == "partial" else "A"
            parts.append(f"{sympy} numeric search may miss critical points (its Newton starts are about "
                         f"{spacing:.3g} apart in each variable): narrow --range to look more closely.")
        if found.unverified and found.solved != "complete":  # a complete exact solve has every point already
            parts.append(f"{found.unverified} point(s) where Newton's method stopped are not listed: it did not "
                         f"converge there at {DIGITS} digits (|∇f| small without a zero nearby, or not small).")
        if found.flat:
            parts.append(f"Where f is flat to {DIGITS} digits (∇f rounds to 0 all around), no critical point can "
                         f"be located: {found.flat} such place(s) in the box are not listed.")
        if found.singular:
            parts.append(f"Newton's method also closed in on {found.singular} point(s) where f itself is not defined "
                         "(a removable singularity, as x/sin x at 0): not critical points.")
        if found.truncated:
            parts.append(f"Only the first {MAX_REFINED} points found were checked.")
        text = " ".join(parts)
        return text[:-1] + ":" if found.points else text


# --- pieces that need no search state
# (A point is put into an expression with simultaneous=True: one variable at a time, x/(x² − y) at
# (0, 0) would become 0/(−y) = 0 before y is replaced, instead of 0/0.) -----------------------------------------------------------

def reduced_equation(g: sp.Expr, variables) -> sp.Expr | None:
    """g = 0 with the factors that never vanish dropped (e^(...), positive constants, x² + 1): the numerator's rest."""
    try:
        numerator = sp.numer(sp.together(g))
        factors = sp.Mul.make_args(sp.factor_terms(numerator))
    except (TypeError, ValueError, RecursionError, NotImplementedError):
        return None
    kept = [factor for factor in factors if not _never_zero(factor, variables)]
    return sp.Mul(*kept) if kept else (sp.S.Zero if numerator == 0 else sp.S.One)


def _never_zero(factor: sp.Expr, variables) -> bool:
    if not factor.free_symbols & set(variables):
        return factor.is_zero is False
    if isinstance(factor, sp.exp) or (factor.is_Pow and factor.base == sp.E):
        return True
    if factor.is_Pow and factor.exp.is_positive:
        return _never_zero(factor.base, variables)
    return factor.is_zero is False


def _mixes_trigonometry(equation: sp.Expr, variables) -> bool:
    """Whether a variable appears both inside a trigonometric function and outside it (x − sin x)."""
    inside = set()
    for atom in equation.atoms(*PERIODIC):
        inside |= atom.free_symbols & set(variables)
    if not inside:
        return False
    outside = equation.replace(lambda e: isinstance(e, PERIODIC), lambda e: sp.Symbol("_trig"))
    return bool(outside.free_symbols & inside) or len(equation.atoms(*PERIODIC)) > 1 and _mixed_arguments(equation)


def _mixed_arguments(equation: sp.Expr) -> bool:
    """Whether trigonometric functions take arguments that are not multiples of one variable (x + y)."""
    return any(len(atom.args[0].free_symbols) > 1 for atom in equation.atoms(*PERIODIC))


def eliminant_roots(equations, variables) -> list[list[sp.Expr]] | None:
    """For each variable, the real roots of the polynomial system's eliminant in it (exact), or None.

    Every real solution's coordinate is among them (a lex Gröbner basis with that variable last
    ends with the eliminant). None when the system has infinitely many solutions, "timeout" when the
    Gröbner bases take more than two seconds (sp.solve, which computes them too, would not do better).
    """
    roots = []
    try:
        with time_limit(2.0, "eliminating variables"):
            for variable in variables:
                others = [v for v in variables if v != variable]
                basis = sp.groebner(equations, *others, variable, order="lex")
                if list(basis.exprs) == [1]:
                    return [[] for _ in variables]
                last = [b for b in basis.exprs if b.free_symbols <= {variable}]
                if not last or not basis.is_zero_dimensional:
                    return None
                found = []
                for factor, _ in sp.factor_list(last[-1], variable)[1]:
                    found += sp.Poly(factor, variable).real_roots()
                roots.append(sorted(set(found), key=lambda r: float(r)))
    except ComputationTimeout:
        return "timeout"
    except (NotImplementedError, ValueError, TypeError, sp.PolynomialError,
            sp.polys.polyerrors.CoercionFailed, sp.polys.polyerrors.DomainError):
        return None
    return roots


def trigonometric_form(root: sp.Expr) -> sp.Expr | None:
    """A real root of an irreducible cubic with three real roots, by Viète: a + 2√(-p/3)·cos(θ/3 − 2πk/3)."""
    if not isinstance(root, sp.CRootOf) or sp.degree(root.poly) != 3:
        return None
    a, b, c, d = root.poly.all_coeffs()
    p = (3 * a * c - b**2) / (3 * a**2)
    q = (2 * b**3 - 9 * a * b * c + 27 * a**2 * d) / (27 * a**3)
    if not (4 * p**3 + 27 * q**2).is_negative:
        return None
    angle = sp.acos(3 * q / (2 * p) * sp.sqrt(-3 / p))
    target = root.evalf(40)
    for k in range(3):
        candidate = -b / (3 * a) + 2 * sp.sqrt(-p / 3) * sp.cos(angle / 3 - 2 * sp.pi * k / 3)
        if abs(candidate.evalf(40) - target) < sp.Float(10) ** -30:
            return candidate
    return None


def closed_form(value, tolerance: float) -> sp.Expr | None:
    """A simple exact number within ``tolerance`` of ``value``: 0, p/q, (p/q)·π, ±√(p/q), log(p/q); else None."""
    def rational(x, limit):
        fraction = Fraction(mpmath.nstr(x, 40, min_fixed=-mpmath.inf, max_fixed=mpmath.inf)).limit_denominator(limit)
        return sp.Rational(fraction.numerator, fraction.denominator)

    with mpmath.workdps(DIGITS):
        number = mpmath.mpf(value)
        size = max(1, abs(number))
        if abs(number) <= tolerance:
            return sp.S.Zero
        q = rational(number, 1000)
        if abs(number - mpmath.mpf(q.p) / q.q) <= tolerance:
            return q
        q = rational(number / mpmath.pi, 120)
        if q and abs(number - mpmath.pi * q.p / q.q) <= tolerance:
            return q * sp.pi
        square = number**2
        q = rational(square, 1000)
        if q > 0 and abs(abs(number) - mpmath.sqrt(mpmath.mpf(q.p) / q.q)) <= tolerance:
            return sp.sqrt(q) * (1 if number > 0 else -1)
        if abs(number) < 50:
            q = rational(mpmath.exp(number), 100)
            if q > 0 and abs(number - mpmath.log(mpmath.mpf(q.p) / q.q)) <= tolerance * size:
                return sp.log(q)
        # inverse trigonometric values, up to whole turns:
        # ±acos(q) + 2kπ, asin(q) + 2kπ, π − asin(q) + 2kπ, atan(q) + kπ
        for forward, inverse, turn, mirrors in ((mpmath.cos, sp.acos, 2, (1, -1)), (mpmath.sin, sp.asin, 2, (1, None)),
                                                (mpmath.tan, sp.atan, 1, (1,))):
            q = rational(forward(number), 60)
            if inverse is not sp.atan and abs(q) > 1:
                continue
            base = inverse(q)
            for mirror in mirrors:
                candidate = base * mirror if mirror is not None else sp.pi - base
                offset = (number - mpmath.mpf(str(sp.N(candidate, DIGITS + 5)))) / (turn * mpmath.pi)
                k = int(mpmath.nint(offset))
                if abs(offset - k) * turn * mpmath.pi <= tolerance * size:
                    return candidate + k * turn * sp.pi
    return None


def singular_equations(expr: sp.Expr, gradient, variables) -> list[sp.Expr]:
    """Expressions whose zeros may be points where ∇f does not exist, each factor once.

    The arguments of |·|, sign and Heaviside; the differences of the arguments of Max and Min; the
    bases of negative powers in ∇f (its denominators, √ among them).
    """
    found = []
    variables = set(variables)
    pieces = [expr] + list(gradient)
    for piece in pieces:
        for atom in piece.atoms(sp.Abs, sp.sign, sp.Heaviside):
            found.append(atom.args[0])
        for atom in piece.atoms(sp.Max, sp.Min):
            found += [a - b for a, b in itertools.combinations(atom.args, 2)]
    for g in gradient:
        for power in g.atoms(sp.Pow):
            if power.exp.is_negative and power.base.free_symbols & variables and power.base != sp.E:
                found.append(power.base)
    equations = []
    for equation in sorted(found, key=sp.default_sort_key):  # the same order on every run (atoms() is a set)
        if not equation.free_symbols & variables:
            continue
        try:
            factors = [f for f, _ in sp.factor_list(equation)[1]] if equation.is_polynomial(*variables) else [equation]
        except (sp.PolynomialError, NotImplementedError, ValueError):
            factors = [equation]
        for factor in factors:
            factor = sp.factor_terms(factor)
            if factor.free_symbols & variables and factor not in equations and -factor not in equations:
                equations.append(factor)
    return equations


def _proved_zero(expr: sp.Expr) -> bool:
    """Whether SymPy shows a function of t is identically zero (after a cheap check at a few values)."""
    t = next(iter(expr.free_symbols))
    for value in (sp.Rational(1, 3), sp.Rational(-2, 7), sp.Rational(5, 11)):
        if abs(complex(expr.subs(t, value).evalf(30))) > 1e-25:
            return False
    try:
        return sp.simplify(expr) == 0
    except (TypeError, ValueError, RecursionError, NotImplementedError):
        return False


def _damped_step(matrix, gradient, damping):
    """Solve H s = g (Newton), or (HᵀH + λ‖H‖ I) s = Hᵀ g when damped or H is singular."""
    n = matrix.rows
    if not damping:
        try:
            return list(mpmath.lu_solve(matrix, gradient))
        except ZeroDivisionError:
            damping = mpmath.mpf(10) ** -12
    normal = matrix.T * matrix
    size = sum(normal[i, i] for i in range(n)) / n
    if not size:
        return None
    system = normal + damping * size * mpmath.eye(n)
    try:
        return list(mpmath.lu_solve(system, matrix.T * gradient))
    except ZeroDivisionError:
        return None


def _multi_indices(n: int, order: int):
    """Every α with |α| = order, as tuples of n non-negative integers."""
    for cut in itertools.combinations(range(order + n - 1), n - 1):
        previous, parts = -1, []
        for c in cut + (order + n - 1,):
            parts.append(c - previous - 1)
            previous = c
        yield tuple(parts)


def _candidate_directions(n: int) -> list[tuple]:
    """Axes, then diagonals (1, ±1) in each pair of axes, then (up to four variables) all of (1, ±1, ±1, ...)."""
    directions = [tuple(int(i == k) for i in range(n)) for k in range(n)]
    for i, j in itertools.combinations(range(n), 2):
        for s in (1, -1):
            directions.append(tuple(1 if k == i else s if k == j else 0 for k in range(n)))
    if 2 < n <= MAX_TAYLOR_VARIABLES:
        for signs in itertools.product((1, -1), repeat=n - 1):
            directions.append((1,) + signs)
    return directions


def _nonzero_direction(form: sp.Expr, h) -> tuple:
    for direction in _candidate_directions(len(h)):
        if form.subs(dict(zip(h, direction))) != 0:
            return direction
    return tuple([1] * len(h))


def _form_signs(form: sp.Expr, h):
    """For an even form: (sign where not zero, exact zero directions, (rising, falling) directions or None).

    Two variables: the form is h₁ᵏ F(h₂/h₁) plus its h₂ᵏ coefficient; the real roots of F (exact,
    when its coefficients are rational) split the line into intervals of one sign. More variables:
    the axes and diagonals only, so the sign (a definiteness claim) stays None.
    """
    n = len(h)
    if n == 1:
        value = form.subs(h[0], 1)
        s = calculus.sign_of(value)
        return s, [], None
    values = {d: calculus.sign_of(form.subs(dict(zip(h, d)))) for d in _candidate_directions(n)}
    rising = next((d for d, s in values.items() if s == 1), None)
    falling = next((d for d, s in values.items() if s == -1), None)
    if rising and falling:
        return None, [], (rising, falling)
    if n > 2:
        return None, [], None
    s = sp.Symbol("s", real=True)
    line = sp.expand(form.subs({h[0]: 1, h[1]: s}))
    top = calculus.sign_of(form.subs({h[0]: 0, h[1]: 1}))
    try:
        poly = sp.Poly(line, s)
    except sp.PolynomialError:
        return None, [], None
    if poly.get_domain() not in (sp.ZZ, sp.QQ):
        return None, [], None
    roots = sorted(set(poly.real_roots()), key=lambda r: float(r))
    points = [float(r) for r in roots]
    tests = ([points[0] - 1] if points else [0.0]) + [(a + b) / 2 for a, b in zip(points, points[1:])] + \
            ([points[-1] + 1] if points else [])
    signs = {calculus.sign_of(line.subs(s, sp.nsimplify(t, rational=True))) for t in tests}
    if top:
        signs.add(top)
    signs.discard(0)
    zeros = [(1, r) for r in roots if r.is_rational] + ([(0, 1)] if top == 0 else [])
    unknown = [r for r in roots if not r.is_rational]
    if signs == {1, -1}:
        direction = {sg: None for sg in (1, -1)}
        for t in tests:
            sg = calculus.sign_of(line.subs(s, sp.nsimplify(t, rational=True)))
            direction.setdefault(sg, None)
            if direction.get(sg) is None:
                direction[sg] = (1, sp.nsimplify(t, rational=True))
        if top in (1, -1) and direction.get(top) is None:
            direction[top] = (0, 1)
        return None, [], (direction[1], direction[-1])
    if len(signs) != 1 or unknown:
        return None, [], None
    return signs.pop(), zeros, None


def sampled_verdict(rings, noise: float) -> str:
    """Words for f(p + r·u) − f(p) on circles (spheres) of shrinking radius r: only ever 'probably'.

    ``rings``: per radius (largest first), the differences, None where f is not defined; differences
    within ``noise`` count as equal. Values sampled at a few radii show a tendency, not a proof.
    """
    signs_by_radius = [{(d > noise) - (d < -noise) for d in ring if d is not None} for ring in rings]
    undefined = any(d is None for ring in rings for d in ring)
    if not all(signs_by_radius):
        return ""
    edge = " (f is not defined on every side: an edge of its domain)" if undefined else ""
    smallest = signs_by_radius[-1] | signs_by_radius[-2] if len(rings) > 1 else signs_by_radius[-1]
    if all(s == {1} for s in signs_by_radius):
        return f"nearby values are all higher: probably a local minimum{edge}"
    if all(s == {-1} for s in signs_by_radius):
        return f"nearby values are all lower: probably a local maximum{edge}"
    # equal values hint at a flat direction, along which the gradient decides what happens: nothing claimed
    if all(s <= {0, 1} for s in signs_by_radius) and 1 in smallest:
        return f"nearby values are higher or equal (f looks flat in some directions): no conclusion{edge}"
    if all(s <= {0, -1} for s in signs_by_radius) and -1 in smallest:
        return f"nearby values are lower or equal (f looks flat in some directions): no conclusion{edge}"
    if all({1, -1} <= s for s in signs_by_radius[-2:]):
        return f"nearby values are higher and lower: probably not an extremum{edge}"
    return ""


def _direction_text(direction) -> str:
    return "(" + ", ".join(unicode_text(c) for c in direction) + ")"


def _period_text(periods: dict) -> str:
    if not periods:
        return ""
    return ", period " + ", ".join(f"{unicode_text(p)} in {v}" for v, p in periods.items())


def sphere_directions(n: int, count: int) -> list[tuple[float, ...]]:
    """``count`` unit vectors spread over the sphere (a circle for two variables), the axes among them."""
    if n == 1:
        return [(1.0,), (-1.0,)]
    if n == 2:
        angles = 2 * math.pi * np.arange(count) / count
        return [(math.cos(a), math.sin(a)) for a in angles]
    points = search_starts([(-1.0, 1.0)] * n, count) if n > 3 else None
    if n == 3:
        k = np.arange(count) + 0.5
        polar = np.arccos(1 - 2 * k / count)
        azimuth = math.pi * (1 + 5**0.5) * k
        points = np.stack([np.cos(azimuth) * np.sin(polar), np.sin(azimuth) * np.sin(polar), np.cos(polar)], axis=1)
    points = np.concatenate([np.eye(n), -np.eye(n), points])
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    return [tuple(p) for p in points]


def plot_label(kind: str) -> str:
    """A short label for the figure's legend: the conclusion where it is certain, else the test's word."""
    if kind in (MINIMUM, MAXIMUM, SADDLE):
        return kind
    base, _, detail = kind.partition("; ")
    for word in (MINIMUM, MAXIMUM, SADDLE):
        if detail.startswith(word):
            return word
    if detail.startswith("not a local extremum"):
        return SADDLE
    return UNDEFINED if base == UNDEFINED else "degenerate"
