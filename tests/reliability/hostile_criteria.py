"""Criteria sets built to make the checks and the engine work too hard (issue #15, problem 5).

Both are the bundled set with the first rule's condition replaced by a generated one:

- :func:`deep_chain`: ``not``/``all`` nested ``depth`` levels deep (a RecursionError at about 330);
- :func:`shared_ladder`: ``a_i = all[a_{i-1}, b_{i-1}]``, ``b_i = any[a_{i-1}, b_{i-1}]``: few conditions,
  but written out as a tree (what a signature or a trace does naively) it doubles with every level.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import ROOT

BUNDLED = ROOT / "criteria" / "2024.1"
FIRST_WHEN = 'when = "schadesignaal"'


def _with_conditions(target: Path, blocks: list[str], root: str) -> Path:
    shutil.copytree(BUNDLED, target)
    rules = target / "regels.toml"
    text = rules.read_text(encoding="utf-8")
    assert FIRST_WHEN in text
    text = text.replace(FIRST_WHEN, f'when = "{root}"', 1)
    marker = "[[rules]]"
    at = text.index(marker)
    rules.write_text(text[:at] + "\n".join(blocks) + "\n" + text[at:], encoding="utf-8")
    return target


def _block(cond_id: str, body: str) -> str:
    return (f'[[conditions]]\nid = "{cond_id}"\nlabel = {{ nl = "{cond_id}", en = "{cond_id}" }}\n{body}\n'
            'source = "test"\n')


def deep_chain(target: Path, depth: int) -> Path:
    blocks = [_block("diep_0", 'not = "schadesignaal"')]
    for i in range(1, depth):
        body = f'all = ["diep_{i - 1}"]' if i % 2 else f'not = "diep_{i - 1}"'
        blocks.append(_block(f"diep_{i}", body))
    return _with_conditions(target, blocks, f"diep_{depth - 1}")


def shared_ladder(target: Path, levels: int) -> Path:
    blocks = [_block("a_0", 'all = ["schadesignaal"]'), _block("b_0", 'any = ["schadesignaal", "effect_negatief"]')]
    for i in range(1, levels + 1):
        blocks.append(_block(f"a_{i}", f'all = ["a_{i - 1}", "b_{i - 1}"]'))
        blocks.append(_block(f"b_{i}", f'any = ["a_{i - 1}", "b_{i - 1}"]'))
    return _with_conditions(target, blocks, f"a_{levels}")
