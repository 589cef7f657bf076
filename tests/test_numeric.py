"""The numeric engine, without a shell: accuracy, honest errors, domain edges, kinks, bad functions."""

import math

import numpy as np
import pytest
import sympy as sp

from ipython_gradients import numeric
from ipython_gradients.errors import EvaluationError
from ipython_gradients.numeric import Evaluator, derivative_at


def black_box(func, name="f"):
    return Evaluator(func, name)


def real_only(func):
    """The function refusing complex input (float() of a complex raises), so no complex step."""
    return lambda x: func(float(x))


@pytest.mark.parametrize("func, x, exact", [
    (math.exp, 1.0, math.e),
    (math.sin, 1.0, math.cos(1.0)),
    (lambda x: 1 / (1 + x * x), 2.0, -4 / 25),
    (lambda x: math.exp(-x * x) * math.sin(10 * x), 0.3,
     math.exp(-0.09) * (10 * math.cos(3.0) - 0.6 * math.sin(3.0))),
    (math.log, 0.05, 20.0),
    (math.tan, 1.5, 1 / math.cos(1.5) ** 2),
])
def test_ridders_on_real_only_functions_is_accurate_and_its_error_estimate_honest(func, x, exact):
    result = derivative_at(black_box(real_only(func)), x)
    assert result.status == "ok" and result.method == "central differences"
    true_error = abs(result.value - exact)
    assert true_error <= 1e-9 * max(1.0, abs(exact))
    assert true_error <= 10 * result.error


def test_complex_step_where_the_function_accepts_complex_input():
    result = derivative_at(black_box(np.exp), 1.0)
    assert result.method == "complex step"
    assert abs(result.value - math.e) <= 2 * numeric.EPS * math.e


def test_corner_is_not_a_confident_zero():
    result = derivative_at(black_box(abs), 0.0)
    assert result.status == "not differentiable" and result.reason == "corner"
    assert result.left == pytest.approx(-1) and result.right == pytest.approx(1)


def test_smooth_through_zero_is_not_a_corner():
    result = derivative_at(black_box(lambda x: x * abs(x)), 0.0)
    assert result.status == "ok" and abs(result.value) < 1e-8


def test_edge_of_the_domain_uses_one_side():
    near = derivative_at(black_box(math.sqrt), 1e-3)  # math.sqrt raises left of 0
    assert near.status == "ok" and near.value == pytest.approx(0.5 / math.sqrt(1e-3), rel=1e-9)
    edge = derivative_at(black_box(math.sqrt), 0.0)
    assert edge.status == "not differentiable" and edge.reason == "edge of the domain"
    assert edge.left is None and edge.right == math.inf
    nan_side = derivative_at(black_box(lambda x: math.log(x) if x > 0 else math.nan), 0.01)
    assert nan_side.value == pytest.approx(100.0, rel=1e-9)


def test_vertical_tangent():
    result = derivative_at(black_box(np.cbrt), 0.0)
    assert result.status == "infinite" and result.left == result.right == math.inf


def test_second_derivative():
    result = derivative_at(black_box(math.sin), 0.5, order=2)
    assert result.value == pytest.approx(-math.sin(0.5), rel=1e-8)


def test_honest_errors_at_a_minimum_and_for_float32():
    d = numeric.derivative_at(numeric.Evaluator(lambda x: (1 - x) ** 2 + 100 * (1 - x * x) ** 2 + 0 * math.sin(x)), 1.0)
    assert abs(d.value) <= 10 * d.error
    single = numeric.derivative_at(numeric.Evaluator(lambda x: np.float32(np.sin(x))), 1.0)
    assert abs(single.value - math.cos(1.0)) <= 10 * single.error


@pytest.mark.parametrize("func, phrase", [
    (lambda x: 1 / 0, "raised ZeroDivisionError at x = 1"),
    (lambda x: "one", "returned str, not a number"),
    (lambda x: np.array([x, x, x]), "array of shape (3,)"),
    (lambda x: math.nan, "NaN or fails at x = 1 and on both sides"),
    (lambda x: 0.0 if x == 1 else math.nan, "returns NaN (or raises) on both sides of x = 1"),
])
def test_bad_functions_give_a_clear_error(func, phrase):
    with pytest.raises(EvaluationError) as caught:
        derivative_at(black_box(func), 1.0)
    assert phrase in str(caught.value)


def test_many_points_in_few_vectorised_calls():
    calls = []

    def sin(x):
        calls.append(np.shape(x))
        return np.sin(x)

    xs = np.linspace(-3, 3, 1000)
    values, errors = numeric.derivative_many(Evaluator(sin), xs)
    assert np.max(np.abs(values - np.cos(xs))) < 1e-13
    assert len(calls) < 40 and all(shape[-1] == xs.size for shape in calls)


def test_expression_mode_complex_step_and_mpmath():
    x = sp.Symbol("x", real=True)
    evaluator = numeric.expression_evaluator(sp.log(x), x)
    result = derivative_at(evaluator, 0.05, analytic=True)
    assert result.method == "complex step" and abs(result.value - 20) <= 1e-13 * 20
    value, error = numeric.mpmath_derivative(sp.sin(x) * sp.exp(x), (x,), (0.7,), (3,))
    exact = float(sp.diff(sp.sin(x) * sp.exp(x), x, 3).subs(x, 0.7))
    assert abs(value - exact) <= 1e-14 * abs(exact)


def rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def test_gradient_hessian_jacobian_of_functions_of_several_variables():
    g, g_error = numeric.gradient(rosenbrock, (1.0, 1.0))
    assert np.all(np.abs(g) < 1e-8) and np.all(g_error < 1e-6)
    h, _ = numeric.hessian(rosenbrock, (1.0, 1.0))
    assert np.allclose(h, [[802, -400], [-400, 200]], rtol=1e-7)
    g_vector, _ = numeric.gradient(lambda v: rosenbrock(*v), (0.0, 0.0), vector_input=True)
    assert np.allclose(g_vector, [-2, 0], atol=1e-8)
    j, _ = numeric.jacobian(lambda x, y: np.array([x * y, x + y * y]), (1.0, 2.0))
    assert np.allclose(j, [[2, 1], [1, 4]], rtol=1e-9)
    with pytest.raises(EvaluationError, match="cannot be called with 2 argument"):
        numeric.gradient(lambda x: x, (1.0, 2.0))
