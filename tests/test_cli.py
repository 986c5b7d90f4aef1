"""The command line on a first run and under misuse: one clear line, never a traceback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.cli import json_line, line_editing, main, play_quiz, wrap_for_terminal
from bot.core.study.quiz import Quizmaster
from bot.core.study.store import Store, StoreError

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "knowledge"


def _bot(
    args: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), "DISCORD_TOKEN": "", **(env or {})},
        timeout=120,
    )


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No settings from the caller's environment; a home of our own."""
    for name in ("DATABASE_PATH", "KNOWLEDGE_DIR", "DEFAULT_TIMEZONE", "DISCORD_TOKEN"):
        monkeypatch.setenv(name, "")  # recorded, so what .env sets is undone afterwards
        monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    return tmp_path


@pytest.mark.parametrize(
    "args",
    [
        ["--knowledge", "{missing}", "validate"],
        ["validate", "--knowledge", "{missing}"],
        ["--knowledge", "{missing}", "ask", "lambda max memory?"],
        ["ask", "lambda max memory?", "--knowledge", "{missing}"],
        ["services", "--knowledge", "{missing}"],
    ],
)
def test_global_options_work_before_or_after_the_command(
    tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "no-knowledge-here")
    assert main([a.replace("{missing}", missing) for a in args]) == 1
    assert "no-knowledge-here" in capsys.readouterr().err


def test_the_last_knowledge_option_wins(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--knowledge", "/nowhere", "ask", "lambda max memory?", "--knowledge",
                 str(KNOWLEDGE)]) == 0  # fmt: skip
    assert "10 GB" in capsys.readouterr().out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0 and capsys.readouterr().out.startswith("python -m bot 0.")


def test_help_says_where_the_database_is(clean_env: Path) -> None:
    shown = _bot(["--help"], env={"XDG_DATA_HOME": str(clean_env / "xdg")})
    assert str(clean_env / "xdg" / "cloudnotes" / "cloudnotes.db") in shown.stdout
    assert "--version" in shown.stdout and ".env" in shown.stdout


def test_one_default_database_whatever_the_working_folder(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = clean_env / "xdg" / "cloudnotes" / "cloudnotes.db"
    for folder in ("one", "two"):
        (clean_env / folder).mkdir()
        monkeypatch.chdir(clean_env / folder)
        assert main(["stats"]) == 0
    assert expected.is_file()
    assert not list(clean_env.glob("*/data"))  # nothing next to where it was run


def test_dotenv_is_read_by_every_command(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = clean_env / "from-dotenv.db"
    (clean_env / ".env").write_text(f"DATABASE_PATH={database}\n")
    monkeypatch.chdir(clean_env)
    assert main(["stats"]) == 0  # stats never read .env before
    assert database.is_file()


def test_a_time_zone_typo_in_dotenv_is_refused_with_suggestions(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (clean_env / ".env").write_text("DEFAULT_TIMEZONE=Europe/Pari\nDISCORD_TOKEN=x\n")
    monkeypatch.chdir(clean_env)
    assert main(["run"]) == 1
    err = capsys.readouterr().err
    assert "Europe/Pari" in err and "Europe/Paris" in err and "Traceback" not in err


@pytest.mark.parametrize("command", [["stats"], ["quiz", "--count", "1"]])
@pytest.mark.parametrize(
    "make",
    [
        lambda folder: (folder / "notes.db").write_text("not a database") and folder / "notes.db",
        lambda folder: (folder / "a-folder.db").mkdir() or folder / "a-folder.db",
        lambda folder: (folder / "a-file").write_text("x") and folder / "a-file" / "x.db",
    ],
    ids=["not-a-database", "folder-as-path", "path-under-a-file"],
)
def test_database_problems_are_one_line_and_exit_1(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys, command, make
) -> None:
    monkeypatch.setenv("DATABASE_PATH", str(make(clean_env)))
    monkeypatch.setattr("sys.stdin", open(os.devnull))  # noqa: SIM115
    assert main(command) == 1
    captured = capsys.readouterr()
    assert len(captured.err.strip().splitlines()) == 1 and "DATABASE_PATH" in captured.err


async def test_the_bot_refuses_a_bad_database_before_connecting(bot_settings, tmp_path) -> None:
    import dataclasses

    from bot.discord_app.client import run_bot

    (tmp_path / "notes.db").write_text("not a database")
    settings = dataclasses.replace(bot_settings, database_path=tmp_path / "notes.db", token="x")
    with pytest.raises(StoreError, match="not a usable SQLite database"):
        await run_bot(settings)  # no network: it stops before logging in


def test_a_batch_line_ends_at_newline_only(tmp_path: Path, capsys) -> None:
    batch = tmp_path / "questions.txt"
    batch.write_bytes("lambda max\rmemory?\nwhat is s3\u2028really\r\n".encode())
    assert main(["ask", "--json", "--batch", str(batch)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["question"] for line in lines] == [
        "lambda max\rmemory?",
        "what is s3\u2028really",
    ]


def test_json_output_escapes_line_separators() -> None:
    text = json_line({"answer": "a\u2028b\u2029c\x85d\x0be\nf"})
    assert len(text.splitlines()) == 1  # str.splitlines breaks on all of these
    assert json.loads(text) == {"answer": "a\u2028b\u2029c\x85d\x0be\nf"}


@pytest.mark.parametrize(
    "content",
    ["# A Markdown file\n\nNot a question list: - [x] done\n", "key: [unclosed\n", "\xff\xfe"],
)
def test_eval_of_a_file_that_is_not_a_question_list_is_one_line(
    tmp_path: Path, content: str, capsys
) -> None:
    path = tmp_path / "README.md"
    path.write_text(content, encoding="latin-1")
    assert main(["eval", str(path)]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "cannot read the question file" in err


def test_eval_of_the_readme_is_one_line() -> None:
    done = _bot(["eval", "README.md"])
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("command", ["services", "ask --batch {batch}", "notes"])
def test_a_closed_pipe_ends_quietly(tmp_path: Path, command: str) -> None:
    batch = tmp_path / "many.txt"
    batch.write_text("lambda max memory?\n" * 300)
    line = f"{sys.executable} -m bot {command.format(batch=batch)} 2>{tmp_path}/err | head -1"
    done = subprocess.run(
        ["bash", "-c", line],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 1
    assert (tmp_path / "err").read_text() == ""


@pytest.mark.parametrize("key", [KeyboardInterrupt, EOFError], ids=["ctrl-c", "ctrl-d"])
async def test_ctrl_c_or_ctrl_d_ends_the_terminal_quiz_and_keeps_the_answers(
    quizmaster_on_disk: Quizmaster, capsys, key: type[BaseException]
) -> None:
    typed = iter(["1"])

    def read(_prompt: str) -> str:
        try:
            return next(typed)
        except StopIteration:
            raise key from None

    right, asked = await play_quiz(quizmaster_on_disk, 3, None, read)
    assert asked == 1 and "Score: " in capsys.readouterr().out
    assert (await quizmaster_on_disk.store.stats(0, 0)).answered == 1


@pytest.fixture
async def quizmaster_on_disk(knowledge, tmp_path: Path):
    store = await Store.open(tmp_path / "quiz.db")
    yield Quizmaster(knowledge, store)
    await store.close()


@pytest.mark.parametrize(
    ("command", "stdin"), [(["quiz", "--count", "3"], "1\n"), ([], "quiz\n1\n")],
    ids=["quiz", "session"],
)  # fmt: skip
def test_ctrl_c_in_a_running_quiz_ends_it_at_once(
    tmp_path: Path, command: list[str], stdin: str
) -> None:
    """The real signal: asyncio's own SIGINT handler used to wait for Enter."""
    database = tmp_path / "progress.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", *command],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_PATH": str(database),
             "DISCORD_TOKEN": ""},
    )  # fmt: skip
    assert process.stdin and process.stdout
    process.stdin.write(stdin)
    process.stdin.flush()  # stdin stays open: the quiz waits for the second answer
    seen = ""
    while "Q2." not in seen or "Your answer" not in seen.split("Q2.")[-1]:
        letter = process.stdout.read(1)
        assert letter, f"the quiz ended before its second question: {seen}"
        seen += letter
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=10)
    assert process.returncode == 0 and "Traceback" not in err, err
    assert "Score: " in out
    stats = _bot(["stats"], env={"DATABASE_PATH": str(database)})
    assert "Answered 1" in stats.stdout


def test_the_session_keeps_a_history_between_runs(tmp_path: Path) -> None:
    readline = pytest.importorskip("readline")
    history = tmp_path / "history"
    with line_editing(history):
        readline.add_history("lambda max memory?")
    readline.clear_history()
    with line_editing(history):
        assert readline.get_history_item(readline.get_current_history_length()) == (
            "lambda max memory?"
        )
    assert "lambda max memory?" in history.read_text()


def test_long_answers_wrap_at_the_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "50")
    text = "AWS Batch. " + "word " * 40 + "\n  - ruled out: " + "because " * 20
    wrapped = wrap_for_terminal(text)
    assert all(len(line) <= 49 for line in wrapped.splitlines())
    assert wrapped.split() == text.split()


def test_bench_progress_ticks_on_stderr_while_it_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from bot.cli import progress_ticker

    ticked = threading.Event()
    lines: list[str] = []

    class Stderr:
        def write(self, text: str) -> int:
            lines.append(text)
            if "still measuring" in text:
                ticked.set()
            return len(text)

        def flush(self) -> None:
            pass

    monkeypatch.setattr("sys.stderr", Stderr())
    with progress_ticker("bench", every=0.01):
        assert ticked.wait(30)  # the long step is still running when the tick is shown
    assert "bench: still measuring" in "".join(lines)
    assert "".join(lines).rstrip().splitlines()[-1].startswith("bench: done in")


def test_the_knowledge_ships_inside_the_package() -> None:
    """`pip install .` copies bot/knowledge and the reader's word tables (package-data);
    the knowledge must be the real folder."""
    assert (ROOT / "bot" / "knowledge").resolve() == KNOWLEDGE.resolve()
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'bot = ["knowledge/**/*", "core/knowledge/*.txt"]' in pyproject


def test_an_installed_copy_finds_its_packaged_knowledge(tmp_path: Path) -> None:
    """Outside a checkout (no pyproject.toml beside the package), the packaged copy."""
    import shutil

    installed = tmp_path / "site-packages"
    shutil.copytree(ROOT / "bot", installed / "bot", symlinks=False,
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", "from bot.core.knowledge.loader import default_knowledge_dir as d;"
         "print(d())"],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
        env={**os.environ, "PYTHONPATH": str(installed), "KNOWLEDGE_DIR": ""},
    )  # fmt: skip
    assert done.stdout.strip() == str(installed / "bot" / "knowledge"), done.stderr
    asked = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "lambda max memory?"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
        env={**os.environ, "PYTHONPATH": str(installed), "KNOWLEDGE_DIR": ""},
    )  # fmt: skip
    assert asked.returncode == 0 and "10 GB" in asked.stdout, asked.stderr


def test_ctrl_c_at_the_session_prompt_ends_it_cleanly(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "DISCORD_TOKEN": "",
             "DATABASE_PATH": str(tmp_path / "s.db")},
    )  # fmt: skip
    assert process.stdin and process.stdout
    process.stdin.write("lambda max memory?\n")
    process.stdin.flush()
    seen = ""
    while "10 GB" not in seen:  # answered: the session is back at its prompt
        line = process.stdout.readline()
        assert line, "the session ended early"
        seen += line
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=10)
    assert process.returncode == 0 and "Traceback" not in err, err


@pytest.mark.parametrize(
    "args", [["--knowledge", "{missing}", "run"], ["run", "--knowledge", "{missing}"]]
)
def test_the_bot_start_takes_the_knowledge_option_too(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys, args: list[str]
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "not-a-real-token")
    missing = str(clean_env / "no-knowledge-here")
    assert main([a.replace("{missing}", missing) for a in args]) == 1  # before any network
    assert "no-knowledge-here" in capsys.readouterr().err


@given(st.text())
def test_any_text_is_one_json_line_that_reads_back(text: str) -> None:
    line = json_line({"question": text})
    assert len(line.splitlines()) == 1 and json.loads(line) == {"question": text}
