r"""How the results write mathematics, in LaTeX (text/latex) and in unicode text (text/plain).

Owns the spelling of everything a result shows: numbers (``format_number``, ``latex_number``),
expressions on one line of Unicode math that the expression language reads back (``unicode_text``),
names and primes, words made safe inside ``\text{}``, polynomials, worked steps, and ``Dialect``,
the small vocabulary in which each result describes itself once (``LATEX`` and ``TEXT`` are its
two dialects). Knows nothing about results, figures or IPython: it imports only SymPy, so the
engines, the value types and the result classes can all use it without importing one another.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import sympy as sp

# --- numbers ------------------------------------------------------------------------------------


def format_number(value: float | None, precision: int) -> str:
    """-1.000 at precision 3; scientific for very large or very small numbers; ∞ for infinities."""
    if value is None:
        return "undefined"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if value != 0 and (abs(value) >= 1e6 or abs(value) < 0.5 * 10 ** -precision):
        return f"{value:.{precision}e}"
    text = f"{value:.{precision}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def latex_number(value: float | None, precision: int) -> str:
    text = format_number(value, precision)
    if text in ("∞", "-∞"):
        return text.replace("∞", r"\infty")
    if "e" in text and text != "undefined":
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


# --- names, primes, words -----------------------------------------------------------------------

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def superscript(n: int) -> str:
    """² for 2, nothing for 1 (d²/dx², ∂/∂x)."""
    return "" if n == 1 else str(n).translate(_SUPERSCRIPTS)


def prime_marks(order: int, latex: bool) -> str:
    """Primes up to the third order (f''), then the order in parentheses: f^{(4)}, or f⁽⁴⁾ in text."""
    if order <= 3:
        return "'" * order
    return f"^{{({order})}}" if latex else f"⁽{str(order).translate(_SUPERSCRIPTS)}⁾"


def runs(symbols) -> list[tuple[sp.Symbol, int]]:
    """(x, x, y) → [(x, 2), (y, 1)]."""
    found: list[list] = []
    for s in symbols:
        if found and found[-1][0] == s:
            found[-1][1] += 1
        else:
            found.append([s, 1])
    return [(s, n) for s, n in found]


def latex_name(name: str) -> str:
    """f stays f, f' too; a longer name is an operator name: \\operatorname{my\\_f}."""
    base = name.rstrip("'")
    if base != name and base:
        return latex_name(base) + name[len(base):]
    escaped = name.replace("_", r"\_")
    return name if len(name) == 1 else rf"\operatorname{{{escaped}}}"


# Plain-ASCII spellings for what our messages contain: LaTeX/PDF export (pdflatex) rejects other
# characters inside \text{}, which MathJax and KaTeX would accept.
_ASCII = {"≈": "about", "∞": "infinity", "×": "x", "∇": "grad ", "∂": "d", "π": "pi", "Δ": "delta ", "√": "sqrt",
          "−": "-", "·": "*", "→": "->", "≤": "<=", "≥": ">=", "≠": "!=", "′": "'", "…": "..."}
# Powers in words are written x**2 there: a bare ^ is LaTeX's superscript, and dropping it would turn
# x^2 into x2 (superscript digits, which pdflatex rejects as well, are written the same way).
_RAISED = "⁻⁺⁽⁾⁰¹²³⁴⁵⁶⁷⁸⁹ˣʸᶻⁿᵗⁱᵃᵇᵏᵐʳˢᵘᵛʷ"
_FROM_SUPERSCRIPTS = str.maketrans(_RAISED, "-+()0123456789xyznti" + "abkmrsuvw")


def escape_text(text: str) -> str:
    """Text safe inside \\text{} for MathJax, KaTeX and LaTeX (pdflatex) alike: ASCII, specials escaped."""
    text = re.sub(f"[{_RAISED}]+", lambda m: "**" + m.group().translate(_FROM_SUPERSCRIPTS), text)
    for char, replacement in (("\\", ""), ("{", "("), ("}", ")"), ("_", r"\_"), ("%", r"\%"),
                              ("&", r"\&"), ("#", r"\#"), ("$", r"\$"), ("^", "**"), ("~", "about")):
        text = text.replace(char, replacement)
    text = "".join(_ASCII.get(char, char) for char in text)
    return text.encode("ascii", "ignore").decode("ascii")


def slope_words(left: float | None, right: float | None, digits: int) -> str:
    """What %deriv and %%tangent both say where a one-sided derivative is infinite.

    Both sides +∞ (∛x at 0): "vertical tangent (derivative +∞)"; otherwise the derivative does
    not exist, and the words say which kind of point it is, with the one-sided derivatives.
    """
    if left is not None and left == right and math.isinf(left):
        return f"vertical tangent (derivative {'+' if left > 0 else '-'}∞)"
    reason = ("edge of the domain" if left is None or right is None
              else "cusp" if math.isinf(left) and math.isinf(right) else "vertical on one side")
    sides = ", ".join(f"{side} {format_number(v, digits)}" for side, v in (("left", left), ("right", right))
                      if v is not None)
    return f"not differentiable ({reason}): {sides}"


# --- unicode math on one line -------------------------------------------------------------------


def _unicode_printer():
    from sympy.printing.precedence import PRECEDENCE
    from sympy.printing.str import StrPrinter

    class UnicodeLine(StrPrinter):
        """x²·sin(x), √(x + 1), |x|, e^(-x²), x^(1/3), π: Unicode math that the expression language reads back."""

        def _print_Mul(self, expr):
            return super()._print_Mul(expr).replace("*", "·")

        def _print_Pow(self, expr, rational=False):
            base, exponent = expr.as_base_exp()
            if exponent is sp.S.Half:
                return "√" + self._root_argument(base)
            if exponent is -sp.S.Half:
                return "1/√" + self._root_argument(base)
            if base is sp.E:
                return "e^" + self._exponent(exponent)
            shown = self.parenthesize(base, PRECEDENCE["Pow"], strict=True)
            if isinstance(base, sp.Pow) or (base.is_Rational and (base.is_negative or not base.is_Integer)):
                shown = f"({self._print(base)})"
            if exponent.is_Integer:
                return shown + superscript_number(int(exponent))
            return f"{shown}^{self._exponent(exponent)}"

        def _root_argument(self, base):
            text = self._print(base)
            return text if base.is_Symbol or (base.is_Integer and base.is_positive) else f"({text})"

        def _exponent(self, exponent):
            text = self._print(exponent)
            return text if exponent.is_Symbol or (exponent.is_Integer and exponent.is_nonnegative) else f"({text})"

        def _print_exp(self, expr):
            return "e^" + self._exponent(expr.args[0])

        def _print_Abs(self, expr):
            return f"|{self._print(expr.args[0])}|"

        def _print_Pi(self, expr):
            return "π"

        def _print_Exp1(self, expr):
            return "e"

        def _print_Infinity(self, expr):
            return "∞"

        def _print_NegativeInfinity(self, expr):
            return "-∞"

        def _print_Rational(self, expr):
            return f"{expr.p}/{expr.q}" if expr.q != 1 else str(expr.p)

    return UnicodeLine


_UNICODE_LINE = None


def unicode_text(expr) -> str:
    """An expression on one line in Unicode math (x²·sin(x), √x, |x|, π), never Python syntax: what the
    terminal prints, and what the expression language reads back as the same expression."""
    global _UNICODE_LINE
    if _UNICODE_LINE is None:
        _UNICODE_LINE = _unicode_printer()({"order": None})
    return _UNICODE_LINE.doprint(sp.sympify(expr))


def superscript_number(n: int) -> str:
    """² for 2, ⁻¹ for -1, ¹⁰ for 10: an integer exponent in superscript (1 too, unlike ``superscript``)."""
    return ("⁻" if n < 0 else "") + str(abs(n)).translate(_SUPERSCRIPTS)


# --- unicode pictures ---------------------------------------------------------------------------


def beside(picture: str, text: str) -> str:
    """Text to the right of a multi-line picture, on its middle line."""
    lines = picture.split("\n")
    middle = len(lines) // 2
    width = max(map(len, lines))
    return "\n".join(line.ljust(width) + (text if i == middle else "") for i, line in enumerate(lines))


def _printer():
    """SymPy's 2D unicode printer, with max and min drawn as functions (SymPy prints Max(x, x**2))."""
    from sympy.printing.pretty.pretty import PrettyPrinter

    class Printer(PrettyPrinter):
        def _print_Max(self, e):
            return self._print_Function(e, func_name="max")

        def _print_Min(self, e):
            return self._print_Function(e, func_name="min")

    return Printer({"use_unicode": True, "wrap_line": False})


def pretty(expr: sp.Basic) -> str:
    """``expr`` in SymPy's 2D unicode form (as ``sp.pretty``, with max and min as functions)."""
    return _printer()._print(expr).render(wrap_line=False)


def pretty_equation(lhs: str, rhs: sp.Expr) -> str:
    """``lhs = rhs`` with rhs in SymPy's 2D unicode form and lhs on its baseline."""
    from sympy.printing.pretty.stringpict import prettyForm

    form = _printer()._print(rhs)
    return prettyForm(*form.left(f"{lhs} = ")).render(wrap_line=False)


# --- polynomials --------------------------------------------------------------------------------


def rounded_polynomial(polynomial: sp.Expr, variables, digits: int, latex: bool) -> str | None:
    """0.878 x + 0.041 for a polynomial whose coefficients are not all rational; None if they are."""
    poly = sp.Poly(polynomial, *variables)
    if all(c.is_Rational for c in poly.coeffs()):
        return None
    number = latex_number if latex else format_number
    text = ""
    for coefficient, powers in zip(poly.coeffs(), poly.monoms()):
        value = float(coefficient)
        monomial = (" " if latex else "·").join(
            f"{sp.latex(v) if latex else unicode_text(v)}" + (f"^{{{e}}}" if latex else superscript(e)) * (e > 1)
            for v, e in zip(variables, powers) if e)
        term = (number(abs(value), digits) + (" " if latex else "·") + monomial) if monomial else number(abs(value), digits)
        text += (" - " if value < 0 else " + ") + term if text else ("-" if value < 0 else "") + term
    return text


def shifted_polynomial(coefficients, variables, center, latex: bool) -> str:
    """c₀ + c₁(x − a) + c₂(x − a)² ..., or z = c₀ + c₁(x − a) + c₂(y − b) for a plane."""
    printer = sp.latex if latex else unicode_text
    if len(variables) == 1:
        factors = [(variables[0], center[0], k) for k in range(len(coefficients))]
    else:
        factors = [(None, None, 0)] + [(v, c, 1) for v, c in zip(variables, center)]
    text = ""
    for coefficient, (v, c, power) in zip(coefficients, factors):
        if coefficient == 0:
            continue
        if v is None or power == 0:
            term = printer(coefficient)
        else:
            shift = printer(v - c) if c != 0 else printer(v)
            base = (rf"\left({shift}\right)" if latex else f"({shift})") if c != 0 else shift
            power_text = "" if power == 1 else (f"^{{{power}}}" if latex else superscript(power))
            size = abs(coefficient)
            factor = "" if size == 1 else (printer(size) if size.is_Atom or size.is_Pow or size.is_Function
                                           else (rf"\left({printer(size)}\right)" if latex else f"({printer(size)})"))
            joiner = " " if latex and factor else ("·" if factor else "")
            term = f"{factor}{joiner}{base}{power_text}"
            if coefficient.is_extended_negative:
                term = "-" + term
        if text and term.startswith("-"):
            text += " - " + term[1:]
        elif text:
            text += " + " + term
        else:
            text = term
    for opening, closing in ((r"\left(", r"\right)"), ("(", ")")):  # a lone (x - 1) needs no parentheses
        if text.startswith(opening) and text.endswith(closing) and text.count(opening) == 1:
            return text[len(opening):-len(closing)]
    return text or "0"


# --- worked steps -------------------------------------------------------------------------------


def steps_latex(steps) -> str:
    """A numbered derivation: each step's rule, its equation, and any caveat."""
    rows = []
    for number, step in enumerate(steps, start=1):
        caveat = rf" \quad \left({step.note_latex}\right)" if step.note_latex else ""
        rows.append(rf"&{number}.\ \text{{{escape_text(step.title)}:}} && {step.latex}{caveat}")
    return r"$$\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}$$"


def steps_text(steps) -> list[str]:
    return [f"{number:>3}. {step.title}: {step.text}" + (f"   ({step.note})" if step.note else "")
            for number, step in enumerate(steps, start=1)]


# --- the two dialects ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Dialect:
    r"""One of the two ways a result is written: LaTeX (``LATEX``) or unicode text (``TEXT``).

    A result describes itself once, as sections of blocks built with these methods; the dialect
    decides the spelling (``\partial`` or ∂, ``\text{...}`` or plain words, a bmatrix or
    [[...]]) and the layout: LaTeX blocks are ``$$`` displays and ``$`` lines separated by blank
    lines, aligned at ``&``; text sections are lines separated by a blank line, in padded columns.
    """

    latex: bool
    partial: str  # the partial-derivative sign
    nabla: str  # the gradient sign, ready for a name
    sep: str  # between juxtaposed pieces: LaTeX needs "\partial x", text writes "∂x"
    thin: str  # between the factors of a product of differentials
    space: str  # a space kept inside math
    dot: str  # a dot product
    approx: str  # "≈" between the sides of an equation
    pm: str  # "±" before a number

    # --- pieces ---------------------------------------------------------------------------
    def number(self, value: float | None, precision: int) -> str:
        return latex_number(value, precision) if self.latex else format_number(value, precision)

    def numbers(self, values, precision: int) -> str:
        """(1.000, -2.000): a point or a vector."""
        return "(" + ", ".join(self.number(v, precision) for v in values) + ")"

    def matrix(self, rows, precision: int) -> str:
        """A bmatrix, or [[1.000, 0.000], [0.000, 1.000]]."""
        if self.latex:
            body = r" \\ ".join(" & ".join(self.number(v, precision) for v in row) for row in rows)
            return rf"\begin{{bmatrix}}{body}\end{{bmatrix}}"
        return "[" + ", ".join("[" + ", ".join(self.number(v, precision) for v in row) + "]" for row in rows) + "]"

    def scientific(self, value: float) -> str:
        """A number to two significant digits in scientific form: 1.8e-15, or 1.8 \\times 10^{-15}."""
        text = f"{value:.1e}"
        if not self.latex:
            return text
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"

    def symbol(self, expr) -> str:
        """A SymPy symbol or expression on one line."""
        return sp.latex(expr) if self.latex else unicode_text(expr)

    def name(self, name: str) -> str:
        """A function's name."""
        return latex_name(name) if self.latex else name

    def label(self, value) -> tuple[str, ...]:
        """A value's coordinates as the user wrote them, in this dialect."""
        return value.latex_label if self.latex else value.label

    def words(self, text: str) -> str:
        """Words among the mathematics: \\text{...} with the specials escaped, or the words themselves."""
        return rf"\text{{{escape_text(text)}}}" if self.latex else text

    def remarks(self, words: str, detail: str) -> str:
        """What a value means, then how it was found: "a; b" in LaTeX, "a   (b)" in text."""
        if self.latex:
            return "; ".join(w for w in (words, detail) if w)
        return "   ".join(w for w in (words, detail and f"({detail})") if w)

    def args(self, items) -> str:
        """(x, y), with LaTeX's growing parentheses around anything that is not plain."""
        joined = ", ".join(items)
        return rf"\left({joined}\right)" if self.latex and "\\" in joined else f"({joined})"

    def parenthesized(self, text: str) -> str:
        return rf"\left({text}\right)" if self.latex else f"({text})"

    def subscript(self, base: str, index: str) -> str:
        return f"{base}_{{{index}}}" if self.latex else f"{base}_{index}"

    def power(self, base: str, n: int) -> str:
        """The n-th power of a differential or operator: d^{2}, ∂² (nothing shown for 1)."""
        if self.latex:
            return base if n == 1 else f"{base}^{{{n}}}"
        return base + superscript(n)

    def fraction(self, top: str, bottom: str) -> str:
        return rf"\frac{{{top}}}{{{bottom}}}" if self.latex else f"{top}/{bottom}"

    def bold(self, letter: str) -> str:
        """A vector's letter: \\mathbf{u}, or u."""
        return rf"\mathbf{{{letter}}}" if self.latex else letter

    def norm(self, text: str) -> str:
        return rf"\|{text}\|" if self.latex else f"|{text}|"

    def equation(self, lhs: str, rhs) -> str:
        """``lhs = rhs`` for a SymPy right-hand side: LaTeX, or SymPy's 2D unicode form beside lhs."""
        return f"{lhs} = {sp.latex(rhs)}" if self.latex else pretty_equation(lhs, rhs)

    def beside(self, picture: str, text: str) -> str:
        """Text after a formula: on the middle line of a 2D text picture."""
        return picture + text if self.latex else beside(picture, text)

    # --- rows of an aligned block ---------------------------------------------------------
    def row(self, lhs: str, value: str | None = None, comment: str = "", width: int = 0,
            value_width: int = 0) -> str:
        """``lhs = value`` with a comment beside it; without a value the comment says why there is none.

        Text pads the left side to ``width`` and right-aligns the value in ``value_width``, so
        the rows of a block line up as LaTeX's ``&`` line them up.
        """
        if self.latex:
            if value is None:
                return rf"{lhs} &\ {comment}"
            return rf"{lhs} &= {value}" + (f" && {comment}" if comment else "")
        head = lhs.ljust(width) + ("" if value is None else f" = {value.rjust(value_width)}")
        return f"{head}   {comment}" if comment else head

    def remark(self, lhs: str, comment: str, width: int = 0) -> str:
        """``lhs`` with a comment in the comment column, and no value."""
        return rf"{lhs} && {comment}" if self.latex else f"{lhs.ljust(width)}   {comment}"

    def labelled(self, label: str, rows: list[str]) -> list[str]:
        """Rows under a label: the first beside it in LaTeX, all of them below it (indented) in text."""
        if self.latex:
            return [rf"{label} & \quad {rows[0]}"] + [rf"& \quad {row}" for row in rows[1:]]
        return [label] + [f"  {row}" for row in rows]

    # --- blocks ---------------------------------------------------------------------------
    def display(self, math_: str) -> str:
        """A displayed formula: $$...$$, or the (possibly 2D) text itself."""
        return f"$${math_}$$" if self.latex else math_

    def inline(self, math_: str) -> str:
        """A line of words (and a little mathematics): $...$, or the text itself."""
        return f"${math_}$" if self.latex else math_

    def aligned(self, *groups: list[str], heading: str = "", indent: int = 0) -> str:
        """Rows in one aligned block: in text, groups are paragraphs and rows are indented by ``indent``."""
        if self.latex:
            rows = [rf"{self.words(heading)} &"] * bool(heading) + [row for group in groups for row in group]
            return r"$$\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}$$"
        paragraphs = ["\n".join(" " * indent + row for row in group) for group in groups if group]
        return "\n".join([heading] * bool(heading) + ["\n\n".join(paragraphs)] * bool(paragraphs))

    def table(self, header: list[str], rows: list[list[str] | None], width: int) -> str:
        """Right-aligned columns under a header (text: the first 4 wide, the others ``width``); None: rows left out."""
        if self.latex:
            body = [" & ".join([r"\vdots"] * len(header) if row is None else row) for row in rows]
            return (rf"$$\begin{{array}}{{{'r' * len(header)}}}{' & '.join(header)} \\ \hline "
                    + r" \\ ".join(body) + r"\end{array}$$")
        lines = [[*header]] + [["⋮"] if row is None else row for row in rows]
        return "\n".join(" ".join([cells[0].rjust(4)] + [c.rjust(width) for c in cells[1:]]) for cells in lines)

    def steps(self, steps) -> str:
        """A numbered derivation (steps.Step)."""
        return steps_latex(steps) if self.latex else "\n".join(steps_text(steps))

    def document(self, sections: list[list[str | None]]) -> str:
        """The whole result: sections of blocks (empty blocks and sections are left out).

        LaTeX separates every block by a blank line; text writes a section's blocks line after
        line, a blank line between sections, and no trailing spaces.
        """
        sections = [[block for block in section if block] for section in sections]
        if self.latex:
            return "\n\n".join(block for section in sections for block in section)
        text = "\n\n".join("\n".join(section) for section in sections if section)
        return "\n".join(line.rstrip() for line in text.split("\n"))


LATEX = Dialect(latex=True, partial=r"\partial", nabla="\\nabla ", sep=" ", thin=r"\,", space="\\ ",
                dot=r" \cdot ", approx=r" \approx ", pm="\\pm ")
TEXT = Dialect(latex=False, partial="∂", nabla="∇", sep="", thin="", space=" ", dot="·", approx=" ≈ ", pm="±")
