"""Shared fixtures: the shipped knowledge is loaded once per session (it is read-only)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.engine import Engine
from bot.core.knowledge import Knowledge, load_knowledge

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "knowledge"
DATA = Path(__file__).resolve().parent / "data"


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


@pytest.fixture
def bot_settings(tmp_path: Path):
    from bot.config import Settings

    return Settings(
        token=None,
        database_path=tmp_path / "bot.db",
        knowledge_dir=KNOWLEDGE,
        heartbeat_path=tmp_path / "heartbeat",
        default_quiz_time="09:00",
        default_timezone="UTC",
    )


@pytest.fixture
def simcord_bot(bot_settings):
    from bot import create_bot

    return create_bot(bot_settings)
