"""Every answer of every question set, one JSON line each: run before and after a change
meant to alter no behaviour (a speed-up, a refactor) and compare the files with `cmp`."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from calibrate import CHECK, CHECK_NOTES, TUNE, TUNE_NOTES, outcomes


def main() -> int:
    for outcome in outcomes(TUNE + CHECK, TUNE_NOTES + CHECK_NOTES):
        print(json.dumps(asdict(outcome.answer), sort_keys=True, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
