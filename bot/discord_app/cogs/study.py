"""/study settings for admins, and the daily quiz posted to each server's study channel.

The database decides what was posted: a daily quiz row is unique per server and day, so
restarts, reconnects and retries post it once. A failure in one server (channel deleted,
permission missing) is recorded for its admins and never stops the others.
"""

from __future__ import annotations

import logging
import zoneinfo
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands, tasks
from rapidfuzz import fuzz, process

from bot.config import parse_time
from bot.core.study.quiz import daily_wake_times, zone
from bot.core.study.store import GuildSettings, QuizRecord
from bot.core.study.timezones import unknown_zone_message, zone_name
from bot.discord_app import render

if TYPE_CHECKING:
    from bot.discord_app.client import StudyBot

log = logging.getLogger(__name__)
NEEDED = ("send_messages", "embed_links")


def missing_permissions(channel: discord.abc.GuildChannel, me: discord.Member) -> list[str]:
    permissions = channel.permissions_for(me)
    return [name for name in ("view_channel", *NEEDED) if not getattr(permissions, name)]


class StudyCog(commands.Cog):
    study = app_commands.Group(
        name="study",
        description="Daily quiz settings for this server (Manage Server)",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self._zones = sorted(zoneinfo.available_timezones())

    async def cog_load(self) -> None:
        self.daily.start()

    async def cog_unload(self) -> None:
        self.daily.cancel()

    # --- commands ------------------------------------------------------------------------

    async def _reply(self, interaction: discord.Interaction, text: str) -> None:
        """Admin replies carry the last posting problem of the server, once."""
        assert self.bot.store is not None and interaction.guild_id is not None
        problem = await self.bot.store.take_error(interaction.guild_id)
        if problem:
            text = f"⚠️ The last daily post failed: {problem}\n\n{text}"
        await interaction.response.send_message(render.content(text), ephemeral=True)

    def _defaults(self) -> tuple[str, str]:
        return (self.bot.settings.default_quiz_time, self.bot.settings.default_timezone)

    @study.command(name="channel", description="Post the daily quiz in this channel")
    @app_commands.describe(channel="the study channel")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def channel(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        assert self.bot.store is not None and interaction.guild is not None
        missing = missing_permissions(channel, interaction.guild.me)
        if missing:
            await self._reply(
                interaction,
                f"I can't post in {channel.mention}: I need {', '.join(missing)} there. "
                "Nothing was changed.",
            )
            return
        settings = await self.bot.store.update_settings(
            interaction.guild.id, self._defaults(), channel_id=channel.id, enabled=1
        )
        await self.reschedule()
        await self._reply(
            interaction,
            f"The daily quiz will be posted in {channel.mention} at {settings.quiz_time} "
            f"({settings.timezone}).",
        )

    @study.command(name="time", description="When to post the daily quiz (24-hour HH:MM)")
    @app_commands.describe(time="e.g. 08:30", timezone="e.g. Europe/Paris (default: keep)")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def time(
        self,
        interaction: discord.Interaction,
        time: app_commands.Range[str, 1, 5],
        timezone: app_commands.Range[str, 1, 64] | None = None,
    ) -> None:
        assert self.bot.store is not None and interaction.guild_id is not None
        when = parse_time(time)
        if when is None:
            await self._reply(
                interaction, f"{time!r} is not a time: use 24-hour HH:MM, e.g. 08:30."
            )
            return
        changes: dict[str, object] = {"quiz_time": when}
        if timezone is not None:
            known = zone_name(timezone)
            if known is None:
                message = unknown_zone_message(timezone)
                await self._reply(
                    interaction, f"{message[0].upper()}{message[1:]} Nothing changed."
                )
                return
            changes["timezone"] = known
        settings = await self.bot.store.update_settings(
            interaction.guild_id, self._defaults(), **changes
        )
        await self.reschedule()
        where = (
            f"<#{settings.channel_id}>"
            if settings.channel_id
            else "no channel yet (/study channel)"
        )
        await self._reply(
            interaction, f"Daily quiz at {settings.quiz_time} ({settings.timezone}), in {where}."
        )

    @time.autocomplete("timezone")
    async def _zone_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        names = (
            [z for z, _s, _k in process.extract(current, self._zones, scorer=fuzz.WRatio, limit=25)]
            if current.strip()
            else ["UTC", "Europe/London", "Europe/Paris", "America/New_York", "Asia/Tokyo"]
        )
        return [app_commands.Choice(name=z, value=z) for z in names]

    @study.command(name="off", description="Stop the daily quiz in this server")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def off(self, interaction: discord.Interaction) -> None:
        assert self.bot.store is not None and interaction.guild_id is not None
        await self.bot.store.update_settings(interaction.guild_id, self._defaults(), enabled=0)
        await self._reply(interaction, "The daily quiz is off. `/study channel` turns it on again.")

    @study.command(name="now", description="Post today's daily quiz now")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def now(self, interaction: discord.Interaction) -> None:
        assert self.bot.store is not None and interaction.guild_id is not None
        settings = await self.bot.store.settings(interaction.guild_id)
        if settings is None or settings.channel_id is None:
            await self._reply(interaction, "Set the study channel first: `/study channel`.")
            return
        quiz, problem = await self.post_daily(settings, force=True)
        if problem:
            await self.bot.store.update_settings(
                settings.guild_id, self._defaults(), last_error=problem
            )
            await self._reply(interaction, "I could not post today's quiz.")
        elif quiz is None:
            await self._reply(interaction, "Today's quiz is already posted.")
        else:
            await self._reply(interaction, f"Posted today's quiz in <#{settings.channel_id}>.")

    # --- the daily post ---------------------------------------------------------------

    @tasks.loop(time=daily_wake_times((), discord.utils.utcnow()))
    async def daily(self) -> None:
        await self.post_due()
        await self.reschedule()

    @daily.before_loop
    async def _catch_up(self) -> None:
        """A post missed while the bot was down is made on start, if still that day."""
        await self.bot.wait_until_ready()
        await self.post_due()
        await self.reschedule()

    async def reschedule(self) -> None:
        """Wake at every server's quiz time (recomputed: settings and offsets change)."""
        assert self.bot.store is not None
        posts = [(s.quiz_time, s.timezone) for s in await self.bot.store.all_settings()]
        self.daily.change_interval(time=daily_wake_times(posts, discord.utils.utcnow()))

    async def post_due(self) -> None:
        """Post every server's daily quiz that is due; one failure never stops the others."""
        assert self.bot.store is not None
        for settings in await self.bot.store.all_settings():
            try:
                _quiz, problem = await self.post_daily(settings)
            except Exception:  # one server's failure must not stop the others
                log.exception("daily quiz for server %s failed", settings.guild_id)
                continue
            if problem:
                log.warning("daily quiz for server %s: %s", settings.guild_id, problem)
                await self.bot.store.update_settings(
                    settings.guild_id, self._defaults(), last_error=problem
                )

    async def post_daily(
        self, settings: GuildSettings, force: bool = False
    ) -> tuple[QuizRecord | None, str | None]:
        """Post today's quiz if it is time and not yet done: (posted quiz, problem)."""
        store, master = self.bot.store, self.bot.quizmaster
        assert store is not None and master is not None
        local = discord.utils.utcnow().astimezone(zone(settings.timezone))
        day = local.date().isoformat()
        if not force and local.strftime("%H:%M") < settings.quiz_time:
            return None, None
        quiz = await store.daily(settings.guild_id, day)
        if quiz is not None and quiz.message_id is not None:
            return None, None
        channel = self.bot.get_channel(settings.channel_id or 0)
        if not isinstance(channel, discord.TextChannel):
            return (
                None,
                "the study channel was deleted or I can't see it; set one with /study channel.",
            )
        missing = missing_permissions(channel, channel.guild.me)
        if missing:
            return None, f"I need {', '.join(missing)} in {channel.mention}."
        if quiz is None:
            question = await master.daily_for(settings.guild_id)
            quiz = await master.post(
                settings.guild_id, question, kind="daily", day=day, channel_id=channel.id
            )
            if quiz is None:  # another attempt claimed the day first
                return None, None
        question_text = (
            master.bank[quiz.question_id].question if quiz.question_id in master.bank else "?"
        )
        intro = await self._yesterday(settings.guild_id, day)
        try:
            await self.bot.post_quiz_message(
                channel, quiz, question_text, f"Daily quiz · {day}", intro
            )
        except discord.Forbidden:
            return None, f"I am not allowed to post in {channel.mention}."
        except discord.NotFound:
            return None, "the study channel was deleted; set one with /study channel."
        except discord.HTTPException as error:
            return None, f"Discord refused the post ({error.status}); I will retry."
        return quiz, None

    async def _yesterday(self, guild_id: int, day: str) -> str:
        """The previous daily quiz's answer and who got it right (mentions never ping)."""
        store = self.bot.store
        assert store is not None
        previous = await store.latest_daily_before(guild_id, day)
        if previous is None:
            return ""
        right = await store.right_answerers(previous.id)
        who = ", ".join(f"<@{user}>" for user in right[:20]) or "nobody"
        if len(right) > 20:
            who += f" and {len(right) - 20} more"
        answer = previous.options[previous.answer_index]
        return f"Yesterday's answer: **{answer}**. Right: {who}."


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(StudyCog(bot))
