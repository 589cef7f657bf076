"""Constrained extrema (--subject-to): Lagrange multipliers, verified and classified, on textbook problems."""

import math

import pytest
import sympy as sp
from IPython.core.error import UsageError

from ipython_gradients import grad
from ipython_gradients.constrained import DEPENDENT, INCONCLUSIVE, MAXIMUM, MINIMUM, NEITHER

R2, R3 = math.sqrt(2), math.sqrt(3)

# f, the constraints, and the candidates expected: point -> (f there, kind).
TEXTBOOK = [
    ("x y", "x^2 + y^2 = 1", {(-R2 / 2, -R2 / 2): (0.5, MAXIMUM), (-R2 / 2, R2 / 2): (-0.5, MINIMUM),
                              (R2 / 2, -R2 / 2): (-0.5, MINIMUM), (R2 / 2, R2 / 2): (0.5, MAXIMUM)}),
    ("x + y + z", "x^2 + y^2 + z^2 = 1", {(-1 / R3,) * 3: (-R3, MINIMUM), (1 / R3,) * 3: (R3, MAXIMUM)}),
    ("x^2 + y^2", "x + y = 1", {(0.5, 0.5): (0.5, MINIMUM)}),
    ("x y z", "2 x y + 2 y z + 2 z x = 6", {(-1, -1, -1): (-1, MINIMUM), (1, 1, 1): (1, MAXIMUM)}),  # the box
    ("x^2 + y^2 + z^2", "x + 2 y + 2 z = 9", {(1, 2, 2): (9, MINIMUM)}),  # the closest point on a plane
    ("x^2 + 2 y^2", "x^2 + y^2 = 1", {(-1, 0): (1, MINIMUM), (0, -1): (2, MAXIMUM), (0, 1): (2, MAXIMUM),
                                      (1, 0): (1, MINIMUM)}),
    ("3x + 4y", "x^2 + y^2 = 25", {(-3, -4): (-25, MINIMUM), (3, 4): (25, MAXIMUM)}),
    ("x^2 y", "x^2 + y^2 = 3", {(-R2, -1): (-2, MINIMUM), (-R2, 1): (2, MAXIMUM), (0, -R3): (0, MAXIMUM),
                                (0, R3): (0, MINIMUM), (R2, -1): (-2, MINIMUM), (R2, 1): (2, MAXIMUM)}),
    ("sqrt(x y)", "x + y = 10", {(5, 5): (5, MAXIMUM)}),  # a utility on a budget line
    ("x y z", "x + y + z = 3; x - y = 0", {(0, 0, 3): (0, MINIMUM), (1, 1, 1): (1, MAXIMUM)}),  # two constraints
    # degenerate second-order tests settled by the first nonzero derivative of f along the curve
    ("f(x, y) = x^3", "y = 0", {(0, 0): (0, NEITHER)}),  # f rises one way and falls the other
    ("f(x, y) = x^4 + y", "y = 0", {(0, 0): (0, MINIMUM)}),
    ("f(x, y) = y - x^4", "y = 0", {(0, 0): (0, MAXIMUM)}),
    ("f(x, y) = x^2 y", "x = y^2", {(0, 0): (0, NEITHER)}),  # f = y⁵ along the curve x(y)
    ("f(x, y) = x", "y^2 = x^3", {(0, 0): (0, DEPENDENT)}),  # the cusp: ∇g = 0, no multiplier
]


@pytest.mark.parametrize("f, constraints, expected", TEXTBOOK, ids=[f"{c[0]} on {c[1]}" for c in TEXTBOOK])
def test_textbook_problems(f, constraints, expected):
    result = grad(f, subject_to=constraints, plot=False, range="0.1,10" if f == "sqrt(x y)" else None)
    found = {p.point: (p.value, p.kind) for p in result.constrained}
    assert len(found) == len(expected), found
    for (point, (value, kind)), p in zip(sorted(expected.items()), result.constrained):
        assert p.point == pytest.approx(point, abs=1e-12) and p.value == pytest.approx(value, abs=1e-12), p
        assert p.kind == kind
        if kind != DEPENDENT:  # verified: ∇f = Σ λ∇g and every constraint holds there
            equations = [sp.sympify(c.lhs - c.rhs) for c in result.constraints]
            at = dict(zip(result.variables, point))
            for g in equations:
                assert abs(float(g.subs(at))) < 1e-9
            gradient = [float(sp.diff(result.expr, v).subs(at)) for v in result.variables]
            combined = [sum(lam * float(sp.diff(g, v).subs(at)) for lam, g in zip(p.multipliers, equations))
                        for v in result.variables]
            assert gradient == pytest.approx(combined, abs=1e-9)


def test_a_numeric_search_says_it_may_miss_points():
    result = grad("exp(x) + y", subject_to="x^2 + sin(y) = 1", range="-3,3", plot=False)
    assert "numerically" in result.constrained_note and "may miss points" in result.constrained_note
    assert all(-3 <= c <= 3 for p in result.constrained for c in p.point)
    kinds = {p.kind for p in result.constrained}
    assert MINIMUM in kinds and MAXIMUM in kinds


def test_the_output_and_the_figure():
    result = grad("x y", subject_to="x^2 + y^2 = 1")
    text = result.text()
    assert "Extrema of f subject to" in text and "f = 0.500, λ = 0.500: constrained local maximum" in text
    assert r"\text{Extrema of } f \text{ subject to } x^{2} + y^{2} = 1" in result.latex()
    axes = result.figure.axes[0]
    labels = [t.get_text() for t in axes.get_legend().get_texts()]
    assert labels[0] == "level curves of f through the points" and "constrained local maximum" in labels
    assert axes.get_xlim()[1] < 3  # fitted to the candidates, not the default range


@pytest.mark.parametrize("line, phrase", [
    ("x y --subject-to x^2 + y^2", "needs an equation with one '='"),
    ("x --subject-to x + y = 1", r"y is not a variable of the function .* f\(x, y\) = \.\.\."),
    ("[x, y] --subject-to x = 1", "needs a scalar function"),
    ("x + y --subject-to x = 1; y = 2; x + y = 3", "3 constraints on 2 variables"),
    ("x + y --subject-to 1 = 1", "the constraint has no variables"),
])
def test_refusals_are_one_line(ip, line, phrase):
    with pytest.raises(UsageError, match=phrase):
        ip.run_line_magic("grad", line + " --no-plot")


def test_periodic_systems_are_searched_in_the_range_too():
    """SymPy's solve gives one period: (−π, 0) and the minimum of sin x + sin y on x + y = π/2 were missed."""
    points = [p.point for p in grad("x + y", subject_to="y = sin(x)", plot=False).constrained]
    assert any(p == pytest.approx((-math.pi, 0), abs=1e-9) for p in points)
    result = grad("sin(x) + sin(y)", subject_to="x + y = pi/2", plot=False)
    minima = [p for p in result.constrained if p.kind == MINIMUM]
    assert minima and all(p.value == pytest.approx(-R2) for p in minima)
    assert "one period" in result.constrained_note and "may miss" in result.constrained_note


def test_the_classification_does_not_depend_on_the_order_of_the_variables():
    """A vanishing leading minor of the bordered Hessian was read as a degenerate test."""
    (point,) = grad("x^2 + y^2 + z^2", subject_to="z = 1", plot=False).constrained
    assert point.kind == MINIMUM
    kinds = {p.point: p.kind for p in grad("x y z", subject_to="x + y + z = 12", plot=False).constrained}
    assert kinds[(0, 0, 12)] == kinds[(0, 12, 0)] == kinds[(12, 0, 0)] != INCONCLUSIVE


def test_whole_sets_of_candidates_are_named_not_sampled():
    result = grad("x + y", subject_to="x + y = 1", plot=False)
    assert "whole sets of candidates" in result.constrained_note and not result.constrained


@pytest.mark.parametrize("constraints, phrase", [("(x^2 + y^2 - 1)^2 = 0", "more than once"),
                                                 ("x^2 + y^2 = 1; x^2 + y^2 = 1", "dependent everywhere")])
def test_constraints_the_multiplier_rule_cannot_see_are_refused(constraints, phrase):
    from ipython_gradients.errors import GradientError

    with pytest.raises(GradientError, match=phrase):
        grad("x y", subject_to=constraints, plot=False)


# Points where f or the constraint is not differentiable are candidates the multiplier rule cannot see.
KINKED = [
    ("f(x, y) = y", "x^(2/3) + y^(2/3) = 1", {(0, 1): 1, (0, -1): -1}),  # the astroid's cusps hold its extremes
    ("f(x, y) = abs(x) + y", "x^2 + y^2 = 1", {(0, -1): -1, (0, 1): 1}),  # the minimum sits at f's corner
    ("x + y", "abs(x) + abs(y) = 1", {(1, 0): 1, (0, 1): 1, (-1, 0): -1, (0, -1): -1}),  # the diamond's corners
    ("f(x, y) = x + y", "x^(1/3) + y^2 = 1", {(0, 1): 1, (0, -1): -1}),  # ∛x has a vertical tangent at 0
]


@pytest.mark.parametrize("f, constraint, corners", KINKED, ids=[f"{c[0]} on {c[1]}" for c in KINKED])
def test_points_where_a_gradient_is_undefined_are_listed(f, constraint, corners):
    from ipython_gradients.constrained import KINK

    result = grad(f, subject_to=constraint, plot=False)
    listed = {tuple(round(c, 12) for c in p.point): p for p in result.constrained if p.kind == KINK}
    assert set(listed) >= set(corners), listed
    for point, value in corners.items():
        assert listed[point].value == pytest.approx(value, abs=1e-12) and listed[point].multipliers == ()
    assert "not differentiable where" in result.constrained_note
    # the extremes of f over all candidates are the true ones (f's range on these sets is [-1, 1] or so)
    values = [p.value for p in result.constrained]
    assert min(values) == pytest.approx(min(corners.values())) and max(values) >= max(corners.values()) - 1e-12


def test_constraints_with_no_common_point_are_said_to_have_none_at_once():
    import time

    start = time.perf_counter()
    result = grad("x + y", subject_to="x^2 + y^2 = 1; x = 2", plot=False)
    assert time.perf_counter() - start < 3
    assert result.constrained == [] and result.constrained_note.startswith("No point satisfies the constraints")
    assert "may miss" not in result.constrained_note
    assert grad("x + y", subject_to="x^2 + y^2 = -1", plot=False).constrained_note.startswith("No point satisfies")


def test_no_claim_of_completeness_rests_on_sympys_solve_alone():
    """SymPy's solve missed the extremes of x³ + y on x⁴ + y⁴ = 1 and said x y + x on a closed quartic curve
    had no Lagrange points at all: Newton's method searches the range every time, and the note says so."""
    result = grad("x^3 + y", subject_to="x^4 + y^4 = 1", plot=False)
    extremes = [p for p in result.constrained if p.kind in (MINIMUM, MAXIMUM)]
    assert [p.value for p in extremes] == pytest.approx([-1.51492, 1.51492], abs=1e-5)
    assert "Newton's method found 2 more" in result.constrained_note and "may miss" in result.constrained_note
    closed = grad("x y + x", subject_to="x^4 + 2 y^4 + x y = 3", plot=False)
    assert sorted(round(p.value, 5) for p in closed.constrained) == [-2.47309, -0.12536, 0.02516, 1.94867]
    cusp = grad("f(x, y) = x", subject_to="y^2 = x^3", plot=False)
    assert [p.point for p in cusp.constrained] == [(0.0, 0.0)] and "may miss" in cusp.constrained_note


def test_dependent_points_of_a_periodic_constraint_are_found_in_every_period_of_the_range():
    result = grad("x y", subject_to="sin(x) + y^2 = 1", plot=False)
    dependent = sorted(p.point[0] for p in result.constrained if p.kind == DEPENDENT)
    assert dependent == pytest.approx([-3 * math.pi / 2, math.pi / 2], abs=1e-9)


def test_jumping_functions_are_refused_with_a_reason():
    for f, constraint in [("floor(x) + y", "x^2 + y^2 = 1"), ("x + y", "ceil(x) + y^2 = 1")]:
        with pytest.raises(Exception, match="needs continuous functions; .* jumps"):
            grad(f, subject_to=constraint, plot=False)


def test_a_trailing_separator_does_not_swallow_the_next_option(ip):
    result = ip.run_line_magic("grad", "x^2 + y^2 --subject-to x + y = 1; --no-plot")
    assert [p.point for p in result.constrained] == [pytest.approx((0.5, 0.5))] and result.figure is None
    rates = ip.run_line_magic("deriv", "V = 4/3 pi r^3 --rate t --given dr/dt=2; --at r=5 --no-plot")
    assert "200" in rates.text()
    with pytest.raises(UsageError, match="--at: a number is missing .*or one at the end"):
        ip.run_line_magic("grad", "x^2 + y^2 --at 1,2; --no-plot")


def test_inequality_constraints_are_refused_with_what_to_do_instead(ip):
    with pytest.raises(UsageError, match=r"not inequalities; got 'x\^2 \+ y\^2 <= 1' \(for a region, find the "
                                         r"interior's critical points with --critical"):
        ip.run_line_magic("grad", "x + y --subject-to x^2 + y^2 <= 1 --no-plot")


def test_problems_at_a_tiny_scale_keep_their_points_apart_and_their_gradients_nonzero():
    r = math.sqrt(2) / 2 * 1e-15
    result = grad("x + y", subject_to="x^2 + y^2 = 1e-30", plot=False)
    assert [(p.point, p.kind) for p in result.constrained] == [
        (pytest.approx((-r, -r), rel=1e-12), MINIMUM), (pytest.approx((r, r), rel=1e-12), MAXIMUM)]
    assert result.constrained[1].multipliers == pytest.approx((1 / (2 * r),), rel=1e-12)


def test_a_point_at_an_edge_of_the_domain_is_listed_as_such_not_classified():
    from ipython_gradients.constrained import EDGE

    result = grad("x^y", subject_to="x + y = 3", plot=False)  # x^y only shrinks as x → 0, where it stops being real
    assert [p.kind for p in result.constrained] == [EDGE, MAXIMUM]
    edge, top = result.constrained
    assert edge.point == pytest.approx((0, 3), abs=1e-12) and edge.multipliers == () and abs(edge.value) < 1e-40
    assert top.point == pytest.approx((1.85455, 1.14545), abs=1e-5)


def test_values_at_exact_points_are_exact():
    result = grad("sin(x)^2 + y", subject_to="y = 0", plot=False)
    at_pi = [p for p in result.constrained if p.exact is not None and p.point[0] == pytest.approx(math.pi)]
    assert len(at_pi) == 1 and at_pi[0].value == 0.0  # sin(π)² is 0, not 10⁻⁶²


def test_a_non_smooth_constraint_with_points_is_never_said_to_have_none():
    result = grad("x + y", subject_to="abs(x) + abs(y) = 1", plot=False)
    assert "No point satisfies" not in result.constrained_note and "that piece is not named" in result.constrained_note
    assert sorted(p.value for p in result.constrained) == [-1, -1, 1, 1]  # the corners, where the extremes are
