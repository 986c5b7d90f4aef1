"""The question bank is fit to study with: every question has one defensible answer,
a reason for every option, and (when generated) English that reads right. The checker
reads each question back; these tests run it over the whole bank, with and without the
new-note sets, and show that it catches each kind of fault."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bot.core.knowledge.loader import (
    Knowledge,
    KnowledgeError,
    QuizQuestion,
    Reason,
    load_knowledge,
)
from bot.core.study.checks import BankChecker
from bot.core.study.feedback import LETTERS, feedback
from bot.core.study.generate import generate_questions

NEW_NOTES = Path(__file__).parent / "data" / "new_notes"


@pytest.fixture(scope="module")
def checker(knowledge: Knowledge) -> BankChecker:
    return BankChecker(knowledge)


@pytest.fixture(scope="module")
def generated(knowledge: Knowledge) -> list[QuizQuestion]:
    return generate_questions(knowledge)


def _faults(checker: BankChecker, bank: list[QuizQuestion]) -> dict[str, list[str]]:
    return {q.id: found for q in bank if (found := checker.problems(q))}


def test_every_shipped_question_is_right_and_explained(
    knowledge: Knowledge, checker: BankChecker, generated: list[QuizQuestion]
) -> None:
    bank = list(knowledge.quiz) + generated
    assert len(generated) > 150
    assert _faults(checker, bank) == {}


@pytest.mark.parametrize("topic", sorted(p.name for p in NEW_NOTES.iterdir()))
def test_questions_generated_from_a_new_note_are_right(knowledge_copy: Path, topic: str) -> None:
    for note in (NEW_NOTES / topic).iterdir():
        if note.suffix in (".md", ".txt"):
            shutil.copy(note, knowledge_copy / "notes" / note.name)
    knowledge = load_knowledge(knowledge_copy)
    generated = generate_questions(knowledge)
    shipped = load_knowledge().services
    from_note = [q for q in generated if q.service not in shipped]
    assert from_note, "the new note brought no questions"
    assert _faults(BankChecker(knowledge), list(knowledge.quiz) + generated) == {}


def _first(generated: list[QuizQuestion], prefix: str) -> QuizQuestion:
    return next(q for q in generated if q.id.startswith(prefix))


def _a_wrong_option(question: QuizQuestion) -> str:
    return next(o for o in question.options if o != question.answer)


def _reasoned(question: QuizQuestion, option: str, text: str) -> QuizQuestion:
    """The question with `option`'s reason replaced by `text`."""
    return replace(question, why={**question.why, option: Reason(text, "general")})


def test_a_scenario_with_two_defensible_answers_is_caught(
    checker: BankChecker, generated: list[QuizQuestion]
) -> None:
    question = _first(generated, "gen-scenario-on-premises-outposts")
    # ECS runs on premises too (with ECS Anywhere): as an option it is a second answer.
    wrong = _a_wrong_option(question)
    options = tuple("ECS" if o == wrong else o for o in question.options)
    why = {("ECS" if o == wrong else o): r for o, r in question.why.items()}
    found = checker.problems(replace(question, options=options, why=why))
    assert any("meeting every stated need" in p and "ECS" in p for p in found), found


def test_a_use_case_question_with_a_rival_option_is_caught(
    checker: BankChecker, generated: list[QuizQuestion]
) -> None:
    question = next(q for q in generated if q.id.startswith("gen-use-") and q.answer == "RDS")
    wrong = _a_wrong_option(question)
    rival = "Aurora" if "Aurora" in checker.by_short else "DynamoDB"
    options = tuple(rival if o == wrong else o for o in question.options)
    why = {(rival if o == wrong else o): r for o, r in question.why.items()}
    text = "Which service would you use to store shopping carts and user profiles looked up by key?"
    found = checker.problems(replace(question, question=text, options=options, why=why))
    assert any("also defensible" in p or "do not fit" in p for p in found), found


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("Which service would you use to purpose-built database for sensor data?", "not a verb"),
        ("Which service would you pick for automate AMI builds?", "'pick for'"),
        ("Which service would you pick for data must stay on premises?", "a clause"),
        ("Which service would you use to upload files to aws s3?", "should be written"),
        ("Which service would you use to call lambda from my code?", "mixes 'you'"),
        # the prose writes "Python, Java, Go and .NET": a list is no longer a name
        ("Which service would you use to deploy a java or go web app?", "`java` should be"),
        ("Which service would you use to store IoT sensor readings over time", "'?'"),
    ],
)
def test_badly_written_questions_are_caught(
    checker: BankChecker, generated: list[QuizQuestion], text: str, fault: str
) -> None:
    question = _first(generated, "gen-use-")
    assert any(fault in p for p in checker.problems(replace(question, question=text)))


def test_a_closed_service_offered_as_the_one_to_use_is_caught(
    knowledge: Knowledge, checker: BankChecker, generated: list[QuizQuestion]
) -> None:
    question = next(q for q in generated if q.id.startswith("gen-use-") and q.answer_index == 0)
    wrong = question.options[1]
    recommends = Reason("App Runner is what you would use to deploy a web app.", "general")
    why = {**question.why, wrong: recommends}
    assert any("recommends App Runner" in p for p in checker.problems(replace(question, why=why)))
    # a generated question whose answer is closed to new customers
    closed = replace(question, service="app-runner", options=("App Runner", *question.options[1:]))
    closed = replace(closed, answer="App Runner")
    assert any("closed to new customers" in p for p in checker.problems(closed))
    # a curated question on a closed service must say so
    curated = next(q for q in knowledge.quiz if q.service == "app-runner")
    assert checker.problems(curated) == []
    silent = replace(curated, question="Which workload is App Runner built for?")
    silent = replace(silent, explanation="It runs web apps and APIs.")
    assert any("does not say" in p for p in checker.problems(silent))


def test_a_feature_offered_as_a_service_is_caught(
    checker: BankChecker, generated: list[QuizQuestion]
) -> None:
    question = next(q for q in generated if q.question.startswith("Which service"))
    wrong = _a_wrong_option(question)
    options = tuple("security groups" if o == wrong else o for o in question.options)
    why = {("security groups" if o == wrong else o): r for o, r in question.why.items()}
    found = checker.problems(replace(question, options=options, why=why))
    assert "`security groups` is offered as a service but is a feature" in found
    # asked as "which of these", a feature is a fair option
    of_these = question.question.replace("Which service", "Which of these", 1)
    found = checker.problems(replace(question, question=of_these, options=options, why=why))
    assert not any("offered as a service" in p for p in found)


def test_a_question_on_a_feature_does_not_ask_for_a_service(
    generated: list[QuizQuestion],
) -> None:
    on_features = [q for q in generated if q.service in ("security-groups", "aws-sdk", "cdk")]
    assert on_features and all(q.question.startswith("Which of these") for q in on_features)
    assert not any(q.service == "ci-cd" for q in generated if q.id.startswith("gen-use-"))


def test_a_lower_case_name_in_a_reason_is_caught(
    checker: BankChecker, generated: list[QuizQuestion]
) -> None:
    question = _first(generated, "gen-use-")
    wrong = _a_wrong_option(question)
    said = f"{wrong} is what you would use to run an app without a dockerfile."
    found = checker.problems(_reasoned(question, wrong, said))
    assert f"`dockerfile` should be written `Dockerfile` (reason for `{wrong}`)" in found
    # "batch jobs" is a plain word the prose writes in lower case, not the service
    said = f"{wrong} is what you would use to run long batch jobs."
    assert checker.problems(_reasoned(question, wrong, said)) == []


def test_a_wrong_option_described_but_not_ruled_out_is_caught(
    checker: BankChecker, generated: list[QuizQuestion]
) -> None:
    question = _first(generated, "gen-use-")
    wrong = _a_wrong_option(question)
    pasted = f"{wrong} runs managed relational SQL databases for you."
    found = checker.problems(_reasoned(question, wrong, pasted))
    assert f"`{wrong}`'s reason does not say what it is for instead" in found


def test_an_option_without_a_reason_is_caught(
    checker: BankChecker, generated: list[QuizQuestion]
) -> None:
    question = _first(generated, "gen-limit-")
    wrong = _a_wrong_option(question)
    why = {o: r for o, r in question.why.items() if o != wrong}
    assert f"no reason given for `{wrong}`" in checker.problems(replace(question, why=why))


def test_a_curated_question_must_explain_every_wrong_option(knowledge_copy: Path) -> None:
    path = knowledge_copy / "quiz" / "lambda.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  why:\n")
    end = text.index("\n", text.index("\n", start + 7) + 1)  # drop the first reason
    path.write_text(text[: start + 7] + text[end + 1 :], encoding="utf-8")
    with pytest.raises(KnowledgeError, match="must say why each wrong option is wrong"):
        load_knowledge(knowledge_copy)


def test_generated_sources_are_note_lines_or_general(generated: list[QuizQuestion]) -> None:
    for question in generated:
        for source in question.sources:
            note, _, line = source.partition(":")
            assert note.endswith((".txt", ".md")), source
            assert not line or line.isdigit(), source
    assert sum(":" in s for q in generated for s in q.sources) > len(generated) / 2


def test_bank_json_is_the_stable_contract(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    assert main(["bank", "--json", "--topic", "lambda"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and {r["topic"] for r in rows} == {"Lambda"}
    assert any(r["generated"] for r in rows) and not all(r["generated"] for r in rows)
    for row in rows:
        assert row.keys() >= CONTRACT
        assert isinstance(row["generated"], bool) and isinstance(row["sources"], list)
        assert row["answer"] in row["options"] and len(row["options"]) == 4
        assert set(row["why"]) == set(row["options"]) and all(row["why"].values())


def test_bank_prints_each_question_for_a_note_author(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    assert main(["bank", "--topic", "databases"]) == 0
    out = capsys.readouterr().out
    assert "✓" in out and "Sources:" in out and "DynamoDB" in out
    assert "0 with problems." in out.splitlines()[-1]
    assert main(["bank", "--topic", "qqqzzz"]) == 1


def test_feedback_explains_every_option(generated: list[QuizQuestion]) -> None:
    for question in generated[:: max(1, len(generated) // 40)]:
        shown = tuple(reversed(question.options))
        answer = shown.index(question.answer)
        told = feedback(question, shown, answer, (answer + 1) % 4)
        assert not told.correct and told.answer_label == f"{LETTERS[answer]} · {question.answer}"
        assert [n.label[0] for n in told.others] == [c for c in "ABCD" if c != LETTERS[answer]]
        assert all(n.reason for n in told.others)
        assert len(f"{told.verdict} {told.answer_label}. {told.explanation}") <= 300 + 40
        text = told.plain()
        assert all(f"[{n}]" in text for n in range(1, len(told.sources) + 1))


CONTRACT = {"id", "topic", "question", "options", "answer", "why", "sources", "generated"}


def test_a_service_found_in_the_notes_is_asked_by_the_line_saying_what_it_is(
    knowledge_copy: Path,
) -> None:
    note = (
        "# Shipping containers from the terminal\n\n"
        "## AWS Copilot CLI\n\n"
        "- **Copilot** = open-source CLI that builds, releases and operates containerized "
        "apps for you\n"
        "- Copilot itself is free, you pay for what it creates\n"
    )
    (knowledge_copy / "notes" / "copilot.md").write_text(note, encoding="utf-8")
    knowledge = load_knowledge(knowledge_copy)
    question = _first(generate_questions(knowledge), "gen-def-")
    assert "open-source CLI that builds" in question.question
    assert question.answer == knowledge.services[question.service].short
    assert "Copilot" not in question.question  # the name would give the answer away
    checker = BankChecker(knowledge)
    assert checker.problems(question) == []
    # Described by another option's own words, the question has two answers.
    wrong = _a_wrong_option(question)
    other = next(s for s in knowledge.services.values() if s.short == wrong)
    rival = replace(question, question=f"Your notes describe one of these as “{other.summary}”.")
    assert checker.problems(rival)
