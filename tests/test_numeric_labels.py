"""Numeric values and their words where f is not smooth: the error bounds the truth, and a
stationary point is called a minimum or maximum only when the numbers show it; jumps and cusps
are named, and points just beside a kink keep their value."""

import math

import numpy as np
import pytest

from ipython_gradients import deriv, numeric
from ipython_gradients.numeric import Evaluator, derivative_at

# f'' jumps at 0 (f' has a corner): Richardson in h² alone gave x|x| a slope of 2e-7 ± 8e-8 there.
KINKED_AT_ZERO = [
    # expression, a Python function, the words for the stationary point at 0
    ("x*abs(x)", lambda x: x * np.abs(x), "neither minimum nor maximum"),
    ("x^2*sign(x)", lambda x: x**2 * np.sign(x), "neither minimum nor maximum"),
    ("max(x,0)^2", lambda x: np.maximum(x, 0) ** 2, "local minimum, not strict"),
    ("max(x^3,0)", lambda x: np.maximum(x**3, 0), "local minimum, not strict"),
    ("max(x,0)^2 - x^4", lambda x: np.maximum(x, 0) ** 2 - x**4, "neither minimum nor maximum"),
    ("x*abs(x) + x^2", lambda x: x * np.abs(x) + x**2, "local minimum, not strict"),
]


@pytest.mark.parametrize("expression, func, kind", KINKED_AT_ZERO)
def test_a_jump_in_f2_gives_an_honest_zero_through_the_api(expression, func, kind):
    [p] = deriv(expression, at="0", method="numeric", plot=False).points
    assert p.status == "ok" and abs(p.value) <= p.error  # the truth, 0, is within the error
    assert p.meaning.startswith("stationary: " + kind)
    assert "increasing" not in p.meaning and "decreasing" not in p.meaning


@pytest.mark.parametrize("expression, func, kind", KINKED_AT_ZERO)
def test_a_jump_in_f2_of_a_black_box(expression, func, kind):
    found = derivative_at(Evaluator(func), 0.0)
    assert found.status == "ok" and abs(found.value) <= found.error
    [p] = deriv(func, at="0", method="numeric", plot=False).points
    assert p.status == "ok" and p.meaning.startswith("stationary: " + kind)


@pytest.mark.parametrize("func, x, exact", [
    (lambda x: x * np.abs(x), 0.0, 0.0),
    (lambda x: (x - 1) * np.abs(x - 1) + 3 * x, 1.0, 3.0),  # a jump of f'' away from 0, on a slope
    (lambda x: np.maximum(x, 0) ** 2, 0.0, 0.0),
    (lambda x: np.cbrt(x) ** 5, 0.0, 0.0),  # error like h^(2/3): no power of h² or h removes it
    (lambda x: np.cbrt(x) ** 7, 0.0, 0.0),
    (lambda x: np.sign(x) * np.abs(x) ** 1.5, 0.0, 0.0),
    (lambda x: np.where(x == 0, 0.0, x**2 * np.sin(1 / np.where(x == 0, 1.0, x))), 0.0, 0.0),  # oscillates
])
def test_the_error_estimate_covers_the_truth_where_richardson_assumptions_fail(func, x, exact):
    # real_only: no complex step, so the extrapolated differences alone decide
    found = derivative_at(Evaluator(lambda t: func(np.asarray(t, dtype=float))), x)
    assert found.status == "ok"
    assert abs(found.value - exact) <= found.error


@pytest.mark.parametrize("func, x, exact", [
    (np.exp, 1.0, math.e),
    (np.sin, 2.0, math.cos(2.0)),
    (lambda x: 1 / x, 0.1, -100.0),
    (np.log, 1e-3, 1e3),
    (np.tan, 1.5, 1 / math.cos(1.5) ** 2),
    (np.arctan, 10.0, 1 / 101),
    (lambda x: x**5 - 3 * x, 2.0, 77.0),
])
def test_smooth_functions_stay_accurate(func, x, exact):
    found = derivative_at(Evaluator(lambda t: func(np.asarray(t, dtype=float))), x)
    assert found.method == "central differences"
    assert abs(found.value - exact) <= 1e-9 * max(1.0, abs(exact))
    assert abs(found.value - exact) <= found.error <= 1e-7 * max(1.0, abs(exact))


@pytest.mark.parametrize("func, x, exact", [
    (np.sin, 0.5, -math.sin(0.5)),
    (np.exp, 1.0, math.e),
    (lambda x: 1 / x, 0.5, 16.0),
    (lambda x: np.maximum(x**3, 0), 0.0, 0.0),  # f''' jumps: the second difference has an h term
])
def test_second_derivatives(func, x, exact):
    found = derivative_at(Evaluator(lambda t: func(np.asarray(t, dtype=float))), x, 2)
    assert found.status == "ok" and abs(found.value - exact) <= found.error


@pytest.mark.parametrize("expression, at, kind", [
    ("x^2", "0", "local minimum"),
    ("cos(x)", "0", "local maximum"),
    ("x^3 - 3x", "1", "local minimum"),
    ("x^3 - 3x", "-1", "local maximum"),
    ("x^3", "0", "neither minimum nor maximum"),
    ("x^5", "0", "neither minimum nor maximum"),
    ("x^4", "0", "local minimum"),
    ("-x^4", "0", "local maximum"),
    ("abs(x)^3", "0", "local minimum"),
    ("(x-2)^4 + 5", "2", "local minimum"),
])
def test_smooth_stationary_points(expression, at, kind):
    [p] = deriv(expression, at=at, method="numeric", plot=False).points
    assert p.status == "ok" and abs(p.value) <= max(p.error, 1e-14)
    assert p.meaning.startswith("stationary: " + kind)
    [s] = deriv(expression, at=at, method="symbolic", plot=False).points
    assert kind in s.meaning or "stationary" in s.meaning


@pytest.mark.parametrize("expression, at, exact", [("x^2", "1", 2.0), ("sin(x)", "0", 1.0), ("exp(x)", "-1", math.exp(-1)),
                                                   ("x*abs(x)", "0.5", 1.0), ("max(x,0)^2", "1", 2.0),
                                                   ("x^2*sign(x)", "-1", 2.0)])
def test_non_stationary_points_keep_their_words(expression, at, exact):
    [p] = deriv(expression, at=at, method="numeric", plot=False).points
    assert p.meaning == "increasing"
    assert abs(p.value - exact) <= p.error


def test_a_corner_of_f_prime_has_no_second_derivative():
    for expression, left, right in (("x*abs(x)", -2, 2), ("max(x,0)^2", 0, 2)):
        [p] = deriv(expression, order=2, at="0", method="numeric", plot=False).points
        assert p.status == "not differentiable" and (p.left, p.right) == (pytest.approx(left), pytest.approx(right))


@pytest.mark.parametrize("expression, at, reason", [
    ("sign(x)", "0", "jump"), ("Heaviside(x)", "0", "jump"), ("floor(x)", "1", "jump"), ("cbrt(x^2)", "0", "cusp"),
])
def test_numeric_jumps_and_cusps(expression, at, reason):
    [p] = deriv(expression, at=at, method="numeric", plot=False).points
    assert p.status == "not differentiable" and p.reason.startswith(reason)


def test_numeric_smooth_points_near_a_kink():
    for at in ("1e-4", "1e-3"):
        assert deriv("abs(x)", at=at, method="numeric", plot=False).values[float(at)] == pytest.approx(1.0)


def test_flat_to_rounding_is_inconclusive_not_a_minimum():
    # exp(-1/x²) + 1 differs from 1 by less than rounding at every step sampled: no claim either way
    func = lambda x: np.exp(-1 / np.where(x == 0, 1.0, x) ** 2) * (x != 0) + 1.0  # noqa: E731
    [p] = deriv(func, at="0", method="numeric", plot=False).points
    assert p.status == "ok" and "inconclusive" in p.meaning


def test_the_magic_says_the_same(ip):
    text = ip.run_line_magic("deriv", "x*abs(x) --at 0 --method numeric --no-plot").text()
    assert "stationary: neither minimum nor maximum" in text and "increasing" not in text
    text = ip.run_line_magic("deriv", "max(x,0)^2 --at 0,1 --method numeric --no-plot").text()
    assert "stationary: local minimum, not strict" in text and "increasing" in text
    text = ip.run_line_magic("deriv", "x^2*sign(x) --at 0 --method numeric --no-plot").text()
    assert "stationary: neither minimum nor maximum" in text
    r = ip.run_line_magic("deriv", "max(x^3, 0) --at 0 --method numeric --no-plot")
    assert r.points[0].meaning.startswith("stationary: local minimum")
    r = ip.run_line_magic("deriv", "x^2 --at 0 --method numeric --no-plot")
    assert "stationary: local minimum" in r.text()


def test_plots_of_kinked_derivatives_are_finite():
    values, errors = numeric.derivative_many(Evaluator(lambda x: x * np.abs(x)), np.linspace(-1, 1, 41))
    assert np.allclose(values, 2 * np.abs(np.linspace(-1, 1, 41)), atol=1e-6)
    assert np.all(np.abs(values - 2 * np.abs(np.linspace(-1, 1, 41))) <= errors + 1e-12)


def test_outside_the_domain_is_a_per_point_answer_not_a_failure():
    r = deriv("log(x)", at="-1,1", method="numeric", plot=False)
    outside, inside = r.points
    assert outside.status == "undefined" and outside.reason == "outside the domain of f"
    assert inside.status == "ok" and inside.value == pytest.approx(1.0)
