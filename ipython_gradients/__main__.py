"""The command line: ``ipython-gradients deriv|grad|tangent ...`` and ``ipython-gradients kernel ...``.

The magics' option tables define the options, and the API computes: the output is the text the
IPython terminal shows (or the LaTeX with ``--latex``), and ``--save`` writes the figure. Bad input
is one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from dataclasses import replace

from .errors import GradientError
from .options import MAGICS, MagicSpec, Option, split_arguments

USAGE = """usage: ipython-gradients deriv EXPR [options]      (as %deriv)
       ipython-gradients grad EXPR [options]       (as %grad)
       ipython-gradients tangent FUNCTION... [options]  (as %%tangent, one function or curve equation per argument)
       ipython-gradients kernel install [--user | --sys-prefix | --prefix P] [--name N] [--display-name D]
       ipython-gradients kernel uninstall [--name N]
       ipython-gradients kernel list
Common options: --latex (print LaTeX instead of text), --save FILE.png|FILE.svg (write the figure;
FILE.gif with grad --descent --animate or tangent --secant --animate writes the animation),
--theme light|dark|auto (the figure's colours).
`ipython-gradients COMMAND --help` lists a command's options."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit status 2
        raise _BadInput(message)


class _BadInput(Exception):
    pass


COMMAND_LINE_OPTIONS = (
    Option("--latex", "Print the LaTeX instead of the text."),
    Option("--save", "Write the figure to FILE (.png or .svg).", metavar="FILE"),
    Option("--theme", "The figure's colours: light, dark, or auto (dark where matplotlib's settings draw on a "
           "dark background; the default).", metavar="THEME"),
)


def _magic_parser(spec: MagicSpec) -> argparse.ArgumentParser:
    parser = _Parser(prog=f"ipython-gradients {spec.name}", add_help=True)
    for option in spec.options:
        parser.add_argument(option.flag, **option.argparse_kwargs())
    return parser


def _run_magic(name: str, argv: list[str]) -> int:
    # grad and tangent have --save in their table (the animation's GIF): the same option writes figures here
    extra = tuple(option for option in COMMAND_LINE_OPTIONS if MAGICS[name].option(option.flag) is None)
    spec = replace(MAGICS[name], options=MAGICS[name].options + extra)
    parser = _magic_parser(spec)
    options, words = split_arguments(spec, argv)
    args = parser.parse_args(options + [w for w in words if w in ("-h", "--help")])
    words = [w for w in words if w not in ("-h", "--help")]
    if not words:
        raise _BadInput(f"{name} needs {'an expression' if name != 'tangent' else 'at least one function'}")
    gif = args.save is not None and args.save.lower().endswith(".gif")  # the animation's file: the API writes it
    if args.save and not gif:
        _check_target(args.save)  # before the computation, which may take a while
    try:
        from . import api
    except ImportError as error:  # a broken installation: a dependency is missing
        raise _BadInput(f"ipython_gradients needs {error.name or error}, which {sys.executable} cannot import: "
                        f"install the package with its dependencies ({sys.executable} -m pip install "
                        "ipython_gradients)") from None
    from .errors import ComputationTimeout

    values = MAGICS[name].keywords(vars(args))
    if args.theme is not None:  # a setting, checked by the API as any other
        values["theme"] = args.theme
    interactive = values.pop("interactive", None)  # no sliders here: the result, and the figure with --save
    if not gif:
        values.pop("save", None)
    if args.save and not gif:
        values["plot"] = True
        values.setdefault("figure_format", "svg" if args.save.lower().endswith(".svg") else "png")
    elif "plot" not in values:
        values["plot"] = False  # no file to put a figure in
    func = {"deriv": api.deriv, "grad": api.grad, "tangent": api.tangent}[name]
    subject = "\n".join(words) if name == "tangent" else " ".join(words)
    try:
        result = func(subject, **values)
    except (GradientError, ComputationTimeout) as error:
        raise _BadInput(str(error)) from None
    print(result.latex() if args.latex else result.text())
    if getattr(result, "live", None) is not None and not gif:
        print("Note: --animate's player needs a browser (Jupyter, VS Code, exported HTML); --save FILE.gif writes "
              "the animation as a GIF.")
    if interactive:
        print("Note: --interactive needs Jupyter with ipywidgets; the command line shows the static result"
              + (f", and the figure in {args.save}." if args.save else " (--save FILE.png writes the figure)."))
    if args.save and not gif:
        if result.figure is None:
            raise _BadInput("there is no figure to save: " + ("; ".join(result.notes) or "nothing was plotted"))
        _write_figure(result.figure, args.save)
    return 0


def _check_target(path: str) -> None:
    """Refuse a --save target that cannot be written, before anything is computed."""
    if os.path.isdir(path):
        raise _BadInput(f"--save {path}: that is a folder; give the name of a .png or .svg file")
    if not path.lower().endswith((".png", ".svg")):
        raise _BadInput("--save writes a .png or .svg file (or, with --animate, a .gif)")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        above = folder
        while not os.path.lexists(above):
            above = os.path.dirname(above)
        problem = f"the folder {folder} does not exist" if os.path.isdir(above) else f"{above} is not a folder"
        raise _BadInput(f"--save {path}: {problem}")
    if not os.access(folder, os.W_OK):
        raise _BadInput(f"--save {path}: cannot write in the folder {folder} (permission denied)")


def _write_figure(figure, path: str) -> None:
    """Draw the figure first, then write the file; a file that fails half-way is removed."""
    data = io.BytesIO()
    figure.savefig(data, format="svg" if path.lower().endswith(".svg") else "png")
    try:
        with open(path, "wb") as handle:
            try:
                handle.write(data.getvalue())
            except OSError:
                handle.close()
                os.remove(path)
                raise
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise _BadInput(f"--save {path}: cannot write it ({reason})") from None


def _run_kernel(argv: list[str]) -> int:
    from . import kernelspec

    parser = _Parser(prog="ipython-gradients kernel")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    install = commands.add_parser("install", help="Install the kernelspec.")
    where = install.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="For this user (the default).")
    where.add_argument("--sys-prefix", action="store_true", help="Into this Python environment (sys.prefix).")
    where.add_argument("--prefix", metavar="P", help="Under the prefix P.")
    install.add_argument("--name", default=kernelspec.DEFAULT_NAME)
    install.add_argument("--display-name", default=kernelspec.DEFAULT_DISPLAY_NAME)
    install.add_argument("--force", action="store_true",
                         help="Replace a kernelspec of that name that is not this package's.")
    uninstall = commands.add_parser("uninstall", help="Remove the kernelspec.")
    uninstall.add_argument("--name", default=kernelspec.DEFAULT_NAME)
    commands.add_parser("list", help="List the kernelspecs Jupyter finds.")
    args = parser.parse_args(argv)
    if args.command == "install":
        folder = kernelspec.install(args.name, args.display_name, user=args.user, sys_prefix=args.sys_prefix,
                                    prefix=args.prefix, force=args.force)
        print(f"Installed kernelspec {os.path.basename(folder)} ({args.display_name}) in {folder}", flush=True)
        if not kernelspec.is_found(folder):
            print(f"Note: Jupyter does not look in {os.path.dirname(folder)}; to use this kernel, add "
                  f"{os.path.dirname(os.path.dirname(folder))} to JUPYTER_PATH", file=sys.stderr)
    elif args.command == "uninstall":
        print(f"Removed kernelspec {args.name} from {kernelspec.uninstall(args.name)}")
    else:
        for name, folder in sorted(kernelspec.installed().items()):
            print(f"{name:24} {folder}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    try:
        if command in MAGICS:
            status = _run_magic(command, rest)
        elif command == "kernel":
            status = _run_kernel(rest)
        else:
            raise _BadInput(f"unknown command {command!r}: use deriv, grad, tangent or kernel")
        sys.stdout.flush()  # here, so that a closed pipe is caught below rather than at exit
        return status
    except (_BadInput, GradientError) as error:
        print(f"ipython-gradients: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("ipython-gradients: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of the output went away (| head): nothing more to say to it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
