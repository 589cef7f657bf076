"""The one table of magic options.

It feeds the ``magic_arguments`` decorators (and so ``%deriv?``), the line splitter below, the
completer, the command line, the README's reference, and the translation of parsed options into
the API's keywords (``MagicSpec.keywords``), which the magics and the command line share. Only the
standard library (and ``settings``, which is standard library too) is imported here: the extension
loads it at ``%load_ext`` time.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field

from .settings import RANGE_LIMIT


@dataclass(frozen=True)
class Option:
    """One command-line option of a magic."""

    flag: str  # e.g. "--at"
    help: str
    metavar: str | None = None  # None: a switch that takes no value
    type: type = str
    choices: tuple[str, ...] = ()
    negatable: bool = False  # --plot also accepts --no-plot
    optional_value: bool = False  # may stand alone (then its value is True) or take a number
    keyword: str | None = None  # the API keyword it sets, where that is not its own name (--from: start)
    alone: str | None = None  # with optional_value: the API keyword it sets to True when it stands alone
    words: bool = False  # the value is every word up to the next option (an equation: x^2 + y^2 = 1)

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")

    @property
    def takes_value(self) -> bool:
        return self.metavar is not None

    def argparse_kwargs(self) -> dict:
        if self.negatable:
            return {"action": argparse.BooleanOptionalAction, "default": None, "help": self.help}
        if not self.takes_value:
            return {"action": "store_true", "default": None, "help": self.help}
        kwargs = {"metavar": self.metavar, "type": self.type, "default": None, "help": self.help}
        if self.optional_value:
            kwargs.update(nargs="?", const=True)
        if self.choices:
            kwargs["choices"] = self.choices
        return kwargs


@dataclass(frozen=True)
class MagicSpec:
    name: str
    positional: str | None  # name of what the magic line holds besides options (None: nothing)
    positional_help: str
    options: tuple[Option, ...] = field(default_factory=tuple)

    def keywords(self, values: dict) -> dict:
        """The API's keyword arguments from parsed option values (``vars()`` of argparse's result).

        Options not given are left out, so the API's defaults and the settings apply; each option
        goes to its own keyword (``--from`` to ``start``; ``--steps`` alone to ``derivation``).
        Values that are not options (the expression, the command line's own --latex) are ignored.
        """
        found = {}
        for option in self.options:
            value = values.get(option.dest)
            if value is None:
                continue
            if value is True and option.alone:
                found[option.alone] = True
            else:
                found[option.keyword or option.dest] = value
        return found

    def option(self, flag: str) -> Option | None:
        """The option for ``--flag`` or ``--no-flag``, or None."""
        for option in self.options:
            if flag == option.flag or (option.negatable and flag == "--no-" + option.flag[2:]):
                return option
        return None


# The expression language's function and constant names, for the completer, which must not import
# SymPy (expressions.FUNCTIONS maps the same names to SymPy; a test keeps the two equal).
LANGUAGE_FUNCTIONS = (
    "sin", "cos", "tan", "cot", "sec", "csc", "asin", "acos", "atan", "acot", "asec", "acsc",
    "arcsin", "arccos", "arctan", "arccot", "arcsec", "arccsc", "atan2", "arctan2", "sinh", "cosh",
    "tanh", "coth", "sech", "csch", "asinh", "acosh", "atanh", "acoth", "arcsinh", "arccosh",
    "arctanh", "arsinh", "arcosh", "artanh", "exp", "log", "ln", "sqrt", "cbrt", "root", "log10",
    "log2", "abs", "Abs", "sign", "floor", "ceiling", "ceil", "max", "min", "Max", "Min",
    "Heaviside", "heaviside", "erf", "gamma", "factorial",
)
LANGUAGE_CONSTANTS = ("pi", "π", "e", "E")

PLOT = Option("--plot", "Draw the figure (--no-plot: equations and values only). "
              "Default: GradientMagics.plot.", negatable=True)
METHOD = Option("--method", "How derivatives are computed: symbolic (SymPy), numeric (complex step, "
                "extrapolated differences) or auto (symbolic when possible). Default: "
                "GradientMagics.backend.", metavar="METHOD", choices=("auto", "symbolic", "numeric"))
AUTODIFF_METHOD = Option("--method", "How derivatives are computed: symbolic (SymPy), numeric (complex step, "
                         "extrapolated differences), autodiff (a reverse sweep over the expression's computational "
                         "graph, in floating point) or auto (symbolic when possible). Default: GradientMagics.backend.",
                         metavar="METHOD", choices=("auto", "symbolic", "numeric", "autodiff"))
STEPS = Option("--steps", "Show a numbered derivation, each step naming its rule (product, chain, ...), "
               "ending equal to SymPy's derivative.")
CHECK = Option("--check", "Compute the values at the points the three ways, symbolically, numerically and by "
               "automatic differentiation, and show how well they agree.")

GRAPH = Option("--graph", "Automatic differentiation shown: the computational graph of f (inputs, each "
               "elementary operation, the output) with its values and adjoints (or tangents) at the --at points, "
               "drawn as the figure, and the sweep as a table, ending equal to the symbolic derivative.")
MODE = Option("--mode", "The sweep --graph shows: reverse (adjoints from the output back to the inputs, the "
              "gradient; the default) or forward (tangents, dual numbers, along --dir for a gradient).",
              metavar="MODE", choices=("reverse", "forward"))
AGAINST = Option("--against", "For a Python function written with jax.numpy or torch: call the framework's own "
                 "gradient at each --at point and set it beside ours, with a verdict in words (agrees; differs; "
                 "a convention at a corner; NaN where the derivative exists).", metavar="FRAMEWORK",
                 choices=("jax", "torch"))
ANIMATE_DESCENT = Option("--animate", "Gradient descent step by step in a player that needs no kernel "
                         "(survives HTML export): the path for each --rate side by side, and f(x_k) against k.")
ANIMATE_SECANT = Option("--animate", "The secant through a and a + h as h shrinks to 0, in a player that needs "
                        "no kernel (survives HTML export), its slope approaching f'(a).")
INTERACTIVE_DESCENT = Option("--interactive", "With --descent, in Jupyter with ipywidgets: sliders for the rate, "
                             "the number of steps and the start point; the path, f along it and the status update.")
INTERACTIVE_SECANT = Option("--interactive", "With --secant H, in Jupyter with ipywidgets: sliders for the point a "
                            "and the width h (H down to H/10000); the tangent, the secant and its slope next to "
                            "f'(a) update.")
SAVE = Option("--save", "With --animate: write the animation to FILE.gif as well.", metavar="FILE")
INTERACTIVE = Option("--interactive", "In Jupyter with ipywidgets: a slider for the point a, the figure's tangent "
                     "and f'(a) with its meaning updating as it moves (as --at says for that point).")

DERIV = MagicSpec(
    name="deriv",
    positional="expression",
    positional_help="The function: an expression such as x^2 sin(x), a definition f(x) = x^2, "
                    "or the name of a SymPy expression or Python function in the namespace.",
    options=(
        Option("--wrt", "Variable(s) to differentiate with respect to; x,y gives the mixed "
               "partial derivative. Default: the only variable, or x.", metavar="VARS"),
        Option("--order", "Order of the derivative (a positive integer). Default: 1.",
               metavar="N", type=int),
        Option("--at", "Points where the derivative is evaluated and interpreted, separated by "
               "commas (-0.5,0.5,0); for several variables, coordinates by commas and points "
               "by semicolons (1,2;0,0).", metavar="POINTS"),
        Option("--range", f"Plotting range A,B with A < B, within {RANGE_LIMIT}. Default: around the --at points, "
               "else GradientMagics.x_range.", metavar="A,B"),
        PLOT,
        Option("--simplify", "Simplify the derivative (--no-simplify: as SymPy gives it). Default: "
               "GradientMagics.simplify.", negatable=True),
        AUTODIFF_METHOD,
        CHECK,
        STEPS,
        Option("--definition", "Derive from first principles: f'(x) as the limit of the difference "
               "quotient (f(x + h) - f(x))/h, the algebra shown (expand and cancel, the conjugate, the "
               "addition formulas); with --at, the quotients for h = ±0.1, ±0.01, ... at each point."),
        Option("--implicit", "Implicit differentiation: the expression is a curve's equation (x^2 + y^2 = 25) "
               "and Y, a function of x, is differentiated along it (dy/dx = -x/y); --at takes points x,y "
               "on the curve; --order for higher derivatives.", metavar="Y"),
        Option("--rate", "Related rates: every quantity of the relation (V = 4/3 pi r^3) is a function of "
               "this time variable; with --given (the rates known) and --at (the values then, as r = 5) "
               "the one rate left is found.", metavar="T"),
        Option("--given", "With --rate: the rates known, as dr/dt = 2 (several separated by commas).",
               metavar="RATES", words=True),
        GRAPH,
        MODE,
        AGAINST,
        INTERACTIVE,
    ),
)

GRAD = MagicSpec(
    name="grad",
    positional="expression",
    positional_help="The function: an expression such as x^2 + 3 x y, a definition f(x, y) = ..., "
                    "a vector [x y, x + y^2] (for the Jacobian), or the name of a SymPy expression "
                    "or a Python function f(x, y) or f(v) in the namespace.",
    options=(
        Option("--vars", "The variables, in order. Default: the definition's, else the "
               "expression's symbols sorted by name.", metavar="VARS"),
        Option("--at", "Points where the gradient is evaluated: coordinates separated by commas, "
               "points by semicolons (1,2;0,0).", metavar="POINTS"),
        Option("--hessian", "Show the Hessian matrix, symbolic and at the points, with its "
               "eigenvalues and definiteness."),
        Option("--dir", "A direction (1,1): the directional derivative along it, normalised, "
               "symbolic and at the points.", metavar="VECTOR"),
        Option("--critical", "Find the critical points (∇f = 0, exactly where it can be solved, else "
               "numerically inside the plot range, each point verified; and points where ∇f does not "
               "exist) and classify each: minimum, maximum, saddle or degenerate."),
        Option("--descent", "Run gradient descent (from --from, or the first --at point)."),
        Option("--from", "Start point of --descent.", metavar="POINT", keyword="start"),
        Option("--rate", "Learning rate of --descent (positive). Default: 0.1. With --animate, several "
               "rates (0.001,0.01) run side by side.", metavar="LR"),
        Option("--steps", "Alone: the partial derivatives step by step, each step naming its rule. "
               "With a number N: the number of --descent iterations (default 30).", metavar="N", type=int,
               optional_value=True, alone="derivation"),
        Option("--range", "Plotting range: A,B for every axis, or A,B;C,D for x and y. Default: "
               "around the points asked for, else GradientMagics.x_range.", metavar="RANGE"),
        PLOT,
        AUTODIFF_METHOD,
        Option("--subject-to", "Extrema of f on a constraint set by Lagrange multipliers: equations such as "
               "x^2 + y^2 = 1, several separated by ; (each point verified, classified by the bordered "
               "Hessian, with its multipliers and f there).", metavar="EQUATIONS", words=True),
        GRAPH,
        MODE,
        AGAINST,
        ANIMATE_DESCENT,
        SAVE,
        INTERACTIVE_DESCENT,
    ),
)

TANGENT = MagicSpec(
    name="tangent",
    positional=None,
    positional_help="",
    options=(
        Option("--at", "Points of tangency, separated by commas (-0.5,0.5); for functions of two "
               "variables, coordinates by commas and points by semicolons (1,2;0,0); on a curve "
               "(an equation such as x^2 + y^2 = 25), points x,y on it, or x=3 for every point of it "
               "with x = 3. Default: the middle of the range.", metavar="POINTS"),
        Option("--range", "Plotting range A,B (A,B;C,D for two variables). Default: around the "
               "points, else GradientMagics.x_range.", metavar="RANGE"),
        Option("--order", "Degree of the Taylor polynomial drawn instead of the line (1: the "
               "tangent line). Default: 1.", metavar="N", type=int),
        Option("--secant", "Secant lines through a and a + h for each width h (0.5,0.1), with their "
               "rise over run approaching the derivative.", metavar="H"),
        Option("--normal", "Draw and give the normal lines too (on a curve, along the gradient of F)."),
        Option("--delta", "Linear approximation f(a + Δx) ≈ f(a) + f'(a)Δx against the true value, "
               "with the error, for each Δx.", metavar="DX"),
        PLOT,
        METHOD,
        ANIMATE_SECANT,
        SAVE,
        INTERACTIVE_SECANT,
    ),
)

MAGICS = {spec.name: spec for spec in (DERIV, GRAD, TANGENT)}


def split_magic_line(spec: MagicSpec, line: str) -> list[str]:
    """Turn a magic line into an argv for argparse: options first, then ``--``, then the rest.

    The expression may contain spaces and start with ``-`` (``-x^2``), and option values may
    start with ``-`` (``--at -0.5,0.5``); argparse alone would read both as options. A value
    written with spaces after its commas (``--at -1, 0, 1``) is joined back together.
    """
    options, rest = split_arguments(spec, line.split())
    return options + ["--"] + rest if spec.positional else options + rest


def split_arguments(spec: MagicSpec, tokens: list[str]) -> tuple[list[str], list[str]]:
    """Options (as ``--flag=value``) and everything else, from a list of words (a line's or argv's)."""
    options: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if not (token.startswith("--") and len(token) > 2 and token[2].isalpha()):
            rest.append(token)
            continue
        flag, has_value, value = token.partition("=")
        option = spec.option(flag)
        if option is None or not option.takes_value or has_value or (
                option.optional_value and not (i < len(tokens) and re.match(r"^[+-]?\d", tokens[i]))):
            options.append(token)
            continue
        if i >= len(tokens):
            options.append(token)  # argparse reports the missing value
            continue
        value = tokens[i]
        i += 1
        while option.words and i < len(tokens) and spec.option(tokens[i].partition("=")[0]) is None:
            value += " " + tokens[i]
            i += 1
        while i < len(tokens) and spec.option(tokens[i].partition("=")[0]) is None and (
                value.endswith((",", ";", "=")) or tokens[i].startswith((",", ";", "="))):  # (x = 3, y = 4)
            value += tokens[i]
            i += 1
        options.append(f"{flag}={value}")
    return options, rest
