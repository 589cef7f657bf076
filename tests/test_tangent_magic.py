"""%%tangent through a real IPython shell: equations, special points, secants, planes, the cell's value."""


import pytest
import sympy as sp
from conftest import user_names
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

from ipython_gradients import tangent
from ipython_gradients.results import TangentResult

x, y = sp.symbols("x y")  # results hold plain symbols, as the user writes them
Y = sp.Symbol("y")


def test_the_design_example_shows_math_then_figure_and_is_the_cells_value(ip):
    with capture_output() as captured:
        ip.run_cell("%%tangent --at -0.5,0.5 --range -1,1\nf(x) = x^2\ng(x) = sin(x)\n")
    math_output, figure = captured.outputs
    latex = math_output.data["text/latex"]
    assert r"\text{tangent line at } x = -0.5: & \quad y = \frac{1}{4} - \left(x + \frac{1}{2}\right)" in latex
    assert r"& \quad y = - x - \frac{1}{4}" in latex
    assert "y = 1/4 - (x + 1/2)" in math_output.data["text/plain"]
    assert "y ≈ 0.878·x - 0.041" in math_output.data["text/plain"]
    assert figure.data["image/png"][:4] == b"\x89PNG"
    result = ip.user_ns["_"]  # the cell's value: _ and Out[n]
    assert isinstance(result, TangentResult) and result is ip.user_ns["Out"][max(ip.user_ns["Out"])]
    assert [(line.name, line.point) for line in result.lines] == [("f", (-0.5,)), ("f", (0.5,)),
                                                                  ("g", (-0.5,)), ("g", (0.5,))]
    assert result.lines[0].slope == -1.0 and result.lines[0].equation == sp.Eq(Y, -x - sp.Rational(1, 4))
    labels = [t.get_text() for t in result.figure.axes[0].get_legend().get_texts()]
    assert labels == ["f(x)", "g(x)", "tangent to f at x = −0.5", "tangent to f at x = 0.5",
                      "tangent to g at x = −0.5", "tangent to g at x = 0.5"]  # the equations are above


def test_run_cell_magic_returns_the_result(ip):
    result = ip.run_cell_magic("tangent", "--at 1 --no-plot", "x^3\n# a comment\n\n")
    assert isinstance(result, TangentResult) and result.figure is None
    assert result.lines[0].equation == sp.Eq(Y, 3 * x - 2)


def test_vertical_kinks_domain_and_taylor(ip):
    r = tangent("cbrt(x)\nabs(x)\nlog(x)", at="0", plot=False)
    vertical, corner, undefined = r.lines
    assert vertical.kind == "vertical" and vertical.equation == sp.Eq(x, 0)
    assert corner.kind == "none" and (corner.left, corner.right) == (-1.0, 1.0)
    assert "no tangent" in r.text() and "one-sided slopes left -1.000, right 1.000" in r.text()
    assert undefined.kind == "none" and "not defined" in undefined.reason
    assert "outside the domain" in tangent("sqrt(x)", at="-1", plot=False).lines[0].reason
    taylor = tangent("exp(x)", at="0", order=3, plot=False).lines[0]
    assert taylor.kind == "taylor" and taylor.polynomial == 1 + x + x**2 / 2 + x**3 / 6
    assert "Taylor polynomial of degree 3" in tangent("exp(x)", at="0", order=3, plot=False).text()


def test_secants_normals_and_linear_approximation(ip):
    [line] = tangent("x^2", at="1", secant="0.5,0.1,0.01", normal=True, delta="0.1", plot=False).lines
    assert [round(s[2], 12) for s in line.secants] == [2.5, 2.1, 2.01]  # rise over run → f'(1) = 2
    assert line.normal_equation == sp.Eq(Y, sp.Rational(3, 2) - x / 2)
    [(dx, approximation, true, error)] = line.deltas
    assert (dx, approximation, true) == (0.1, 1.2, pytest.approx(1.21)) and error == pytest.approx(0.01)
    flat = tangent("x^2", at="0", normal=True, plot=False).lines[0]
    assert flat.normal_equation == sp.Eq(x, 0)  # the normal of a flat tangent is vertical


def test_tangent_plane_and_its_3d_plot(ip):
    r = ip.run_cell_magic("tangent", "--at 1,2", "f(x, y) = x^2 + y^2")
    [plane] = r.lines
    assert plane.kind == "plane" and plane.slopes == (2.0, 4.0)
    assert plane.equation == sp.Eq(sp.Symbol("z"), 2 * x + 4 * y - 5)
    assert "z = 5 + 2·(x - 1) + 4·(y - 2)" in r.text()
    assert r.figure.axes[0].name == "3d"


def test_python_functions_in_the_cell(ip):
    ip.run_cell("def step(x):\n    return x**2 if x > 0 else 0.0\n")
    [line] = ip.run_cell_magic("tangent", "--at 1 --no-plot", "step").lines
    assert line.slope == pytest.approx(2.0) and "numerically" in " ".join(
        ip.run_cell_magic("tangent", "--at 1 --no-plot", "step").notes)
    shown = ip.run_cell_magic("tangent", "--at 1 --no-plot", "step")  # no formula to show, and no "None"
    assert shown.text().startswith("step(x) (Python code, differentiated numerically)\n")
    assert "None" not in shown.text() + shown.latex()


@pytest.mark.parametrize("line, cell, phrase", [
    ("--at 0", "", "the cell body is empty"),  # IPython's own word for an empty cell magic
    ("--at 0", "# only a comment\n\n", "the cell is empty"),
    ("--at 0", "x^2\nsin(x\n", "line 2: unbalanced '('"),
    ("--at 0", "f(x, y, z) = x y z", "line 1: 'f(x, y, z) = x y z' has 3 variables"),
    ("--at 0 --order 0", "x^2", "--order must be a positive integer"),
    ("--at 0 --secant 0", "x^2", "--secant needs non-zero widths"),
    ("--at 3 --range -1,1", "x^2", "the point 3 is outside --range -1,1"),
    ("--at 0 --bogus", "x^2", "unrecognized arguments: --bogus"),
    ("--at a", "x^2", "'a' is not a number"),
])
def test_bad_input_is_one_clean_usage_error(ip, line, cell, phrase):
    before = user_names(ip)
    with pytest.raises(UsageError) as caught:
        ip.run_cell_magic("tangent", line, cell)
    assert type(caught.value) is UsageError and phrase in str(caught.value)
    assert user_names(ip) == before


def test_long_cells_name_every_unnamed_function():
    """f, g, h, p, q, r, s, u, then f9, f10, ...: as many functions as the cell holds, none named twice."""
    r = tangent("\n".join(f"x^{k}" for k in range(1, 12)), at="1", plot=False)
    assert [line.name for line in r.lines] == ["f", "g", "h", "p", "q", "r", "s", "u", "f9", "f10", "f11"]
    assert [line.slope for line in r.lines] == [float(k) for k in range(1, 12)]
    r = tangent("f9(x) = x\n" + "\n".join(f"x^{k}" for k in range(1, 10)), at="1", plot=False)
    names = [line.name for line in r.lines]
    assert len(set(names)) == 10 and names[0] == "f9" and names[-1] == "f10"


def test_legend_names_each_line_in_words_and_the_surface_panel_by_its_function():
    r = tangent("exp(x)", at="0, 1", order=3, normal=True, secant="0.5")
    labels = [t.get_text() for t in r.figure.axes[0].get_legend().get_texts()]
    assert labels == ["f(x)", "Taylor polynomial (degree 3) at x = 0", "normal at x = 0", "secant h = 0.5: slope 1.3",
                      "Taylor polynomial (degree 3) at x = 1", "normal at x = 1", "secant h = 0.5: slope 3.53"]
    vertical = tangent("cbrt(x)", at="0")
    assert [t.get_text() for t in vertical.figure.axes[0].get_legend().get_texts()] == ["f(x)", "vertical tangent at x = 0"]
    plane = tangent("x^2 + y^2", at="1,2")
    assert plane.figure.axes[0].get_title() == "f(x, y)"
    assert not any("$" in label for label in labels)  # plain text: no mathtext parsed on each render


def test_the_height_of_a_tangent_is_named_apart_from_the_functions_variables():
    from ipython_gradients import tangent

    line = tangent("f(y) = y^2", at="4", normal=True, plot=False)
    assert "z = 16 + 8·(y - 4)" in line.text() and "y = 16" not in line.text() and "normal: z = 33/2 - y/8" in line.text()
    plane = tangent("f(x, z) = x^2 + z^2", at="1,2", plot=False)
    assert "w = 2·x + 4·z - 5" in plane.text()
    assert "y = 2·x - 1" in tangent("f(x) = x^2", at="1", plot=False).text()


def test_an_option_value_may_be_written_with_spaces_around_its_equals_sign(ip):
    result = ip.run_cell_magic("tangent", "--at x = 3 --no-plot", "x^2 + y^2 = 25")
    assert "3·x + 4·y = 25" in result.text() and "3·x - 4·y = 25" in result.text()
