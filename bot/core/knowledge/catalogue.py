"""The catalogue of AWS service names: every service, with or without knowledge about it.

It lets the reader recognise "amazon efs" as EFS before any typo-tolerant guess (which
once read it as ECS), lets the notes index tie statements to services that have no
YAML file, and lets the engine say "Amazon SQS is not in your notes yet" instead of
answering about another service. `aws-services.json` is generated from botocore by
`scripts/build_catalogue.py`; `extra.yaml` holds the hand-made names.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import yaml

from bot.core.knowledge.schema import Problem
from bot.core.knowledge.text import STOPWORDS, words

CATALOGUE_FILES = ("aws-services.json", "extra.yaml")
_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PREFIXES = ("aws", "amazon")
_PREFIX = re.compile(rf"^(?:{'|'.join(PREFIXES)})\s+", re.I)
_PLAIN_WORD = re.compile(r"[A-Z]?[a-z]+")


# "Amazon Managed Service for Apache Flink": AWS runs an open-source product for you,
# and people call the service by the product ("managed flink", "flink").
_MANAGED_PRODUCT = re.compile(r"\bManaged\b.*\bfor\s+(?:Apache\s+)?([A-Z][\w-]+)\s*$")


def product_aliases(name: str) -> set[str]:
    """What people call a managed open-source product: "managed flink", "flink"."""
    found = _MANAGED_PRODUCT.search(name)
    if not found:
        return set()
    product = found.group(1).lower()
    apache = {f"apache {product}"} if "Apache" in found.group(0) else set()
    return {product, f"managed {product}", *apache}


@dataclass(frozen=True)
class CatalogueEntry:
    id: str
    name: str
    short: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.short, *self.aliases)


@dataclass
class NameClaims:
    """The catalogue's names as lookup tables (see `Catalogue.claims`)."""

    phrases: dict[str, str] = field(default_factory=dict)  # phrase -> entry id
    compact: dict[str, str] = field(default_factory=dict)  # "dynamodb" -> entry id
    rows: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # id -> phrases
    by_key: dict[str, list[str]] = field(default_factory=dict)  # name key -> entry ids
    longest: dict[str, int] = field(default_factory=dict)  # first word -> longest name
    sorted_compact: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Catalogue:
    entries: dict[str, CatalogueEntry]
    bare: frozenset[str]  # plain one-word names that stand alone ("kinesis")
    prefixed: frozenset[str] = frozenset()  # acronyms that are also words ("RAM", "PI")
    everyday: frozenset[str] = frozenset()  # "aws account": talk, never a service's name

    def needs_prefix(self, name: str) -> bool:
        """A plain one-word name ("Config", "backup") is a common word: it names the
        service only after "AWS"/"Amazon", unless people type it alone (`bare`)."""
        name = name.strip()
        if name.lower() in self.prefixed:
            return True
        return bool(_PLAIN_WORD.fullmatch(name)) and name.lower() not in self.bare

    def worked_out(self) -> Catalogue:
        """The catalogue with every lookup table worked out now, so a kept copy (the
        parse cache) carries them."""
        for table in (self.table, self.claims, self.plain_word_names, self._talk):
            assert table is not None
        return self

    @cached_property
    def table(self) -> list[tuple[str, frozenset[str], frozenset[str]]]:
        """(id, name keys, phrases) of every entry, worked out once per catalogue."""
        return [
            (e.id, frozenset(name_key(n) for n in e.names), frozenset(self.phrases(e)))
            for e in self.entries.values()
        ]

    @cached_property
    def claims(self) -> NameClaims:
        """Which entry each phrase and compact form names, first entry first: loading
        builds several name tables over one catalogue, and each starts from these."""
        claims = NameClaims()
        for sid, keys, phrases in self.table:
            rows = [(p, compact(p)) for p in sorted(phrases)]
            claims.rows[sid] = rows
            for key in keys:
                claims.by_key.setdefault(key, []).append(sid)
            for phrase, short in rows:
                claims.phrases.setdefault(phrase, sid)
                claims.compact.setdefault(short, sid)
                written = phrase.split()
                first, size = written[0], len(written)
                claims.longest[first] = max(size, claims.longest.get(first, 0))
        claims.sorted_compact = sorted(claims.compact)
        return claims

    def phrases(self, entry: CatalogueEntry) -> set[str]:
        """Every way of writing the entry's names that the reader should recognise."""
        found: set[str] = set()
        for name in entry.names:
            found |= product_aliases(name)
            phrase = " ".join(words(name))
            if not phrase:
                continue
            first, _, rest = phrase.partition(" ")
            core = rest if first in PREFIXES and rest else phrase
            if self.needs_prefix(name if core == phrase else core):
                found.update(f"{prefix} {core}" for prefix in PREFIXES)
            else:
                found.update({core, *(f"{prefix} {core}" for prefix in PREFIXES)})
        return {phrase for phrase in found if phrase.replace(" ", "") not in self._talk}

    @cached_property
    def plain_word_names(self) -> list[tuple[str, str]]:
        """(id, name) of the entries whose name without "AWS"/"Amazon" is a plain word
        ("Connect"): a note that names one in full may go on to call it that."""
        found = []
        for entry in self.entries.values():
            for name in dict.fromkeys((entry.name, entry.short)):
                core = without_prefix(name)
                talk = "".join(words(name)) in self._talk  # "AWS Account" is no name
                if core != name and self.needs_prefix(core) and not talk:
                    found.append((entry.id, core))
        return found

    @cached_property
    def _talk(self) -> frozenset[str]:
        """The everyday phrases written together too: "freetier" is "free tier"."""
        return frozenset(phrase.replace(" ", "") for phrase in self.everyday)


EMPTY = Catalogue({}, frozenset())


def load_catalogue(folder: Path) -> tuple[Catalogue, list[Problem]]:
    """The catalogue in `folder` (generated file first, then the hand-made one)."""
    entries: dict[str, CatalogueEntry] = {}
    bare: set[str] = set()
    prefixed: set[str] = set()
    everyday: set[str] = set()
    problems: list[Problem] = []
    curated: list[str] = []
    for file_name in CATALOGUE_FILES:
        path = folder / file_name
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
            raw = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=_LOADER)
        except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as error:
            problems.append(Problem(str(path), 1, f"cannot read the catalogue: {error}"))
            continue
        if isinstance(raw, dict):
            bare.update(str(b).lower() for b in raw.get("bare") or ())
            prefixed.update(str(b).lower() for b in raw.get("needs_prefix") or ())
            everyday.update(" ".join(words(str(p))) for p in raw.get("everyday") or ())
            raw = raw.get("services")
        for number, item in enumerate(raw or (), start=1):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                problems.append(Problem(str(path), 1, f"entry {number} needs an `id`"))
                continue
            entries[item["id"]] = _merge(entries.get(item["id"]), item)
            if file_name == CATALOGUE_FILES[-1]:
                curated.append(item["id"])
    # A name two entries share ("AWS WAF": the WAF Classic API and WAFv2) is the one the
    # hand-made file gives it to: its entries come first, and the first owner keeps it.
    entries = {sid: entries[sid] for sid in dict.fromkeys([*curated, *entries])}
    entries = _versions_as_one(entries)
    for family in _families(entries):
        entries.setdefault(family.id, family)
    missing = [e.id for e in entries.values() if not e.name]
    for sid in missing:
        problems.append(Problem(str(folder / "extra.yaml"), 1, f"`{sid}` has no name"))
    catalogue = Catalogue(entries, frozenset(bare), frozenset(prefixed), frozenset(everyday))
    return catalogue, problems


def _families(entries: dict[str, CatalogueEntry]) -> list[CatalogueEntry]:
    """The product several APIs are parts of, named as people name it: "Chime SDK
    Meetings", "Chime SDK Voice" and "Chime SDK Messaging" are the Amazon Chime SDK,
    which has no API of its own. A family is the words its members' short names begin
    with, when that is no entry's name already."""
    known = {name_key(n) for e in entries.values() for n in e.names}
    members: dict[tuple[str, ...], list[CatalogueEntry]] = {}
    for entry in entries.values():
        written = entry.short.split()
        for size in range(2, len(written)):
            members.setdefault(tuple(written[:size]), []).append(entry)
    found: dict[str, CatalogueEntry] = {}
    for prefix, group in members.items():
        if len(group) < 2:
            continue
        common = prefix
        while (
            all(len(e.short.split()) > len(common) for e in group)
            and len({e.short.split()[len(common)] for e in group}) == 1
        ):
            common = (*common, group[0].short.split()[len(common)])
        short = " ".join(common)
        if name_key(short) in known or not common[-1][:1].isalnum():
            continue
        if common[-1].lower() in STOPWORDS:
            continue
        lead = group[0].name.split()[0]
        name = f"{lead} {short}" if lead in ("AWS", "Amazon") else short
        found.setdefault(name_key(short), CatalogueEntry(entry_id(short), name, short))
    return list(found.values())


_VERSION = re.compile(r"^(.*?[A-Za-z])\s?[vV]\d+$")  # "GreengrassV2", "CloudHSM V2"


def _versions_as_one(entries: dict[str, CatalogueEntry]) -> dict[str, CatalogueEntry]:
    """An API's second version is the same service to the people who use it: "AWS IoT
    Greengrass V2" is Greengrass. Its names join the entry of the first version when
    there is one, and each is also written without the version ("AWS IoT Greengrass")."""
    by_key = {}
    for entry in entries.values():
        if not _VERSION.match(entry.short):
            by_key.setdefault(name_key(entry.short), entry.id)
    merged = dict(entries)
    for entry in entries.values():
        match = _VERSION.match(entry.short)
        if match is None:
            continue
        plain = [v.group(1) for n in entry.names if (v := _VERSION.match(n))]
        base = by_key.get(name_key(match.group(1)))
        if base is None:
            merged[entry.id] = replace(entry, aliases=(*entry.aliases, *plain))
            continue
        del merged[entry.id]
        first = merged[base]
        aliases = dict.fromkeys((*first.aliases, *entry.names, *plain))
        merged[base] = replace(first, aliases=tuple(a for a in aliases if a not in first.names))
    return merged


def entry_id(name: str) -> str:
    """A catalogue id made from a name ("Chime SDK" → "chime-sdk")."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _merge(old: CatalogueEntry | None, item: dict) -> CatalogueEntry:
    aliases = tuple(str(a) for a in item.get("aliases") or () if a)
    if old is None:
        name = str(item.get("name") or "")
        return CatalogueEntry(item["id"], name, str(item.get("short") or name), aliases)
    return replace(
        old,
        name=str(item.get("name") or old.name),
        short=str(item.get("short") or old.short),
        aliases=tuple(dict.fromkeys((*old.aliases, *aliases))),
    )


def compact(phrase: str) -> str:
    """A phrase as one run of letters: "dynamo db" and "DynamoDB" meet."""
    return phrase.replace(" ", "").replace("-", "").replace(".", "")


def name_key(name: str) -> str:
    """A name's identity: "AWS Lambda", "lambda" and "Lambda" are one key."""
    tokens = words(name)
    if len(tokens) > 1 and tokens[0] in PREFIXES:
        tokens = tokens[1:]
    return "".join(tokens)


def without_prefix(name: str) -> str:
    """The name without an "AWS"/"Amazon" in front ("Amazon Connect" → "Connect")."""
    return _PREFIX.sub("", name)
