"""Odd roots of negative numbers are real (the roots setting): x^(1/3) at -8 is -2 and its
derivative there 1/12, as in calculus textbooks; roots = 'principal' keeps SymPy's complex root."""

import math
import os
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp
from traitlets import TraitError

from ipython_gradients import deriv, grad, tangent
from ipython_gradients.errors import OptionError
from ipython_gradients.expressions import RealAbs, RealSign, parse_expression
from ipython_gradients.settings import Settings

x = sp.Symbol("x", real=True)  # the engine's
X = sp.Symbol("x")  # the user's: what results hold


@pytest.mark.parametrize("text", ["x^(1/3)", "cbrt(x)", "root(x, 3)", "x**(1/3)", "f(x) = x^(1/3)"])
def test_the_cube_root_at_minus_8(text):
    r = deriv(text, at="-8", plot=False)
    assert str(r.derivative) == "1/(3*Abs(x)**(2/3))"  # readable, and real for x < 0 too
    assert r.derivative.subs(X, -8) == sp.Rational(1, 12)  # exactly
    [p] = r.points
    assert p.status == "ok" and p.value == 1 / 12 and p.meaning == "increasing"
    [n] = deriv(text, at="-8", method="numeric", plot=False).points
    assert n.status == "ok" and abs(n.value - 1 / 12) <= n.error <= 1e-9


def test_values_of_odd_roots_of_negative_numbers():
    assert parse_expression("(-8)^(1/3)") == -2
    assert parse_expression("(-8)^(2/3)") == 4
    assert parse_expression("(-32)^(-1/5)") == -sp.Rational(1, 2)
    assert parse_expression("8^(1/3)") == 2 and parse_expression("2^(1/3)") == sp.cbrt(2)
    assert parse_expression("(x^2 + 1)^(1/3)") == (x**2 + 1) ** sp.Rational(1, 3)  # never negative: unchanged
    assert parse_expression("sqrt(x)") == sp.sqrt(x)  # even roots: undefined for x < 0 either way
    assert parse_expression("x^(1/3)", roots="principal") == x ** sp.Rational(1, 3)


@pytest.mark.parametrize("text, at, exact", [
    ("x^(2/3)", -8, -sp.Rational(1, 3)),
    ("x^(-1/5)", -1, -sp.Rational(1, 5)),
    ("x^(4/3)", -8, -sp.Rational(8, 3)),
    ("x^(5/3)", -1, sp.Rational(5, 3)),
    ("cbrt(x^2 - 1)", sp.Rational(1, 2), sp.Rational(1, 3) / sp.Rational(3, 4) ** sp.Rational(2, 3)),
    ("(x^2-1)^(1/3)", 3, sp.Rational(1, 2)),
    ("(x^2-1)^(1/3)", -3, -sp.Rational(1, 2)),
    ("(x^2-1)^(1/3)", 0, 0),
    ("x^(1/3) sin(x)", -1, sp.cos(-1) * -1 + sp.sin(-1) * sp.Rational(1, 3)),
])
def test_derivatives_of_real_roots(text, at, exact):
    r = deriv(text, at=str(at) if not isinstance(at, sp.Rational) else str(float(at)), plot=False)
    [p] = r.points
    assert p.status == "ok" and p.value == pytest.approx(float(exact), rel=1e-12, abs=1e-15)
    assert not r.derivative.has(sp.DiracDelta) and not r.derivative.has(sp.Derivative)
    [n] = deriv(text, at=str(float(at)), method="numeric", plot=False).points
    assert n.status == "ok" and abs(n.value - float(exact)) <= max(n.error, 1e-15)


def test_second_derivative_of_the_cube_root():
    r = deriv("x^(1/3)", order=2, at="-8", plot=False)
    assert r.derivative.subs(X, -8) == sp.Rational(1, 144)  # -2/(9 x^(5/3)) with (-8)^(5/3) = -32
    assert r.points[0].meaning == "concave up"


def test_vertical_tangents_and_cusps_at_zero():
    [p] = deriv("x^(1/3)", at="0", plot=False).points
    assert p.status == "infinite" and p.value == math.inf and (p.left, p.right) == (math.inf, math.inf)
    [p] = deriv("x^(2/3)", at="0", plot=False).points
    assert p.status == "not differentiable" and p.reason == "cusp" and (p.left, p.right) == (-math.inf, math.inf)
    [p] = deriv("x^(2/3)", at="0", method="numeric", plot=False).points
    assert p.status == "not differentiable" and p.reason == "cusp" and (p.left, p.right) == (-math.inf, math.inf)
    down, up = deriv("(x^2-1)^(1/3)", at="-1,1", plot=False).points
    assert (down.status, down.value, up.status, up.value) == ("infinite", -math.inf, "infinite", math.inf)
    [p] = deriv("x^(4/3)", at="0", plot=False).points
    assert p.status == "ok" and p.value == 0  # (4/3)|x|^(1/3) → 0: differentiable, no cusp


def test_deriv_and_tangent_say_the_same_words_for_a_vertical_tangent():
    for method in ("symbolic", "numeric"):
        deriv_text = deriv("x^(1/3)", at="0", method=method, plot=False).text()
        tangent_text = tangent("x^(1/3)", at="0", method=method, plot=False).text()
        assert "f'(0)   vertical tangent (derivative +∞)" in deriv_text
        assert "x = 0   vertical tangent (derivative +∞)" in tangent_text
        assert "vertical tangent (derivative -∞)" in deriv("-cbrt(x)", at="0", method=method, plot=False).text()
        cusp = "not differentiable (cusp): left -∞, right ∞"
        assert cusp in deriv("x^(2/3)", at="0", method=method, plot=False).text()
        assert f"x = 0   vertical tangent; {cusp}" in tangent("x^(2/3)", at="0", method=method, plot=False).text()
    assert "vertical tangent (derivative +infinity)" in deriv("x^(1/3)", at="0", plot=False).latex()
    assert "vertical tangent (derivative +infinity)" in tangent("x^(1/3)", at="0", plot=False).latex()


def test_tangent_lines_through_negative_x():
    [line] = tangent("x^(1/3)", at="-8", plot=False).lines
    assert line.kind == "line" and line.equation == sp.Eq(sp.Symbol("y"), X / 12 - sp.Rational(4, 3))
    [numeric_line] = tangent("x^(1/3)", at="-8", method="numeric", plot=False).lines
    assert abs(numeric_line.slope - 1 / 12) <= numeric_line.errors[1]


def test_the_principal_setting_restores_the_complex_root():
    for method in ("symbolic", "numeric"):
        [p] = deriv("x^(1/3)", at="-8", roots="principal", method=method, plot=False).points
        assert p.status == "undefined" and p.reason == "outside the domain of f"
    [line] = tangent("x^(1/3)", at="-8", roots="principal", plot=False).lines
    assert line.kind == "none" and "outside the domain" in line.reason
    r = deriv("x^(1/3)", roots="principal", plot=False)
    assert r.derivative == X ** sp.Rational(-2, 3) / 3
    with pytest.raises(OptionError, match="roots must be one of real, principal"):
        deriv("x^(1/3)", roots="complex", plot=False)
    assert Settings().roots == "real"


def test_gradients_and_vectors_use_real_roots_too():
    r = grad("x^(1/3) + y^2", at="-8,1", plot=False)
    assert tuple(r.gradient.subs({X: -8, sp.Symbol("y"): 1})) == (sp.Rational(1, 12), 2)
    assert r.points[0].gradient == pytest.approx((1 / 12, 2.0))
    [n] = grad("x^(1/3) + y^2", at="-8,1", method="numeric", plot=False).points
    assert n.gradient == pytest.approx((1 / 12, 2.0), rel=1e-9)
    [p] = grad("x^(1/3) + y^2", at="-8,1", roots="principal", plot=False).points
    assert p.gradient is None and p.reason == "outside the domain of f"
    assert "J_F(-8, 1) = [[0.083, 0.000], [0.000, 1.000]]" in grad("[x^(1/3), y]", at="-8,1", plot=False).text()
    # |x| beside a varying partial is no kink: the partials are checked for jumps, not for variation
    assert grad("abs(x) + y^2", at="-8,1", plot=False).points[0].gradient == pytest.approx((-1.0, 2.0))


def test_numpy_cbrt_traces_to_the_real_cube_root(ip):
    ip.run_cell("import numpy as np\ndef g(x):\n    return np.cbrt(x)\n")
    r = ip.run_line_magic("deriv", "g --at -8 --no-plot")
    assert r.method == "symbolic" and r.values[-8.0] == pytest.approx(1 / 12, rel=1e-15)


def test_plots_are_real_for_negative_x():
    r = deriv("x^(1/3)", range="-8,8")
    f_line, derivative_line = r.figure.axes[0].lines[:2]
    xs, ys = f_line.get_data()
    assert np.all(np.isfinite(ys)) and np.allclose(ys, np.cbrt(xs))
    xs, dys = derivative_line.get_data()
    finite = np.abs(xs) > 1e-9
    assert np.allclose(dys[finite], 1 / (3 * np.cbrt(xs[finite]) ** 2))


def test_latex_of_the_real_root():
    latex = deriv("x^(1/3)", at="-8", plot=False).latex()
    assert r"\sqrt[3]{\left|{x}\right|}" in latex and r"\frac{1}{3 \left|{x}\right|^{\frac{2}{3}}}" in latex


@pytest.mark.parametrize("text, derivative", [
    ("cbrt(log(x))", "1/(3*x*Abs(log(x))**(2/3))"),  # log x may be negative: still no re, im or Derivative
    ("cbrt(1/x)", "-1/(3*x**2*Abs(1/x)**(2/3))"),
    ("(x^(1/3))^3", "1"),
    ("x^(1/3) * x^(2/3)", "1"),
])
def test_derivatives_stay_readable_where_sympy_cannot_prove_the_base_real(text, derivative):
    assert str(deriv(text, plot=False).derivative) == derivative


def test_user_abs_and_sign_are_untouched():
    assert deriv("x*abs(x)", plot=False).derivative == X * sp.sign(X) + sp.Abs(X)
    assert deriv("sign(x)^2", plot=False).derivative == 4 * sp.sign(X) * sp.DiracDelta(X)
    assert not parse_expression("abs(x)^(1/3)").has(RealAbs)
    real = parse_expression("x^(1/3)")
    assert real.has(RealAbs) and real.has(RealSign) and RealSign(-x) != -1 and RealSign(-3) == -1


def test_steps_use_the_power_rule():
    r = deriv("x^(1/3)", steps=True, plot=False)
    assert [s.rule for s in r.steps] == ["power", "result"] and "1/(3·|x|^(2/3))" in r.steps[-1].text
    r = deriv("cbrt(x^2 - 1)", steps=True, plot=False)
    assert r.steps[0].rule == "chain rule with power" and r.steps[-1].rule == "result"


def test_the_magic_and_its_setting(ip):
    r = ip.run_line_magic("deriv", "x^(1/3) --at -8,0 --no-plot")
    assert "f'(-8) = 0.083   increasing" in r.text() and "vertical tangent (derivative +∞)" in r.text()
    r = ip.run_cell_magic("tangent", "--at 0 --no-plot", "x^(1/3)\n")
    assert "x = 0   vertical tangent (derivative +∞)" in r.text()
    ip.run_line_magic("config", "GradientMagics.roots = 'principal'")
    r = ip.run_line_magic("deriv", "x^(1/3) --at -8 --no-plot")
    assert r.points[0].reason == "outside the domain of f"
    magics = ip.magics_manager.registry["GradientMagics"]
    with pytest.raises(TraitError):
        magics.roots = "complex"
    ip.run_line_magic("config", "GradientMagics.roots = 'REAL'")
    assert ip.run_line_magic("deriv", "x^(1/3) --at -8 --no-plot").values[-8.0] == 1 / 12


@pytest.mark.external
def test_the_command_line():
    result = subprocess.run([sys.executable, "-m", "ipython_gradients", "deriv", "x^(1/3)", "--at", "-8"],
                            capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert result.returncode == 0, result.stderr
    assert "f'(-8) = 0.083   increasing" in result.stdout


def test_away_from_zero_a_real_root_is_smooth_and_quick():
    import time

    start = time.perf_counter()
    [p] = deriv("cbrt(x)^4 - x^x", at="0.530166", plot=False, timeout=5).points
    assert p.status == "ok" and time.perf_counter() - start < 3  # no one-sided limits where x ≠ 0
    x0 = 0.530166
    assert p.value == pytest.approx(4 / 3 * x0 ** (1 / 3) - x0**x0 * (math.log(x0) + 1), rel=1e-12)
    [p] = deriv("(x^2-1)^(1/3)", at="0", plot=False).points
    assert p.value == 0 and p.meaning == "stationary: local minimum"  # the higher-derivative test applies
    [p] = grad("cbrt(2x)^x + x*y/7", vars="x,y", at="1.9,1.410759", plot=False, timeout=5).points
    assert p.gradient is not None


def test_a_delta_times_a_factor_vanishing_at_its_support_is_no_term():
    # d/dx (x²·sign(x)) = 2x·sign(x) + 2x²·δ(x), and x²·δ(x) is 0: the formula and the definition agree
    assert deriv("x^2 sign(x)", plot=False).derivative == 2 * X * sp.sign(X)
    assert "3. limit: f′(x) = 2·x·sign(x)" in deriv("x^2 sign(x)", definition=True, plot=False).text()
    assert deriv("max(x^2, x)", plot=False).text().splitlines()[1].startswith("──⎝max⎝x, x ⎠⎠")  # not Max(x, x**2)
