"""Finding service names in text: exact aliases for the notes, typo-tolerant for questions.

One matcher serves both the notes index and the answer engine, so a name the notes
tie to a service is the same name a question is understood by.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process

from bot.core.knowledge.catalogue import (
    EMPTY,
    PREFIXES,
    Catalogue,
    name_key,
    product_aliases,
)
from bot.core.knowledge.catalogue import compact as _compact
from bot.core.knowledge.text import STOPWORDS, clause_words, words

_PREFIXES = ("aws ", "amazon ")
_SHORT_NGRAM = 4
_MAX_NGRAM = 8  # "amazon managed streaming for apache kafka" is read as one name
_NEGATIONS = frozenset(
    "not no without avoid instead dont don't never rather except besides than".split()
)
# Words that join two names ("ecs vs eks"): a typo-tolerant match never spans them.
_JOINERS = frozenset("vs versus or and between with to for from than".split())


@dataclass(frozen=True)
class Mention:
    service: str
    start: int  # index of the first word in the tokenised text
    end: int  # one past the last word
    exact: bool
    negated: bool = False


def _variants(phrase: str) -> set[str]:
    variants = {phrase}
    for prefix in _PREFIXES:
        if phrase.startswith(prefix) and len(phrase) > len(prefix) + 2:
            variants.add(phrase[len(prefix) :])
    variants |= {f"{prefix}{v}" for v in variants for prefix in _PREFIXES}
    return {v for v in variants if v}


@lru_cache(maxsize=4096)
def _written(
    sid: str, name: str, short: str, aliases: tuple[str, ...]
) -> tuple[tuple[tuple[str, str, int], ...], tuple[str, ...]]:
    """Every way of writing a service's names (with its compact form and its length in
    words), and the keys of its names. Loading builds several name tables over the same
    services: each service's are worked out once."""
    found: list[tuple[str, str, int]] = []
    for written in [sid, name, short, *aliases, *sorted(product_aliases(name))]:
        phrase = " ".join(words(written))
        found += [(v, _compact(v), len(v.split())) for v in _variants(phrase)]
    return tuple(found), tuple(name_key(n) for n in (name, short, *aliases))


class ServiceNames:
    """An alias table over the services' names, short names and aliases, and the AWS
    catalogue's names: a catalogued name is read exactly, as its own service (or as the
    knowledge service it is), before any typo-tolerant guess."""

    def __init__(
        self,
        services: Iterable[object],
        common_words: Iterable[str] = (),
        catalogue: Catalogue = EMPTY,
    ) -> None:
        services = list(services)
        written = [_written(s.id, s.name, s.short, tuple(s.aliases)) for s in services]
        own: dict[str, str] = {}  # the services' own phrases, the first service first
        own_compact: dict[str, str] = {}
        sizes: dict[str, int] = {}
        for service, (variants, _) in zip(services, written, strict=True):
            for phrase, compact, size in variants:
                if phrase not in own:
                    own[phrase] = service.id
                    own_compact.setdefault(compact, service.id)
                    sizes[phrase] = size
        known = set(own.values())
        # Fuzzy matching only tries knowledge names long enough to be told from words.
        # A typo keeps a name's first letter, so each guess only tries names sharing it.
        self._fuzzy_keys: dict[str, list[str]] = {}
        for key in own_compact:
            if len(key) >= 4:
                self._fuzzy_keys.setdefault(key[0], []).append(key)
        # The catalogue's names come after the services' own: a catalogued name the
        # knowledge has a service of names that service (its `owner`).
        claims = catalogue.claims
        self.phrases = {**claims.phrases, **own}
        self.compact = {**claims.compact, **own_compact}
        owner = {
            key: s.id
            for s, (_, keys) in zip(reversed(services), reversed(written), strict=True)
            for key in keys
        }
        owned: dict[str, str] = {}  # entry id -> the service it is
        for key in sorted(owner):  # the first key in sorted order decides, as ever
            for entry_id in claims.by_key.get(key, ()):
                if entry_id not in known:
                    owned.setdefault(entry_id, owner[key])
        for entry_id, target in owned.items():
            for phrase, compact in claims.rows[entry_id]:
                if claims.phrases[phrase] == entry_id and phrase not in own:
                    self.phrases[phrase] = target
                if claims.compact[compact] == entry_id and compact not in own_compact:
                    self.compact[compact] = target
        # Names longer than _SHORT_NGRAM words are only tried from a word one of them
        # starts with, so reading a question costs no more for them.
        self._long_starts: dict[str, int] = {}
        for first, size in claims.longest.items():
            if size > _SHORT_NGRAM:
                self._note_length(first, size)
        for phrase, size in sizes.items():
            if size > _SHORT_NGRAM:
                self._note_length(phrase.split()[0], size)
        self._common = frozenset(common_words) | STOPWORDS
        self.longest = max([_SHORT_NGRAM, *self._long_starts.values()])
        added = sorted(key for key in own_compact if key not in claims.compact)
        self._sorted_keys = sorted(claims.sorted_compact + added)  # two sorted runs: quick
        self._starts_a_name: dict[str, bool] = {}

    def _note_length(self, first: str, size: int) -> None:
        """A name `size` words long starts with `first`: look that far from it."""
        self._long_starts[first] = min(_MAX_NGRAM, max(size, self._long_starts.get(first, 0)))

    def find(self, text: str, fuzzy: bool = False) -> list[Mention]:
        """Service mentions in `text`, longest names first, without overlaps."""
        return self.find_in_clauses(clause_words(text), fuzzy)

    def find_in_clauses(self, clauses: list[list[str]], fuzzy: bool = False) -> list[Mention]:
        """Mentions in the clauses' words taken as one token list (Mention positions
        index it); no name spans two clauses."""
        tokens = [token for clause in clauses for token in clause]
        clause_of = [number for number, clause in enumerate(clauses) for _ in clause]
        taken = [False] * len(tokens)
        found: list[Mention] = []
        reach = [len(tokens)] * len(tokens) if fuzzy else self._reach(tokens)
        for size in range(min(self.longest, len(tokens)), 0, -1):
            for start in range(len(tokens) - size + 1):
                if size > reach[start]:
                    continue
                if size > _SHORT_NGRAM and self._long_starts.get(tokens[start], 0) < size:
                    continue
                if any(taken[start : start + size]):
                    continue
                if clause_of[start] != clause_of[start + size - 1]:
                    continue
                gram = tokens[start : start + size]
                sid, exact = self._lookup(gram, fuzzy)
                if sid is None:
                    continue
                for i in range(start, start + size):
                    taken[i] = True
                negated = any(t in _NEGATIONS for t in tokens[max(0, start - 4) : start])
                found.append(Mention(sid, start, start + size, exact, negated))
        found.sort(key=lambda m: m.start)
        return found

    def _reach(self, tokens: list[str]) -> list[int]:
        """For each word, how many words from it could still spell a name: reading notes
        only looks up the runs of words that begin some name, not every run of every
        length."""
        keys = self._sorted_keys
        reach: list[int] = []
        for start in range(len(tokens)):
            first = tokens[start]
            starts = self._starts_a_name.get(first)
            if starts is None:  # most words begin no name: each is looked up once
                spelled = _compact(first)
                at = bisect_left(keys, spelled)
                starts = at < len(keys) and keys[at].startswith(spelled)
                self._starts_a_name[first] = starts
            if not starts:
                reach.append(0)
                continue
            spelled = ""
            size = 0
            for token in tokens[start : start + self.longest]:
                spelled += _compact(token)
                at = bisect_left(keys, spelled)
                if at == len(keys) or not keys[at].startswith(spelled):
                    break
                size += 1
            reach.append(size)
        return reach

    def _lookup(self, gram: list[str], fuzzy: bool) -> tuple[str | None, bool]:
        phrase = " ".join(gram)
        sid = self.phrases.get(phrase) or self.compact.get(_compact(phrase))
        if sid is not None:
            return sid, True
        if not fuzzy:
            return None, False
        key = _compact(phrase)
        if len(key) < 5 or (len(gram) == 1 and gram[0] in self._common):
            return None, False
        bare = key.removeprefix("aws").removeprefix("amazon")
        if len(bare) < 4:
            return None, False  # "aws bi" is not a typo of "aws eb": the prefix is no evidence
        if any(token.isdigit() for token in gram):
            return None, False
        if len(gram) > 1 and any(t in _JOINERS or t in self.phrases for t in gram):
            return None, False
        if len(gram) > 1 and (gram[0] in STOPWORDS or gram[-1] in STOPWORDS):
            return None, False  # "as yaml templates" is no typo of "aws sam templates"
        cutoff = 84 if len(key) >= 8 else 80
        candidates = self._fuzzy_keys.get(key[0], [])
        match = process.extractOne(key, candidates, scorer=fuzz.ratio, score_cutoff=cutoff)
        if match is None:
            return None, False
        name = match[0]
        # A typo keeps the first letter and roughly the length of the name, and the
        # "aws"/"amazon" in front of one is typed, not guessed.
        if name[0] != key[0] or abs(len(name) - len(key)) > max(1, len(name) // 6):
            return None, False
        if any(name.startswith(p) and not key.startswith(p) for p in PREFIXES):
            return None, False
        if any(self.compact.get(_compact(p)) == self.compact[name] for p in self._longer(phrase)):
            return None, False  # "aws private 5g": the first words of "aws private ca"
        return self.compact[name], False

    def _longer(self, phrase: str) -> list[str]:
        """The names that begin with all of the phrase's words and go on: a typo changes
        letters, it does not leave a name's last word out."""
        start = f"{phrase} "
        return [p for p in self.phrases if p.startswith(start)]


def find_service(services: Mapping[str, Any], name: str) -> Any | None:
    """A service by id, name or alias, tolerating typos ('fargte'); None if nothing is close."""
    if name in services:
        return services[name]
    mentions = ServiceNames(services.values()).find(name, fuzzy=True)
    if mentions:
        return services[mentions[0].service]
    choices = {sid: f"{s.name} {s.short}" for sid, s in services.items()}
    match = process.extractOne(name, choices, scorer=fuzz.WRatio, score_cutoff=70)
    return services[match[2]] if match else None
