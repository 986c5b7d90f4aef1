"""Time from a user's /ask to the bot's response, over 1,000 questions, in simcord.

Run: .venv/bin/python benchmarks/discord_ask.py   (needs the test extras: simcord)
The 3-second interaction deadline is the budget; this prints how much of it /ask uses.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import simcord

from bot import create_bot
from bot.config import Settings
from bot.core.answering.bench import bench_questions
from bot.core.knowledge.loader import default_knowledge_dir
from bot.discord_app.client import sync_commands

COUNT = 1000


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            database_path=Path(folder) / "bench.db",
            knowledge_dir=default_knowledge_dir(),
            heartbeat_path=Path(folder) / "heartbeat",
        )
        bot = create_bot(settings)
        questions = bench_questions(bot.knowledge, COUNT)[:COUNT]
        async with simcord.run(bot) as env:
            await sync_commands(env.bot)
            guild = env.create_guild("Bench")
            channel = guild.create_text_channel("ask")
            # /ask allows five questions per 30 s per person: spread them over people.
            people = [guild.add_member(env.create_user(f"user{n}")) for n in range(COUNT // 4 + 1)]
            samples = []
            for number, question in enumerate(questions):
                person = people[number // 4]
                started = time.perf_counter()
                result = await person.slash(channel, "ask", question=question[:500] or "?")
                samples.append(time.perf_counter() - started)
                assert result.response is not None
        samples.sort()
        p50 = statistics.median(samples) * 1000
        p99 = samples[int(len(samples) * 0.99) - 1] * 1000
        print(
            f"/ask interaction to response over {len(samples)} questions: "
            f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {samples[-1] * 1000:.1f} ms "
            f"(deadline 3000 ms)"
        )


if __name__ == "__main__":
    asyncio.run(main())
