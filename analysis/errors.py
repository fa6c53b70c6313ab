"""Errors that reach the user as one clear line, never as a traceback."""

from __future__ import annotations


class UserFacingError(Exception):
    """Base class: the message is shown to the user as it is, and the run exits non-zero."""


class ParameterError(UserFacingError):
    """A run parameter is missing or invalid; the message names the parameter."""


class InputError(UserFacingError):
    """Input data cannot be used at all (a required file or column is missing or unreadable).

    Row-level problems do not raise: the row is quarantined in the data-quality log instead.

    Parameters
    ----------
    file
        Path of the offending file, as given.
    message
        What is wrong, in plain words.
    row
        1-based line number in the file (the header is line 1), when one row is at fault.
    field
        Column or XML element at fault, when one is.
    """

    def __init__(
        self, file: str, message: str, row: int | None = None, field: str | None = None
    ) -> None:
        self.file, self.row, self.field, self.reason = str(file), row, field, message
        where = self.file
        if row is not None:
            where += f", row {row}"
        if field is not None:
            where += f", field {field}"
        super().__init__(f"{where}: {message}")
