"""Fit bot/core/answering/calibration.py's table on the tuning halves, and print the
reliability table of the check halves.

    python scripts/calibrate.py

Run after changing the engine. It answers every tuning question with calibration off,
fits, per answer kind, an isotonic map from raw confidence to the share answered right
(pool-adjacent-violators, with one right and one wrong pseudo-answer per block so a small
block does not claim certainty), and rewrites the table between the GENERATED markers.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core.answering import calibration  # noqa: E402
from bot.core.answering.engine import Engine  # noqa: E402
from bot.core.answering.evaluate import Outcome, evaluate, load_cases, reliability  # noqa: E402
from bot.core.knowledge.loader import load_knowledge  # noqa: E402

DATA = ROOT / "tests" / "data"
TUNE = ["questions.yaml", "dev/tune.yaml", "fresh/tune.yaml"]
TUNE_NOTES = ["networking", "storage", "messaging"]
CHECK = ["dev/check.yaml", "fresh/check.yaml"]
CHECK_NOTES = ["security", "ml"]


def outcomes(files: list[str], note_topics: list[str]) -> list[Outcome]:
    engine = Engine(load_knowledge())
    result = [o for f in files for o in evaluate(engine, load_cases(DATA / f))]
    for topic in note_topics:
        with tempfile.TemporaryDirectory() as folder:
            knowledge = Path(folder) / "knowledge"
            shutil.copytree(ROOT / "knowledge", knowledge)
            for note in (DATA / "new_notes" / topic).glob("*.[mt][dx]*"):
                shutil.copy(note, knowledge / "notes")
            topic_engine = Engine(load_knowledge(knowledge))
            cases = load_cases(DATA / "new_notes" / topic / "questions.yaml")
            result += evaluate(topic_engine, cases)
    return result


def isotonic(points: list[tuple[float, bool]]) -> list[tuple[float, float]]:
    """Knots (mean raw, smoothed share right) of the pooled monotone blocks."""
    by_raw: dict[float, list[int]] = defaultdict(lambda: [0, 0])
    for raw, right in points:
        by_raw[round(raw, 3)][0] += right
        by_raw[round(raw, 3)][1] += 1
    blocks = [[raw * n, right, n] for raw, (right, n) in sorted(by_raw.items())]
    merged: list[list[float]] = []
    for block in blocks:
        merged.append(block)
        while len(merged) > 1 and _rate(merged[-2]) >= _rate(merged[-1]):
            last = merged.pop()
            merged[-1] = [a + b for a, b in zip(merged[-1], last, strict=True)]
    return [(round(s / n, 3), round(_rate([s, r, n]), 3)) for s, r, n in merged]


def _rate(block: list[float]) -> float:
    _, right, n = block
    return (right + 1) / (n + 2)


def main() -> int:
    calibration.CALIBRATION.clear()
    tuned = outcomes(TUNE, TUNE_NOTES)
    points: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for o in tuned:
        if o.answer.kind != "none":
            points[o.answer.kind].append((o.answer.confidence, o.passed))
    table = {kind: isotonic(p) for kind, p in sorted(points.items())}
    body = "CALIBRATION: dict[str, tuple[tuple[float, float], ...]] = {\n"
    for kind, knots in table.items():
        body += f'    "{kind}": (\n'
        body += "".join(f"        ({raw}, {right}),\n" for raw, right in knots)
        body += "    ),\n"
    body += "}\n"
    path = ROOT / "bot" / "core" / "answering" / "calibration.py"
    text = path.read_text()
    text = re.sub(
        r"(# BEGIN GENERATED[^\n]*\n).*?(# END GENERATED)",
        lambda m: m.group(1) + body + m.group(2),
        text,
        flags=re.S,
    )
    path.write_text(text)
    print(f"fitted on {len(tuned)} tuning answers:")
    for kind, knots in table.items():
        print(f"  {kind}: {knots}")
    calibration.CALIBRATION.update(table)
    print("\nreliability on the check halves (never tuned on):")
    print("\n".join(reliability(outcomes(CHECK, CHECK_NOTES))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
