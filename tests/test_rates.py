"""Related rates (--rate t --given ...): textbook problems, the chain rule through time, refusals."""

import pytest
import sympy as sp
from IPython.core.error import UsageError

from ipython_gradients import deriv

# The relation, the time variable, the rates given, the values then, and the rate found.
TEXTBOOK = [
    ("V = 4/3 pi r^3", "dr/dt = 2", "r = 5", "V", 200 * sp.pi),  # a balloon
    ("x^2 + y^2 = 10^2", "dx/dt = 1", "x = 6, y = 8", "y", sp.Rational(-3, 4)),  # the sliding ladder
    ("A = pi r^2", "dr/dt = 3", "r = 10", "A", 60 * sp.pi),  # a ripple
    ("V = s^3", "ds/dt = 1/2", "s = 4", "V", sp.Integer(24)),  # a melting cube
    ("V = pi h^3/12", "dV/dt = 10", "h = 5", "h", sp.Rational(8, 5) / sp.pi),  # a cone filling, r = h/2
    ("z^2 = x^2 + y^2", "dx/dt = 1, dy/dt = 2", "x = 3, y = 4, z = 5", "z", sp.Rational(11, 5)),  # two cars
    ("A = l w", "dl/dt = 2, dw/dt = 3", "l = 4, w = 5", "A", sp.Integer(22)),  # a growing rectangle
    ("P V = 600", "dV/dt = -2", "P = 150", "P", sp.Integer(75)),  # Boyle's law: V = 4 from the relation
    ("y = x^2", "dx/dt = 3", "x = 2", "y", sp.Integer(12)),  # a point on a parabola
    ("s^2 = x^2 + 12^2", "dx/dt = 4", "x = 5, s = 13", "s", sp.Rational(20, 13)),  # a kite's string
]


@pytest.mark.parametrize("relation, given, at, unknown, expected", TEXTBOOK, ids=[c[0] for c in TEXTBOOK])
def test_textbook_problems(relation, given, at, unknown, expected):
    result = deriv(relation, rate="t", given=given, at=at, plot=False)
    assert result.unknown.name == unknown
    assert sp.simplify(result.value - expected) == 0 and result.rate == pytest.approx(float(expected))


def test_the_output_and_the_steps(ip):
    result = ip.run_line_magic("deriv", "V = 4/3 pi r^3 --rate t --given dr/dt = 2 --at r=5 --steps")
    text = result.text()
    assert "dV/dt = 200·π ≈ 628.319" in text and "related rates" in text
    assert [s.title for s in result.steps] == ["the relation", "differentiate both sides with respect to t",
                                                "solve for dV/dt", "substitute the values"]
    assert "chain rule" in result.steps[1].note
    assert r"\frac{dV}{dt} = 200 \pi \approx 628.319" in result.latex()


def test_without_values_the_formula_and_a_note():
    result = deriv("V = 4/3 pi r^3", rate="t", given="dr/dt = 2")
    assert result.value is None and sp.simplify(result.formula - 4 * sp.pi * sp.Symbol("dr/dt") * sp.Symbol("r") ** 2) == 0
    assert "Give the quantities' values" in result.notes[0]


@pytest.mark.parametrize("line, phrase", [
    ("x^2 + y^2 = 100 --rate t --given dx/dt = 1 --at x=6", r"gives y = -8, 8 at that moment: give y"),
    ("x^2 + y^2 = 100 --rate t --given dx/dt = 1 --at x=6, y=7", "are not on the relation"),
    ("z^2 = x^2 + y^2 --rate t --given dx/dt = 1", "exactly one rate to find"),
    ("V = s^3 --rate t --given dq/dt = 1", "q is not a quantity of the relation"),
    ("V = s^3 --rate t --given ds = 1", "write a rate as d{quantity}/dt = value"),
    ("V = s^3 --rate t --given ds/dt = 1 --at 4", "give each by name, as in r = 5"),
    ("V = s^3 --rate t", "need both --rate T"),
    ("V s^3 --rate t --given ds/dt = 1", "needs an equation with one '='"),
])
def test_refusals_are_one_line(ip, line, phrase):
    with pytest.raises(UsageError, match=phrase):
        ip.run_line_magic("deriv", line)


@pytest.mark.parametrize("line, phrase", [
    ("V = 4/3 pi r^3 --rate t --given dr/dt = 2, dr/dt = 3 --at r=5", "names dr/dt twice"),
    ("V = 4/3 pi r^3 --rate t --given dr/dt = 2 --at r=5, r=6", "names r twice"),
    ("x^2 + y^2 = 100 --rate t --given dx/dt = 1 --at x=10, y=0", "dy/dt is not determined at x = 10, y = 0"),
])
def test_contradictions_and_undefined_rates_are_refused(ip, line, phrase):
    with pytest.raises(UsageError, match=phrase):
        ip.run_line_magic("deriv", line)


def test_no_empty_steps_heading_without_steps():
    assert "Steps:" not in deriv("V = 4/3 pi r^3", rate="t", given="dr/dt = 2", at="r = 5").text()


def test_options_that_do_not_apply_are_refused_not_ignored(ip):
    with pytest.raises(UsageError, match="do not go with --implicit"):
        ip.run_line_magic("deriv", "V = s^3 --rate t --given ds/dt = 1 --at s=2 --order 2")


def test_a_kink_at_the_moment_has_no_rate_and_the_formula_has_no_false_cases():
    from ipython_gradients.errors import OptionError

    result = deriv("y = abs(x)", rate="t", given="dx/dt = 2", at="x = 3", plot=False)
    assert not result.formula.has(sp.Piecewise) and "re(" not in str(result.formula)  # not "0 for x = 0"
    assert result.value == 2
    for relation, at in [("y = abs(x)", "x = 0"), ("y = max(x, 1)", "x = 1")]:  # never sign(0) = 0 or θ(0) = 1/2
        with pytest.raises(OptionError, match="has no value at x = .*switches there"):
            deriv(relation, rate="t", given="dx/dt = 2", at=at, plot=False)


def test_a_moment_the_relation_cannot_have_is_refused_plainly():
    from ipython_gradients.errors import OptionError

    with pytest.raises(OptionError, match=r"^the relation has no real value of y where x = 0: no such moment$"):
        deriv("x y = 12", rate="t", given="dx/dt = 2", at="x = 0", plot=False)


def test_values_from_the_relation_are_every_real_root_or_a_request_never_a_false_none():
    from ipython_gradients.errors import OptionError

    # three real roots SymPy's solve writes with I: all listed, none dropped as "not real"
    with pytest.raises(OptionError, match=r"gives x = -1\.53209, -0\.347296, 1\.87939 at that moment"):
        deriv("y = x^3 - 3 x", rate="t", given="dy/dt = 1", at="y = 1", plot=False)
    # a relation solve cannot handle: asked for, not declared impossible
    for relation, at, name in [("y = x^(1/3)", "y = -2", "x"), ("y = th + sin(th)", "y = 0", "th")]:
        with pytest.raises(OptionError, match=f"^{name} could not be found from the relation .*give it with --at"):
            deriv(relation, rate="t", given=f"d{'x' if name == 'x' else 'y'}/dt = 1", at=at, plot=False)


def test_a_rate_the_moment_does_not_determine_is_refused_with_the_equation_it_reads():
    from ipython_gradients.errors import OptionError

    with pytest.raises(OptionError, match=r"dx/dt is not determined at x = 0: .* 0·dx/dt = 0 there, and any value"):
        deriv("y = x^3", rate="t", given="dy/dt = 0", at="x = 0", plot=False)
    with pytest.raises(OptionError, match=r"dy/dt is not determined at x = 10, y = 0: .*= -20 there, and no value"):
        deriv("x^2 + y^2 = 100", rate="t", given="dx/dt = 1", at="x = 10, y = 0", plot=False)


def test_a_moment_outside_the_relations_domain_is_refused_whatever_its_rates_say():
    from ipython_gradients.errors import OptionError

    # dy/dt = dx/dt / x would give -1 at x = -1, but y = log(x) has no such moment
    for relation, at, part in [("y = log(x)", "x = -1", r"log\(x\)"), ("y = log(x - 5)", "x = 3", r"log\(x - 5\)"),
                               ("y = log(x)", "x = -1, y = 0", r"log\(x\)")]:
        with pytest.raises(OptionError, match=f"^{part} has no real value where x = .*: no such moment$"):
            deriv(relation, rate="t", given="dx/dt = 1", at=at, plot=False)
