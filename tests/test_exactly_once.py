"""Exactly one daily post per channel and day, whatever fails, and a loop that cannot die.

Each test injects one failure found by probing the running bot (issue 14) and asserts
one post: a database error between the send and the record, a crash there, Discord
refusing the send, a second bot process on the same database, `/study now` racing the
scheduled post; and an exception escaping a tick."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord
import pytest
from simtime import advance

from bot.core.health import check, format_heartbeat
from bot.core.study.channels import StudyChannels
from bot.core.study.schedule import local_today
from bot.core.study.store import Store
from bot.discord_app.client import StudyBot
from bot.discord_app.posting import DailyPoster, Outcome
from bot.discord_app.views import quiz_view
from tests.conftest import make_team

HOUR = 3600
DAY = 24 * HOUR


@pytest.fixture
async def study(simcord_env):
    """A server whose #study channel posts at 09:00 UTC."""
    env = simcord_env
    guild, (channel,), admin, _ = await make_team(env, "Team", ("study",))
    await admin.slash(channel, "study channel", channel=channel, time="09:00")
    return env, guild, channel, admin


def dailies(channel) -> list[discord.Message]:
    return [m for m in channel.history() if m.embeds and "Daily quiz" in (m.embeds[0].title or "")]


async def recorded(env, channel) -> list:
    """The channel's daily quizzes whose message is recorded."""
    rows = await env.bot.store.db.execute_fetchall(
        "SELECT id, message_id FROM quizzes WHERE channel_id = ? AND kind = 'daily'",
        (channel.id,),
    )
    return [tuple(row) for row in rows]


def fail_once(monkeypatch, target: str, error: BaseException) -> list[int]:
    """Make an async method raise `error` on its first call; returns the call count."""
    owner, name = target.rsplit(".", 1)
    module_name, cls_name = owner.rsplit(".", 1)
    import importlib

    cls = getattr(importlib.import_module(module_name), cls_name)
    original = getattr(cls, name)
    calls = [0]

    async def failing(self, *args, **kwargs):
        calls[0] += 1
        if calls[0] == 1:
            raise error
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(cls, name, failing)
    return calls


async def test_a_database_error_after_the_send_does_not_post_twice(study, monkeypatch) -> None:
    env, guild, channel, admin = study
    fail_once(
        monkeypatch,
        "bot.core.study.channels.StudyChannels.finish",
        sqlite3.OperationalError("database is locked"),
    )
    await advance(env, 9 * HOUR + 60)
    assert len(dailies(channel)) == 1
    assert [m for m in channel.history() if "could not be posted" in (m.content or "")] == []
    await advance(env, HOUR)  # the next tick reconciles: the post is found, not re-sent
    assert len(dailies(channel)) == 1
    [(quiz_id, message_id)] = await recorded(env, channel)
    assert message_id == dailies(channel)[0].id
    await advance(env, 5 * HOUR)
    assert len(dailies(channel)) == 1


async def test_a_crash_after_the_send_does_not_post_twice(study, monkeypatch, make_bot) -> None:
    env, guild, channel, admin = study
    fail_once(
        monkeypatch,
        "bot.core.study.channels.StudyChannels.finish",
        RuntimeError("killed between the send and the record"),
    )
    await advance(env, 9 * HOUR + 60)
    await env.restart_bot(make_bot())  # a new process: the claim is not its own
    await advance(env, 60)
    assert len(dailies(channel)) == 1  # the claim is still within its lease: left alone
    await advance(env, 2 * HOUR)  # lease over: reconciled against the channel
    assert len(dailies(channel)) == 1
    [(quiz_id, message_id)] = await recorded(env, channel)
    assert message_id == dailies(channel)[0].id


async def test_a_refused_send_is_retried_once(study) -> None:
    env, guild, channel, admin = study
    env.inject_error("POST", f"/channels/{channel.id}/messages", status=500, times=1)
    await advance(env, 9 * HOUR + 60)
    assert dailies(channel) == []
    await advance(env, HOUR)
    assert len(dailies(channel)) == 1
    await advance(env, DAY - 2 * HOUR)
    assert len(dailies(channel)) == 1
    listed = await admin.slash(channel, "study list")
    assert "last problem" not in listed.response.content  # cleared once posted


class OtherProcess(DailyPoster):
    """A second bot process: its own claims and its own database connection."""

    def __init__(self, bot: StudyBot, store: Store) -> None:
        super().__init__(bot)
        self.other_store = store

    @property
    def book(self) -> StudyChannels:
        return StudyChannels(self.other_store)


@pytest.fixture
async def other_store(bot_settings):
    store = await Store.open(bot_settings.database_path)
    yield store
    await store.close()


async def test_two_processes_on_one_database_post_once_a_day(study, other_store) -> None:
    env, guild, channel, admin = study
    other = OtherProcess(env.bot, other_store)
    await advance(env, 9 * HOUR - 1)
    for day in range(10):
        if day % 2:  # the other process gets there first on odd days
            results = await other.post_due(env.now() + timedelta(seconds=1))
            assert [r.outcome for r in results] == [Outcome.POSTED]
            await advance(env, 2)
        else:
            await advance(env, 2)
            results = await other.post_due(env.now())
            assert [r.outcome for r in results] == [Outcome.ALREADY]
        await advance(env, DAY - 2)
    assert len(dailies(channel)) == 10
    assert len({m.embeds[0].title for m in dailies(channel)}) == 10


async def test_a_fresh_claim_of_another_process_is_left_to_it_then_reconciled(
    study, other_store
) -> None:
    env, guild, channel, admin = study
    other = OtherProcess(env.bot, other_store)
    await advance(env, 9 * HOUR - 30)
    book = StudyChannels(other_store)
    [settings] = await book.all()
    day = local_today(settings, env.now()).isoformat()
    claim = await book.claim(
        settings, day, ("q", ("a", "b", "c", "d"), 0, "", ""), other.owner, env.now()
    )
    await advance(env, 60)  # 09:00:30: the bot's tick finds the claim fresh
    assert dailies(channel) == []
    busy = await admin.slash(channel, "study now")
    assert "being posted right now" in busy.response.content
    # The other process sends, then dies before recording the message.
    sent = await env.bot.get_channel(channel.id).send(
        embed=discord.Embed(title="Daily quiz · x"), view=quiz_view(claim)
    )
    await advance(env, HOUR)  # the next tick: lease over, found in the channel, not re-sent
    assert [m.id for m in dailies(channel)] == [sent.id]
    assert await recorded(env, channel) == [(claim.id, sent.id)]


async def test_a_dead_claim_without_a_post_is_sent_once(study, other_store) -> None:
    env, guild, channel, admin = study
    other = OtherProcess(env.bot, other_store)
    await advance(env, 9 * HOUR - 60)
    book = StudyChannels(other_store)
    [settings] = await book.all()
    day = local_today(settings, env.now()).isoformat()
    question = next(iter(env.bot.quizmaster.bank.values()))
    fields = (question.id, question.options, 0, question.service, "")
    await book.claim(settings, day, fields, other.owner, env.now())  # and then it died
    await advance(env, 2 * HOUR)
    assert len(dailies(channel)) == 1
    [(quiz_id, message_id)] = await recorded(env, channel)
    assert message_id == dailies(channel)[0].id


async def test_study_now_racing_the_scheduled_post_posts_once(study) -> None:
    env, guild, channel, admin = study
    await advance(env, 9 * HOUR - 10)
    cog = env.bot.get_cog("StudyCog")
    [settings] = await StudyChannels(env.bot.store).all()
    now = env.now() + timedelta(seconds=20)
    day = local_today(settings, now)
    results = await asyncio.gather(
        cog.poster.post(settings, day, now), cog.poster.post(settings, day, now)
    )
    assert sorted(r.outcome.value for r in results) == ["busy", "posted"]
    await advance(env, 60)  # the scheduled tick comes too
    assert len(dailies(channel)) == 1
    again = await admin.slash(channel, "study now")
    assert "already posted" in again.response.content


async def test_the_loop_survives_an_error_escaping_a_tick(study, monkeypatch) -> None:
    env, guild, channel, admin = study
    calls = fail_once(
        monkeypatch, "bot.core.study.channels.StudyChannels.all", RuntimeError("disk I/O error")
    )
    await advance(env, 9 * HOUR + 60)  # the 09:00 tick raises; the loop starts again
    assert calls[0] >= 2
    assert any("disk I/O error" in str(error) for error in env.errors)  # logged, not lost
    for _ in range(4):
        await advance(env, DAY)
    assert len(dailies(channel)) == 5  # one a day for five days
    bot: StudyBot = env.bot
    assert bot.scheduler_tick is not None
    assert (env.now() - bot.scheduler_tick) <= timedelta(hours=1)
    assert bot.get_cog("StudyCog").daily.is_running()


async def test_one_channels_error_does_not_stop_the_others(study, monkeypatch) -> None:
    env, guild, channel, admin = study
    other = guild.create_text_channel("other-study")
    await admin.slash(channel, "study channel", channel=other, time="09:00")
    from bot.discord_app import posting

    original = posting.pick_question

    async def broken_for_study(master, book, settings, rng=None):
        if settings.channel_id == channel.id:
            raise KeyError("a question vanished")
        return await original(master, book, settings, rng)

    monkeypatch.setattr(posting, "pick_question", broken_for_study)
    await advance(env, 9 * HOUR + 60)
    assert dailies(channel) == [] and len(dailies(other)) == 1


async def test_the_heartbeat_carries_the_schedulers_last_tick(study, bot_settings) -> None:
    env, guild, channel, admin = study
    await advance(env, HOUR)
    text = Path(bot_settings.heartbeat_path).read_text(encoding="utf-8")
    assert "scheduler " in text
    assert check(Path(bot_settings.heartbeat_path), env.now(), 3600, 7500) is None


def test_health_fails_on_a_stale_scheduler_or_a_heartbeat_from_the_future(tmp_path) -> None:
    path = tmp_path / "heartbeat"
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    path.write_text(format_heartbeat(now, now - timedelta(minutes=30)))
    assert check(path, now, 120, 7500) is None
    path.write_text(format_heartbeat(now, now - timedelta(hours=3)))
    assert "scheduler is stale" in check(path, now, 120, 7500)
    path.write_text(format_heartbeat(now + timedelta(hours=1), now))
    assert "future" in check(path, now, 120, 7500)
    path.write_text(format_heartbeat(now, None))
    assert "not finished a tick" in check(path, now, 120, 7500)
    path.write_text(format_heartbeat(now - timedelta(minutes=5), now))
    assert "no recent heartbeat" in check(path, now, 120, 7500)
    path.write_text("not a time")
    assert "unreadable" in check(path, now, 120, 7500)
    assert "no heartbeat file" in check(tmp_path / "missing", now, 120, 7500)


def test_the_health_command_reads_the_scheduler_line(tmp_path) -> None:
    import os
    import subprocess
    import sys

    path = tmp_path / "heartbeat"
    env = {**os.environ, "HEARTBEAT_PATH": str(path), "DISCORD_TOKEN": ""}

    def health() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", "health"],
            capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path,
        )  # fmt: skip

    now = datetime.now(UTC)
    path.write_text(format_heartbeat(now, now - timedelta(hours=5)))
    stale = health()
    assert stale.returncode == 1 and "scheduler is stale" in stale.stderr
    path.write_text(format_heartbeat(now, now - timedelta(minutes=10)))
    fresh = health()
    assert fresh.returncode == 0 and "healthy" in fresh.stdout
