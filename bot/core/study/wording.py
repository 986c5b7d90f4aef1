"""How generated quiz questions are worded.

Use cases are written in lower case for matching and in whatever form their author
chose: "store iot sensor readings over time" (a verb phrase), "managed influxdb
database" (a noun phrase), "when traffic is spiky" (a clause). A question must read as
English: names cased as the knowledge writes them ("IoT", "S3", "MongoDB"), spoken to
"you" throughout, and a template that fits the use case's form. Everything here is
learnt from the knowledge's own, carefully cased text, and from an English lexicon
(`lemminflect`) for which words can be verbs: no word lists to keep up.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from enum import Enum

from lemminflect import getAllInflections, getAllLemmas

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#]*(?:\.[A-Za-z0-9]+)*")
_WORD = re.compile(r"[A-Za-z0-9][\w+#-]*")
_SENTENCE = re.compile(r"(?<=[.!?:;])\s+")
_PERSON = {
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "me": "you",
    "i": "you",
    "our": "your",
    "ours": "yours",
    "ourselves": "yourselves",
    "we": "you",
    "us": "you",
}
_PERSON_PHRASES = (
    ("i am", "you are"),
    ("i'm", "you're"),
    ("we're", "you're"),
    ("we are", "you are"),
)
# Words before a verb ("to store", "you can run") and before a noun ("a graph", "for BI").
_BEFORE_VERB = frozenset("to can cannot will must should could would may you we i lets".split())
_BEFORE_NOUN = frozenset(
    "a an the this that these those each every any your my our its their per of for with".split()
)
_OBJECT_OPENERS = frozenset("a an the your my our their its one each every all any some".split())
_DETERMINERS = _OBJECT_OPENERS | {"two", "three", "many", "several", "no", "this", "that"}
# Words that end a noun phrase's head: "database | with SQL joins", "network | of friends".
_PHRASE_BREAKS = frozenset(
    "of with for on in across that who which to over near from by as between like where when "
    "without into at than via close".split()
)
_CLAUSE_OPENERS = frozenset({"when", "whenever", "if", "once", "while"})
# Verbs that make a subject of the words before them: "data must stay", "traffic is spiky".
_FINITE = frozenset("must should can cannot will would is are has have needs".split())
NOUN_EVIDENCE = 5  # times a word follows "a"/"the"/"for"…, never "to"/"can", to be a noun


def is_sentence_case(name: str) -> bool:
    """A heading's way of writing a common noun phrase ("Public subnet", "Route table"):
    only its first letter is capital, so mid-sentence it is written in lower case."""
    first, _, rest = name.partition(" ")
    return bool(rest) and first[1:].islower() and rest == rest.lower()


class Form(Enum):
    VERB = "verb"  # "store iot sensor readings": you would use it to …
    NOUN = "noun"  # "managed influxdb database": you would pick it for …
    CLAUSE = "clause"  # "when traffic is spiky"


class Wording:
    """Casing and grammar learnt from `texts` (summaries, facts: cased prose) and
    `corpus` (every text the knowledge holds, for how each word is used)."""

    def __init__(self, texts: Iterable[str], corpus: Iterable[str], names: Iterable[str]):
        texts = list(texts)
        phrases = {
            n for n in names if " " in n and n != n.lower() and not is_sentence_case(n)
        } | _title_phrases(texts)
        self.names = sorted(phrases, key=len, reverse=True)
        corpus = list(corpus)
        self.casing = _casing(texts, self.names, corpus)
        self.verb_use, self.noun_use = _uses([*texts, *corpus])
        self.seen = {t.lower() for text in [*texts, *corpus] for t in _WORD.findall(text)}
        self.article_use = Counter(
            m.group(2).lower()
            for text in [*texts, *corpus]
            for m in re.finditer(r"\b(a|an|one) ([a-z][\w-]*)\b", text, re.I)
        )

    # casing and person --------------------------------------------------------------

    def cased(self, text: str) -> str:
        """Names and acronyms as the knowledge writes them: "aws s3" → "AWS S3"."""
        text = _TOKEN.sub(lambda m: self.casing.get(m.group(0).lower(), m.group(0)), text)
        for name in self.names:
            text = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", name, text, flags=re.I)
        return text

    def second_person(self, text: str) -> str:
        """The use case said to the reader: "my bucket" → "your bucket"."""
        for first, second in _PERSON_PHRASES:
            text = re.sub(rf"\b{re.escape(first)}\b", second, text, flags=re.I)
        return re.sub(
            r"(?<![\w'-])(my|mine|myself|me|i|our|ours|ourselves|we|us)(?![\w'-])",
            lambda m: _PERSON[m.group(1).lower()],
            text,
            flags=re.I,
        )

    def phrase(self, use_case: str) -> str:
        """A use case to go mid-sentence: a note's capital at its start is dropped
        ("Link to your data center" → "link to…"), names keep theirs ("Lambda…")."""
        text = use_case.strip().rstrip(".")
        first = text.split(" ", 1)[0]
        if first[1:].islower() and first[:1].isupper():
            text = text[:1].lower() + text[1:]
        return self.cased(self.second_person(text))

    # grammatical form -------------------------------------------------------------------

    def is_verb(self, word: str, following: str = "") -> bool:
        """Whether a use case opening with `word` (then `following`) is a verb phrase.

        The English lexicon says which words can be a verb's base form ("store",
        "graph"); of those that can also be nouns or adjectives, a word followed by
        "of" or written mostly as a noun in the knowledge ("a graph", "for time
        series") is one, and so is an adjective before a noun ("live video")."""
        word = word.lower()
        readings = getAllLemmas(word)
        if word in self.casing or word not in readings.get("VERB", ()):
            return False
        if set(readings) == {"VERB"}:
            return True
        # Also a noun or adjective: an object after it ("open a shell") makes it a
        # verb; "of" after it ("graph of …") or never being written as one, a noun.
        if following in _OBJECT_OPENERS:
            return True
        mostly_noun = self.verb_use[word] == 0 and self.noun_use[word] >= NOUN_EVIDENCE
        if following == "of" or mostly_noun:
            return False
        if "ADJ" in readings and not self.verb_use[word]:
            # "low latency" or "split traffic": a verb only if the knowledge uses it as
            # one somewhere ("splitting", "recorded"), which "lowing" it never does.
            forms = getAllInflections(word, upos="VERB")
            used = {f for tag in ("VBD", "VBG") for f in forms.get(tag, ()) if f != word}
            return bool(used & self.seen)
        return True

    def form(self, use_case: str) -> Form:
        tokens = [t.lower() for t in _WORD.findall(use_case)]  # "purpose-built" whole
        if not tokens:
            return Form.NOUN
        if tokens[0] in _CLAUSE_OPENERS:
            return Form.CLAUSE
        start = next((n for n, t in enumerate(tokens) if not _is_adverb(t)), 0)
        following = tokens[start + 1] if start + 1 < len(tokens) else ""
        if self.is_verb(tokens[start], following):
            return Form.VERB
        after = tokens[len(_noun_run(tokens)) :][:1]
        if after and after[0] in _FINITE:
            return Form.CLAUSE  # "data must stay on premises": said with "when"
        return Form.NOUN

    def noun_phrase(self, text: str) -> str:
        """A noun phrase with "a"/"an" when its head is one countable thing: "a
        relational database with SQL joins", "a data warehouse for BI", but "columnar
        storage", "virtual servers", "deploying code". Countable: the English lexicon
        gives the head a plural of its own ("warehouses", not "data" or "storage"), or
        the knowledge counts it ("a cache", "leaderboards")."""
        tokens = _WORD.findall(text.split("(", 1)[0]) or _WORD.findall(text)
        if not tokens or tokens[0].lower() in _DETERMINERS or tokens[0][0].isdigit():
            return text
        if "ADJ" in getAllLemmas(tokens[0].lower()) and tokens[0].lower().endswith("est"):
            return f"the {text}"  # "the simplest way to …"
        if _is_gerund(tokens[0]) and len(tokens) > 1 and tokens[1].lower() in _DETERMINERS:
            return text  # an activity on a thing: "migrating a live database"
        run = _noun_run(tokens)
        if any(_is_plural(t) for t in run):
            return text  # things: "jobs longer than …", "GPU jobs such as …"
        lowered = run[-1].lower()
        if lowered.endswith("ing"):
            return text  # "supply chain tracking"
        plurals = set(getAllInflections(lowered, upos="NOUN").get("NNS", ()))
        lexicon_counts = bool(plurals) and lowered not in plurals
        seen_counted = (plurals | {f"{lowered}s"}) - {lowered}
        if not (lexicon_counts or self.article_use[lowered] or seen_counted & self.seen):
            return text  # a thing never counted ("storage", "compute")
        return f"{_article(tokens[0])} {text}"

    def subject(self, name: str) -> str:
        """A service's name opening a sentence, with its verb: "Security groups are",
        "Local Zones are", "Lambda is"."""
        opened = name[:1].upper() + name[1:]
        return f"{opened} {'are' if _plural_name(name) else 'is'}"

    def be(self, name: str, description: str) -> str:
        """A name said to be what a noun phrase describes, in agreement: "CloudFront is
        a content delivery network", "Local Zones are AWS infrastructure", and for one
        service described by plural things, "Lightsail offers simple virtual servers"."""
        head_text = description.split("(", 1)[0]
        run = _noun_run(_WORD.findall(head_text)) if head_text.strip() else []
        if any(_is_plural(t) for t in run) and not _plural_name(name):
            return f"{name[:1].upper()}{name[1:]} offers {description}"
        return f"{self.subject(name)} {self.noun_phrase(description)}"

    def says(self, word: str) -> bool:
        """Whether a summary opening with `word` is a verb said of its subject: "runs",
        "automates", "gives" (the verb's third person)."""
        lowered = word.lower()
        return any(
            lowered in getAllInflections(lemma, upos="VERB").get("VBZ", ())
            for lemma in getAllLemmas(lowered).get("VERB", ())
        )

    def which_service(self, use_case: str, asked: str = "service") -> str:
        """The question for a use case, in the template its form calls for; `asked` is
        what the options are ("service", or "of these" when one is a feature)."""
        text = self.phrase(use_case)
        form = self.form(use_case)
        if form is Form.VERB:
            verb = "pick" if text.split()[0].lower() == "use" else "use"  # not "use to use"
            return f"Which {asked} would you {verb} to {text}?"
        if form is Form.CLAUSE:
            return f"Which {asked} would you pick {_when(text)}?"
        return f"Which {asked} would you pick for {self.noun_phrase(text)}?"

    def what_for(self, service_short: str, use_case: str, instead_of: str | None = None) -> str:
        """A sentence on what a service is for: "Route 53 is what you would use to …";
        with `instead_of`, and what it is not for: "…, not to cache query results"."""
        subject = self.subject(service_short)
        said = f"{subject} what you would {self._wanted(use_case)}"
        if instead_of:
            said += f", not {self._wanted(instead_of, verb=False)}"
        return f"{said}."

    def _wanted(self, use_case: str, verb: bool = True) -> str:
        """A use case after "you would …": "use to store …", "pick for a cache", "pick
        when …"; without the verb, what follows "not": "to store …", "for a cache"."""
        text = self.phrase(use_case)
        form = self.form(use_case)
        if form is Form.VERB:
            chosen = "pick" if text.split()[0].lower() == "use" else "use"
            wanted = f"to {text}"
        elif form is Form.CLAUSE:
            chosen, wanted = "pick", _when(text)
        else:
            chosen, wanted = "pick", f"for {self.noun_phrase(text)}"
        return f"{chosen} {wanted}" if verb else wanted


_TITLE_RUN = re.compile(r"(?<=[a-z0-9,(] )(?:[A-Z][\w+#.]*(?: |$)){2,}")


def _title_phrases(texts: list[str]) -> set[str]:
    """Runs of capitalised words mid-sentence: "Availability Zones", "Hyperledger
    Fabric", "Power BI": cased as a whole, so "Zones" alone is not a name."""
    found = {
        m.group(0).strip().rstrip(".,;:")
        for text in texts
        for m in _TITLE_RUN.finditer(text)
        if "." not in m.group(0).strip().rstrip(".")
    }
    written = " ".join(texts)
    return {p for p in found if p.lower() not in written}  # never in lower case elsewhere


def _noun_run(tokens: list[str]) -> list[str]:
    """The words of a noun phrase up to its head, the last before "of", "with",
    "for"… or a participle ("data warehouse | for BI", "database | hosted on…");
    "or"/"and" join words of the run ("Redis or Memcached cluster")."""
    run = tokens[:1]
    for position, token in enumerate(tokens[1:], 1):
        lowered = token.lower()
        if lowered in _PHRASE_BREAKS or lowered in _FINITE:
            break
        following = tokens[position + 1].lower() if position + 1 < len(tokens) else ""
        participle = token == lowered and lowered.endswith("ed")
        if participle and (not following or following in _PHRASE_BREAKS | _DETERMINERS):
            break  # "ledger | shared by …", but "fast repeated SQL queries" runs on
        if lowered not in ("or", "and"):
            run.append(token)
    return run


def _when(clause: str) -> str:
    """A clause said after "pick": "when traffic is spiky", "if …" as written."""
    first = clause.split(" ", 1)[0].lower()
    return clause if first in _CLAUSE_OPENERS else f"when {clause}"


def _plural_name(name: str) -> bool:
    """ "Local Zones", "AWS SDKs (Software Development Kits)": said with "are"."""
    words = re.sub(r"\s*\([^)]*\)", "", name).split()
    return bool(words) and _is_plural(words[-1])


def _is_gerund(word: str) -> bool:
    lowered = word.lower()
    return lowered.endswith("ing") and bool(getAllLemmas(lowered).get("VERB"))


def _is_plural(word: str) -> bool:
    """ "servers", "jobs": a noun that is not its own lemma (not "data", "series")."""
    lowered = word.lower()
    if len(word) > 2 and word.endswith("s") and word[:-1].isupper():
        return True  # acronyms counted: "SDKs", "AMIs"
    if word != lowered and not word.endswith("s"):
        return False  # a name: "EC2", "Redis"
    nouns = getAllLemmas(lowered).get("NOUN", ())
    return bool(nouns) and lowered not in nouns and lowered.endswith("s")


def _article(word: str) -> str:
    """ "an OLTP database", "an app", "a user", "a SQL…" said letter by letter: "an"."""
    if word.isupper() or any(c.isdigit() for c in word):
        return "an" if word[0].upper() in "AEFHILMNORSX" else "a"
    if word.lower().startswith(("uni", "use", "usu", "one")):
        return "a"
    return "an" if word[0].lower() in "aeiou" else "a"


def _is_adverb(word: str) -> bool:
    """ "automatically", "quickly": skipped to find the verb they modify."""
    return word.endswith("ly") and "ADV" in getAllLemmas(word)


def _casing(texts: list[str], names: list[str], corpus: list[str]) -> dict[str, str]:
    """Each word the texts write with capitals mid-sentence more often than in lower
    case, with its usual form: "iot" → "IoT", "mongodb" → "MongoDB", "s3" → "S3". A
    word with only its first letter capitalised counts only standing alone ("in
    Python or Go", "Java, Go and .NET"), not inside a longer name ("Systems Manager",
    "ECS Anywhere"): a capitalised neighbour one space away makes it part of a name.
    Such a word that is also an English word ("Go", "Spot") and is only ever
    capitalised next to other names in a list is a name only if no text of the
    knowledge writes it in lower case ("where did the money go")."""
    cased: dict[str, Counter[str]] = {}
    alone: Counter[str] = Counter()  # capitalised with no other name two words either side
    lower: Counter[str] = Counter()
    for text in texts:
        for name in names:  # "Local Zones" is a name, not evidence that "zones" is one
            text = text.replace(name, " ")
        for sentence in _SENTENCE.split(text):
            tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(sentence)]
            for position, (token, start, end) in enumerate(tokens):
                folded = token.lower()
                if token == folded:
                    lower[folded] += 1
                    continue
                if len(token) < 2 or not any(c.isalpha() for c in token):
                    continue
                if token[1:] == folded[1:]:  # "Python", "Manager"
                    if position == 0 or sentence[end : end + 1] == "-":
                        continue  # opens the sentence, or a compound ("Multi-AZ")
                    before = tokens[position - 1]
                    after = tokens[position + 1] if position + 1 < len(tokens) else None
                    if (before[0][0].isupper() and before[2] == start - 1) or (
                        after is not None and after[0][0].isupper() and after[1] == end + 1
                    ):
                        continue  # inside a longer name
                    near = tokens[max(0, position - 2) : position + 3]  # "Ruby and Go"
                    if not any(n[0][0].isupper() for n in near if n[1] != start):
                        alone[folded] += 1
                else:
                    alone[folded] += 1
                cased.setdefault(folded, Counter())[token] += 1
    written_lower = Counter(t for text in corpus for t in _TOKEN.findall(text) if t == t.lower())
    return {
        folded: forms.most_common(1)[0][0]
        for folded, forms in cased.items()
        if sum(forms.values()) > 2 * lower[folded]
        and (alone[folded] or not getAllLemmas(folded) or not written_lower[folded])
    }


def _uses(texts: list[str]) -> tuple[Counter[str], Counter[str]]:
    """How often each word follows a word that comes before verbs, and before nouns."""
    verb_use: Counter[str] = Counter()
    noun_use: Counter[str] = Counter()
    for text in texts:
        tokens = [t.lower() for t in _TOKEN.findall(text)]
        for before, word in itertools.pairwise(tokens):
            if before in _BEFORE_VERB:
                verb_use[word] += 1
            elif before in _BEFORE_NOUN:
                noun_use[word] += 1
    return verb_use, noun_use
