"""/ask, /compare and /service: the answer engine in chat."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands
from rapidfuzz import fuzz, process

from bot.core.knowledge.loader import Service
from bot.core.knowledge.names import find_service
from bot.discord_app import render

if TYPE_CHECKING:
    from bot.discord_app.client import StudyBot

ASK_RATE = (5, 30.0)  # five questions per 30 seconds per person


class AskCog(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    async def service_names(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Autocomplete: service names closest to what is typed so far."""
        services = {s.id: s.name for s in self.bot.knowledge.services.values()}
        if not current.strip():
            ranked = sorted(services.items(), key=lambda item: item[1].lower())[:25]
        else:
            hits = process.extract(current, services, scorer=fuzz.WRatio, limit=25)
            ranked = [(key, name) for name, _score, key in hits]
        return [app_commands.Choice(name=name[:100], value=key) for key, name in ranked]

    @app_commands.command(
        name="ask", description="Ask a question about the AWS services in your notes"
    )
    @app_commands.describe(question="e.g. batch or lambda for a 2 hour job?")
    @app_commands.checks.cooldown(*ASK_RATE, key=lambda i: i.user.id)
    async def ask(
        self, interaction: discord.Interaction, question: app_commands.Range[str, 1, 500]
    ) -> None:
        await self.bot.send_answer(interaction, question)

    @app_commands.command(name="compare", description="Compare two AWS services")
    @app_commands.describe(a="first service", b="second service")
    async def compare(self, interaction: discord.Interaction, a: str, b: str) -> None:
        first, second = self._service(a), self._service(b)
        if first is None or second is None:
            missing = a if first is None else b
            await interaction.response.send_message(
                render.content(f"I don't know a service called {missing!r}. Try `/service`."),
                ephemeral=True,
            )
            return
        if first.id == second.id:
            await interaction.response.send_message(
                "Pick two different services to compare.", ephemeral=True
            )
            return
        await self.bot.send_answer(interaction, f"{first.name} vs {second.name}")

    @app_commands.command(name="service", description="Everything the notes say about one service")
    @app_commands.describe(name="the service, e.g. Fargate")
    async def service(self, interaction: discord.Interaction, name: str) -> None:
        service = self._service(name)
        if service is None:
            await interaction.response.send_message(
                render.content(f"I don't know a service called {name!r}."), ephemeral=True
            )
            return
        await interaction.response.send_message(embed=render.service_embed(service))

    compare.autocomplete("a")(service_names)
    compare.autocomplete("b")(service_names)
    service.autocomplete("name")(service_names)

    def _service(self, name: str) -> Service | None:
        return find_service(self.bot.knowledge.services, name)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(AskCog(bot))
