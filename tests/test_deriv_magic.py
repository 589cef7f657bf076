"""%deriv through a real IPython shell: outputs, results (of unusual functions too), and every bad input."""

import gc
import re
import time

import pytest
import sympy as sp
from conftest import only_new_objects_tracked, user_names
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output
from matplotlib.figure import Figure

from ipython_gradients.errors import OptionError
from ipython_gradients.results import DerivativeResult


def run(ip, cell):
    """Run a cell as a user would and return what it displayed and printed."""
    with capture_output() as captured:
        ip.run_cell(cell)
    return captured


def test_the_tutorial_worked_example(ip):
    captured = run(ip, "%deriv x**2 --at -0.5,0.5,0.0")
    math, figure = captured.outputs  # math first, then the figure as its own output
    latex = math.data["text/latex"]
    assert latex.startswith("$$") and r"\frac{d}{d x} \left(x^{2}\right) = 2 x" in latex
    assert r"f'(-0.5) &= -1.000" in latex and r"f'(0.5) &= 1.000" in latex and r"f'(0.0) &= 0.000" in latex
    text = math.data["text/plain"]
    assert "2⋅x" in text
    assert "f'(-0.5) = -1.000   decreasing" in text
    assert "f'(0.5)  =  1.000   increasing" in text
    assert "f'(0.0)  =  0.000   stationary: local minimum" in text
    assert set(figure.data) == {"image/png", "text/plain"}  # the image, with its description
    assert figure.data["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
    description = ("Graph of f(x) = x² and f′(x) = 2·x on [−1, 1]; marked points at x = -0.5 (decreasing), "
                   "x = 0.5 (increasing), x = 0.0 (stationary: local minimum).")
    assert figure.data["text/plain"] == description  # what a text-only frontend shows instead
    assert "Traceback" not in captured.stderr


def test_assignment_captures_the_result_without_showing_it(ip):
    captured = run(ip, "r = %deriv x**2 --at -0.5,0.5,0.0")
    assert captured.outputs == [] and captured.stdout == ""
    r = ip.user_ns["r"]
    x = sp.Symbol("x")
    assert isinstance(r, DerivativeResult)
    assert (r.expr, r.variable, r.order, r.derivative) == (x**2, x, 1, 2 * x)
    assert r.values == {-0.5: -1.0, 0.5: 1.0, 0.0: 0.0}
    assert isinstance(r.figure, Figure)
    again = run(ip, "r")  # displaying it later shows it again
    assert [set(o.data) for o in again.outputs] == [{"text/plain", "text/latex"}, {"image/png", "text/plain"}]


def test_no_plot_and_the_plot_trait(ip):
    assert [set(o.data) for o in run(ip, "%deriv sin(x) --no-plot").outputs] == [{"text/plain", "text/latex"}]
    ip.run_line_magic("config", "GradientMagics.plot = False")
    assert ip.run_line_magic("deriv", "sin(x)").figure is None
    assert ip.run_line_magic("deriv", "sin(x) --plot").figure is not None


def test_several_variables_partial_and_mixed(ip):
    r = ip.run_line_magic("deriv", "x^2 y + sin(x y) --at 1,0 --no-plot")
    x, y = sp.symbols("x y")
    assert r.derivative == 2 * x * y + y * sp.cos(x * y)
    assert r.values == {(1.0, 0.0): 0.0}
    assert r"\frac{\partial}{\partial x}" in r.latex() and "f_x(1, 0)" in r.text()
    mixed = ip.run_line_magic("deriv", "x^2 y + sin(x y) --wrt x,y --no-plot")
    assert mixed.variables == (x, y) and mixed.variable is None and mixed.order == 2
    assert sp.simplify(mixed.derivative - (2 * x - x * y * sp.sin(x * y) + sp.cos(x * y))) == 0
    assert r"\frac{\partial^{2}}{\partial y\,\partial x}" in mixed.latex()
    assert ip.run_line_magic("deriv", "x y --wrt y --no-plot").derivative == x


def test_higher_orders_and_definition_form(ip):
    r = ip.run_line_magic("deriv", "f(x) = x^3 - 3x --at -1,0,1 --order 2 --no-plot")
    assert r.name == "f" and r.order == 2 and r.derivative == 6 * sp.Symbol("x")
    assert r.values == {-1.0: -6.0, 0.0: 0.0, 1.0: 6.0}
    assert r"\frac{d^{2} f}{d x^{2}} = 6 x" in r.latex()
    assert "f''(-1) = -6.000   concave down" in r.text()


def test_prime_notation(ip):
    ip.run_line_magic("config", "GradientMagics.notation = 'prime'")
    r = ip.run_line_magic("deriv", "g(t) = t^4 --order 4 --no-plot")
    assert r.latex().startswith("$$g^{(4)}(t) = 24$$")
    assert r.text() == "g⁽⁴⁾(t) = 24"  # as the README writes f⁽⁴⁾(x)


def test_points_where_the_derivative_fails(ip):
    r = ip.run_line_magic("deriv", "abs(x) --at 0,1 --no-plot")
    assert r.values == {0.0: None, 1.0: 1.0}
    assert "f'(0)   not differentiable (corner): left -1.000, right 1.000; local minimum" in r.text()
    r = ip.run_line_magic("deriv", "1/x --at 0,2 --no-plot")
    assert r.values[0.0] is None and "undefined: f is not defined there (singularity)" in r.text()
    assert "zoo" not in r.text() and "zoo" not in r.latex()
    r = ip.run_line_magic("deriv", "log(x) --at -1 --no-plot")
    assert "outside the domain" in r.text()


def test_precision_trait(ip):
    ip.run_line_magic("config", "GradientMagics.precision = 6")
    assert "f'(1) = 0.540302" in ip.run_line_magic("deriv", "sin(x) --at 1 --no-plot").text()


def test_exact_points_and_latex(ip):
    r = ip.run_line_magic("deriv", "sin(x) --at pi/3 --no-plot")
    [(point, value)] = r.values.items()
    assert point == pytest.approx(1.0471975511965976) and value == pytest.approx(0.5)
    assert r"f'\left(\frac{\pi}{3}\right) &= 0.500" in r.latex()


def test_namespace_expressions_functions_and_var_expansion(ip):
    t = sp.Symbol("t")
    ip.user_ns.update(expr=t**3, n=4)
    assert ip.run_line_magic("deriv", "expr --no-plot").derivative == 3 * t**2
    ip.run_cell("%deriv x^{n} --no-plot")
    assert ip.user_ns["_"].derivative == 4 * sp.Symbol("x")**3
    ip.run_cell("def objective(x):\n    return x**2.0\n")
    r = ip.run_line_magic("deriv", "objective --at 1 --no-plot")
    assert r.method == "symbolic" and r.derivative == 2 * sp.Symbol("x")
    assert "traced" in r.text()


def test_untraceable_functions_go_numeric_with_a_note(ip):
    ip.run_cell("def relu(x):\n    return x if x > 0 else 0.0\n")
    r = ip.run_line_magic("deriv", "relu --at 2,-1")
    assert r.method == "numeric" and r.derivative is None
    assert r.values[2.0] == pytest.approx(1.0, abs=1e-8) and r.values[-1.0] == pytest.approx(0.0, abs=1e-8)
    assert "differentiated numerically" in r.text() and r.figure is not None


def test_figure_covers_the_points_and_names_the_curves(ip):
    r = ip.run_line_magic("deriv", "x**2 --at -0.5,0.5,0")
    axes = r.figure.axes[0]
    assert axes.get_xlim() == (-1.0, 1.0)  # the tutorial's range around the points
    labels = [t.get_text() for t in axes.get_legend().get_texts()]
    assert labels == ["f(x)", "f′(x)"]  # short names: the formulas are shown above the figure
    assert axes.get_xlabel() == "x"
    r = ip.run_line_magic("deriv", "x**2 --range 2,3")
    assert r.figure.axes[0].get_xlim() == (2.0, 3.0)


@pytest.mark.parametrize("line, labels", [
    ("g(t) = t^5 --order 2", ["g(t)", "g′(t)", "g″(t)"]),
    ("t^5 --wrt t --order 3", ["f(t)", "f′(t)", "f″(t)", "f‴(t)"]),
    ("h(u) = u^6 --order 5", ["h(u)", "h′(u)", "h⁽⁵⁾(u)"]),
    ("speed(x) = x^2 + 1", ["speed(x)", "speed′(x)"]),
])
def test_legend_names_each_curve_by_its_function_and_primes(ip, line, labels):
    legend = ip.run_line_magic("deriv", line).figure.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == labels
    assert not any("$" in label for label in labels)  # plain text: no mathtext to parse on each render


def test_poles_do_not_wreck_the_y_axis(ip):
    r = ip.run_line_magic("deriv", "1/x --range -1,1")
    low, high = r.figure.axes[0].get_ylim()
    assert -1e3 < low < high < 1e3  # 1/x² reaches 1e5 in the samples next to 0


@pytest.mark.parametrize("line", [
    "sign(x)", "Heaviside(x)", "abs(x) --order 2", "floor(x)", "floor(x) --at 0.5", "gamma(x)",
    "sin(x) --order 100", "factorial(x)", "1/x --at 0", "x^x --at 0",
])
def test_unusual_functions_give_a_result_not_a_traceback(ip, line):
    r = ip.run_line_magic("deriv", line)
    assert r._repr_mimebundle_()["text/latex"].startswith("$$")
    if r.figure is not None:
        assert r.figure_bundle()[0]["image/png"][:4] == b"\x89PNG"


@pytest.mark.parametrize("line, phrase", [
    ("", "no expression given"),
    ("x^^2", "two operators in a row"),
    ("sin(x", "unbalanced '('"),
    ("foo(x)", "unknown function 'foo'"),
    ("x --bogus", "unrecognized arguments: --bogus"),
    ("x --order 0", "--order must be a positive integer"),
    ("x --order -2", "--order must be a positive integer"),
    ("x --order two", "invalid int value"),
    ("x --at a", "'a' is not a number"),
    ("x --at 1,", "--at: a number is missing"),
    ("x --range 1,0", "--range needs A < B"),
    ("x --range 1", "--range needs two numbers"),
    ("a*b", "several variables (a, b): choose one with --wrt"),
    ("x*y --wrt z", "z is not a variable"),
    ("x*y --at 1", "expected 2"),
    ("f(x) = a x^2 --at 1", "also depends on a"),
    ("__import__('os').system('echo hi')", "names starting with '_'"),
    ("x.real", "attribute access"),
    ("lambda x: x", "'lambda' is Python"),
    ("[t for t in x]", "brackets"),
    ("x --at", "expected one argument"),
])
def test_bad_input_is_one_clean_usage_error(ip, line, phrase):
    before = user_names(ip)
    with only_new_objects_tracked():  # no Figure made by the bad input outlives it
        figures_before = sum(isinstance(o, Figure) for o in gc.get_objects())
        with pytest.raises(UsageError) as caught:
            ip.run_line_magic("deriv", line)
        assert type(caught.value) is UsageError  # exactly: IPython prints a subclass with a traceback
        assert phrase in str(caught.value)
        captured = run(ip, f"%deriv {line}")
        assert "Traceback" not in captured.stdout + captured.stderr
        assert f"UsageError: {caught.value}" in captured.stderr and captured.outputs == []
        gc.collect()
        assert sum(isinstance(o, Figure) for o in gc.get_objects()) <= figures_before
    assert user_names(ip) == before


@pytest.mark.parametrize("line, phrase", [
    ("x/0", "is undefined: it divides by zero"),
    ("0/0 + x", "is undefined"),
    ("x^2 --range -1e308,1e308", "out of range"),
    ("x^2 --range -1e200,1e200", "--range is too wide"),
    ("x --order 99999999999999999999", "--order must be a positive integer up to 100"),
    ("x^2 --at 2^2^2^2^2", "too large to compute"),
    ("x --at 1e4300", "out of range"),
    ("9^9^9 x", "too large to compute"),
    ("x --range 9^9^9,1", "too large to compute"),
    ("0.1.2 x", "two numbers in a row"),
    ("ln^-1(x)", "ln^-1 has no inverse function in the language"),
    ("Integer^2 + 3", "'Integer' is a reserved name"),
])
def test_undefined_oversized_and_malformed_input_is_one_usage_error(ip, line, phrase):
    with pytest.raises(UsageError) as caught:
        ip.run_line_magic("deriv", line)
    assert type(caught.value) is UsageError and phrase in str(caught.value)


def test_a_slow_symbolic_step_stops_at_the_timeout(ip):
    ip.run_line_magic("config", "GradientMagics.timeout = 0.5")
    start = time.perf_counter()
    with pytest.raises(UsageError, match=r"gave up after 0.5 s"):
        ip.run_line_magic("deriv", "atan(sqrt(1+x^2)-x) log(1+exp(x))^3/(cosh(x)^4+sinh(x)^3) --simplify --no-plot")
    assert time.perf_counter() - start < 5
    assert ip.run_line_magic("deriv", "x^2 --no-plot").derivative is not None  # still responsive


def test_more_ways_to_name_the_function(ip):
    ip.run_cell("def cube(t):\n    return t**3\n")
    r = ip.run_line_magic("deriv", "cube(s) --no-plot")
    assert str(r.derivative) == "3*s**2" and r.name == "cube"
    ip.user_ns["n"] = 3
    ip.run_cell("%deriv x^$n --no-plot")
    assert str(ip.user_ns["_"].derivative) == "3*x**2"
    r = ip.run_line_magic("deriv", "x^2 --at -1, 0, 1 --no-plot")  # spaces after commas
    assert r.values == {-1.0: -2.0, 0.0: 0.0, 1.0: 2.0}


def test_python_api_mirrors_the_magic():
    from ipython_gradients import deriv

    r = deriv("x^2", at=[-0.5, 0.5, 0], plot=False)
    assert r.values == {-0.5: -1.0, 0.5: 1.0, 0.0: 0.0}
    r = deriv(lambda x: x**3, at=2, plot=False, notation="prime")
    assert r.values == {2.0: 12.0} and "f'(x) = 3⋅x" in r.text()
    with pytest.raises(OptionError, match="precision must be an integer"):  # the magic's UsageError line
        deriv("x", precision=-1)


def test_python_functions_that_cannot_be_used(ip):
    ip.run_cell("def two(a, b):\n    return a * b\n\ndef boom(x):\n    raise ValueError('no')\n")
    before = user_names(ip)
    with pytest.raises(UsageError, match=r"two cannot be called with 1 argument\(s\)"):
        ip.run_line_magic("deriv", "two(x)")
    with pytest.raises(UsageError, match="boom raised ValueError at x = 1: no"):
        ip.run_line_magic("deriv", "boom --at 1")
    assert user_names(ip) == before


def test_python_function_used_as_a_name_in_an_expression(ip):
    ip.run_cell("def relu(x):\n    return max(x, 0.0)\n")
    with pytest.raises(UsageError, match="'relu' is a Python function"):
        ip.run_line_magic("deriv", "relu + 1")


def test_only_plain_names_are_expanded_and_no_code_runs(ip):
    """{n} and $n put a variable's value in the line; braces holding anything else are refused unrun."""
    ip.run_cell("calls = []\ndef touch():\n    calls.append(1)\n    return 2\nn = 3\n")
    assert ip.run_line_magic("deriv", "x^{n} --at $n --no-plot").values == {3.0: 27.0}
    for line, phrase in [("x^{touch()} --no-plot", "only a plain variable name is expanded"),
                         ("x^{n + 1} --no-plot", "never Python code"),
                         ("x^{__import__('os').getpid()} --no-plot", "never Python code"),
                         ("x^{missing} --no-plot", "there is no variable missing")]:
        with pytest.raises(UsageError, match=re.escape(phrase)):
            ip.run_line_magic("deriv", line)
    assert ip.user_ns["calls"] == []

    def local_scope():  # the caller's local variables are seen, as with IPython's own expansion
        k = 5
        return ip.run_line_magic("deriv", "x^{k} --no-plot")

    assert local_scope().values == {} and "5" in local_scope().text()


@pytest.mark.parametrize("line, phrase", [
    ("x^2 #+ sin(x)", "'#' is not an operator"),
    ("x^2 #comment", "a comment starts with '# '"),
    ("Ｓｙｍｂｏｌ('x')", "'Symbol' is a reserved name"),  # checked as Python reads it (NFKC), not as typed
])
def test_comments_and_lookalike_names(ip, line, phrase):
    with pytest.raises(UsageError, match=re.escape(phrase)):
        ip.run_line_magic("deriv", line)
    assert ip.run_line_magic("deriv", "x^3 --at 1 --no-plot   # the cubic").values == {1.0: 3.0}
    assert ip.run_line_magic("deriv", "ｘ^2 --at 1 --no-plot").values == {1.0: 2.0}
