"""Key bindings whose descriptions are message keys (``tui.key.*``), translated per instance.

Textual reads ``BINDINGS`` when a class is defined, before ``--lang`` is known; calling
:func:`localize_bindings` in ``__init__`` puts the current language's texts in the footer and palette.
Textual's own bindings that reach the footer ("palette", "Dismiss menu") are translated the same way, by
their English description (:data:`TEXTUAL_DESCRIPTIONS`, :func:`description`).
"""

from __future__ import annotations

import dataclasses

from textual.dom import DOMNode

from kwaliteitskader.core.i18n import t

BROWSER_KEYS: dict[str, str] = {"ctrl+n": "alt+n", "ctrl+w": "alt+w", "ctrl+t": "alt+t", "ctrl+q": "alt+q"}
"""Keys a browser keeps for itself (new window, close tab, new tab, quit: a page cannot intercept them), and
the key that does the same here. Both are always bound; in the browser the footer shows the second."""


TEXTUAL_DESCRIPTIONS: dict[str, str] = {
    "palette": "tui.key.palette",
    "Open the command palette": "tui.key.palette_tooltip",
    "Dismiss menu": "tui.key.dismiss_menu",
}
"""Textual's English descriptions of its own bindings shown in the footer → our message keys."""


def description(text: str) -> str:
    """A binding's description in the user's language: a message key, or one of Textual's own texts."""
    if text.startswith("tui."):
        return t(text)
    key = TEXTUAL_DESCRIPTIONS.get(text)
    return t(key) if key else text


def localize_bindings(node: DOMNode) -> None:
    bindings = node._bindings
    bindings.key_to_bindings = {
        key: [
            dataclasses.replace(b, description=description(b.description),
                                tooltip=description(b.tooltip) if b.tooltip else b.tooltip)
            for b in items
        ]
        for key, items in bindings.key_to_bindings.items()
    }
