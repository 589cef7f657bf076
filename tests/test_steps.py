"""Step-by-step derivations: named rules, complete, ending equal to SymPy, for a textbook corpus."""

import pytest
import sympy as sp

from ipython_gradients import deriv, grad
from ipython_gradients.expressions import parse_expression
from ipython_gradients.steps import derivation

x = sp.Symbol("x", real=True)

CORPUS = [
    # polynomials and powers
    "7", "x", "x^2", "3x^4 - 2x + 7", "x^10 - x^5 + 1", "(2x + 1)^5", "sqrt(x)", "x^(3/2)", "1/x", "1/x^3",
    "cbrt(x)", "x^(-1/2) + x^(1/3)",
    # products and quotients
    "x^2 sin(x)", "x e^x", "x^3 log(x)", "(x^2 + 1)(x - 3)", "sin(x) cos(x)", "x sqrt(1 + x)",
    "sin(x)/(1 + x^2)", "x/(x + 1)", "(x^2 - 1)/(x^2 + 1)", "e^x/x", "log(x)/x", "(1 + x)/sqrt(x)",
    # chains, nested
    "sin(x^2)", "cos(3x + 1)", "e^(-x^2)", "log(1 + x^2)", "sqrt(1 + x^2)", "sin(cos(x))", "e^(sin(x))",
    "log(log(x))", "(sin(x))^3", "tan(x^2 + 1)", "sqrt(sin(x))", "exp(-x^2) cos(3x)", "sin(x)^2 cos(x)^3",
    # exponentials and logarithms of any base
    "2^x", "10^(x^2)", "log(x, 2)", "log10(x)", "ln(x^2 + 1)", "x^2 * 2^x",
    # trigonometric and inverse trigonometric
    "sec(x)", "csc(x)", "cot(x)", "asin(x)", "acos(x)", "atan(x)", "asin(2x)", "atan(1/x)", "x atan(x)",
    "acot(x)",
    # hyperbolic
    "sinh(x)", "cosh(x^2)", "tanh(x)^2", "asinh(x)",
    # absolute value
    "abs(x)", "abs(x^2 - 1)",
    # variable exponents: logarithmic differentiation
    "x^x", "x^sin(x)", "(1 + x)^x", "x^(1/x)", "sin(x)^cos(x)",
]
KNOWN_RULES = {
    "constant", "power", "sum and difference", "constant multiple", "product", "quotient", "exponential",
    "exponential (any base)", "logarithm", "trigonometric", "inverse trigonometric", "hyperbolic",
    "inverse hyperbolic", "absolute value", "logarithmic differentiation", "result", "simplification",
}


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 60


@pytest.mark.parametrize("text", CORPUS)
def test_every_step_names_a_known_rule_and_ends_equal_to_sympy(text):
    expr = parse_expression(text)
    steps, result = derivation(expr, x)
    for step in steps:
        rule = step.rule.removeprefix("chain rule with ")
        assert rule in KNOWN_RULES, (text, step.rule)
        assert step.latex and step.text
    assert steps[-1].rule in ("result", "simplification")
    assert sp.simplify(result - sp.diff(expr, x)) == 0


def test_the_steps_of_a_product():
    steps, _ = derivation(parse_expression("x^2 sin(x)"), x)
    assert [s.title for s in steps] == ["product rule", "power rule", "trigonometric rule", "result"]
    assert steps[0].latex == (r"\frac{d}{d x}\left[x^{2} \sin{\left(x \right)}\right] = \frac{d}{d x}\left[x^{2}\right]"
                              r" \cdot \sin{\left(x \right)} + x^{2} \cdot \frac{d}{d x}\left[\sin{\left(x \right)}\right]")


def test_logarithmic_differentiation_and_caveats():
    steps, _ = derivation(parse_expression("x^x"), x)
    assert steps[0].rule == "logarithmic differentiation" and r"\ln y = x \log{\left(x \right)}" in steps[0].latex
    steps, _ = derivation(parse_expression("abs(x^2 - 1)"), x)
    assert steps[0].note == "not differentiable where x² - 1 = 0"


def test_deriv_keeps_and_shows_the_steps(ip):
    r = ip.run_line_magic("deriv", "x^2 sin(x) --steps --no-plot")
    assert [s.title for s in r.steps][:3] == ["product rule", "power rule", "trigonometric rule"]
    assert r"&1.\ \text{product rule:} &&" in r.latex()
    assert "  1. product rule: d/dx (x²·sin(x)) = x²·cos(x) + 2·x·sin(x)" in r.text()
    second = deriv("x^3", order=2, steps=True, plot=False)
    assert any(s.rule == "next derivative" for s in second.steps) and second.steps[-1].text.endswith("6·x")
    simplified = deriv("x/(1+x)", steps=True, simplify=True, plot=False)
    assert simplified.steps[-1].rule == "simplification" and "(x + 1)⁻²" in simplified.steps[-1].text


def test_grad_steps_for_each_component(ip):
    r = ip.run_line_magic("grad", "x^2 y + sin(x y) --steps --no-plot")
    assert [v.name for v, _ in r.steps] == ["x", "y"]
    assert all(component[-1].rule in ("result", "simplification") for _, component in r.steps)
    assert r"\frac{\partial}{\partial x}" in r.latex() and "Steps for ∂f/∂y:" in r.text()
    descent = ip.run_line_magic("grad", "x^2 + y^2 --descent --from 1,1 --steps 5 --no-plot")
    assert descent.steps == [] and len(descent.path) == 6  # with a number, --steps counts iterations
