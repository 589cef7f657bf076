"""Extrema under equality constraints: Lagrange multipliers, each point verified and classified.

``constrained_points(f, variables, constraints, box, seconds)`` solves ∇f = Σ λⱼ ∇gⱼ, gⱼ = 0 for the
constraints gⱼ = 0 (each written lhs − rhs). SymPy's ``solve`` gets ``seconds`` (exact points); Newton's
method (floats, then mpmath at 30 and 60 digits) always runs from fixed starts in the box as well, since
solve can miss real solutions even of polynomial systems and gives one period of periodic ones, and the
note says what it added and that the list may be incomplete. Whole sets of solutions are named in the note, not sampled. Every point is checked:
its constraints and the Lagrange condition hold to 1e-20 of their size at 30 digits, else it is
dropped. Points where the constraints' gradients are dependent (∇g = 0, as at the cusp of y² = x³)
are candidates the multiplier rule does not see: they are listed too, marked so, as are the points where
f or a constraint is not differentiable (the zeros of the arguments of |.|, sign, max, min, solved with
the constraints on a curve) and the points at an edge of the functions' domain a numeric search creeps
toward. Constraints whose gradients vanish or are dependent all over their set (a squared or repeated
constraint) and functions that jump (floor, piecewise) are refused. Exact points are told apart by their
own size, not the range's; a degenerate test at an exact point on a curve is settled along the curve.

Each point is classified by the Hessian of the Lagrangian on the constraints' tangent space (what the
bordered Hessian tests, without depending on the order of the variables): eigenvalues all positive,
a constrained local minimum; all negative, a maximum; of both signs, neither; one about 0,
inconclusive. The values of f are given, so the largest and smallest can be compared.

Owns the solve, the checks and the words; avoids rendering and plotting.
"""

from __future__ import annotations

import itertools
import math
import warnings

import mpmath
import numpy as np
import sympy as sp

from .errors import ComputationTimeout, EvaluationError
from .results.notation import unicode_text
from .results.values import ConstrainedPoint
from .timeouts import time_limit

_DIGITS = 30
_RESIDUAL = 1e-20
MINIMUM, MAXIMUM = "constrained local minimum", "constrained local maximum"
NEITHER = "neither (f rises one way along the constraint and falls the other)"
INCONCLUSIVE = "test inconclusive (the Hessian along the constraint is degenerate)"
DEPENDENT = "the constraints' gradients are dependent here: not covered by the multiplier rule; compare f"
NO_FREEDOM = "the constraints leave no freedom here (as many constraints as variables)"
KINK = "f or a constraint is not differentiable here: not covered by the multiplier rule; compare f"
EDGE = ("at an edge of f's or a constraint's domain (not real a hair away): not covered by the multiplier rule; "
        "compare f")


_PERIODIC = (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc)


def constrained_points(f: sp.Expr, variables: tuple[sp.Symbol, ...], constraints: list[sp.Expr], box,
                       seconds: float) -> tuple[list[ConstrainedPoint], str]:
    """The candidates, sorted by position, and a note on how they were found."""
    m, n = len(constraints), len(variables)
    _refuse_discontinuous([f, *constraints])
    _refuse_degenerate(constraints, variables)
    multipliers = tuple(sp.Symbol(f"λ{k + 1}" if m > 1 else "λ", real=True) for k in range(m))
    lagrangian = f - sum(lam * g for lam, g in zip(multipliers, constraints))
    equations = [sp.diff(lagrangian, v) for v in variables] + list(constraints)
    unknowns = (*variables, *multipliers)
    solutions, how, families = _solved(equations, unknowns, seconds)
    periodic = any(e.has(*_PERIODIC) for e in equations)
    exact_count = len(solutions or [])
    if how == "none" and _solved(list(constraints), variables, seconds)[1] == "none":
        how = "empty"  # (SymPy finds no real point of the constraints themselves)
    # Newton's method searches the box as well, always: SymPy gives one period of a periodic system, and
    # even for polynomials its solve can miss real solutions (x³ + y on x⁴ + y⁴ = 1: the extremes).
    pad = [1e-9 * max(1.0, high - low) for low, high in box]
    roots, edges = (
        [root for root in found if all(low - p <= float(c) <= high + p for c, (low, high), p in zip(root, box, pad))
         and not _on_a_family(root, families, unknowns)]
        for found in _newton(equations, unknowns, box))
    solutions = (solutions or []) + roots
    found: list[tuple[tuple, tuple | None, tuple | None, str | None]] = []  # (point, multipliers, exact, kind)
    extra = 0  # points Newton's method found that SymPy's exact solution does not have
    for index, values in enumerate(solutions):
        exact = tuple(values[:n]) if index < exact_count else None
        fine = _fine(values)
        same = _near if exact is not None else _near_numeric
        if _holds(equations, unknowns, fine) and not any(same(fine[:n], other[0]) for other in found):
            lams = fine[n:] if not _gradients_dependent(constraints, variables, fine[:n]) else None
            found.append((fine[:n], lams, exact, None))
            extra += exact is None
    for point, exact in _dependent_points(constraints, variables, box, seconds):
        if not any(_near_numeric(point, other[0]) for other in found):
            found.append((point, None, exact, DEPENDENT))
    for point in edges:
        with mpmath.workdps(_DIGITS + 5):
            point = tuple(+c for c in point[:n])
        if _holds(constraints, variables, point) and not any(_near_numeric(point, other[0]) for other in found):
            found.append((point, None, None, EDGE))
    kinks, kink_note = _kink_points(f, variables, constraints, box, seconds)
    for point, exact in kinks:  # the multiplier rule's verdict does not hold where a gradient is undefined
        found = [entry for entry in found if not _near_numeric(point, entry[0])] + [(point, None, exact, KINK)]
    points = [ConstrainedPoint(tuple(float(c) for c in point), _float(_value(f, variables, point, exact)),
                               () if lams is None else tuple(float(c) for c in lams),
                               kind or _kind(f, variables, constraints, point, lams, exact), exact)
              for point, lams, exact, kind in found]
    points.sort(key=lambda p: p.point)
    regular = sum(1 for p in points if p.kind not in (DEPENDENT, KINK, EDGE))
    return points, _note(how, regular, box, periodic, families, exact_count, extra, len(points) - regular) + kink_note


def _fine(values) -> tuple:
    """Coordinates at 35 digits as mpmath numbers. A real root SymPy writes with I (casus irreducibilis)
    has a tiny imaginary part at 35 digits: its real part is taken; a truly complex one gives nan."""
    with mpmath.workdps(_DIGITS + 5):
        return tuple(_real_mp(sp.N(c, _DIGITS + 5)) if isinstance(c, sp.Basic) else +c for c in values)


def _real_mp(number):
    real, imaginary = number.as_real_imag()
    return mpmath.mpf(str(sp.Float(real, _DIGITS + 5))) if imaginary.is_zero or abs(imaginary) < 1e-25 * max(
        1, abs(real)) else mpmath.mpf("nan")


def _on_a_family(root, families, unknowns) -> bool:
    """Whether a root of Newton's method lies on a whole set of solutions SymPy named (not a new point)."""
    at = dict(zip(unknowns, (sp.Float(mpmath.nstr(c, _DIGITS), _DIGITS) for c in root)))
    for family in families:
        try:
            if all(abs(complex(sp.N((at[k] - v.xreplace(at)), _DIGITS))) <= 1e-12 * max(1.0, abs(float(at[k])))
                   for k, v in family.items()):
                return True
        except (TypeError, ValueError, KeyError):
            continue
    return False


def _float(value) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise EvaluationError(f"f at a candidate is {sp.N(value, 6)}: beyond what a float holds; scale the problem")
    return number


def _refuse_degenerate(constraints, variables) -> None:
    """Constraints whose gradients vanish all over their set (a squared constraint) or are dependent
    everywhere (one written twice): the multiplier rule cannot see their points, so no list is given."""
    for g in constraints:
        try:
            _, factors = sp.factor_list(sp.together(g))
        except (sp.PolynomialError, NotImplementedError):
            continue
        repeated = next((base for base, power in factors if power > 1 and base.free_symbols), None)
        if repeated is not None:
            raise EvaluationError(f"the constraint has the factor {unicode_text(repeated)} more than once: its gradient "
                                  f"vanishes on the whole set; write it once ({unicode_text(repeated)} = 0)")
    if len(constraints) > 1:
        jacobian = sp.Matrix([[sp.diff(g, v) for v in variables] for g in constraints])
        if jacobian.rank(simplify=True) < len(constraints):
            raise EvaluationError("the constraints' gradients are dependent everywhere (a constraint repeated, or "
                                  "implied by the others): give each condition once")


def _polynomial(expr: sp.Expr, variables) -> bool:
    try:
        return sp.together(expr).as_numer_denom()[0].is_polynomial(*variables)
    except (sp.PolynomialError, NotImplementedError, TypeError):
        return False


def _refuse_discontinuous(exprs) -> None:
    """floor, ceiling and piecewise definitions jump: between their jumps the multiplier rule may hold
    nowhere, and the jumps themselves are whole curves; no list of candidates could be trusted."""
    for expr in exprs:
        jump = next((node for node in sp.preorder_traversal(expr)
                     if isinstance(node, (sp.floor, sp.ceiling, sp.Piecewise))), None)
        if jump is not None:
            raise EvaluationError(f"--subject-to needs continuous functions; {unicode_text(jump)} jumps, so the "
                                  "multiplier rule cannot list the candidates")


def _kink_arguments(exprs) -> list[sp.Expr]:
    """The expressions whose zeros are where ``exprs`` may not be differentiable: the arguments of |.|,
    sign and Heaviside (real roots such as ∛x are written with them) and the differences in Max/Min."""
    found: list[sp.Expr] = []
    for expr in exprs:
        for node in sp.preorder_traversal(expr):
            if isinstance(node, (sp.Abs, sp.sign, sp.Heaviside)):
                candidates = [node.args[0]]
            elif isinstance(node, (sp.Max, sp.Min)):
                candidates = [a - b for a, b in itertools.combinations(node.args, 2)]
            else:
                continue
            found += [c for c in candidates if c.free_symbols and not any((c - d) == 0 for d in found)]
    return found


def _kink_points(f, variables, constraints, box, seconds: float) -> tuple[list, str]:
    """Points of the constraint set where f or a constraint may not be differentiable (a corner of |x|,
    the cusp of ∛x): candidates the multiplier rule does not see. On a curve (one constraint fewer than
    variables) they are points, solved for; otherwise the note says where they were not searched."""
    arguments = _kink_arguments([f, *constraints])
    if not arguments:
        return [], ""
    where = " or ".join(f"{unicode_text(a)} = 0" for a in arguments[:4])
    if len(constraints) != len(variables) - 1:
        return [], (f" f or a constraint is not differentiable where {where}: extrema there are not covered by "
                    "the multiplier rule and were not searched.")
    found, complete = [], True
    for argument in arguments:
        points, exact = _square_roots([argument, *constraints], variables, box, seconds)
        complete = complete and exact
        for point, values in points:
            if not any(_near(point, other[0], 1e-9) for other in found):
                found.append((point, values))
    searched = "" if complete else " (found numerically in the range; some may be missed)"
    return found, (f" f or a constraint is not differentiable where {where}: the constraint's points there are "
                   f"listed too{searched}, to compare f. Between them only Newton's method looked for candidates: "
                   "where f is constant along a whole piece of the constraint (x + y on |x| + |y| = 1), that piece "
                   "is not named.")


def _square_roots(equations, variables, box, seconds: float) -> tuple[list, bool]:
    """Real roots of n equations in n unknowns: SymPy's where it solves them (and the system is not
    periodic), else Newton's in the box; each checked at 30 digits. Returns ((point, exact), ...) and
    whether the list is complete."""
    solutions, how, families = _solved(equations, variables, min(seconds, 2.0))
    periodic = any(e.has(*_PERIODIC) for e in equations)
    found = []
    if solutions is not None and not families:
        found = [(values, values) for values in solutions]
    pad = [1e-9 * max(1.0, high - low) for low, high in box]  # (Newton's method as well: solve can miss roots)
    found += [(root, None) for root in _newton(equations, variables, box)[0]
              if all(low - p <= float(c) <= high + p for c, (low, high), p in zip(root, box, pad))]
    checked, extra = [], False
    for values, exact in found:
        fine = _fine(values)
        same = _near if exact is not None else _near_numeric
        if _holds(equations, variables, fine) and not any(same(fine, other[0]) for other in checked):
            checked.append((fine, None if exact is None else tuple(exact)))
            extra = extra or exact is None
    return checked, solutions is not None and not families and not periodic and not extra


def _gradients_dependent(constraints, variables, point) -> bool:
    """Whether the constraints' gradients are dependent at the point: one is 0 there (each derivative
    against the size of its own terms at 30 digits, so tiny but nonzero gradients count), or the
    gradients, each scaled to length 1, are numerically dependent."""
    at = {v: sp.Float(mpmath.nstr(c, _DIGITS), _DIGITS) for v, c in zip(variables, point)}
    rows = []
    for g in constraints:
        derivatives = [_off_kinks(sp.diff(g, v)) for v in variables]
        if all(_vanishes(d, at) for d in derivatives):
            return True
        row = np.array([complex(sp.N(d.xreplace(at), _DIGITS)).real for d in derivatives], dtype=float)
        rows.append(row / np.linalg.norm(row))
    singular = np.linalg.svd(np.array(rows), compute_uv=False)
    return bool(singular.size == 0 or singular.min() <= 1e-9)


def _vanishes(expr, at) -> bool:
    """Whether ``expr`` is 0 at the point to 10⁻²⁰ of the size of its terms (at 30 digits)."""
    terms = sp.Add.make_args(sp.expand(expr))
    size = max(abs(complex(sp.N(t.xreplace(at), _DIGITS))) for t in terms)
    return abs(complex(sp.N(expr.xreplace(at), _DIGITS))) <= _RESIDUAL * size


def _solved(equations, unknowns, seconds: float):
    """SymPy's isolated real solutions (values in the order of ``unknowns``), how it went, and the
    families of solutions it found (each a dict with free variables): (None, why, []) where it failed."""
    try:
        with time_limit(seconds, "solving the Lagrange system"):
            solutions = sp.solve(equations, unknowns, dict=True)
    except (ComputationTimeout, NotImplementedError, ValueError, TypeError, AttributeError, RecursionError):
        return None, "failed", []
    real, families = [], []
    for solution in solutions:
        values = [solution.get(u, u) for u in unknowns]
        if any(u not in solution for u in unknowns) or any(v.free_symbols for v in values):
            families.append(solution)
            continue
        numbers = [complex(sp.N(v, _DIGITS)) for v in values]
        if all(abs(z.imag) <= 1e-25 * max(1.0, abs(z.real)) for z in numbers):
            real.append(tuple(sp.re(v) if abs(complex(sp.N(v, _DIGITS)).imag) else v for v in values))
    if not real and not families:
        return None, "none", []
    return real, "exact", families


def _newton(equations, unknowns, box) -> tuple[list[tuple], list[tuple]]:
    """Roots of the system by Newton's method from fixed starts in the box (multipliers from 0.5, -0.5,
    2): in floats first, then each distinct root polished at 30 digits and at 60 (mpmath). Returns the
    roots, and apart from them the points at an edge of the equations' domain (they stop being real a
    hair away), which Newton's method creeps toward where the equations only shrink (x^y as x → 0)."""
    equations = [_off_kinks(e) for e in equations]
    matrix = _off_kinks(sp.Matrix(equations).jacobian(unknowns))
    functions = sp.lambdify(unknowns, equations, "numpy")
    jacobian = sp.lambdify(unknowns, matrix, "numpy")
    sizes = sp.lambdify(unknowns, [sp.Add(*(abs(t) for t in sp.Add.make_args(sp.expand(e)))) for e in equations],
                        "numpy")
    n = len(box)
    per_axis = {1: 9, 2: 7, 3: 4}.get(n, 3)
    # Starts on a grid over the box and on one a fifth its size around its centre (a curve much smaller
    # than the range, as the astroid in [-5, 5]², is found from there), off-centre by a little so that no
    # start sits on an axis, where |x|^(2/3) has its cusp.
    grids = []
    for shrink in (1.0, 0.2):
        axes = [[(low + high) / 2 + shrink * (high - low) * ((k + 0.5) / per_axis - 0.5 + 0.0123)
                 for k in range(per_axis)] for low, high in box]
        grids.append(itertools.islice(itertools.product(*axes), 200))
    rough: list[np.ndarray] = []
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for start in itertools.chain(*grids):
            for lam in (0.5, -0.5, 2.0) if len(unknowns) > n else (None,):
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
                if np.all(np.isfinite(z)) and _nearly_root(functions, sizes, z) and not any(
                        np.allclose(z, r, rtol=1e-8, atol=1e-10) for r in rough):
                    rough.append(z)
    roots, edges = [], []
    polish = sp.lambdify(unknowns, equations, "mpmath")
    polish_jacobian = sp.lambdify(unknowns, matrix, "mpmath")

    def polished(start, digits: int):
        with mpmath.workdps(digits):
            root = mpmath.findroot(lambda *args: polish(*args), [mpmath.mpf(c) for c in start],
                                   J=lambda *args: polish_jacobian(*args), tol=mpmath.mpf(10) ** (-digits + 5),
                                   maxsteps=20)
            return tuple(mpmath.re(v) for v in (tuple(root) if hasattr(root, "__len__") else (root,)))

    def at_an_edge(point) -> bool:
        """Whether the equations stop being real a hair away from the point (an edge of their domain)."""
        step = 1e-9 * max(1.0, *(abs(float(c)) for c in point))
        with mpmath.workdps(_DIGITS):
            for index, sign in itertools.product(range(len(point)), (-1, 1)):
                moved = [mpmath.mpf(c) + (sign * step if k == index else 0) for k, c in enumerate(point)]
                try:
                    values = [mpmath.mpmathify(v) for v in polish(*moved)]
                except (ZeroDivisionError, ValueError, OverflowError, TypeError):
                    return True
                if any(isinstance(v, mpmath.mpc) and v.imag or not mpmath.isfinite(v) for v in values):
                    return True
        return False

    for z in rough:
        try:
            root = polished([float(c) for c in z], _DIGITS)
            # Polished again at twice the digits: where the equations only shrink toward an edge of their
            # domain (x^y as x → 0) the point creeps on toward it, and is told apart below.
            again = polished(root, 2 * _DIGITS)
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            continue
        (edges if at_an_edge(again) else roots).append(again)
    return roots, edges


def _off_kinks(expr):
    """The derivative of sign (a DiracDelta) is 0 everywhere but at the kink, which is searched apart."""
    return expr.replace(sp.DiracDelta, lambda *args: sp.S.Zero)


def _nearly_root(functions, sizes, z: np.ndarray) -> bool:
    """Whether Newton's method (in floats) got near a root, each equation small against the size of its
    terms: only those are worth polishing at 30 digits (where it stopped elsewhere, it diverged)."""
    try:
        residual = np.abs(np.asarray(functions(*z), dtype=float))
        size = np.asarray(sizes(*z), dtype=float)
    except (ValueError, TypeError, ZeroDivisionError, OverflowError):
        return False
    return bool(np.all(np.isfinite(residual)) and np.all(residual <= 1e-8 * (1.0 + size)))


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


def _near(a, b, tolerance: float = 1e-12) -> bool:
    """The same point, against the points' own size (not the range's: points 10⁻¹⁵ apart on a circle of
    radius 10⁻¹⁵ are different points)."""
    size = max(abs(float(c)) for c in (*a, *b))
    return max(abs(float(x) - float(y)) for x, y in zip(a, b)) <= tolerance * size + 1e-20


def _near_numeric(a, b) -> bool:
    """The same point for a root of Newton's method, which at a multiple root creeps in slowly (10⁻¹⁴ from
    the exact (0, 0)): within 10⁻⁶ of the larger of 1 and the points' size."""
    return max(abs(float(x) - float(y)) for x, y in zip(a, b)) <= 1e-6 * max(1.0, *(abs(float(c)) for c in (*a, *b)))


def _dependent_points(constraints, variables, box, seconds: float):
    """Points of one constraint g = 0 where ∇g = 0: (point, exact). SymPy solves g = 0, ∇g = 0 where it
    can; periodic constraints (SymPy gives one period) are searched in the box through ∇g = 0."""
    if len(constraints) != 1:
        return []
    g = constraints[0]
    gradient = [_off_kinks(sp.diff(g, v)) for v in variables]
    if not g.has(*_PERIODIC):
        try:
            with time_limit(min(seconds, 2.0), "solving for the points where ∇g = 0"):
                solutions = sp.solve([g, *gradient], variables, dict=True)
        except (ComputationTimeout, NotImplementedError, ValueError, TypeError, AttributeError, RecursionError):
            return []
        found = []
        for solution in solutions:
            values = [solution.get(v) for v in variables]
            if any(v is None or v.free_symbols or not v.is_real for v in values):
                continue
            found.append((_fine(values), tuple(values)))
        return found
    points, _ = _square_roots(gradient, variables, box, seconds)
    return [(point, exact) for point, exact in points if _holds([g], variables, point)]


def _value(f, variables, point, exact=None):
    """f at the point: from the exact coordinates where there are some (sin(π) is 0, not 10⁻⁶¹)."""
    if exact is not None:
        value = sp.N(f.xreplace(dict(zip(variables, exact))), _DIGITS)
        if value.is_real:
            return value
    return sp.N(f.xreplace(dict(zip(variables, (sp.Float(mpmath.nstr(c, _DIGITS), _DIGITS) for c in point)))),
                _DIGITS)


def _kind(f, variables, constraints, point, lams, exact=None) -> str:
    """By the Hessian of the Lagrangian on the constraints' tangent space (what the bordered Hessian
    tests, without depending on the order of the variables): its eigenvalues all positive, a
    constrained local minimum; all negative, a maximum; of both signs, neither; one about 0, inconclusive."""
    if lams is None:
        return DEPENDENT
    m, n = len(constraints), len(variables)
    if m >= n:
        return NO_FREEDOM
    at = dict(zip(variables, (sp.Float(mpmath.nstr(c, _DIGITS), _DIGITS) for c in point)))
    lagrangian = f - sum(sp.Float(mpmath.nstr(lam, _DIGITS), _DIGITS) * g for lam, g in zip(lams, constraints))
    jacobian = np.array([[float(sp.N(sp.diff(g, v).xreplace(at), _DIGITS)) for v in variables] for g in constraints])
    if exact is not None:  # exact second derivatives: sin(π) is 0, so the scale is the problem's own
        at_exact = dict(zip(variables, exact))
        parts = [_exact_floats(sp.hessian(h, variables), at_exact) for h in (f, *constraints)]
        hessian = parts[0] - sum(float(lam) * part for lam, part in zip(lams, parts[1:]))
        scale = float(np.max(np.abs(hessian)))
    else:
        hessian = np.array([[float(sp.N(e, _DIGITS)) for e in row] for row in
                            sp.hessian(lagrangian, variables).xreplace(at).tolist()])
        scale = max(1.0, float(np.max(np.abs(hessian))))  # (30-digit noise is no scale)
    _, singular, vt = np.linalg.svd(jacobian)
    tangent = vt[m:].T  # n × (n − m): an orthonormal basis of the directions along the constraints
    values = np.linalg.eigvalsh(tangent.T @ hessian @ tangent)
    if scale == 0 or np.any(np.abs(values) <= 1e-9 * scale):
        return _along_the_curve(f, variables, constraints, exact) if exact is not None and m == 1 and n == 2 \
            else INCONCLUSIVE
    if np.all(values > 0):
        return MINIMUM
    if np.all(values < 0):
        return MAXIMUM
    return NEITHER


def _exact_floats(matrix: sp.Matrix, at: dict) -> np.ndarray:
    """The matrix at an exact point as floats, its entries that are exactly 0 as 0."""
    return np.array([[0.0 if _exactly_zero(e.xreplace(at)) else complex(sp.N(e.xreplace(at), _DIGITS)).real
                      for e in row] for row in matrix.tolist()])


def _along_the_curve(f, variables, constraints, exact, most: int = 6) -> str:
    """Where the second-order test is degenerate on a curve g(x, y) = 0 and the point is exact: the first
    derivative of f along the curve (y a function of x, or x of y, by implicit differentiation) that is not
    0 there, proven 0 or not exactly: even order, a minimum or maximum by its sign; odd, neither."""
    from .implicit import implicit_derivatives

    g, at = constraints[0], dict(zip(variables, exact))
    x, y = variables
    if _exactly_zero(sp.diff(g, y).xreplace(at)):
        x, y = y, x  # the curve is x(y) here
        if _exactly_zero(sp.diff(g, y).xreplace(at)):
            return INCONCLUSIVE
    try:
        with time_limit(2.0, "testing f along the constraint"):
            slopes = implicit_derivatives(g, x, y, most)
            Y = sp.Function("_y", real=True)(x)
            along = f.xreplace({y: Y})
            for order in range(1, most + 1):
                along = sp.diff(along, x)
                value = along
                for k in range(order, 0, -1):  # the highest derivative first: y″ contains y′
                    value = value.xreplace({Y.diff(x, k): slopes[k - 1].xreplace({y: Y})})
                value = value.xreplace({Y: y}).xreplace(at)
                if _exactly_zero(value):
                    continue
                sign = sp.sign(sp.nsimplify(sp.N(value, 50)) if not value.is_Rational else value)
                if order % 2:
                    return NEITHER if order > 1 else INCONCLUSIVE
                return MINIMUM if sign > 0 else MAXIMUM if sign < 0 else INCONCLUSIVE
    except (ComputationTimeout, EvaluationError, NotImplementedError, TypeError, ValueError, ZeroDivisionError):
        pass
    return INCONCLUSIVE


def _exactly_zero(value) -> bool:
    """0, judged from the exact value evaluated at 60 digits (below 10⁻⁴⁵): simplify could take minutes
    on the nested radicals of a cubic's roots, and a nonzero value this small does not occur here."""
    number = sp.N(value, 60)
    return bool(number.is_number and abs(complex(number)) < 1e-45)


def _note(how: str, count: int, box, periodic: bool, families: list, exact_count: int, extra: int,
          listed_apart: int = 0) -> str:
    where = " × ".join(f"[{low:g}, {high:g}]" for low, high in box)
    sets = ""
    if families:
        shown = "; ".join(", ".join(f"{unicode_text(k)} = {unicode_text(v)}" for k, v in family.items())
                          for family in families[:4])
        sets = (f" Also whole sets of candidates, where {shown} (the others free): f is stationary along them, "
                "so they are not listed point by point.")
    may_miss = " A numeric search may miss points: widen or move --range to look elsewhere."
    if how == "exact" and extra:
        return (f"SymPy's exact solution has {exact_count} point(s); Newton's method found {extra} more in {where}, "
                f"which SymPy's solve missed{' (it gives one period of periodic equations)' if periodic else ''}; "
                f"each point checked at 30 digits.{may_miss}" + sets)
    if how == "exact" and not periodic:
        return (f"Solved exactly (SymPy) from ∇f = λ∇g and the constraints, and cross-checked by Newton's method in "
                f"{where} (no other points there); each point checked at 30 digits." + sets)
    if how == "exact":
        return (f"SymPy's exact solution ({exact_count} point(s)) gives one period of these periodic equations; "
                f"Newton's method in {where} found no others; each point checked at 30 digits.{may_miss}" + sets)
    if how == "empty" and not count and not listed_apart:
        return (f"No point satisfies the constraints: SymPy finds no real solution of them, and Newton's method "
                f"found no candidate in {where}." + sets)
    why = {"failed": "SymPy could not solve the Lagrange system",
           "none": "SymPy's exact solution found no real points", "empty": "SymPy's exact solution found no real points"
           }.get(how, "SymPy could not solve it")
    found = "Found" if count else "No candidates found"
    return f"{found} numerically in {where} (Newton's method at 30 digits, each point checked; {why}).{may_miss}" + sets
