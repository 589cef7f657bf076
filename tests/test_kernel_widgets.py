"""%deriv --interactive in a real Jupyter kernel, over the widget protocol as JupyterLab speaks it: the
widgets' comms open, a new slider value sent through the slider's comm gives a new readout and image
for that point (what --at says there), and a value the view cannot show is one line in it, never a
traceback."""

import base64

import pytest
from jupyter_client.manager import start_new_kernel

pytest.importorskip("ipywidgets")  # the [test] extra installs it: CI runs these

pytestmark = pytest.mark.external  # one kernel for the module, in its own process


@pytest.fixture(scope="module")
def kernel():
    manager, client = start_new_kernel(kernel_name="python3", startup_timeout=60)
    yield client
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def run(client, code: str) -> tuple[dict, list[dict]]:
    """Run code; the reply and every iopub message it caused until the kernel is idle again."""
    msg_id = client.execute(code)
    return wait(client, msg_id)


def wait(client, msg_id: str) -> tuple[dict, list[dict]]:
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
        messages.append(message)


def send_to_comm(client, comm_id: str, state: dict) -> list[dict]:
    """What a frontend sends when the user moves a slider; the iopub messages the kernel answers with."""
    message = client.session.msg("comm_msg", {"comm_id": comm_id,
                                              "data": {"method": "update", "state": state, "buffer_paths": []}})
    client.shell_channel.send(message)
    messages = []
    while True:
        reply = client.get_iopub_msg(timeout=60)
        if reply["parent_header"].get("msg_id") != message["header"]["msg_id"]:
            continue
        if reply["msg_type"] == "status" and reply["content"]["execution_state"] == "idle":
            return messages
        messages.append(reply)


def models(messages: list[dict]) -> dict[str, tuple[str, dict]]:
    """comm id -> (model name, state) of each widget the messages open."""
    return {m["content"]["comm_id"]: (m["content"]["data"]["state"]["_model_name"], m["content"]["data"]["state"])
            for m in messages if m["msg_type"] == "comm_open"}


def updates(messages: list[dict], comm_id: str) -> list[dict]:
    return [m for m in messages if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == comm_id
            and m["content"]["data"].get("method") == "update"]


def test_the_slider_moves_the_point_through_the_comm(kernel):
    reply, _ = run(kernel, "%load_ext ipython_gradients")
    assert reply["status"] == "ok"
    reply, messages = run(kernel, "%deriv abs(x) --interactive --range -1,1")
    assert reply["status"] == "ok"
    opened = models(messages)
    [slider] = [c for c, (name, _) in opened.items() if name == "FloatSliderModel"]
    [readout] = [c for c, (name, _) in opened.items() if name == "HTMLModel"]
    [image] = [c for c, (name, _) in opened.items() if name == "ImageModel"]
    assert "f'(0)   not differentiable (corner): left -1.000, right 1.000; local minimum" in opened[readout][1]["value"]
    shown = [m for m in messages if m["msg_type"] == "display_data"]
    assert "text/latex" in shown[0]["content"]["data"]  # the math first, then the view
    view = shown[1]["content"]["data"]
    assert set(view) >= {"application/vnd.jupyter.widget-view+json", "image/png"}

    answer = send_to_comm(kernel, slider, {"value": 0.5})
    [text] = updates(answer, readout)
    assert "f(0.5) = 0.500" in text["content"]["data"]["state"]["value"]
    assert "f'(0.5) = 1.000   increasing" in text["content"]["data"]["state"]["value"]
    [picture] = updates(answer, image)
    assert picture["content"]["data"]["buffer_paths"] == [["value"]] and picture["buffers"][0][:4] == b"\x89PNG"
    assert not [m for m in answer if m["msg_type"] in ("error", "stream")]

    # the same point through %deriv --at: the same row
    _, messages = run(kernel, "%deriv abs(x) --at 0.5 --no-plot")
    [shown] = [m for m in messages if m["msg_type"] == "display_data"]
    assert "f'(0.5) = 1.000   increasing" in shown["content"]["data"]["text/plain"]


def test_a_bad_value_through_the_comm_is_one_line_never_a_traceback(kernel):
    run(kernel, "%load_ext ipython_gradients")
    _, messages = run(kernel, "%deriv log(x) --interactive --range -1,2")
    opened = models(messages)
    [slider] = [c for c, (name, _) in opened.items() if name == "FloatSliderModel"]
    [readout] = [c for c, (name, _) in opened.items() if name == "HTMLModel"]
    answer = send_to_comm(kernel, slider, {"value": -0.5})  # outside the domain: the analysis says so
    [text] = updates(answer, readout)
    assert "f'(-0.5)   undefined" in text["content"]["data"]["state"]["value"]
    answer = send_to_comm(kernel, slider, {"value": "not a number"})  # the slider's own check refuses it
    assert not [m for m in answer if m["msg_type"] in ("error", "stream")]
    [text] = updates(answer, readout)
    assert "could not show a = &#x27;not a number&#x27;" not in text["content"]["data"]["state"]["value"]
    problem = text["content"]["data"]["state"]["value"].split('<div style="color:#b00">')[1]
    assert problem.startswith("could not show a = 'not a number': TraitError:") and "Traceback" not in problem
    reply, messages = run(kernel, "print('alive')")  # and the kernel carries on
    assert reply["status"] == "ok" and messages[-1]["content"]["text"] == "alive\n"


def test_an_animation_is_shown_as_the_player_after_the_math(kernel):
    run(kernel, "%load_ext ipython_gradients")
    reply, messages = run(kernel, "%grad x^2 + 3y^2 --descent --from 1,1 --rate 0.1,0.3 --animate")
    assert reply["status"] == "ok"
    shown = [m["content"]["data"] for m in messages if m["msg_type"] == "display_data"]
    assert len(shown) == 2 and "text/latex" in shown[0]
    assert set(shown[1]) == {"text/html", "image/png", "text/plain"}
    assert 'class="ipython-gradients-player"' in shown[1]["text/html"] and shown[1]["text/plain"].startswith("step ")
    assert not [m for m in messages if m["msg_type"] in ("error", "stream")]


def test_the_descent_sliders_through_the_comm(kernel):
    run(kernel, "%load_ext ipython_gradients")
    _, messages = run(kernel, "%grad x^2 + 3y^2 --descent --from 1,1 --interactive")
    opened = models(messages)
    [rate] = [c for c, (name, _) in opened.items() if name == "FloatLogSliderModel"]
    [readout] = [c for c, (name, _) in opened.items() if name == "HTMLModel"]
    answer = send_to_comm(kernel, rate, {"value": 0.4})
    [text] = updates(answer, readout)
    _, static = run(kernel, "%grad x^2 + 3y^2 --descent --from 1,1 --rate 0.4 --no-plot")
    [shown] = [m for m in static if m["msg_type"] == "display_data"]
    message = shown["content"]["data"]["text/plain"].strip().splitlines()[-1]
    assert message.startswith("diverged") and message in text["content"]["data"]["state"]["value"]
    assert not [m for m in answer if m["msg_type"] in ("error", "stream")]


def test_a_view_that_cannot_be_made_leaves_the_static_figure_and_one_line(kernel):
    run(kernel, "%load_ext ipython_gradients")
    run(kernel, "r = %deriv x^2 --interactive\ndef broken():\n    raise RuntimeError('no comm here')\nr.live.bundle = broken")
    reply, messages = run(kernel, "r")
    assert reply["status"] == "ok" and not [m for m in messages if m["msg_type"] == "error"]
    [line] = [m["content"]["text"] for m in messages if m["msg_type"] == "stream"]
    assert line == "The live view could not be shown (RuntimeError: no comm here); the figure is static.\n"
    shown = [m["content"]["data"] for m in messages if m["msg_type"] == "display_data"]
    assert "text/latex" in shown[0] and set(shown[1]) == {"image/png", "text/plain"}
