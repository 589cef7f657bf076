"""How large exact numbers grow, estimated before they are built.

SymPy computes with exact integers and fractions: 2^(2·10⁹) is a 250 MB integer, x^(10⁶) at 1/3 a
fraction of two 477,000-digit integers, and one multiplication or gcd of such numbers is a single
call into C that no time limit can interrupt (and whose memory it cannot give back). So sizes are
estimated first, from the shape of the expression and the numbers in it: the parser refuses
constants (``expressions._check_tree``), and the commands refuse points (``refuse_huge_values``),
whose exact values would be too large, before anything is built.

A ``Size`` is an upper bound on the decimal digits of the exact numbers built for a part of an
expression, together with its approximate value where it is a number. At a point, the coordinates'
own digits count, per coordinate: a sum of powers of 1/3 has a common denominator 3^(largest power),
so a sum takes the largest degree in each coordinate, and a product adds them.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import sympy as sp

from .errors import EvaluationError

LOG10_2 = math.log10(2)
# Digits allowed in the exact value of a function or its derivatives at a point (with its neighbours,
# below). A gcd of two 100,000-digit integers, one C call, takes half a second.
MAX_VALUE_DIGITS = 100_000
# Extra digits per power of a coordinate: the analysis also evaluates at nearby points (x ± 10⁻⁹·x,
# and x ± up to 10⁻¹² beside a switch such as |x|), whose exact fractions are this much longer.
NEIGHBOUR_DIGITS = 13


_NONE: dict = {}  # no coordinates (shared, never changed: every operation builds a new dict)


class Size(NamedTuple):
    """Digits of the exact numbers in a part of an expression, and its value if it is a number."""

    const: float = 0.0  # digits coming from the constants (and, at a point, besides the coordinates')
    degrees: dict = _NONE  # coordinate -> its power in this part
    peak: float = 0.0  # the most digits of any number built on the way (any part below this one)
    number: bool = True  # no variable left: a number, whose value follows
    value: float = math.nan  # as a float (±inf beyond a float's range, nan if not estimated)
    log: float = math.nan  # log10 of its absolute value (-inf for 0, nan if not estimated)
    integer: bool = False  # known to be an integer
    logs: bool = False  # contains a logarithm (exp(k·log 2) is evaluated: 2^k)
    chain: float = 0.0  # for a part with variables: the product of the exponents over them, (x^a)^b: a·b


_VARIABLE = Size(number=False, chain=1.0)


def rational(p: int, q: int = 1) -> Size:
    digits = math.log10(max(abs(p), q, 1))  # math.log10 takes integers of any size
    log = -math.inf if p == 0 else math.log10(abs(p)) - math.log10(q)
    try:
        value = p / q
    except OverflowError:
        value = math.copysign(math.inf, p)
    return Size(const=digits, peak=digits, value=value, log=log, integer=q == 1)


def number(value: float, digits: float = 0.0) -> Size:
    """An inexact or symbolic number (a float, π, e) with ``digits`` of its own."""
    return Size(const=digits, peak=digits, value=value, log=_log_of(value))


def variable() -> Size:
    """A variable left as it is (no value substituted)."""
    return _VARIABLE


def coordinate(symbol, value: Size) -> Size:
    """A variable with an exact value (of size ``value``), at a point: its digits count per coordinate."""
    return value._replace(const=0.0, peak=0.0, degrees={symbol: 1.0}, chain=0.0)


def add(*parts: Size, estimate: Estimate | None = None) -> Size:
    """A sum: fractions over a common denominator, the largest power of each coordinate."""
    values = [p.value for p in parts]
    if all(math.isfinite(v) for v in values):
        value = math.fsum(values)
        log = _log_of(value)
    elif any(math.isnan(v) for v in values):
        value = log = math.nan
    else:
        value, log = sum(values), max(p.log for p in parts) + math.log10(len(parts))
    return _combined(parts, estimate, _max_degrees(p.degrees for p in parts),
                     math.log10(len(parts)) if len(parts) > 1 else 0.0, value, log, all(p.integer for p in parts))


def mul(*parts: Size, estimate: Estimate | None = None) -> Size:
    """A product: the digits, and the powers of each coordinate, add up."""
    if any(p.value == 0 for p in parts):
        value, log = 0.0, -math.inf
    else:
        log = math.fsum(p.log for p in parts) if not any(math.isinf(p.log) for p in parts) else \
            sum(p.log for p in parts)
        value = _from_log(math.prod(math.copysign(1.0, p.value) for p in parts), log)
    return _combined(parts, estimate, _sum_degrees(p.degrees for p in parts), 0.0, value, log,
                     all(p.integer for p in parts))


def invert(part: Size) -> Size:
    return part._replace(value=1 / part.value if part.value else math.nan, log=-part.log, integer=False)


def negate(part: Size) -> Size:
    return part._replace(value=-part.value)


def power(base: Size, exponent: Size, estimate: Estimate | None = None) -> Size:
    """base^exponent. A number to a rational power is computed exactly: its digits times the power."""
    k = abs(exponent.value) if exponent.number else math.nan
    if not base.number and exponent.number and not exponent.degrees and k == k:  # x^2: nothing computed
        const = base.const + exponent.const
        return Size(const, base.degrees, max(base.peak, exponent.peak, const), False, math.nan, math.nan, False,
                    base.logs, _times(k, base.chain))
    if not exponent.number or math.isnan(k):  # a variable exponent, or an unknown number: left as a power
        return _combined((base, exponent), estimate, _sum_degrees((base.degrees, exponent.degrees)), 0.0,
                         math.nan, math.nan, False, chain=max(base.chain, exponent.chain))
    if not base.number or base.integer and base.value in (0.0, 1.0, -1.0):  # nothing computed, or 0, ±1
        const, degrees = base.const, base.degrees
    else:
        const, degrees = _times(k, base.const), {s: _times(k, d) for s, d in base.degrees.items()}
    log = exponent.value * base.log if base.log != -math.inf else -math.inf
    value = _pow(base.value, exponent.value, log)
    return _combined((base, exponent), estimate, _sum_degrees((degrees, exponent.degrees)), const - base.const,
                     value, log, base.integer and exponent.integer and exponent.value >= 0,
                     chain=_times(k, base.chain) if not base.number else 0.0)


def function(name: str, *args: Size, estimate: Estimate | None = None) -> Size:
    """A function applied: its arguments' digits, plus what it computes exactly (the floor of a large
    number, the factorial or gamma of an integer, exp of a multiple of a logarithm, harmonic numbers)."""
    first = args[0] if args else Size()
    if len(args) == 1 and not first.number and name not in _GROWING:  # sin(x): nothing computed
        return first if name != "log" or first.logs else first._replace(logs=True)
    v = first.value
    extra, value, integer = 0.0, math.nan, False
    if name in ("floor", "ceiling"):
        extra = max(0.0, first.log) if first.number else 0.0
        value = float(math.floor(v) if name == "floor" else math.ceil(v)) if math.isfinite(v) else v
        integer = True
    elif name in ("factorial", "gamma", "polygamma", "harmonic", "zeta"):
        n = args[-1] if name == "polygamma" else first
        whole = _finite(n) and n.value > 0 and (n.value == int(n.value) or name == "gamma" and
                                                 2 * n.value == int(2 * n.value))
        if n.number and (whole or n.log > 15):  # exact: n! has log10(n!) digits, H_n about n
            m = n.value if _finite(n) else _from_log(1.0, n.log)
            extra = math.lgamma(m + 1) / math.log(10) if name in ("factorial", "gamma") else \
                m * (1 + max(0.0, first.value if name == "polygamma" and _finite(first) else 0.0))
        if name in ("factorial", "gamma") and n.number:
            value = _call(math.gamma, v + 1 if name == "factorial" else v)
            integer = name == "factorial" and whole
    elif name == "exp":
        value = _call(math.exp, v)
        if first.logs and first.number:  # exp(k·log 2) is 2^k, computed exactly
            extra = abs(v) / math.log(10) if not math.isnan(v) else math.inf
    elif name in ("Abs", "sign", "Max", "Min", "Heaviside"):
        values = [a.value for a in args]
        value = (abs(v) if name == "Abs" else math.copysign(1.0, v) if name == "sign" and v else
                 max(values) if name == "Max" else min(values) if name == "Min" else
                 0.0 if name == "sign" else 1.0 if v > 0 else 0.0 if v < 0 else 0.5)
        integer = all(a.integer for a in args) or name in ("sign", "Heaviside")
    else:
        value = _call(getattr(math, name, None), *(a.value for a in args))
    log = _log_of(value)
    if math.isinf(value) and name in ("factorial", "gamma") and extra:
        log = extra
    return _combined(args, estimate, _sum_degrees(a.degrees for a in args), extra, value, log, integer,
                     logs=name == "log")


class Estimate:
    """How the digits of a part are counted: its constants' digits, plus its degree in each coordinate
    times that coordinate's digits (with ``NEIGHBOUR_DIGITS``), at a point."""

    def __init__(self, heights: dict | None = None):
        self.heights = heights or {}

    def coordinate_digits(self, degrees: dict) -> float:
        return sum(d * self.heights.get(s, 0.0) for s, d in degrees.items())


def _combined(parts, estimate: Estimate | None, degrees: dict, extra: float, value: float, log: float,
              integer: bool, chain: float | None = None, logs: bool = False) -> Size:
    """The size of a part made of ``parts``: their constants' digits and ``extra`` ones, ``degrees``."""
    const, peak, numbers, top_chain = extra, 0.0, True, 0.0
    for part in parts:
        const += part.const
        peak = part.peak if part.peak > peak else peak
        numbers = numbers and part.number
        logs = logs or part.logs
        top_chain = part.chain if part.chain > top_chain else top_chain
    own = const + estimate.coordinate_digits(degrees) if degrees and estimate is not None else const
    if not numbers:
        value = log = math.nan
    return Size(const, degrees, own if own > peak else peak, numbers, value, log, integer and numbers, logs,
                top_chain if chain is None else chain)


def _times(k: float, digits: float) -> float:
    """k × digits, where an infinite power of nothing is nothing (π^(10^400): no digits computed)."""
    return 0.0 if digits == 0 else k * digits


def _finite(part: Size) -> bool:
    return part.number and math.isfinite(part.value)


def _log_of(value: float) -> float:
    if math.isnan(value):
        return math.nan
    return -math.inf if value == 0 else math.inf if math.isinf(value) else math.log10(abs(value))


def _sum_degrees(all_degrees) -> dict:
    total: dict = {}
    for degrees in all_degrees:
        for s, d in degrees.items():
            total[s] = total.get(s, 0.0) + d
    return total or _NONE


def _max_degrees(all_degrees) -> dict:
    top: dict = {}
    for degrees in all_degrees:
        for s, d in degrees.items():
            top[s] = max(top.get(s, 0.0), d)
    return top or _NONE


def _from_log(sign: float, log: float) -> float:
    if math.isnan(log):
        return math.nan
    return sign * 10.0 ** log if log < 308 else sign * math.inf


def _pow(base: float, exponent: float, log: float) -> float:
    try:
        return math.pow(base, exponent)
    except (OverflowError, ValueError, ZeroDivisionError):
        return math.copysign(math.inf, base) if log > 0 else 0.0 if log < 0 else math.nan


def _call(func, *values) -> float:
    if func is None:
        return math.nan
    try:
        return float(func(*values))
    except OverflowError:
        return math.inf
    except (ValueError, TypeError, ZeroDivisionError):
        return math.nan


# Functions that compute a number of their own from a number (floor(2^1000.5), 20!, exp(1000·log 2)).
_GROWING = frozenset({"floor", "ceiling", "factorial", "gamma", "polygamma", "harmonic", "zeta", "exp"})
# SymPy's classes, by the name ``function`` knows them
_NAMED = {sp.floor: "floor", sp.ceiling: "ceiling", sp.factorial: "factorial", sp.gamma: "gamma",
          sp.polygamma: "polygamma", sp.harmonic: "harmonic", sp.zeta: "zeta", sp.loggamma: "loggamma",
          sp.exp: "exp", sp.log: "log", sp.Abs: "Abs", sp.sign: "sign", sp.Max: "Max", sp.Min: "Min",
          sp.Heaviside: "Heaviside", sp.sin: "sin", sp.cos: "cos", sp.tan: "tan", sp.sinh: "sinh",
          sp.cosh: "cosh", sp.tanh: "tanh", sp.asin: "asin", sp.acos: "acos", sp.atan: "atan",
          sp.asinh: "asinh", sp.acosh: "acosh", sp.atanh: "atanh", sp.erf: "erf"}


def of_expression(expr: sp.Basic, values: dict | None = None, estimate: Estimate | None = None) -> Size:
    """The size of a SymPy expression with ``values`` (symbol -> the ``Size`` of its number) substituted."""
    values = values or {}
    estimate = estimate or Estimate()
    seen: dict = {}

    def walk(e) -> Size:
        if e in seen:
            return seen[e]
        if e.is_Symbol:
            found = coordinate(e, values[e]) if e in values else variable()
        elif e.is_Rational:
            found = rational(int(e.p), int(e.q))
        elif e.is_Float:
            found = number(float(e), e._prec * LOG10_2)
        elif e.is_Number or e.is_NumberSymbol or isinstance(e, sp.core.numbers.ImaginaryUnit):
            found = number(_call(float, e) if e.is_extended_real else math.nan)
        elif e.is_Add:
            found = add(*(walk(a) for a in e.args), estimate=estimate)
        elif e.is_Mul:
            found = mul(*(walk(a) for a in e.args), estimate=estimate)
        elif e.is_Pow:
            found = power(walk(e.base), walk(e.exp), estimate=estimate)
        else:
            kind = next((name for cls, name in _NAMED.items() if isinstance(e, cls)), type(e).__name__)
            found = function(kind, *(walk(a) for a in e.args if isinstance(a, sp.Basic)), estimate=estimate)
        seen[e] = found
        return found

    return walk(expr)


def refuse_huge_values(exprs, substitutions: dict, where: str) -> None:
    """Refuse, before anything is built, to evaluate expressions at a point (``substitutions``: symbol
    -> number) where their exact values, or those beside it, would have too many digits."""
    values = {s: of_expression(sp.sympify(v)) for s, v in substitutions.items()}
    estimate = Estimate({s: size.peak + NEIGHBOUR_DIGITS for s, size in values.items()})
    for expr in exprs:
        if expr is None or not isinstance(expr, sp.Basic):
            continue
        digits = of_expression(expr, values, estimate).peak
        if digits > MAX_VALUE_DIGITS:
            raise EvaluationError(f"the exact values at {where} would have about {about(digits)} digits: too large "
                                  f"to compute (the limit is {MAX_VALUE_DIGITS:,})")


def refuse_huge_points(exprs, variables, points) -> None:
    """``refuse_huge_values`` at each of the points (coordinates, as written) of a function of ``variables``."""
    for point, texts in points:
        where = ", ".join(f"{v} = {t}" for v, t in zip(variables, texts))
        refuse_huge_values(exprs, dict(zip(variables, point)), where)


def about(digits: float) -> str:
    """A number of digits as a message says it: 456,574, or 10^9."""
    return f"{digits:,.0f}" if digits < 1e7 else f"10^{math.log10(digits):.0f}" if math.isfinite(digits) else "infinitely many"
