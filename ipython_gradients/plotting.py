"""Figures: matplotlib ``Figure`` objects built without pyplot, and their bytes.

Without pyplot no figure is registered globally, so nothing shows twice under ``%matplotlib
inline``, nothing is left behind after an error, and figures appear with any backend.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import importlib
import io
import sys
from dataclasses import dataclass, field

import matplotlib
import numpy as np
from matplotlib.cbook import is_math_text
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox
from matplotlib.text import Text

COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e")
DPI = 100


# --- themes: every colour a figure draws on its background comes from one palette ---------------------


@dataclass(frozen=True)
class Palette:
    """The colours of one theme. Figures name their colours as the light theme draws them (``COLORS``,
    "#555555", ...) and ``tone`` gives this theme's colour for each; ``paper`` is the background, ``ink``
    the text, axes and marks drawn on it (points, the edges of markers), ``faint`` the lines x = 0 and
    y = 0, ``rc`` matplotlib's settings for everything else (ticks, grid, legend, 3D panes), applied
    while a figure is made (``themed``). What is drawn on a colour map (contour arrows and
    points, critical points, a descent path) keeps its colours in both themes: the map is the same."""

    name: str  # "light" or "dark": also what the image needs behind it (``needs_background``)
    paper: str
    ink: str
    faint: str
    grid: str
    legend_edge: str
    panes: tuple  # the 3D panes' colours (x, y, z)
    tones: dict  # light colour -> this theme's
    level_map: str  # the colour map of level-curve lines drawn on the paper

    def tone(self, color: str) -> str:
        return self.tones.get(color, color)

    @functools.cached_property
    def rc(self) -> dict:
        names = ("axes.edgecolor", "axes.labelcolor", "text.color", "xtick.color", "ytick.color", "patch.edgecolor")
        rc = {name: self.ink for name in names}
        rc.update({"figure.facecolor": self.paper, "figure.edgecolor": self.paper, "axes.facecolor": self.paper,
                   "savefig.facecolor": "auto", "savefig.edgecolor": "auto", "savefig.transparent": False,
                   "axes.titlecolor": "auto", "xtick.labelcolor": "inherit", "ytick.labelcolor": "inherit",
                   "legend.facecolor": "inherit", "legend.edgecolor": self.legend_edge, "legend.labelcolor": None,
                   "grid.color": self.grid, "grid.major.color": None, "grid.minor.color": None,  # (3.10: grid.color)
                   "patch.facecolor": self.tone("#1f77b4"),
                   "lines.markeredgecolor": "auto", "lines.markerfacecolor": "auto"})
        for axis, pane in zip("xyz", self.panes):  # (rcParams since matplotlib 3.8)
            rc[f"axes3d.{axis}axis.panecolor"] = pane
        return {name: value for name, value in rc.items() if name in matplotlib.rcParams}

    @contextlib.contextmanager
    def applied(self):
        """matplotlib's settings of this theme, for making or drawing a figure."""
        with matplotlib.rc_context(self.rc):
            yield self


# The light theme is matplotlib's own defaults (a test keeps them equal) and the colours figures always drew.
LIGHT = Palette("light", paper="white", ink="black", faint="0.6", grid="#b0b0b0", legend_edge="0.8",
                panes=((0.95, 0.95, 0.95, 0.5), (0.9, 0.9, 0.9, 0.5), (0.925, 0.925, 0.925, 0.5)), tones={},
                level_map="viridis")
DARK = Palette(
    "dark", paper="#1e1e1e", ink="#e6e6e6", faint="0.45", grid="#d0d0d0", legend_edge="0.4",
    panes=((0.25, 0.25, 0.25, 0.5), (0.3, 0.3, 0.3, 0.5), (0.275, 0.275, 0.275, 0.5)), level_map="viridis_bright",
    tones={
        # the curves, lines and markers: brighter versions of matplotlib's own colours
        "#1f77b4": "#5aa9e6", "#d62728": "#ff6b6b", "#2ca02c": "#5fd35f", "#9467bd": "#c39bff",
        "#ff7f0e": "#ffa94d", "#8c564b": "#d7a18e", "#e377c2": "#ff9ee0", "#7f7f7f": "#bdbdbd",
        "#555555": "#b8b8b8", "#444444": "#b0b0b0", "#8a2be2": "#c9a6ff",
        # the computational graph's boxes
        "#dbe9f6": "#1f3b57", "#f2f2f2": "#333333", "#fde0c5": "#5a3a1c",
    })
PALETTES = {"light": LIGHT, "dark": DARK}
_palette = contextvars.ContextVar("palette", default=LIGHT)


def palette() -> Palette:
    """The palette figures are made in now (``themed``); the light one outside it."""
    return _palette.get()


def luminance(color) -> float:
    """Relative luminance (0 black to 1 white) of a matplotlib colour, as WCAG defines it."""
    channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgba(color)[:3]]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def resolve_theme(theme: str) -> str:
    """"light" or "dark" for the ``theme`` setting. "auto" follows matplotlib's settings as they are now: a
    dark ``figure.facecolor`` (``plt.style.use("dark_background")``, VS Code's
    ``jupyter.themeMatplotlibPlots`` in a dark theme) means dark; a transparent one, light text; else light."""
    if theme in PALETTES:
        return theme
    try:
        face = to_rgba(matplotlib.rcParams["figure.facecolor"])
        if face[3] >= 0.5:
            return "dark" if luminance(face) < 0.2 else "light"
        return "dark" if luminance(matplotlib.rcParams["text.color"]) > 0.5 else "light"
    except ValueError:  # a colour matplotlib cannot read: the default
        return "light"


@contextlib.contextmanager
def themed(theme: str):
    """Figures made inside are in ``theme`` ("light", "dark", or "auto", resolved now); yields the palette."""
    chosen = PALETTES[resolve_theme(theme)]
    token = _palette.set(chosen)
    try:
        with chosen.applied():
            yield chosen
    finally:
        _palette.reset(token)


def colour_map(name: str):
    """A colour map by name; "viridis_bright" is viridis without its darkest quarter (lines on a dark paper)."""
    if name == "viridis_bright":
        from matplotlib.colors import ListedColormap

        return ListedColormap(matplotlib.colormaps["viridis"](np.linspace(0.3, 1.0, 256)), name=name)
    return matplotlib.colormaps[name]


class ThemedFigure(Figure):
    """A ``Figure`` in the palette it was made in (``palette``), which keeps its colours whatever matplotlib's
    settings are when it is drawn or saved again: the ticks' and grid's on its axes, its face colour in
    ``savefig``. Drawing never changes matplotlib's settings (``themed`` does, while a figure is made)."""

    def __init__(self, *args, **kwargs):
        self.palette = palette()
        super().__init__(*args, **kwargs)

    def add_subplot(self, *args, **kwargs):
        return self._in_palette(super().add_subplot(*args, **kwargs))

    def add_axes(self, *args, **kwargs):  # (a colour bar's axes too)
        return self._in_palette(super().add_axes(*args, **kwargs))

    def _in_palette(self, axes):
        """The ticks' and grid's colours kept on the axes itself: matplotlib makes ticks anew whenever it
        likes (after ``release_drawing``, when tick labels are read), from rcParams as they are then, and
        copies the first tick's colours to the others."""
        axes.tick_params(axis="both", which="both", colors=self.palette.ink, grid_color=self.palette.grid)
        return axes

    def savefig(self, *args, **kwargs):
        """``Figure.savefig`` with the figure's own face (not ``savefig.facecolor``), opaque."""
        kwargs.setdefault("facecolor", "auto")
        kwargs.setdefault("edgecolor", "auto")
        kwargs.setdefault("transparent", False)
        return super().savefig(*args, **kwargs)


# Beyond this magnitude values are not drawn: axis arithmetic on them overflows.
LARGEST_DRAWN = 1e100


@dataclass
class Curve:
    label: str
    xs: np.ndarray
    ys: np.ndarray
    markers: list[tuple[float, float]] = field(default_factory=list)  # points to mark on it
    open_markers: list[tuple[float, float]] = field(default_factory=list)  # e.g. kinks

    def __post_init__(self):
        with np.errstate(invalid="ignore"):
            self.ys = np.where(np.abs(self.ys) < LARGEST_DRAWN, self.ys, np.nan)


def bulk_limits(ys: np.ndarray) -> tuple[float, float] | None:
    """The y-limits that show the bulk of a curve, or None when its whole range is fine to show.

    A pole puts a few huge values far outside the bulk (10th to 90th percentile); steady growth
    (eˣ on the default range) stays within three spans of it and keeps automatic limits.
    """
    finite = ys[np.isfinite(ys)]
    if finite.size < 2:
        return None
    low, high = np.percentile(finite, [10, 90])
    span = max(high - low, 1e-9 * max(1.0, abs(high)))
    if finite.min() >= low - 3 * span and finite.max() <= high + 3 * span:
        return None
    return low - 0.5 * span, high + 0.5 * span


def y_window(curves: list[Curve]) -> tuple[float, float] | None:
    """Common y-limits when some curve has a pole: every curve's bulk, and the full range of the others."""
    limits = [bulk_limits(c.ys) for c in curves]
    if all(l is None for l in limits):
        return None  # (also when nothing is finite: matplotlib then keeps its default limits)
    lows, highs = [], []
    for curve, l in zip(curves, limits):
        finite = curve.ys[np.isfinite(curve.ys)]
        if l is not None:
            lows.append(l[0]), highs.append(l[1])
        elif finite.size:
            lows.append(finite.min()), highs.append(finite.max())
    return min(lows), max(highs)


def masked(ys: np.ndarray, window: tuple[float, float] | None) -> np.ndarray:
    """Gaps instead of values far outside the window, so no vertical line joins +∞ to -∞ at a pole."""
    if window is None:
        return ys
    height = window[1] - window[0]
    return np.where((ys < window[0] - height) | (ys > window[1] + height), np.nan, ys)


def draw_curves(axes, curves: list[Curve]) -> tuple[float, float] | None:
    """Each curve in its colour with its marked points; returns the y-window poles call for (or None)."""
    window = y_window(curves)
    colors = palette()
    for curve, color in zip(curves, [colors.tone(c) for c in COLORS] * 4):
        axes.plot(curve.xs, masked(curve.ys, window), color=color, linewidth=2, label=mathtext_or_plain(curve.label))
        if curve.markers:
            px, py = zip(*curve.markers)
            axes.plot(px, py, "o", color=color, markersize=6, zorder=4)
        if curve.open_markers:
            px, py = zip(*curve.open_markers)
            axes.plot(px, py, "o", markerfacecolor=colors.paper, markeredgecolor=color, markersize=7, zorder=4)
    return window


class FittedFigure(ThemedFigure):
    """A ``Figure`` whose margins grow to fit its texts: tick labels, axis labels, offsets such as
    1e6, titles, colour bars, and legends that count in the layout (``legend.set_in_layout(False)``
    for one inside the axes).

    Fixed margins cut off a y label beside wide tick labels (-0.0025, 123460) and the last x tick
    label at the right end. matplotlib's tight and constrained layouts fit them, but any layout
    engine makes ``savefig`` draw the whole figure twice, and laying out the axes' texts before
    drawing costs a tenth of a figure. Here each draw first sizes the side margins from the y tick
    labels' text (a millisecond: the locator, the formatter and the width of each string). A raster
    figure is then drawn and its texts checked as drawn: only one whose texts still reach past its
    edges (a wide last x tick label, an offset, a title) is drawn again with margins that fit them.
    Vector output (SVG, PDF) is written as it is drawn, so matplotlib lays it out first. 3D axes
    are not measured (their labels sit inside their panels). Margins only grow.
    """

    PAD = 5  # points between the outermost text and the edge of the figure

    def draw(self, renderer):
        self._fit_tick_labels(renderer)
        if not hasattr(renderer, "clear"):  # written as drawn: lay out first
            self._fit(renderer, self._texts(renderer, drawn=False))
            super().draw(renderer)
            return
        super().draw(renderer)
        if self._fit(renderer, self._texts(renderer, drawn=True)):
            renderer.clear()
            super().draw(renderer)

    def _fit_tick_labels(self, renderer) -> None:
        """Side margins for the y axes' tick labels and labels (a colour bar's on the right)."""
        width = self.bbox.width
        p = self.subplotpars
        sides = {"left": p.left * width, "right": (1 - p.right) * width}
        for axes in self._flat_axes():
            axis = axes.yaxis
            low, high = sorted(axis.get_view_interval())
            locs = [loc for loc in axis.get_majorticklocs() if low <= loc <= high]
            if not locs or not axis.get_visible():
                continue
            tick = axis.get_major_ticks(1)[0]
            labels = axis.get_major_formatter().format_ticks(locs)
            prop = tick.label1.get_fontproperties()
            widest = max(renderer.get_text_width_height_descent(label, prop, ismath=is_math_text(label))[0]
                         for label in labels)
            label = axis.label.get_text()
            label_height = (renderer.get_text_width_height_descent(label, axis.label.get_fontproperties(),
                                                                   ismath=is_math_text(label))[1] if label else 0)
            points = tick.get_tick_padding() + tick.get_pad() + (axis.labelpad if label else 0) + self.PAD
            side = axis.get_label_position()
            # a colour bar's axes stand off the subplot area by its own width and padding
            offset = (axes.bbox.x0 - p.left * width if side == "left" else p.right * width - axes.bbox.x1)
            needed = widest + label_height + renderer.points_to_pixels(points) - offset
            sides[side] = max(sides[side], needed)
            overhang = self._last_x_tick_label_overhang(axes, renderer)
            if overhang > 0:
                sides["right"] = max(sides["right"], p.right * width - axes.bbox.x1 + overhang
                                     + renderer.points_to_pixels(self.PAD))
        if sides["left"] > p.left * width + 0.5 or sides["right"] > (1 - p.right) * width + 0.5:
            if sides["left"] + sides["right"] < 0.6 * width:
                self.subplots_adjust(left=sides["left"] / width, right=1 - sides["right"] / width)

    @staticmethod
    def _last_x_tick_label_overhang(axes, renderer) -> float:
        """How far the x tick label at the right end of the axes reaches past it (pixels; ≤ 0: not at all)."""
        low, high = sorted(axes.xaxis.get_view_interval())
        locs = [loc for loc in axes.xaxis.get_majorticklocs() if low <= loc <= high]
        if not locs or not axes.xaxis.get_visible():
            return 0.0
        label = axes.xaxis.get_major_formatter().format_ticks(locs)[-1]
        prop = axes.xaxis.get_major_ticks(1)[0].label1.get_fontproperties()
        half = renderer.get_text_width_height_descent(label, prop, ismath=is_math_text(label))[0] / 2
        return axes.transData.transform((locs[-1], 0))[0] + half - axes.bbox.x1

    def _texts(self, renderer, drawn: bool) -> list[Bbox]:
        """Where the outermost texts of the 2D axes reach: measured by matplotlib's layout before a
        draw; after one, read from the axis labels (outside their tick labels) where they are set."""
        boxes = []
        for axes in self._flat_axes():
            for axis in (axes.xaxis, axes.yaxis):
                if not drawn:
                    boxes.append(axis.get_tightbbox(renderer))
                    continue
                texts = [axis.label] if axis.label.get_text() else _drawn_tick_labels(axis)
                if axis.offsetText.get_text():
                    texts.append(axis.offsetText)
                boxes += [text.get_window_extent(renderer) for text in texts]
            if drawn and axes.xaxis.label.get_text():  # the x label is centred: the last tick label may overhang
                boxes += [text.get_window_extent(renderer) for text in _drawn_tick_labels(axes.xaxis)[-1:]]
            if axes.get_title():
                boxes.append(axes.title.get_window_extent(renderer))
            legend = axes.get_legend()
            if legend is not None and legend.get_in_layout():
                boxes.append(legend.get_window_extent(renderer))
        return [box for box in boxes if box is not None and box.width > 0 and box.height > 0]

    def _flat_axes(self) -> list:
        return [axes for axes in self.axes if axes.name != "3d" and axes.get_subplotspec() is not None]

    def _fit(self, renderer, boxes: list[Bbox]) -> bool:
        """Widen the margins where the texts reach (about) past the edges; True if they changed."""
        if not boxes:
            return False
        texts = Bbox.union(boxes)
        width, height, pad = self.bbox.width, self.bbox.height, renderer.points_to_pixels(self.PAD)
        p = self.subplotpars
        margins = [p.left * width, (1 - p.right) * width, p.bottom * height, (1 - p.top) * height]
        needed = [p.left * width - texts.x0 + pad, texts.x1 - p.right * width + pad,
                  p.bottom * height - texts.y0 + pad, texts.y1 - p.top * height + pad]
        gap = renderer.points_to_pixels(1)  # texts closer to the edge than this count as cut off
        if texts.x0 >= gap and texts.x1 <= width - gap and texts.y0 >= gap and texts.y1 <= height - gap:
            return False
        left, right, bottom, top = (max(n, m) for n, m in zip(needed, margins))
        if left + right > 0.6 * width or bottom + top > 0.6 * height:  # the axes would all but vanish
            return False
        self.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height,
                             top=1 - top / height)
        return True


def _drawn_tick_labels(axis) -> list:
    """The tick labels an axis drew: those with text whose tick lies within the view."""
    low, high = sorted(axis.get_view_interval())
    return [tick.label1 for tick in axis.get_major_ticks(len(axis.get_majorticklocs()))
            if low <= tick.get_loc() <= high and tick.label1.get_visible() and tick.label1.get_text()]


def fixed_margins(figure: Figure, top: float = 0.15) -> Figure:
    """The margins a figure starts with, in inches: room for one line of tick labels and an axis
    label below, a y label beside tick labels of about five characters."""
    width, height = figure.get_size_inches()
    figure.subplots_adjust(left=0.65 / width, right=1 - 0.15 / width, bottom=0.5 / height, top=1 - top / height)
    return figure


def curves_figure(curves: list[Curve], x_label: str, size: tuple[float, float]) -> Figure:
    """One axes with every curve, its marked points, a legend and axis labels."""
    figure = fixed_margins(FittedFigure(figsize=size, dpi=DPI))
    axes = figure.add_subplot()
    window = draw_curves(axes, curves)
    if window is not None:
        axes.set_ylim(*window)
    axes.axhline(0, color=palette().faint, linewidth=0.8, zorder=0)
    low, high = curves[0].xs[0], curves[0].xs[-1]
    if low < 0 < high:
        axes.axvline(0, color=palette().faint, linewidth=0.8, zorder=0)
    axes.set_xlim(low, high)
    axes.set_xlabel(x_label, fontstyle="italic")
    axes.set_ylabel("y")
    axes.grid(True, alpha=0.3)
    axes.legend(loc="best", fontsize="small").set_in_layout(False)  # inside the axes
    return figure


@functools.lru_cache(maxsize=256)
def mathtext_or_plain(label: str) -> str:
    """Keep a ``$...$`` label that matplotlib's mathtext can draw; otherwise the plain text.

    SymPy's LaTeX is richer than mathtext; checking here keeps a bad label from failing later,
    half-way through drawing.
    """
    if "$" not in label:
        return label
    from matplotlib.mathtext import MathTextParser

    try:
        MathTextParser("path").parse(label)
    except ValueError:
        return label.replace("$", "").replace("\\", "")
    return label


@dataclass
class ContourData:
    """What a two-variable figure shows, computed before drawing."""

    grid_x: np.ndarray
    grid_y: np.ndarray
    heights: np.ndarray  # f on the grid
    arrow_x: np.ndarray
    arrow_y: np.ndarray
    arrow_u: np.ndarray  # ∂f/∂x on the arrow grid
    arrow_v: np.ndarray
    points: list  # (point, gradient) of the --at points
    critical: list  # (point, kind)
    path: np.ndarray | None  # descent iterates
    labels: tuple[str, str]
    name: str


CRITICAL_MARKERS = {"local minimum": ("o", "#2ca02c"), "local maximum": ("^", "#d62728"),
                    "saddle point": ("X", "#ff7f0e")}


def contour_figure(data: ContourData, size: tuple[float, float]) -> Figure:
    """Filled contours of f, arrows of ∇f (direction only), points, critical points, descent path."""
    figure = fixed_margins(FittedFigure(figsize=size, dpi=DPI))
    draw_contour(figure, figure.add_subplot(), data)
    return figure


def draw_contour(figure: Figure, axes, data: ContourData, colorbar: bool = True) -> None:
    """The contour plot of ``data`` in ``axes`` (see ``contour_figure``)."""
    heights = np.where(np.abs(data.heights) < LARGEST_DRAWN, data.heights, np.nan)
    finite = heights[np.isfinite(heights)]
    if finite.size:
        # Levels at quantiles of the heights: equal areas between contours, so a deep narrow valley
        # (Rosenbrock's) shows as well as a round bowl.
        low, high = np.percentile(finite, [1, 99])
        levels = np.unique(np.quantile(np.clip(finite, low, high), np.linspace(0, 1, 21)))
        levels = levels if levels.size > 2 else None
        filled = axes.contourf(data.grid_x, data.grid_y, np.clip(heights, low, high), levels=levels,
                               cmap="viridis", extend="neither")
        if colorbar:
            figure.colorbar(filled, ax=axes, label=f"{data.name}({', '.join(data.labels)})")
    # drawn on the colour map, these keep their colours in both themes; on the paper (nothing finite to
    # fill), the points and arrows are the theme's ink
    mark = "black" if finite.size else palette().ink
    with np.errstate(all="ignore"):
        length = np.hypot(data.arrow_u, data.arrow_v)
        u = np.where(length > 0, data.arrow_u / length, 0.0)
        v = np.where(length > 0, data.arrow_v / length, 0.0)
    axes.quiver(data.arrow_x, data.arrow_y, u, v, color="white", alpha=0.7, pivot="mid",
                angles="xy", scale_units="width", scale=30, width=0.003)
    span = max(data.grid_x.max() - data.grid_x.min(), data.grid_y.max() - data.grid_y.min())
    for index, (point, gradient) in enumerate(data.points):
        norm = float(np.hypot(*gradient))
        axes.plot(*point, "o", color=mark, markersize=6, zorder=4,
                  label="points (--at) with ∇f" if index == 0 else None)
        if norm > 0:
            scale = 0.15 * span / norm
            axes.annotate("", xy=(point[0] + gradient[0] * scale, point[1] + gradient[1] * scale), xytext=point,
                          arrowprops=dict(arrowstyle="->", color=mark, linewidth=1.8), zorder=4)
    shown_kinds = set()
    for point, kind in data.critical:
        marker, color = CRITICAL_MARKERS.get(kind, ("D", "#7f7f7f"))
        axes.plot(*point, marker, color=color, markeredgecolor="black", markersize=10, zorder=5,
                  label=kind if kind not in shown_kinds else None)
        shown_kinds.add(kind)
    if data.path is not None and len(data.path):
        path = np.asarray(data.path)
        axes.plot(path[:, 0], path[:, 1], "-o", color="#e377c2", markersize=3, linewidth=1.5, zorder=4,
                  label="gradient descent")
        axes.plot(*path[0], "s", color="#e377c2", markeredgecolor="black", markersize=7, zorder=5)
    axes.set_xlim(data.grid_x.min(), data.grid_x.max())
    axes.set_ylim(data.grid_y.min(), data.grid_y.max())
    axes.set_xlabel(data.labels[0], fontstyle="italic")
    axes.set_ylabel(data.labels[1], fontstyle="italic")
    if axes.get_legend_handles_labels()[0]:
        axes.legend(loc="upper right", fontsize="small", framealpha=0.85).set_in_layout(False)


def descent_panels_figure(panels: list, titles: list[str], x_label: str, size: tuple[float, float]):
    """Side by side, one panel per descent run (a ``ContourData`` for two variables, a ``Curve`` for
    one), then the panel of f(x_k) against k; returns the figure, the runs' axes and the values' axes.
    The paths and values are drawn by the caller (they move, in an animation)."""
    count = len(panels) + 1
    width, height = size
    figure = FittedFigure(figsize=(min(0.75 * width * count, 24.0), height), dpi=DPI)
    figure.subplots_adjust(left=0.6 / (0.75 * width * count), right=1 - 0.2 / (0.75 * width * count),
                           bottom=0.5 / height, top=1 - 0.35 / height, wspace=0.35)
    run_axes = []
    for index, (panel, title) in enumerate(zip(panels, titles), start=1):
        axes = figure.add_subplot(1, count, index)
        if isinstance(panel, ContourData):
            draw_contour(figure, axes, panel, colorbar=False)
        else:
            window = draw_curves(axes, [panel])
            axes.set_xlim(panel.xs[0], panel.xs[-1])
            axes.set_ylim(*(window or _data_limits([panel])))
            axes.set_xlabel(x_label, fontstyle="italic")
            axes.grid(True, alpha=0.3)
        axes.set_title(title, fontsize="small")
        run_axes.append(axes)
    values = figure.add_subplot(1, count, count)
    values.set_xlabel("step k")
    values.set_title("f(x_k) against k", fontsize="small")
    values.grid(True, alpha=0.3)
    return figure, run_axes, values


def release_drawing(figure: Figure) -> None:
    """Let go of what drawing left in the figure: each text keeps the renderer it was drawn with (the
    whole pixel buffer, 1.2 MB, or 4.9 MB for retina) and each axis its tick artists. A result in
    IPython's Out cache keeps its figure, so without this every displayed cell pinned them (3 MB a
    cell). Drawing again makes them anew."""
    for text in figure.findobj(lambda artist: isinstance(artist, Text)):
        text._renderer = None  # matplotlib's own cache of it (Text.draw sets it; None is its start value)
    for axes in figure.axes:
        for axis in (axes.xaxis, axes.yaxis, getattr(axes, "zaxis", None)):
            if axis is not None:
                axis.reset_ticks()


def figure_bytes(figure: Figure, figure_format: str) -> tuple[dict, dict]:
    """MIME data and metadata for a figure: PNG, retina PNG (double resolution) or SVG.

    The metadata says what the image needs behind it (``needs_background``: "light" or "dark", the
    theme it was drawn in), where JupyterLab reads it (top level), for figures made here."""
    buffer = io.BytesIO()
    themed_figure = isinstance(figure, ThemedFigure)
    metadata = {"needs_background": figure.palette.name} if themed_figure else {}
    if figure_format == "svg":
        figure.savefig(buffer, format="svg")
        release_drawing(figure)
        return {"image/svg+xml": buffer.getvalue().decode("utf-8")}, metadata
    scale = 2 if figure_format == "retina" else 1
    figure.savefig(buffer, format="png", dpi=DPI * scale)
    release_drawing(figure)
    width, height = figure.get_size_inches() * DPI
    if scale > 1:
        metadata["image/png"] = {"width": int(width), "height": int(height)}
    return {"image/png": buffer.getvalue()}, metadata


@dataclass
class Segment:
    """A straight or curved piece drawn over part of the range: a tangent, normal, secant or Taylor polynomial."""

    xs: np.ndarray
    ys: np.ndarray
    label: str
    color: str
    style: str = "-"


@dataclass
class SurfacePanel:
    """A two-variable function near one or more points: its surface and tangent planes."""

    title: str
    grid_x: np.ndarray
    grid_y: np.ndarray
    heights: np.ndarray
    planes: list  # (plane_x, plane_y, plane_z, point (a, b, f(a, b)), label)
    labels: tuple[str, str]


def _data_limits(curves: list[Curve]) -> tuple[float, float]:
    values = np.concatenate([c.ys[np.isfinite(c.ys)] for c in curves] + [np.zeros(0)])
    if not values.size:
        return -1.0, 1.0
    low, high = float(values.min()), float(values.max())
    pad = 0.08 * (high - low) if high > low else 1.0
    return low - pad, high + pad


@dataclass
class CurveData:
    """An implicit curve F(x, y) = 0 on a grid, with tangent lines at points on it."""

    grid_x: np.ndarray
    grid_y: np.ndarray
    heights: np.ndarray  # F on the grid: the curve is its zero level
    points: list  # (x, y) marked on the curve
    segments: list[Segment]  # tangent lines
    labels: tuple[str, str]
    title: str


def implicit_curve_figure(data: CurveData, size: tuple[float, float]) -> Figure:
    """The curve F = 0 (its zero contour), the points on it and their tangents, with equal axes."""
    figure = fixed_margins(FittedFigure(figsize=size, dpi=DPI))
    axes = figure.add_subplot()
    colors = palette()
    heights = np.where(np.isfinite(data.heights), data.heights, np.nan)
    if np.nanmin(heights) < 0 < np.nanmax(heights):
        axes.contour(data.grid_x, data.grid_y, heights, levels=[0], colors=[colors.tone("#1f77b4")], linewidths=2)
    axes.plot([], [], color=colors.tone("#1f77b4"), linewidth=2, label=mathtext_or_plain(data.title))  # the contour's legend
    for segment in data.segments:
        axes.plot(segment.xs, segment.ys, segment.style, color=colors.tone(segment.color), linewidth=1.4,
                  label=mathtext_or_plain(segment.label))
    for point in data.points:
        axes.plot(*point, "o", color=colors.ink, markersize=6, zorder=4)
    axes.set_xlim(data.grid_x.min(), data.grid_x.max())
    axes.set_ylim(data.grid_y.min(), data.grid_y.max())
    axes.set_aspect("equal", adjustable="box")
    axes.axhline(0, color=palette().faint, linewidth=0.8, zorder=0)
    axes.axvline(0, color=palette().faint, linewidth=0.8, zorder=0)
    axes.set_xlabel(data.labels[0], fontstyle="italic")
    axes.set_ylabel(data.labels[1], fontstyle="italic")
    axes.grid(True, alpha=0.3)
    axes.legend(loc="best", fontsize="small", framealpha=0.85).set_in_layout(False)
    return figure


def implicit_curves_figure(data: CurveData, more: list[tuple[str, np.ndarray]], size: tuple[float, float]) -> Figure:
    """``implicit_curve_figure`` with further curves on the same grid (``more``: each one's label and F on
    the grid), each its zero contour in a colour of its own, named in the legend."""
    figure = implicit_curve_figure(data, size)
    axes = figure.axes[0]
    for (label, heights), color in zip(more, [palette().tone(c) for c in COLORS[1:]] * 4):
        heights = np.where(np.isfinite(heights), heights, np.nan)
        if np.nanmin(heights) < 0 < np.nanmax(heights):
            axes.contour(data.grid_x, data.grid_y, heights, levels=[0], colors=[color], linewidths=2)
        axes.plot([], [], color=color, linewidth=2, label=mathtext_or_plain(label))
    handles, labels = axes.get_legend_handles_labels()
    curves = [0] + list(range(len(handles) - len(more), len(handles)))  # the curves first, then the lines
    order = curves + [i for i in range(len(handles)) if i not in curves]
    # beside the axes, where the equal aspect leaves room, not over the curve
    axes.set_anchor("W")
    axes.legend([handles[i] for i in order], [labels[i] for i in order], loc="upper left",
                bbox_to_anchor=(1.02, 1.0), fontsize="x-small" if max(map(len, labels)) > 26 else "small",
                framealpha=0.85)
    return figure


@dataclass
class LevelData:
    """Level curves of f on a grid, constraint curves (zero levels), and marked points (``--subject-to``)."""

    grid_x: np.ndarray
    grid_y: np.ndarray
    heights: np.ndarray  # f on the grid
    levels: list[float]  # f at the marked points: its level curves through them
    constraints: list[tuple[np.ndarray, str]]  # (g on the grid, its label)
    points: list[tuple[tuple[float, float], str]]  # (point, kind)
    labels: tuple[str, str]


def level_curves_figure(data: LevelData, size: tuple[float, float]) -> Figure:
    """f's level curves (those through the points bold) with the constraint curves and the points."""
    figure = fixed_margins(FittedFigure(figsize=size, dpi=DPI))
    axes = figure.add_subplot()
    heights = np.where(np.isfinite(data.heights) & (np.abs(data.heights) < LARGEST_DRAWN), data.heights, np.nan)
    finite = heights[np.isfinite(heights)]
    colors = palette()
    if finite.size and finite.min() < finite.max():
        low, high = np.percentile(finite, [2, 98])
        axes.contour(data.grid_x, data.grid_y, heights, levels=np.linspace(low, high, 12),
                     cmap=colour_map(colors.level_map),
                     linewidths=0.6, alpha=0.6)
        through = sorted({round(level, 12) for level in data.levels if low - (high - low) <= level <= high + (high - low)})
        if through:
            axes.contour(data.grid_x, data.grid_y, heights, levels=through, colors=[colors.tone("#555555")],
                         linewidths=1.4, linestyles="--")
            axes.plot([], [], "--", color=colors.tone("#555555"), label="level curves of f through the points")
    constraint_colors = [colors.tone(c) for c in ("#1f77b4", "#9467bd", "#8c564b")]
    for index, (values, label) in enumerate(data.constraints):
        values = np.where(np.isfinite(values), values, np.nan)
        color = constraint_colors[index % 3]
        if np.nanmin(values) < 0 < np.nanmax(values):
            axes.contour(data.grid_x, data.grid_y, values, levels=[0], colors=[color], linewidths=2.2)
        axes.plot([], [], color=color, linewidth=2.2, label=mathtext_or_plain(label))
    shown = set()
    for point, kind in data.points:
        marker, color = CONSTRAINED_MARKERS.get(kind, ("D", "#7f7f7f"))
        axes.plot(*point, marker, color=colors.tone(color), markeredgecolor=colors.ink, markersize=9, zorder=5,
                  label=kind.split(" (")[0].split(":")[0] if kind not in shown else None)
        shown.add(kind)
    axes.set_xlim(data.grid_x.min(), data.grid_x.max())
    axes.set_ylim(data.grid_y.min(), data.grid_y.max())
    axes.set_aspect("equal", adjustable="box")
    axes.set_xlabel(data.labels[0], fontstyle="italic")
    axes.set_ylabel(data.labels[1], fontstyle="italic")
    axes.legend(loc="best", fontsize="x-small", framealpha=0.85).set_in_layout(False)
    return figure


CONSTRAINED_MARKERS = {"constrained local minimum": ("o", "#2ca02c"), "constrained local maximum": ("^", "#d62728")}


def lines_and_surfaces_figure(curves: list[Curve], segments: list[Segment], surfaces: list[SurfacePanel],
                              x_label: str, size: tuple[float, float]) -> Figure:
    """Curves with their tangent lines in one panel; each two-variable surface with its planes in another."""
    panels = (1 if curves else 0) + len(surfaces)
    width, height = size
    figure = FittedFigure(figsize=(width * panels if panels > 1 else width, height), dpi=DPI)
    figure.subplots_adjust(left=0.65 / (width * panels), right=1 - 0.15 / (width * panels),
                           bottom=0.5 / height, top=1 - 0.3 / height, wspace=0.3)
    index = 1
    if curves:
        axes = figure.add_subplot(1, panels, index)
        index += 1
        window = draw_curves(axes, curves)
        for segment in segments:
            axes.plot(segment.xs, segment.ys, segment.style, color=palette().tone(segment.color), linewidth=1.4,
                      label=mathtext_or_plain(segment.label))
        # the curves' own limits: tangent lines and secants do not stretch them
        axes.set_ylim(*(window or _data_limits(curves)))
        axes.set_xlim(curves[0].xs[0], curves[0].xs[-1])
        axes.axhline(0, color=palette().faint, linewidth=0.8, zorder=0)
        axes.set_xlabel(x_label, fontstyle="italic")
        axes.set_ylabel("y")
        axes.grid(True, alpha=0.3)
        labels = axes.get_legend_handles_labels()[1]
        if len(labels) > 6:  # many lines: the legend goes beside the axes, not over the curves
            beside = 0.6 + 0.055 * max(map(len, labels))  # inches, a guess: the drawn figure widens it if need be
            figure.set_size_inches(figure.get_size_inches()[0] + beside, height)
            figure.subplots_adjust(right=1 - (beside + 0.15) / figure.get_size_inches()[0])
            axes.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize="x-small", borderaxespad=0)
        else:
            axes.legend(loc="best", fontsize="small").set_in_layout(False)
    for panel in surfaces:
        axes = figure.add_subplot(1, panels, index, projection="3d")
        index += 1
        axes.plot_surface(panel.grid_x, panel.grid_y, np.where(np.isfinite(panel.heights), panel.heights, np.nan),
                          cmap="viridis", alpha=0.75, linewidth=0)
        for plane_x, plane_y, plane_z, point, _ in panel.planes:
            axes.plot_surface(plane_x, plane_y, plane_z, color=palette().tone("#d62728"), alpha=0.45, linewidth=0)
            axes.scatter(*[[c] for c in point], color=palette().ink, s=25, depthshade=False)
        axes.set_xlabel(panel.labels[0])
        axes.set_ylabel(panel.labels[1])
        axes.set_title(mathtext_or_plain(panel.title), fontsize="small")
    return figure


# --- windows, where the user chose a GUI backend -----------------------------------------------

_windows: dict[int, object] = {}  # number -> figure manager of each window still open


def chosen_backend() -> str | None:
    """The backend the user chose for pyplot (``%matplotlib ...``, ``matplotlib.use``), or None where pyplot is
    not imported or none is chosen yet. Nothing is imported or resolved that was not: the choice stays the user's."""
    if "matplotlib.pyplot" not in sys.modules:
        return None
    import matplotlib

    try:
        return matplotlib.get_backend(auto_select=False) or None
    except TypeError:  # matplotlib before 3.10
        return matplotlib.rcParams._get_backend_or_none()


def window_backend() -> str | None:
    """The GUI backend (TkAgg, QtAgg, ...) the user chose for pyplot, or None.

    Only what is already there is read: pyplot imported by the user (``%matplotlib tk``,
    ``%matplotlib qt``, ``%matplotlib`` alone, or ``import matplotlib.pyplot`` with a GUI default)
    and its backend already chosen. Nothing is imported or resolved here that was not, so the
    user's backend stays as it is; Agg, inline and other non-GUI backends give None.
    """
    backend = chosen_backend()
    if not backend:
        return None
    try:
        framework = _backend_module(backend).FigureCanvas.required_interactive_framework
    except Exception:  # a backend that cannot even be loaded shows no window
        return None
    return backend if framework not in (None, "headless") else None


def _backend_module(backend: str):
    try:
        from matplotlib.backends import backend_registry  # matplotlib 3.9 and later
    except ImportError:
        name = backend[9:] if backend.startswith("module://") else f"matplotlib.backends.backend_{backend.lower()}"
        return importlib.import_module(name)
    return backend_registry.load_backend_module(backend)


def show_in_window(figure: Figure, backend: str, title: str = "") -> object:
    """Open ``figure`` in a window of ``backend`` (the event loop IPython runs for it keeps it live).

    The window is the backend's own, with its toolbar, but pyplot does not manage it: closing it
    closes it, and ``plt.close("all")`` leaves it alone. Returns the figure manager.
    """
    number = max(_windows, default=0) + 1
    manager = _backend_module(backend).FigureCanvas.new_manager(figure, number)
    manager.set_window_title(title or f"ipython_gradients figure {number}")
    _windows[number] = manager
    manager.canvas.mpl_connect("close_event", lambda event: _windows.pop(number, None))
    manager.show()
    figure.canvas.draw_idle()
    return manager


@dataclass
class GraphBox:
    """One node of a computational graph as drawn: where, what it says, and what kind it is."""

    x: float
    y: float
    text: str
    kind: str  # "input", "operation", "output" (or "constant")


@dataclass
class GraphArrow:
    """An edge from one box to another, labelled with its local partial (and its value)."""

    source: int
    target: int
    label: str


def graph_figure(boxes: list[GraphBox], arrows: list[GraphArrow], title: str, size: tuple[float, float]) -> Figure:
    """A computational graph: boxes at their positions (inputs left, output right), arrows with their labels.

    Drawn with matplotlib alone (no Graphviz); the figure grows with the graph's width and height.
    """
    from matplotlib.patches import FancyArrowPatch

    columns = max(b.x for b in boxes) + 1 if boxes else 1
    rows = max(b.y for b in boxes) + 1 if boxes else 1
    width = max(size[0], 2.3 * columns)
    height = max(size[1], 1.1 * rows + 0.8)
    figure = ThemedFigure(figsize=(width, height), dpi=DPI)
    tone = figure.palette.tone
    axes = figure.add_axes((0.02, 0.02, 0.96, 0.88))
    axes.set_axis_off()
    axes.set_xlim(-0.6, columns - 0.4)
    axes.set_ylim(rows - 0.5, -0.5)
    colors = {"input": "#dbe9f6", "operation": "#f2f2f2", "output": "#fde0c5", "constant": "#f2f2f2"}
    texts = []
    for box in boxes:
        texts.append(axes.text(box.x, box.y, box.text, ha="center", va="center", fontsize=8, zorder=3,
                               bbox={"boxstyle": "round,pad=0.4", "facecolor": tone(colors.get(box.kind, "#f2f2f2")),
                                     "edgecolor": tone("#444444")}))
    for arrow in arrows:
        start, end = boxes[arrow.source], boxes[arrow.target]
        axes.add_patch(FancyArrowPatch((start.x, start.y), (end.x, end.y), arrowstyle="-|>", mutation_scale=10,
                                       color=tone("#555555"), linewidth=0.9, zorder=1, shrinkA=26, shrinkB=26,
                                       connectionstyle="arc3,rad=0.08"))
        axes.text(0.7 * start.x + 0.3 * end.x, 0.7 * start.y + 0.3 * end.y - 0.1, arrow.label, ha="center",
                  va="center", fontsize=7, color=tone("#8a2be2"), zorder=2,
                  bbox={"boxstyle": "round,pad=0.1", "facecolor": figure.palette.paper, "edgecolor": "none",
                        "alpha": 0.8})
    figure.suptitle(title, fontsize=10)
    return figure
