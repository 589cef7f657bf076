"""How autodiff reads in a result: a sweep of ``--graph`` (``autodiff.SweptGraph``), and ``--against``'s table.

Owns the description of ``autodiff.SweptGraph`` sweeps in a ``Dialect``: each node with what it
computes, its value, and its adjoint (reverse mode: v̄ₖ = Σ v̄ⱼ·∂vⱼ/∂vₖ) or tangent (forward mode:
v̇ⱼ = Σ ∂vⱼ/∂vₖ·v̇ₖ), written out with the local partials' values; then where the sweep ends and
how it compares with the symbolic derivative (the verdict the API wrote). ``--against jax|torch``: the
framework's gradient beside ours at each point, with the verdict in words (``FrameworkTable``, also
what ``gradcheck`` returns). Avoids computing anything.
"""

from __future__ import annotations

import cmath

import sympy as sp

from .notation import Dialect, format_number


def sweep_blocks(d: Dialect, swept, verdicts: list[str], digits: int) -> list[str]:
    """For each sweep: a heading, the table of nodes, and the verdict (or why the sweep has no answer)."""
    blocks = []
    graph = swept.graph
    reverse = swept.mode == "reverse"
    bar = "v̄" if reverse else "v̇"
    for sweep, verdict in zip(swept.sweeps, verdicts):
        point = ", ".join(format_number(as_float(c), digits) for c in sweep.point)
        if reverse:
            heading = (f"Reverse mode at ({point}): values flow forward, then adjoints v̄ = ∂f/∂v flow back "
                       f"from the output (v̄ = 1) to the inputs")
        else:
            along = ", ".join(format_number(as_float(c), digits) for c in sweep.direction)
            heading = (f"Forward mode at ({point}) along ({along}): values and tangents v̇ (dual numbers) "
                       "flow forward together")
        blocks.append(d.inline(d.words(heading)))
        extra = sweep.adjoints if reverse else sweep.tangents
        header = ["node", "computes", "value", "adjoint" if reverse else "tangent",
                  "= Σ v̄ⱼ·∂vⱼ/∂vₖ" if reverse else "= Σ ∂vⱼ/∂vₖ·v̇ₖ"]
        rows = []
        for node in graph.nodes:
            value = sweep.values[node.index]
            how = _how(graph, sweep, node.index, reverse, bar, digits) if extra is not None else ""
            rows.append([node.name, node.formula.split(" = ", 1)[-1] if node.kind == "operation" else "input",
                         _cell(value, digits), _cell(extra[node.index], digits) if extra is not None else "—", how])
        if d.latex:
            rows = [[d.words(c) for c in row] for row in rows]
            mark = r"\bar v" if reverse else r"\dot v"
            header = [d.words("node"), d.words("computes"), d.words("value"), mark,
                      (r"\sum_j \bar v_j \, \partial v_j / \partial v_k" if reverse
                       else r"\sum_k \partial v_j / \partial v_k \, \dot v_k")]
            blocks.append(d.table(header, rows, 0))
        else:
            widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
            blocks.append("\n".join("  ".join([cells[0].ljust(widths[0]), cells[1].ljust(widths[1])]
                                               + [c.rjust(w) for c, w in zip(cells[2:], widths[2:])]).rstrip()
                                     for cells in [header] + rows))
        blocks.append(d.inline(d.words(verdict)))
    return blocks


def _how(graph, sweep, k: int, reverse: bool, bar: str, digits: int) -> str:
    """v̄₃·2.000 + v̄₄·0.540 (reverse: over the operations reading node k), or the seed."""
    if reverse:
        if k == graph.output:
            return "seed 1"
        terms = [f"{bar}({graph.nodes[e.target].name})·{format_number(as_float(sweep.partials[(k, e.target)]), digits)}"
                 for e in graph.edges if e.source == k]
        return " + ".join(terms) or "0 (f does not read it)"
    node = graph.nodes[k]
    if node.kind == "input":
        return "seed (the direction)"
    return " + ".join(f"{format_number(as_float(sweep.partials[(c, k)]), digits)}·{bar}({graph.nodes[c].name})"
                      for c in node.args) or "0"


def as_float(value) -> float | None:
    """A sweep's SymPy number as a float (None for none, or for one that is not a finite real)."""
    if value is None:
        return None
    try:
        number = complex(sp.N(value, 17))
    except (TypeError, ValueError):
        return None
    if not cmath.isfinite(number) or abs(number.imag) > 1e-12 * max(1.0, abs(number.real)):
        return None
    return number.real


def against_blocks(d: Dialect, framework: str, rows, digits: int) -> list[str]:
    """``--against``: one row per point, ours | theirs | difference | verdict, under a heading."""
    name = {"jax": "JAX", "torch": "PyTorch"}.get(framework, framework)
    header = ["at", "ours", name, "|difference|", "verdict"]
    cells = [["(" + ", ".join(r.label) + ")", _values(r.ours, digits), _values(r.theirs, max(digits, 6)),
              "—" if r.difference is None else f"{r.difference:.1e}", r.verdict] for r in rows]
    failed = sum(not r.ok for r in rows)
    summary = (f"{name} agrees with the derivative at every point." if not failed else
               f"{name} differs from the derivative, or has no derivative to agree with, at {failed} of "
               f"{len(rows)} point(s).")
    heading = d.inline(d.words(f"Against {name}'s gradient:"))
    if d.latex:
        table = d.table([d.words(h) for h in header], [[d.words(c) for c in row] for row in cells], 0)
    else:
        widths = [max(len(r[i]) for r in cells + [header]) for i in range(len(header) - 1)]
        table = "\n".join("  ".join([c.ljust(w) for c, w in zip(row[:-1], widths)] + [row[-1]]).rstrip()
                          for row in [header] + cells)
    return [heading, table, d.inline(d.words(summary))]


def _values(values, digits: int) -> str:
    if values is None:
        return "—"
    shown = [format_number(v, digits) if not cmath.isnan(v) and not cmath.isinf(v) else str(v) for v in values]
    return shown[0] if len(shown) == 1 else "(" + ", ".join(shown) + ")"


class FrameworkTable:
    """What ``gradcheck`` returns (and ``AssertionError`` carries): the rows of ``--against``, as text."""

    def __init__(self, framework: str, rows, digits: int = 6):
        self.framework, self.rows, self.digits = framework, list(rows), digits

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows)

    def text(self) -> str:
        from .notation import TEXT

        return "\n".join(against_blocks(TEXT, self.framework, self.rows, self.digits))

    def _repr_latex_(self) -> str:
        from .notation import LATEX

        return "\n\n".join(against_blocks(LATEX, self.framework, self.rows, self.digits))

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return self.text()


def _cell(value, digits: int) -> str:
    """A node's value, adjoint or tangent in a table: the number, or what it is instead."""
    if value is None:
        return "—"
    number = as_float(value)
    if number is not None:
        return format_number(number, digits)
    try:
        found = complex(sp.N(value, 17))
    except OverflowError:
        return "too large"
    except (TypeError, ValueError):
        return "undefined"
    if cmath.isnan(found):
        return "undefined"
    if cmath.isinf(found):
        return "too large" if sp.sympify(value).is_finite else "infinite"
    return "not real"
