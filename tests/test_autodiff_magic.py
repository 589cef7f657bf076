"""--graph and --mode on %grad and %deriv, through a real IPython shell: autodiff shown and checked.

The computational graph's sweep is a table in the result (each node's value and adjoint or tangent,
worked out from the local partials), the figure is the graph, ``r.graph`` holds nodes, edges,
values and adjoints for lecture notes, and the sweep's end is set beside the symbolic derivative.
"""

import math
import subprocess
import sys

import pytest
import sympy as sp
from conftest import user_names
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

from ipython_gradients import api

x, y = sp.symbols("x y")


def test_grad_graph_reverse_shows_the_sweep_table_and_draws_the_graph(ip):
    ip.run_cell("r = %grad x*y + sin(x) --at 1,2 --graph")
    with capture_output() as captured:
        ip.run_cell("r")
    math_output, figure = captured.outputs
    text = math_output.data["text/plain"]
    assert "Reverse mode at (1.000, 2.000)" in text
    lines = text.splitlines()
    row = next(line for line in lines if line.lstrip().startswith("x ") and "input" in line)
    assert row.split()[:4] == ["x", "input", "1.000", "2.540"] and "v̄(v1)·2.000 + v̄(v2)·0.540" in row
    assert any(line.split()[:5] == ["v2", "sin(x)", "0.841", "1.000", "v̄(v3)·1.000"] for line in lines)
    assert "The sweep ends at ∇f = (2.540, 1.000), equal to the symbolic value." in text
    assert r"\bar v" in math_output.data["text/latex"]
    assert figure.data["image/png"][:4] == b"\x89PNG"
    r = ip.user_ns["r"]
    assert [n.formula for n in r.graph.nodes] == ["x", "y", "v1 = x*y", "v2 = sin(x)", "v3 = v1 + v2"]
    assert r.graph.nodes[2].expr == x * y  # the user's symbols, as everywhere in results
    assert [(e.source, e.target) for e in r.graph.edges] == [(0, 2), (1, 2), (0, 3), (2, 4), (3, 4)]
    assert r.graph.values == (1, 2, 2, sp.sin(1), 2 + sp.sin(1))
    assert r.graph.adjoints == (2 + sp.cos(1), 1, 1, 1, 1)
    assert r.graph.result == (2 + sp.cos(1), 1) == tuple(r.gradient.subs({x: 1, y: 2}))
    assert 'n0 -> n3 [label="∂ = cos(x) = 0.5403"]' in r.graph.dot()


def test_grad_graph_forward_mode_follows_dir(ip):
    r = ip.run_line_magic("grad", "x*y + sin(x) --at 1,2;0,3 --graph --mode forward --dir 0,1 --no-plot")
    assert r.graph.mode == "forward" and len(r.graph.sweeps) == 2
    assert r.graph.tangents == (0, 1, 1, 0, 1)
    assert [s.directional for s in r.graph.sweeps] == [1, 0]
    text = r.text()
    assert "Forward mode at (0.000, 3.000) along (0.000, 1.000)" in text
    assert text.count("equal to the symbolic value") == 2


def test_deriv_graph_at_a_corner_and_a_domain_edge_gives_a_reason_not_a_number(ip):
    r = ip.run_line_magic("deriv", "abs(x) + x^2 --at 0,1 --graph --no-plot")
    first, second = r.graph.sweeps
    assert first.result is None and second.result == (3,)
    text = r.text()
    assert "The sweep gives no number here: v2 = Abs(x) is at the corner of |·|" in text
    assert "The sweep ends at the derivative = 3.000, equal to the symbolic value." in text
    r = ip.run_line_magic("deriv", "sqrt(x) --at 0 --graph --mode forward --no-plot")
    assert "∂v1/∂x = 1/(2*sqrt(x)) is not a finite real number there" in r.text()


def test_deriv_graph_of_a_partial_derivative_and_of_a_traced_function(ip):
    ip.run_cell("import math\ndef f(x, y):\n    return math.exp(x * y)")
    r = ip.run_line_magic("deriv", "f --wrt y --at 1,2 --graph --no-plot")
    assert r.graph.result == (2 * sp.exp(2), sp.exp(2))
    assert "equal to the symbolic value" in r.text() and "f'" not in r.graph.nodes[-1].formula


def test_a_numeric_gradient_is_compared_within_its_error_bound():
    r = api.grad("x^3 y", at="1,2", graph=True, method="numeric", plot=False)
    assert "equal to the numeric value within its error bound" in r.text()


@pytest.mark.parametrize("line, words", [
    ("x^2 --at 1 --mode forward", "--mode chooses the sweep --graph shows: add --graph"),
    ("x^2 --graph", "--graph sweeps the graph at points: add --at"),
    ("x^2 --at 1 --graph --order 2", "--graph shows the sweep of a first derivative"),
    ("x^2 --at 1 --graph --mode sideways", "argument --mode: invalid choice: 'sideways'"),
    ("f(x) = a*x^2 --at 1 --graph", "the expression also depends on a"),
    ("g --at 1 --graph", "--graph needs a formula, and g could not be traced with SymPy symbols"),
])
def test_deriv_graph_bad_input_is_one_line(ip, line, words):
    ip.run_cell("def g(x):\n    return x if x > 0 else -x")
    before = user_names(ip)
    with pytest.raises(UsageError) as caught:
        ip.run_line_magic("deriv", line)
    assert words in str(caught.value) and "\n" not in str(caught.value)
    assert user_names(ip) == before


@pytest.mark.parametrize("line, words", [
    ("x*y --at 1,2 --graph --mode forward", "--mode forward sweeps tangents along one direction: add --dir"),
    ("[x*y, x] --at 1,2 --graph", "--graph need a scalar function"),
])
def test_grad_graph_bad_input_is_one_line(ip, line, words):
    before = user_names(ip)
    with pytest.raises(UsageError) as caught:
        ip.run_line_magic("grad", line)
    assert words in str(caught.value)
    assert user_names(ip) == before


@pytest.mark.external
def test_the_command_line_prints_the_sweep():
    result = subprocess.run([sys.executable, "-m", "ipython_gradients", "grad", "x*y + sin(x)", "--at", "1,2",
                             "--graph", "--mode", "reverse"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "The sweep ends at ∇f = (2.540, 1.000), equal to the symbolic value." in result.stdout


# --- --method autodiff, and --check comparing the three methods ---------------------------------------------


def test_grad_method_autodiff_gives_the_gradient_at_points_from_the_sweep(ip):
    r = ip.run_line_magic("grad", "x*y + sin(x) --at 1,2;0,0 --method autodiff --dir 1,1 --no-plot")
    assert r.method == "autodiff" and r.gradient is None
    symbolic = ip.run_line_magic("grad", "x*y + sin(x) --at 1,2;0,0 --dir 1,1 --no-plot")
    for p, q in zip(r.points, symbolic.points):
        assert p.gradient == pytest.approx(q.gradient, rel=1e-15) and p.directional == pytest.approx(q.directional)
    text = r.text()
    assert "∇f(x, y): computed by automatic differentiation at the points" in text
    assert "Evaluated by automatic differentiation (--method autodiff)" in text


def test_grad_method_autodiff_at_a_corner_says_unknown_and_descends_on_sweeps(ip):
    r = ip.run_line_magic("grad", "abs(x) + y^2 --at 0,1;1,1 --method autodiff --no-plot")
    assert r.points[0].gradient is None and r.points[1].gradient == (1.0, 2.0)
    assert "∇f(0, 1)   unknown: autodiff gives no number here: v2 = Abs(x) is at the corner" in r.text()
    r = ip.run_line_magic("grad", "(x-1)^2 + 3(y+2)^2 --method autodiff --descent --from 0,0 --rate 0.1 --steps 200 "
                                  "--no-plot")
    assert r.path[-1] == pytest.approx((1, -2), abs=1e-6)


def test_deriv_method_autodiff_and_a_traced_python_function(ip):
    ip.run_cell("import numpy as np\ndef loss(w):\n    return np.log(1 + np.exp(-2 * w))")
    r = ip.run_line_magic("deriv", "loss --at 0,1 --method autodiff --no-plot")
    assert r.method == "autodiff" and r.derivative is None
    assert [p.value for p in r.points] == pytest.approx([-1.0, -2 / (1 + math.exp(2))], rel=1e-15)
    assert "(autodiff, reverse mode)" in r.text() and "decreasing" in r.text()
    assert "computed by automatic differentiation at the points" in r.text()


def test_check_sets_the_three_methods_side_by_side_and_names_a_corner(ip):
    r = ip.run_line_magic("deriv", "abs(x) --at 0,1 --check --no-plot")
    corner, smooth = r.checks
    assert corner.autodiff is None and corner.autodiff_problem.startswith("v1 = Abs(x) is at the corner of |·|")
    assert smooth.autodiff == 1.0 and smooth.symbolic == 1.0
    assert "autodiff: no number (v1 = Abs(x) is at the corner" in r.text()


@pytest.mark.parametrize("magic, line, words", [
    ("deriv", "x^3 --order 2 --at 1 --method autodiff", "--method autodiff gives first derivatives here"),
    ("grad", "x^2 y --at 1,2 --hessian --method autodiff", "use symbolic or numeric for --hessian"),
    ("grad", "[x*y, x] --at 1,2 --method autodiff", "--method autodiff sweeps a scalar function, not a vector"),
    ("deriv", "g --at 1 --method autodiff", "--method autodiff sweeps a formula, and g could not be traced"),
    ("deriv", "p --at 1 --method autodiff", "--method autodiff: a piecewise definition is not a graph"),
    ("deriv", "p --at 1 --graph", "--graph: a piecewise definition is not a graph of elementary operations"),
])
def test_method_autodiff_bad_input_is_one_line(ip, magic, line, words):
    ip.run_cell("def g(x):\n    return x if x > 0 else -x")
    ip.run_cell("import sympy\nt = sympy.Symbol('t')\np = sympy.Piecewise((t**2, t > 0), (0, True))")
    before = user_names(ip)
    with pytest.raises(UsageError) as caught:
        ip.run_line_magic(magic, line)
    assert words in str(caught.value) and "\n" not in str(caught.value)
    assert user_names(ip) == before


def test_tangent_keeps_its_three_methods(ip):
    with pytest.raises(UsageError, match="invalid choice: 'autodiff'"):
        ip.run_cell_magic("tangent", "--at 1 --method autodiff", "x^2")
    with pytest.raises(Exception, match="--method must be one of auto, symbolic, numeric"):
        api.tangent("x^2", at="1", method="autodiff")


def test_graph_verdicts_name_the_method_they_compare_with(ip):
    r = ip.run_line_magic("grad", "x*y + sin(x) --at 1,2 --graph --method autodiff --no-plot")
    assert r.graph_verdicts == ["The sweep ends at ∇f = (2.540, 1.000), equal to the autodiff value."]
    r = ip.run_line_magic("deriv", "abs(x) --at 0 --graph --method autodiff --no-plot")
    assert r.graph_verdicts[0].endswith("; the autodiff analysis says: " + r.points[0].reason + ".")


def test_a_graph_too_large_to_draw_is_a_note_and_still_a_table():
    terms = " + ".join(f"sin(x{i} x{i + 1})" for i in range(1, 16))
    r = api.grad(terms, at=",".join(["0.5"] * 16), graph=True)
    assert r.figure is None and len(r.graph.nodes) > 40
    assert any(n.startswith("No plot: the computational graph has") and "r.graph.dot()" in n for n in r.notes)
    assert "equal to the symbolic value" in r.text()


def test_a_value_too_large_for_floats_is_unknown_and_a_domain_edge_undefined(ip):
    r = ip.run_line_magic("deriv", "exp(x) --at 800 --method autodiff --no-plot")
    assert r.points[0].status == "unknown" and "is too large for floating point there (f is defined" in r.text()
    r = ip.run_line_magic("deriv", "exp(x) --at 800 --graph --no-plot")
    assert any(line.split()[:3] == ["v1", "exp(x)", "too"] for line in r.text().splitlines())
    r = ip.run_line_magic("grad", "log(x) + y --at -1,0 --method autodiff --no-plot")
    assert r.points[0].reason == "v1 = log(x) is not real there: f is not defined there"
