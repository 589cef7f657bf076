"""Slider to new image: warm %deriv --interactive, from setting the slider's value to the new PNG in the
image widget (and the readout), against rebuilding the figure for each point as a hand-written
``interact`` callback would (``%deriv f --at a`` with its figure, then PNG).

Run: python benchmarks/bench_interactive.py [--clock cpu|wall]

Goal: under 100 ms warm. Each case moves the slider over 40 points of its range, in turns with the
rebuild; medians in milliseconds. Everything printed is measured in this run.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from timing import CLOCKS, png_bytes

CASES = [("x^2", "-1,1"), ("abs(x)", "-1,1"), ("x^3 - 3x", "-2,2"), ("sin(x) exp(-x^2)", "-3,3"),
         ("max(sin(x), cos(x))", "-2,2"), ("log(x)", "-1,3")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clock", choices=["cpu", "wall"], default="wall")
    args = parser.parse_args()
    now = CLOCKS[args.clock]
    from ipython_gradients import deriv

    print(f"{'function':22} {'slider → image':>15} {'rebuild':>9}  (median ms, {args.clock} clock)")
    everything = []
    for expression, span in CASES:
        low, high = map(float, span.split(","))
        box = deriv(expression, range=span, interactive=True).live.widget()
        values = np.linspace(low, high, 41)[1:]
        box.slider.value = low  # warm (the view starts in the middle)
        deriv(expression, at=f"{values[0]:.2f}", range=span)._repr_mimebundle_()
        moves, rebuilds = [], []
        for a in values:
            before = box.image.value
            start = now()
            box.slider.value = float(a)
            moves.append(now() - start)
            assert box.image.value is not before and "could not" not in box.readout.value, box.readout.value
            start = now()
            result = deriv(expression, at=box.readout.value.split("a = ")[1].split("\n")[0], range=span)
            png_bytes(result.figure)
            result.text()
            rebuilds.append(now() - start)
        everything += moves
        print(f"{expression:22} {1000 * statistics.median(moves):15.1f} {1000 * statistics.median(rebuilds):9.1f}")
    print(f"all moves: median {1000 * statistics.median(everything):.1f} ms, "
          f"slowest {1000 * max(everything):.1f} ms")


if __name__ == "__main__":
    main()
