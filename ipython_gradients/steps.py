"""Step-by-step derivations by named rules, as lecture notes write them.

``derivation(expr, x)`` differentiates by hand: each step names its rule (sum, product, quotient,
chain, power, ...) and shows the derivative of one piece in terms of the derivatives of its parts.
The assembled answer is then proven equal to SymPy's (their difference simplifies to 0), and when
its form differs a final simplification step shows SymPy's form, so the steps and the answer never
disagree. Logarithmic differentiation handles variable exponents (xˣ, x^sin x).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from .results.notation import unicode_text

RULES_BY_FUNCTION = {
    **{f: "trigonometric" for f in (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc)},
    **{f: "inverse trigonometric" for f in (sp.asin, sp.acos, sp.atan, sp.acot, sp.asec, sp.acsc)},
    **{f: "hyperbolic" for f in (sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sech, sp.csch)},
    **{f: "inverse hyperbolic" for f in (sp.asinh, sp.acosh, sp.atanh, sp.acoth)},
    sp.exp: "exponential",
    sp.log: "logarithm",
    sp.Abs: "absolute value",
}


@dataclass(frozen=True)
class Step:
    """One step of a derivation: its rule, its equation in LaTeX, and the piece's derivative as text."""

    rule: str
    latex: str
    text: str = ""
    note: str = ""  # e.g. where |u| is not differentiable (text)
    note_latex: str = ""

    @property
    def title(self) -> str:
        """'product rule', 'chain rule with power rule', 'logarithmic differentiation', ..."""
        if self.rule in ("result", "simplification", "logarithmic differentiation") or self.rule.startswith("derivative of"):
            return self.rule
        return self.rule + " rule"


class _Deriver:
    """Differentiates recursively, recording a step for each piece (a piece seen twice is done once)."""

    def __init__(self, x: sp.Symbol, partial: bool):
        self.x = x
        variable = sp.latex(x)
        self.operator = rf"\frac{{\partial}}{{\partial {variable}}}" if partial else rf"\frac{{d}}{{d {variable}}}"
        self.text_operator = f"∂/∂{x}" if partial else f"d/d{x}"
        self.steps: list[Step] = []
        self.done: dict[sp.Expr, sp.Expr] = {}

    def d(self, e: sp.Expr) -> sp.Expr:
        if e in self.done:
            return self.done[e]
        index = len(self.steps)
        result = self._rule(e)
        self.steps[index] = replace(self.steps[index], text=f"{self.text_operator} ({unicode_text(e)}) = {unicode_text(result)}")
        self.done[e] = result
        return result

    def show(self, e: sp.Expr) -> str:
        return rf"{self.operator}\left[{sp.latex(e)}\right]"

    def _record(self, rule: str, e: sp.Expr, rhs: str, where: sp.Expr | None = None) -> None:
        """A step; ``where``: an expression whose zeros the rule does not cover (|u| at u = 0)."""
        notes = {} if where is None else {
            "note": f"not differentiable where {unicode_text(where)} = 0",
            "note_latex": rf"\text{{not differentiable where }} {sp.latex(where)} = 0"}
        self.steps.append(Step(rule, rf"{self.show(e)} = {rhs}", **notes))

    def _later(self, e: sp.Expr) -> str:
        """A part's derivative before its own step: d/dx[part], or its value when that is plain."""
        if not e.has(self.x):
            return "0"
        return "1" if e == self.x else self.show(e)

    def _rule(self, e: sp.Expr) -> sp.Expr:
        x = self.x
        if not e.has(x):
            self._record("constant", e, "0")
            return sp.S.Zero
        if e == x:
            self._record("power", e, "1")
            return sp.S.One
        if e.is_Add:
            terms = e.as_ordered_terms()
            self._record("sum and difference", e, " + ".join(self._later(t) for t in terms))
            return sp.Add(*(self.d(t) for t in terms))
        if e.is_Mul:
            return self._product(e)
        if e.is_Pow:
            return self._power(e)
        if len(e.args) == 1 and (e.func in RULES_BY_FUNCTION or isinstance(e, sp.Function)):
            u = e.args[0]
            rule = next((RULES_BY_FUNCTION[c] for c in type(e).__mro__ if c in RULES_BY_FUNCTION),
                        f"derivative of {e.func}")  # the Abs of a real root is an Abs
            outer = sp.sign(u) if e.func is sp.Abs else sp.diff(e.func(x), x).subs(x, u)
            return self._chain(e, u, outer, rule, where=u if isinstance(e, sp.Abs) else None)
        result = sp.diff(e, x)  # several arguments (atan2, Max, ...): SymPy's derivative, said so
        self._record(f"derivative of {e.func}", e, sp.latex(result))
        return result

    def _product(self, e: sp.Mul) -> sp.Expr:
        constant, rest = e.as_independent(self.x, as_Add=False)
        if constant != 1:
            self._record("constant multiple", e, rf"{sp.latex(constant)} \cdot {self._later(rest)}")
            return constant * self.d(rest)
        root = _real_root(e)
        if root is not None:  # u^r, an odd root written sign(u)·|u|^r: the power rule, r·|u|^(r-1)·u'
            magnitude, r = root
            return self._chain(e, magnitude.args[0], r * magnitude ** (r - 1), "power")
        numerator, denominator = sp.fraction(e, exact=True)  # exp(-x²) is no quotient
        if denominator.has(self.x) and denominator != 1 and numerator != e:
            self._record("quotient", e, rf"\frac{{{self._later(numerator)} \cdot {_grouped(denominator)} - "
                                        rf"{_grouped(numerator)} \cdot {self._later(denominator)}}}"
                                        rf"{{{sp.latex(denominator ** 2)}}}")
            return (self.d(numerator) * denominator - numerator * self.d(denominator)) / denominator**2
        first, *others = e.as_ordered_factors()
        u, v = first, sp.Mul(*others)
        self._record("product", e, rf"{self._later(u)} \cdot {_grouped(v)} + {_grouped(u)} \cdot {self._later(v)}")
        return self.d(u) * v + u * self.d(v)

    def _power(self, e: sp.Pow) -> sp.Expr:
        base, exponent = e.as_base_exp()
        if not exponent.has(self.x):  # u^n
            return self._chain(e, base, exponent * base ** (exponent - 1), "power")
        if not base.has(self.x):  # a^u
            rule = "exponential" if base == sp.E else "exponential (any base)"
            return self._chain(e, exponent, e * sp.log(base), rule)
        # u^v, both varying: ln y = v ln u, so y'/y = d/dx[v ln u]
        log_form = exponent * sp.log(base)
        self._record("logarithmic differentiation", e,
                     rf"{sp.latex(e)} \cdot {self.show(log_form)} \quad "
                     rf"\text{{since }} \ln y = {sp.latex(log_form)}")
        return e * self.d(log_form)

    def _chain(self, e: sp.Expr, inner: sp.Expr, outer: sp.Expr, rule: str, where: sp.Expr | None = None) -> sp.Expr:
        """f(u) → f'(u)·u': the rule itself when u is x, the chain rule otherwise."""
        if inner == self.x:
            self._record(rule, e, sp.latex(outer), where)
            return outer
        self._record(f"chain rule with {rule}", e, rf"{_grouped(outer)} \cdot {self._later(inner)}", where)
        return outer * self.d(inner)


def _real_root(e: sp.Mul) -> tuple[sp.Abs, sp.Rational] | None:
    """(|u|, r) when e is sign(u)·|u|^r with r fractional: how the expression language writes the
    real odd root u^r (expressions.real_roots), whose derivative is r·|u|^(r-1)·u'."""
    if len(e.args) != 2:
        return None
    signs = [f for f in e.args if isinstance(f, sp.sign)]
    powers = [f for f in e.args if f.is_Pow and isinstance(f.base, sp.Abs) and f.exp.is_Rational
              and not f.exp.is_Integer]
    if len(signs) == 1 and len(powers) == 1 and signs[0].args[0] == powers[0].base.args[0]:
        return powers[0].base, powers[0].exp
    return None


def _grouped(e: sp.Expr) -> str:
    text = sp.latex(e)
    return rf"\left({text}\right)" if e.is_Add else text


def _equal(a: sp.Expr, b: sp.Expr) -> bool:
    """a = b: by simplification (with logarithms and powers combined, which settles x^(x/x^x)); where
    symbolic means cannot decide, by agreement to 25 digits at fixed points (deterministic, unlike
    SymPy's randomised equals(), which is the last resort)."""
    if a.has(sp.nan, sp.zoo) and b.has(sp.nan, sp.zoo):  # both undefined (0^x): nothing to compare
        return True
    difference = a - b
    if difference == 0 or sp.simplify(difference) == 0:
        return True
    if sp.simplify(sp.expand_log(sp.powsimp(difference, force=True), force=True)) == 0:
        return True
    pairs = []
    for k in (3, 5, 9, 13, 17):
        at = {s: sp.Rational(k, 7) for s in difference.free_symbols}
        va, vb = a.subs(at).evalf(50), b.subs(at).evalf(50)
        if all(v.is_number and v.is_finite for v in (va, vb)):  # complex values compare too
            pairs.append((va, vb))
    if len(pairs) >= 3:  # relative: (2x)^sinh(7) reaches 10^150 at these points
        return all(abs(va - vb) <= 1e-25 * max(1, abs(va), abs(vb)) for va, vb in pairs)
    return difference.equals(0) is True


def derivation(expr: sp.Expr, x: sp.Symbol, partial: bool = False) -> tuple[list[Step], sp.Expr]:
    """The steps of d(expr)/dx by named rules, and SymPy's derivative, which the steps end equal to."""
    deriver = _Deriver(x, partial)
    assembled = deriver.d(expr)
    target = sp.diff(expr, x)
    if not _equal(assembled, target):  # a wrong rule above: fail loudly, never show it
        raise AssertionError(f"the derivation of {expr} disagrees with SymPy: {assembled} vs {target}")
    steps = deriver.steps + [Step("result", rf"{deriver.show(expr)} = {sp.latex(assembled)}",
                                  f"{deriver.text_operator} ({unicode_text(expr)}) = {unicode_text(assembled)}")]
    if assembled != target:  # same value, another form: show how the steps' form becomes SymPy's
        steps.append(Step("simplification", rf"{sp.latex(assembled)} = {sp.latex(target)}",
                          f"{unicode_text(assembled)} = {unicode_text(target)}"))
    return steps, target
