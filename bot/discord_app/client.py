"""The bot: built from settings, started in `setup_hook`, one error handler on the tree."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from datetime import datetime
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.config import Settings
from bot.core.answering.engine import Engine
from bot.core.answering.engine_cache import load_engine
from bot.core.health import format_heartbeat
from bot.core.knowledge.loader import Knowledge
from bot.core.study.channels import StudyChannels
from bot.core.study.feedback import option_label
from bot.core.study.quiz import Quizmaster
from bot.core.study.store import QuizRecord, Store
from bot.discord_app import render
from bot.discord_app.views import QuizButton, SuggestionButton, suggestion_view

log = logging.getLogger("bot")
COGS = (
    "bot.discord_app.cogs.ask",
    "bot.discord_app.cogs.quiz",
    "bot.discord_app.cogs.study",
    "bot.discord_app.cogs.admin",
)
LOW_CONFIDENCE = 0.7


class StudyBot(commands.Bot):
    """Holds the core objects; cogs are thin adapters over them."""

    def __init__(
        self, settings: Settings, knowledge: Knowledge, engine: Engine | None = None
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            allowed_mentions=render.NO_PINGS,
            help_command=None,
            owner_ids=set(settings.owner_ids) or None,
        )
        self.settings = settings
        self.knowledge = knowledge
        self.engine = engine or Engine(knowledge)
        self.store: Store | None = None
        self.quizmaster: Quizmaster | None = None
        self.scheduler_tick: datetime | None = None  # the daily loop's last finished tick
        self.tree.on_error = self.on_tree_error

    # --- lifecycle ---------------------------------------------------------------------

    async def setup_hook(self) -> None:
        if self.store is None:  # run_bot opens it before connecting; tests do not
            self.store = await Store.open(self.settings.database_path)
        self.quizmaster = Quizmaster(self.knowledge, self.store, clock=discord.utils.utcnow)
        self.add_dynamic_items(QuizButton, SuggestionButton)
        for cog in COGS:
            await self.load_extension(cog)
        if self.settings.dev_guild_id:
            await sync_commands(self, self.settings.dev_guild_id)
        self.heartbeat.change_interval(seconds=self.settings.heartbeat_seconds)
        self.heartbeat.start()

    async def close(self) -> None:
        self.heartbeat.cancel()
        await super().close()
        if self.store is not None:
            await self.store.close()
            self.store = None
        self.settings.heartbeat_path.unlink(missing_ok=True)

    async def on_ready(self) -> None:
        """Say who the bot is and where, so a first run shows it worked (or which servers
        still need the invite link)."""
        assert self.user is not None
        servers = ", ".join(f"{guild.name} ({guild.id})" for guild in self.guilds[:25])
        if len(self.guilds) > 25:
            servers += f" and {len(self.guilds) - 25} more"
        log.info(
            "logged in as %s (id %s), in %d server(s)%s",
            self.user,
            self.user.id,
            len(self.guilds),
            f": {servers}" if servers else ": invite it with the link in the README",
        )

    @tasks.loop(seconds=30)
    async def heartbeat(self) -> None:
        """Written while connected, with the scheduler's last finished tick; the
        container's health check reads both."""
        if self.is_ready() and not self.is_closed():
            self.write_heartbeat()

    def write_heartbeat(self) -> None:
        path = self.settings.heartbeat_path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                format_heartbeat(discord.utils.utcnow(), self.scheduler_tick), encoding="utf-8"
            )
        except OSError as error:
            log.warning("cannot write the heartbeat file %s: %s", path, error)

    def reload_knowledge(self, knowledge: Knowledge, engine: Engine | None = None) -> None:
        """Swap in a new knowledge base (already through the gate) for answers and quizzes."""
        self.knowledge = knowledge
        self.engine = engine or Engine(knowledge)
        if self.store is not None:
            self.quizmaster = Quizmaster(knowledge, self.store, clock=discord.utils.utcnow)

    # --- shared actions (used by commands and buttons) ---------------------------------

    async def send_answer(
        self, interaction: discord.Interaction[Any], question: str, ephemeral: bool = False
    ) -> None:
        answer = self.engine.answer(question)
        view = suggestion_view(answer.suggestions) if answer.confidence < LOW_CONFIDENCE else None
        kwargs: dict[str, Any] = {"embed": render.answer_embed(answer), "ephemeral": ephemeral}
        if view is not None:
            kwargs["view"] = view
        await interaction.response.send_message(**kwargs)

    async def answer_quiz(
        self, interaction: discord.Interaction[Any], quiz_id: int, choice: int
    ) -> None:
        assert self.store is not None and self.quizmaster is not None
        quiz = await self.store.quiz(quiz_id)
        if quiz is None or not 0 <= choice < len(quiz.options):
            await interaction.response.send_message(
                "That quiz is no longer available.", ephemeral=True
            )
            return
        if quiz.closed_at is not None:
            await interaction.response.send_message(_closed_text(quiz), ephemeral=True)
            return
        timezone = await StudyChannels(self.store).guild_zone(
            quiz.guild_id, self.settings.default_timezone
        )
        graded = await self.quizmaster.answer(quiz, interaction.user.id, choice, timezone)
        outcome = graded.outcome
        if outcome.closed:  # the reveal closed it between the read and the answer
            text = _closed_text(quiz)
        elif not outcome.accepted:
            label = option_label(outcome.choice, quiz.options[outcome.choice])
            text = f"You already answered this one: **{label}**."
        else:
            text = render.feedback_message(graded.feedback)
        if outcome.accepted:
            text += f"\nStreak: {outcome.streak} day(s)."
        await interaction.response.send_message(render.content(text), ephemeral=True)
        if outcome.accepted and interaction.message is not None:
            await self._refresh_count(interaction.message, quiz, graded.question.question)

    async def _refresh_count(self, message: discord.Message, quiz: Any, question: str) -> None:
        assert self.store is not None
        count = await self.store.answer_count(quiz.id)
        title = message.embeds[0].title if message.embeds else "Quiz"
        try:
            await message.edit(embed=render.quiz_embed(question, quiz, count, title or "Quiz"))
        except discord.HTTPException as error:
            log.warning("cannot update the answer count of quiz %s: %s", quiz.id, error)

    # --- errors --------------------------------------------------------------------------

    async def on_tree_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        """Command errors: the same handler as every view and button."""
        await self.on_interaction_error(interaction, error)

    async def on_interaction_error(
        self, interaction: discord.Interaction[Any], error: Exception
    ) -> None:
        """The one place an interaction's error (command, view or button) becomes a
        short, private message."""
        if isinstance(error, app_commands.CommandOnCooldown):
            text = f"Slow down a little: try again in {error.retry_after:.0f}s."
        elif isinstance(error, app_commands.NoPrivateMessage):
            text = "This command works in servers only."
        elif isinstance(error, app_commands.MissingPermissions):
            text = "You need the Manage Server permission for that."
        elif isinstance(error, app_commands.CheckFailure):
            text = str(error) or "You can't use this command here."
        else:
            where = _where(interaction)
            log.error("%s failed", where, exc_info=error)
            text = "Something went wrong on my side; it has been logged. Please try again."
        try:
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True)
            else:
                await interaction.response.send_message(text, ephemeral=True)
        except discord.HTTPException:
            log.warning("could not tell the user about an error", exc_info=True)


def _where(interaction: discord.Interaction[Any]) -> str:
    """'command /quiz' or 'component quiz:12:1', for the log."""
    if interaction.command is not None:
        return f"command /{interaction.command.qualified_name}"
    custom_id = (interaction.data or {}).get("custom_id", "?")
    return f"component {custom_id}"


def _closed_text(quiz: QuizRecord) -> str:
    right = option_label(quiz.answer_index, quiz.options[quiz.answer_index])
    return render.content(
        f"This quiz is closed: the answer was **{right}**. "
        "It no longer counts; the next one is on its way."
    )


async def sync_commands(bot: commands.Bot, guild_id: int | None = None) -> list[Any]:
    """Register the slash commands with Discord: globally, or on one server (instant)."""
    if guild_id:
        guild = discord.Object(id=guild_id)
        bot.tree.copy_global_to(guild=guild)
        return await bot.tree.sync(guild=guild)
    return await bot.tree.sync()


def create_bot(settings: Settings | None = None) -> StudyBot:
    """The configured bot, not connected. Refuses a broken knowledge base."""
    settings = settings or Settings.from_env()
    engine = load_engine(settings.knowledge_dir)
    return StudyBot(settings, engine.knowledge, engine)


async def run_bot(settings: Settings) -> None:
    """Connect and run until SIGTERM or SIGINT, then close cleanly."""
    bot = create_bot(settings)
    # Opened before connecting: a database problem is told at once, not after a login.
    bot.store = await Store.open(settings.database_path)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, lambda: asyncio.ensure_future(bot.close()))
    async with bot:
        await bot.start(settings.token or "")


async def sync_with_token(settings: Settings, guild_id: int | None) -> int:
    """`python -m bot sync`: log in over HTTP only, sync, log out."""
    bot = create_bot(settings)
    async with bot:
        await bot.login(settings.token or "")
        for cog in COGS:
            await bot.load_extension(cog)
        synced = await sync_commands(bot, guild_id)
    return len(synced)
