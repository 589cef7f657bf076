"""Loading, unloading, configuration, display in each kind of frontend, and the README's seed command."""

import os
import subprocess
import sys
import textwrap

import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output
from traitlets import TraitError

import ipython_gradients


def fresh_python(code: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=120, **kwargs)


@pytest.mark.external
def test_loading_imports_neither_sympy_nor_matplotlib():
    """With the background warm-up on (tests/test_warmup.py): loading itself imports nothing heavy and
    starts no thread; outside a cell nothing is warmed either, so the first call imports SymPy."""
    result = fresh_python("""
        import sys, threading
        from IPython.core.interactiveshell import InteractiveShell
        ip = InteractiveShell.instance()
        ip.run_line_magic("load_ext", "ipython_gradients")
        assert "deriv" in ip.magics_manager.magics["line"]
        heavy = [m for m in ("sympy", "matplotlib", "numpy") if m in sys.modules]
        print("heavy:", heavy, "threads:", [t.name for t in threading.enumerate() if "warm" in t.name])
        ip.run_line_magic("deriv", "x^2 --no-plot")
        print("after:", "sympy" in sys.modules, "matplotlib" in sys.modules)
    """, env={**os.environ, "IPYTHON_GRADIENTS_WARMUP": "1"})
    assert result.returncode == 0, result.stderr
    assert "heavy: [] threads: []" in result.stdout and "after: True False" in result.stdout


def test_load_twice_is_harmless_and_unload_removes_everything(shell):
    configurables_before = len(shell.configurables)
    was_loaded = "GradientMagics" in shell.magics_manager.registry
    if was_loaded:
        ipython_gradients.unload_ipython_extension(shell)
        configurables_before = len(shell.configurables)
    ipython_gradients.load_ipython_extension(shell)
    ipython_gradients.load_ipython_extension(shell)
    assert len(shell.configurables) == configurables_before + 1
    assert "deriv" in shell.magics_manager.magics["line"]
    ipython_gradients.unload_ipython_extension(shell)
    assert "deriv" not in shell.magics_manager.magics["line"]
    assert "GradientMagics" not in shell.magics_manager.registry
    assert len(shell.configurables) == configurables_before
    with pytest.raises(UsageError, match="not found"):
        shell.run_line_magic("deriv", "x")
    ipython_gradients.unload_ipython_extension(shell)  # a second unload is harmless too
    if was_loaded:
        ipython_gradients.load_ipython_extension(shell)


def test_config_lists_every_trait_with_help(ip):
    with capture_output() as captured:
        ip.run_line_magic("config", "GradientMagics")
    for trait in ("precision", "plot", "samples", "x_range", "figure_format", "figure_size", "notation",
                  "simplify", "timeout"):
        assert f"GradientMagics.{trait}" in captured.stdout
    assert "Digits shown after the decimal point" in captured.stdout


@pytest.mark.parametrize("trait, value, phrase", [
    ("precision", -1, "precision must be an integer from 0 to 15"),
    ("precision", 99, "precision must be an integer from 0 to 15"),
    ("samples", 1, "samples must be an integer from 2"),
    ("samples", 10**9, "samples must be an integer from 2"),
    ("x_range", (1.0, 0.0), "x_range must be (A, B) with A < B"),
    ("figure_size", (0.0, 3.0), "figure_size must be two positive sizes"),
    ("timeout", 0.0, "timeout must be a number of seconds above 0"),
    ("figure_format", "jpeg", "figure_format"),
    ("notation", "newton", "notation"),
])
def test_invalid_configuration_is_rejected_with_a_message(ip, caplog, trait, value, phrase):
    magics = ip.magics_manager.registry["GradientMagics"]
    with pytest.raises(TraitError) as caught:
        setattr(magics, trait, value)
    assert phrase in str(caught.value)
    ip.run_line_magic("config", f"GradientMagics.{trait} = {value!r}")  # %config logs it as one line
    assert phrase in caplog.text
    assert getattr(magics, trait) == magics.trait_defaults(trait)


@pytest.mark.external
def test_ipython_config_file_is_honoured(tmp_path):
    profile = tmp_path / "profile"
    profile.mkdir()
    (profile / "ipython_config.py").write_text(textwrap.dedent("""
        c.InteractiveShellApp.extensions = ["ipython_gradients"]
        c.GradientMagics.precision = 5
        c.GradientMagics.plot = False
        c.GradientMagics.notation = "prime"
    """))
    result = subprocess.run([sys.executable, "-m", "IPython", f"--profile-dir={profile}", "--no-banner",
                             "--HistoryManager.enabled=False", "-c", "%deriv x^3 --at 2"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "f'(x) = 3⋅x" in result.stdout
    assert "f'(2) = 12.00000   increasing" in result.stdout
    assert "Figure saved" not in result.stdout


@pytest.mark.external
def test_the_readme_seed_command_in_a_terminal(tmp_path):
    result = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ipython"), "--ext", "ipython_gradients", "--no-banner",
                             "--HistoryManager.enabled=False", "-c", "%deriv x**2 --at -0.5,0.5,0"],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path,
                            env={**os.environ, "TMPDIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "f'(-0.5) = -1.000   decreasing" in result.stdout
    assert "f'(0)    =  0.000   stationary: local minimum" in result.stdout
    saved = result.stdout.split("Figure saved to ")[1].strip()
    assert saved.startswith(str(tmp_path)) and open(saved, "rb").read(8) == b"\x89PNG\r\n\x1a\n"


def test_retina_and_svg_figures(ip):
    ip.run_line_magic("config", "GradientMagics.figure_format = 'retina'")
    with capture_output() as captured:
        ip.run_cell("%deriv sin(x)")
    figure = captured.outputs[1]
    assert figure.metadata == {"image/png": {"width": 640, "height": 400}}
    png = figure.data["image/png"]
    assert int.from_bytes(png[16:20], "big") == 1280  # twice the pixels for high-density screens
    ip.run_line_magic("config", "GradientMagics.figure_format = 'svg'")
    with capture_output() as captured:
        ip.run_cell("%deriv sin(x)")
    assert captured.outputs[1].data["image/svg+xml"].lstrip().startswith("<?xml")


def test_figure_size_trait(ip):
    ip.run_line_magic("config", "GradientMagics.figure_size = (8, 3)")
    r = ip.run_line_magic("deriv", "x^2")
    assert tuple(r.figure.get_size_inches()) == (8.0, 3.0)


def test_samples_trait_sets_points_per_curve(ip):
    ip.run_line_magic("config", "GradientMagics.samples = 57")
    r = ip.run_line_magic("deriv", "x^2")
    assert len(r.figure.axes[0].lines[0].get_xdata()) == 57


def test_x_range_is_the_default_plotting_range(ip):
    ip.run_line_magic("config", "GradientMagics.x_range = (-2, 3)")
    assert ip.run_line_magic("deriv", "x^2").figure.axes[0].get_xlim() == (-2.0, 3.0)


def test_simplify_trait_and_option(ip):
    plain = ip.run_line_magic("deriv", "x/(1+x) --no-plot").derivative
    simplified = ip.run_line_magic("deriv", "x/(1+x) --no-plot --simplify").derivative
    assert plain != simplified and str(simplified) == "(x + 1)**(-2)"
    ip.run_line_magic("config", "GradientMagics.simplify = True")
    assert ip.run_line_magic("deriv", "x/(1+x) --no-plot").derivative == simplified


def test_no_simplify_overrides_the_trait(ip):
    ip.run_line_magic("config", "GradientMagics.simplify = True")
    assert str(ip.run_line_magic("deriv", "x/(1+x) --no-plot").derivative) == "(x + 1)**(-2)"
    assert str(ip.run_line_magic("deriv", "x/(1+x) --no-plot --no-simplify").derivative) != "(x + 1)**(-2)"


def test_help_lists_every_option(shell):
    doc = shell.find_line_magic("deriv").__doc__
    for flag in ("--wrt", "--order", "--at", "--range", "--plot", "--no-plot", "--simplify"):
        assert flag in doc
    assert "%deriv x**2 --at -0.5,0.5,0" in doc
