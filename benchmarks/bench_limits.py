"""How well the limits hold: how far past its time limit a call stops, in each kind of thread; what a
refused input costs; what the time limit itself costs a quick call.

Run: python benchmarks/bench_limits.py [--repeat N]

Prints, measured in this run:
- overshoot: how long after its ``timeout`` a call that would run for minutes (SymPy's simplify)
  raises, in the main thread and in a worker thread (median and largest of N), and for a traced
  function that sleeps (a blocking call: the main thread is woken by a signal, a worker thread
  stops when the call returns);
- the time and the memory (growth of the peak resident size, in a fresh process each) of inputs
  that are refused because their numbers would be too large to compute, and of five in a row;
- the peak memory of ``%grad --critical`` in 12 and 14 variables, numeric and symbolic;
- the cost of estimating sizes while parsing ``sin(x) exp(-x^2)``;
- the cost of the time limit: entering and leaving ``time_limit`` (µs) in the main thread and in a
  worker thread, and warm ``%deriv x^2 --no-plot`` with and without the API's limit.
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

import sympy
from timing import shell_with_extension

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
refused = 0
for expression, at in json.loads(sys.argv[1]):
    try:
        api.deriv(expression, at=at, plot=False)
    except GradientError:
        refused += 1
print(json.dumps({"seconds": time.perf_counter() - started, "refused": refused,
                  "mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024}))
"""

CRITICAL_SNIPPET = """
import json, resource, sys
from ipython_gradients import api
from ipython_gradients.errors import GradientError
api.grad("x^2 + y^2", critical=True, plot=False)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
n, method = int(sys.argv[1]), sys.argv[2]
try:
    api.grad(" + ".join(f"sin(x{i}) * x{i}^2" for i in range(n)), critical=True, method=method, timeout=5,
             plot=False)
except GradientError:
    pass
print(json.dumps({"mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024}))
"""


def fresh(snippet: str, *args: str) -> dict:
    return json.loads(subprocess.run([sys.executable, "-c", snippet, *args], capture_output=True, text=True,
                                     check=True).stdout)


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
        found = fresh(REFUSAL_SNIPPET, json.dumps([(expression, at)]))
        shown = expression + (f" --at {at}" if at else "")
        print(f"  {shown:28} {'refused' if found['refused'] else 'ANSWERED'} in {found['seconds'] * 1000:6.1f} ms, "
              f"+{found['mb']:.0f} MB")
    found = fresh(REFUSAL_SNIPPET, json.dumps([(f"x + 2^(10^9 + {k})", None) for k in range(5)]))
    print(f"  x + 2^(10^9 + k), k = 0..4   {found['refused']} refused in {found['seconds'] * 1000:6.1f} ms, "
          f"+{found['mb']:.0f} MB")
    print("%grad --critical of sin(x_i)·x_i² summed over n variables (timeout 5 s), growth of the peak resident size:")
    for n in (12, 14):
        print(f"  n = {n}: " + ", ".join(f"{method} +{fresh(CRITICAL_SNIPPET, str(n), method)['mb']:.0f} MB"
                                        for method in ("numeric", "symbolic")))

    def enter_and_leave():
        with time_limit(10):
            pass

    def per_limit() -> float:
        n = 20_000
        started = time.perf_counter()
        for _ in range(n):
            enter_and_leave()
        return (time.perf_counter() - started) / n

    main_cost = statistics.median(per_limit() for _ in range(3))
    worker = {}
    thread = threading.Thread(target=lambda: worker.update(cost=statistics.median(per_limit() for _ in range(3))))
    thread.start()
    thread.join()

    from ipython_gradients import api as api_module, branches, calculus, critical

    modules = (api_module, branches, calculus, critical)
    counted = []

    def counting(*args, **kwargs):
        counted.append(1)
        return time_limit(*args, **kwargs)

    ip = shell_with_extension()
    line = "x^2 --no-plot"
    ip.run_line_magic("deriv", line)
    for module in modules:
        module.time_limit = counting
    ip.run_line_magic("deriv", line)
    for module in modules:
        module.time_limit = time_limit
    with_limit, without = [], []
    no_limit = lambda *args, **kwargs: contextlib.nullcontext()  # noqa: E731 - the API's limit taken out
    for _ in range(2000):  # call by call in turn, so that a busy moment of the machine falls on both alike
        for limit, timings in ((time_limit, with_limit), (no_limit, without)):
            api_module.time_limit = limit
            started = time.perf_counter()
            ip.run_line_magic("deriv", line)
            timings.append(time.perf_counter() - started)
    api_module.time_limit = time_limit
    import ast

    from ipython_gradients.expressions import _check_sizes, real_symbol

    x = real_symbol("x")
    code = "sin(x)*exp(-x**Integer(2))"
    tree = ast.parse(code, mode="eval")
    names = {"x": x, "sin": sympy.sin, "exp": sympy.exp}
    checks = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(2000):
            _check_sizes(tree, code, names)
        checks.append((time.perf_counter() - started) / 2000)
    print(f"Estimating the sizes of sin(x) exp(-x^2) while parsing: {min(checks) * 1e6:.1f} µs")
    print(f"The time limit costs {main_cost * 1e6:.1f} µs to enter and leave in the main thread, "
          f"{worker['cost'] * 1e6:.1f} µs in a worker thread. Warm %deriv {line} enters {len(counted)}: "
          f"{statistics.median(with_limit) * 1000:.3f} ms with it, {statistics.median(without) * 1000:.3f} ms "
          "without (medians)")


if __name__ == "__main__":
    main()
