"""The key footer, redrawn only when the keys it shows change.

Textual's :class:`~textual.widgets.Footer` rebuilds all its key widgets whenever the screen's bindings
*may* have changed — on every focus move, every screen push and more. On the wizard the focus moves
with every answer, and the keys shown stay the same; rebuilding them anyway is a large part of the start
screen's start-up time. This footer remembers what it last showed and skips the rebuild when nothing
differs; it shows what Textual's footer shows, with these additions:

- ``hidden``: actions left out of the footer (still bound), so that on a narrow screen the keys that
  matter (F1, ctrl+r, next/previous step) are not cut off; the screen sets it on resize, and it is fitted
  again when the keys change;
- the descriptions of Textual's own keys ("palette", "Dismiss menu") in the user's language
  (:func:`~kwaliteitskader.tui.keys.description`);
- in the browser (``App.is_web``), keys the browser keeps for itself (ctrl+n, ctrl+w, ctrl+t, ctrl+q: a web
  page cannot intercept them) are shown as their browser-safe alternative from :data:`BROWSER_KEYS`.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from kwaliteitskader.tui.keys import BROWSER_KEYS, description

ActiveBindings = dict[str, Any]
"""What :attr:`Screen.active_bindings` gives: key → (node, binding, enabled, tooltip)."""


class KeyFooter(Footer):
    """A :class:`Footer` that is only rebuilt when the shown keys, their labels or their state change."""

    _shown: Hashable = None
    hidden: frozenset[str] = frozenset()
    _fit: tuple[int, tuple[str, ...]] | None = None

    def shown_keys(self) -> Hashable:
        """Everything the footer's compose reads from the bindings, as one comparable value."""
        keys: list[Any] = [self.show_command_palette, self.app.ENABLE_COMMAND_PALETTE, self.hidden, self.compact]
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show or binding.key == self.app.COMMAND_PALETTE_BINDING:
                group = binding.group
                keys.append((binding.key, binding.action, binding.description, binding.key_display, binding.tooltip,
                             group and (group.description, group.compact), enabled, tooltip))
        return tuple(keys)

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = self.shown_keys()
        keys = [key for key in super().compose() if getattr(key, "action", None) not in self.hidden]
        if self.hidden:
            self.styles.grid_size_columns = sum(1 for key in keys if not key.has_class("-command-palette"))
        web = self.app.is_web
        for key in keys:
            if isinstance(key, FooterKey):
                key.description = description(key.description)
                key.tooltip = description(key.tooltip) if isinstance(key.tooltip, str) else key.tooltip
            if web and isinstance(key, FooterKey) and key.key in BROWSER_KEYS:
                key.key = BROWSER_KEYS[key.key]
                key.key_display = self.app.get_key_display(Binding(key.key, key.action))
            yield key

    def width_needed(self, bindings: ActiveBindings, hidden: frozenset[str] = frozenset()) -> int:
        """Columns needed to show every key of ``bindings`` (the screen's active bindings) but ``hidden`` in
        full (not compact), the command palette's key included, as :meth:`compose` lays them out: one key per
        action, each drawn as " key description ", the palette's key with a border on its left."""
        width = 0
        actions: set[str] = set()
        palette = self.app.COMMAND_PALETTE_BINDING if self.app.ENABLE_COMMAND_PALETTE else None
        for key, (_node, binding, _enabled, _tooltip) in bindings.items():
            if key == palette:
                width += 1
            elif not binding.show or binding.action in hidden or binding.action in actions:
                continue
            actions.add(binding.action)
            width += cell_len(self.app.get_key_display(binding)) + cell_len(description(binding.description)) + 3
        return width

    def fit(self, width: int, optional: Sequence[str]) -> None:
        """Show every key that fits in ``width`` columns: all of them when they fit; else leave out the
        ``optional`` actions, first to last, until the rest fits; else all of those, packed closer together
        (widths taken from the labels, not a fixed width: the Dutch labels are longer than the English ones).
        Fitted again whenever the keys change (a list that opens adds "esc Sluit de lijst")."""
        self._fit = (width, tuple(optional))
        bindings = self.screen.active_bindings  # worked out afresh on every read: read once here
        for left_out in range(len(optional) + 1):
            hidden = frozenset(optional[:left_out])
            if width >= self.width_needed(bindings, hidden):
                self.set_hidden(hidden)
                return
        self.set_hidden(frozenset(optional), compact=True)

    def set_hidden(self, actions: frozenset[str], *, compact: bool = False) -> None:
        """Leave these actions out (they stay bound); ``compact`` packs the keys closer together."""
        if actions != self.hidden or compact != self.compact:
            self.hidden = actions
            self.compact = compact
            self.show_command_palette = not compact  # ctrl+p still works; F1 names it
            if self.is_attached:
                self.call_after_refresh(self._rebuild_if_changed)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            if self._fit is not None:
                self.fit(*self._fit)
            self.call_after_refresh(self._rebuild_if_changed)

    def _rebuild_if_changed(self) -> None:
        # an after-refresh callback runs in the screen's context, and a footer key binds itself to the
        # footer that is composing it: recomposing there raised "Footer is not defined on WizardScreen" and
        # ended the application when a resize changed the keys shown. call_later runs it as the footer.
        if self.is_attached and self.shown_keys() != self._shown:
            self.call_later(self.recompose)
