"""``walk_toml`` finds what two ``Path.rglob`` walks find, in the same order."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from kwaliteitskader.core.io.validate import collect
from kwaliteitskader.core.io.walk import walk_toml
from kwaliteitskader.core.portfolio.loading import find_files

ROOT = Path(__file__).resolve().parents[2]


def rglob_criteria_folders(folder: Path) -> list[Path]:
    return [p.parent for p in folder.rglob("kader.toml")]


def rglob_toml(folder: Path) -> list[Path]:
    """What ``validate`` collected before: every ``*.toml`` entry outside the criteria folders, sorted."""
    folders = rglob_criteria_folders(folder)
    return [f for f in sorted(folder.rglob("*.toml")) if not any(c in f.parents for c in folders)]


def rglob_files(folder: Path) -> list[Path]:
    """What ``compare`` collected before: the same, files only (following links)."""
    return [f for f in rglob_toml(folder) if f.is_file()]


def tricky_tree(root: Path) -> Path:
    """Nested folders, names that sort differently as strings and as paths, a criteria set inside the tree
    (with a nested one), links to files and folders, a dangling link, a folder named like a file."""
    top = root / "portfolio"
    for name in ("a", "a-b", "a/b", "a/b/c", "A", "z", "crit/2024.1", "crit/2024.1/inner", "x.toml"):
        (top / name).mkdir(parents=True, exist_ok=True)
    for name in ("a/1.toml", "a-b/2.toml", "a/b/3.toml", "a/b/c/4.toml", "A/5.toml", "z/.hidden.toml", "z/notes.txt",
                 "z/UPPER.TOML", "crit/2024.1/kader.toml", "crit/2024.1/regels.toml", "crit/2024.1/inner/kader.toml",
                 "crit/other.toml", "top.toml"):
        (top / name).write_text("x = 1\n", encoding="utf-8")
    os.symlink(top / "a" / "1.toml", top / "z" / "link.toml")
    os.symlink(top / "a", top / "z" / "folder-link")  # not followed, as rglob does not follow it
    os.symlink(top / "missing.toml", top / "z" / "dangling.toml")
    return top


def test_tricky_tree_gives_what_rglob_gave(tmp_path: Path) -> None:
    top = tricky_tree(tmp_path)
    walked = walk_toml(top)
    assert walked.toml == rglob_toml(top)
    assert walked.files == rglob_files(top)
    assert walked.criteria_folders == rglob_criteria_folders(top)
    assert top / "z" / "dangling.toml" in walked.toml and top / "z" / "dangling.toml" not in walked.files
    assert top / "x.toml" in walked.toml and top / "x.toml" not in walked.files
    assert not any("crit/2024.1" in str(p) for p in walked.toml)


@pytest.mark.parametrize("seed", range(12))
def test_random_trees_give_what_rglob_gave(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    top = tmp_path / "root"
    folders = [top]
    top.mkdir()
    for _ in range(40):
        parent = rng.choice(folders)
        name = rng.choice(["a", "b", "a-b", "a.b", "B", "gemeente", "2024.1", "x.toml", "_"]) + str(rng.randint(0, 3))
        child = parent / name
        if rng.random() < 0.5 and not child.exists():
            child.mkdir()
            folders.append(child)
        elif not child.exists():
            child.write_text("", encoding="utf-8")
        if rng.random() < 0.15:
            (parent / "kader.toml").write_text("", encoding="utf-8")
        (parent / f"{rng.randint(0, 99):02d}.toml").write_text("", encoding="utf-8")
    walked = walk_toml(top)
    assert walked.toml == rglob_toml(top)
    assert walked.files == rglob_files(top)
    assert walked.criteria_folders == rglob_criteria_folders(top)


def test_validate_and_compare_collect_the_same_as_before(tmp_path: Path) -> None:
    top = tricky_tree(tmp_path)
    folders, files, missing = collect([top, ROOT / "sample_assessments"])
    assert files == rglob_toml(top) + rglob_toml(ROOT / "sample_assessments")
    assert folders == rglob_criteria_folders(top) and missing == []
    found, lost = find_files([top])
    assert found == [str(f) for f in rglob_files(top)] and lost == []


def test_unreadable_folder_is_skipped_like_rglob(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top = tricky_tree(tmp_path)
    scandir = os.scandir

    def refuse(path: object) -> object:
        if Path(str(path)).name == "b":
            raise PermissionError(13, "Permission denied")
        return scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", refuse)
    walked = walk_toml(top)
    assert top / "a" / "1.toml" in walked.toml
    assert not any("a/b" in str(p) for p in walked.toml)
    assert [folder for folder, _ in walked.unreadable] == [top / "a" / "b"]


def test_unreadable_folder_is_reported_by_validate_and_compare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not a silent gap in CI: the folder is named, with the reason, and the rest is still checked."""
    import errno

    from kwaliteitskader.core.io.validate import validate_paths

    top = tmp_path / "portfolio"
    sample = (ROOT / "sample_assessments" / "kapot_sterk_tilburg.toml").read_bytes()
    for name in ("a/1.toml", "a/b/2.toml", "a/b/3.toml", "c/4.toml"):
        (top / name).parent.mkdir(parents=True, exist_ok=True)
        (top / name).write_bytes(sample)
    scandir = os.scandir

    def refuse(path: object) -> object:
        if Path(str(path)) == top / "a" / "b":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", refuse)
    findings, checked = validate_paths([top])
    assert [(f.file, f.severity.value) for f in findings] == [(str(top / "a" / "b"), "unusable")]
    assert "toestemming" in findings[0].message or "ermission" in findings[0].message
    assert checked == 2  # 1.toml and 4.toml; the two under a/b could not be read
    found, lost = find_files([top])
    assert [f.file for f in lost] == [str(top / "a" / "b")]
    assert str(top / "a" / "1.toml") in found


def test_names_are_the_text_of_the_paths_in_path_order(tmp_path: Path) -> None:
    """The walk works on text: each name is ``str()`` of the path rglob gives, in ``sorted()`` order of
    the paths (not of the strings), with spaces, accents, other scripts and names that sort differently
    as text and as paths ("a/b" before "a-b", "a b", "a.b")."""
    top = tmp_path / "map met spatie"
    names = ("a/1.toml", "a/b/2.toml", "a-b/3.toml", "a b/4.toml", "a.b/5.toml", "ä/6.toml", "z/ö ü.toml",
             "日本/7.toml", "Z/8.toml", "a/b c/9.toml", "0.toml", "a/ 10.toml", "crit/kader.toml", "crit/x.toml")
    for name in names:
        (top / name).parent.mkdir(parents=True, exist_ok=True)
        (top / name).write_text("", encoding="utf-8")
    walked = walk_toml(top)
    assert walked.paths == [str(p) for p in rglob_toml(top)]
    assert sorted(walked.toml) == walked.toml == rglob_toml(top)
    assert not any("crit" in name for name in walked.paths)  # criteria folders skipped


@pytest.mark.parametrize("start", [".", "./portfolio", "portfolio/", "portfolio//a", "portfolio"])
def test_relative_starts_give_the_text_path_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: str) -> None:
    """``Path`` tidies what it is given ("./x/" is "x", the working folder's entries have no "./"):
    the names are that tidy text, as ``Row.file`` was when the walk made ``Path`` objects."""
    top = tricky_tree(tmp_path)
    monkeypatch.chdir(top.parent)
    walked = walk_toml(start)
    expected = [str(p) for p in rglob_toml(Path(start))]
    assert walked.paths == expected
    found, _ = find_files([start])
    assert found == [str(p) for p in rglob_files(Path(start))]


def test_a_flat_folder_gives_what_rglob_gave_with_the_odd_entries_apart(tmp_path: Path) -> None:
    """The case of the national portfolio (one folder, thousands of files), with what may sit among them:
    a folder named like a file (with a file in it), a dangling link, a link to a file, names that sort
    differently as text and as paths."""
    top = tmp_path / "pf"
    top.mkdir()
    rng = random.Random(3)  # noqa: S311 - test data, not secrets
    for i in rng.sample(range(10_000), 500):
        (top / f"beoordeling_{i:05d}.toml").write_text("", encoding="utf-8")
    for name in ("a-b.toml", "a.toml", "a b.toml", "A.toml", "ä.toml", "notes.txt"):
        (top / name).write_text("", encoding="utf-8")
    (top / "x.toml").mkdir()
    (top / "x.toml" / "in.toml").write_text("", encoding="utf-8")
    (top / "a").mkdir()
    (top / "a" / "b.toml").write_text("", encoding="utf-8")  # "a/b.toml" comes before "a-b.toml"
    os.symlink(top / "missing.toml", top / "dangling.toml")
    os.symlink(top / "a.toml", top / "link.toml")
    walked = walk_toml(top)
    assert walked.toml == rglob_toml(top)
    assert walked.files == rglob_files(top)
    assert walked.paths == [str(p) for p in sorted(top.rglob("*.toml"))]
    assert walked.not_files == {str(top / "x.toml"), str(top / "dangling.toml")}
    assert [(name, name not in walked.not_files) for name in walked.paths] == [
        (str(p), p.is_file()) for p in sorted(top.rglob("*.toml"))
    ]
    assert walked.paths.index(str(top / "a" / "b.toml")) < walked.paths.index(str(top / "a-b.toml"))
    assert walked.paths.index(str(top / "x.toml")) + 1 == walked.paths.index(str(top / "x.toml" / "in.toml"))
    found, lost = find_files([top])
    assert found == [str(f) for f in rglob_files(top)] and lost == []


def test_an_entry_whose_type_cannot_be_asked_is_no_file_and_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As when each entry was asked on its own: an entry that raises when its type is asked for counts as
    neither (the others in the folder are not affected)."""
    top = tricky_tree(tmp_path)
    scandir = os.scandir

    class Refusing:
        def __init__(self, entry: os.DirEntry[str]) -> None:
            self._entry = entry
            self.name = entry.name
            self.path = entry.path

        def is_dir(self, *, follow_symlinks: bool = True) -> bool:
            if self.name in ("a", "top.toml"):
                raise PermissionError(13, "Permission denied")
            return self._entry.is_dir(follow_symlinks=follow_symlinks)

        def is_file(self, *, follow_symlinks: bool = True) -> bool:
            if self.name in ("a", "top.toml"):
                raise PermissionError(13, "Permission denied")
            return self._entry.is_file(follow_symlinks=follow_symlinks)

        def is_symlink(self) -> bool:
            return self._entry.is_symlink()

    class Listing:
        def __init__(self, path: object) -> None:
            self._scan = scandir(path)  # type: ignore[call-overload]

        def __enter__(self) -> list[Refusing]:
            with self._scan as scan:
                return [Refusing(entry) for entry in scan]

        def __exit__(self, *exc: object) -> None:
            return None

    monkeypatch.setattr(os, "scandir", Listing)
    walked = walk_toml(top)
    assert str(top / "top.toml") in walked.paths and str(top / "top.toml") in walked.not_files
    assert not any(name.startswith(str(top / "a") + os.sep) for name in walked.paths)  # "a" not entered
    assert str(top / "a-b" / "2.toml") in walked.paths and str(top / "a-b" / "2.toml") not in walked.not_files
