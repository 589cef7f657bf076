"""--against jax|torch and gradcheck: the frameworks' own gradients of a Python function, set beside ours.

JAX is installed by .ci/run, so its tests run for real there (they take seconds: JAX is slow to
import and compiles each gradient, so they are marked slow); PyTorch's run wherever torch is
installed and skip with the reason elsewhere. Without a framework, one line says what to install.
"""

import math
import sys

import pytest
from conftest import user_names
from IPython.core.error import UsageError

from ipython_gradients import api, gradcheck

JAX_FUNCTIONS = '''
import jax, jax.numpy as jnp

def loss(w, b):
    return jnp.log(1 + jnp.exp(-(2 * w + b))) + 0.5 * w ** 2

def kink(x):
    return jnp.abs(x)

def relu(x):
    return jnp.maximum(x, 0.0)

def rootf(x):
    return jnp.sqrt(x)

def guarded(x):
    return jnp.where(x > 0, jnp.sqrt(x), 0.0)

@jax.custom_jvp
def bad_sin(x):
    return jnp.sin(x)

@bad_sin.defjvp
def _bad_sin_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return jnp.sin(x), 2 * jnp.cos(x) * t  # a wrong derivative rule

def wrong(x):
    return bad_sin(x)
'''


@pytest.fixture
def jax_functions(ip):
    pytest.importorskip("jax", reason="JAX is not installed (pip install 'ipython_gradients[jax]'): the JAX path "
                                      "is tested where it is (.ci/run installs it)")
    ip.run_cell(JAX_FUNCTIONS)
    return ip


@pytest.mark.slow
def test_a_smooth_jax_loss_is_traced_exactly_and_agrees(jax_functions):
    ip = jax_functions
    r = ip.run_line_magic("grad", "loss --at 0.5,1;0,0 --against jax --no-plot")
    assert r.expr is not None and "loss was traced with SymPy symbols" in r.text()  # jax.numpy traced into SymPy
    assert [row.verdict for row in r.against.rows] == ["agrees", "agrees"]
    assert r.against.rows[1].theirs == (-1.0, -0.5)
    assert r.against.rows[0].ours == pytest.approx(r.against.rows[0].theirs, rel=1e-6)
    text = r.text()
    assert "Against JAX's gradient:" in text and "JAX agrees with the derivative at every point." in text
    assert "JAX" in r.latex() and "verdict" in r.latex()


@pytest.mark.slow
def test_jax_conventions_at_kinks_and_nan_where_the_derivative_exists_are_named(jax_functions):
    ip = jax_functions
    verdicts = {}
    for name in ("kink", "relu", "rootf", "guarded"):
        r = ip.run_line_magic("deriv", f"{name} --at -1,0,1 --against jax --no-plot")
        verdicts[name] = [row.verdict for row in r.against.rows]
        assert r.against.rows[2].verdict == "agrees"
    assert verdicts["kink"][1] == ("not differentiable here (corner, left -1.000, right 1.000): "
                                   "JAX returns 1.000000 by convention")
    assert verdicts["relu"][1] == ("not differentiable here (corner, left 0.000, right 1.000): "
                                   "JAX returns 0.500000 by convention")
    assert verdicts["rootf"][:2] == ["f has no derivative here (outside the domain of f): JAX returns nan",
                                    "not differentiable here (edge of the domain, right ∞): JAX returns inf"]
    assert verdicts["guarded"][0] == "JAX returns nan; the derivative is 0.000"  # the where-gradient trap
    assert "JAX differs from the derivative, or has no derivative to agree with, at 2 of 3 point(s)." in r.text()


@pytest.mark.slow
def test_gradcheck_returns_the_table_or_raises_assertion_error_with_it(jax_functions):
    ns = jax_functions.user_ns
    table = gradcheck(ns["loss"], at="0.5,1;0,0", against="jax")
    assert table.ok and len(table.rows) == 2 and "agrees" in str(table)
    with pytest.raises(AssertionError) as caught:
        gradcheck(ns["kink"], at="0;1")
    assert "JAX returns 1.000000 by convention" in str(caught.value) and "(1)" in str(caught.value)
    # a custom rule cannot be traced: our derivative is numeric, from JAX's float32 values, which are too
    # coarse for it to be sure of anything, and it says so rather than calling JAX's number a convention
    with pytest.raises(AssertionError, match=r"unknown: our numeric analysis says"):
        gradcheck(ns["wrong"], at="0.5")
    jax = sys.modules["jax"]
    jax.config.update("jax_enable_x64", True)  # float64 values: the numeric derivative is good to 1e-12
    try:
        with pytest.raises(AssertionError, match=r"differs beyond the error bound"):
            gradcheck(ns["wrong"], at="0.5")
        row = api.grad(ns["wrong"], at="0.5", against="jax", plot=False).against.rows[0]
    finally:
        jax.config.update("jax_enable_x64", False)
    assert row.ours[0] == pytest.approx(math.cos(0.5), abs=1e-9) and row.theirs[0] == pytest.approx(2 * math.cos(0.5))


def test_without_the_framework_one_line_says_what_to_install(ip, monkeypatch):
    ip.run_cell("def f(x):\n    return x ** 2")
    monkeypatch.setitem(sys.modules, "jax", None)  # what Python does for a package that is not there
    before = user_names(ip)
    with pytest.raises(UsageError) as caught:
        ip.run_line_magic("deriv", "f --at 1 --against jax")
    assert str(caught.value) == ("--against jax needs JAX, which is not installed: "
                                 "pip install 'ipython_gradients[jax]' (or pip install jax jaxlib)")
    assert user_names(ip) == before


@pytest.mark.parametrize("magic, line, words", [
    ("deriv", "x^2 --at 1 --against jax", "give the function's name, not an expression"),
    ("deriv", "f --against jax", "--against jax compares gradients at points: add --at"),
    ("deriv", "f --at 1 --order 2 --against torch", "--against compares first derivatives"),
    ("grad", "f --at 1 --against tensorflow", "argument --against: invalid choice: 'tensorflow'"),
])
def test_against_bad_input_is_one_line(ip, magic, line, words):
    ip.run_cell("def f(x):\n    return x ** 2")
    before = user_names(ip)
    with pytest.raises(UsageError) as caught:
        ip.run_line_magic(magic, line)
    assert words in str(caught.value) and "\n" not in str(caught.value)
    assert user_names(ip) == before


@pytest.mark.slow
def test_torch_conventions_and_tracing(ip):
    pytest.importorskip("torch", reason="PyTorch is not installed: the torch path is tested where it is")
    ip.run_cell("import torch\n"
                "def loss(w, b):\n    return torch.log(1 + torch.exp(-(2 * w + b))) + 0.5 * w ** 2\n"
                "def relu(x):\n    return torch.relu(x)\n"
                "def rootf(x):\n    return torch.sqrt(x)\n")
    r = ip.run_line_magic("grad", "loss --at 0.5,1;0,0 --against torch --no-plot")
    assert r.expr is not None and [row.verdict for row in r.against.rows] == ["agrees", "agrees"]
    r = ip.run_line_magic("deriv", "relu --at 0,1 --against torch --no-plot")
    assert r.against.rows[0].verdict == ("not differentiable here (corner, left 0.000, right 1.000): "
                                         "PyTorch returns 0.000000 by convention")
    r = ip.run_line_magic("deriv", "rootf --at 0 --against torch --no-plot")
    assert r.against.rows[0].verdict.endswith("PyTorch returns inf")



@pytest.mark.slow
def test_an_untraceable_torch_function_is_differentiated_numerically_and_a_wrong_backward_caught(ip):
    pytest.importorskip("torch", reason="PyTorch is not installed: the torch path is tested where it is")
    ip.run_cell("import torch\n"
                "def smooth(x):\n    return torch.special.expit(3 * x)\n"  # torch.special: not traced
                "class Bad(torch.autograd.Function):\n"
                "    @staticmethod\n    def forward(ctx, x):\n        ctx.save_for_backward(x)\n"
                "        return torch.sin(x)\n"
                "    @staticmethod\n    def backward(ctx, g):\n        (x,) = ctx.saved_tensors\n"
                "        return 2 * torch.cos(x) * g\n"
                "def wrong(x):\n    return Bad.apply(x)\n")
    r = ip.run_line_magic("deriv", "smooth --at 0,1 --against torch --no-plot")
    assert r.expr is None and r.method == "numeric"  # called with float64 (and complex128) tensors
    assert [row.verdict for row in r.against.rows] == ["agrees", "agrees"]
    assert r.points[0].value == pytest.approx(0.75, rel=1e-12)
    with pytest.raises(AssertionError, match=r"differs beyond the error bound") as caught:
        gradcheck(ip.user_ns["wrong"], at="0.5", against="torch")
    assert "0.877583" in str(caught.value) and "1.755165" in str(caught.value)
