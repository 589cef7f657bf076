"""Shared fixtures and helpers: a real IPython shell with the extension loaded, the user's part of its
namespace, and a cheap way to count the objects a call leaves alive."""

import gc
import os
from contextlib import contextmanager

import pytest
from IPython.testing.globalipapp import start_ipython

# The background warm-up after %load_ext stays off in this process and what it starts, so every test
# runs the magics as they are, alone; tests/test_warmup.py turns it on in the fresh processes it starts.
os.environ["IPYTHON_GRADIENTS_WARMUP"] = "0"

# IPython's own entries in the namespace, which change on every run_cell and are not the user's.
IPYTHON_NAMES = {"_", "__", "___", "_i", "_ii", "_iii", "_oh", "_ih", "In", "Out", "_dh", "exit", "quit",
                 "get_ipython", "_exit_code"}


@pytest.fixture(scope="session")
def shell():
    ip = start_ipython()
    ip.history_manager.enabled = False
    return ip


@pytest.fixture
def ip(shell):
    """The shell with the extension loaded, default configuration and a clean user namespace."""
    if "GradientMagics" not in shell.magics_manager.registry:
        shell.run_line_magic("load_ext", "ipython_gradients")
    magics = shell.magics_manager.registry["GradientMagics"]
    saved_ns = dict(shell.user_ns)
    yield shell
    for name in list(shell.user_ns):
        if name not in saved_ns:
            del shell.user_ns[name]
    for trait in magics.trait_names(config=True):
        magics.set_trait(trait, magics.trait_defaults(trait))


def user_names(shell) -> dict:
    """The user's part of the namespace, for checking that a magic left it unchanged."""
    return {k: v for k, v in shell.user_ns.items()
            if k not in IPYTHON_NAMES and not (k.startswith("_i") or k.startswith("_") and k[1:].isdigit())}


@contextmanager
def only_new_objects_tracked():
    """Within the block the garbage collector sees only objects created in it: everything older is
    frozen (gc.freeze), so gc.get_objects() and gc.collect() take milliseconds rather than most of a
    second with SymPy, matplotlib and IPython loaded. Counting real objects (figures left alive)
    before and after a call inside the block therefore stays cheap."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
