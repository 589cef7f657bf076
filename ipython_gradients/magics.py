"""``GradientMagics``: the configuration traits and thin magic methods.

No mathematics here: each magic splits its line, parses the options, calls the API with the
keywords the option table translates them to, and turns the project's errors into one clean
``UsageError`` line. The API (and with it SymPy, NumPy and
matplotlib) is imported on first use, so ``%load_ext`` stays fast.
"""

from __future__ import annotations

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class, no_var_expand
from IPython.core.magic_arguments import argument, magic_arguments
from traitlets import Bool, CaselessStrEnum, Float, Int, TraitError, Tuple, validate

from .options import DERIV, GRAD, TANGENT, MagicSpec, split_magic_line
from .settings import FIGURE_FORMATS, HELP, METHODS, NOTATIONS, ROOTS, Settings, check_setting

DEFAULTS = Settings()


def with_options(spec: MagicSpec):
    """Apply ``magic_arguments`` decorators for every option of ``spec`` (so ``%deriv?`` lists them)."""

    def decorate(func):
        if spec.positional:
            func = argument(spec.positional, nargs="*", help=spec.positional_help)(func)
        for option in reversed(spec.options):
            func = argument(option.flag, **option.argparse_kwargs())(func)
        return magic_arguments()(func)

    return decorate


@magics_class
class GradientMagics(Magics):
    """Derivatives, gradients and tangent lines as IPython magics."""

    precision = Int(DEFAULTS.precision, help=HELP["precision"]).tag(config=True)
    plot = Bool(DEFAULTS.plot, help=HELP["plot"]).tag(config=True)
    samples = Int(DEFAULTS.samples, help=HELP["samples"]).tag(config=True)
    x_range = Tuple(Float(), Float(), default_value=DEFAULTS.x_range, help=HELP["x_range"]).tag(config=True)
    figure_format = CaselessStrEnum(FIGURE_FORMATS, DEFAULTS.figure_format,
                                    help=HELP["figure_format"]).tag(config=True)
    figure_size = Tuple(Float(), Float(), default_value=DEFAULTS.figure_size,
                        help=HELP["figure_size"]).tag(config=True)
    notation = CaselessStrEnum(NOTATIONS, DEFAULTS.notation, help=HELP["notation"]).tag(config=True)
    simplify = Bool(DEFAULTS.simplify, help=HELP["simplify"]).tag(config=True)
    timeout = Float(DEFAULTS.timeout, help=HELP["timeout"]).tag(config=True)
    backend = CaselessStrEnum(METHODS, DEFAULTS.backend, help=HELP["backend"]).tag(config=True)
    roots = CaselessStrEnum(ROOTS, DEFAULTS.roots, help=HELP["roots"]).tag(config=True)

    @validate("precision", "samples", "x_range", "figure_size", "timeout")
    def _check(self, proposal):
        try:
            return check_setting(proposal["trait"].name, proposal["value"])
        except ValueError as error:
            raise TraitError(f"GradientMagics.{error}") from None

    def settings(self) -> Settings:
        return Settings(precision=self.precision, plot=self.plot, samples=self.samples,
                        x_range=tuple(self.x_range), figure_format=self.figure_format.lower(),
                        figure_size=tuple(self.figure_size), notation=self.notation.lower(),
                        simplify=self.simplify, timeout=self.timeout, backend=self.backend.lower(),
                        roots=self.roots.lower())

    def _call_api(self, spec: MagicSpec, subject: str, args):
        """The API function of the magic's name on ``subject``, with the parsed options as its keywords
        (the option table translates them), the shell's namespace and the settings; the project's
        errors become one UsageError line. The API (SymPy, NumPy) is imported here, on first use, once
        any background warm-up has finished (never two threads importing the same modules)."""
        from . import warmup

        warmup.wait()
        from . import api
        from .errors import ComputationTimeout, GradientError

        try:
            return getattr(api, spec.name)(subject, namespace=self.shell.user_ns, settings=self.settings(),
                                           **spec.keywords(vars(args)))
        except (GradientError, ComputationTimeout) as error:
            raise UsageError(str(error)) from None

    def _expanded(self, line: str) -> str:
        """IPython's {var} and $var expansion, done here (the magics opt out of IPython's own).

        IPython expands every magic line first, and on a 100 kB line that alone takes half a
        minute; here it runs only where there is something to expand and the line is not so long
        that it will be refused anyway. Depth 4 reaches past this frame, _parse, the magic and
        run_line_magic to the caller, whose local variables IPython's own expansion would see.
        """
        if len(line) > 20_000 or not ("{" in line or "$" in line):
            return line
        return self.shell.var_expand(line, depth=4)

    def _parse(self, magic, spec: MagicSpec, line: str):
        args = magic.parser.parse_args(split_magic_line(spec, self._expanded(line)))
        if spec.positional:
            args.expression = " ".join(args.expression)
        return args

    @with_options(DERIV)
    @line_magic
    @no_var_expand
    def deriv(self, line: str = ""):
        """Differentiate a function; evaluate and interpret the derivative at points; plot both.

        Examples::

            %deriv x**2 --at -0.5,0.5,0
            %deriv f(x) = x^3 - 3x --at -1,0,1 --order 2
            %deriv x^2 y + sin(x y) --wrt x,y
            %deriv abs(x) --at 0
            %deriv sin(x) exp(-x^2) --at 0.3 --method numeric
            %deriv log(x) --at 0.05 --check
            r = %deriv objective --at 1     # a Python function from the namespace
        """
        args = self._parse(GradientMagics.deriv, DERIV, line)
        return self._call_api(DERIV, args.expression, args)

    @with_options(GRAD)
    @line_magic
    @no_var_expand
    def grad(self, line: str = ""):
        """The gradient of a function of several variables, and what it says.

        Examples::

            %grad x^2 + y^2 --at 1,2 --hessian
            %grad f(x, y) = x^3 - 3x + y^2 --critical
            %grad (1-x)^2 + 100(y-x^2)^2 --descent --from -1,1 --rate 0.001 --steps 2000
            %grad x^2 + x y --dir 1,1 --at 1,1
            %grad [x y, x + y^2] --at 1,2          # the Jacobian of a vector function
            r = %grad rosen --vars x,y --at 1,1    # a Python function f(v) of a vector
        """
        args = self._parse(GradientMagics.grad, GRAD, line)
        return self._call_api(GRAD, args.expression, args)

    @with_options(TANGENT)
    @cell_magic
    @no_var_expand
    def tangent(self, line: str = "", cell: str = ""):
        """Tangent lines of the functions in the cell (one per line), their equations, and a plot.

        Examples::

            %%tangent --at -0.5,0.5 --range -1,1
            f(x) = x^2
            g(x) = sin(x)

            %%tangent --at 1 --secant 0.5,0.1 --delta 0.1 --normal
            x^3

            %%tangent --at 0 --order 3
            exp(x)

            %%tangent --at 1,2
            f(x, y) = x^2 + y^2        # the tangent plane, with a 3D plot

        The cell's value (``_``, ``Out[n]``) is a TangentResult with ``.lines`` and ``.figure``.
        """
        args = self._parse(GradientMagics.tangent, TANGENT, line)
        return self._call_api(TANGENT, cell, args)
