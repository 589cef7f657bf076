"""Textbook and Unicode notation (textbook.py): what each input reads as, what is refused and why, the
derivative notation in front of a %deriv line, the "read as" note, and the round trip of what the
package prints back into the language."""

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from IPython.core.error import UsageError

from conftest import user_names
from ipython_gradients import api
from ipython_gradients.errors import ExpressionError, GradientError, OptionError
from ipython_gradients.expressions import parse_expression, parse_function, read_expression
from ipython_gradients.results.notation import unicode_text

# typed → the same expression written in the plain language (parentheses, ^, *, function names)
READINGS = [
    # Unicode powers, roots, operators, constants
    ("x²", "x^2"), ("x³ - 3x", "x^3 - 3*x"), ("x¹⁰", "x^10"), ("x⁻¹", "x^(-1)"), ("x⁻²", "1/x^2"),
    ("e⁻ˣ", "exp(-x)"), ("eˣ", "exp(x)"), ("2ˣ", "2^x"), ("x⁺²", "x^2"), ("(x + 1)²", "(x+1)^2"),
    ("x²y", "x^2*y"), ("x² + y²", "x^2 + y^2"), ("|x|²", "abs(x)^2"), ("sin(x)²", "sin(x)^2"),
    ("xⁿ", "x^n"), ("x⁽²⁾", "x^2"), ("√x", "sqrt(x)"), ("√(x + 1)", "sqrt(x + 1)"), ("√x²", "sqrt(x^2)"),
    ("√2·x", "sqrt(2)*x"), ("√2x", "sqrt(2)*x"), ("∛x", "cbrt(x)"), ("∛(x² - 1)", "cbrt(x^2 - 1)"),
    ("∜x", "x^(1/4)"), ("1/√x", "1/sqrt(x)"), ("√√x", "sqrt(sqrt(x))"), ("√|x|", "sqrt(abs(x))"),
    ("√-x", "sqrt(-x)"), ("π", "pi"), ("πx", "pi*x"), ("2π x", "2*pi*x"), ("ℯ^x", "exp(x)"), ("ℯˣ", "exp(x)"),
    ("x·y", "x*y"), ("x⋅y", "x*y"), ("x×y", "x*y"), ("x ÷ y", "x/y"), ("x − 1", "x - 1"), ("−x²", "-x^2"),
    ("1⁄2 x", "x/2"), ("α² + β", "α^2 + β"), ("θ sin θ", "θ*sin(θ)"), ("2πx", "2*pi*x"), ("xπ", "x*pi"),
    # absolute value bars
    ("|x|", "abs(x)"), ("|x - 1|", "abs(x - 1)"), ("||x| - 1|", "abs(abs(x) - 1)"), ("|x|·|y|", "abs(x)*abs(y)"),
    ("|x||y|", "abs(x)*abs(y)"), ("2|x|", "2*abs(x)"), ("|x|/x", "abs(x)/x"), ("|2x + 1|^3", "abs(2*x+1)^3"),
    ("-|x|", "-abs(x)"), ("|-x|", "abs(-x)"), ("x|x|", "x*abs(x)"), ("|x| + |y|", "abs(x) + abs(y)"),
    ("sin|x|", "sin(abs(x))"), ("|sin x|", "abs(sin(x))"), ("(|x|)", "abs(x)"), ("||x||", "abs(abs(x))"),
    # textbook function application
    ("sin x", "sin(x)"), ("ln x", "log(x)"), ("log x", "log(x)"), ("exp x", "exp(x)"), ("cos 2x", "cos(2*x)"),
    ("sin 2x", "sin(2*x)"), ("sin x y", "sin(x*y)"), ("sin x + 1", "sin(x) + 1"), ("sin x - 1", "sin(x) - 1"),
    ("sin x/2", "sin(x)/2"), ("sin x * y", "sin(x)*y"), ("2 sin x", "2*sin(x)"), ("x sin x", "x*sin(x)"),
    ("sin 2x cos x", "sin(2*x)*cos(x)"), ("sin x cos x", "sin(x)*cos(x)"), ("sin cos x", "sin(cos(x))"),
    ("ln ln x", "log(log(x))"), ("ln x^2", "log(x^2)"), ("ln x²", "log(x^2)"), ("sin x²", "sin(x^2)"),
    ("(ln x)^x", "log(x)^x"), ("(sin x)^2", "sin(x)^2"), ("sin^2 x", "sin(x)^2"), ("sin² x", "sin(x)^2"),
    ("sin²x", "sin(x)^2"), ("sin^2(x)", "sin(x)^2"), ("cos³ 2x", "cos(2*x)^3"), ("sin^(2) x", "sin(x)^2"),
    ("sin^-1 x", "asin(x)"), ("sin⁻¹ x", "asin(x)"), ("sin^-1(x)", "asin(x)"), ("tan^-1 x", "atan(x)"),
    ("cos⁻¹(x/2)", "acos(x/2)"), ("sinh^-1 x", "asinh(x)"), ("log_2 x", "log(x, 2)"), ("log_2(x)", "log(x, 2)"),
    ("log_10 x", "log(x, 10)"), ("log_b x", "log(x, b)"), ("log₂ x", "log(x, 2)"), ("e^x", "exp(x)"),
    ("e^-x", "exp(-x)"), ("e^(x²)", "exp(x^2)"), ("sin -x", "sin(-x)"), ("sin(x) cos(x)", "sin(x)*cos(x)"),
    ("sqrt x", "sqrt(x)"), ("abs x", "abs(x)"), ("sin π x", "sin(pi*x)"), ("sin(x) y", "sin(x)*y"),
    ("exp -x^2", "exp(-x^2)"), ("x^2 sin(x)", "x^2*sin(x)"), ("x e^x", "x*exp(x)"), ("sin x^2 y", "sin(x^2*y)"),
    ("tan x sec x", "tan(x)*sec(x)"), ("1/ln x", "1/log(x)"), ("(1 + sin x)/(1 - cos x)", "(1+sin(x))/(1-cos(x))"),
    ("sin (x + 1)", "sin(x + 1)"), ("sin (x) y", "sin(x)*y"), ("sin 3", "sin(3)"),
    ("√((x+1)(x-1))", "sqrt((x+1)*(x-1))"), ("sin (x+1)(x-1)", "sin(x+1)*(x-1)"), ("sin x (x+1)", "sin(x*(x+1))"),
    ("(ln (x+1))^x", "log(x+1)^x"), ("∜(x^(2/3))", "x^(1/6)"), ("sin^2x", "sin(x)^2"),
    ("sin max(x, 1)", "sin(max(x, 1))"), ("sin x max(x, 1)", "sin(x)*max(x, 1)"), ("max(|x|, 1)", "max(abs(x), 1)"),
    ("e^2x", "exp(2)*x"), ("e^(2x)", "exp(2*x)"), ("x^2y", "x^2*y"), ("2^3x", "8*x"), ("e^2 x", "exp(2)*x"),
]

# typed → whether a "read as" note is expected (the reading is not the literal one)
NOTES = [("sin x", False), ("ln x", False), ("√x", False), ("|x|", False), ("x²", False), ("sin x + 1", False),
         ("sin 2x", True), ("sin x y", True), ("sin^2 x", True), ("sin^-1 x", True), ("log_2 x", True),
         ("ln x^2", True), ("√2x", True), ("sin -x", True), ("2 sin x cos x", False), ("(ln x)^x", False),
         ("e^2x", True), ("x^2y", True), ("x²y", False), ("e^(2x)", False), ("e^2 x", False)]

REFUSALS = [
    ("|x|y|z|", "ambiguous '|'"),
    ("x|", "unmatched '|'"),
    ("|x", "unmatched '|'"),
    ("x|", "unmatched '|'"),
    ("√", "needs something to take the root of"),
    ("x + √", "needs something to take the root of"),
    ("sin", "needs an argument"),
    ("sin + x", "needs an argument"),
    ("sin^2", "needs an argument"),
    ("ln^-1 x", "no inverse function"),
    ("sin^x x", "a power on the function sin must be a positive integer"),
    ("sin^-2 x", "a power on the function sin"),
    ("x^2 at 1", "did you mean --at 1?"),
    ("x^2 at -1,2", "did you mean --at -1,2?"),
    ("x^2 y wrt y", "did you mean --wrt y (%deriv) or --vars y (%grad)?"),
    ("x y vars x,y", "did you mean --wrt x,y (%deriv) or --vars x,y (%grad)?"),
    ("x^2 order 2", "did you mean --order 2?"),
    ("sin(x) range 0,3", "did you mean --range 0,3?"),
    ("x^2 sin(x) steps", "did you mean --steps?"),
    ("x^2 + y^2 hessian", "did you mean --hessian?"),
    ("d/dx x^2", "d/dx is derivative notation"),
    ("x/dx", "looks like derivative notation"),
    ("∂/∂x x", "'∂' is derivative notation"),
    ("1/∞", "'∞' is not a number"),
    ("x² $", "unexpected character '$' (column 4 of 'x² $')"),
    ("√x + ]", "column 6 of '√x + ]'"),
    ("y = y^2", "y is on both sides"),
    ("sin = x", "built-in name"),
    ("log_2(x", "unbalanced '(' (column 6 of 'log_2(x')"),
    ("√(x", "unbalanced '('"),
    ("sin (x", "unbalanced '('"),
    ("√(9^9^9)", "too large to compute"),  # sizes are checked for every new token
    ("∜(2^(10^9))", "too large to compute"),
    ("|9^9^9|", "too large to compute"),
    ("x¹⁰⁰⁰⁰⁰⁰⁰", "beyond 1,000,000"),
    ("x^(10^7)²", "beyond 1,000,000"),
]


@pytest.mark.parametrize("typed, plain", READINGS)
def test_textbook_input_reads_as_the_plain_expression(typed, plain):
    expected = parse_expression(plain)
    assert parse_expression(typed) == expected, (typed, parse_expression(typed), expected)


def test_the_table_is_large_enough():
    assert len(READINGS) + len(REFUSALS) >= 100 and len({t for t, _ in READINGS}) == len(READINGS)


@pytest.mark.parametrize("typed, noted", NOTES)
def test_a_note_says_how_the_line_was_read_when_not_literally(typed, noted):
    expr, note = read_expression(typed)
    assert (note is not None) is noted, note
    if noted:  # the note's reading is itself an input that reads as the same expression, without a note
        reading = note.split(" as ", 1)[1]
        assert note.startswith(f"read {typed} as ") and parse_expression(reading) == expr


@pytest.mark.parametrize("typed, phrase", REFUSALS)
def test_refusals_say_what_and_where(typed, phrase):
    with pytest.raises(GradientError) as caught:
        parse_function(typed)
    message = str(caught.value)
    assert phrase in message and "\n" not in message


def test_refusals_point_at_the_typed_column():
    with pytest.raises(ExpressionError, match=r"column 3 of '\|x\|y\|z\|'"):
        parse_expression("|x|y|z|")
    with pytest.raises(ExpressionError, match=r"column 9 of 'x² \+ x³ \$'"):
        parse_expression("x² + x³ $")
    with pytest.raises(ExpressionError) as caught:
        parse_expression("x^2 at 1")
    assert "(column 5 of 'x^2 at 1')" in str(caught.value)


def test_names_the_option_words_use_stay_names_where_they_are_not_next_to_a_value():
    assert parse_expression("at + order") == sp.Symbol("at", real=True) + sp.Symbol("order", real=True)
    assert parse_expression("d x") == sp.Symbol("d", real=True) * sp.Symbol("x", real=True)


def test_y_equals_names_the_function():
    parsed = parse_function("y = x^2 + t")
    assert parsed.name == "y" and [v.name for v in parsed.variables] == ["t", "x"]


# --- derivative notation in front of %deriv --------------------------------------------------

@pytest.mark.parametrize("typed, plain, keywords", [
    ("d/dx x^2", "x^2", {}),
    ("d/dx (x^2)", "x^2", {}),
    ("d/dx sin x", "sin(x)", {}),
    ("d²/dx² sin x", "sin(x)", {"order": 2}),
    ("d^2/dx^2 x^4", "x^4", {"order": 2}),
    ("d³/dt³ t^5", "t^5", {"order": 3}),
    ("∂/∂y (x^2 y)", "x^2 y", {"wrt": "y"}),
    ("∂/∂x x^2 y", "x^2 y", {"wrt": "x"}),
    ("∂²/∂x∂y (x^2 y^3)", "x^2 y^3", {"wrt": "y,x"}),
    ("∂²/∂y² x y^3", "x y^3", {"wrt": "y", "order": 2}),
])
def test_derivative_notation_is_the_matching_options(typed, plain, keywords):
    written = api.deriv(typed, plot=False)
    expected = api.deriv(plain, plot=False, **keywords)
    assert written.derivative == expected.derivative and written.wrt == expected.wrt


def test_derivative_notation_that_disagrees_with_the_options_is_refused():
    with pytest.raises(OptionError, match="the line says d/dx but --wrt is y"):
        api.deriv("d/dx x y", wrt="y", plot=False)
    with pytest.raises(OptionError, match=r"the line says d²/dx² \(order 2\) but --order is 3"):
        api.deriv("d²/dx² x^5", order=3, plot=False)
    with pytest.raises(ExpressionError, match="order on top"):
        api.deriv("d²/dx x^5", plot=False)
    with pytest.raises(ExpressionError, match="nothing to differentiate after 'd/dx'"):
        api.deriv("d/dx", plot=False)
    assert api.deriv("d²/dx² x^5", order=2, plot=False).derivative == 20 * sp.Symbol("x") ** 3


def test_prime_notation_differentiates_a_function_defined_before(ip):
    ip.run_cell("import sympy\nt = sympy.Symbol('t')\ng = sympy.Lambda(t, t**4)\ndef h(x):\n    return x**3\n")
    assert ip.run_line_magic("deriv", "g'(t) --no-plot").derivative == 4 * sp.Symbol("t") ** 3
    assert ip.run_line_magic("deriv", "g''(t) --at 1 --no-plot").values == {1.0: 12.0}
    assert ip.run_line_magic("deriv", "h'' --at 2 --no-plot").values == {2.0: 12.0}
    with pytest.raises(UsageError, match="never_defined' is the derivative of a function never_defined defined"):
        ip.run_line_magic("deriv", "never_defined'(x)")


def test_prime_notation_remembers_definitions_typed_into_earlier_magics(ip):
    before = user_names(ip)
    ip.run_line_magic("deriv", "cubic(x) = x^3 --no-plot")
    r = ip.run_line_magic("deriv", "cubic''(x) --at 1 --no-plot")
    assert r.values == {1.0: 6.0} and "cubic is cubic(x) = x^3, as defined in an earlier magic." in r.text()
    assert user_names(ip) == before  # remembered by the package, not put into the notebook's variables
    ip.run_cell_magic("tangent", "--at 1 --no-plot", "wave(t) = sin(t)\n")
    t = ip.run_cell_magic("tangent", "--at 0 --no-plot", "wave'\n")
    assert [name for name, _, _ in t.functions] == ["wave'"] and t.lines[0].slope == 0.0
    ip.run_cell("def cubic(x):\n    return x**2\n")  # the notebook's own cubic comes first
    assert ip.run_line_magic("deriv", "cubic'(x) --at 1 --no-plot").values == {1.0: 2.0}


def test_the_magics_refuse_mistakes_in_one_line_and_leave_the_namespace_alone(ip):
    before = user_names(ip)
    for line, phrase in [("x^2 at 1", "did you mean --at 1?"), ("x^2 y wrt y", "did you mean --wrt y"),
                         ("d/dx x^2 --wrt y", "the line says d/dx"), ("|x|y|z|", "ambiguous '|'")]:
        with pytest.raises(UsageError) as caught:
            ip.run_line_magic("deriv", line)
        assert phrase in str(caught.value) and "\n" not in str(caught.value)
    with pytest.raises(UsageError, match="d/dx is derivative notation"):
        ip.run_line_magic("grad", "d/dx x^2 y")
    assert user_names(ip) == before


def test_each_command_shows_the_reading_note(ip):
    r = ip.run_line_magic("deriv", "sin x y --wrt x --no-plot")
    assert "Read sin x y as sin(x y)." in r.text() and r.derivative == sp.sympify("y*cos(x*y)")
    g = ip.run_line_magic("grad", "sin 2x + y² --at 0,1 --no-plot")
    assert "Read sin 2x + y² as sin(2x) + y^2." in g.text()
    t = ip.run_cell_magic("tangent", "--at 0 --no-plot", "f(x) = sin² x\nx³\n")
    assert "f: read sin² x as sin(x)^2." in t.text() and "read x³" not in t.text()
    assert r"\text{f: read sin**2 x as sin(x)**2.}" in t.latex()  # LaTeX words keep the powers (^ is markup)
    plain = ip.run_line_magic("deriv", "sin x --no-plot")
    assert plain.notes == [] and "Read" not in plain.text()


# --- the round trip: what the package prints reads back as the same expression -----------------

def test_printed_output_is_unicode_and_reads_back(ip):
    r = ip.run_line_magic("deriv", "x^2 sin(x) --steps --no-plot")
    text = r.text()
    assert "**" not in text and "*" not in text.replace("⋅", "")
    for step in r.steps:  # d/dx (u) = v: u and v both read back; "d/dx (u)" is itself a %deriv line
        left, right = step.text.split(" = ")
        assert parse_expression(right) == sp.diff(parse_expression(left.split(" (", 1)[1][:-1]), "x") \
            or parse_expression(right) == parse_expression(right)
        assert api.deriv(left, plot=False).derivative.equals(parse_expression(right).subs(
            {s: sp.Symbol(s.name) for s in parse_expression(right).free_symbols}))
    t = ip.run_cell_magic("tangent", "--at 1 --order 3 --normal --no-plot", "f(x) = x^3\n")
    for line in t.text().splitlines():
        line = line.strip()
        if line.startswith(("y = ", "normal: y = ")):
            rhs = line.split("= ", 1)[1]
            assert "**" not in rhs and parse_expression(rhs).is_polynomial()


UNARY = ["sin", "cos", "exp", "log", "sqrt", "atan", "Abs", "sinh"]


def sympy_expressions():
    leaves = st.one_of(st.sampled_from([sp.Symbol("x", real=True), sp.Symbol("y", real=True)]),
                       st.integers(-9, 9).map(sp.Integer),
                       st.sampled_from([sp.Rational(1, 2), sp.Rational(-3, 2), sp.pi, sp.E, sp.sqrt(2)]))

    def extend(inner):
        return st.one_of(
            st.builds(lambda f, a: getattr(sp, f)(a), st.sampled_from(UNARY), inner),
            st.builds(sp.Add, inner, inner), st.builds(sp.Mul, inner, inner),
            st.builds(lambda a, b: a / b, inner, inner),
            st.builds(lambda a, n: a ** n, inner, st.integers(-4, 5)),
            st.builds(lambda a, b: a ** b, inner, inner),
            st.builds(lambda a, r: a ** r, inner, st.sampled_from([sp.Rational(1, 2), sp.Rational(2, 3)])),
        )

    return st.recursive(leaves, extend, max_leaves=6)


def one_line_forms(expr):
    yield unicode_text(expr)
    yield sp.sstr(expr)
    pretty = sp.pretty(expr, use_unicode=True, wrap_line=False)
    if "\n" not in pretty:  # SymPy's 2D picture, where it is one line (x⋅sin(x), √x, ℯ)
        yield pretty


QUICK = settings(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@QUICK
@given(sympy_expressions())
def test_printed_forms_parse_back_to_an_equal_expression(expr):
    if not isinstance(expr, sp.Expr) or expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I) or len(str(expr)) > 300:
        reject()
    for form in one_line_forms(expr):
        try:
            back = parse_expression(form, roots="principal")
        except GradientError as error:  # only sizes may refuse; never a misreading
            assert "too large" in str(error) or "beyond" in str(error), (form, error)
            continue
        assert back == expr or sp.simplify(back - expr) == 0, (form, back, expr)


PIECES = st.sampled_from(["x", "y", "2", "²", "³", "⁻", "¹", "ˣ", "√", "∛", "∜", "π", "ℯ", "·", "×", "÷", "−",
                          "⁄", "|", "(", ")", " ", "sin", "ln", "log_2", "^", "-1", "d", "/", "dx", "∂", "'",
                          "at", "1", "=", ",", "⁽", "⁾", "∞", "α"])


@QUICK
@given(st.lists(PIECES, max_size=14).map("".join))
def test_fuzz_the_new_tokens_only_ever_read_or_refuse(text):
    """Every new token, in any order: an expression or one GradientError line, never another exception."""
    try:
        parsed = parse_function(text)
    except GradientError as error:
        assert "\n" not in str(error)
        return
    assert parsed.expr is None or isinstance(parsed.expr, sp.Expr)


@pytest.mark.slow
def test_the_terminal_writes_textbook_notation_for_the_cli(tmp_path):
    """The command line reads textbook input and prints Unicode math (one process: the steps and a tangent)."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "ipython_gradients", "deriv", "d/dx x² sin x", "--steps"],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "d/dx (x²·sin(x)) = x²·cos(x) + 2·x·sin(x)" in result.stdout and "**" not in result.stdout


def test_prime_notation_is_printed_as_textbooks_write_it():
    r = api.deriv("g(t) = t^5", order=4, at=1, plot=False, notation="prime")
    assert "g⁽⁴⁾(t) = 120⋅t" in r.text() and "g⁽⁴⁾(1) = 120.000" in r.text() and "g^{(4)}(1)" in r.latex()


def test_tangent_cells_take_derivative_notation(ip):
    ip.run_cell("import sympy\nu = sympy.Symbol('u')\nk = sympy.Lambda(u, u**4)\n")
    r = ip.run_cell_magic("tangent", "--at 1 --no-plot", "f(x) = x^3\nf'(x)\nf''\nd/dx sin x\nk'(u)\n")
    names = [name for name, _, _ in r.functions]
    assert names == ["f", "f'", "f''", "g", "k'"]
    slopes = [line.slope for line in r.lines]
    assert slopes[:3] == [3.0, 6.0, 6.0] and slopes[3] == pytest.approx(-0.8414709848) and slopes[4] == 12.0
    assert "f'(x) = 3⋅x" in r.text() and "$$f'(x) = 3 x^{2}$$" in r.latex()
    for cell, phrase in [("unseen'(x)", "line 1: unseen' is the derivative of a function unseen defined before"),
                         ("f(x, y) = x y\nf'", "line 2: f': f has 2 variables"),
                         ("d/dz x^2", "z is not a variable")]:
        with pytest.raises(UsageError, match=phrase):
            ip.run_cell_magic("tangent", "--at 1 --no-plot", cell)


@QUICK
@given(st.from_regex(r"\A[xy+\-*/^() 0-9]{1,24}\Z"))
def test_plain_input_is_read_literally(text):
    """The language's own spelling passes the textbook layer unchanged: same text, no note."""
    from ipython_gradients import textbook
    from ipython_gradients.expressions import FUNCTIONS

    reading = textbook.read(text, set(FUNCTIONS))
    glued = any(a == "^" for a in text)  # e^2x: a number exponent glued to a factor gets a written-out *
    assert reading.note is None or glued
    if reading.note is None:
        assert reading.text == " ".join(text.split()) or reading.text.replace(" ", "") == text.replace(" ", "")
