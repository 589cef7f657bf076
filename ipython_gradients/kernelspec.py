"""A Jupyter kernelspec that starts IPython with the extension already loaded.

Frontends list kernels by their kernelspec: this one runs the current Python's ``ipykernel`` with
``--ext=ipython_gradients``, under a name and display name of its own, so VS Code and JupyterLab
show it beside (not instead of) the environment's plain Python kernel.

A kernelspec is written only for a Python that can start it (ipykernel and this package import
there), and whole or not at all: it is written into a hidden folder beside its place and renamed
into place, so a failure leaves nothing behind (and an earlier kernelspec of the same name as it
was). Every problem is a ``SetupError`` with one line saying what went wrong.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid

from .errors import SetupError

DEFAULT_NAME = "ipython-gradients"
DEFAULT_DISPLAY_NAME = "Python 3 (ipython_gradients)"
EXTENSION_FLAG = "--ext=ipython_gradients"
# Jupyter's characters for kernel names (it lower-cases them), starting with a letter or digit, so that
# "." and ".." (the kernels folder itself, its parent) and hidden names never become a path to replace.
NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
INSTALL_HINT = f"install it with {sys.executable} -m pip install ipykernel"

# Run by the kernel's own Python, from a neutral folder: can it start the kernel and load the extension?
_CAN_START = """
import importlib, sys
for module in ("ipykernel.kernelapp", "ipython_gradients"):
    try:
        importlib.import_module(module)
    except Exception as error:
        text = " ".join(str(error).split())
        print(module.split(".")[0], f"{type(error).__name__}: {text}" if text else type(error).__name__, sep="\t")
        sys.exit(1)
"""


def kernel_json(display_name: str = DEFAULT_DISPLAY_NAME) -> dict:
    return {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}", EXTENSION_FLAG],
        "display_name": display_name,
        "language": "python",
        "metadata": {"debugger": True},
    }


def checked_name(name: str) -> str:
    """The kernel name as Jupyter stores it (lower case), or SetupError if Jupyter would refuse it."""
    if not NAME.fullmatch(name.lower()):
        raise SetupError(f"a kernel name starts with a letter or digit and has up to 64 ASCII letters, digits and "
                         f"- . _ (got {name!r})")
    return name.lower()


def kernels_folder(user: bool = False, sys_prefix: bool = False, prefix: str | None = None) -> str:
    """Where the kernelspecs go: PREFIX/share/jupyter/kernels, or this user's Jupyter data folder."""
    if prefix is not None:
        if not prefix.strip():
            raise SetupError("--prefix needs a folder")
        return os.path.join(os.path.abspath(prefix), "share", "jupyter", "kernels")
    if sys_prefix:
        return os.path.join(sys.prefix, "share", "jupyter", "kernels")
    return os.path.join(_jupyter_paths().jupyter_data_dir(), "kernels")


def check_can_start() -> None:
    """SetupError unless this Python (the kernelspec's command) imports ipykernel and this package
    from a folder of its own, as Jupyter will start it."""
    try:
        result = subprocess.run([sys.executable, "-c", _CAN_START], capture_output=True, text=True,
                                timeout=120, cwd=tempfile.gettempdir())
    except (OSError, subprocess.SubprocessError) as error:
        raise SetupError(f"cannot run {sys.executable} to check it can start a kernel: {_reason(error)}") from None
    if result.returncode == 0:
        return
    module, _, why = result.stdout.strip().partition("\t")
    if module == "ipykernel":
        raise SetupError(f"the kernel needs ipykernel, which {sys.executable} cannot import ({why}): {INSTALL_HINT}")
    if module == "ipython_gradients":
        raise SetupError(f"{sys.executable} finds ipython_gradients only in this folder, so the kernel could "
                         f"not load it ({why}): install it with {sys.executable} -m pip install . first")
    last = (result.stderr.strip().splitlines() or ["it exited with status " + str(result.returncode)])[-1]
    raise SetupError(f"{sys.executable} cannot start a kernel: {last}")


def install(name: str = DEFAULT_NAME, display_name: str = DEFAULT_DISPLAY_NAME, user: bool = False,
            sys_prefix: bool = False, prefix: str | None = None, force: bool = False) -> str:
    """Write the kernelspec (for this user by default) and return its folder.

    An earlier kernelspec of this package with that name is replaced; any other one only with ``force``.
    """
    name = checked_name(name)
    if prefix is not None and not prefix.strip():
        raise SetupError("--prefix needs a folder")
    check_can_start()
    kernels = kernels_folder(user=user, sys_prefix=sys_prefix, prefix=prefix)
    destination = os.path.join(kernels, name)
    if os.path.lexists(destination) and not os.path.isdir(destination):
        raise SetupError(f"{destination} is not a folder, so it cannot be a kernelspec: move it away first")
    if os.path.isdir(destination) and not force and not _is_ours(destination):
        raise SetupError(f"a kernelspec named {name!r} that does not load ipython_gradients is in {destination}: "
                         "choose another --name, or add --force to replace it")
    created = _make_folders_or_say_why(kernels)
    staging = None
    try:
        staging = _new_folder(kernels, ".new-")
        with open(os.path.join(staging, "kernel.json"), "w", encoding="utf-8") as handle:
            json.dump(kernel_json(display_name), handle, indent=2)
        _move_into_place(staging, destination)
    except OSError as error:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        for folder in reversed(created):  # the folders made for it, innermost first, if nothing else is in them
            try:
                os.rmdir(folder)
            except OSError:
                break
        raise SetupError(f"cannot write the kernelspec in {kernels}: {_reason(error)}") from None
    return destination


def _make_folders_or_say_why(kernels: str) -> list[str]:
    try:
        return _make_folders(kernels)
    except OSError as error:
        raise SetupError(f"cannot write the kernelspec in {kernels}: {_reason(error)}") from None


def where_jupyter_looks() -> list[str]:
    """The kernels folders Jupyter searches (JUPYTER_PATH, the user's, the environment's, the system's)."""
    return [os.path.join(folder, "kernels") for folder in _jupyter_paths().jupyter_path()]


def is_found(folder: str) -> bool:
    """Whether Jupyter looks for kernelspecs in the kernels folder that holds ``folder``."""
    parent = os.path.realpath(os.path.dirname(folder))
    return any(os.path.realpath(path) == parent for path in where_jupyter_looks())


def uninstall(name: str = DEFAULT_NAME) -> str:
    """Remove this package's kernelspec called ``name``; return the folder it was in."""
    folder = installed().get(name.lower())
    if folder is None:
        raise SetupError(f"no kernelspec named {name!r} is installed")
    if not _is_ours(folder):
        raise SetupError(f"the kernelspec {name!r} ({folder}) does not load ipython_gradients: not removing it "
                         "(jupyter kernelspec remove does)")
    try:
        if os.path.islink(folder):
            os.remove(folder)
        else:
            shutil.rmtree(folder)
    except OSError as error:
        raise SetupError(f"cannot remove {folder}: {_reason(error)}") from None
    return folder


def installed() -> dict[str, str]:
    """Kernelspec name → folder, for every kernel Jupyter can find."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager
    except ImportError:
        raise SetupError(f"finding kernelspecs needs jupyter_client (from ipykernel), which {sys.executable} "
                         f"cannot import: {INSTALL_HINT}") from None
    return KernelSpecManager().find_kernel_specs()


# --- helpers -------------------------------------------------------------------------------------

def _jupyter_paths():
    try:
        from jupyter_core import paths
    except ImportError:
        raise SetupError(f"finding Jupyter's folders needs jupyter_core (from ipykernel), which {sys.executable} "
                         f"cannot import: {INSTALL_HINT}") from None
    return paths


def _reason(error: Exception) -> str:
    """An OSError as a short phrase: its text and the file it is about."""
    if isinstance(error, OSError) and error.strerror:
        path = error.filename2 or error.filename  # a rename's target, else the file
        where = f": {path}" if path else ""
        return f"{error.strerror.lower()}{where}"
    return " ".join(str(error).split()) or type(error).__name__


def _make_folders(folder: str) -> list[str]:
    """Make ``folder`` and any missing parents; return those made, outermost first."""
    missing = []
    while not os.path.isdir(folder):
        if os.path.lexists(folder):  # a file where a folder should be: say so (mkdir would say "file exists")
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), folder)
        missing.append(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    made = []
    try:
        for path in reversed(missing):
            os.mkdir(path)
            made.append(path)
    except OSError:
        for path in reversed(made):
            with contextlib.suppress(OSError):
                os.rmdir(path)
        raise
    return made


def _new_folder(parent: str, prefix: str) -> str:
    """A new empty folder in ``parent`` with the usual permissions (tempfile.mkdtemp's are private,
    and a kernelspec in a shared environment must be readable by its other users)."""
    while True:
        path = os.path.join(parent, prefix + uuid.uuid4().hex[:8])
        try:
            os.mkdir(path)
            return path
        except FileExistsError:
            continue


def _move_into_place(staging: str, destination: str) -> None:
    """Rename ``staging`` to ``destination``, replacing a kernelspec there; on failure the old one stays."""
    if not os.path.lexists(destination):
        os.rename(staging, destination)
        return
    aside = _new_folder(os.path.dirname(destination), ".old-")
    old = os.path.join(aside, "kernelspec")
    try:
        os.rename(destination, old)
    except OSError:
        os.rmdir(aside)
        raise
    try:
        os.rename(staging, destination)
    except OSError:
        os.rename(old, destination)
        os.rmdir(aside)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def _is_ours(folder: str) -> bool:
    try:
        with open(os.path.join(folder, "kernel.json"), encoding="utf-8") as handle:
            return EXTENSION_FLAG in json.load(handle).get("argv", [])
    except (OSError, ValueError, AttributeError):
        return False
