"""``GradientMagics``: the configuration traits and thin magic methods.

No mathematics here: each magic splits its line, parses the options, calls the API with the
keywords the option table translates them to, and turns the project's errors into one clean
``UsageError`` line. The API (and with it SymPy, NumPy and
matplotlib) is imported on first use, so ``%load_ext`` stays fast.
"""

from __future__ import annotations

import ast
import difflib
import re
import sys
from copy import deepcopy

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class, no_var_expand
from IPython.core.magic_arguments import argument, magic_arguments
from traitlets import Bool, CaselessStrEnum, Float, Int, TraitError, Tuple, validate
from traitlets.config import Config
from traitlets.config.loader import DeferredConfig, LazyConfigValue

from .options import DERIV, GRAD, TANGENT, MagicSpec, split_magic_line
from .settings import FIGURE_FORMATS, HELP, METHODS, NOTATIONS, ROOTS, THEMES, Settings, check_setting

DEFAULTS = Settings()
# {name}, $name, the escapes {{ }} $$, and any other {...} (refused): what a magic line may expand.
_EXPANSION = re.compile(r"\{\{|\}\}|\$\$|\{\s*([^{}]*?)\s*\}|\$([^\W\d]\w*)")


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
    theme = CaselessStrEnum(THEMES, DEFAULTS.theme, help=HELP["theme"]).tag(config=True)

    @validate("precision", "samples", "x_range", "figure_size", "timeout")
    def _check(self, proposal):
        try:
            return check_setting(proposal["trait"].name, proposal["value"])
        except ValueError as error:
            raise TraitError(f"GradientMagics.{error}") from None

    def _load_config(self, cfg, section_names=None, traits=None):
        """Apply configuration one setting at a time, so that no value stops the extension loading.

        traitlets applies a ``Config`` here (from ``ipython_config.py``, ``--GradientMagics.x=...`` on
        the command line, ``%config`` before or after ``%load_ext``), at construction and on every
        ``%config``; a value the trait refuses would otherwise raise out of ``__init__`` and leave no
        magics. Each value is checked on its own (the trait's type, then ``check_setting``); a bad
        one, or a name that is no setting, is reported in one line on stderr, naming the setting and
        what is allowed, and dropped: the setting keeps its default (after ``%config``, its current
        value), and the rest apply.
        """
        traits = self.traits(config=True) if traits is None else traits
        accepted = Config()
        for name, value in self._find_my_config(cfg).items():
            if name in traits:
                try:
                    accepted[name] = self._checked(name, value, traits[name])
                except ValueError as problem:
                    kept = getattr(self, name)
                    default = " (the default)" if kept == self.trait_defaults(name) else ""
                    self._refuse(cfg, name, value, f"GradientMagics.{problem}; {name} stays {kept!r}{default}")
            elif isinstance(value, Config) or name[:1].isupper():
                accepted[name] = value  # a section, not a setting: traitlets' business
            else:
                close = difflib.get_close_matches(name, traits, n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                self._refuse(cfg, name, value, f"GradientMagics has no setting {name!r}{hint}: "
                                               "`%config GradientMagics` lists them")
        super()._load_config(Config({type(self).__name__: accepted}), section_names=section_names,
                             traits=traits)

    def _refuse(self, cfg, name: str, value, message: str) -> None:
        """Say why a configuration value is not used, and drop it from the configuration it came in
        and the session's (the shell's), so that reloading the extension does not refuse it again."""
        print(message, file=sys.stderr)
        for config in (cfg, self.config, getattr(self.parent, "config", None)):
            for section in self.section_names():
                if isinstance(config, Config) and config._has_section(section) and name in config[section]:
                    held = config[section][name]
                    try:
                        same = held is value or bool(held == value)
                    except Exception:  # a value that cannot be compared is left where it is
                        same = False
                    if same:
                        del config[section][name]

    def _checked(self, name: str, value, trait):
        """A configuration value as the trait will hold it, or ValueError saying what is allowed."""
        raw = value
        try:
            if isinstance(value, LazyConfigValue):  # c.GradientMagics.x_range.append(...) and the like
                value = value.get_value(getattr(self, name))
            elif isinstance(value, DeferredConfig):  # --GradientMagics.samples=... on the command line
                raw = str(value) if isinstance(value, str) else value
                if isinstance(trait, Tuple) and isinstance(value, str):
                    value = ast.literal_eval(value)  # "-2,3" or "(-2, 3)": traitlets cannot read a Tuple
                else:                                # from one string (its from_string fails)
                    value = value.get_value(trait)
            value = trait.validate(self, deepcopy(value))
        except Exception as error:  # the trait's own check (and conversion from text) refused it
            check_setting(name, raw)  # the same value in check_setting's words, where it has them
            raise ValueError(f"{name}: {' '.join(str(error).split())}") from None
        return check_setting(name, value)

    def settings(self) -> Settings:
        return Settings(precision=self.precision, plot=self.plot, samples=self.samples,
                        x_range=tuple(self.x_range), figure_format=self.figure_format.lower(),
                        figure_size=tuple(self.figure_size), notation=self.notation.lower(),
                        simplify=self.simplify, timeout=self.timeout, backend=self.backend.lower(),
                        roots=self.roots.lower(), theme=self.theme.lower())

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
        """``{name}`` and ``$name`` replaced by the variable's value (the magics opt out of IPython's
        own expansion, which evaluates any Python inside braces: ``{__import__('os')...}``).

        Only plain names are expanded, so nothing typed runs as code; ``{a + 1}`` is refused with a
        reason, ``{{``/``}}``/``$$`` stand for the characters themselves. The names are looked up as
        IPython would: the caller's local variables (4 frames up: past this frame, _parse, the magic
        and run_line_magic), then the user's namespace. Lines over 20,000 characters are left alone:
        they are refused anyway, and scanning them would only cost time.
        """
        if len(line) > 20_000 or not ("{" in line or "$" in line):
            return line
        try:
            scope = {**self.shell.user_ns, **sys._getframe(4).f_locals}
        except ValueError:  # called from fewer frames (no caller beyond the shell)
            scope = self.shell.user_ns

        def value(match: re.Match) -> str:
            text = match.group(0)
            if text in ("{{", "}}", "$$"):
                return text[0]
            name = match.group(1) or match.group(2)
            if name is None or not name.isidentifier():
                raise UsageError(f"{text}: only a plain variable name is expanded in a magic line ({{n}} or $n), "
                                 "never Python code")
            if name not in scope:
                raise UsageError(f"{text}: there is no variable {name} to put in its place")
            return str(scope[name])

        return _EXPANSION.sub(value, line)

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
        """Tangent lines of the functions (or curves, x^2 + y^2 = 25) in the cell, one per line, and a plot.

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

            %%tangent --at 3,4 --normal
            x^2 + y^2 = 25             # a curve F(x, y) = 0: y = 4 - 3/4 (x - 3), i.e. 3x + 4y = 25

        The cell's value (``_``, ``Out[n]``) is a TangentResult with ``.lines`` and ``.figure``.
        """
        args = self._parse(GradientMagics.tangent, TANGENT, line)
        return self._call_api(TANGENT, cell, args)
