"""argparse in the user's language, with "did you mean …?" for a mistyped command or choice.

argparse writes its own words ("usage:", "options", "show this help message and exit", "invalid choice …")
through :func:`gettext.gettext`, looked up when a parser is built and when it reports an error. Those
messages are ours to translate: :func:`argparse_in_language` swaps argparse's ``_`` for a lookup in the
catalogue (keys ``cli.argparse.*``) while the command line is built and parsed, and puts the original back
afterwards, so nothing else in the process (a test runner, say) is affected.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
from collections.abc import Iterator
from typing import Any

from kwaliteitskader.core.i18n import t

# argparse's English message → our catalogue key (``cli.argparse.<key>``); messages not listed stay English
MESSAGES: dict[str, str] = {
    "usage: ": "usage",
    "positional arguments": "positional",
    "options": "options",
    "show this help message and exit": "help",
    "argument %(argument_name)s: %(message)s": "argument",
    "unrecognized arguments: %s": "unrecognized",
    "the following arguments are required: %s": "required",
    "expected one argument": "expected_one",
    "expected at most one argument": "expected_at_most_one",
    "expected at least one argument": "expected_at_least_one",
    "ambiguous option: %(option)s could match %(matches)s": "ambiguous",
    "invalid %(type)s value: %(value)r": "invalid_type",
    "%(prog)s: error: %(message)s\n": "error",
    "one of the arguments %s is required": "one_required",
    "not allowed with argument %s": "not_allowed",
    "ignored explicit argument %r": "ignored",
}


def _translate(message: str) -> str:
    key = MESSAGES.get(message)
    if key is None:
        return message
    # the catalogue uses argparse's own %-placeholders, so the text is filled in by argparse as before
    return t(f"cli.argparse.{key}")


@contextlib.contextmanager
def argparse_in_language() -> Iterator[None]:
    """Within this block argparse speaks the current language (see the module docstring)."""
    original = argparse._  # type: ignore[attr-defined]
    argparse._ = _translate  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = original  # type: ignore[attr-defined]


def suggestion(value: str, choices: list[str]) -> str:
    """``" Bedoelde u 'classify'?"`` for a near miss among ``choices``, else an empty string."""
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return t("cli.argparse.did_you_mean", choice=close[0]) if close else ""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose "invalid choice" names the valid choices in the user's language and
    suggests the nearest one (``clasify`` → ``classify``). Subcommand parsers are of this class too."""

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is not None and value not in action.choices:
            choices = [str(choice) for choice in action.choices]
            message = t("cli.argparse.invalid_choice", value=value, choices=", ".join(choices))
            raise argparse.ArgumentError(action, message + suggestion(str(value), choices))
