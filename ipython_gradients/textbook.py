"""Textbook and Unicode notation, read into the expression language's own text.

Owns what people write that Python would not: superscript powers (``x²``, ``e⁻ˣ``), ``√ ∛ ∜``,
``· × ÷ − ⁄``, ``ℯ``, ``|x|`` bars, and functions applied without parentheses (``sin x``,
``sin 2x``, ``sin² x``, ``sin^-1 x``, ``log_2 x``), with a column map back to what was typed and
a "read as ..." note whenever the reading is not the literal one; derivative notation in front of
a ``%deriv`` line (``d/dx``, ``d²/dx²``, ``∂/∂y``, ``f'(x)``).

It writes plain text of the language (``sqrt(x)``, ``abs(x)``, ``sin(x)^2``, ``asin(x)``,
``log(x, 2)``), which ``expressions`` then checks token by token and against its syntax-tree
whitelist as any other input: no new Python construct can come out of here. Avoids SymPy and
the rest of the package (it imports only ``errors``): the function names come in as an argument.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import ExpressionError

# Unicode operators and what the language writes for them (one character each).
_OPERATORS = {"·": "*", "⋅": "*", "×": "*", "∗": "*", "∙": "*", "÷": "/", "⁄": "/", "∕": "/", "−": "-"}
_SUPERSCRIPT_DIGITS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789"))
_SUPERSCRIPT_SIGNS = {"⁻": "-", "⁺": "+", "⁽": "(", "⁾": ")"}
_SUPERSCRIPT_LETTERS = {"ˣ": "x", "ʸ": "y", "ᶻ": "z", "ⁿ": "n", "ᵗ": "t", "ⁱ": "i", "ᵃ": "a", "ᵇ": "b",
                        "ᵏ": "k", "ᵐ": "m", "ʳ": "r", "ˢ": "s", "ᵘ": "u", "ᵛ": "v", "ʷ": "w"}
SUPERSCRIPTS = {**_SUPERSCRIPT_DIGITS, **_SUPERSCRIPT_SIGNS, **_SUPERSCRIPT_LETTERS}
_ROOTS = {"√": 2, "∛": 3, "∜": 4}
# Functions of one argument may be applied without parentheses; these take two or more.
_SEVERAL_ARGUMENTS = {"atan2", "arctan2", "root", "max", "min", "Max", "Min"}
_NUMBER = re.compile(r"\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?\d+)?|\.\d[\d_]*(?:[eE][+-]?\d+)?")
_LOG_BASE = re.compile(r"^log_([A-Za-z]\w*|\d+)$")


@dataclass
class _Token:
    kind: str  # num, name, op, (, ), ",", bar, root, other
    text: str  # what the language writes for it
    column: int  # where it starts in what was typed (0-based)
    space: bool = False  # whitespace before it
    raised: bool = False  # written as a superscript


@dataclass(frozen=True)
class Reading:
    """``text`` in the expression language, with ``columns[i]`` the typed column of its i-th character,
    and ``note`` ("read as sin(x)^2") when the reading is not the literal one."""

    text: str
    columns: tuple[int, ...]
    note: str | None = None

    def column(self, index: int) -> int:
        """The typed column (0-based) of the character at ``index`` of ``text``."""
        if not self.columns:
            return 0
        return self.columns[min(max(index, 0), len(self.columns) - 1)]


def _name_char(char: str) -> bool:
    """Letters, digits (subscripts too: x₁ is x1) and _, but not superscripts (x² is x^2), nor π, which
    stands alone (πx is π·x), nor vulgar fractions such as ½."""
    return (char.isalpha() or char.isdigit() or char == "_") and char not in SUPERSCRIPTS and char != "π"


def _lex(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, space = 0, False
    while i < len(text):
        char = text[i]
        if char.isspace():
            space, i = True, i + 1
            continue
        start = i
        if char in "#'\"":  # a comment or a string: the rest is left as it is for the checker to judge
            tokens.append(_Token("other", text[i:], i, space))
            break
        number = _NUMBER.match(text, i) if char.isdigit() or char == "." else None
        if number and number.group() != ".":
            tokens.append(_Token("num", number.group(), i, space))
            i = number.end()
        elif char == "π":
            tokens.append(_Token("name", "π", i, space))
            i += 1
        elif _name_char(char):
            while i < len(text) and _name_char(text[i]):
                i += 1
            tokens.append(_Token("name", unicodedata.normalize("NFKC", text[start:i]), start, space))
        elif char in SUPERSCRIPTS:
            while i < len(text) and text[i] in SUPERSCRIPTS:
                i += 1
            tokens.extend(_superscript(text[start:i], start, space))
        elif char in _OPERATORS:
            tokens.append(_Token("op", _OPERATORS[char], i, space))
            i += 1
        elif text.startswith("**", i):
            tokens.append(_Token("op", "**", i, space))
            i += 2
        elif char in "+-*/^":
            tokens.append(_Token("op", char, i, space))
            i += 1
        elif char in "(),|│":  # │: the bar SymPy's pretty printer draws
            tokens.append(_Token("bar" if char in "|│" else char, char, i, space))
            i += 1
        elif char in _ROOTS:
            tokens.append(_Token("root", char, i, space))
            i += 1
        elif char == "∂":
            raise ExpressionError(f"'∂' is derivative notation: it starts a %deriv line, as in ∂/∂y (x^2 y) "
                                  f"(column {i + 1} of {text!r})")
        elif char == "∞":
            raise ExpressionError(f"'∞' is not a number an expression can hold (column {i + 1} of {text!r})")
        else:
            tokens.append(_Token("other", char, i, space))
            i += 1
        space = False
    return tokens


def _superscript(run: str, column: int, space: bool) -> list[_Token]:
    """x²: '^' then 2; x⁻¹ and e⁻ˣ: '^' then a parenthesised exponent, one token per character."""
    plain = "".join(SUPERSCRIPTS[c] for c in run)
    tokens = [_Token("op", "^", column, space, raised=True)]
    wrap = not plain.isdigit() and not (plain.startswith("(") and plain.endswith(")"))
    if wrap:
        tokens.append(_Token("(", "(", column))
    k = 0
    while k < len(plain):
        char = plain[k]
        if char.isdigit():
            end = k
            while end < len(plain) and plain[end].isdigit():
                end += 1
            tokens.append(_Token("num", plain[k:end], column + k))
            k = end
            continue
        kind = "name" if char.isalpha() else char if char in "()" else "op"
        tokens.append(_Token(kind, char, column + k, k > 0 and kind == "name" and plain[k - 1].isalpha()))
        k += 1
    if wrap:
        tokens.append(_Token(")", ")", column + len(run) - 1))
    for token in tokens:
        token.raised = True
    return tokens


class _Reader:
    """Function application, roots and bars over the tokens, written back as the language's text."""

    def __init__(self, text: str, tokens: list[_Token], functions: set[str]):
        self.source, self.tokens, self.functions = text, tokens, functions
        self.literal = True
        self.inverses = {name: f"a{name}" for name in functions if f"a{name}" in functions}

    def fail(self, token: _Token | None, message: str):
        column = token.column + 1 if token is not None else len(self.source)
        raise ExpressionError(f"{message} (column {column} of {self.source!r})")

    # --- bars -----------------------------------------------------------------------------------
    def bars(self) -> None:
        """|x| → abs(x), nested bars too; a bar that could open or close is refused."""
        if not any(t.kind == "bar" for t in self.tokens):
            return
        result: list[_Token] = []
        depth = 0
        for index, token in enumerate(self.tokens):
            if token.kind != "bar":
                result.append(token)
                continue
            previous = result[-1] if result else None
            after_operand = previous is not None and (
                previous.kind in ("num", ")") or (previous.kind == "name" and not self._applies(previous.text)))
            if after_operand and depth:
                remaining = sum(t.kind == "bar" for t in self.tokens[index + 1:])
                following = self.tokens[index + 1] if index + 1 < len(self.tokens) else None
                if remaining >= depth + 1 and following is not None and following.kind in ("num", "name", "(", "root"):
                    self.fail(token, "ambiguous '|': it could close one absolute value or open another; "
                                     "write abs(...), or * between the factors")
                result.append(_Token(")", ")", token.column, token.space))
                depth -= 1
            else:  # x|x|, 2|x|: a product with an absolute value
                result.append(_Token("name", "abs", token.column, token.space))
                result.append(_Token("(", "(", token.column))
                depth += 1
        if depth:
            opening = [t for t in self.tokens if t.kind == "bar"][-1]
            self.fail(opening, "unmatched '|': an absolute value needs a closing bar, as in |x - 1|")
        self.tokens = result

    def _applies(self, name: str) -> bool:
        return name in self.functions or bool(_LOG_BASE.match(name))

    def glued_exponents(self) -> None:
        """e^2x is e^2·x, as SymPy reads it, but a textbook may mean e^(2x): the product is written out
        (and so shown in the note); write e^(2x) for the other. Superscripts (x²y) are unambiguous."""
        result: list[_Token] = []
        tokens = self.tokens
        for index, token in enumerate(tokens):
            result.append(token)
            if token.kind != "num" or token.raised or index == 0:
                continue
            at = index - 1
            if tokens[at].kind == "op" and tokens[at].text in "+-" and at >= 1:
                at -= 1
            before = tokens[at]
            if at >= 1 and tokens[at - 1].kind == "name" and self._applies(tokens[at - 1].text):
                continue  # sin^2x: a power on a function's name (see _application)
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if before.kind == "op" and before.text in ("^", "**") and not before.raised and following is not None \
                    and following.kind in ("name", "(", "root") and not following.space and not following.raised:
                result.append(_Token("op", "*", following.column))
                self.literal = False
        self.tokens = result

    # --- function application and roots --------------------------------------------------------
    def read(self) -> list[_Token]:
        out: list[_Token] = []
        i = 0
        while i < len(self.tokens):
            i = self._item(i, out)
        return out

    def _item(self, i: int, out: list[_Token]) -> int:
        token = self.tokens[i]
        if token.kind == "root":
            return self._root(i, out)
        if token.kind == "(":
            return self._group(i, out)
        if token.kind == "name" and self._applies(token.text) and token.text not in _SEVERAL_ARGUMENTS:
            return self._application(i, out)
        out.append(token)
        return i + 1

    def _at(self, i: int) -> _Token | None:
        return self.tokens[i] if i < len(self.tokens) else None

    def _starts_factor(self, i: int) -> bool:
        token = self._at(i)
        following = self._at(i + 1)
        return token is not None and (token.kind in ("num", "(", "root") or (
            token.kind == "name" and (token.text not in _SEVERAL_ARGUMENTS
                                      or (following is not None and following.kind == "("))))

    def _group(self, i: int, out: list[_Token]) -> int:
        """A parenthesised group from i (a '('), read recursively; returns the index after its ')'."""
        out.append(self.tokens[i])
        i += 1
        while i < len(self.tokens) and self.tokens[i].kind != ")":
            i = self._item(i, out)  # a nested group is read whole by _item
        if i >= len(self.tokens):
            return i  # unbalanced: the checker says where
        out.append(self.tokens[i])
        return i + 1

    def _atom(self, i: int, out: list[_Token]) -> int:
        token = self._at(i)
        if token is None:
            return i
        if token.kind == "(":
            return self._group(i, out)
        if token.kind == "root":
            return self._root(i, out)
        if token.kind == "name" and self._applies(token.text):
            return self._application(i, out)
        if token.kind == "name" and self._at(i + 1) is not None and self._at(i + 1).kind == "(" \
                and not self._at(i + 1).space:
            out.append(token)  # f(x): the user's function applied
            return self._group(i + 1, out)
        out.append(token)
        return i + 1

    def _power_factor(self, i: int, out: list[_Token]) -> tuple[int, bool]:
        """An atom and its exponents (x^2, x^-1, e^(2x), 2^x^2); returns the end and whether it has a power."""
        i = self._atom(i, out)
        powered = False
        while (token := self._at(i)) is not None and token.kind == "op" and token.text in ("^", "**"):
            powered = True
            out.append(token)
            i += 1
            while (sign := self._at(i)) is not None and sign.kind == "op" and sign.text in "+-":
                out.append(sign)
                i += 1
            i = self._atom(i, out)
        return i, powered

    def _root(self, i: int, out: list[_Token]) -> int:
        """√x, √(x+1), ∛x, ∜x: the root of the next factor with its powers (√x² is √(x²))."""
        token = self.tokens[i]
        n = _ROOTS[token.text]
        if not self._starts_factor(i + 1) and not (self._at(i + 1) is not None and self._at(i + 1).text in "+-"
                                                    and self._at(i + 1).kind == "op"):
            self.fail(token, f"{token.text} needs something to take the root of, as in {token.text}x or {token.text}(x + 1)")
        name = {2: "sqrt", 3: "cbrt", 4: "root"}[n]
        out.append(_Token("name", name, token.column, token.space))
        out.append(_Token("(", "(", token.column))
        i += 1
        while (sign := self._at(i)) is not None and sign.kind == "op" and sign.text in "+-":
            out.append(sign)
            i += 1
        i, _ = self._power_factor(i, out)
        if n == 4:
            out.extend([_Token(",", ",", token.column), _Token("num", "4", token.column, True)])
        out.append(_Token(")", ")", token.column))
        if self._starts_factor(i) and not self.tokens[i].space and self.tokens[i].kind != "(":
            self.literal = False  # √2x: the root of 2, times x
        return i

    def _application(self, i: int, out: list[_Token]) -> int:
        """sin x, sin 2x, sin² x, sin^-1 x, log_2 x, ln(x): a function and how far its argument reaches."""
        token = self.tokens[i]
        name, base = token.text, None
        log_base = _LOG_BASE.match(name)
        if log_base:
            name, base = "log", log_base.group(1)
            self.literal = False
        j = i + 1
        exponent: list[_Token] = []
        inverse = False
        following = self._at(j)
        if following is not None and following.kind == "op" and following.text in ("^", "**"):
            exponent, j = self._function_exponent(token, j)
            if [t.text for t in exponent] == ["-", "1"]:
                inverse, exponent = True, []
                if name not in self.inverses:
                    self.fail(token, f"{name}^-1 has no inverse function in the language: write 1/{name}(x) "
                                     "for the reciprocal")
                name = self.inverses[name]
            self.literal = False
        following = self._at(j)
        call = following is not None and following.kind == "("
        if not call and not self._starts_factor(j) and not (
                following is not None and following.kind == "op" and following.text in "+-"
                and self._starts_factor(j + 1) and not self.tokens[j + 1].space):
            if exponent or inverse or base is not None:
                self.fail(token, f"{token.text} needs an argument, as in {token.text}(x) or {token.text} x")
            out.append(token)  # the checker says that it needs parentheses
            return i + 1
        out.append(_Token("name", name, token.column, token.space))  # sin(x)^2: the call binds first
        if call:
            argument: list[_Token] = []
            j = self._group(j, argument)
            if base is not None and not (len(argument) > 1 and argument[-1].kind == ")"):
                self.fail(following, "unbalanced '('")
            out.extend(argument[:-1] if base is not None else argument)
        else:
            out.append(_Token("(", "(", self.tokens[j].column))
            count = 0
            while (sign := self._at(j)) is not None and sign.kind == "op" and sign.text in "+-" and count == 0 \
                    and self._at(j + 1) is not None and not self._at(j + 1).space:
                out.append(sign)
                j += 1
                self.literal = False
            while self._starts_factor(j) and not (count and self.tokens[j].kind == "name"
                                                   and self._applies(self.tokens[j].text)):
                j, powered = self._power_factor(j, out)
                count += 1
                if powered:
                    self.literal = False
            if count > 1:
                self.literal = False
            if base is None:
                out.append(_Token(")", ")", out[-1].column))
        if base is not None:
            out.extend([_Token(",", ",", token.column), _Token("num" if base[0].isdigit() else "name", base,
                                                               token.column, True), _Token(")", ")", token.column)])
        if exponent:
            out.append(_Token("op", "^", token.column))
            out.extend(exponent)
        return j

    def _function_exponent(self, token: _Token, j: int) -> tuple[list[_Token], int]:
        """The power on a function's name: a positive integer (sin² x is (sin x)²) or -1 (the inverse)."""
        j += 1  # the ^
        parts: list[_Token] = []
        bracketed = self._at(j) is not None and self._at(j).kind == "("
        if bracketed:
            j += 1
        while (t := self._at(j)) is not None and (t.kind == "num" or (t.kind == "op" and t.text in "+-")) \
                and not (parts and t.kind == "op"):
            parts.append(t)
            j += 1
            if t.kind == "num":
                break
        if bracketed:
            if self._at(j) is None or self._at(j).kind != ")":
                parts = []
            j += 1
        texts = [t.text for t in parts]
        if texts == ["-", "1"] or (len(texts) == 1 and texts[0].isdigit() and int(texts[0]) >= 1) \
                or (texts[:1] == ["+"] and len(texts) == 2 and texts[1].isdigit() and int(texts[1]) >= 1):
            return [t for t in parts if t.text != "+"], j
        self.fail(token, f"a power on the function {token.text} must be a positive integer (sin^2 x is (sin x)^2) "
                         f"or -1 (sin^-1 x is asin x): write ({token.text}(x))^n for other powers")
        raise AssertionError  # not reached


def read(text: str, functions: set[str]) -> Reading:
    """``text`` as the expression language writes it (see the module's docstring)."""
    tokens = _lex(text)
    reader = _Reader(text, tokens, functions)
    reader.bars()
    reader.glued_exponents()
    out = reader.read()
    pieces, columns = [], []
    for index, token in enumerate(out):
        previous = out[index - 1].text if index else ""
        called = token.kind == "(" and index and out[index - 1].kind == "name" and out[index - 1].text in functions
        spaced = token.space and index and not previous.endswith("(") and not called
        # two names, or a name and a number, that were apart in what was typed (πx, x|x|, π2) stay apart
        glued = index and out[index - 1].kind == "name" and token.kind in ("name", "num")
        spaced = spaced or glued
        piece = (" " if spaced else "") + token.text
        pieces.append(piece)
        columns.extend([token.column] * len(piece))
    canonical = "".join(pieces)
    literal = reader.literal
    return Reading(canonical, tuple(columns), None if literal else f"read as {canonical}")


# --- derivative notation at the start of a %deriv line ---------------------------------------


@dataclass(frozen=True)
class DerivativeNotation:
    """``d²/dx² sin x`` → body "sin x", wrt ("x",), order 2; ``∂²/∂x∂y f`` → wrt ("y", "x"), order 1."""

    body: str
    wrt: tuple[str, ...]
    order: int
    written: str  # the notation as typed, for messages


_POWER = r"(?:\^\s*\(?\s*(\d+)\s*\)?|([⁰¹²³⁴⁵⁶⁷⁸⁹]+))?"
_LEADING = re.compile(r"^\s*(d|∂)" + _POWER + r"\s*/\s*")
_DIFFERENTIAL = re.compile(r"(d|∂)\s*([^\W\d_](?:[^\W_]|_(?=\w))*?)" + _POWER + r"(?=[\s(|√∛∜∂]|d(?![\W\d])|$)")
_PRIMES = re.compile(r"^\s*([^\W\d]\w*)\s*('+|′+|″|‴)\s*(\(([^()]*)\))?\s*$")


def _power(groups: tuple) -> int:
    digits, superscript = groups
    if digits:
        return int(digits)
    if superscript:
        return int("".join(_SUPERSCRIPT_DIGITS[c] for c in superscript))
    return 1


def derivative_notation(text: str) -> DerivativeNotation | None:
    """``d/dx x^2``, ``d/dx (x^2)``, ``d²/dx² sin x``, ``∂/∂y (x^2 y)``, ``∂²/∂x∂y (x^2 y^2)``, ``f'(x)``,
    ``f''``; None when the text starts with none of these."""
    primes = _PRIMES.match(text)
    if primes:
        name, marks, call, _ = primes.groups()
        order = {"″": 2, "‴": 3}.get(marks, len(marks))
        return DerivativeNotation(name + (call or ""), (), order, f"{name}{marks}")
    leading = _LEADING.match(text)
    if not leading:
        return None
    order = _power(leading.groups()[1:])
    position = leading.end()
    wrt: list[str] = []
    while True:
        differential = _DIFFERENTIAL.match(text, position)
        if not differential or differential.group(1) != leading.group(1):
            break
        wrt = [differential.group(2)] * _power(differential.groups()[2:]) + wrt
        position = differential.end()
        while position < len(text) and text[position].isspace():
            position += 1
    written = text[:position].strip()
    if not wrt:
        mark = leading.group(1)
        raise ExpressionError(f"{written!r} needs the variable: write {mark}/{mark}x (then the function), "
                              f"as in {mark}/{mark}x x^2")
    if len(wrt) != order:
        raise ExpressionError(f"{written!r}: the order on top ({order}) and below ({len(wrt)}) differ; "
                              "write d²/dx² for the second derivative")
    body = text[position:].strip()
    if not body:
        raise ExpressionError(f"nothing to differentiate after {written!r}: write the function after it, "
                              f"as in {written} x^2")
    if len(set(wrt)) == 1:
        return DerivativeNotation(body, (wrt[0],), order, written)
    return DerivativeNotation(body, tuple(wrt), 1, written)
