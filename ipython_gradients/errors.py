"""The project's exceptions. The magic layer turns each into one clean ``UsageError`` line."""


class GradientError(Exception):
    """Base class: a problem with the user's input or with computing the answer."""


class ExpressionError(GradientError):
    """The expression text cannot be read as mathematics."""


class VariableError(GradientError):
    """Variables are missing, ambiguous, or not in the expression."""


class OptionError(GradientError):
    """An option's value is not valid (points, ranges, orders)."""


class EvaluationError(GradientError):
    """A value cannot be computed (a function that raises, returns a non-number, ...)."""


class SetupError(GradientError):
    """A kernelspec cannot be installed, found or removed, or a file cannot be written."""


class ComputationTimeout(BaseException):
    """A computation took longer than its time limit (``timeouts.time_limit``), inside the package.

    A BaseException, like KeyboardInterrupt, so that no ``except Exception`` on the way (in SymPy,
    or in a user's function being traced) can swallow it. The API turns it into ``TimeLimitExceeded``
    before it reaches the caller. Raised in another thread as a class, so the message is its default.
    """

    message = "the computation took too long"

    def __init__(self, *args):
        super().__init__(*(args or (self.message,)))


class TimeLimitExceeded(GradientError, TimeoutError):
    """The time limit ran out: ``ComputationTimeout`` as the API's callers see it, with its message.

    An ``Exception`` (a ``GradientError`` and a ``TimeoutError``), so ``except Exception`` in code
    calling ``deriv``, ``grad`` or ``tangent`` catches it like any other failure.
    """


class NoPlot(Exception):
    """A figure builder's signal that this result has no figure, and why (not an error).

    Raised with the reason ("vector functions are not plotted ..."); the API turns it into the
    result's note "No plot: <reason>." in one place, so builders never write into the result.
    """
