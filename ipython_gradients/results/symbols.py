"""Where a result leaves the package: the engine's real symbols become the user's.

The engines compute with ``Symbol('x', real=True)`` (``expressions.real_symbol``): the assumption
lets SymPy write d|x|/dx as sign(x). A result handed to the user holds the user's own symbols
instead, so that it composes with their SymPy: ``r.derivative.subs(x, 1)`` is a number and
``r.derivative - diff(x**2*sin(x), x)`` simplifies to 0 for their ``x = Symbol('x')``. The user's
symbol of a name is the one in what they passed (a SymPy expression, a Matrix), else the namespace's
SymPy ``Symbol`` of that name, else a plain ``Symbol(name)``.

``for_the_user`` is the one place this happens (the API calls it as it returns a result, after any
figure is drawn). It walks the result and its values (dataclasses, lists, tuples), so a field added
to a result is converted too. Only the leaves change: each formula keeps the tree the engine built
(SymPy does not re-evaluate it with the new symbols), so the rendering is the same, and a user's
``Symbol('x', positive=True)`` does not turn the real-line answer sign(x) into 1 on the way out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping

import sympy as sp

from .display import FigureOutput


def _real(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)  # as expressions.real_symbol, which this layer does not import


def given_symbols(expression, namespace: Mapping | None) -> dict[str, sp.Symbol]:
    """The user's own symbols by name: those in ``expression`` (a SymPy object, or a namespace name
    standing for one, or a list of them), then the namespace's SymPy ``Symbol``s under their own names."""
    found: dict[str, sp.Symbol] = {}

    def collect(value, depth: int = 0):
        if isinstance(value, str):  # names of SymPy objects in the namespace: "g", "g(x)", a cell's lines
            if isinstance(namespace, Mapping):
                for line in value.splitlines():
                    name = line.split("#")[0].split("(")[0].strip()
                    if name.isidentifier():
                        collect(namespace.get(name), depth + 1)
        elif isinstance(value, (sp.Basic, sp.MatrixBase)):
            bound = value.variables if isinstance(value, sp.Lambda) else ()  # Lambda(x, x**2): its x
            for symbol in sorted(set(value.free_symbols) | set(bound), key=sp.default_sort_key):
                if isinstance(symbol, sp.Symbol):
                    found.setdefault(symbol.name, symbol)
        elif isinstance(value, (list, tuple)) and depth < 2:
            for item in value:
                collect(item, depth + 1)

    collect(expression)
    if isinstance(namespace, Mapping):
        for name, value in list(namespace.items()):
            if isinstance(value, sp.Symbol) and value.name == name:
                found.setdefault(name, value)
    return found


def for_the_user(result, given: Mapping[str, sp.Symbol]):
    """``result`` with every SymPy object it exposes written in the user's symbols (see the module)."""
    engine = _engine_symbols(result)
    if not engine:
        return result
    swap = {symbol: _users(symbol.name, given) for symbol in engine}
    with sp.evaluate(False):  # the same trees with other leaves: 4(3x² − 1) stays as computed, not 12x² − 4
        converted = _walk(result, lambda expr: expr.xreplace(swap))
    if converted is not result and isinstance(result, FigureOutput):
        converted.take_figure_from(result)  # drawn (and drawn again) from the engine's own result
    return converted


def _users(name: str, given: Mapping[str, sp.Symbol]) -> sp.Symbol:
    symbol = given.get(name)
    # a symbol that does not commute (or a Dummy) cannot stand for a real variable: a plain one does
    return symbol if type(symbol) is sp.Symbol and symbol.is_commutative else sp.Symbol(name)


def _engine_symbols(value) -> set[sp.Symbol]:
    """The engine's real symbols anywhere in ``value``."""
    found: set[sp.Symbol] = set()

    def look(expr):
        found.update(s for s in expr.free_symbols if type(s) is sp.Symbol and s == _real(s.name))
        return expr

    _walk(value, look)
    return found


def _walk(value, convert: Callable):
    """``value`` with ``convert`` applied to each SymPy object in it: through dataclasses (results and their
    values), lists and tuples; the same object back where nothing changed."""
    if isinstance(value, (sp.Basic, sp.MatrixBase)):
        return convert(value)
    if isinstance(value, list):
        items = [_walk(item, convert) for item in value]
        return items if any(a is not b for a, b in zip(items, value)) else value
    if type(value) is tuple:
        items = tuple(_walk(item, convert) for item in value)
        return items if any(a is not b for a, b in zip(items, value)) else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            if f.init:
                old = getattr(value, f.name)
                new = _walk(old, convert)
                if new is not old:
                    changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value
