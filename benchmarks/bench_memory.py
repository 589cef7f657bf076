"""Memory over a long session: 1,000 magic calls with figures in one shell.

Run: python benchmarks/bench_memory.py [--calls N]

Each call runs a magic (cycling through %deriv, %grad and %%tangent on varying expressions), then
renders what a frontend would receive (the math bundle and the figure's PNG), and drops the
result, as a notebook does once the output is shown. Prints the resident memory after warm-up
(the first 100 calls) and at the end, and the growth (goal: under 20 MB: figures are freed,
caches are bounded). Measured in this run.
"""

from __future__ import annotations

import argparse
import gc
import os

from timing import shell_with_extension


def resident_mb() -> float:
    with open(f"/proc/{os.getpid()}/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()

    ip = shell_with_extension()

    def call(k: int):
        a = 1 + k % 7
        if k % 3 == 0:
            result = ip.run_line_magic("deriv", f"x^{a} sin({a} x) --at 0.{a},1")
        elif k % 3 == 1:
            result = ip.run_line_magic("grad", f"x^2 + {a} y^2 - x y --at 1,{a} --critical")
        else:
            result = ip.run_cell_magic("tangent", f"--at -0.{a},0.{a}", f"f(x) = x^{a}\ng(x) = cos({a} x)")
        result._repr_mimebundle_()
        result.figure_bundle()

    warm_up = min(100, args.calls // 10)
    for k in range(warm_up):
        call(k)
    gc.collect()
    start = resident_mb()
    for k in range(warm_up, args.calls):
        call(k)
    gc.collect()
    end = resident_mb()
    print(f"{args.calls} calls: resident memory {start:.1f} MB after {warm_up} warm-up calls, "
          f"{end:.1f} MB at the end: growth {end - start:+.1f} MB (goal < 20 MB)")


if __name__ == "__main__":
    main()
