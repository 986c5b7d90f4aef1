"""Fit bot/core/answering/calibration.py's table on questions the engine was never
tuned on (the check halves and the untuned new-note topics), and print the reliability
tables of both.

    python scripts/calibrate.py

Run after changing the engine. It answers every question with calibration off, fits,
per answer kind, an isotonic map from raw confidence to the share answered right
(pool-adjacent-violators, with one right and one wrong pseudo-answer per block so a
small block does not claim certainty), and rewrites the table between the GENERATED
markers. The engine's accuracy is measured and tuned elsewhere; this only says how sure
to be, and the tuning halves (where the engine is overfit) show it out of sample.
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
TUNE = [
    "questions.yaml",
    "dev/tune.yaml",
    "fresh/tune.yaml",
    "chat/tune.yaml",
    "chat2/tune.yaml",
    "chat3/tune.yaml",
    "chat4/tune.yaml",
    "chat5/tune.yaml",
    "chat6/tune.yaml",
]
TUNE_NOTES = [
    "networking",
    "storage",
    "messaging",
    "migration",
    "governance",
    "databases",
    "devtools",
    "analytics",
    "observability",
    "contact",
    "partnerdata",
    "webhosting",
    "keys",
    "meshnet",
    "collab",
    "search",
    "fsx",
    "modernize",
    "langai",
    "industrial",
    "genai",
    "mlplatform",
    "dbperf",
    "devplat",
    "lookout",
    "insights",
    "secrets",
    "bigdata",
    "vehicles",
    "loadbal",
    "silicon",
    "s3extras",
    "k8sextras",
]
CHECK = [
    "dev/check.yaml",
    "fresh/check.yaml",
    "chat2/check.yaml",
    "chat3/check.yaml",
    "chat4/check.yaml",
    "chat5/check.yaml",
    "chat6/check.yaml",
]
CHECK_NOTES = [
    "security",
    "ml",
    "appint",
    "iot",
    "resilience",
    "media",
    "hpc",
    "edge",
    "cost",
    "identity",
    "containers2",
    "enduser",
    "frontend",
    "desktops",
    "gamelift",
    "health",
    "frontier",
    "aiapps",
    "datagov",
    "workflows",
    "compliance",
    "aidev",
    "nosql",
    "accounts",
    "ec2buy",
    "secops",
    "hybridnet",
    "opsreview",
    "dataprotect",
    "transfer",
    "streaming",
    "broadcast",
    "opsmgmt",
    "netdiag",
    "dataint",
    "dbmigrate",
    "mlops",
]


def outcomes(files: list[str], note_topics: list[str]) -> list[Outcome]:
    """Every question of the files (shipped knowledge) and of the note topics (the
    knowledge with that topic's note added), answered and checked."""
    result = _answered(Engine(load_knowledge()), [DATA / f for f in files])
    for topic in note_topics:
        with tempfile.TemporaryDirectory() as folder:
            knowledge = Path(folder) / "knowledge"
            shutil.copytree(ROOT / "knowledge", knowledge)
            for note in (DATA / "new_notes" / topic).glob("*.[mt][dx]*"):
                shutil.copy(note, knowledge / "notes")
            engine = Engine(load_knowledge(knowledge))
            result += _answered(
                engine, sorted((DATA / "new_notes" / topic).glob("questions*.yaml"))
            )
    return result


def _answered(engine: Engine, files: list[Path]) -> list[Outcome]:
    return [outcome for path in files for outcome in evaluate(engine, load_cases(path))]


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
    fit_on = outcomes(CHECK, CHECK_NOTES)
    points: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for outcome in fit_on:
        if outcome.answer.kind != "none":
            points[outcome.answer.kind].append((outcome.answer.confidence, outcome.passed))
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
    print(f"fitted on {len(fit_on)} answers to questions never tuned on:")
    for kind, knots in table.items():
        print(f"  {kind}: {knots}")
    calibration.CALIBRATION.update(table)
    print("\nreliability where it was fitted (check halves, untuned note topics):")
    print("\n".join(reliability(outcomes(CHECK, CHECK_NOTES))))
    print("\nreliability on the tuning halves (out of sample for the map):")
    print("\n".join(reliability(outcomes(TUNE, TUNE_NOTES))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
