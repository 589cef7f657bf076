"""Cases a review of the numeric engine and %grad found wrong, kept right."""

import math
import warnings

import numpy as np
import pytest
from IPython.core.error import UsageError

from ipython_gradients import deriv, grad, numeric


@pytest.mark.parametrize("expression, at, reason", [
    ("sign(x)", "0", "jump"), ("Heaviside(x)", "0", "jump"), ("floor(x)", "1", "jump"), ("cbrt(x^2)", "0", "cusp"),
])
def test_numeric_jumps_and_cusps(expression, at, reason):
    [p] = deriv(expression, at=at, method="numeric", plot=False).points
    assert p.status == "not differentiable" and p.reason.startswith(reason)


def test_numeric_smooth_points_near_a_kink():
    for at in ("1e-4", "1e-3"):
        assert deriv("abs(x)", at=at, method="numeric", plot=False).values[float(at)] == pytest.approx(1.0)


def test_honest_errors_at_a_minimum_and_for_float32():
    d = numeric.derivative_at(numeric.Evaluator(lambda x: (1 - x) ** 2 + 100 * (1 - x * x) ** 2 + 0 * math.sin(x)), 1.0)
    assert abs(d.value) <= 10 * d.error
    single = numeric.derivative_at(numeric.Evaluator(lambda x: np.float32(np.sin(x))), 1.0)
    assert abs(single.value - math.cos(1.0)) <= 10 * single.error


def test_small_but_nonzero_curvature_and_gradient_are_not_zero():
    assert grad("x^2 + 1e-11 y^2", critical=True, plot=False).critical_points == [((0.0, 0.0), "local minimum")]
    [p] = grad("1e-15*(x^2+y^2)", at="1,1", plot=False).points
    assert not p.stationary and "steepest ascent" in grad("1e-15*(x^2+y^2)", at="1,1", plot=False).text()


def test_descent_status_is_truthful():
    assert grad("x^2+y^2", descent=True, start="1,1", rate=1e-9, plot=False).descent.status == "not converged"
    assert grad("1e-10*(x^2+y^2)", descent=True, start="1,1", plot=False).descent.status == "not converged"
    run = grad("sqrt(x)+y", descent=True, start="1,1", rate=1, plot=False).descent
    assert run.status == "diverged" and "left the domain" in run.message


def test_kinks_in_gradients():
    for method in ("symbolic", "numeric"):
        [p] = grad("abs(x)+abs(y)", at="0,0", method=method, plot=False).points
        assert p.gradient is None and "not differentiable" in p.reason


def test_a_special_case_in_traced_code_is_honoured(ip):
    ip.run_cell("import math\ndef sincf(x, y):\n    r = math.hypot(x, y)\n    return 1.0 if r == 0 else math.sin(r)/r\n")
    r = ip.run_line_magic("grad", "sincf --at 0,0;1,0 --no-plot")
    assert r.points[0].gradient == pytest.approx((0.0, 0.0), abs=1e-7)
    assert "own value differs from its traced formula" in r.text()
    assert r.method == "symbolic" and r.points[1].errors is None  # other points keep the formula


def test_vector_functions_need_their_size_and_definitions_their_names(ip):
    ip.run_cell("import numpy as np\ndef rosen(v):\n    return np.sum(100*(v[1:]-v[:-1]**2)**2 + (1-v[:-1])**2)\n")
    with pytest.raises(UsageError, match="seems to take a vector: say how many coordinates with --vars"):
        ip.run_line_magic("grad", "rosen --critical")
    with pytest.raises(UsageError, match="'1' in 'F\\(1,y\\) = \\[y,y\\]' is not a variable name"):
        ip.run_line_magic("grad", "F(1,y) = [y,y]")


def test_no_numpy_warnings_reach_the_user(ip):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ip.run_line_magic("grad", "log(x)+y --at 0,1 --method numeric --no-plot")
        ip.run_line_magic("deriv", "exp(x) --at 800 --method numeric --no-plot")
        ip.run_line_magic("deriv", "sin(x)/x --at 0 --method numeric --no-plot")
    assert [str(w.message) for w in caught] == []
