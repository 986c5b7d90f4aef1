"""Services discovered in the notes: a card, facts and use cases with no YAML file.

A service the notes talk about (a catalogued AWS name, a heading, a bold term being
defined) becomes a service of the knowledge base, built from its statements. A YAML
file for the same service adds to and overrides what the notes give: here the notes'
"need → service" lines only add use cases to it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace

from bot.core.knowledge.catalogue import PREFIXES, Catalogue, without_prefix
from bot.core.knowledge.model import Fact, Service
from bot.core.knowledge.notes import NotesIndex, NoteStatement, NoteTopic
from bot.core.knowledge.text import truncate, words

NOTES_CATEGORY = "from your notes"
TOPIC = "topic"  # the kind of a section about no service: answered, never recommended
SUMMARY_LIMIT = 300
# "X is a …", "X lets you …"; not "X is attached everywhere", which says what is done to it.
_DEFINITION = re.compile(r"\b(?:(?:is|are)(?!\s+\w+ed\b)|=|lets|means|provides|gives)\b")
_ARTICLES = frozenset({"a", "an", "the"})


def _summary(name: str, statements: list[NoteStatement], called: tuple[str, ...] = ()) -> str:
    """The statement that says what the service is: the first that opens with its name
    ("an SCP sets the maximum permissions…"), else the first that defines it."""
    names = [words(n) for n in (name, *called) if words(n)]
    for statement in statements:
        opening = [
            w for w in statement.text.replace("*", "").split()[:8] if w.lower() not in _ARTICLES
        ]
        said = [w.lower() for w in opening]
        for n in names:
            following = opening[len(n)] if len(opening) > len(n) else ""
            # "MemoryDB Multi-Region: …" opens with the name of something else
            if said[: len(n)] == n and following.islower() and following.isalpha():
                return truncate(statement.text, SUMMARY_LIMIT)
    own_words = {w for n in names for w in n if w not in PREFIXES}
    for statement in statements:
        opening = " ".join(statement.text.split()[:12])
        # "Copilot = open-source CLI…": its name, then what it is ("=" is no word for \b)
        named, equals, _ = opening.partition(" = ")
        subject = set(words(named))
        defines = _DEFINITION.search(opening) or (equals and subject and subject <= own_words)
        defines = defines and not statement.text.endswith(":")
        if defines and not _is_glossary(statement.text):
            return truncate(statement.text, SUMMARY_LIMIT)
    plain = [st for st in statements if not _is_glossary(st.text)]
    if plain:  # a glossary line defines its words, not the service: say nothing rather
        return truncate(plain[0].text, SUMMARY_LIMIT)
    return f"{name}, as your notes mention it."


def _is_glossary(text: str) -> bool:
    """ "abbrevs: MSK = Managed Streaming for Apache Kafka, MSF = …" defines words, not
    the service."""
    return text.count("=") > 1


def _stands_for(name: str, short: str) -> str | None:
    """ "Simple Queue Service" for SQS: the name when the short name is its initials."""
    bare = without_prefix(name)
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", bare) if w[0].isupper())
    if short.isupper() and len(short) >= 2 and initials == short:
        return bare
    return None


def discovered_services(
    index: NotesIndex, services: Mapping[str, Service], catalogue: Catalogue
) -> dict[str, Service]:
    """Services the notes talk about that have no YAML file, and the YAML services with
    the use cases the notes add."""
    primary: dict[str, list[NoteStatement]] = {}
    mentions: Counter[str] = Counter()
    for statement in index.statements:
        primary.setdefault(statement.services[0], []).append(statement)
        mentions.update(statement.services)
    use_cases: dict[str, list[str]] = {}
    for choice in index.choices:
        for sid in choice.services:
            use_cases.setdefault(sid, []).append(choice.need)
    found: dict[str, Service] = {}
    for sid in dict.fromkeys([*primary, *mentions]):
        if sid in services:
            if use_cases.get(sid):
                extra = tuple(dict.fromkeys((*services[sid].use_cases, *use_cases[sid])))
                found[sid] = replace(services[sid], use_cases=extra)
            continue
        own = primary.get(sid, [])
        if not own and mentions[sid] < 2:
            continue  # named once in passing: not something the notes talk about
        entry = catalogue.entries.get(sid)
        defined = index.services.get(sid)
        if entry is not None:
            name, short, aliases = entry.name, entry.short, entry.aliases
            if catalogue.needs_prefix(short):
                short = name  # "Connect" alone is a word: "Amazon Connect"
            aliases += defined.aliases if defined else ()
        elif defined is not None:
            name = short = defined.name
            aliases = defined.aliases
        else:
            continue
        first = own[0] if own else None
        found[sid] = Service(
            id=sid,
            name=name,
            short=short,
            aliases=tuple(dict.fromkeys(a for a in aliases if words(a))),
            stands_for=_stands_for(name, short),
            category=NOTES_CATEGORY,
            summary=_summary(name, own, (short, *aliases)),
            traits={},
            facts=tuple(Fact(st.id, sid, st.text, (), st.where) for st in own if st is not None),
            use_cases=tuple(dict.fromkeys(use_cases.get(sid, []))),
            not_for=(),
            relations=(),
            path=first.file if first else (defined.file if defined else ""),
            from_notes=True,
        )
    return found


def note_topics(index: NotesIndex) -> dict[str, Service]:
    """The sections about no service ("The 7 Rs", "Quick math"), each as an entry of kind
    `topic` made of its statements: kept apart from the services, so that a fact asked
    about them is answered under their heading, and no decision or quiz offers them."""
    said: dict[str, list[NoteStatement]] = {}
    for statement in index.statements:
        if statement.services[0] in index.topics:
            said.setdefault(statement.services[0], []).append(statement)
    return {tid: _topic(topic, said.get(tid, [])) for tid, topic in index.topics.items()}


def _topic(topic: NoteTopic, statements: list[NoteStatement]) -> Service:
    return Service(
        id=topic.id,
        name=topic.name,
        short=re.sub(r"\s*\(.*?\)", "", topic.name).strip() or topic.name,
        aliases=(),
        stands_for=None,
        category=NOTES_CATEGORY,
        summary=truncate(statements[0].text, SUMMARY_LIMIT) if statements else topic.name,
        traits={},
        facts=tuple(Fact(st.id, topic.id, st.text, (), st.where) for st in statements),
        use_cases=(),
        not_for=(),
        relations=(),
        path=topic.file,
        from_notes=True,
        kind=TOPIC,
    )
