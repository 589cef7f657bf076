"""The example notebooks run in a real kernel (nbclient) without errors and show what they say."""

from pathlib import Path

import nbformat
from nbclient import NotebookClient

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def execute(name: str):
    notebook = nbformat.read(EXAMPLES / name, as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(EXAMPLES)}}).execute()
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def test_derivatives_notebook():
    cells = execute("derivatives.ipynb")
    for cell in cells:
        assert not [o for o in cell.outputs if o.output_type == "error" or o.get("name") == "stderr"], cell.source
    parabola = cells[1].outputs
    assert [o.output_type for o in parabola] == ["display_data", "display_data"]
    assert "f'(-0.5) &= -1.000" in parabola[0].data["text/latex"]
    assert "image/png" in parabola[1].data
    assert "{-0.5: -1.0, 0.5: 1.0, 0.0: 0.0}" in cells[2].outputs[0].data["text/plain"]
    assert "not differentiable (corner): left -1.000, right 1.000" in cells[3].outputs[0].data["text/latex"]
    assert "f''(-1) &= -6.000" in cells[4].outputs[0].data["text/latex"]
    assert "traced" in cells[6].outputs[0].data["text/plain"]
