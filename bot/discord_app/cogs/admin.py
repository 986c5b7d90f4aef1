"""/reload: the bot owner swaps in edited knowledge without a restart."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.gate import load_checked
from bot.core.knowledge.loader import KnowledgeError
from bot.discord_app import render

if TYPE_CHECKING:
    from bot.discord_app.client import StudyBot

log = logging.getLogger(__name__)


class AdminCog(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    @app_commands.command(name="reload", description="Reload the knowledge files (bot owner only)")
    async def reload(self, interaction: discord.Interaction) -> None:
        if not await self.bot.is_owner(interaction.user):
            await interaction.response.send_message(
                "Only the bot's owner can reload the knowledge.", ephemeral=True
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:  # the same gate as `validate`: the old knowledge stays on any failure
            knowledge, engine = load_checked(self.bot.settings.knowledge_dir)
        except KnowledgeError as error:
            listing = "\n".join(str(p) for p in error.problems[:15])
            more = len(error.problems) - 15
            if more > 0:
                listing += f"\n… and {more} more"
            await interaction.followup.send(
                render.content(
                    f"Kept the old knowledge: the files have problems.\n```\n{listing}\n```"
                ),
                ephemeral=True,
            )
            return
        except Exception as error:  # anything else the gate did not foresee
            log.exception("reload refused")
            await interaction.followup.send(
                render.content(f"Kept the old knowledge: loading failed ({error})."),
                ephemeral=True,
            )
            return
        self.bot.reload_knowledge(knowledge, engine)
        await interaction.followup.send(f"Reloaded: {knowledge.summary_line()}.", ephemeral=True)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(AdminCog(bot))
