"""Every broken-database case and CLI misuse from issue 14, each run with a timeout.

A case passes when the command ends within the timeout, prints no traceback, and exits
as expected (non-zero with one line on stderr for a refusal). Prints one line per case
and the counts of hangs and tracebacks: `python scripts/probe_failures.py`.
Run as root, the read-only cases run as `nobody` (root may write anything).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 15.0
NOBODY = 65534


@dataclass
class Outcome:
    name: str
    seconds: float
    code: int | None  # None: it hung and was killed
    stdout: str
    stderr: str

    @property
    def hung(self) -> bool:
        return self.code is None

    @property
    def traceback(self) -> bool:
        return "Traceback" in self.stderr or "Traceback" in self.stdout


AS_NOBODY = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


def run(
    name: str,
    args: list[str],
    env: dict[str, str] | None = None,
    stdin: str = "",
    shell: bool = False,
    nobody: bool = False,
    cwd: Path = ROOT,
) -> Outcome:
    command = args if shell else [sys.executable, "-m", "bot", *args]
    if nobody and os.geteuid() == 0:
        command = [*AS_NOBODY, *command]
    started = time.monotonic()
    process = subprocess.Popen(
        " ".join(command) if shell else command,
        shell=shell,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), "DISCORD_TOKEN": "", **(env or {})},
        start_new_session=True,
    )
    try:
        out, err = process.communicate(stdin, timeout=TIMEOUT)
        code: int | None = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        code = None
    return Outcome(name, time.monotonic() - started, code, out, err)


def interrupt_quiz(name: str, database: Path, command: list[str], stdin: str) -> Outcome:
    """Answer one question, then press Ctrl-C (SIGINT) while the quiz waits for input."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", *command],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_PATH": str(database)},
    )
    assert process.stdin and process.stdout
    process.stdin.write(stdin)
    process.stdin.flush()
    seen = ""
    while "Q2." not in seen:  # the second question is on screen: the first was graded
        line = process.stdout.readline()
        if not line:
            break
        seen += line
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    try:
        out, err = process.communicate(timeout=TIMEOUT)
        code: int | None = process.returncode
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        code = None
    return Outcome(name, time.monotonic() - started, code, seen + out, err)


def _database(path: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "bot", "stats"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_PATH": str(path)},
        capture_output=True,
        check=True,
    )
    return path


def cases(folder: Path) -> list[tuple[Callable[[], Outcome], Callable[[Outcome], bool]]]:
    """(run the case, did it behave) pairs."""
    folder.chmod(0o755)
    text = folder / "notes.db"
    text.write_text("these are my notes, not a database\n")
    noise = folder / "noise.db"
    noise.write_bytes(os.urandom(8192))
    header = folder / "header.db"
    header.write_bytes(b"SQLite format 3\0" + os.urandom(4096))
    malformed = _database(folder / "malformed.db")
    with malformed.open("r+b") as handle:  # keep the header, wreck the schema page
        handle.seek(100)
        handle.write(os.urandom(3000))
    newer = folder / "newer.db"
    with sqlite3.connect(newer) as connection:
        connection.execute("PRAGMA user_version = 99")
    read_only = _database(folder / "ro" / "read-only.db")
    read_only.chmod(0o444)
    (folder / "ro").chmod(0o555)
    locked_folder = folder / "ro-new"
    locked_folder.mkdir(mode=0o555)
    (folder / "a-folder.db").mkdir()
    (folder / "a-file").write_text("x")
    broken = {
        "not a database (text)": (text, False),
        "not a database (random bytes)": (noise, False),
        "corrupt (SQLite header, random pages)": (header, False),
        "corrupt (schema page overwritten)": (malformed, False),
        "newer schema": (newer, False),
        "read-only file and folder": (read_only, True),
        "read-only folder, fresh file": (locked_folder / "fresh.db", True),
        "folder as DATABASE_PATH": (folder / "a-folder.db", False),
        "path under a file": (folder / "a-file" / "x.db", False),
        "uncreatable folder": (Path("/proc/cloudnotes/x.db"), False),
    }
    refused = lambda o: o.code not in (None, 0) and len(o.stderr.strip().splitlines()) >= 1  # noqa: E731
    table: list[tuple[Callable[[], Outcome], Callable[[Outcome], bool]]] = []
    for label, (path, nobody) in broken.items():
        env = {"DATABASE_PATH": str(path)}
        for command, stdin in (
            (["stats"], ""),
            (["quiz", "--count", "2"], "1\n1\n"),
            (["run"], ""),
            ([], "stats\nquit\n"),  # the session: tells the problem, goes on, ends cleanly
        ):
            run_env = {**env, "DISCORD_TOKEN": "not-a-real-token"} if command == ["run"] else env
            name = f"{label}: {' '.join(command) or 'session'}"
            check = refused if command else (lambda o: o.code == 0 and "database" in o.stderr)
            table.append(
                (
                    lambda n=name, c=command, e=run_env, s=stdin, nb=nobody: run(
                        n, c, e, s, nobody=nb, cwd=folder if nb else ROOT
                    ),
                    check,
                )
            )

    def shell(name: str, line: str, check: Callable[[Outcome], bool]) -> None:
        table.append((lambda: run(name, [line], shell=True), check))

    python = f"{sys.executable} -m bot"
    batch = folder / "batch.txt"
    batch.write_bytes(b"lambda max memory?\rwhat is s3\n")
    misuse: list[tuple[str, list[str], Callable[[Outcome], bool]]] = [
        ("eval README.md", ["eval", "README.md"], refused),
        ("eval a folder", ["eval", "knowledge"], refused),
        ("eval a missing file", ["eval", "nope.yaml"], refused),
        ("ask --batch a missing file", ["ask", "--batch", "nope.txt"], refused),
        ("ask --batch with a lone CR", ["ask", "--json", "--batch", str(batch)],
         lambda o: o.code == 0 and len(o.stdout.splitlines()) == 1),
        ("ask with U+2028 --json", ["ask", "--json", "lambda\u2028max memory?"],
         lambda o: o.code == 0 and len(o.stdout.splitlines()) == 1),
        ("--knowledge missing before validate", ["--knowledge", "/nope", "validate"], refused),
        ("--knowledge missing after validate", ["validate", "--knowledge", "/nope"], refused),
        ("--knowledge missing after ask", ["ask", "hi", "--knowledge", "/nope"], refused),
        ("quiz --count abc", ["quiz", "--count", "abc"], lambda o: o.code == 2),
        ("show with no name", ["show"], lambda o: o.code == 2),
        ("notes of a missing note", ["notes", "nope.md"], lambda o: o.code == 1),
        ("unknown command", ["fly"], lambda o: o.code == 2),
        ("--version", ["--version"], lambda o: o.code == 0 and "python -m bot" in o.stdout),
        ("DEFAULT_TIMEZONE typo, run", ["run"], refused),
        ("health with no heartbeat", ["health"], refused),
    ]  # fmt: skip
    for name, args, check in misuse:
        env = {"HEARTBEAT_PATH": str(folder / "none" / "heartbeat")}
        if "DEFAULT_TIMEZONE" in name:
            env |= {"DEFAULT_TIMEZONE": "Europe/Pari", "DISCORD_TOKEN": "not-a-real-token"}
        table.append((lambda n=name, a=args, e=env: run(n, a, e), check))
    ok_pipe = lambda o: o.code == 0 and not o.stderr.strip()  # noqa: E731
    shell("services | head -1", f"{python} services 2>{folder}/err | head -1; cat {folder}/err",
          lambda o: o.code == 0 and "Error" not in o.stdout)  # fmt: skip
    shell("ask --batch | head -1", f"yes 'lambda max memory?' | head -300 > {folder}/many.txt; "
          f"{python} ask --batch {folder}/many.txt 2>{folder}/err2 | head -1; cat {folder}/err2",
          lambda o: o.code == 0 and "Error" not in o.stdout)  # fmt: skip
    del ok_pipe
    interrupted = folder / "interrupted.db"
    table.append(
        (
            lambda: interrupt_quiz("Ctrl-C in quiz", interrupted, ["quiz", "--count", "3"], "1\n"),
            lambda o: o.code == 0 and "Score: " in o.stdout,
        )
    )
    table.append(
        (
            lambda: run("stats after Ctrl-C kept the answer", ["stats"],
                        {"DATABASE_PATH": str(interrupted)}),
            lambda o: o.code == 0 and "Answered 1" in o.stdout,
        )
    )  # fmt: skip
    table.append(
        (
            lambda: interrupt_quiz(
                "Ctrl-C in the session's quiz", folder / "session.db", [], "quiz\n1\n"
            ),
            lambda o: o.code == 0 and "Score: " in o.stdout,
        )
    )
    return table


def main() -> int:
    hangs = tracebacks = wrong = 0
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        table = cases(folder)
        for make, check in table:
            outcome = make()
            hangs += outcome.hung
            tracebacks += outcome.traceback
            good = not outcome.hung and not outcome.traceback and check(outcome)
            wrong += not good
            said = (outcome.stderr.strip().splitlines() or outcome.stdout.strip().splitlines()
                    or [""])[-1]  # fmt: skip
            status = "HANG" if outcome.hung else f"exit {outcome.code}"
            print(f"{'ok ' if good else 'BAD'} {outcome.name:<55} {status:<8} "
                  f"{outcome.seconds:5.1f}s  {said[:110]}", flush=True)  # fmt: skip
        for path in folder.rglob("*"):  # let the temporary folder be removed
            if path.is_dir():
                path.chmod(0o755)
    print(f"{len(table)} cases: {hangs} hangs, {tracebacks} tracebacks, {wrong} not as expected")
    return 0 if hangs == tracebacks == wrong == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
