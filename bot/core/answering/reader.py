"""Reading a chat question: shorthand, typos, service names, numbers and stated needs.

The reader turns "batch or lambda for a 2hr job??" into what the engine reasons over:
the services named, a duration of 120 minutes, the needs the rules know, the content
terms, and cues for the kind of question. Every word list comes from `knowledge/`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from lemminflect import getAllInflections, getAllLemmas
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.core.answering.quantities import QuantityCues
from bot.core.knowledge.catalogue import without_prefix
from bot.core.knowledge.loader import Knowledge
from bot.core.knowledge.names import Mention, ServiceNames
from bot.core.knowledge.text import STOPWORDS, clause_words, clean_input, stem, words

_UNITS = {
    "ms": 1 / 60000, "millisecond": 1 / 60000, "milliseconds": 1 / 60000,
    "s": 1 / 60, "sec": 1 / 60, "secs": 1 / 60, "second": 1 / 60, "seconds": 1 / 60,
    "min": 1.0, "mins": 1.0, "minute": 1.0, "minutes": 1.0,
    "h": 60.0, "hr": 60.0, "hrs": 60.0, "hour": 60.0, "hours": 60.0,
    "d": 1440.0, "day": 1440.0, "days": 1440.0,
    "week": 10080.0, "weeks": 10080.0, "month": 43200.0, "months": 43200.0,
}  # fmt: skip
_MEMORY_UNITS = {"mb": 1 / 1024, "gb": 1.0, "gib": 1.0, "g": 1.0, "tb": 1024.0}
_SPLIT_SUFFIXES = frozenset(_UNITS) | frozenset(_MEMORY_UNITS) | {"am", "pm", "x"}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "twenty": 20, "half": 0.5,
    "several": 3, "few": 3, "couple": 2, "multiple": 2, "many": 5,
}  # fmt: skip
_NUMBER_TOKEN = re.compile(r"^(\d+(?:\.\d+)?)([a-z]+)$")
# A setting, API action or metric named in CamelCase ("IdleClientTimeout"): three or more
# capitalised words run together, which a question says apart ("idle client timeout").
# Two ("CloudFormation", "ElastiCache") are product names people type whole.
_CAMEL_CASE = re.compile(r"\b[A-Z]?[a-z]+(?:[A-Z][a-z]+){2,}\b")
_MEMORY_WORDS = frozenset({"memory", "ram"})
# A word and its version or generation, run together: "hbm3", "graviton4", "efav3".
_VERSIONED = re.compile(r"([a-z]{3,}?)v?\d+")
# A duration after "every", "per" or "each" says how often; after "last", "past" or
# "after", or before "ago", "old" or "later", it says when: none is how long a run lasts.
_NOT_A_RUN_BEFORE = frozenset({"per", "every", "each", "last", "past", "after"})
# "20 min ago", "a few min of downtime", "5 min behind", "rolling 5 min averages": when,
# how long something is down or late, or a window of data, not how long a run lasts.
_NOT_A_RUN_AFTER = frozenset(
    "ago old later downtime outage delay lag behind average averages window windows "
    "interval intervals".split()
)
_NAME_PREFIXES = frozenset({"aws", "amazon"})
_NAME_FILLERS = _NAME_PREFIXES | {"for", "with", "and", "the", "of", "on"}  # "S3 on Outposts"
# "a"/"an" is a count ("an hour job") only after these; "requests a month" is a rate.
_ARTICLE_COUNT_AFTER = frozenset(
    """for takes take taking took runs run running ran lasts last lasting about over under
    than within in half whole entire nearly almost around roughly to past""".split()
)

COMPARE_CUES = ("vs", "versus", "difference between", "differences between", "difference",
                "compare", "comparison", "compared", "differ", "different from",
                "distinguish")  # fmt: skip
STANDS_FOR_CUES = ("stand for", "stands for", "acronym", "abbreviation", "short for",
                   "full form", "full name", "mean", "meaning of")  # fmt: skip
WHAT_IS_CUES = ("what is", "whats", "what are", "what was", "what were", "what does",
                "tell me about", "definition", "overview", "what do", "who is",
                "info on", "what kind", "what kinds", "what type", "what types", "what sort",
                "how is", "how are",
                "how does", "how much", "how many", "how long", "how big", "how fast",
                "where does", "where is", "where are", "when does", "why does",
                "why is")  # fmt: skip
TELL_CUES = ("explain", "describe")  # ask what something is when they open the question
# "what do we use", "what would you pick": asks which service, not what one is.
WHAT_TO_USE_CUES = tuple(
    f"what {aux} {who} {verb}"
    for aux in ("do", "would", "should", "could", "can")
    for who in ("i", "we", "you")
    for verb in ("use", "pick", "choose", "load", "put", "run", "host", "deploy")
)
# "whats the native tool", "what is the right aws service": asks which one to use.
ASKS_WHICH_CUES = tuple(
    f"{what} {kind} {noun}".replace("  ", " ")
    for what in ("whats the", "what is the", "what", "whats a", "what is a")
    for kind in ("", "aws", "native", "right", "best", "managed", "native aws", "aws native")
    for noun in ("service", "tool", "option")
)
DECISION_CUES = ("which", "should i", "should we", "what to use", *ASKS_WHICH_CUES,
                 "what can i use", "recommend", "best", "i need", "we need", "i want",
                 "we want", "need to", "want to", "how do i", "how can i", "how should",
                 "how do we", "how can we", "pick", "choose", "go with", "good for",
                 "suitable", "right for", "for a", "for my", "for our", "use for",
                 "use to", "way to", "looking for", "options for", "where should",
                 "where do i", "where can i", *WHAT_TO_USE_CUES)  # fmt: skip
_REGION_AREAS = frozenset("us eu ap sa ca me af il mx cn".split())
_REGION_DIRECTIONS = frozenset(
    "east west north south central northeast northwest southeast southwest".split()
)


def _split_camel(name: str) -> str:
    """ "IdleClientTimeout" -> "Idle Client Timeout"."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)


def _is_region_code(tokens: list[str]) -> bool:
    """Whether three words are an AWS Region code split at its dashes: eu west 1."""
    return (
        len(tokens) == 3
        and tokens[0] in _REGION_AREAS
        and tokens[1] in _REGION_DIRECTIONS
        and tokens[2].isdigit()
    )


_ASKING_AUX = frozenset({"does", "do", "is", "are", "will", "can", "would", "could"})
_LEADING = STOPWORDS | {"per"}  # "per user or per workspace": the things are after it
_TAGS = frozenset({"right", "correct", "yeah", "true"})  # "…, right?"
_CONDITIONS = frozenset({"if", "when", "once", "after"})  # "when a file lands…, does it…"
_ASKING_WORDS = frozenset({"what", "which"})
_TERSE_WORDS = 8  # a question this short with no question word asks a fact
_QUESTION_WORDS = frozenset(
    "what whats which how when where why who whom should can could would will does do did "
    "is are was were".split()
)
_KIND_WORDS = frozenset({"kind", "kinds", "type", "types", "sort", "sorts"})
YES_NO_CUES = ("can", "does", "do", "is", "are", "will", "could", "supports", "support")


def _is_english(word: str) -> bool:
    """Whether the English lexicon (lemminflect) knows the word or it is a regular
    inflection of one ("tabs", "admins"); looked up only for typo candidates, as the
    lexicon takes a third of a second to load."""
    if getAllLemmas(word):
        return True
    bases = {word[:-1], word[:-2], word[:-3], f"{word[:-1]}e", f"{word[:-2]}e", f"{word[:-3]}e"}
    return any(
        word in forms
        for base in bases
        if len(base) >= 2 and getAllLemmas(base)
        for forms in getAllInflections(base).values()
    )


def phrase_key(text: str) -> str:
    """The form phrases are matched in: folded words, apostrophes dropped, single spaces;
    a '#' (any number, in need phrases) is kept."""
    parts = [" ".join(w.replace("'", "") for w in words(part)) for part in text.split("#")]
    return " # ".join(parts).strip()


def _contains(haystack: str, phrase: str) -> bool:
    return f" {phrase} " in haystack


_NEGATIONS = ("no", "not", "without", "dont", "never", "non", "no need for", "dont need")


def _states(key: str, phrase: str) -> bool:
    """Whether the question asks for the phrase, rather than rule it out: "no
    kubernetes needed", "without gpus" and "nobody here knows kubernetes" do not state
    a need for them."""
    needle = f" {phrase} "
    start = key.find(needle)
    while start != -1:
        before = key[: start + 1]
        after = key[start + len(needle) - 1 :]
        if any(after.startswith(f" {denial} ") for denial in _DENIED_AFTER):
            pass  # "serverless isnt an option", "kubernetes is not allowed here"
        elif not any(before.endswith(f" {negation} ") for negation in _NEGATIONS):
            # Back over at most _STANCE_REACH words of stance: a negator there denies it.
            said = before.split()
            at = len(said)
            while at > 0 and len(said) - at < _STANCE_REACH and said[at - 1] in _STANCE_WORDS:
                at -= 1
            if (at == 0 or said[at - 1] not in _NEGATORS) and not _unwanted(said):
                return True
        start = key.find(needle, start + 1)
    return False


# "nobody here knows kubernetes", "we dont want to learn docker": a negation a few
# words before a phrase, with only words of stance between, rules it out too.
_STANCE_REACH = 4
_STANCE_WORDS = frozenset(
    "know knows knew want wants use using used like likes learn here on the our in team "
    "to any really write writes definitely".split()
)
_EXAMPLE_JOINS = frozenset({"and", "or", "aws", "amazon", "e", "g", "eg"})
_EXAMPLE_MARKS = frozenset({"such as", "for example", "for instance"})
_NEGATORS = frozenset("no not dont doesnt never nobody none noone wont cant cannot".split())
_WISHES = frozenset({"want", "need", "like", "wish"})
_WISH_REACH = 6  # words back from a phrase that "dont want" still covers


def _unwanted(before: list[str]) -> bool:
    """ "we really dont want aws racks in our building": a wish denied a few words before
    the phrase covers its object, up to a new wish or a "but"."""
    for back in range(1, min(_WISH_REACH, len(before)) + 1):
        word = before[-back]
        if word == "but":
            return False
        if word in _WISHES:
            return back < len(before) and before[-back - 1] in _NEGATORS
    return False


# A need denied after it is said: "serverless isnt an option", "gpus are not needed".
_DENIED_AFTER = (
    "isnt an option", "is not an option", "arent an option", "are not an option",
    "isnt needed", "is not needed", "arent needed", "are not needed",
    "isnt allowed", "is not allowed", "arent allowed", "are not allowed",
    "is off the table", "are off the table", "is out of the question",
)  # fmt: skip


@dataclass
class Reading:
    """What a question says, as far as the knowledge can tell."""

    original: str
    text: str
    tokens: list[str]
    key: str  # the tokens joined, padded with spaces, for phrase look-ups
    shape: str  # the key with every number as '#': need phrases match "every # minutes"
    mentions: list[Mention]
    terms: list[str]  # content terms outside service names, synonyms folded
    name_terms: list[str] = field(default_factory=list)  # terms inside the names
    duration_minutes: float | None = None
    memory_gb: float | None = None
    needs: list[str] = field(default_factory=list)
    corrected: dict[str, str] = field(default_factory=dict)
    asks_for: str | None = None  # the kind of quantity asked: "how long" → "duration"
    defines: bool = False  # "alb = ?": chat shorthand for "what is ALB"
    asks_meaning: bool = False  # "faas = ?", whether or not it names a service
    asked_term: str | None = None  # the thing asked for: "protocols" in "what protocols…"
    alternatives: list[str] = field(default_factory=list)  # "sync or async": what is asked

    known: frozenset[str] = frozenset()  # the ids of services the knowledge has

    @property
    def services(self) -> list[str]:
        """Services named and not negated, in order, without repeats."""
        return list(
            dict.fromkeys(
                m.service for m in self.mentions if not m.negated and m.service in self.known
            )
        )

    @property
    def unknown(self) -> list[str]:
        """Catalogued AWS services named that the knowledge and notes do not cover."""
        return list(
            dict.fromkeys(
                m.service for m in self.mentions if not m.negated and m.service not in self.known
            )
        )

    @property
    def examples(self) -> set[str]:
        """Services named as examples of what is meant ("aws services like sqs and kms",
        "such as s3"): context, not what is asked about."""
        names = sorted((m.start, m.end, m.service) for m in self.mentions)
        found: set[str] = set()
        for start, _, service in names:
            at = start
            while at > 0:  # back over the other examples and joining words
                inside = next((s for s, e, _ in names if e == at), None)
                if inside is not None:
                    at = inside
                elif self.tokens[at - 1] in _EXAMPLE_JOINS:
                    at -= 1
                else:
                    break
            before = self.tokens[max(0, at - 2) : at]
            plural_like = before[-1:] == ["like"] and before[0].endswith("s") and len(before) == 2
            if plural_like or " ".join(before) in _EXAMPLE_MARKS or before[-1:] == ["including"]:
                found.add(service)
        return found

    @property
    def negated(self) -> list[str]:
        return list(dict.fromkeys(m.service for m in self.mentions if m.negated))

    @property
    def asks_what(self) -> bool:
        """Whether it asks what something is or says: "what is…", "how long…", or an
        opening "explain…"/"describe…" ("i want to describe my functions in yaml" does
        not)."""
        if self.has(WHAT_TO_USE_CUES) or self.has(ASKS_WHICH_CUES):
            return False  # "what do we use", "whats the native tool": which one
        if self.tokens[:1] == ["what"] and not self.has(DECISION_CUES):
            return True  # "what file formats can athena read"
        return (
            self.asks_meaning
            or self.has(WHAT_IS_CUES)
            or (bool(self.tokens) and self.tokens[0] in TELL_CUES)
        )

    @property
    def terse(self) -> bool:
        """A few words and a question mark, asking nothing else: "ftps passive port
        range?", "max file length for a transcribe batch job?" ask what the notes say."""
        head, mark, _ = self.text.partition("?")
        said = words(head)
        return (
            bool(mark)
            and 0 < len(said) <= _TERSE_WORDS
            and not any(w in _QUESTION_WORDS for w in said)
            and not self.has(DECISION_CUES)
        )

    @property
    def yes_no(self) -> bool:
        """Whether it asks yes or no: "does lambda retry…", and after a condition, "if my
        lambda errors out, does aws retry it"."""
        if not self.tokens:
            return False
        if self.tokens[0] in YES_NO_CUES or self.tokens[-1] in _TAGS:
            return True  # "lightsail autoscales when traffic spikes, right?"
        return self.tokens[0] in _CONDITIONS and any(t in _ASKING_AUX for t in self.tokens[3:])

    def has(self, cues: Iterable[str]) -> bool:
        return any(_contains(self.key, cue) for cue in cues)

    @property
    def is_empty(self) -> bool:
        return not self.tokens


class Lexicon:
    """Everything the reader needs from the knowledge, prepared once."""

    def __init__(self, knowledge: Knowledge, extra_words: Iterable[str] = ()) -> None:
        vocab = knowledge.vocabulary
        self.shorthand = {phrase_key(k): phrase_key(v) for k, v in vocab.shorthand.items()}
        for short, meaning in knowledge.note_index.abbreviations.items():
            self.shorthand.setdefault(phrase_key(short), phrase_key(meaning))
        self.synonyms: dict[str, str] = {}
        self.phrases: dict[tuple[str, ...], list[str]] = {}
        for group in vocab.synonyms:
            canonical = " ".join(stem(w) for w in words(group[0]))
            for member in group:
                member_words = words(member)
                if len(member_words) == 1:
                    self.synonyms.setdefault(stem(member_words[0]), canonical)
                else:  # "at the same time" reads as the group's first word
                    self.phrases.setdefault(tuple(member_words), words(group[0]))
        self._phrase_starts = frozenset(phrase[0] for phrase in self.phrases)
        self.off_topic = frozenset(self.term(w) for w in vocab.off_topic)
        self._off_topic_words: dict[str, list[str]] = {}
        for word in (w for p in vocab.off_topic for w in words(p)):
            self._off_topic_words.setdefault(stem(word), []).append(word.rstrip("e"))
        self.other_clouds = [phrase_key(p) for p in vocab.other_clouds]
        self.durations = {phrase_key(k): v for k, v in knowledge.rules.durations.items()}
        self.run_words = knowledge.rules.run_words
        self.need_phrases = [
            (need.id, [phrase_key(p) for p in need.phrases], [phrase_key(p) for p in need.unless])
            for need in knowledge.rules.needs
        ]
        known = set(STOPWORDS) | set(self.shorthand) | set(_UNITS) | set(_NUMBER_WORDS)
        for cue in (*COMPARE_CUES, *STANDS_FOR_CUES, *WHAT_IS_CUES, *TELL_CUES, *DECISION_CUES):
            known.update(words(cue))
        for text in extra_words:
            known.update(w for w in words(text) if w.isalpha())
        self.known = frozenset(known)
        self._knowledge = knowledge
        # Names that are everyday words as written ("Batch", "Config"; not "NLB", "Glue"
        # which people type alone): after another service's name they only qualify it.
        catalogue = knowledge.catalogue
        written = [n for s in knowledge.services.values() for n in (s.name, s.short, *s.aliases)]
        written += [n for e in catalogue.entries.values() for n in e.names]
        self._plain_word_names = frozenset(
            core.lower()
            for core in map(without_prefix, written)
            if core[:1].isupper() and not core.isupper() and catalogue.needs_prefix(core)
        )
        self.names = ServiceNames(
            knowledge.services.values(), self.known, catalogue=knowledge.catalogue
        )
        self.service_ids = frozenset(knowledge.services)
        self.quantities = QuantityCues(knowledge.vocabulary.quantities)

    # Worked out when a question first needs them, not on every start: most questions
    # have no typo and name no service inside a longer catalogued name.

    @cached_property
    def _known_stems(self) -> frozenset[str]:
        """ "taking" is "take" inflected, not a typo of "tracking"."""
        return frozenset(stem(w) for w in self.known)

    @cached_property
    def _spelling(self) -> dict[str, list[str]]:
        """The known words by first letter: a typo keeps its first letter, so a guess
        only tries words that share it."""
        spelling: dict[str, list[str]] = {}
        for word in sorted(w for w in self.known if len(w) >= 4 and w.isalpha()):
            spelling.setdefault(word[0], []).append(word)
        return spelling

    @cached_property
    def _said_of(self) -> dict[str, frozenset[str]]:
        """The word stems each service's knowledge and notes use: what they speak of."""
        knowledge = self._knowledge
        texts: dict[str, list[str]] = {
            s.id: [s.name, s.short, s.summary, *s.aliases, *s.use_cases] + [f.text for f in s.facts]
            for s in knowledge.services.values()
        }
        for statement in knowledge.notes:
            for sid in statement.services:
                texts.setdefault(sid, []).append(statement.text)
        return {
            sid: frozenset(stem(w) for w in words(" ".join(parts))) for sid, parts in texts.items()
        }

    def _alternatives(self, tokens: list[str], mentions: list[Mention]) -> list[str]:
        """The two things a question asks between, when they are not services: "does it
        run sync or async", "is it per user or per workspace"."""
        in_name = {i for m in mentions for i in range(m.start, m.end)}
        found: list[str] = []
        for at, token in enumerate(tokens[1:-1], start=1):
            if token != "or" or {at - 1, at + 1} & in_name:
                continue
            after = next((t for t in tokens[at + 1 : at + 3] if t not in _LEADING), "")
            sides = (tokens[at - 1], after)
            if all(side not in STOPWORDS and side.isalpha() for side in sides):
                found += [self.term(side) for side in sides]
        return found

    def _asked_term(self, tokens: list[str], mentions: list[Mention]) -> str | None:
        """The noun right after an opening "what"/"which" ("what protocols does…",
        "which kinds of endpoints…"): the answer is a statement that lists those."""
        in_name = {i for m in mentions for i in range(m.start, m.end)}
        for at, token in enumerate(tokens[:-1]):
            if token not in _ASKING_WORDS:
                continue
            at += 1
            if tokens[at] in _KIND_WORDS and tokens[at + 1 : at + 2] == ["of"]:
                at += 2
            if at < len(tokens) and at not in in_name and tokens[at] not in STOPWORDS:
                return self.term(tokens[at])
            return None
        return None

    def needs_stated(self, key: str, shape: str = "") -> list[str]:
        """The needs a phrase key (" no servers to manage ") states by their phrases, in
        it or in its `shape` ("every # minutes"), and does not rule out or show to be
        about something else."""
        return [
            need_id
            for need_id, phrases, unless in self.need_phrases
            if any(_states(key, p) or _states(shape, p) for p in phrases)
            and not any(_contains(key, p) for p in unless)
        ]

    def is_off_topic(self, word: str) -> bool:
        """An everyday word of the vocabulary's, or it with an ending ("cooked"): "date" is
        not "dating", nor "links" "linked", though they share a stem."""
        return any(word.startswith(w) for w in self._off_topic_words.get(stem(word), ()))

    def term(self, word: str) -> str:
        stemmed = stem(word)
        return self.synonyms.get(stemmed, stemmed)

    def terms(self, text: str) -> list[str]:
        """Index terms of a knowledge text, the same way questions are read; a CamelCase
        setting also by its words."""
        if _CAMEL_CASE.search(text):
            text = _CAMEL_CASE.sub(lambda m: f"{m[0]} {_split_camel(m[0])}", text)
        result: list[str] = []
        for word in self._expand(words(text)):
            if word not in STOPWORDS:
                result.extend(self.term(word).split())
                versioned = _VERSIONED.fullmatch(word)
                if versioned:  # "HBM3" is HBM, "Graviton4" Graviton, as well as themselves
                    result.append(self.term(versioned.group(1)))
        return result

    def _expand(self, tokens: list[str]) -> list[str]:
        """Split '2hr' into '2 hr' and apply chat shorthand (not to a name: "aws config")."""
        out: list[str] = []
        skip = 0
        for at, token in enumerate(tokens):
            if skip:
                skip -= 1
                continue
            if token in _REGION_AREAS and _is_region_code(tokens[at : at + 3]):
                out.append("region")  # "eu-west-1" is a Region, whatever its letters
                skip = 2
                continue
            if "'" in token:
                token = token.replace("'", "")
            if token == "w" and tokens[at + 1 : at + 2] == ["o"]:
                out.append("without")  # "w/o", split at the slash
                skip = 1
                continue
            if token[:1].isdigit():
                match = _NUMBER_TOKEN.match(token)
                if match and match.group(2) in _SPLIT_SUFFIXES:
                    out.extend((match.group(1), match.group(2)))
                    continue
            meant = self.shorthand.get(token)
            if meant is None or (
                out and (out[-1] in _NAME_PREFIXES or f"{out[-1]}{token}" in self.names.compact)
            ):
                out.append(token)  # no shorthand; or "aws config", "dynamo db": a name
                continue
            out.extend(meant.split())
        return self._fold_phrases(out)

    def _fold_phrases(self, tokens: list[str]) -> list[str]:
        """A synonym said in several words ("at the same time", "time limit") becomes its
        group's first word, in questions and in the knowledge alike."""
        if self._phrase_starts.isdisjoint(tokens):
            return tokens
        out: list[str] = []
        at = 0
        while at < len(tokens):
            size, canonical = 1, (tokens[at],)
            if tokens[at] in self._phrase_starts:  # most words start no phrase
                for length in (4, 3, 2):
                    found = self.phrases.get(tuple(tokens[at : at + length]))
                    if found is not None:
                        size, canonical = length, found
                        break
            out.extend(canonical)
            at += size
        return out

    def _known_within(self, mention: Mention, tokens: list[str]) -> Mention:
        """ "EBS snapshots" is a catalogued name, but when the notes know EBS and speak of
        its snapshots, the question is about EBS. When they never speak of the rest of the
        name ("IAM Access Analyzer", "Lambda@Edge"), it is another service, not in them."""
        if mention.service in self.service_ids or mention.end - mention.start < 2:
            return mention
        for size in range(mention.end - mention.start - 1, 0, -1):
            for start in range(mention.start, mention.end - size + 1):
                inner = self.names.find(" ".join(tokens[start : start + size]))
                if not inner or inner[0].service not in self.service_ids:
                    continue
                rest = tokens[mention.start : start] + tokens[start + size : mention.end]
                said = self._said_of[inner[0].service]
                if all(stem(w) in said for w in rest if w not in _NAME_FILLERS):
                    return Mention(inner[0].service, start, start + size, True, mention.negated)
                return mention
        return mention

    def is_plain_word_name(self, word: str) -> bool:
        """Whether a service's name, as written alone, is an everyday word ("batch")."""
        return word in self._plain_word_names

    def _without_qualifiers(self, mentions: list[Mention], tokens: list[str]) -> list[Mention]:
        """ "transcribe batch job": a name that is an everyday word, right after another
        service's name, says which of its kinds is meant; it names AWS Batch only when
        said on its own."""
        kept: list[Mention] = []
        for mention in mentions:
            word = tokens[mention.start]
            qualifies = (
                kept
                and kept[-1].end == mention.start
                and kept[-1].service != mention.service
                and word in self._plain_word_names
            )
            if not qualifies:
                kept.append(mention)
        return kept

    def _correct(self, token: str) -> str | None:
        if len(token) < 4 or not token.isalpha() or token in self.known:
            return None
        if stem(token) in self._known_stems:
            return None
        candidates = self._spelling.get(token[0], [])
        match = process.extractOne(token, candidates, scorer=fuzz.ratio, score_cutoff=84)
        if match is None and len(token) >= 5:
            # Two letters swapped ("serach", "teir") is one slip, however short the word.
            match = process.extractOne(token, candidates, scorer=OSA.distance, score_cutoff=1)
            if match is not None and sorted(match[0]) != sorted(token):
                match = None  # a changed letter, not two swapped ones
        if match is None or _is_english(token):
            return None  # an English word the notes do not use ("proper", "spend") is no typo
        return match[0]

    def read(self, question: str) -> Reading:
        text = clean_input(question)
        clauses = [self._expand(clause) for clause in clause_words(text)]
        tokens = [token for clause in clauses for token in clause]
        mentions = self._without_qualifiers(
            [
                self._known_within(m, tokens)
                for m in self.names.find_in_clauses(clauses, fuzzy=True)
            ],
            tokens,
        )
        in_name = {i for m in mentions for i in range(m.start, m.end)}
        corrected: dict[str, str] = {}
        for i, token in enumerate(tokens):
            if i in in_name:
                continue
            fixed = self._correct(token)
            if fixed:
                corrected[token] = fixed
                tokens[i] = fixed
        key = f" {' '.join(tokens)} "
        terms = [
            self.term(t)
            for i, t in enumerate(tokens)
            if i not in in_name
            and t not in STOPWORDS
            and (not t.isdigit() or _is_code(tokens, i))
            and not _goes_on(tokens, i)
        ]
        reading = Reading(
            original=question,
            text=text,
            tokens=tokens,
            key=key,
            shape=" ".join(
                "#" if t[:1].isdigit() and _as_number(t) is not None else t for t in key.split(" ")
            ),
            mentions=mentions,
            terms=[part for t in terms for part in t.split()],
            name_terms=[
                self.term(tokens[i]) for m in mentions if m.exact for i in range(m.start, m.end)
            ],
            corrected=corrected,
            known=self.service_ids,
        )
        reading.duration_minutes = self._duration(tokens, key)
        reading.memory_gb = self._memory(tokens)
        reading.asks_for = self.quantities.asked_for(key)
        reading.asked_term = self._asked_term(tokens, mentions)
        reading.alternatives = self._alternatives(tokens, mentions)
        asked = _DEFINE_ASKED.match(question)
        reading.asks_meaning = asked is not None  # "faas = ?": what the word means
        reading.defines = asked is not None and bool(self.names.find(asked.group(1)))
        reading.needs = self.needs_stated(key, reading.shape)
        # "no kubernetes needed": the words of a need ruled out say nothing of the fit.
        ruled_out: set[str] = set()
        stated: set[str] = set()  # words of the needs it states ("no servers to manage")
        for need_id, phrases, _ in self.need_phrases:
            said = {self.term(w) for p in phrases if _contains(key, p) for w in p.split()}
            (stated if need_id in reading.needs else ruled_out).update(said)
        # "no consumer code to write": what a question rules out says nothing of the fit,
        # unless it is part of a need it states.
        negated = {self.term(t) for clause in clauses for t in _negated(clause)} - stated
        reading.terms = [t for t in reading.terms if t not in ruled_out | negated]
        return reading

    def _duration(self, tokens: list[str], key: str) -> float | None:
        best: float | None = None
        for i, token in enumerate(tokens[1:], start=1):
            unit = _UNITS.get(token)
            if unit is None:
                continue
            previous = tokens[i - 1]
            if previous in _NOT_A_RUN_BEFORE:
                continue
            number = _as_number(previous)
            before = tokens[i - 2] if i >= 2 else None
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            if before in _NOT_A_RUN_BEFORE or after in _NOT_A_RUN_AFTER:
                continue  # "every 15 minutes", "the last 6h", "20 min ago": not how long
            following = tokens[i + 2] if i + 2 < len(tokens) else ""
            if after == "of" and following not in self.run_words and following != "work":
                continue  # "6 months of logs" is data; "100ms of work", "80ms of code" a run
            if previous in ("a", "an") and before is not None:
                number = 0.5 if before == "half" else number
                number = number if before in _ARTICLE_COUNT_AFTER else None
            if number is None:
                continue
            if token in ("ms", "s", "h", "d", "min") and not previous.replace(".", "").isdigit():
                continue
            minutes = number * unit
            best = minutes if best is None else max(best, minutes)
        if best is not None:
            return best  # a run length said in numbers ("80ms") is what "overnight" is not
        for phrase, minutes in self.durations.items():
            if _contains(key, phrase):
                best = minutes if best is None else max(best, minutes)
        return best

    @staticmethod
    def _memory(tokens: list[str]) -> float | None:
        if not _MEMORY_WORDS & set(tokens):
            return None
        best: float | None = None
        for i, token in enumerate(tokens[1:], start=1):
            unit = _MEMORY_UNITS.get(token)
            number = _as_number(tokens[i - 1])
            if unit is None or number is None:
                continue
            size = number * unit
            best = size if best is None else max(best, size)
        return best


_DEFINE_ASKED = re.compile(r"^\s*([\w .@/&-]{1,40}?)\s*=\s*\?")  # "alb = ? saw it in…"
_NEGATION_SCOPE = 4  # content words after "no"/"without" that it rules out


def _negated(clause: list[str]) -> list[str]:
    """The words a negation in the clause rules out: "no consumer code to write" →
    consumer, code, write; "nothing cacheable" → cacheable; "rather write python than
    yaml", "instead of yaml" → yaml."""
    out: list[str] = []
    for i, token in enumerate(clause):
        preferred = token == "than" and "rather" in clause[:i]
        instead = token == "of" and clause[i - 1 : i] == ["instead"]
        if token in _NEGATORS:  # the clause is read already: "won't" is "wont"
            out += _denied_through_stance(clause[i + 1 :])
        if token not in ("no", "without", "nothing") and not preferred and not instead:
            continue
        following = [t for t in clause[i + 1 :] if t not in STOPWORDS]
        out += following[:_NEGATION_SCOPE]
    return out


def _denied_through_stance(after: list[str]) -> list[str]:
    """ "wont write sql", "nobody here knows kubernetes": after a negator and words of
    stance with a skill among them, the next word is a skill the team lacks, not a
    word of what they want."""
    crossed = 0
    while crossed < min(len(after), _STANCE_REACH) and after[crossed] in _STANCE_WORDS:
        crossed += 1
    if crossed == len(after) or not _SKILL_WORDS & set(after[:crossed]):
        return []  # "dont want keys on it" may be what a note offers: "no keys needed"
    return after[crossed : crossed + 1]


_SKILL_WORDS = frozenset("know knows knew learn write writes".split())


_GOING_ON = frozenset({"keep", "keeps", "kept", "keeping"})


def _goes_on(tokens: list[str], i: int) -> bool:
    """ "keeps yelling": "keep" before an -ing verb says it goes on, not that anything is
    kept, so it is not a content word."""
    following = tokens[i + 1] if i + 1 < len(tokens) else ""
    return tokens[i] in _GOING_ON and following.endswith("ing") and len(following) > 4


def _is_code(tokens: list[str], i: int) -> bool:
    """ "got a 409", "port 9142": a number of three or more digits with no unit after it
    names something (a status code, a port), which the notes may say word for word."""
    following = tokens[i + 1] if i + 1 < len(tokens) else ""
    unit = following in _UNITS or following in _MEMORY_UNITS or following == "%"
    return len(tokens[i]) >= 3 and not unit and not tokens[i].startswith("0")


def _as_number(token: str) -> float | None:
    """A number written in digits or words; "nan", "inf" and "1e999" are not sizes."""
    try:
        value = float(token)
        return value if math.isfinite(value) else None
    except ValueError:
        value = _NUMBER_WORDS.get(token)
        return float(value) if value is not None else None
