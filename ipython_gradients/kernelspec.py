"""A Jupyter kernelspec that starts IPython with the extension already loaded.

Frontends list kernels by their kernelspec: this one runs the current Python's ``ipykernel`` with
``--ext=ipython_gradients``, under a name and display name of its own, so VS Code and JupyterLab
show it beside (not instead of) the environment's plain Python kernel.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile

DEFAULT_NAME = "ipython-gradients"
DEFAULT_DISPLAY_NAME = "Python 3 (ipython_gradients)"


def kernel_json(display_name: str = DEFAULT_DISPLAY_NAME) -> dict:
    return {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}", "--ext=ipython_gradients"],
        "display_name": display_name,
        "language": "python",
        "metadata": {"debugger": True},
    }


def install(name: str = DEFAULT_NAME, display_name: str = DEFAULT_DISPLAY_NAME, user: bool = False,
            sys_prefix: bool = False, prefix: str | None = None) -> str:
    """Write the kernelspec (for this user by default) and return the folder it went to."""
    from jupyter_client.kernelspec import KernelSpecManager

    if sys_prefix:
        prefix = sys.prefix
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "kernel.json"), "w", encoding="utf-8") as handle:
            json.dump(kernel_json(display_name), handle, indent=2)
        return KernelSpecManager().install_kernel_spec(folder, kernel_name=name, user=user or prefix is None,
                                                       prefix=prefix)


def uninstall(name: str = DEFAULT_NAME) -> str:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        return KernelSpecManager().remove_kernel_spec(name)
    except (NoSuchKernel, KeyError):
        raise LookupError(f"no kernelspec named {name!r} is installed") from None


def installed() -> dict[str, str]:
    """Kernelspec name → folder, for every kernel Jupyter can find."""
    from jupyter_client.kernelspec import KernelSpecManager

    return KernelSpecManager().find_kernel_specs()
