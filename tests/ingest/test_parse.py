"""discover(): folders expanded and sorted, notes skipped, unsupported files reported."""

from __future__ import annotations

from pathlib import Path

from ingest import discover, parse_file


def test_discover_expands_folders_and_reports_problems(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    for name in ["b.txt", "a.md", "sub/c.pdf", "README.md", "LICENSE", ".hidden.txt", "image.png"]:
        (folder / name).write_text("x", encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "config.txt").write_text("x", encoding="utf-8")
    explicit = tmp_path / "notes.xyz"
    explicit.write_text("x", encoding="utf-8")
    files, errors = discover([folder, tmp_path / "missing.txt", explicit])
    assert files == [folder / "a.md", folder / "b.txt", folder / "sub" / "c.pdf"]
    reasons = {Path(e.path).name: e.reason for e in errors}
    assert set(reasons) == {"image.png", "missing.txt", "notes.xyz"}
    assert "unsupported" in reasons["image.png"] and "no such file" in reasons["missing.txt"]


def test_parsing_is_deterministic(corpus_dir: Path) -> None:
    path = next(corpus_dir.glob("003_*.txt"))
    first, second = parse_file(path), parse_file(path)
    assert first == second
    assert first.source_file == path.name and len(first.content_hash) == 64
