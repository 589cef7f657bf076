"""Loading, unloading, configuration, display in each kind of frontend, and the README's seed command."""

import getpass
import os
import stat
import subprocess
import sys
import tempfile
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
    ("x_range", (1.0, 0.0), "x_range needs A < B"),
    ("x_range", (-1e308, 1e308), "x_range is too wide to plot: keep within ±1e150"),
    ("figure_size", (0.0, 3.0), "figure_size must be two sizes in inches from 2 to 20"),
    ("figure_size", (50.0, 50.0), "figure_size must be two sizes in inches from 2 to 20"),  # 8.6 s, 729 MB as retina
    ("timeout", 0.0, "timeout must be a number of seconds above 0"),
    ("figure_format", "jpeg", "figure_format"),
    ("notation", "newton", "notation"),
])
def test_invalid_configuration_is_rejected_with_a_message(ip, capsys, trait, value, phrase):
    magics = ip.magics_manager.registry["GradientMagics"]
    with pytest.raises(TraitError) as caught:
        setattr(magics, trait, value)
    assert phrase in str(caught.value)
    ip.run_line_magic("config", f"GradientMagics.{trait} = {value!r}")  # %config: one line, no traceback
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"GradientMagics.{trait}") and phrase in line
    assert line.endswith(f"{trait} stays {magics.trait_defaults(trait)!r} (the default)")
    assert getattr(magics, trait) == magics.trait_defaults(trait)


def test_a_bad_config_value_after_loading_keeps_the_current_one(ip, capsys):
    magics = ip.magics_manager.registry["GradientMagics"]
    ip.run_line_magic("config", "GradientMagics.samples = 57")
    ip.run_line_magic("config", "GradientMagics.samples = 200000")
    assert capsys.readouterr().err == ("GradientMagics.samples must be an integer from 2 to 100000, got 200000; "
                                       "samples stays 57\n")
    assert magics.samples == 57
    ip.run_line_magic("config", "GradientMagics.precision = 5")  # another setting: nothing said again
    ip.run_line_magic("config", "GradientMagics.sampels = 50")
    assert capsys.readouterr().err == ("GradientMagics has no setting 'sampels' (did you mean samples?): "
                                       "`%config GradientMagics` lists them\n")
    assert (magics.samples, magics.precision) == (57, 5)
    assert len(ip.run_line_magic("deriv", "x^2").figure.axes[0].lines[0].get_xdata()) == 57


def test_a_bad_config_value_before_loading_is_reported_and_the_magics_load(ip, capsys):
    """%config before %load_ext stores the value in the session's configuration; loading applies it.
    The refused value is dropped from that configuration, so a reload does not bring it back."""
    def unload():
        if "ipython_gradients" in ip.extension_manager.loaded:
            ip.run_line_magic("unload_ext", "ipython_gradients")
        ipython_gradients.unload_ipython_extension(ip)  # loaded by the function itself: harmless twice

    ip.config.pop("GradientMagics", None)  # what earlier tests set with %config (it would apply on loading)
    unload()
    try:
        ip.run_line_magic("config", "GradientMagics.samples = 200000")
        ip.run_line_magic("config", "GradientMagics.precision = 6")
        assert capsys.readouterr().err == ""
        ip.run_line_magic("load_ext", "ipython_gradients")
        assert capsys.readouterr().err == ("GradientMagics.samples must be an integer from 2 to 100000, got 200000; "
                                           "samples stays 400 (the default)\n")
        magics = ip.magics_manager.registry["GradientMagics"]
        assert (magics.samples, magics.precision) == (400, 6)  # the good value applies
        result = ip.run_line_magic("deriv", "x^2 --at 1")
        assert "2.000000" in result.text() and len(result.figure.axes[0].lines[0].get_xdata()) == 400
        ip.run_line_magic("reload_ext", "ipython_gradients")
        assert capsys.readouterr().err == ""  # refused once, not again
        assert ip.magics_manager.registry["GradientMagics"].precision == 6
    finally:
        unload()
        ip.config.pop("GradientMagics", None)
        ip.run_line_magic("load_ext", "ipython_gradients")


PRINT_X_RANGE = "print(get_ipython().magics_manager.registry['GradientMagics'].x_range)"


def run_ipython(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "IPython", "--no-banner", "--HistoryManager.enabled=False", *args],
                          capture_output=True, text=True, timeout=120, cwd=cwd)


@pytest.mark.external
def test_ipython_config_file_is_honoured_and_its_bad_values_reported(tmp_path):
    profile = tmp_path / "profile"
    profile.mkdir()
    (profile / "ipython_config.py").write_text(textwrap.dedent("""
        c.InteractiveShellApp.extensions = ["ipython_gradients"]
        c.GradientMagics.precision = 5
        c.GradientMagics.plot = False
        c.GradientMagics.notation = "prime"
        c.GradientMagics.samples = 200000
        c.GradientMagics.x_range = (-1e308, 1e308)
        c.GradientMagics.figure_format = "jpeg"
        c.GradientMagics.precison = 2
    """))
    result = run_ipython(f"--profile-dir={profile}", "-c", f"{PRINT_X_RANGE}\n%deriv x^3 --at 2")
    assert result.returncode == 0, result.stderr
    assert "f'(x) = 3⋅x" in result.stdout
    assert "f'(2) = 12.00000   increasing" in result.stdout
    assert "Figure saved" not in result.stdout and "(-5.0, 5.0)" in result.stdout
    assert sorted(result.stderr.splitlines()) == [
        "GradientMagics has no setting 'precison' (did you mean precision?): `%config GradientMagics` lists them",
        "GradientMagics.figure_format must be one of png, retina, svg, got 'jpeg'; "
        "figure_format stays 'png' (the default)",
        "GradientMagics.samples must be an integer from 2 to 100000, got 200000; samples stays 400 (the default)",
        "GradientMagics.x_range is too wide to plot: keep within ±1e150, got (-1e+308, 1e+308); "
        "x_range stays (-5.0, 5.0) (the default)",
    ]


@pytest.mark.external
def test_bad_values_on_the_ipython_command_line_are_reported_and_the_magics_work():
    result = run_ipython("--GradientMagics.samples=200000", "--GradientMagics.x_range=-2,3",
                         "--GradientMagics.timeout=soon", "--ext", "ipython_gradients",
                         "-c", f"{PRINT_X_RANGE}\n%deriv x^2 --no-plot")
    assert result.returncode == 0, result.stderr
    assert "2⋅x" in result.stdout and "(-2.0, 3.0)" in result.stdout  # the good value, written A,B, applies
    assert sorted(result.stderr.splitlines()) == [
        "GradientMagics.samples must be an integer from 2 to 100000, got 200000; samples stays 400 (the default)",
        "GradientMagics.timeout must be a number of seconds above 0 (up to 3600), got 'soon'; "
        "timeout stays 10.0 (the default)",
    ]


def seed_command_in_a_terminal(tmp_path) -> tuple[subprocess.CompletedProcess, str]:
    """The README's seed command in a terminal whose temporary folder is tmp_path; the saved figure's path."""
    result = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ipython"), "--ext", "ipython_gradients",
                             "--no-banner", "--HistoryManager.enabled=False", "-c", "%deriv x**2 --at -0.5,0.5,0"],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path,
                            env={**os.environ, "TMPDIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "f'(-0.5) = -1.000   decreasing" in result.stdout
    assert "f'(0)    =  0.000   stationary: local minimum" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    saved, description = result.stdout.split("Figure saved to ")[1].strip().splitlines()[:2]
    assert description.startswith("Graph of f(x) = x² and f′(x) = 2·x on [−1, 1]; marked points at x = -0.5")
    assert open(saved, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    return result, saved


FIGURES = "ipython-gradients-figures-" + getpass.getuser()


@pytest.mark.external
def test_the_readme_seed_command_in_a_terminal(tmp_path):
    _, saved = seed_command_in_a_terminal(tmp_path)
    assert os.path.dirname(saved) == str(tmp_path / FIGURES)  # a folder of this user's own


@pytest.mark.slow
@pytest.mark.external
@pytest.mark.parametrize("taken_by", ["a file", "another user"])
def test_the_seed_command_when_the_figures_folder_is_not_this_users(tmp_path, taken_by):
    """On a shared machine the figures folder's name may be taken: the figure goes into the temporary
    folder itself (it once raised PermissionError for every user but the folder's maker)."""
    folder = tmp_path / FIGURES
    if taken_by == "a file":
        folder.write_text("not a folder")
    else:
        if not hasattr(os, "geteuid") or os.geteuid() != 0:
            pytest.skip("only root can give a folder to another user here")
        folder.mkdir()
        os.chown(folder, 65534, 65534)  # nobody's
    _, saved = seed_command_in_a_terminal(tmp_path)
    assert os.path.dirname(saved) == str(tmp_path) and os.path.basename(saved).startswith("ipython-gradients-figure-")


def test_retina_and_svg_figures(ip):
    ip.run_line_magic("config", "GradientMagics.figure_format = 'retina'")
    with capture_output() as captured:
        ip.run_cell("%deriv sin(x)")
    figure = captured.outputs[1]
    description = figure.data["text/plain"]
    assert description.startswith("Graph of ")
    assert figure.metadata == {"image/png": {"width": 640, "height": 400, "alt": description},
                               "needs_background": "light"}
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


def test_terminal_figures_are_private_and_bounded(tmp_path, monkeypatch):
    """The figures folder is this user's alone (0700, even if it was made readable), and keeps the newest
    MAX_FIGURE_FILES figures; each figure file is readable by its user only."""
    from ipython_gradients import deriv
    from ipython_gradients.results import display

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the temporary folder is, as TMPDIR sets it
    folder = tmp_path / FIGURES
    folder.mkdir(mode=0o777)
    os.chmod(folder, 0o777)
    for k in range(display.MAX_FIGURE_FILES + 20):
        old = folder / f"figure-old{k:03}.png"
        old.write_bytes(b"old")
        os.utime(old, (1_000_000 + k, 1_000_000 + k))
    (folder / "notes.txt").write_text("not a figure: left alone")
    saved = deriv("x^2", at="1", plot=True).save_figure()
    assert os.path.dirname(saved) == str(folder) and open(saved, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700 and stat.S_IMODE(os.stat(saved).st_mode) == 0o600
    figures = sorted(p.name for p in folder.glob("figure-*.png"))
    assert len(figures) == display.MAX_FIGURE_FILES and "figure-old000.png" not in figures
    assert "figure-old119.png" in figures and (folder / "notes.txt").exists()
