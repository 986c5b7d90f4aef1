"""The engine kept between runs: used when nothing changed, rebuilt when anything did,
and never a reason to fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.answering import engine_cache
from bot.core.answering.engine_cache import load_engine
from bot.core.knowledge import loader
from bot.core.knowledge.loader import KnowledgeError

NOTE = """# Amazon Kendra

Kendra is an intelligent enterprise search service.
- a Kendra index can hold up to 100,000 documents in the Developer Edition
"""


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    """Every knowledge folder the cache had to load and index, in a cache of its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    loaded: list[Path] = []
    real = engine_cache.load_knowledge

    def counting(root: Path, **options: object):
        loaded.append(root)
        return real(root, **options)

    monkeypatch.setattr(engine_cache, "load_knowledge", counting)
    return loaded


def test_an_unchanged_folder_is_not_loaded_twice(knowledge_copy: Path, builds: list[Path]) -> None:
    first = load_engine(knowledge_copy)
    second = load_engine(knowledge_copy)
    assert len(builds) == 1
    assert second is not first
    question = "batch or lambda for a 2 hour job?"
    assert second.answer(question).to_dict() == first.answer(question).to_dict()


def test_a_new_note_is_read_at_once(knowledge_copy: Path, builds: list[Path]) -> None:
    question = "how many documents can a kendra developer edition index hold"
    assert load_engine(knowledge_copy).answer(question).kind == "none"
    (knowledge_copy / "notes" / "search.md").write_text(NOTE, encoding="utf-8")
    answer = load_engine(knowledge_copy).answer(question)
    assert len(builds) == 2
    assert "100,000" in answer.answer


def test_a_corrupt_cache_is_rebuilt(knowledge_copy: Path, builds: list[Path]) -> None:
    load_engine(knowledge_copy)
    (cached,) = (Path(engine_cache.cache_dir() or "")).glob("engine-*.pickle")
    key = cached.read_bytes().split(b"\n", 1)[0]
    cached.write_bytes(key + b"\nnot a pickle")
    engine = load_engine(knowledge_copy)
    assert len(builds) == 2
    assert engine.answer("lambda max memory?").kind != "none"
    load_engine(knowledge_copy)
    assert len(builds) == 2  # the rebuilt engine was written back


def test_a_cache_that_cannot_be_written_only_costs_time(
    knowledge_copy: Path, builds: list[Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load_engine(knowledge_copy).answer("lambda max memory?").kind != "none"
    load_engine(knowledge_copy)
    assert len(builds) == 2


def test_broken_knowledge_is_refused_not_cached(knowledge_copy: Path, builds: list[Path]) -> None:
    (knowledge_copy / "services" / "lambda.yaml").write_text("id: [unclosed", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(KnowledgeError):
            load_engine(knowledge_copy)
    assert len(builds) == 2


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the YAML files the loader parsed and checked."""
    parsed: list[str] = []
    real = loader._load_file

    def counting(path: Path, shape: object, report: object) -> object:
        parsed.append(path.name)
        return real(path, shape, report)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "_load_file", counting)
    return parsed


def test_a_new_note_does_not_parse_the_yaml_files_again(
    knowledge_copy: Path, builds: list[Path], parses: list[str]
) -> None:
    """Adding a note builds the engine again, but the YAML files and the catalogue that
    did not change come from the parse cache: only an edited file is parsed again."""
    load_engine(knowledge_copy)
    assert "lambda.yaml" in parses
    parses.clear()
    (knowledge_copy / "notes" / "search.md").write_text(NOTE, encoding="utf-8")
    answer = load_engine(knowledge_copy).answer("kendra developer edition, how many documents")
    assert len(builds) == 2 and "100,000" in answer.answer
    assert parses == []
    lambda_file = knowledge_copy / "services" / "lambda.yaml"
    lambda_file.write_text(lambda_file.read_text("utf-8") + "\n# edited\n", "utf-8")
    load_engine(knowledge_copy)
    assert parses == ["lambda.yaml"]


def test_a_file_with_problems_is_reported_on_every_load(
    knowledge_copy: Path, builds: list[Path]
) -> None:
    rules = knowledge_copy / "rules.yaml"
    rules.write_text(rules.read_text("utf-8") + "\nbogus_key: 1\n", "utf-8")
    for note in ("a.md", "b.md"):  # each note makes a new build
        (knowledge_copy / "notes" / note).write_text(NOTE, encoding="utf-8")
        with pytest.raises(KnowledgeError, match="bogus_key"):
            load_engine(knowledge_copy)


def test_a_corrupt_parse_cache_is_ignored(knowledge_copy: Path, builds: list[Path]) -> None:
    load_engine(knowledge_copy)
    parsed = Path(engine_cache.cache_dir() or "") / "parsed.pickle"
    assert parsed.is_file()
    parsed.write_bytes(parsed.read_bytes()[:200])
    (knowledge_copy / "notes" / "search.md").write_text(NOTE, encoding="utf-8")
    assert "100,000" in load_engine(knowledge_copy).answer("kendra developer edition docs?").answer
