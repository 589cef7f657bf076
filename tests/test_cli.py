"""The command line program: the same text as the terminal, LaTeX, figures, kernelspecs, bad input."""

import json
import os
import shutil
import subprocess
import sys

import pytest

import ipython_gradients

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
    (("deriv", "x^2 at 1"), "did you mean --at 1?"),
    (("deriv", "d/dx x y", "--wrt", "y"), "the line says d/dx but --wrt is y"),
])
def test_bad_input_is_one_line_and_exit_status_2(args, phrase):
    result = run(*args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and phrase in result.stderr


def one_line_error(result, phrase):
    assert result.returncode == 2 and result.stdout == "", (result.stdout, result.stderr)
    assert result.stderr.startswith("ipython-gradients: error: ") and result.stderr.count("\n") == 1, result.stderr
    assert phrase in result.stderr, result.stderr


def every_path(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("target, phrase", [
    ("no/such/folder/f.png", "the folder {tmp}/no/such/folder does not exist"),
    ("a-file/f.png", "{tmp}/a-file is not a folder"),          # a path through a regular file: fails for root too
    ("a-file/deeper/f.svg", "{tmp}/a-file is not a folder"),
    ("folder.png", "that is a folder; give the name of a .png or .svg file"),
    ("folder.png/", "that is a folder"),
    ("", "that is a folder"),                                    # --save /tmp/...
    ("figure.jpeg", "--save writes a .png or .svg file"),
])
def test_save_problems_are_one_line_and_exit_status_2(tmp_path, target, phrase):
    (tmp_path / "a-file").write_text("not a folder")
    (tmp_path / "folder.png").mkdir()
    before = every_path(tmp_path)
    result = run("deriv", "x^2", "--save", str(tmp_path / target) + ("/" if target.endswith("/") else ""))
    one_line_error(result, phrase.format(tmp=tmp_path))
    assert every_path(tmp_path) == before  # nothing written


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0,
                    reason="permissions are not enforced for root (or on Windows folders): "
                           "the paths through a file above fail for everyone")
def test_read_only_folders(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        one_line_error(run("deriv", "x^2", "--save", str(locked / "f.png")), "permission denied")
        one_line_error(run("kernel", "install", "--prefix", str(locked / "prefix")), "permission denied")
        assert every_path(locked) == []
    finally:
        locked.chmod(0o755)


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


def test_prefix_install_replaces_an_earlier_one_whole_and_is_readable_by_everyone(tmp_path):
    kernels = tmp_path / "share" / "jupyter" / "kernels"
    for display_name in ("First", "Second"):
        result = run("kernel", "install", "--prefix", str(tmp_path), "--display-name", display_name)
        assert result.returncode == 0, result.stderr
        assert result.stdout == (f"Installed kernelspec ipython-gradients ({display_name}) in "
                                 f"{kernels}/ipython-gradients\n")
    # Jupyter does not search this prefix: one line says how to make it
    assert result.stderr == (f"Note: Jupyter does not look in {kernels}; to use this kernel, add "
                             f"{tmp_path}/share/jupyter to JUPYTER_PATH\n")
    assert every_path(kernels) == ["ipython-gradients", "ipython-gradients/kernel.json"]  # nothing left aside
    assert json.loads((kernels / "ipython-gradients" / "kernel.json").read_text())["display_name"] == "Second"
    umask = os.umask(0)
    os.umask(umask)
    assert (kernels / "ipython-gradients").stat().st_mode & 0o777 == 0o777 & ~umask  # not private to its maker
    assert run("kernel", "install", "--prefix", str(tmp_path), env={"JUPYTER_PATH": str(tmp_path / "share" / "jupyter")}
               ).stderr == ""  # found there: no note


@pytest.mark.parametrize("args, phrase", [
    (("--prefix", "{tmp}/a-file/prefix"), "cannot write the kernelspec in {tmp}/a-file/prefix/share/jupyter/kernels: "
                                          "not a directory: {tmp}/a-file"),
    (("--prefix", ""), "--prefix needs a folder"),       # once installed into the system's folder
    (("--prefix", "{tmp}", "--name", "a/b"), "up to 64 ASCII letters, digits and - . _ (got 'a/b')"),
    # "." and ".." are the kernels folder and its parent: replacing them would empty Jupyter's data folder
    (("--prefix", "{tmp}", "--name", ".."), "a kernel name starts with a letter or digit"),
    (("--prefix", "{tmp}", "--name", "."), "a kernel name starts with a letter or digit"),
    (("--name", ".."), "a kernel name starts with a letter or digit"),
    (("--prefix", "{tmp}", "--name", ".hidden"), "a kernel name starts with a letter or digit"),
    (("--prefix", "{tmp}", "--name", "python3"), "a kernelspec named 'python3' that does not load ipython_gradients"),
    (("--prefix", "{tmp}", "--name", "taken"), "{tmp}/share/jupyter/kernels/taken is not a folder, so it cannot be "
                                               "a kernelspec: move it away first"),
    # refused before any folder is made (it once failed only at the rename, after making them)
    (("--prefix", "{tmp}/new", "--name", "k" * 300), "has up to 64 ASCII letters"),
])
def test_kernel_install_problems_are_one_line_and_leave_nothing_behind(tmp_path, args, phrase):
    (tmp_path / "a-file").write_text("not a folder")
    kernels = tmp_path / "share" / "jupyter" / "kernels"
    kernels.mkdir(parents=True)
    (kernels / "taken").write_text("not a kernelspec")
    (kernels / "python3").mkdir()
    (kernels / "python3" / "kernel.json").write_text(json.dumps({"argv": ["python", "-m", "ipykernel_launcher"]}))
    (tmp_path / "runtime").mkdir()
    (tmp_path / "runtime" / "kernel-1.json").write_text("{}")  # a live kernel's connection file
    before = every_path(tmp_path)
    result = run("kernel", "install", *(a.format(tmp=tmp_path) for a in args), env={"JUPYTER_DATA_DIR": str(tmp_path)})
    one_line_error(result, phrase.format(tmp=tmp_path))
    assert every_path(tmp_path) == before


def test_force_replaces_a_kernelspec_that_is_not_ours(tmp_path):
    kernels = tmp_path / "share" / "jupyter" / "kernels"
    (kernels / "python3").mkdir(parents=True)
    (kernels / "python3" / "kernel.json").write_text(json.dumps({"argv": ["python", "-m", "ipykernel_launcher"]}))
    result = run("kernel", "install", "--prefix", str(tmp_path), "--name", "python3", "--force")
    assert result.returncode == 0, result.stderr
    assert "--ext=ipython_gradients" in " ".join(json.loads((kernels / "python3" / "kernel.json").read_text())["argv"])
    again = run("kernel", "install", "--prefix", str(tmp_path), "--name", "python3")  # ours now: replaced quietly
    assert again.returncode == 0, again.stderr


def test_uninstall_removes_only_its_own_kernelspecs(tmp_path):
    other = tmp_path / "kernels" / "other"
    other.mkdir(parents=True)
    (other / "kernel.json").write_text(json.dumps({"argv": ["python", "-m", "ipykernel_launcher", "-f",
                                                            "{connection_file}"], "display_name": "Other"}))
    env = {"JUPYTER_DATA_DIR": str(tmp_path), "JUPYTER_PATH": str(tmp_path)}
    one_line_error(run("kernel", "uninstall", "--name", "other", env=env), "does not load ipython_gradients")
    assert (other / "kernel.json").exists()


@pytest.fixture(scope="module")
def python_without_ipykernel(tmp_path_factory):
    """A real Python environment with the standard library only (no ipykernel, jupyter_client or SymPy);
    a copy of this package alone comes in on PYTHONPATH (not the folder it is installed in, which may
    hold the rest)."""
    folder = tmp_path_factory.mktemp("bare")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder / "venv")], check=True, timeout=120)
    python = folder / "venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    shutil.copytree(os.path.dirname(os.path.abspath(ipython_gradients.__file__)), folder / "src" / "ipython_gradients",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return [str(python), "-m", "ipython_gradients"], {**os.environ, "PYTHONPATH": str(folder / "src")}


@pytest.mark.parametrize("args, phrase", [
    (("kernel", "install", "--prefix", "{tmp}"), "the kernel needs ipykernel, which {python} cannot import "
                                                 "(ModuleNotFoundError: No module named 'ipykernel'): "
                                                 "install it with {python} -m pip install ipykernel"),
    (("kernel", "install", "--user"), "the kernel needs ipykernel"),
    (("kernel", "list"), "finding kernelspecs needs jupyter_client (from ipykernel)"),
    (("kernel", "uninstall"), "finding kernelspecs needs jupyter_client (from ipykernel)"),
    (("deriv", "x^2"), "ipython_gradients needs "),  # sympy or numpy, whichever is imported first
])
def test_a_python_without_the_kernel_packages_gets_one_line_and_no_kernelspec(python_without_ipykernel, tmp_path,
                                                                              args, phrase):
    program, env = python_without_ipykernel
    env = {**env, "JUPYTER_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(program + [a.format(tmp=tmp_path) for a in args], capture_output=True, text=True,
                            timeout=120, env=env)
    one_line_error(result, phrase.format(tmp=tmp_path, python=program[0]))
    assert every_path(tmp_path) == []  # no kernelspec for a Python that could not start it
