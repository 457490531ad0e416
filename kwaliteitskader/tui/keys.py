"""Key bindings whose descriptions are message keys (``tui.key.*``), translated per instance.

Textual reads ``BINDINGS`` when a class is defined, before ``--lang`` is known; calling
:func:`localize_bindings` in ``__init__`` puts the current language's texts in the footer and palette.
"""

from __future__ import annotations

import dataclasses

from textual.dom import DOMNode

from kwaliteitskader.core.i18n import t

BROWSER_KEYS: dict[str, str] = {"ctrl+n": "alt+n", "ctrl+w": "alt+w", "ctrl+t": "alt+t", "ctrl+q": "alt+q"}
"""Keys a browser keeps for itself (new window, close tab, new tab, quit: a page cannot intercept them), and
the key that does the same here. Both are always bound; in the browser the footer shows the second."""


def localize_bindings(node: DOMNode) -> None:
    bindings = node._bindings
    bindings.key_to_bindings = {
        key: [
            dataclasses.replace(b, description=t(b.description)) if b.description.startswith("tui.") else b
            for b in items
        ]
        for key, items in bindings.key_to_bindings.items()
    }
