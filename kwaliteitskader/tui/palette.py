"""The command palette in the user's language, in the order the app gives its commands.

Textual's palette sorts its discovery list alphabetically and offers its own commands in English ("Theme",
"Quit", "Keys", "Search for commands…"). :class:`PaletteMixin` gives an app a translated placeholder,
Textual's own commands under translated names (same actions), and keeps the order of
``get_system_commands`` — so "Ga naar stap …" lists the steps as the wizard has them. It also lets Escape
close Textual's keys panel.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from kwaliteitskader.core.i18n import t

# Textual's own palette commands (their English title) → our message key (tui.palette.<key>, <key>_help)
BUILTIN: dict[str, str] = {
    "Theme": "theme",
    "Quit": "quit",
    "Keys": "keys",
    "Minimize": "minimize",
    "Maximize": "maximize",
    "Screenshot": "screenshot",
}


class OrderedCommands(Provider):
    """The app's system commands, discovered in the order the app yields them (not alphabetically)."""

    async def discover(self) -> Hits:
        for command in self.app.get_system_commands(self.screen):
            if command.discover:
                yield DiscoveryHit(command.title, command.callback, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.app.get_system_commands(self.screen):
            if (score := matcher.match(command.title)) > 0:
                yield Hit(score, matcher.highlight(command.title), command.callback, help=command.help)


def translated_builtins(app: App[Any], screen: Screen[Any], lang: str) -> Iterable[SystemCommand]:
    """Textual's own commands with our titles and help texts (the actions are Textual's)."""
    for command in App.get_system_commands(app, screen):
        key = BUILTIN.get(command.title)
        if key is None:
            yield command
            continue
        if key == "keys":
            key = "keys_hide" if screen.query("HelpPanel") else "keys_show"
        yield SystemCommand(t(f"tui.palette.{key}", lang=lang), t(f"tui.palette.{key}_help", lang=lang),
                            command.callback, command.discover)


class PaletteMixin:
    """Mix into an :class:`App` (before ``App``) with a ``lang`` attribute."""

    COMMANDS: ClassVar[set[Any]] = {OrderedCommands}
    PALETTE_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close_keys_panel", show=False),
    ]
    lang: str

    def action_command_palette(self) -> None:
        app: Any = self
        if app.use_command_palette and not CommandPalette.is_open(app):
            app.push_screen(CommandPalette(placeholder=t("tui.palette.placeholder", lang=self.lang),
                                           id="--command-palette"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_keys_panel":
            app: Any = self
            # otherwise Escape goes on to whatever else wants it. Asked for every binding whenever the footer
            # reads the bindings, so only the screen's own children are looked at: Textual mounts the panel there.
            return bool(app.screen.query_children("HelpPanel"))
        return True

    def action_close_keys_panel(self) -> None:
        app: Any = self
        app.action_hide_help_panel()
