"""1,000 servers with 3 study channels each, all scheduled at the same minute, in simcord.

Run: .venv/bin/python benchmarks/study_channels.py [--servers N] [--channels N] [--days N]
(needs the test extras: simcord). Each day, at 09:00 UTC, every channel must get exactly
one post, and from the second day each post also reveals (edits) the one before. Prints
the posts made, doubled and missed per day, and the wall-clock time the bot itself spends
from the first post to the last (simcord answers instantly, so this is the bot's own
share; real Discord adds its rate limits on top).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import discord
import simcord

from bot import create_bot
from bot.config import Settings
from bot.core.knowledge.loader import default_knowledge_dir
from bot.core.study.channels import StudyChannels
from bot.discord_app.posting import CONCURRENCY

HOUR = 3600


async def main(servers: int, per_server: int, days: int) -> None:
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("discord.ext.tasks").setLevel(logging.ERROR)  # simcord's exact clock
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            database_path=Path(folder) / "bench.db",
            knowledge_dir=default_knowledge_dir(),
            heartbeat_path=Path(folder) / "heartbeat",
            heartbeat_seconds=HOUR,
        )
        bot = create_bot(settings)
        sends: list[float] = []
        original_send = discord.TextChannel.send

        async def timed_send(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            message = await original_send(self, *args, **kwargs)
            sends.append(time.perf_counter())
            return message

        discord.TextChannel.send = timed_send  # type: ignore[method-assign]
        async with simcord.run(bot, settle_timeout=600) as env:
            started = time.perf_counter()
            channels = []
            for number in range(servers):
                guild = env.create_guild(f"team{number}")
                for track in range(per_server):
                    channels.append((guild.id, guild.create_text_channel(f"study-{track}")))
            await env.settle()
            book = StudyChannels(bot.store)
            for guild_id, channel in channels:
                await book.save(guild_id, channel.id, ("09:00", "UTC"))
            await bot.get_cog("StudyCog").reschedule()
            print(
                f"set-up: {servers} servers x {per_server} channels = {len(channels)} study "
                f"channels in {time.perf_counter() - started:.1f} s"
            )
            baseline = await simulator_baseline(env, channels)
            print(
                f"simulator baseline: {len(channels)} bare sends of the same message with "
                f"{CONCURRENCY} at once, no bot logic: {baseline:.2f} s"
            )
            await env.advance_time(9 * HOUR - 1)
            for day in range(1, days + 1):
                sends.clear()
                tick_started = time.perf_counter()
                await env.advance_time(2)  # 09:00:01: every channel is due at once
                tick = time.perf_counter() - tick_started
                counts = Counter(
                    channel.id
                    for _guild, channel in channels
                    for message in channel.history()
                    if message.embeds and "Daily quiz" in (message.embeds[0].title or "")
                )
                doubled = sum(1 for n in counts.values() if n > day)
                missed = sum(1 for _g, channel in channels if counts[channel.id] < day)
                span = (sends[-1] - sends[0]) if sends else 0.0
                first = (sends[0] - tick_started) if sends else 0.0
                print(
                    f"day {day}: {len(sends)} posts, {doubled} channels doubled, {missed} "
                    f"missed; first post after {first:.2f} s, first to last post {span:.2f} s "
                    f"(the bot's own share over the baseline: {span - baseline:.2f} s), whole "
                    f"tick with reveals {tick:.2f} s"
                )
                await env.advance_time((timedelta(days=1).total_seconds()) - 2)
        discord.TextChannel.send = original_send  # type: ignore[method-assign]
        await bot.close()  # simcord detaches the bot without closing its database


async def simulator_baseline(env: simcord.Env, channels: list) -> float:
    """Seconds simcord itself takes for the same sends (an embed and four buttons per
    channel, the same number at once) with no claims, database or reveals: the part of
    the figure that is the simulator's, not the bot's."""
    bot = env.bot
    queue = [bot.get_guild(guild_id).get_channel(channel.id) for guild_id, channel in channels]
    embed = discord.Embed(title="Baseline", description="x" * 200)

    async def worker() -> None:
        while queue:
            target = queue.pop()
            view = discord.ui.View(timeout=None)
            for n in range(4):
                view.add_item(discord.ui.Button(label=f"option {n}", custom_id=f"bench:{n}"))
            view.stop()  # not kept per message, as the bot's quiz views are not
            await target.send(content="baseline", embed=embed, view=view)

    started = time.perf_counter()
    with env._bot_scope():  # sent as the bot's own work, as the scheduler's sends are
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return time.perf_counter() - started


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--servers", type=int, default=1000)
    parser.add_argument("--channels", type=int, default=3)
    parser.add_argument("--days", type=int, default=2)
    options = parser.parse_args()
    asyncio.run(main(options.servers, options.channels, options.days))
