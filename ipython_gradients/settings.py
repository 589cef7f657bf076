"""Settings shared by the magics' configuration traits and the Python API.

The defaults and the checks live here once: ``GradientMagics`` builds its traits from them, and
the API validates keyword overrides with the same checks. Standard library only.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

FIGURE_FORMATS = ("png", "retina", "svg")
NOTATIONS = ("leibniz", "prime")
METHODS = ("auto", "symbolic", "numeric")
ROOTS = ("real", "principal")
THEMES = ("auto", "light", "dark")
MAX_SAMPLES = 100_000
MAX_PRECISION = 15
# A figure's sides in inches: legible, and at most 4,000 pixels a side (61 MB of pixels) as retina PNG.
MIN_FIGURE_INCHES, MAX_FIGURE_INCHES = 2.0, 20.0
# The one rule for plotting ranges, the x_range setting and every --range alike (plot_range_problem):
# within ±MAX_RANGE the width B - A and the square of a coordinate are still floats (below 1e308).
MAX_RANGE = 1e150
RANGE_LIMIT = f"±1e{round(math.log10(MAX_RANGE))}"  # "±1e150", for messages and help


@dataclass(frozen=True)
class Settings:
    precision: int = 3
    plot: bool = True
    samples: int = 400
    x_range: tuple[float, float] = (-5.0, 5.0)
    figure_format: str = "png"
    figure_size: tuple[float, float] = (6.4, 4.0)
    notation: str = "leibniz"
    simplify: bool = False
    timeout: float = 10.0
    backend: str = "auto"
    roots: str = "real"
    theme: str = "auto"

    def replace(self, **changes) -> "Settings":
        """A copy with ``changes`` applied, each one checked."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise ValueError(f"unknown setting {sorted(unknown)[0]!r}")
        checked = {name: check_setting(name, value) for name, value in changes.items()}
        return dataclasses.replace(self, **checked)


HELP = {
    "precision": "Digits shown after the decimal point for numbers (0 to 15).",
    "plot": "Draw a figure by default (each magic's --plot / --no-plot overrides it).",
    "samples": f"Points per plotted curve (2 to {MAX_SAMPLES}).",
    "x_range": f"Default plotting range (A, B), A < B, within {RANGE_LIMIT}, used when no points suggest one.",
    "figure_format": "Figure output: 'png', 'retina' (PNG at twice the resolution) or 'svg'.",
    "figure_size": f"Figure size in inches (width, height), each from {MIN_FIGURE_INCHES:g} to {MAX_FIGURE_INCHES:g}.",
    "notation": "'leibniz' (d/dx f) or 'prime' (f'(x)).",
    "simplify": "Simplify derivatives before showing them (slower on large expressions).",
    "timeout": "Seconds a symbolic step (differentiation, simplification, limits) may take "
               "before the magic gives up with a message.",
    "backend": "Default --method: 'auto' (symbolic for expressions and Python functions that can be "
               "traced with SymPy symbols, numeric otherwise), 'symbolic' or 'numeric'.",
    "roots": "Odd roots of negative numbers in the expression language: 'real' (x^(1/3), cbrt(x), "
             "x^(2/3), root(x, 5) are the real roots, so (-8)^(1/3) = -2, as in calculus textbooks) or "
             "'principal' (SymPy's complex principal root: x^(1/3) is outside the domain for x < 0).",
    "theme": "Figure colours: 'light' (dark text on white), 'dark' (light text on a dark background, for dark "
             "JupyterLab and VS Code themes) or 'auto' (dark where matplotlib's settings draw figures on a dark "
             "background, as plt.style.use('dark_background') or VS Code's jupyter.themeMatplotlibPlots do; "
             "light otherwise: no frontend tells the kernel its theme).",
}


def plot_range_problem(a: float, b: float) -> str | None:
    """What is wrong with (a, b) as a plotting range, or None: the one rule for ``x_range`` and ``--range``.

    The callers name the range: ``f"--range {problem}"``, ``f"x_range {problem}"``.
    """
    if not a < b:  # NaN too
        return "needs A < B"
    if not (abs(a) <= MAX_RANGE and abs(b) <= MAX_RANGE):
        return f"is too wide to plot: keep within {RANGE_LIMIT}"
    return None


def _pair(name: str, value) -> tuple[float, float]:
    try:
        a, b = (float(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair of numbers, got {value!r}") from None
    if not (math.isfinite(a) and math.isfinite(b)):
        raise ValueError(f"{name} must be finite numbers, got {value!r}")
    return a, b


def check_setting(name: str, value):
    """Return ``value`` checked (and normalised) for setting ``name``; raise ValueError if invalid."""
    if name == "precision":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PRECISION:
            raise ValueError(f"precision must be an integer from 0 to {MAX_PRECISION}, got {value!r}")
    elif name in ("plot", "simplify"):
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be True or False, got {value!r}")
    elif name == "samples":
        if isinstance(value, bool) or not isinstance(value, int) or not 2 <= value <= MAX_SAMPLES:
            raise ValueError(f"samples must be an integer from 2 to {MAX_SAMPLES}, got {value!r}")
    elif name == "x_range":
        a, b = _pair(name, value)
        problem = plot_range_problem(a, b)
        if problem:
            raise ValueError(f"x_range {problem}, got {value!r}")
        value = (a, b)
    elif name == "figure_size":
        w, h = _pair(name, value)
        if not (MIN_FIGURE_INCHES <= w <= MAX_FIGURE_INCHES and MIN_FIGURE_INCHES <= h <= MAX_FIGURE_INCHES):
            raise ValueError(f"figure_size must be two sizes in inches from {MIN_FIGURE_INCHES:g} to "
                             f"{MAX_FIGURE_INCHES:g}, got {value!r}")
        value = (w, h)
    elif name == "figure_format":
        if value not in FIGURE_FORMATS:
            raise ValueError(f"figure_format must be one of {', '.join(FIGURE_FORMATS)}, got {value!r}")
    elif name == "backend":
        if value not in METHODS:
            raise ValueError(f"backend must be one of {', '.join(METHODS)}, got {value!r}")
    elif name == "roots":
        if value not in ROOTS:
            raise ValueError(f"roots must be one of {', '.join(ROOTS)}, got {value!r}")
    elif name == "theme":
        if value not in THEMES:
            raise ValueError(f"theme must be one of {', '.join(THEMES)}, got {value!r}")
    elif name == "notation":
        if value not in NOTATIONS:
            raise ValueError(f"notation must be one of {', '.join(NOTATIONS)}, got {value!r}")
    elif name == "timeout":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 3600:
            raise ValueError(f"timeout must be a number of seconds above 0 (up to 3600), got {value!r}")
        value = float(value)
    return value
