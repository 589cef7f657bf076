"""Related rates: a relation between quantities that change with time, differentiated through the chain rule.

``related_rates(lhs, rhs, t, given, values)`` makes every quantity of the relation a function of the
time t, differentiates both sides with respect to t (each quantity v contributes ∂/∂v · dv/dt), and
solves for the one rate not given. The values at the moment asked about are those given; one quantity
left without a value is solved for from the relation itself (the ladder's height from its foot), and
where that has several real values they are all refused rather than one chosen. The answer is exact
where the inputs are, with the steps: the relation, both sides differentiated, the rate solved for,
the values substituted.

Owns the differentiation, the solve and the steps; avoids parsing (the API reads the text) and rendering.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from .errors import EvaluationError, OptionError
from .implicit import switch_at, whole_simplify
from .results.notation import unicode_text
from .steps import Step


@dataclass
class Rates:
    """What related rates found: the rate asked for, as a formula and at the moment given."""

    relation: sp.Eq
    time: sp.Symbol
    unknown: sp.Symbol  # the quantity whose rate was solved for
    formula: sp.Expr  # d(unknown)/dt in the quantities and the given rates' symbols
    value: sp.Expr | None  # at the moment given (None: not every value was given)
    values: dict = field(default_factory=dict)  # quantity -> its value at that moment (given or solved)
    rates: dict = field(default_factory=dict)  # quantity -> its given rate
    steps: list = field(default_factory=list)


class _Step(Step):
    @property
    def title(self) -> str:
        return self.rule


def _refuse_outside_the_domain(relation: sp.Expr, moment: dict) -> None:
    """Every part of the relation the values at the moment decide must be real there: y = log(x) has no
    moment with x = -1, whatever its rates would say."""
    if not moment:
        return
    for part in sp.postorder_traversal(relation):  # (the innermost part first: log(x), not y − log(x))
        if isinstance(part, sp.Symbol) or not part.free_symbols or not part.free_symbols <= set(moment):
            continue
        value = sp.N(part.xreplace(moment), 30)
        if not (value.is_number and value.is_finite and value.is_real is not False
                and abs(complex(value).imag) <= 1e-25 * max(1.0, abs(complex(value).real))):
            shown = ", ".join(f"{k} = {unicode_text(v)}" for k, v in moment.items() if k in part.free_symbols)
            raise OptionError(f"{unicode_text(part)} has no real value where {shown}: no such moment")


def _real_values(expr: sp.Expr, v: sp.Symbol) -> tuple[list, bool]:
    """The real values of v with expr = 0, and whether that list is certainly complete: a polynomial's
    real roots are (a cubic's three, which SymPy's solve writes with I, included; irrational ones as
    CRootOf); for others SymPy's solve is asked, and its answer is not taken as complete."""
    numerator, denominator = sp.together(expr).as_numer_denom()
    try:
        polynomial = sp.Poly(numerator, v)
    except (sp.PolynomialError, sp.GeneratorsNeeded):
        polynomial = None
    if polynomial is not None and polynomial.free_symbols <= {v} and polynomial.degree() == 0:
        return [], polynomial.is_zero is False  # 12 = 0: no value; 0 = 0: every value (not a moment either)
    if polynomial is not None and polynomial.free_symbols <= {v} and polynomial.degree() > 0:
        roots = [r for r in dict.fromkeys(sp.real_roots(polynomial)) if denominator.xreplace({v: r}) != 0]
        return roots, True
    try:
        solutions = sp.solve(expr, v)
    except (NotImplementedError, ValueError, TypeError):
        return [], False
    real = []
    for solution in solutions:
        number = complex(sp.N(solution, 30))
        if abs(number.imag) <= 1e-25 * max(1.0, abs(number.real)):
            real.append(sp.re(solution) if number.imag else solution)
    return real, False


def rate_symbol(v: sp.Symbol, t: sp.Symbol) -> sp.Symbol:
    """The symbol dv/dt stands for in formulas (printed as dv/dt)."""
    return sp.Symbol(f"d{v.name}/d{t.name}")


def related_rates(lhs: sp.Expr, rhs: sp.Expr, t: sp.Symbol, given: dict, values: dict) -> Rates:
    """Differentiate lhs = rhs with respect to t and solve for the one rate not in ``given``."""
    quantities = sorted((lhs - rhs).free_symbols - {t}, key=lambda s: s.name)
    unknown_rates = [v for v in quantities if v not in given]
    strangers = [v.name for v in list(given) + list(values) if v not in quantities]
    if strangers:
        raise OptionError(f"{', '.join(sorted(set(strangers)))} is not a quantity of the relation "
                          f"(its quantities: {', '.join(v.name for v in quantities)})")
    if len(unknown_rates) != 1:
        missing = ", ".join(f"d{v.name}/d{t.name}" for v in unknown_rates) or "none"
        raise OptionError(f"--given must leave exactly one rate to find (unknown: {missing})")
    unknown = unknown_rates[0]
    functions = {v: sp.Function(v.name, real=True)(t) for v in quantities}  # (|x|′ is sign(x)·x′, no re or im)
    symbols = {functions[v].diff(t): rate_symbol(v, t) for v in quantities}
    left = sp.diff(lhs.xreplace(functions), t).xreplace(symbols).xreplace({f: v for v, f in functions.items()})
    right = sp.diff(rhs.xreplace(functions), t).xreplace(symbols).xreplace({f: v for v, f in functions.items()})
    target = rate_symbol(unknown, t)
    # The chain rule makes the differentiated relation linear in every rate: solved by its coefficient
    # (SymPy's solve would split sign(x) into cases, "0 for x = 0" among them, true nowhere).
    difference = sp.expand(left - right)
    coefficient = difference.coeff(target)
    rest = sp.expand(difference - coefficient * target)
    if coefficient == 0 or rest.has(target):
        raise EvaluationError(f"d{unknown.name}/d{t.name} cannot be solved for from the differentiated relation")
    formula = whole_simplify(sp.factor_terms(-rest / coefficient))
    relation = sp.Eq(lhs, rhs, evaluate=False)
    steps = [_Step("the relation", sp.latex(relation), f"{unicode_text(lhs)} = {unicode_text(rhs)}"),
             _Step(f"differentiate both sides with respect to {t}",
                   rf"{sp.latex(left)} = {sp.latex(right)}", f"{unicode_text(left)} = {unicode_text(right)}",
                   note=f"each quantity is a function of {t}: the chain rule gives each a factor d·/d{t}"),
             _Step(f"solve for d{unknown.name}/d{t.name}", rf"{sp.latex(target)} = {sp.latex(formula)}",
                   f"{target} = {unicode_text(formula)}")]
    moment = dict(values)
    _refuse_outside_the_domain(lhs - rhs, moment)
    missing = [v for v in quantities if v not in moment and formula.has(v)]
    if len(missing) == 1 and moment:  # the relation gives the last value: x² + y² = 10² with x = 6 gives y = 8
        v = missing[0]
        candidates, certain = _real_values((lhs - rhs).xreplace(moment), v)
        if not candidates:
            at = ", ".join(f"{k} = {unicode_text(value)}" for k, value in moment.items())
            if certain:
                raise OptionError(f"the relation has no real value of {v} where {at}: no such moment")
            raise OptionError(f"{v} could not be found from the relation where {at}: give it with --at ({v}=...)")
        if len(candidates) != 1:
            shown = ", ".join(unicode_text(c if not isinstance(c, sp.CRootOf) else sp.N(c, 6)) for c in candidates)
            raise OptionError(f"the relation gives {v} = {shown} at that moment: give {v} with --at ({v}=...)")
        moment[v] = candidates[0]
        steps.append(_Step(f"{v} from the relation", rf"{sp.latex(v)} = {sp.latex(candidates[0])}",
                           f"{v} = {unicode_text(candidates[0])}"))
    value = None
    if all(v in moment for v in quantities):  # every value given: they must satisfy the relation
        residual = sp.N((lhs - rhs).xreplace(moment), 30)
        size = max([1.0] + [abs(float(sp.N(term.xreplace(moment), 30))) for term in sp.Add.make_args(sp.expand(lhs - rhs))])
        if not residual.is_number or abs(complex(residual)) > 1e-12 * size:
            raise OptionError(f"the values given are not on the relation: {unicode_text(lhs)} - ({unicode_text(rhs)}) = "
                              f"{float(sp.re(residual)):.6g} there, not 0")
    switch = switch_at(lhs - rhs, moment)  # (the chain rule holds where the relation's gradient is continuous)
    if switch and not [v for v in quantities if v not in moment and formula.has(v)]:
        shown = ", ".join(f"{v} = {unicode_text(moment[v])}" for v in quantities if v in moment)
        raise OptionError(f"d{unknown.name}/d{t.name} has no value at {shown}: {switch} switches there, so the "
                          "relation's gradient jumps or is infinite at that moment: no rate follows from it")
    if all(v in moment for v in quantities) or not [v for v in quantities if v not in moment and formula.has(v)]:
        at_moment = sp.simplify(coefficient.xreplace({rate_symbol(v, t): r for v, r in given.items()}).xreplace(
            {v: moment[v] for v in quantities if v in moment}))
        if at_moment.is_zero:
            shown = ", ".join(f"{v} = {unicode_text(moment[v])}" for v in quantities if v in moment)
            rest_at = sp.simplify(rest.xreplace({rate_symbol(v, t): r for v, r in given.items()}).xreplace(moment))
            what = ("any value satisfies it" if rest_at.is_zero else "no value satisfies it"
                    if rest_at.is_zero is False else "it does not determine it")
            raise OptionError(f"d{unknown.name}/d{t.name} is not determined at {shown}: the differentiated relation "
                              f"reads 0·d{unknown.name}/d{t.name} = {unicode_text(-rest_at)} there, and {what}")
    if not [v for v in quantities if v not in moment and formula.has(v)]:
        value = sp.simplify(formula.xreplace({rate_symbol(v, t): r for v, r in given.items()}).xreplace(moment))
        number = sp.N(value, 30)
        if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or not number.is_number or not number.is_finite \
                or not number.is_real:
            shown = ", ".join(f"{v} = {unicode_text(moment[v])}" for v in quantities if v in moment)
            raise OptionError(f"d{unknown.name}/d{t.name} is undefined at {shown}: the differentiated relation "
                              f"cannot be solved for it there ({target} = {unicode_text(formula)})")
        shown = ", ".join(f"{v} = {unicode_text(moment[v])}" for v in quantities if v in moment)
        shown_rates = ", ".join(f"d{v.name}/d{t.name} = {unicode_text(r)}" for v, r in given.items())
        steps.append(_Step("substitute the values", rf"{sp.latex(target)} = {sp.latex(value)}",
                           f"at {shown}; {shown_rates}: {target} = {unicode_text(value)}"))
    return Rates(relation, t, unknown, formula, value, moment, dict(given), steps)
