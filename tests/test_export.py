"""LaTeX that every frontend and exporter accepts: KaTeX (VS Code), MathJax (JupyterLab, HTML), LaTeX/PDF.

MathJax is exercised by the real-frontend test; here every piece of math our results produce is
rendered by KaTeX itself (with errors raised, not shown in red), and checked to use only ASCII and
environments all three know.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ipython_gradients import deriv, grad, tangent

ROOT = Path(__file__).resolve().parent.parent
KATEX = Path(os.environ.get("KATEX_DIR", ROOT / ".katex")) / "node_modules" / "katex"
ENVIRONMENTS = {"aligned", "bmatrix", "matrix", "array"}


def results():
    return [
        deriv("x^2", at="-0.5,0.5,0"), deriv("abs(x)", at="0,1"), deriv("sqrt(x)", at="0,pi/4", check=True),
        deriv("f(x) = x^3 - 3x", order=2, at="-1,0,1"), deriv("x^2 y + sin(x y)", wrt="x,y", at="1,2"),
        deriv("exp(x)", at="800"), deriv("log(x)", at="0.05", method="numeric"), deriv("x^2 sin(x)", steps=True),
        deriv("abs(x^2 - 1)", steps=True), deriv("x^x", steps=True, notation="prime"),
        deriv("g(t) = t^4", order=4, notation="prime"),
        grad("x^3 - 3x + y^2", at="1,2", hessian=True, critical=True, descent=True, start="1,1", dir="1,1"),
        grad("x^2 + y^2", descent=True, start="1,1", steps=40), grad("[x y, x + y^2]", at="1,2"),
        grad("x y + sin(x)", steps=True), grad("x^2 y", critical=True),
        tangent("f(x) = x^2\ng(x) = sin(x)\ncbrt(x)\nabs(x)\nlog(x)", at="0,0.5", secant="0.1", normal=True,
                delta="0.1"),
        tangent("exp(x)", at="0", order=3), tangent("f(x, y) = x^2 + y^2", at="1,2"),
        # functions with pieces, critical points of every kind, numeric tangents, real roots
        deriv("max(sin(x), cos(x))", at="pi/4,0"), deriv("max(0, x)", at="0", method="numeric"),
        deriv("x^(1/3)", at="-8,0"), grad("abs(x) + abs(y)", critical=True, at="0,0;1,2"),
        grad("abs(x y)", at="0,0", hessian=True), grad("cos(x) + x^2/2 + sin(y) - y", critical=True),
        grad("x^4/4 - 3x^2/2 + x + y^2", critical=True), grad("x^3 + y^3", critical=True, method="numeric"),
        tangent("x^2", at="1", method="numeric"), tangent("min(x, x^2)", at="1"),
        # autodiff: the sweep tables of --graph, --method autodiff, the three-way --check
        deriv("abs(x) + x^2", at="0,1", graph=True, check=True, plot=False),
        grad("x y + sin(x)", at="1,2", graph=True, mode="forward", dir="1,0", plot=False),
        grad("abs(x) + y^2", at="0,1;1,2", method="autodiff", plot=False),
    ]


def math_pieces() -> list[tuple[str, bool]]:
    pieces = []
    for result in results():
        latex = result.latex()
        display = re.findall(r"\$\$(.+?)\$\$", latex, flags=re.S)
        inline = re.findall(r"(?<!\$)\$(?!\$)(.+?)(?<!\$)\$(?!\$)", re.sub(r"\$\$.+?\$\$", "", latex, flags=re.S))
        pieces += [(p, True) for p in display] + [(p, False) for p in inline]
    return pieces


@pytest.fixture(scope="module")
def pieces() -> list[tuple[str, bool]]:
    """Computed once for both tests: about three seconds of SymPy and matplotlib."""
    return math_pieces()


def test_ascii_and_common_environments_only(pieces):
    assert len(pieces) > 60
    for piece, _ in pieces:
        assert piece.isascii(), piece
        assert set(re.findall(r"\\begin\{(\w+)\}", piece)) <= ENVIRONMENTS, piece


@pytest.mark.external
@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed here (KaTeX runs in node)")
@pytest.mark.skipif(not KATEX.exists(), reason="KaTeX is not installed (.ci/run installs it with npm into .katex)")
def test_katex_renders_every_piece_without_error(pieces):
    script = """
        const katex = require(process.argv[1]);
        const pieces = JSON.parse(require('fs').readFileSync(0, 'utf8'));
        const failures = [];
        for (const [tex, display] of pieces) {
            try { katex.renderToString(tex, {throwOnError: true, displayMode: display, strict: 'error'}); }
            catch (error) { failures.push([tex, String(error)]); }
        }
        console.log(JSON.stringify(failures));
    """
    result = subprocess.run(["node", "-e", script, str(KATEX)], input=json.dumps(pieces), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
