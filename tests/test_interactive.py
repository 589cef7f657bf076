"""%deriv --interactive: the slider's view of a point is what --at says there, bad values are one line,
and where sliders cannot be shown (no ipywidgets, a terminal, the command line) the static figure
and one line saying why. The widgets are real ipywidgets objects; the real kernel's comm is tested
in test_kernel_widgets.py."""

import io
import math
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from IPython.core.error import UsageError
from PIL import Image

from conftest import user_names
from ipython_gradients import deriv
from ipython_gradients.interactive import point_text, slider_grid


def image_of(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


@pytest.mark.parametrize("expression, range, points", [
    ("abs(x)", "-1,1", [0, 0.5, -0.25]),                 # a corner with its one-sided slopes
    ("x^2", "-1,1", [0, -0.5, 0.5]),                     # stationary: local minimum
    ("x^3 - 3x", "-2,2", [-1, 1, 0, 1.5]),               # local maximum and minimum
    ("sqrt(x)", "-1,1", [0, 0.25]),                      # the edge of the domain, slope +inf
    ("log(x)", "-1,2", [-0.5, 0, 1]),                    # undefined, and a value
    ("max(sin(x), cos(x))", "-2,2", [0.78, 0]),          # pieces
])
def test_the_slider_shows_what_at_says_for_that_point(expression, range, points):
    live = deriv(expression, range=range, interactive=True).live
    assert live is not None
    for a in points:
        assert live.move(a) is True, live.problem
        text = live.snapped(a)
        expected = deriv(expression, at=text, plot=False)
        assert live.readout.splitlines()[2:] == expected.point_rows().splitlines()
        assert expected.point_rows() in expected.text()  # the same rows the static output shows


def test_a_python_function_differentiated_numerically_agrees_too():
    def relu(x):
        return x if x > 0 else 0.0

    live = deriv(relu, range="-1,1", interactive=True).live
    for a in (-0.5, 0, 0.5):
        live.move(a)
        assert live.readout.splitlines()[2:] == deriv(relu, at=live.snapped(a), plot=False).point_rows().splitlines()
    assert "not differentiable" in deriv(relu, at="0", plot=False).point_rows()


def test_moving_the_slider_redraws_the_tangent_and_the_readout():
    result = deriv("x^2", range="-1,1", interactive=True)
    box = result.live.widget()
    first = image_of(box.image.value)
    box.slider.value = 0.5
    assert "f(0.5) = 0.250" in box.readout.value and "f'(0.5) = 1.000   increasing" in box.readout.value
    moved = image_of(box.image.value)
    assert first.shape == moved.shape and (first != moved).any(axis=2).sum() > 200  # the lines moved
    box.slider.value = 0.0
    assert "f'(0) = 0.000   stationary: local minimum" in box.readout.value
    assert (image_of(box.image.value) == first).all()  # back at the start: the same pixels
    # the kept background is the figure itself: a full draw at the same point gives the same picture
    buffer = io.BytesIO()
    result.figure.savefig(buffer, format="png")
    assert (image_of(buffer.getvalue()) == first).all()


def test_the_tangent_at_a_corner_is_two_half_lines_with_the_one_sided_slopes():
    live = deriv("abs(x)", range="-1,1", interactive=True).live
    live.move(0)
    xs, ys = live._tangent.get_data()
    assert list(xs) == [-1, 0, 0, 1] and list(ys) == [1, 0, 0, 1]  # slopes -1 left, 1 right
    live.move(0.5)
    assert list(live._tangent.get_data()[1]) == [-1.0, 0.5, 0.5, 1.0]  # one line: y = x at both ends


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "0.5", None, True])
def test_a_bad_value_is_one_line_and_the_view_stays(value):
    live = deriv("x^2", range="-1,1", interactive=True).live
    box = live.widget()
    before, readout = box.image.value, live.readout
    assert live.move(value) is False
    assert live.problem.startswith(f"could not show a = {value!r}: a must be a number") and "\n" not in live.problem
    assert live.readout == readout and box.image.value == before


def test_a_value_beyond_the_range_is_the_end_of_the_range():
    live = deriv("x^2", range="-1,1", interactive=True).live
    assert live.move(1e300) is True and live.readout.startswith("a = 1\n")


def test_a_failure_while_computing_is_one_line_in_the_view():
    calls = []

    def fragile(x):
        calls.append(x)
        if 0.45 < x < 0.55:
            raise ValueError("no value here")
        return x * x if x > 0 else -x  # not traceable: numeric

    box = deriv(fragile, range="-1,1", interactive=True).live.widget()
    box.slider.value = 0.5
    assert "could not show a = 0.5" in box.readout.value and "Traceback" not in box.readout.value
    box.slider.value = -0.5
    assert "f" in box.readout.value and "could not" not in box.readout.value


def test_the_slider_grid_writes_points_as_at_reads_them():
    assert slider_grid(-1, 1) == (0.01, 2) and slider_grid(-5, 5) == (0.05, 2) and slider_grid(0, 1000)[0] == 5
    assert point_text(-0.0, 2) == "0" and point_text(0.5, 2) == "0.5" and point_text(-1.0, 2) == "-1"
    live = deriv("x^2", range="-1,1", interactive=True).live
    assert live.snapped(0.30000000000000004) == "0.3" and live.snapped(0.1234) == "0.12"


def test_the_slider_starts_at_the_first_at_point():
    live = deriv("x^2", at="0.5,-0.5", interactive=True).live
    assert live.readout.startswith("a = 0.5\n") and live.low == -1.0 and live.high == 1.0  # as --at's plot


def test_without_a_figure_or_one_variable_the_note_says_why(ip):
    before = user_names(ip)
    with pytest.raises(UsageError, match="^--interactive moves a point on the figure: it cannot go with --no-plot$"):
        ip.run_line_magic("deriv", "x^2 --interactive --no-plot")
    assert user_names(ip) == before
    result = ip.run_line_magic("deriv", "x y --wrt x --interactive")
    assert result.live is None and any(n.startswith("No sliders: --interactive moves a point") for n in result.notes)
    result = ip.run_line_magic("deriv", "x^3 --order 2 --interactive")
    assert result.live is None and "No sliders: --interactive moves the point of a function of one variable" in \
        " ".join(result.notes)


def test_the_magic_gives_a_result_with_its_live_view(ip):
    result = ip.run_line_magic("deriv", "x^2 --interactive --range -1,1")
    assert result.live is not None and result.figure is result.live.figure and result.notes == []
    bundle = result.live.bundle()
    assert set(bundle) == {"text/plain", "application/vnd.jupyter.widget-view+json", "image/png"}
    assert bundle["text/plain"].startswith("a = 0\nf(0) = 0.000\nf'(0) = 0.000   stationary: local minimum")


@pytest.mark.external
def test_without_ipywidgets_one_line_says_what_to_install_and_the_figure_is_static():
    code = textwrap.dedent("""
        import sys
        sys.modules["ipywidgets"] = None  # importing it fails, as where it is not installed
        from ipython_gradients import deriv
        r = deriv("x^2", interactive=True)
        print(r.live, r.figure is not None)
        print(r.notes)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "None True",
        "['No sliders: the sliders need ipywidgets, which is not installed: "
        "pip install \"ipython_gradients[widgets]\"; the figure is static.']"]


@pytest.mark.slow
@pytest.mark.external
def test_in_the_terminal_the_static_figure_and_a_note(tmp_path):
    code = textwrap.dedent("""
        from IPython.terminal.interactiveshell import TerminalInteractiveShell
        ip = TerminalInteractiveShell.instance()
        ip.history_manager.enabled = False
        ip.run_line_magic("load_ext", "ipython_gradients")
        ip.run_cell("%deriv x^2 --interactive --at 0.5")
        ip.run_cell("%grad x^2 + y^2 --descent --from 1,1 --animate")
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env={**__import__("os").environ, "TMPDIR": str(tmp_path), "DISPLAY": ""})
    assert result.returncode == 0, result.stderr
    assert ("--interactive: the slider for a needs a Jupyter frontend with widgets (JupyterLab, Notebook 7, "
            "VS Code); here, the figure at a = 0.5.") in result.stdout
    assert "Figure saved to " in result.stdout and "Traceback" not in result.stdout + result.stderr
    assert ("--animate: the player of gradient descent on f (31 frames) needs a browser (Jupyter, VS Code, exported "
            "HTML); here, the figure at the end. --save FILE.gif writes it as a GIF.") in result.stdout
    assert result.stdout.count("Figure saved to ") == 2


@pytest.mark.slow
@pytest.mark.external
def test_the_command_line_shows_the_static_result_and_says_so(tmp_path):
    target = tmp_path / "a.png"
    result = subprocess.run([sys.executable, "-m", "ipython_gradients", "deriv", "x^2", "--at", "0.5", "--interactive",
                             "--save", str(target)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "f'(0.5) = 1.000   increasing" in result.stdout
    assert result.stdout.rstrip().endswith("Note: --interactive needs Jupyter with ipywidgets; the command line "
                                           f"shows the static result, and the figure in {target}.")
    assert target.read_bytes()[:4] == b"\x89PNG"


# --- %grad --descent --interactive ------------------------------------------------------------------

from ipython_gradients import grad  # noqa: E402

ROSENBROCK = "(1-x)^2 + 100(y-x^2)^2"


@pytest.mark.parametrize("start, rate, steps", [((-1.0, 1.0), 0.001, 200), ((0.5, 0.5), 0.002, 50),
                                                ((0.1, 1.0), 0.01, 200), ((-1.0, 1.0), 0.0005, 1)])
def test_the_descent_sliders_show_what_descent_computes(start, rate, steps):
    live = grad(ROSENBROCK, descent=True, start="-1,1", rate=0.001, steps=200, range="-2,2", interactive=True).live
    assert live.move(start=start, rate=rate, steps=steps) is True, live.problem
    alone = grad(ROSENBROCK, descent=True, start=start, rate=rate, steps=steps, plot=False).descent
    assert live.readout.splitlines()[-1] == f"{alone.status}: {alone.message}"
    assert np.array_equal(live.descent.values, alone.values) and np.array_equal(live.descent.path, alone.path)
    xs, ys = live._values.get_data()
    assert len(xs) == len(alone.values)


def test_the_descent_widget_updates_path_status_and_values():
    live = grad("x^2 + 3y^2", descent=True, start="1,1", rate=0.1, steps=30, interactive=True).live
    box = live.widget()
    assert "not converged" in box.readout.value
    before = box.image.value
    box.rate.value = 0.4  # 1 - 2·3·0.4 = -1.4: the y steps grow
    assert "diverged" in box.readout.value and box.image.value != before
    box.rate.value = 0.1
    box.steps.value = box.steps.max  # 120: four times --steps
    assert box.steps.max == 120 and "converged: converged after" in box.readout.value
    box.starts[0].value = 0.5  # the start sliders span the plotted box
    assert "from (0.500, 1.000)" in box.readout.value


@pytest.mark.parametrize("change, message", [
    (dict(rate=-1.0), "the rate must be a positive number, got -1.0"),
    (dict(steps=0), "the steps must be a whole number from 1 to 1000, got 0"),
    (dict(steps=2.5), "the steps must be a whole number from 1 to 1000, got 2.5"),
    (dict(start=(float("nan"), 1.0)), "the start point must be 2 numbers, got (nan, 1.0)"),
])
def test_a_bad_descent_value_is_one_line_and_the_run_stays(change, message):
    live = grad("x^2 + 3y^2", descent=True, start="1,1", interactive=True).live
    shown = live.readout
    assert live.move(**change) is False
    assert live.problem == f"could not run the descent: {message}" and live.readout == shown


def test_one_variable_descent_is_live_too():
    live = grad("x^4 - 3x^2 + x", descent=True, start="2", rate=0.01, steps=100, interactive=True).live
    assert len(live.box) == 1 and live.widget().starts[0].description == "x₀"
    live.move(start=(-2.0,))
    alone = grad("x^4 - 3x^2 + x", descent=True, start="-2", rate=0.01, steps=100, plot=False).descent
    assert live.readout.splitlines()[-1] == f"{alone.status}: {alone.message}"


@pytest.mark.parametrize("line, message", [
    ("x^2 + y^2 --interactive", "--interactive moves the rate, the steps and the start of --descent: add --descent"),
    ("x^2 + y^2 --descent --from 1,1 --interactive --animate",
     "--interactive and --animate are two views of the descent: choose one"),
    ("x^2 + y^2 --descent --from 1,1 --interactive --rate 0.1,0.2",
     "several --rate values are compared side by side by --animate: add it, or give one rate"),
])
def test_bad_descent_view_options_are_one_line(ip, line, message):
    before = user_names(ip)
    with pytest.raises(UsageError) as error:
        ip.run_line_magic("grad", line)
    assert str(error.value) == message and user_names(ip) == before


def test_too_many_steps_for_the_slider_is_a_note(ip):
    result = ip.run_line_magic("grad", "x^2 + y^2 --descent --from 1,1 --steps 5000 --interactive")
    assert result.live is None
    assert "No sliders: the steps slider goes up to 1000, and --steps is 5000." in result.notes


# --- %%tangent --secant --interactive ---------------------------------------------------------------

from ipython_gradients import tangent  # noqa: E402


@pytest.mark.parametrize("cell, a, h", [("f(x) = x^3", 0.5, 0.001), ("f(x) = x^3", -1.0, 0.25), ("sin(x)", 1.0, 0.1),
                                        ("sqrt(x)", 0.25, 0.01), ("abs(x)", 0.0, 0.5)])
def test_the_secant_sliders_show_what_tangent_says_for_that_point_and_width(cell, a, h):
    live = tangent(cell, at="0.5", secant="0.5", range="-1,2", interactive=True).live
    assert live.move(a, h) is True, live.problem
    expected = tangent(cell, at=live.snapped(a), secant=h, range="-1,2", plot=False).text()
    assert live.readout.split("\n", 1)[1] == expected


def test_the_secant_slope_approaches_the_derivative_as_h_shrinks():
    box = tangent("f(x) = x^3", at="1", secant="0.5", interactive=True).live.widget()
    slopes = []
    for h in (0.5, 0.05, 0.005):
        box.width.value = h
        first = re.search(r"secant slope (\S+), f'\(1\) = (\S+)", box.readout.value)
        slopes.append(abs(float(first.group(1)) - float(first.group(2))))
    assert slopes[0] > slopes[1] > slopes[2] and first.group(2) == "3.000"
    assert box.width.min == pytest.approx(math.log10(0.5) - 4)


def test_at_a_corner_the_secant_has_a_slope_and_nothing_to_approach():
    live = tangent("abs(x)", at="0", secant="-0.5", interactive=True).live
    assert live.readout.startswith("a = 0, h = -0.5: secant slope -1.000; no f'(0) to approach\n")
    assert "not differentiable (corner)" in live.readout


def test_bad_secant_values_and_options_are_one_line(ip):
    live = tangent("x^2", at="1", secant="0.5", interactive=True).live
    assert live.move(1.0, 0.0) is False and live.problem.endswith("h must be a non-zero number, got 0.0")
    for line, message in [("--at 1 --interactive", "--interactive moves a and the secant's width h: add --secant H "
                                                    "(the widest h)"),
                          ("--at 1 --secant 0.5 --interactive --animate",
                           "--interactive and --animate are two views of the secants: choose one")]:
        with pytest.raises(UsageError) as error:
            ip.run_cell_magic("tangent", line, "x^2")
        assert str(error.value) == message
    result = ip.run_cell_magic("tangent", "--at 1 --secant 0.5 --interactive", "x^2\nsin(x)")
    assert result.live is None and "No sliders: --interactive moves the point of one function of one variable, and " \
        "the cell has 2 functions." in result.notes


@pytest.mark.external
def test_with_ipympl_as_the_backend_its_canvas_is_the_figure():
    pytest.importorskip("ipympl")
    code = textwrap.dedent("""
        import matplotlib
        matplotlib.use("module://ipympl.backend_nbagg")  # as %matplotlib widget does
        import matplotlib.pyplot
        from ipython_gradients import deriv, grad, tangent
        live = deriv("x^2", range="-1,1", interactive=True).live
        box = live.widget()
        first = live.bundle()["image/png"]
        box.slider.value = 0.5
        print(type(box.image).__module__, box.image.figure is live.figure)
        print(live.readout.splitlines()[-1], list(live._tangent.get_data()[1]))
        print(live.bundle()["image/png"] != first, live.problem)
        for view in (grad("x^2 + 3y^2", descent=True, start="1,1", interactive=True).live,
                     tangent("x^3", at="1", secant="0.5", interactive=True).live):
            box = view.widget()
            (box.rate if hasattr(box, "rate") else box.width).value = 0.3
            print(type(box.image).__module__, view.problem, view.readout.splitlines()[0])
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "ipympl.backend_nbagg True"
    assert lines[1] == "f'(0.5) = 1.000   increasing [-1.25, 0.25, 0.25, 0.75]"  # y = x - 0.25 on [-1, 1]
    assert lines[2] == "True None"
    assert lines[3] == "ipympl.backend_nbagg None rate 0.3, up to 30 steps from (1.000, 1.000)"
    assert lines[4].startswith("ipympl.backend_nbagg None a = 1, h = 0.3: secant slope 3.990, f'(1) = 3.000")


def test_a_move_that_takes_too_long_is_one_line_and_the_kernel_is_free_again():
    import time as clock

    def slow(x):
        if x == 0.5:
            clock.sleep(2)  # a black box that hangs at 0.5 (no plotted sample)
        return x * x if x > 0 else -x

    live = deriv(slow, range="-1,1", interactive=True).live
    live.timeout = 0.2
    box = live.widget()
    started = clock.perf_counter()
    box.slider.value = 0.5
    assert clock.perf_counter() - started < 1.5
    assert "could not show a = 0.5: " in box.readout.value and "too long" in box.readout.value
    box.slider.value = -0.5
    assert "could not" not in box.readout.value and "slow(-0.5) = 0.500" in box.readout.value
