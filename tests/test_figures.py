"""Figures as rendered: every text inside the figure whatever the tick labels, short legends, the
same layout in PNG, retina PNG and SVG. Each figure is drawn for real with matplotlib's Agg canvas."""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from ipython_gradients import deriv, grad, tangent
from ipython_gradients.plotting import figure_bytes


def texts_outside(figure) -> list[str]:
    """What of a drawn figure reaches past its edges: each axis with its tick labels, label and
    offset (1e6), the y label on its own, titles, legends."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    frame = figure.bbox
    boxes = {}
    for index, axes in enumerate(figure.axes):
        boxes[f"axes {index} x axis"] = axes.xaxis.get_tightbbox(renderer)
        boxes[f"axes {index} y axis"] = axes.yaxis.get_tightbbox(renderer)
        boxes[f"axes {index} y label {axes.get_ylabel()!r}"] = axes.yaxis.label.get_window_extent(renderer)
        if axes.get_title():
            boxes[f"axes {index} title"] = axes.title.get_window_extent(renderer)
        if axes.get_legend() is not None:
            boxes[f"axes {index} legend"] = axes.get_legend().get_window_extent(renderer)
    return [name for name, box in boxes.items() if box is not None and box.width > 0 and not (
        box.x0 >= frame.x0 - 0.5 and box.x1 <= frame.x1 + 0.5 and box.y0 >= frame.y0 - 0.5 and box.y1 <= frame.y1 + 0.5)]


@pytest.mark.parametrize("expression, keywords", [
    ("123456.789 + x", {}),                      # tick labels 123452 ... 123460 beside the y label
    ("-0.001234*x^3 - 0.0001", {}),              # negative decimals: −0.15
    ("1e6*x^2", {}),                             # 1e6 and 1e7 scales: an offset text above the axes
    ("x^7", {"range": "-10,10"}),
    ("-12345.678*x", {"range": "100000,100001"}),  # wide ticks on both axes, the last x tick at the edge
    ("sin(x)", {}),
])
@pytest.mark.parametrize("figure_format", ["png", "retina", "svg"])
def test_every_text_of_a_derivative_figure_is_inside_it(expression, keywords, figure_format):
    figure = deriv(expression, **keywords).figure
    figure_bytes(figure, figure_format)  # rendered as a frontend would get it: the layout runs then
    assert texts_outside(figure) == []
    axes = figure.axes[0]
    assert axes.get_position().width > 0.75  # the margins fit the texts, not more


def test_margins_follow_the_tick_labels():
    narrow = deriv("sin(x)").figure
    wide = deriv("123456.789 + x").figure
    for figure in (narrow, wide):
        figure_bytes(figure, "png")
    assert wide.axes[0].get_position().x0 > narrow.axes[0].get_position().x0 + 0.01


def test_the_contour_figure_keeps_its_colour_bar_and_labels_inside():
    figure = grad("1e5*(x^2 + y^2) - 0.0003*x", critical=True, at="1,1").figure
    figure_bytes(figure, "png")
    assert len(figure.axes) == 2 and texts_outside(figure) == []


def test_a_legend_beside_the_axes_stays_inside_the_figure():
    result = tangent("x^2\nsin(x)\ncos(x)\nexp(x)", at="-0.5,0.5", normal=True)
    figure = result.figure
    figure_bytes(figure, "png")
    legend = figure.axes[0].get_legend()
    assert len(legend.get_texts()) > 6 and texts_outside(figure) == []
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    assert legend.get_window_extent(canvas.get_renderer()).x0 > figure.axes[0].bbox.x1  # beside, not over


def test_surfaces_keep_their_panels_and_titles():
    figure = tangent("x^2\nx^2 + y^2", at="1,2").figure
    figure_bytes(figure, "png")
    assert [axes.name for axes in figure.axes] == ["rectilinear", "3d"]
    assert texts_outside(figure) == []


@pytest.mark.parametrize("figure_format", ["png", "retina", "svg"])
def test_a_displayed_figure_keeps_no_renderer(figure_format):
    """A result in IPython's Out cache keeps its figure: once shown, the figure must not pin the pixel
    buffer it was drawn into (1.2 MB, 4.9 MB retina) nor its tick artists (it once cost 3 MB a cell)."""
    import gc

    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.text import Text

    results = [deriv("x^2 sin(x)", at="0.5", figure_format=figure_format),
               grad("x^2 + y^2", at="1,1", figure_format=figure_format)]
    first = [result.figure_bundle()[0] for result in results]
    gc.collect()
    assert not [o for o in gc.get_objects() if isinstance(o, RendererAgg)]
    for result in results:
        assert all(len(axes.xaxis.majorTicks) <= 1 for axes in result.figure.axes)  # made anew on drawing
        assert all(text._renderer is None for text in result.figure.findobj(Text))
    again = results[0].figure_bundle()[0]  # drawing again makes what was released anew, to the same image
    assert again == first[0] or figure_format == "svg"  # (an SVG carries ids that change between writes)


def _terminal_shown(result, capsys) -> str:
    """Show a result as IPython's terminal does (this test shell's display publisher is the terminal's)."""
    result._ipython_display_()
    return capsys.readouterr().out


def test_a_shown_figure_is_let_go_of_and_drawn_again_on_demand(ip, capsys):
    """IPython's Out cache keeps every shown result for the session: once shown, the result holds no
    Figure (0.7 MB each in a kernel), and ``.figure`` draws the same figure again from its data."""
    from matplotlib.figure import Figure

    result = ip.run_line_magic("deriv", "x^2 sin(x) --at 0.5")
    first = result._figure
    lines = [line.get_xydata().copy() for line in first.axes[0].get_lines()]
    assert "Figure saved to " in _terminal_shown(result, capsys)
    assert result._figure is None and result.has_figure and "figure=yes" in repr(result)
    again = result.figure
    assert isinstance(again, Figure) and again is not first
    redrawn = [line.get_xydata() for line in again.axes[0].get_lines()]
    assert len(redrawn) == len(lines) and all(np.allclose(a, b, equal_nan=True) for a, b in zip(redrawn, lines))
    assert _terminal_shown(result, capsys).count("Figure saved to ") == 1
    assert result.figure is again  # asked for, it is the user's: kept after showing it again


def test_a_figure_the_user_holds_or_set_is_never_let_go_of(ip, capsys):
    from matplotlib.figure import Figure

    held = ip.run_line_magic("deriv", "x^3 --at 1")
    figure = held.figure  # taken before it is shown, perhaps to be changed
    figure.axes[0].set_title("mine")
    _terminal_shown(held, capsys)
    assert held.figure is figure and held.figure.axes[0].get_title() == "mine"
    own = Figure()
    own.add_subplot().plot([0, 1], [1, 0])
    given = ip.run_line_magic("deriv", "x^3 --at 1")
    given.figure = own
    _terminal_shown(given, capsys)
    assert given.figure is own


def test_a_shown_image_is_kept_as_shown_in_each_format():
    """Shown again (``Out[3]`` in a later cell), a result shows the same bytes without drawing: SVG
    is kept compressed."""
    for figure_format in ("png", "retina", "svg"):
        result = deriv("x^2 sin(x)", at="0.5", figure_format=figure_format)
        shown = result.figure_bundle()
        result._let_go()
        assert result._figure is None
        assert result.figure_bundle() == shown and result._figure is None
        if figure_format == "svg":
            assert len(result._image[1]["image/svg+xml"]) < len(shown[0]["image/svg+xml"]) / 3


def test_the_figure_of_a_python_function_is_kept(ip, capsys):
    """Drawn again, a Python function of the user's would be called again and might draw something
    else than what was shown (its globals changed): its figure is kept, not drawn again."""
    ip.run_cell("import math\nbroken = False\n"
                "def f(x):\n    if broken: raise ValueError('changed')\n    return math.floor(x) * x if x > 0 else x")
    result = ip.run_line_magic("deriv", "f --at 0.5")
    shown = result._figure
    _terminal_shown(result, capsys)
    ip.run_cell("broken = True")
    assert result.figure is shown


def test_a_figure_that_cannot_be_drawn_again_is_one_error_line():
    from ipython_gradients import api
    from ipython_gradients.errors import EvaluationError, GradientError, NoPlot
    from ipython_gradients.settings import Settings

    def nothing():
        raise NoPlot("nothing to draw")

    def failing():
        raise ZeroDivisionError("division by zero")

    with pytest.raises(EvaluationError, match="could not be drawn again: nothing to draw"):
        api._drawn_again(nothing, Settings())
    with pytest.raises(GradientError, match=r"could not compute this \(ZeroDivisionError"):
        api._drawn_again(failing, Settings())


def test_drawing_a_figure_is_bounded_by_the_timeout(ip, capsys, tmp_path, monkeypatch):
    """Rendering once ran outside the limit (6.8 s of computation, then 11.8 s of drawing): drawing
    the image has the result's timeout too, and running out of it is one line, the math shown."""
    import dataclasses

    from ipython_gradients.errors import TimeLimitExceeded
    from ipython_gradients.results import display as display_module

    monkeypatch.setattr(display_module.tempfile, "tempdir", str(tmp_path))
    result = ip.run_line_magic("deriv", "x^2 sin(x) --at 0.5")
    result.display = dataclasses.replace(result.display, timeout=0.005)  # what timeout=0.005 would give
    with pytest.raises(TimeLimitExceeded, match="drawing the figure took too long"):
        result.figure_bundle()
    shown = _terminal_shown(result, capsys)
    assert "f'(0.5)" in shown or "0.5" in shown
    assert shown.strip().splitlines()[-1].startswith("Figure not saved: gave up after 0.005 s: drawing the figure")
    assert not list(tmp_path.rglob("*.png"))  # no half-written image left


def test_every_figure_describes_itself_from_its_analysis():
    """The description a text-only frontend shows (and a screen reader reads) says what the figure
    shows, from the same analysis: range, points and their meaning, critical points, the descent."""
    assert deriv("x^3 - 3x", at="-1,0").figure_description == (
        "Graph of f(x) = x³ - 3·x and f′(x) = 3·x² - 3 on [−1.5, 0.5]; marked points at x = -1 "
        "(stationary: local maximum), x = 0 (decreasing).")
    critical = grad("x^2 + y^2", at="1,2", critical=True).figure_description
    assert critical.startswith("Contour plot of f(x, y) = x² + y² on [") and "points (1, 2) with their gradient" in critical
    assert critical.endswith("critical points: (0, 0) local minimum.")
    descent = grad("x^2 + y^2", descent=True, start="1,1", steps=200).figure_description
    assert "a gradient descent path from (1, 1) to (" in descent and descent.endswith("converged.")
    assert tangent("f(x) = x^2\ng(x) = sin(x)", at="0.5").figure_description == (
        "Graph of f(x) = x², g(x) = sin(x) on [−0.5, 1.5], with tangents: f at 0.5 (slope 1.000), "
        "g at 0.5 (slope 0.878).")
    implicit = deriv("x^2 + y^2 = 25", implicit="y", at="3,4").figure_description
    assert implicit == "Figure: a panel over x and y, showing x² + y² = 25, tangent at (3, 4)."
    assert deriv("x^2", plot=False).figure_description is None
