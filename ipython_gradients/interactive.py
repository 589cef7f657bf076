"""Live and animated views: a result's figure with sliders (ipywidgets), and animation players.

Owns the widgets and what each slider does: ``DerivativeLive`` (the point a of ``%deriv --interactive``:
f, f' and the tangent at a, with f(a), f'(a) and their meaning beside the figure), ``DescentLive``
(the rate, steps and start of ``%grad --descent --interactive``) and ``SecantLive`` (a and h of
``%%tangent --secant --interactive``); and ``Animation`` (``--animate``): frames of one figure, the
self-contained HTML/JavaScript player and the GIF, with ``descent_animation`` and ``secant_animation``.

A view is built from plain parts the API hands in: a figure already drawn (what does not move with
the sliders) and the API's own computation as a function (``--at`` for one point, ``--descent`` for
one run, ``tangent_at`` for one point and width), so what a slider shows is what the static output
says there. The symbolic work is done once; a move computes the one point or run, moves a few artists
and puts them on the kept pixels of the rest (blitting), never rebuilding the figure.

Avoids IPython (``results/display.py`` shows a view through its ``bundle()`` and ``note()``), pyplot
(where the user chose ipympl, its canvas shows the figure: ``ipympl_canvas`` only reads the backend
already chosen), and mathematics of its own. ipywidgets is imported only when a view is first shown
(``widget()``); ``widgets_problem`` says in one line what to install where it is missing. Every
callback is bounded by the time limit and turns any failure into one line in the view, never a
traceback.
"""

from __future__ import annotations

import html
import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .errors import ComputationTimeout, GradientError
from .results.notation import format_number
from .timeouts import time_limit

INSTALL = 'pip install "ipython_gradients[widgets]"'


def widgets_problem() -> str | None:
    """None where ipywidgets 8 or later can be imported; else one line saying what to install."""
    try:
        import ipywidgets
    except ImportError:
        return f"the sliders need ipywidgets, which is not installed: {INSTALL}"
    except Exception as error:  # a broken installation
        return f"the sliders need ipywidgets, which fails to import ({type(error).__name__}): {INSTALL}"
    major = str(getattr(ipywidgets, "__version__", "0")).split(".")[0]
    if not major.isdigit() or int(major) < 8:
        return f"the sliders need ipywidgets 8 or later (found {ipywidgets.__version__}): {INSTALL}"
    return None


def ipympl_active() -> bool:
    """Whether the user chose ipympl for pyplot (``%matplotlib widget`` or ``ipympl``). Only what is already
    there is read: nothing is imported, and the user's backend stays as it is."""
    from .plotting import chosen_backend

    backend = chosen_backend()
    return bool(backend) and ("ipympl" in backend.lower() or backend.lower() == "widget")


def ipympl_canvas(figure, moving):
    """The figure as ipympl's own canvas widget (redrawn by ipympl, in the frontend's resolution), its
    moving artists drawn as any other; None unless ipympl is the user's backend."""
    if not ipympl_active():
        return None
    from ipympl.backend_nbagg import Canvas, FigureManager

    for artist in moving:
        artist.set_animated(False)
    canvas = Canvas(figure)
    FigureManager(canvas, 0)
    canvas.header_visible = False
    return canvas


class FigureView:
    """The figure in a live view: ipympl's canvas where that is the user's backend (redrawn by ipympl),
    else an Image widget showing the view's own PNGs."""

    def __init__(self, live, moving):
        import ipywidgets as widgets

        self.canvas = ipympl_canvas(live.figure, moving)
        if self.canvas is not None:
            live._ipympl = self.canvas
            self.widget = self.canvas
        else:
            width, height = live.figure.get_size_inches() * 100
            self.widget = widgets.Image(value=live.png(), format="png", width=int(width), height=int(height))

    @property
    def needs_png(self) -> bool:
        return self.canvas is None

    def show(self, png) -> None:
        if self.canvas is not None:
            self.canvas.draw_idle()
        else:
            self.widget.value = png


def colours(figure):
    """The palette the figure was made in (``plotting.Palette``): the moving artists are drawn in its colours."""
    from .plotting import LIGHT

    return getattr(figure, "palette", LIGHT)


def _png_of(figure) -> bytes:
    """A full drawing of the figure as PNG (where ipympl owns its canvas)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def slider_grid(low: float, high: float, intervals: int = 200) -> tuple[float, int]:
    """A round step (1, 2 or 5 times a power of ten) giving about ``intervals`` steps over [low, high],
    and the decimals that write each multiple of it exactly."""
    raw = (high - low) / intervals
    power = math.floor(math.log10(raw))
    step = next(m * 10.0 ** power for m in (1, 2, 5, 10) if m * 10.0 ** power >= raw)
    return step, max(0, -math.floor(math.log10(step) + 1e-9))


def point_text(value: float, decimals: int) -> str:
    """A slider value as the number ``--at`` reads: "0.52", "-1", never "-0"."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def one_line(error: BaseException) -> str:
    """An error as the one line a view shows."""
    if isinstance(error, ComputationTimeout):
        return "the computation took too long"
    text = " ".join(str(error).split())
    if isinstance(error, GradientError):
        return text
    return f"{type(error).__name__}: {text}"[:300]


def guarded(widget_class, refused: Callable[[dict, BaseException], None]):
    """``widget_class`` whose state sent by a frontend, where the widget refuses it (a slider's value that
    is no number), goes to ``refused`` instead of raising in the kernel's comm handler (a traceback)."""

    class Guarded(widget_class):
        def set_state(self, sync_data):
            try:
                super().set_state(sync_data)
            except Exception as error:
                refused(sync_data, error)

    Guarded.__name__ = Guarded.__qualname__ = widget_class.__name__
    return Guarded


class _SliderView:
    """What the slider views share: the readout as HTML, what a frontend is sent, a refused value, the
    blitted image.
    A view has ``readout``, ``problem``, ``_widget``, ``widget()`` and ``png()``."""

    def _refused(self, state: dict, error: BaseException) -> None:
        """A value from the frontend the slider itself refused (not a number): one line in the view."""
        self.problem = f"could not use {state!r}: {one_line(error)}"
        if self._widget is not None:
            self._widget.readout.value = self._html()

    def _html(self) -> str:
        text = html.escape(self.readout, quote=False)
        problem = f'<div style="color:#b00">{html.escape(self.problem, quote=False)}</div>' if self.problem else ""
        return f'<pre style="font-size:13px;line-height:1.4">{text}</pre>{problem}'

    def _blitted(self, moving) -> bytes:
        """The figure as PNG by matplotlib's blitting: all but the ``moving`` artists drawn once and kept as
        pixels (``_background``); each call puts them back and draws only the moving ones on them."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from PIL import Image

        canvas = self.figure.canvas
        if not isinstance(canvas, FigureCanvasAgg) or self._background is None:
            canvas = FigureCanvasAgg(self.figure)
            for artist in moving:  # animated artists are left out of a full draw
                artist.set_animated(True)
            try:
                canvas.draw()
            finally:
                for artist in moving:
                    artist.set_animated(False)
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        canvas.restore_region(self._background)
        for artist in moving:
            self.figure.draw_artist(artist)
        buffer = io.BytesIO()
        Image.fromarray(np.asarray(canvas.buffer_rgba())).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def bundle(self) -> dict:
        """What a frontend is sent: the widget, and for frontends without widgets (an exported notebook
        without its widget state, a viewer) the figure as it stands and the readout as text."""
        data = dict(self.widget()._repr_mimebundle_())
        data["image/png"] = self.png()
        data["text/plain"] = self.readout
        return data


@dataclass(eq=False)
class DerivativeLive(_SliderView):
    """``%deriv f --interactive``: a slider for the point a over the plotted range."""

    figure: Any  # the result's figure: f and f' over the range, drawn once
    low: float
    high: float
    start: float
    analyse: Callable[[str], Any]  # point text -> DerivativeResult at that one point (the API's --at)
    values: Callable[[np.ndarray], np.ndarray]  # f on xs, NaN where undefined
    name: str = "f"
    variable: str = "x"
    precision: int = 3
    timeout: float = 10.0
    step: float = field(init=False)
    decimals: int = field(init=False)
    readout: str = field(init=False, default="")  # the text beside the figure, as last shown
    problem: str | None = field(init=False, default=None)  # the one line of the last failure, if any
    _widget: Any = field(init=False, default=None, repr=False)
    _background: Any = field(init=False, default=None, repr=False)  # the pixels that never move
    _ipympl: Any = field(init=False, default=None, repr=False)  # ipympl's canvas, where that is the backend

    def __post_init__(self):
        self.step, self.decimals = slider_grid(self.low, self.high)
        axes = self.figure.axes[0]
        axes.set_ylim(axes.get_ylim())  # frozen: the lines moved below never rescale the axes
        axes.set_autoscale_on(False)
        c = colours(self.figure)
        self._tangent, = axes.plot([], [], "--", color=c.tone("#2ca02c"), linewidth=1.6, zorder=3, label="tangent at a")
        self._on_f, = axes.plot([], [], "o", color=c.tone("#1f77b4"), markersize=8, markeredgecolor=c.ink, zorder=5)
        self._on_derivative, = axes.plot([], [], "o", color=c.tone("#d62728"), markersize=8, markeredgecolor=c.ink,
                                         zorder=5)
        self._open_on_f, = axes.plot([], [], "o", markerfacecolor=c.paper, markeredgecolor=c.ink, markersize=8,
                                     zorder=5)
        axes.legend(loc="best", fontsize="small").set_in_layout(False)
        self.move(self.start)

    # --- the point -------------------------------------------------------------------------
    def snapped(self, value: float) -> str:
        """The slider's value on its grid, as the text ``--at`` would be given."""
        value = min(max(float(value), self.low), self.high)
        return point_text(round((value - self.low) / self.step) * self.step + self.low, self.decimals)

    def move(self, value, render: bool = False) -> bytes | bool:
        """Show the point nearest ``value``: the analysis at it, the tangent, the markers, and with
        ``render`` the new PNG (returned). On any failure (or a value that is no number) the figure
        stays as it was, ``problem`` holds one line, and False is returned. Bounded by the time limit."""
        try:
            with time_limit(self.timeout):
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                    raise GradientError(f"a must be a number within [{self.low:g}, {self.high:g}], got {value!r}")
                text = self.snapped(value)
                at = self.analyse(text)
                self.readout = self._describe(text, at)
                self._draw(float(text), at.points[0])
                self.problem = None
                return self.png() if render else True
        except (Exception, ComputationTimeout) as error:
            self.problem = f"could not show a = {value!r}: {one_line(error)}"
            return False

    def _f(self, a: float) -> float:
        with np.errstate(all="ignore"):
            value = float(np.asarray(self.values(np.array([a])), dtype=float)[0])
        return value

    def _describe(self, text: str, at) -> str:
        fa = self._f(float(text))
        value = format_number(fa, self.precision) if math.isfinite(fa) else "undefined"
        return f"a = {text}\n{self.name}({text}) = {value}\n{at.point_rows()}"

    def _draw(self, a: float, point) -> None:
        fa = self._f(a)
        finite = math.isfinite(fa)
        self._on_f.set_data([a], [fa]) if finite and point.status == "ok" else self._on_f.set_data([], [])
        self._open_on_f.set_data([a], [fa]) if finite and point.status != "ok" else self._open_on_f.set_data([], [])
        if point.status == "ok" and point.value is not None and math.isfinite(point.value):
            self._on_derivative.set_data([a], [point.value])
        else:
            self._on_derivative.set_data([], [])
        left, right = self._slopes(point)
        if not finite or (left is None and right is None):
            self._tangent.set_data([], [])
        elif math.isinf(left or 0) or math.isinf(right or 0):  # vertical: x = a
            bottom, top = self.figure.axes[0].get_ylim()
            self._tangent.set_data([a, a], [bottom, top])
        else:  # one line, or at a corner a half-line each way with its one-sided slope
            xs, ys = [], []
            if left is not None:
                xs += [self.low, a]
                ys += [fa + left * (self.low - a), fa]
            if right is not None:
                xs += [a, self.high]
                ys += [fa, fa + right * (self.high - a)]
            self._tangent.set_data(xs, ys)

    @staticmethod
    def _slopes(point) -> tuple[float | None, float | None]:
        """The slopes of the line(s) drawn at the point: f'(a) both ways, or the one-sided slopes."""
        if point.status == "ok" and point.value is not None:
            return point.value, point.value
        if point.status in ("not differentiable", "infinite"):
            return point.left, point.right
        return None, None

    def png(self) -> bytes:
        """The figure as PNG: the parts that never move are drawn once and kept as pixels; each call
        puts them back and draws only the moving lines and markers on them (matplotlib's blitting)."""
        if self._ipympl is not None:  # ipympl owns the canvas and draws the figure whole
            return _png_of(self.figure)
        return self._blitted((self._tangent, self._on_f, self._on_derivative, self._open_on_f))

    # --- the widgets -----------------------------------------------------------------------
    def widget(self):
        """The slider, the figure and the readout beside it (ipywidgets), built on first use."""
        if self._widget is None:
            import ipywidgets as widgets

            slider = guarded(widgets.FloatSlider, self._refused)(
                value=float(self.snapped(self.start)), min=self.low, max=self.high, step=self.step, description="a",
                readout_format=f".{self.decimals}f", continuous_update=True, layout=widgets.Layout(width="60%"))
            view = FigureView(self, (self._tangent, self._on_f, self._on_derivative, self._open_on_f))
            image = view.widget
            readout = widgets.HTML(value=self._html())
            box = widgets.VBox([slider, widgets.HBox([image, readout])])
            box.slider, box.image, box.readout = slider, image, readout

            def changed(change):  # in the kernel's main thread: bounded, and never raises
                png = self.move(change["new"], render=view.needs_png)
                try:
                    if png:
                        view.show(png)
                except Exception as error:  # the widget refused the bytes: one line, as every problem
                    self.problem = f"could not show a = {change['new']!r}: {one_line(error)}"
                readout.value = self._html()

            slider.observe(changed, names="value")
            self._widget = box
        return self._widget

    def _refused(self, state: dict, error: BaseException) -> None:
        """A value from the frontend the slider itself refused (not a number): one line in the view."""
        self.problem = f"could not show a = {state.get('value')!r}: {one_line(error)}"
        if self._widget is not None:
            self._widget.readout.value = self._html()

    def note(self) -> str:
        """For the terminal and the command line, which show no sliders."""
        return (f"--interactive: the slider for a needs a Jupyter frontend with widgets (JupyterLab, Notebook 7, "
                f"VS Code); here, the figure at a = {self.snapped(self.start)}.")


# --- animations: a self-contained player, and GIF files ---------------------------------------------

# Frames of an animation at most: subsampled evenly (the first and the last always kept).
MAX_FRAMES = 60


def frame_indices(last: int, most: int = MAX_FRAMES) -> list[int]:
    """Up to ``most`` indices from 0 to ``last``, evenly spread, both ends included."""
    if last + 1 <= most:
        return list(range(last + 1))
    return sorted({round(k) for k in np.linspace(0, last, most)})


@dataclass(eq=False)
class Animation:
    """Frames drawn from one figure: the parts that do not move are drawn once, each frame puts its
    moving artists on them (blitting). Shown as an HTML/JavaScript player that needs no kernel and
    survives export (``html``), or written as a GIF (``save_gif``)."""

    figure: Any
    moving: tuple  # the artists ``show`` changes
    show: Callable[[int], str]  # puts the artists at frame j; returns its caption
    count: int
    fps: float = 6.0
    what: str = "the animation"
    frames: list = field(init=False, default_factory=list)  # (RGB array, caption) of each frame
    _palette: Any = field(init=False, default=None, repr=False)
    _html: str | None = field(init=False, default=None, repr=False)

    def render(self) -> "Animation":
        """Draw every frame (once)."""
        if self.frames:
            return self
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        canvas = FigureCanvasAgg(self.figure)
        for artist in self.moving:
            artist.set_animated(True)
        try:
            canvas.draw()
        finally:
            for artist in self.moving:
                artist.set_animated(False)
        background = canvas.copy_from_bbox(self.figure.bbox)
        for j in range(self.count):
            caption = self.show(j)
            canvas.restore_region(background)
            for artist in self.moving:
                self.figure.draw_artist(artist)
            self.frames.append((np.asarray(canvas.buffer_rgba())[:, :, :3].copy(), caption))
        return self

    def _paletted(self, rgb: np.ndarray):
        """A frame with the animation's one palette of 255 colours, taken from the last frame (which holds
        every colour the frames draw): a third of the bytes of full colour, for a tenth of the time
        of a palette per frame."""
        from PIL import Image

        if self._palette is None:
            self._palette = Image.fromarray(self.frames[-1][0]).quantize(255, method=Image.Quantize.MEDIANCUT)
        return Image.fromarray(rgb).quantize(palette=self._palette, dither=Image.Dither.NONE)

    def _png(self, rgb: np.ndarray) -> bytes:
        buffer = io.BytesIO()
        self._paletted(rgb).save(buffer, format="png")
        return buffer.getvalue()

    def last_png(self) -> bytes:
        return self._png(self.render().frames[-1][0])

    def html(self) -> str:
        """The player: every frame embedded as PNG, buttons and a slider in plain JavaScript (no kernel,
        no network); the last frame and its caption show even where scripts do not run."""
        import base64
        import json
        import uuid

        if self._html is not None:
            return self._html
        self.render()
        pictures = [base64.b64encode(self._png(rgb)).decode("ascii") for rgb, _ in self.frames]
        captions = [caption for _, caption in self.frames]
        height, width = self.frames[0][0].shape[:2]
        last = len(pictures) - 1
        data = json.dumps({"frames": pictures, "captions": captions}).replace("</", "<\\/")
        self._html = PLAYER.format(id="ipython-gradients-player-" + uuid.uuid4().hex, last=last,
                                   picture=pictures[-1], width=width, height=height,
                                   caption=html.escape(captions[-1], quote=False), alt=html.escape(self.what),
                                   data=data, interval=round(1000 / self.fps))
        return self._html

    def save_gif(self, path: str) -> None:
        """Write the frames as a looping GIF (Pillow), whole or not at all."""
        import os

        self.render()
        pictures = [self._paletted(rgb) for rgb, _ in self.frames]
        buffer = io.BytesIO()
        pictures[0].save(buffer, format="gif", save_all=True, append_images=pictures[1:],
                         duration=round(1000 / self.fps), loop=0)
        try:
            with open(path, "wb") as handle:
                handle.write(buffer.getvalue())
        except OSError:
            if os.path.exists(path) and os.path.getsize(path) != len(buffer.getvalue()):
                os.remove(path)
            raise

    def bundle(self) -> dict:
        return {"text/html": self.html(), "image/png": self.last_png(), "text/plain": self.frames[-1][1]}

    def note(self) -> str:
        return (f"--animate: the player of {self.what} ({len(self.render().frames)} frames) needs a browser "
                "(Jupyter, VS Code, exported HTML); here, the figure at the end. --save FILE.gif writes it as a GIF.")


PLAYER = """<div class="ipython-gradients-player" id="{id}" data-frame="{last}">
<img src="data:image/png;base64,{picture}" width="{width}" height="{height}" style="max-width:100%;height:auto" alt="{alt}">
<div style="display:flex;align-items:center;gap:6px;max-width:{width}px">
<button type="button" data-do="first" title="first frame">&#x23EE;</button>
<button type="button" data-do="back" title="one frame back">&#x25C0;</button>
<button type="button" data-do="play" title="play or pause">&#x25B6;</button>
<button type="button" data-do="next" title="one frame on">&#x25B6;|</button>
<input type="range" min="0" max="{last}" value="{last}" step="1" style="flex:1" aria-label="frame">
</div>
<pre class="ipython-gradients-caption" style="margin:4px 0;white-space:pre-wrap">{caption}</pre>
<script>
(function () {{
  var root = document.getElementById("{id}");
  if (!root || root.getAttribute("data-ready")) return;
  var data = {data};
  var image = root.querySelector("img"), range = root.querySelector("input"),
      caption = root.querySelector("pre"), play = root.querySelector('[data-do="play"]');
  var at = data.frames.length - 1, timer = null;
  function show(j) {{
    at = Math.max(0, Math.min(data.frames.length - 1, j));
    image.src = "data:image/png;base64," + data.frames[at];
    range.value = at; caption.textContent = data.captions[at]; root.setAttribute("data-frame", at);
  }}
  function stop() {{ if (timer) {{ clearInterval(timer); timer = null; }} play.innerHTML = "&#x25B6;"; }}
  function start() {{
    if (at >= data.frames.length - 1) show(0);
    play.innerHTML = "&#x23F8;";
    timer = setInterval(function () {{ if (at >= data.frames.length - 1) stop(); else show(at + 1); }}, {interval});
  }}
  root.addEventListener("click", function (event) {{
    var button = event.target.closest("button");
    if (!button) return;
    var what = button.getAttribute("data-do");
    if (what === "play") {{ if (timer) stop(); else start(); return; }}
    stop();
    show(what === "first" ? 0 : what === "back" ? at - 1 : at + 1);
  }});
  range.addEventListener("input", function () {{ stop(); show(parseInt(range.value, 10)); }});
  root.setAttribute("data-ready", "1");
  if (root.hasAttribute("data-autoplay")) start();
}})();
</script>
</div>"""


def descent_animation(panels: list, runs: list, rates: list[float], x_label: str, name: str, precision: int,
                      size: tuple[float, float]) -> Animation:
    """Gradient descent step by step, one panel per rate side by side (its path on the contour plot, or
    on the curve for one variable), and f(x_k) against k for every rate."""
    from .plotting import COLORS, descent_panels_figure

    titles = [f"rate {rate:g}: {run.status}" for rate, run in zip(rates, runs)]
    figure, run_axes, values_axes = descent_panels_figure(panels, titles, x_label, size)
    longest = max(len(run.values) for run in runs) - 1
    moving = []
    paths, heads, curves = [], [], []
    c = colours(figure)
    for axes, run, color in zip(run_axes, runs, COLORS[1:] * 4):
        path, = axes.plot([], [], "-o", color=c.tone("#e377c2"), markersize=3, linewidth=1.5, zorder=4)
        head, = axes.plot([], [], "o", color=c.tone("#e377c2"), markeredgecolor=c.ink, markersize=8, zorder=5)
        paths.append(path), heads.append(head)
    finite = np.concatenate([run.values[np.isfinite(run.values) & (np.abs(run.values) < 1e100)] for run in runs])
    for run, rate, color in zip(runs, rates, COLORS * 4):
        curve, = values_axes.plot([], [], "-o", color=c.tone(color), markersize=2.5, linewidth=1.4, label=f"rate {rate:g}")
        curves.append(curve)
    values_axes.set_xlim(-0.02 * max(longest, 1), max(longest, 1) * 1.02)
    if finite.size:
        low, high = float(finite.min()), float(finite.max())
        if low > 0 and high / low > 100:
            values_axes.set_yscale("log")
            values_axes.set_ylim(low / 2, high * 2)
        else:
            pad = 0.08 * (high - low) if high > low else 1.0
            values_axes.set_ylim(low - pad, high + pad)
    values_axes.legend(loc="upper right", fontsize="small").set_in_layout(False)
    moving = (*paths, *heads, *curves)
    steps = frame_indices(longest)
    one_variable = runs[0].path.shape[1] == 1

    def show(j: int) -> str:
        k = steps[j]
        words = []
        for run, rate, path, head, curve in zip(runs, rates, paths, heads, curves):
            shown = min(k, len(run.values) - 1)
            xs = run.path[: shown + 1]
            ys = run.values[: shown + 1]
            if one_variable:
                path.set_data(xs[:, 0], ys)
                head.set_data(xs[-1:, 0], ys[-1:])
            else:
                path.set_data(xs[:, 0], xs[:, 1])
                head.set_data(xs[-1:, 0], xs[-1:, 1])
            curve.set_data(np.arange(shown + 1), np.where(np.abs(ys) < 1e100, ys, np.nan))
            state = run.status if shown == len(run.values) - 1 else "running"
            words.append(f"rate {rate:g}: {name}(x_{shown}) = {format_number(float(ys[-1]), precision)} ({state})")
        return f"step {k} of {longest}\n" + "\n".join(words)

    return Animation(figure, moving, show, len(steps), what=f"gradient descent on {name}")


def secant_animation(figure, lines: list, first: float, precision: int) -> Animation:
    """The secant through (a, f(a)) and (a + h, f(a + h)) as h shrinks from ``first`` to a thousandth of it, for
    each tangent line in ``lines`` (``(name, a, f(a), f'(a) or None, why not, colour, f)``): the line
    across the window around a, the point a + h, and its slope next to f'(a)."""
    axes = figure.axes[0]
    axes.set_autoscale_on(False)
    hs = [first * 10.0 ** (-3 * j / (SECANT_FRAMES - 1)) for j in range(SECANT_FRAMES)]  # to h/1000
    low, high = axes.get_xlim()
    secants, ends = [], []
    c = colours(figure)
    for _, _, _, _, _, color, _ in lines:
        secant, = axes.plot([], [], "-", color=c.tone(color), linewidth=1.6, alpha=0.9, zorder=4)
        end, = axes.plot([], [], "s", color=c.tone(color), markeredgecolor=c.ink, markersize=6, zorder=5)
        secants.append(secant), ends.append(end)

    def show(j: int) -> str:
        h = hs[j]
        words = [f"h = {h:.3g}"]
        for (name, a, fa, slope, why, _, f), secant, end in zip(lines, secants, ends):
            fh = f(a + h)
            rise = (fh - fa) / h
            if math.isfinite(rise):
                secant.set_data([low, high], [fa + rise * (low - a), fa + rise * (high - a)])
                end.set_data([a + h], [fh])
            else:
                secant.set_data([], []), end.set_data([], [])
            at = f"{name} at {a:g}: secant slope {format_number(rise, precision) if math.isfinite(rise) else 'undefined'}"
            if slope is not None:
                at += f", {name}'({a:g}) = {format_number(slope, precision)}, difference {abs(rise - slope):.2g}"
            else:
                side = "right" if h > 0 else "left"
                at += f"; no {name}'({a:g}): {why}, so the secants approach the {side}-hand slope at most"
            words.append(at)
        return "\n".join(words)

    return Animation(figure, (*secants, *ends), show, len(hs), fps=8.0, what="secants shrinking to the tangent")


SECANT_FRAMES = 40


# --- %grad --descent --interactive -------------------------------------------------------------------

# The most iterations the steps slider offers: each move runs the whole descent again.
MAX_LIVE_STEPS = 1000


@dataclass(eq=False)
class DescentLive(_SliderView):
    """``%grad f --descent --interactive``: sliders for the rate, the number of steps and the start point;
    the path, f along it and the run's status as ``--descent`` computes them (``run``, handed in by the API)."""

    figure: Any
    path_axes: Any
    values_axes: Any
    run: Callable  # (start, rate, steps) -> optimise.DescentRun, under the time limit
    start: tuple
    rate: float
    steps: int
    box: list  # (low, high) of each coordinate of the start point
    variables: tuple
    name: str = "f"
    precision: int = 3
    timeout: float = 10.0
    readout: str = field(init=False, default="")
    problem: str | None = field(init=False, default=None)
    descent: Any = field(init=False, default=None)  # the run shown
    _widget: Any = field(init=False, default=None, repr=False)
    _background: Any = field(init=False, default=None, repr=False)
    _values_background: Any = field(init=False, default=None, repr=False)
    _ipympl: Any = field(init=False, default=None, repr=False)
    _limits: tuple | None = field(init=False, default=None, repr=False)

    def __post_init__(self):
        self.grids = [slider_grid(low, high) for low, high in self.box]
        c = colours(self.figure)
        self._path, = self.path_axes.plot([], [], "-o", color=c.tone("#e377c2"), markersize=3, linewidth=1.5, zorder=4)
        self._head, = self.path_axes.plot([], [], "o", color=c.tone("#e377c2"), markeredgecolor=c.ink, markersize=8,
                                          zorder=5)
        self._first, = self.path_axes.plot([], [], "s", color=c.tone("#e377c2"), markeredgecolor=c.ink,
                                           markersize=7, zorder=5)
        self._values, = self.values_axes.plot([], [], "-o", color=c.tone("#1f77b4"), markersize=2.5, linewidth=1.4)
        for axes in (self.path_axes, self.values_axes):
            axes.set_autoscale_on(False)
        self.move()

    def move(self, start=None, rate=None, steps=None, render: bool = False) -> bytes | bool:
        """Run the descent with the values given (the others as they are) and show it; False and one line
        in ``problem`` where that fails. Bounded by the time limit."""
        try:
            with time_limit(self.timeout):
                start = self.start if start is None else tuple(start)
                rate = self.rate if rate is None else rate
                steps = self.steps if steps is None else steps
                if len(start) != len(self.box) or not all(_is_number(c) for c in start):
                    raise GradientError(f"the start point must be {len(self.box)} numbers, got {start!r}")
                if not _is_number(rate) or not rate > 0:
                    raise GradientError(f"the rate must be a positive number, got {rate!r}")
                if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= MAX_LIVE_STEPS:
                    raise GradientError(f"the steps must be a whole number from 1 to {MAX_LIVE_STEPS}, got {steps!r}")
                descent = self.run(tuple(float(c) for c in start), float(rate), steps)
                self.start, self.rate, self.steps, self.descent = tuple(float(c) for c in start), float(rate), steps, \
                    descent
                self.readout = self._describe()
                self._draw()
                self.problem = None
                return self.png() if render else True
        except (Exception, ComputationTimeout) as error:
            self.problem = f"could not run the descent: {one_line(error)}"
            return False

    def _describe(self) -> str:
        run, digits = self.descent, self.precision
        point = ", ".join(format_number(c, digits) for c in self.start)
        end = ", ".join(format_number(float(c), digits) for c in run.path[-1])
        return (f"rate {self.rate:.3g}, up to {self.steps} steps from ({point})\n"
                f"{self.name} = {format_number(float(run.values[0]), digits)} at the start, "
                f"{format_number(float(run.values[-1]), digits)} at ({end}) after {len(run.values) - 1} steps\n"
                f"{run.status}: {run.message}")

    def _draw(self) -> None:
        path, values = self.descent.path, self.descent.values
        drawn = np.where(np.abs(path) < 1e100, path, np.nan)
        if path.shape[1] == 1:
            heights = np.where(np.abs(values) < 1e100, values, np.nan)
            self._path.set_data(drawn[:, 0], heights)
            self._head.set_data(drawn[-1:, 0], heights[-1:])
            self._first.set_data(drawn[:1, 0], heights[:1])
        else:
            self._path.set_data(drawn[:, 0], drawn[:, 1])
            self._head.set_data(drawn[-1:, 0], drawn[-1:, 1])
            self._first.set_data(drawn[:1, 0], drawn[:1, 1])
        shown = np.where(np.abs(values) < 1e100, values, np.nan)
        self._values.set_data(np.arange(len(values)), shown)
        limits = self._value_limits(shown)
        if limits != self._limits:  # the values panel's axes change: drawn anew in png()
            self._limits = limits
            scale, x_high, low, high = limits
            self.values_axes.set_yscale(scale)
            self.values_axes.set_xlim(-0.02 * x_high, 1.02 * x_high)
            self.values_axes.set_ylim(low, high)
            self._values_background = None

    def _value_limits(self, shown: np.ndarray) -> tuple:
        """(y scale, last k, low, high) of the values panel: kept while the values still fit and fill
        a quarter of the height, so most moves only redraw the lines."""
        x_high = max(self.steps, 1)
        finite = shown[np.isfinite(shown)]
        if not finite.size:
            return self._limits or ("linear", x_high, -1.0, 1.0)
        low, high = float(finite.min()), float(finite.max())
        log = low > 0 and high / low > 100
        if self._limits and self._limits[0] == ("log" if log else "linear") and self._limits[1] == x_high:
            _, _, kept_low, kept_high = self._limits
            if log:
                fits = kept_low <= low and high <= kept_high and math.log(high / low) > 0.25 * math.log(kept_high / kept_low)
            else:
                fits = kept_low <= low and high <= kept_high and (high - low) > 0.25 * (kept_high - kept_low)
            if fits:
                return self._limits
        if log:
            return ("log", x_high, low / 2, high * 2)
        pad = 0.08 * (high - low) if high > low else max(1.0, abs(high)) * 0.1
        return ("linear", x_high, low - pad, high + pad)

    def png(self) -> bytes:
        """Drawn in layers kept as pixels: the contour plot once; the values panel's axes when their
        limits change; then on every move only the path and the values' line (blitting)."""
        if self._ipympl is not None:  # ipympl owns the canvas and draws the figure whole
            return _png_of(self.figure)
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from PIL import Image

        moving = (self._path, self._head, self._first, self._values)
        canvas = self.figure.canvas
        if not isinstance(canvas, FigureCanvasAgg) or self._background is None:
            canvas = FigureCanvasAgg(self.figure)
            for artist in moving:  # left out of every full draw: drawn by hand on the kept pixels
                artist.set_animated(True)
            self.values_axes.set_visible(False)
            try:
                canvas.draw()
            finally:
                self.values_axes.set_visible(True)
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            self._values_background = None
        if self._values_background is None:
            canvas.restore_region(self._background)
            self.figure.draw_artist(self.values_axes)
            self._values_background = canvas.copy_from_bbox(self.figure.bbox)
        canvas.restore_region(self._values_background)
        for artist in moving:
            self.figure.draw_artist(artist)
        buffer = io.BytesIO()
        Image.fromarray(np.asarray(canvas.buffer_rgba())).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def widget(self):
        if self._widget is None:
            import ipywidgets as widgets

            exponent = math.log10(self.rate)
            rate = guarded(widgets.FloatLogSlider, self._refused)(
                value=self.rate, base=10, min=exponent - 3, max=exponent + 1, step=0.05, description="rate",
                readout_format=".3g", layout=widgets.Layout(width="60%"))
            steps = guarded(widgets.IntSlider, self._refused)(
                value=self.steps, min=1, max=MAX_LIVE_STEPS if self.steps > MAX_LIVE_STEPS // 4 else
                max(4 * self.steps, 100), description="steps", layout=widgets.Layout(width="60%"))
            starts = []
            for variable, (low, high), (step, decimals), value in zip(self.variables, self.box, self.grids, self.start):
                starts.append(guarded(widgets.FloatSlider, self._refused)(
                    value=min(max(value, low), high), min=low, max=high, step=step, description=f"{variable}₀",
                    readout_format=f".{decimals}f", layout=widgets.Layout(width="60%")))
            view = FigureView(self, (self._path, self._head, self._first, self._values))
            image = view.widget
            readout = widgets.HTML(value=self._html())
            box = widgets.VBox([rate, steps, *starts, image, readout])
            box.rate, box.steps, box.starts, box.image, box.readout = rate, steps, starts, image, readout

            def changed(change):  # in the kernel's main thread: bounded, and never raises
                png = self.move(start=[s.value for s in starts], rate=rate.value, steps=steps.value,
                                render=view.needs_png)
                try:
                    if png:
                        view.show(png)
                except Exception as error:
                    self.problem = f"could not show the run: {one_line(error)}"
                readout.value = self._html()

            for slider in (rate, steps, *starts):
                slider.observe(changed, names="value")
            self._widget = box
        return self._widget

    def note(self) -> str:
        return ("--interactive: the sliders for the rate, the steps and the start need a Jupyter frontend with "
                "widgets (JupyterLab, Notebook 7, VS Code); here, the figure of the run above.")


def _is_number(value) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float, np.floating, np.integer)) \
        and math.isfinite(value)


# --- %%tangent --secant --interactive ---------------------------------------------------------------


@dataclass(eq=False)
class SecantLive(_SliderView):
    """``%%tangent --secant H --interactive``: sliders for the point a and the width h (logarithmic, from H
    down to H/10⁴); the tangent at a, the secant through a and a + h, and the tangent's own text for that
    point and width (``analyse``, handed in by the API: what ``--at a --secant h`` says)."""

    figure: Any
    low: float
    high: float
    start: float
    width: float  # H: the widest h, with its sign
    analyse: Callable[[str, float], Any]  # (point text, h) -> TangentResult of the one line
    values: Callable[[float], float]  # f at one x, NaN where undefined
    name: str = "f"
    precision: int = 3
    timeout: float = 10.0
    readout: str = field(init=False, default="")
    problem: str | None = field(init=False, default=None)
    h: float = field(init=False, default=0.0)
    text: str = field(init=False, default="")
    _widget: Any = field(init=False, default=None, repr=False)
    _background: Any = field(init=False, default=None, repr=False)
    _ipympl: Any = field(init=False, default=None, repr=False)

    def __post_init__(self):
        self.step, self.decimals = slider_grid(self.low, self.high)
        axes = self.figure.axes[0]
        axes.set_autoscale_on(False)
        c = colours(self.figure)
        self._secant, = axes.plot([], [], "-", color=c.tone("#ff7f0e"), linewidth=2.2, zorder=3,
                                  label="secant, a to a + h")
        self._tangent, = axes.plot([], [], "--", color=c.tone("#2ca02c"), linewidth=1.6, zorder=4, label="tangent at a")
        self._points, = axes.plot([], [], "o", color=c.tone("#ff7f0e"), markeredgecolor=c.ink, markersize=7, zorder=5)
        axes.legend(loc="best", fontsize="small").set_in_layout(False)
        self.h = self.width
        self.move(self.start, self.width)

    def snapped(self, value: float) -> str:
        value = min(max(float(value), self.low), self.high)
        return point_text(round((value - self.low) / self.step) * self.step + self.low, self.decimals)

    def move(self, a=None, h=None, render: bool = False) -> bytes | bool:
        """Show the point a and width h (either left as it is when None); False and one line in ``problem``
        where that fails. Bounded by the time limit."""
        try:
            with time_limit(self.timeout):
                a = float(self.text) if a is None and self.text else self.start if a is None else a
                h = self.h if h is None else h
                if not _is_number(a):
                    raise GradientError(f"a must be a number within [{self.low:g}, {self.high:g}], got {a!r}")
                if not _is_number(h) or h == 0:
                    raise GradientError(f"h must be a non-zero number, got {h!r}")
                text = self.snapped(a)
                result = self.analyse(text, float(h))
                line = result.lines[0]
                self.readout = self._describe(text, float(h), line, result)
                self._draw(float(text), float(h), line)
                self.text, self.h, self.problem = text, float(h), None
                return self.png() if render else True
        except (Exception, ComputationTimeout) as error:
            self.problem = f"could not show a = {a!r}, h = {h!r}: {one_line(error)}"
            return False

    def _describe(self, text: str, h: float, line, result) -> str:
        first = f"a = {text}, h = {h:.3g}"
        if line.secants and line.slope is not None:
            _, _, slope, _ = line.secants[0]
            first += (f": secant slope {format_number(slope, self.precision)}, "
                      f"{self.name}'({text}) = {format_number(line.slope, self.precision)}")
        else:  # no tangent (a corner, a vertical tangent): the secant still has a slope, and no limit to meet
            a = float(text)
            rise = (self.values(a + h) - self.values(a)) / h
            if math.isfinite(rise):
                first += f": secant slope {format_number(rise, self.precision)}; no {self.name}'({text}) to approach"
        return first + "\n" + result.text()

    def _draw(self, a: float, h: float, line) -> None:
        fa, fh = self.values(a), self.values(a + h)
        if line.slope is not None and math.isfinite(fa):
            self._tangent.set_data([self.low, self.high], [fa + line.slope * (self.low - a),
                                                           fa + line.slope * (self.high - a)])
        elif line.kind == "vertical" and math.isfinite(fa):
            self._tangent.set_data([a, a], list(self.figure.axes[0].get_ylim()))
        else:
            self._tangent.set_data([], [])
        rise = (fh - fa) / h
        if math.isfinite(rise):
            self._secant.set_data([self.low, self.high], [fa + rise * (self.low - a), fa + rise * (self.high - a)])
            self._points.set_data([a, a + h], [fa, fh])
        else:
            self._secant.set_data([], [])
            self._points.set_data([a] if math.isfinite(fa) else [], [fa] if math.isfinite(fa) else [])

    def png(self) -> bytes:
        if self._ipympl is not None:  # ipympl owns the canvas and draws the figure whole
            return _png_of(self.figure)
        return self._blitted((self._tangent, self._secant, self._points))

    def widget(self):
        if self._widget is None:
            import ipywidgets as widgets

            slider = guarded(widgets.FloatSlider, self._refused)(
                value=float(self.text), min=self.low, max=self.high, step=self.step, description="a",
                readout_format=f".{self.decimals}f", layout=widgets.Layout(width="60%"))
            exponent = math.log10(abs(self.width))
            width = guarded(widgets.FloatLogSlider, self._refused)(
                value=abs(self.width), base=10, min=exponent - 4, max=exponent, step=0.05,
                description="h" if self.width > 0 else "−h", readout_format=".3g", layout=widgets.Layout(width="60%"))
            view = FigureView(self, (self._tangent, self._secant, self._points))
            image = view.widget
            readout = widgets.HTML(value=self._html())
            box = widgets.VBox([slider, width, widgets.HBox([image, readout])])
            box.slider, box.width, box.image, box.readout = slider, width, image, readout
            sign = 1.0 if self.width > 0 else -1.0

            def changed(change):  # in the kernel's main thread: bounded, and never raises
                png = self.move(slider.value, sign * width.value, render=view.needs_png)
                try:
                    if png:
                        view.show(png)
                except Exception as error:
                    self.problem = f"could not show the secant: {one_line(error)}"
                readout.value = self._html()

            slider.observe(changed, names="value")
            width.observe(changed, names="value")
            self._widget = box
        return self._widget

    def note(self) -> str:
        return ("--interactive: the sliders for a and h need a Jupyter frontend with widgets (JupyterLab, Notebook 7, "
                "VS Code); here, the figure above.")
