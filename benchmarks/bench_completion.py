"""Speed of the completer: goal under 5 ms per call (VS Code asks on every keystroke).

Run: python benchmarks/bench_completion.py

Prints, measured in this run, the median time of one call of our matcher alone and of IPython's
whole completion (jedi off, as VS Code sets it; and jedi on) for typical positions in the magics,
with a namespace of 2,000 user variables, and whether SymPy was imported (it must not be).
"""

from __future__ import annotations

import sys

from IPython.core.completer import CompletionContext, provisionalcompleter
from IPython.core.interactiveshell import InteractiveShell
from timing import warm_median

TEXTS = ["%deriv x^2 --", "%deriv x^2 --method sym", "%deriv x^2 y + sin(x y) --wrt ", "%deriv obj",
         "r = %grad x y --he", "%%tangent --at 1\nf(x) = x^2 + si"]


def main() -> None:
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "ipython_gradients")
    ip.user_ns.update({f"variable_{i}": i for i in range(2000)})
    ip.user_ns["objective"] = lambda x: x
    matcher = next(m for m in ip.Completer.custom_matchers if getattr(m, "matcher_identifier", "") == "ipython_gradients")
    print(f"{'text':40} {'matcher':>9} {'no jedi':>9} {'jedi':>9}")
    worst = 0.0
    for text in TEXTS:
        lines = text.split("\n")
        context = CompletionContext(full_text=text, cursor_position=len(lines[-1]), cursor_line=len(lines) - 1,
                                    token=lines[-1].split(" ")[-1], limit=None)
        alone = warm_median(lambda: matcher(context), 200)
        timings = []
        for jedi in (False, True):
            ip.Completer.use_jedi = jedi
            with provisionalcompleter():
                timings.append(warm_median(lambda: list(ip.Completer.completions(text, len(text))), 50))
        worst = max(worst, alone)
        print(f"{text.replace(chr(10), ' / '):40} {alone * 1e3:7.3f}ms {timings[0] * 1e3:7.2f}ms {timings[1] * 1e3:7.2f}ms")
    print(f"\nslowest matcher call: {worst * 1e3:.3f} ms (goal < 5 ms); SymPy imported: {'sympy' in sys.modules}")


if __name__ == "__main__":
    main()
