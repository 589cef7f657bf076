"""The command line program: the same text as the terminal, LaTeX, figures, kernelspecs, bad input."""

import json
import os
import subprocess
import sys

import pytest

PROGRAM = [sys.executable, "-m", "ipython_gradients"]

pytestmark = pytest.mark.external  # each test runs the command line as a subprocess


def run(*args, env=None):
    return subprocess.run(PROGRAM + list(args), capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def test_deriv_prints_what_the_terminal_shows():
    result = run("deriv", "x^2", "--at", "-0.5,0.5,0")
    assert result.returncode == 0, result.stderr
    assert "f'(-0.5) = -1.000   decreasing" in result.stdout and "2⋅x" in result.stdout


@pytest.mark.slow
def test_latex_and_figures(tmp_path):
    latex = run("grad", "x^2 + y^2", "--at", "1,2", "--latex")
    assert latex.returncode == 0 and latex.stdout.startswith("$$f(x, y) = x^{2} + y^{2}$$")
    for name in ("figure.png", "figure.svg"):
        target = tmp_path / name
        result = run("tangent", "f(x) = x^2", "g(x) = sin(x)", "--at", "-0.5,0.5", "--save", str(target))
        assert result.returncode == 0, result.stderr
        assert "tangent line at x = -0.5:" in result.stdout
        head = target.read_bytes()[:100]
        assert head.startswith(b"\x89PNG") if name.endswith(".png") else b"<svg" in target.read_bytes()[:400]


@pytest.mark.slow
@pytest.mark.parametrize("args, phrase", [
    (("deriv", "x^^2"), "two operators in a row"),
    (("deriv", "x", "--bogus"), "unrecognized arguments: --bogus"),
    (("grad", "x y", "--save", "out.txt"), "--save writes a .png or .svg file"),
    (("deriv",), "deriv needs an expression"),
    (("frobnicate",), "unknown command 'frobnicate'"),
])
def test_bad_input_is_one_line_and_exit_status_2(args, phrase):
    result = run(*args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and phrase in result.stderr


def test_kernel_install_list_uninstall(tmp_path):
    env = {"JUPYTER_DATA_DIR": str(tmp_path / "data"), "JUPYTER_PATH": str(tmp_path / "data")}
    installed = run("kernel", "install", "--user", "--name", "grads-test", "--display-name", "Grads", env=env)
    assert installed.returncode == 0, installed.stderr
    spec = json.loads((tmp_path / "data" / "kernels" / "grads-test" / "kernel.json").read_text())
    assert spec["argv"] == [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                            "--ext=ipython_gradients"]
    assert spec["display_name"] == "Grads" and spec["language"] == "python"
    assert "grads-test" in run("kernel", "list", env=env).stdout
    assert run("kernel", "uninstall", "--name", "grads-test", env=env).returncode == 0
    assert "grads-test" not in run("kernel", "list", env=env).stdout
    missing = run("kernel", "uninstall", "--name", "grads-test", env=env)
    assert missing.returncode == 2 and "no kernelspec named 'grads-test'" in missing.stderr


def test_prefix_install(tmp_path):
    result = run("kernel", "install", "--prefix", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "share" / "jupyter" / "kernels" / "ipython-gradients" / "kernel.json").exists()
