"""Automatic differentiation, shown: the computational graph of a SymPy expression and its sweeps.

Owns ``Graph`` (inputs, one node per elementary operation, the output; edges carrying each
operation's local partial derivative), the forward evaluation of its nodes at a point, the reverse
sweep (adjoints from the output back to the inputs: the gradient) and the forward sweep (tangents,
dual numbers, from the inputs to the output: a directional derivative), each with exact SymPy
numbers or floats, and the graph as DOT text. Shared subexpressions are one node, so adjoints add up
along every path, as in any reverse-mode framework.

Never a silent convention: where an operation is at a corner or jump (|v| at 0, max with tied
arguments, sign, floor) or a local partial is not a finite real number (√v at 0), the sweep's
result is None with the reason, where JAX or PyTorch would return a convention or NaN. Avoids
results, rendering and drawing: ``layers`` gives plain positions for whoever draws the graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from .calculus import classify_number

# Operations whose derivative is a convention at some arguments (a corner or a jump there).
_SWITCHES = (sp.Abs, sp.Max, sp.Min, sp.sign, sp.floor, sp.ceiling, sp.Heaviside)


_KINDS = {  # what a node's value that is not a real float means, after its formula
    "complex": "is not real there: f is not defined there",
    "undefined": "is undefined there (0/0, or ∞ without a sign): f is not defined there",
    "infinite": "is infinite there: f is not defined there",
    "overflow": "is too large for floating point there (f is defined, the sweep cannot carry it)",
}


class GraphError(ValueError):
    """An expression that cannot be drawn as a graph of elementary operations (a piecewise definition)."""


@dataclass(frozen=True)
class Node:
    """One vertex: an input (a variable), a constant output, or an elementary operation."""

    index: int
    name: str  # "x" for an input, "v3" for an operation
    kind: str  # "input", "constant" or "operation"
    operation: str  # "x", "+", "×", "sin", "^2", ...
    formula: str  # "v3 = sin(v1)"; for an input, its name
    expr: sp.Expr  # the subexpression of f this node computes
    args: tuple[int, ...] = ()  # the nodes it reads


@dataclass(frozen=True)
class Edge:
    """From an argument to the operation that reads it, with the local partial ∂target/∂source."""

    source: int
    target: int
    partial: str  # "cos(v1)", in the nodes' names


@dataclass(frozen=True)
class Sweep:
    """One sweep at one point: every node's value, the local partials, and adjoints or tangents.

    ``result`` is the gradient (reverse mode, one entry per input) or the directional derivative
    (forward mode); None, with ``problem`` saying why, where the sweep cannot give a derivative.
    Values are SymPy numbers (exact where the point is), None past a node that is not defined.
    """

    mode: str  # "reverse" or "forward"
    point: tuple
    values: tuple
    partials: dict = field(default_factory=dict)  # (source, target) → value
    adjoints: tuple | None = None
    tangents: tuple | None = None
    direction: tuple | None = None
    result: object = None
    problem: str | None = None

    @property
    def gradient(self) -> tuple | None:
        return self.result if self.mode == "reverse" else None

    @property
    def directional(self):
        return self.result if self.mode == "forward" else None


@dataclass(frozen=True)
class Graph:
    """The computational graph of ``expr`` in ``variables``: nodes in evaluation order, edges, output."""

    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    output: int
    _locals: tuple = ()  # per node: (function of dummies, dummies, their partials), None for inputs

    # --- building ---------------------------------------------------------------------------
    @classmethod
    def of(cls, expr: sp.Expr, variables) -> "Graph":
        """The graph of ``expr``; subexpressions free of the variables are constants inside their operation."""
        variables = tuple(variables)
        expr = sp.sympify(expr)
        if expr.has(sp.Piecewise) or expr.atoms(sp.core.relational.Relational):
            raise GraphError("a piecewise definition is not a graph of elementary operations")
        nodes: list[Node] = [Node(k, v.name, "input", v.name, v.name, v) for k, v in enumerate(variables)]
        locals_: list = [None] * len(variables)
        edges: list[Edge] = []
        seen = {v: k for k, v in enumerate(variables)}
        # operations are v1, v2, ...: w1, ... where a variable's name starts with v (a vector's v_1, v_2)
        prefix = next((p for p in ("v", "w", "u", "t") if not any(v.name.startswith(p) for v in variables)), "node")

        def names(k: int) -> sp.Symbol:
            return sp.Symbol(nodes[k].name)

        def visit(e: sp.Expr) -> int:
            if e in seen:
                return seen[e]
            if not e.args or not (e.free_symbols & set(variables)):
                raise GraphError(f"{e} is not built from the variables by elementary operations")
            moving = [a for a in e.args if a.free_symbols & set(variables)]
            children = [visit(a) for a in dict.fromkeys(moving)]
            dummies = {a: sp.Dummy(f"d{i}", real=True) for i, a in enumerate(dict.fromkeys(moving))}
            local = e.func(*(dummies.get(a, a) for a in e.args))
            k = len(nodes)
            name = f"{prefix}{k - len(variables) + 1}"
            shown = local.xreplace({d: names(c) for d, c in zip(dummies.values(), children)})
            partials = tuple(_local_partial(local, d) for d in dummies.values())
            nodes.append(Node(k, name, "operation", _operation(e, moving), f"{name} = {shown}", e, tuple(children)))
            locals_.append((local, tuple(dummies.values()), partials))
            for child, d, partial in zip(children, dummies.values(), partials):
                edges.append(Edge(child, k, str(partial.xreplace({dd: names(c) for dd, c in
                                                                   zip(dummies.values(), children)}))))
            seen[e] = k
            return k

        if not (expr.free_symbols & set(variables)):
            k = len(nodes)
            nodes.append(Node(k, f"{prefix}1", "constant", str(expr), f"{prefix}1 = {expr}", expr))
            locals_.append((expr, (), ()))
            output = k
        else:
            output = visit(expr)
        return cls(expr, variables, tuple(nodes), tuple(edges), output, tuple(locals_))

    # --- sweeps ---------------------------------------------------------------------------
    def evaluate(self, point, exact: bool = True) -> tuple[tuple, str | None]:
        """Every node's value at ``point`` (forward evaluation), and the first problem met, if any."""
        if len(point) != len(self.variables):
            raise ValueError(f"the graph has {len(self.variables)} inputs, the point {len(point)} coordinates")
        values: list = [sp.nsimplify(c) if exact and isinstance(c, float) else
                        (sp.Float(float(c), 17) if not exact else sp.sympify(c)) for c in point]
        problem = None
        extra = self.expr.free_symbols - set(self.variables)
        if extra:
            raise ValueError(f"the expression also depends on {', '.join(sorted(s.name for s in extra))}")
        for node, local in zip(self.nodes[len(self.variables):], self._locals[len(self.variables):]):
            if problem is not None:
                values.append(None)
                continue
            function, dummies, _ = local
            value = function.xreplace(dict(zip(dummies, (values[c] for c in node.args))))
            if not exact:
                value = sp.N(value, 17)
            kind, _ = classify_number(value)
            if kind != "real":
                problem = f"{node.formula} {_KINDS.get(kind, 'is undefined there')}"
            values.append(value)
        return tuple(values), problem

    def _partials(self, values: tuple, exact: bool) -> tuple[dict, str | None]:
        """The local partial on every edge at these node values, and the first corner, jump or undefined one."""
        partials, problem = {}, None
        for node, local in zip(self.nodes, self._locals):
            if local is None or node.kind == "constant":
                continue
            function, dummies, derivatives = local
            at = dict(zip(dummies, (values[c] for c in node.args)))
            corner = _switch(node, function, [values[c] for c in node.args], values[node.index])
            if corner and problem is None:
                problem = corner
            for child, derivative in zip(node.args, derivatives):
                value = derivative.xreplace(at) if not derivative.has(sp.Derivative) else derivative
                if not exact:
                    value = sp.N(value, 17)
                if value.has(sp.Derivative, sp.Subs, sp.DiracDelta) or classify_number(value)[0] != "real":
                    if problem is None:
                        problem = (f"the local partial ∂{node.name}/∂{self.nodes[child].name} = "
                                   f"{self._edge(child, node.index).partial} is not a finite real number there "
                                   f"(in {node.formula})")
                    value = None
                partials[(child, node.index)] = value
        return partials, problem

    def _edge(self, source: int, target: int) -> Edge:
        return next(e for e in self.edges if e.source == source and e.target == target)

    def reverse(self, point, exact: bool = True) -> Sweep:
        """Reverse mode: v̄_out = 1, then v̄_k = Σ v̄_j ∂v_j/∂v_k over the operations j reading k; ∇f = input adjoints."""
        values, problem = self.evaluate(point, exact)
        if problem is not None:
            return Sweep("reverse", tuple(point), values, problem=problem)
        partials, problem = self._partials(values, exact)
        adjoints: list = [sp.Integer(0)] * len(self.nodes)
        adjoints[self.output] = sp.Integer(1)
        if problem is None:
            for node in reversed(self.nodes):
                for child in node.args:
                    adjoints[child] = adjoints[child] + adjoints[node.index] * partials[(child, node.index)]
            if not exact:
                adjoints = [sp.N(a, 17) for a in adjoints]
        result = None if problem else tuple(adjoints[: len(self.variables)])
        return Sweep("reverse", tuple(point), values, partials, tuple(adjoints) if not problem else None,
                     result=result, problem=problem)

    def forward(self, point, direction, exact: bool = True) -> Sweep:
        """Forward mode (dual numbers): v̇_input = the direction, v̇_j = Σ ∂v_j/∂v_k v̇_k; the output's is ∇f · direction."""
        if len(direction) != len(self.variables):
            raise ValueError(f"the direction has {len(direction)} coordinates, the graph {len(self.variables)} inputs")
        direction = tuple(sp.nsimplify(d) if exact and isinstance(d, float) else sp.sympify(d) for d in direction)
        values, problem = self.evaluate(point, exact)
        if problem is not None:
            return Sweep("forward", tuple(point), values, direction=direction, problem=problem)
        partials, problem = self._partials(values, exact)
        tangents: list = list(direction) + [sp.Integer(0)] * (len(self.nodes) - len(direction))
        if problem is None:
            for node in self.nodes[len(self.variables):]:
                tangents[node.index] = sum((partials[(c, node.index)] * tangents[c] for c in node.args), sp.Integer(0))
            if not exact:
                tangents = [sp.N(t, 17) for t in tangents]
        return Sweep("forward", tuple(point), values, partials, tangents=None if problem else tuple(tangents),
                     direction=direction, result=None if problem else tangents[self.output], problem=problem)

    # --- pictures -------------------------------------------------------------------------
    def layers(self) -> list[int]:
        """Each node's depth: 0 for the inputs, one more than its deepest argument otherwise."""
        depth = [0] * len(self.nodes)
        for node in self.nodes:
            if node.args:
                depth[node.index] = 1 + max(depth[c] for c in node.args)
        return depth

    def dot(self, sweep: Sweep | None = None, digits: int = 4) -> str:
        """The graph in Graphviz's DOT language; with a sweep, each node's value and adjoint (or tangent)."""
        lines = ["digraph f {", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];']
        for node in self.nodes:
            label = node.formula if node.kind == "operation" else node.name
            if sweep is not None:
                label += f"\\nvalue {shown(sweep.values[node.index], digits)}"
                extra = sweep.adjoints if sweep.mode == "reverse" else sweep.tangents
                if extra is not None:
                    mark = "adjoint" if sweep.mode == "reverse" else "tangent"
                    label += f"\\n{mark} {shown(extra[node.index], digits)}"
            shape = ', shape=ellipse' if node.kind == "input" else (', peripheries=2' if node.index == self.output else "")
            lines.append(f'  n{node.index} [label="{_quoted(label)}"{shape}];')
        for edge in self.edges:
            label = f"∂ = {edge.partial}"
            value = sweep.partials.get((edge.source, edge.target)) if sweep is not None else None
            if value is not None and shown(value, digits) != edge.partial:
                label += f" = {shown(value, digits)}"
            lines.append(f'  n{edge.source} -> n{edge.target} [label="{_quoted(label)}"];')
        lines.append("}")
        return "\n".join(lines) + "\n"


def shown(value, digits: int = 4) -> str:
    """A node's value, adjoint or tangent as short text: '—' for none."""
    if value is None:
        return "—"
    kind, number = classify_number(sp.sympify(value))
    if kind != "real":
        return {"overflow": "too large", "complex": "not real"}.get(kind, kind)
    return f"{number:.{digits}g}"


def as_float(value) -> float | None:
    if value is None:
        return None
    kind, number = classify_number(sp.sympify(value))
    return number if kind == "real" else None


def _quoted(text: str) -> str:
    return text.replace('"', '\\"')


def _operation(e: sp.Expr, moving: list) -> str:
    """A short name for the operation a node does, with the constants folded into it."""
    constants = [a for a in e.args if a not in moving]
    if isinstance(e, sp.Add):
        return "+" + (f" {sp.Add(*constants)}" if constants else "")
    if isinstance(e, sp.Mul):
        return "×" + (f" {sp.Mul(*constants)}" if constants else "")
    if isinstance(e, sp.Pow):
        base, exponent = e.args
        if base in moving and exponent in moving:
            return "^"
        return f"^{exponent}" if base in moving else f"{base}^"
    name = getattr(e.func, "__name__", str(e.func))
    return name + (f" {', '.join(map(str, constants))}" if constants else "")


def _switch(node: Node, function: sp.Expr, args: list, value) -> str | None:
    """Why this operation's local derivative is a convention at these arguments (a corner or jump), or None."""
    if not isinstance(node.expr, _SWITCHES):
        return None
    inner = node.expr.args
    moving_values = dict(zip([a for a in dict.fromkeys(a for a in inner if a.free_symbols)], args))
    full = [moving_values.get(a, a) for a in inner]
    where = f"{node.formula}"
    if isinstance(node.expr, sp.Abs) and _zero(full[0]):
        return f"{where} is at the corner of |·| (its argument is 0: slopes -1 on the left, 1 on the right)"
    if isinstance(node.expr, (sp.Max, sp.Min)) and sum(1 for a in full if _zero(a - value)) > 1:
        kind = "max" if isinstance(node.expr, sp.Max) else "min"
        return f"{where} is at a corner: two arguments of {kind} are equal there"
    if isinstance(node.expr, (sp.sign, sp.Heaviside)) and _zero(full[0]):
        return f"{where} jumps there (its argument is 0)"
    if isinstance(node.expr, (sp.floor, sp.ceiling)) and _integer(full[0]):
        return f"{where} jumps there (its argument is an integer)"
    return None


def _local_partial(local: sp.Expr, d: sp.Dummy) -> sp.Expr:
    """∂local/∂d; floor and ceiling are flat between their jumps (which ``_switch`` reports)."""
    if isinstance(local, (sp.floor, sp.ceiling)):
        return sp.Integer(0)
    return sp.diff(local, d)


def _zero(value) -> bool:
    value = sp.sympify(value)
    if value.is_Float:
        return float(value) == 0.0
    return sp.simplify(value).is_zero is True


def _integer(value) -> bool:
    value = sp.sympify(value)
    if value.is_Float:
        return float(value).is_integer()
    return value.is_integer is True


@dataclass(frozen=True)
class SweptGraph:
    """A graph with its sweeps at the points asked for: what ``r.graph`` holds for lecture notes.

    ``nodes``, ``edges`` and ``dot()`` describe the graph; ``values``, ``adjoints``, ``tangents``,
    ``partials`` and ``result`` are those of the first point's sweep (``sweeps`` has them all).
    """

    graph: Graph
    sweeps: tuple[Sweep, ...]
    mode: str  # "reverse" or "forward"

    @property
    def nodes(self) -> tuple[Node, ...]:
        return self.graph.nodes

    @property
    def edges(self) -> tuple[Edge, ...]:
        return self.graph.edges

    @property
    def output(self) -> int:
        return self.graph.output

    def _first(self, name: str):
        return getattr(self.sweeps[0], name) if self.sweeps else None

    @property
    def values(self):
        return self._first("values")

    @property
    def adjoints(self):
        return self._first("adjoints")

    @property
    def tangents(self):
        return self._first("tangents")

    @property
    def partials(self):
        return self._first("partials")

    @property
    def result(self):
        return self._first("result")

    def dot(self, point: int = 0, digits: int = 4) -> str:
        """DOT text of the graph with the values and adjoints (or tangents) of sweep ``point``."""
        return self.graph.dot(self.sweeps[point] if self.sweeps else None, digits)

    def __repr__(self) -> str:
        return (f"SweptGraph({len(self.nodes)} nodes, {len(self.edges)} edges, {self.mode} mode, "
                f"{len(self.sweeps)} point(s))")


def sweep_all(expr: sp.Expr, variables, points, mode: str, direction=None, exact: bool = True) -> SweptGraph:
    """The graph of ``expr`` swept at each point: reverse mode, or forward along ``direction``."""
    graph = Graph.of(expr, variables)
    if mode == "forward":
        sweeps = tuple(graph.forward(p, direction, exact) for p in points)
    else:
        sweeps = tuple(graph.reverse(p, exact) for p in points)
    return SweptGraph(graph, sweeps, mode)
