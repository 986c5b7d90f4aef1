"""Posting each study channel's daily quiz exactly once, and closing the one before.

Exactly once, by design: a post is claimed in the database (channel, day) before it is
sent; the send carries a nonce derived from the claim (discord.py adds `enforce_nonce`),
so Discord drops a retry of the same claim for a few minutes; a claim found without its
message (a crash, a database error or a timeout between the send and the record) is
reconciled against the channel's recent messages, where the quiz id sits in the buttons'
`custom_id`, before anything is sent again. `/study now`, the scheduled tick and a
second bot process all go through the same claim. A claim younger than its lease
belongs to whoever is sending it.

Everything here is per channel: one channel's failure is recorded, told to its server's
admins once, and never stops the others.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.core.study.channels import StudyChannels, claim_is_stale, nonce_for
from bot.core.study.daily import pick_question, quiz_day_name, shuffled
from bot.core.study.schedule import StudyChannel, due_day
from bot.core.study.store import QuizRecord
from bot.discord_app import render
from bot.discord_app.views import closed_quiz_view, quiz_view

if TYPE_CHECKING:
    from bot.discord_app.client import StudyBot

log = logging.getLogger(__name__)
NEEDED = ("view_channel", "send_messages", "embed_links")
CONCURRENCY = 16  # posts in flight at once (Discord allows 50 requests a second)
RECONCILE_LOOKBACK = 50  # recent messages searched for a claimed post


class Outcome(enum.Enum):
    POSTED = "posted"
    RECOVERED = "recovered"  # a claimed post was found in the channel and recorded
    ALREADY = "already"
    BUSY = "busy"  # claimed by another attempt that is still within its lease
    FAILED = "failed"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    quiz: QuizRecord | None = None
    problem: str | None = None
    tell: bool = True  # False when the post may exist after all (an error on our side)


@dataclass(frozen=True)
class Revealed:
    """The quiz a new post reveals, with how many answered it and who got it right."""

    quiz: QuizRecord
    answered: int
    right: list[int]


def missing_permissions(channel: discord.abc.GuildChannel, me: discord.Member) -> list[str]:
    permissions = channel.permissions_for(me)
    return [name for name in NEEDED if not getattr(permissions, name)]


class DailyPoster:
    """Posts, reconciles and reveals daily quizzes for the bot's study channels."""

    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.owner = uuid.uuid4().hex[:16]  # this process, in the claims it makes
        self._working: set[tuple[int, date]] = set()  # (channel, day) posts under way here
        self._book: StudyChannels | None = None

    @property
    def book(self) -> StudyChannels:
        """One per store, so that posts finishing together share their commit."""
        assert self.bot.store is not None
        if self._book is None or self._book.store is not self.bot.store:
            self._book = StudyChannels(self.bot.store)
        return self._book

    # --- the tick -----------------------------------------------------------------------

    async def post_due(self, now: datetime) -> list[Result]:
        """Post every channel's due quiz, a bounded number at once; each channel's error
        is caught, logged and reported, so it never stops the others."""
        due = [(c, day) for c in await self.book.all() if (day := due_day(c, now)) is not None]
        if not due:
            return []
        known = await self.book.dailies_since(min(day for _c, day in due).isoformat())
        queue = list(reversed(due))
        results: list[Result] = []

        async def worker() -> None:
            while queue:
                channel, day = queue.pop()
                results.append(await self._post_caught(channel, day, now, known))

        # A few workers rather than a task per channel: thousands of parked tasks cost
        # the event loop (and simcord's settling) more than the posts themselves.
        await asyncio.gather(*(worker() for _ in range(min(CONCURRENCY, len(due)))))
        return results

    async def _post_caught(
        self,
        channel: StudyChannel,
        day: date,
        now: datetime,
        known: dict[tuple[int, str], QuizRecord],
    ) -> Result:
        """One channel's post; any error is logged and becomes a result, never a raise."""
        existing = known.get((channel.channel_id, day.isoformat()))
        if existing is not None and existing.message_id is not None:
            return Result(Outcome.ALREADY, existing)
        try:
            result = await self.post(channel, day, now, existing=existing, looked_up=True)
        except Exception:
            log.exception("daily quiz for channel %s failed", channel.channel_id)
            result = Result(Outcome.FAILED, problem="an error on my side; I will retry", tell=False)
        await self.settle(channel, result)
        return result

    async def settle(self, channel: StudyChannel, result: Result) -> None:
        """Record how a post went: clear the channel's problem, or tell it once."""
        try:
            if result.outcome is Outcome.FAILED and result.problem:
                log.warning("daily quiz for channel %s: %s", channel.channel_id, result.problem)
                fresh = await self.book.report(channel.channel_id, result.problem)
                if fresh and result.tell:
                    await self.tell_admins(channel, result.problem)
            elif result.outcome is not Outcome.BUSY and channel.last_error is not None:
                await self.book.clear_problem(channel.channel_id)
        except Exception:
            log.exception("could not record the outcome for channel %s", channel.channel_id)

    # --- one channel --------------------------------------------------------------------

    async def post(
        self,
        channel: StudyChannel,
        day: date,
        now: datetime,
        *,
        existing: QuizRecord | None = None,
        looked_up: bool = False,
    ) -> Result:
        """Make sure the channel's quiz for `day` is posted once (`looked_up`: the caller
        read `existing` already, in one query for a whole tick). Within this process one
        attempt per channel and day at a time: a second (`/study now` during the tick)
        is told the post is under way; other processes are kept apart by the claim."""
        key = (channel.channel_id, day)
        if key in self._working:
            return Result(Outcome.BUSY, existing)
        self._working.add(key)
        try:
            if not looked_up:
                existing = await self.book.daily(channel.channel_id, day.isoformat())
            if existing is not None and existing.message_id is not None:
                return Result(Outcome.ALREADY, existing)
            # A server's channel lookup is O(1); the bot-wide one is not.
            guild = self.bot.get_guild(channel.guild_id)
            target = guild.get_channel(channel.channel_id) if guild is not None else None
            if not isinstance(target, discord.TextChannel):
                return Result(Outcome.FAILED, problem="the channel was deleted or I can't see it")
            missing = missing_permissions(target, target.guild.me)
            if missing:
                return Result(Outcome.FAILED, problem=f"I need {', '.join(missing)} there")
            if existing is None:
                claimed = await self._claim(channel, day, now)
                if isinstance(claimed, Result):
                    return claimed
                if claimed is None:  # someone claimed it between our read and our claim
                    existing = await self.book.daily(channel.channel_id, day.isoformat())
                    if existing is None or existing.message_id is not None:
                        return Result(Outcome.ALREADY, existing)
                    return Result(Outcome.BUSY, existing)
                return await self._send(channel, target, claimed, day, now)
            return await self._resume(channel, target, existing, day, now)
        finally:
            self._working.discard(key)

    async def _claim(
        self, channel: StudyChannel, day: date, now: datetime
    ) -> QuizRecord | Result | None:
        master = self.bot.quizmaster
        assert master is not None
        question = await pick_question(master, self.book, channel)
        if question is None:
            return Result(Outcome.FAILED, problem="its topics match no quiz question")
        options, right = shuffled(question)
        service = master.knowledge.services.get(question.service)
        fields = (
            question.id,
            options,
            right,
            question.service,
            service.category if service else "",
        )
        return await self.book.claim(channel, day.isoformat(), fields, self.owner, now)

    async def _resume(
        self,
        channel: StudyChannel,
        target: discord.TextChannel,
        quiz: QuizRecord,
        day: date,
        now: datetime,
    ) -> Result:
        """An unfinished claim: leave it to its sender while it is fresh; else look for
        the post in the channel, and send only if it is not there."""
        if quiz.claimed_by != self.owner and not claim_is_stale(quiz, now):
            return Result(Outcome.BUSY, quiz)
        found = await self.find_post(target, quiz)
        if found is not None:
            previous = await self._previous(channel.channel_id, day)
            await self._finish_and_reveal(target, quiz, found.id, previous, now)
            log.info("recovered the daily post of channel %s for %s", target.id, day)
            return Result(Outcome.RECOVERED, quiz)
        taken = await self.book.take_over(quiz, self.owner, now)
        if taken is None:
            return Result(Outcome.BUSY, quiz)
        return await self._send(channel, target, taken, day, now)

    async def find_post(
        self, target: discord.TextChannel, quiz: QuizRecord
    ) -> discord.Message | None:
        """The channel's message carrying this quiz's buttons, if it was sent."""
        after = None
        if quiz.claimed_at is not None:
            after = datetime.fromisoformat(quiz.claimed_at) - timedelta(minutes=1)
        prefix = f"quiz:{quiz.id}:"
        me = self.bot.user.id if self.bot.user else None
        async for message in target.history(limit=RECONCILE_LOOKBACK, after=after):
            if me is not None and message.author.id != me:
                continue
            for row in message.components:
                for item in getattr(row, "children", [row]):
                    if str(getattr(item, "custom_id", "") or "").startswith(prefix):
                        return message
        return None

    async def _send(
        self,
        channel: StudyChannel,
        target: discord.TextChannel,
        quiz: QuizRecord,
        day: date,
        now: datetime,
    ) -> Result:
        """Send a claimed quiz with the claim's nonce, then record its message."""
        master = self.bot.quizmaster
        assert master is not None
        question = master.bank.get(quiz.question_id)
        text = question.question if question else "(this question is no longer in the notes)"
        previous = await self._previous(channel.channel_id, day)
        intro = self._reveal_line(previous, day)
        ping = f"<@&{channel.role_id}>" if channel.role_id else ""
        content = "\n".join(part for part in (ping, intro) if part)
        mentions = (
            discord.AllowedMentions(
                everyone=False, users=False, roles=[discord.Object(id=channel.role_id)]
            )
            if channel.role_id
            else render.NO_PINGS
        )
        try:
            message = await target.send(
                content=render.content(content) if content else None,
                embed=render.quiz_embed(text, quiz, 0, f"Daily quiz · {day.isoformat()}"),
                view=quiz_view(quiz),
                allowed_mentions=mentions,
                nonce=nonce_for(quiz),
            )
        except discord.Forbidden:
            return Result(Outcome.FAILED, quiz, "I am not allowed to post there")
        except discord.NotFound:
            return Result(Outcome.FAILED, quiz, "the channel was deleted")
        except discord.HTTPException as error:
            return Result(Outcome.FAILED, quiz, f"Discord refused the post ({error.status})")
        await self._finish_and_reveal(target, quiz, message.id, previous, now)
        return Result(Outcome.POSTED, quiz)

    # --- the reveal ---------------------------------------------------------------------

    async def _previous(self, channel_id: int, day: date) -> Revealed | None:
        found = await self.book.previous_with_answers(channel_id, day.isoformat())
        return Revealed(*found) if found is not None else None

    @staticmethod
    def _reveal_line(previous: Revealed | None, day: date) -> str:
        """'Answer to Monday's quiz: **X**. 3 answered; right: @a, @b.' (never pings)."""
        if previous is None or previous.quiz.day is None:
            return ""
        quiz = previous.quiz
        name = quiz_day_name(date.fromisoformat(quiz.day), day)
        return (
            f"Answer to {name} quiz: **{quiz.options[quiz.answer_index]}**. "
            f"{previous.answered} answered; right: {render.people(previous.right)}."
        )

    async def _finish_and_reveal(
        self,
        target: discord.TextChannel,
        quiz: QuizRecord,
        message_id: int,
        previous: Revealed | None,
        now: datetime,
    ) -> None:
        """Record the post and close the quiz it reveals (one commit), then edit that
        quiz's message into the reveal."""
        closing = previous if previous is not None and previous.quiz.closed_at is None else None
        await self.book.finish(
            quiz.id, target.id, message_id, close=closing.quiz.id if closing else None, now=now
        )
        if closing is not None and closing.quiz.message_id is not None:
            await self.reveal(target, closing)

    async def reveal(self, target: discord.abc.Messageable, closing: Revealed) -> None:
        """Edit a closed quiz's message: buttons off, the right answer marked, who got it."""
        master = self.bot.quizmaster
        quiz = closing.quiz
        assert master is not None and quiz.message_id is not None
        question = master.bank.get(quiz.question_id)
        embed = render.revealed_embed(
            question.question if question else "(no longer in the notes)",
            quiz,
            closing.answered,
            closing.right,
        )
        message = target.get_partial_message(quiz.message_id)  # type: ignore[attr-defined]
        try:
            await message.edit(embed=embed, view=closed_quiz_view(quiz))
        except discord.HTTPException as error:
            log.warning("cannot reveal quiz %s: %s", quiz.id, error)

    # --- telling admins -----------------------------------------------------------------

    async def tell_admins(self, channel: StudyChannel, problem: str) -> bool:
        """Tell a new posting problem at once: in the study channel if the bot can post
        there, else in the server's system channel; else it waits for the next `/study`
        command. True once told."""
        guild = self.bot.get_guild(channel.guild_id)
        if guild is None:
            return False
        text = render.content(
            f"⚠️ The daily quiz for <#{channel.channel_id}> could not be posted: {problem}. "
            "Admins: see `/study list`."
        )
        places: list[Any] = [guild.get_channel(channel.channel_id), guild.system_channel]
        for place in places:
            if not isinstance(place, discord.TextChannel):
                continue
            if not _can_write(place, guild.me):
                continue
            try:
                await place.send(text, allowed_mentions=render.NO_PINGS)
            except discord.HTTPException:
                continue
            await self.book.told(channel.channel_id)
            return True
        return False


def _can_write(place: discord.TextChannel, me: discord.Member) -> bool:
    permissions = place.permissions_for(me)
    return permissions.view_channel and permissions.send_messages
