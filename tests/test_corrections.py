"""Knowledge corrections: errata fix wrong note lines at load, nuanced traits say how
they hold, and the answers the review found wrong are right."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.answering.engine import Engine
from bot.core.knowledge.loader import Knowledge, KnowledgeError, load_knowledge

LAMBDA_PRICE_NOTE = "004_661dd7f4e753eb3d.txt"


def test_an_erratum_corrects_the_note_line_but_not_the_file(knowledge: Knowledge) -> None:
    texts = [s.text for s in knowledge.notes if s.where == f"{LAMBDA_PRICE_NOTE}:72"]
    assert texts and all("60,000 GB-seconds" in t for t in texts)
    assert not any("600,000" in s.text for s in knowledge.notes)
    raw = (Path(knowledge.root) / "notes" / LAMBDA_PRICE_NOTE).read_text(encoding="utf-8")
    assert "$1.00 for 600,000 GB-seconds" in raw  # the team's note is untouched


def test_an_erratum_whose_text_left_its_line_is_a_problem(knowledge_copy: Path) -> None:
    errata = knowledge_copy / "errata.yaml"
    errata.write_text(
        errata.read_text(encoding="utf-8").replace("line: 72", "line: 71", 1), encoding="utf-8"
    )
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    assert any("is not on 004_661dd7f4e753eb3d.txt:71" in p.message for p in caught.value.problems)


def test_an_erratum_needs_a_line_number(knowledge_copy: Path) -> None:
    errata = knowledge_copy / "errata.yaml"
    errata.write_text(
        errata.read_text(encoding="utf-8").replace("line: 72", "line: seventy", 1),
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError, match="must be a line number"):
        load_knowledge(knowledge_copy)


def test_a_trait_note_needs_its_trait_true(knowledge_copy: Path) -> None:
    ecs = knowledge_copy / "services" / "ecs.yaml"
    ecs.write_text(
        ecs.read_text(encoding="utf-8").replace("  on_premises: true\n", "  on_premises: false\n"),
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError, match="trait note `on_premises` needs the trait"):
        load_knowledge(knowledge_copy)


def test_a_nuanced_trait_says_how_it_holds(knowledge: Knowledge) -> None:
    need = next(n for n in knowledge.rules.needs if n.trait == "on_premises")
    ecs = knowledge.services["ecs"]
    ok, text = need.judge(ecs.traits, None, ecs.trait_notes)
    assert ok and text.endswith("with ECS Anywhere")
    lambda_ = knowledge.services["lambda"]
    ok, text = need.judge(lambda_.traits, None, lambda_.trait_notes)
    assert not ok and "Anywhere" not in text


@pytest.mark.parametrize(
    ("question", "lead", "service"),
    [
        ("can elastic beanstalk use gpu instances", "Yes", "Elastic Beanstalk"),
        ("can ecs run on premises", "Yes", "Elastic Container Service"),
        ("is aws batch serverless", "Yes", "Batch"),
        ("is ecs serverless", "Yes", "Elastic Container Service"),
        ("can eks run in our own data center", "Yes", "Kubernetes"),
    ],
)
def test_answers_the_review_found_wrong(
    engine: Engine, question: str, lead: str, service: str
) -> None:
    answer = engine.answer(question)
    assert answer.answer.startswith(lead), answer.answer
    assert service in (answer.service or ""), answer.service


def test_ecs_is_serverless_only_on_fargate(engine: Engine) -> None:
    assert "on Fargate" in engine.answer("is ecs serverless").answer
