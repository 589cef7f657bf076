"""The derivative from first principles (--definition): the limit of the difference quotient, the
algebra a lecture shows, and the quotients at points converging (or not) as the analysis says."""

import pytest
import sympy as sp
from IPython.core.error import UsageError

from ipython_gradients import deriv
from ipython_gradients.definition import from_definition
from ipython_gradients.errors import GradientError
from ipython_gradients.expressions import parse_expression

x = sp.Symbol("x", real=True)

# Textbook derivations from the definition: the function, what the limit must be, and a step the
# lecture's algebra takes on the way.
TEXTBOOK = [
    (x**2, 2 * x, "expand the numerator"),
    (x**3 - 2 * x, 3 * x**2 - 2, "cancel h"),
    (5 * x - 7, sp.Integer(5), "cancel h"),
    (1 / x, -1 / x**2, "common denominator"),
    (1 / x**2, -2 / x**3, "common denominator"),
    ((x + 1) / (x - 1), -2 / (x - 1) ** 2, "common denominator"),
    (sp.sqrt(x), 1 / (2 * sp.sqrt(x)), "multiply by the conjugate"),
    (3 * sp.sqrt(2 * x + 1), 3 / sp.sqrt(2 * x + 1), "multiply by the conjugate"),
    (sp.sin(x), sp.cos(x), "addition formulas"),
    (sp.cos(2 * x), -2 * sp.sin(2 * x), "addition formulas"),
    (sp.exp(x), sp.exp(x), "addition formulas"),
    (2 * sp.exp(3 * x), 6 * sp.exp(3 * x), "addition formulas"),
    (x**2 * sp.sin(x), x**2 * sp.cos(x) + 2 * x * sp.sin(x), "addition formulas"),
    (sp.log(x), 1 / x, None),
]


@pytest.mark.parametrize("expr, expected, rule", TEXTBOOK, ids=[str(case[0]) for case in TEXTBOOK])
def test_textbook_derivations_end_at_the_derivative(expr, expected, rule):
    steps, limit = from_definition(expr, x)
    assert limit is not None and sp.simplify(limit - expected) == 0
    titles = [step.title for step in steps]
    assert titles[:2] == ["definition", "substitution"] and titles[-1].startswith("limit")
    if rule:
        assert rule in titles
    h = sp.Symbol("h", real=True)
    quotient = (expr.subs(x, x + h) - expr) / h
    for step in steps[2:-1]:  # every rewritten quotient, read back as the package reads input, is the quotient
        form = parse_expression(step.text.split("lim_(h→0) ", 1)[1])
        assert sp.simplify(form - quotient) == 0, step.text


def test_the_standard_limits_are_named_where_they_are_used():
    steps, _ = from_definition(sp.sin(x), x)
    assert steps[-1].title == "limit, with the standard limits" and "sin(h)/h → 1" in steps[-1].note
    steps, _ = from_definition(sp.exp(x), x)
    assert "(eʰ − 1)/h → 1" in steps[-1].note and "sin" not in steps[-1].note


def test_a_limit_sympy_cannot_take_is_said_never_guessed():
    steps, limit = from_definition(sp.Abs(x), x)
    assert limit is None and steps[-1].text.startswith("not found")
    result = deriv("abs(x)", definition=True, plot=False)
    assert "not found symbolically" in result.text()


def test_a_function_of_h_uses_another_letter():
    h = sp.Symbol("h", real=True)
    steps, limit = from_definition(h**2, h)
    assert limit == 2 * h and "lim_(k→0)" in steps[0].text


def test_quotients_converge_to_the_derivative_at_a_smooth_point():
    result = deriv("x^2", at="3", definition=True, plot=False)
    (table,) = result.quotients
    for width, left, right in table.rows:  # (f(3 ± h) - f(3))/(±h) = 6 ± h exactly
        assert left == pytest.approx(6 - float(width), rel=1e-12) and right == pytest.approx(6 + float(width), rel=1e-12)
    text = result.text()
    assert "Difference quotients (f(3 + h) − f(3))/h:" in text and "From both sides they approach f'(3) = 6.000." in text
    assert "10⁻⁶" in text and "5.9999990" in text


@pytest.mark.parametrize("expression, at, phrase", [
    ("abs(x)", "0", "From the left they approach -1.000; from the right they approach 1.000: no single finite limit"),
    ("sqrt(x)", "0", "From the left, f is not defined; from the right they grow without bound (+∞)"),
    ("x^(1/3)", "0", "From both sides they grow without bound (+∞): a vertical tangent"),
    ("1/x", "0", "f is not defined at 0: there is no difference quotient."),
])
def test_quotients_that_do_not_converge_say_why(expression, at, phrase):
    result = deriv(expression, at=at, definition=True, plot=False)
    assert phrase in result.text()
    assert r"\text{difference quotients }" in result.latex()


def test_the_magic_and_its_refusals(ip):
    result = ip.run_line_magic("deriv", "x^3 --definition --at 1 --no-plot")
    assert [step.title for step in result.steps][-1] == "limit" and result.quotients[0].rows[0][2] == pytest.approx(3.31)
    for line, phrase in [("x^2 --definition --order 2", "first derivative of a function of one variable"),
                         ("x y --definition --wrt x", "first derivative of a function of one variable"),
                         ("x^2 --definition --steps", "choose one")]:
        with pytest.raises(UsageError, match=phrase):
            ip.run_line_magic("deriv", line + " --no-plot")
    ip.run_cell("def relu(t):\n    return t if t > 0 else 0")
    with pytest.raises(UsageError, match="needs a formula"):
        ip.run_line_magic("deriv", "relu --definition --no-plot")
    with pytest.raises(GradientError, match="choose one"):
        deriv("x^2", definition=True, steps=True)


def test_quotients_keep_their_digits_far_from_zero():
    """At a = 10¹⁰⁰ the quotients of x² were all 0 at 30 digits: a + h rounded to a."""
    (table,) = deriv("x^2", at="1e100", definition=True, plot=False).quotients
    for width, left, right in table.rows:
        assert left == pytest.approx(2e100, rel=1e-12) and right == pytest.approx(2e100, rel=1e-12)


def test_the_figure_shows_secants_closing_in_on_the_tangent():
    result = deriv("x^2", at="1", definition=True)
    lines = {line.get_label(): line for line in result.figure.axes[0].get_lines()}
    assert "tangent at 1" in lines and any(label.startswith("secants, h = ±") for label in lines)
    slopes = sorted(abs((l.get_ydata()[1] - l.get_ydata()[0]) / (l.get_xdata()[1] - l.get_xdata()[0]) - 2)
                    for label, l in lines.items() if label.startswith("secants"))
    assert slopes[0] < slopes[-1]  # the narrower the secant, the nearer its slope to f'(1) = 2
    assert result.figure_description.startswith("Graph of f(x) = x² on [0, 2], with secants through x = 1")
