"""Completions the kernel itself gives for the magics: options, values, variables, names."""

import subprocess
import sys
import textwrap
import threading

import pytest
from IPython.core.completer import provisionalcompleter


def completions(ip, text):
    with provisionalcompleter():
        return [c.text for c in ip.Completer.completions(text, len(text))]


@pytest.fixture(params=[True, False], ids=["jedi", "no-jedi"])
def shell_with_jedi(ip, request):
    """VS Code turns IPython's jedi completer off; both must work."""
    saved = ip.Completer.use_jedi
    ip.Completer.use_jedi = request.param
    yield ip
    ip.Completer.use_jedi = saved


@pytest.mark.parametrize("text, expected", [
    ("%deriv x^2 --", ["--against", "--at", "--check", "--definition", "--given", "--graph", "--implicit",
                       "--interactive", "--method", "--mode", "--no-plot", "--no-simplify", "--order", "--plot",
                       "--range", "--rate", "--simplify", "--steps", "--wrt"]),
    ("%deriv x^2 --me", ["--method"]),
    ("%deriv x^2 --method sym", ["symbolic"]),
    ("%deriv x^2 --method ", ["auto", "autodiff", "numeric", "symbolic"]),
    ("%deriv x^2 y + sin(x y) --wrt ", ["x", "y"]),
    ("%deriv x y --wrt x,", ["y"]),
    ("%deriv si", ["sign", "sin", "sinh"]),
    ("%deriv arcs", ["arcsec", "arcsin", "arcsinh"]),
    ("r = %grad x y --he", ["--hessian"]),
    ("%grad f(a, b) = a b --vars ", ["a", "b"]),
    ("%deriv x² y + πt --wrt ", ["t", "x", "y"]),  # textbook notation: x² is x, πt is π·t
    ("%deriv d/dx x y --wrt ", ["x", "y"]),
    ("%deriv ∂²/∂x∂y (x^2 y) --wrt ", ["x", "y"]),
    ("%deriv z = u v --wrt ", ["u", "v"]),
    ("%%tangent --no", ["--no-plot", "--normal"]),
    ("%%tangent --at 1\nx^2 + si", ["sign", "sin", "sinh"]),
])
def test_magic_completions(shell_with_jedi, text, expected):
    assert completions(shell_with_jedi, text) == expected


def test_namespace_names_that_are_sympy_objects_or_functions(ip):
    import sympy

    ip.user_ns.update(objective=lambda v: v, obj_number=3, obj_symbol=sympy.Symbol("t"), obj_string="no")
    assert completions(ip, "%deriv obj") == ["obj_symbol", "objective"]
    assert completions(ip, "%%tangent\nf(x) = obj") == ["obj_symbol", "objective"]


def test_other_code_is_left_to_ipython(ip):
    assert "os" in completions(ip, "import o")
    assert completions(ip, "x = si") != ["sign", "sin", "sinh"]


def test_unload_removes_the_matcher(shell):
    import ipython_gradients

    ipython_gradients.load_ipython_extension(shell)
    count = len(shell.Completer.custom_matchers)
    ipython_gradients.unload_ipython_extension(shell)
    assert len(shell.Completer.custom_matchers) == count - 1
    assert completions(shell, "%deriv x^2 --me") != ["--method"]
    ipython_gradients.load_ipython_extension(shell)


@pytest.mark.external
def test_completion_imports_no_sympy():
    code = textwrap.dedent("""
        import sys
        from IPython.core.interactiveshell import InteractiveShell
        from IPython.core.completer import provisionalcompleter
        ip = InteractiveShell.instance()
        ip.run_line_magic("load_ext", "ipython_gradients")
        with provisionalcompleter():
            found = [c.text for c in ip.Completer.completions("%deriv si", 9)]
        print(found, "sympy" in sys.modules)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "['sign', 'sin', 'sinh'] False", result.stderr


def test_completion_from_another_thread_while_a_magic_runs(ip):
    """VS Code asks for completions in a background thread while code may be running."""
    found, errors = [], []

    def ask():
        try:
            for _ in range(30):
                found.append(completions(ip, "%deriv x^2 --me"))
                ip.user_ns[f"churn_{len(found)}"] = len(found)  # the namespace changes meanwhile
        except Exception as error:  # reported below: the assertion names it
            errors.append(error)

    worker = threading.Thread(target=ask)
    worker.start()
    results = [ip.run_line_magic("deriv", "sin(x) exp(x) --at 1,2 --no-plot") for _ in range(10)]
    worker.join(timeout=60)
    assert errors == [] and found == [["--method"]] * 30
    assert all(r.values[1.0] == pytest.approx(2.7734) or r.values[1.0] > 0 for r in results)
    assert len({str(r.derivative) for r in results}) == 1


@pytest.mark.external
def test_completion_while_sympy_is_first_imported_in_another_thread():
    """A kernel imports SymPy for the first magic while the frontend asks for completions: the
    completer sees a half-initialised sympy module in sys.modules and must not fail on it."""
    code = textwrap.dedent("""
        import sys, threading
        from IPython.core.interactiveshell import InteractiveShell
        from IPython.core.completer import provisionalcompleter
        ip = InteractiveShell.instance()
        ip.run_line_magic("load_ext", "ipython_gradients")
        ip.user_ns.update(square=lambda x: x * x, sq_items=[1])
        importer = threading.Thread(target=lambda: __import__("sympy"))
        failures, calls = [], 0
        importer.start()
        while importer.is_alive() or calls < 20:
            calls += 1
            try:
                with provisionalcompleter():
                    found = [c.text for c in ip.Completer.completions("%deriv sq", 9)]
                if "square" not in found:
                    failures.append(found)
            except Exception as error:
                failures.append(repr(error))
        print(calls, failures[:3])
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    calls, _, failures = result.stdout.strip().partition(" ")
    assert int(calls) >= 20 and failures == "[]", result.stdout + result.stderr
