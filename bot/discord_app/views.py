"""Buttons that survive restarts: the quiz id and choice live in the `custom_id`.

Every item and view sends its errors to the bot's one interaction error handler (the
command tree's), so a click that fails gets a short private message, never "This
interaction failed": discord.py would only log a dynamic item's error.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.core.study.feedback import option_label
from bot.core.study.store import QuizRecord
from bot.discord_app import render

if TYPE_CHECKING:
    from bot.discord_app.client import StudyBot

log = logging.getLogger(__name__)
LETTERS = "ABCD"


class RoutedView(discord.ui.View):
    """A view whose errors reach the bot's interaction error handler."""

    async def on_error(
        self,
        interaction: discord.Interaction[Any],
        error: Exception,
        item: discord.ui.Item[Any],
    ) -> None:
        await _route(interaction, error)


async def _route(interaction: discord.Interaction[Any], error: Exception) -> None:
    handler = getattr(interaction.client, "on_interaction_error", None)
    if handler is None:
        log.error("interaction failed", exc_info=error)
        return
    await handler(interaction, error)


class QuizButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"quiz:(?P<quiz>\d+):(?P<choice>\d)",
):
    """One option of a posted quiz; anyone may answer once."""

    def __init__(self, quiz_id: int, choice: int, label: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=label or LETTERS[choice],
                style=discord.ButtonStyle.secondary,
                custom_id=f"quiz:{quiz_id}:{choice}",
            )
        )
        self.quiz_id = quiz_id
        self.choice = choice

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> QuizButton:
        label = getattr(item, "label", "") or ""
        return cls(int(match["quiz"]), int(match["choice"]), label)

    async def callback(self, interaction: discord.Interaction[StudyBot]) -> None:
        try:
            await interaction.client.answer_quiz(interaction, self.quiz_id, self.choice)
        except Exception as error:
            await _route(interaction, error)


class SuggestionButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"ask:(?P<text>.{1,90})",
):
    """A question the user may have meant; clicking asks it."""

    def __init__(self, text: str) -> None:
        text = text[:90]
        super().__init__(
            discord.ui.Button(
                label=render.button_label(text),
                style=discord.ButtonStyle.primary,
                custom_id=f"ask:{text}",
            )
        )
        self.text = text

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> SuggestionButton:
        return cls(match["text"])

    async def callback(self, interaction: discord.Interaction[StudyBot]) -> None:
        try:
            await interaction.client.send_answer(interaction, self.text, ephemeral=True)
        except Exception as error:
            await _route(interaction, error)


def unkept(view: discord.ui.View) -> discord.ui.View:
    """A view of dynamic items only, not kept in memory per message: its clicks are
    matched by `custom_id` (as after a restart), so thousands of daily posts do not
    pile up views in the bot's view store."""
    view.stop()
    return view


def quiz_view(quiz: QuizRecord) -> discord.ui.View:
    view = RoutedView(timeout=None)
    for choice, option in enumerate(quiz.options):
        view.add_item(
            QuizButton(quiz.id, choice, render.button_label(option_label(choice, option)))
        )
    return unkept(view)


def closed_quiz_view(quiz: QuizRecord) -> discord.ui.View:
    """The revealed quiz's buttons: all disabled, the right one green."""
    view = RoutedView(timeout=None)
    for choice, option in enumerate(quiz.options):
        button = QuizButton(quiz.id, choice, render.button_label(option_label(choice, option)))
        button.item.disabled = True
        if choice == quiz.answer_index:
            button.item.style = discord.ButtonStyle.success
        view.add_item(button)
    return unkept(view)


def suggestion_view(suggestions: list[str]) -> discord.ui.View | None:
    if not suggestions:
        return None
    view = RoutedView(timeout=None)
    for text in suggestions[:5]:
        view.add_item(SuggestionButton(text))
    return unkept(view)
