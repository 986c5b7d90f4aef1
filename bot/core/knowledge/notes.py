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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.knowledge.catalogue import EMPTY, PREFIXES, Catalogue
from bot.core.knowledge.errata import Erratum, apply_errata
from bot.core.knowledge.names import ServiceNames
from bot.core.knowledge.note_blocks import Block, read_blocks
from bot.core.knowledge.schema import Problem
from bot.core.knowledge.text import STOPWORDS, has_mojibake, words

NOTE_SUFFIXES = (".md", ".txt")
_MAX_STATEMENT = 400
_SENTENCE = re.compile(r"(?<=[a-z0-9)\"'%][.!?])\s+(?=[A-Z\"'(])")
_HEADING_SPLIT = re.compile(r"\s+(?:vs\.?|versus|and|or|&)\s+|[:,?!]|\s+[-–—]\s+", re.I)
_PARENTHESIS = re.compile(r"\s*\([^()]*\)")
_DEFINES = re.compile(
    r"^\s*(?:is|are|=|means|lets|let|gives|provides|stores|runs|sends|builds|works)\b|^\s*[:=]"
)
_ENUMERATION = re.compile(r"^\s*\d+[.)]\s+")  # "4. AWS TRUSTED ADVISOR"
_VERSION = re.compile(r"v\d+(?:\.\d+)*")
_OBJECT_OPENERS = frozenset("the a an it them its this that these those your our".split())
_DETERMINERS = frozenset("a an the my our your this these those some".split())
_QUESTION_WORDS = frozenset("what which how when why where who whom".split())
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


@dataclass(frozen=True)
class NoteService:
    """A service the notes talk about, as the notes name it."""

    id: str
    name: str
    aliases: tuple[str, ...]
    file: str
    line: int

    @property
    def short(self) -> str:
        return self.name


@dataclass
class NoteReport:
    """What one note gave, for authors: `python -m bot notes`."""

    file: str
    services: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # statement ids
    dropped: list[tuple[int, str, str]] = field(default_factory=list)  # line, text, why


@dataclass
class NotesIndex:
    statements: list[NoteStatement] = field(default_factory=list)
    services: dict[str, NoteService] = field(default_factory=dict)
    limits: list[NoteLimit] = field(default_factory=list)
    choices: list[NoteChoice] = field(default_factory=list)
    tables: list[NoteTable] = field(default_factory=list)
    reports: list[NoteReport] = field(default_factory=list)

    @property
    def files(self) -> list[str]:
        return [r.file for r in self.reports]


# --- names the notes define ---------------------------------------------------------------


def singular(phrase: str) -> str:
    """The phrase with its last word made singular: "route tables" -> "route table"."""
    head, _, last = phrase.rpartition(" ")
    lower = last.lower()
    if len(last) <= 3 or lower.endswith(("ss", "us", "is", "ics")):
        return phrase
    if lower.endswith("ies"):
        last = last[:-3] + "y"
    elif lower.endswith(("sses", "xes", "ches", "shes")):
        last = last[:-2]
    elif lower.endswith("s"):
        last = last[:-1]
    return f"{head} {last}".strip()


def _is_label(text: str) -> bool:
    """A line that introduces what follows rather than says something: "Scheduling and
    Execution:", "What is it?", "Common Lambda Use Cases"."""
    stripped = text.strip()
    if stripped.endswith((":", "?")) and len(words(stripped)) <= 6:
        return True
    tokens = stripped.split()
    capitalised = all(t[:1].isupper() or t.lower() in STOPWORDS for t in tokens)
    return len(tokens) <= 5 and capitalised and not stripped.endswith((".", "!"))


def _name_like(segment: str, section_words: frozenset[str]) -> bool:
    """Whether a heading part or bold term reads as the name of a thing."""
    tokens = words(segment)
    if not 1 <= len(tokens) <= 4 or not segment[:1].isalnum():
        return False
    if tokens[0] in _QUESTION_WORDS or tokens[0].endswith("ing") or tokens[0] in _DETERMINERS:
        return False  # "A Mental Map", "What is it", "Picking one": not names
    if any(t.isdigit() for t in tokens) or all(t in STOPWORDS for t in tokens):
        return False
    if _VERSION.fullmatch(tokens[0]):
        return False  # "V1 vs V2 pipeline types": versions of something, not names
    return not all(t in section_words or singular(t) in section_words for t in tokens)


@dataclass
class _Candidate:
    name: str
    aliases: set[str]
    file: str
    line: int


def _acronym_of(name: str, inner: str) -> bool:
    """Whether `inner` ("IGW", "NACLs", "MGN") abbreviates `name` ("Internet Gateway",
    "Application Migration Service"): its letters are the initials, or are spelt in
    order inside the name starting at a word's first letter (MiGratioN)."""
    letters = "".join(w[0] for w in re.findall(r"[A-Za-z][a-z]*", name)).lower()
    short = inner.rstrip("s").lower()
    if len(short) < 2 or not inner[:1].isupper() or not short.isalpha():
        return False
    if short in letters or short in name.lower():
        return True
    return inner.isupper() and any(
        _spelt_in(short, word.lower()) for word in re.findall(r"[A-Za-z]+", name)
    )


def _spelt_in(short: str, word: str) -> bool:
    """ "mgn" in "migration": the first letters match and the rest follow in order."""
    if len(word) <= len(short) or word[0] != short[0]:
        return False
    rest = iter(word[1:])
    return all(letter in rest for letter in short[1:])


def _split_parenthesis(text: str) -> tuple[str, str | None]:
    """ "AWS Application Migration Service (MGN) — rehost servers": the name before the
    parenthesis and what it holds."""
    match = re.match(r"^(.*?)\s*\(([^()]{1,40})\)", text)
    if match:
        return match.group(1).strip(), match.group(2).strip()
    return text.strip(), None


def _mentioned_in(name: str, texts: list[str]) -> bool:
    """Whether a section's text uses the name (its last word may be plural or not; an
    "AWS"/"Amazon" in front may be left out: "## AWS CloudShell" over "CloudShell is…")."""
    tokens = words(singular(name))
    if len(tokens) > 1 and tokens[0] in PREFIXES:
        tokens = tokens[1:]
    key = " ".join(tokens)
    return any(key in " ".join(words(singular_words(t))) for t in texts)


def singular_words(text: str) -> str:
    return " ".join(singular(w) for w in text.split())


def _section_texts(blocks: list[Block], start: int) -> list[str]:
    """The text of the section a heading opens, up to the next heading of its level."""
    level = blocks[start].level
    texts: list[str] = []
    for block in blocks[start + 1 :]:
        if block.kind == "heading" and block.level <= level:
            break
        texts.append(block.text or " ".join(" ".join(r) for r in block.rows))
    return texts


def _candidates_in(
    blocks: list[Block], file: str, names: ServiceNames, section_words: frozenset[str]
) -> list[_Candidate]:
    """Names a note defines: heading parts its section talks about, and bold or
    labelled terms being defined. The note's title only lists its topics."""
    found: list[_Candidate] = []
    heading_heads: set[str] = set()
    # Words the note also writes in lower case are words, not names ("**Durability** is
    # 11 nines" defines a property; "99.999% durability" shows it is an ordinary word).
    lower_case = {w for b in blocks for w in re.findall(r"(?<![\w.])[a-z][a-z]+\b", b.text or "")}
    for position, block in enumerate(blocks):
        for name, short in _glossary(block.text, names):
            found.append(_Candidate(name, {short}, file, block.line))
        if block.kind == "heading":
            heading = _ENUMERATION.sub("", block.text)  # "2. Amazon MSF": no "2." in names
            base, inner = _split_parenthesis(heading)
            if inner and _acronym_of(base, inner):
                found.append(_Candidate(base, {inner}, file, block.line))
            if inner and names.find(inner):
                continue  # "AWS Snow family (Snowball Edge)": about the service it names
            text = _PARENTHESIS.sub("", heading)
            parts = []  # "AMAZON QLDB - CLOSED": split at its marks, then read each part
            heading_heads = set()
            for raw in _HEADING_SPLIT.split(text):
                tokens = words(raw)
                if not tokens:
                    continue
                known = names.find(raw)
                heading_heads |= {singular(tokens[m.end - 1]) for m in known}
                heading_heads.add(singular(tokens[-1]))
                # "AURORA SERVERLESS V2": words run on from a known name qualify it; the
                # section is about that service, not about a new "SERVERLESS V2".
                if not known:
                    parts.append(" ".join(tokens))
            if position == 0 and block.level == 1:
                continue
            section = _section_texts(blocks, position)
            for part in parts:
                # "AWS"/"Amazon" in front says a product is named, even when its section
                # goes on to call it something shorter ("Composer").
                tokens = words(part)
                product = len(tokens) > 1 and tokens[0] in PREFIXES
                original = _original_case(part, text)
                if " " not in original and original.islower():
                    continue  # "— online, managed bulk copy": a description, not a name
                if _name_like(part, section_words) and (product or _mentioned_in(part, section)):
                    found.append(_Candidate(original, set(), file, block.line))
        elif block.lead:
            base, inner = _split_parenthesis(block.lead)
            tail = block.tail
            paren = re.match(r"^\s*\(([^()]{1,40})\)\s*", tail)
            if paren:
                inner = inner or paren.group(1)
                tail = tail[paren.end() :]
            defines = bool(_DEFINES.match(tail))
            labelled = block.lead_colon or tail.lstrip().startswith((":", "="))
            tokens = words(base)
            shares_head = bool(tokens) and singular(tokens[-1]) in heading_heads
            if not _name_like(base, section_words):
                continue
            if len(tokens) == 1 and base.lower() in lower_case:
                continue
            if (defines and not labelled) or (labelled and shares_head):
                aliases = {inner} if inner and _acronym_of(base, inner) else set()
                known = names.find(base)
                if known and not aliases:
                    continue
                found.append(_Candidate(base, aliases, file, block.line))
    return found


_SHORT_FOR = re.compile(
    r"(?<![\w-])([A-Z][A-Z0-9]{1,5})s?\s*=\s*([A-Za-z][\w -]{2,40}?)\s*(?=[,;.()]|$)"
)
_SHORT_AFTER = re.compile(r"([A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,5})\s*\(([A-Z][A-Z0-9]{1,5})s?\)")
_SHORT_BEFORE = re.compile(r"(?<![\w-])([A-Z][A-Z0-9]{1,5})s?\s*\(([A-Z][\w -]{2,40})\)")


def _glossary(text: str, names: ServiceNames) -> list[tuple[str, str]]:
    """Short names a note defines for services it knows by name: "CT = Control Tower",
    "Application Discovery Service (ADS)", "ADS (Application Discovery Service)"."""
    pairs = [(m.group(2), m.group(1)) for m in _SHORT_FOR.finditer(text)]
    pairs += [(m.group(1), m.group(2)) for m in _SHORT_AFTER.finditer(text)]
    pairs += [(m.group(2), m.group(1)) for m in _SHORT_BEFORE.finditer(text)]
    found = []
    for name, short in pairs:
        name = name.strip()
        known = names.find(name)
        whole = len(known) == 1 and known[0].end - known[0].start == len(words(name))
        if whole and short.lower() not in STOPWORDS and _acronym_of(name, short):
            found.append((name, short))
    return found


# "This note covers the VPC…", "my notes after the lab": the writer on the note itself.
_ABOUT_THE_NOTE = re.compile(r"\b(?:this|these|my|our) notes?\b", re.I)


def written_as(words_said: str, text: str) -> str | None:
    """The words as the text writes them, whatever lies between ("aurora" in "AURORA (the
    cloud native one)" is "AURORA"), or None if the text does not say them."""
    pattern = r"\b" + r"\W+".join(map(re.escape, words_said.split())) + r"\b"
    match = re.search(pattern, text, re.I)
    return match.group(0) if match else None


def _original_case(part: str, text: str) -> str:
    """The part as the heading writes it ("Subnets", not "subnets"); a heading in capitals
    shouts, so its longer words are names in title case ("AMAZON QLDB" → "Amazon QLDB").
    """
    found = written_as(part, text) or part
    if text.isupper():
        found = re.sub(r"[A-Z]{5,}", lambda m: m.group(0).title(), found)
    return found


def _slug(name: str) -> str:
    return "-".join(words(singular(name))) or "note"


def _merge_candidates(
    candidates: Iterable[_Candidate], names: ServiceNames
) -> dict[str, NoteService]:
    """One service per name the notes define; an alias of a known service extends it."""
    merged: dict[str, _Candidate] = {}
    for candidate in candidates:
        known = names.find(candidate.name)
        if known and known[0].end - known[0].start == len(words(candidate.name)):
            sid = known[0].service
        else:
            sid = _slug(candidate.name)
        if sid in merged:
            merged[sid].aliases |= candidate.aliases
        else:
            merged[sid] = _Candidate(
                candidate.name, set(candidate.aliases), candidate.file, candidate.line
            )
    services: dict[str, NoteService] = {}
    for sid, candidate in merged.items():
        name = candidate.name
        aliases = {name, singular(name), *candidate.aliases}
        aliases |= {singular(a) for a in candidate.aliases}
        display = singular(name)
        services[sid] = NoteService(
            sid, display[:1].upper() + display[1:], tuple(sorted(aliases)), candidate.file,
            candidate.line,
        )  # fmt: skip
    _add_head_aliases(services, names)
    return services


def _add_head_aliases(services: dict[str, NoteService], names: ServiceNames) -> None:
    """ "VPC peering" is also "peering": a name made of a known service and more words
    is also called by those words alone, when nothing else is."""
    taken = {" ".join(words(a)) for s in services.values() for a in s.aliases}
    for sid, service in list(services.items()):
        for written in dict.fromkeys(tuple(words(a)) for a in service.aliases if len(words(a)) > 1):
            mentions = names.find(" ".join(written))
            if not mentions or mentions[0].start != 0:
                continue
            # "CloudWatch Logs Insights" is also "Logs Insights", after the family's name,
            # as well as "Insights", after the longest known name it opens with.
            starts = {mentions[0].end}
            if names.find(written[0]):
                starts.add(1)
            for start in sorted(starts):
                rest = " ".join(written[start:])
                if len(rest) >= 5 and rest not in taken and not names.find(rest):
                    taken.add(rest)
                    service = NoteService(
                        sid, service.name, (*service.aliases, rest), service.file, service.line
                    )
        services[sid] = service


def names_line(names: ServiceNames) -> Callable[[str], bool]:
    """Whether a short line opens with a service's name (a title in plain-text notes)."""

    def opens_with_name(text: str) -> bool:
        mentions = names.find(text)
        return bool(mentions) and mentions[0].start == 0

    return opens_with_name


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
        self.subject: tuple[str, ...] = ()
        # Lines items sit under, with the service each opens with ("AURORA DSQL (GA
        # 2025) - NOT…", "- **AWS Proton** (…)"): deeper items are about that service.
        self.parents: list[tuple[int, tuple[str, ...]]] = []
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

    def heading_block(self, block: Block) -> None:
        for level in [lv for lv in self.context if lv >= block.level]:
            del self.context[level]
        named = self.named(block.text)
        # A title that lists many services ("SQS, SNS, Kinesis") is about none of them.
        self.context[block.level] = tuple(named) if len(named) <= 2 else ()
        self.heading = block.text
        self.parents = []
        self.report.dropped.append((block.line, block.text, "heading"))

    def subject_of(self, block: Block) -> tuple[str, ...]:
        """The service a paragraph or item is about: its bold lead, the service it opens
        with, or its section's."""
        section = self.about()
        level = -1 if block.kind == "text" else block.level  # a plain line is above items
        while self.parents and self.parents[-1][0] >= level:
            self.parents.pop()
        parent = next((own for _, own in reversed(self.parents) if own), ())
        section = (*parent, *[s for s in section if s not in parent])
        first = self.named(block.lead) if block.lead else self.opening_name(block.text)
        self.parents.append((level, tuple(first[:1])))
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
        if opening and opening[0] not in about[:1]:
            primary: tuple[str, ...] = (opening[0],)  # clearly about another service
        else:
            primary = about[:1] or tuple(named[:1])
        services = tuple(dict.fromkeys((*primary, *named)))
        if not services:
            self.report.dropped.append((line, text, "names no service, under no service"))
            return
        self.count += 1
        sid = f"{self.file}#{self.count}"
        statement = NoteStatement(
            sid, self.file, text, services, line, context or self.heading, lead_in
        )
        self.index.statements.append(statement)
        self.report.kept.append(sid)
        for label, value, unit in limits_in(text):
            self.index.limits.append(NoteLimit(services[0], label, value, unit, sid))

    def text_block(self, block: Block) -> None:
        about = self.subject_of(block)
        for number, sentence in enumerate(_split_sentences(block.text)):
            # "**Basic**: prepares… Quota: 50 million files…": later sentences of an
            # item are still about its lead ("Basic"), for matching.
            lead = block.lead if number and block.lead else ""
            context = " ".join(filter(None, (block.context or self.heading, lead)))
            self.add(sentence, block.line, about, context, lead_in=block.context)

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
            kept = [c[0] for c in columns if c]
            self.index.tables.append(
                NoteTable(
                    self.file,
                    block.line,
                    tuple(kept),
                    tuple((row[0], tuple(row[1 : len(kept) + 1])) for row in rows),
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
    reader.report.services = list(services)
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
    candidates = [
        c for file, note in blocks.items() for c in _candidates_in(note, file, known, section)
    ]
    index.services = _merge_candidates(candidates, known)
    names = ServiceNames([*services, *index.services.values()], catalogue=catalogue)
    for file, note in blocks.items():
        read_note(file, note, names, index)
    return index, problems
