"""The API reads every keyword in every Python shape a user might pass, and each wrong one is the project's
error with a clear line, as the magic's for the same mistake: never "could not compute this (TypeError ...)"
and never a junk value taken as a point."""

import decimal
import fractions

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from IPython.core.error import UsageError

from ipython_gradients import deriv, grad, tangent
from ipython_gradients.errors import ExpressionError, GradientError, OptionError, VariableError

x = sp.Symbol("x")

BAD = [
    # --at: wrong number of coordinates, in each shape
    (lambda v: deriv("x^2 y", at=v, plot=False), [1], OptionError, r"the point \(1\) has 1 coordinate\(s\); expected 2"),
    (lambda v: deriv("x^2 y", at=v, plot=False), 1, OptionError, r"the point \(1\) has 1 coordinate\(s\); expected 2"),
    (lambda v: deriv("x^2 y", at=v, plot=False), (1, 2, 3), OptionError, r"\(1,2,3\) has 3 coordinate\(s\); expected 2"),
    (lambda v: grad("x^2 + y^2", at=v, plot=False), [(1, 2), (3,)], OptionError, r"the point \(3\) has 1 coordinate"),
    (lambda v: grad("x^2 + y^2", at=v, plot=False), np.array([[1.0, 2.0, 3.0]]), OptionError,
     r"\(1.0,2.0,3.0\) has 3 coordinate\(s\); expected 2"),
    (lambda v: grad("x^2 + y^2", at=v, plot=False), [[[1, 2]]], OptionError, r"has 1 coordinate\(s\); expected 2"),
    (lambda v: deriv("x^2", at=v, plot=False), [(1, 2)], OptionError, r"\(1,2\) has 2 coordinate\(s\); expected 1"),
    (lambda v: tangent("f(x, y) = x y", at=v, plot=False), 1.5, OptionError, r"\(1.5\) has 1 coordinate"),
    # --at: coordinates that are not finite real numbers
    (lambda v: deriv("x^2", at=v, plot=False), "1,a", OptionError, "--at: 'a' is not a number"),
    (lambda v: deriv("x^2", at=v, plot=False), "1,", OptionError, "--at: a number is missing"),
    (lambda v: deriv("x^2", at=v, plot=False), True, OptionError, "--at: True is not a number"),
    (lambda v: deriv("x^2", at=v, plot=False), [None, 1], OptionError, "--at: None is not a number"),
    (lambda v: deriv("x^2", at=v, plot=False), float("nan"), OptionError, "--at: nan is not a finite number"),
    (lambda v: deriv("x^2", at=v, plot=False), np.float64("inf"), OptionError, "--at: inf is not a finite number"),
    (lambda v: deriv("x^2", at=v, plot=False), sp.oo, OptionError, "--at: oo is not a finite number"),
    (lambda v: deriv("x^2", at=v, plot=False), sp.nan, OptionError, "--at: nan is not a finite number"),
    (lambda v: deriv("x^2", at=v, plot=False), 1j, OptionError, "--at: 1j is not a real number"),
    (lambda v: deriv("x^2", at=v, plot=False), sp.I, OptionError, "--at: I is not a real number"),
    (lambda v: deriv("x^2", at=v, plot=False), x, OptionError, "--at: x is not a number"),
    (lambda v: deriv("x^2", at=v, plot=False), 10**400, OptionError, "out of range"),
    (lambda v: deriv("x^2", at=v, plot=False), 1e308, OptionError, "out of range"),
    (lambda v: deriv("x^2", at=v, plot=False), 10**5000, OptionError, "an integer of 5000 digits is out of range"),
    (lambda v: deriv("x^2", at=v, plot=False), sp.exp(1000), OptionError, "exp.1000. is out of range"),
    # exact constants no float holds: before, 0.000 and "decreasing" at 2^(-2000), "not defined" at 10^400
    (lambda v: deriv("x^2", at=v, plot=False), "2^(-2000)", OptionError, r"the number 2\^\(-2000\) is out of range"),
    (lambda v: grad("x^2 + y^2", at=v, plot=False), "10^400,1", OptionError, r"10\^400 is out of range"),
    (lambda v: deriv("x^2", at=v, plot=False), decimal.Decimal("1e400"), OptionError, "--at: the number 1E.400 is out"),
    (lambda v: deriv("x^2", at=v, plot=False), object(), OptionError, "is not a number"),
    (lambda v: deriv("x^2", at=v, plot=False), {1, 2}, OptionError, "a set has no order"),
    (lambda v: deriv("x^2", at=v, plot=False), {1: 2}, OptionError, "not a dict"),
    (lambda v: deriv("x^2", at=v, plot=False), b"1", OptionError, "not a bytes"),
    (lambda v: deriv("x^2", at=v, plot=False), [], OptionError, "--at needs at least one point"),
    (lambda v: deriv("x^2", at=v, plot=False), np.array([]), OptionError, "--at needs at least one point"),
    (lambda v: deriv("x^2", at=v, plot=False), "  ", OptionError, "--at needs at least one point"),
    # --dir, --from
    (lambda v: grad("x^2 + y^2", dir=v, plot=False), 1, OptionError, r"the direction \(1\) has 1 coordinate\(s\); expected 2"),
    (lambda v: grad("x^2 + y^2", dir=v, plot=False), [(1, 1), (2, 2)], OptionError, "--dir takes one direction"),
    (lambda v: grad("x^2 + y^2", dir=v, plot=False), (0, 0), OptionError, "non-zero length"),
    (lambda v: grad("x^2 + y^2", dir=v, plot=False), ("a", 1), OptionError, "--dir: 'a' is not a number"),
    (lambda v: grad("x^2 + y^2", descent=True, start=v, plot=False), [1], OptionError,
     r"the start point \(1\) has 1 coordinate\(s\); expected 2"),
    (lambda v: grad("x^2 + y^2", descent=True, start=v, plot=False), (1, None), OptionError, "--from: None is not a number"),
    # ranges
    (lambda v: deriv("x^2", range=v, plot=False), 1, OptionError, "--range needs two numbers A,B, got 1"),
    (lambda v: deriv("x^2", range=v, plot=False), (2, 1), OptionError, "--range needs A < B"),
    (lambda v: deriv("x^2", range=v, plot=False), (0, float("inf")), OptionError, "--range: inf is not a finite number"),
    (lambda v: deriv("x^2", range=v, plot=False), {0, 1}, OptionError, "a set has no order"),
    (lambda v: grad("x y", range=v, plot=False), [(0, 1)] * 3, OptionError, "one A,B per variable"),
    (lambda v: tangent("x^2", range=v, plot=False), "0,1;0,1;0,1", OptionError, "--range takes A,B, or A,B;C,D"),
    # variables
    (lambda v: deriv("x^2 y", wrt=v, plot=False), 1, VariableError, "--wrt needs variable names, as in --wrt x"),
    (lambda v: deriv("x^2 y", wrt=v, plot=False), [1], VariableError, "--wrt needs variable names"),
    (lambda v: deriv("x^2 y", wrt=v, plot=False), "", VariableError, "--wrt needs variable names"),
    (lambda v: deriv("x^2 y", wrt=v, plot=False), "z", VariableError, "z is not a variable of the expression"),
    (lambda v: grad("x^2 y", vars=v, plot=False), 2.5, VariableError, "--vars needs variable names, as in --vars x"),
    # orders, rates, iterations, widths, deltas
    (lambda v: deriv("x^2", order=v, plot=False), 0, OptionError, "--order must be a positive integer up to 100, got 0"),
    (lambda v: deriv("x^2", order=v, plot=False), 2.0, OptionError, "--order must be a positive integer"),
    (lambda v: deriv("x^2", order=v, plot=False), "2", OptionError, "--order must be a positive integer"),
    (lambda v: tangent("x^2", order=v, plot=False), True, OptionError, "--order must be a positive integer"),
    (lambda v: grad("x^2 + y^2", descent=True, start="1,1", rate=v, plot=False), -1, OptionError,
     "--rate must be a positive number, got -1"),
    (lambda v: grad("x^2 + y^2", descent=True, start="1,1", rate=v, plot=False), "fast", OptionError,
     "--rate must be a positive number"),
    (lambda v: grad("x^2 + y^2", descent=True, start="1,1", rate=v, plot=False), [0.1, 0.2], OptionError,
     "several --rate values are compared side by side by --animate"),  # a list is several rates
    (lambda v: grad("x^2 + y^2", descent=True, start="1,1", rate=v, animate=True), [0.1, -1], OptionError,
     "--rate must be a positive number, got -1"),
    (lambda v: grad("x^2 + y^2", descent=True, start="1,1", steps=v, plot=False), 2.5, OptionError,
     "--steps must be a positive integer, got 2.5"),
    (lambda v: tangent("x^2", at=1, secant=v, plot=False), [[0.1]], OptionError, r"--secant: \[0.1\] is not a number"),
    (lambda v: tangent("x^2", at=1, secant=v, plot=False), 0, OptionError, "non-zero widths"),
    (lambda v: tangent("x^2", at=1, secant=v, plot=False), ",", OptionError, "--secant needs at least one number"),
    (lambda v: tangent("x^2", at=1, delta=v, plot=False), "x", OptionError, "--delta: 'x' is not a number"),
    (lambda v: tangent("x^2", at=1, delta=v, plot=False), float("nan"), OptionError, "--delta: nan is not a finite"),
    # flags, methods, namespace, settings and their overrides
    (lambda v: deriv("x^2", plot=v), "no", OptionError, "--plot must be True or False, got 'no'"),
    (lambda v: deriv("x^2", check=v, plot=False), 1, OptionError, "--check must be True or False, got 1"),
    (lambda v: grad("x^2", hessian=v, plot=False), np.array([1, 0]), OptionError, "--hessian must be True or False"),
    (lambda v: tangent("x^2", normal=v, plot=False), "yes", OptionError, "--normal must be True or False"),
    (lambda v: deriv("x^2", method=v, plot=False), np.array([1, 2]), OptionError, "--method must be one of auto"),
    (lambda v: deriv("x^2", method=v, plot=False), "", OptionError, "--method must be one of auto, symbolic, numeric"),
    (lambda v: grad("[x, y]", method=v, plot=False), "fast", OptionError, "--method must be one of"),
    (lambda v: deriv("x^2", namespace=v, plot=False), ["x"], OptionError, "namespace must be a dict"),
    (lambda v: deriv("x^2", settings=v, plot=False), {"precision": 3}, OptionError, "settings must be an"),
    (lambda v: deriv("x", plot=False, **v), {"bogus": 1}, OptionError, "deriv\\(\\) has no keyword 'bogus': its keywords"),
    (lambda v: grad("x", plot=False, **v), {"hesian": True}, OptionError, "did you mean hessian"),
    (lambda v: deriv("x", plot=False, **v), {"precision": "6"}, OptionError, "precision must be an integer from 0 to 15"),
    (lambda v: tangent("x", plot=False, **v), {"x_range": (1, 0)}, OptionError, r"x_range needs A < B"),
    # SymPy objects that are no function
    (lambda v: deriv(v, plot=False), sp.nan, ExpressionError, "is undefined"),
    (lambda v: deriv(v, plot=False), x + sp.oo, ExpressionError, "is undefined"),
    (lambda v: grad(v, plot=False), sp.Matrix([x, sp.zoo]), ExpressionError, "is undefined"),
]


@pytest.mark.parametrize("call, value, error, phrase", BAD, ids=[f"{k}-{phrase[:30]}" for k, (*_, phrase) in enumerate(BAD)])
def test_each_wrong_input_is_one_clear_error(call, value, error, phrase):
    with pytest.raises(error, match=phrase) as caught:
        call(value)
    message = str(caught.value)
    assert "could not compute" not in message and "\n" not in message


@pytest.mark.parametrize("line, keywords", [
    ("deriv x^2 y --at 1", dict(expression="x^2 y", at=[1])),
    ("deriv x^2 --at 1,a", dict(expression="x^2", at=[1, "a"])),
    ("deriv x^2 --range 2,1", dict(expression="x^2", range=(2, 1))),
    ("grad x^2 + y^2 --at 1,2,3", dict(expression="x^2 + y^2", at=(1, 2, 3))),
    ("grad x^2 + y^2 --dir 0,0", dict(expression="x^2 + y^2", dir=np.zeros(2))),
    ("grad x^2 + y^2 --descent --from 1", dict(expression="x^2 + y^2", descent=True, start=1)),
])
def test_the_api_and_the_magic_say_the_same_for_the_same_mistake(ip, line, keywords):
    magic, text = line.split(" ", 1)
    with pytest.raises(UsageError) as shown:
        ip.run_line_magic(magic, text + " --no-plot")
    function = {"deriv": deriv, "grad": grad}[magic]
    with pytest.raises(GradientError) as raised:
        function(keywords.pop("expression"), plot=False, **keywords)
    said = str(raised.value).split(" (several points")[0]  # the API's hint is about lists, the magic's about ';'
    assert said.split(" (separate")[0] in str(shown.value)


def deriv_values(at):
    return deriv("x^3", at=at, plot=False).values


@pytest.mark.parametrize("at", [
    "0.5,2", [0.5, 2], (0.5, 2), np.array([0.5, 2.0]), [np.float64(0.5), np.int64(2)], [(0.5,), (2,)],
    np.array([[0.5], [2.0]]), [sp.Rational(1, 2), sp.Integer(2)], [fractions.Fraction(1, 2), decimal.Decimal(2)],
    ["0.5", "2"], (v for v in (0.5, 2)), sp.Matrix([0.5, 2]), sp.Tuple(sp.Rational(1, 2), 2),
])
def test_valid_shapes_of_points_of_one_variable_agree(at):
    assert deriv_values(at) == {0.5: 0.75, 2.0: 12.0}


@pytest.mark.parametrize("at", [
    "1,2;0,0", [(1, 2), (0, 0)], [[1, 2], [0, 0]], ((1, 2), (0, 0)), np.array([[1, 2], [0, 0]]),
    np.array([[1.0, 2.0], [0.0, 0.0]]), ["1,2", "0,0"], sp.Matrix([[1, 2], [0, 0]]), [sp.Tuple(1, 2), (0, 0)],
])
def test_valid_shapes_of_points_of_two_variables_agree(at):
    r = grad("x^2 y", at=at, plot=False)
    assert list(r.values) == [(1.0, 2.0), (0.0, 0.0)]
    assert list(r.values[(1.0, 2.0)]) == [4.0, 1.0]


@pytest.mark.parametrize("point", ["1,2", (1, 2), [1, 2], np.array([1, 2]), [(1, 2)], sp.Matrix([1, 2]),
                                   ("1", "2"), (np.int64(1), sp.Integer(2))])
def test_one_point_of_several_variables_in_any_shape(point):
    assert list(grad("x^2 y", at=point, plot=False).values) == [(1.0, 2.0)]
    r = grad("x^2 + y^2", dir=point, descent=True, start=point, steps=2, range=[(0, 3), (-1, 3)], plot=False)
    assert r.direction == pytest.approx((1 / 5**0.5, 2 / 5**0.5)) and tuple(r.path[0]) == (1.0, 2.0)


def test_other_keywords_in_python_shapes():
    assert deriv("x^2 y", wrt=[sp.Symbol("y"), "x"], plot=False).wrt == (sp.Symbol("y"), x)
    assert deriv("x^2 y", wrt=x, order=np.int64(2), plot=False).derivative == 2 * sp.Symbol("y")
    r = tangent("x^2", at=np.float64(1), secant=np.array([0.5, 0.1]), delta=fractions.Fraction(1, 10), plot=False)
    assert [h for h, *_ in r.lines[0].secants] == [0.5, 0.1] and r.lines[0].deltas[0][0] == 0.1
    r = grad("x^2 + y^2", descent=True, start="1,1", rate=np.float64(0.25), steps=np.int64(3), plot=False)
    assert r.path.tolist() == [[1, 1], [0.5, 0.5], [0.25, 0.25], [0.125, 0.125]]  # x ← x − 0.25·2x
    r = deriv("x^2", range=np.array([0, 3]), plot=True, check=np.True_)
    assert r.figure.axes[0].get_xlim() == (0.0, 3.0)
    labels = deriv("x^2", at=np.float64(0.5), plot=False).points[0].label
    assert labels == ("0.5",)  # shown as the number, not as np.float64(0.5)


# Anything a user might pass, nested: numbers of every kind, text, SymPy objects, containers, arrays.
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.complex_numbers(), st.fractions(), st.decimals(),
    st.text(max_size=8), st.text(alphabet="0123456789.,;-+ epi/()", max_size=10), st.binary(max_size=3),
    st.sampled_from([sp.pi, sp.I, sp.oo, sp.nan, sp.zoo, x, sp.Rational(1, 3), sp.Float(2.5), sp.Tuple(1, 2),
                     np.float64(0.5), np.int64(3), np.bool_(True), object(), ...]))
JUNK = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.tuples(inner, inner), st.sets(st.integers(), max_size=3),
                            st.dictionaries(st.integers(), inner, max_size=2), st.frozensets(st.integers(), max_size=2),
                            hnp.arrays(float, hnp.array_shapes(min_dims=0, max_dims=3, max_side=3))),
    max_leaves=8)
KEYWORDS = {
    "deriv at": lambda v: deriv("x^2", at=v, plot=False),
    "deriv at, two variables": lambda v: deriv("x^2 y", at=v, plot=False),
    "deriv range": lambda v: deriv("x^2", range=v, plot=False),
    "deriv wrt": lambda v: deriv("x^2 y", wrt=v, plot=False),
    "grad at": lambda v: grad("x^2 + y^2", at=v, plot=False),
    "grad dir": lambda v: grad("x^2 + y^2", dir=v, plot=False),
    "grad from": lambda v: grad("x^2 + y^2", descent=True, start=v, steps=3, plot=False),
    "grad range": lambda v: grad("x^2 + y^2", range=v, critical=True, plot=False),
    "grad rate": lambda v: grad("x^2 + y^2", descent=True, start="1,1", rate=v, steps=3, plot=False),
    "grad vars": lambda v: grad("x^2 + y^2", vars=v, plot=False),
    "tangent at": lambda v: tangent("x^2\ng(x, y) = x y", at=v, plot=False),
    "tangent secant": lambda v: tangent("x^2", at=1, secant=v, plot=False),
    "tangent delta": lambda v: tangent("x^2", at=1, delta=v, plot=False),
    "tangent range": lambda v: tangent("x^2", range=v, plot=False),
    "tangent order": lambda v: tangent("x^2", at=1, order=v, plot=False),
    "deriv order": lambda v: deriv("x^2", order=v, plot=False),
    "deriv method": lambda v: deriv("x^2", method=v, plot=False),
    "deriv check": lambda v: deriv("x^2", at=1, check=v, plot=False),
    "deriv precision": lambda v: deriv("x^2", precision=v, plot=False),
    "deriv x_range": lambda v: deriv("x^2", x_range=v, plot=False),
    "deriv namespace": lambda v: deriv("x^2", namespace=v, plot=False),
    "grad steps": lambda v: grad("x^2 + y^2", descent=True, start="1,1", steps=v, plot=False),
    "grad expression": lambda v: grad(v, plot=False),
    "tangent cell": lambda v: tangent(v, plot=False),
}


@pytest.mark.parametrize("keyword", sorted(KEYWORDS))
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(value=JUNK)
def test_junk_in_any_keyword_is_a_result_or_one_clear_error(keyword, value):
    try:
        KEYWORDS[keyword](value)
    except GradientError as error:
        message = str(error)
        assert message and "\n" not in message and "could not compute" not in message, message
