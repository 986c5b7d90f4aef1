"""`validate` is the runtime's gate: what passes it answers; what the runtime would fail on
is refused with its line, by `validate` and by `/reload` alike."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.gate import check_runtime, sample_questions
from bot.core.knowledge.loader import Knowledge, KnowledgeError


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _validate(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["validate", str(root)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.err


@pytest.mark.parametrize(
    ("new", "said"),
    [
        ('fails: "stops a run at {limt}"', "unknown placeholder {limt}"),
        ('fails: "stops a run at {limit"', "broken placeholder"),
        ('fails: "stops a run at {limit.real}"', "unknown placeholder {limit.real}"),
    ],
)
def test_a_placeholder_typo_in_a_rule_text_is_refused(
    knowledge_copy: Path, capsys, new: str, said: str
) -> None:
    rules = knowledge_copy / "rules.yaml"
    _edit(rules, 'fails: "stops a run at {limit}"', new)
    code, err = _validate(knowledge_copy, capsys)
    assert code == 1 and f"{rules}:" in err and said in err


def test_knowledge_with_no_services_is_refused(knowledge_copy: Path, capsys) -> None:
    for folder in ("services", "comparisons", "quiz"):
        shutil.rmtree(knowledge_copy / folder)
    for note in (knowledge_copy / "notes").iterdir():
        note.unlink()
    code, err = _validate(knowledge_copy, capsys)
    assert code == 1 and "no services" in err


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ('!!int "[oops"', "is not a number"),
        ("!!float abc", "is not a number"),
        ("!!binary aGVsbG8=", "has the tag"),
        ("9" * 4400, "a 4400-character number is not a usable number"),
        (".nan", ".nan is not a usable number"),
        (".inf", ".inf is not a usable number"),
        ("1.0e+400", "1.0e+400 is not a usable number"),
        ("10000000000000", "is not a usable number"),
    ],
)
def test_tagged_scalars_and_absurd_numbers_are_problems_not_tracebacks(
    knowledge_copy: Path, capsys, value: str, said: str
) -> None:
    path = knowledge_copy / "services" / "lambda.yaml"
    _edit(path, "  max_memory_gb: 10\n", f"  max_memory_gb: {value}\n")
    code, err = _validate(knowledge_copy, capsys)
    assert code == 1 and f"{path}:" in err and said in err


def test_an_empty_note_is_reported(knowledge_copy: Path, capsys) -> None:
    (knowledge_copy / "notes" / "draft.md").write_text("  \n\n", "utf-8")
    code = main(["validate", str(knowledge_copy)])
    assert code == 0 and "warning: draft.md: the note is empty" in capsys.readouterr().err


def test_the_gate_answers_every_rule_text_it_can_show(knowledge: Knowledge) -> None:
    """The sample reaches each need's failing reason: a text the loader could not check
    (here {limt} slipped in after loading) fails the gate, not a user's question."""
    for index, need in enumerate(knowledge.rules.needs):
        if "{limit}" not in need.fails:
            continue
        broken_need = dataclasses.replace(need, fails=need.fails.replace("{limit}", "{limt}"))
        needs = (*knowledge.rules.needs[:index], broken_need, *knowledge.rules.needs[index + 1 :])
        broken = dataclasses.replace(
            knowledge, rules=dataclasses.replace(knowledge.rules, needs=needs)
        )
        with pytest.raises(KnowledgeError, match="KeyError: 'limt'"):
            check_runtime(broken)


def test_the_shipped_knowledge_passes_the_gate(knowledge: Knowledge) -> None:
    engine = check_runtime(knowledge)
    assert engine.answer("lambda max memory?").service
    assert len(list(sample_questions(knowledge))) > 2 * len(knowledge.services)


def test_validate_directory_and_knowledge_option_check_the_same_folder(
    knowledge_copy: Path, capsys
) -> None:
    _edit(knowledge_copy / "rules.yaml", 'fails: "stops a run at {limit}"', 'fails: "{limt}"')
    assert main(["validate", str(knowledge_copy)]) == 1
    assert main(["validate", "--knowledge", str(knowledge_copy)]) == 1
    assert main(["--knowledge", str(knowledge_copy), "validate"]) == 1
    assert main(["validate", "--knowledge", "/nowhere", str(knowledge_copy)]) == 1
