"""Symbolic derivatives at points, without a shell."""

import math

import pytest
import sympy as sp

from ipython_gradients import calculus, deriv

x = sp.Symbol("x", real=True)


def at(f, point, order=1):
    d = sp.diff(f, x, order)
    return calculus.analyse_point(f, x, order, sp.sympify(point), d)


def test_smooth_values_and_meaning():
    assert at(x**2, sp.Rational(-1, 2)).value == -1.0
    assert at(x**2, sp.Rational(-1, 2)).meaning == "decreasing"
    assert at(x**2, 1).meaning == "increasing"


def test_exact_zero_tests_and_large_values():
    assert deriv("x^2", at="1e-20", plot=False).points[0].meaning == "increasing"
    assert deriv("x^3 - 1e-16 x", at="0", plot=False).points[0].meaning == "decreasing"
    [p] = deriv("exp(x)", at="800", plot=False).points
    assert p.status == "undefined" and "too large for floating point" in p.reason
    assert "constant" in deriv("5", at="1", plot=False).points[0].meaning


@pytest.mark.parametrize("f, kind", [
    (x**2, "local minimum"),
    (-x**2, "local maximum"),
    (x**4, "local minimum"),
    (-x**6, "local maximum"),
    (x**3, "neither minimum nor maximum"),
    (x**5, "neither minimum nor maximum"),
])
def test_stationary_points_are_classified_by_higher_derivatives(f, kind):
    result = at(f, 0)
    assert result.value == 0 and result.meaning.startswith("stationary") and kind in result.meaning


def test_abs_at_zero_is_a_corner_not_zero():
    # SymPy alone says d|x|/dx = sign(x) = 0 at 0, which is wrong
    result = at(sp.Abs(x), 0)
    assert result.status == "not differentiable"
    assert (result.left, result.right) == (-1.0, 1.0)
    assert result.meaning == "local minimum"


def test_kinks_elsewhere_and_smooth_points_of_non_smooth_functions():
    result = at(sp.Abs(x**2 - 1), 1)
    assert result.status == "not differentiable" and (result.left, result.right) == (-2.0, 2.0)
    assert at(sp.Abs(x), 2).value == 1.0
    assert at(sp.Max(x, 0), 0).status == "not differentiable"
    assert at(x * sp.Abs(x), 0).value == 0.0  # differentiable although Abs appears


def test_singularities_and_domain():
    assert at(1 / x, 0).status == "undefined"
    assert "singularity" in at(1 / x, 0).reason
    assert "outside the domain" in at(sp.log(x), -1).reason
    edge = at(sp.sqrt(x), 0)
    assert edge.status == "not differentiable" and edge.right == math.inf and edge.left is None


def test_domain_edges_even_where_the_derivative_is_finite():
    [p] = deriv("sqrt(x) x", at="0", plot=False).points
    assert (p.status, p.reason, p.left, p.right) == ("not differentiable", "edge of the domain", None, 0.0)


def test_python_float_points_are_kept_exactly():
    r = deriv("sin(x)", at=math.pi / 2, precision=8, plot=False)
    assert math.pi / 2 in r.values and r.values[math.pi / 2] == pytest.approx(math.cos(math.pi / 2))
    assert r.points[0].label == ("1.5707963267948966",)


def test_second_derivative_meaning():
    f = x**3 - 3 * x
    assert at(f, -1, order=2).meaning == "concave down"
    assert at(f, 1, order=2).meaning == "concave up"
    assert at(f, 0, order=2).meaning == "possible inflection point"


def test_classify_number():
    assert calculus.classify_number(sp.zoo) == ("undefined", None)
    assert calculus.classify_number(sp.I) == ("complex", None)
    assert calculus.classify_number(-sp.oo) == ("infinite", -math.inf)
    assert calculus.classify_number(-sp.oo * (-1)**sp.Rational(1, 3)) == ("complex", None)
    assert calculus.classify_number(sp.pi) == ("real", math.pi)


def test_signs_of_hidden_zeros_and_near_misses_are_exact():
    """A number that is zero to 60 digits is proved zero by SymPy (within a time limit), not assumed;
    one that is merely tiny keeps its sign."""
    hidden_zero = sp.cos(sp.pi / 7) + sp.cos(3 * sp.pi / 7) + sp.cos(5 * sp.pi / 7) - sp.Rational(1, 2)
    assert hidden_zero.is_zero is None  # SymPy's assumptions alone cannot tell
    assert calculus.sign_of(hidden_zero) == 0
    assert calculus.sign_of(sp.exp(sp.pi * sp.sqrt(163)) - 640320**3 - 744) == -1  # -7.5e-13
