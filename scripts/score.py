"""Score the engine on every question set, tuning sets apart from check sets.

    python scripts/score.py            # per tuning set, and the check sets as one total
    python scripts/score.py --misses   # also every miss, of the tuning sets only

Check sets (the check halves and the untuned note topics) are printed as totals and never
with their misses: looking at them while choosing a change would make them tuning sets.
The lists are scripts/calibrate.py's, so the two never disagree about which is which.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from calibrate import CHECK, CHECK_NOTES, TUNE, TUNE_NOTES, outcomes  # noqa: E402

from bot.core.answering.evaluate import Outcome, accuracy_by_category  # noqa: E402


def _line(name: str, result: list[Outcome]) -> str:
    passed = sum(o.passed for o in result)
    return f"{name:<22} {passed:>4}/{len(result):<4}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="print the tuning sets' misses")
    args = parser.parse_args()
    started = time.perf_counter()
    tuned: list[Outcome] = []
    for name in TUNE:
        result = outcomes([name], [])
        tuned += result
        print(_line(name, result))
    for topic in TUNE_NOTES:
        result = outcomes([], [topic])
        tuned += result
        print(_line(f"notes/{topic}", result))
    print(_line("TUNED", tuned))
    if args.misses:
        for outcome in tuned:
            if not outcome.passed:
                print(
                    f"MISS [{outcome.case.category}] {outcome.case.question!r}: "
                    f"{'; '.join(outcome.problems)}\n     -> {outcome.answer.answer[:160]}"
                )
    checked = outcomes(CHECK, CHECK_NOTES)
    print(_line("UNTUNED (check sets)", checked))
    categories = accuracy_by_category(checked)
    print("untuned by category: " + ", ".join(f"{c} {p}/{t}" for c, (p, t) in categories.items()))
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
