"""Implicit differentiation (--implicit y): dy/dx and higher derivatives along a curve, at points on it."""

import math

import pytest
import sympy as sp
from IPython.core.error import UsageError

from ipython_gradients import deriv
from ipython_gradients.errors import GradientError

x, y = sp.symbols("x y")

# Textbook curves: the equation, the order, the point, the derivative's formula, its value there.
TEXTBOOK = [
    ("x^2 + y^2 = 25", 1, "3,4", -x / y, -0.75),
    ("x^3 + y^3 = 6 x y", 1, "3,3", (2 * y - x**2) / (y**2 - 2 * x), -1.0),  # the folium of Descartes
    ("x^2/4 + y^2/9 = 1", 1, "1,3 sqrt(3)/2", -9 * x / (4 * y), -math.sqrt(3) / 2),
    ("x y = 1", 1, "2,1/2", -y / x, -0.25),
    ("x^2 + x y + y^2 = 7", 1, "1,2", -(2 * x + y) / (x + 2 * y), -0.8),
    ("exp(y) = x", 1, "e,1", sp.exp(-y), 1 / math.e),
    ("sin(y) = x", 1, "0,0", 1 / sp.cos(y), 1.0),
    ("y^2 = x", 1, "4,2", 1 / (2 * y), 0.25),
    ("x^2 + y^2 = 25", 2, "3,4", -25 / y**3, -25 / 64),
    ("x^3 + y^3 = 6 x y", 2, "3,3", None, -16 / 3),
    ("x^2 + y^2 = 1", 3, "0.6,0.8", -3 * x / y**5, -3 * 0.6 / 0.8**5),
]


@pytest.mark.parametrize("equation, order, at, formula, value", TEXTBOOK, ids=[f"{c[0]} order {c[1]}" for c in TEXTBOOK])
def test_textbook_curves(equation, order, at, formula, value):
    result = deriv(equation, implicit="y", order=order, at=at, plot=False)
    if formula is not None:  # equal on the curve (the numerator may be reduced by its equation)
        F = result.expr  # lhs - rhs
        assert sp.simplify(F - (result.curve.lhs - result.curve.rhs)) == 0
        difference = sp.together(result.derivative - formula)
        numerator = sp.fraction(difference)[0]
        assert sp.simplify(numerator) == 0 or sp.reduced(sp.expand(numerator), [sp.expand(F)], x, y)[1] == 0
    (point,) = result.points
    assert point.status == "ok" and point.value == pytest.approx(value, rel=1e-12)


def test_the_output_names_the_curve_and_the_slope():
    result = deriv("x^2 + y^2 = 25", implicit="y", at="3,4", plot=False)
    text = result.text()
    assert "along the curve" in text and "dy/dx" in text and "y' at (3, 4) = -0.750" in text
    assert "y decreases as x increases along the curve" in text
    assert r"\frac{d y}{d x} = - \frac{x}{y}" in result.latex() and r"y'\text{ at }(3, 4)" in result.latex()
    assert result.derivative.free_symbols == {x, y}  # the user's plain symbols


def test_the_steps_name_the_chain_rule_on_y():
    result = deriv("x^2 + y^2 = 25", implicit="y", steps=True, plot=False)
    titles = [s.title for s in result.steps]
    assert titles == ["differentiate both sides", "the derivatives", "collect the y' terms", "solve for y'"]
    assert "chain rule" in result.steps[0].note and "2·y·y'" in result.steps[1].text


@pytest.mark.parametrize("equation, at, reason", [
    ("x^2 + y^2 = 25", "5,0", "vertical tangent"),
    ("x^3 + y^3 = 6 x y", "0,0", "singular point of the curve"),
    ("y^2 = x^3", "0,0", "singular point of the curve"),
])
def test_no_value_where_the_tangent_is_vertical_or_the_curve_singular(equation, at, reason):
    (point,) = deriv(equation, implicit="y", at=at, plot=False).points
    assert point.status == "not differentiable" and point.value is None and reason in point.reason


@pytest.mark.parametrize("line, phrase", [
    ("x^2 + y^2 = 25 --implicit y --at 3,1", r"the point \(3, 1\) is not on the curve: .* = -15 there, not 0"),
    ("x^2 + y^2 --implicit y", "needs an equation with one '='"),
    ("x^2 = 25 --implicit y", "y does not appear in the equation"),
    ("x y = a --implicit y", r"symbols besides x and y \(a\)"),
    ("x^2 + y^2 = 25 --implicit y,z", "one name"),
    ("x^2 + y^2 = 25 --implicit y --definition", "does not go with --definition"),
])
def test_refusals_are_one_line(ip, line, phrase):
    with pytest.raises(UsageError, match=phrase):
        ip.run_line_magic("deriv", line + " --no-plot")


def test_the_magic_and_other_names(ip):
    result = ip.run_line_magic("deriv", "u^2 + t^2 = 2 --implicit u --wrt t --at 1,1 --no-plot")
    assert result.points[0].value == pytest.approx(-1.0)
    with pytest.raises(GradientError, match="not on the curve"):
        deriv("x^2 + y^2 = 1", implicit="y", at="1,1")


def test_the_figure_draws_the_curve_and_the_tangents():
    result = deriv("x^2 + y^2 = 25", implicit="y", at="3,4;5,0")
    axes = result.figure.axes[0]
    labels = [t.get_text() for t in axes.get_legend().get_texts()]
    assert labels[1:] == ["tangent at (3, 4)", "tangent at (5, 0)"]
    tangent = next(line for line in axes.get_lines() if line.get_label() == "tangent at (3, 4)")
    (x0, x1), (y0, y1) = tangent.get_xdata(), tangent.get_ydata()
    assert (y1 - y0) / (x1 - x0) == pytest.approx(-0.75) and (x0 + x1) / 2 == pytest.approx(3)
    vertical = next(line for line in axes.get_lines() if line.get_label() == "tangent at (5, 0)")
    assert list(vertical.get_xdata()) == [5, 5]
    assert axes.collections  # the zero contour: the circle itself


def test_a_curve_without_real_points_has_no_figure_and_says_so():
    result = deriv("x^2 + y^2 = -1", implicit="y")
    assert not result.has_figure and result.notes == ["No plot: the curve has no real points in the range."]


@pytest.mark.parametrize("equation, at", [("y = abs(x)", "0,0"), ("y = max(x, 0)", "0,0"), ("y + abs(x) = 1", "0,1"),
                                          ("y^2 = abs(x) + 1", "0,1")])
def test_a_kink_of_f_gives_no_slope_never_a_convention(equation, at):
    """sign(0) = 0 and Heaviside(0) = 1/2 once came out as slopes 0 and 0.5 at corners."""
    (point,) = deriv(equation, implicit="y", at=at, plot=False).points
    assert point.status == "not differentiable" and point.value is None and "not smooth there" in point.reason


def test_points_are_given_in_the_order_of_the_names_whichever_is_the_function():
    """With --implicit x, (3, 4) is still x = 3, y = 4 (it was read as y = 3, x = 4)."""
    (point,) = deriv("x^2 + 2 y^2 = 41", implicit="x", wrt="y", at="3,4", plot=False).points
    assert point.value == pytest.approx(-8 / 3) and point.label == ("x = 3", "y = 4")


def test_a_repeated_factor_is_refused(ip):
    with pytest.raises(UsageError, match=r"the factor .* more than once"):
        ip.run_line_magic("deriv", "(y - x)^2 = 0 --implicit y --at 1,1 --no-plot")


def test_curves_with_corners_keep_one_formula_and_their_slopes_between_the_corners():
    result = deriv("abs(x) + abs(y) = 1", implicit="y", at="0.5,0.5", plot=False)
    assert not result.derivative.has(sp.Piecewise, sp.nan, sp.zoo)  # simplify's "0 for x = 0" is true nowhere on the curve
    assert "-1.000" in result.text()
    astroid = deriv("x^(2/3) + y^(2/3) = 4", implicit="y", plot=False)
    assert "for x = 0" not in astroid.text()


def test_a_superscript_on_the_left_makes_an_equation_not_a_function_named_y2():
    from ipython_gradients.errors import ExpressionError

    with pytest.raises(ExpressionError, match=r"for a curve's equation .*--implicit y"):
        deriv("y² = x³ - x", plot=False)  # NFKC would read it as y2(x) = x³ - x, silently
    result = deriv("y² = x³ - x", implicit="y", at="0,0", plot=False)
    assert sp.simplify(result.derivative - (3 * sp.Symbol("x") ** 2 - 1) / (2 * sp.Symbol("y"))) == 0


def test_a_point_is_on_the_curve_by_the_size_of_f_s_terms_not_by_an_absolute_tolerance():
    for equation, point in [("x^2 + y^2 = 1e-20", "0,0"), ("x y = 1e-30", "0,0"), ("x^2 + y^2 = 25", "3.000000001,4"),
                            ("1e-30 (x^2 + y^2) = 25e-30", "3,5")]:
        with pytest.raises(GradientError, match="is not on the curve"):
            deriv(equation, implicit="y", at=point, plot=False)
    assert "-0.750" in deriv("x^2 + y^2 = 1", implicit="y", at=[(0.6, 0.8)], plot=False).text()  # binary floats
    tiny = deriv("x^2 + y^2 = 1e-20", implicit="y", at="3e-10/sqrt(10), 1e-10/sqrt(10)", plot=False)
    assert "-3.000" in tiny.text()  # a point of the tiny circle is on it


def test_a_switch_the_gradient_does_not_feel_is_no_kink():
    from ipython_gradients import tangent

    assert "y' at (0, 0) = 0.000" in deriv("y = x abs(x)", implicit="y", at="0,0", plot=False).text()
    assert deriv("y = x abs(x)", rate="t", given="dx/dt = 1", at="x = 0", plot=False).value == 0
    assert "x = 0   vertical tangent" in tangent("y abs(y) = x", at="0,0", plot=False).text()
    assert "not differentiable" in deriv("abs(x) + abs(y) = 1", implicit="y", at="0,1", plot=False).text()
