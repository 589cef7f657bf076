"""The numeric engine: derivatives of expressions and of black-box Python functions.

- Expressions (lambdified by SymPy): complex-step differentiation for first derivatives of analytic
  expressions (exact to rounding, no cancellation), mpmath's high-precision differences for higher
  orders and mixed partials.
- Black-box functions: central differences with Richardson extrapolation on a shrinking step
  (Ridders' method), whose error estimate comes from the extrapolation table; complex step where
  the function accepts complex input and agrees; one-sided differences at the edge of the domain
  (where the function returns NaN or raises on one side); a kink check comparing the left and right
  derivatives; divergence of the one-sided quotients reported as an infinite slope.

Everything works elementwise on NumPy arrays, so a curve of f' for a plot is one vectorised call.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from .calculus import NON_SMOOTH
from .errors import EvaluationError

EPS = np.finfo(float).eps
COMPLEX_STEP = 1e-20  # relative; any tiny step works: no difference is taken, so nothing cancels
RIDDERS_SHRINK = 1.4  # step ratio between rows of the extrapolation table (Ridders' choice)
RIDDERS_ROWS = 15
RIDDERS_SAFE = 2.0  # stop once the table's error grows by this factor
# Ridders runs from several starting steps at once, and the run with the smallest error wins: a
# first step that straddles a pole or a fast wiggle (tan x at 1.5) ruins its own table only.
STARTING_STEPS = np.array([1.0, 1e-1, 1e-2, 1e-3, 1e-5])
# Functions whose values at complex points are not the analytic continuation (|x + ih| is real):
# the non-smooth ones calculus knows, and the parts of complex numbers.
NON_ANALYTIC = NON_SMOOTH + (sp.re, sp.im, sp.arg, sp.conjugate)


@dataclass(frozen=True)
class NumericDerivative:
    """A numeric derivative at one point."""

    status: str  # "ok", "not differentiable", "infinite", "undefined"
    value: float | None = None
    error: float | None = None  # estimated absolute error of value
    method: str = ""  # "complex step", "central differences", "one-sided differences", "mpmath"
    step: float | None = None  # the finite-difference step that gave the value
    left: float | None = None
    right: float | None = None
    reason: str = ""


# --- evaluating user functions ---------------------------------------------------------------

class Evaluator:
    """Calls a function of one real number safely: checked at the point, NaN where it fails nearby."""

    def __init__(self, func: Callable, name: str = "f", complex_func: Callable | None = None):
        self.func = func
        self.name = name
        self.complex_func = complex_func  # a separate complex version (a lambdified expression)
        self._takes_arrays: bool | None = None
        self.eps = EPS  # the precision of the function's values: float32 code rounds far more

    def at(self, x: float) -> float:
        """f(x), or EvaluationError saying why there is no number."""
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = self.func(x)
        except Exception as error:  # the user's code: any failure is reported, never raised through
            raise EvaluationError(f"{self.name} raised {type(error).__name__} at x = {x:g}: {error}") from None
        dtype = getattr(value, "dtype", None)
        if dtype is not None and dtype.kind == "f":
            self.eps = max(EPS, float(np.finfo(dtype).eps))
        return as_real(value, f"{self.name}({x:g})")

    def many(self, xs: np.ndarray) -> np.ndarray:
        """f at every point of xs (any shape): at once if f takes arrays, else one by one; NaN where it fails."""
        xs = np.asarray(xs, dtype=float)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if self._takes_arrays is not False:
                try:
                    ys = np.asarray(self.func(xs))
                    if ys.shape == xs.shape and ys.dtype.kind in "fiub":
                        self._takes_arrays = True
                        return ys.astype(float)
                except Exception:  # not written for arrays: go point by point below
                    pass
                self._takes_arrays = False
            return np.array([_quiet_real(self.func, x) for x in xs.ravel()], dtype=float).reshape(xs.shape)

    def complex_many(self, zs: np.ndarray) -> np.ndarray | None:
        """f at complex points, or None when the function does not take complex input."""
        func = self.complex_func or self.func
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                ys = np.asarray(func(zs))
                if ys.shape != zs.shape:
                    ys = np.array([np.asarray(func(z)).reshape(()) for z in zs.ravel()]).reshape(zs.shape)
            except Exception:  # real-only code (math.sin, comparisons): no complex step
                return None
        if ys.dtype.kind != "c" or not np.any(ys.imag):
            return None  # real answers to complex questions (abs, comparisons): not analytic code
        return ys


def as_real(value, what: str) -> float:
    """A real float from a user's function's result, or EvaluationError naming what came back."""
    if isinstance(value, (bool, np.bool_, str, bytes)):  # complex("1.0") would read a string
        raise EvaluationError(f"{what} returned {type(value).__name__}, not a number")
    shape = np.shape(value)
    if shape not in ((), (1,)):
        raise EvaluationError(f"{what} returned an array of shape {shape}, where one number was expected")
    try:
        number = complex(np.asarray(value).reshape(()).item() if shape else value)
    except (TypeError, ValueError):
        raise EvaluationError(f"{what} returned {type(value).__name__}, not a number") from None
    if number.imag != 0:
        return math.nan  # outside the real domain
    return number.real


def _quiet_real(func: Callable, x: float) -> float:
    try:
        return as_real(func(x), "")
    except Exception:  # near the point a failure only means "not defined there"
        return math.nan


# --- Ridders' extrapolation, elementwise -------------------------------------------------------

def _table_start(first: np.ndarray, h: np.ndarray):
    """(best, error, step, done) before an extrapolation table's second row: the first estimate, no error yet."""
    return first.copy(), np.full(first.shape, np.inf), np.broadcast_to(h, first.shape).copy(), \
        np.zeros(first.shape, dtype=bool)


def ridders(estimate: Callable[[np.ndarray], np.ndarray], h0: np.ndarray, power: int):
    """Richardson extrapolation of ``estimate(h)`` as h shrinks: (value, error, step), elementwise.

    ``estimate(h)`` has an error series in h^power, h^2power, ... (power 2 for central
    differences, 1 for one-sided). Each new row shrinks h by RIDDERS_SHRINK and extrapolates;
    the answer is the entry whose neighbours in the table agree best, that disagreement is the
    error estimate, and a point stops once the table starts to diverge (rounding takes over).
    """
    h = np.array(h0, dtype=float)
    with np.errstate(all="ignore"):
        previous = [estimate(h)]
        best, error, step, done = _table_start(previous[0], h)
        ratio = RIDDERS_SHRINK ** power
        for i in range(1, RIDDERS_ROWS):
            h = h / RIDDERS_SHRINK
            row = [estimate(h)]
            factor = ratio
            for j in range(1, i + 1):
                row.append((row[j - 1] * factor - previous[j - 1]) / (factor - 1))
                factor *= ratio
                change = np.maximum(np.abs(row[j] - row[j - 1]), np.abs(row[j] - previous[j - 1]))
                better = (change <= error) & ~done
                best = np.where(better, row[j], best)
                error = np.where(better, change, error)
                step = np.where(better, np.broadcast_to(h, best.shape), step)
            done |= np.abs(row[i] - previous[i - 1]) >= RIDDERS_SAFE * error
            if done.all():
                break
            previous = row
    # rounding in the function values bounds the accuracy from below
    return best, np.maximum(error, 8 * EPS * np.abs(best)), step


def aitken(estimate: Callable[[np.ndarray], np.ndarray], h0: np.ndarray):
    """Aitken's Δ² on the plain sequence ``estimate(h)`` as h shrinks: (value, error, step), elementwise.

    It assumes only that the error shrinks geometrically, by a ratio it measures, so it converges
    where the error goes like h^p for any p: h^(2/3) for the central difference of x^(5/3) at 0,
    where Richardson's fixed powers leave a bias their own table does not show. The answer is the
    entry that agrees best with the one before; rows whose differences change sign or stop
    shrinking (rounding, or no geometric tail) give no entry.
    """
    h = np.array(h0, dtype=float)
    with np.errstate(all="ignore"):
        rows = [estimate(h)]
        best, error, step, done = _table_start(rows[0], h)
        previous = None
        for i in range(1, RIDDERS_ROWS):
            h = h / RIDDERS_SHRINK
            rows.append(estimate(h))
            if i < 2:
                continue
            first, second = rows[i - 1] - rows[i - 2], rows[i] - rows[i - 1]
            geometric = (first * second > 0) & (np.abs(second) < np.abs(first))
            limit = np.where(second == 0, rows[i], np.where(geometric, rows[i] - second * second / (second - first),
                                                               np.nan))
            if previous is not None:
                change = np.abs(limit - previous)
                change = np.where(np.isnan(change), np.inf, change)
                better = (change <= error) & ~done
                best = np.where(better, limit, best)
                error = np.where(better, change, error)
                step = np.where(better, np.broadcast_to(h, best.shape), step)
                done |= np.isfinite(error) & (change >= RIDDERS_SAFE * error)
                if done.all():
                    break
            previous = limit
    return best, np.maximum(error, 8 * EPS * np.abs(best)), step


def extrapolate(estimate: Callable[[np.ndarray], np.ndarray], h0, power: int,
                noise: Callable[[np.ndarray], np.ndarray] | None = None):
    """``ridders`` from each of STARTING_STEPS × h0 in one vectorised run; the best run per point.

    ``noise(step)``, the rounding error at a step, is part of each run's error: a run that ended at
    a tiny step can look consistent in its table while rounding dominates it.

    An even error series (power 2, central differences) is an assumption that fails where f is
    not smooth: where f'' jumps (x|x| at 0, a piecewise function at its switch point) the central
    difference has an h term, and Richardson in h² then converges to a wrong value with a small,
    self-consistent error. So the same differences are also extrapolated with the weaker
    assumptions (every power of h; any geometric rate, by Aitken's Δ²), and ``_reconciled`` takes
    the most precise answer with an error that covers every answer that excludes it.
    """
    starts = np.multiply.outer(STARTING_STEPS, np.asarray(h0, dtype=float))
    if power != 2:
        return _best_run(ridders(estimate, starts, power), noise)
    estimate = _remembered(estimate)  # the three extrapolations share one set of function values
    even = ridders(estimate, starts, 2)
    geometric = aitken(estimate, starts)
    value, error, step = _reconciled([_best_run(even, noise), _best_run(ridders(estimate, starts, 1), noise),
                                      _best_run(geometric, noise)])
    # No start shows the differences settling geometrically (x² sin(1/x) at 0: they oscillate at
    # every scale): the tables' agreement is chance, and the error is the spread of their answers.
    irregular = ~np.isfinite(geometric[1]).any(axis=0)
    if irregular.any():
        with np.errstate(all="ignore"):
            spread = np.max(np.where(np.isfinite(even[0]), np.abs(even[0] - value), 0.0), axis=0)
        error = np.where(irregular, np.maximum(error, spread), error)
    return value, error, step


def _best_run(run, noise):
    values, errors, steps = run
    if noise is not None:
        errors = np.maximum(errors, noise(steps))
    best = np.argmin(np.where(np.isfinite(errors), errors, np.inf), axis=0)[None]
    return tuple(np.take_along_axis(a, best, axis=0)[0] for a in (values, errors, steps))


def _reconciled(runs):
    """The value with the smallest error, that error widened to cover any other answer it excludes.

    Each run's error only measures how well its own table agrees with itself. Two runs that
    exclude each other cannot both be right: the error then spans the distance between them plus
    the other's own error, so whichever model of the error series holds, the truth is inside.
    """
    values, errors, steps = (np.array(a, dtype=float) for a in zip(*runs))
    with np.errstate(all="ignore"):
        rank = np.where(np.isfinite(errors) & np.isfinite(values), errors, np.inf)
        best = np.argmin(rank, axis=0)[None]
        value, error, step = (np.take_along_axis(a, best, axis=0)[0] for a in (values, errors, steps))
        gap = np.abs(values - value)
        excluded = np.isfinite(values) & np.isfinite(errors) & (gap > errors) & (gap > error)
        widened = np.max(np.where(excluded, gap + errors, 0.0), axis=0)
    return value, np.maximum(error, widened), step


def _remembered(estimate: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
    """``estimate`` evaluated once per distinct array of steps."""
    memory: dict = {}

    def remembered(h):
        h = np.asarray(h, dtype=float)
        key = (h.shape, h.tobytes())
        if key not in memory:
            memory[key] = estimate(h)
        return memory[key]

    return remembered


def rounding_error(fx, step, order: int, eps: float = EPS):
    """What rounding in f's values does to a difference quotient, after Richardson's amplification.

    The table's own error estimate sees only truncation; at small steps the quotient's noise,
    about ε·|f|·2ⁿ/hⁿ, dominates, and extrapolation amplifies it (30 covers what we measured).
    |f| counts as at least 1: at a minimum f(x) may be 0 while the code's intermediate values,
    whose rounding is what matters, are not.
    """
    with np.errstate(all="ignore"):
        return 30 * eps * np.maximum(np.abs(fx), 1.0) * 2.0 ** order / np.asarray(step, dtype=float) ** order


def central_difference(f: Callable[[np.ndarray], np.ndarray], x, order: int):
    """The order-n central difference quotient of f at x, as a function of the step h."""
    x = np.asarray(x, dtype=float)

    def estimate(h):
        total = 0.0
        for k in range(order + 1):
            total = total + (-1) ** k * math.comb(order, k) * f(x + (order / 2 - k) * h)
        return total / h ** order

    return estimate


def one_sided_difference(f: Callable[[np.ndarray], np.ndarray], x, order: int, direction: int):
    """The order-n forward (direction 1) or backward (-1) difference quotient of f at x."""
    x = np.asarray(x, dtype=float)

    def estimate(h):
        total = 0.0
        for k in range(order + 1):
            total = total + (-1) ** (order - k) * math.comb(order, k) * f(x + direction * k * h)
        return total / (direction * h) ** order

    return estimate


def initial_step(x) -> np.ndarray:
    """Ridders starts from a large step (a tenth of the scale of x) and shrinks it."""
    return 0.1 * np.maximum(1.0, np.abs(np.asarray(x, dtype=float)))


# --- one point --------------------------------------------------------------------------------

def derivative_at(evaluator: Evaluator, x: float, order: int = 1, *, analytic: bool = False,
                  kink_check: bool = True) -> NumericDerivative:
    """The order-n derivative of a function of one variable at x, with an honest error estimate.

    ``analytic``: the function is known to be analytic where defined (an expression without |x|
    and the like), so the complex step is trusted without checking it against differences.
    """
    fx = evaluator.at(x)
    h_both, h_left, h_right = _defined_steps(evaluator, x, order)
    if math.isinf(fx):
        return NumericDerivative("undefined", reason=f"{evaluator.name}({x:g}) is infinite or too large for floating point")
    if not math.isfinite(fx):
        if h_both is None and h_left is None and h_right is None:
            raise EvaluationError(f"{evaluator.name} is NaN or fails at x = {x:g} and on both sides of it")
        return NumericDerivative("undefined", reason=f"{evaluator.name}({x:g}) is not a finite number")
    if h_both is None:
        if h_left is None and h_right is None:
            raise EvaluationError(f"{evaluator.name} returns NaN (or raises) on both sides of x = {x:g}")
        direction, h = (1, h_right) if h_right is not None else (-1, h_left)
        value, error, step, kind = _one_sided(evaluator, x, fx, order, direction, h)
        side = {"left": value} if direction < 0 else {"right": value}
        return NumericDerivative("not differentiable", error=error, method="one-sided differences",
                                 step=step, reason="edge of the domain", **side)

    if order == 1 and (analytic or evaluator.complex_func is None):
        complex_value = _complex_step(evaluator, x)
    else:
        complex_value = None
    if analytic and complex_value is not None:
        return NumericDerivative("ok", complex_value, 4 * EPS * max(abs(complex_value), EPS),
                                 "complex step", COMPLEX_STEP * max(1.0, abs(x)))

    if kink_check and is_jump(evaluator, x, fx):
        return NumericDerivative("not differentiable", reason="jump: f is not continuous there")
    value, error, step = (float(a) for a in extrapolate(
        central_difference(evaluator.many, x, order), h_both, 2,
        noise=lambda steps: rounding_error(fx, steps, order, evaluator.eps)))
    if kink_check:
        kink = _kink(evaluator, x, fx, order, h_both)
        if kink is not None:
            return kink
    if not math.isfinite(value):
        return NumericDerivative("undefined", reason="the difference quotients do not converge")
    if complex_value is not None and abs(complex_value - value) <= max(10 * error, 1e-8 * abs(value)):
        # Agreement to a few digits vouches for the complex step's own precision (code that is
        # analytic), but only for a value the differences tell from zero: x·|x| at 0 gives a complex
        # step of 1e-20 that agrees with 0 ± 3e-7 without being any more exact than that.
        confirmed = min(error, 1e-12 * abs(value)) if abs(value) > error else error
        return NumericDerivative("ok", complex_value, max(4 * EPS * abs(complex_value), confirmed),
                                 "complex step", COMPLEX_STEP * max(1.0, abs(x)))
    return NumericDerivative("ok", value, error, "central differences", step)


def is_jump(evaluator: Evaluator, x: float, fx: float) -> bool:
    """Whether f jumps at x: on some side, f(x ± δ) − f(x) does not shrink as δ does."""
    scale = max(1.0, abs(x))
    deltas = scale * np.array([1e-4, 1e-7, 1e-10])
    for side in (-1, 1):
        gaps = np.abs(evaluator.many(x + side * deltas) - fx)
        if np.all(np.isfinite(gaps)) and gaps[-1] > 1e-6 * max(1.0, abs(fx)) and gaps[-1] > 0.1 * gaps[0]:
            return True
    return False


def _defined_steps(evaluator: Evaluator, x: float, order: int):
    """The largest starting steps (both sides, left only, right only) where f is defined, or None."""
    reach = max(order / 2, 1.0)
    steps = initial_step(x) / 4.0 ** np.arange(20)  # down to about 1e-13 of the scale
    left = evaluator.many(x - reach * steps)
    right = evaluator.many(x + reach * steps)
    left_ok, right_ok = np.isfinite(left), np.isfinite(right)

    def first(mask):
        return float(steps[np.argmax(mask)]) if mask.any() else None

    both = first(left_ok & right_ok)
    return both, first(left_ok) if both is None else both, first(right_ok) if both is None else both


def _complex_step(evaluator: Evaluator, x: float) -> float | None:
    h = COMPLEX_STEP * max(1.0, abs(x))
    result = evaluator.complex_many(np.array([x + 1j * h]))
    if result is None or not np.isfinite(result[0]):
        return None
    return float(result[0].imag / h)


def _one_sided(evaluator: Evaluator, x: float, fx: float, order: int, direction: int, h0: float):
    """(value, error, step, kind) of a one-sided derivative; an infinite slope shows as divergence."""
    estimate = one_sided_difference(evaluator.many, x, order, direction)
    value, error, step = (float(a) for a in extrapolate(
        estimate, h0, 1, noise=lambda steps: rounding_error(fx, steps, order, evaluator.eps)))
    if math.isfinite(value) and error <= 1e-6 * max(1.0, abs(value)):
        return value, error, step, "finite"
    samples = np.abs(estimate(h0 * 10.0 ** -np.arange(0, 8, 2)))
    if np.all(np.isfinite(samples)) and np.all(samples[1:] > 3 * samples[:-1]):  # |f'| ~ h^-p, p > 1/4
        return math.copysign(math.inf, float(estimate(h0 * 1e-6))), None, None, "infinite"
    return value, error, step, "finite"


def _kink(evaluator: Evaluator, x: float, fx: float, order: int, h0: float) -> NumericDerivative | None:
    """Compare left and right derivatives: a corner (|x|), a cusp, or a vertical tangent."""
    left, left_error, _, left_kind = _one_sided(evaluator, x, fx, order, -1, h0)
    right, right_error, _, right_kind = _one_sided(evaluator, x, fx, order, 1, h0)
    if left_kind == right_kind == "infinite":
        if left == right:
            return NumericDerivative("infinite", left, left=left, right=right, method="one-sided differences",
                                     reason="vertical tangent")
        return NumericDerivative("not differentiable", left=left, right=right, method="one-sided differences",
                                 reason="cusp")
    if "infinite" in (left_kind, right_kind):
        return NumericDerivative("not differentiable", left=left, right=right, method="one-sided differences",
                                 reason="vertical on one side")
    tolerance = 100 * (left_error + right_error) + 1e-6 * max(1.0, abs(left), abs(right))
    if math.isfinite(left) and math.isfinite(right) and abs(left - right) > tolerance:
        return NumericDerivative("not differentiable", left=left, right=right, method="one-sided differences",
                                 reason="corner")
    return None


# --- many points at once (plots, benchmarks) ---------------------------------------------------

def derivative_many(evaluator: Evaluator, xs: np.ndarray, order: int = 1, *,
                    analytic: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Values and error estimates of the derivative at every point of xs, in vectorised calls.

    First derivatives come from the complex step where it is available (trusted for analytic
    expressions, else accepted where one plain central difference agrees with it); Ridders'
    extrapolation covers the rest. No kink or domain-edge analysis (that is per point): undefined
    places come out as NaN.
    """
    xs = np.asarray(xs, dtype=float)
    fx = evaluator.many(xs)
    values = np.full(xs.shape, np.nan)
    errors = np.full(xs.shape, np.inf)
    todo = np.isfinite(fx)
    if order == 1:
        h = COMPLEX_STEP * np.maximum(1.0, np.abs(xs))
        complex_values = evaluator.complex_many(xs + 1j * h)
        if complex_values is not None:
            with np.errstate(all="ignore"):
                stepped = complex_values.imag / h
                accepted = todo & np.isfinite(stepped)
                if not analytic:
                    accepted &= _agrees_with_differences(evaluator, xs, fx, stepped)
            values = np.where(accepted, stepped, values)
            errors = np.where(accepted, 4 * EPS * np.abs(stepped), errors)
            todo &= ~accepted
    if todo.any():
        rest = xs[todo]
        found, found_errors, _ = extrapolate(central_difference(evaluator.many, rest, order), initial_step(rest), 2,
                                             noise=lambda steps: rounding_error(fx[todo], steps, order, evaluator.eps))
        values[todo] = found
        errors[todo] = found_errors
    return values, errors


def _agrees_with_differences(evaluator: Evaluator, xs: np.ndarray, fx: np.ndarray,
                             stepped: np.ndarray) -> np.ndarray:
    """Where central differences at h and h/2 confirm a complex step, within their own error.

    Code that is not analytic (abs, comparisons, .real) gives complex steps that are plainly wrong,
    not slightly off; the two differences estimate their error (O(h²) each), so a steep function
    near a domain edge is not rejected for the differences' own inaccuracy.
    """
    h = 1e-5 * np.maximum(1.0, np.abs(xs))
    coarse = (evaluator.many(xs + h) - evaluator.many(xs - h)) / (2 * h)
    fine = (evaluator.many(xs + h / 2) - evaluator.many(xs - h / 2)) / h
    own_error = np.abs(coarse - fine) / 3
    tolerance = 10 * own_error + 1e-8 * np.maximum(np.abs(stepped), np.abs(fx) / np.maximum(1.0, np.abs(xs)))
    return np.abs(stepped - fine) <= tolerance + 1e-300


# --- expressions --------------------------------------------------------------------------------

def expression_evaluator(expr: sp.Expr, variable: sp.Symbol, name: str = "f") -> Evaluator:
    """An Evaluator for a SymPy expression of one variable: NumPy for reals and for complex steps."""
    func = sp.lambdify(variable, expr, modules="numpy")
    fallback = None

    def real(xs):
        nonlocal fallback
        try:
            values = np.asarray(func(xs), dtype=complex)
        except (TypeError, ValueError, NameError, AttributeError, ZeroDivisionError, OverflowError):
            fallback = fallback or sp.lambdify(variable, expr, modules="mpmath")
            values = np.vectorize(lambda x: complex(fallback(x)), otypes=[complex])(xs)
        values = np.broadcast_to(values, np.shape(xs))
        return np.where(np.abs(values.imag) <= 1e-12 * np.maximum(1.0, np.abs(values.real)), values.real, np.nan)

    def complex_(zs):
        return np.broadcast_to(np.asarray(func(zs), dtype=complex), np.shape(zs))

    return Evaluator(real, name, complex_func=complex_)


def is_analytic(expr: sp.Expr) -> bool:
    return not expr.has(*NON_ANALYTIC)


def mpmath_derivative(expr: sp.Expr, variables: tuple[sp.Symbol, ...], point: tuple[float, ...],
                      orders: tuple[int, ...], digits: int = 30) -> tuple[float, float]:
    """A (mixed) partial derivative by mpmath's differences at ``digits`` digits: (value, error)."""
    import mpmath

    func = sp.lambdify(variables, expr, modules="mpmath")
    with mpmath.workdps(digits):
        try:
            value = mpmath.diff(func, tuple(mpmath.mpf(p) for p in point), orders)
        except (ValueError, ZeroDivisionError, TypeError, OverflowError):
            return math.nan, math.inf
        if isinstance(value, mpmath.mpc) and abs(value.imag) > mpmath.mpf(10) ** (5 - digits) * max(1, abs(value.real)):
            return math.nan, math.inf
        real = float(mpmath.re(value))
    return real, 4 * EPS * abs(real)


# --- several variables -------------------------------------------------------------------------

def along(func: Callable, point: np.ndarray, index: int, vector_input: bool) -> Callable:
    """f as a function of coordinate ``index`` alone, the others fixed at ``point``; vectorised."""
    point = np.asarray(point, dtype=float)

    def restricted(t):
        t = np.asarray(t)
        out = np.empty(t.shape, dtype=float)
        for position, value in np.ndenumerate(t):
            coordinates = point.astype(np.result_type(point, t)).copy()
            coordinates[index] = value
            out[position] = _quiet_real(func, coordinates) if vector_input else \
                _quiet_real(lambda c: func(*c), coordinates)
        return out

    return restricted


def gradient(func: Callable, point, vector_input: bool = False, name: str = "f", kink_check: bool = False):
    """∇f at a point: (values, error estimates), each component by Ridders' method.

    With ``kink_check`` a component whose left and right derivatives differ (|x| + |y| at the
    origin) comes out NaN instead of their average.
    """
    point = np.asarray(point, dtype=float)
    _check_point(func, point, vector_input, name)
    values, errors = [], []
    for i in range(point.size):
        d = derivative_at(Evaluator(along(func, point, i, vector_input), name), float(point[i]), kink_check=kink_check)
        values.append(d.value if d.value is not None else math.nan)
        errors.append(d.error if d.error is not None else math.inf)
    return np.array(values), np.array(errors)


def hessian(func: Callable, point, vector_input: bool = False, name: str = "f"):
    """The Hessian at a point: (matrix, error estimates), by extrapolated second differences."""
    point = np.asarray(point, dtype=float)
    _check_point(func, point, vector_input, name)
    n = point.size
    call = (lambda c: func(c)) if vector_input else (lambda c: func(*c))
    values = np.empty((n, n))
    errors = np.empty((n, n))
    h0 = float(initial_step(np.max(np.abs(point))))
    for i in range(n):
        for j in range(i, n):
            if i == j:
                d = derivative_at(Evaluator(along(func, point, i, vector_input), name), float(point[i]), 2,
                                  kink_check=False)
                value, error = d.value if d.value is not None else math.nan, d.error or math.inf
            else:
                value, error, _ = (float(a) for a in extrapolate(_mixed_difference(call, point, i, j), h0, 2))
            values[i, j] = values[j, i] = value
            errors[i, j] = errors[j, i] = error
    return values, errors


def _mixed_difference(call: Callable, point: np.ndarray, i: int, j: int):
    """(f(+,+) - f(+,-) - f(-,+) + f(-,-)) / 4h²: even error series, so Ridders applies."""

    def value_at(di, dj):
        c = point.copy()
        c[i] += di
        c[j] += dj
        return _quiet_real(call, c)

    def one_step(h: float) -> float:
        return (value_at(h, h) - value_at(h, -h) - value_at(-h, h) + value_at(-h, -h)) / (4 * h * h)

    def estimate(h):
        return np.vectorize(one_step, otypes=[float])(h)

    return estimate


def jacobian(func: Callable, point, vector_input: bool = False, name: str = "f"):
    """The Jacobian of a vector-valued function: (matrix, error estimates), column by column."""
    point = np.asarray(point, dtype=float)
    call = (lambda c: func(c)) if vector_input else (lambda c: func(*c))
    try:
        outputs = np.asarray(call(point), dtype=float)
    except Exception as error:
        raise EvaluationError(f"{name} raised {type(error).__name__} at {tuple(point)}: {error}") from None
    if outputs.ndim != 1:
        raise EvaluationError(f"{name} returned an array of shape {outputs.shape}; a vector was expected")
    values = np.empty((outputs.size, point.size))
    errors = np.empty_like(values)
    for k in range(outputs.size):
        component = (lambda c, k=k: np.asarray(func(c) if vector_input else func(*c), dtype=float)[k])
        values[k], errors[k] = gradient(component, point, vector_input=True, name=name)
    return values, errors


def _check_point(func: Callable, point: np.ndarray, vector_input: bool, name: str) -> None:
    try:
        value = func(point) if vector_input else func(*point)
    except TypeError as error:
        raise EvaluationError(f"{name} cannot be called with {point.size} argument(s): {error}") from None
    except Exception as error:
        raise EvaluationError(f"{name} raised {type(error).__name__} at {tuple(point)}: {error}") from None
    as_real(value, f"{name}{tuple(float(p) for p in point)}")
