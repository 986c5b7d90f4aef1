"""Cloud notes study bot: answers and quizzes over a team's AWS notes.

`create_bot()` builds the Discord bot from settings in the environment without
connecting; the core (`bot.core`) has no Discord import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.discord_app.client import StudyBot

__all__ = ["create_bot"]


def create_bot(settings: Settings | None = None) -> StudyBot:
    """The configured `commands.Bot`, not connected (imports discord.py on first use)."""
    from bot.discord_app.client import create_bot as build

    return build(settings)
