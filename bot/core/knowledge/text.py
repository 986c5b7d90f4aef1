"""Text repair and tokenisation shared by the knowledge loader, the notes index and the engine.

Everything a user types and everything the notes contain goes through here, so that the
index and the questions agree on what a word is.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import ftfy

# The team's notes were saved as UTF-8, read back as Greek cp1253 and saved again with
# the continuation bytes lost: every three-byte character (dashes, quotes, box drawing,
# bullets) became a lone "β", sometimes followed by one surviving byte. ftfy cannot
# undo that because the bytes are gone, so the patterns are repaired from context.
_BOX_RUN = re.compile(r"β{2,}[€’']?")
_BOX_EDGES = re.compile(r"β\s+β(?![’'])")
_BULLET = re.compile(r"β[’']\s*")
_LESS_EQUAL = re.compile(r"(?<=\s)β€(?=\s)")
_APOSTROPHE = re.compile(r"(?<=[A-Za-z])β(?=[A-Za-z])")
_DASH = re.compile(r"\s+β\s+")
_LONE = re.compile(r"β[€’']?")

MOJIBAKE_MARKERS = ("β", "â€", "Ã")

_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MENTION = re.compile(r"<[@#][!&]?\d+>|@(everyone|here)\b")
_MARKDOWN = re.compile(r"[*_`~|>]+")
_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")

STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from into onto about as is are was
    were be been being it its this that these those there here i me my we our you your he she
    they them their do does did doing done so than then too very can could should would will
    shall may might must just also any some such what which who whom whose when where why how
    not no nor only own same other more most much many few each every both all am has have had
    having get gets got please thanks thank hey hi hello ok okay pls plz tell explain quick
    question want wanna need needs needed like use used using good best better way ways thing
    things something someone somebody i'm im i'd id i've ive it's its let's us via one up
    another until itself themselves ourselves yourself myself whether although though because yet
    still even ever again else anyone anybody anything everyone everything actually really
    basically literally kinda sorta honestly gonna gotta whats hows wheres whos dont doesnt
    didnt cant isnt arent wasnt wont wouldnt shouldnt couldnt havent hasnt lol lmao haha
    tbh idk imo imho btw rn asap fyi thx ty omg ugh hmm""".split()
)


def repair(text: str) -> str:
    """Undo the notes' broken encoding and drop box-drawing decoration."""
    if text.isascii():
        return text  # nothing to repair: mojibake and box drawing are never ASCII
    text = ftfy.fix_text(text)
    text = _BOX_RUN.sub("\n", text)
    text = _BULLET.sub("\n• ", text)
    text = _BOX_EDGES.sub("\n", text)
    text = _LESS_EQUAL.sub("≤", text)
    text = _APOSTROPHE.sub("'", text)
    text = _DASH.sub(" — ", text)
    text = _LONE.sub("\n", text)
    return text


def has_mojibake(text: str) -> bool:
    return any(marker in text for marker in MOJIBAKE_MARKERS)


def clean_input(text: str, limit: int = 500) -> str:
    """Make user input safe to reason over: repaired, no control or zero-width characters,
    no mentions or markdown, collapsed white space, at most `limit` characters."""
    text = text[: limit * 4]
    text = ftfy.fix_text(text, normalization="NFKC")
    text = _ZERO_WIDTH.sub("", text)
    text = _CONTROL.sub(" ", text)
    text = _MENTION.sub(" ", text)
    text = _MARKDOWN.sub(" ", text)
    text = " ".join(text.split())
    return text[:limit]


def fold(text: str) -> str:
    """Lower-case and strip accents so that 'Élastic' and 'elastic' are one word."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.lower())
    return _NON_ASCII.sub(_without_accents, text)


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _without_accents(run: re.Match[str]) -> str:
    # Only the non-ASCII runs can hold combining marks: the rest is left as it is.
    return "".join(ch for ch in run.group() if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """All word tokens of `text`, folded, stop words kept."""
    return list(_words(text))


@lru_cache(maxsize=1 << 15)
def _words(text: str) -> tuple[str, ...]:
    # Loading reads each note line several times (names, terms, contexts): once is enough.
    # _WORD neither starts nor ends a token with "." or "'": "it's" and "3.5" stay whole.
    return tuple(_WORD.findall(fold(text).replace("’", "'")))


# Marks that end a clause or a list item; none of them is ever inside a word.
_CLAUSE_BREAK = re.compile(r"[,;?!()|]|\.(?=\s|$)")


def clause_words(text: str) -> list[list[str]]:
    """The words of each clause, in order: joined, they are `words(text)`. A name must
    not run across a break: "ECS, Fargate" lists two services, "ECS Fargate" names one."""
    return [words(part) for part in _CLAUSE_BREAK.split(fold(text))]


def _irregular_verbs() -> dict[str, str]:
    """Irregular verb forms and their base ("sent" → "send"), generated from lemminflect
    by scripts/build_irregular_verbs.py."""
    table = Path(__file__).with_name("irregular_verbs.txt").read_text(encoding="utf-8")
    pairs = (line.split() for line in table.splitlines() if line and not line.startswith("#"))
    return {form: base for form, base in pairs}


_IRREGULAR = _irregular_verbs()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stemmer: enough to make 'containers', 'containerized' and
    'container' meet, 'price', 'priced' and 'pricing', and 'sent' and 'send', without the
    surprises of an aggressive one."""
    base = _IRREGULAR.get(word, word)
    # Strip until nothing more comes off, so every form meets one stem (and a stem is
    # its own stem): "containerized" loses "ized" and then "er", as "container" does.
    while (shorter := _drop_e(_strip_suffix(base))) != base:
        base = shorter
    return base


def _drop_e(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("e") and not word.endswith("ee") else word


_MIN_MENT_BASE = 5  # "replace|ment", "deploy|ment"; not "pay|ment", "seg|ment", "docu|ment"
_SHORT_PLURAL = 5  # "vcpus", "acus", "apis": a word this short ending in -us/-is is a plural


def _strip_suffix(word: str) -> str:
    if len(word) <= 3 or word.isdigit():
        return word
    for noun, adjective in (("ability", "abl"), ("ibility", "ibl")):
        if word.endswith(noun) and len(word) > len(noun) + 2:
            return word[: -len(noun)] + adjective  # durability meets durable
    # "orchestration", "orchestrator" and "orchestrate" meet; "encryption" and "encrypt".
    for suffix, base_end in (("ations", "at"), ("ation", "at"), ("ators", "at"), ("ator", "at")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + base_end
    # "replacement" meets "replace", "deployments" "deploy"; "payment" (a short base) stays.
    for suffix in ("ments", "ment"):
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_MENT_BASE:
            return word[: -len(suffix)]
    for suffix in ("ctions", "ction", "ptions", "ption", "ctors", "ctor", "ssions", "ssion"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            return word[: -len(suffix)] + suffix[:2].rstrip("i")
    for suffix, keep in (
        ("izations", 0),
        ("ization", 0),
        ("ational", 0),
        ("ized", 0),
        ("izes", 0),
        ("izing", 0),
        ("ize", 0),
        ("ings", 0),
        ("ing", 0),
        ("ies", 1),
        ("ied", 1),
        ("ers", 0),
        ("er", 0),
        ("ed", 0),
        ("es", 0),
        ("s", 0),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if keep:
                base += "y"
            # "class", "status", "analysis" end in s; "GPUs", "ACUs" and "APIs" are plurals
            # of short words ("virus" → "viru" is harmless: both sides stem alike)
            plural_of_short = word.endswith(("us", "is")) and len(word) <= _SHORT_PLURAL
            if suffix == "s" and word.endswith(("ss", "us", "is")) and not plural_of_short:
                return word
            if suffix == "es" and not base.endswith(("ss", "sh", "ch", "x", "z")):
                base = word[:-1]
            if len(base) >= 2 and base[-1] == base[-2] and base[-1] not in "sl":
                base = base[:-1]
            return base
    return word


def terms(text: str) -> list[str]:
    """Content terms of `text`: folded, stop words dropped, stemmed."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    """Cut `text` to at most `limit` characters, at a word boundary when one is near."""
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - len(ellipsis))]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + ellipsis
