"""The start screen names the quit key the footer names: ctrl+q in a terminal, alt+q in a browser (where
ctrl+q quits the browser itself)."""

from __future__ import annotations

from typing import Any
from unittest import mock

from textual.app import App
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from kwaliteitskader.tui.screens.start import StartScreen
from tests.functional.tui.drive import settle, sync, wait_for_screen


def _texts(screen: StartScreen) -> str:
    return " ".join(str(widget.render()) for widget in screen.query(Static))


@sync
async def test_the_start_screen_and_the_footer_name_the_same_quit_key(make_app: Any) -> None:
    for web, key in ((False, "ctrl+q"), (True, "alt+q")):
        with mock.patch.object(App, "is_web", new_callable=mock.PropertyMock, return_value=web):
            app = make_app()
            async with app.run_test(size=(140, 40)) as pilot:
                start = await wait_for_screen(pilot, StartScreen)
                await settle(pilot)
                assert key in {footer.key for footer in start.query(FooterKey)}, web
                text = _texts(start)
                assert f"{key} sluit af" in text, text
                other = "ctrl+q" if web else "alt+q"
                assert f"{other} sluit af" not in text
