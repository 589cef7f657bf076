"""Result objects and how they display.

The package splits what used to be one module:

- ``values``: the plain value types the engines compute and import (PointValue, Check,
  GradientPoint, CriticalPoint, TangentLine); no rendering.
- ``notation``: numbers, names, primes, polynomials, steps, and the two dialects (``LATEX`` and
  ``TEXT``) every result is written in; imports nothing but SymPy.
- ``display``: the display settings and the IPython display protocol (the figure as its own
  output); matplotlib only when a figure is shown.
- ``derivative``, ``gradient``, ``tangent``: one result class each, describing itself once.

Everything public that ``from ipython_gradients.results import ...`` found before the split is
re-exported here.
"""

from .derivative import DerivativeResult
from .display import Display, FigureOutput
from .gradient import GradientResult
from .notation import (
    LATEX,
    TEXT,
    Dialect,
    beside,
    escape_text,
    format_number,
    latex_name,
    latex_number,
    pretty_equation,
    prime_marks,
    rounded_polynomial,
    shifted_polynomial,
    slope_words,
    steps_latex,
    steps_text,
    superscript,
)
from .tangent import TangentResult
from .values import Check, CriticalPoint, GradientPoint, PointValue, TangentLine

__all__ = [
    "Check", "CriticalPoint", "DerivativeResult", "Dialect", "Display", "FigureOutput", "GradientPoint",
    "GradientResult", "LATEX", "PointValue", "TEXT", "TangentLine", "TangentResult", "beside", "escape_text",
    "format_number", "latex_name", "latex_number", "pretty_equation", "prime_marks", "rounded_polynomial",
    "shifted_polynomial", "slope_words", "steps_latex", "steps_text", "superscript",
]
