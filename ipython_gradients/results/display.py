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

import getpass
import os
import re
import stat
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
            live = getattr(self, "live", None)
            if live is not None:  # no widgets here: the figure as it starts, and one line saying so
                print(live.note())
            if self.figure is not None and not self._shown_in_window(shell):
                try:
                    print(f"Figure saved to {self.save_figure()}")
                except OSError as error:  # one line, as every problem: the result above stands
                    print(f"Figure not saved: {(error.strerror or str(error)).lower()}"
                          + (f": {error.filename}" if error.filename else ""))
            return
        display(self._repr_mimebundle_(), raw=True)
        live = getattr(self, "live", None)
        if live is not None:
            try:
                display(live.bundle(), raw=True)
                return
            except Exception as error:  # the widgets could not be made here: the static figure, and one line why
                print(f"The live view could not be shown ({type(error).__name__}: {str(error)[:120]}); "
                      "the figure is static.")
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
        """Write the figure to ``path`` (default: a new PNG file in this user's figures folder in the
        temporary folder, see ``new_figure_file``)."""
        if path is None:  # written through the handle that created the file: no path to swap in between
            from ..plotting import release_drawing

            handle, path = new_figure_file()
            with os.fdopen(handle, "wb") as stream:
                self.figure.savefig(stream, format="png")
            release_drawing(self.figure)
            return path
        self.figure.savefig(path)
        return path

    def _repr_latex_(self) -> str:
        return self.latex()

    def _repr_pretty_(self, printer, cycle):
        printer.text(self.text())

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/plain": self.text(), "text/latex": self.latex()}


def figures_folder() -> str:
    """``ipython-gradients-figures-USER`` in the temporary folder: one per user, as a folder shared by
    all would belong to whoever made it first and refuse everyone else's figures."""
    try:
        user = getpass.getuser()
    except Exception:  # no login name (a container without a passwd entry)
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    return os.path.join(tempfile.gettempdir(), "ipython-gradients-figures-" + re.sub(r"[^\w.-]", "_", user))


# The terminal's figure files kept in the figures folder: the oldest go as new ones come.
MAX_FIGURE_FILES = 100


def new_figure_file() -> tuple[int, str]:
    """A new empty PNG file (handle, path), readable by this user only, in ``figures_folder()``.

    The folder is this user's and private (mode 0700, checked without following a link); the
    oldest files beyond ``MAX_FIGURE_FILES`` are removed. Where it cannot be this user's folder (a
    file or a link of that name, a folder someone else owns), the file goes in the temporary folder
    itself, created as mkstemp does (exclusive, mode 0600).
    """
    folder = figures_folder()
    try:
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode):
            raise NotADirectoryError(f"{folder} is not a folder")
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise PermissionError(f"{folder} belongs to another user")
        if info.st_mode & 0o077:  # ours, but others could read or replace what is in it
            os.chmod(folder, 0o700)
        _keep_newest(folder, MAX_FIGURE_FILES - 1)
        return tempfile.mkstemp(prefix="figure-", suffix=".png", dir=folder)
    except OSError:
        return tempfile.mkstemp(prefix="ipython-gradients-figure-", suffix=".png")


def _keep_newest(folder: str, count: int) -> None:
    """Remove all but the ``count`` newest figure files of the folder."""
    files = []
    for entry in os.scandir(folder):
        if entry.name.startswith("figure-") and entry.name.endswith(".png") and entry.is_file(follow_symlinks=False):
            files.append((entry.stat(follow_symlinks=False).st_mtime, entry.path))
    for _, path in sorted(files)[:max(len(files) - count, 0)]:
        try:
            os.remove(path)
        except OSError:
            pass
