"""The background warm-up after %load_ext, in fresh processes with it turned on: loading still imports
nothing heavy, the warm-up starts only once the loading cell has finished, never imports pyplot nor
prints, cells wait for it, the environment variable turns it off, a failing warm-up is never seen,
and a kernel started from the kernelspec warms up before its first cell."""

import os
import subprocess
import sys
import textwrap

import pytest
from jupyter_client.manager import start_new_kernel

from ipython_gradients import kernelspec

pytestmark = pytest.mark.external  # each test starts a fresh Python or a kernel

WARM_UP_THREAD = "ipython_gradients warm-up"


def fresh_python(code: str, warm_up: str = "1") -> subprocess.CompletedProcess:
    env = {**os.environ, "IPYTHON_GRADIENTS_WARMUP": warm_up}
    env.pop("MPLBACKEND", None)
    return subprocess.run([sys.executable, "-c", textwrap.dedent(SHELL) + textwrap.dedent(code)],
                          capture_output=True, text=True, timeout=180, env=env)


SHELL = """
    import sys, threading, time
    from IPython.core.interactiveshell import InteractiveShell
    ip = InteractiveShell.instance()
    def warm_up_threads():
        return [t.name for t in threading.enumerate() if t.name == "ipython_gradients warm-up"]
"""


def test_loading_imports_nothing_heavy_and_the_warm_up_starts_after_the_cell():
    result = fresh_python("""
        names_before = set(ip.user_ns)
        # Inside the loading cell: nothing heavy imported, no thread started.
        ip.run_cell("%load_ext ipython_gradients\\nimport sys, threading\\n"
                    "heavy = [m for m in ('sympy', 'matplotlib', 'numpy') if m in sys.modules]\\n"
                    "threads = [t.name for t in threading.enumerate()]")
        print("in the cell:", ip.user_ns["heavy"], "ipython_gradients warm-up" in ip.user_ns["threads"])
        print("after the cell:", warm_up_threads())
        from ipython_gradients import warmup
        print("finished:", warmup.join(120))
        print("loaded:", [m for m in ("sympy", "numpy", "matplotlib.figure", "matplotlib.backends.backend_agg",
                                      "ipython_gradients.plotting") if m in sys.modules])
        print("pyplot:", "matplotlib.pyplot" in sys.modules)
        print("new names:", sorted(set(ip.user_ns) - names_before - {"heavy", "threads", "sys", "threading", "_i1"}))
    """)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "in the cell: [] False"
    assert lines[1] == f"after the cell: [{WARM_UP_THREAD!r}]"
    assert lines[2] == "finished: True"
    assert lines[3] == ("loaded: ['sympy', 'numpy', 'matplotlib.figure', 'matplotlib.backends.backend_agg', "
                        "'ipython_gradients.plotting']")
    assert lines[4] == "pyplot: False"  # the user's backend is left alone
    assert lines[5] == "new names: []"
    assert len(lines) == 6 and result.stderr == ""  # the warm-up printed nothing


def test_a_cell_runs_only_once_the_warm_up_has_stopped():
    """No two threads import at once: a cell right after loading waits, then imports freely."""
    result = fresh_python("""
        ip.user_ns["warm_up_threads"] = warm_up_threads
        ip.run_cell("%load_ext ipython_gradients")
        ip.run_cell("running = warm_up_threads()\\nimport sympy.abc, numpy.linalg, matplotlib.figure")
        print("running while the cell ran:", ip.user_ns["running"])
        r = ip.run_line_magic("deriv", "x^2 --at 1")
        print(r.values, r.figure is not None)
    """)
    assert result.returncode == 0, result.stderr
    assert "running while the cell ran: []" in result.stdout
    assert "{1.0: 2.0} True" in result.stdout


@pytest.mark.parametrize("value", ["0"] + [pytest.param(v, marks=pytest.mark.slow) for v in ("off", "false", "No")])
def test_the_environment_variable_turns_it_off(value):
    result = fresh_python("""
        ip.run_cell("%load_ext ipython_gradients")
        ip.run_cell("x = 1")
        time.sleep(0.5)
        print("threads:", warm_up_threads(), "sympy:", "sympy" in sys.modules)
    """, warm_up=value)
    assert result.returncode == 0, result.stderr
    assert "threads: [] sympy: False" in result.stdout


def test_a_failing_warm_up_is_never_seen_and_the_magics_still_work():
    """matplotlib cannot be imported here: the warm-up fails on it, silently, after warming SymPy; the
    magics answer as they would without the warm-up."""
    result = fresh_python("""
        sys.modules["matplotlib"] = None  # import matplotlib now raises ImportError
        ip.run_cell("%load_ext ipython_gradients")
        from ipython_gradients import warmup
        print("finished:", warmup.join(120), "sympy:", "sympy" in sys.modules)
        r = ip.run_line_magic("deriv", "x^2 --at 1 --no-plot")
        print(r.values, r.figure)
    """)
    assert result.returncode == 0, result.stderr
    assert "finished: True sympy: True" in result.stdout
    assert "{1.0: 2.0} None" in result.stdout
    assert result.stderr == ""


def test_scripts_and_ipython_c_do_not_warm_up():
    """`ipython -c` runs its code and exits: a thread still importing at exit could only make noise."""
    result = subprocess.run([sys.executable, "-m", "IPython", "--ext", "ipython_gradients", "--no-banner",
                             "--HistoryManager.enabled=False", "-c",
                             "import threading; print([t.name for t in threading.enumerate() if 'warm' in t.name])"],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "IPYTHON_GRADIENTS_WARMUP": "1"})
    assert result.returncode == 0, result.stderr
    assert "[]" in result.stdout


@pytest.mark.slow
def test_a_kernel_from_the_kernelspec_warms_up_before_its_first_cell(tmp_path):
    kernelspec.install(name="grads-warm", prefix=str(tmp_path))
    env = {**os.environ, "IPYTHON_GRADIENTS_WARMUP": "1", "JUPYTER_PATH": str(tmp_path / "share" / "jupyter")}
    saved = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = env["JUPYTER_PATH"]
    try:
        manager, client = start_new_kernel(kernel_name="grads-warm", startup_timeout=120, env=env)
    finally:
        if saved is None:
            os.environ.pop("JUPYTER_PATH")
        else:
            os.environ["JUPYTER_PATH"] = saved
    try:
        from ipython_gradients import warmup  # noqa: F401  (the kernel's copy is what matters)

        outputs = []
        client.execute_interactive(
            "import sys\nfrom ipython_gradients import warmup\n"
            "print(warmup._thread is not None, 'sympy' in sys.modules, 'matplotlib.pyplot' in sys.modules)",
            timeout=120, output_hook=lambda m: outputs.append(m))
        printed = "".join(m["content"].get("text", "") for m in outputs if m["msg_type"] == "stream")
        assert printed.strip() == "True True False"  # warmed up at start, backend untouched
        outputs.clear()
        reply = client.execute_interactive("%deriv x^2 --at 1", timeout=120, output_hook=lambda m: outputs.append(m))
        assert reply["content"]["status"] == "ok"
        assert [m["msg_type"] for m in outputs if m["msg_type"] == "display_data"] == ["display_data"] * 2
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
