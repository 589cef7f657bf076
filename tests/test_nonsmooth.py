"""Non-smooth functions (max, min, abs, sign, Heaviside, floor, Piecewise): one-sided analysis that cannot lie.

Corners, jumps and switches through the API and the magics, then a property test: expressions with a
switch at a known point, analysed symbolically and numerically there and at random points, must
give the same verdict (the same value, or the same corner with the same one-sided slopes).
"""

import math
import time

import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, reject, settings
from hypothesis import strategies as st

from ipython_gradients import api, deriv, grad, tangent
from ipython_gradients.errors import GradientError

x, y = sp.symbols("x y", real=True)


def point(text, at, **options):
    [p] = deriv(text, at=at, plot=False, **options).points
    return p


# --- corners, jumps and switches through deriv, tangent and grad ----------------------------

def test_relu_has_slopes_0_and_1_away_from_0_and_a_corner_at_0():
    r = deriv("max(0, x)", at="-1,1,0", plot=False)
    left, right, corner = r.points
    assert (left.status, left.value) == ("ok", 0.0) and "constant" in left.meaning
    assert (right.status, right.value, right.meaning) == ("ok", 1.0, "increasing")
    assert (corner.status, corner.reason, corner.left, corner.right) == ("not differentiable", "corner", 0.0, 1.0)
    assert corner.meaning == "local minimum, not strict (f is constant on one side)"  # f(x) >= f(0) near 0


@pytest.mark.parametrize("text, at, left, right, meaning", [
    ("max(x, x^2)", "1", 1.0, 2.0, "neither minimum nor maximum"),
    ("min(x, x^2)", "1", 2.0, 1.0, "neither minimum nor maximum"),
    ("max(sin(x), cos(x))", "pi/4", -math.sqrt(2) / 2, math.sqrt(2) / 2, "local minimum"),
    ("min(x^2, 2 - x^2)", "1", 2.0, -2.0, "local maximum"),
    ("abs(x - 2) + x", "2", 0.0, 2.0, "local minimum, not strict (f is constant on one side)"),
    ("max(x^3, 0) - abs(x)", "0", 1.0, -1.0, "local maximum"),
])
def test_corners_report_both_slopes_and_the_extremum(text, at, left, right, meaning):
    p = point(text, at)
    assert (p.status, p.reason, p.meaning) == ("not differentiable", "corner", meaning)
    assert p.value is None and p.left == pytest.approx(left, abs=1e-12) and p.right == pytest.approx(right, abs=1e-12)


@pytest.mark.parametrize("text, at, value", [
    ("max(x, x^2)", "2", 4.0), ("max(x^2, 1)", "2", 4.0), ("max(x^2, 1)", "1/2", 0.0), ("min(x, x^2)", "1/2", 1.0),
    ("Heaviside(x)", "-1", 0.0), ("Heaviside(x)", "0.5", 0.0), ("Heaviside(x) x^2", "2", 4.0),
    ("sign(x) x^2", "0", 0.0), ("abs(x) x", "0", 0.0), ("floor(x)", "0.5", 0.0), ("ceiling(x) + x", "2.5", 1.0),
    ("max(x^3, x^2)", "0", 0.0),
])
def test_values_away_from_a_switch_or_where_both_sides_agree(text, at, value):
    p = point(text, at)
    assert p.status == "ok" and p.value == pytest.approx(value, abs=1e-12)


def test_jumps_never_reach_a_value():
    for text, at in (("Heaviside(x)", "0"), ("sign(x)", "0"), ("floor(x)", "1"), ("ceiling(x)", "-2"),
                     ("Heaviside(x - 1) + x", "1")):
        p = point(text, at)
        assert (p.status, p.value) == ("not differentiable", None) and p.reason.startswith("jump"), text


def test_jumps_are_not_vertical_tangents():
    for text, order in (("sign(x)", 1), ("Heaviside(x)", 1), ("abs(x)", 2)):
        [p] = deriv(text, at="0", order=order, plot=False).points
        assert p.status == "not differentiable" and p.reason.startswith("jump")
    assert deriv("floor(x)", at="1", plot=False).points[0].reason.startswith("jump")
    assert deriv("floor(x)", at="0.5", plot=False).values == {0.5: 0.0}


def test_stationary_points_at_a_switch_are_classified_from_both_sides():
    f = sp.Piecewise((x**2, x < 0), (x**3, True))  # f' = 0 from both sides; f >= 0 around 0
    p = point(f, "0")
    assert (p.status, p.value, p.meaning) == ("ok", 0.0, "stationary: local minimum")
    g = sp.Piecewise((-x**2, x < 0), (x**3, True))  # below on the left, above on the right
    assert point(g, "0").meaning == "stationary: neither minimum nor maximum"
    assert point("sign(x) x^2", "0").meaning == "stationary: neither minimum nor maximum"


def test_second_derivatives_at_switches():
    assert point("abs(x)", "0", order=2).reason.startswith("jump")  # f' jumps
    p = point("x abs(x)", "0", order=2)  # f' = 2|x|: a corner of f'
    assert (p.status, p.left, p.right) == ("not differentiable", -2.0, 2.0)
    assert point(sp.Piecewise((x**2, x < 0), (x**2 + x**3, True)), "0", order=2).value == 2.0


def test_heaviside_at_many_points_is_quick():
    started = time.perf_counter()
    r = deriv("Heaviside(x)", at="-1,0.5,1,2", plot=False)
    assert time.perf_counter() - started < 1.0
    assert r.values == {-1.0: 0.0, 0.5: 0.0, 1.0: 0.0, 2.0: 0.0}


def test_max_and_min_at_and_beside_their_switches_answer_well_under_a_second():
    for text, at in (("max(0, x)", "-1,1"), ("max(x, x^2)", "1,2"), ("min(x, x^2)", "1"),
                     ("max(sin(x), cos(x))", "pi/4"), ("min(x^2, 2 - x^2)", "1"), ("max(x^2, 1)", "2")):
        started = time.perf_counter()
        deriv(text, at=at, plot=False)
        tangent(text, at=at.split(",")[0], plot=False)
        assert time.perf_counter() - started < 1.0, text


def test_no_tangent_line_at_a_corner_and_the_right_one_elsewhere():
    [line] = tangent("min(x, x^2)", at="1", plot=False).lines
    assert line.kind == "none" and "corner" in line.reason and line.coefficients == ()
    [line] = tangent("max(sin(x), cos(x))", at="pi/4", plot=False).lines
    assert line.kind == "none"
    [line] = tangent("max(x, x^2)", at="2", plot=False, order=2).lines
    assert line.kind == "taylor" and [float(c) for c in line.coefficients] == [4.0, 4.0, 1.0]
    [line] = tangent(sp.Piecewise((x**2, x < 0), (x**3, True)), at="0", plot=False).lines
    assert line.kind == "line" and [float(c) for c in line.coefficients] == [0.0, 0.0]
    [line] = tangent(sp.Piecewise((x**2, x < 0), (x**3, True)), at="0", order=2, plot=False).lines
    assert line.kind == "none"  # f'' is 2 on the left and 0 on the right


def test_symbolic_numeric_and_check_agree_at_corners_and_values():
    for text, at in (("max(0, x)", "-1,0,1"), ("min(x, x^2)", "1,3"), ("max(sin(x), cos(x))", "pi/4"),
                     ("abs(x - 1)", "1,2")):
        symbolic = deriv(text, at=at, plot=False)
        numeric = deriv(text, at=at, method="numeric", plot=False)
        for s, n in zip(symbolic.points, numeric.points):
            assert s.status == n.status, (text, s.label)
            if s.status == "ok":
                assert n.value == pytest.approx(s.value, abs=1e-8)
            else:
                assert (n.left, n.right) == pytest.approx((s.left, s.right), abs=1e-6)
        checked = deriv(text, at=at, check=True, plot=False).checks
        assert all(c.symbolic is None and c.numeric is None or c.absolute < 1e-8 for c in checked)


def test_grad_agrees_with_deriv_along_each_axis():
    [corner, smooth, on_x_axis] = grad("abs(x) + abs(y)", at="0,0;1,2;1,0", plot=False).points
    assert corner.gradient is None and "corner" in corner.reason and "left slope -1" in corner.reason
    assert smooth.gradient == (1.0, 1.0)
    assert on_x_axis.gradient is None and "in y does not exist" in on_x_axis.reason
    [tie, apart] = grad("max(x, y)", at="1,1;2,1", hessian=True, plot=False).points
    assert tie.gradient is None and apart.gradient == (1.0, 0.0) and apart.hessian == ((0.0, 0.0), (0.0, 0.0))
    # |xy| is differentiable at the origin (|xy| <= (x² + y²)/2), though its pieces meet there
    r = grad("abs(x y)", at="0,0", plot=False)
    assert r.points[0].gradient == (0.0, 0.0) and "supports but does not prove" in r.text()


def test_kinks_in_gradients():
    for method in ("symbolic", "numeric"):
        [p] = grad("abs(x)+abs(y)", at="0,0", method=method, plot=False).points
        assert p.gradient is None and "not differentiable" in p.reason


def test_mixed_partials_at_a_kink():
    r = deriv("abs(x y)", wrt="x,y", at="0,0;1,1", plot=False)
    assert r.values == {(0.0, 0.0): None, (1.0, 1.0): 1.0}


def test_differentiable_points_of_non_smooth_functions_keep_their_hessian():
    [p] = grad("abs(x) + y^2", at="1,1", hessian=True, plot=False).points
    assert p.gradient == (1.0, 2.0) and p.hessian == ((0.0, 0.0), (0.0, 2.0))


def test_tangent_planes_of_non_smooth_functions():
    lines = tangent("f(x, y) = abs(x) + abs(y)\ng(x, y) = abs(x y)", at="0,0;1,1", plot=False).lines
    kinds = {(line.name, line.label): line.kind for line in lines}
    assert kinds == {("f", ("0", "0")): "none", ("f", ("1", "1")): "plane",
                     ("g", ("0", "0")): "plane", ("g", ("1", "1")): "plane"}


def test_the_magics_and_the_plot(ip):
    r = ip.run_line_magic("deriv", "max(x, x^2) --at 1,2 --no-plot")
    text = r.text()
    assert "not differentiable (corner): left 1.000, right 2.000" in text and "4.000" in text
    assert "1.500" not in text
    r = ip.run_line_magic("deriv", "max(0, x) --at 0 --range -1,1")
    assert r.figure is not None
    r = ip.run_cell_magic("tangent", "--at 1 --no-plot", "min(x, x^2)")
    assert "corner" in r.text() and "3x/2" not in r.text().replace(" ", "")
    r = ip.run_line_magic("grad", "abs(x) + abs(y) --at 0,0 --no-plot")
    assert "corner" in r.text()


def test_derivative_curves_have_no_point_at_a_jump():
    import numpy as np

    from ipython_gradients.derivatives import _curve_values, as_function

    r = deriv("max(0, x)", samples=401, range="-1,1", plot=False)
    values = _curve_values(as_function("max(0, x)", None), r, 1, np.linspace(-1, 1, 401))
    assert math.isnan(values[200]) and values[199] == 0.0 and values[201] == 1.0


def test_undecidable_sides_fall_back_to_numeric_and_say_so():
    from ipython_gradients.branches import Undecided, side_sign

    wiggle = x**2 * sp.sin(1 / x)
    with pytest.raises(Undecided):  # x² sin(1/x) changes sign on every interval beside 0
        side_sign(wiggle, x, sp.S.Zero, 1)
    p = point(sp.Piecewise((sp.Max(0, wiggle), sp.Ne(x, 0)), (0, True)), "0")  # which piece: unknown
    assert p.status == "ok" and abs(p.value) < 1e-6 and "numeric" in p.method
    p = point(sp.Piecewise((wiggle, sp.Ne(x, 0)), (0, True)), "0")  # the difference quotient's limit decides
    assert (p.status, p.value, p.method) == ("ok", 0.0, "")
    assert p.meaning == "stationary: test inconclusive"  # f takes both signs on every side of 0


# --- property: symbolic and numeric verdicts agree at and away from switches -------------------

SMOOTH = ["x", "x^2", "x^3 - x", "sin(x)", "cos(x)", "exp(x)", "2x + 1", "x^2 - 3x", "atan(x)"]


def switched(draw_g, draw_h, a, kind, c):
    """An expression with a switch at x = a built from smooth pieces g, h (text)."""
    shift = f"(x - ({a}))"
    g, h = draw_g, draw_h
    return {
        "abs": f"abs({shift}) * ({c}) + {g}",
        "abs-product": f"abs({shift} * ({g}))",
        "max": f"max({g}, {g} + ({c}) * {shift})",
        "min": f"min({g}, {g} + ({c}) * {shift}^2 + ({c}) * {shift})",
        "relu": f"max(0, {shift} * ({c})) + {h}",
        "smooth-join": f"sign({shift}) * {shift}^2 + {g}",
        "heaviside": f"Heaviside({shift}) * ({c}) + {g}",
        "floor": f"floor({shift}) + {g}",
    }[kind]


@st.composite
def nonsmooth_cases(draw):
    a = draw(st.sampled_from(["0", "1", "-1", "1/2", "2", "-3/2"]))
    kind = draw(st.sampled_from(["abs", "abs-product", "max", "min", "relu", "smooth-join", "heaviside", "floor"]))
    c = draw(st.sampled_from(["1", "2", "-1", "-3", "1/2"]))
    text = switched(draw(st.sampled_from(SMOOTH)), draw(st.sampled_from(SMOOTH)), a, kind, c)
    offset = draw(st.sampled_from(["0", "0", "3/10", "-7/10", "11/10"]))  # at the switch, or beside it
    return text, str(sp.sympify(f"{a} + {offset}"))


def _answered(function, *args, **kwargs):
    try:
        return function(*args, timeout=20, plot=False, **kwargs)
    except GradientError:  # a clean refusal, or the time limit (TimeLimitExceeded)
        reject()


@pytest.mark.slow
@settings(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(nonsmooth_cases())
def test_symbolic_and_numeric_verdicts_agree_on_non_smooth_functions(case):
    text, at = case
    [s] = _answered(api.deriv, text, at=at).points
    [n] = _answered(api.deriv, text, at=at, method="numeric").points
    assume("numeric" not in s.method)  # where SymPy could not decide, the numeric answer is the answer
    assert s.status == n.status, (text, at, s, n)
    if s.status == "ok":
        assert n.value == pytest.approx(s.value, abs=max(1e-6, 100 * (n.error or 0)), rel=1e-6), (text, at)
        assert s.value is not None and math.isfinite(s.value)
    elif s.status == "not differentiable" and s.reason == "corner":
        assert n.reason == "corner", (text, at, n)
        assert (n.left, n.right) == pytest.approx((s.left, s.right), rel=1e-5, abs=1e-6), (text, at)
    # a tangent line exists exactly where the derivative does
    [line] = _answered(api.tangent, text, at=at).lines
    assert (line.kind == "line") == (s.status == "ok"), (text, at, line)
    if line.kind == "line":
        assert float(line.coefficients[1]) == pytest.approx(s.value, abs=1e-12)


SMOOTH_XY = ["x", "y", "x^2", "y^2", "x y", "x - y", "x + 2y - 1", "x^2 + y^2 - 1", "sin(x)", "cos(y)"]


@st.composite
def nonsmooth_surfaces(draw):
    g, h = draw(st.sampled_from(SMOOTH_XY)), draw(st.sampled_from(SMOOTH_XY))
    q = draw(st.sampled_from(["x^2 + y^2", "(x - 1)^2 + y^2", "x^2 + 2y^2", "0"]))
    form = draw(st.sampled_from(["abs({g}) + {q}", "max({g}, {h}) + {q}", "min({g}, {h}) - {q}",
                                 "abs({g}) + abs({h}) + {q}", "max(0, {g}) + {q}"]))
    return form.format(g=g, h=h, q=q)


@pytest.mark.slow
@settings(deadline=None, derandomize=True, max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(nonsmooth_surfaces())
def test_critical_points_of_non_smooth_functions_are_critical(text):
    """Every reported point has ∇f = 0 there (from the smooth piece around it), or no gradient at all."""
    from ipython_gradients import calculus
    from ipython_gradients.expressions import parse_expression

    result = _answered(api.grad, text, critical=True, range="-3,3")
    f = parse_expression(text)
    variables = tuple(sp.Symbol(v.name, real=True) for v in result.variables)  # the engine's, as in f
    for c in result.critical:
        point = c.exact if c.exact is not None else tuple(sp.Rational(v) for v in c.point)
        try:
            local = calculus.local_gradient(f, variables, point)
        except calculus.Undecided:
            continue
        if c.kind.startswith("gradient undefined"):
            assert local.piece is None and local.gradient is None, (text, c)
            continue
        if local.piece is not None:
            gradient = [float(sp.N(sp.diff(local.piece, v).subs(dict(zip(variables, point))), 30)) for v in variables]
        else:
            gradient = list(local.gradient or [])
        scale = 1.0 + max(abs(float(v)) for v in c.point)
        assert gradient and max(map(abs, gradient)) < 1e-6 * scale, (text, c, gradient)


@pytest.mark.parametrize("g", [x * sp.sin(1 / x), x * sp.cos(1 / x), sp.Abs(x) * sp.sin(1 / x),
                               x * sp.sin(sp.log(sp.Abs(x))), sp.Abs(x) * sp.sin(sp.log(sp.Abs(x)))])
def test_oscillating_difference_quotients_give_no_derivative(g):
    f = sp.Piecewise((g, sp.Ne(x, 0)), (0, True))  # continuous at 0, but (f(h) - f(0))/h has no limit
    p = point(f, "0")
    assert (p.status, p.value) == ("not differentiable", None) and "oscillates" in p.reason
    assert tangent(f, at="0", plot=False).lines[0].kind == "none"


def test_an_oscillating_f_prime_can_still_have_a_derivative_but_no_second():
    f = sp.Piecewise((x**2 * sp.cos(1 / x), sp.Ne(x, 0)), (0, True))
    p = point(f, "0")
    assert (p.status, p.value) == ("ok", 0.0)
    assert p.meaning == "stationary: test inconclusive"  # f < 0 at 1/((2k+1)π): no minimum, no maximum
    assert point(f, "0", order=2).status == "not differentiable"
    [line] = tangent(f, at="0", order=2, plot=False).lines
    assert line.kind == "none"


def test_removable_discontinuities_and_one_vertical_side():
    p = point(sp.Piecewise((sp.sin(x) / x, sp.Ne(x, 0)), (0, True)), "0")
    assert p.reason.startswith("removable discontinuity")
    half = sp.Piecewise((x, x < 0), (sp.sqrt(x), True))  # slope 1 on the left, vertical on the right
    p = point(half, "0")
    assert (p.reason, p.left, p.right) == ("vertical on one side", 1.0, math.inf)
    [line] = tangent(half, at="0", plot=False).lines
    assert line.kind == "none" and "vertical on one side" in line.reason
    assert tangent("x^(2/3)", at="0", plot=False).lines[0].kind == "vertical"  # a cusp's tangent is vertical


def test_order_above_one_says_what_planes_get():
    r = tangent("x^2 y", at="1,2", order=2, plot=False)
    assert r.lines[0].kind == "plane" and "tangent plane (first order)" in " ".join(r.notes)


def test_kink_points_in_three_variables():
    for text, where in (("abs(x) + abs(y) + abs(z)", (0.0, 0.0, 0.0)), ("abs(x - 1) + abs(y) + z^2", (1.0, 0.0, 0.0))):
        r = grad(text, critical=True, plot=False)
        assert [c.point for c in r.critical] == [where], text
        assert r.critical[0].kind.startswith("gradient undefined; local minimum")
        assert "curves or surfaces" in r.critical_note


def test_a_kink_of_a_real_root_where_the_gradient_still_exists():
    # x^(1/3)·y at the origin: |f| <= r^(4/3), so ∇f = (0, 0) there; |x| + |y| has no gradient there
    [c] = grad("x^(1/3) y", critical=True, plot=False).critical
    assert c.point == (0.0, 0.0) and not c.kind.startswith("gradient undefined")
    assert grad("x^(1/3) y", at="0,0", plot=False).points[0].gradient == (0.0, 0.0)
