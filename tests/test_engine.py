"""The answer engine: accuracy on question sets, the JSON contract, bad input, data-driven rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cli import main
from bot.core.answering.engine import Engine
from bot.core.answering.evaluate import accuracy_by_category, evaluate, load_cases, report
from bot.core.knowledge.loader import load_knowledge

DATA = Path(__file__).parent / "data"
CONTRACT = {"question", "kind", "service", "answer", "confidence", "sources", "suggestions"}
KINDS = {"rule", "fact", "comparison", "none"}


@pytest.mark.parametrize("name", ["examples.yaml", "questions.yaml"])
def test_question_sets_score_at_least_95_percent(engine: Engine, name: str) -> None:
    cases = load_cases(DATA / name)
    outcomes = evaluate(engine, cases)
    passed = sum(o.passed for o in outcomes)
    assert passed / len(outcomes) >= 0.95, report(outcomes)
    by_category = accuracy_by_category(outcomes)
    none_right, none_total = by_category.get("none", (0, 0))
    assert none_right == none_total, report(outcomes)  # never a guess out of scope


def test_own_set_is_large_and_covers_every_category() -> None:
    cases = load_cases(DATA / "questions.yaml")
    assert len(cases) >= 120
    assert {c.category for c in cases} == {"decision", "fact", "compare", "typo", "none"}
    examples = {c.question for c in load_cases(DATA / "examples.yaml")}
    assert not examples & {c.question for c in cases}


def _valid(answer: dict) -> None:
    assert answer.keys() >= CONTRACT
    assert answer["kind"] in KINDS
    assert 0.0 <= answer["confidence"] <= 1.0
    assert isinstance(answer["answer"], str) and answer["answer"]
    assert all(isinstance(s, str) for s in answer["sources"] + answer["suggestions"])
    assert len(answer["suggestions"]) <= 3 or answer["kind"] != "none"
    assert answer["service"] is None or isinstance(answer["service"], str)
    json.dumps(answer)


NASTY = [
    "",
    "   \t\n ",
    "x" * 10_000,
    "\u200b\u200c\u200d\ufeff",
    "\x00\x01\x07 lambda \x1b[31m",
    "🤖🔥💥 lambda??? 🚀",
    "**lambda** `max` _memory_ ~~x~~ ||spoiler|| > quote",
    "@everyone @here <@123456> <#42> <@&7> what is ecs",
    "'; DROP TABLE answers; -- batch",
    "SELECT * FROM services WHERE 1=1",
    "\u202eeviL lambda",
    "Ｌａｍｂｄａ ｍｅｍｏｒｙ",
]


@pytest.mark.parametrize("question", NASTY)
def test_nasty_inputs_give_a_valid_answer(engine: Engine, question: str) -> None:
    _valid(engine.answer(question).to_dict())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_text_gives_a_valid_answer(engine: Engine, question: str) -> None:
    _valid(engine.answer(question).to_dict())


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "lambda",
                "batch",
                "vs",
                "or",
                "2",
                "hour",
                "gpu",
                "@everyone",
                "\u200b",
                "🙂",
                "which",
                "job",
                "memory",
                "16gb",
                "ram",
                "what",
                "is",
                "?",
                "fargte",
                "docker",
                "24/7",
                "",
            ]
        ),
        max_size=12,
    )
)
def test_word_salad_gives_a_valid_answer(engine: Engine, parts: list[str]) -> None:
    _valid(engine.answer(" ".join(parts)).to_dict())


def test_out_of_scope_never_guesses(engine: Engine) -> None:
    for question in ["how tall is mount everest", "tell me a joke", "asdkjh qwe zzxc", "hello"]:
        answer = engine.answer(question)
        assert answer.kind == "none" and answer.service is None
        assert 1 <= len(answer.suggestions) <= 3


def test_decision_explains_what_is_ruled_out(engine: Engine) -> None:
    answer = engine.answer("lambda or batch for a 3 hour job?")
    assert answer.kind == "rule" and "Batch" in (answer.service or "")
    assert any("Lambda ✗" in line and "15 minutes" in line for line in answer.ruled_out)
    assert answer.sources


def test_a_list_of_services_is_not_read_as_one_alias(engine: Engine) -> None:
    # Fargate's alias "ecs fargate" must not swallow ECS in a comma-separated list.
    listed = engine.lexicon.read("ECS, Fargate or App Runner for a 20 GB job?")
    assert listed.services == ["ecs", "fargate", "app-runner"]
    assert engine.lexicon.read("ecs fargate max memory").services == ["fargate"]
    answer = engine.answer("A job needs 240 GB of memory and GPUs: ECS, Fargate or App Runner?")
    assert answer.service is not None and "ECS" in answer.service


def test_rules_are_data_a_limit_change_changes_the_answer(knowledge_copy: Path) -> None:
    lam = knowledge_copy / "services" / "lambda.yaml"
    lam.write_text(lam.read_text("utf-8").replace("max_run_minutes: 15", "max_run_minutes: 600"))
    engine = Engine(load_knowledge(knowledge_copy))
    answer = engine.answer("lambda or batch for a 3 hour job?")
    assert not any("Lambda ✗" in line for line in answer.ruled_out)


def test_a_new_service_file_is_answered_without_code(knowledge_copy: Path) -> None:
    (knowledge_copy / "services" / "quarkbox.yaml").write_text(
        "id: quarkbox\nname: AWS Quarkbox\nshort: Quarkbox\ncategory: compute\n"
        "summary: Runs quantum circuits as managed jobs.\n"
        "facts:\n  - id: quarkbox-qubits\n    text: A Quarkbox job can use up to 64 qubits.\n"
        "    about: [qubits, limit]\n    source: general\n"
        "use_cases:\n  - run quantum circuits and quantum simulations\n",
        "utf-8",
    )
    engine = Engine(load_knowledge(knowledge_copy))
    assert "Quarkbox" in (engine.answer("which service runs quantum circuits?").service or "")
    assert "64" in engine.answer("quarkbox qubit limit").answer


def test_cli_ask_json_and_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "lamda max mem??"]) == 0
    answer = json.loads(capsys.readouterr().out)
    _valid(answer)
    assert "10" in answer["answer"]
    batch = tmp_path / "questions.txt"
    batch.write_bytes(b"batch or lambda for a 2 hour job?\n\n\xff\xfe bad bytes\nwrite me a poem\n")
    assert main(["ask", "--json", "--batch", str(batch)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    answers = [json.loads(line) for line in lines]
    for answer in answers:
        _valid(answer)
    assert answers[1]["kind"] == "none" and answers[3]["kind"] == "none"
    assert main(["ask", "--batch", str(tmp_path / "missing.txt")]) == 1
    assert main(["ask"]) == 2


def test_cli_eval_prints_accuracy_and_misses(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(DATA / "examples.yaml")]) == 0
    out = capsys.readouterr().out
    accuracy, reliability = out.strip().split("\n\n")
    assert "decision" in accuracy and "%" in accuracy
    assert accuracy.splitlines()[-1].startswith("all")
    assert reliability.splitlines()[0].startswith("confidence")
    assert "highest confidence on an out-of-scope question: 0.00" in reliability


@pytest.mark.parametrize(
    "question",
    [
        "biggest file u can upload to a lightsail bucket over slow links",
        "biggest container image you can run on app runner for big file uploads",
    ],
)
def test_a_size_asked_of_a_named_service_is_its_own(engine: Engine, question: str) -> None:
    """ "Biggest … on Lightsail" asks a size of Lightsail, though "big file uploads from
    far away" is what S3 Transfer Acceleration is for: the named service is asked about."""
    answer = engine.answer(question)
    assert answer.kind == "fact", answer.answer
    assert "Transfer Acceleration" not in answer.answer and "Lambda" not in answer.answer
