"""The magics in a real Jupyter kernel started from the installed kernelspec, over the protocol.

This is how JupyterLab and VS Code talk to the kernel: execute, complete and inspect requests.
"""

import os

import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import start_new_kernel

from ipython_gradients import kernelspec

pytestmark = pytest.mark.external  # one kernel for the module, in its own process


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    """A kernel from our kernelspec, installed into a temporary Jupyter path (found via JUPYTER_PATH)."""
    prefix = tmp_path_factory.mktemp("jupyter")
    kernelspec.install(name="grads-test", prefix=str(prefix))
    saved = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(prefix / "share" / "jupyter")
    try:
        assert "grads-test" in KernelSpecManager().find_kernel_specs()
        manager, client = start_new_kernel(kernel_name="grads-test", startup_timeout=60)
    finally:
        if saved is None:
            os.environ.pop("JUPYTER_PATH")
        else:
            os.environ["JUPYTER_PATH"] = saved
    yield client
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def execute(client, code: str) -> tuple[dict, list[dict]]:
    """Run code; return the reply and the iopub messages it caused (outputs and errors)."""
    msg_id = client.execute(code)
    reply = client.get_shell_msg(timeout=60)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = client.get_shell_msg(timeout=60)
    messages = []
    while True:
        message = client.get_iopub_msg(timeout=60)
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            return reply["content"], messages
        if message["msg_type"] in ("display_data", "execute_result", "error", "stream"):
            messages.append(message)


def request(client, method: str, **content) -> dict:
    msg_id = getattr(client, method)(**content)
    reply = client.get_shell_msg(timeout=60)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = client.get_shell_msg(timeout=60)
    return reply["content"]


@pytest.mark.parametrize("code, latex_phrase", [
    ("%deriv x**2 --at -0.5,0.5,0", "f'(-0.5) &= -1.000"),
    ("%grad x**2 + y**2 --at 1,2", r"\nabla f(1, 2) &= (2.000, 4.000)"),
    ("%%tangent --at -0.5,0.5\nf(x) = x^2\n", r"y = - x - \frac{1}{4}"),
])
def test_each_magic_is_preloaded_and_shows_math_then_figure(kernel, code, latex_phrase):
    reply, messages = execute(kernel, code)
    assert reply["status"] == "ok"
    assert [m["msg_type"] for m in messages] == ["display_data", "display_data"]
    math, figure = (m["content"]["data"] for m in messages)
    assert set(math) == {"text/plain", "text/latex"}
    assert math["text/latex"].startswith("$$") and latex_phrase in math["text/latex"]
    assert set(figure) == {"image/png", "text/plain"} and len(figure["image/png"]) > 1000  # base64 PNG
    assert figure["text/plain"].startswith(("Graph of", "Contour plot of"))


def test_svg_figures(kernel):
    execute(kernel, "%config GradientMagics.figure_format = 'svg'")
    _, messages = execute(kernel, "%deriv sin(x)")
    svg = messages[1]["content"]["data"]["image/svg+xml"]
    description = messages[1]["content"]["data"]["text/plain"]
    assert description.startswith("Graph of f(x) = sin(x) and f′(x) = cos(x)") and f"<title>{description}</title>" in svg
    execute(kernel, "%config GradientMagics.figure_format = 'png'")


def test_assigned_result_shows_nothing(kernel):
    reply, messages = execute(kernel, "r = %deriv x**2 --at 1")
    assert reply["status"] == "ok" and messages == []
    reply, messages = execute(kernel, "print(r.values)")
    assert messages[0]["content"]["text"].strip() == "{1.0: 2.0}"


def test_complete_request(kernel):
    code = "%deriv x^2 --me"
    reply = request(kernel, "complete", code=code, cursor_pos=len(code))
    assert reply["status"] == "ok" and reply["matches"] == ["--method"]
    assert reply["cursor_start"] == len(code) - len("--me") and reply["cursor_end"] == len(code)
    code = "%%tangent --at 1\nf(x) = si"
    assert request(kernel, "complete", code=code, cursor_pos=len(code))["matches"] == ["sign", "sin", "sinh"]


def test_inspect_request_returns_the_help(kernel):
    reply = request(kernel, "inspect", code="%deriv", cursor_pos=6, detail_level=0)
    text = reply["data"]["text/plain"]
    assert reply["found"] and "--wrt" in text and "--at" in text and "%deriv x**2 --at -0.5,0.5,0" in text
    reply = request(kernel, "inspect", code="%%tangent", cursor_pos=9, detail_level=0)
    assert reply["found"] and "--secant" in reply["data"]["text/plain"]


def test_bad_input_is_one_line_and_the_kernel_keeps_working(kernel):
    reply, messages = execute(kernel, "%deriv x^^2")
    assert reply["status"] == "error" and reply["ename"] == "UsageError"
    [error] = messages  # IPython shows a UsageError as one line on stderr
    assert error["msg_type"] == "stream" and error["content"]["name"] == "stderr"
    assert error["content"]["text"] == "UsageError: two operators in a row ('^' then '^') (column 3 of 'x^^2')\n"
    reply, messages = execute(kernel, "%deriv x^3 --at 1 --no-plot")
    assert reply["status"] == "ok" and "3.000" in messages[0]["content"]["data"]["text/plain"]


def test_shown_results_in_out_hold_no_figures(kernel):
    """IPython's Out cache keeps every shown result for the session (a kernel once grew by 3.2 MB a
    cell): a shown result keeps its image, not its Figure, and draws the same figure again on demand."""
    execute(kernel, "%config GradientMagics.figure_format = 'png'")
    shown = []
    for k in range(24):
        code = (f"%deriv x^{1 + k % 5} sin(x) --at 0.5" if k % 3 == 0 else
                f"%grad x^2 + {k} y^2 --at 1,1" if k % 3 == 1 else f"%%tangent --at 0.{k % 9 + 1}\nf(x) = x^{k % 4 + 2}")
        reply, messages = execute(kernel, code)
        assert reply["status"] == "ok" and "image/png" in messages[-1]["content"]["data"]
        shown.append(messages[-1]["content"]["data"]["image/png"])
    reply, messages = execute(kernel, """
import base64, gc
from matplotlib.figure import Figure
from ipython_gradients.plotting import figure_bytes
gc.collect()
results = [Out[n] for n in sorted(Out)[-24:]]
print(sum(isinstance(o, Figure) for o in gc.get_objects()))
again = results[-1].figure  # drawn anew from the result's data
print(base64.b64encode(figure_bytes(again, 'png')[0]['image/png']).decode())
print(base64.b64encode(results[0].figure_bundle()[0]['image/png']).decode())
""")
    assert reply["status"] == "ok", messages
    live, redrawn, kept = messages[0]["content"]["text"].split()
    assert int(live) <= 2  # 24 before: each shown result held its Figure
    assert redrawn == shown[-1] and kept == shown[0]
