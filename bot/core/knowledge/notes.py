"""Raw notes read as people write them: sections, paragraphs, lists, tables and choices.

A team drops a `.md` or `.txt` file into `knowledge/notes/` and the bot answers from it
without anyone writing YAML. Each statement is tied to the service its section or
paragraph is about, which may be a service the notes alone talk about (a heading, a
bold term being defined, or a catalogued AWS name). Headings, table headers, code and
decoration are never statements. The notes are real input: broken encoding, slide
bullets, wrapped lines and box-drawing diagrams are repaired or dropped here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.core.knowledge.catalogue import EMPTY, PREFIXES, Catalogue, CatalogueEntry, name_key
from bot.core.knowledge.errata import Erratum, apply_errata
from bot.core.knowledge.names import ServiceNames
from bot.core.knowledge.note_blocks import Block, read_blocks
from bot.core.knowledge.note_names import (
    NoteService,
    abbreviations_in,
    candidates_in,
    merge_candidates,
    names_line,
)
from bot.core.knowledge.schema import Problem
from bot.core.knowledge.text import STOPWORDS, has_mojibake, words

NOTE_SUFFIXES = (".md", ".txt")
_MAX_STATEMENT = 400
_SENTENCE = re.compile(r"(?<=[a-z0-9)\"'%][.!?])\s+(?=[A-Z\"'(])")
_OBJECT_OPENERS = frozenset("the a an it them its this that these those your our".split())
_LIMIT_WORDS = frozenset(
    """max maximum up limit limits timeout retention size memory bandwidth throughput
    default minimum min most least largest smallest biggest per each capacity""".split()
)
_MODIFIERS = frozenset(
    "up to max maximum min minimum default at most least each per the a an of is are by".split()
)
_UNITS = {
    "ms": "ms", "s": "seconds", "sec": "seconds", "secs": "seconds", "second": "seconds",
    "seconds": "seconds", "min": "minutes", "mins": "minutes", "minute": "minutes",
    "minutes": "minutes", "h": "hours", "hr": "hours", "hrs": "hours", "hour": "hours",
    "hours": "hours", "d": "days", "day": "days", "days": "days", "week": "weeks",
    "weeks": "weeks", "month": "months", "months": "months", "year": "years",
    "years": "years", "kb": "KB", "kib": "KB", "mb": "MB", "mib": "MB", "gb": "GB",
    "gib": "GB", "tb": "TB", "tib": "TB", "pb": "PB", "mbps": "Mbps", "gbps": "Gbps",
    "%": "%", "percent": "%", "gb-seconds": "GB-seconds", "vcpu": "vCPU", "vcpus": "vCPU",
}  # fmt: skip
_NUMBER_UNIT = re.compile(
    r"(?<![\w.$])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?(%|[A-Za-z][A-Za-z-]*)", re.I
)


@dataclass(frozen=True)
class NoteStatement:
    id: str
    file: str
    text: str
    services: tuple[str, ...]  # the service it is about first, then others it names
    line: int = 1
    context: str = ""  # the heading or lead-in it sits under, for matching
    lead_in: str = ""  # the line introducing the list it is an item of ("what setup creates:")
    parent: int = 0  # the line of the bullet it is a sub-point of, if any
    lead: str = ""  # a later sentence's item lead ("Basic" of "**Basic**: … Quota: …")

    @property
    def where(self) -> str:
        """Where a person finds it: the note file and line."""
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class NoteLimit:
    """A number with a unit next to a limit word: "Bandwidth: up to 100 Gbps"."""

    service: str
    label: str
    value: float
    unit: str
    statement: str  # the statement id it came from


@dataclass(frozen=True)
class NoteChoice:
    """A "need → service" line: the notes' own advice on what to use when."""

    need: str
    services: tuple[str, ...]
    statement: str


@dataclass(frozen=True)
class NoteTable:
    """A table whose columns (or rows) are services, kept whole for comparisons."""

    file: str
    line: int
    services: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (row label, one value per service)
    labels: tuple[str, ...] = ()  # each service as the table writes it ("Aurora Serverless v2")


@dataclass
class NoteReport:
    """What one note gave, for authors: `python -m bot notes`."""

    file: str
    services: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)  # sections about no service
    kept: list[str] = field(default_factory=list)  # statement ids
    dropped: list[tuple[int, str, str]] = field(default_factory=list)  # line, text, why
    short_forms: dict[str, str] = field(default_factory=dict)  # "hc" -> "health check"


TOPIC_PREFIX = "topic:"  # the id of a section about no service: "topic:migration.md:11"


@dataclass(frozen=True)
class NoteTopic:
    """A section about no service ("The 7 Rs", "Quick math"): what it says is answered
    under its heading, never recommended as a service."""

    id: str
    name: str  # the heading
    file: str
    line: int


@dataclass
class NotesIndex:
    statements: list[NoteStatement] = field(default_factory=list)
    services: dict[str, NoteService] = field(default_factory=dict)
    topics: dict[str, NoteTopic] = field(default_factory=dict)
    limits: list[NoteLimit] = field(default_factory=list)
    choices: list[NoteChoice] = field(default_factory=list)
    tables: list[NoteTable] = field(default_factory=list)
    reports: list[NoteReport] = field(default_factory=list)
    # Short forms the notes define ("hc" -> "health check"), read in questions too.
    abbreviations: dict[str, str] = field(default_factory=dict)
    # Per YAML service, the aliases a note's section made a service of their own.
    released: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def files(self) -> list[str]:
        return [r.file for r in self.reports]


# --- names the notes define ---------------------------------------------------------------


def _is_label(text: str) -> bool:
    """A line that introduces what follows rather than says something: "Scheduling and
    Execution:", "What is it?", "Common Lambda Use Cases"."""
    stripped = text.strip()
    if stripped.endswith((":", "?")) and len(words(stripped)) <= 6:
        return True
    tokens = stripped.split()
    capitalised = all(t[:1].isupper() or t.lower() in STOPWORDS for t in tokens)
    return len(tokens) <= 5 and capitalised and not stripped.endswith((".", "!"))


# "This note covers the VPC…", "my notes after the lab": the writer on the note itself.
_ABOUT_THE_NOTE = re.compile(r"\b(?:this|these|my|our) notes?\b", re.I)


# --- statements ---------------------------------------------------------------------------


def _split_sentences(text: str) -> list[str]:
    parts = []
    for sentence in _SENTENCE.split(text):
        sentence = sentence.strip(" —-")
        while len(sentence) > _MAX_STATEMENT:
            cut = sentence.rfind(" ", 0, _MAX_STATEMENT)
            parts.append(sentence[:cut])
            sentence = sentence[cut + 1 :]
        if sentence:
            parts.append(sentence)
    return parts


class _Reader:
    """Walks one note's blocks, keeping track of what each part is about."""

    def __init__(self, file: str, names: ServiceNames, index: NotesIndex) -> None:
        self.file = file
        self.names = names
        self.index = index
        self.report = NoteReport(file)
        self.context: dict[int, tuple[str, ...]] = {}  # heading level -> services
        self.heading = ""
        self.heading_line = 0
        self.title_line = -1  # the note's title, if it opens with one: about the whole note
        self.subject: tuple[str, ...] = ()
        # Lines items sit under, with the service each opens with ("AURORA DSQL (GA
        # 2025) - NOT…", "- **AWS Proton** (…)"): deeper items are about that service.
        self.parents: list[tuple[int, tuple[str, ...], int]] = []
        self.parent_line = 0  # the bullet the block being read sits under
        self.headed: set[str] = set()  # services the note gives a heading of their own
        self.count = 0

    def about(self) -> tuple[str, ...]:
        for level in sorted(self.context, reverse=True):
            if self.context[level]:
                return self.context[level]
        return ()

    def named(self, text: str) -> list[str]:
        return list(dict.fromkeys(m.service for m in self.names.find(text)))

    def opening_name(self, text: str) -> list[str]:
        """The service a sentence opens with ("The NAT gateway lets…"), if any."""
        mentions = self.names.find(" ".join(text.split()[:6]))
        tokens = words(text)[:2]
        if mentions and (
            mentions[0].start == 0 or (mentions[0].start == 1 and tokens[0] in ("a", "an", "the"))
        ):
            return [mentions[0].service]
        return []

    def _a_label_of_the_section(self, sid: str, text: str) -> bool:
        """ "BATCH: StartTranscriptionJob on a file in S3" in Transcribe's section is a mode
        of Transcribe, not AWS Batch: a one-word label naming a service the note gives no
        heading of its own. ("SQS: deleted once processed" in a note with an SQS section
        is about SQS.)"""
        label, colon, _ = text.partition(":")
        return bool(colon) and len(label.split()) == 1 and sid not in self.headed

    def heading_block(self, block: Block) -> None:
        before = self.context.get(block.level, ())
        for level in [lv for lv in self.context if lv >= block.level]:
            del self.context[level]
        named = self.named(block.text)
        outer = self.about()  # the enclosing headings' services: only they are left
        # A title that lists many services ("SQS, SNS, Kinesis") is about none of them.
        self.context[block.level] = tuple(named) if len(named) <= 2 else ()
        if len(named) == 1 and outer and named[0] not in outer:
            # "### Health checks" in VPC Lattice's section: a part of it, so its lines are
            # VPC Lattice's too.
            self.context[block.level] = (named[0], outer[0])
        if not named and len(before) == 1 and not outer:
            # "## Lifecycle rules" after "## S3 storage classes": more on the same service.
            # Under a heading that names one ("AWS TRANSFER FAMILY"), "pricing" after
            # "SFTP connectors" is about the enclosing service, not the sibling part.
            self.context[block.level] = before
        self.heading = block.text
        self.heading_line = block.line
        self.parents = []
        self.report.dropped.append((block.line, block.text, "heading"))

    def subject_of(self, block: Block) -> tuple[str, ...]:
        """The service a paragraph or item is about: its bold lead, the service it opens
        with, or its section's."""
        section = self.about()
        level = -1 if block.kind == "text" else block.level  # a plain line is above items
        while self.parents and self.parents[-1][0] >= level:
            self.parents.pop()
        parent = next((own for _, own, _ in reversed(self.parents) if own), ())
        section = (*parent, *[s for s in section if s not in parent])
        under = self.parents[-1] if self.parents else None
        self.parent_line = under[2] if under and under[0] >= 0 else 0
        first = self.opening_name(block.lead or block.text)
        if first and section and self._a_label_of_the_section(first[0], block.text):
            first = []
        own = first[:1]
        if not own and block.text.rstrip().endswith(":"):
            named = self.named(block.text)
            own = named if len(named) == 1 else []  # "Pricing (AOS):": its list is AOS's
        self.parents.append((level, tuple(own), block.line))
        if first:
            return (first[0], *[s for s in section if s != first[0]])
        return section

    def add(
        self,
        text: str,
        line: int,
        about: tuple[str, ...],
        context: str = "",
        row: bool = False,
        lead_in: str = "",
        parent: int = 0,
        lead: str = "",
    ) -> None:
        """Keep a statement about `about`, or about the service it opens with; a table
        `row` opens with its label ("free tier: …"), which is a property, not a subject."""
        if has_mojibake(text):
            self.report.dropped.append((line, text, "broken encoding"))
            return
        if len(words(text)) < 3:
            self.report.dropped.append((line, text, "too short to be a statement"))
            return
        if _is_label(text):
            self.report.dropped.append((line, text, "a label, not a statement"))
            return
        if _ABOUT_THE_NOTE.search(text):
            self.report.dropped.append((line, text, "about the note, not a service"))
            return
        named = self.named(text)
        opening = [] if row and about else self.opening_name(text)
        if opening and about and self._a_label_of_the_section(opening[0], text):
            opening = []
        if opening and opening[0] not in about[:1]:
            primary: tuple[str, ...] = (opening[0],)  # clearly about another service
        else:
            primary = about[:1] or tuple(named[:1])
        # "a daemon on each instance (sqsd)…" under "**worker tier**" in Beanstalk's
        # section is the worker tier's, and Beanstalk's too: a part is of its section.
        services = tuple(dict.fromkeys((*primary, *about[1:2], *named)))
        if not services and self.heading and self.heading_line != self.title_line:
            services = (self._topic(),)  # "refactor = rewrite" under "The 7 Rs"
        if not services:
            self.report.dropped.append((line, text, "names no service, in no section"))
            return
        self.count += 1
        sid = f"{self.file}#{self.count}"
        statement = NoteStatement(
            sid, self.file, text, services, line, context or self.heading, lead_in, parent, lead
        )
        self.index.statements.append(statement)
        self.report.kept.append(sid)
        for label, value, unit in limits_in(text):
            self.index.limits.append(NoteLimit(services[0], label, value, unit, sid))

    def _topic(self) -> str:
        """The topic of the section being read, made on its first statement."""
        topic = f"{TOPIC_PREFIX}{self.file}:{self.heading_line}"
        if topic not in self.index.topics:
            name = self.heading.strip(" #:=-")
            self.index.topics[topic] = NoteTopic(topic, name, self.file, self.heading_line)
        return topic

    def text_block(self, block: Block) -> None:
        about = self.subject_of(block)
        for number, sentence in enumerate(_split_sentences(block.text)):
            # "**Basic**: prepares… Quota: 50 million files…": later sentences of an
            # item are still about its lead ("Basic"), for matching.
            lead = block.lead if number and block.lead else ""
            context = " ".join(filter(None, (block.context or self.heading, lead)))
            self.add(
                sentence,
                block.line,
                about,
                context,
                lead_in=block.context,
                parent=self.parent_line,
                lead=lead,
            )

    def choice_block(self, block: Block) -> None:
        need, target = block.choice or (block.text, "")
        # The choice is the service the target opens with ("-> Keyspaces", "-> the CDK");
        # "-> set RCUs/WCUs (+ auto scaling)" says how, not which service.
        services = tuple(self.opening_name(target))
        if not services or self._goes_on_to_act(target):
            self.text_block(block)
            return
        text = f"{need.rstrip(' .:')}: {target.strip()}"
        text = text if text.endswith((".", "!", "?")) else f"{text}."
        self.add(text, block.line, services, need)
        if self.report.kept and self.index.statements[-1].text == text:
            self.index.choices.append(NoteChoice(need.strip(), services, self.report.kept[-1]))

    def _goes_on_to_act(self, target: str) -> bool:
        """ "alarm goes off -> FIS stops the experiment": after the name comes a verb and
        its object, so the arrow says what happens next, not which service to use."""
        mention = self.names.find(target)[0]
        after = words(target)[mention.end :]
        return len(after) >= 2 and after[1] in _OBJECT_OPENERS

    def table_block(self, block: Block) -> None:
        header, *rows = block.rows
        # The note line of each row ("storage.md:28"), which separator rows would shift.
        lines = block.row_lines[1:] or [block.line + 1 + n for n in range(len(rows))]
        columns = [tuple(self.named(cell)[:1]) for cell in header[1:]]
        by_column = sum(1 for c in columns if c) >= 2 or (len(columns) == 1 and columns[0])
        row_services = [tuple(self.named(row[0])[:1]) for row in rows]
        by_row = not by_column and sum(1 for r in row_services if r) >= max(2, len(rows) // 2)
        self.report.dropped.append((block.line, " | ".join(header), "table header"))
        section = self.about()
        if by_column:
            # The cells of the columns headed by a service, wherever they stand: a column
            # whose header names none ("EMR-S" before the note defined it) is skipped,
            # not allowed to shift the others onto the wrong service.
            kept = [n for n, c in enumerate(columns) if c]
            self.index.tables.append(
                NoteTable(
                    self.file,
                    block.line,
                    tuple(columns[n][0] for n in kept),
                    tuple(
                        (row[0], tuple(row[n + 1] if n + 1 < len(row) else "" for n in kept))
                        for row in rows
                    ),
                    tuple(header[n + 1] for n in kept),
                )
            )
        if by_row:  # services down the side: kept turned, one row per column
            kept_rows = [(row_services[n][0], row) for n, row in enumerate(rows) if row_services[n]]
            self.index.tables.append(
                NoteTable(
                    self.file,
                    block.line,
                    tuple(sid for sid, _ in kept_rows),
                    tuple(
                        (header[c], tuple(row[c] if c < len(row) else "" for _, row in kept_rows))
                        for c in range(1, len(header))
                        if header[c]
                    ),
                    tuple(row[0] for _, row in kept_rows),
                )
            )
        if not by_column and not by_row:
            for number, row in enumerate(rows):  # a table of settings: one row, one point
                cells = [
                    f"{header[c].lower()} {cell}"
                    for c, cell in enumerate(row[1:], 1)
                    if cell.strip() and c < len(header) and header[c]
                ]
                if cells:
                    text = f"{row[0]}: {'; '.join(cells)}."
                    self.add(text, lines[number], section, f"{row[0]} {header[0]}", row=True)
            return
        for number, row in enumerate(rows):
            for column, cell in enumerate(row[1:], start=1):
                if not cell.strip() or column > len(header) - 1:
                    continue
                label = header[column]
                if by_column and columns[column - 1]:
                    about, subject, what = columns[column - 1], header[column], row[0]
                elif by_row and row_services[number]:
                    about, subject, what = row_services[number], row[0], label
                else:
                    about, subject, what = section, row[0], label
                text = f"{subject} — {what.lower()}: {cell}." if what else f"{subject}: {cell}."
                self.add(text, lines[number], about, f"{row[0]} {label}", row=True)


def read_note(file: str, blocks: list[Block], names: ServiceNames, index: NotesIndex) -> None:
    reader = _Reader(file, names, index)
    reader.headed = {
        m.service for block in blocks if block.kind == "heading" for m in names.find(block.text)
    }
    if blocks and blocks[0].kind == "heading":
        reader.title_line = blocks[0].line
    for block in blocks:
        if block.kind == "heading":
            reader.heading_block(block)
        elif block.kind == "table":
            reader.table_block(block)
        elif block.choice is not None:
            reader.choice_block(block)
        elif block.kind == "dropped":
            reader.report.dropped.append((block.line, block.text, block.why))
        else:
            reader.text_block(block)
    services = dict.fromkeys(s for st in index.statements if st.file == file for s in st.services)
    reader.report.services = [s for s in services if s not in index.topics]
    reader.report.topics = [s for s in services if s in index.topics]
    index.reports.append(reader.report)


def unit_of(word: str) -> str | None:
    """The unit a word writes ("GiB" → "GB", "mins" → "minutes"), if it is one."""
    return _UNITS.get(word.lower())


def limits_in(text: str) -> list[tuple[str, float, str]]:
    """Numbers with units next to a limit word: ("bandwidth", 100.0, "Gbps")."""
    found: list[tuple[str, float, str]] = []
    for clause in re.split(r"[;,(]|\s[—-]\s|\.\s", text):
        clause_words = words(clause)
        if not _LIMIT_WORDS & set(clause_words) and ":" not in clause:
            continue
        for match in _NUMBER_UNIT.finditer(clause):
            unit = _UNITS.get(match.group(2).lower())
            if unit is None:
                continue
            before = words(clause[: match.start()])
            label_words = [w for w in before if w not in _MODIFIERS and not w.isdigit()]
            label = " ".join(label_words[-3:]) or unit
            found.append((label, float(match.group(1).replace(",", "")), unit))
    return found


def index_notes(
    folder: Path,
    services: Iterable[object],
    catalogue: Catalogue = EMPTY,
    section_words: Iterable[str] = (),
    errata: Iterable[Erratum] = (),
) -> tuple[NotesIndex, list[Problem]]:
    """Index every note in `folder`, corrected by `errata`; unreadable notes are
    problems, not crashes."""
    index = NotesIndex()
    problems: list[Problem] = []
    if not folder.is_dir():
        return index, problems
    texts: dict[str, str] = {}
    for path in sorted(p for p in folder.iterdir() if p.suffix in NOTE_SUFFIXES):
        try:
            texts[path.name] = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(str(path), 1, f"cannot read the note: {error}"))
    problems += apply_errata(texts, list(errata))
    services = list(services)
    section = frozenset(section_words)
    known = ServiceNames(services, catalogue=catalogue)
    blocks = {file: read_blocks(text, names_line(known)) for file, text in texts.items()}
    index.released = released_aliases(blocks.values(), services, catalogue)
    if index.released:
        services = [without_aliases(s, index.released.get(s.id, ())) for s in services]
        known = ServiceNames(services, catalogue=catalogue)
    bare = {file: _bare_names(texts[file], catalogue) for file in blocks}
    candidates = [
        c
        for file, note in blocks.items()
        for c in candidates_in(note, file, _with(known, services, bare[file], catalogue), section)
    ]
    notes_text = "\n".join(texts.values())
    index.services = merge_candidates(candidates, known, notes_text)
    everything = [*services, *index.services.values()]
    names = ServiceNames(everything, catalogue=catalogue)
    for file, note in blocks.items():
        read_note(file, note, _with(names, everything, bare[file], catalogue), index)
    called = frozenset(
        n.lower()
        for names_of in (
            *((s.name, s.short, *s.aliases) for s in everything),  # type: ignore[attr-defined]
            *(entry.names for entry in catalogue.entries.values()),
        )
        for n in names_of
    )
    for report in index.reports:
        report.short_forms = abbreviations_in(blocks[report.file], names, called)
    index.abbreviations = _agreed([report.short_forms for report in index.reports])
    return index, problems


def released_aliases(
    notes: Iterable[list[Block]], services: list[object], catalogue: Catalogue
) -> dict[str, frozenset[str]]:
    """The aliases of YAML services that a note gives a section of its own: a catalogued
    service folded into another by an alias ("dax" in dynamodb.yaml) is a service again
    when a heading is about it ("## Amazon DynamoDB Accelerator (DAX)"), so the note's
    facts about it are its own and not the other service's."""
    owner = {name_key(a): s.id for s in services for a in s.aliases}  # type: ignore[attr-defined]
    own = {s.id for s in services}  # type: ignore[attr-defined]
    # "Application Load Balancer" is alb.yaml's own name: the same service, not a part.
    called = {
        s.id: {name_key(n) for n in (s.id, s.name, s.short)}  # type: ignore[attr-defined]
        for s in services
    }
    catalogued = ServiceNames([], catalogue=catalogue)
    released: dict[str, set[str]] = {}
    for blocks in notes:
        for block in blocks:
            if block.kind != "heading":
                continue
            mentions = catalogued.find(block.text)
            entry = catalogue.entries.get(mentions[0].service) if mentions else None
            if entry is None or entry.id in own:
                continue
            keys = {name_key(n) for n in entry.names}
            for key in keys:
                if key in owner and not keys & called[owner[key]]:
                    released.setdefault(owner[key], set()).add(key)
    return {sid: frozenset(keys) for sid, keys in released.items()}


def without_aliases(service: object, keys: Iterable[str]) -> object:
    """The service without the aliases whose name keys are `keys`."""
    keys = frozenset(keys)
    if not keys:
        return service
    aliases = tuple(a for a in service.aliases if name_key(a) not in keys)  # type: ignore[attr-defined]
    return replace(service, aliases=aliases)  # type: ignore[type-var]


def _agreed(tables: list[dict[str, str]]) -> dict[str, str]:
    """The short forms every note that defines them means the same by."""
    meanings: dict[str, set[str]] = {}
    for table in tables:
        for short, meaning in table.items():
            meanings.setdefault(short, set()).add(meaning)
    return {short: next(iter(m)) for short, m in meanings.items() if len(m) == 1}


def _bare_names(text: str, catalogue: Catalogue) -> list[CatalogueEntry]:
    """ "Amazon Connect" once in a note makes "CONNECT PRICING" about it in that note:
    the plain-word names ("Connect") of the catalogued services the note names in full,
    as entries of their own for that note's names table."""
    said = f" {' '.join(words(text))} "
    return [
        CatalogueEntry(sid, core, core)
        for sid, core in catalogue.plain_word_names
        if any(f" {prefix} {core.lower()} " in said for prefix in PREFIXES)
    ]


def _with(
    names: ServiceNames, services: list[object], bare: list[CatalogueEntry], catalogue: Catalogue
) -> ServiceNames:
    return ServiceNames([*services, *bare], catalogue=catalogue) if bare else names
