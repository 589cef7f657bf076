"""Autodiff as a command shows it (``--graph``, ``--mode``): the sweeps at the points and their verdicts.

Owns what ``grad`` and ``deriv`` do with ``autodiff``: checking that a function can be drawn as a
graph (a formula, a point, first derivatives), sweeping it at each point in reverse or forward mode,
the verdict that sets each sweep beside the symbolic derivative (equal, differing, or no number from
the sweep and why), and the figure of the graph (plain data for ``plotting.graph_figure``). Avoids
the API's keywords and the rendering (``results/graph.py``).
"""

from __future__ import annotations

import math

import numpy as np

from .autodiff import Graph, GraphError, SweptGraph, as_float, sweep_all
from .derivatives import latex_coordinates
from .errors import NoPlot, OptionError
from .expressions import ParsedFunction
from .gradients import GradFunction, NumericGradient
from .results.notation import format_number
from .results.values import GradientPoint, PointValue
from .settings import Settings

MODES = ("reverse", "forward")
MAX_DRAWN_NODES = 40  # a figure of more boxes than this is taller or wider than a screen
AUTODIFF_NOTE = ("Evaluated by automatic differentiation (--method autodiff): a reverse sweep over the "
                 "computational graph of the formula, in floating point; --graph shows it.")


def _graph(expr, variables) -> Graph:
    try:
        return Graph.of(expr, variables)
    except GraphError as error:
        raise OptionError(f"--method autodiff: {error}") from None


def _unknown(problem: str) -> str:
    return f"autodiff gives no number here: {problem} (--method symbolic analyses the point)"


def autodiff_point(function: ParsedFunction, variable, point) -> PointValue:
    """∂f/∂variable at a point from one reverse sweep in floating point, or why the sweep gives none."""
    extra = function.expr.free_symbols - set(function.variables)
    if extra:
        raise OptionError(f"cannot evaluate at points: the expression also depends on "
                          f"{', '.join(sorted(s.name for s in extra))}")
    sweep = _graph(function.expr, function.variables).reverse(tuple(point), exact=False)
    if sweep.result is None:
        if "f is not defined" in sweep.problem:  # a node has no real value there (autodiff.evaluate)
            return PointValue(status="undefined", reason=sweep.problem)
        return PointValue(status="unknown", reason=_unknown(sweep.problem))
    value = as_float(sweep.result[function.variables.index(variable)])
    meaning = "increasing" if value > 0 else "decreasing" if value < 0 else "stationary (the sweep gives 0)"
    return PointValue(status="ok", value=value, meaning=meaning, method="autodiff, reverse mode")


class AutodiffGradient(NumericGradient):
    """Gradient values from reverse sweeps over the formula's graph (``--method autodiff``, a ``GradientEngine``).

    The gradient at each point and along a descent come from the sweep; critical points are the
    numeric engine's (inherited): a sweep gives values at points, not equations to solve.
    """

    def __init__(self, function: GradFunction):
        super().__init__(function)
        if function.expr is None:
            raise OptionError(f"--method autodiff sweeps a formula, and {self.name} could not be traced")
        extra = function.expr.free_symbols - set(self.variables)
        if extra:
            raise OptionError(f"cannot evaluate at points: the expression also depends on "
                              f"{', '.join(sorted(s.name for s in extra))}")
        self.graph = _graph(function.expr, self.variables)

    def at(self, point, texts, unit, with_hessian: bool) -> GradientPoint:
        common = dict(point=tuple(float(c) for c in point), label=texts, latex_label=latex_coordinates(point, texts))
        sweep = self.graph.reverse(tuple(point), exact=False)
        if sweep.result is None:
            if "f is not defined" in sweep.problem:  # a node has no real value there (autodiff.evaluate)
                return GradientPoint(reason=sweep.problem, **common)
            return GradientPoint(reason="unknown: " + _unknown(sweep.problem), **common)
        gradient = tuple(as_float(g) for g in sweep.result)
        extras = {"stationary": all(g == 0 for g in gradient), "method": "autodiff, reverse mode"}
        if unit is not None:
            extras["directional"] = sum(g * float(u) for g, u in zip(gradient, unit))
        return GradientPoint(gradient=gradient, **common, **extras)

    def gradient_at(self, point) -> np.ndarray:
        sweep = self.graph.reverse(tuple(float(c) for c in point), exact=False)
        if sweep.result is None:
            return np.full(len(self.variables), np.nan)
        return np.array([as_float(g) if as_float(g) is not None else np.nan for g in sweep.result])


def check_mode(mode, graph: bool) -> str:
    """--mode's value (default reverse); it only goes with --graph."""
    if mode is None:
        return "reverse"
    if not isinstance(mode, str) or mode not in MODES:
        raise OptionError(f"--mode must be reverse or forward, got {mode!r}")
    if not graph:
        raise OptionError("--mode chooses the sweep --graph shows: add --graph")
    return mode


def swept_graph(expr, variables, points, mode: str, direction, name: str) -> SweptGraph:
    """The graph of f swept at each point, or one line saying why it cannot be."""
    if expr is None:
        raise OptionError(f"--graph needs a formula, and {name} could not be traced with SymPy symbols")
    if not points:
        raise OptionError("--graph sweeps the graph at points: add --at")
    extra = expr.free_symbols - set(variables)
    if extra:
        raise OptionError(f"--graph needs numbers for every symbol: f also depends on "
                          f"{', '.join(sorted(s.name for s in extra))}")
    try:
        return sweep_all(expr, variables, [p for p, _ in points], mode, direction)
    except GraphError as error:
        raise OptionError(f"--graph: {error}") from None


def gradient_verdicts(swept: SweptGraph, points, digits: int, source: str = "symbolic") -> list[str]:
    """Per point: the sweep's gradient (or directional derivative) beside the symbolic one (``GradientPoint``)."""
    verdicts = []
    for sweep, p in zip(swept.sweeps, points):
        if swept.mode == "reverse":
            theirs = p.gradient
            ours = None if sweep.result is None else tuple(as_float(g) for g in sweep.result)
            what = "∇f"
        else:
            theirs = p.directional if p.gradient is not None else None
            ours = None if sweep.result is None else as_float(sweep.result)
            what = "D_u f"
        bound = 2 * max(p.errors) if getattr(p, "errors", None) is not None else None
        verdicts.append(_verdict(what, ours, theirs, sweep.problem, p.reason, digits, bound, source))
    return verdicts


def derivative_verdicts(swept: SweptGraph, index: int, points, digits: int, source: str = "symbolic") -> list[str]:
    """Per point: the sweep's ∂f/∂(variable ``index``) beside the symbolic value (``PointValue``)."""
    verdicts = []
    for sweep, p in zip(swept.sweeps, points):
        if sweep.result is None:
            ours = None
        elif swept.mode == "reverse":
            ours = as_float(sweep.result[index])
        else:
            ours = as_float(sweep.result)
        theirs = p.value if p.status == "ok" else None
        reason = p.reason or p.status
        bound = 2 * p.error if p.status == "ok" and getattr(p, "error", None) else None
        verdicts.append(_verdict("the derivative", ours, theirs, sweep.problem, reason, digits, bound, source))
    return verdicts


def _text(value, digits: int) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(format_number(v, digits) for v in value) + ")"
    return format_number(value, digits)


def _same(a, b, bound: float | None = None) -> bool:
    if isinstance(a, tuple):
        return len(a) == len(b) and all(_same(x, y, bound) for x, y in zip(a, b))
    if a is None or b is None:
        return False
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) or (bound is not None and abs(a - b) <= bound)


def _verdict(what: str, ours, theirs, problem: str | None, reason: str | None, digits: int,
             bound: float | None = None, source: str = "symbolic") -> str:
    """The sweep's end beside the value the result shows, computed by ``source`` (symbolic, numeric, autodiff)."""
    if problem is not None:
        symbolic = (f"the {source} analysis gives {what} = {_text(theirs, digits)}" if theirs is not None
                    else f"the {source} analysis says: {reason or 'no value'}")
        return f"The sweep gives no number here: {problem}; {symbolic}."
    if theirs is None:
        return (f"The sweep gives {what} = {_text(ours, digits)}, but the {source} analysis says: "
                f"{reason or 'no value'}; the sweep's number is not a derivative here.")
    if _same(ours, theirs, bound):
        if bound is not None:
            return (f"The sweep ends at {what} = {_text(ours, digits)}, equal to the numeric value within its "
                    f"error bound ({bound:.1e}).")
        return f"The sweep ends at {what} = {_text(ours, digits)}, equal to the {source} value."
    return (f"The sweep ends at {what} = {_text(ours, digits)}, which differs from the {source} value "
            f"{_text(theirs, digits)}: unknown which is right.")


def graph_figure(swept, settings: Settings):
    """The computational graph of ``--graph`` at the first point: values and adjoints (or tangents) on it."""
    from .autodiff import shown
    from .plotting import GraphArrow, GraphBox, graph_figure as draw

    graph, sweep = swept.graph, swept.sweeps[0]
    if len(graph.nodes) > MAX_DRAWN_NODES:
        raise NoPlot(f"the computational graph has {len(graph.nodes)} nodes, more than can be drawn legibly "
                     f"({MAX_DRAWN_NODES}); r.graph.dot() gives it for Graphviz, and the table shows every node")
    depth = graph.layers()
    taken: dict[int, int] = {}
    boxes = []
    extra = sweep.adjoints if swept.mode == "reverse" else sweep.tangents
    mark = "v̄" if swept.mode == "reverse" else "v̇"
    digits = max(settings.precision + 1, 3)
    for node in graph.nodes:
        row = taken.get(depth[node.index], 0)
        taken[depth[node.index]] = row + 1
        text = node.formula + f"\n= {shown(sweep.values[node.index], digits)}"
        if extra is not None:
            text += f"\n{mark} = {shown(extra[node.index], digits)}"
        kind = "output" if node.index == graph.output else node.kind
        boxes.append(GraphBox(depth[node.index], row, text, kind))
    arrows = []
    for edge in graph.edges:
        value = sweep.partials.get((edge.source, edge.target))
        label = f"∂={edge.partial}" + (f"={shown(value, digits)}" if value is not None and
                                        edge.partial != shown(value, digits) else "")
        arrows.append(GraphArrow(edge.source, edge.target, label))
    point = ", ".join(shown(c, digits) for c in sweep.point)
    if swept.mode == "reverse":
        title = f"Reverse mode at ({point}): values forward, adjoints v̄ = ∂f/∂v backward"
    else:
        title = f"Forward mode at ({point}): values and tangents v̇ forward"
    if sweep.problem:
        title += "\n(no derivative from the sweep: see the text)"
    return draw(boxes, arrows, title, settings.figure_size)
