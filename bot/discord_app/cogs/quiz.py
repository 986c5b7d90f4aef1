"""/quiz, /stats and /leaderboard. Answers arrive through the persistent quiz buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands
from rapidfuzz import fuzz, process

from bot.core.study.channels import StudyChannels
from bot.core.study.counting import leaderboard
from bot.core.study.store import LOCAL_GUILD
from bot.discord_app import render
from bot.discord_app.views import quiz_view

if TYPE_CHECKING:
    from bot.discord_app.client import StudyBot

QUIZ_RATE = (3, 60.0)  # three quizzes a minute per person


def _guild_id(interaction: discord.Interaction) -> int:
    return interaction.guild_id or LOCAL_GUILD


class QuizCog(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    async def topics(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        assert self.bot.quizmaster is not None
        topics = self.bot.quizmaster.topics()
        if current.strip():
            topics = [
                t for t, _s, _k in process.extract(current, topics, scorer=fuzz.WRatio, limit=25)
            ]
        return [app_commands.Choice(name=t[:100], value=t[:100]) for t in topics[:25]]

    @app_commands.command(name="quiz", description="A quiz question; answer with the buttons")
    @app_commands.describe(
        topic="a category (databases) or a service (Lambda); empty for any",
        difficulty="easy, medium or hard; empty for any",
    )
    @app_commands.checks.cooldown(*QUIZ_RATE, key=lambda i: i.user.id)
    async def quiz(
        self,
        interaction: discord.Interaction,
        topic: app_commands.Range[str, 0, 100] | None = None,
        difficulty: Literal["easy", "medium", "hard"] | None = None,
    ) -> None:
        master = self.bot.quizmaster
        assert master is not None
        question = await master.next_for(interaction.user.id, topic, difficulty)
        if question is None:
            await interaction.response.send_message(
                render.content(master.no_match(topic, difficulty)), ephemeral=True
            )
            return
        quiz = await master.post(
            _guild_id(interaction), question, channel_id=interaction.channel_id
        )
        assert quiz is not None
        await interaction.response.send_message(
            embed=render.quiz_embed(
                question.question, quiz, 0, f"Quiz for {interaction.user.display_name}"
            ),
            view=quiz_view(quiz),
        )
        message = await interaction.original_response()
        await master.store.set_message(quiz.id, message.channel.id, message.id)

    @app_commands.command(
        name="stats", description="Your quiz accuracy per category, streak and weak spots"
    )
    async def stats(self, interaction: discord.Interaction) -> None:
        assert self.bot.store is not None
        stats = await self.bot.store.stats(
            _guild_id(interaction), interaction.user.id, now=discord.utils.utcnow()
        )
        names = {s.id: s.short for s in self.bot.knowledge.services.values()}
        await interaction.response.send_message(
            embed=render.stats_embed(interaction.user.display_name, stats, names), ephemeral=True
        )

    @app_commands.command(name="leaderboard", description="This server's daily quiz ranking")
    @app_commands.describe(period="the last 7 days, 30 days, or all time (default: week)")
    async def leaderboard(
        self,
        interaction: discord.Interaction,
        period: Literal["week", "month", "all"] = "week",
    ) -> None:
        assert self.bot.store is not None
        guild_id = _guild_id(interaction)
        timezone = await StudyChannels(self.bot.store).guild_zone(
            guild_id, self.bot.settings.default_timezone
        )
        rows, own = await leaderboard(
            self.bot.store,
            guild_id,
            period,
            discord.utils.utcnow(),
            timezone,
            user_id=interaction.user.id,
        )
        title = f"Leaderboard · {PERIOD_TITLES[period]}"
        if not rows:
            await interaction.response.send_message(
                f"{title}: no daily quiz answers yet. `/quiz` practice counts in `/stats` only."
            )
            return
        lines = [
            f"**{row.rank}.** <@{row.user_id}>: {row.correct} right of {row.answered}"
            for row in rows
        ]
        if own is not None and own not in rows:
            lines.append(f"…\n**{own.rank}.** you: {own.correct} right of {own.answered}")
        elif own is None:
            lines.append("\nYou have no daily answers in this period yet.")
        embed = discord.Embed(title=title, description="\n".join(lines), colour=0xE67E22)
        embed.set_footer(text="Daily quizzes only; /quiz practice counts in /stats.")
        await interaction.response.send_message(
            embed=render.fit(embed), allowed_mentions=render.NO_PINGS
        )


PERIOD_TITLES = {"week": "last 7 days", "month": "last 30 days", "all": "all time"}


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(QuizCog(bot))
