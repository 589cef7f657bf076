"""Inputs that once escaped as tracebacks or gave wrong answers (from review), through a real shell."""

import math
import time

import pytest
from IPython.core.error import UsageError

from ipython_gradients import deriv
from ipython_gradients.expressions import _check_tree


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
    ("sin^-1(x)", "write asin(x) for the inverse function"),
    ("Integer^2 + 3", "'Integer' is a reserved name"),
])
def test_more_bad_input(ip, line, phrase):
    with pytest.raises(UsageError) as caught:
        ip.run_line_magic("deriv", line)
    assert type(caught.value) is UsageError and phrase in str(caught.value)


def test_python_function_used_as_a_name_in_an_expression(ip):
    ip.run_cell("def relu(x):\n    return max(x, 0.0)\n")
    with pytest.raises(UsageError, match="'relu' is a Python function"):
        ip.run_line_magic("deriv", "relu + 1")


def test_jumps_are_not_vertical_tangents():
    for text, order in (("sign(x)", 1), ("Heaviside(x)", 1), ("abs(x)", 2)):
        [p] = deriv(text, at="0", order=order, plot=False).points
        assert p.status == "not differentiable" and p.reason.startswith("jump")
    assert deriv("floor(x)", at="1", plot=False).points[0].reason.startswith("jump")
    assert deriv("floor(x)", at="0.5", plot=False).values == {0.5: 0.0}


def test_domain_edges_even_where_the_derivative_is_finite():
    [p] = deriv("sqrt(x) x", at="0", plot=False).points
    assert (p.status, p.reason, p.left, p.right) == ("not differentiable", "edge of the domain", None, 0.0)


def test_exact_zero_tests_and_large_values():
    assert deriv("x^2", at="1e-20", plot=False).points[0].meaning == "increasing"
    assert deriv("x^3 - 1e-16 x", at="0", plot=False).points[0].meaning == "decreasing"
    [p] = deriv("exp(x)", at="800", plot=False).points
    assert p.status == "undefined" and "too large for floating point" in p.reason
    assert "constant" in deriv("5", at="1", plot=False).points[0].meaning


def test_python_float_points_are_kept_exactly():
    r = deriv("sin(x)", at=math.pi / 2, precision=8, plot=False)
    assert math.pi / 2 in r.values and r.values[math.pi / 2] == pytest.approx(math.cos(math.pi / 2))
    assert r.points[0].label == ("1.5707963267948966",)


def test_mixed_partials_at_a_kink():
    r = deriv("abs(x y)", wrt="x,y", at="0,0;1,1", plot=False)
    assert r.values == {(0.0, 0.0): None, (1.0, 1.0): 1.0}


def test_no_simplify_overrides_the_trait(ip):
    ip.run_line_magic("config", "GradientMagics.simplify = True")
    assert str(ip.run_line_magic("deriv", "x/(1+x) --no-plot").derivative) == "(x + 1)**(-2)"
    assert str(ip.run_line_magic("deriv", "x/(1+x) --no-plot --no-simplify").derivative) != "(x + 1)**(-2)"


def test_timeout_cannot_be_swallowed_by_a_traced_function(ip):
    ip.run_cell("def sleepy(x):\n    import time\n    time.sleep(3)\n    return x\n")
    ip.run_line_magic("config", "GradientMagics.timeout = 0.5")
    start = time.perf_counter()
    with pytest.raises(UsageError, match="gave up after 0.5 s"):
        ip.run_line_magic("deriv", "sleepy --at 1")
    assert time.perf_counter() - start < 2.5


def test_the_syntax_tree_whitelist_on_its_own():
    import ast

    for code in ("__import__('os')", "x.y", "(lambda: 1)()", "[1][0]", "f(a=1)", "print(1)"):
        with pytest.raises(Exception) as caught:
            _check_tree(ast.parse(code, mode="eval"), code, {"x", "f", "Integer"})
        assert "not allowed" in str(caught.value) or "not a mathematical expression" in str(caught.value)
