"""Scoring the engine on a question file (the format of examples/questions.yaml).

Note authors run `python -m bot eval FILE` to see whether the knowledge answers what
their team asks; the test suite scores the project's own set the same way.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import yaml

from bot.core.answering.answer import Answer
from bot.core.answering.engine import Engine

CATEGORIES = ("decision", "fact", "compare", "typo", "none")


@dataclass
class Case:
    category: str
    question: str
    services: tuple[str, ...] = ()
    all_of: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()


@dataclass
class Outcome:
    case: Case
    answer: Answer
    problems: list[str]

    @property
    def passed(self) -> bool:
        return not self.problems


def load_cases(path: Path | str) -> list[Case]:
    """Read a question file; raises ValueError naming the entry that is malformed."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    if not isinstance(raw, list):
        raise ValueError(f"{path}: expected a list of questions")
    cases = []
    for number, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("q"), str):
            raise ValueError(f"{path}: entry {number} needs a text `q`")
        cases.append(
            Case(
                category=str(entry.get("cat", "fact")),
                question=entry["q"],
                services=tuple(str(s) for s in entry.get("service") or ()),
                all_of=tuple(str(s) for s in entry.get("all") or ()),
                any_of=tuple(str(s) for s in entry.get("any") or ()),
            )
        )
    return cases


def check(case: Case, answer: Answer) -> list[str]:
    """What is wrong with `answer` for `case`; empty when it is right."""
    if case.category == "none":
        return [] if answer.kind == "none" else [f"expected kind none, got {answer.kind}"]
    problems = []
    if answer.kind == "none":
        problems.append("answered none")
    service = (answer.service or "").lower()
    if case.services and not any(s.lower() in service for s in case.services):
        problems.append(f"service {answer.service!r} is not one of {list(case.services)}")
    text = answer.answer.lower()
    missing = [s for s in case.all_of if s.lower() not in text]
    if missing:
        problems.append(f"answer lacks {missing}")
    if case.any_of and not any(s.lower() in text for s in case.any_of):
        problems.append(f"answer has none of {list(case.any_of)}")
    return problems


def evaluate(engine: Engine, cases: list[Case]) -> list[Outcome]:
    outcomes = []
    for case in cases:
        answer = engine.answer(case.question)
        outcomes.append(Outcome(case, answer, check(case, answer)))
    return outcomes


def accuracy_by_category(outcomes: list[Outcome]) -> dict[str, tuple[int, int]]:
    """category -> (passed, total), in the usual category order."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for outcome in outcomes:
        totals[outcome.case.category][0] += outcome.passed
        totals[outcome.case.category][1] += 1
    order = [c for c in CATEGORIES if c in totals] + sorted(set(totals) - set(CATEGORIES))
    return {c: (totals[c][0], totals[c][1]) for c in order}


RELIABILITY_BUCKETS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def reliability(outcomes: list[Outcome]) -> list[str]:
    """Answers bucketed by confidence against how many were right: honest confidence
    has each bucket's accuracy near its confidence. `none` answers (abstentions) apart."""
    answered = [o for o in outcomes if o.answer.kind != "none"]
    lines = ["confidence   answers  mean conf  right"]
    for low, high in pairwise(RELIABILITY_BUCKETS):
        bucket = [o for o in answered if low <= o.answer.confidence < high]
        if not bucket:
            continue
        mean = sum(o.answer.confidence for o in bucket) / len(bucket)
        right = sum(o.passed for o in bucket) / len(bucket)
        lines.append(
            f"{low:.1f}-{min(high, 1.0):.1f}    {len(bucket):>7}  {mean:9.2f}  {right:5.0%}"
        )
    abstained = [o for o in outcomes if o.answer.kind == "none"]
    right = sum(o.passed for o in abstained)
    lines.append(f"not answered {len(abstained):>7}  ({right} of them out of scope)")
    out_of_scope = [o.answer.confidence for o in outcomes if o.case.category == "none"]
    lines.append(
        f"highest confidence on an out-of-scope question: {max(out_of_scope, default=0):.2f}"
    )
    return lines


def report(outcomes: list[Outcome]) -> str:
    lines = []
    for outcome in outcomes:
        if not outcome.passed:
            lines.append(
                f"MISS [{outcome.case.category}] {outcome.case.question!r}: "
                f"{'; '.join(outcome.problems)}\n     -> {outcome.answer.answer[:200]}"
            )
    for category, (passed, total) in accuracy_by_category(outcomes).items():
        lines.append(f"{category:<9} {passed:>4}/{total:<4} {100 * passed / total:5.1f}%")
    passed = sum(o.passed for o in outcomes)
    total = len(outcomes)
    lines.append(f"{'all':<9} {passed:>4}/{total:<4} {100 * passed / max(total, 1):5.1f}%")
    return "\n".join(lines)


def reliability_report(outcomes: list[Outcome]) -> str:
    return "\n".join(reliability(outcomes))
