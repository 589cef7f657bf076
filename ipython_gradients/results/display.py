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
import html
import os
import re
import stat
import sys
import tempfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..errors import ComputationTimeout, GradientError, TimeLimitExceeded
from ..settings import Settings
from ..timeouts import time_limit
from .notation import LATEX, TEXT, Dialect


@dataclass(frozen=True)
class Display:
    """How a result is shown: the settings in force when it was computed."""

    precision: int = 3
    notation: str = "leibniz"
    figure_format: str = "png"
    timeout: float = 10.0  # seconds drawing the figure into its image may take

    @classmethod
    def of(cls, settings: Settings) -> Display:
        return cls(settings.precision, settings.notation, settings.figure_format, settings.timeout)


class FigureOutput:
    """Show a matplotlib figure as its own output (or save it, in a terminal).

    ``figure`` is the result's matplotlib ``Figure`` (or None). Once shown, a figure nobody else has
    asked for is let go: IPython's ``Out`` cache keeps every result a cell showed for the whole
    session, and a kept ``Figure`` with its artists costs about 0.7 MB in a kernel. What was shown is
    kept as its image bytes (shown again as they were), and ``figure`` draws the figure anew, from the
    same data, when it is asked for after that. A figure read through ``figure`` before it is shown,
    or set by the user, is kept as it is (the user may have changed it).
    """

    display: Display
    _figure: Any = None  # the Figure, while it is held
    _redraw: Any = None  # draws the figure again from the result's data (None: cannot)
    _image: tuple | None = None  # (figure_format, data, metadata) of the figure as it was shown
    _kept: bool = False  # the user holds the figure: never let go of it
    _description: str | None = None  # the figure in words (``describe``), written once

    @property
    def figure(self):
        figure = self._held_figure()
        self._kept = figure is not None
        return figure

    @figure.setter
    def figure(self, figure) -> None:
        self._figure, self._redraw, self._image, self._kept = figure, None, None, figure is not None

    @property
    def has_figure(self) -> bool:
        """Whether the result has a figure (without drawing it again)."""
        return self._figure is not None or self._redraw is not None

    def attach_figure(self, figure, redraw) -> None:
        """The figure the API drew, and how to draw it again once it has been let go of."""
        self._figure, self._redraw, self._image, self._kept = figure, redraw, None, False

    def take_figure_from(self, other: FigureOutput) -> None:
        """Hold ``other``'s figure as ``other`` did, in its place (this is a copy of ``other`` with other
        symbols, and ``other`` lives on only in the function that draws the figure again)."""
        self._figure, self._redraw, self._image, self._kept = other._figure, other._redraw, other._image, other._kept
        self._description = other._description
        other._figure = other._redraw = other._image = None

    @property
    def figure_description(self) -> str | None:
        """The figure in words, from the analysis it was drawn from (alt text, and the text a text-only
        frontend shows in its place); None without a figure."""
        if self._description is None and self.has_figure:
            from .describe import describe

            try:
                self._description = describe(self, self._held_figure())
            except Exception:  # words are a courtesy: never a reason for the figure not to be shown
                self._description = "Figure."
        return self._description

    def figure_outputs(self) -> tuple[dict, dict]:
        """The figure as a frontend receives it: the image, and its description as text/plain (what a
        text-only frontend shows in its place) and as each image's ``alt`` metadata (which nbconvert's
        classic HTML template and ``--to gradients_html`` write as the image's alt text); an SVG also
        carries it as its own title. The metadata also says what the image needs behind it
        (``needs_background``, "light" or "dark", as JupyterLab reads it)."""
        data, metadata = self.figure_bundle()
        description = self.figure_description or ""
        data = dict(data)
        metadata = {key: dict(value) if isinstance(value, dict) else value for key, value in metadata.items()}
        for kind in data:
            if kind.startswith("image/"):
                metadata.setdefault(kind, {})["alt"] = description
        if "image/svg+xml" in data:
            svg = data["image/svg+xml"]
            opening = svg.find(">", svg.find("<svg"))
            if opening > 0:
                data["image/svg+xml"] = (svg[:opening + 1] + f"<title>{html.escape(description)}</title>"
                                         + svg[opening + 1:])
        data["text/plain"] = description
        return data, metadata

    def _held_figure(self):
        if self._figure is None and self._redraw is not None:
            self._figure = self._redraw()
        return self._figure

    def _let_go(self) -> None:
        """After the figure was shown: keep it only where the user holds it or it cannot be drawn again."""
        if not self._kept and self._redraw is not None:
            self._figure = None

    def _sections(self, d: Dialect) -> list[list[str | None]]:
        """The result described once, in dialect ``d``: sections of blocks (see ``Dialect.document``)."""
        raise NotImplementedError

    def latex(self) -> str:
        return LATEX.document(self._sections(LATEX))

    def text(self) -> str:
        return TEXT.document(self._sections(TEXT))

    def figure_bundle(self) -> tuple[dict, dict]:
        """The figure's MIME data and metadata in the result's figure format (the same bytes each time).

        Kept as shown; SVG text compressed (PNG is compressed already)."""
        image_format = self.display.figure_format
        if self._image is not None and self._image[0] == image_format and not self._kept:
            return {kind: zlib.decompress(value).decode() if kind == "image/svg+xml" else value
                    for kind, value in self._image[1].items()}, self._image[2]
        from ..plotting import figure_bytes

        figure = self._held_figure()
        with self._drawing_limit():
            data, metadata = figure_bytes(figure, image_format)
        kept = {kind: zlib.compress(value.encode(), 6) if kind == "image/svg+xml" else value for kind, value in data.items()}
        self._image = (image_format, kept, metadata)
        return data, metadata

    @contextmanager
    def _drawing_limit(self):
        """Drawing a figure into its image is bounded as computing it was: a timeout is ``TimeLimitExceeded``."""
        try:
            with time_limit(self.display.timeout, "drawing the figure"):
                yield
        except ComputationTimeout as timeout:
            raise TimeLimitExceeded(str(timeout)) from None

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
            if self.has_figure and not self._shown_in_window(shell):
                try:
                    description = self.figure_description
                    print(f"Figure saved to {self.save_figure()}")
                    print(description)
                except OSError as error:  # one line, as every problem: the result above stands
                    print(f"Figure not saved: {(error.strerror or str(error)).lower()}"
                          + (f": {error.filename}" if error.filename else ""))
                except GradientError as error:
                    print(f"Figure not saved: {error}")
                finally:
                    self._let_go()
            return
        display(self._repr_mimebundle_(), raw=True)
        live = getattr(self, "live", None)
        if live is not None:
            try:
                bundle = live.bundle()
                display(bundle, raw=True, metadata=live_metadata(live, bundle))
                return
            except Exception as error:  # the widgets could not be made here: the static figure, and one line why
                print(f"The live view could not be shown ({type(error).__name__}: {str(error)[:120]}); "
                      "the figure is static.")
        if self.has_figure:
            try:
                data, metadata = self.figure_outputs()
            except GradientError as error:  # the mathematics above stands; one line for the figure
                print(f"Figure not shown: {error}")
                return
            finally:
                self._let_go()
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
            show_in_window(self.figure, backend)  # the window holds the figure: so does the result
        except Exception as error:  # no display after all, a backend that fails: the file, with one line why
            print(f"Could not show the figure in a {backend} window ({type(error).__name__}: {error}).")
            return False
        return True

    def save_figure(self, path: str | None = None) -> str:
        """Write the figure to ``path`` (default: a new PNG file in this user's figures folder in the
        temporary folder, see ``new_figure_file``)."""
        figure = self._held_figure()
        if path is None:  # written through the handle that created the file: no path to swap in between
            from ..plotting import release_drawing

            handle, path = new_figure_file()
            try:
                with os.fdopen(handle, "wb") as stream, self._drawing_limit():
                    figure.savefig(stream, format="png")
            except GradientError:
                os.remove(path)  # never a half-written image
                raise
            finally:
                release_drawing(figure)
            return path
        with self._drawing_limit():
            figure.savefig(path)
        return path

    def _repr_latex_(self) -> str:
        return self.latex()

    def _repr_pretty_(self, printer, cycle):
        printer.text(self.text())

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/plain": self.text(), "text/latex": self.latex()}


def live_metadata(live, bundle: dict) -> dict:
    """A live view's or animation's metadata: what its still image (shown without widgets or scripts) needs
    behind it, and its readout as that image's alt text."""
    metadata = {}
    palette = getattr(getattr(live, "figure", None), "palette", None)
    if palette is not None:
        metadata["needs_background"] = palette.name
    if "image/png" in bundle and bundle.get("text/plain"):
        metadata["image/png"] = {"alt": bundle["text/plain"]}
    return metadata


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
