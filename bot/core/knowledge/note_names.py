"""The names a note defines: heading parts its section talks about, bold or labelled
terms, and the short names it gives ("CT = Control Tower"); one service per name, with
the aliases people say it by. `notes.py` reads the statements; this finds their subjects.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.core.knowledge.catalogue import PREFIXES, name_key
from bot.core.knowledge.names import ServiceNames
from bot.core.knowledge.note_blocks import Block
from bot.core.knowledge.text import STOPWORDS, words

_HEADING_SPLIT = re.compile(r"\s+(?:vs\.?|versus|and|or|&)\s+|[:,?!]|\s+[-–—]\s+", re.I)


_PARENTHESIS = re.compile(r"\s*\([^()]*\)")


_DEFINES = re.compile(
    r"^\s*(?:is|are|=|means|lets|let|gives|provides|stores|runs|sends|builds|works)\b"
    r"|^\s*[:=]|^\s*[—–-]\s"  # "**AWS Nitro Enclaves** — isolated VM …": what it is
)


# Marks before a heading's words ("📍 AWS IoT Core Device Location", "» Amazon MQ"):
# decoration, never part of a name.
_LEADING_MARKS = re.compile(r"^[^\w(]+")


# "4. AWS TRUSTED ADVISOR", "PART 2: AWS DATASYNC", "Section 3 - Snowball Edge"
_ENUMERATION = re.compile(
    r"^\s*(?:(?:part|section|chapter|module|step)\s+\d+\s*[.):\-–—]?|\d+[.)])\s+", re.I
)


_VERSION = re.compile(r"v\d+(?:\.\d+)*")


_DETERMINERS = frozenset("a an the my our your this these those some".split())


_QUESTION_WORDS = frozenset("what which how when why where who whom".split())


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


def _heading_parts(text: str) -> list[tuple[str, bool]]:
    """A heading's parts, split at "vs", "and", commas and dashes, each with whether a
    dash or colon comes just before it ("IFW — collection schemes")."""
    parts: list[tuple[str, bool]] = []
    start, after_mark = 0, False
    for mark in _HEADING_SPLIT.finditer(text):
        parts.append((text[start : mark.start()], after_mark))
        start, after_mark = mark.end(), mark.group().strip() in _DESCRIBING_MARKS
    parts.append((text[start:], after_mark))
    return parts


_DESCRIBING_MARKS = frozenset({"-", "–", "—", ":"})


def _name_like(segment: str, section_words: frozenset[str]) -> bool:
    """Whether a heading part or bold term reads as the name of a thing."""
    tokens = words(segment)
    named = tokens[1:] if tokens[:1] and tokens[0] in PREFIXES else tokens  # "AWS" aside
    if not 1 <= len(named) <= 4 or not segment[:1].isalnum():
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


# Digits short forms write for the small words they sound like.
_SOUNDS_LIKE = (("4", "for"), ("2", "to"))


def _acronym_of(name: str, inner: str) -> bool:
    """Whether `inner` ("IGW", "NACLs", "MGN") abbreviates `name` ("Internet Gateway",
    "Application Migration Service"): its letters are the initials, or are spelt in
    order inside the name starting at a word's first letter (MiGratioN)."""
    if "-" in inner.strip("-"):
        return _hyphenated_acronym(name, inner)
    letters = "".join(w[0] for w in re.findall(r"[A-Za-z][a-z]*", name)).lower()
    short = inner.rstrip("s").lower()
    said = name.lower().split()
    for digit, word in _SOUNDS_LIKE:  # "L4E": Lookout for Equipment
        if digit in short and word in said:
            short = short.replace(digit, word[0])
    if len(short) < 2 or not inner[:1].isupper() or not short.isalpha():
        return False
    spaced = "".join(w[0] for w in name.split() if w[:1].isalpha()).lower()
    if short in letters or short in name.lower() or short in spaced:  # OpenSearch Compute Unit
        return True
    return inner.isupper() and any(
        _spelt_in(short, word.lower()) for word in re.findall(r"[A-Za-z]+", name)
    )


def _hyphenated_acronym(name: str, inner: str) -> bool:
    """ "EC-SL" for "ElastiCache Serverless": each part abbreviates the next word of the
    name (without "AWS"/"Amazon"), by its capitals or spelt in it."""
    parts = inner.split("-")
    if len(parts) < 2 or not all(p.isalpha() and p[:1].isupper() for p in parts):
        return False
    name_words = [w for w in re.findall(r"[A-Za-z]+", name) if w.lower() not in PREFIXES]
    if len(name_words) != len(parts):
        return False
    for part, word in zip(parts, name_words, strict=True):
        capitals = "".join(c for c in word if c.isupper()).lower()
        short = part.lower()
        if (
            short != capitals
            and short != word[: len(short)].lower()
            and not (part.isupper() and _spelt_in(short, word.lower()))
        ):
            return False
    return True


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


def candidates_in(
    blocks: list[Block], file: str, names: ServiceNames, section_words: frozenset[str]
) -> list[_Candidate]:
    """Names a note defines: heading parts its section talks about, and bold or
    labelled terms being defined. The note's title only lists its topics."""
    found: list[_Candidate] = []
    heading_heads: set[str] = set()
    # Words the note also writes in lower case are words, not names ("**Durability** is
    # 11 nines" defines a property; "99.999% durability" shows it is an ordinary word).
    lower_case = {w for b in blocks for w in re.findall(r"(?<![\w.])[a-z][a-z]+\b", b.text or "")}

    def _proper(token: str, written: str) -> bool:
        """ "ExpressLink" after "AWS IoT": a word the note writes only capitalised, and
        not a section's word ("Amazon S3 Basics"), is a name, not "snapshots"."""
        return (
            token not in lower_case
            and token not in section_words
            and written.split()[-1][:1].isupper()
        )

    for position, block in enumerate(blocks):
        for name, short in _glossary(block.text, names):
            found.append(_Candidate(name, {short}, file, block.line))
        if block.kind == "heading":
            heading = _ENUMERATION.sub("", _LEADING_MARKS.sub("", block.text))  # no "2." in names
            base, inner = _split_parenthesis(heading)
            if inner and _acronym_of(base, inner):
                found.append(_Candidate(base, {inner}, file, block.line))
            if inner and names.find(inner):
                continue  # "AWS Snow family (Snowball Edge)": about the service it names
            text = _PARENTHESIS.sub("", heading)
            parts = []  # "AMAZON QLDB - CLOSED": split at its marks, then read each part
            heading_heads = set()
            described: set[str] = set()  # the parts after a dash or colon
            for raw, after_mark in _heading_parts(text):
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
                    if after_mark:
                        described.add(parts[-1])
                elif tokens[0] in PREFIXES and (
                    known[-1].end < len(tokens) - 1
                    or (known[-1].end == len(tokens) - 1 and _proper(tokens[-1], raw))
                ):
                    # "Amazon ECS Service Connect", "AWS IoT ExpressLink": a product of its
                    # own, named in full with "Amazon" in front; its section stays with
                    # the service its name begins with only when it runs on in words.
                    parts.append(" ".join(tokens))
            if position == 0:
                continue  # the note's title
            section = _section_texts(blocks, position)
            for part in parts:
                # "AWS"/"Amazon" in front says a product is named, even when its section
                # goes on to call it something shorter ("Composer").
                tokens = words(part)
                product = len(tokens) > 1 and tokens[0] in PREFIXES
                original = _original_case(part, text)
                if original.islower() and (" " not in original or part in described):
                    # "— online, managed bulk copy", "IFW — collection schemes": in lower
                    # case after a dash, what the heading says of the name before it; a
                    # part joined by "and" or "vs" is a thing ("Subnets and route tables").
                    continue
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
    _add_short_forms(found, blocks)
    return found + _heads_said_alone(blocks, file, names)


def _add_short_forms(found: list[_Candidate], blocks: list[Block]) -> None:
    """ "AWS IoT Device Management (IDM) → …" in a list before the section headed
    "AWS IoT Device Management": a short form the note gives a name it defines
    elsewhere (not a catalogued one, which the glossary reads) is that name's too."""
    shorts: dict[str, set[str]] = {}
    for block in blocks:
        for name, short in _defined_short_forms(block.text or ""):
            shorts.setdefault(name_key(name), set()).add(short)
    for candidate in found:
        candidate.aliases |= shorts.get(name_key(candidate.name), set())


# A name of two or three capitalised words: "VPC Lattice", "EC2 Image Builder".
_CAPITALISED = re.compile(r"(?<![\w-])([A-Z][a-z]+)\b")
_NAME_AND_HEAD = re.compile(r"\b([A-Z][A-Za-z0-9]+)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\b")


def _heads_said_alone(blocks: list[Block], file: str, names: ServiceNames) -> list[_Candidate]:
    """ "Lattice" for VPC Lattice: a catalogued name made of another service's name and
    more words is called by those words alone where the note writes them so, capitalised,
    twice or more, and never as an ordinary word in lower case."""
    texts = [(b.line, t) for b in blocks for t in [b.text, *(c for r in b.rows for c in r)]]
    everything = "\n".join(t for _, t in texts)
    # How often each capitalised word is written: most pairs are ruled out on this alone.
    capitalised = Counter(_CAPITALISED.findall(everything))
    found: list[_Candidate] = []
    seen: set[str] = set()
    for line, text in texts:
        for match in _NAME_AND_HEAD.finditer(text):
            first, head = match.groups()
            whole = f"{first} {head}"
            if whole in seen or len(head) < 5:
                continue
            seen.add(whole)
            if capitalised[head.split()[0]] < 3:  # once in full and twice alone, at least
                continue
            known = names.find(whole)
            if len(known) != 1 or known[0].end - known[0].start != len(words(whole)):
                continue
            if not names.find(first) or names.find(head):
                continue
            if _ends_other_names(" ".join(words(head)), known[0].service, names):
                continue  # "Serverless" alone is none of the services it ends
            alone = len(re.findall(rf"(?<![\w-]){re.escape(head)}\b", everything))
            in_full = len(re.findall(rf"\b{re.escape(whole)}\b", everything))
            as_word = re.search(rf"(?<![\w.-]){re.escape(head.lower())}\b", everything)
            if alone - in_full >= 2 and not as_word:
                found.append(_Candidate(whole, {head}, file, line))
    return found


# A short form: a capital, then up to five letters or digits of which one more is a
# capital ("CT", "ADS", "FSxW"; not "Lambda"), or capitals either side of a hyphen
# ("EMR-S", "EC-SL").
_SHORT = r"(?:[A-Z](?=[a-z0-9]{0,4}[A-Z])[A-Za-z0-9]{0,4}[A-Z0-9]|[A-Z]{1,4}-[A-Z]{1,3})"
_SHORT_FOR = re.compile(rf"(?<![\w-])({_SHORT})s?\s*=\s*([A-Za-z][\w -]{{2,40}}?)\s*(?=[,;.()]|$)")


# The name before it may join its capitalised words with a small word ("Amazon EMR on
# EKS (EoE)", "Lookout for Equipment (L4E)").
_SHORT_AFTER = re.compile(
    rf"([A-Z][\w-]*(?:\s+(?:(?:of|on|for|and|to|in|with|at)\s+)?[A-Z][\w-]*){{0,5}})"
    rf"\s*\(({_SHORT})s?\)"
)


_SHORT_BEFORE = re.compile(rf"(?<![\w-])({_SHORT})s?\s*\(([A-Z][\w -]{{2,40}})\)")


def _short_forms(text: str) -> list[tuple[str, str]]:
    """(what is meant, its short form) for each way a line defines one: "CT = Control
    Tower", "Application Discovery Service (ADS)", "ADS (Application Discovery Service)"."""
    pairs = [(m.group(2), m.group(1)) for m in _SHORT_FOR.finditer(text)]
    pairs += [(m.group(1), m.group(2)) for m in _SHORT_AFTER.finditer(text)]
    pairs += [(m.group(2), m.group(1)) for m in _SHORT_BEFORE.finditer(text)]
    return pairs


def _defined_short_forms(text: str) -> list[tuple[str, str]]:
    """(name, short form) for each short form a line defines that abbreviates its name
    and is no everyday word."""
    pairs = [(name.strip(), short) for name, short in _short_forms(text)]
    return [(n, s) for n, s in pairs if s.lower() not in STOPWORDS and _shortens(n, s)]


def _glossary(text: str, names: ServiceNames) -> list[tuple[str, str]]:
    """Short names a note defines for services it knows by name: "CT = Control Tower",
    "Application Discovery Service (ADS)", "ADS (Application Discovery Service)"."""
    return [(n, s) for n, s in _defined_short_forms(text) if _is_a_name(n, names)]


def _shortens(name: str, short: str) -> bool:
    """Whether a short form a glossary gives a service abbreviates its name: as an
    acronym, or as the openings of some of its words ("FSxW" = FSx for Windows)."""
    if _acronym_of(name, short):
        return True
    pieces = [w.lower() for w in re.findall(r"[A-Za-z][a-z]*", name)]
    return short[:1].isupper() and short.isalpha() and _opens_words(short.lower(), pieces)


def _opens_words(short: str, pieces: list[str]) -> bool:
    """Whether `short` is made of the openings of some of the words, in order: "fsxw" is
    "f" + "sx" + "w" of "Amazon F-Sx for Windows File Server"."""
    if not short:
        return True
    for at, piece in enumerate(pieces):
        for size in range(min(len(short), len(piece)), 0, -1):
            if piece.startswith(short[:size]) and _opens_words(short[size:], pieces[at + 1 :]):
                return True
    return False


def abbreviations_in(
    blocks: list[Block], names: ServiceNames, service_names: frozenset[str]
) -> dict[str, str]:
    """The short forms a note defines for things that are not services ("HC = health
    check", "target group (TG)"): lower-case short form -> what it stands for. A short
    form that is some service's name ("RUM") stays that service's."""
    found: dict[str, str] = {}
    for block in blocks:
        for meaning, short in _short_forms(block.text):
            meaning = meaning.strip()
            if len(words(meaning)) < 2 and len(meaning) < 6:
                continue
            lower = short.lower()
            if lower in STOPWORDS or lower in service_names or names.find(short):
                continue
            if not _acronym_of(meaning, short):
                continue
            found.setdefault(short.lower(), meaning.lower())
    return found


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


def _spellings_in(text: str, phrase: str) -> list[str]:
    """How `text` writes `phrase` as words of its own, in any case (not "optimized
    write" of "optimized writes")."""
    return re.findall(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text, re.I)


def _as_written(name: str, text: str) -> str:
    """ "AWS SYSTEMS MANAGER PARAMETER STORE" from a heading in capitals, as the note
    writes it elsewhere ("AWS Systems Manager Parameter Store"), if it does."""
    if not name.isupper() or " " not in name:
        return name
    return next((w for w in _spellings_in(text, name) if not w.isupper()), name)


def merge_candidates(
    candidates: Iterable[_Candidate], names: ServiceNames, notes_text: str = ""
) -> dict[str, NoteService]:
    """One service per name the notes define; an alias of a known service extends it.
    A plural name is shown singular ("Target Group") unless the notes (`notes_text`)
    never write it so: "Optimized Writes" is a feature's name."""
    candidates = list(candidates)
    # "SM vs PS" heads a section with short forms the note defined for services ("PS =
    # AWS Systems Manager Parameter Store"): names of those, not of new services.
    defined = {(c.file, a) for c in candidates for a in c.aliases}
    merged: dict[str, _Candidate] = {}
    for candidate in candidates:
        if not candidate.aliases and (candidate.file, candidate.name) in defined:
            continue
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
        # "EMR-S" ends in a capital of the short form, not in a plural's s.
        aliases |= {singular(a) for a in candidate.aliases if not a[-1:].isupper()}
        display = singular(name)
        if notes_text and display != name and not _spellings_in(notes_text, display):
            display = name
        display = _as_written(display, notes_text)
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
        added: list[str] = []
        for written in dict.fromkeys(tuple(words(a)) for a in service.aliases if len(words(a)) > 1):
            # "CloudWatch Logs Insights" is also "Logs Insights", after the family's name,
            # as well as "Insights", after the longest known name it opens with; and
            # "Systems Manager Incident Manager", catalogued whole, is "Incident Manager".
            family = next(
                (
                    size
                    for size in range(len(written) - 1, 0, -1)
                    if any(
                        m.start == 0 and m.end == size and m.service != sid
                        for m in names.find(" ".join(written[:size]))
                    )
                ),
                None,
            )
            if family is None:
                continue
            starts = {family}
            if names.find(written[0]):
                starts.add(1)
            for start in sorted(starts):
                rest = " ".join(written[start:])
                if (
                    len(rest) >= 5
                    and rest not in taken
                    and not _is_a_name(rest, names)
                    and not _ends_other_names(rest, sid, names)
                ):
                    taken.add(rest)
                    added.append(rest)
        if added:
            services[sid] = NoteService(
                sid, service.name, (*service.aliases, *added), service.file, service.line
            )


def _is_a_name(phrase: str, names: ServiceNames) -> bool:
    """Whether the phrase is a known name as a whole: "object lambda" only holds one
    ("Lambda"), so "S3 Object Lambda" may be called by it."""
    found = names.find(phrase)
    return any(m.start == 0 and m.end == len(words(phrase)) for m in found)


def _ends_other_names(rest: str, sid: str, names: ServiceNames) -> bool:
    """ "Serverless" ends EMR Serverless, Redshift Serverless and more: what several
    services' names end with calls none of them alone."""
    ending = f" {rest}"
    return any(p.endswith(ending) and other != sid for p, other in names.phrases.items())


def names_line(names: ServiceNames) -> Callable[[str], bool]:
    """Whether a short line opens with a service's name (a title in plain-text notes)."""

    def opens_with_name(text: str) -> bool:
        mentions = names.find(text)
        return bool(mentions) and mentions[0].start == 0

    return opens_with_name
