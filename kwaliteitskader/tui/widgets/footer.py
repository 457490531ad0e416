"""The key footer, redrawn only when the keys it shows change.

Textual's :class:`~textual.widgets.Footer` rebuilds all its key widgets whenever the screen's bindings
*may* have changed — on every focus move, every screen push and more. On the wizard the focus moves
with every answer, and the keys shown stay the same; rebuilding them anyway cost the start screen about a
third of its start-up time (docs/performance.md). This footer remembers what it last showed and skips
the rebuild when nothing differs; it shows exactly what Textual's footer shows.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """A :class:`Footer` that is only rebuilt when the shown keys, their labels or their state change."""

    _shown: Hashable = None

    def shown_keys(self) -> Hashable:
        """Everything the footer's compose reads from the bindings, as one comparable value."""
        keys: list[Any] = [self.show_command_palette, self.app.ENABLE_COMMAND_PALETTE]
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show or binding.key == self.app.COMMAND_PALETTE_BINDING:
                group = binding.group
                keys.append((binding.key, binding.action, binding.description, binding.key_display, binding.tooltip,
                             group and (group.description, group.compact), enabled, tooltip))
        return tuple(keys)

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = self.shown_keys()
        yield from super().compose()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        if self.is_attached and self.shown_keys() != self._shown:
            await self.recompose()
