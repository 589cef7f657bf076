"""The expression language: text or a Python callable → a SymPy expression and its variables.

The language is mathematics, not Python. Textbook and Unicode notation (``x²``, ``√x``, ``|x|``,
``sin 2x``) is first written as the language's own text by ``textbook``. SymPy's own parser ends
in ``eval``, so the text is checked token by token first (with the column of any problem), then SymPy's transformations add
what lecture notes write (``x^2``, ``2x``, ``3 sin(x)``), and the resulting code is checked against
a whitelist of syntax nodes and names before it is evaluated in a namespace of our own.
"""

from __future__ import annotations

import ast
import cmath
import difflib
import inspect
import io
import keyword
import math
import numbers
import re
import sys
import tokenize
import types
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import sympy as sp
from sympy.core.function import UndefinedFunction
from sympy.parsing.sympy_parser import (
    auto_number,
    auto_symbol,
    convert_xor,
    function_exponentiation,
    implicit_multiplication,
)

from . import sizes, textbook
from .errors import ExpressionError, GradientError, OptionError, VariableError
from .settings import plot_range_problem

FUNCTIONS: dict[str, Callable] = {
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "cot": sp.cot, "sec": sp.sec, "csc": sp.csc,
    "asin": sp.asin, "acos": sp.acos, "atan": sp.atan, "acot": sp.acot, "asec": sp.asec,
    "acsc": sp.acsc, "arcsin": sp.asin, "arccos": sp.acos, "arctan": sp.atan, "arccot": sp.acot,
    "arcsec": sp.asec, "arccsc": sp.acsc, "atan2": sp.atan2, "arctan2": sp.atan2,
    "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh, "coth": sp.coth, "sech": sp.sech,
    "csch": sp.csch, "asinh": sp.asinh, "acosh": sp.acosh, "atanh": sp.atanh, "acoth": sp.acoth,
    "arcsinh": sp.asinh, "arccosh": sp.acosh, "arctanh": sp.atanh, "arsinh": sp.asinh,
    "arcosh": sp.acosh, "artanh": sp.atanh,
    "exp": sp.exp, "log": sp.log, "ln": sp.log, "sqrt": sp.sqrt, "cbrt": sp.cbrt, "root": sp.root,
    "log10": lambda x: sp.log(x, 10), "log2": lambda x: sp.log(x, 2),
    "abs": sp.Abs, "Abs": sp.Abs, "sign": sp.sign, "floor": sp.floor, "ceiling": sp.ceiling,
    "ceil": sp.ceiling, "max": sp.Max, "min": sp.Min, "Max": sp.Max, "Min": sp.Min,
    "Heaviside": sp.Heaviside, "heaviside": sp.Heaviside, "erf": sp.erf, "gamma": sp.gamma,
    "factorial": sp.factorial,
}
CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "π": sp.pi, "e": sp.E, "E": sp.E}
# What SymPy's transformations write into the code. Decimals become exact fractions (0.1 is 1/10),
# so values at points are exact and x² at 1e-20 is not mistaken for a stationary point.
_CONSTRUCTORS: dict[str, Callable] = {
    "Integer": sp.Integer, "Float": sp.Rational, "Rational": sp.Rational, "Symbol": sp.Symbol,
}
_TRANSFORMATIONS = (auto_symbol, auto_number, convert_xor, implicit_multiplication, function_exponentiation)
# Powers of constants are computed exactly when parsed: past this many digits (9^9^9) they are refused
# (Python itself will not turn an integer of more than 4,300 digits into text).
MAX_DIGITS = 4_000
# Beyond these, parsing and printing alone take seconds: the input is refused at once instead.
MAX_LENGTH = 10_000  # characters of an expression
MAX_EXPONENT = 10**6  # x^(10^10) at x = 2 has billions of digits
_BINARY = {"*", "/", "**", "^"}
_SIGNS = {"+", "-"}
_ALLOWED_OPS = _BINARY | _SIGNS | {"(", ")", ","}
_ALLOWED_NODES = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Call, ast.Name, ast.Constant, ast.Load,
                  ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.USub, ast.UAdd)
DEFINITION = re.compile(r"^\s*([^\W\d]\w*)\s*\(([^()]*)\)\s*=(?!=)(.*)$")
NAMED = re.compile(r"^\s*([^\W\d]\w*)\s*=(?!=)(.*)$")
_IDENTIFIER = re.compile(r"^[^\W\d]\w*$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class ParsedFunction:
    """A function ready for calculus: a SymPy expression, or a Python callable that could not be traced."""

    expr: sp.Expr | None
    variables: tuple[sp.Symbol, ...]
    name: str | None = None  # "f" for f(x) = ..., or the namespace name
    func: Callable | None = None  # the Python function, when one was given
    traced: bool = False  # True: expr came from calling func with symbols
    vector_input: bool = False  # func takes one vector f(v) rather than f(x, y)
    reading: str | None = None  # "read sin x y as sin(x y)": how textbook notation was read, if not literally

    @property
    def is_symbolic(self) -> bool:
        return self.expr is not None


def natural_key(symbol: sp.Symbol) -> list:
    """Sort x_2 before x_10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", symbol.name)]


def real_symbol(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)


def engine_symbols(expr):
    """``expr`` with the user's symbols (``Symbol('x')``, ``Symbol('x', positive=True)``) replaced by the
    engine's real ones of the same name: the engines compute on the real line whatever the user's
    symbols assume. On the way out, ``results.symbols`` hands the user's symbols back."""
    if not isinstance(expr, (sp.Basic, sp.MatrixBase)):
        return expr
    swap = {s: real_symbol(s.name) for s in expr.free_symbols
            if type(s) is sp.Symbol and s != real_symbol(s.name)}
    return expr.xreplace(swap) if swap else expr


def user_expression(expr: sp.Expr) -> sp.Expr:
    """A SymPy expression the user passed (or named), checked as parsed text is, on the engine's symbols."""
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ExpressionError(f"{_short(str(expr))} is undefined: it is or holds nan, oo or zoo")
    return engine_symbols(expr)


def parse_function(text: str, namespace: dict | None = None, roots: str = "real") -> ParsedFunction:
    """Read the function a magic line names: an expression, a definition, or a namespace name.

    ``roots``: "real" (odd roots of negative numbers are real, see ``real_roots``) or "principal".
    """
    text = text.strip()
    if not text:
        raise ExpressionError("no expression given: write one, for example x^2 sin(x)")
    namespace = namespace or {}
    definition = DEFINITION.match(text)
    if definition:
        name, params, body = definition.groups()
        variables = parse_parameters(params, text)
        expr, reading = read_expression(body, namespace, {v.name: v for v in variables}, roots=roots)
        _remember(name, text)
        return ParsedFunction(expr, variables, name=name, reading=reading)
    named = NAMED.match(text)
    if named and not named.group(1).isidentifier():
        named = None  # y² = x³ - x is an equation, not a function named y2 (which NFKC would make of it)
    if named:  # y = x^2: y as a function of the variables on the right
        name, body = named.groups()
        name = unicodedata.normalize("NFKC", name)
        parse_parameters(name, text)  # a name that could be a variable
        expr, reading = read_expression(body, namespace, roots=roots)
        variables = tuple(sorted(expr.free_symbols, key=natural_key))
        if any(v.name == name for v in variables):
            raise ExpressionError(f"{name} is on both sides of {text.strip()!r}: write {name} = (an expression "
                                  "without it)")
        _remember(name, text)
        return ParsedFunction(expr, variables, name=name, reading=reading)
    referenced = _namespace_function(text, namespace)
    if referenced is not None:
        return referenced
    try:
        expr, reading = read_expression(text, namespace, roots=roots)
    except ExpressionError as error:
        if str(error).startswith("'=' is only allowed"):  # x^2 + y^2 = 25 as a function
            raise ExpressionError(f"{error} (for a curve's equation such as x^2 + y^2 = 25: %deriv ... "
                                  "--implicit y, or a %%tangent cell)") from None
        raise
    return ParsedFunction(expr, tuple(sorted(expr.free_symbols, key=natural_key)), reading=reading)


# Definitions typed into the magics (f(x) = x^3, y = x^2), by name, the newest of each, so that f'(x) in a
# later magic of the session can name them (the notebook's own f comes first). At most _REMEMBERED names.
_DEFINITIONS: dict[str, str] = {}
_REMEMBERED = 1000


def _remember(name: str, text: str) -> None:
    _DEFINITIONS.pop(name, None)
    _DEFINITIONS[name] = " ".join(text.split())
    while len(_DEFINITIONS) > _REMEMBERED:
        _DEFINITIONS.pop(next(iter(_DEFINITIONS)))


def remembered_definition(name: str) -> str | None:
    """The newest definition of ``name`` typed into a magic in this session (``f(x) = x^3``), or None."""
    return _DEFINITIONS.get(name)


def parse_parameters(params: str, text: str) -> tuple[sp.Symbol, ...]:
    names = [p.strip() for p in params.split(",")]
    if not names or not all(names):
        raise ExpressionError(f"the definition {text!r} needs variable names, as in f(x, y) = ...")
    for name in names:
        if not _IDENTIFIER.match(name) or name.startswith("_") or keyword.iskeyword(name):
            raise ExpressionError(f"{name!r} in {text!r} is not a variable name")
        if name in FUNCTIONS or name in CONSTANTS:
            raise ExpressionError(f"{name!r} is a built-in name and cannot be a variable")
    if len(set(names)) != len(names):
        raise ExpressionError(f"a variable is repeated in {text!r}")
    return tuple(real_symbol(n) for n in names)


def public_name(text: str) -> str | None:
    """``text`` as the name of something in the user's namespace, as Python reads it (NFKC-normalised),
    or None: not one name, or a name starting with ``_`` (private, and IPython's own)."""
    name = unicodedata.normalize("NFKC", text.strip())
    return name if name.isidentifier() and not name.startswith("_") and not keyword.iskeyword(name) else None


def _namespace_function(text: str, namespace: dict) -> ParsedFunction | None:
    """``name`` or ``name(x, y)`` where name is a SymPy expression or a callable in the namespace."""
    match = re.match(r"^([^\W\d]\w*)\s*(?:\(([^()]*)\))?$", text)
    if not match or match.group(1).startswith("_"):
        return None
    name, params = match.groups()
    value = namespace.get(name)
    if value is None or isinstance(value, (sp.Symbol, UndefinedFunction)):
        return None
    if isinstance(value, sp.Lambda):
        variables = (parse_parameters(params, text) if params is not None
                     else tuple(real_symbol(s.name) for s in value.variables))
        if len(variables) != len(value.variables):
            raise VariableError(f"{name} takes {len(value.variables)} variable(s), got {len(variables)}")
        expr = user_expression(value(*variables))
        return ParsedFunction(expr, variables, name=name)
    if isinstance(value, sp.Expr) and params is None:
        value = user_expression(value)
        return ParsedFunction(value, tuple(sorted(value.free_symbols, key=natural_key)), name=name)
    if callable(value) and not isinstance(value, (type, sp.Basic)) and name not in FUNCTIONS:
        return trace_callable(value, name, params)
    return None


def trace_callable(func: Callable, name: str, params: str | None = None,
                   vector_size: int | None = None, names: Sequence[str] | None = None) -> ParsedFunction:
    """Call a Python function with SymPy symbols; fall back to the callable itself if that fails.

    ``vector_size``: the function takes one vector ``v`` of that many coordinates (``f(v)``),
    whose variables are ``names`` or else v_1, v_2, ...
    """
    if vector_size is not None:
        (vector_name,) = _positional_parameters(func, name)[:1]
        names = names or [f"{vector_name}_{i + 1}" for i in range(vector_size)]
        variables = tuple(real_symbol(n) for n in names)
    elif params is not None:
        variables = parse_parameters(params, f"{name}({params})")
    else:
        variables = tuple(real_symbol(n) for n in _positional_parameters(func, name))
    arguments = _arguments(variables, vector_size is not None, as_symbols=True)
    try:
        inspect.signature(func).bind(*arguments)
    except TypeError as error:
        raise VariableError(f"{name} cannot be called with {len(arguments)} argument(s): {error}") from None
    except ValueError:  # no signature to check (some built-ins): calling it will tell
        pass
    try:
        result = symbolic_twin(func)(*arguments)
        expr = result if isinstance(result, sp.Basic) else sp.sympify(result, strict=True)
    except Exception:  # branches on values, unknown functions: not traceable, so go numeric
        expr = None
    vector_input = vector_size is not None
    if (not isinstance(expr, sp.Expr) or not expr.free_symbols <= set(variables) or expr.has(sp.nan, sp.zoo)
            or not _agrees_with(func, tidy_floats(expr), variables, vector_input)):
        return ParsedFunction(None, variables, name=name, func=_for_numbers(func, len(variables), vector_input),
                              vector_input=vector_input)
    return ParsedFunction(tidy_floats(expr), variables, name=name, func=_for_numbers(func, len(variables), vector_input),
                          traced=True, vector_input=vector_input)


class TensorCall:
    """A function written for PyTorch tensors, called with numbers as the numeric engine calls it.

    Floats (and NumPy arrays of them) go in as float64 tensors, complex ones (the complex step) as
    complex128; the result comes back as a number or a NumPy array. ``wrapped`` is the user's function,
    which ``--against torch`` differentiates with PyTorch itself.
    """

    def __init__(self, func: Callable):
        self.wrapped = func
        self.__name__ = getattr(func, "__name__", "f")

    def __call__(self, *args):
        import numpy

        torch = sys.modules["torch"]
        tensors = [torch.as_tensor(numpy.asarray(a), dtype=torch.complex128 if numpy.iscomplexobj(a)
                                   else torch.float64) for a in args]
        result = self.wrapped(*tensors)
        if hasattr(result, "detach"):
            result = result.detach()
            return result.numpy() if result.ndim else result.item()
        return result


def _for_numbers(func: Callable, size: int, vector_input: bool) -> Callable:
    """``func``, or a ``TensorCall`` of it where it takes PyTorch tensors and refuses plain numbers."""
    if "torch" not in sys.modules or isinstance(func, TensorCall):
        return func
    probe = _PROBES[:size]
    try:
        func(*_arguments(probe, vector_input))
        return func
    except TypeError:
        pass
    except Exception:  # fails for another reason: not a question of tensors
        return func
    wrapped = TensorCall(func)
    try:
        wrapped(*_arguments(probe, vector_input))
    except Exception:
        return func
    return wrapped


def _arguments(values: Sequence, vector_input: bool, as_symbols: bool = False) -> tuple:
    """How a user's function is called: f(x, y), or f(v) with one NumPy vector."""
    if not vector_input:
        return tuple(values)
    import numpy

    return (numpy.array(values, dtype=object if as_symbols else float),)


# Points where a traced expression is compared with the function it came from: not 0 or 1, which
# tracing mistakes (`if x == 1:` is simply False for a symbol) tend to hide behind.
_PROBES = (0.3183, 0.7071, 1.4142, -0.5772, 2.7183, -1.7321, 4.6692, 9.8696)


def _agrees_with(func: Callable, expr: sp.Expr, variables: tuple[sp.Symbol, ...], vector_input: bool) -> bool:
    """Whether the traced expression gives the function's own values where both are defined.

    Tracing can silently take a branch (`x == 1` is False for a symbol) or miss hidden state;
    a few numeric probes catch that, and the function is then differentiated numerically.
    """
    import numpy

    traced = sp.lambdify(variables, expr, modules="numpy")
    for k in range(len(_PROBES)):
        point = tuple(_PROBES[(k + i) % len(_PROBES)] for i in range(len(variables)))
        with numpy.errstate(all="ignore"):
            try:
                (own, tolerance), twin = own_value(func, point, vector_input), complex(traced(*point))
            except Exception:  # undefined there for one of them: no comparison at this point
                continue
        if not (cmath.isfinite(own) and cmath.isfinite(twin)):
            continue
        if abs(own - twin) > tolerance * max(1.0, abs(own)):
            return False
    return True


def own_value(func: Callable, point: Sequence[float], vector_input: bool) -> tuple[complex, float]:
    """A Python function's own value at a point, and how closely a formula must agree with it.

    Called with floats; a function written with PyTorch, which wants tensors, is called with
    float64 tensors. JAX computes in float32 unless told otherwise: its values are compared to 1e-5.
    """
    try:
        result = func(*_arguments(point, vector_input))
    except TypeError:
        torch = sys.modules.get("torch")
        if torch is None:
            raise
        tensors = [torch.tensor(float(c), dtype=torch.float64) for c in point]
        result = func(torch.stack(tensors)) if vector_input else func(*tensors)
        if hasattr(result, "detach"):
            result = result.detach()
    dtype = getattr(result, "dtype", None)
    single = getattr(dtype, "itemsize", 8) <= 4 or str(dtype) in ("torch.float32", "torch.float16", "torch.bfloat16")
    return complex(result), 1e-5 if single else 1e-8


def _numpy_and_math_counterparts() -> dict[str, Callable | sp.Expr]:
    """SymPy counterparts of NumPy's and math's functions, by the names both modules use."""
    return {
        "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "arcsin": sp.asin, "arccos": sp.acos,
        "arctan": sp.atan, "arctan2": sp.atan2, "asin": sp.asin, "acos": sp.acos, "atan": sp.atan,
        "atan2": sp.atan2, "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh, "arcsinh": sp.asinh,
        "arccosh": sp.acosh, "arctanh": sp.atanh, "asinh": sp.asinh, "acosh": sp.acosh,
        "atanh": sp.atanh, "exp": sp.exp, "expm1": lambda x: sp.exp(x) - 1, "exp2": lambda x: 2**x,
        "log": lambda x, base=None: sp.log(x) if base is None else sp.log(x, base),
        "log1p": lambda x: sp.log(1 + x), "log10": lambda x: sp.log(x, 10), "log2": lambda x: sp.log(x, 2),
        "sqrt": sp.sqrt, "cbrt": lambda x: real_roots(sp.cbrt(x)), "abs": sp.Abs, "absolute": sp.Abs, "fabs": sp.Abs,
        "sign": sp.sign, "power": sp.Pow, "pow": sp.Pow, "square": lambda x: x**2,
        "reciprocal": lambda x: 1 / x, "negative": lambda x: -x, "hypot": lambda a, b: sp.sqrt(a**2 + b**2),
        "floor": sp.floor, "ceil": sp.ceiling, "maximum": sp.Max, "minimum": sp.Min,
        "heaviside": sp.Heaviside, "erf": sp.erf, "gamma": sp.gamma, "radians": lambda x: x * sp.pi / 180,
        "deg2rad": lambda x: x * sp.pi / 180, "degrees": lambda x: x * 180 / sp.pi,
        "rad2deg": lambda x: x * 180 / sp.pi, "pi": sp.pi, "e": sp.E, "tau": 2 * sp.pi,
        # what vector code written with NumPy uses on an array of symbols
        "sum": lambda a, *args, **kwargs: sp.Add(*_flat(a)), "prod": lambda a, *args, **kwargs: sp.Mul(*_flat(a)),
        "dot": lambda a, b: sp.Add(*(p * q for p, q in zip(_flat(a), _flat(b)))),
        "array": _object_array, "asarray": _object_array,
    }


def _flat(values) -> list:
    import numpy

    return list(numpy.ravel(numpy.asarray(values, dtype=object)))


def _object_array(values, *args, **kwargs):
    import numpy

    return numpy.array(values, dtype=object)


class _SymbolicModule(types.SimpleNamespace):
    """Stands in for numpy or math while a function is traced; anything else it lacks ends tracing."""


def symbolic_twin(func: Callable, depth: int = 2) -> Callable:
    """A copy of a Python function whose numpy, math and their functions are SymPy's.

    ``def f(x): return np.sin(x) * np.exp(-x**2)`` then returns a SymPy expression when called
    with a symbol. Helper functions it calls from the notebook are twinned too (``depth`` levels).
    """
    if not isinstance(func, types.FunctionType):
        return func
    import numpy

    counterparts = _numpy_and_math_counterparts()
    module_twin = _SymbolicModule(**counterparts)
    by_identity = {id(getattr(module, name)): value for module in (numpy, math)
                   for name, value in counterparts.items() if hasattr(module, name)}
    frameworks = _framework_twins(counterparts)  # jax.numpy, torch, ...: only those already imported
    for module_name, twin in frameworks.items():
        module = sys.modules.get(module_name)
        by_identity.update({id(getattr(module, name)): value for name, value in vars(twin).items()
                            if callable(value) and hasattr(module, name) and callable(getattr(module, name))})
    names = set(_global_names(func.__code__))
    twin_globals = dict(func.__globals__)
    for name in names & set(twin_globals):
        value = twin_globals[name]
        if isinstance(value, types.ModuleType) and value.__name__ in frameworks:
            twin_globals[name] = frameworks[value.__name__]
        elif value is numpy or value is math:
            twin_globals[name] = module_twin
        elif id(value) in by_identity and callable(value):
            twin_globals[name] = by_identity[id(value)]
        elif depth > 0 and isinstance(value, types.FunctionType) and value is not func:
            twin_globals[name] = symbolic_twin(value, depth - 1)
    return types.FunctionType(func.__code__, twin_globals, func.__name__, func.__defaults__, func.__closure__)


def _framework_twins(counterparts: dict) -> dict[str, _SymbolicModule]:
    """SymPy stand-ins for jax.numpy, jax, jax.nn, torch, torch.nn and torch.nn.functional, by module name.

    Only frameworks the user's session has imported are looked at (nothing is imported here): their
    elementwise functions have NumPy's names, plus the activations and ``where`` (a Piecewise).
    """
    def clip(x, low=None, high=None, *, min=None, max=None, a_min=None, a_max=None):
        low = next((v for v in (low, min, a_min) if v is not None), None)
        high = next((v for v in (high, max, a_max) if v is not None), None)
        x = x if low is None else sp.Max(x, low)
        return x if high is None else sp.Min(x, high)

    def where(condition, a, b):
        return sp.Piecewise((a, condition), (b, True))

    activations = {"relu": lambda x: sp.Max(x, 0), "sigmoid": lambda x: 1 / (1 + sp.exp(-x)),
                   "softplus": lambda x: sp.log(1 + sp.exp(x)), "tanh": sp.tanh}
    elementwise = {**counterparts, "where": where, "clip": clip, "clamp": clip}
    nn = _SymbolicModule(**activations)
    twins = {"jax.numpy": _SymbolicModule(**elementwise), "jax.nn": nn,
             "torch": _SymbolicModule(**{**elementwise, **activations}, tensor=lambda v, **kwargs: v,
                                      nn=_SymbolicModule(functional=nn)),
             "torch.nn": _SymbolicModule(functional=nn), "torch.nn.functional": nn}
    twins["jax"] = _SymbolicModule(numpy=twins["jax.numpy"], nn=nn)
    return {name: twin for name, twin in twins.items() if name.split(".")[0] in sys.modules}


def _global_names(code: types.CodeType):
    """Names a function's code (and the code nested in it) may look up as globals."""
    yield from code.co_names
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield from _global_names(constant)


def _positional_parameters(func: Callable, name: str) -> list[str]:
    try:
        parameters = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        raise VariableError(f"cannot tell which variables {name} takes: write {name}(x)") from None
    names = [p.name for p in parameters
             if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty]
    if not names:
        raise VariableError(f"{name} takes no variables: write {name}(x) to name them")
    return names


def tidy_floats(expr: sp.Expr) -> sp.Expr:
    """x**2.0 → x**2: whole-number floats from Python code become integers."""
    whole = {f: sp.Integer(int(f)) for f in expr.atoms(sp.Float) if f.is_finite and float(f).is_integer()}
    return expr.xreplace(whole) if whole else expr


class RealAbs(sp.Abs):
    """|u| in a real root sign(u)·|u|^r (see ``real_roots``), printed as Abs.

    SymPy's Abs differentiates an argument it cannot prove real (log x, 1/x) through its real and
    imaginary parts; this one assumes the real case, the only one where the real root is a number:
    d|u|/dx = sign(u)·u', with RealSign.
    """

    @classmethod
    def eval(cls, arg):
        if arg.is_number:
            return sp.Abs(arg)
        if arg.is_extended_nonnegative:
            return arg
        if arg.is_extended_nonpositive:
            return -arg
        return None

    def _eval_derivative(self, x):
        return RealSign(self.args[0]) * sp.diff(self.args[0], x)


class RealSign(sp.sign):
    """sign u in a real root sign(u)·|u|^r (see ``real_roots``), printed as sign.

    It only ever stands beside a power |u|^r with r fractional, which is 0 or undefined where u = 0.
    So its square is 1 (sign(0)² = 0 would only multiply that 0 or undefined value) and its
    derivative 0 (the δ(u) SymPy would add vanishes off u = 0 and multiplies the same value at it):
    d/dx sign(x)|x|^(1/3) comes out as 1/(3|x|^(2/3)), with no sign² or δ(x) terms.
    """

    @classmethod
    def eval(cls, arg):
        if arg.is_number:
            return sp.sign(arg)
        if arg.is_extended_positive:
            return sp.S.One
        if arg.is_extended_negative:
            return sp.S.NegativeOne
        if arg.is_zero:
            return sp.S.Zero
        return None

    def _eval_power(self, exponent):
        if exponent.is_integer:
            return sp.S.One if exponent.is_even else self
        return None

    def _eval_derivative(self, x):
        return sp.S.Zero


RealAbs.__name__, RealSign.__name__ = "Abs", "sign"  # how the printers and lambdify name them


def real_roots(expr: sp.Expr) -> sp.Expr:
    """Odd roots of negative numbers made real: u^(p/q) with q odd is sign(u)^p·|u|^(p/q).

    SymPy's x^(1/3) is the principal root, complex for x < 0; calculus textbooks mean the real
    cube root (∛(-8) = -2, and d/dx ∛x = 1/12 at -8). Written with |u| and sign u, every
    evaluation (values at points, one-sided limits, lambdified NumPy) sees the real function.
    Powers whose base cannot be negative (2^(1/3), (x²+1)^(1/3)) are left as they are, and so
    are even roots (√x is undefined for x < 0 either way).
    """
    def odd_root(power: sp.Pow) -> bool:
        exponent = power.exp
        return (exponent.is_Rational and not exponent.is_Integer and exponent.q % 2 == 1
                and power.base.is_nonnegative is not True)

    def rewrite(power: sp.Pow) -> sp.Expr:
        magnitude = RealAbs(power.base) ** power.exp
        return magnitude * RealSign(power.base) if power.exp.p % 2 else magnitude

    return expr.replace(lambda e: e.is_Pow and odd_root(e), rewrite) if expr.has(sp.Pow) else expr


def parse_expression(text: str, namespace: dict | None = None,
                     symbols: dict[str, sp.Symbol] | None = None, roots: str = "real") -> sp.Expr:
    """Parse ``text`` as a SymPy expression; raise ExpressionError with the column of any problem.

    ``roots="real"`` makes odd roots of negative numbers real (``real_roots``); "principal" keeps
    SymPy's complex principal root.
    """
    return read_expression(text, namespace, symbols, roots)[0]


def read_expression(text: str, namespace: dict | None = None, symbols: dict[str, sp.Symbol] | None = None,
                    roots: str = "real") -> tuple[sp.Expr, str | None]:
    """``parse_expression``, with how textbook notation was read when not literally ("read sin x y
    as sin(x y)"), else None. Textbook and Unicode notation (``textbook``) becomes the language's own
    text first, which is then checked as any typed text is."""
    namespace = namespace or {}
    symbols = symbols or {}
    text = text.strip()
    if not text:
        raise ExpressionError("no expression given: write one, for example x^2 sin(x)")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is {len(text):,} characters long; the limit is {MAX_LENGTH:,}")
    applicable = {f for f in FUNCTIONS if f not in symbols and not isinstance(namespace.get(f), sp.Expr)}
    reading = textbook.read(text, applicable)
    tokens = _tokens(reading.text, text)
    names = _check_tokens(text, tokens, namespace, symbols, reading.column)
    local_dict: dict = {}
    for name in names:
        if name in symbols:
            local_dict[name] = symbols[name]
        elif isinstance(namespace.get(name), UndefinedFunction):
            local_dict[name] = namespace[name]  # the user's own function f, used as it is
        elif isinstance(namespace.get(name), sp.Expr):
            local_dict[name] = engine_symbols(namespace[name])  # the user's SymPy object, on real symbols
        elif name in CONSTANTS:
            local_dict[name] = CONSTANTS[name]
        elif name in FUNCTIONS:
            local_dict[name] = FUNCTIONS[name]
        else:
            local_dict[name] = real_symbol(name)
    global_dict = dict(_CONSTRUCTORS)
    pairs = [(t.type, t.string) for t in tokens]
    try:
        for transform in _TRANSFORMATIONS:
            pairs = transform(pairs, local_dict, global_dict)
        tree = ast.parse(tokenize.untokenize(pairs).strip(), mode="eval")
    except (SyntaxError, tokenize.TokenError, TypeError, ValueError):
        raise ExpressionError(f"cannot read {text!r} as an expression (add * or parentheses, "
                              "as in sin(x^2) or 2*x)") from None
    _check_tree(tree, text, set(local_dict) | set(global_dict))
    _check_sizes(tree, text, local_dict)
    try:
        value = eval(compile(tree, "<expression>", "eval"), {"__builtins__": {}, **global_dict}, local_dict)
        expr = sp.sympify(value)
    except (TypeError, ValueError, ArithmeticError, AttributeError, sp.SympifyError) as error:
        raise ExpressionError(f"cannot evaluate {text!r}: {error}") from None
    if not isinstance(expr, sp.Expr):
        raise ExpressionError(f"{text!r} is not a mathematical expression")
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ExpressionError(f"{_short(text)} is undefined: it divides by zero or takes 0/0")
    if any(max(abs(r.p), r.q).bit_length() * 0.302 > MAX_DIGITS for r in expr.atoms(sp.Rational)):
        raise ExpressionError(f"a number in {_short(text)} has more than {MAX_DIGITS:,} digits: too large to use")
    expr = tidy_floats(expr)
    note = f"read {' '.join(text.split())} as {reading.text}" if reading.note else None
    return (real_roots(expr) if roots == "real" else expr), note


def _tokens(text: str, typed: str | None = None) -> list[tokenize.TokenInfo]:
    """The Python tokens of ``text`` (the language's own text of what was ``typed``)."""
    typed = text if typed is None else typed
    if "\n" in text or "\r" in text:
        raise ExpressionError("an expression must fit on one line")
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except tokenize.TokenError:
        raise ExpressionError(_bracket_problem(typed)) from None
    except (SyntaxError, IndentationError) as error:
        raise ExpressionError(f"cannot read {typed!r}: {error.msg}") from None
    for t in tokens:  # "x^2  # the parabola" is a comment; "x^2 #+ sin(x)" would silently drop a term
        if t.type == tokenize.COMMENT and not (t.string == "#" or t.string[1].isspace()):
            raise ExpressionError(f"'#' is not an operator: a comment starts with '# ' and everything after it is "
                                  f"ignored (column {typed.index('#') + 1} of {typed!r})")
    # Names as Python reads them (NFKC): fullwidth Ｓｙｍｂｏｌ is Symbol, and is checked as such
    return [t._replace(string=unicodedata.normalize("NFKC", t.string)) if t.type == tokenize.NAME else t
            for t in tokens if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER,
                                              tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)]


def _number_is_too_large(literal: str) -> bool:
    """1e4300 or a 5,000-digit integer: exact, it would be too large to print or compute with."""
    mantissa, _, exponent = literal.lower().replace("_", "").partition("e")
    digits = len(mantissa.split(".")[0].lstrip("0"))
    try:
        power = int(exponent) if exponent else 0
    except ValueError:  # a malformed exponent: the parser reports it
        return False
    return digits + power > 300 or power < -300 or len(mantissa) > 300


def _bracket_problem(text: str) -> str:
    open_columns = []
    for column, char in enumerate(text, start=1):
        if char == "(":
            open_columns.append(column)
        elif char == ")":
            if not open_columns:
                return f"unmatched ')' (column {column} of {text!r})"
            open_columns.pop()
    column = open_columns[-1] if open_columns else len(text)
    return f"unbalanced '(' (column {column} of {text!r})"


def _check_tokens(text: str, tokens: list[tokenize.TokenInfo], namespace: dict,
                  symbols: dict, column: Callable[[int], int] = lambda c: c) -> list[str]:
    """Refuse anything that is not mathematics, saying where; return the names used.

    ``tokens`` are those of the language's text of ``text``; ``column`` maps their columns to ``text``'s.
    """

    def fail(token: tokenize.TokenInfo, message: str):
        raise ExpressionError(f"{message} (column {column(token.start[1]) + 1} of {text!r})")

    _check_mistakes(tokens, namespace, symbols, fail)

    names = []
    plain_names = {t.string for i, t in enumerate(tokens) if t.type == tokenize.NAME
                   and not (i + 1 < len(tokens) and tokens[i + 1].string == "(")}
    brackets: list[tuple[tokenize.TokenInfo, bool]] = []  # open "(" and whether it is a call
    previous = None
    for i, token in enumerate(tokens):
        kind, s = token.type, token.string
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if kind == tokenize.ERRORTOKEN:
            if s.strip():
                fail(token, "quotes are not part of the expression language" if s in "'\""
                     else f"unexpected character {s!r}")
            continue
        if kind == tokenize.STRING:
            fail(token, "quotes are not part of the expression language")
        if kind == tokenize.NUMBER and _number_is_too_large(s):
            fail(token, f"the number {s[:20]}{'...' if len(s) > 20 else ''} is out of range (beyond 1e±300 or 300 digits)")
        if kind == tokenize.NUMBER and previous is not None and previous.type == tokenize.NUMBER:
            fail(token, f"two numbers in a row ({previous.string} {s}): write one number, or * between them")
        if kind == tokenize.NAME:
            if keyword.iskeyword(s) or s in ("print", "exec", "eval"):
                fail(token, f"{s!r} is Python, not part of the expression language")
            if s.startswith("_"):
                fail(token, f"names starting with '_' are not allowed ({s!r})")
            if s in _CONSTRUCTORS:
                fail(token, f"{s!r} is a reserved name")
            value = namespace.get(s)
            if callable(value) and not isinstance(value, (sp.Basic, UndefinedFunction)) and s not in FUNCTIONS \
                    and s not in symbols:
                fail(token, _unknown_function_message(s, namespace))
            called = following is not None and following.string == "("
            is_function = s in FUNCTIONS or isinstance(namespace.get(s), UndefinedFunction)
            if called and not is_function and s not in plain_names and s not in symbols:
                fail(token, _unknown_function_message(s, namespace))
            if is_function and not called and s not in symbols and not (
                    following is not None and following.string in ("^", "**")
                    and s in FUNCTIONS and s not in namespace):
                fail(token, f"the function {s!r} needs an argument, as in {s}(x) or {s} x")
            names.append(s)
        elif kind == tokenize.OP:
            if s not in _ALLOWED_OPS:
                fail(token, _operator_message(s))
            if s == "(":
                brackets.append((token, previous is not None and previous.type == tokenize.NAME
                                 and (previous.string in FUNCTIONS
                                      or isinstance(namespace.get(previous.string), UndefinedFunction))))
            elif s == ")":
                if not brackets:
                    fail(token, "unmatched ')'")
                if previous is not None and previous.string == "(":
                    fail(previous, "empty parentheses '()'")
                brackets.pop()
            elif s == "," and not (brackets and brackets[-1][1]):
                fail(token, "',' separates the arguments of a function, as in log(x, 2); "
                     "write decimals with '.'")
            if s in _BINARY and (previous is None or previous.string in ("(", ",")):
                fail(token, f"operator {s!r} has nothing on its left")
            if s in _BINARY and previous.type == tokenize.OP and previous.string in _BINARY | _SIGNS:
                fail(token, f"two operators in a row ({previous.string!r} then {s!r})")
            if (s in _BINARY or s in _SIGNS) and (following is None or following.string in (")", ",")):
                fail(token, f"operator {s!r} has nothing on its right")
        previous = token
    if brackets:
        fail(brackets[-1][0], "unbalanced '('")
    return names


def _option_words() -> dict[str, bool]:
    """The magics' option names (at, wrt, order, range, ...), each with whether its value is names."""
    from .options import MAGICS

    return {option.flag[2:]: option.flag in ("--wrt", "--vars")
            for spec in MAGICS.values() for option in spec.options if option.takes_value}


def _switch_words() -> set[str]:
    """The magics' switches (steps, check, hessian, ...), which take no value."""
    from .options import MAGICS

    return {option.flag[2:] for spec in MAGICS.values() for option in spec.options if not option.takes_value}


def _check_mistakes(tokens: list[tokenize.TokenInfo], namespace: dict, symbols: dict, fail) -> None:
    """Mistakes that would otherwise be read as symbols: an option without its dashes (x^2 at 1, read as
    the symbol at times 1) and derivative notation in the middle of an expression (d/dx with d and dx
    as symbols)."""
    words = _option_words()
    last = tokens[-1] if tokens else None
    if last is not None and len(tokens) > 1 and last.type == tokenize.NAME and last.string in _switch_words() \
            and last.string not in symbols and last.string not in namespace and tokens[-2].string not in _BINARY | _SIGNS:
        fail(last, f"{last.string!r} at the end is an option here, not a variable: did you mean --{last.string}? "
                   "(options start with --)")
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if token.type != tokenize.NAME or following is None or token.string in symbols or token.string in namespace:
            continue
        s = token.string
        if s in words:
            wanted = tokenize.NAME if words[s] else tokenize.NUMBER
            signed = following.string in _SIGNS and wanted == tokenize.NUMBER
            start = i + 2 if signed else i + 1
            apart = following.start[1] > token.end[1] and not (signed and start < len(tokens)
                                                                and tokens[start].start[1] > following.end[1])
            if apart and start < len(tokens) and tokens[start].type == wanted:
                value = ""
                for t in tokens[i + 1:]:
                    if t.type not in (tokenize.NUMBER, tokenize.NAME) and t.string not in (",", ";", "-", "+", "/"):
                        break
                    value += t.string
                meant = (f"--wrt {value} (%deriv) or --vars {value} (%grad)" if words[s] else f"--{s} {value}")
                fail(token, f"{s!r} is an option here, not a variable: did you mean {meant}? (options start with --)")
        if s == "d" and following.string == "/":
            fail(token, "d/dx is derivative notation: it starts a %deriv line, as in d/dx x^2 "
                        "(here d would be a symbol; write d*... for a product)")
    for i, token in enumerate(tokens[1:], start=1):
        if token.type == tokenize.NAME and re.fullmatch(r"d[^\W\d_]", token.string) and tokens[i - 1].string == "/" \
                and token.string not in symbols and token.string not in namespace:
            fail(token, f"'/{token.string}' looks like derivative notation: d/{token.string} starts a %deriv line, "
                        f"as in d/{token.string} {token.string[1]}^2 (a symbol named {token.string} would "
                        "be read here)")


def _unknown_function_message(name: str, namespace: dict) -> str:
    if callable(namespace.get(name)):
        return (f"{name!r} is a Python function: differentiate it on its own (%deriv {name}), "
                f"or write {name}*(...) for a product")
    close = difflib.get_close_matches(name, FUNCTIONS, n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    return f"unknown function {name!r}: {hint}for a product write {name}*(...)"


def _operator_message(op: str) -> str:
    if op == ".":
        return "'.' is only allowed inside numbers (attribute access is not part of the language)"
    if op in ("[", "]", "{", "}"):
        return f"brackets {op!r} are not allowed: use parentheses"
    if op == "=":
        return "'=' is only allowed in a definition such as f(x) = x^2"
    return f"operator {op!r} is not part of the expression language"


def _check_tree(tree: ast.AST, text: str, allowed_names: set[str]) -> None:
    """Second line of defence: only arithmetic, whitelisted names and constructor calls reach eval."""
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise ExpressionError(f"{text!r} is not a mathematical expression ({type(node).__name__})")
        if isinstance(node, ast.Name) and (node.id not in allowed_names or node.id.startswith("_")):
            raise ExpressionError(f"the name {node.id!r} is not allowed in {text!r}")
        if isinstance(node, ast.Call) and (node.keywords or not isinstance(node.func, ast.Name)):
            raise ExpressionError(f"{text!r} is not a mathematical expression")
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float, str)):
            raise ExpressionError(f"{text!r} is not a mathematical expression")


def _short(text: str) -> str:
    return repr(text) if len(text) <= 60 else repr(text[:57] + "...")


def _check_sizes(tree: ast.Expression, text: str, names: dict) -> None:
    """Refuse numbers too large to compute and exponents beyond MAX_EXPONENT before anything is built.

    SymPy computes powers, factorials and floors of constants exactly as the expression is built
    (2^(2·10⁹) is 250 MB, and no time limit interrupts one multiplication of such numbers): their
    sizes are estimated bottom-up from the syntax tree instead (``sizes``), whatever arithmetic
    made them (x^(10^6·10^6), x^factorial(20), 2^(10^9 + 1)). An exponent counts with the exponents
    it stands under: (x^1000)^10000 is x^(10^7). The walk keeps its own stack (a sum of a thousand
    terms is a tree a thousand deep).
    """
    found: dict[int, sizes.Size] = {}
    for node in _post_order(tree.body):
        operands = [found.pop(id(child)) for child in _operands(node)]
        size = _size_of(node, operands, names)
        if size.peak > MAX_DIGITS:
            raise ExpressionError(f"a number in {_short(text)} has about {sizes.about(size.peak)} digits: "
                                  "too large to compute")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            exponent = operands[1]
            if size.chain > MAX_EXPONENT or exponent.number and (
                    abs(exponent.value) > MAX_EXPONENT or exponent.log > math.log10(MAX_EXPONENT)):
                raise ExpressionError(f"an exponent in {_short(text)} is beyond {MAX_EXPONENT:,}: its values "
                                      "would have billions of digits")
        found[id(node)] = size


def _post_order(root: ast.AST) -> list[ast.AST]:
    """The nodes of a checked tree, each after its operands."""
    order, stack = [], [root]
    while stack:  # operands before the node, in reverse: reversed, the list has each node after them
        node = stack.pop()
        order.append(node)
        stack.extend(_operands(node))
    order.reverse()
    return order


def _operands(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.Call) and node.func.id not in _CONSTRUCTORS:
        return list(node.args)
    return []


# How the functions of the language change sizes (see ``sizes.function``); others keep their arguments'.
_SIZE_NAMES = {"ln": "log", "abs": "Abs", "ceil": "ceiling", "max": "Max", "min": "Min", "heaviside": "Heaviside",
               "arcsin": "asin", "arccos": "acos", "arctan": "atan", "arcsinh": "asinh", "arccosh": "acosh",
               "arctanh": "atanh", "arsinh": "asinh", "arcosh": "acosh", "artanh": "atanh"}
_ROOTS = {"sqrt": 2, "cbrt": 3}


def _size_of(node: ast.AST, operands: list[sizes.Size], names: dict) -> sizes.Size:
    """The size of one node of the checked tree, from its operands' sizes."""
    if isinstance(node, ast.Call) and node.func.id in _CONSTRUCTORS:
        if node.func.id == "Symbol" or len(node.args) != 1 or not isinstance(node.args[0], ast.Constant):
            return sizes.variable()
        literal = node.args[0].value
        if isinstance(literal, int):
            return sizes.rational(literal)
        try:
            value = Fraction(str(literal))
        except (ValueError, ZeroDivisionError):  # the parser says what is wrong with it
            return sizes.Size()
        return sizes.rational(value.numerator, value.denominator)
    if isinstance(node, ast.Name):
        value = names.get(node.id)
        if isinstance(value, sp.Symbol) or not isinstance(value, sp.Basic):
            return sizes.variable()
        return sizes.of_expression(value)
    if isinstance(node, ast.UnaryOp):
        return sizes.negate(operands[0]) if isinstance(node.op, ast.USub) else operands[0]
    if isinstance(node, ast.BinOp):
        left, right = operands
        if isinstance(node.op, ast.Add):
            return sizes.add(left, right)
        if isinstance(node.op, ast.Sub):
            return sizes.add(left, sizes.negate(right))
        if isinstance(node.op, ast.Mult):
            return sizes.mul(left, right)
        if isinstance(node.op, ast.Div):
            return sizes.mul(left, sizes.invert(right))
        return sizes.power(left, right)
    if isinstance(node, ast.Call):
        name = node.func.id
        if name in _ROOTS and len(operands) == 1:
            return sizes.power(operands[0], sizes.rational(1, _ROOTS[name]))
        if name == "root" and len(operands) == 2:
            return sizes.power(operands[0], sizes.invert(operands[1]))
        if name in ("log", "ln", "log10", "log2"):
            return sizes.function("log", *operands)
        return sizes.function(_SIZE_NAMES.get(name, name), *operands)
    return sizes.Size()


def parse_number(text: str) -> sp.Expr:
    """A real number: a decimal (kept exact: 0.1 is 1/10) or a constant expression such as pi/4."""
    text = text.strip()
    if _DECIMAL.match(text):
        if _number_is_too_large(text.lstrip("+-")):
            raise OptionError(f"the number {text[:20]} is out of range (beyond 1e±300 or 300 digits)")
        return sp.Rational(text)
    try:
        value = parse_expression(text)
    except ExpressionError as error:
        raise OptionError(f"{text!r} is not a number: {error}") from None
    if value.free_symbols or not value.is_extended_real or not value.is_finite:
        raise OptionError(f"{text!r} is not a number")
    return value


# --- points, ranges, numbers and names given to options ------------------------------------------
# One reading of every shape a point can come in, shared by --at, --dir, --from, --range, --secant and
# --delta, from the magics (text) and from the API (text, numbers, tuples, lists, NumPy arrays, SymPy):
#   text        "1,2;0,0": points by ';', coordinates by ','; for one variable ',' separates points too
#   a number    one point of one coordinate (1, 0.5, np.float64(2), sp.pi, Fraction(1, 2), "pi/4")
#   a sequence  of points (tuples, lists, arrays, or texts "1,2"), or, when it holds numbers only, one
#               point for a function of several variables and a list of points for one of one variable,
#               just as the text "1,2" is
# Anything else is one clear OptionError: a coordinate that is not a finite real number, a point with the
# wrong number of coordinates, a set (no order), a dict, bytes.


def parse_points(at, dimension: int, option: str = "--at",
                 what: str = "point") -> list[tuple[tuple[sp.Expr, ...], tuple[str, ...]]]:
    """Points from ``"-0.5,0.5,0"`` (one variable), ``"1,2;0,0"`` (several), or Python numbers, tuples,
    lists, NumPy arrays and SymPy numbers (see above).

    Each point comes with its coordinates as written, so ``0.0`` is shown as the user typed it.
    """
    points = []
    for group in point_groups(at, dimension, option):
        if any(isinstance(c, str) and not c.strip() for c in group):
            raise OptionError(f"{option}: a number is missing (nothing between two of ',' and ';', or one at the end)")
        if len(group) != dimension:
            shown = _clip(",".join(_shown(c) for c in group))
            message = f"the {what} ({shown}) has {len(group)} coordinate(s); expected {dimension}"
            if what == "point":
                message += (" (separate points with ';')" if isinstance(at, str)
                            else " (several points go in a list of tuples, as in [(1, 2), (0, 0)])")
            raise OptionError(message)
        coordinates, texts = zip(*(_coordinate(c, option) for c in group))
        points.append((tuple(coordinates), tuple(texts)))
    return points


def parse_point(value, dimension: int, option: str, what: str) -> tuple[sp.Expr, ...]:
    """Exactly one point (--dir's direction, --from's start), in any shape ``parse_points`` reads."""
    found = parse_points(value, dimension, option, what)
    if len(found) != 1:
        raise OptionError(f"{option} takes one {what} of {dimension} coordinate(s), got {len(found)} "
                          f"({_clip(_shown(value))})")
    return found[0][0]


def point_groups(value, dimension: int | None, option: str = "--at") -> list[list]:
    """The raw coordinates of each point in ``value``, not yet checked (``dimension`` None: read as for
    several variables, to tell how many coordinates a point has)."""
    several = dimension is None or dimension > 1
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise OptionError(f"{option} needs at least one point")
        if not several:
            return [[c] for part in text.split(";") for c in part.split(",")]
        return [part.split(",") for part in text.split(";")]
    items = _items(value, option)
    if items is None:  # one number
        return [[value]]
    if not items:
        raise OptionError(f"{option} needs at least one point")
    if not any(_holds_coordinates(item) for item in items):  # numbers only: as the text "1,2" is read
        return [items] if several else [[c] for c in items]
    return [_point_items(item, option) for item in items]


def point_size(*values) -> int | None:
    """How many coordinates the first point given has (for a Python function f(v) of a vector), or None."""
    for value in values:
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        try:
            return len(point_groups(value, None)[0])
        except GradientError:  # parse_points says what is wrong, once the dimension is known
            return None
    return None


def _items(value, option: str) -> list | None:
    """The items of a sequence given as points or numbers; None for a single value."""
    import numpy

    if isinstance(value, numpy.ndarray):
        value = value.tolist()  # a 0-d array becomes its number, nested arrays nested lists
    if isinstance(value, sp.MatrixBase):
        return list(value) if 1 in value.shape else value.tolist()  # a column or row vector: its entries
    if isinstance(value, (bytes, bytearray, Mapping, AbstractSet)):
        kind = "a set has no order" if isinstance(value, AbstractSet) else f"not a {type(value).__name__}"
        raise OptionError(f"{option} takes numbers, tuples or lists of them, or text such as '1,2;0,0' "
                          f"({kind}): got {_clip(_shown(value))}")
    if isinstance(value, sp.Tuple):
        return list(value)
    if isinstance(value, (str, sp.Basic)) or not isinstance(value, Iterable):
        return None
    return list(value)


def _holds_coordinates(item) -> bool:
    """Whether an item of a sequence is a point of its own (a tuple, list, array, or text "1,2")."""
    import numpy

    if isinstance(item, str):
        return "," in item
    if isinstance(item, (numpy.ndarray, sp.MatrixBase, sp.Tuple)):
        return True
    return isinstance(item, Iterable) and not isinstance(item, (sp.Basic, bytes, bytearray))


def _point_items(item, option: str) -> list:
    if isinstance(item, str):
        return item.split(",")
    items = _items(item, option)
    return [item] if items is None else items


def parse_real(value, option: str) -> sp.Expr:
    """One real number, exactly, in any form a coordinate takes (text, int, float, NumPy, SymPy, ...)."""
    return _coordinate(value, option)[0]


def _coordinate(value, option: str) -> tuple[sp.Expr, str]:
    """One coordinate, exactly, and how to show it: a Python float is its binary value (so math.pi/2
    stays itself), text is read as a number (``pi/4``), anything but a finite real number is refused,
    and so is a number beyond 1e±300, which no float holds (10^400, 2^(-2000))."""
    number, text = _exact(value, option)
    try:
        size = abs(float(number))
    except (OverflowError, TypeError, ValueError):
        size = math.inf
    if number != 0 and not 1e-300 <= size <= 1e300:
        raise OptionError(f"{option}: the number {_clip(text, 20)} is out of range (beyond 1e±300)")
    return number, text


def _exact(value, option: str) -> tuple[sp.Expr, str]:
    import numpy

    if isinstance(value, numpy.generic):
        value = value.item()  # np.float64(0.5), np.int64(2), np.bool_(True): their Python values
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise OptionError(f"{option}: a number is missing (nothing between two of ',' and ';', or one at the end)")
        try:
            return parse_number(text), text
        except OptionError as error:
            raise OptionError(f"{option}: {error}") from None
    if isinstance(value, bool) or value is None:
        raise OptionError(f"{option}: {value!r} is not a number")
    if isinstance(value, numbers.Integral):
        value = int(value)
        if value.bit_length() > 1100:  # beyond 1e300 by far; too long to write out (4,300 digits at most)
            raise OptionError(f"{option}: an integer of {value.bit_length() * 0.30103:.0f} digits is out of range "
                              "(beyond 1e±300)")
        return sp.Integer(value), str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise OptionError(f"{option}: {value!r} is not a finite number")
        return sp.Rational(value), repr(value)
    if isinstance(value, Fraction):
        if max(abs(value.numerator), value.denominator).bit_length() > 1100:
            raise OptionError(f"{option}: a fraction with more than 300 digits is out of range (beyond 1e±300)")
        return sp.Rational(value.numerator, value.denominator), str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise OptionError(f"{option}: {value} is not a finite number")
        return _exact(str(value), option)
    if isinstance(value, sp.Basic) and not isinstance(value, sp.Tuple):
        text = _clip(_shown(value))
        if not isinstance(value, sp.Expr) or value.free_symbols:
            raise OptionError(f"{option}: {text} is not a number")
        if value.has(sp.nan, sp.zoo) or value.is_finite is False:
            raise OptionError(f"{option}: {text} is not a finite number")
        if value.is_extended_real is not True:
            raise OptionError(f"{option}: {text} is not a real number")
        return value, str(value) if len(text) < 40 else text
    if isinstance(value, numbers.Complex) and not isinstance(value, numbers.Real):
        raise OptionError(f"{option}: {value!r} is not a real number")
    if isinstance(value, numbers.Real):
        return _exact(float(value), option)
    raise OptionError(f"{option}: {_clip(_shown(value))} is not a number")


def _shown(value) -> str:
    """A value as an error message shows it: on one line (a NumPy array's repr has several)."""
    if isinstance(value, str):
        text = value
    else:
        try:
            text = (repr(value.item()) if hasattr(value, "item") and getattr(value, "ndim", 1) == 0
                    else str(value) if isinstance(value, sp.Basic) else repr(value))
        except Exception:  # an object whose repr fails says what it is
            text = f"a {type(value).__name__}"
    return " ".join(text.split())


def _clip(text: str, size: int = 40) -> str:
    return text if len(text) <= size else text[: size - 3] + "..."


def shown_value(value, size: int = 60) -> str:
    """A value the user passed, for an error message: repr-like, on one line, at most ``size`` characters."""
    return _clip(_shown(repr(value) if isinstance(value, str) else value), size)


def parse_numbers(value, option: str) -> list[float]:
    """Numbers such as --secant's widths and --delta's steps: ``"0.5,0.1"``, a number, or a list of them."""
    if isinstance(value, str):
        parts = [part for part in value.replace(";", ",").split(",") if part.strip()]
        if not parts:
            raise OptionError(f"{option} needs at least one number, as in {option} 0.1")
    else:
        items = _items(value, option)
        parts = [value] if items is None else items
        if not parts:
            raise OptionError(f"{option} needs at least one number, as in {option} 0.1")
    return [float(_coordinate(part, option)[0]) for part in parts]


def parse_range(value, option: str = "--range") -> tuple[float, float]:
    """A plotting range from ``"A,B"`` or a pair of numbers, with A < B."""
    parts = value.split(",") if isinstance(value, str) else _items(value, option)
    if parts is None or len(parts) != 2:
        raise OptionError(f"{option} needs two numbers A,B, got {shown_value(value, 40)}")
    a, b = (float(_coordinate(part, option)[0]) for part in parts)
    problem = plot_range_problem(a, b)  # the same rule as the x_range setting
    if problem:
        raise OptionError(f"{option} {problem}, got {a:g},{b:g}")
    return a, b


def parse_ranges(value, option: str = "--range") -> list[tuple[float, float]]:
    """One range per axis: ``"A,B;C,D"``, ``(A, B)`` (one range), or ``[(A, B), (C, D)]``."""
    if isinstance(value, str):
        return [parse_range(part, option) for part in value.split(";")]
    items = _items(value, option)
    if items and all(_holds_coordinates(item) for item in items):
        return [parse_range(item, option) for item in items]
    return [parse_range(value, option)]


def parse_variable_names(value, option: str = "--wrt") -> list[str]:
    """Variable names from ``"x,y"``, a SymPy symbol, or a list of names or symbols."""
    example = f"as in {option} x or {option} x,y"
    if isinstance(value, str):
        names = [n.strip() for n in value.split(",")]
    elif isinstance(value, sp.Symbol):
        names = [value.name]
    else:
        items = None if isinstance(value, sp.Basic) else _items_or_none(value)
        if items is None or not all(isinstance(n, (str, sp.Symbol)) for n in items):
            raise VariableError(f"{option} needs variable names, {example}; got {_clip(_shown(value))}")
        names = [n.name if isinstance(n, sp.Symbol) else n.strip() for n in items]
    if not names or not all(names):
        raise VariableError(f"{option} needs variable names, {example}")
    return names


def _items_or_none(value) -> list | None:
    try:
        return _items(value, "")
    except OptionError:
        return None
