"""Ask about every catalogued AWS service the knowledge does not cover, and count the
answers that are not "X is not in your notes yet" naming it (issue 10's target).

    python scripts/probe_unknown_names.py [--show N]

A catalogued name the reader takes for a known service (its own name, or a part the
notes speak of: "DynamoDB Streams") is answered from the knowledge, so it is left out, as
is one the catalogue lists as everyday talk ("AWS Free Tier").
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core.answering.engine import Engine  # noqa: E402
from bot.core.knowledge.loader import load_knowledge  # noqa: E402

SHAPES = (
    "what is {name}",
    "how do i set up {name}",
    "{name} pricing?",
    "does {name} support encryption",
    "when should i use {name}",
    "{name} max limits?",
    "is {name} worth it for a small team",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=10, help="wrong answers to print")
    args = parser.parse_args()
    knowledge = load_knowledge()
    engine = Engine(knowledge)
    asked = 0
    wrong: Counter[str] = Counter()
    shown = 0
    for entry in sorted(knowledge.catalogue.entries.values(), key=lambda e: e.id):
        if entry.id in knowledge.services or engine.lexicon.read(entry.name).services:
            continue
        if entry.name.lower() in knowledge.catalogue.everyday:
            continue  # "aws free tier" is talk of AWS itself, never read as a service
        for shape in SHAPES:
            question = shape.format(name=entry.name.lower())
            answer = engine.answer(question)
            asked += 1
            named = any(n.lower() in answer.answer.lower() for n in (entry.name, entry.short))
            if answer.kind == "none" and named:
                continue
            wrong["answered" if answer.kind != "none" else "not named"] += 1
            if shown < args.show:
                shown += 1
                print(f"{question!r}: {answer.kind} {answer.service} | {answer.answer[:80]}")
    print(f"{asked} questions on uncovered services; {sum(wrong.values())} wrong: {dict(wrong)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
