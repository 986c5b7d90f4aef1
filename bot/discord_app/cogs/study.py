"""/study: a server's study channels (each with its time, zone, days, topics, difficulty
and role to ping), and the loop that posts their daily quizzes.

The loop cannot die quietly: each channel's error is caught inside the tick
(`DailyPoster.post_due`), anything else that escapes a tick is logged and the loop is
started again, and the bot records each finished tick for the health check.
"""

from __future__ import annotations

import asyncio
import logging
import zoneinfo
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands, tasks
from rapidfuzz import fuzz, process

from bot.config import parse_time
from bot.core.study.channels import StudyChannels
from bot.core.study.daily import candidates
from bot.core.study.schedule import (
    StudyChannel,
    describe_days,
    local_today,
    next_post,
    parse_days,
    wake_times,
)
from bot.core.study.timezones import unknown_zone_message, zone_name
from bot.discord_app import render
from bot.discord_app.posting import DailyPoster, Outcome, missing_permissions

if TYPE_CHECKING:
    from bot.discord_app.client import StudyBot

log = logging.getLogger(__name__)
RESTART_DELAY = 30.0  # seconds before a failed loop starts again
POPULAR_ZONES = ["UTC", "Europe/London", "Europe/Paris", "America/New_York", "Asia/Tokyo"]


class StudyCog(commands.Cog):
    study = app_commands.Group(
        name="study",
        description="Study channels and their daily quiz (Manage Server)",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.poster = DailyPoster(bot)
        self._zones = sorted(zoneinfo.available_timezones())
        self._restarting: asyncio.Task[None] | None = None
        self._unloading = False

    @property
    def book(self) -> StudyChannels:
        return self.poster.book

    async def cog_load(self) -> None:
        self.daily.start()

    async def cog_unload(self) -> None:
        self._unloading = True
        self.daily.cancel()
        if self._restarting is not None:
            self._restarting.cancel()

    # --- commands ------------------------------------------------------------------------

    async def _reply(self, interaction: discord.Interaction, text: str) -> None:
        """Admin replies carry the server's posting problems not yet told, once."""
        assert interaction.guild_id is not None
        untold = await self.book.take_untold(interaction.guild_id)
        if untold:
            lines = "\n".join(f"<#{channel}>: {problem}" for channel, problem in untold)
            text = f"⚠️ A daily post failed:\n{lines}\n\n{text}"
        await interaction.response.send_message(
            render.content(text), ephemeral=True, allowed_mentions=render.NO_PINGS
        )

    @study.command(name="channel", description="Add a study channel, or change its settings")
    @app_commands.describe(
        channel="the study channel",
        time="when to post, 24-hour HH:MM (default 09:00, or keep)",
        timezone="e.g. Europe/Paris (default UTC, or keep)",
        topics="categories or services, comma-separated (e.g. containers, lambda); 'all'",
        days="e.g. mon-fri, mon,wed,fri, weekdays (default every day)",
        difficulty="easy, medium or hard; 'any' for all",
        role="a role to ping with each daily quiz (@everyone: no ping)",
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    async def channel(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        time: app_commands.Range[str, 1, 5] | None = None,
        timezone: app_commands.Range[str, 1, 64] | None = None,
        topics: app_commands.Range[str, 1, 200] | None = None,
        days: app_commands.Range[str, 1, 60] | None = None,
        difficulty: Literal["easy", "medium", "hard", "any"] | None = None,
        role: discord.Role | None = None,
    ) -> None:
        assert interaction.guild is not None
        missing = missing_permissions(channel, interaction.guild.me)
        if missing:
            await self._reply(
                interaction,
                f"I can't post in {channel.mention}: I need {', '.join(missing)} there. "
                "Nothing was changed.",
            )
            return
        changes, problem = self._read_changes(time, timezone, topics, days, difficulty)
        if problem:
            await self._reply(interaction, f"{problem} Nothing was changed.")
            return
        if role is not None:
            changes["role_id"] = None if role.is_default() else role.id
        saved, added = await self.book.save(
            interaction.guild.id, channel.id, self._defaults(), **changes
        )
        if not candidates(self._master(), saved):
            await self._reply(
                interaction,
                f"Saved, but no quiz question matches {channel.mention}'s topics and "
                "difficulty: change them or nothing will be posted.",
            )
            return
        await self.reschedule()
        verb = "is now a study channel" if added else "is updated"
        await self._reply(interaction, f"{channel.mention} {verb}: {self._describe(saved)}.")

    def _read_changes(
        self,
        time: str | None,
        timezone: str | None,
        topics: str | None,
        days: str | None,
        difficulty: str | None,
    ) -> tuple[dict[str, object], str | None]:
        """The settings given, checked; (changes, None) or ({}, what is wrong)."""
        changes: dict[str, object] = {}
        if time is not None:
            when = parse_time(time)
            if when is None:
                return {}, f"{time!r} is not a time: use 24-hour HH:MM, e.g. 08:30."
            changes["quiz_time"] = when
        if timezone is not None:
            known = zone_name(timezone)
            if known is None:
                message = unknown_zone_message(timezone)
                return {}, f"{message[0].upper()}{message[1:]} Nothing changed."
            changes["timezone"] = known
        if topics is not None:
            chosen = [t.strip() for t in topics.split(",") if t.strip()]
            if [t.lower() for t in chosen] in ([], ["all"], ["any"]):
                chosen = []
            unknown = [t for t in chosen if not self._master().matching(t)]
            if unknown:
                hint = ", ".join(self._master().topics()[:8])
                return {}, f"No quiz questions about {', '.join(unknown)}. Try: {hint}."
            changes["topics"] = chosen
        if days is not None:
            parsed = parse_days(days)
            if parsed is None:
                return {}, f"{days!r} is not a list of days: try mon-fri, or mon,wed,fri."
            changes["days"] = parsed
        if difficulty is not None:
            changes["difficulty"] = None if difficulty == "any" else difficulty
        return changes, None

    @channel.autocomplete("timezone")
    async def _zone_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        names = (
            [z for z, _s, _k in process.extract(current, self._zones, scorer=fuzz.WRatio, limit=25)]
            if current.strip()
            else POPULAR_ZONES
        )
        return [app_commands.Choice(name=z, value=z) for z in names]

    @channel.autocomplete("topics")
    async def _topic_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Completes the last of a comma-separated list, keeping the ones before it."""
        done, _sep, last = current.rpartition(",")
        prefix = f"{done.strip()}, " if done.strip() else ""
        topics = self._master().topics()
        if last.strip():
            topics = [t for t, _s, _k in process.extract(last, topics, scorer=fuzz.WRatio)]
        return [
            app_commands.Choice(name=(prefix + t)[:100], value=(prefix + t)[:100])
            for t in topics[:25]
        ]

    @study.command(name="off", description="Stop a channel's daily quiz (its history stays)")
    @app_commands.describe(channel="the study channel to stop")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def off(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        existing = await self.book.get(channel.id)
        if existing is None or existing.guild_id != interaction.guild_id:
            await self._reply(interaction, f"{channel.mention} is not a study channel.")
            return
        await self.book.remove(channel.id)
        await self.reschedule()
        await self._reply(
            interaction,
            f"No more daily quizzes in {channel.mention}; its history stays. "
            "`/study channel` adds it again.",
        )

    @study.command(name="list", description="Every study channel, its next post and problems")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def list_channels(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        channels = await self.book.for_guild(interaction.guild_id)
        if not channels:
            await self._reply(interaction, "No study channels yet: add one with `/study channel`.")
            return
        now = discord.utils.utcnow()
        lines = []
        for channel in channels:
            today = local_today(channel, now).isoformat()
            posted = await self.book.daily(channel.channel_id, today)
            upcoming = next_post(channel, now, posted is not None and posted.message_id is not None)
            stamp = int(upcoming.timestamp())
            problem = f"\n  ⚠️ last problem: {channel.last_error}" if channel.last_error else ""
            lines.append(
                f"<#{channel.channel_id}>: {self._describe(channel)}\n"
                f"  next post <t:{stamp}:f> (<t:{stamp}:R>){problem}"
            )
        await self._reply(interaction, "\n".join(lines))

    @study.command(name="now", description="Post today's quiz in a study channel now")
    @app_commands.describe(channel="the study channel (default: this one, or the only one)")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def now(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        assert interaction.guild_id is not None
        chosen = await self._study_channel(interaction, channel)
        if isinstance(chosen, str):
            await self._reply(interaction, chosen)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        moment = discord.utils.utcnow()
        result = await self.poster.post(chosen, local_today(chosen, moment), moment)
        await self.poster.settle(chosen, result)
        where = f"<#{chosen.channel_id}>"
        text = {
            Outcome.POSTED: f"Posted today's quiz in {where}.",
            Outcome.RECOVERED: f"Today's quiz was already in {where}; it is recorded now.",
            Outcome.ALREADY: f"Today's quiz is already posted in {where}.",
            Outcome.BUSY: f"Today's quiz for {where} is being posted right now.",
            Outcome.FAILED: f"I could not post in {where}: {result.problem}.",
        }[result.outcome]
        await interaction.followup.send(
            render.content(text), ephemeral=True, allowed_mentions=render.NO_PINGS
        )

    async def _study_channel(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None
    ) -> StudyChannel | str:
        """The study channel named, else the one the command was used in, else the
        server's only one; or what to tell the admin."""
        assert interaction.guild_id is not None
        if channel is not None:
            found = await self.book.get(channel.id)
            if found is None or found.guild_id != interaction.guild_id:
                return f"{channel.mention} is not a study channel: add it with `/study channel`."
            return found
        channels = await self.book.for_guild(interaction.guild_id)
        here = next((c for c in channels if c.channel_id == interaction.channel_id), None)
        if here is not None:
            return here
        if len(channels) == 1:
            return channels[0]
        if not channels:
            return "Add a study channel first: `/study channel`."
        return "This server has several study channels: say which one (`channel:`)."

    def _defaults(self) -> tuple[str, str]:
        return (self.bot.settings.default_quiz_time, self.bot.settings.default_timezone)

    def _master(self):
        assert self.bot.quizmaster is not None
        return self.bot.quizmaster

    @staticmethod
    def _describe(channel: StudyChannel) -> str:
        topics = ", ".join(channel.topics) if channel.topics else "all topics"
        level = channel.difficulty or "any difficulty"
        ping = f", pings <@&{channel.role_id}>" if channel.role_id else ""
        return (
            f"{channel.quiz_time} ({channel.timezone}), {describe_days(channel.days)}, "
            f"{topics}, {level}{ping}"
        )

    # --- the daily loop -------------------------------------------------------------------

    @tasks.loop(time=wake_times([], discord.utils.utcnow()))
    async def daily(self) -> None:
        await self.tick()

    async def tick(self) -> None:
        """Post what is due (each channel on its own), then wake again at the next time."""
        moment = discord.utils.utcnow()
        await self.poster.post_due(moment)
        await self.reschedule()
        self.bot.scheduler_tick = moment
        self.bot.write_heartbeat()

    @daily.before_loop
    async def _catch_up(self) -> None:
        """A post missed while the bot was down is made on start, if still that day;
        an error here is logged, never the end of the loop."""
        await self.bot.wait_until_ready()
        try:
            await self.tick()
        except Exception:
            log.exception("the start-up catch-up of daily quizzes failed")

    @daily.error
    async def _daily_failed(self, error: BaseException) -> None:
        """Something escaped a tick: log it and start the loop again shortly."""
        log.error("the daily quiz loop failed; restarting it", exc_info=error)
        if self._unloading:
            return
        self._restarting = asyncio.create_task(self._restart(self.daily.get_task()))

    async def _restart(self, failed: asyncio.Task[None] | None) -> None:
        if failed is not None:
            await asyncio.wait([failed])
        await asyncio.sleep(RESTART_DELAY)
        if not self._unloading and not self.daily.is_running():
            self.daily.start()

    async def reschedule(self) -> None:
        """Wake at every channel's local time (recomputed: settings and offsets change)."""
        channels = await self.book.all()
        self.daily.change_interval(time=wake_times(channels, discord.utils.utcnow()))


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(StudyCog(bot))
