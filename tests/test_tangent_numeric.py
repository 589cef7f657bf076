"""Tangent lines, Taylor polynomials and tangent planes of expressions with --method numeric:
the numeric engine on the expression, agreeing with the symbolic answer within the stated error."""

import math

import pytest
import sympy as sp

from ipython_gradients import tangent


def agree(numeric_line, symbolic_line):
    assert numeric_line.kind == symbolic_line.kind
    assert len(numeric_line.errors) == len(numeric_line.coefficients) == len(symbolic_line.coefficients)
    for got, exact, error in zip(numeric_line.coefficients, symbolic_line.coefficients, numeric_line.errors):
        assert abs(float(got) - float(exact)) <= max(error, 1e-300) * 1.000001 + 1e-300
        assert error <= 1e-8 * max(1.0, abs(float(exact)))  # and the error is small where f is smooth


@pytest.mark.parametrize("cell, at, order", [
    ("x^2", "1", 1),
    ("x^3 - 2x", "-1.5", 1),
    ("sin(x)", "0.5", 2),
    ("exp(x)", "0", 3),
    ("log(x)", "2", 2),
    ("sqrt(1 + x^2)", "3", 2),
    ("x*abs(x)", "1", 1),  # not analytic: central differences, not the complex step
    ("atan(x)", "10", 1),
])
def test_lines_and_taylor_polynomials_agree_with_symbolic(cell, at, order):
    [numeric_line] = tangent(cell, at=at, order=order, method="numeric", plot=False).lines
    [symbolic_line] = tangent(cell, at=at, order=order, method="symbolic", plot=False).lines
    agree(numeric_line, symbolic_line)


@pytest.mark.parametrize("cell, at", [("x^2 + y^2", "1,2"), ("x*y + sin(y)", "0.5,-1"), ("exp(x - y)", "0,0"),
                                      ("sqrt(x^2 + y^2)", "3,4")])
def test_tangent_planes_agree_with_symbolic(cell, at):
    [numeric_line] = tangent(cell, at=at, method="numeric", plot=False).lines
    [symbolic_line] = tangent(cell, at=at, method="symbolic", plot=False).lines
    assert numeric_line.kind == "plane"
    agree(numeric_line, symbolic_line)


def test_special_points_numerically():
    corner, = tangent("abs(x)", at="0", method="numeric", plot=False).lines
    assert corner.kind == "none" and (corner.left, corner.right) == (pytest.approx(-1), pytest.approx(1))
    edge, = tangent("sqrt(x)", at="0", method="numeric", plot=False).lines
    assert edge.kind == "vertical"
    outside, = tangent("log(x)", at="-1", method="numeric", plot=False).lines
    assert outside.kind == "none"
    kinked_plane, = tangent("abs(x) + abs(y)", at="0,0", method="numeric", plot=False).lines
    assert kinked_plane.kind == "none"  # the average of the one-sided slopes is no tangent plane
    # f'' of x|x| jumps at 0: no Taylor polynomial of degree 2 there, only the tangent line y = 0
    no_taylor, = tangent("x*abs(x)", at="0", order=2, method="numeric", plot=False).lines
    assert no_taylor.kind == "none" and "order 2" in no_taylor.reason
    line, = tangent("x*abs(x)", at="0", method="numeric", plot=False).lines
    assert line.kind == "line" and abs(float(line.coefficients[1])) <= line.errors[1]


def test_the_text_states_the_error():
    r = tangent("sin(x)", at="0.5", order=2, method="numeric", plot=False)
    assert "(computed numerically: each coefficient within ±" in r.text()
    assert r"\pm" in r.latex() and "Taylor polynomial of degree 2" in r.text()
    assert "computed numerically" not in tangent("sin(x)", at="0.5", plot=False).text()


def test_the_magic_with_method_numeric(ip):
    r = ip.run_cell_magic("tangent", "--at 1 --method numeric --no-plot", "f(x) = x^2\ng(x) = sin(x)\n")
    f_line, g_line = r.lines
    assert f_line.slope == pytest.approx(2.0, abs=f_line.errors[1])
    assert g_line.slope == pytest.approx(math.cos(1.0), abs=g_line.errors[1])
    assert "y ≈ 2.000·x - 1.000" in r.text()
    assert "1.00000000" not in r.text()  # numeric coefficients are shown rounded, not to 15 noisy digits
    r = ip.run_cell_magic("tangent", "--at 0.5 --order 2 --method numeric --no-plot", "exp(x)\n")
    assert r.lines[0].kind == "taylor" and r.lines[0].coefficients[2] == pytest.approx(math.exp(0.5) / 2, rel=1e-12)
    r = ip.run_cell_magic("tangent", "--at 1,2 --method numeric --no-plot", "x^2 y\n")
    assert r.lines[0].kind == "plane" and r.lines[0].slopes == pytest.approx((4.0, 1.0), rel=1e-9)
    x = sp.Symbol("x")
    assert r.lines[0].polynomial.free_symbols <= {x, sp.Symbol("y")}


def test_untraceable_python_functions_get_a_numeric_tangent_with_its_error(ip):
    ip.run_cell("def wiggle(x):\n    return x**2 if x > 0 else -x**2\n")
    r = ip.run_cell_magic("tangent", "--at 1 --no-plot", "wiggle\n")
    assert r.lines[0].slope == pytest.approx(2.0, abs=max(r.lines[0].errors[1], 1e-9))
    assert "computed numerically" in r.text()
