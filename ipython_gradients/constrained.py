"""Extrema under equality constraints: Lagrange multipliers, each point verified and classified.

``constrained_points(f, variables, constraints, box, seconds)`` solves ∇f = Σ λⱼ ∇gⱼ, gⱼ = 0 for the
constraints gⱼ = 0 (each written lhs − rhs). SymPy's ``solve`` gets ``seconds`` (exact points); where
it fails, gives up or finds nothing real, Newton's method (mpmath, 30 digits) runs from fixed starts
in the box, and the note says the list may be incomplete. Every point is checked: its constraints and
the Lagrange condition hold to 1e-20 of their size at 30 digits, else it is dropped. Points of the
constraint set where the constraints' gradients are dependent (∇g = 0 on one constraint, as at the
cusp of y² = x³) are candidates the multiplier rule does not see: they are listed too, marked so.

Each point is classified by the bordered Hessian (the leading principal minors of orders 2m + 1 to
m + n for m constraints in n variables: all of sign (−1)ᵐ, a constrained local minimum; the one of
order m + k of sign (−1)ᵏ, a constrained local maximum; a minor that vanishes, inconclusive; else
neither). The values of f are given, so the largest and smallest can be compared.

Owns the solve, the checks and the words; avoids rendering and plotting.
"""

from __future__ import annotations

import itertools
import warnings
import mpmath
import numpy as np
import sympy as sp

from .errors import ComputationTimeout
from .results.values import ConstrainedPoint
from .timeouts import time_limit

_DIGITS = 30
_RESIDUAL = 1e-20
MINIMUM, MAXIMUM = "constrained local minimum", "constrained local maximum"
NEITHER = "neither (f rises one way along the constraint and falls the other)"
INCONCLUSIVE = "test inconclusive (the bordered Hessian is degenerate)"
DEPENDENT = "the constraints' gradients are dependent here: not covered by the multiplier rule; compare f"
NO_FREEDOM = "the constraints leave no freedom here (as many constraints as variables)"


def constrained_points(f: sp.Expr, variables: tuple[sp.Symbol, ...], constraints: list[sp.Expr], box,
                       seconds: float) -> tuple[list[ConstrainedPoint], str]:
    """The candidates, sorted by position, and a note on how they were found."""
    m, n = len(constraints), len(variables)
    multipliers = tuple(sp.Symbol(f"λ{k + 1}" if m > 1 else "λ", real=True) for k in range(m))
    lagrangian = f - sum(lam * g for lam, g in zip(multipliers, constraints))
    equations = [sp.diff(lagrangian, v) for v in variables] + list(constraints)
    unknowns = (*variables, *multipliers)
    solutions, how = _solved(equations, unknowns, seconds)
    if solutions is None:  # ``how`` says why SymPy did not give them
        pad = [1e-9 * max(1.0, high - low) for low, high in box]
        solutions = [root for root in _newton(equations, unknowns, box)
                     if all(low - p <= float(c) <= high + p for c, (low, high), p in zip(root, box, pad))]
    found: list[tuple[tuple, tuple, tuple | None]] = []  # (point, multipliers, exact point)
    for values in solutions:
        exact = tuple(values[:n]) if how == "exact" else None  # (Newton's roots are in the box)
        with mpmath.workdps(_DIGITS + 5):
            fine = tuple(mpmath.mpf(str(sp.N(c, _DIGITS + 5))) if isinstance(c, sp.Basic) else +c for c in values)
        if _holds(equations, unknowns, fine) and not any(_near(fine[:n], other[0]) for other in found):
            found.append((fine[:n], fine[n:], exact))
    for point, exact in _dependent_points(constraints, variables, seconds):
        if not any(_near(point, other[0]) for other in found):
            found.append((point, None, exact))
    points = [ConstrainedPoint(tuple(float(c) for c in point), float(_value(f, variables, point)),
                               () if lams is None else tuple(float(c) for c in lams),
                               _kind(f, variables, constraints, point, lams), exact)
              for point, lams, exact in found]
    points.sort(key=lambda p: p.point)
    return points, _note(how, len(points), box, n)


def _solved(equations, unknowns, seconds: float):
    """SymPy's real solutions (values in the order of ``unknowns``), or None where it cannot give them."""
    try:
        with time_limit(seconds, "solving the Lagrange system"):
            solutions = sp.solve(equations, unknowns, dict=True)
    except (ComputationTimeout, NotImplementedError, ValueError, TypeError, AttributeError, RecursionError):
        return None, "failed"
    real = []
    for solution in solutions:
        if any(u not in solution for u in unknowns):  # a whole family: left to the numeric search
            return None, "family"
        values = [solution[u] for u in unknowns]
        if any(v.free_symbols for v in values):
            return None, "family"
        numbers = [complex(sp.N(v, _DIGITS)) for v in values]
        if all(abs(z.imag) <= 1e-25 * max(1.0, abs(z.real)) for z in numbers):
            real.append(tuple(sp.re(v) if abs(complex(sp.N(v, _DIGITS)).imag) else v for v in values))
    if not real:
        return None, "none"
    return real, "exact"


def _newton(equations, unknowns, box) -> list[tuple]:
    """Roots of the system by Newton's method from fixed starts in the box (multipliers from 0.5, -0.5,
    2): in floats first, then each distinct root polished at 30 digits (mpmath)."""
    functions = sp.lambdify(unknowns, equations, "numpy")
    jacobian = sp.lambdify(unknowns, sp.Matrix(equations).jacobian(unknowns), "numpy")
    n = len(box)
    per_axis = {1: 9, 2: 7, 3: 4}.get(n, 3)
    axes = [[low + (high - low) * (k + 0.5) / per_axis for k in range(per_axis)] for low, high in box]
    rough: list[np.ndarray] = []
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for start in itertools.islice(itertools.product(*axes), 200):
            for lam in (0.5, -0.5, 2.0):
                z = np.array([*start] + [lam] * (len(unknowns) - n), dtype=float)
                for _ in range(60):
                    try:
                        step = np.linalg.solve(np.asarray(jacobian(*z), dtype=float),
                                               np.asarray(functions(*z), dtype=float))
                    except (np.linalg.LinAlgError, ValueError, TypeError, ZeroDivisionError, OverflowError):
                        break
                    z = z - step
                    if not np.all(np.isfinite(z)) or np.linalg.norm(step) <= 1e-14 * max(1.0, np.linalg.norm(z)):
                        break
                if np.all(np.isfinite(z)) and not any(np.allclose(z, r, rtol=1e-8, atol=1e-10) for r in rough):
                    rough.append(z)
    roots = []
    polish = sp.lambdify(unknowns, equations, "mpmath")
    polish_jacobian = sp.lambdify(unknowns, sp.Matrix(equations).jacobian(unknowns), "mpmath")
    with mpmath.workdps(_DIGITS):
        for z in rough:
            try:
                root = mpmath.findroot(lambda *args: polish(*args), [mpmath.mpf(float(c)) for c in z],
                                       J=lambda *args: polish_jacobian(*args), tol=mpmath.mpf(10) ** (-_DIGITS + 5),
                                       maxsteps=20)
            except (ZeroDivisionError, ValueError, OverflowError, TypeError):
                continue
            values = tuple(root) if hasattr(root, "__len__") else (root,)
            roots.append(tuple(mpmath.re(v) for v in values))
    return roots


def _holds(equations, unknowns, values) -> bool:
    """Every equation vanishes at the values, to _RESIDUAL of the size of its terms."""
    at = dict(zip(unknowns, (sp.Float(mpmath.nstr(v, _DIGITS), _DIGITS) for v in values)))
    for equation in equations:
        terms = sp.Add.make_args(sp.expand(equation))
        size = max([1.0] + [abs(complex(sp.N(t.xreplace(at), _DIGITS))) for t in terms])
        residual = complex(sp.N(equation.xreplace(at), _DIGITS))
        if not abs(residual) <= _RESIDUAL * size:
            return False
    return True


def _near(a, b) -> bool:
    return max(abs(float(x) - float(y)) for x, y in zip(a, b)) <= 1e-12 * max(1.0, *(abs(float(c)) for c in a))


def _dependent_points(constraints, variables, seconds: float):
    """Points of one constraint g = 0 where ∇g = 0 (exactly, as SymPy solves them): (point, exact)."""
    if len(constraints) != 1:
        return []
    g = constraints[0]
    try:
        with time_limit(min(seconds, 2.0), "solving for the points where ∇g = 0"):
            solutions = sp.solve([g, *(sp.diff(g, v) for v in variables)], variables, dict=True)
    except (ComputationTimeout, NotImplementedError, ValueError, TypeError, AttributeError, RecursionError):
        return []
    found = []
    for solution in solutions:
        values = [solution.get(v) for v in variables]
        if any(v is None or v.free_symbols or not v.is_real for v in values):
            continue
        with mpmath.workdps(_DIGITS + 5):
            found.append((tuple(mpmath.mpf(str(sp.N(v, _DIGITS + 5))) for v in values), tuple(values)))
    return found


def _value(f, variables, point):
    return sp.N(f.xreplace(dict(zip(variables, (sp.Float(mpmath.nstr(c, _DIGITS), _DIGITS) for c in point)))),
                _DIGITS)


def _kind(f, variables, constraints, point, lams) -> str:
    if lams is None:
        return DEPENDENT
    m, n = len(constraints), len(variables)
    if m >= n:
        return NO_FREEDOM
    at = dict(zip(variables, (sp.Float(mpmath.nstr(c, _DIGITS), _DIGITS) for c in point)))
    lagrangian = f - sum(sp.Float(mpmath.nstr(lam, _DIGITS), _DIGITS) * g for lam, g in zip(lams, constraints))
    jacobian = sp.Matrix([[sp.diff(g, v) for v in variables] for g in constraints]).xreplace(at)
    hessian = sp.hessian(lagrangian, variables).xreplace(at)
    bordered = sp.zeros(m + n, m + n)
    bordered[:m, m:] = jacobian
    bordered[m:, :m] = jacobian.T
    bordered[m:, m:] = hessian
    with mpmath.workdps(_DIGITS):
        matrix = mpmath.matrix([[mpmath.mpf(str(sp.N(bordered[i, j], _DIGITS))) for j in range(m + n)]
                                for i in range(m + n)])
        scale = max([mpmath.mpf(1)] + [abs(matrix[i, j]) for i in range(m + n) for j in range(m + n)])
        minors = {}
        for order in range(2 * m + 1, m + n + 1):
            minor = mpmath.det(matrix[:order, :order])
            if abs(minor) <= mpmath.mpf(10) ** -15 * scale ** order:
                return INCONCLUSIVE
            minors[order] = 1 if minor > 0 else -1
    if all(sign == (-1) ** m for sign in minors.values()):
        return MINIMUM
    if all(sign == (-1) ** (order - m) for order, sign in minors.items()):
        return MAXIMUM
    return NEITHER


def _note(how: str, count: int, box, n: int) -> str:
    if how == "exact":
        return "Solved exactly (SymPy) from ∇f = λ∇g and the constraints; each point checked at 30 digits."
    where = " × ".join(f"[{low:g}, {high:g}]" for low, high in box)
    why = {"failed": "SymPy could not solve the Lagrange system", "family": "SymPy found whole families of solutions",
           "none": "SymPy's solution has no real points"}.get(how, "SymPy could not solve it")
    found = "Found" if count else "No candidates found"
    return (f"{found} numerically in {where} (Newton's method at 30 digits, each point checked; {why}). "
            "A numeric search may miss points: widen or move --range to look elsewhere.")
