"""The interactive application: ``kwaliteitskader`` (no arguments) or ``kwaliteitskader open FILE``.

The app owns the assessment being edited and everything around not losing it: saving through the
core (atomic, refusing to overwrite a file changed on disk without asking), a recovery copy written
a few seconds after each change and every 30 seconds, offered at the next start, and a question before
quitting or opening another file with unsaved changes. The domain (rules, storage) stays in the core.

The first screen needs neither pydantic nor the core's models: the app starts on the checked criteria
from the cache (:func:`load_app_criteria`) and imports the models and storage when an assessment is first
opened, created or saved, so the start screen comes up sooner.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from rich.text import Text
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer

from kwaliteitskader.core.findings import FindingsError, print_findings
from kwaliteitskader.core.i18n import language, set_language, t
from kwaliteitskader.core.model.criteria_set import Criteria
from kwaliteitskader.core.model.values import get_path
from kwaliteitskader.tui.keys import localize_bindings
from kwaliteitskader.tui.palette import PaletteMixin, translated_builtins
from kwaliteitskader.tui.session import (
    clear_recovery,
    data_dir,
    read_recovery,
    recent_files,
    remember_file,
    set_recovery_aside,
    stamp_meta,
    write_recovery,
)

if TYPE_CHECKING:
    from kwaliteitskader.core.io.assessments import Fingerprint
    from kwaliteitskader.core.model.assessment import Assessment

AUTOSAVE_SECONDS = 30.0
AUTOSAVE_DEBOUNCE = 2.0
THEME = "textual-dark"


def sample_folder() -> Path | None:
    """The repository's ``sample_assessments/`` folder, when the program runs from a checkout."""
    folder = Path(__file__).resolve().parent.parent.parent / "sample_assessments"
    return folder if folder.is_dir() else None


class KwaliteitskaderApp(PaletteMixin, App[int]):
    """``KwaliteitskaderApp(criteria, lang, path=None)``; ``today``/``now`` and ``data_folder`` are injectable."""

    TITLE = "kwaliteitskader"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "tui.key.quit", priority=True),
        Binding("alt+q", "quit", "tui.key.quit", show=False, priority=True),  # ctrl+q in a browser quits it
        Binding("f1", "help", "tui.key.help"),
        *PaletteMixin.PALETTE_BINDINGS,
    ]
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        criteria: Criteria,
        lang: str,
        path: Path | None = None,
        *,
        data_folder: Path | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        now: Callable[[], dt.datetime] = dt.datetime.now,
        autosave_seconds: float | None = AUTOSAVE_SECONDS,
        samples: Path | None = None,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__()
        from kwaliteitskader.tui.safety import install

        install(self)  # no control character from a file reaches the terminal (tui/safety.py)
        localize_bindings(self)
        self.criteria = criteria
        self.lang = lang
        self.start_path = path
        self.data_folder = data_folder or data_dir()
        self.today = today
        self.now = now
        self.autosave_seconds = autosave_seconds
        self.samples = samples if samples is not None else sample_folder()
        self.cursor_blink = cursor_blink
        self._assessment: Assessment | None = None
        self.path: Path | None = None
        self.fingerprint: Fingerprint | None = None
        self.dirty = False
        self._debounce: Timer | None = None
        self._recovery_pending = False
        self._changes = 0
        self._autosaved_at_change = -1
        self.exit_code = 0

    @property
    def assessment(self) -> Assessment:
        """The assessment being edited (an empty one until something is opened; created when first asked)."""
        if self._assessment is None:
            from kwaliteitskader.core.model.assessment import Assessment

            self._assessment = Assessment()
        return self._assessment

    @assessment.setter
    def assessment(self, value: Assessment) -> None:
        self._assessment = value

    # --- start ---------------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.theme = THEME
        self.title = t("tui.app.title", lang=self.lang)
        if self.autosave_seconds:
            self.set_interval(self.autosave_seconds, self.write_autosave)
        if self.start_path is not None:
            if not self.open_path(self.start_path):
                self.show_start()
        else:
            self.show_start()

    def show_start(self) -> None:
        from kwaliteitskader.tui.screens.start import StartScreen

        samples = sorted(self.samples.glob("*.toml")) if self.samples else []
        recent = [p for p in recent_files(self.data_folder) if p.is_file()]
        recovery = read_recovery(self.data_folder)
        self._recovery_pending = recovery is not None
        screen = StartScreen(self.criteria, self.lang, recent, samples, recovery)
        if isinstance(self.screen, StartScreen) or len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def show_wizard(self) -> None:
        from kwaliteitskader.tui.screens.wizard import WizardScreen

        screen = WizardScreen(self.criteria, self.lang, self.assessment, today=self.today)
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    @property
    def wizard(self) -> Any:
        from kwaliteitskader.tui.screens.wizard import WizardScreen

        for screen in self.screen_stack:
            if isinstance(screen, WizardScreen):
                return screen
        return None

    def get_system_commands(self, screen: Screen[Any]) -> Any:
        """Our commands first, in a fixed order (the steps in step order), then Textual's, translated."""
        lang = self.lang
        yield SystemCommand(t("tui.key.new", lang=lang), t("tui.cmd.new", lang=lang), self.action_new_assessment)
        yield SystemCommand(t("tui.key.open", lang=lang), t("tui.cmd.open", lang=lang), self.action_open_file)
        if self.wizard is not None:
            yield SystemCommand(t("tui.key.save", lang=lang), t("tui.cmd.save", lang=lang), self.action_save)
            yield SystemCommand(t("tui.key.save_as", lang=lang), t("tui.cmd.save_as", lang=lang),
                                self.action_save_as)
            yield SystemCommand(t("tui.key.report", lang=lang), t("tui.report.title", lang=lang) + " (F3)",
                                self.action_export_report)
            for number, step in enumerate(self.criteria.document.steps, 1):
                yield SystemCommand(
                    t("tui.cmd.goto", lang=lang, step=f"{number}. {step.label.get(lang)}"), step.explanation.get(lang),
                    partial(self._goto_step, step.id),
                )
        yield from translated_builtins(self, screen, lang)

    async def _goto_step(self, step_id: str) -> None:
        wizard = self.wizard
        if wizard is not None:
            await wizard.show_step(step_id)

    # --- the assessment --------------------------------------------------------------------------------

    def load(self, assessment: Assessment, path: Path | None, fingerprint: Fingerprint | None, *,
             dirty: bool = False) -> None:
        if self._recovery_pending:
            # the user went on without restoring: keep that copy instead of overwriting it with new work
            set_recovery_aside(self.data_folder)
            self._recovery_pending = False
        self.assessment = assessment
        self.path = path
        self.fingerprint = fingerprint
        self.dirty = dirty
        self._changes += 1  # a restored (dirty) assessment is autosaved again on the next tick
        self.show_wizard()

    def set_answer(self, path: str, value: Any) -> None:
        """Record one answer (from the wizard); refresh the screen and schedule the recovery copy."""
        if get_path(self.assessment, path) == value:
            return  # widgets report their initial value too; that is not a change
        from pydantic import ValidationError

        from kwaliteitskader.core.model.assessment import set_path

        try:
            self.assessment = set_path(self.assessment, path, value)
        except (ValidationError, ValueError) as exc:
            self.notify(Text(str(exc)).plain, severity="error", markup=False)
            return
        self.dirty = True
        self._changes += 1
        wizard = self.wizard
        if wizard is not None:
            wizard.refresh_state(self.assessment, changed=path)
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(AUTOSAVE_DEBOUNCE, self.write_autosave)

    def write_autosave(self) -> bool:
        """Write the recovery copy if there are unsaved changes. Failure is reported, never fatal."""
        if not self.dirty or self._autosaved_at_change == self._changes:
            return False
        from kwaliteitskader.core.io.assessments import SaveError

        try:
            write_recovery(self.assessment, self.path, self.now(), self.data_folder,
                           original_sha=self.fingerprint.sha256 if self.fingerprint else None)
        except (OSError, SaveError) as exc:
            self.notify(t("tui.autosave.failed", lang=self.lang, reason=str(exc)), severity="warning", markup=False)
            return False
        self._autosaved_at_change = self._changes
        return True

    # --- opening -----------------------------------------------------------------------------------------

    def check_openable(self, path: Path) -> str | None:
        from kwaliteitskader.core.io.load import load_assessment

        try:
            load_assessment(path)
        except FindingsError as exc:
            return "\n".join(f.text() for f in exc.findings[:5])
        return None

    def open_path(self, path: Path, *, template: bool = False) -> bool:
        """Open a file; a ``template`` (a sample) becomes a new assessment that is saved under a new name."""
        from kwaliteitskader.core.io.load import load_assessment

        try:
            loaded = load_assessment(path)
        except FindingsError as exc:
            message = "\n".join(f.text() for f in exc.findings[:5])
            self.notify(message, title=t("tui.open.failed", lang=self.lang), severity="error", markup=False,
                        timeout=12)
            return False
        if template:
            self.load(loaded.assessment, None, None)
            return True
        self.load(loaded.assessment, loaded.path, loaded.fingerprint)
        remember_file(loaded.path, self.data_folder)
        if loaded.migrated_from is not None:
            self.notify(t("tui.open.migrated", lang=self.lang, version=loaded.migrated_from), markup=False)
        return True

    def on_start_screen_open_path(self, message: Any) -> None:
        self.run_worker(self._open_after_confirm(message.path, message.template), exclusive=True, group="open")

    async def _open_after_confirm(self, path: Path, template: bool) -> None:
        if await self.confirm_discard():
            self.open_path(path, template=template)

    @work(exclusive=True, group="open")
    async def action_open_file(self) -> None:
        from kwaliteitskader.tui.screens.file_dialog import FileScreen

        if not await self.confirm_discard():
            return
        folder = self.path.parent if self.path else Path.cwd()
        chosen = await self.push_screen_wait(
            FileScreen(t("tui.open.title", lang=self.lang), folder, folder, self.check_openable)
        )
        if chosen is not None:
            self.open_path(chosen)

    @work(exclusive=True, group="open")
    async def action_new_assessment(self) -> None:
        if await self.confirm_discard():
            from kwaliteitskader.core.model.assessment import Assessment

            self.load(Assessment(), None, None)

    def action_restore_recovery(self) -> None:
        recovery = read_recovery(self.data_folder)
        if recovery is None:
            self.notify(t("tui.recovery.gone", lang=self.lang), severity="warning", markup=False)
            return
        from kwaliteitskader.core.io.assessments import Fingerprint

        fingerprint = Fingerprint(0, 0, recovery.original_sha) if recovery.original_sha else None
        self._recovery_pending = False
        self.load(recovery.assessment, recovery.original, fingerprint, dirty=True)
        self.notify(t("tui.recovery.restored", lang=self.lang), markup=False)

    def action_discard_recovery(self) -> None:
        clear_recovery(self.data_folder)
        self._recovery_pending = False

    async def confirm_discard(self) -> bool:
        """True when there are no unsaved changes, or the user saved or chose to discard them."""
        if not self.dirty or self.wizard is None:
            return True
        from kwaliteitskader.tui.screens.choice import ChoiceScreen

        lang = self.lang
        choice = await self.push_screen_wait(
            ChoiceScreen(
                t("tui.unsaved.title", lang=lang),
                t("tui.unsaved.message", lang=lang),
                [("save", t("tui.unsaved.save", lang=lang), "primary"),
                 ("discard", t("tui.unsaved.discard", lang=lang), "error"),
                 ("cancel", t("tui.key.cancel", lang=lang), "default")],
            )
        )
        if choice == "save":
            return await self.save_flow(save_as=False)
        if choice == "discard":
            self.dirty = False
            clear_recovery(self.data_folder)
            return True
        return False

    # --- saving ------------------------------------------------------------------------------------------

    @work(exclusive=True, group="save")
    async def action_save(self) -> None:
        if self.wizard is not None:
            await self.save_flow(save_as=False)

    @work(exclusive=True, group="save")
    async def action_save_as(self) -> None:
        if self.wizard is not None:
            await self.save_flow(save_as=True)

    def suggested_path(self) -> Path:
        name = re.sub(r"[^0-9a-z]+", "_", self.assessment.intervention.name.lower()).strip("_")
        return Path.cwd() / f"{name or 'beoordeling'}.toml"

    async def save_flow(self, *, save_as: bool) -> bool:
        """Save to the current file (or ask for one); handle conflicts and errors. True when saved."""
        from kwaliteitskader.core.io.assessments import Fingerprint

        target, expected, force = self.path, self.fingerprint, False
        if save_as or target is None:
            chosen = await self._ask_save_target(target, expected)
            if chosen is None:
                return False
            target, expected, force = chosen
        if expected is None and not force and target.exists():
            # we never read this file: treat it as changed by someone else
            expected = Fingerprint(-1, -1, "")
        stamped = stamp_meta(self.assessment, self.criteria, self.today())
        fingerprint = await self._write(stamped, target, expected, force)
        if fingerprint == "save_as":
            return await self.save_flow(save_as=True)
        if fingerprint is None:
            return False
        self._saved(stamped, target, fingerprint)
        return True

    async def _ask_save_target(
        self, current: Path | None, expected: Fingerprint | None,
    ) -> tuple[Path, Fingerprint | None, bool] | None:
        """Ask where to save: ``(file, fingerprint expected on disk, replace without asking again)``, or None
        when the user cancels or the file may not be written. Replacing an existing file is asked first."""
        from kwaliteitskader.core.io.safefiles import OutputRefused, check_output
        from kwaliteitskader.tui.screens.choice import ChoiceScreen
        from kwaliteitskader.tui.screens.file_dialog import FileScreen

        lang = self.lang
        initial = current or self.suggested_path()
        chosen = await self.push_screen_wait(
            FileScreen(t("tui.save.title", lang=lang), initial, initial.parent, self.check_writable)
        )
        if chosen is None:
            return None
        if chosen.suffix != ".toml":
            chosen = chosen.with_name(chosen.name + ".toml")
        try:  # one rule for every output (core/io/safefiles.py): no device, link, folder; ask before replacing
            check_output(chosen, assessment=True, replaces=current, lang=lang)
        except OutputRefused as refused:
            if not refused.may_confirm:
                self.notify(str(refused), title=t("tui.save.failed", lang=lang), severity="error", markup=False,
                            timeout=12)
                return None
            answer = await self.push_screen_wait(
                ChoiceScreen(t("tui.overwrite.title", lang=lang),
                             t("tui.overwrite.message", lang=lang, file=chosen),
                             [("overwrite", t("tui.overwrite.yes", lang=lang), "error"),
                              ("cancel", t("tui.key.cancel", lang=lang), "default")])
            )
            return (chosen, expected, True) if answer == "overwrite" else None
        if chosen.resolve() != (current.resolve() if current else None):
            expected = None
        return chosen, expected, False

    async def _write(self, stamped: Assessment, target: Path, expected: Fingerprint | None,
                     force: bool) -> Fingerprint | Literal["save_as"] | None:
        """Write the file: its new fingerprint, ``"save_as"`` when the user chose another file after a
        conflict, None when nothing was written (cancelled, or the error was shown)."""
        from kwaliteitskader.core.io.assessments import ConflictError, SaveError, save_assessment
        from kwaliteitskader.tui.screens.choice import ChoiceScreen

        lang = self.lang
        try:
            return save_assessment(stamped, target, expected=expected, force=force)
        except ConflictError as exc:
            answer = await self.push_screen_wait(
                ChoiceScreen(t("tui.conflict.title", lang=lang),
                             str(exc) + "\n\n" + t("tui.conflict.message", lang=lang),
                             [("overwrite", t("tui.conflict.overwrite", lang=lang), "error"),
                              ("save_as", t("tui.key.save_as", lang=lang), "primary"),
                              ("cancel", t("tui.key.cancel", lang=lang), "default")])
            )
        except SaveError as error:
            self._save_failed(error)
            return None
        if answer == "save_as":
            return "save_as"
        if answer != "overwrite":
            return None
        try:
            return save_assessment(stamped, target, force=True)
        except SaveError as error:
            self._save_failed(error)
            return None

    def _saved(self, stamped: Assessment, target: Path, fingerprint: Fingerprint) -> None:
        """The file is written: it becomes the current file, the recovery copy goes, the wizard shows it."""
        self.assessment = stamped
        self.path = target
        self.fingerprint = fingerprint
        self.dirty = False
        if self._debounce is not None:
            self._debounce.stop()
        clear_recovery(self.data_folder)
        remember_file(target, self.data_folder)
        wizard = self.wizard
        if wizard is not None:
            wizard.refresh_state(self.assessment)
        self.notify(t("tui.save.done", lang=self.lang, file=target), markup=False)

    @work(exclusive=True, group="save")
    async def action_export_report(self) -> None:
        """Write the printable report of the current answers (HTML, or Markdown for a .md name)."""
        if self.wizard is None:
            return
        from kwaliteitskader.core.io.assessments import SaveError, atomic_write
        from kwaliteitskader.core.output.report import render_report
        from kwaliteitskader.tui.screens.file_dialog import FileScreen

        base = self.path or self.suggested_path()
        initial = base.with_name(base.stem + "-rapport.html")
        chosen = await self.push_screen_wait(
            FileScreen(t("tui.report.title", lang=self.lang), initial, initial.parent, self.check_writable)
        )
        if chosen is None:
            return
        if chosen.suffix.lower() not in (".html", ".md"):  # never write a report over an assessment
            chosen = chosen.with_name(chosen.name + ".html")
        from kwaliteitskader.core.io.safefiles import OutputRefused, check_output
        from kwaliteitskader.tui.screens.choice import ChoiceScreen

        lang = self.lang
        try:  # one rule for every output (core/io/safefiles.py); an existing report is replaced only when asked
            check_output(chosen, inputs=[self.path] if self.path else [], lang=lang)
        except OutputRefused as refused:
            if not refused.may_confirm:
                self.notify(str(refused), title=t("tui.report.failed", lang=lang), severity="error", markup=False,
                            timeout=12)
                return
            answer = await self.push_screen_wait(
                ChoiceScreen(t("tui.overwrite.title", lang=lang), t("tui.overwrite.message", lang=lang, file=chosen),
                             [("overwrite", t("tui.overwrite.yes", lang=lang), "error"),
                              ("cancel", t("tui.key.cancel", lang=lang), "default")])
            )
            if answer != "overwrite":
                return
        fmt = "md" if chosen.suffix.lower() == ".md" else "html"
        stamped = stamp_meta(self.assessment, self.criteria, self.today())
        try:
            atomic_write(chosen, render_report(stamped, self.criteria, fmt, self.lang).encode("utf-8"))
        except SaveError as exc:
            self.notify(str(exc), title=t("tui.report.failed", lang=self.lang), severity="error", markup=False)
            return
        self.notify(t("tui.report.done", lang=self.lang, file=chosen), markup=False)

    def check_writable(self, path: Path) -> str | None:
        if path.is_dir():
            return t("tui.save.is_dir", lang=self.lang)
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            return t("tui.save.no_folder", lang=self.lang, folder=parent)
        return None

    def _save_failed(self, exc: Exception) -> None:
        self.write_autosave()
        self.notify(str(exc) + "\n" + t("tui.save.kept", lang=self.lang), title=t("tui.save.failed", lang=self.lang),
                    severity="error", markup=False, timeout=15)

    # --- quitting and help -----------------------------------------------------------------------------

    @work(exclusive=True, group="quit")
    async def action_quit(self) -> None:  # type: ignore[override]
        if await self.confirm_discard():
            self.exit(0)

    def action_help(self) -> None:
        from kwaliteitskader.tui.screens.help import HelpScreen

        wizard: Any = self.wizard
        on_wizard: bool = wizard is not None and self.screen is wizard
        if on_wizard:
            title, body = wizard.help_content()
        else:
            title, body = t("tui.app.title", lang=self.lang), Text(t("tui.help.keys", lang=self.lang))
        self.push_screen(HelpScreen(title, body))


def load_app_criteria(folder: Path | None = None) -> Criteria:
    """The criteria set the app runs on: checked in full once, then read from the cache (no pydantic)."""
    from kwaliteitskader.core.io.load import load_criteria

    return load_criteria(folder, light=True)


def run_app(criteria: Path | None = None, lang: str | None = None, path: Path | None = None) -> int:
    """Start the application; returns the process exit code. ``criteria`` is a criteria folder (or None
    for the bundled newest), ``lang`` ``nl``/``en`` (None: current language), ``path`` a file to open."""
    if lang is not None:
        set_language(lang)
    try:
        loaded = load_app_criteria(criteria)
    except FindingsError as exc:
        return print_findings(exc.findings)
    app = KwaliteitskaderApp(loaded, language(), path)
    result = app.run()
    return result if isinstance(result, int) else 0
