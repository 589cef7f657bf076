"""%%tangent on an equation in x and y: the implicit curve F(x, y) = 0 with its tangent (and normal) lines
at points on it, through the real shell magic, the API and the command line; vertical tangents,
singular points, points off the curve, the options a curve refuses, and the figure."""

import math
import subprocess
import sys
import time

import numpy as np
import pytest
import sympy as sp
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

from ipython_gradients import tangent
from ipython_gradients.__main__ import main
from ipython_gradients.results import TangentResult
from ipython_gradients.results.describe import describe

x, y = sp.symbols("x y")  # results hold plain symbols, as the user writes them
R = sp.Rational

# Textbook curves, each slope worked out by hand: y' = -F_x/F_y at the point.
#   circle: 2x + 2y y' = 0, y' = -x/y = -3/4 at (3, 4)
#   folium: 3x² + 3y² y' = 6y + 6x y', y' = (2y - x²)/(y² - 2x) = (6 - 9)/(9 - 6) = -1 at (3, 3)
#   2x + y + x y' + 2y y' = 0, y' = -(2x + y)/(x + 2y) = -4/5 at (1, 2)
#   hyperbola x² - y² = 1: y' = x/y = √2 at (√2, 1)
#   x y = 1: y + x y' = 0, y' = -y/x = -1 at (1, 1)
#   e^(xy) = e: e^(xy)(y + x y') = 0, y' = -y/x = -1 at (1, 1)
#   sin(x + y) = 1/2: cos(x + y)(1 + y') = 0, y' = -1 at (0, π/6)
#   x = y²: 1 = 2y y', y' = 1/(2y) = 1/4 at (4, 2)
#   x² + y² = 25 at (-5, 0)? vertical; at (0, 5): y' = 0, horizontal
TEXTBOOK = [
    ("x^2 + y^2 = 25", "3,4", R(-3, 4), 4 - R(3, 4) * (x - 3)),
    ("x^3 + y^3 = 6 x y", "3,3", -1, 6 - x),
    ("x^2 + x y + y^2 = 7", "1,2", R(-4, 5), R(14, 5) - R(4, 5) * x),
    ("x^2 - y^2 = 1", "sqrt(2), 1", sp.sqrt(2), sp.sqrt(2) * x - 1),
    ("x y = 1", "1,1", -1, 2 - x),
    ("e^(x y) = e", "1,1", -1, 2 - x),
    ("sin(x + y) = 1/2", "0, pi/6", -1, sp.pi / 6 - x),
    ("x = y^2", "4,2", R(1, 4), x / 4 + 1),
    ("x^2 + y^2 = 25", "0,5", 0, sp.Integer(5)),
]


@pytest.mark.parametrize("equation, at, slope, line", TEXTBOOK, ids=[f"{c[0]} at {c[1]}" for c in TEXTBOOK])
def test_textbook_tangent_lines_are_exact(equation, at, slope, line):
    result = tangent(equation, at=at, plot=False)
    [tangent_line] = result.lines
    assert tangent_line.kind == "line" and tangent_line.curve is not None
    assert sp.simplify(tangent_line.coefficients[1] - slope) == 0  # exact, not a float near it
    assert tangent_line.slope == pytest.approx(float(slope), abs=1e-15)
    assert sp.simplify(tangent_line.equation.rhs - line) == 0 and tangent_line.equation.lhs == y


def test_the_circle_through_the_real_magic_prints_the_lines_and_draws_the_figure(ip):
    with capture_output() as captured:
        ip.run_cell("%%tangent --at 3,4 --normal\nx^2 + y^2 = 25\n")
    math_output, figure = captured.outputs
    text = math_output.data["text/plain"]
    assert "the curve x² + y² = 25" in text and "tangent line at (x, y) = (3, 4):" in text
    assert "y = 4 - 3/4·(x - 3)" in text and "y = 25/4 - 3·x/4" in text
    assert "3·x + 4·y = 25" in text and "slope -0.750" in text and "normal: y = 4·x/3" in text
    assert r"\text{the curve } x^{2} + y^{2} = 25" in math_output.data["text/latex"]
    assert figure.data["image/png"][:4] == b"\x89PNG"
    result = ip.user_ns["_"]
    assert isinstance(result, TangentResult)
    [line] = result.lines
    assert line.equation == sp.Eq(y, R(25, 4) - R(3, 4) * x)
    assert line.implicit_equation == sp.Eq(3 * x + 4 * y, 25)
    assert line.normal_equation == sp.Eq(y, R(4, 3) * x)
    assert line.slope * float(line.normal_equation.rhs.coeff(x)) == pytest.approx(-1.0)  # perpendicular


def test_normals_are_perpendicular_and_horizontal_at_a_vertical_tangent():
    folium = tangent("x^3 + y^3 = 6 x y", at="3,3", normal=True, plot=False).lines[0]
    assert folium.normal_equation == sp.Eq(y, x)  # slope -1 and slope 1
    other = tangent("x^2 + x y + y^2 = 7", at="1,2", normal=True, plot=False).lines[0]
    assert other.slope * float(other.normal_equation.rhs.coeff(x)) == pytest.approx(-1.0)
    ellipse = tangent("x^2/4 + y^2 = 1", at="2,0", normal=True, plot=False).lines[0]
    assert ellipse.kind == "vertical" and ellipse.equation == sp.Eq(x, 2)
    assert ellipse.normal_equation == sp.Eq(y, 0)


def test_a_vertical_tangent_is_x_equals_a(ip):
    result = ip.run_cell_magic("tangent", "--at 2,0 --no-plot", "x^2/4 + y^2 = 1")
    [line] = result.lines
    assert line.kind == "vertical" and line.slope is None and line.equation == sp.Eq(x, 2)
    assert "x = 2   vertical tangent: ∂F/∂y = 0 there, ∂F/∂x ≠ 0" in result.text()
    assert r"x = 2 \quad \text{vertical tangent: dF/dy = 0 there, dF/dx != 0}" in result.latex()
    assert line.implicit_equation == sp.Eq(x, 2)  # ∇F = (1, 0) there: 1·x + 0·y = 2


@pytest.mark.parametrize("equation, words", [
    ("(x^2 + y^2)^2 = 2 (x^2 - y^2)", "crosses itself with 2 branches, tangent to y = -x and y = x"),
    ("x^3 + y^3 = 6 x y", "crosses itself with 2 branches, tangent to x = 0 and y = 0"),
    ("y^2 = x^3", "point along y = 0 (twice), so every branch through the point is tangent to that line"),
    ("x^2 + y^2 = 0", "isolated point of the curve"),
])
def test_singular_points_say_why_there_is_no_single_tangent_and_draw_none(equation, words):
    result = tangent(equation, at="0,0", normal=True)
    [line] = result.lines
    assert line.kind == "none" and line.equation is None and line.normal_equation is None
    assert words in line.reason and "∂F/∂x = ∂F/∂y = 0" in line.reason
    assert words in result.text() and "tangent line" in result.text()
    if result.figure is not None:  # the curve and the marked point, and no line at it
        labels = [t.get_text() for t in result.figure.axes[0].get_legend().get_texts()]
        assert labels == [line.name]


@pytest.mark.parametrize("cell, at, phrase", [
    ("x^2 + y^2 = 25", "3,5", r"the point \(3, 5\) is not on the curve: x² \+ y² - 25 = 9 there, not 0"),
    ("x^2 + y^2 = 25", "3", r"the point \(3\) has 1 coordinate\(s\); expected 2"),
    ("x^2 = 4", "2,0", "line 1: the equation x² = 4 has only x: a curve's equation has two variables"),
    ("x y = a", "1,1", r"3 symbols \(a, x, y\).*write numbers for the others"),
    ("xy = 1", "1,1", "gives the name xy a constant value; for a curve, write the product with a space"),
    ("(y - x)^2 = 0", "1,1", r"has the factor x - y more than once.*write it once \(x - y = 0\)"),
    ("x^2 + y^2 = 25\nf(x) = x^2", "3,4", "line 2: a cell holds either functions .* or curves"),
    ("x^2 + y^2 = 25", "x=7", "no point of the curve has x = 7"),
    ("sin(x + y) = 0", "x=0", r"cannot be listed \(infinitely many\)"),
    ("x^2 + y^2 = 25", "z=1", "z is not a variable of x² \\+ y² = 25"),
])
def test_bad_input_is_one_line(ip, cell, at, phrase):
    with pytest.raises(UsageError, match=phrase) as caught:
        ip.run_cell_magic("tangent", f"--at {at} --no-plot", cell)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("options, phrase", [
    ("--order 2", "--order 2: Taylor polynomials are for functions y = f\\(x\\)"),
    ("--secant 0.1", "--secant: secants are drawn for functions"),
    ("--delta 0.1", "--delta: the linear approximation"),
    ("--animate", "--animate: the secant animation is for functions"),
    ("--interactive", "--interactive: the sliders are for functions"),
    ("--method numeric", "--method numeric: the tangent of a curve F\\(x, y\\) = 0 is found symbolically"),
    ("--range 0,2", "the point \\(3, 4\\) is outside --range: x = 3 is not in 0,2"),
])
def test_options_that_make_no_sense_for_a_curve_are_refused(ip, options, phrase):
    with pytest.raises(UsageError, match=phrase):
        ip.run_cell_magic("tangent", f"--at 3,4 --no-plot {options}", "x^2 + y^2 = 25")


def test_functions_keep_their_meaning():
    assert tangent("y = x^2", at="3", plot=False).lines[0].curve is None  # y as a function of x
    assert tangent("f(x) = x^2", at="3", plot=False).lines[0].equation == sp.Eq(y, 6 * x - 9)
    assert tangent("z = x y", at="3,4", plot=False).lines[0].kind == "plane"
    curve = tangent("y = x^2 + y^3", at="0,0", plot=False).lines[0]  # y on both sides: a curve
    assert curve.curve is not None and curve.slope == 0.0
    elliptic = tangent("y² = x³ - x", at="0,0", plot=False).lines[0]  # y² is no name (NFKC would make it y2)
    assert elliptic.curve is not None and elliptic.kind == "vertical" and elliptic.equation == sp.Eq(x, 0)


def test_every_point_with_a_given_x_each_with_its_tangent():
    result = tangent("x^2 + y^2 = 25", at="x=3", plot=False)
    assert [(line.label, line.coefficients[1]) for line in result.lines] == [(("3", "-4"), R(3, 4)),
                                                                            (("3", "4"), R(-3, 4))]
    across = tangent("x^2/4 + y^2 = 1", at="y=0", plot=False).lines  # the two vertical tangents
    assert [(line.kind, line.label) for line in across] == [("vertical", ("-2", "0")), ("vertical", ("2", "0"))]
    folium = tangent("x^3 + y^3 = 6 x y", at="x=1", plot=False)  # a cubic in y: three real roots, numerically
    ys = [line.point[1] for line in folium.lines]
    assert len(ys) == 3 and all(abs(1 + t**3 - 6 * t) < 1e-12 for t in ys)
    for line in folium.lines:  # each slope is -F_x/F_y there
        a, b = line.point
        assert line.slope == pytest.approx(-(3 * a**2 - 6 * b) / (3 * b**2 - 6 * a), rel=1e-12)
    assert "found numerically" in folium.text() and "y ≈" in folium.text()


def test_a_point_on_one_of_two_curves_is_refused_for_the_other():
    both = tangent("x^2 + y^2 = 25\nx y = 12", at="3,4;4,3", plot=False)
    slopes = [(line.name, line.slope) for line in both.lines]
    assert slopes == [("x² + y² = 25", -0.75), ("x² + y² = 25", pytest.approx(-4 / 3)),
                      ("x·y = 12", pytest.approx(-4 / 3)), ("x·y = 12", -0.75)]
    with pytest.raises(Exception, match="not on the curve"):
        tangent("x^2 + y^2 = 25\nx y = 12", at="0,5", plot=False)


def test_the_figure_is_drawn_from_data_with_equal_axes_and_a_description():
    result = tangent("x^2 + y^2 = 25", at="3,4;x=0", normal=True)
    axes = result.figure.axes[0]
    assert axes.get_aspect() == 1.0  # normals look perpendicular
    labels = [t.get_text() for t in axes.get_legend().get_texts()]
    assert labels == ["x² + y² = 25", "tangent at (3, 4)", "normal at (3, 4)", "tangent at (0, −5)",
                      "normal at (0, −5)", "tangent at (0, 5)", "normal at (0, 5)"]
    tangent_segment = axes.get_lines()[0]  # the first segment drawn: the tangent at (3, 4)
    xs, ys = tangent_segment.get_data()
    assert np.allclose(3 * np.asarray(xs) + 4 * np.asarray(ys), 25)
    assert axes.get_xlim() == (-7.5, 7.5) and axes.get_ylim() == (-7.5, 7.5)
    words = describe(result, result.figure)
    assert words.startswith("The curve x² + y² = 25 on [−7.5, 7.5] × [−7.5, 7.5], equal scales; points (3, 4)")
    assert "(3, 4) (tangent slope -0.750, with its normal)" in words and "(0, 5) (tangent slope 0" in words


def test_the_command_line_in_process(capsys):
    assert main(["tangent", "x^2+y^2=25", "--at", "3,4", "--normal"]) == 0
    out = capsys.readouterr().out
    assert "y = 25/4 - 3·x/4" in out and "3·x + 4·y = 25" in out and "normal: y = 4·x/3" in out
    assert main(["tangent", "x^2+y^2=25", "--at", "3,5"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not on the curve" in err and "Traceback" not in err


@pytest.mark.external
def test_the_command_line_program():
    done = subprocess.run([sys.executable, "-m", "ipython_gradients", "tangent", "x^2+y^2=25", "--at", "3,4"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "y = 4 - 3/4·(x - 3)" in done.stdout


def test_curve_equations_given_as_sympy():
    result = tangent([sp.Eq(x**2 + y**2, 25)], at=[(3, 4)], plot=False)
    assert result.lines[0].equation == sp.Eq(y, R(25, 4) - R(3, 4) * x)
    assert math.isclose(result.lines[0].slope, -0.75)


def test_corners_of_the_curve_and_horizontal_tangents():
    diamond = tangent("|x| + |y| = 1", at="1,0;0.5,0.5", plot=False).lines  # sign(y) hides y′: −F_x/F_y
    assert diamond[0].kind == "none" and "F is not smooth there (|y| switches)" in diamond[0].reason
    assert diamond[1].kind == "line" and diamond[1].equation == sp.Eq(y, 1 - x)
    top = tangent("x^2 + y^2 = 25", at="0,5", normal=True, plot=False)
    assert top.lines[0].equation == sp.Eq(y, 5) and top.lines[0].normal_equation == sp.Eq(x, 0)
    assert "slope 0.000 (horizontal tangent)" in top.text() and "normal: x = 0" in top.text()


def test_a_slow_curve_stops_at_the_time_limit_with_one_line(ip):
    slow = "atan(sqrt(1+x^2)-x) log(1+exp(x))^3/(cosh(x)^4+sinh(x)^3) + y^3 = y"
    ip.run_line_magic("config", "GradientMagics.timeout = 0.5")
    started = time.perf_counter()
    with pytest.raises(UsageError, match="gave up after 0.5 s"):
        ip.run_cell_magic("tangent", "--at 0,0 --no-plot", slow)
    assert time.perf_counter() - started < 5


def test_named_coordinates_through_the_magic_line(ip):
    result = ip.run_cell_magic("tangent", "--at x=3;0,5 --no-plot", "x^2 + y^2 = 25")
    assert [line.label for line in result.lines] == [("3", "-4"), ("3", "4"), ("0", "5")]
    assert [line.slope for line in result.lines] == [0.75, -0.75, 0.0]


def test_points_with_a_given_x_stay_exact_where_the_roots_have_real_radicals():
    # the lemniscate at x = 1: y⁴ + 4y² − 1 = 0, y² = √5 − 2 (SymPy's real_roots gives CRootOf here)
    lines = tangent("(x^2 + y^2)^2 = 2 (x^2 - y^2)", at="x=1", plot=False).lines
    assert [sp.simplify(line.center[1] ** 2 - (sp.sqrt(5) - 2)) for line in lines] == [0, 0]
    assert not any(line.errors for line in lines) and lines[0].center[1] < 0 < lines[1].center[1]
    for line in lines:  # y' = -F_x/F_y = -x(x² + y² − 1)/(y(x² + y² + 1)) there
        a, b = line.point
        assert line.slope == pytest.approx(-a * (a * a + b * b - 1) / (b * (a * a + b * b + 1)), rel=1e-12)


def test_singular_points_with_one_branch_through_them_have_its_tangent():
    """∇F = 0, yet y³ = x³ is the line y = x and (y − x)³ = x⁴ the one branch y = x + x^(4/3): F's lowest-order
    terms have one real direction, and the curve leaves the point in two opposite directions."""
    from ipython_gradients import deriv, tangent

    for equation in ("y^3 = x^3", "(y - x)^3 = x^4"):
        text = tangent(equation, at="0,0", plot=False).text()
        assert "y = x" in text and "slope 1.000" in text and "no single tangent" not in text
    assert "y' at (0, 0) = 1.000" in deriv("y^3 = x^3", implicit="y", at="0,0", plot=False).text()
    assert "x = 0   vertical tangent" in tangent("x^3 = y^5", at="0,0", plot=False).text()


def test_no_claim_about_a_singular_point_that_the_analysis_cannot_make():
    from ipython_gradients import tangent

    # y² = x⁴ is two parabolas touching, y² + x⁴ = 0 a single point: the same lowest-order terms y²
    for equation in ("y^2 = x^4", "y^2 + x^4 = 0", "y^2 = x^3"):
        text = tangent(equation, at="0,0", plot=False).text()
        assert "a cusp, branches touching each other (y² = x⁴), or an isolated point" in text, text
    assert "isolated point of the curve" in tangent("y^2 = x^2 (x - 1)", at="0,0", plot=False).text()  # x² + y²: no line
    assert "crosses itself with 2 branches" in tangent("x^3 + y^3 = 6 x y", at="0,0", plot=False).text()


def test_points_whose_radicals_would_fill_a_screen_are_shown_rounded_and_quickly():
    import time

    from ipython_gradients import tangent

    start = time.perf_counter()
    text = tangent("x^4 + y^4 = 4 x y", at="x=1", plot=False).text()  # printing the quartic's radicals took 22 s
    assert time.perf_counter() - start < 5
    assert "(1, 0.250992)" in text and "(1, 1.49336)" in text and "no short closed form" in text


def test_a_coordinate_with_no_real_point_is_said_to_have_none():
    from ipython_gradients import tangent
    from ipython_gradients.errors import EvaluationError

    with pytest.raises(EvaluationError, match="^no point of the curve has x = -1$"):  # log(-1) is not real
        tangent("log(x) + log(y) = 0", at="x=-1", plot=False)
    assert "(2, 1/2)" in tangent("log(x) + log(y) = 0", at="x=2", plot=False).text()


def test_each_curve_of_a_cell_gets_its_own_points_with_a_given_x():
    from ipython_gradients import tangent
    from ipython_gradients.errors import EvaluationError

    text = tangent("x^2 + y^2 = 25\nx^2 + y^2 = 4", at="x=3", plot=False).text()  # the small circle has none
    assert "(3, 4)" in text and "(3, -4)" in text
    with pytest.raises(EvaluationError, match="no point of any curve of the cell has x=7"):
        tangent("x^2 + y^2 = 25\nx^2 + y^2 = 4", at="x=7", plot=False)
