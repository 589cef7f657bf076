"""--method, --check, the backend trait, traced and bad Python functions, and no NumPy warnings for the
user, through a real IPython shell."""

import math
import warnings

import numpy as np
import pytest
from conftest import user_names
from IPython.core.error import UsageError


def test_numeric_method_shows_method_step_and_error(ip):
    r = ip.run_line_magic("deriv", "exp(x) --at 1 --method numeric --no-plot")
    assert r.method == "numeric" and r.derivative is None
    assert abs(r.values[1.0] - math.e) <= 1e-13 * math.e
    assert "complex step, error ≈" in r.text() and "computed numerically" in r.latex()
    r = ip.run_line_magic("deriv", "abs(x) + x^2 --at 1 --method numeric --no-plot")
    assert "central differences, h = " in r.text()  # |x| is not analytic: no complex step


def test_numeric_kinks_edges_higher_orders_and_partials(ip):
    r = ip.run_line_magic("deriv", "abs(x) --at 0 --method numeric --no-plot")
    [p] = r.points
    assert p.status == "not differentiable" and (p.left, p.right) == (pytest.approx(-1), pytest.approx(1))
    r = ip.run_line_magic("deriv", "sqrt(x) --at 0 --method numeric --no-plot")
    assert r.points[0].reason == "edge of the domain" and r.points[0].right == math.inf
    r = ip.run_line_magic("deriv", "sin(x) --order 3 --at 1 --method numeric --no-plot")
    assert abs(r.values[1.0] + math.cos(1)) <= 1e-14 and "mpmath" in r.text()
    r = ip.run_line_magic("deriv", "x^2 y --wrt x,y --at 1,2 --method numeric --no-plot")
    assert r.values[(1.0, 2.0)] == pytest.approx(2.0, rel=1e-13)
    r = ip.run_line_magic("deriv", "x^2 y --at 3,2 --method numeric --no-plot")
    assert r.values[(3.0, 2.0)] == pytest.approx(12.0, rel=1e-13) and "increasing in x" in r.text()


def test_check_compares_the_three_ways(ip):
    r = ip.run_line_magic("deriv", "log(x) --at 0.05,1 --check --no-plot")
    assert r.method == "symbolic" and [c.symbolic for c in r.checks] == [20.0, 1.0]
    assert all(c.relative <= 1e-13 for c in r.checks)
    assert [c.autodiff for c in r.checks] == [20.0, 1.0]  # 1/x in floating point: exact at both points
    assert "check, symbolic vs numeric vs autodiff:" in r.text() and "relative" in r.latex()
    r = ip.run_line_magic("deriv", "x^2 y --wrt x,y --at 1,2 --check --no-plot")  # a mixed partial: no sweep
    assert r.checks[0].autodiff is None and "check, symbolic vs numeric:" in r.text()


def test_backend_trait_sets_the_default_method(ip):
    ip.run_line_magic("config", "GradientMagics.backend = 'numeric'")
    assert ip.run_line_magic("deriv", "x^3 --at 2 --no-plot").method == "numeric"
    assert ip.run_line_magic("deriv", "x^3 --at 2 --no-plot --method symbolic").method == "symbolic"


def test_numpy_functions_are_traced_symbolically(ip):
    ip.run_cell("import numpy as np\ndef bump(x):\n    return np.sin(x) * np.exp(-x**2)\n")
    r = ip.run_line_magic("deriv", "bump --at 0.3 --no-plot")
    assert r.method == "symbolic" and "exp" in str(r.derivative) and "traced" in r.text()
    assert r.values[0.3] == pytest.approx(math.exp(-0.09) * (math.cos(0.3) - 0.6 * math.sin(0.3)), rel=1e-14)


def test_tracing_that_takes_a_wrong_branch_is_caught(ip):
    ip.run_cell("def step(x):\n    return 0.0 if x == 2 else 3 * x\n"
                "def shifted(x):\n    return x**2 + (100.0 if x != 0 else 0.0)\n")
    assert ip.run_line_magic("deriv", "step --no-plot").method == "symbolic"  # agrees away from 2
    r = ip.run_line_magic("deriv", "shifted --at 1 --no-plot")  # x != 0 is True for a symbol: same values
    assert r.method == "symbolic" and r.values[1.0] == 2.0
    ip.run_cell("def flag(x):\n    return x if x == 0.3183 else -x\n")
    r = ip.run_line_magic("deriv", "flag --at 1 --no-plot")  # traced as x, but the probes disagree
    assert r.method == "numeric" and r.values[1.0] == pytest.approx(-1.0)


def test_a_special_case_in_traced_code_is_honoured(ip):
    ip.run_cell("import math\ndef sincf(x, y):\n    r = math.hypot(x, y)\n    return 1.0 if r == 0 else math.sin(r)/r\n")
    r = ip.run_line_magic("grad", "sincf --at 0,0;1,0 --no-plot")
    assert r.points[0].gradient == pytest.approx((0.0, 0.0), abs=1e-7)
    assert "own value differs from its traced formula" in r.text()
    assert r.method == "symbolic" and r.points[1].errors is None  # other points keep the formula


def test_untraceable_functions_of_several_variables(ip):
    ip.run_cell("def g(x, y):\n    return x**2 * y if x > 0 else 0.0\n")
    r = ip.run_line_magic("deriv", "g --wrt x --at 1,2 --no-plot")
    assert r.method == "numeric" and r.values[(1.0, 2.0)] == pytest.approx(4.0, rel=1e-9)


def test_numeric_plot_draws_the_derivative(ip):
    ip.run_cell("def ramp(x):\n    return x * x if x > 0 else 0.0\n")
    r = ip.run_line_magic("deriv", "ramp --range 1,2")
    xs, ys = r.figure.axes[0].lines[1].get_data()
    assert np.allclose(ys, 2 * xs, rtol=1e-8)


def test_no_numpy_warnings_reach_the_user(ip):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ip.run_line_magic("grad", "log(x)+y --at 0,1 --method numeric --no-plot")
        ip.run_line_magic("deriv", "exp(x) --at 800 --method numeric --no-plot")
        ip.run_line_magic("deriv", "sin(x)/x --at 0 --method numeric --no-plot")
    assert [str(w.message) for w in caught] == []


@pytest.mark.parametrize("definition, line, phrase", [
    ("def f(x):\n    raise ValueError('bad')\n", "f --at 1", "f raised ValueError at x = 1: bad"),
    ("def f(x):\n    return str(x)\n", "f --at 1", "f(1) returned str, not a number"),
    ("import numpy as np\ndef f(x):\n    return np.ones(3) * x\n", "f --at 1", "array of shape (3,)"),
    ("def f(x):\n    return float('nan') if x != 1 else (0.0 if x > 0 else 1.0)\n", "f --at 1",
     "returns NaN (or raises) on both sides of x = 1"),
    ("def f(x, y, z):\n    return x\n", "f(x) --at 1", "f cannot be called with 1 argument"),
    ("def f(x):\n    return x if x > 0 else -x\n", "f --at 1 --method symbolic", "could not be traced"),
    ("def f(x):\n    return x if x > 0 else -x\n", "f --at 1 --check", "--check needs a symbolic derivative"),
])
def test_bad_python_functions_are_one_clean_usage_error(ip, definition, line, phrase):
    ip.run_cell(definition)
    before = user_names(ip)
    with pytest.raises(UsageError) as caught:
        ip.run_line_magic("deriv", line)
    assert type(caught.value) is UsageError and phrase in str(caught.value)
    assert user_names(ip) == before
