"""The ``theme`` setting (light, dark, auto) and what a figure publishes with its image: its description
as ``alt`` metadata (and so as alt text in nbconvert's classic HTML and ``--to gradients_html``), and
``needs_background``. Pixels are read from the PNG bytes a frontend receives."""

import base64
import html
import io
import re

import matplotlib
import matplotlib.style
import numpy as np
import pytest
from IPython.utils.capture import capture_output
from PIL import Image

from ipython_gradients import api
from ipython_gradients.errors import OptionError
from ipython_gradients.plotting import DARK, LIGHT, figure_bytes, luminance, resolve_theme

# One figure of every kind plotting.py draws: (what, the API call).
KINDS = {
    "derivative": lambda **k: api.deriv("x^3 - 3x", at="-1,0", **k),
    "open markers": lambda **k: api.deriv("abs(x)", at="0", **k),
    "gradient contour": lambda **k: api.grad("x^2 - y^2 + x y", at="1,1", critical=True, **k),
    "tangent line": lambda **k: api.tangent("f(x) = x^3 - x", at="1", secant="0.5", normal=True, **k),
    "tangent plane (3D)": lambda **k: api.tangent("g(x, y) = x^2 - y^2", at="1,1", **k),
    "descent": lambda **k: api.grad("x^2 + 3y^2", descent=True, start="2,1", **k),
    "computational graph": lambda **k: api.deriv("x sin(x)", at="1", graph=True, **k),
    "definition secants": lambda **k: api.deriv("x^2", at="1", definition=True, **k),
    "implicit curve": lambda **k: api.deriv("x^2 + y^2 = 1", implicit="y", at="0.6,0.8", **k),
    "constrained level curves": lambda **k: api.grad("x y", subject_to="x^2 + y^2 = 1", **k),
    "tangent to curves": lambda **k: api.tangent("x^3 + y^3 = 6 x y\nx^2 + y^2 = 18", at="3,3", normal=True, **k),
}


def pixels(result) -> np.ndarray:
    data, _ = result.figure_outputs()
    return np.asarray(Image.open(io.BytesIO(data["image/png"])).convert("RGB"), dtype=float) / 255


def brightness(rgb: np.ndarray) -> np.ndarray:
    return rgb.mean(axis=-1)


def drawn(result) -> None:
    assert result.has_figure, result.notes
    assert not [note for note in result.notes if note.startswith("No plot")], result.notes


def test_a_dark_figure_is_light_on_dark_and_the_light_one_dark_on_light():
    dark, light = api.deriv("sin(x)", at="1", theme="dark"), api.deriv("sin(x)", at="1", theme="light")
    for result, paper in ((dark, DARK.paper), (light, LIGHT.paper)):
        image = pixels(result)
        # the background: the corners, and most of the figure
        expected = np.asarray(matplotlib.colors.to_rgb(paper))
        for corner in (image[0, 0], image[0, -1], image[-1, 0], image[-1, -1]):
            assert np.allclose(corner, expected, atol=1 / 255)
        assert (np.abs(image - expected).max(axis=-1) < 2 / 255).mean() > 0.5
        # the x tick labels and the axis label, in the strip below the axes: ink on the paper
        strip = brightness(image[int(0.9 * image.shape[0]):, : int(0.9 * image.shape[1])])
        if result is dark:
            assert brightness(image[0, 0]) < 0.15 and strip.max() > 0.8 and (strip > 0.6).sum() > 50
        else:
            assert brightness(image[0, 0]) == 1.0 and strip.min() < 0.2 and (strip < 0.4).sum() > 50
    # the axes' frame (the spine at the left of the axes) is ink too
    figure = dark.figure
    left, bottom = figure.axes[0].get_window_extent().p0
    spine = pixels(dark)[int(figure.bbox.height - bottom) - 20, int(round(left))]
    assert luminance(spine) > 0.6


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_figure_kind_draws_dark(kind):
    result = KINDS[kind](theme="dark")
    drawn(result)
    data, metadata = result.figure_outputs()
    assert metadata["needs_background"] == "dark"
    image = pixels(result)
    assert brightness(image[0, 0]) < 0.15 and brightness(image[-1, -1]) < 0.15
    # no white box left behind (a legend, a label's background, a 3D pane): white is at most a few
    # marks (an arrow on a colour map, a highlight)
    white = (image.min(axis=-1) > 0.94).mean()
    assert white < 0.01, f"{kind}: {white:.1%} of the figure is white"
    assert (brightness(image) > 0.6).sum() > 200  # and there are light marks: the text, at least


@pytest.mark.parametrize("kind", ["derivative", "computational graph", "tangent plane (3D)"])
def test_the_light_theme_is_the_default_look(kind):
    """With matplotlib's own settings, 'auto' (the default) is 'light', byte for byte."""
    with matplotlib.rc_context(matplotlib.rcParamsDefault):
        default, light = KINDS[kind](), KINDS[kind](theme="light")
        assert default.figure_outputs() == light.figure_outputs()
        assert brightness(pixels(light)[0, 0]) == 1.0
        assert light.figure_outputs()[1]["needs_background"] == "light"


def test_the_light_palette_is_matplotlibs_defaults_and_the_colours_figures_always_drew():
    """What keeps light figures exactly as they were before themes: every matplotlib setting a palette
    applies is matplotlib's default in the light one, and its colours are the ones the figures named."""
    for name, value in LIGHT.rc.items():
        default = matplotlib.rcParamsDefault[name]
        if value != default and str(value) != str(default):
            assert matplotlib.colors.to_rgba(value) == matplotlib.colors.to_rgba(default), name
    assert (LIGHT.paper, LIGHT.ink, LIGHT.faint, LIGHT.tones) == ("white", "black", "0.6", {})
    assert set(DARK.rc) == set(LIGHT.rc) and DARK.rc["figure.facecolor"] == DARK.paper
    # and every light colour a figure names has a darker-theme counterpart that is lighter than it
    for light, dark in DARK.tones.items():
        if luminance(light) < 0.5:
            assert luminance(dark) > luminance(light), (light, dark)


def test_auto_follows_matplotlibs_settings():
    with matplotlib.rc_context(matplotlib.rcParamsDefault):
        assert resolve_theme("auto") == "light"
        with matplotlib.style.context("dark_background"):  # what VS Code's themeMatplotlibPlots applies
            assert resolve_theme("auto") == "dark"
            result = api.deriv("x^2", at="1")
            assert result.figure_outputs()[1]["needs_background"] == "dark"
            assert brightness(pixels(result)[0, 0]) < 0.15
        with matplotlib.rc_context({"figure.facecolor": "#fafafa", "text.color": "white"}):
            assert resolve_theme("auto") == "light"  # an opaque light face decides
        with matplotlib.rc_context({"figure.facecolor": "none", "text.color": "white"}):
            assert resolve_theme("auto") == "dark"  # transparent: light text means a dark page
        with matplotlib.rc_context({"figure.facecolor": (0, 0, 0, 0), "text.color": "black"}):
            assert resolve_theme("auto") == "light"
        assert resolve_theme("light") == "light" and resolve_theme("dark") == "dark"


def test_a_theme_chosen_holds_whatever_matplotlibs_settings_say():
    with matplotlib.style.context("dark_background"):
        light = api.deriv("x^2", at="1", theme="light")
        assert brightness(pixels(light)[0, 0]) == 1.0
    # dark_background changes colours only: under it, either theme draws exactly what it draws without it
    for kind in ("gradient contour", "tangent plane (3D)"):
        for theme in ("light", "dark"):
            with matplotlib.rc_context(matplotlib.rcParamsDefault):
                plain = pixels(KINDS[kind](theme=theme))
                with matplotlib.style.context("dark_background"):
                    styled = pixels(KINDS[kind](theme=theme))
            assert (plain == styled).all(), (kind, theme)
    with matplotlib.rc_context({"figure.facecolor": "yellow", "axes.facecolor": "yellow"}):
        dark = api.deriv("x^2", at="1", theme="dark")
        image = pixels(dark)
        assert np.allclose(image[0, 0], matplotlib.colors.to_rgb(DARK.paper), atol=1 / 255)
        assert not (np.abs(image - matplotlib.colors.to_rgb("yellow")).max(axis=-1) < 0.05).any()


def test_matplotlibs_settings_are_left_as_they_were():
    with matplotlib.style.context("dark_background"):
        before = dict(matplotlib.rcParams)
        result = api.grad("x^2 + y^2", at="1,1", theme="light")
        result.figure_outputs(), result.save_figure(), result.figure.savefig(io.BytesIO())
        assert dict(matplotlib.rcParams) == before


@pytest.mark.parametrize("figure_format", ["png", "svg"])
def test_the_figure_drawn_again_is_drawn_in_the_theme_it_was_shown_in(figure_format):
    with matplotlib.style.context("dark_background"):
        result = api.deriv("x^2", at="1", figure_format=figure_format)
        shown, metadata = result.figure_bundle()
        result._let_go()  # as after showing it: the image is kept, the Figure let go of
    assert metadata["needs_background"] == "dark" and result._figure is None
    again = result.figure  # drawn again, now with matplotlib's defaults
    assert again.palette is DARK
    redrawn, _ = figure_bytes(again, figure_format)
    if figure_format == "png":
        assert redrawn["image/png"] == shown["image/png"]
        # drawn on a canvas, as the live views, animations and GUI windows draw it: the same pixels
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        canvas = FigureCanvasAgg(again)
        canvas.draw()
        on_canvas = np.asarray(canvas.buffer_rgba())[:, :, :3]
        assert (on_canvas == np.asarray(Image.open(io.BytesIO(shown["image/png"])).convert("RGB"))).all()
    else:  # SVG carries random ids; the colours are what matters here
        svg = redrawn["image/svg+xml"]
        assert DARK.paper in svg and "#ffffff" not in svg.lower() and "fill: #e6e6e6" in svg


@pytest.mark.parametrize("value", ["blue", "", "Dark ", 1, None])
def test_a_bad_theme_is_one_line_naming_the_choices(value):
    with pytest.raises(OptionError) as caught:
        api.deriv("x^2", theme=value)
    assert str(caught.value) == f"theme must be one of auto, light, dark, got {value!r}"


def test_the_trait_sets_the_theme_and_a_bad_one_is_one_line(ip, capsys):
    ip.run_line_magic("config", "GradientMagics.theme = 'DARK'")  # as every choice: any case
    with capture_output() as captured:
        ip.run_cell("%deriv sin(x) --at 1")
    figure = captured.outputs[1]
    assert figure.metadata["needs_background"] == "dark"
    assert set(figure.data) == {"image/png", "text/plain"}  # no text/html: JupyterLab shows the image itself
    assert figure.metadata["image/png"]["alt"] == figure.data["text/plain"]
    assert figure.data["text/plain"].startswith("Graph of f(x) = sin(x)")
    ip.run_line_magic("config", "GradientMagics.theme = 'sepia'")
    assert capsys.readouterr().err == ("GradientMagics.theme must be one of auto, light, dark, got 'sepia'; "
                                       "theme stays 'dark'\n")
    assert ip.magics_manager.registry["GradientMagics"].theme.lower() == "dark"


def test_an_svg_figure_carries_its_description_as_alt_metadata_and_title(ip):
    ip.run_line_magic("config", "GradientMagics.figure_format = 'svg'")
    with capture_output() as captured:
        ip.run_cell("%grad x^2 + y^2 --at 1,1")
    figure = captured.outputs[1]
    description = figure.data["text/plain"]
    assert figure.metadata["image/svg+xml"]["alt"] == description
    assert f"<title>{html.escape(description)}</title>" in figure.data["image/svg+xml"]
    assert figure.metadata["needs_background"] == "light"


def test_the_live_views_and_animations_draw_in_the_theme():
    pytest.importorskip("ipywidgets")
    live = api.deriv("x^2", range="-1,1", interactive=True, theme="dark").live
    image = np.asarray(Image.open(io.BytesIO(live.png())).convert("RGB"), dtype=float) / 255
    assert brightness(image[0, 0]) < 0.15 and (image.min(axis=-1) > 0.94).mean() < 0.01
    assert live._open_on_f.get_markerfacecolor() == DARK.paper and live._on_f.get_markeredgecolor() == DARK.ink
    animation = api.tangent("f(x) = x^2", at="1", secant="0.5", animate=True, theme="dark").live
    first, _ = animation.render().frames[0]
    assert brightness(first[0, 0] / 255) < 0.15


def test_a_live_view_publishes_its_theme_and_its_readout_as_alt(ip):
    pytest.importorskip("ipywidgets")
    ip.run_line_magic("config", "GradientMagics.theme = 'dark'")
    with capture_output() as captured:
        ip.run_cell("%deriv x^2 --range -1,1 --interactive")
    view = captured.outputs[1]
    assert "application/vnd.jupyter.widget-view+json" in view.data
    assert view.metadata["needs_background"] == "dark"
    assert view.metadata["image/png"]["alt"] == view.data["text/plain"] and "f'(" in view.data["text/plain"]


# --- the HTML export --------------------------------------------------------------------------------


def notebook_of(outputs):
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    cells = []
    for data, metadata in outputs:
        data = {kind: base64.b64encode(value).decode() if isinstance(value, bytes) else value
                for kind, value in data.items()}
        cells.append(new_code_cell("", outputs=[new_output("display_data", data=data, metadata=metadata)]))
    return new_notebook(cells=cells)


def alt_texts(page: str) -> list[str]:
    """Each image's alt text as a browser reads it (the HTML parsed, its escapes undone)."""
    from html.parser import HTMLParser

    found = []

    class Images(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "img":
                found.append(dict(attrs).get("alt"))

    Images().feed(page)
    return found


def test_the_classic_template_and_gradients_html_write_the_description_as_alt_text():
    from nbconvert import HTMLExporter

    from ipython_gradients.export import GradientsHTMLExporter

    png = api.deriv("x^2", at="1", theme="dark")
    svg = api.grad("x^2 + y^2", at="1,1", figure_format="svg")
    outputs = [png.figure_outputs(), svg.figure_outputs()]
    tricky = (dict(outputs[0][0]), {"image/png": {"alt": 'f(x) = "a" < b & c'}})  # the escaping
    notebook = notebook_of(outputs + [tricky])
    classic, _ = HTMLExporter(template_name="classic").from_notebook_node(notebook)
    # the classic template writes alt for PNG and JPEG only (nbconvert fills in its placeholder for an SVG)
    assert alt_texts(classic) == [png.figure_description, "No description has been provided for this image",
                                  'f(x) = "a" < b & c']
    assert 'f(x) = "a" <' not in classic  # escaped where it was written
    page, _ = GradientsHTMLExporter().from_notebook_node(notebook)
    assert alt_texts(page) == [png.figure_description, svg.figure_description, 'f(x) = "a" < b & c']
    assert 'f(x) = "a" <' not in page and "No description has been provided" not in page
    assert "jp-needs-dark-background" in page  # the lab template's own: everything else is inherited
    assert "jp-RenderedImage" in page and "MathJax" in page
    lab, _ = HTMLExporter().from_notebook_node(notebook)  # the default lab template: why the exporter exists
    assert png.figure_description not in alt_texts(lab)


def test_the_exporter_is_registered_for_nbconvert():
    import tomllib
    from importlib import import_module
    from pathlib import Path

    from nbconvert.exporters import get_exporter

    from ipython_gradients.export import TEMPLATES, GradientsHTMLExporter

    root = Path(__file__).resolve().parent.parent
    project = tomllib.loads((root / "pyproject.toml").read_text())
    target = project["project"]["entry-points"]["nbconvert.exporters"]["gradients_html"]
    module, name = target.split(":")
    assert getattr(import_module(module), name) is GradientsHTMLExporter
    assert get_exporter("ipython_gradients.export.GradientsHTMLExporter") is GradientsHTMLExporter
    # the template goes into the wheel: the package data's pattern covers both of its files
    pattern = project["tool"]["setuptools"]["package-data"]["ipython_gradients"]
    shipped = {str(p.relative_to(root / "ipython_gradients")) for glob in pattern
               for p in (root / "ipython_gradients").glob(glob)}
    assert {"templates/gradients_html/conf.json", "templates/gradients_html/index.html.j2"} <= shipped
    assert Path(TEMPLATES, "gradients_html", "conf.json").is_file()


@pytest.mark.slow
@pytest.mark.external  # a fresh Python: this one has imported nbconvert already
def test_loading_the_extension_imports_no_nbconvert():
    import subprocess
    import sys

    code = ("import sys; from IPython.testing.globalipapp import start_ipython; ip = start_ipython(); "
            "ip.run_line_magic('load_ext', 'ipython_gradients'); ip.run_line_magic('deriv', 'x^2 --at 1'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('nbconvert', 'ipython_gradients.export')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**__import__("os").environ, "IPYTHON_GRADIENTS_WARMUP": "0"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.slow
@pytest.mark.external
def test_a_notebook_run_in_a_kernel_exports_its_figures_with_alt_text(tmp_path):
    """A real kernel (nbclient), the extension loaded in it, then both HTML exports of the notebook."""
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter
    from nbformat.v4 import new_code_cell, new_notebook

    from ipython_gradients.export import GradientsHTMLExporter

    notebook = new_notebook(cells=[
        new_code_cell("%load_ext ipython_gradients"),
        new_code_cell("%config GradientMagics.theme = 'dark'"),
        new_code_cell("%deriv x^3 - 3x --at -1,0"),
        new_code_cell("%config GradientMagics.theme = 'light'\n%grad x^2 + y^2 --at 1,2"),
    ])
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    figures = [output for cell in notebook.cells for output in cell.outputs
               if "image/png" in output.get("data", {})]
    assert [f.metadata["needs_background"] for f in figures] == ["dark", "light"]
    descriptions = [f.data["text/plain"] for f in figures]
    assert descriptions[0].startswith("Graph of f(x) = x³ - 3·x") and "x = -1 (stationary: local maximum)" in descriptions[0]
    nbformat.write(notebook, tmp_path / "run.ipynb")
    for exporter in (HTMLExporter(template_name="classic"), GradientsHTMLExporter()):
        page, _ = exporter.from_filename(str(tmp_path / "run.ipynb"))
        assert alt_texts(page) == descriptions, type(exporter).__name__


@pytest.mark.slow
@pytest.mark.external
def test_the_command_line_takes_a_theme_and_refuses_a_bad_one_in_one_line(tmp_path):
    import os
    import subprocess
    import sys

    def run(*args):
        return subprocess.run([sys.executable, "-m", "ipython_gradients", *args], capture_output=True, text=True,
                              timeout=120, env={**os.environ, "MPLBACKEND": "Agg"})

    target = tmp_path / "dark.png"
    done = run("deriv", "x^2", "--at", "1", "--save", str(target), "--theme", "dark")
    assert done.returncode == 0, done.stderr
    image = np.asarray(Image.open(target).convert("RGB"), dtype=float) / 255
    assert brightness(image[0, 0]) < 0.15 and (brightness(image) > 0.6).sum() > 200
    refused = run("deriv", "x^2", "--save", str(tmp_path / "x.png"), "--theme", "blue")
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr == "ipython-gradients: error: theme must be one of auto, light, dark, got 'blue'\n"
    assert "--theme THEME" in run("deriv", "--help").stdout


@pytest.mark.slow
@pytest.mark.external
def test_the_built_package_gives_jupyter_nbconvert_to_gradients_html(tmp_path):
    """The wheel built from this source, unpacked where Python finds it first: its entry point makes
    `jupyter nbconvert --to gradients_html` a format, with the template in the wheel."""
    import os
    import shutil
    import subprocess
    import sys
    import zipfile
    from pathlib import Path

    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    root = Path(__file__).resolve().parent.parent
    source = tmp_path / "source"  # a copy: building writes build/ and *.egg-info beside the sources
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in"):
        shutil.copy(root / name, source / name)
    shutil.copytree(root / "ipython_gradients", source / "ipython_gradients",
                    ignore=shutil.ignore_patterns("__pycache__"))
    # pip builds it as `pip install .` does, in an isolated environment with the setuptools pyproject.toml asks
    # for (a fresh venv's own setuptools 65 cannot read its SPDX license)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "wheel"),
                            str(source)], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    site = tmp_path / "site"
    (built_wheel,) = (tmp_path / "wheel").glob("ipython_gradients-*.whl")
    with zipfile.ZipFile(built_wheel) as wheel:
        assert {"ipython_gradients/templates/gradients_html/conf.json",
                "ipython_gradients/templates/gradients_html/index.html.j2"} <= set(wheel.namelist())
        wheel.extractall(site)
    notebook = tmp_path / "notebook.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("%load_ext ipython_gradients"),
                                       new_code_cell("%deriv x^2 --at 1")]), notebook)
    jupyter = Path(sys.executable).with_name("jupyter")
    done = subprocess.run([str(jupyter), "nbconvert", "--to", "gradients_html", "--execute", str(notebook)],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path,  # (no checkout's egg-info)
                          env={**os.environ, "PYTHONPATH": str(site), "IPYTHON_GRADIENTS_WARMUP": "0"})
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "notebook.html").read_text()
    assert alt_texts(page) == ["Graph of f(x) = x² and f′(x) = 2·x on [0, 2]; marked points at x = 1 (increasing)."]
