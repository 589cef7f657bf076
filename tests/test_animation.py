"""--animate: gradient descent step by step (one rate or several side by side) and secants shrinking to the
tangent, as a self-contained HTML/JavaScript player and as a GIF; what each frame says is computed
again here from the function, and bad input is one line."""

import base64
import io
import json
import math
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
from IPython.core.error import UsageError
from PIL import Image

from conftest import user_names
from ipython_gradients import grad, tangent
from ipython_gradients.interactive import MAX_FRAMES, frame_indices
from ipython_gradients.results.notation import format_number

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def player_data(html: str) -> dict:
    return json.loads(re.search(r"var data = (\{.*?\});\n", html, flags=re.S).group(1).replace("<\\/", "</"))


def test_frames_are_subsampled_evenly_with_both_ends():
    assert frame_indices(10) == list(range(11))
    many = frame_indices(2000)
    assert len(many) == MAX_FRAMES and many[0] == 0 and many[-1] == 2000 and many == sorted(set(many))


def test_descent_with_several_rates_shows_each_run_as_the_static_descent_computes_it():
    rates = (0.001, 0.01, 0.02)
    result = grad("(1-x)^2 + 100(y-x^2)^2", descent=True, start="-1,1", rate="0.001,0.01,0.02", steps=300,
                  animate=True)
    frames = result.live.frames
    assert len(frames) == MAX_FRAMES
    assert frames[0][1].startswith("step 0 of ")
    last = frames[-1][1].splitlines()
    for rate, line in zip(rates, last[1:]):
        alone = grad("(1-x)^2 + 100(y-x^2)^2", descent=True, start="-1,1", rate=rate, steps=300, plot=False).descent
        k = len(alone.values) - 1
        assert line == f"rate {rate:g}: f(x_{k}) = {format_number(alone.values[-1], 3)} ({alone.status})"
    assert result.descent.status == grad("(1-x)^2 + 100(y-x^2)^2", descent=True, start="-1,1", rate=0.001,
                                         steps=300, plot=False).descent.status
    assert any("compares the rates 0.001, 0.01, 0.02" in note for note in result.notes)
    # side by side: one panel per rate and the panel of f(x_k)
    assert len(result.live.figure.axes) == 4 and result.live.figure.axes[-1].get_title() == "f(x_k) against k"


def test_a_diverging_rate_is_shown_diverging_and_the_frames_differ():
    result = grad("x^2 + y^2", descent=True, start="1,1", rate="0.1,1.1", steps=40, animate=True)
    last = result.live.frames[-1][1]
    alone = grad("x^2 + y^2", descent=True, start="1,1", rate=1.1, steps=40, plot=False).descent
    assert f"rate 1.1: f(x_{len(alone.values) - 1}) = {format_number(alone.values[-1], 3)} ({alone.status})" in last
    first, final = result.live.frames[0][0], result.live.frames[-1][0]
    assert first.shape == final.shape and (first != final).any()


def test_one_variable_descent_walks_on_the_curve():
    result = grad("x^4 - 3x^2 + x", descent=True, start="2", rate=0.01, steps=200, animate=True)
    assert len(result.live.figure.axes) == 2
    k = len(result.descent.values) - 1
    assert result.live.frames[-1][1].endswith(f"f(x_{k}) = {result.descent.values[-1]:.3f} ({result.descent.status})")


def test_the_player_is_self_contained_html_with_every_frame():
    result = grad("x^2 + 3y^2", descent=True, start="1,1", rate=0.1, steps=20, animate=True)
    html = result.live.html()
    data = player_data(html)
    assert len(data["frames"]) == len(result.live.frames) == len(data["captions"])
    assert [c for _, c in result.live.frames] == data["captions"]
    for frame in (data["frames"][0], data["frames"][-1]):
        assert Image.open(io.BytesIO(base64.b64decode(frame))).size == result.live.frames[0][0].shape[1::-1]
    assert "http" not in html  # nothing fetched: works offline, exported, with no kernel
    assert f'data:image/png;base64,{data["frames"][-1]}' in html.split("<script>")[0]  # shown without scripts too
    bundle = result.live.bundle()
    assert set(bundle) == {"text/html", "image/png", "text/plain"} and bundle["text/plain"] == data["captions"][-1]


def test_secants_shrink_to_the_tangent_with_their_slopes_computed_again():
    result = tangent("f(x) = x^3\ng(x) = abs(x)", at="1,0", secant="0.5", animate=True)
    captions = [c for _, c in result.live.frames]
    assert captions[0].splitlines()[0] == "h = 0.5" and captions[-1].splitlines()[0] == "h = 0.0005"
    for caption in (captions[0], captions[17], captions[-1]):
        h = float(caption.splitlines()[0][4:])
        rise = ((1 + h) ** 3 - 1) / h
        assert f"f at 1: secant slope {rise:.3f}, f'(1) = 3.000, difference {abs(rise - 3):.2g}" in caption
    assert ("g at 0: secant slope 1.000; no g'(0): not differentiable (corner), so the secants approach the "
            "right-hand slope at most") in captions[-1]


def test_a_negative_width_approaches_from_the_left():
    result = tangent("abs(x)", at="0", secant="-0.5", animate=True)
    assert "secant slope -1.000; no f'(0)" in result.live.frames[-1][1] and "left-hand slope" in result.live.frames[-1][1]


def test_save_writes_a_gif_of_every_frame(tmp_path):
    target = tmp_path / "secant.gif"
    result = tangent("x^2", at="1", secant="0.5", animate=True, save=str(target))
    picture = Image.open(target)
    assert picture.format == "GIF" and picture.n_frames == len(result.live.frames)
    assert picture.size == result.live.frames[0][0].shape[1::-1]
    assert f"Animation saved to {target} ({len(result.live.frames)} frames)." in result.notes


@pytest.mark.parametrize("line, message", [
    ("x^2 + y^2 --animate", "--animate shows --descent step by step: add --descent"),
    ("x^2 + y^2 --descent --from 1,1 --rate 0.1,0.2", "several --rate values are compared side by side by "
                                                       "--animate: add it, or give one rate"),
    ("x^2 + y^2 --descent --from 1,1 --rate 0.1,-1 --animate", "--rate must be a positive number, got '-1'"),
    ("x^2 + y^2 --descent --from 1,1 --save a.gif", "--save writes the animation: add --animate"),
    ("x^2 + y^2 --descent --from 1,1 --animate --save a.png", "--save a.png: the animation is written as a .gif file"),
    ("x^2 + y^2 --descent --from 1,1 --animate --save /no/such/folder/a.gif",
     "--save /no/such/folder/a.gif: the folder /no/such/folder does not exist"),
])
def test_bad_animation_options_are_one_line(ip, line, message):
    before = user_names(ip)
    with pytest.raises(UsageError) as error:
        ip.run_line_magic("grad", line)
    assert str(error.value) == message
    assert user_names(ip) == before


def test_tangent_animate_needs_a_secant(ip):
    with pytest.raises(UsageError, match=r"^--animate shrinks the secant's width h to 0: add --secant H"):
        ip.run_cell_magic("tangent", "--at 1 --animate", "x^2")


def test_the_magics_animate_and_save(ip, tmp_path):
    target = tmp_path / "descent.gif"
    result = ip.run_line_magic("grad", f"x^2 + y^2 --descent --from 1,1 --animate --rate 0.1,0.5 --save {target}")
    assert result.live is not None and Image.open(target).n_frames == len(result.live.frames)
    result = ip.run_cell_magic("tangent", "--at 1 --secant 0.5 --animate", "f(x) = sin(x)")
    assert result.live.frames[-1][1].startswith("h = 0.0005\nf at 1: secant slope 0.540, f'(1) = 0.540")


def test_a_function_of_three_variables_has_no_animation_and_says_why():
    result = grad("x^2 + y^2 + z^2", descent=True, start="1,1,1", animate=True)
    assert result.live is None and "No animation: f has 3 variables; descent is drawn for one or two." in result.notes


@pytest.mark.slow
@pytest.mark.external
def test_the_command_line_writes_the_gif(tmp_path):
    target = tmp_path / "a.gif"
    program = [sys.executable, "-m", "ipython_gradients"]
    done = subprocess.run(program + ["grad", "x^2 + y^2", "--descent", "--from", "1,1", "--animate", "--save",
                                     str(target)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"Animation saved to {target}" in done.stdout and Image.open(target).format == "GIF"
    refused = subprocess.run(program + ["grad", "x^2 + y^2", "--descent", "--from", "1,1", "--save",
                                        str(tmp_path / "b.gif")], capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and refused.stderr == "ipython-gradients: error: --save writes the animation: add --animate\n"


@pytest.mark.slow
@pytest.mark.external
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed here (.ci/run installs it)")
def test_the_player_plays_in_a_browser_with_no_kernel(tmp_path):
    result = grad("x^2 + 3y^2", descent=True, start="1,1", rate=0.1, steps=20, animate=True)
    page = tmp_path / "player.html"
    page.write_text("<html><body>" + result.live.html() + """<script>
        setTimeout(function () {
          document.querySelector('[data-do="first"]').click();
          document.querySelector('[data-do="next"]').click();
          document.querySelector('[data-do="next"]').click();
        }, 50);</script></body></html>""")
    done = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=2000", "--dump-dom",
                           page.as_uri()], capture_output=True, text=True, timeout=120)
    assert 'data-ready="1"' in done.stdout and 'data-frame="2"' in done.stdout
    caption = re.search(r'<pre class="ipython-gradients-caption"[^>]*>(.*?)</pre>', done.stdout, flags=re.S).group(1)
    assert caption == result.live.frames[2][1]
