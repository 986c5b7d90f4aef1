"""What the notes index made of each note, worded for the note's author.

`python -m bot notes` prints it in full and `validate` one line per note, so an author
sees which services a note gave, what was kept, which limits were read, and what was
dropped and why, without reading the engine.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bot.core.knowledge.loader import Knowledge, number_text
from bot.core.knowledge.notes import NoteReport


def _name(knowledge: Knowledge, sid: str) -> str:
    service = knowledge.services.get(sid) or knowledge.topics.get(sid)
    return service.short if service else sid


def count_line(report: NoteReport) -> str:
    """One line per note: how much of it the bot can answer from."""
    dropped = Counter(why for _, _, why in report.dropped)
    reasons = ", ".join(f"{n} {why}" for why, n in dropped.most_common(3))
    return f"{report.file}: {len(report.kept)} statements about {len(report.services)} services" + (
        f"; dropped {sum(dropped.values())} ({reasons})" if dropped else ""
    )


def warnings(knowledge: Knowledge) -> list[str]:
    """Notes the bot learned nothing from: empty (a save that went wrong?), or with no
    service recognised."""
    found = []
    for report in knowledge.note_index.reports:
        if report.kept:
            continue
        if _empty(knowledge.root / "notes" / report.file):
            found.append(f"warning: {report.file}: the note is empty")
        else:
            found.append(
                f"warning: {report.file}: nothing was kept; name a service in a heading or sentence"
            )
    return found


def _empty(path: Path) -> bool:
    try:
        return not path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return False


def describe(knowledge: Knowledge, file: str | None = None) -> str:
    """Every note (or one), with its services, statements, limits and what was dropped."""
    index = knowledge.note_index
    by_id = {s.id: s for s in index.statements}
    out: list[str] = []
    for report in index.reports:
        if file and report.file != file:
            continue
        out.append(f"== {report.file}")
        names = ", ".join(_name(knowledge, s) for s in report.services) or "none"
        out.append(f"Services found: {names}")
        if report.topics:
            topics = ", ".join(_name(knowledge, t) for t in report.topics)
            out.append(f"Topics (sections about no service): {topics}")
        out.append(f"Kept ({len(report.kept)}):")
        for sid in report.kept:
            statement = by_id[sid]
            out.append(
                f"  {statement.line:>4}  [{_name(knowledge, statement.services[0])}]"
                f" {statement.text}"
            )
        limits = [limit for limit in index.limits if by_id[limit.statement].file == report.file]
        if limits:
            out.append(f"Limits ({len(limits)}):")
            for limit in limits:
                out.append(
                    f"  {by_id[limit.statement].line:>4}  {_name(knowledge, limit.service)}:"
                    f" {limit.label} {number_text(limit.value)} {limit.unit}"
                )
        if report.short_forms:
            forms = ", ".join(f"{k} = {v}" for k, v in report.short_forms.items())
            out.append(f"Short forms (read in questions too): {forms}")
        if report.dropped:
            out.append(f"Dropped ({len(report.dropped)}):")
            for line, text, why in report.dropped:
                out.append(f"  {line:>4}  {why}: {text[:90]}")
    if file and not out:
        return f"No note called {file!r}; notes: {', '.join(index.files) or 'none'}."
    return "\n".join(out)
