"""The expression language, without a shell."""

import re

import pytest
import sympy as sp

from ipython_gradients.errors import ExpressionError, OptionError
from ipython_gradients.expressions import (
    _check_tree,
    parse_expression,
    parse_function,
    parse_number,
    parse_points,
    parse_range,
)
from ipython_gradients.settings import MAX_RANGE, Settings

x, y = sp.symbols("x y", real=True)


@pytest.mark.parametrize("text, expected", [
    ("x^2", x**2),
    ("2x", 2 * x),
    ("3 sin(x)", 3 * sp.sin(x)),
    ("e^x", sp.exp(x)),
    ("exp(x)", sp.exp(x)),
    ("pi x", sp.pi * x),
    ("ln(x)", sp.log(x)),
    ("log(x, 2)", sp.log(x) / sp.log(2)),
    ("sqrt(x)", sp.sqrt(x)),
    ("abs(x)", sp.Abs(x)),
    ("arcsin(x) + asin(x)", 2 * sp.asin(x)),
    ("sinh(x) cosh(x)", sp.sinh(x) * sp.cosh(x)),
    ("x(x+1)", x * (x + 1)),
    ("(x+1)(x-1)", (x + 1) * (x - 1)),
    ("x**2.0", x**2),
    ("-x^2", -x**2),
    ("x^-1", 1 / x),
    ("sin^2(x)", sp.sin(x)**2),
    ("2 x^2 y", 2 * x**2 * y),
])
def test_lecture_notes_syntax(text, expected):
    assert sp.simplify(parse_expression(text) - expected) == 0


def test_symbols_are_real():
    expr = parse_expression("abs(x)")
    assert sp.diff(expr, list(expr.free_symbols)[0]) == sp.sign(x)


def test_definition_form_fixes_name_and_variable_order():
    parsed = parse_function("f(y, x) = x^2 + 3*x*y")
    assert parsed.name == "f"
    assert [v.name for v in parsed.variables] == ["y", "x"]
    assert parsed.expr == x**2 + 3 * x * y


def test_variables_are_sorted_by_name_naturally():
    parsed = parse_function("x_10 + x_2 + a")
    assert [v.name for v in parsed.variables] == ["a", "x_2", "x_10"]


def test_namespace_sympy_objects_are_read_on_the_engines_real_symbols():
    t = sp.Symbol("t", positive=True)
    s = sp.Symbol("s")
    # the engines compute on the real line whatever the notebook's symbols assume (results hand them back)
    assert parse_expression("t^2 + s", {"t": t, "s": s}) == sp.Symbol("t", real=True)**2 + sp.Symbol("s", real=True)
    assert parse_expression("abs(s)^2", {"s": s}) == sp.Symbol("s", real=True)**2
    # a number bound to x in the notebook does not turn the variable x into that number
    assert parse_expression("x^2", {"x": 5}) == x**2


@pytest.mark.parametrize("text, phrase", [
    ("__import__('os').system('echo hi')", "names starting with '_'"),
    ("x.real", "attribute access"),
    ("lambda x: x", "'lambda' is Python"),
    ("[i for i in range(3)]", "brackets"),
    ("{x}", "brackets"),
    ("'abc'", "quotes"),
    ("x if x else 1", "'if' is Python"),
    ("eval(x)", "'eval' is Python"),
    ("x == 1", "operator '=='"),
    ("x^^2", "two operators in a row"),
    ("x +", "nothing on its right"),
    ("* x", "nothing on its left"),
    ("sin(x", "unbalanced"),
    ("x)", "unmatched ')'"),
    ("foo(x)", "unknown function 'foo'"),
    ("sinn(x)", "did you mean sin"),
    ("sin", "needs an argument"),
    ("sin + x", "needs an argument"),
    ("1,5 x", "separates the arguments"),
    ("x $ 2", "unexpected character"),
    ("()", "empty parentheses"),
])
def test_non_mathematics_is_refused_with_a_reason(text, phrase):
    with pytest.raises(ExpressionError) as caught:
        parse_expression(text)
    assert phrase in str(caught.value)


def test_errors_say_where():
    with pytest.raises(ExpressionError, match=re.escape("column 5 of 'x + * 2'")):
        parse_expression("x + * 2")


def test_refused_input_executes_nothing(tmp_path):
    marker = tmp_path / "ran"
    for text in (f"__import__('os').system('touch {marker}')", f"open('{marker}', 'w')",
                 "exec('import os')", "globals()"):
        with pytest.raises(ExpressionError):
            parse_expression(text)
    assert not marker.exists()


def test_the_syntax_tree_whitelist_on_its_own():
    import ast

    for code in ("__import__('os')", "x.y", "(lambda: 1)()", "[1][0]", "f(a=1)", "print(1)"):
        with pytest.raises(Exception) as caught:
            _check_tree(ast.parse(code, mode="eval"), code, {"x", "f", "Integer"})
        assert "not allowed" in str(caught.value) or "not a mathematical expression" in str(caught.value)


def test_numbers_and_points():
    assert parse_number("0.1") == sp.Rational(1, 10)
    assert parse_number("pi/4") == sp.pi / 4
    with pytest.raises(OptionError, match="'a' is not a number"):
        parse_number("a")
    points = parse_points("-0.5,0.5,0.0", 1)
    assert [p for p, _ in points] == [(sp.Rational(-1, 2),), (sp.Rational(1, 2),), (0,)]
    assert [t for _, t in points] == [("-0.5",), ("0.5",), ("0.0",)]
    assert [p for p, _ in parse_points("1,2;0,0", 2)] == [(1, 2), (0, 0)]
    with pytest.raises(OptionError, match="has 1 coordinate"):
        parse_points("1,2;3", 2)
    assert parse_range("-1,2") == (-1.0, 2.0)
    with pytest.raises(OptionError, match="A < B"):
        parse_range("1,0")


@pytest.mark.parametrize("low, high, problem", [
    (-1.0, 2.0, None),
    (-MAX_RANGE, MAX_RANGE, None),
    (1e-300, 2e-300, None),
    (1.0, 0.0, "needs A < B"),
    (1.0, 1.0, "needs A < B"),
    (-1e151, 1.0, "is too wide to plot: keep within ±1e150"),
    (0.0, 1.5e150, "is too wide to plot: keep within ±1e150"),
    (-1e200, 1e200, "is too wide to plot: keep within ±1e150"),
])
def test_one_rule_for_the_x_range_setting_and_range(low, high, problem):
    """--range (parse_range) and the x_range setting (check_setting) accept and refuse the same ranges,
    in the same words."""
    if problem is None:
        assert parse_range(f"{low!r},{high!r}") == (low, high)
        assert Settings().replace(x_range=(low, high)).x_range == (low, high)
        return
    with pytest.raises(OptionError, match=re.escape(f"--range {problem}")):
        parse_range(f"{low!r},{high!r}")
    with pytest.raises(ValueError, match=re.escape(f"x_range {problem}")):
        Settings().replace(x_range=(low, high))
