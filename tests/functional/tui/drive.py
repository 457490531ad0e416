"""Keyboard-only helpers: answer one question the way a person would, through the focused widget (the
waiting helpers, ``settle``, ``sync`` and ``wait_for_screen``, are tests/pilot.py's)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, RadioSet, Select, SelectionList, TextArea

from kwaliteitskader.core.model.assessment import UNKNOWN, Assessment, FieldKind, Tri, answer_fields, get_path
from kwaliteitskader.tui.screens.start import StartScreen
from kwaliteitskader.tui.screens.wizard import WizardScreen
from kwaliteitskader.tui.widgets.questions import TRI_ORDER, ChoiceQuestion, QuestionField, widget_id
from tests.pilot import settle as settle  # the waiting helpers are shared by every TUI test (tests/pilot.py)
from tests.pilot import sync as sync
from tests.pilot import wait_for_screen as wait_for_screen


async def new_assessment(pilot: Pilot[Any]) -> WizardScreen:
    """From the start screen, begin a new assessment ("Nieuwe beoordeling" has the focus) and return the wizard."""
    await wait_for_screen(pilot, StartScreen)
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    screen: WizardScreen = await wait_for_screen(pilot, WizardScreen)
    return screen


async def go_to(pilot: Pilot[Any], path: str) -> QuestionField:
    """Jump to a question (as the result screen's missing-answer links do) and return its field."""
    wizard = pilot.app.wizard
    await wizard.jump_to(path)
    await pilot.pause()
    return wizard.query_one(f"#{widget_id(path)}", QuestionField)


async def type_text(pilot: Pilot[Any], text: str, *, paste_over: int = 12) -> None:
    """Type into the focused field: key by key for short text, pasted (same input path) for longer text."""
    focused = pilot.app.focused
    assert isinstance(focused, Input | TextArea), focused
    if isinstance(focused, TextArea):
        focused.select_all()
        await pilot.press("delete")
    else:
        await pilot.press("ctrl+a", "ctrl+k")
    if len(text) <= paste_over:
        await pilot.press(*[c if c != " " else "space" for c in text]) if text else None
    elif isinstance(focused, TextArea):
        focused.insert(text)
    else:
        focused.insert_text_at_cursor(text)
    await pilot.pause()


async def answer(pilot: Pilot[Any], path: str, value: Any, *, paste_over: int = 12) -> None:
    field = await go_to(pilot, path)
    kind = field.spec.kind
    app = pilot.app
    if kind in (FieldKind.TEXT, FieldKind.INT, FieldKind.FLOAT):
        text = "" if value is None else str(int(value) if isinstance(value, float) and value.is_integer() else value)
        await type_text(pilot, text, paste_over=paste_over)
    elif kind is FieldKind.TRI:
        radio = field.query_one(RadioSet)
        assert app.focused is radio
        current = radio.pressed_index if radio.pressed_index >= 0 else TRI_ORDER.index(Tri.ONBEKEND)
        target = TRI_ORDER.index(Tri(value))
        if current != target:  # the one-key answer: j, n or o
            await pilot.press({Tri.JA: "j", Tri.NEE: "n", Tri.ONBEKEND: "o"}[Tri(value)])
    elif kind is FieldKind.CHOICE:
        assert isinstance(field, ChoiceQuestion)
        select = field.query_one(Select)
        assert app.focused is select
        values = [v for _, v in field.options()]
        current, target = values.index(select.value), values.index(value or UNKNOWN)
        if current != target:
            await pilot.press("enter")
            await pilot.pause()
            steps = target - current
            await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps))
            await pilot.press("enter")
    elif kind is FieldKind.MULTI:
        listing: SelectionList[str] = field.query_one(SelectionList)
        box = field.query_one(Checkbox)
        ids = [listing.get_option_at_index(i).value for i in range(listing.option_count)]
        toggle = sorted(ids.index(item) for item in set(listing.selected) ^ set(value or []))
        if toggle and toggle[0] > len(ids) - 1 - toggle[-1]:
            # nearer the end: walk up from the last item
            toggle.reverse()
            await pilot.press("end")
            position = len(ids) - 1
        elif toggle:
            await pilot.press("home")
            position = 0
        for index in toggle:  # walk the list once, ticking on the way
            steps = index - position
            await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps), "space")
            position = index
        if (value is None and not box.value) or (value == [] and box.value):
            await pilot.press("shift+tab")  # the "onbekend / nog niet ingevuld" box comes just before the list
            assert app.focused is box
            await pilot.press("space")
    await pilot.pause()


STAMPED = ("meta.assessed_on", "meta.valid_until", "meta.criteria_version", "meta.criteria_digest")


async def fill(pilot: Pilot[Any], target: Assessment, skip: tuple[str, ...] = STAMPED) -> list[str]:
    """Answer every question whose value in ``target`` differs from the screen's current assessment (texts
    pasted, through the same change events as typing; typing key by key has tests of its own)."""
    changed = []
    paths = [*answer_fields(), *[f"harm_signals.{k}" for k in target.harm_signals]]
    for path in paths:
        if path.startswith(skip):
            continue
        if get_path(pilot.app.assessment, path) != get_path(target, path):
            await answer(pilot, path, get_path(target, path), paste_over=0)
            changed.append(path)
    return changed


def whole_footer_keys(screen: Any, width: int) -> set[str]:
    """The keys the screen's footer shows, after checking that each is drawn whole, left of the command
    palette's key (or of the screen's edge, ``width``)."""
    from textual.widgets._footer import FooterKey

    keys = list(screen.query(FooterKey))
    palette = [key for key in keys if key.has_class("-command-palette")]
    end = palette[0].region.x if palette else width
    for key in keys:
        if key not in palette:
            assert key.region.width > 0 and key.region.right <= end, (width, key.key, key.region, end)
    return {key.key for key in keys if key not in palette}
