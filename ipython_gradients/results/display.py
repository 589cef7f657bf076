"""How a result is shown: its display settings, and its figure as a separate output.

A result shows its mathematics first (text/latex with ``$$`` delimiters, text/plain as unicode
pretty text), then its figure as a separate image output: frontends show only one MIME type of a
bundle, and VS Code and JupyterLab both prefer LaTeX over PNG. In a plain terminal, which shows
no images, the figure is saved to a PNG file and its path printed; where the user chose a GUI
backend for pyplot (``%matplotlib tk``, ``qt``, or alone), it opens in a window of that backend.

Owns the IPython display protocol (``_ipython_display_``, ``_repr_*_``) and the two renderings
every result shares: ``latex()`` and ``text()`` write the result's one description in the
``LATEX`` and ``TEXT`` dialects of ``notation``. Avoids matplotlib: ``plotting`` is imported only
when a figure is actually shown, so ``%load_ext`` stays light and --no-plot never imports it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from typing import Any

from .notation import LATEX, TEXT, Dialect


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

    def _sections(self, d: Dialect) -> list[list[str | None]]:
        """The result described once, in dialect ``d``: sections of blocks (see ``Dialect.document``)."""
        raise NotImplementedError

    def latex(self) -> str:
        return LATEX.document(self._sections(LATEX))

    def text(self) -> str:
        return TEXT.document(self._sections(TEXT))

    def figure_bundle(self) -> tuple[dict, dict]:
        from ..plotting import figure_bytes

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
            if self.figure is not None and not self._shown_in_window(shell):
                print(f"Figure saved to {self.save_figure()}")
            return
        display(self._repr_mimebundle_(), raw=True)
        if self.figure is not None:
            data, metadata = self.figure_bundle()
            display(data, raw=True, metadata=metadata)

    def _shown_in_window(self, shell) -> bool:
        """In a terminal where the user chose a GUI backend for pyplot (``%matplotlib tk``, ``qt``, or
        alone): the figure in a window of that backend, kept live as the user's pyplot windows are
        (IPython's event loop hook, or Tk's own while a simple prompt waits)."""
        if "matplotlib.pyplot" not in sys.modules:
            return False  # (checked first: never import matplotlib for this)
        from ..plotting import show_in_window, window_backend

        backend = window_backend()
        if backend is None:
            return False
        try:
            show_in_window(self.figure, backend)
        except Exception as error:  # no display after all, a backend that fails: the file, with one line why
            print(f"Could not show the figure in a {backend} window ({type(error).__name__}: {error}).")
            return False
        return True

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
