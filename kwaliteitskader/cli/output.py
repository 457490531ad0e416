"""Writing a command's result to a file the user names (``--output``, ``new FILE``): the destination checked
before anything is read, the file written atomically, and a refusal or failure said in one line on stderr."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from kwaliteitskader.core.i18n import t
from kwaliteitskader.core.safetext import terminal_safe


def output_refused(target: Path, *, inputs: Sequence[Path] = (), force: bool) -> bool:
    """Whether ``target`` may not be written (an assessment, an input, a device…; see
    :func:`~kwaliteitskader.core.io.safefiles.check_output`); if so, the reason is said, with the ``--force``
    hint where forcing would help. Asked before anything is read, so a refused destination changes nothing."""
    from kwaliteitskader.core.io.safefiles import OutputRefused, check_output

    try:
        check_output(target, inputs=list(inputs), force=force)
    except OutputRefused as exc:
        hint = " " + t("security.output.use_force") if exc.may_confirm else ""
        print(terminal_safe(str(exc) + hint, one_line=True), file=sys.stderr)
        return True
    return False


def output_written(target: Path, payload: bytes, *, failed: str | None = None) -> bool:
    """Write ``payload`` to ``target`` atomically; whether that worked. A failure is said on stderr, in the
    message ``failed`` (a catalogue key with ``{reason}``) or as the error's own text."""
    from kwaliteitskader.core.io.atomic import SaveError, atomic_write

    try:
        atomic_write(target, payload)
    except SaveError as exc:
        print(terminal_safe(t(failed, reason=exc) if failed else str(exc), one_line=True), file=sys.stderr)
        return False
    return True
