"""Memory of displayed results in a real kernel: 300 cells whose results stay in IPython's Out cache.

Run: python benchmarks/bench_out_cache.py [--cells N] [--format png|retina|svg]

A notebook keeps every result a cell showed in ``Out`` (up to 1,000 of them), so what a result
holds after it has been shown stays in the kernel for the whole session. This starts a real kernel
from the project's kernelspec (in a temporary Jupyter path), runs ``%load_ext`` and a few warm-up
cells, then N cells cycling through ``%deriv``, ``%grad`` and ``%%tangent`` with figures, each shown
as a frontend receives it (the math bundle, then the figure), and reads the kernel process's
resident memory (``/proc/PID/statm``) before and after. Goal: under 50 MB of growth for 300 cells.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import start_new_kernel

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from ipython_gradients import kernelspec  # noqa: E402


def run(client, code: str) -> list[dict]:
    """Execute ``code``; the iopub outputs it caused (fails on an error)."""
    msg_id = client.execute(code)
    outputs = []
    while True:
        message = client.get_iopub_msg(timeout=120)
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        kind = message["msg_type"]
        if kind == "error":
            raise RuntimeError(f"{code!r}: {message['content']['ename']}: {message['content']['evalue']}")
        if kind in ("display_data", "execute_result", "stream"):
            outputs.append(message)
        if kind == "status" and message["content"]["execution_state"] == "idle":
            return outputs


def cell(k: int, options: str = "") -> str:
    a = 1 + k % 7
    if k % 3 == 0:
        return f"%deriv x^{a} sin({a} x) --at 0.{a},1{options}"
    if k % 3 == 1:
        return f"%grad x^2 + {a} y^2 - x y --at 1,{a} --critical{options}"
    return f"%%tangent --at -0.{a},0.{a}{options}\nf(x) = x^{a}\ng(x) = cos({a} x)"


def resident_mb(client, pid: int) -> float:
    run(client, "import gc; gc.collect()")
    with open(f"/proc/{pid}/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=300)
    parser.add_argument("--format", default="png", choices=("png", "retina", "svg"))
    parser.add_argument("--no-plot", action="store_true", help="the same cells without figures (for comparison)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as prefix:
        kernelspec.install(name="grads-bench", prefix=prefix)
        os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")
        assert "grads-bench" in KernelSpecManager().find_kernel_specs()
        manager, client = start_new_kernel(kernel_name="grads-bench", startup_timeout=120)
        try:
            pid = manager.provisioner.process.pid
            run(client, f"%config GradientMagics.figure_format = {args.format!r}")
            images, options = 0, " --no-plot" if args.no_plot else ""
            for k in range(12):  # warm-up: imports, caches, each magic's first figure
                run(client, cell(k, options))
            start = resident_mb(client, pid)
            for k in range(12, 12 + args.cells):
                outputs = run(client, cell(k, options))
                images += sum(1 for m in outputs if any(t.startswith("image/") for t in m["content"].get("data", {})))
            end = resident_mb(client, pid)
            kept = run(client, "print(len(Out))")[0]["content"]["text"].strip()
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
    print(f"{args.cells} displayed cells ({images} figures, {args.format}; {kept} results in Out): kernel resident "
          f"memory {start:.1f} MB -> {end:.1f} MB, growth {end - start:+.1f} MB "
          f"({(end - start) / args.cells * 1024:.0f} kB a cell; goal < 50 MB)")


if __name__ == "__main__":
    main()
