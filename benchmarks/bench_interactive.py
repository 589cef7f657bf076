"""Slider to new image: warm %deriv --interactive, from setting the slider's value to the new PNG in the
image widget (and the readout), against rebuilding the figure for each point as a hand-written
``interact`` callback would (``%deriv f --at a`` with its figure, then PNG).

Run: python benchmarks/bench_interactive.py [--clock cpu|wall]

Goal: under 100 ms warm. Then --animate: the time of the whole call (computing and drawing every
frame), of the HTML player and of the GIF, and their sizes (wall clock, warm). Each case moves the slider over 40 points of its range, in turns with the
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
    other_views(now)
    animations()


def other_views(now) -> None:
    """The descent sliders (Rosenbrock, 200 steps: the whole descent runs again on each move) and the secant
    sliders (a and h of x³): median and slowest over 20 moves of each slider."""
    from ipython_gradients import grad, tangent

    descent = grad("(1-x)^2 + 100(y-x^2)^2", descent=True, start="-1,1", rate=0.001, steps=200,
                   interactive=True).live.widget()
    secant = tangent("f(x) = x^3", at="1", secant="0.5", range="-1,2", interactive=True).live.widget()
    moves = {
        "%grad --descent --interactive: rate": (descent.rate, np.geomspace(0.0005, 0.002, 20)),
        "%grad --descent --interactive: x0": (descent.starts[0], np.linspace(-1.5, 0.0, 20)),
        "%grad --descent --interactive: steps": (descent.steps, np.linspace(50, 400, 20).astype(int)),
        "%%tangent --secant --interactive: a": (secant.slider, np.linspace(-0.9, 1.9, 20)),
        "%%tangent --secant --interactive: h": (secant.width, np.geomspace(0.4, 1e-4, 20)),
    }
    print(f"\n{'view: slider':44} {'median':>8} {'slowest':>8}  (ms, warm)")
    for label, (slider, values) in moves.items():
        times = []
        for value in values:
            value = int(value) if isinstance(slider.value, int) else float(value)
            start = now()
            slider.value = value
            times.append(now() - start)
        print(f"{label:44} {1000 * statistics.median(times[1:]):8.1f} {1000 * max(times[1:]):8.1f}")


ANIMATIONS = [
    ("%grad Rosenbrock --descent --rate 0.001,0.002 --steps 500 --animate",
     lambda deriv, grad, tangent: grad("(1-x)^2 + 100(y-x^2)^2", descent=True, start="-1,1", rate="0.001,0.002",
                                       steps=500, animate=True)),
    ("%grad x^2 + 3y^2 --descent --from 1,1 --animate",
     lambda deriv, grad, tangent: grad("x^2 + 3y^2", descent=True, start="1,1", animate=True)),
    ("%%tangent --at 1 --secant 0.5 --animate (x^3)",
     lambda deriv, grad, tangent: tangent("x^3", at="1", secant="0.5", animate=True)),
]


def animations() -> None:
    """--animate: the whole call (computing, drawing every frame), the player's HTML, the GIF; sizes."""
    import os
    import tempfile

    from ipython_gradients import deriv, grad, tangent

    print(f"\n{'animation':62} {'frames':>6} {'call':>7} {'player':>7} {'GIF':>7} {'HTML':>8} {'GIF':>7}")
    for label, make in ANIMATIONS:
        make(deriv, grad, tangent)  # warm
        start = time.perf_counter()
        result = make(deriv, grad, tangent)
        call = time.perf_counter() - start
        start = time.perf_counter()
        html = result.live.html()
        player = time.perf_counter() - start
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "a.gif")
            start = time.perf_counter()
            result.live.save_gif(path)
            gif = time.perf_counter() - start
            size = os.path.getsize(path)
        print(f"{label:62} {len(result.live.frames):6} {call:6.2f}s {player:6.2f}s {gif:6.2f}s "
              f"{len(html) / 1e6:6.2f}MB {size / 1e6:5.2f}MB")


if __name__ == "__main__":
    main()
