"""The answer object: one shape for the CLI, the JSON contract and the Discord embed."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Kind = Literal["rule", "fact", "comparison", "none"]


@dataclass
class Answer:
    """What the bot says. `question`..`suggestions` are the stable JSON contract;
    `title`, `lead`, `why` and `ruled_out` are the same answer in parts, for the
    Discord embed: the lead, then what is ruled out and why, each said once."""

    question: str
    kind: Kind
    service: str | None
    answer: str
    confidence: float
    sources: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    title: str = ""
    lead: str = ""
    why: list[str] = field(default_factory=list)
    ruled_out: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["confidence"] = round(max(0.0, min(1.0, self.confidence)), 2)
        return data

    def render(self) -> str:
        """The answer as a person reads it in a terminal."""
        lines = [self.answer]
        if self.sources:
            lines.append(f"Sources: {', '.join(self.sources)}")
        if self.suggestions:
            label = "Try" if self.kind == "none" else "You may also mean"
            lines.append(f"{label}: " + " | ".join(self.suggestions))
        return "\n".join(lines)
