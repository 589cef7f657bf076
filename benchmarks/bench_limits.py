"""How well the limits hold: how far past its time limit a call stops, in each kind of thread; what a
refused input costs; what the time limit itself costs a quick call.

Run: python benchmarks/bench_limits.py [--repeat N]

Prints, measured in this run:
- overshoot: how long after its ``timeout`` a call that would run for minutes (SymPy's simplify)
  raises, in the main thread and in a worker thread (median and largest of N), and for a traced
  function that sleeps (a blocking call: the main thread is woken by a signal, a worker thread
  stops when the call returns);
- the time and the memory (growth of the peak resident size, in a fresh process each) of inputs
  that are refused because their numbers would be too large to compute;
- the cost of the time limit: entering and leaving ``time_limit`` (µs), and warm
  ``%deriv x^2 --no-plot`` with and without it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import subprocess
import sys
import threading
import time

from timing import shell_with_extension, warm_median

SLOW = "atan(sqrt(1+x^2)-x) log(1+exp(x))^3/(cosh(x)^4+sinh(x)^3)"
REFUSED = [("x^(10^6*10^6)", "2"), ("2^(2*10^9) x", None), ("x^factorial(20)", "2"), ("x + 2^(10^9 + 1)", None),
           ("x^(10^6)", "1/3"), ("x^x", "1e299"), ("factorial(x)", "1e6")]

REFUSAL_SNIPPET = """
import json, resource, sys, time
from ipython_gradients import api
from ipython_gradients.errors import GradientError
api.deriv("x^2", at="1", plot=False)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
try:
    api.deriv(sys.argv[1], at=sys.argv[2] or None, plot=False)
    refused = False
except GradientError:
    refused = True
print(json.dumps({"seconds": time.perf_counter() - started, "refused": refused,
                  "mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024}))
"""


def overshoot(timeout: float, in_thread: bool, call) -> float:
    from ipython_gradients.errors import TimeLimitExceeded

    taken = {}

    def run():
        started = time.perf_counter()
        try:
            call(timeout)
        except TimeLimitExceeded:
            taken["seconds"] = time.perf_counter() - started

    if in_thread:
        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
    else:
        run()
    return taken["seconds"] - timeout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from ipython_gradients import api
    from ipython_gradients.timeouts import time_limit

    def simplify(timeout):
        api.deriv(SLOW, simplify=True, plot=False, timeout=timeout)

    def sleepy(x):
        time.sleep(2)
        return x

    def sleeping(timeout):
        api.deriv(sleepy, at=1, plot=False, timeout=timeout)

    api.deriv("x^2", at=1, plot=False)
    print("How far past its time limit a call stops (median, largest of", args.repeat, "runs):")
    for label, call, timeout in [("SymPy's simplify, limit 1 s", simplify, 1.0),
                                 ("a traced function sleeping 2 s, limit 0.5 s", sleeping, 0.5)]:
        for in_thread in (False, True):
            late = [overshoot(timeout, in_thread, call) for _ in range(args.repeat)]
            where = "worker thread" if in_thread else "main thread  "
            print(f"  {label:45} {where}: {statistics.median(late) * 1000:7.0f} ms, "
                  f"largest {max(late) * 1000:7.0f} ms")

    print("Refused inputs (a fresh process each; time of the call, growth of the peak resident size):")
    for expression, at in REFUSED:
        found = json.loads(subprocess.run([sys.executable, "-c", REFUSAL_SNIPPET, expression, at or ""],
                                          capture_output=True, text=True, check=True).stdout)
        shown = expression + (f" --at {at}" if at else "")
        print(f"  {shown:28} {'refused' if found['refused'] else 'ANSWERED'} in {found['seconds'] * 1000:6.1f} ms, "
              f"+{found['mb']:.0f} MB")

    def enter_and_leave():
        with time_limit(10):
            pass

    n = 20_000
    started = time.perf_counter()
    for _ in range(n):
        enter_and_leave()
    per_limit = (time.perf_counter() - started) / n
    ip = shell_with_extension()
    from ipython_gradients import api as api_module
    from ipython_gradients.timeouts import _Limit

    counted = _Limit._count
    ip.run_line_magic("deriv", "x^2 --no-plot")
    limits_per_call = _Limit._count - counted
    with_limit = warm_median(lambda: ip.run_line_magic("deriv", "x^2 --no-plot"), 300)
    real = api_module.time_limit
    api_module.time_limit = lambda *args, **kwargs: contextlib.nullcontext()  # the API's limit taken out
    try:
        without = warm_median(lambda: ip.run_line_magic("deriv", "x^2 --no-plot"), 300)
    finally:
        api_module.time_limit = real
    print(f"The time limit: {per_limit * 1e6:.1f} µs to enter and leave ({limits_per_call} per warm "
          f"%deriv x^2 --no-plot); that call takes {with_limit * 1000:.3f} ms with it, "
          f"{without * 1000:.3f} ms without (medians of 300)")


if __name__ == "__main__":
    main()
