"""User-facing errors.

Every error a user can cause is a :class:`UserError` whose message is Simplified Chinese and
names the file, row or field, the value and what to do.  The CLI prints it without a traceback
and exits with status 2.  Leaf module: imports nothing of ours.
"""

from __future__ import annotations


class UserError(Exception):
    """An error caused by user input; ``str(err)`` is the Chinese message shown to the user."""

    exit_code = 2

    def __init__(self, message: str, *, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])

    def __str__(self) -> str:  # message plus one line per problem
        if not self.problems:
            return self.message
        return self.message + "\n" + "\n".join(f"  - {p}" for p in self.problems)


class InputError(UserError):
    """A value in the user's input (JSON, YAML, xlsx, a command-line argument) is wrong."""

    def __init__(self, where: str, value: object, problem: str, fix: str = ""):
        shown = repr(value) if not isinstance(value, str) else f"“{value}”"
        text = f"{where}：值 {shown} {problem}"
        if fix:
            text += f"。{fix}"
        super().__init__(text)
        self.where = where
        self.value = value


class ParameterMissing(UserError):
    """A policy parameter is not on file for the requested date or region (never guessed)."""


class ValidationFailed(UserError):
    """Several problems found at once (e.g. an import); nothing was written."""
