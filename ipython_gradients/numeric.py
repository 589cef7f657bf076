"""Numeric work: sampling expressions for plots, and derivatives of black-box Python functions."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import numpy as np
import sympy as sp

from .errors import EvaluationError


def vectorised(expr: sp.Expr, variable: sp.Symbol) -> Callable[[np.ndarray], np.ndarray]:
    """A NumPy function of one array for ``expr``, falling back to mpmath point by point."""
    fast = sp.lambdify(variable, expr, modules="numpy")
    slow = None

    def evaluate(xs: np.ndarray) -> np.ndarray:
        nonlocal slow
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                ys = np.asarray(fast(xs), dtype=float)
                if ys.shape == xs.shape:
                    return ys
                if ys.ndim == 0:  # a constant
                    return np.full(xs.shape, float(ys))
            except (TypeError, ValueError, NameError, AttributeError, ZeroDivisionError, OverflowError):
                pass
            slow = slow or sp.lambdify(variable, expr, modules="mpmath")
            return np.array([_real_or_nan(slow, x) for x in xs], dtype=float)

    return evaluate


def _real_or_nan(func: Callable, x: float) -> float:
    try:
        value = complex(func(x))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, ArithmeticError):
        return math.nan
    return value.real if abs(value.imag) <= 1e-12 * max(1.0, abs(value.real)) else math.nan


def call_vectorised(func: Callable, xs: np.ndarray) -> np.ndarray:
    """Evaluate a user's function of one number on an array: at once if it accepts arrays."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ys = np.asarray(func(xs), dtype=float)
            if ys.shape == xs.shape:
                return ys
        except Exception:  # not written for arrays: go point by point below
            pass
        return np.array([_call_real(func, float(x)) for x in xs], dtype=float)


def _call_real(func: Callable, x: float) -> float:
    try:
        value = complex(func(x))
    except Exception:  # the user's function failing at one point leaves a gap in the curve
        return math.nan
    return value.real if value.imag == 0 else math.nan


def _checked_call(func: Callable, x: float, name: str) -> float:
    try:
        value = func(x)
    except Exception as error:
        raise EvaluationError(f"{name} raised {type(error).__name__} at x = {x:g}: {error}") from None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise EvaluationError(f"{name}({x:g}) returned {type(value).__name__}, not a number") from None


def finite_difference(func: Callable, x: float, order: int, name: str = "f") -> tuple[float, float]:
    """Central finite difference of ``order`` with Richardson extrapolation: (value, error estimate).

    Two step sizes h and h/2 give two estimates of error O(h²); their combination cancels the
    leading error term, and the difference between the two levels estimates what remains.
    """
    _checked_call(func, x, name)
    scale = max(1.0, abs(x))
    h = scale * np.finfo(float).eps ** (1.0 / (order + 3))
    estimates = [_central(func, x, order, h / 2 ** k, name) for k in range(3)]
    first = [(4 * estimates[k + 1] - estimates[k]) / 3 for k in range(2)]
    value = (16 * first[1] - first[0]) / 15
    error = abs(value - first[1]) + 1e-15 * max(1.0, abs(value))
    return value, error


def _central(func: Callable, x: float, order: int, h: float, name: str) -> float:
    """The n-th central difference (binomial stencil) divided by hⁿ."""
    total = 0.0
    for k in range(order + 1):
        offset = (order / 2 - k) * h
        total += (-1) ** k * math.comb(order, k) * _checked_call(func, x + offset, name)
    return total / h ** order
