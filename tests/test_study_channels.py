"""Study channels through simcord: several per server, each on its own schedule and
topics; the reveal that closes a quiz; fair counting; errors answered; migration."""

from __future__ import annotations

import sqlite3
from datetime import date

import discord
import pytest
from simtime import advance

from bot.core.study.channels import StudyChannels
from bot.core.study.store import MIGRATIONS, SCHEMA_VERSION, Store
from tests.conftest import make_team

HOUR = 3600
DAY = 24 * HOUR


@pytest.fixture
async def team(simcord_env):
    """A server with two study channels to be, an admin and two members."""
    env = simcord_env
    guild, (containers, data), admin, (alice, bob) = await make_team(
        env, "Team", ("containers-study", "data-study"), ("alice", "bob")
    )
    return env, guild, containers, data, admin, alice, bob


def dailies(channel) -> list[discord.Message]:
    return [m for m in channel.history() if m.embeds and "Daily quiz" in (m.embeds[0].title or "")]


def quiz_id(message: discord.Message) -> int:
    return int(message.embeds[0].footer.text.split("#")[-1].split()[0])


async def quiz_of(env, message: discord.Message):
    return await env.bot.store.quiz(quiz_id(message))


async def click_option(env, member, message: discord.Message, right: bool):
    quiz = await quiz_of(env, message)
    index = quiz.answer_index if right else (quiz.answer_index + 1) % len(quiz.options)
    return await member.click(message, custom_id=f"quiz:{quiz.id}:{index}")


async def test_two_channels_post_once_a_day_on_their_topics_across_a_restart(
    team, make_bot
) -> None:
    env, guild, containers, data, admin, alice, bob = team
    first = await admin.slash(
        containers, "study channel", channel=containers, time="09:00", topics="containers"
    )
    assert "is now a study channel" in first.response.content
    second = await admin.slash(
        containers, "study channel", channel=data, time="17:00",
        timezone="Europe/Paris", topics="databases",
    )  # fmt: skip
    assert "17:00 (Europe/Paris)" in second.response.content
    await advance(env, 9 * HOUR + 5 * 60)  # 09:05 UTC: containers only
    assert (len(dailies(containers)), len(dailies(data))) == (1, 0)
    await advance(env, 7 * HOUR)  # 16:05 UTC = 17:05 in Paris (winter)
    assert (len(dailies(containers)), len(dailies(data))) == (1, 1)
    await env.restart_bot(make_bot())
    await advance(env, 2 * DAY)
    await env.restart_bot(make_bot())
    await advance(env, DAY)
    assert (len(dailies(containers)), len(dailies(data))) == (4, 4)
    for message in dailies(containers):
        assert (await quiz_of(env, message)).category == "containers"
    for message in dailies(data):
        assert (await quiz_of(env, message)).category == "databases"
    days = [m.embeds[0].title for m in dailies(containers)]
    assert len(set(days)) == 4  # one per day
    questions = [(await quiz_of(env, m)).question_id for m in dailies(containers)]
    assert len(set(questions)) == 4  # no repeat before the bank is used up


async def test_the_reveal_closes_the_quiz_and_a_late_click_counts_nothing(team) -> None:
    env, guild, containers, data, admin, alice, bob = team
    await admin.slash(containers, "study channel", channel=containers, time="09:00")
    await advance(env, 9 * HOUR + 60)  # Thursday 1 January 2026, 09:01
    monday = dailies(containers)[0]
    await click_option(env, alice, monday, right=True)
    await click_option(env, bob, monday, right=False)
    await advance(env, DAY)
    revealed = next(m for m in containers.history() if m.id == monday.id)
    buttons = revealed.components[0].children
    assert all(button.disabled for button in buttons)
    quiz = await quiz_of(env, revealed)
    assert buttons[quiz.answer_index].style == discord.ButtonStyle.success
    assert "closed" in revealed.embeds[0].title and "2 answered" in revealed.embeds[0].footer.text
    assert f"<@{alice.id}>" in revealed.embeds[0].fields[0].value
    assert f"<@{bob.id}>" not in revealed.embeds[0].fields[0].value
    new = dailies(containers)[-1]
    assert "Answer to yesterday's quiz" in new.content and "2 answered" in new.content
    # The next day's reveal edit fails: its buttons still show, but the quiz is closed.
    env.inject_error("PATCH", f"/channels/{containers.id}/messages/{new.id}", times=None)
    await advance(env, DAY)
    late = await click_option(env, bob, new, right=True)
    assert late.ephemeral and "This quiz is closed" in late.response.content
    assert await env.bot.store.answer_count(quiz_id(new)) == 0  # nothing counted
    stats = await bob.slash(containers, "stats")
    assert "right **0**" in stats.response.embeds[0].description


async def test_the_reveal_names_the_previous_quiz_day_after_days_off(team) -> None:
    env, guild, containers, data, admin, alice, bob = team
    await admin.slash(containers, "study channel", channel=containers, days="mon,thu")
    await advance(env, 9 * HOUR + 60)  # Thursday 1 January, 09:01: posted
    await advance(env, 4 * DAY)  # Monday 5 January
    posts = dailies(containers)
    assert len(posts) == 2  # nothing on Friday to Sunday
    assert "Answer to Thursday's quiz" in posts[-1].content


async def test_a_missed_day_breaks_the_streak_and_unscheduled_days_do_not(team) -> None:
    env, guild, containers, data, admin, alice, bob = team
    await admin.slash(containers, "study channel", channel=containers, days="mon-fri")
    await advance(env, 9 * HOUR + 60)  # Thu 1 Jan
    await click_option(env, alice, dailies(containers)[-1], right=True)
    await advance(env, DAY)  # Fri 2 Jan
    answer = await click_option(env, alice, dailies(containers)[-1], right=False)
    assert "Streak: 2 day(s)" in answer.response.content
    await advance(env, 3 * DAY)  # Mon 5 Jan: the weekend had no quiz, so no break
    answer = await click_option(env, alice, dailies(containers)[-1], right=True)
    assert "Streak: 3 day(s)" in answer.response.content
    await advance(env, DAY)  # Tue 6 Jan: today's quiz unanswered yet breaks nothing
    stats = await alice.slash(containers, "stats")
    assert "Streak **3** day(s)" in stats.response.embeds[0].description
    await advance(env, DAY)  # Wed 7 Jan: Tuesday was missed
    stats = await alice.slash(containers, "stats")
    assert "Streak **0** day(s), best 3" in stats.response.embeds[0].description
    board = await alice.slash(containers, "leaderboard")
    assert "streak" not in board.response.embeds[0].description.lower()


async def test_period_leaderboards_rank_daily_answers_and_show_my_rank(team) -> None:
    env, guild, containers, data, admin, alice, bob = team
    await admin.slash(containers, "study channel", channel=containers)
    await advance(env, 9 * HOUR + 60)
    for _ in range(3):  # alice answers three dailies right, long ago
        await click_option(env, alice, dailies(containers)[-1], right=True)
        await advance(env, DAY)
    await advance(env, 10 * DAY)
    await click_option(env, bob, dailies(containers)[-1], right=True)  # bob: one, this week
    for _ in range(5):  # practice never moves anyone up the daily board
        practice = await alice.slash(containers, "quiz")
        await click_option(env, alice, practice.response.message, right=True)
        await advance(env, 61)
    week = await alice.slash(containers, "leaderboard", period="week")
    text = week.response.embeds[0].description
    assert text.startswith(f"**1.** <@{bob.id}>: 1 right of 1") and f"<@{alice.id}>" not in text
    assert "no daily answers in this period" in text
    everything = await bob.slash(containers, "leaderboard", period="all")
    text = everything.response.embeds[0].description
    assert text.index(f"<@{alice.id}>: 3 right of 3") < text.index(f"<@{bob.id}>: 1 right")
    stats = await alice.slash(containers, "stats")  # practice shows in /stats
    assert "Answered **8**" in stats.response.embeds[0].description


async def test_a_role_ping_pings_that_role_only(team) -> None:
    env, guild, containers, data, admin, alice, bob = team
    learners = guild.create_role("learners", mentionable=True)
    await admin.slash(containers, "study channel", channel=containers, role=learners)
    await advance(env, 9 * HOUR + 60)
    await click_option(env, alice, dailies(containers)[-1], right=True)
    await advance(env, DAY)  # the second post names alice as right: she is not pinged
    post = dailies(containers)[-1]
    assert f"<@&{learners.id}>" in post.content and f"<@{alice.id}>" in post.content
    stored = env.backend.get_message(containers.id, post.id)
    assert list(stored.ping_role_ids) == [learners.id]
    assert not stored.ping_user_ids and not stored.mention_everyone


async def test_a_button_error_gets_a_private_answer(team, monkeypatch, caplog) -> None:
    env, guild, containers, data, admin, alice, bob = team
    result = await alice.slash(containers, "quiz")
    message = result.response.message

    async def read_only(*args, **kwargs):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(env.bot.quizmaster, "answer", read_only)
    clicked = await click_option(env, alice, message, right=True)
    assert clicked.ephemeral and "Something went wrong" in clicked.response.content
    assert "component quiz:" in caplog.text and "readonly database" in caplog.text


async def test_study_list_shows_each_channel_and_its_next_post(team) -> None:
    env, guild, containers, data, admin, alice, bob = team
    await admin.slash(containers, "study channel", channel=containers, time="08:30")
    await admin.slash(
        containers, "study channel", channel=data, topics="databases, lambda",
        days="weekdays", difficulty="hard",
    )  # fmt: skip
    listed = await admin.slash(containers, "study list")
    text = listed.response.content
    assert f"<#{containers.id}>: 08:30 (UTC), every day, all topics" in text
    assert f"<#{data.id}>: 09:00 (UTC), Mon–Fri, databases, lambda, hard" in text
    assert text.count("next post <t:") == 2
    bad = await admin.slash(containers, "study channel", channel=data, topics="knitting")
    assert "No quiz questions about knitting" in bad.response.content
    days = await admin.slash(containers, "study channel", channel=data, days="someday")
    assert "not a list of days" in days.response.content
    which = await admin.slash(guild.create_text_channel("general"), "study now")
    assert "say which one" in which.response.content
    choices = await admin.autocomplete(containers, "study channel", "topics", "containers, dyn")
    assert choices and choices[0]["value"].startswith("containers, DynamoDB")


async def test_a_failed_post_is_told_at_once_in_the_system_channel(team) -> None:
    env, guild, containers, data, admin, alice, bob = team
    await admin.slash(containers, "study channel", channel=containers)
    lobby = guild.create_text_channel("lobby")
    guild._guild.system_channel_id = lobby.id  # the bot reads it from its guild cache too
    env.bot.get_guild(guild.id)._system_channel_id = lobby.id
    env.inject_error(
        "POST", f"/channels/{containers.id}/messages", status=403, code=50013,
        message="Missing Permissions", times=None,
    )  # fmt: skip
    await advance(env, 9 * HOUR + 60)
    notices = [m for m in lobby.history() if "could not be posted" in (m.content or "")]
    assert len(notices) == 1 and f"<#{containers.id}>" in notices[0].content
    await advance(env, 3 * HOUR)  # retried hourly, told once
    assert len([m for m in lobby.history() if "could not be posted" in m.content]) == 1


async def test_a_failed_post_is_told_in_the_study_channel_when_it_can_post_there(
    team, monkeypatch
) -> None:
    env, guild, containers, data, admin, alice, bob = team
    await admin.slash(containers, "study channel", channel=containers, topics="containers")
    # The knowledge changed under the channel: its topics match nothing any more.
    monkeypatch.setattr("bot.discord_app.posting.pick_question", _no_question)
    await advance(env, 9 * HOUR + 60)
    notices = [m for m in containers.history() if "could not be posted" in (m.content or "")]
    assert len(notices) == 1 and "topics match no quiz question" in notices[0].content
    listed = await admin.slash(containers, "study list")  # already told: not again
    assert "A daily post failed" not in listed.response.content


async def _no_question(*args, **kwargs):
    return None


async def test_an_existing_database_keeps_its_study_channel(team, bot_settings, make_bot) -> None:
    env, guild, containers, data, admin, alice, bob = team
    old = bot_settings.database_path.with_name("old.db")
    con = sqlite3.connect(old)
    for number, migration in enumerate(MIGRATIONS[:2], start=1):
        con.executescript(migration)
        con.execute(f"PRAGMA user_version = {number}")
    con.execute(
        "INSERT INTO guild_settings (guild_id, channel_id, quiz_time, timezone) "
        "VALUES (?, ?, '07:00', 'Europe/Paris')",
        (guild.id, data.id),
    )
    con.execute(
        "INSERT INTO quizzes (guild_id, channel_id, message_id, question_id, kind, day, "
        "options, answer_index, created_at) VALUES (?, ?, 1, 'q', 'daily', '2025-12-31', "
        '\'["w","x","y","z"]\', 1, \'2025-12-31T07:00:00+01:00\')',
        (guild.id, data.id),
    )
    con.execute("INSERT INTO answers VALUES (1, ?, 1, 1, '2025-12-31T08:00:00+00:00')", (alice.id,))
    con.execute("INSERT INTO scores VALUES (?, ?, 1, 1, 1, 1, '2025-12-31')", (guild.id, alice.id))
    con.commit()
    con.close()
    import dataclasses

    from bot import create_bot

    migrated_bot = create_bot(dataclasses.replace(bot_settings, database_path=old))
    try:
        await env.restart_bot(migrated_bot)
        book = StudyChannels(migrated_bot.store)
        assert await migrated_bot.store.version() == SCHEMA_VERSION
        [kept] = await book.for_guild(guild.id)
        assert (kept.channel_id, kept.quiz_time) == (data.id, "07:00")
        assert kept.timezone == "Europe/Paris"
        await advance(env, 7 * HOUR)  # 08:00 in Paris
        assert len(dailies(data)) == 1 and dailies(containers) == []
        assert "Answer to yesterday's quiz: **x**" in dailies(data)[0].content
        stats = await alice.slash(data, "stats")
        assert "Answered **1**, right **1**" in stats.response.embeds[0].description
    finally:
        await env.restart_bot(make_bot())
        await migrated_bot.close()


async def test_the_migration_is_safe_to_open_twice(tmp_path) -> None:
    path = tmp_path / "twice.db"
    first = await Store.open(path)
    await first.close()
    again = await Store.open(path)
    try:
        assert await again.version() == SCHEMA_VERSION
        assert await StudyChannels(again).all() == []
    finally:
        await again.close()


def test_days_are_read_and_written_back() -> None:
    from bot.core.study.schedule import describe_days, parse_days

    assert parse_days("mon-fri") == "01234" == parse_days("Weekdays")
    assert parse_days("mon, wed,fri") == "024"
    assert parse_days("fri-mon") == "0456"
    assert parse_days("daily") == "0123456"
    assert parse_days("someday") is None and parse_days("mon-tue-wed") is None
    assert describe_days("024") == "Mon, Wed, Fri"


def test_a_daylight_saving_change_keeps_the_local_time() -> None:
    from datetime import UTC, datetime

    from bot.core.study.schedule import StudyChannel, due_day

    paris = StudyChannel(1, 1, quiz_time="09:00", timezone="Europe/Paris")
    before = date(2026, 3, 28)  # winter time, UTC+1
    after = date(2026, 3, 29)  # summer time from 02:00, UTC+2
    assert due_day(paris, datetime(2026, 3, 28, 7, 59, tzinfo=UTC)) is None
    assert due_day(paris, datetime(2026, 3, 28, 8, 0, tzinfo=UTC)) == before
    assert due_day(paris, datetime(2026, 3, 29, 6, 59, tzinfo=UTC)) is None
    assert due_day(paris, datetime(2026, 3, 29, 7, 0, tzinfo=UTC)) == after
