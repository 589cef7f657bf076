"""The first magic in a fresh Jupyter kernel: right after loading, and after a pause of two seconds.

Run: python benchmarks/bench_first_magic.py [--repeat N]

Each run starts a fresh kernel over the Jupyter protocol (jupyter_client), as a notebook does, and
times ``%deriv x**2 --at 1`` from the execute request until the kernel is idle again, with its
outputs (the math and the PNG figure) received. Two ways of loading the extension:

- ``%load_ext ipython_gradients`` in a cell of the standard Python kernel, then the magic in the
  next cell: at once, or after a pause of 2 s;
- the project's kernelspec (``python -m ipython_gradients install-kernel``: the extension loaded as
  the kernel starts), then the magic as the first cell: at once, or 2 s after the kernel is ready.

Each with the background warm-up (the default) and without it (``IPYTHON_GRADIENTS_WARMUP=0``).
Prints the median of ``--repeat`` fresh kernels per case (goal: under 0.3 s after the pause).
Everything printed is measured in this run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import start_new_kernel

MAGIC = "%deriv x**2 --at 1"


def first_magic(kernel_name: str, load: bool, pause: float, warm_up: bool, jupyter_path: str) -> float:
    env = dict(os.environ, IPYTHON_GRADIENTS_WARMUP="1" if warm_up else "0", JUPYTER_PATH=jupyter_path)
    manager, client = start_new_kernel(kernel_name=kernel_name, startup_timeout=120, env=env)
    try:
        outputs = []

        def keep(message):
            if message["msg_type"] in ("display_data", "execute_result", "error"):
                outputs.append(message["msg_type"])

        if load:
            client.execute_interactive("%load_ext ipython_gradients", timeout=120, output_hook=keep)
        time.sleep(pause)
        outputs.clear()
        start = time.perf_counter()
        reply = client.execute_interactive(MAGIC, timeout=120, output_hook=keep)
        elapsed = time.perf_counter() - start
        assert reply["content"]["status"] == "ok" and outputs.count("display_data") == 2, (reply, outputs)
        return elapsed
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from ipython_gradients import kernelspec

    with tempfile.TemporaryDirectory() as prefix:
        kernelspec.install(name="grads-bench", prefix=prefix)
        jupyter_path = os.path.join(prefix, "share", "jupyter")
        os.environ["JUPYTER_PATH"] = jupyter_path
        assert "grads-bench" in KernelSpecManager().find_kernel_specs()
        cases = [("%load_ext in a cell", "python3", True), ("kernelspec (--ext)", "grads-bench", False)]
        print(f"first {MAGIC!r} in a fresh kernel, median of {args.repeat} kernels each\n")
        print(f"{'loaded by':22} {'pause':>6} {'warm-up':>10} {'no warm-up':>11}")
        for label, kernel_name, load in cases:
            for pause in (0.0, 2.0):
                times = {}
                for warm_up in (True, False):
                    times[warm_up] = statistics.median(
                        first_magic(kernel_name, load, pause, warm_up, jupyter_path) for _ in range(args.repeat))
                print(f"{label:22} {pause:5.0f}s {times[True]:9.2f}s {times[False]:10.2f}s", flush=True)
    print("\ngoal: under 0.3 s after the pause, with the warm-up")


if __name__ == "__main__":
    sys.exit(main())
