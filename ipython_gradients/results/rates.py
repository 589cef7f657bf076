"""What related rates (``%deriv ... --rate t --given ...``) returns and how it reads.

Owns the description of a ``Rates`` answer in the two dialects; the mathematics is ``rates``'s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import sympy as sp

from .display import Display, FigureOutput
from .notation import Dialect, format_number, unicode_text


@dataclass(repr=False, eq=False)
class RatesResult(FigureOutput):
    """The rate asked for: its formula, its value at the moment given, and the steps."""

    relation: sp.Eq
    time: sp.Symbol
    unknown: sp.Symbol
    formula: sp.Expr
    value: sp.Expr | None = None
    values: dict = field(default_factory=dict)
    rates: dict = field(default_factory=dict)
    steps: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    display: Display = field(default_factory=Display)

    @property
    def rate(self) -> float | None:
        """The rate asked for at the moment given, as a float (None without every value)."""
        return None if self.value is None else float(self.value)

    def __repr__(self) -> str:
        return f"RatesResult(d{self.unknown}/d{self.time} = {self.formula}, value={self.value})"

    def _sections(self, d: Dialect) -> list[list[str | None]]:
        target = (rf"\frac{{d{sp.latex(self.unknown)}}}{{d{sp.latex(self.time)}}}" if d.latex
                  else f"d{self.unknown}/d{self.time}")
        relation = (sp.latex(self.relation) if d.latex
                    else f"{unicode_text(self.relation.lhs)} = {unicode_text(self.relation.rhs)}")
        blocks = [d.inline(d.words("related rates: ") + relation + d.words(f", every quantity a function of {self.time}")),
                  d.display(d.equation(target, self.formula))]
        if self.value is not None:
            at = ", ".join(f"{v} = {unicode_text(value)}" for v, value in self.values.items())
            given = ", ".join(f"d{v}/d{self.time} = {unicode_text(r)}" for v, r in self.rates.items())
            exact = sp.latex(self.value) if d.latex else unicode_text(self.value)
            number = float(sp.N(self.value, 30))
            approx = ("" if self.value.is_Rational else f"{d.approx}{format_number(number, self.display.precision)}"
                      if math.isfinite(number) else f"{d.approx}{sp.N(self.value, self.display.precision + 1)}")
            blocks.append(d.display(f"{target} = {exact}{approx}") if d.latex
                          else f"at {at}; {given}:\n{target} = {exact}{approx}")
        sections = [blocks, [None if d.latex else "Steps:", d.steps(self.steps)] if self.steps else []]
        sections.append([d.inline(d.words(note)) for note in self.notes])
        return sections
