"""The command line: the same core the Discord bot uses, for people and for scripts."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import os
import shutil
import signal
import sqlite3
import sys
import textwrap
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any, NoReturn

import yaml
from rapidfuzz import fuzz

from bot.config import Settings, SettingsError, load_dotenv
from bot.core.answering.answer import Answer
from bot.core.answering.engine import Engine
from bot.core.answering.engine_cache import load_engine
from bot.core.answering.evaluate import evaluate, load_cases, reliability_report, report
from bot.core.gate import check_runtime
from bot.core.knowledge import notes_report
from bot.core.knowledge.loader import (
    Knowledge,
    KnowledgeError,
    Service,
    load_knowledge,
    number_text,
)
from bot.core.knowledge.names import ServiceNames, find_service
from bot.core.knowledge.note_services import NOTES_CATEGORY
from bot.core.knowledge.notes import NoteLimit
from bot.core.knowledge.schema import CATEGORIES, DIFFICULTIES
from bot.core.knowledge.text import words
from bot.core.study.bank import bank_entries
from bot.core.study.feedback import LETTERS
from bot.core.study.quiz import Quizmaster
from bot.core.study.store import (
    LOCAL_GUILD,
    LOCAL_USER,
    Stats,
    Store,
    StoreError,
    data_dir,
    database_path,
)


def _load(directory: str | None) -> Knowledge:
    try:
        return load_knowledge(Path(directory) if directory else None)
    except KnowledgeError as error:
        _refuse(error)


def _engine(directory: str | None) -> Engine:
    """The answer engine for the knowledge, from the cache when nothing changed."""
    try:
        return load_engine(Path(directory) if directory else None)
    except KnowledgeError as error:
        _refuse(error)


def _refuse(error: KnowledgeError) -> NoReturn:
    for problem in error.problems:
        print(problem, file=sys.stderr)
    print(f"knowledge refused: {len(error.problems)} problem(s)", file=sys.stderr)
    raise SystemExit(1) from None


def cmd_validate(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    knowledge = _load(args.directory or args.knowledge)
    try:
        check_runtime(knowledge)  # what passes here answers: the bot runs the same gate
    except KnowledgeError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print("knowledge refused: it loads, but the runtime fails on it", file=sys.stderr)
        return 1
    elapsed = (time.perf_counter() - started) * 1000
    for note in knowledge.note_index.reports:
        print(notes_report.count_line(note))
    for warning in notes_report.warnings(knowledge):
        print(warning, file=sys.stderr)
    print(f"ok: {knowledge.summary_line()} (loaded and checked in {elapsed:.0f} ms)")
    return 0


def cmd_notes(args: argparse.Namespace) -> int:
    knowledge = _load(args.knowledge)
    text = notes_report.describe(knowledge, args.file)
    print(text)
    return 1 if text.startswith("No note called") else 0


def cmd_services(args: argparse.Namespace) -> int:
    knowledge = _load(args.knowledge)
    for category in (*CATEGORIES, NOTES_CATEGORY):
        members = sorted(
            (s for s in knowledge.services.values() if s.category == category),
            key=lambda s: s.name.lower(),
        )
        if not members:
            continue
        print(f"{category.title()}:")
        for service in members:
            print(f"  {service.name:<36} {service.summary}")
    return 0


def service_card(service: Service, limits: Iterable[NoteLimit] = ()) -> str:
    lines = [f"{service.name} ({service.category})"]
    if service.stands_for:
        lines.append(f"Stands for: {service.stands_for}")
    if service.aliases:
        lines.append(f"Also called: {', '.join(service.aliases)}")
    lines.append(service.summary)
    lines.append("Facts:")
    lines += [f"  - {fact.text} [{fact.source}]" for fact in service.facts]
    lines.append("Use it to:")
    lines += [f"  - {use}" for use in service.use_cases]
    if service.not_for:
        lines.append("Not for:")
        lines += [f"  - {item}" for item in service.not_for]
    if service.traits:
        traits = ", ".join(f"{k}={v}" for k, v in sorted(service.traits.items()))
        lines.append(f"Traits: {traits}")
    if limits:
        lines.append("Limits from the notes:")
        lines += [f"  - {limit.label}: {number_text(limit.value)} {limit.unit}" for limit in limits]
    return "\n".join(lines)


def cmd_show(args: argparse.Namespace) -> int:
    knowledge = _load(args.knowledge)
    service = find_service(knowledge.services, " ".join(args.name))
    if service is None:
        asked = " ".join(args.name)
        known = ServiceNames((), catalogue=knowledge.catalogue).find(asked)
        entry = knowledge.catalogue.entries.get(known[0].service) if known else None
        if entry is not None:
            print(
                f"{entry.name} is not in your notes yet; add a note about it to knowledge/notes/."
            )
        else:
            print(f"No service called {asked!r}; see `python -m bot services`.")
        return 1
    limits = [lim for lim in knowledge.note_index.limits if lim.service == service.id]
    print(service_card(service, limits))
    return 0


# Characters Python's str.splitlines (and some JSON-lines readers) break on that
# json.dumps(ensure_ascii=False) leaves raw; the ASCII ones it already escapes.
_LINE_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_line(value: object) -> str:
    """One JSON document on exactly one line, whatever line splitter reads it."""
    text = json.dumps(value, ensure_ascii=False)
    for raw, escaped in _LINE_BREAKS.items():
        text = text.replace(raw, escaped)
    return text


def _print_answer(answer: Answer, as_json: bool) -> None:
    if as_json:
        print(json_line(answer.to_dict()))
    else:
        print(answer.render())


def cmd_ask(args: argparse.Namespace) -> int:
    engine = _engine(args.knowledge)
    if args.batch:
        try:
            # newline="\n": a lone \r (or U+2028) inside a line does not split it
            handle = open(args.batch, encoding="utf-8", errors="replace", newline="\n")  # noqa: SIM115
        except OSError as error:
            print(f"cannot read {args.batch}: {error.strerror}", file=sys.stderr)
            return 1
        with handle:
            for line in handle:
                _print_answer(engine.answer(line.removesuffix("\n").removesuffix("\r")), args.json)
                if not args.json:
                    print()
        return 0
    question = " ".join(args.question)
    if not question.strip():
        print('Ask a question, e.g. python -m bot ask "lambda max memory?"', file=sys.stderr)
        return 2
    _print_answer(engine.answer(question), args.json)
    return 0


def cmd_bank(args: argparse.Namespace) -> int:
    knowledge = _load(args.knowledge)
    entries = bank_entries(knowledge, args.topic)
    if not entries:
        print(f"No questions about {args.topic!r}; see `python -m bot services`.")
        return 1
    for entry in entries:
        if args.json:
            print(json.dumps(entry.to_dict(), ensure_ascii=False))
        else:
            print(entry.render() + "\n")
    if not args.json:
        faulty = sum(1 for e in entries if e.problems)
        generated = sum(1 for e in entries if e.generated)
        print(
            f"{len(entries)} questions ({len(entries) - generated} curated, {generated} generated);"
            f" {faulty} with problems."
        )
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    engine = _engine(args.knowledge)
    try:
        cases = load_cases(args.file)
    except (OSError, ValueError, yaml.YAMLError) as error:
        reason = error.strerror if isinstance(error, OSError) else str(error).splitlines()[0]
        print(
            f"cannot read the question file {args.file}: {reason} "
            "(expected a YAML list like tests/data/questions.yaml)",
            file=sys.stderr,
        )
        return 1
    outcomes = evaluate(engine, cases)
    print(report(outcomes))
    print()
    print(reliability_report(outcomes))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from bot.core.answering import bench

    print(
        f"bench: a one-question `ask`, then {args.questions} questions at shipped size and at "
        f"{args.facts:,} facts (about a minute on two cores)",
        file=sys.stderr,
        flush=True,
    )
    with progress_ticker("bench"):
        report_text = bench.run(size=args.facts, count=args.questions)
    print(report_text)
    return 0


@contextlib.contextmanager
def progress_ticker(label: str, every: float = 5.0) -> Iterator[None]:
    """A line on stderr every few seconds while a long step runs, so a quiet minute is
    not taken for a hang (stdout stays the report alone)."""
    done = threading.Event()
    started = time.monotonic()

    def tick() -> None:
        while not done.wait(every):
            print(f"{label}: still measuring, {time.monotonic() - started:.0f} s", file=sys.stderr,
                  flush=True)  # fmt: skip

    ticker = threading.Thread(target=tick, name="progress", daemon=True)
    ticker.start()
    try:
        yield
    finally:
        done.set()
        ticker.join()
        print(f"{label}: done in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)


HISTORY_LENGTH = 1000  # questions remembered between sessions
SESSION_HELP = """Type a question and press Enter, e.g.:
  batch or lambda for a 2 hour job?
  lambda max memory?
  ecs vs fargate
Commands: quiz [topic], stats, help, quit (or Ctrl-D)."""


def cmd_session(args: argparse.Namespace) -> int:
    """The local session: questions in, answers out, until quit, Ctrl-C or Ctrl-D."""
    engine = _engine(args.knowledge)
    interactive = sys.stdin.isatty()
    if interactive:
        print(f"Cloud notes study bot: {engine.knowledge.summary_line()}")
        print(SESSION_HELP)
    with line_editing(data_dir() / "history" if interactive else None):
        try:
            while _session_turn(engine, args, interactive):
                pass
        except (EOFError, KeyboardInterrupt):  # Ctrl-D or Ctrl-C, wherever it lands
            if interactive:
                print()
    return 0


def _session_turn(engine: Engine, args: argparse.Namespace, interactive: bool) -> bool:
    """Read one line and act on it; False when the session should end."""
    line = input("> " if interactive else "")
    command = line.strip().lower()
    if command in ("quit", "exit", "q"):
        return False
    if command in ("help", "?"):
        print(SESSION_HELP)
        return True
    if not command:
        return True
    try:
        if command == "quiz" or command.startswith("quiz "):
            topic = command[4:].strip() or None

            async def work(quizmaster: Quizmaster) -> int:
                await play_quiz(quizmaster, 5, topic, input)
                return 0

            _run_async(_with_quizmaster(engine.knowledge, work))
            return True
        if command == "stats":
            cmd_stats(args)
            return True
    except StoreError as error:  # the session goes on: questions need no database
        print(error, file=sys.stderr)
        return True
    text = engine.answer(line).render()
    print(wrap_for_terminal(text) if interactive else text)
    print()
    return True


@contextlib.contextmanager
def line_editing(history: Path | None) -> Iterator[None]:
    """Arrow keys, editing and a history kept between sessions, where `readline` exists
    (not on Windows). `None` (piped input) changes nothing."""
    try:
        import readline
    except ImportError:
        readline = None  # type: ignore[assignment]
    if history is None or readline is None:
        yield
        return
    with contextlib.suppress(OSError):
        readline.read_history_file(history)
    readline.set_history_length(HISTORY_LENGTH)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            history.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(history)


def wrap_for_terminal(text: str) -> str:
    """Long answer lines folded to the terminal's width, keeping each line's indent."""
    width = max(40, shutil.get_terminal_size().columns - 1)
    folded = []
    for line in text.splitlines():
        indent = line[: len(line) - len(line.lstrip())]
        folded.append(
            textwrap.fill(line, width, subsequent_indent=indent + "  ") if line.strip() else line
        )
    return "\n".join(folded)


def read_choice(line: str, options: tuple[str, ...]) -> int | None:
    """A typed answer: the option's letter or number, or text that points at one option
    only (the option with typos, or the start of one of its words: "dynamo", "lamda").
    Anything else is None, and the player is asked again rather than graded on a guess."""
    text = line.strip()
    if text.isdecimal():  # not isdigit: "¹" is a digit that int() refuses
        return int(text) - 1 if 1 <= int(text) <= len(options) else None
    if len(text) == 1 and text.upper() in LETTERS[: len(options)]:
        return LETTERS.index(text.upper())
    typed = " ".join(words(text))
    spelled = [" ".join(words(option)) for option in options]
    if typed in spelled:
        return spelled.index(typed)
    if len(typed) < 3:
        return None
    fits = [
        index
        for index, option in enumerate(spelled)
        if fuzz.ratio(typed, option) >= 80 or any(w.startswith(typed) for w in option.split())
    ]
    return fits[0] if len(fits) == 1 else None


async def play_quiz(
    quizmaster: Quizmaster,
    count: int,
    topic: str | None,
    read: Callable[[str], str],
    difficulty: str | None = None,
) -> tuple[int, int]:
    """Ask `count` questions in the terminal; returns (right, asked)."""
    right = asked = 0
    timezone = os.environ.get("DEFAULT_TIMEZONE", "UTC")
    for number in range(1, count + 1):
        question = await quizmaster.next_for(LOCAL_USER, topic, difficulty)
        if question is None:
            print(quizmaster.no_match(topic, difficulty))
            break
        quiz = await quizmaster.post(LOCAL_GUILD, question, kind="local")
        assert quiz is not None
        print(f"\nQ{number}. {question.question}")
        for letter, option in zip(LETTERS, quiz.options, strict=False):
            print(f"  {letter}. {option}")
        choice = None
        while choice is None:
            try:
                line = read(f"Your answer (A-{LETTERS[len(quiz.options) - 1]}): ")
            except (EOFError, KeyboardInterrupt):  # Ctrl-D or Ctrl-C: stop, keep the answers
                print()
                break
            choice = read_choice(line, quiz.options)
            if choice is None:
                print(f"Type a letter from A to {LETTERS[len(quiz.options) - 1]}, or the answer.")
        if choice is None:
            break
        graded = await quizmaster.answer(quiz, LOCAL_USER, choice, timezone)
        asked += 1
        right += graded.outcome.correct
        print(graded.feedback.plain())
    if asked:
        print(f"\nScore: {right}/{asked}.")
    return right, asked


async def _with_quizmaster(
    knowledge: Knowledge, work: Callable[[Quizmaster], Awaitable[int]]
) -> int:
    path = database_path()
    store = await Store.open(path)
    try:
        return await work(Quizmaster(knowledge, store))
    except sqlite3.Error as error:  # the file went bad while in use (disk full, deleted)
        raise StoreError.explain(path, error) from error
    finally:
        try:
            await store.close()
        except sqlite3.Error as error:
            raise StoreError.explain(path, error) from error


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _run_async(work: Coroutine[Any, Any, int]) -> int:
    """`asyncio.run`, but Ctrl-C interrupts a blocking `input()` at once.

    asyncio.run's own SIGINT handler only cancels the task at its next await; while a
    terminal quiz waits in `input()` that is never, so Ctrl-C did nothing until Enter
    and then printed a traceback. With a handler of our own (asyncio then keeps it),
    KeyboardInterrupt is raised inside `input()`, where the quiz stops and keeps the
    answers given so far."""
    if threading.current_thread() is not threading.main_thread():
        return asyncio.run(work)
    previous = signal.signal(signal.SIGINT, _interrupt)
    try:
        return asyncio.run(work)
    finally:
        signal.signal(signal.SIGINT, previous)


def cmd_quiz(args: argparse.Namespace) -> int:
    knowledge = _load(args.knowledge)
    count = max(1, min(args.count, 50))

    async def work(quizmaster: Quizmaster) -> int:
        await play_quiz(quizmaster, count, args.topic, input, args.difficulty)
        return 0

    return _run_async(_with_quizmaster(knowledge, work))


def format_stats(stats: Stats, names: dict[str, str]) -> str:
    if not stats.answered:
        return "No answers yet: try a quiz."
    lines = [
        f"Answered {stats.answered}, right {stats.correct} ({100 * stats.accuracy:.0f}%). "
        f"Streak {stats.streak} day(s), best {stats.best_streak}."
    ]
    for category, (right, total) in sorted(stats.by_category.items()):
        lines.append(f"  {category:<22} {right}/{total} ({100 * right / total:.0f}%)")
    if stats.weak_spots:
        weak = ", ".join(f"{names.get(s, s)} ({r}/{t})" for s, r, t in stats.weak_spots)
        lines.append(f"Weak spots: {weak}")
    return "\n".join(lines)


def cmd_stats(args: argparse.Namespace) -> int:
    knowledge = _load(args.knowledge)
    names = {s.id: s.short for s in knowledge.services.values()}

    async def work(quizmaster: Quizmaster) -> int:
        print(format_stats(await quizmaster.store.stats(LOCAL_GUILD, LOCAL_USER), names))
        return 0

    return _run_async(_with_quizmaster(knowledge, work))


NO_TOKEN = "DISCORD_TOKEN is not set: put it in the environment or in .env (see .env.example)."


def _settings(args: argparse.Namespace | None = None) -> Settings:
    """The environment's settings; `--knowledge` (before or after the command) wins."""
    settings = Settings.from_env()
    folder = getattr(args, "knowledge", None)
    return dataclasses.replace(settings, knowledge_dir=Path(folder)) if folder else settings


def _configure_logging(level: str) -> None:
    import logging

    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if not settings.token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    _configure_logging(settings.log_level)
    from bot.discord_app.client import run_bot

    try:
        asyncio.run(run_bot(settings))
    except KnowledgeError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    except StoreError as error:
        print(f"the bot cannot start: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # a bad token or a refused login: one line, no traceback
        print(f"the bot stopped: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if not settings.token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    from bot.discord_app.client import sync_with_token

    guild = args.guild or settings.dev_guild_id
    try:
        count = asyncio.run(sync_with_token(settings, guild))
    except Exception as error:
        print(f"sync failed: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(f"synced {count} commands " + (f"to server {guild}" if guild else "globally"))
    return 0


def cmd_health(args: argparse.Namespace) -> int:
    """For the container's HEALTHCHECK: a fresh heartbeat and a scheduler still ticking."""
    from datetime import UTC, datetime

    from bot.core.health import check

    path = _settings().heartbeat_path
    problem = check(path, datetime.now(UTC), args.max_age, args.max_scheduler_age)
    if problem:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    print("healthy: heartbeat fresh, scheduler ticking")
    return 0


def _version() -> str:
    try:
        return metadata.version("cloudnotes-bot")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def _global_options(parser: argparse.ArgumentParser, default: object) -> None:
    """Options every command takes, before or after its name (`--knowledge DIR ask ...`
    and `ask ... --knowledge DIR` are the same)."""
    parser.add_argument(
        "--knowledge",
        metavar="DIR",
        default=default,
        help="knowledge folder (default: KNOWLEDGE_DIR, else the shipped knowledge)",
    )


class _Commands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Sub-commands that all take the global options too."""

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        command = super().add_parser(name, **kwargs)
        _global_options(command, argparse.SUPPRESS)  # after the name wins over before
        return command


HELP_EPILOG = f"""Settings come from the environment and from a .env file in the working folder.
Progress is kept in DATABASE_PATH, by default {data_dir() / "cloudnotes.db"}
($XDG_DATA_HOME/cloudnotes/cloudnotes.db), the same whatever folder you run from."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Study bot for a team's AWS notes.",
        epilog=HELP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.register("action", "parsers", _Commands)
    _global_options(parser, None)
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command")
    validate = sub.add_parser("validate", help="check every knowledge file")
    validate.add_argument("directory", nargs="?", help="knowledge directory to check")
    validate.set_defaults(func=cmd_validate)
    notes = sub.add_parser("notes", help="what each note gave: services, statements, limits")
    notes.add_argument("file", nargs="?", help="one note's file name")
    notes.set_defaults(func=cmd_notes)
    services = sub.add_parser("services", help="list the services by category")
    services.set_defaults(func=cmd_services)
    show = sub.add_parser("show", help="print one service's card (typos are fine)")
    show.add_argument("name", nargs="+")
    show.set_defaults(func=cmd_show)
    ask = sub.add_parser("ask", help="answer a question from the notes")
    ask.add_argument("question", nargs="*")
    ask.add_argument("--json", action="store_true", help="print one JSON object per answer")
    ask.add_argument("--batch", metavar="FILE", help="answer each line of FILE in order")
    ask.set_defaults(func=cmd_ask)
    ev = sub.add_parser("eval", help="score a question file, per category, with every miss")
    ev.add_argument("file")
    ev.set_defaults(func=cmd_eval)
    bank = sub.add_parser("bank", help="every quiz question with its answer and reasons")
    bank.add_argument("--json", action="store_true", help="one JSON object per line")
    bank.add_argument("--topic", help="a category or a service")
    bank.set_defaults(func=cmd_bank)
    bench = sub.add_parser("bench", help="timings and memory, against a naive baseline")
    bench.add_argument("--facts", type=int, default=100_000, help="size of the generated base")
    bench.add_argument("--questions", type=int, default=1000)
    bench.set_defaults(func=cmd_bench)
    quiz = sub.add_parser("quiz", help="a quiz in the terminal (answers from standard input)")
    quiz.add_argument("--topic", help="a category or a service, e.g. databases or lambda")
    quiz.add_argument("--difficulty", choices=DIFFICULTIES, help="only questions of this level")
    quiz.add_argument("--count", type=int, default=5)
    quiz.set_defaults(func=cmd_quiz)
    stats = sub.add_parser("stats", help="your answers, accuracy per category, streak")
    stats.set_defaults(func=cmd_stats)
    run = sub.add_parser("run", help="connect to Discord (needs DISCORD_TOKEN)")
    run.set_defaults(func=cmd_run)
    sync = sub.add_parser("sync", help="register the slash commands with Discord")
    sync.add_argument("--guild", type=int, help="sync to one server only (instant)")
    sync.set_defaults(func=cmd_sync)
    health = sub.add_parser("health", help="exit 0 if the bot wrote its heartbeat recently")
    health.add_argument("--max-age", type=float, default=120.0, help="heartbeat age, seconds")
    health.add_argument(
        "--max-scheduler-age",
        type=float,
        default=7500.0,
        help="seconds since the daily scheduler's last tick (it ticks at least hourly)",
    )
    health.set_defaults(func=cmd_health)
    session = sub.add_parser("session", help="the local question session (the default)")
    session.set_defaults(func=cmd_session)
    return parser


def _dispatch(args: argparse.Namespace) -> int:
    if args.command is None:
        return cmd_run(args) if _settings().token else cmd_session(args)
    return int(args.func(args) or 0)


def _quiet_stdout() -> None:
    """After a closed pipe (`... | head`), send what is left of stdout nowhere, so that
    Python's final flush does not print an error either."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):
        os.dup2(devnull, sys.stdout.fileno())


def main(argv: list[str] | None = None) -> int:
    """Every command: settings from .env first, and any failure is one line on stderr."""
    args = build_parser().parse_args(argv)
    try:
        load_dotenv()
        return _dispatch(args)
    except SystemExit as stop:  # a command refusing to go on (e.g. broken knowledge)
        return stop.code if isinstance(stop.code, int) else 1
    except (StoreError, SettingsError) as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return 1
