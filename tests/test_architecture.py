"""The layers of ARCHITECTURE.md hold: every import in the package points down or sideways, never up,
and there are no circles; IPython is imported only where the magics meet the shell.

Imports are read from the source (lazy ones inside functions included), so this fails the moment a
module reaches up a layer, even where that import would only run on some call.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ipython_gradients"

# From the top down; a module may import from its own layer (without circles) or any layer below.
LAYERS = [
    ("front", {"__init__", "__main__", "magics", "completion", "kernelspec", "warmup", "export"}),
    ("api", {"api"}),
    ("commands", {"derivatives", "gradients", "tangents", "sweeps", "frameworks", "interactive"}),
    ("results", {"results", "results.derivative", "results.gradient", "results.tangent", "results.display", "results.graph",
                 "results.symbols", "results.rates", "results.describe"}),
    ("drawing", {"plotting"}),
    ("engines", {"critical", "numeric", "optimise", "calculus", "branches", "steps", "autodiff", "definition",
                 "implicit", "constrained", "rates"}),
    ("language", {"expressions", "sizes", "textbook"}),
    ("foundations", {"results.values", "results.notation", "settings", "options", "errors", "timeouts"}),
]
LAYER_OF = {module: depth for depth, (_, modules) in enumerate(LAYERS) for module in modules}
# Where the package meets IPython (the shell, its display system, traitlets configuration), and
# nbconvert's exporter (``export``, configured by traitlets as nbconvert's own are).
SHELL_MODULES = {"__init__", "magics", "completion", "results.display", "export"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]) or "__init__"
    return ".".join(parts)


def imports(path: Path) -> tuple[set[str], set[str]]:
    """(modules of the package, top-level names of other packages) that a file imports anywhere in it."""
    package = path.relative_to(PACKAGE).parts[:-1]
    inside, outside = set(), set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(package[: len(package) - node.level + 1])
            if node.module:
                inside.add(".".join(base + node.module.split(".")))
            else:  # from . import calculus
                inside.update(".".join(base + [alias.name]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            outside.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            outside.update(alias.name.split(".")[0] for alias in node.names)
    return inside, outside


GRAPH = {module_name(path): imports(path) for path in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_has_a_layer():
    assert set(GRAPH) == set(LAYER_OF), "a module was added or removed: place it in LAYERS and ARCHITECTURE.md"


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_point_down_or_sideways(module):
    upward = [target for target in GRAPH[module][0]
              if target in LAYER_OF and LAYER_OF[target] < LAYER_OF[module]]
    assert not upward, f"{module} ({LAYERS[LAYER_OF[module]][0]}) imports {upward} from a layer above"
    unknown = [target for target in GRAPH[module][0] if target not in LAYER_OF]
    assert not unknown, f"{module} imports {unknown}, which is not a module of the package"


def test_there_are_no_circles():
    state: dict[str, str] = {}

    def visit(module: str, trail: list[str]):
        state[module] = "open"
        for target in sorted(GRAPH[module][0]):
            if state.get(target) == "open":
                cycle = trail[trail.index(target):] + [target] if target in trail else [module, target]
                raise AssertionError(" -> ".join(cycle))
            if target not in state:
                visit(target, trail + [target])
        state[module] = "done"

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])


def test_only_the_shell_layer_imports_ipython():
    others = {module: sorted(GRAPH[module][1] & {"IPython", "traitlets", "ipykernel"})
              for module in GRAPH if module not in SHELL_MODULES}
    assert {module: names for module, names in others.items() if names} == {}


def test_the_checks_see_real_imports():
    """The reader itself: it finds the lazy import in api.worked_steps and magics' import of IPython."""
    assert "steps" in GRAPH["api"][0] and "IPython" in GRAPH["magics"][1]
    assert GRAPH["results.values"][0] <= {"results.notation"}
