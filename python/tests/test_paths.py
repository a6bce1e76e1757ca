"""paths.py answers as the pathlib expressions it replaces on the stub call's way."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from puruto_runtime import paths


def kinds(tmp_path: Path) -> list[str]:
    """A file, a folder, missing paths, a path under a file, links (to each, dangling, a loop), a NUL."""
    (tmp_path / "file").write_text("x", encoding="utf-8")
    (tmp_path / "dir").mkdir()
    for name, to in (("to-file", "file"), ("to-dir", "dir"), ("dangling", "nowhere"), ("loop", "loop")):
        (tmp_path / name).symlink_to(to)
    names = ["file", "dir", "nowhere", "file/under", "to-file", "to-dir", "dangling", "loop", "loop/x", "bad\0name"]
    return [str(tmp_path / n) for n in names]


def test_is_dir_and_is_file_answer_as_pathlib(tmp_path: Path) -> None:
    for p in kinds(tmp_path):
        assert paths.is_dir(p) == Path(p).is_dir(), p
        assert paths.is_file(p) == Path(p).is_file(), p


@pytest.mark.parametrize("text", ["~", "~/", "~/a/b", "~//a", "~root/x", "a/~", "/abs", "rel/x", "x~"])
def test_expand_user_and_resolved_answer_as_pathlib(text: str, tmp_path: Path) -> None:
    assert Path(paths.expand_user(text)) == Path(text).expanduser()  # the same path (pathlib drops a trailing "/")
    base = str(tmp_path)
    assert paths.resolved(base, text) == str((Path(base) / Path(text).expanduser()).resolve())


def test_an_unknown_user_is_pathlibs_runtime_error() -> None:
    with pytest.raises(RuntimeError) as pathlib_says:
        Path("~no-such-user-18/x").expanduser()
    with pytest.raises(RuntimeError) as mine:
        paths.expand_user("~no-such-user-18/x")
    assert str(mine.value) == str(pathlib_says.value)


@pytest.mark.parametrize("folder", ["/", "/a", "/a/b", "a", "a/b", ".", "..", "../x"])
def test_parent_and_child_answer_as_pathlib(folder: str) -> None:
    assert paths.parent(folder) == str(Path(folder).parent)
    assert paths.child(folder, "puruto-b") == str(Path(folder) / "puruto-b")


@pytest.mark.parametrize(
    ("path", "folder"), [("/a/b", "/a"), ("/a", "/a"), ("/ab", "/a"), ("/a", "/"), ("/", "/"), ("/a/b/c", "/a/b")]
)
def test_is_inside_is_is_relative_to_but_not_the_folder_itself(path: str, folder: str) -> None:
    assert paths.is_inside(path, folder) == (path != folder and Path(path).is_relative_to(folder))


def test_a_relative_root_names_its_sibling_as_pathlib_did(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "puruto-b").mkdir()
    for root in ("puruto-a", "./puruto-a", "x/../puruto-a"):
        sibling = Path(root).parent / "puruto-b"
        assert paths.child(paths.parent(os.fspath(Path(root))), "puruto-b") == str(sibling)


@pytest.mark.parametrize("home", ["/", "/tmp/home-18/", "/tmp//h", ""])
def test_any_home_expands_as_pathlib_expands_it(home: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", home)
    for text in ("~", "~/x", "~//x/y/"):
        assert Path(paths.expand_user(text)) == Path(text).expanduser()
        assert paths.resolved(str(tmp_path), text) == str((tmp_path / Path(text).expanduser()).resolve())
