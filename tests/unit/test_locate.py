"""The TOML line locator that gives every finding its line."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwaliteitskader.core.locate import LineIndex, dotted
from tests.conftest import repetitions

TEXT = '''# comment
[criteria]
id = "x"
label = { nl = "a, b", en = "c" }

[[rules]]
id = "r1"

[[rules]]
id = "r2"
any = [
  "aa",
  "bb", "cc",
]
"quoted.key" = 1
multi = """
x = 5
"""
after = 2

[rules.sub]
k = 1
'''


def test_keys_tables_and_array_elements() -> None:
    index = LineIndex(TEXT)
    assert index.line(("criteria", "id")) == 3
    assert index.line(("criteria", "label", "en")) == 4
    assert index.line(("rules", 0, "id")) == 7
    assert index.line(("rules", 1, "id")) == 10
    assert index.line(("rules", 1, "any", 0)) == 12
    assert index.line(("rules", 1, "any", 2)) == 13
    assert index.find_value(("rules", 1, "any"), "bb") == 13
    assert index.line(("rules", 1, "quoted.key")) == 15
    assert index.line(("rules", 1, "after")) == 19  # the multi-line string's "x = 5" is not a key
    assert index.line(("rules", 1, "sub", "k")) == 22


def test_unknown_paths_fall_back_to_the_nearest_ancestor() -> None:
    index = LineIndex(TEXT)
    assert index.line(("rules", 1, "nope", "deeper")) == 9
    assert index.line(("elsewhere",)) is None


def test_dotted() -> None:
    assert dotted(("rules", 3, "when")) == "rules[3].when"


@pytest.mark.repeated
@settings(max_examples=repetitions(50, 200), deadline=None)
@given(
    st.dictionaries(
        st.from_regex(r"[a-z]{1,8}", fullmatch=True),
        st.dictionaries(
            st.from_regex(r"[a-z_]{1,8}", fullmatch=True),
            st.integers() | st.text(max_size=20) | st.lists(st.integers(), max_size=3),
        ),
        max_size=4,
    )
)
def test_every_written_key_is_found_on_its_own_line(data: dict[str, dict[str, object]]) -> None:
    import tomli_w

    text = tomli_w.dumps(data)
    assert tomllib.loads(text) == data
    lines = text.split("\n")  # TOML lines end at \n only (a value may hold U+0085 or U+2028)
    index = LineIndex(text)
    for table, values in data.items():
        for key in values:
            line = index.line((table, key))
            assert line is not None
            assert lines[line - 1].startswith(f"{key} =")


def _scan_seconds(*texts: str, rounds: int = 7) -> list[float]:
    """The best time of ``rounds`` scans of each text, the texts taking turns: a burst of load from other
    processes then slows a round of each, and the best rounds are compared."""
    import time

    best = [float("inf")] * len(texts)
    for _ in range(rounds):
        for i, text in enumerate(texts):
            started = time.perf_counter()
            LineIndex(text)
            best[i] = min(best[i], time.perf_counter() - started)
    return best


def test_a_long_line_of_array_elements_is_located_in_linear_time() -> None:
    """Eight times the elements on one line cost about eight times the time, not sixty-four: an element's
    text is matched in place, never sliced off the rest of the line (the timing check at the size limit
    is the worst-shapes benchmark, tests/perf/test_worst_shapes.py)."""

    def elements(count: int) -> str:  # the array opens on the key's line: its long second line is scanned
        return "a = [\n" + ",".join(["{}"] * count) + "\n]\n"

    small, large = elements(2_500), elements(20_000)
    index = LineIndex(large)
    assert index.line(("a", 19_999)) == 2 and index.find_value(("a",), "{}") == 2
    large_seconds, small_seconds = _scan_seconds(large, small)
    ratio = large_seconds / small_seconds
    assert ratio < 20, f"8x the elements took {ratio:.1f}x the time"


def _at(index: LineIndex, path: tuple[str | int, ...], value: str) -> int | None:
    """Where a finding about ``value`` in ``path`` goes (as the checks look it up)."""
    return index.find_value(path, value) or index.line(path)


def test_a_value_on_one_line_is_found_through_its_key_without_a_scan() -> None:
    text = 'a = [ "x1" , \'y2\', 3, {b = "]"}] # [\nc = [\n  "z",\n  "w"\n]\nd = { e = [1, 2] }\n'
    index = LineIndex(text)
    assert _at(index, ("a",), "x1") == 1 and _at(index, ("a",), "y2") == 1 and _at(index, ("a",), "3") == 1
    assert index.line(("a", 3, "b")) == 1 and index.line(("d", "e", 1)) == 6
    assert _at(index, ("c",), "w") == 4 and index.line(("c", 1)) == 4
    assert ("a", 0) not in index.lines  # not scanned: its elements are all on the key's line
    huge = "a = [" + ",".join(['"x"'] * 200_000) + "]\nb = 1\n"
    assert LineIndex(huge).line(("b",)) == 2
