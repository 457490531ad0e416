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
