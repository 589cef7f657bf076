"""%deriv in a real Jupyter kernel, spoken to over the protocol as JupyterLab and VS Code do."""

import pytest
from jupyter_client.manager import start_new_kernel


@pytest.fixture(scope="module")
def kernel():
    manager, client = start_new_kernel(kernel_name="python3", startup_timeout=60)
    execute(client, "%load_ext ipython_gradients")
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


def test_math_then_figure_as_separate_outputs(kernel):
    reply, messages = execute(kernel, "%deriv x**2 --at -0.5,0.5,0")
    assert reply["status"] == "ok"
    assert [m["msg_type"] for m in messages] == ["display_data", "display_data"]
    math, figure = (m["content"]["data"] for m in messages)
    assert set(math) == {"text/plain", "text/latex"}
    assert math["text/latex"].startswith("$$") and "f'(-0.5) &= -1.000" in math["text/latex"]
    assert set(figure) == {"image/png"} and len(figure["image/png"]) > 1000  # base64 PNG


def test_assigned_result_shows_nothing(kernel):
    reply, messages = execute(kernel, "r = %deriv x**2 --at 1")
    assert reply["status"] == "ok" and messages == []
    reply, messages = execute(kernel, "print(r.values)")
    assert messages[0]["content"]["text"].strip() == "{1.0: 2.0}"


def test_bad_input_is_one_line_without_traceback(kernel):
    reply, messages = execute(kernel, "%deriv x^^2")
    assert reply["status"] == "error" and reply["ename"] == "UsageError"
    [error] = messages  # IPython shows a UsageError as one line on stderr
    assert error["msg_type"] == "stream" and error["content"]["name"] == "stderr"
    assert error["content"]["text"] == "UsageError: two operators in a row ('^' then '^') (column 3 of 'x^^2')\n"
