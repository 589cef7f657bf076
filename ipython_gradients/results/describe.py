"""A figure's description in words: what a screen reader says, and what a text-only frontend shows.

``describe(result, figure)`` writes one or two sentences from the analysis the figure was drawn
from (never from its pixels): which functions over which range, the points marked and what they
mean, the critical points and a descent path. Figures without a description of their own (a
computational graph, a curve, level curves) are described by their title, axes and legend.

Owns the words; avoids drawing (it reads the figure's axes limits and legend texts only).
"""

from __future__ import annotations

from .notation import format_number, unicode_text

MAX_LISTED = 6  # points named in a description; more are counted


def describe(result, figure) -> str:
    """The description of ``figure``, drawn for ``result`` (a derivative's, a gradient's or tangents',
    told apart by what they hold: this module is below the result classes)."""
    try:
        if hasattr(result, "curve_label") and result.curve is None and getattr(result, "graph", None) is None:
            return _derivative(result, figure)
        if hasattr(result, "critical") and not result.constraints and len(result.variables) == 2 \
                and result.expr is not None and getattr(result, "graph", None) is None:
            return _gradient(result, figure)
        if hasattr(result, "lines") and hasattr(result, "functions"):
            return _tangent(result, figure)
    except (AttributeError, IndexError, TypeError, ValueError):  # an unusual figure: described as drawn
        pass
    return _as_drawn(figure)


def _range(axes) -> str:
    low, high = axes.get_xlim()
    return f"[{_number(low)}, {_number(high)}]"


def _number(value: float) -> str:
    return f"{value:.3g}".replace("-", "−")


def _listed(items: list[str]) -> str:
    shown = items[:MAX_LISTED]
    more = f" and {len(items) - MAX_LISTED} more" if len(items) > MAX_LISTED else ""
    return ", ".join(shown) + more


def _derivative(result, figure) -> str:
    x = result.function_variables[0]
    name = result._function_name()
    if result.quotients and result.points:  # --definition: f with secants closing in on the tangent
        point = result.points[0]
        tangent = " and the tangent there" if point.status == "ok" else ""
        return (f"Graph of {name}({x}) = {unicode_text(result.expr)} on {_range(figure.axes[0])}, with secants "
                f"through {x} = {', '.join(point.label)} and {x} = {', '.join(point.label)} ± h for shrinking h"
                f"{tangent}.")
    curves = [f"{name}({x}) = {unicode_text(result.expr)}" if result.expr is not None else f"{name}({x})"]
    if result.derivative is not None:
        curves.append(f"{result.curve_label(result.order)} = {unicode_text(result.derivative)}")
    else:
        curves.append(result.curve_label(result.order))
    text = f"Graph of {' and '.join(curves)} on {_range(figure.axes[0])}"
    marks = []
    for p in result.points:
        words = p.meaning if p.status == "ok" else (p.reason or p.status)
        marks.append(f"{x} = {', '.join(p.label)}" + (f" ({words})" if words else ""))
    return text + (f"; marked points at {_listed(marks)}." if marks else ".")


def _gradient(result, figure) -> str:
    axes = figure.axes[0]
    x, y = result.variables
    (low_y, high_y) = axes.get_ylim()
    text = (f"Contour plot of {result._name()}({x}, {y}) = {unicode_text(result.expr)} on {_range(axes)} × "
            f"[{_number(low_y)}, {_number(high_y)}], with arrows along ∇{result._name()}")
    parts = [text]
    points = [f"({', '.join(p.label)})" for p in result.points]
    if points:
        parts.append(f"points {_listed(points)} with their gradient vectors")
    if result.critical:
        parts.append("critical points: " + _listed([f"({', '.join(_number(c) for c in cp.point)}) {cp.kind}"
                                                   for cp in result.critical]))
    if result.descent is not None and len(result.descent.path):
        start, end = result.descent.path[0], result.descent.path[-1]
        parts.append(f"a gradient descent path from ({', '.join(_number(c) for c in start)}) to "
                     f"({', '.join(_number(c) for c in end)}), {result.descent.status}")
    return "; ".join(parts) + "."


def _tangent(result, figure) -> str:
    if any(getattr(expr, "is_Equality", False) for _, expr, _ in result.functions):
        return _curve_tangent(result, figure)
    functions = [f"{name}({', '.join(str(v) for v in variables)}) = {unicode_text(expr)}"
                 for name, expr, variables in result.functions if expr is not None]
    lines = []
    for line in result.lines:
        if line.kind in ("line", "taylor") and line.slope is not None:
            lines.append(f"{line.name} at {', '.join(line.label)} (slope {format_number(line.slope, 3)})")
        elif line.kind == "plane":
            lines.append(f"{line.name} at ({', '.join(line.label)}) (tangent plane)")
        elif line.kind == "vertical":
            lines.append(f"{line.name} at {', '.join(line.label)} (vertical tangent)")
    text = f"Graph of {', '.join(functions) or 'the functions'}"
    if figure.axes and figure.axes[0].name == "rectilinear":
        text += f" on {_range(figure.axes[0])}"
    return text + (f", with tangents: {_listed(lines)}." if lines else ".")


def _curve_tangent(result, figure) -> str:
    """Curves F(x, y) = 0 drawn as zero contours, with the tangents (and normals) at their points."""
    axes = figure.axes[0]
    curves = " and ".join(name for name, _, _ in result.functions)
    text = f"The curve{'s' if len(result.functions) > 1 else ''} {curves} on {_range(axes)} × " \
           f"[{_number(axes.get_ylim()[0])}, {_number(axes.get_ylim()[1])}], equal scales"
    several = len(result.functions) > 1
    marks = []
    for line in result.lines:
        at = f"({', '.join(line.label)})" + (f" on {line.name}" if several else "")
        if line.kind == "line":
            what = f"tangent slope {format_number(line.slope, 3)}"
        elif line.kind == "vertical":
            what = "vertical tangent"
        else:
            what = "no tangent line: " + line.reason.split(":")[0]
        marks.append(f"{at} ({what}{', with its normal' if line.normal and line.kind != 'none' else ''})")
    return text + (f"; points {_listed(marks)}." if marks else ".")


def _as_drawn(figure) -> str:
    """A figure described by what it shows: each panel's title, axes and legend."""
    panels = []
    for axes in figure.axes:
        if axes.get_label() == "<colorbar>":
            continue
        legend = axes.get_legend()
        shown = [t.get_text() for t in legend.get_texts()] if legend is not None else []
        title = axes.get_title()
        labels = " and ".join(label for label in (axes.get_xlabel(), axes.get_ylabel()) if label)
        words = (title or "a panel") + (f" over {labels}" if labels else "")
        panels.append(words + (f", showing {_listed(shown)}" if shown else ""))
    return ("Figure: " + "; ".join(panels) + ".") if panels else "Figure."
