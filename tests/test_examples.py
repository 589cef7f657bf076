"""The example notebooks run in a real kernel (nbclient) without errors and show what they say."""

from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

pytestmark = [pytest.mark.slow, pytest.mark.external]  # the notebooks run in kernels of their own (nbclient)


def execute(name: str):
    import nbformat  # here, not at the top: a second of imports that only these tests need
    from nbclient import NotebookClient

    notebook = nbformat.read(EXAMPLES / name, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(EXAMPLES)}}).execute()
    for cell in notebook.cells:
        if cell.cell_type == "code":
            problems = [o for o in cell.outputs if o.output_type == "error" or o.get("name") == "stderr"]
            assert not problems, (cell.source, problems)
    return notebook


def shown(cell, kind: str = "text/plain") -> str:
    return "\n".join(o.get("data", {}).get(kind, "") or o.get("text", "") for o in cell.outputs)


@pytest.fixture(scope="module")
def tutorial():
    return [c for c in execute("tutorial.ipynb").cells if c.cell_type == "code"]


def test_tutorial_parabola_values_and_their_meaning(tutorial):
    parabola = tutorial[1]
    assert [o.output_type for o in parabola.outputs] == ["display_data", "display_data"]
    assert "f'(-0.5) = -1.000   decreasing" in shown(parabola)
    assert "f'(0.0)  =  0.000   stationary: local minimum" in shown(parabola)
    assert r"f'(-0.5) &= -1.000" in shown(parabola, "text/latex")
    assert "image/png" in parabola.outputs[1].data


def test_tutorial_tangent_second_derivative_and_secants(tutorial):
    assert "f(a) + f'(a)Δx = 0.350, f(a + Δx) = 0.360, error 0.010" in shown(tutorial[2])
    assert "f''(0.5)  = 2.000   concave up" in shown(tutorial[3])
    secants = shown(tutorial[4])
    assert "slope 1.500" in secants and "slope 1.100" in secants and "slope 1.010" in secants


def test_tutorial_gradient_descent_and_check(tutorial):
    assert "H_f(1, 1) = [[2.000, 0.000], [0.000, 6.000]]" in shown(tutorial[5])
    assert "Gradient descent from (1.000, 1.000)" in shown(tutorial[6])
    assert shown(tutorial[7]).startswith("not converged")
    assert "relative 1.6e-16" in shown(tutorial[8])
    assert "could not be traced" in shown(tutorial[9]) and "objective'(-0.5) = -1.000" in shown(tutorial[9])


def test_optimisation_notebook():
    cells = [c for c in execute("optimisation.ipynb").cells if c.cell_type == "code"]
    assert "eigenvalues (0.399, 1001.601): positive definite" in shown(cells[1])
    assert "(1, 1)   local minimum" in shown(cells[2]) and "image/png" in cells[2].outputs[1].data
    assert "(1, 0)   local minimum" in shown(cells[3]) and "(-1, 0)   saddle point" in shown(cells[3])
    assert "Gradient descent from (-1.000, 1.000)" in shown(cells[4])
    assert "diverged at step 7" in shown(cells[5])


def test_lecture_notes_export_to_html_with_their_latex_and_images(tmp_path):
    from nbconvert import HTMLExporter

    notebook = execute("lecture_notes.ipynb")
    cells = [c for c in notebook.cells if c.cell_type == "code"]
    assert "1. product rule: d/dx (x²·sin(x))" in shown(cells[1])
    assert "logarithmic differentiation" in shown(cells[4])
    assert "From both sides they approach f'(3) = 6.000." in shown(cells[7])  # first principles
    assert "no single finite limit, so f'(0) does not exist" in shown(cells[8])
    assert "y' at (3, 3) = -1.000" in shown(cells[9]) and "singular point of the curve" in shown(cells[9])
    assert "x + y = 6" in shown(cells[10]) and "normal: y = x" in shown(cells[10])  # %%tangent on the curve
    assert "crosses itself with 2 branches" in shown(cells[10]) and "image/png" in cells[10].outputs[1].data
    assert "dV/dt = 200·π ≈ 628.319" in shown(cells[11])  # related rates
    assert "constrained local maximum" in shown(cells[12]) and "image/png" in cells[12].outputs[1].data
    html, _ = HTMLExporter().from_notebook_node(notebook)
    (tmp_path / "lecture_notes.html").write_text(html)
    assert r"\text{product rule:}" in html and r"\frac{d}{d x}" in html  # the LaTeX, for MathJax to typeset
    assert html.count("data:image/png;base64,") >= 4  # the tangent, curve and level-curve figures, embedded
    assert "MathJax" in html


def test_interactive_notebook_shows_each_live_and_animated_view():
    cells = [c for c in execute("interactive.ipynb").cells if c.cell_type == "code"]
    widget, player = "application/vnd.jupyter.widget-view+json", "text/html"
    views = [[o.data for o in c.outputs if o.output_type == "display_data"] for c in cells[1:]]
    kinds = [widget if widget in v[1] else player for v in views]
    assert kinds == [widget, widget, widget, player, widget, player, player]
    for view in views:
        assert "text/latex" in view[0] and "image/png" in view[1]  # the math, then the view with a static fallback
    assert "f'(0)   not differentiable (corner): left -1.000, right 1.000; local minimum" in views[1][1]["text/plain"]
    assert 'class="ipython-gradients-player"' in views[3][1][player]
    assert views[6][1]["text/plain"].splitlines()[-1].startswith("rate 0.4: ")
