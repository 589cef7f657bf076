"""ipython_gradients: derivatives, gradients and tangent lines as IPython magics.

``%load_ext ipython_gradients`` registers ``%deriv``, ``%grad`` and ``%%tangent``. Loading imports neither SymPy nor
matplotlib: once the loading cell has finished they load in the background (``warmup``), or on the
first call. ``from ipython_gradients import deriv`` is the same computation as a plain Python function.
"""

__version__ = "0.1.0"

_API_NAMES = ("deriv", "grad", "tangent", "gradcheck")


def load_ipython_extension(ipython):
    """Register the magics (a second call is harmless); warm up once the loading cell has finished."""
    from . import completion, warmup
    from .magics import GradientMagics

    if "GradientMagics" not in ipython.magics_manager.registry:
        ipython.register_magics(GradientMagics)
    completion.install(ipython)
    warmup.schedule(ipython)


def unload_ipython_extension(ipython):
    """Remove everything ``load_ipython_extension`` added."""
    from . import completion, warmup

    completion.uninstall(ipython)
    warmup.unschedule(ipython)
    manager = ipython.magics_manager
    instance = manager.registry.pop("GradientMagics", None)
    if instance is None:
        return
    for kind, names in instance.magics.items():
        for name in names:
            manager.magics[kind].pop(name, None)
    if instance in ipython.configurables:
        ipython.configurables.remove(instance)


def __getattr__(name):
    if name in _API_NAMES:
        from . import warmup

        warmup.wait()  # never import the API alongside the background warm-up
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'ipython_gradients' has no attribute {name!r}")


__all__ = ["__version__", "load_ipython_extension", "unload_ipython_extension", *_API_NAMES]
