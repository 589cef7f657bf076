"""Cost of reading textbook and Unicode notation (textbook.py) before the expression language's checks.

Run: python benchmarks/bench_textbook.py

Prints, measured in this run (CPU time, medians taken in turns), the time of ``parse_expression`` on
the same expressions written plainly and written as a textbook writes them, the time of the textbook
reading alone (``textbook.read``), and of the one-line Unicode printer (``unicode_text``) on the results.
"""

from __future__ import annotations

from timing import paired_medians

from ipython_gradients import textbook
from ipython_gradients.expressions import FUNCTIONS, parse_expression
from ipython_gradients.results.notation import unicode_text

PAIRS = [
    ("x^2*sin(x)", "x² sin x"),
    ("sqrt(x + 1)/abs(x)", "√(x + 1)/|x|"),
    ("sin(x)^2 + cos(2*x)", "sin² x + cos 2x"),
    ("asin(x) + log(x, 2)", "sin⁻¹ x + log_2 x"),
    ("exp(-x^2)*abs(abs(x) - 1)", "e^(-x²) · ||x| − 1|"),
    ("(x^3 - 3*x)/(1 + x^2)^(1/3)", "(x³ − 3x)/∛(1 + x²)"),
]


def main() -> None:
    functions = set(FUNCTIONS)
    print(f"{'plain':32} {'textbook':26} {'plain':>9} {'textbook':>9} {'read':>9} {'print':>9}")
    totals = [0.0, 0.0]
    for plain, typed in PAIRS:
        assert parse_expression(plain) == parse_expression(typed), (plain, typed)
        expr = parse_expression(plain)
        a, b, r, p = paired_medians([lambda: parse_expression(plain), lambda: parse_expression(typed),
                                     lambda: textbook.read(typed, functions), lambda: unicode_text(expr)], 200)
        totals[0] += a
        totals[1] += b
        print(f"{plain:32} {typed:26} {a * 1e3:7.3f}ms {b * 1e3:7.3f}ms {r * 1e3:7.3f}ms {p * 1e3:7.3f}ms")
    print(f"textbook notation costs {100 * (totals[1] / totals[0] - 1):+.0f}% of parse time over the plain spelling")


if __name__ == "__main__":
    main()
