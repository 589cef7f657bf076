"""The derivative from first principles: the limit of the difference quotient, with the algebra shown.

``from_definition(expr, x)`` writes f′(x) = lim_{h→0} (f(x + h) − f(x))/h for ``expr`` and works it out
as a lecture does: expand and cancel h (polynomials and rational functions), multiply by the conjugate
(square roots), the addition formulas and the standard limits sin h/h → 1, (cos h − 1)/h → 0 and
(eʰ − 1)/h → 1 (sines, cosines, exponentials), else SymPy's limit of the quotient as it stands. Every
step is an identity SymPy checks (the quotient is unchanged by the algebra, the limit equals the
derivative by the rules); a limit SymPy cannot take, or one that disagrees with the rules, is said so,
never shown as an answer.

``quotients(expr, x, a)`` is the numeric side: (f(a + h) − f(a))/h for h = ±10⁻¹ … ±10⁻⁶ at 30 digits
(no cancellation in the subtraction), None where f(a + h) is undefined.

Owns the steps and the table; avoids deciding what a point means (``derivatives`` does, from the
one-sided analysis) and any rendering (``results``).
"""

from __future__ import annotations

import math

import sympy as sp

from .branches import bounded_limit
from .calculus import drop_null_deltas
from .results.notation import escape_text, unicode_text
from .steps import Step

# The widths h of the quotient table, on both sides of the point.
WIDTHS = tuple(sp.Rational(1, 10 ** k) for k in range(1, 7))
_DIGITS = 30


def _text(expr) -> str:
    return unicode_text(expr)


def width_symbol(*taken: sp.Symbol) -> sp.Symbol:
    """h, or another letter where the function already has a variable h."""
    names = {s.name for s in taken}
    return sp.Symbol(next(n for n in ("h", "k", "t", "s", "u", "w") if n not in names), real=True)


def from_definition(expr: sp.Expr, x: sp.Symbol, name: str = "f") -> tuple[list[Step], sp.Expr | None]:
    """The derivation of f′(x) from the limit definition, and the limit (None: it could not be taken,
    and the last step says why)."""
    h = width_symbol(*expr.free_symbols)
    shifted = expr.xreplace({x: x + h})
    quotient = (shifted - expr) / h
    lim, tlim, prime = rf"\lim_{{{sp.latex(h)} \to 0}}", f"lim_({h}→0)", f"{name}′({x})"
    lprime = rf"{name}'({sp.latex(x)})"
    grouped = expr.is_Add or sp.Mul(-1, expr).is_Add or expr.could_extract_minus_sign()  # f(x) subtracted whole
    latex_f = rf"\left({sp.latex(expr)}\right)" if grouped else sp.latex(expr)
    text_f = f"({_text(expr)})" if grouped else _text(expr)
    steps = [_Step("definition",
                  rf"{lprime} = {lim} \frac{{{name}({sp.latex(x)} + {sp.latex(h)}) - {name}({sp.latex(x)})}}{{{sp.latex(h)}}}",
                  f"{prime} = {tlim} ({name}({x} + {h}) − {name}({x}))/{h}"),
             _Step("substitution",
                  rf"{lprime} = {lim} \frac{{{sp.latex(shifted)} - {latex_f}}}{{{sp.latex(h)}}}",
                  f"{prime} = {tlim} ({_text(shifted)} − {text_f})/{h}")]
    worked = _checked(_algebra(expr, shifted, x, h), quotient)
    for rule, form in worked:
        steps.append(_Step(rule, rf"{lprime} = {lim} {sp.latex(form)}", f"{prime} = {tlim} {_text(form)}"))
    last = worked[-1][1] if worked else quotient
    left, right = bounded_limit(last, h, 0, "-"), bounded_limit(last, h, 0, "+")
    if left is None or right is None or any(v.has(sp.Limit, sp.nan, sp.zoo, sp.oo, -sp.oo, sp.AccumBounds)
                                            for v in (left, right)):
        return steps + [_not_found("SymPy could not take it for every x (a table at a point, --at, shows it there)")], None
    if not _same(left, right):
        return steps + [_not_found(f"from the left it is {_text(left)}, from the right {_text(right)}")], None
    rules = drop_null_deltas(sp.diff(expr, x))
    if not _same(right, rules):  # never shown as the derivative: a wrong limit is worse than none
        return steps + [_not_found(f"SymPy's limit, {_text(right)}, differs from the derivative by the rules, "
                                   f"{_text(rules)}")], None
    standard = [limit for kinds, limit in _STANDARD_LIMITS if worked and worked[-1][0] == "addition formulas"
                and expr.has(*kinds)]
    steps.append(_Step("limit" + (", with the standard limits" if standard else ""), rf"{lprime} = {sp.latex(right)}",
                       f"{prime} = {_text(right)}", note=", ".join(text for text, _ in standard),
                       note_latex=r",\ ".join(latex for _, latex in standard)))
    return steps, right


# The standard limits a derivation by the addition formulas ends with (text, LaTeX), by the functions used.
_STANDARD_LIMITS = (((sp.sin, sp.cos), ("sin(h)/h → 1", r"\tfrac{\sin h}{h} \to 1")),
                    ((sp.sin, sp.cos), ("(cos(h) − 1)/h → 0", r"\tfrac{\cos h - 1}{h} \to 0")),
                    ((sp.exp,), ("(eʰ − 1)/h → 1", r"\tfrac{e^h - 1}{h} \to 1")))


class _Step(Step):
    """A step named by what it does ("definition", "cancel h"), not by a rule of differentiation."""

    @property
    def title(self) -> str:
        return self.rule


def _not_found(reason: str) -> Step:
    return _Step("limit", rf"\text{{not found: {escape_text(reason)}}}", f"not found: {reason}")


def _algebra(expr, shifted, x, h) -> list[tuple[str, sp.Expr]]:
    """Steps that rewrite the quotient (rule, the quotient after it) as a lecture would."""
    difference = shifted - expr
    root = _square_root(expr, x)
    if root is not None:  # √u(x + h) − √u(x) = (u(x + h) − u(x)) / (√u(x + h) + √u(x))
        coefficient, inner = root
        conjugate = sp.sqrt(inner.xreplace({x: x + h})) + sp.sqrt(inner)
        numerator = sp.expand(inner.xreplace({x: x + h}) - inner)
        over = sp.Mul(numerator, sp.Pow(sp.Mul(h, conjugate, evaluate=False), -1), evaluate=False)
        return [("multiply by the conjugate", sp.Mul(coefficient, over, evaluate=False) if coefficient != 1 else over),
                ("cancel " + str(h), coefficient * sp.factor(sp.cancel(numerator / h)) / conjugate)]
    if expr.is_rational_function(x):
        numerator, denominator = sp.fraction(sp.together(difference))
        numerator = sp.expand(numerator)
        if denominator == 1:
            return [("expand the numerator", sp.Mul(numerator, sp.Pow(h, -1), evaluate=False)),
                    ("cancel " + str(h), sp.expand(sp.cancel(numerator / h)))]
        return [("common denominator", sp.Mul(numerator, sp.Pow(sp.Mul(h, denominator, evaluate=False), -1),
                                               evaluate=False)),
                ("cancel " + str(h), sp.factor(sp.cancel(numerator / h)) / denominator)]
    split = _addition_formulas(shifted, x, h)
    if split is not None:
        functions = [f for f in sp.preorder_traversal(split) if isinstance(f, _STANDARD) and not f.has(h)]
        grouped = sp.collect(sp.expand(split - expr), list(dict.fromkeys(functions)), evaluate=True)
        return [("addition formulas", sp.Mul(grouped, sp.Pow(h, -1), evaluate=False))]
    return []


def _checked(steps, quotient):
    """The steps if each is the quotient rewritten (an identity); else none: the limit is then taken as it stands."""
    return steps if all(_same(form, quotient) for _, form in steps) else []


def _same(a, b) -> bool:
    """Whether two expressions are equal: SymPy's simplification of the difference to 0."""
    try:
        return sp.simplify(a - b) == 0
    except (TypeError, ValueError, NotImplementedError, RecursionError):
        return False


def _square_root(expr, x):
    """(c, u) for expr = c·√u with u a polynomial in x and c free of x; else None."""
    coefficient, rest = expr.as_independent(x, as_Add=False)
    if isinstance(rest, sp.Pow) and rest.exp == sp.S.Half and rest.base.is_polynomial(x):
        return coefficient, rest.base
    return None


_STANDARD = (sp.sin, sp.cos, sp.exp)


def _addition_formulas(shifted, x, h):
    """f(x + h) with sin(u + ch), cos(u + ch) and e^(u + ch) split by the addition formulas, where f is
    a polynomial in x and those of linear u = ax + b; else None."""
    functions = [f for f in shifted.atoms(sp.Function) | shifted.atoms(sp.exp) if f.has(x)]
    if not functions or not all(isinstance(f, _STANDARD) for f in functions):
        return None
    replace = {}
    for f in functions:
        argument = sp.expand(f.args[0])
        c = argument.coeff(h)
        u = sp.expand(argument - c * h)
        if c == 0 or u.has(h) or not u.is_polynomial(x) or sp.Poly(u, x).degree() != 1:
            return None
        ch = c * h
        replace[f] = (sp.sin(u) * sp.cos(ch) + sp.cos(u) * sp.sin(ch) if isinstance(f, sp.sin) else
                      sp.cos(u) * sp.cos(ch) - sp.sin(u) * sp.sin(ch) if isinstance(f, sp.cos) else
                      sp.exp(u) * sp.exp(ch))
    rest = shifted.xreplace({f: sp.Dummy() for f in functions})  # a polynomial in x, h and the functions
    if not rest.is_polynomial(*rest.free_symbols):
        return None
    return shifted.xreplace(replace)


def quotients(expr: sp.Expr, x: sp.Symbol, a) -> list[tuple[sp.Rational, float | None, float | None]]:
    """(h, quotient at −h, quotient at +h) for each width of ``WIDTHS``; None where f(a ± h) is undefined."""
    base = _value(expr, x, a)
    rows = []
    for width in WIDTHS:
        left = right = None
        if base is not None:
            below, above = _value(expr, x, a - width), _value(expr, x, a + width)
            left = None if below is None else float((below - base) / -width)
            right = None if above is None else float((above - base) / width)
        rows.append((width, left, right))
    return rows


def _value(expr, x, at):
    """f at a point, with enough digits that f(a + h) − f(a) keeps 30 of its own (a = 10¹⁰⁰, h = 10⁻⁶)."""
    point = sp.nsimplify(at) if not isinstance(at, sp.Basic) else at
    size = abs(float(sp.N(point, 15))) if point.is_number else 0.0
    digits = _DIGITS + 7 + (int(math.log10(size)) + 1 if size >= 1 else 0)
    value = expr.xreplace({x: point}).evalf(digits)
    if not value.is_number or value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or not value.is_real:
        return None
    return sp.Float(value, digits)
