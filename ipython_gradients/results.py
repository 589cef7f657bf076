"""Result objects and how they display.

A result shows its mathematics first (text/latex with ``$$`` delimiters, text/plain as unicode
pretty text), then its figure as a separate image output: frontends show only one MIME type of a
bundle, and VS Code and JupyterLab both prefer LaTeX over PNG. In a plain terminal, which shows
no images, the figure is saved to a PNG file and its path printed.
"""

from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass, field
from typing import Any

import sympy as sp


@dataclass(frozen=True)
class PointValue:
    """A derivative at one point: its value, or why there is none, and what it means."""

    status: str  # "ok", "not differentiable", "infinite" (vertical tangent), "undefined"
    value: float | None = None
    left: float | None = None  # one-sided derivatives, where they were needed
    right: float | None = None
    meaning: str = ""  # "increasing", "stationary: local minimum", "concave up", ...
    reason: str = ""  # why there is no value
    point: tuple[float, ...] = ()
    label: tuple[str, ...] = ()  # the coordinates as the user wrote them
    latex_label: tuple[str, ...] = ()
    error: float | None = None  # error estimate of a numeric value
    method: str = ""  # how a numeric value was computed: "complex step", "central differences", ...
    step: float | None = None  # the finite-difference step, for numeric values


@dataclass(frozen=True)
class Check:
    """A value computed both ways, symbolically and numerically (--check)."""

    label: tuple[str, ...]
    latex_label: tuple[str, ...]
    symbolic: float | None
    numeric: float | None

    @property
    def absolute(self) -> float | None:
        if self.symbolic is None or self.numeric is None:
            return None
        return abs(self.symbolic - self.numeric)

    @property
    def relative(self) -> float | None:
        if self.absolute is None:
            return None
        return self.absolute / abs(self.symbolic) if self.symbolic else self.absolute


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


@dataclass(frozen=True)
class Display:
    """How a result is shown: the settings in force when it was computed."""

    precision: int = 3
    notation: str = "leibniz"
    figure_format: str = "png"


class FigureOutput:
    """Show a matplotlib figure as its own output (or save it, in a terminal)."""

    figure: Any
    display: Display

    def figure_bundle(self) -> tuple[dict, dict]:
        from .plotting import figure_bytes

        return figure_bytes(self.figure, self.display.figure_format)

    def _ipython_display_(self):
        from IPython import get_ipython
        from IPython.core.displaypub import DisplayPublisher
        from IPython.display import display

        shell = get_ipython()
        if shell is not None and type(shell.display_pub) is DisplayPublisher:
            # A plain terminal shows text only; a multi-line result starts below the Out[n] prompt,
            # as IPython itself does for multi-line reprs.
            text = self.text()
            print("\n" + text if "\n" in text else text)
            if self.figure is not None:
                print(f"Figure saved to {self.save_figure()}")
            return
        display(self._repr_mimebundle_(), raw=True)
        if self.figure is not None:
            data, metadata = self.figure_bundle()
            display(data, raw=True, metadata=metadata)

    def save_figure(self, path: str | None = None) -> str:
        """Write the figure to ``path`` (default: a new PNG file in the temporary folder)."""
        if path is None:
            folder = os.path.join(tempfile.gettempdir(), "ipython-gradients-figures")
            os.makedirs(folder, exist_ok=True)
            handle, path = tempfile.mkstemp(prefix="figure-", suffix=".png", dir=folder)
            os.close(handle)
        self.figure.savefig(path)
        return path

    def _repr_latex_(self) -> str:
        return self.latex()

    def _repr_pretty_(self, printer, cycle):
        printer.text(self.text())

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/plain": self.text(), "text/latex": self.latex()}


@dataclass(repr=False, eq=False)
class DerivativeResult(FigureOutput):
    """What ``%deriv`` and ``deriv()`` return."""

    expr: sp.Expr | None  # None for a Python function that could not be traced
    function_variables: tuple[sp.Symbol, ...]
    wrt: tuple[sp.Symbol, ...]  # differentiation sequence: (x, x) for d²/dx², (x, y) for ∂²/∂y∂x
    derivative: sp.Expr | None  # None when computed numerically
    name: str | None = None
    method: str = "symbolic"  # "symbolic", or "numeric" for a function that could not be traced
    points: list[PointValue] = field(default_factory=list)
    figure: Any = None
    notes: list[str] = field(default_factory=list)
    display: Display = field(default_factory=Display)
    checks: list[Check] = field(default_factory=list)
    steps: list = field(default_factory=list)  # steps.Step, with --steps

    @property
    def order(self) -> int:
        return len(self.wrt)

    @property
    def variables(self) -> tuple[sp.Symbol, ...]:
        """The distinct variables differentiated with respect to, in order."""
        return tuple(dict.fromkeys(self.wrt))

    @property
    def variable(self) -> sp.Symbol | None:
        """The variable, when there is one (None for a mixed partial derivative)."""
        return self.wrt[0] if len(self.variables) == 1 else None

    @property
    def partial(self) -> bool:
        return len(self.function_variables) > 1

    @property
    def values(self) -> dict:
        """Point → value (None where undefined or not differentiable). A point of one variable is a float."""
        return {(p.point[0] if len(p.point) == 1 else p.point): (p.value if p.status == "ok" else None)
                for p in self.points}

    def __repr__(self) -> str:
        return (f"DerivativeResult(expr={self.expr}, wrt={self.wrt}, derivative={self.derivative}, "
                f"values={self.values}, figure={'yes' if self.figure is not None else 'None'})")

    # --- notation -------------------------------------------------------------------------
    def _function_name(self) -> str:
        return self.name or "f"

    def _args_latex(self, coordinates: tuple[str, ...] | None = None) -> str:
        args = ", ".join(coordinates or [sp.latex(v) for v in self.function_variables])
        return rf"\left({args}\right)" if "\\" in args else f"({args})"

    def _prime_latex(self, coordinates: tuple[str, ...] | None = None) -> str:
        """f'(x), f''(x), f^{(4)}(x); partials as subscripts f_{xy}(x, y)."""
        name = _latex_name(self._function_name())
        args = self._args_latex(coordinates)
        if self.partial:
            return rf"{name}_{{{''.join(sp.latex(v) for v in self.wrt)}}}{args}"
        return f"{name}{prime_marks(self.order, latex=True)}{args}"

    def _prime_text(self, coordinates: tuple[str, ...] | None = None) -> str:
        name = self._function_name()
        args = ", ".join(coordinates or [str(v) for v in self.function_variables])
        if self.partial:
            return f"{name}_{''.join(str(v) for v in self.wrt)}({args})"
        return f"{name}{prime_marks(self.order, latex=False)}({args})"

    def curve_label(self, k: int) -> str:
        """The legend label of f^(k) in a figure: f(x) = x^{2}, f'(x) = 2 x (mathtext)."""
        name = self.name if self.name and len(self.name) == 1 else "f"
        head = f"{name}{prime_marks(k, latex=True)}({self.function_variables[0]})"
        formula = self.expr if k == 0 else (self.derivative if k == self.order else None)
        return f"${head} = {sp.latex(formula)}$" if formula is not None else f"${head}$"

    def _leibniz_latex(self) -> str:
        d = r"\partial" if self.partial else "d"
        top = d if self.order == 1 else f"{d}^{{{self.order}}}"
        bottom = r"\,".join(_power(f"{d} {sp.latex(v)}", n) for v, n in _runs(reversed(self.wrt)))
        name = self._function_name()
        if self.name and len(name) == 1:
            return rf"\frac{{{top} {name}}}{{{bottom}}}"
        operator = rf"\frac{{{top}}}{{{bottom}}}"
        if self.name:
            return rf"{operator} {_latex_name(name)}{self._args_latex()}"
        return rf"{operator} \left({sp.latex(self.expr)}\right)" if self.expr is not None \
            else rf"{operator} f{self._args_latex()}"

    def _leibniz_text(self) -> str:
        d = "∂" if self.partial else "d"
        top = d + _superscript(self.order)
        bottom = "".join(f"{d}{v}{_superscript(n)}" for v, n in _runs(reversed(self.wrt)))
        name = self._function_name()
        if self.name and len(name) == 1:
            return f"{top}{name}/{bottom}"
        return f"{top}/{bottom} {name}({self._args_text()})"

    def _args_text(self) -> str:
        return ", ".join(str(v) for v in self.function_variables)

    # --- rendering ------------------------------------------------------------------------
    def latex(self) -> str:
        lhs = self._prime_latex() if self.display.notation == "prime" else self._leibniz_latex()
        if self.derivative is not None:
            blocks = [f"$${lhs} = {sp.latex(self.derivative)}$$"]
        else:
            blocks = [rf"$${lhs} \quad \text{{computed numerically at the points}}$$"]
        rows = [self._point_latex(p) for p in self.points]
        if rows:
            blocks.append(r"$$\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}$$")
        if self.steps:
            blocks.append(steps_latex(self.steps))
        if self.checks:
            rows = [rf"{self._prime_latex(c.latex_label)} && \text{{{_escape_text(_check_words(c))}}}"
                    for c in self.checks]
            blocks.append(r"$$\begin{aligned}\text{check, symbolic vs numeric:} & \\ "
                          + r" \\ ".join(rows) + r"\end{aligned}$$")
        blocks += [rf"$\text{{{_escape_text(note)}}}$" for note in self.notes]
        return "\n\n".join(blocks)

    def _point_latex(self, p: PointValue) -> str:
        lhs = self._prime_latex(p.latex_label)
        digits = self.display.precision
        if p.status == "ok":
            words = "; ".join(w for w in (p.meaning, _numeric_words(p)) if w)
            words = rf" && \text{{{_escape_text(words)}}}" if words else ""
            return rf"{lhs} &= {latex_number(p.value, digits)}{words}"
        return rf"{lhs} &\ \text{{{_escape_text(self._status_words(p))}}}"

    def _status_words(self, p: PointValue) -> str:
        digits = self.display.precision
        if p.status == "infinite":
            return slope_words(p.value, p.value, digits)
        if p.status == "not differentiable":
            sides = ", ".join(f"{side} {format_number(v, digits)}" for side, v in
                              (("left", p.left), ("right", p.right)) if v is not None)
            words = f"not differentiable ({p.reason})" + (f": {sides}" if sides else "")
            return words + (f"; {p.meaning}" if p.meaning else "")
        return f"undefined: {p.reason}"

    def text(self) -> str:
        if self.derivative is None:
            if self.display.notation == "leibniz" and self.name is None and self.expr is not None:
                lhs = sp.pretty(sp.Derivative(self.expr, *self.wrt, evaluate=False))
            else:
                lhs = self._prime_text() if self.display.notation == "prime" else self._leibniz_text()
            equation = _beside(lhs, ": computed numerically at the points")
        elif self.display.notation == "leibniz" and self.name is None:
            equation = sp.pretty(sp.Eq(sp.Derivative(self.expr, *self.wrt, evaluate=False),
                                       self.derivative, evaluate=False))
        else:
            lhs = self._prime_text() if self.display.notation == "prime" else self._leibniz_text()
            equation = _pretty_equation(lhs, self.derivative)
        lines = [equation]
        if self.points:
            labels = [self._prime_text(p.label) for p in self.points]
            values = [format_number(p.value, self.display.precision) if p.status == "ok" else ""
                      for p in self.points]
            label_width = max(map(len, labels))
            value_width = max(map(len, values))
            lines.append("")
            for label, value, p in zip(labels, values, self.points):
                if p.status != "ok":
                    lines.append(f"{label.ljust(label_width)}   {self._status_words(p)}")
                    continue
                numeric = _numeric_words(p)
                words = [w for w in (p.meaning, numeric and f"({numeric})") if w]
                lines.append(f"{label.ljust(label_width)} = {value.rjust(value_width)}   "
                             + "   ".join(words))
        if self.steps:
            lines += ["", "Steps:"] + steps_text(self.steps)
        if self.checks:
            labels = [self._prime_text(c.label) for c in self.checks]
            width = max(map(len, labels))
            lines += ["", "check, symbolic vs numeric:"]
            lines += [f"{label.ljust(width)}   {_check_words(c)}" for label, c in zip(labels, self.checks)]
        lines += [""] * bool(self.notes) + self.notes
        return "\n".join(line.rstrip() for line in "\n".join(lines).split("\n"))


def steps_latex(steps) -> str:
    """A numbered derivation: each step's rule, its equation, and any caveat."""
    rows = []
    for number, step in enumerate(steps, start=1):
        caveat = rf" \quad \left({step.note_latex}\right)" if step.note_latex else ""
        rows.append(rf"&{number}.\ \text{{{_escape_text(step.title)}:}} && {step.latex}{caveat}")
    return r"$$\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}$$"


def steps_text(steps) -> list[str]:
    return [f"{number:>3}. {step.title}: {step.text}" + (f"   ({step.note})" if step.note else "")
            for number, step in enumerate(steps, start=1)]


def _numeric_words(p: PointValue) -> str:
    """'central differences, h = 1.2e-03, error ≈ 3.1e-11' for a numeric value; '' for a symbolic one."""
    if not p.method:
        return ""
    parts = [p.method]
    if p.step is not None and p.method != "complex step":
        parts.append(f"h = {p.step:.1e}")
    if p.error is not None:
        parts.append(f"error ≈ {p.error:.1e}")
    return ", ".join(parts)


def _check_words(c: Check) -> str:
    def shown(v):
        return "undefined" if v is None else f"{v:.17g}"

    words = f"symbolic {shown(c.symbolic)}, numeric {shown(c.numeric)}"
    if c.absolute is not None:
        words += f", |difference| {c.absolute:.1e}, relative {c.relative:.1e}"
    return words


def _beside(picture: str, text: str) -> str:
    """Text to the right of a multi-line picture, on its middle line."""
    lines = picture.split("\n")
    middle = len(lines) // 2
    width = max(map(len, lines))
    return "\n".join(line.ljust(width) + (text if i == middle else "") for i, line in enumerate(lines))


def _pretty_equation(lhs: str, rhs: sp.Expr) -> str:
    """``lhs = rhs`` with rhs in SymPy's 2D unicode form and lhs on its baseline."""
    from sympy.printing.pretty.pretty import PrettyPrinter
    from sympy.printing.pretty.stringpict import prettyForm

    form = PrettyPrinter({"use_unicode": True, "wrap_line": False})._print(rhs)
    return prettyForm(*form.left(f"{lhs} = ")).render(wrap_line=False)


_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _superscript(n: int) -> str:
    return "" if n == 1 else str(n).translate(_SUPERSCRIPTS)


def prime_marks(order: int, latex: bool) -> str:
    """Primes up to the third order (f''), then the order in parentheses: f^{(4)}, or f^(4) in text."""
    if order <= 3:
        return "'" * order
    return f"^{{({order})}}" if latex else f"^({order})"


def _runs(symbols) -> list[tuple[sp.Symbol, int]]:
    """(x, x, y) → [(x, 2), (y, 1)]."""
    runs: list[list] = []
    for s in symbols:
        if runs and runs[-1][0] == s:
            runs[-1][1] += 1
        else:
            runs.append([s, 1])
    return [(s, n) for s, n in runs]


def _power(base: str, n: int) -> str:
    return base if n == 1 else f"{base}^{{{n}}}"


def _latex_name(name: str) -> str:
    escaped = name.replace("_", r"\_")
    return name if len(name) == 1 else rf"\operatorname{{{escaped}}}"


# Plain-ASCII spellings for what our messages contain: LaTeX/PDF export (pdflatex) rejects other
# characters inside \text{}, which MathJax and KaTeX would accept.
_ASCII = {"≈": "about", "∞": "infinity", "×": "x", "∇": "grad ", "∂": "d", "π": "pi", "Δ": "delta ", "√": "sqrt",
          "−": "-", "·": "*", "→": "->", "≤": "<=", "≥": ">=", "²": "^2", "³": "^3", "′": "'", "…": "..."}


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


def _escape_text(text: str) -> str:
    """Text safe inside \\text{} for MathJax, KaTeX and LaTeX (pdflatex) alike: ASCII, specials escaped."""
    for char, replacement in (("\\", ""), ("{", "("), ("}", ")"), ("_", r"\_"), ("%", r"\%"),
                              ("&", r"\&"), ("#", r"\#"), ("$", r"\$"), ("^", ""), ("~", "about")):
        text = text.replace(char, replacement)
    text = "".join(_ASCII.get(char, char) for char in text)
    return text.encode("ascii", "ignore").decode("ascii")


# --- gradients ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class GradientPoint:
    """Everything %grad says at one point."""

    point: tuple[float, ...]
    label: tuple[str, ...]
    latex_label: tuple[str, ...]
    gradient: tuple[float, ...] | None = None  # None where undefined
    errors: tuple[float, ...] | None = None  # numeric error estimates
    directional: float | None = None
    hessian: tuple[tuple[float, ...], ...] | None = None
    eigenvalues: tuple[float, ...] | None = None
    definiteness: str = ""
    jacobian: tuple[tuple[float, ...], ...] | None = None
    reason: str = ""  # why there is no gradient
    stationary: bool = False  # ∇f = 0 there: exactly, or within the numeric error
    method: str = ""  # how a numeric gradient was computed
    note: str = ""  # a caveat about this point's values (f changes pieces there)

    @property
    def norm(self) -> float | None:
        return None if self.gradient is None else math.sqrt(sum(g * g for g in self.gradient))


@dataclass(frozen=True)
class CriticalPoint:
    point: tuple[float, ...]
    kind: str  # "local minimum", "local maximum", "saddle point", "degenerate (test inconclusive)"
    exact: tuple[sp.Expr, ...] | None = None  # the exact solution, when SymPy found it
    eigenvalues: tuple[float, ...] = ()


@dataclass(repr=False, eq=False)
class GradientResult(FigureOutput):
    """What ``%grad`` and ``grad()`` return."""

    expr: sp.Expr | None  # None for a vector function or an untraced Python function
    variables: tuple[sp.Symbol, ...]
    gradient: sp.Matrix | None = None
    name: str | None = None
    method: str = "symbolic"
    components: tuple[sp.Expr, ...] | None = None  # a vector function's components
    jacobian: sp.Matrix | None = None
    hessian: sp.Matrix | None = None
    direction: tuple[float, ...] | None = None  # the unit direction of --dir
    directional: sp.Expr | None = None  # ∇f · u
    points: list[GradientPoint] = field(default_factory=list)
    critical: list[CriticalPoint] = field(default_factory=list)
    critical_note: str = ""  # how the critical points were found, or why not
    descent: Any = None  # numeric.DescentRun
    steps: list = field(default_factory=list)  # (variable, [steps.Step]) per component, with --steps
    figure: Any = None
    notes: list[str] = field(default_factory=list)
    display: Display = field(default_factory=Display)

    @property
    def values(self) -> dict:
        """Point → the gradient there as a SymPy column Matrix (the Jacobian for a vector function)."""
        values = {}
        for p in self.points:
            key = p.point if len(p.point) > 1 else p.point[0]
            if p.jacobian is not None:
                values[key] = sp.Matrix(p.jacobian)
            else:
                values[key] = None if p.gradient is None else sp.Matrix(p.gradient)
        return values

    @property
    def critical_points(self) -> list[tuple[tuple[float, ...], str]]:
        return [(c.point, c.kind) for c in self.critical]

    @property
    def path(self):
        return None if self.descent is None else self.descent.path

    def __repr__(self) -> str:
        return (f"GradientResult(expr={self.expr}, variables={self.variables}, gradient={self.gradient}, "
                f"values={self.values}, figure={'yes' if self.figure is not None else 'None'})")

    # --- pieces ---------------------------------------------------------------------------
    def _name(self) -> str:
        return self.name or ("F" if self.components is not None else "f")

    def _args(self, latex: bool, coordinates: tuple[str, ...] | None = None) -> str:
        args = ", ".join(coordinates or [sp.latex(v) if latex else str(v) for v in self.variables])
        return rf"\left({args}\right)" if latex and "\\" in args else f"({args})"

    def _digits(self, values, latex: bool) -> str:
        fmt = latex_number if latex else format_number
        return "(" + ", ".join(fmt(v, self.display.precision) for v in values) + ")"

    def _matrix_latex(self, rows) -> str:
        body = r" \\ ".join(" & ".join(latex_number(v, self.display.precision) for v in row) for row in rows)
        return rf"\begin{{bmatrix}}{body}\end{{bmatrix}}"

    def _matrix_text(self, rows) -> str:
        return "[" + ", ".join(self._digits(row, False).replace("(", "[").replace(")", "]") for row in rows) + "]"

    # --- rendering ------------------------------------------------------------------------
    def latex(self) -> str:
        name, args = _latex_name(self._name()), self._args(True)
        blocks = []
        if self.components is not None:
            vector = sp.latex(sp.Matrix(self.components))
            blocks.append(f"$${name}{args} = {vector}$$")
            if self.jacobian is not None:
                blocks.append(f"$$J_{{{name}}}{args} = {sp.latex(self.jacobian)}$$")
        else:
            if self.expr is not None:
                blocks.append(f"$${name}{args} = {sp.latex(self.expr)}$$")
            partials = r" \\ ".join(rf"\frac{{\partial {name}}}{{\partial {sp.latex(v)}}}" for v in self.variables)
            rhs = sp.latex(self.gradient) if self.gradient is not None else r"\text{computed numerically at the points}"
            blocks.append(rf"$$\nabla {name}{args} = \begin{{bmatrix}}{partials}\end{{bmatrix}} = {rhs}$$")
        if self.hessian is not None:
            blocks.append(f"$$H_{{{name}}}{args} = {sp.latex(self.hessian)}$$")
        if self.direction is not None:
            unit = self._digits(self.direction, True)
            rhs = f" = {sp.latex(self.directional)}" if self.directional is not None else ""
            blocks.append(rf"$$D_{{\mathbf{{u}}}} {name} = \nabla {name} \cdot \mathbf{{u}}{rhs}, \quad "
                          rf"\mathbf{{u}} = {unit}$$")
        for variable, component in self.steps:
            blocks.append(rf"$\text{{Steps for }} \frac{{\partial {name}}}{{\partial {sp.latex(variable)}}}:$")
            blocks.append(steps_latex(component))
        rows = [row for p in self.points for row in self._point_latex(p)]
        if rows:
            blocks.append(r"$$\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}$$")
        blocks += self._critical_latex() + self._descent_latex()
        blocks += [rf"$\text{{{_escape_text(note)}}}$" for note in self.notes]
        return "\n\n".join(blocks)

    def _point_latex(self, p: GradientPoint) -> list[str]:
        name, at = _latex_name(self._name()), self._args(True, p.latex_label)
        if p.jacobian is not None:
            return [rf"J_{{{name}}}{at} &= {self._matrix_latex(p.jacobian)}"]
        if p.gradient is None:
            return [rf"\nabla {name}{at} &\ \text{{{_escape_text('undefined: ' + p.reason)}}}"]
        norm = rf"\|\nabla {name}\| = {latex_number(p.norm, self.display.precision)}"
        rows = [rf"\nabla {name}{at} &= {self._digits(p.gradient, True)} && {norm},\ "
                rf"\text{{{_escape_text(self._direction_words(p))}}}"]
        if p.directional is not None:
            rows.append(rf"D_{{\mathbf{{u}}}} {name}{at} &= {latex_number(p.directional, self.display.precision)}")
        if p.hessian is not None:
            rows.append(rf"H_{{{name}}}{at} &= {self._matrix_latex(p.hessian)} && "
                        rf"\text{{{_escape_text(self._hessian_words(p))}}}")
        elif p.definiteness:
            rows.append(rf"H_{{{name}}}{at} &\ \text{{{_escape_text(p.definiteness)}}}")
        return rows

    def _direction_words(self, p: GradientPoint) -> str:
        """'steepest ascent along (0.447, 0.894)', or 'stationary point' where ∇f = 0."""
        if p.stationary:
            words = "stationary point"
        else:
            words = "steepest ascent along " + self._digits([g / p.norm for g in p.gradient], False)
        if p.errors is not None:
            words += f" ({p.method or 'numeric'}, error ≈ {max(p.errors):.1e})"
        return words

    def _hessian_words(self, p: GradientPoint) -> str:
        return f"eigenvalues {self._digits(p.eigenvalues, False)}: {p.definiteness}"

    def _critical_latex(self) -> list[str]:
        if not self.critical_note:
            return []
        rows = [rf"{self._args(True, _latex_coordinates(c))} && \text{{{_escape_text(c.kind)}}}" for c in self.critical]
        block = rf"$\text{{{_escape_text(self.critical_note)}}}$"
        if rows:
            block += "\n\n" + r"$$\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}$$"
        return [block]

    def _descent_latex(self) -> list[str]:
        if self.descent is None:
            return []
        header = " & ".join(["k"] + [sp.latex(v) for v in self.variables] + [_latex_name(self._name())])
        rows = []
        for k in _shown_iterations(len(self.descent.path)):
            if k is None:
                rows.append(" & ".join([r"\vdots"] * (len(self.variables) + 2)))
                continue
            cells = [str(k)] + [latex_number(c, self.display.precision) for c in self.descent.path[k]]
            rows.append(" & ".join(cells + [latex_number(self.descent.values[k], self.display.precision)]))
        columns = "r" * (len(self.variables) + 2)
        table = rf"$$\begin{{array}}{{{columns}}}{header} \\ \hline " + r" \\ ".join(rows) + r"\end{array}$$"
        return [rf"$\text{{{_escape_text(self._descent_heading())}}}$", table,
                rf"$\text{{{_escape_text(self.descent.message)}}}$"]

    def _descent_heading(self) -> str:
        start = self._digits(self.descent.path[0], False)
        end = self._digits(self.descent.path[-1], False)
        value = format_number(float(self.descent.values[-1]), self.display.precision)
        return f"Gradient descent from {start}: ends at {end}, {self._name()} = {value}"

    def text(self) -> str:
        name, args = self._name(), self._args(False)
        lines = []
        if self.components is not None:
            lines.append(_pretty_equation(f"{name}{args}", sp.Matrix(self.components)))
            if self.jacobian is not None:
                lines.append(_pretty_equation(f"J_{name}{args}", self.jacobian))
        else:
            if self.expr is not None:
                lines.append(_pretty_equation(f"{name}{args}", self.expr))
            if self.gradient is not None:
                lines.append(_pretty_equation(f"∇{name}{args}", self.gradient))
            else:
                lines.append(f"∇{name}{args}: computed numerically at the points")
        if self.hessian is not None:
            lines.append(_pretty_equation(f"H_{name}{args}", self.hessian))
        if self.direction is not None:
            unit = self._digits(self.direction, False)
            if self.directional is not None:
                lines.append(_beside(_pretty_equation(f"D_u {name} = ∇{name}·u", self.directional), f",  u = {unit}"))
            else:
                lines.append(f"D_u {name} = ∇{name}·u,  u = {unit}")
        for variable, component in self.steps:
            lines += ["", f"Steps for ∂{name}/∂{variable}:"] + steps_text(component)
        for p in self.points:
            lines.append("")
            at = self._args(False, p.label)
            if p.jacobian is not None:
                lines.append(f"J_{name}{at} = {self._matrix_text(p.jacobian)}")
            elif p.gradient is None:
                lines.append(f"∇{name}{at}   undefined: {p.reason}")
            else:
                lines.append(f"∇{name}{at} = {self._digits(p.gradient, False)}   "
                             f"|∇{name}| = {format_number(p.norm, self.display.precision)}, {self._direction_words(p)}")
                if p.directional is not None:
                    lines.append(f"D_u {name}{at} = {format_number(p.directional, self.display.precision)}")
                if p.hessian is not None:
                    lines.append(f"H_{name}{at} = {self._matrix_text(p.hessian)}   {self._hessian_words(p)}")
                elif p.definiteness:
                    lines.append(f"H_{name}{at}   {p.definiteness}")
        if self.critical_note:
            lines += ["", self.critical_note]
            lines += [f"  {self._args(False, _text_coordinates(c))}   {c.kind}" for c in self.critical]
        if self.descent is not None:
            lines += ["", self._descent_heading()]
            width = self.display.precision + 8
            header = ["k".rjust(4)] + [str(v).rjust(width) for v in self.variables] + [name.rjust(width)]
            lines.append(" ".join(header))
            for k in _shown_iterations(len(self.descent.path)):
                if k is None:
                    lines.append("   ⋮")
                    continue
                cells = [format_number(c, self.display.precision).rjust(width) for c in self.descent.path[k]]
                value = format_number(float(self.descent.values[k]), self.display.precision).rjust(width)
                lines.append(" ".join([str(k).rjust(4)] + cells + [value]))
            lines.append(self.descent.message)
        lines += [""] * bool(self.notes) + self.notes
        return "\n".join(line.rstrip() for line in "\n".join(lines).split("\n"))


def _shown_iterations(count: int) -> list[int | None]:
    """Every iteration of a short run; the first and last five of a long one (None: the gap)."""
    if count <= 12:
        return list(range(count))
    return list(range(5)) + [None] + list(range(count - 5, count))


def _latex_coordinates(c: CriticalPoint) -> tuple[str, ...]:
    if c.exact is not None:  # a root of a quintic (CRootOf) says less than its digits
        return tuple(f"{p:.6g}" if v.has(sp.CRootOf) else sp.latex(v) for v, p in zip(c.exact, c.point))
    return tuple(f"{v:.6g}" for v in c.point)


def _text_coordinates(c: CriticalPoint) -> tuple[str, ...]:
    if c.exact is not None:
        return tuple(f"{p:.6g}" if v.has(sp.CRootOf) else str(v) for v, p in zip(c.exact, c.point))
    return tuple(f"{v:.6g}" for v in c.point)


# --- tangents -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class TangentLine:
    """The tangent line (or Taylor polynomial, or tangent plane) of one function at one point."""

    name: str  # the function's name: f, g, or f₁, f₂ for unnamed lines
    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    point: tuple[float, ...]
    label: tuple[str, ...]
    latex_label: tuple[str, ...]
    center: tuple[sp.Expr, ...]  # the point, exactly
    kind: str  # "line", "taylor", "plane", "vertical", "none"
    coefficients: tuple[sp.Expr, ...] = ()  # Taylor: f(a), f'(a), f''(a)/2, ...; plane: f, f_x, f_y
    reason: str = ""  # why there is no tangent
    left: float | None = None
    right: float | None = None
    normal: bool = False
    secants: tuple[tuple[float, float, float, float], ...] = ()  # (h, rise, slope, slope - f'(a))
    deltas: tuple[tuple[float, float, float, float], ...] = ()  # (Δx, approximation, true value, error)
    errors: tuple[float, ...] = ()  # numeric coefficients: the estimated absolute error of each

    @property
    def slope(self) -> float | None:
        """f'(a) for a line; None for a plane (see ``slopes``), a vertical tangent, or none."""
        return float(self.coefficients[1]) if self.kind in ("line", "taylor") and len(self.coefficients) > 1 else None

    @property
    def slopes(self) -> tuple[float, ...] | None:
        return tuple(float(c) for c in self.coefficients[1:]) if self.kind == "plane" else None

    @property
    def polynomial(self) -> sp.Expr | None:
        """The right-hand side as one SymPy expression: m x + c for a line."""
        if self.kind in ("line", "taylor"):
            x, a = self.variables[0], self.center[0]
            return sp.expand(sum(c * (x - a) ** k for k, c in enumerate(self.coefficients)))
        if self.kind == "plane":
            height, *slopes = self.coefficients
            return sp.expand(height + sum(m * (v - c) for m, v, c in zip(slopes, self.variables, self.center)))
        return None

    @property
    def equation(self) -> sp.Eq | None:
        """y = m x + c, z = ... for a plane, x = a for a vertical tangent, or None."""
        if self.kind == "vertical":
            return sp.Eq(self.variables[0], self.center[0])
        polynomial = self.polynomial
        if polynomial is None:
            return None
        return sp.Eq(sp.Symbol("z" if self.kind == "plane" else "y"), polynomial)

    @property
    def normal_equation(self) -> sp.Eq | None:
        """The normal line through (a, f(a)): slope −1/f'(a); vertical where the tangent is flat."""
        if not self.normal or self.kind not in ("line", "taylor", "vertical"):
            return None
        x, a = self.variables[0], self.center[0]
        y = sp.Symbol("y")
        if self.kind == "vertical":
            return sp.Eq(y, self.expr.subs(x, a))
        height, slope = self.coefficients[0], self.coefficients[1]
        if slope == 0:
            return sp.Eq(x, a)
        return sp.Eq(y, sp.expand(height - (x - a) / slope))


def _rounded_polynomial(polynomial: sp.Expr, variables, digits: int, latex: bool) -> str | None:
    """0.878 x + 0.041 for a polynomial whose coefficients are not all rational; None if they are."""
    poly = sp.Poly(polynomial, *variables)
    if all(c.is_Rational for c in poly.coeffs()):
        return None
    number = latex_number if latex else format_number
    text = ""
    for coefficient, powers in zip(poly.coeffs(), poly.monoms()):
        value = float(coefficient)
        monomial = " ".join(f"{sp.latex(v) if latex else v}" + (f"^{{{e}}}" if latex else f"**{e}") * (e > 1)
                            for v, e in zip(variables, powers) if e)
        term = (number(abs(value), digits) + (" " if latex else "*") + monomial) if monomial else number(abs(value), digits)
        text += (" - " if value < 0 else " + ") + term if text else ("-" if value < 0 else "") + term
    return text


def shifted_polynomial(coefficients, variables, center, latex: bool) -> str:
    """c₀ + c₁(x − a) + c₂(x − a)² ..., or z = c₀ + c₁(x − a) + c₂(y − b) for a plane."""
    printer = sp.latex if latex else sp.sstr
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
            power_text = "" if power == 1 else (f"^{{{power}}}" if latex else f"**{power}")
            size = abs(coefficient)
            factor = "" if size == 1 else (printer(size) if size.is_Atom or size.is_Pow or size.is_Function
                                           else (rf"\left({printer(size)}\right)" if latex else f"({printer(size)})"))
            joiner = " " if latex and factor else ("*" if factor else "")
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


@dataclass(repr=False, eq=False)
class TangentResult(FigureOutput):
    """What ``%%tangent`` and ``tangent()`` return (the cell's value)."""

    lines: list[TangentLine] = field(default_factory=list)
    functions: list[tuple[str, sp.Expr, tuple[sp.Symbol, ...]]] = field(default_factory=list)
    order: int = 1
    figure: Any = None
    notes: list[str] = field(default_factory=list)
    display: Display = field(default_factory=Display)

    def __repr__(self) -> str:
        shown = ", ".join(str(line.equation) for line in self.lines)
        return f"TangentResult(lines=[{shown}], figure={'yes' if self.figure is not None else 'None'})"

    def _what(self, line: TangentLine) -> str:
        if line.kind == "plane":
            return "tangent plane"
        return "tangent line" if self.order == 1 else f"Taylor polynomial of degree {self.order}"

    def _at(self, line: TangentLine, latex: bool) -> str:
        labels = line.latex_label if latex else line.label
        if len(line.variables) == 1:
            return f"{sp.latex(line.variables[0]) if latex else line.variables[0]} = {labels[0]}"
        return f"({', '.join(str(v) for v in line.variables)}) = ({', '.join(labels)})"

    def _rows(self, line: TangentLine, latex: bool) -> list[str]:
        """The equations (or the reason there are none) for one line, LaTeX or text."""
        digits = self.display.precision
        eq = (lambda s: f"{'z' if line.kind == 'plane' else 'y'} = {s}")
        if line.kind == "none":
            sides = ", ".join(f"{side} {format_number(v, digits)}" for side, v in
                              (("left", line.left), ("right", line.right)) if v is not None)
            words = line.reason + (f": one-sided slopes {sides}" if sides else "") + "; no tangent"
            return [rf"\text{{{_escape_text(words)}}}" if latex else words]
        if line.kind == "vertical":  # in %deriv's words for the same point
            x = sp.latex(line.variables[0]) if latex else str(line.variables[0])
            a = line.latex_label[0] if latex else line.label[0]
            words = slope_words(line.left, line.right, digits)
            if not words.startswith("vertical tangent"):
                words = "vertical tangent; " + words
            return [rf"{x} = {a} \quad \text{{{_escape_text(words)}}}" if latex else f"{x} = {a}   {words}"]
        point_slope = shifted_polynomial(line.coefficients, line.variables, line.center, latex)
        rows = [eq(point_slope)]
        simplified = (sp.latex if latex else sp.sstr)(line.polynomial)
        if simplified != point_slope:
            rows.append(eq(simplified))
        approximate = _rounded_polynomial(line.polynomial, line.variables, digits, latex)
        if approximate is not None:
            rows.append(eq(approximate).replace(" = ", r" \approx " if latex else " ≈ ", 1))
        if line.errors:
            bound = f"{max(line.errors):.1e}"
            mantissa, exponent = bound.split("e")
            rows.append(rf"\text{{(computed numerically: each coefficient within }} \pm {mantissa} \times "
                        rf"10^{{{int(exponent)}}}\text{{)}}" if latex
                        else f"(computed numerically: each coefficient within ±{bound})")
        normal = line.normal_equation
        if normal is not None:
            shown = (sp.latex if latex else sp.sstr)(normal.rhs)
            target = (sp.latex if latex else str)(normal.lhs)
            rows.append(rf"\text{{normal: }} {target} = {shown}" if latex else f"normal: {target} = {shown}")
        return rows

    def latex(self) -> str:
        blocks = []
        for name, expr, variables in self.functions:
            args = ", ".join(sp.latex(v) for v in variables)
            blocks.append(f"$${_latex_name(name)}({args}) = {sp.latex(expr)}$$")
            rows = []
            for line in (l for l in self.lines if l.name == name):
                equations = self._rows(line, latex=True)
                head = rf"\text{{{_escape_text(self._what(line))} at }} {self._at(line, True)}:"
                rows.append(rf"{head} & \quad {equations[0]}")
                rows += [rf"& \quad {row}" for row in equations[1:]]
                rows += self._secant_rows(line, True) + self._delta_rows(line, True)
            blocks.append(r"$$\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}$$")
        blocks += [rf"$\text{{{_escape_text(note)}}}$" for note in self.notes]
        return "\n\n".join(blocks)

    def text(self) -> str:
        lines = []
        for name, expr, variables in self.functions:
            if lines:
                lines.append("")
            lines.append(_pretty_equation(f"{name}({', '.join(map(str, variables))})", expr))
            for line in (l for l in self.lines if l.name == name):
                equations = self._rows(line, latex=False)
                lines.append(f"  {self._what(line)} at {self._at(line, False)}:")
                lines += [f"    {row}" for row in equations]
                lines += [f"    {row}" for row in self._secant_rows(line, False) + self._delta_rows(line, False)]
        lines += [""] * bool(self.notes) + self.notes
        return "\n".join(row.rstrip() for row in "\n".join(lines).split("\n"))

    def _secant_rows(self, line: TangentLine, latex: bool) -> list[str]:
        if not line.secants:
            return []
        digits = self.display.precision
        number = latex_number if latex else format_number
        rows = []
        for h, rise, slope, difference in line.secants:
            words = (f"secant with h = {number(h, digits)}: rise {number(rise, digits)} over run "
                     f"{number(h, digits)} = slope {number(slope, digits)}")
            gap = f", {number(difference, digits)} from f'(a)" if difference is not None else ""
            rows.append(rf"& \quad \text{{{_escape_text(words + gap)}}}" if latex else words + gap)
        return rows

    def _delta_rows(self, line: TangentLine, latex: bool) -> list[str]:
        digits = self.display.precision
        rows = []
        for dx, approximate, true, error in line.deltas:
            words = (f"Δx = {format_number(dx, digits)}: f(a) + f'(a)Δx = {format_number(approximate, digits)}, "
                     f"f(a + Δx) = {format_number(true, digits)}, error {format_number(error, digits)}")
            rows.append(rf"& \quad \text{{{_escape_text(words.replace('Δ', 'delta '))}}}" if latex else words)
        return rows
