"""What a person is told after answering a quiz question, like a good practice exam:
the verdict with the right option and why, then one line for each other option saying
why it is not right, each with its source. The terminal and Discord word it the same;
only the markup differs."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.knowledge.loader import QuizQuestion
from bot.core.knowledge.text import truncate

LETTERS = "ABCD"
VERDICT_MAX = 300  # the verdict and the right answer's explanation, in characters
REASON_MAX = 200  # each other option's line


def option_label(index: int, option: str) -> str:
    """How an option is named on a button and in feedback: "B · Fargate"."""
    return f"{LETTERS[index]} · {option}"


@dataclass(frozen=True)
class OptionNote:
    label: str  # "B · Fargate"
    reason: str  # why it is not the answer
    source: int | None  # its number in `Feedback.sources`, if it has one


@dataclass(frozen=True)
class Feedback:
    correct: bool
    answer_label: str
    explanation: str
    explanation_source: int | None
    others: list[OptionNote]
    sources: list[str]  # numbered from 1, as the notes refer to them

    @property
    def verdict(self) -> str:
        return "Right:" if self.correct else "Not quite: the answer is"

    def plain(self) -> str:
        """The feedback as plain text (the terminal)."""
        lines = [f"{'✅' if self.correct else '❌'} {self.verdict} {self.answer_label}."]
        lines.append(self.explanation + _mark(self.explanation_source))
        lines += [f"  {n.label}: {n.reason}{_mark(n.source)}" for n in self.others]
        if self.sources:
            lines.append(
                "Sources: " + "; ".join(f"[{i}] {s}" for i, s in enumerate(self.sources, 1))
            )
        return "\n".join(lines)


def feedback(
    question: QuizQuestion, options: tuple[str, ...], answer_index: int, choice: int
) -> Feedback:
    """Feedback on choosing `options[choice]`, options in the order they were shown (a
    question edited since it was posted still gets what reasons remain)."""
    sources: list[str] = []

    def number(source: str) -> int | None:
        if not source or source == "general":
            return None
        if source not in sources:
            sources.append(source)
        return sources.index(source) + 1

    label = option_label(answer_index, options[answer_index])
    room = VERDICT_MAX - len(label) - len("❌ Not quite: the answer is .  [9]")
    explanation = truncate(question.explanation, max(room, 80))
    explanation_source = number(question.source)
    others = [
        OptionNote(
            option_label(index, option),
            truncate(question.reason(option) or "Not the answer.", REASON_MAX),
            number(question.why[option].source) if option in question.why else None,
        )
        for index, option in enumerate(options)
        if index != answer_index
    ]
    return Feedback(choice == answer_index, label, explanation, explanation_source, others, sources)


def _mark(source: int | None) -> str:
    return f" [{source}]" if source else ""
