"""Critical points (%grad --critical): every point verified, near-duplicates merged, the same list on a
fast and a slow machine, degenerate points classified as far as the evidence goes, and points where
the gradient does not exist listed. Through the API and a real IPython shell."""

import math
import time

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipython_gradients import critical, grad, optimise
from ipython_gradients.errors import ComputationTimeout, GradientError

MINIMUM, MAXIMUM, SADDLE = "local minimum", "local maximum", "saddle point"
DEGENERATE = "degenerate (test inconclusive)"
NOT_EXTREMUM = "degenerate (test inconclusive); not a local extremum"


def critical_points(expression, **options):
    return grad(expression, critical=True, plot=False, **options)


def assert_verified(result, tolerance=1e-12):
    """Every point where ∇f is said to vanish has |∇f| tiny there (SymPy, 60 digits); no two points coincide."""
    gradient = [sp.diff(result.expr, v) for v in result.variables]
    for c in result.critical:
        if c.kind.startswith("gradient undefined"):
            continue
        at = dict(zip(result.variables, c.exact if c.exact is not None else [sp.Float(v, 60) for v in c.point]))
        size = max(abs(complex(sp.N(g.subs(at), 60))) for g in gradient)
        assert size < tolerance * (1 + max(abs(v) for v in c.point)) ** 4, (c, size)
    for i, a in enumerate(result.critical):
        for b in result.critical[:i]:
            assert math.dist(a.point, b.point) > 1e-6, (a, b)


# --- singular and tiny Hessians, roots SymPy drops or writes with i, kinks, domain edges ------------

def test_a_singular_hessian_does_not_make_a_critical_point():
    # at (0, 0) the Hessian is singular and Newton's step vanishes, but ∇f = (1, 0) there
    r = critical_points("x^2/2 + cos(x) + y^2 + x")
    [(point, kind)] = r.critical_points
    assert point == pytest.approx((-1.9345632107520243, 0.0), abs=1e-12) and kind == MINIMUM
    assert "found numerically" in r.critical_note
    assert_verified(r)


def test_a_degenerate_point_is_one_point_and_not_an_extremum():
    # sin(y) − y ≈ −y³/6 changes sign: (0, 0) is neither a minimum nor a maximum
    r = critical_points("cos(x) + x^2/2 + sin(y) - y")
    [c] = r.critical
    assert c.point == (0.0, 0.0) and c.exact == (0, 0)
    assert c.kind.startswith(NOT_EXTREMUM) and "odd order 3" in c.kind


def test_the_list_does_not_depend_on_how_long_sympy_may_take(monkeypatch):
    expected = [((-math.pi, -math.pi), NOT_EXTREMUM), ((-math.pi, math.pi), NOT_EXTREMUM),
                ((-math.pi / 3, -math.pi / 3), MINIMUM), ((math.pi / 3, math.pi / 3), MAXIMUM),
                ((math.pi, -math.pi), NOT_EXTREMUM), ((math.pi, math.pi), NOT_EXTREMUM)]

    def found(expression):
        r = critical_points(expression)
        assert_verified(r)
        return r, [(c.point, c.kind, c.exact) for c in r.critical]

    fast, listed = found("sin(x) + sin(y) + sin(x + y)")
    assert len(listed) == len(expected)
    for (point, kind, _), (want, word) in zip(listed, expected):
        assert point == pytest.approx(want, abs=1e-12) and kind.startswith(word)
    assert [c.exact for c in fast.critical][2:4] == [(-sp.pi / 3, -sp.pi / 3), (sp.pi / 3, sp.pi / 3)]
    assert "f is periodic, period 2·π in x, 2·π in y" in fast.critical_note
    others = {e: found(e)[1] for e in ("exp(x) - 2x + y^2", "x*exp(-x^2 - y^2)", "x^3 - 3x + y^2")}

    def slow_solve(*args, **kwargs):  # a loaded machine: SymPy's share of the time runs out
        raise ComputationTimeout("gave up")

    monkeypatch.setattr(critical.sp, "solve", slow_solve)
    assert found("sin(x) + sin(y) + sin(x + y)")[1] == listed
    for expression, before in others.items():
        assert found(expression)[1] == before, expression


def test_three_real_roots_written_with_i_become_real_numbers():
    r = critical_points("x^4/4 - 3x^2/2 + x + y^2")  # x³ − 3x + 1 = 0: casus irreducibilis
    assert [c.exact for c in r.critical] == [(-2 * sp.cos(sp.pi / 9), 0), (2 * sp.cos(4 * sp.pi / 9), 0),
                                             (2 * sp.cos(2 * sp.pi / 9), 0)]
    assert [c.kind for c in r.critical] == [MINIMUM, SADDLE, MINIMUM]
    assert "solved exactly" in r.critical_note
    assert_verified(r)


def test_roots_sympy_solve_drops_are_found_exactly():
    r = critical_points("x^6/6 - x^2/2 + x/10 + y^2")  # x⁵ − x + 1/10 = 0: no radicals
    assert [c.kind for c in r.critical] == [MINIMUM, SADDLE, MINIMUM]
    assert all(c.exact is not None and c.exact[0].has(sp.CRootOf) for c in r.critical)
    assert "(0.97326, 0)   local minimum" in r.text()  # shown by their digits
    assert_verified(r)


@pytest.mark.parametrize("expression, kind", [
    ("abs(x) + abs(y)", MINIMUM), ("sqrt(x^2 + y^2)", MINIMUM), ("1 - sqrt(x^2 + y^2)", MAXIMUM),
    ("abs(x) + y^2", MINIMUM), ("(x^2 + y^2)^(1/3)", MINIMUM), ("abs(x - y) + x^2", MINIMUM), ("abs(x)", MINIMUM),
])
def test_points_where_the_gradient_does_not_exist(expression, kind):
    r = critical_points(expression)
    [c] = r.critical
    assert c.point == (0.0,) * len(r.variables) and c.exact is not None
    assert c.kind == f"gradient undefined; {kind}: f(p + h) {'>' if kind == MINIMUM else '<'} f(p) for every h ≠ 0 " \
                     "(proved with SymPy)"
    assert "∇f does not exist" in r.critical_note


def test_whole_curves_where_the_gradient_does_not_exist_are_named_not_listed():
    r = critical_points("abs(x) + abs(y)")
    assert "∇f does not exist anywhere on x = 0 and y = 0" in r.critical_note
    assert "whole curves" in r.critical_note
    r = critical_points("max(x, y)")
    assert r.critical == [] and "∇f does not exist anywhere on x - y = 0" in r.critical_note


def test_edges_of_the_domain_and_points_outside_it_are_not_interior_critical_points():
    r = critical_points("y sqrt(x) - y^2 - x + 6y", range="0.01,20")
    assert r.critical_points == [((4.0, 4.0), MAXIMUM)] and "(0, 3)" in r.critical_note
    r = critical_points("y sqrt(x) - y^2 - x + 6y")  # the edge x = 0 crosses this range
    assert r.critical_points == [((4.0, 4.0), MAXIMUM)] and "x = 0, an edge of f's domain" in r.critical_note
    assert critical_points("x/(x^2 - y)").critical_points == []  # 0/0 at the origin: not in the domain
    r = critical_points("log(x) + y^2")
    assert r.critical_points == [] and "x = 0" not in r.critical_note  # f is not defined there at all


@pytest.mark.slow
def test_numeric_hessian_noise_is_not_an_extremum():
    r = critical_points("x^3 + y^3", method="numeric")
    [c] = r.critical
    assert np.allclose(c.point, 0, atol=1e-3) and c.kind.startswith(DEGENERATE)
    assert MAXIMUM not in c.kind and MINIMUM not in c.kind
    r = critical_points("x^3 - 3x + y^2", method="numeric")
    assert [kind for _, kind in r.critical_points] == [SADDLE, MINIMUM]


def test_exact_hessians_are_judged_exactly():
    assert critical_points("x^2 + 1e-14 y^2").critical_points == [((0.0, 0.0), MINIMUM)]
    assert critical_points("x^2 - 1e-14 y^2").critical_points == [((0.0, 0.0), SADDLE)]
    [p] = grad("x^2 + 1e-14 y^2", at="0,0", hessian=True, plot=False).points
    assert p.definiteness == "positive definite"


def test_small_but_nonzero_curvature_and_gradient_are_not_zero():
    assert grad("x^2 + 1e-11 y^2", critical=True, plot=False).critical_points == [((0.0, 0.0), "local minimum")]
    [p] = grad("1e-15*(x^2+y^2)", at="1,1", plot=False).points
    assert not p.stationary and "steepest ascent" in grad("1e-15*(x^2+y^2)", at="1,1", plot=False).text()


# --- textbook exercises ---------------------------------------------------------------------------

R2 = math.sqrt(2)


@pytest.mark.parametrize("expression, options, expected", [
    ("x^3 + y^3 - 3 x y", {}, [((0, 0), SADDLE), ((1, 1), MINIMUM)]),
    ("x^4 + y^4 - 4 x y + 1", {}, [((-1, -1), MINIMUM), ((0, 0), SADDLE), ((1, 1), MINIMUM)]),
    ("3x^2 y + y^3 - 3x^2 - 3y^2 + 2", {}, [((-1, 1), SADDLE), ((0, 0), MAXIMUM), ((0, 2), MINIMUM),
                                            ((1, 1), SADDLE)]),
    ("x y exp(-(x^2 + y^2)/2)", {}, [((-1, -1), MAXIMUM), ((-1, 1), MINIMUM), ((0, 0), SADDLE),
                                     ((1, -1), MINIMUM), ((1, 1), MAXIMUM)]),
    ("x exp(-x^2 - y^2)", {}, [((-1 / R2, 0), MINIMUM), ((1 / R2, 0), MAXIMUM)]),
    ("(x^2 + y^2) exp(y^2 - x^2)", {}, [((-1, 0), SADDLE), ((0, 0), MINIMUM), ((1, 0), SADDLE)]),
    ("y^2 - 2 y cos(x)", {"range": "-1,7"}, [((0, 1), MINIMUM), ((math.pi / 2, 0), SADDLE), ((math.pi, -1), MINIMUM),
                                             ((3 * math.pi / 2, 0), SADDLE), ((2 * math.pi, 1), MINIMUM)]),
    ("x y + 1/x + 1/y", {}, [((1, 1), MINIMUM)]),
    ("exp(x) - 2x + y^2", {}, [((math.log(2), 0), MINIMUM)]),
    ("x^2 + y^2 - 2 log(x) - 18 log(y)", {"range": "0.1,5"}, [((1, 3), MINIMUM)]),
    ("exp(x) cos(y)", {}, []),
    ("x^2 + y^2 + z^2 + x y z", {}, [((-2, -2, -2), SADDLE), ((-2, 2, 2), SADDLE), ((0, 0, 0), MINIMUM),
                                     ((2, -2, 2), SADDLE), ((2, 2, -2), SADDLE)]),
    ("(x^2 + y^2)^2 + z^2", {}, [((0, 0, 0), f"{DEGENERATE}; {MINIMUM}")]),  # SymPy: x = ±i·y, whose real point is 0
])
def test_textbook_exercises(expression, options, expected):
    r = critical_points(expression, **options)
    assert len(r.critical) == len(expected), r.critical_points
    for c, (point, kind) in zip(r.critical, expected):
        assert c.point == pytest.approx(point, abs=1e-12) and c.kind.startswith(kind), c
    assert_verified(r)


# --- classification of degenerate points ------------------------------------------------------------

@pytest.mark.parametrize("expression, start", [
    ("x^4 + y^4", f"{DEGENERATE}; {MINIMUM}: f(p + h) > f(p) for every h ≠ 0"),
    ("-x^4 - y^4", f"{DEGENERATE}; {MAXIMUM}: f(p + h) < f(p) for every h ≠ 0"),
    ("x^3 + y^3", NOT_EXTREMUM),
    ("x^2 + y^3", NOT_EXTREMUM),
    ("x^3 - 3x y^2", NOT_EXTREMUM),
    ("x^2 - y^4", f"{DEGENERATE}; {SADDLE}"),
    ("x^4 - y^4", f"{DEGENERATE}; {SADDLE}: the order-4 Taylor terms take both signs"),
    ("x^2 + 2 x y + y^2 + x^4", f"{DEGENERATE}; nearby values are all higher: probably a local minimum"),
    ("x^3 y/2 + 2 cos(y)", f"{NOT_EXTREMUM}: f is constant along (1, 0)"),
    ("x^3 + y^2 + z^2", NOT_EXTREMUM),
])
def test_degenerate_points_are_classified_as_far_as_the_evidence_goes(expression, start):
    r = critical_points(expression)
    origin = [c for c in r.critical if c.point == (0.0,) * len(r.variables)]
    assert len(origin) == 1 and origin[0].kind.startswith(start), origin


def test_a_degenerate_point_nothing_decides_stays_inconclusive():
    # Peano: a minimum along every line through 0, yet f < 0 between the parabolas: no claim either way
    [(point, kind)] = critical_points("(y - x^2)(y - 2x^2)").critical_points
    assert point == (0.0, 0.0) and MINIMUM not in kind and MAXIMUM not in kind


# --- merging, curves, scale -------------------------------------------------------------------------

@pytest.mark.parametrize("expression", [
    "x^4 + y^4", "x^3 + y^3", "cos(x) + x^2/2 + sin(y) - y", "2 x y^3 + 3 y^2 + x^3 y",
    "-2 x y^3 + 2 cos(2 x) - 1 + x^3 y^2", "x^6 + y^6 + sin(x y)^2",
])
def test_slowly_converging_points_are_merged_and_verified(expression):
    assert_verified(critical_points(expression))


def test_curves_of_critical_points_are_not_listed_point_by_point():
    r = critical_points("x^2 y")
    assert r.critical_points == [] and "Also whole sets of critical points where x = 0" in r.critical_note
    r = critical_points("(x^2 + y^2 - 1)^2")
    assert r.critical_points == [((0.0, 0.0), MAXIMUM)] and "x² + y² - 1 = 0" in r.critical_note
    r = critical_points("sin(x + y)")
    assert r.critical_points == [] and "whole curves of critical points" in r.critical_note
    r = critical_points("exp(-(x - y)^2)")  # far from x = y the gradient is tiny, but not zero
    assert r.critical_points == [] and "x = y" in r.critical_note


def test_a_small_gradient_far_out_on_a_slope_is_not_a_critical_point():
    r = critical_points("x exp(-x^2 - y^2) + exp(x)/10^30")
    assert_verified(r)
    assert all(abs(c.point[0]) < 1 for c in r.critical)


def test_no_grid_of_starts_per_axis_to_the_n_is_built():
    box = [(-1.0, 1.0)] * 40
    calls = []

    def gradient(*point):
        calls.append(1)
        return np.asarray(point)

    found = optimise.newton_critical_points(gradient, lambda *p: np.eye(40), box, starts_per_axis=7, iterations=3)
    assert len(calls) <= 400 * 3 and len(found) == 1 and np.allclose(found[0], 0)
    assert critical.search_starts(box, 800).shape == (800, 40)


# --- through the magic --------------------------------------------------------------------------------

def test_the_magic_lists_verified_points(ip):
    r = ip.run_line_magic("grad", "x^2/2 + cos(x) + y^2 + x --critical --no-plot")
    assert [kind for _, kind in r.critical_points] == [MINIMUM]
    text = ip.run_line_magic("grad", "cos(x) + x^2/2 + sin(y) - y --critical --no-plot").text()
    assert "(0, 0)   degenerate (test inconclusive); not a local extremum" in text


def test_the_magic_shows_exact_real_roots_and_kinks(ip):
    text = ip.run_line_magic("grad", "x^4/4 - 3x^2/2 + x + y^2 --critical --no-plot").text()
    assert "(2·cos(2·π/9) ≈ 1.53209, 0)   local minimum" in text and "I" not in text.split("Critical points")[1]
    r = ip.run_line_magic("grad", "abs(x) + abs(y) --critical --no-plot")
    assert "(0, 0)   gradient undefined; local minimum" in r.text()
    latex = r._repr_mimebundle_()["text/latex"]
    assert r"\text{gradient undefined; local minimum" in latex


@pytest.mark.slow
def test_the_magic_with_numeric_derivatives_and_a_plot(ip):
    r = ip.run_line_magic("grad", "x^3 + y^3 --critical --method numeric --no-plot")
    assert r.critical_points[0][1].startswith(DEGENERATE)
    r = ip.run_line_magic("grad", "sin(x) + sin(y) + sin(x + y) --critical --range -4,4")
    labels = {t.get_text() for t in r.figure.axes[0].get_legend().get_texts()}
    assert {MINIMUM, MAXIMUM, SADDLE} <= labels  # (±π, ±π), proved not extrema, are drawn as saddles


@pytest.mark.slow
def test_the_listed_inputs_answer_quickly():
    inputs = [("x^2/2 + cos(x) + y^2 + x", {}), ("cos(x) + x^2/2 + sin(y) - y", {}),
              ("sin(x) + sin(y) + sin(x + y)", {}), ("x^4/4 - 3x^2/2 + x + y^2", {}), ("abs(x) + abs(y)", {}),
              ("sqrt(x^2 + y^2)", {}), ("x^3 + y^3", {"method": "numeric"}), ("x^2 + 1e-14 y^2", {})]
    for expression, options in inputs:
        started = time.perf_counter()
        critical_points(expression, **options)
        assert time.perf_counter() - started < 5, expression


# --- property: whatever is listed is critical ------------------------------------------------------

def _terms():
    coefficient = st.sampled_from(["1", "-1", "2", "-3", "1/2", "-1/3"])
    monomial = st.builds(lambda c, a, b: f"({c})*x^{a}*y^{b}", coefficient, st.integers(0, 4), st.integers(0, 3))
    trig = st.builds(lambda c, f, a: f"({c})*{f}({a})", coefficient, st.sampled_from(["sin", "cos"]),
                     st.sampled_from(["x", "y", "x + y", "x - y", "2*x", "x*y"]))
    exponential = st.builds(lambda c, a: f"({c})*x*exp(-{a})", coefficient,
                            st.sampled_from(["x^2 - y^2", "x^2", "y^2", "(x^2 + y^2)/2"]))
    return st.one_of(monomial, monomial, trig, exponential)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.lists(_terms(), min_size=1, max_size=4))
def test_every_listed_critical_point_is_critical(terms):
    expression = " + ".join(terms)
    try:
        r = critical_points(expression, timeout=20)
    except GradientError:  # a constant, a clean refusal, or the time limit (TimeLimitExceeded)
        return
    assert_verified(r, tolerance=1e-9)


@pytest.mark.parametrize("expression, expected", [
    ("x^3 - 3x", [((-1.0,), "local maximum"), ((1.0,), "local minimum")]),
    ("-x^4 + 2x^2", [((-1.0,), "local maximum"), ((0.0,), "local minimum"), ((1.0,), "local maximum")]),
    ("(x-1)^2 (x+2)", [((-1.0,), "local maximum"), ((1.0,), "local minimum")]),
    ("x^2", [((0.0,), "local minimum")]),
])
def test_polynomials_of_one_variable(expression, expected):
    """One polynomial equation in one variable has isolated roots: its factors are points, not curves."""
    result = grad(expression, critical=True, plot=False)
    assert result.critical_points == expected
    assert "solved exactly" in result.critical_note
    [degenerate] = grad("x^3", critical=True, plot=False).critical
    assert degenerate.point == (0.0,) and "not a local extremum" in degenerate.kind


@pytest.mark.parametrize("width", ["1e6", "1e26", "1e40"])
def test_points_are_told_apart_by_their_own_size_not_the_boxs(width):
    """(-1, 0) and (1, 0) were one point in a box 1e26 wide (tolerances scaled with the box): the
    local minimum disappeared from an exact solution, silently."""
    result = critical_points("x^3 - 3x + y^2", range=f"-{width},{width};-{width},{width}")
    assert [(c.point, c.kind) for c in result.critical] == [((-1.0, 0.0), SADDLE), ((1.0, 0.0), MINIMUM)]
    assert_verified(result)
    result = critical_points("x^4/4 - x^2 + y^2 + sin(x)/1000", range=f"-{width},{width};-{width},{width}")
    assert len({round(c.point[0], 6) for c in result.critical}) == len(result.critical)  # none merged twice


def test_a_numeric_search_says_it_may_have_missed_points():
    """Newton's starts 1e7 apart cannot see the minima of cosh(x) - 2x^2 + y^2 at x = ±3.26: the note
    must not let the short list pass for the whole answer; an exact complete solution needs no caveat."""
    result = critical_points("cosh(x) - 2 x^2 + y^2", range="-1e8,1e8;-1e8,1e8")
    assert "may miss critical points" in result.critical_note and "1e+07 apart" in result.critical_note
    near = critical_points("cosh(x) - 2 x^2 + y^2", range="-10,10;-10,10")
    assert [c.kind for c in near.critical] == [MINIMUM, SADDLE, MINIMUM]
    assert "may miss" in near.critical_note  # still a search, however fine
    assert "may miss" not in critical_points("x^3 - 3x + y^2").critical_note
