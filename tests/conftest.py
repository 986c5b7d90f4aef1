"""Shared fixtures: the shipped knowledge is loaded once per session (it is read-only)."""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import pytest_asyncio

from bot.core.answering.engine import Engine
from bot.core.knowledge.loader import Knowledge, load_knowledge

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "knowledge"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session", autouse=True)
def engine_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The engine cache of every test (and of the commands they run) in a folder of the
    test session's own, never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    return folder


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return load_knowledge(KNOWLEDGE)


@pytest.fixture(scope="session")
def engine(knowledge: Knowledge) -> Engine:
    return Engine(knowledge)


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped knowledge, for breaking on purpose."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


async def make_team(env, name: str, channels: tuple[str, ...], members: tuple[str, ...] = ()):
    """A server of the simulated Discord with commands synced, its text channels, an
    admin ("ada", Manage Server) and the named members: (guild, channels, admin, members)."""
    import discord

    from bot.discord_app.client import sync_commands

    await sync_commands(env.bot)
    guild = env.create_guild(name)
    made = [guild.create_text_channel(c) for c in channels]
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    admin = guild.add_member(env.create_user("ada"), roles=[admins])
    people = [guild.add_member(env.create_user(m)) for m in members]
    return guild, made, admin, people


@pytest.fixture
def bot_settings(tmp_path: Path):
    from bot.config import Settings

    return Settings(
        token=None,
        database_path=tmp_path / "bot.db",
        knowledge_dir=KNOWLEDGE,
        heartbeat_path=tmp_path / "heartbeat",
        heartbeat_seconds=6 * 3600.0,  # simulated days stay cheap; the scheduler still ticks hourly
        default_quiz_time="09:00",
        default_timezone="UTC",
    )


@pytest.fixture
async def make_bot(bot_settings):
    """Builds bots for one test and closes each after it, as a real shutdown does.

    simcord detaches a bot without closing it; an open store keeps an aiosqlite thread
    alive and pytest would never exit."""
    from bot import create_bot

    built = []

    def make() -> object:
        built.append(create_bot(bot_settings))
        return built[-1]

    yield make
    for bot in built:
        await bot.close()


@pytest.fixture
def simcord_bot(make_bot: Callable[[], object]):
    return make_bot()


SETTLE_TIMEOUT = 60.0  # wall-clock guard per simcord step; a hang still fails, a busy machine not


@pytest_asyncio.fixture
async def simcord_env(simcord_bot, request):
    """simcord's fixture with a wall-clock guard sized for a shared, busy machine.

    The guard only exists to turn a hang into a failure; at simcord's 5 s default a
    loaded machine failed tests whose bot was fine."""
    from simcord import Env

    marker = request.node.get_closest_marker("simcord")
    options = {"settle_timeout": SETTLE_TIMEOUT, **(marker.kwargs if marker else {})}
    env = Env(simcord_bot, **options)
    await env.start()
    try:
        yield env
    finally:
        await env.shutdown()
        if env.check_errors:
            env._raise_errors_since(env._errors_acknowledged)


def _database_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if "_connection_worker_thread" in t.name]


@pytest.fixture(autouse=True)
def no_database_left_open():
    """Fail the test that leaves a database connection open, instead of hanging at exit."""
    before = set(_database_threads())
    yield
    deadline = time.monotonic() + 2
    while (leaked := set(_database_threads()) - before) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not leaked, f"{len(leaked)} database connection(s) left open by this test"


EXIT_STATUS = pytest.StashKey[int]()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    session.config.stash[EXIT_STATUS] = int(exitstatus)


def pytest_unconfigure(config: pytest.Config) -> None:
    """A connection left open keeps a non-daemon thread alive: end the run, do not hang."""
    if _database_threads():
        print("database connections left open; ending the test process", file=sys.stderr)
        sys.stderr.flush()
        sys.stdout.flush()
        os._exit(config.stash.get(EXIT_STATUS, 1) or 1)
