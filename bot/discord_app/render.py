"""Turning core results into Discord messages that always fit Discord's limits."""

from __future__ import annotations

import discord

from bot.core.answering.answer import Answer
from bot.core.knowledge.loader import Service
from bot.core.knowledge.text import truncate
from bot.core.study.feedback import Feedback
from bot.core.study.store import QuizRecord, Stats

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-limits).
CONTENT = 2000
TITLE = 256
DESCRIPTION = 4096
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
FIELDS = 25
EMBED_TOTAL = 6000
BUTTON_LABEL = 80

NO_PINGS = discord.AllowedMentions.none()
COLOUR = {"rule": 0x2ECC71, "fact": 0x3498DB, "comparison": 0x9B59B6, "none": 0x95A5A6}


def fit(embed: discord.Embed) -> discord.Embed:
    """Cut every part of an embed to Discord's limits, the total included."""
    if embed.title:
        embed.title = truncate(embed.title, TITLE)
    if embed.description:
        embed.description = truncate(embed.description, DESCRIPTION)
    fields = embed.fields[:FIELDS]
    embed.clear_fields()
    for item in fields:
        embed.add_field(
            name=truncate(item.name or "\u200b", FIELD_NAME),
            value=truncate(item.value or "\u200b", FIELD_VALUE),
            inline=item.inline,
        )
    if embed.footer.text:
        embed.set_footer(text=truncate(embed.footer.text, FOOTER))
    while len(embed) > EMBED_TOTAL and embed.fields:
        embed.remove_field(-1)
    if len(embed) > EMBED_TOTAL and embed.description:
        room = max(1, len(embed.description) - (len(embed) - EMBED_TOTAL))
        embed.description = truncate(embed.description, room)
    return embed


def answer_embed(answer: Answer) -> discord.Embed:
    """The /ask answer: recommendation, why, what is ruled out, and the sources."""
    embed = discord.Embed(
        title=answer.title or "Answer",
        description=answer.lead or answer.answer,
        colour=COLOUR.get(answer.kind, 0x95A5A6),
    )
    if answer.ruled_out:
        embed.add_field(name="Ruled out", value="\n".join(answer.ruled_out), inline=False)
    if answer.why:
        name = "Why" if answer.kind == "rule" else "Points"
        embed.add_field(name=name, value="\n".join(answer.why), inline=False)
    if answer.suggestions:
        label = "Try asking" if answer.kind == "none" else "Did you mean"
        embed.add_field(name=label, value="\n".join(answer.suggestions), inline=False)
    footer = f"Sources: {', '.join(answer.sources)}" if answer.sources else "Not in the notes"
    embed.set_footer(text=f"{footer} · confidence {answer.confidence:.0%}")
    return fit(embed)


def service_embed(service: Service) -> discord.Embed:
    embed = discord.Embed(title=service.name, description=service.summary, colour=0x3498DB)
    if service.stands_for:
        embed.add_field(name="Stands for", value=service.stands_for, inline=True)
    embed.add_field(name="Category", value=service.category, inline=True)
    embed.add_field(
        name="Facts", value="\n".join(f"• {f.text}" for f in service.facts), inline=False
    )
    embed.add_field(
        name="Use it to", value="\n".join(f"• {u}" for u in service.use_cases), inline=False
    )
    if service.not_for:
        embed.add_field(
            name="Not for", value="\n".join(f"• {n}" for n in service.not_for), inline=False
        )
    sources = ", ".join(s for s in service.sources if s != "general") or "general knowledge"
    embed.set_footer(text=f"Sources: {sources}")
    return fit(embed)


def quiz_embed(
    question: str, quiz: QuizRecord, answered: int, title: str = "Quiz"
) -> discord.Embed:
    letters = "ABCD"
    body = "\n".join(f"**{letters[i]}.** {option}" for i, option in enumerate(quiz.options))
    embed = discord.Embed(title=title, description=f"{question}\n\n{body}", colour=0xF1C40F)
    embed.set_footer(text=f"{answered} answered · quiz #{quiz.id}")
    return fit(embed)


def revealed_embed(
    question: str, quiz: QuizRecord, answered: int, right: list[int]
) -> discord.Embed:
    """A closed quiz: the right option marked, how many answered and who got it right."""
    letters = "ABCD"
    body = "\n".join(
        f"{'✅' if i == quiz.answer_index else '▫️'} **{letters[i]}.** {option}"
        for i, option in enumerate(quiz.options)
    )
    embed = discord.Embed(
        title=f"Daily quiz · {quiz.day} (closed)",
        description=f"{question}\n\n{body}",
        colour=0x95A5A6,
    )
    embed.add_field(name="Right", value=people(right), inline=False)
    embed.set_footer(text=f"{answered} answered · quiz #{quiz.id} · closed")
    return fit(embed)


def people(user_ids: list[int], shown: int = 20) -> str:
    """'<@1>, <@2> and 3 more', or 'nobody' (sent with mentions that never ping)."""
    if not user_ids:
        return "nobody"
    text = ", ".join(f"<@{user}>" for user in user_ids[:shown])
    if len(user_ids) > shown:
        text += f" and {len(user_ids) - shown} more"
    return text


def stats_embed(name: str, stats: Stats, names: dict[str, str]) -> discord.Embed:
    embed = discord.Embed(title=f"Study stats: {name}", colour=0x1ABC9C)
    if not stats.answered:
        embed.description = "No answers yet. Try `/quiz`."
        return fit(embed)
    embed.description = (
        f"Answered **{stats.answered}**, right **{stats.correct}** ({stats.accuracy:.0%}).\n"
        f"Streak **{stats.streak}** day(s), best {stats.best_streak}."
    )
    per_category = "\n".join(
        f"{category}: {right}/{total} ({right / total:.0%})"
        for category, (right, total) in sorted(stats.by_category.items())
    )
    if per_category:
        embed.add_field(name="By category", value=per_category, inline=False)
    if stats.weak_spots:
        weak = "\n".join(f"{names.get(s, s)}: {r}/{t}" for s, r, t in stats.weak_spots)
        embed.add_field(name="Weak spots", value=weak, inline=False)
    return fit(embed)


def feedback_message(feedback: Feedback) -> str:
    """A quiz answer's feedback as a Discord message: verdict, then each other option."""
    mark = "✅" if feedback.correct else "❌"
    lines = [
        f"{mark} {feedback.verdict} **{feedback.answer_label}**. "
        f"{feedback.explanation}{_ref(feedback.explanation_source)}"
    ]
    lines += [f"• **{note.label}**: {note.reason}{_ref(note.source)}" for note in feedback.others]
    if feedback.sources:
        listed = " · ".join(f"[{n}] {s}" for n, s in enumerate(feedback.sources, 1))
        lines.append(f"-# Sources: {listed}")
    return "\n".join(lines)


def _ref(source: int | None) -> str:
    return f" [{source}]" if source else ""


def button_label(text: str) -> str:
    return truncate(text, BUTTON_LABEL)


def content(text: str) -> str:
    return truncate(text, CONTENT)
