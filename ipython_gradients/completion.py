"""Completion of the magics' options, values and names, answered by the kernel itself.

An IPython matcher (API v2) added to ``ip.Completer.custom_matchers`` on load. Frontends with no
language server (VS Code, JupyterLab) send ``complete_request`` to the kernel, which runs the
completer, often in a background thread while code runs: so the matcher only tokenises text,
reads a copy of the namespace, never imports SymPy, and keeps no state of its own.
"""

from __future__ import annotations

import re
import sys
import types

from IPython.core.completer import CompletionContext, SimpleCompletion, context_matcher

from .options import (
    DERIV,
    GRAD,
    LANGUAGE_CONSTANTS,
    LANGUAGE_FUNCTIONS,
    TANGENT,
    MagicSpec,
)

LINE_MAGICS = {"deriv": DERIV, "grad": GRAD}
_LINE_MAGIC = re.compile(r"%(deriv|grad)\b(?P<rest>.*)$")
_NAME = re.compile(r"[^\W\d]\w*")
_TRAILING_NAME = re.compile(r"[^\W\d]\w*$")
_KEYWORDS = {"and", "or", "not", "if", "else", "for", "in", "is", "lambda"}


IDENTIFIER = "ipython_gradients"


def matcher_for(shell):
    """The matcher for one shell: completions in ``%deriv``/``%grad`` lines and ``%%tangent`` cells."""

    # Priority above IPython's own matchers, which it suppresses inside a magic (and only there).
    @context_matcher(priority=100, identifier=IDENTIFIER)
    def gradient_matcher(context: CompletionContext) -> dict:
        namespace = (getattr(shell, "user_ns", None) or {}).copy()  # one C-level step: thread-safe
        found = complete(context.full_text, context.cursor_line, context.cursor_position, namespace)
        if found is None:
            return {"completions": [], "suppress": False}
        fragment, completions = found
        return {"completions": [SimpleCompletion(text, type=kind) for text, kind in completions],
                "matched_fragment": fragment, "suppress": True}

    return gradient_matcher


def complete(full_text: str, cursor_line: int, cursor_position: int, namespace: dict):
    """(fragment, [(completion, type)]) for the text at the cursor, or None outside the magics."""
    lines = full_text.split("\n")
    if cursor_line >= len(lines):
        return None
    before = lines[cursor_line][:cursor_position]
    if lines[0].lstrip().startswith("%%tangent"):
        if cursor_line == 0:
            return _complete_line(TANGENT, before.split("%%tangent", 1)[1], namespace)
        return _complete_names(before, namespace, "")
    matches = list(_LINE_MAGIC.finditer(before))  # the last magic on the line is the one being typed
    if not matches:
        return None
    return _complete_line(LINE_MAGICS[matches[-1].group(1)], matches[-1].group("rest"), namespace)


def _complete_line(spec: MagicSpec, text: str, namespace: dict):
    tokens = text.split(" ")
    partial = tokens[-1]
    previous = next((t for t in reversed(tokens[:-1]) if t), "")
    if partial.startswith("-"):
        flags = [o.flag for o in spec.options] + ["--no-" + o.flag[2:] for o in spec.options if o.negatable]
        return partial, [(flag, "option") for flag in flags if flag.startswith(partial)]
    option = spec.option(previous) if previous.startswith("--") else None
    if option is not None and option.takes_value:
        if option.choices:
            return partial, [(c, "value") for c in option.choices if c.startswith(partial)]
        if option.flag in ("--wrt", "--vars"):
            fragment = partial.rsplit(",", 1)[-1]
            used = set(partial.split(",")[:-1])
            candidates = [v for v in expression_variables(_expression_text(tokens)) if v not in used]
            return fragment, [(v, "variable") for v in candidates if v.startswith(fragment)]
        return partial, []  # numbers: nothing to suggest, and nothing else either
    return _complete_names(partial, namespace, _expression_text(tokens))


def _complete_names(before: str, namespace: dict, expression: str):
    """Function names, the expression's variables, and the namespace's SymPy objects and functions."""
    match = _TRAILING_NAME.search(before)
    fragment = match.group(0) if match else ""
    if not fragment:
        return None if not before.strip() else ("", [])
    found = {}
    for name in LANGUAGE_FUNCTIONS:
        found.setdefault(name, "function")
    for name in LANGUAGE_CONSTANTS:
        found.setdefault(name, "constant")
    for name in expression_variables(expression):
        found.setdefault(name, "variable")
    for name, value in namespace.items():
        kind = _namespace_kind(value)
        if kind and not name.startswith("_"):
            found.setdefault(name, kind)
    return fragment, sorted(((n, k) for n, k in found.items() if n.startswith(fragment) and n != fragment),
                            key=lambda item: (item[0].lower(), item[0]))


def _namespace_kind(value) -> str | None:
    """'sympy' for SymPy expressions and functions, 'callable' for Python functions; else None."""
    sympy = sys.modules.get("sympy")  # only if the user has imported it: never import it here
    try:  # while SymPy is being imported in another thread, its module is there but not yet complete
        sympy_types = (sympy.Basic, sympy.core.function.UndefinedFunction) if sympy is not None else ()
    except AttributeError:
        sympy_types = ()
    if sympy_types and isinstance(value, sympy_types):
        return "sympy"
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType)) or (
            callable(value) and type(value).__name__ == "ufunc"):
        return "callable"
    return None


def _expression_text(tokens: list[str]) -> str:
    """The words of a magic line that are not options or option values."""
    words, skip = [], False
    for token in tokens:
        if skip:
            skip = False
            continue
        if token.startswith("--"):
            option = next((spec.option(token.split("=")[0]) for spec in (DERIV, GRAD, TANGENT)
                           if spec.option(token.split("=")[0])), None)
            skip = option is not None and option.takes_value and "=" not in token
            continue
        words.append(token)
    return " ".join(words)


# Textbook notation (textbook.py, not imported here: completion stays light): superscripts are powers,
# not letters of a name (x² is x), π stands alone, d/dx or ∂/∂y in front is no variable, y = names the function.
_RAISED = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾ˣʸᶻⁿᵗⁱᵃᵇᵏᵐʳˢᵘᵛʷπ]")
_DERIVATIVE_PREFIX = re.compile(r"^\s*([d∂])[^/\s]*\s*/\s*(\1[^\W\d]\w*[^\s(]*\s*)+")
_NAMED = re.compile(r"^\s*[^\W\d]\w*\s*=(?!=)")


def expression_variables(text: str) -> list[str]:
    """The names in an expression that are not functions or constants, in order of appearance."""
    text = _NAMED.sub("", _DERIVATIVE_PREFIX.sub("", _RAISED.sub(" ", text)))
    if "=" in text and "(" in text.split("=", 1)[0]:  # f(x, y) = ...: the definition names them
        head = text.split("=", 1)[0]
        return [n for n in _NAME.findall(head.split("(", 1)[1])]
    names = []
    for name in _NAME.findall(text):
        if name not in LANGUAGE_FUNCTIONS and name not in LANGUAGE_CONSTANTS and name not in _KEYWORDS \
                and name not in names:
            names.append(name)
    return names


def _ours(matcher) -> bool:
    return getattr(matcher, "matcher_identifier", None) == IDENTIFIER


def install(shell) -> None:
    if not any(_ours(m) for m in shell.Completer.custom_matchers):
        shell.Completer.custom_matchers.append(matcher_for(shell))


def uninstall(shell) -> None:
    shell.Completer.custom_matchers[:] = [m for m in shell.Completer.custom_matchers if not _ours(m)]
