"""%grad through a real IPython shell (and grad() for the status of a descent): gradients, Hessians,
Jacobians, critical points, descent, plots, and bad input."""

import math

import numpy as np
import pytest
import sympy as sp
from conftest import user_names
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

from ipython_gradients import grad
from ipython_gradients.results import GradientResult

x, y = sp.symbols("x y")  # results hold plain symbols, as the user writes them


def test_gradient_hessian_and_values_shown_as_math_then_figure(ip):
    with capture_output() as captured:
        ip.run_cell("%grad x**2 + y**2 --at 1,2 --hessian")
    math_output, figure = captured.outputs
    latex = math_output.data["text/latex"]
    assert (r"\nabla f(x, y) = \begin{bmatrix}\frac{\partial f}{\partial x} \\ \frac{\partial f}{\partial y}"
            r"\end{bmatrix} = \left[\begin{matrix}2 x\\2 y\end{matrix}\right]") in latex
    assert r"\nabla f(1, 2) &= (2.000, 4.000)" in latex and r"\|\nabla f\| = 4.472" in latex
    text = math_output.data["text/plain"]
    assert "steepest ascent along (0.447, 0.894)" in text
    assert "H_f(1, 2) = [[2.000, 0.000], [0.000, 2.000]]   eigenvalues (2.000, 2.000): positive definite" in text
    assert figure.data["image/png"][:4] == b"\x89PNG"


def test_the_result_object(ip):
    ip.run_cell("r = %grad x^2 y --at 1,2 --hessian --critical --descent --from 1,1 --steps 5")
    r = ip.user_ns["r"]
    assert isinstance(r, GradientResult)
    assert r.expr == x**2 * y and r.variables == (x, y)
    assert r.gradient == sp.Matrix([2 * x * y, x**2])
    assert r.hessian == sp.Matrix([[2 * y, 2 * x], [2 * x, 0]])
    assert r.values == {(1.0, 2.0): sp.Matrix([4.0, 1.0])}
    assert r.jacobian is None and r.path.shape == (6, 2)
    assert r.critical_points == []  # x² y = 0 along the whole line x = 0: a set, not points
    assert "Also whole sets of critical points where x = 0" in r.text()
    assert r.figure is not None


def test_directional_derivative(ip):
    r = ip.run_line_magic("grad", "x^2 + x y --dir 1,1 --at 1,1 --no-plot")
    assert r.directional == sp.sqrt(2) * (3 * x + y) / 2
    assert r.points[0].directional == pytest.approx(4 / math.sqrt(2))
    assert "D_u f(1, 1) = 2.828" in r.text()


@pytest.mark.parametrize("expression, expected", [
    ("x^3 - 3x + y^2", [((-1.0, 0.0), "saddle point"), ((1.0, 0.0), "local minimum")]),
    ("-(x^2 + y^2)", [((0.0, 0.0), "local maximum")]),
    ("x^4 + y^4", [((0.0, 0.0), "degenerate (test inconclusive); local minimum: f(p + h) > f(p) for every h ≠ 0 "
                                 "(proved with SymPy)")]),
])
def test_critical_points_solved_exactly_and_classified(ip, expression, expected):
    r = ip.run_line_magic("grad", f"{expression} --critical --no-plot")
    assert r.critical_points == expected and "solved exactly" in r.critical_note


def test_critical_points_found_numerically_when_sympy_cannot_solve(ip):
    r = ip.run_line_magic("grad", "x^4/4 - x + sin(x) + y^2 --critical --range -3,3 --no-plot")
    assert "found numerically" in r.critical_note
    assert len(r.critical_points) == 2  # x = 0 and the root of x³ = 1 - cos x near 0.9
    for (a, b), kind in r.critical_points:
        assert a**3 - 1 + math.cos(a) == pytest.approx(0, abs=1e-10) and b == 0
    degenerate, minimum = [kind for _, kind in r.critical_points]
    assert minimum == "local minimum"  # x = 0: f(t, 0) − f(0, 0) = t⁴/4 − t + sin t ≈ −t³/6, not an extremum
    assert degenerate.startswith("degenerate (test inconclusive); not a local extremum")


def test_gradient_descent_converges_or_says_it_diverged(ip):
    r = ip.run_line_magic("grad", "x^2 + y^2 --descent --from 1,1 --rate 0.1 --steps 500 --no-plot")
    assert r.descent.status == "converged" and np.allclose(r.path[-1], 0, atol=1e-7)
    r = ip.run_line_magic("grad", "x^2 + y^2 --descent --from 1,1 --rate 1.5 --steps 100 --no-plot")
    assert r.descent.status == "diverged" and "rate 1.5 is too large" in r.text()
    r = ip.run_line_magic("grad", "x^2 + y^2 --descent --from 1,1 --rate 0.01 --steps 3 --no-plot")
    assert r.descent.status == "not converged" and len(r.path) == 4
    long = ip.run_line_magic("grad", "x^2 + y^2 --descent --at 1,1 --steps 40 --no-plot").text()
    table = long.split("       f\n")[1].splitlines()[:-1]  # a compact table for a long run
    assert [row.split()[0] for row in table] == ["0", "1", "2", "3", "4", "⋮", "36", "37", "38", "39", "40"]


def test_descent_status_is_truthful():
    assert grad("x^2+y^2", descent=True, start="1,1", rate=1e-9, plot=False).descent.status == "not converged"
    assert grad("1e-10*(x^2+y^2)", descent=True, start="1,1", plot=False).descent.status == "not converged"
    run = grad("sqrt(x)+y", descent=True, start="1,1", rate=1, plot=False).descent
    assert run.status == "diverged" and "left the domain" in run.message


def test_jacobian_of_a_vector_function(ip):
    r = ip.run_line_magic("grad", "[x y, x + y^2] --at 1,2")
    assert r.jacobian == sp.Matrix([[y, x], [1, 2 * y]])
    assert r.values == {(1.0, 2.0): sp.Matrix([[2.0, 1.0], [1.0, 4.0]])}
    assert r.figure is None and "vector functions are not plotted" in r.text()


def test_python_functions_of_several_variables_and_of_a_vector(ip):
    ip.run_cell("import numpy as np\n"
                "def rosen(v):\n    return np.sum(100*(v[1:]-v[:-1]**2)**2 + (1-v[:-1])**2)\n"
                "def bumpy(v):\n    return float(v[0]**2 + v[1]**2) if v[0] > -9 else 0.0\n"
                "def g(a, b):\n    return np.exp(a) * b\n")
    r = ip.run_line_magic("grad", "rosen --vars x,y --at 1,1 --hessian --no-plot")
    assert r.method == "symbolic" and [float(v) for v in r.values[(1.0, 1.0)]] == [0.0, 0.0]
    assert "traced" in r.text() and r.points[0].hessian == ((802.0, -400.0), (-400.0, 200.0))
    r = ip.run_line_magic("grad", "rosen --at 1,1,1 --no-plot")
    assert [v.name for v in r.variables] == ["v_1", "v_2", "v_3"]
    r = ip.run_line_magic("grad", "bumpy --at 1,2 --no-plot")
    assert r.method == "numeric" and np.allclose(r.points[0].gradient, [2, 4], rtol=1e-9)
    assert "could not be traced" in r.text()
    r = ip.run_line_magic("grad", "g --at 0,2 --no-plot")
    assert r.gradient == sp.Matrix([sp.exp(sp.Symbol("a")) * sp.Symbol("b"),
                                    sp.exp(sp.Symbol("a"))])


def test_plots_by_number_of_variables(ip):
    r = ip.run_line_magic("grad", "x^3 - 3x + y^2 --critical --at 0,1 --descent --from 1.5,1")
    axes = r.figure.axes[0]
    labels = [t.get_text() for t in axes.get_legend().get_texts()]
    assert {"saddle point", "local minimum", "gradient descent", "points (--at) with ∇f"} <= set(labels)
    assert axes.collections  # the filled contours and the arrows
    assert len(r.figure.axes) == 2  # with a colour bar
    one = ip.run_line_magic("grad", "x^2 --at 1")
    assert [t.get_text() for t in one.figure.axes[0].get_legend().get_texts()] == ["f(x)", "f′(x)"]
    three = ip.run_line_magic("grad", "x y z")
    assert three.figure is None and "f has 3 variables" in three.text()


@pytest.mark.parametrize("line, phrase", [
    ("x y --at 1,2,3", "has 3 coordinate(s); expected 2"),
    ("x y --dir 0,0", "--dir needs a direction of non-zero length"),
    ("x y --descent --from 1,1 --rate 0", "--rate must be a positive number"),
    ("x y --descent --from 1,1 --rate -1", "--rate must be a positive number"),
    ("x y --descent --from 1,1 --steps 0", "--steps must be a positive integer"),
    ("x y --descent --from 1,1 --steps 1.5", "invalid int value"),
    ("x y --descent", "--descent needs a start point"),
    ("x y --at a,1", "'a' is not a number"),
    ("x y --vars x,z", "--vars z: z does not appear in the expression"),
    ("[x y, x] --hessian", "need a scalar function"),
    ("5", "needs a function of at least one variable"),
])
def test_bad_input_is_one_clean_usage_error(ip, line, phrase):
    before = user_names(ip)
    with pytest.raises(UsageError) as caught:
        ip.run_line_magic("grad", line)
    assert type(caught.value) is UsageError and phrase in str(caught.value)
    assert user_names(ip) == before


def test_vector_functions_need_their_size_and_definitions_their_names(ip):
    ip.run_cell("import numpy as np\ndef rosen(v):\n    return np.sum(100*(v[1:]-v[:-1]**2)**2 + (1-v[:-1])**2)\n")
    with pytest.raises(UsageError, match="seems to take a vector: say how many coordinates with --vars"):
        ip.run_line_magic("grad", "rosen --critical")
    with pytest.raises(UsageError, match="'1' in 'F\\(1,y\\) = \\[y,y\\]' is not a variable name"):
        ip.run_line_magic("grad", "F(1,y) = [y,y]")


def test_private_names_are_refused_before_anything_is_called(ip):
    """%grad, like %deriv, never reaches names starting with '_' (private, and IPython's own)."""
    ip.run_cell("calls = []\ndef _f(v):\n    calls.append(v)\n    return v[0] * v[1]\n_hidden = lambda x, y: x * y\n")
    for name in ("_f", "_hidden"):
        with pytest.raises(UsageError, match="names starting with '_' are not allowed"):
            ip.run_line_magic("grad", f"{name} --at 1,2 --no-plot")
    assert ip.user_ns["calls"] == []


def test_a_vector_function_with_method_numeric_is_refused_not_silently_symbolic(ip):
    with pytest.raises(UsageError, match="--method numeric estimates the gradient of a scalar function"):
        ip.run_line_magic("grad", "[x y, x + y^2] --method numeric --at 1,2 --no-plot")
    ip.run_line_magic("config", "GradientMagics.backend = 'numeric'")
    try:
        result = ip.run_line_magic("grad", "[x y, x + y^2] --at 1,2 --no-plot")
    finally:
        ip.run_line_magic("config", "GradientMagics.backend = 'auto'")
    assert any("computed symbolically" in note for note in result.notes)
