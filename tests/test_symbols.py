"""Results compose with the user's SymPy: they hold the user's symbols (or plain ones), never the
engine's real ones, in every SymPy object they expose; the engines still compute on the real line."""

import dataclasses

import pytest
import sympy as sp

from ipython_gradients import deriv, grad, tangent

PLAIN = sp.Symbol("x").assumptions0  # {'commutative': True}


def sympy_objects(value, seen=None):
    """Every SymPy object a result exposes: its fields, their values (dataclasses, lists, tuples) and
    the properties users read (variable, variables, equation, polynomial, normal_equation, values)."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, (sp.Basic, sp.MatrixBase)):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from sympy_objects(key, seen)
            yield from sympy_objects(item, seen)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from sympy_objects(item, seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name != "figure":
                yield from sympy_objects(getattr(value, f.name), seen)
        for name in ("variable", "variables", "values", "equation", "polynomial", "normal_equation"):
            if isinstance(getattr(type(value), name, None), property):
                yield from sympy_objects(getattr(value, name), seen)


def symbols_in(result) -> set[sp.Symbol]:
    found = set()
    for obj in sympy_objects(result):
        found |= {s for s in obj.free_symbols if isinstance(s, sp.Symbol)}
        if isinstance(obj, sp.Symbol):
            found.add(obj)
    return found


CALLS = [
    lambda: deriv("x^2 sin(x)", at="1", check=True, steps=True, plot=False),
    lambda: deriv("x^2 y + sin(x y)", wrt="x,y", at="1,2", plot=False),
    lambda: deriv("abs(x)", order=2, at="-1,0", plot=False),
    lambda: deriv("f(x) = x^(1/3)", at="-8", notation="prime", plot=False),
    lambda: grad("x^3 - 3x + y^2", at="1,2", hessian=True, dir="1,1", critical=True, derivation=True, plot=False),
    lambda: grad("x^2 + y^2", descent=True, start="1,1", plot=False),
    lambda: grad("[x y, x + y^2]", at="1,2", plot=False),
    lambda: grad("x^2 + x^3", at="1", plot=False),
    lambda: tangent("f(x) = x^2\ng(x) = sin(x)\nh(x, y) = x y", at="1,2", normal=True, secant="0.1",
                    delta="0.1", plot=False),
    lambda: tangent("cbrt(x)\nexp(x)", at="0", order=3, plot=False),
]


@pytest.mark.parametrize("call", CALLS)
def test_no_result_exposes_the_engines_real_symbols(call):
    found = symbols_in(call())
    assert found and all(s.assumptions0 == PLAIN for s in found), {s: s.assumptions0 for s in found}


def test_the_users_symbol_in_a_notebook_composes_with_the_derivative(ip):
    ip.run_cell("import sympy\nfrom sympy import diff, simplify, sin, cos\nx = sympy.Symbol('x')\n"
                "r = %deriv x**2*sin(x) --no-plot")
    r, x = ip.user_ns["r"], ip.user_ns["x"]
    assert r.derivative.subs(x, 1) == sp.cos(1) + 2 * sp.sin(1) and r.derivative.subs(x, 1).is_number
    assert sp.simplify(r.derivative - sp.diff(x**2 * sp.sin(x), x)) == 0
    assert ip.run_cell("simplify(r.derivative - diff(x**2*sin(x), x))").result == 0
    assert r.expr == x**2 * sp.sin(x) and r.variable is x and r.wrt == (x,) and r.function_variables == (x,)
    assert r.variables == (x,)


def test_gradient_hessian_and_the_rest_compose_in_a_notebook(ip):
    ip.run_cell("import sympy\nx, y = sympy.symbols('x y')\n"
                "r = %grad x^2 y + sin(x y) --hessian --dir 1,1 --critical --no-plot")
    r, x, y = ip.user_ns["r"], ip.user_ns["x"], ip.user_ns["y"]
    at = {x: 1, y: 2}
    assert list(r.gradient.subs(at)) == [4 + 2 * sp.cos(2), 1 + sp.cos(2)]
    assert r.hessian.subs(at) == sp.hessian(x**2 * y + sp.sin(x * y), (x, y)).subs(at)
    assert sp.simplify(r.directional.subs(at) - (5 + 3 * sp.cos(2)) / sp.sqrt(2)) == 0
    assert r.variables == (x, y) and sp.simplify(r.expr - (x**2 * y + sp.sin(x * y))) == 0
    jacobian = ip.run_line_magic("grad", "[x y, x + y^2] --no-plot")
    assert jacobian.jacobian.subs(at) == sp.Matrix([[2, 1], [1, 4]])
    assert jacobian.components == (x * y, x + y**2)


def test_tangent_equations_compose_in_a_notebook(ip):
    ip.run_cell("import sympy\nx, y, z = sympy.symbols('x y z')")
    r = ip.run_cell_magic("tangent", "--at 1 --normal --no-plot", "x^3\n")
    x, y = ip.user_ns["x"], ip.user_ns["y"]
    [line] = r.lines
    assert line.equation == sp.Eq(y, 3 * x - 2) and line.equation.rhs.subs(x, 2) == 4
    assert line.normal_equation == sp.Eq(y, sp.Rational(4, 3) - x / 3)
    assert line.polynomial.subs(x, 0) == -2 and line.variables == (x,) and line.expr == x**3
    assert r.functions == [("f", x**3, (x,))]
    [plane] = ip.run_cell_magic("tangent", "--at 1,2 --no-plot", "f(x, y) = x^2 + y^2\n").lines
    assert plane.equation == sp.Eq(ip.user_ns["z"], 2 * x + 4 * y - 5)


def test_the_api_without_a_namespace_gives_plain_symbols():
    x, y = sp.symbols("x y")
    r = deriv("x^2 sin(x)", plot=False)
    assert r.derivative.subs(x, 1) == sp.cos(1) + 2 * sp.sin(1)
    assert sp.simplify(r.derivative - sp.diff(x**2 * sp.sin(x), x)) == 0
    g = grad("x^2 y", hessian=True, plot=False)
    assert list(g.gradient.subs({x: 1, y: 2})) == [4, 1] and g.hessian.subs({x: 1, y: 2}) == sp.Matrix([[4, 2], [2, 0]])
    [line] = tangent("x^2", at="1", plot=False).lines
    assert line.equation == sp.Eq(y, 2 * x - 1)


def test_the_users_own_symbol_objects_come_back_even_with_assumptions():
    t = sp.Symbol("t", positive=True)
    r = deriv(sp.Abs(t - 1), at=[0.5, 2], plot=False)
    assert r.derivative == sp.sign(t - 1) and r.variable is t and r.derivative.free_symbols == {t}
    assert r.values == {0.5: -1.0, 2.0: 1.0}
    # the formula is the engine's, for every real x, kept as it was computed: the user's positive x
    # does not turn sign(x) into 1 on the way out, and its values follow the user's assumption
    x = sp.Symbol("x", positive=True)
    r = deriv("abs(x)", at="-1", namespace={"x": x}, plot=False)
    assert str(r.derivative) == "sign(x)" and r.derivative.free_symbols == {x}
    assert r.derivative.subs(x, 3) == 1 and r.values == {-1.0: -1.0}
    assert "sign(x)" in r.text()
    # a real symbol of the user's own stays theirs (it is the engine's, too)
    s = sp.Symbol("s", real=True)
    assert deriv(s**3, plot=False).derivative == 3 * s**2


def test_the_engines_compute_on_the_real_line_whatever_the_namespace_symbol(ip):
    ip.run_cell("import sympy\nx = sympy.Symbol('x')\ng = sympy.sqrt(x**2)")
    r = ip.run_line_magic("deriv", "abs(x) --at -1,1 --no-plot")
    x = ip.user_ns["x"]
    assert r.derivative == sp.sign(x)  # not (re(x) d/dx re(x) + im(x) d/dx im(x)) sign(x) / x
    assert "re(x)" not in r.text() and r.values == {-1.0: -1.0, 1.0: 1.0}
    r = ip.run_line_magic("deriv", "g --at 2 --no-plot")
    assert r.expr == sp.Abs(x) and r.derivative == sp.sign(x) and r.values == {2.0: 1.0}


def test_formulas_keep_the_form_the_engine_computed():
    """The symbols are swapped without SymPy re-evaluating: 4(3x² − 1) does not become 12x² − 4."""
    r = deriv("x^4 - 2x^2", order=2, plot=False)
    assert str(r.derivative) == "4*(3*x**2 - 1)"
    assert "4⋅⎝3⋅x  - 1⎠" in r.text() and r"4 \left(3 x^{2} - 1\right)" in r.latex()


def test_figures_are_drawn_from_the_engines_formulas():
    r = deriv("x^2 sin(x)", at="1")
    assert r.figure is not None and not r.notes
    assert [t.get_text() for t in r.figure.axes[0].get_legend().get_texts()] == ["f(x)", "f′(x)"]
    curve = next(line for line in r.figure.axes[0].get_lines() if line.get_label() == "f′(x)")  # 2 sin 1 + cos 1 at 1
    import numpy as np
    xs, ys = curve.get_data()
    assert np.interp(1.0, xs, ys) == pytest.approx(2 * np.sin(1) + np.cos(1), rel=1e-3)
    for result in (grad("x^3", at="1"), grad("x^2 + y^2", at="1,1", critical=True),
                   tangent("x^2\ng(x, y) = x y", at="1,2", normal=True)):
        assert result.figure is not None and not any(n.startswith("No plot") for n in result.notes)
