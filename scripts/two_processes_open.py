"""Two processes opening one fresh database at the same moment, N rounds.

Each round starts two `Store.open` processes on a new file, released together by a
shared start time; a round passes when both exit 0 within the timeout and the file ends
at the latest schema. Prints each failure and the count:
`python scripts/two_processes_open.py [ROUNDS]`.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 20.0
OPENER = """
import asyncio, sys, time
from bot.core.study.store import Store

async def main(path, start):
    time.sleep(max(0.0, start - time.time()))
    store = await Store.open(path)
    await store.close()

asyncio.run(main(sys.argv[1], float(sys.argv[2])))
"""


def one_round(folder: Path) -> str | None:
    """None when both processes opened the database; else what went wrong."""
    from bot.core.study.store import SCHEMA_VERSION

    path = folder / "fresh.db"
    start = time.time() + 1.0  # both interpreters are up by then
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, str(path), str(start)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    problems = []
    for process in processes:
        try:
            _out, err = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            problems.append("hang")
            continue
        if process.returncode != 0:
            problems.append(f"exit {process.returncode}: {err.strip().splitlines()[-1:]}")
    if not problems:
        with sqlite3.connect(path) as check:
            version = check.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            problems.append(f"schema {version}, expected {SCHEMA_VERSION}")
    return "; ".join(problems) or None


def main() -> int:
    sys.path.insert(0, str(ROOT))
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    passed = 0
    for number in range(1, rounds + 1):
        with tempfile.TemporaryDirectory() as folder:
            problem = one_round(Path(folder))
        if problem is None:
            passed += 1
        else:
            print(f"round {number}: {problem}", flush=True)
    print(f"{passed}/{rounds} rounds: both processes opened the fresh database")
    return 0 if passed == rounds else 1


if __name__ == "__main__":
    sys.exit(main())
