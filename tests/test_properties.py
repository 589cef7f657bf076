"""Property-based tests over a grammar of expressions, and fuzzing of every magic.

CI runs a few hundred generated cases per property (the "ci" profile); a long soak runs tens of
thousands: ``HYPOTHESIS_PROFILE=soak .venv/bin/python -m pytest tests/test_properties.py``.
The four agreement properties take most of two minutes and are marked slow (left out of the fast
loop, ``pytest -m "not slow"``); the fuzzing of the magics takes a second and stays in it.
"""

import math
import os

import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, reject, settings
from hypothesis import strategies as st
from IPython.core.error import UsageError

from ipython_gradients import api
from ipython_gradients.errors import GradientError
from ipython_gradients.expressions import parse_expression
from ipython_gradients.steps import derivation

settings.register_profile("ci", max_examples=250, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                                 HealthCheck.filter_too_much])
settings.register_profile("soak", max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", 20_000)), deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                                 HealthCheck.filter_too_much])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

x, y = sp.symbols("x y", real=True)
UNARY = ["sin", "cos", "tan", "exp", "log", "sqrt", "atan", "asin", "sinh", "cosh", "tanh", "cbrt"]


def expressions(variables=("x",), depth: int = 3):
    """Polynomials, rational functions, trig, inverse trig, exp, log, variable powers, nested compositions."""
    leaves = st.one_of(st.sampled_from(list(variables)), st.integers(1, 9).map(str),
                       st.sampled_from(["1/2", "3/2", "pi"]))

    def extend(inner):
        return st.one_of(
            st.builds(lambda f, a: f"{f}({a})", st.sampled_from(UNARY), inner),
            st.builds(lambda a, b, op: f"({a}) {op} ({b})", inner, inner, st.sampled_from(["+", "-", "*", "/"])),
            st.builds(lambda a, n: f"({a})^{n}", inner, st.integers(2, 4)),
            st.builds(lambda a, b: f"({a})^({b})", inner, inner),  # variable exponents
        )

    return st.recursive(leaves, extend, max_leaves=depth * 2)


points = st.floats(0.15, 1.9, allow_nan=False).map(lambda v: round(v, 6))


def answered(function):
    """The API call, with examples that hit the time limit or a clean error set aside (not failures)."""

    def call(*args, **kwargs):
        try:
            return function(*args, timeout=20, plot=False, **kwargs)
        except GradientError:  # a clean refusal, or the time limit (TimeLimitExceeded)
            reject()

    return call


deriv, grad, tangent = answered(api.deriv), answered(api.grad), answered(api.tangent)


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-8 * max(1.0, abs(a), abs(b))


def defined(result, key) -> float | None:
    value = result.values.get(key)
    return value if value is not None and math.isfinite(value) and abs(value) < 1e8 else None


@pytest.mark.slow
@given(expressions(), points)
def test_symbolic_and_numeric_first_and_second_derivatives_agree(text, point):
    for order in (1, 2):
        symbolic = deriv(text, at=[point], order=order)
        value = defined(symbolic, point)
        assume(value is not None and symbolic.points[0].status == "ok")
        numeric = deriv(text, at=[point], order=order, method="numeric")
        other = defined(numeric, point)
        assume(other is not None)
        assert close(value, other), (text, point, order, value, other)


@pytest.mark.slow
@given(expressions(("x", "y"), depth=2).map(lambda e: f"({e}) + x*y/7"), points, points)  # both variables
def test_symbolic_and_numeric_gradients_agree(text, a, b):
    symbolic = grad(text, vars="x,y", at=[(a, b)])
    [p] = symbolic.points
    assume(p.gradient is not None and all(math.isfinite(g) and abs(g) < 1e6 for g in p.gradient))
    [q] = grad(text, vars="x,y", at=[(a, b)], method="numeric").points
    assume(q.gradient is not None)
    for exact, estimate, error in zip(p.gradient, q.gradient, q.errors):
        assert abs(exact - estimate) <= max(1e-8 * max(1.0, abs(exact)), 10 * error), (text, a, b, p, q)


@pytest.mark.slow
@given(expressions(depth=4))
def test_steps_always_end_equal_to_sympy(text):
    try:
        expr = parse_expression(text)
    except GradientError:  # refused input (too large, undefined): nothing to derive
        reject()
    steps, result = derivation(expr, x)  # raises if the assembled answer differs from SymPy's
    assert steps[-1].rule in ("result", "simplification") and result == sp.diff(expr, x)


@pytest.mark.slow
@given(expressions(), points)
def test_tangent_line_touches_the_function_and_has_the_derivatives_slope(text, point):
    [line] = tangent(text, at=[point]).lines
    assume(line.kind == "line")
    slope = defined(deriv(text, at=[point]), point)
    assume(slope is not None)
    f_at = float(parse_expression(text).subs(x, sp.Rational(point)).evalf(30))
    assert close(float(line.polynomial.subs(sp.Symbol("x"), sp.Rational(point))), f_at)  # results hold plain x
    assert close(line.slope, slope)


# --- fuzzing: random text as every magic's line and as a %%tangent body ------------------------

WEIRD = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.text(alphabet="()[]{}^*/+-,.=;:'\"\\$%!#@&|~x1e9 \t\n\x00\x07", max_size=80),
    st.lists(st.sampled_from(["x", "2", "²", "⁻¹", "ˣ", "√", "∛", "∜", "π", "ℯ", "·", "×", "÷", "−", "⁄", "|", "│",
                              "(", ")", " ", "sin", "ln", "log_2", "^", "d/dx", "∂/∂y", "f'", "at 1", "=", "∞"]),
             max_size=12).map("".join),  # textbook and Unicode notation (textbook.py)
    st.sampled_from(["__import__('os').system('echo hi')", "x" * 20_000, "9" * 5000, "(" * 300 + "x",
                     "lambda: 0", "[x for x in ()]", "open('/etc/passwd')", "1e999999 x", "x^-0", "x^(1/0)"]),
)


def run_magic(ip, kind: str, text: str):
    """Only a result or one UsageError may come out: anything else fails the test."""
    try:
        if kind == "tangent":
            result = ip.run_cell_magic("tangent", "--no-plot", text)
        else:
            result = ip.run_line_magic(kind, text + " --no-plot")
        if result is not None:
            result._repr_mimebundle_()
    except UsageError:
        pass


@given(WEIRD)
def test_fuzz_deriv(ip, text):
    run_magic(ip, "deriv", text)


@given(WEIRD)
def test_fuzz_grad(ip, text):
    run_magic(ip, "grad", text)


@given(WEIRD)
def test_fuzz_tangent(ip, text):
    run_magic(ip, "tangent", text)
