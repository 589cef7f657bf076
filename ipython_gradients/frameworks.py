"""``--against jax|torch``: the framework's own gradient of a Python function, set beside ours.

Owns calling JAX (``jax.grad``) or PyTorch (``torch.autograd.grad``) at each point, lazily (neither
is imported until asked for; without it, one line saying what to install), and the verdict in words
that compares it with what ``grad`` or ``deriv`` found there: agrees (within the framework's
floating-point rounding and our error bound), differs, or hits a convention at a corner, an infinite
slope or a NaN where the derivative exists. Avoids the API's keywords and the rendering.
"""

from __future__ import annotations

import importlib
import math

import numpy as np

from .errors import OptionError
from .results.notation import format_number
from .results.values import FrameworkRow, GradientPoint, PointValue

FRAMEWORKS = {"jax": "JAX", "torch": "PyTorch"}
INSTALL = {"jax": "pip install 'ipython_gradients[jax]' (or pip install jax jaxlib)",
           "torch": "pip install 'ipython_gradients[torch]' (or pip install torch; on a machine without a GPU "
                    "the CPU build from https://download.pytorch.org/whl/cpu is far smaller)"}


def check_framework(against, function, points) -> str | None:
    """--against's value, checked: jax or torch, for a Python function, at points."""
    if against is None:
        return None
    if not isinstance(against, str) or against not in FRAMEWORKS:
        raise OptionError(f"--against must be jax or torch, got {against!r}")
    if function is None or function.func is None:
        raise OptionError(f"--against {against} calls {FRAMEWORKS[against]}'s gradient of a Python function written "
                          f"with {'jax.numpy' if against == 'jax' else 'torch'}: give the function's name, not an expression")
    if not points:
        raise OptionError(f"--against {against} compares gradients at points: add --at")
    return against


def load(framework: str):
    """The framework's module, or one line saying what to install."""
    try:
        return importlib.import_module(framework)
    except ImportError:
        raise OptionError(f"--against {framework} needs {FRAMEWORKS[framework]}, which is not installed: "
                          f"{INSTALL[framework]}") from None


def their_gradient(framework: str, func, point, vector_input: bool) -> tuple[tuple[float, ...] | None, str, str]:
    """(the framework's gradient at the point, its float type, the error it raised or "")."""
    coordinates = [float(c) for c in point]
    func = getattr(func, "wrapped", func)  # expressions.TensorCall: the user's own function
    try:
        if framework == "jax":
            jax = load("jax")
            import jax.numpy as jnp

            if vector_input:
                found = jax.grad(func)(jnp.asarray(coordinates))
                values = [found[i] for i in range(len(coordinates))]
            else:
                values = list(jax.grad(func, argnums=tuple(range(len(coordinates))))(
                    *(jnp.asarray(c) for c in coordinates)))
            dtype = str(values[0].dtype) if values else "float32"
        else:
            torch = load("torch")
            leaves = [torch.tensor(c, dtype=torch.float64, requires_grad=True) for c in coordinates]
            output = func(torch.stack(leaves)) if vector_input else func(*leaves)
            found = torch.autograd.grad(output, leaves, allow_unused=True)
            values = [0.0 if g is None else g for g in found]
            dtype = "float64"
        return tuple(float(v) for v in values), dtype, ""
    except Exception as error:  # the framework's own refusal (a Python branch on a traced value, ...)
        message = " ".join(str(error).split())[:120]
        return None, "", f"{type(error).__name__}: {message}"


def _shown(values, digits: int) -> str:
    if values is None:
        return "—"
    return ", ".join(format_number(v, digits) if math.isfinite(v) else str(v) for v in values)


def compare(framework: str, ours: tuple[float, ...] | None, error: float, why: str, theirs, dtype: str,
            failure: str, label, digits: int, exact: bool = True) -> FrameworkRow:
    """One row: the verdict in words. ``why``: where ``ours`` is None, what our analysis says instead;
    ``exact``: whether that analysis was symbolic (a numeric one cannot call the framework's number a convention)."""
    name = FRAMEWORKS[framework]
    if theirs is None:
        return FrameworkRow(label, ours, None, None, f"{name} could not differentiate it here ({failure})", False)
    said = _shown(theirs, max(digits, 6))
    finite = all(math.isfinite(v) for v in theirs)
    if ours is None and not exact:
        return FrameworkRow(label, None, theirs, None, f"unknown: our numeric analysis says {why}; {name} returns "
                            f"{said} (trace the function with SymPy symbols for an exact verdict)", False)
    if ours is None:
        if not finite:
            return FrameworkRow(label, None, theirs, None, f"{why}: {name} returns {said}", False)
        return FrameworkRow(label, None, theirs, None, f"{why}: {name} returns {said} by convention", False)
    if not finite:
        return FrameworkRow(label, ours, theirs, None,
                            f"{name} returns {said}; the derivative is {_shown(ours, digits)}", False)
    difference = max(abs(a - b) for a, b in zip(ours, theirs))
    scale = max([1.0] + [abs(a) for a in ours])
    rounding = (2e-5 if dtype in ("float32", "float16", "bfloat16") else 1e-9) * scale
    bound = rounding + error
    if difference <= bound:
        return FrameworkRow(label, ours, theirs, difference, "agrees", True)
    return FrameworkRow(label, ours, theirs, difference,
                        f"differs beyond the error bound ({bound:.1e}, {dtype} rounding and our error)", False)


def gradient_rows(framework: str, function, points: list[GradientPoint], digits: int) -> list[FrameworkRow]:
    """Per %grad point: our gradient (``GradientPoint``) beside the framework's."""
    load(framework)
    rows = []
    for p in points:
        theirs, dtype, failure = their_gradient(framework, function.func, p.point, function.parsed.vector_input)
        error = 2 * max(p.errors) if p.errors is not None else 0.0
        why = _gradient_why(p.reason)
        rows.append(compare(framework, p.gradient, error, why, theirs, dtype, failure, p.label, digits,
                            exact=function.expr is not None))
    return rows


def derivative_rows(framework: str, function, index: int, points: list[PointValue], digits: int) -> list[FrameworkRow]:
    """Per %deriv point: our first derivative in variable ``index`` (``PointValue``) beside the framework's."""
    load(framework)
    rows = []
    for p in points:
        theirs, dtype, failure = their_gradient(framework, function.func, p.point, function.vector_input)
        theirs = None if theirs is None else (theirs[index],)
        ours = (p.value,) if p.status == "ok" else None
        error = 2 * p.error if p.status == "ok" and p.error else 0.0
        rows.append(compare(framework, ours, error, _derivative_why(p, digits), theirs, dtype, failure, p.label,
                            digits, exact=function.expr is not None))
    return rows


def _gradient_why(reason: str) -> str:
    if reason.startswith("not differentiable"):
        return reason.replace("not differentiable there:", "not differentiable here:")
    if not reason:
        return "unknown"
    return reason if reason.startswith("unknown") else f"f has no gradient here ({reason})"


def _derivative_why(p: PointValue, digits: int) -> str:
    sides = ", ".join(f"{side} {format_number(v, digits) if math.isfinite(v) else ('∞' if v > 0 else '-∞')}"
                      for side, v in (("left", p.left), ("right", p.right)) if v is not None)
    if p.status == "not differentiable":
        return f"not differentiable here ({p.reason}{', ' + sides if sides else ''})"
    if p.status == "infinite":
        return f"the slope is infinite here ({sides or p.reason})"
    if p.status == "unknown":
        return f"unknown: {p.reason}"
    return f"f has no derivative here ({p.reason or p.status})"


def all_finite(values) -> bool:
    return values is not None and bool(np.all(np.isfinite(values)))
