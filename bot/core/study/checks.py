"""Checks on every quiz question a team will be asked, made by reading it back.

The generator builds each question to have one answer; this checker does not trust
that. It reads the question text as a user's question is read, judges every option
by the rules and the knowledge, and reports any question with more or fewer than one
defensible answer, an option nobody explains, or English that does not read right.
`validate`-like tests run it over the whole bank, and `bank` shows its verdicts.
"""

from __future__ import annotations

import re

from lemminflect import getAllLemmas

from bot.core.answering.index import Bm25Index
from bot.core.answering.reader import Lexicon
from bot.core.knowledge.loader import Knowledge, Need, QuizQuestion
from bot.core.knowledge.model import CLOSED_TO_NEW_CUSTOMERS, Service
from bot.core.study.generate import RIVAL_SHARE, SERVICE, wording_for
from bot.core.study.wording import Form, is_sentence_case

_QUOTED = re.compile(r"“[^”]*”")
_FIRST_PERSON = re.compile(r"\b(my|me|i|we|our|us|myself)\b", re.I)
_SECOND_PERSON = re.compile(r"\b(you|your|yourself)\b", re.I)
_NUMBER = re.compile(r"[\d.]+")
# "Which service…", "Which AWS service…", "which of these services…", not "service or tool"
_ASKS_FOR_SERVICES = re.compile(r"\bwhich (?:aws |of these )?services?\b(?! or)", re.I)


class BankChecker:
    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.services = sorted(knowledge.services.values(), key=lambda s: s.id)
        self.by_short = {s.short: s for s in self.services}
        self.lexicon = Lexicon(knowledge, [u for s in self.services for u in s.use_cases])
        self.wording = wording_for(knowledge)
        self.use_index = Bm25Index(
            [self.lexicon.terms(" ".join(s.use_cases)) for s in self.services]
        )
        self.position = {s.id: n for n, s in enumerate(self.services)}
        self.what_index = Bm25Index(  # what each service is and is for
            [self.lexicon.terms(" ".join((s.summary, *s.use_cases))) for s in self.services]
        )
        self.closed = [s for s in self.services if s.traits.get(CLOSED_TO_NEW_CUSTOMERS)]
        self.not_services = {  # "security groups", "AWS SDK": what a non-service is called
            called.casefold(): s
            for s in self.services
            if s.kind != SERVICE
            for called in (s.name, s.short, f"AWS {s.short}", f"Amazon {s.short}")
        }
        self.cased_names = sorted(
            {
                n
                for s in self.services
                for n in (s.short, s.name)
                if n != n.lower() and not is_sentence_case(n)
            },
            key=len,
            reverse=True,
        )

    def problems(self, question: QuizQuestion) -> list[str]:
        """What is wrong with one question; empty when it is fit to study with."""
        found = self.explained(question) + self.closed_said(question)
        found += self.services_only(question)
        if not question.id.startswith("gen-"):
            return found
        found += self.well_written(question)
        if question.id.startswith("gen-scenario-"):
            found += self.one_answer_by_rules(question)
        elif question.id.startswith("gen-use-"):
            found += self.one_answer_by_use(question)
        elif question.id.startswith("gen-def-"):
            found += self.one_answer_by_definition(question)
        else:
            found += self.one_number(question)
        return found

    # every question --------------------------------------------------------------------

    def explained(self, question: QuizQuestion) -> list[str]:
        found = []
        if len({o.casefold() for o in question.options}) != len(question.options):
            found.append("two options are the same")
        if question.answer not in question.options:
            found.append("the answer is not an option")
        found += [f"no reason given for `{o}`" for o in question.options if not question.reason(o)]
        return found

    def closed_said(self, question: QuizQuestion) -> list[str]:
        """A service closed to new customers is never offered as the one to use: not as a
        generated answer, not as "what you would use" in a reason, and a curated question
        on it says plainly that it is closed."""
        found = []
        own = self.knowledge.services.get(question.service)
        if own and own.traits.get(CLOSED_TO_NEW_CUSTOMERS):
            said = f"{question.question} {question.explanation}".lower()
            if question.id.startswith("gen-"):
                found.append(f"the answer, {own.short}, is closed to new customers")
            elif "closed" not in said and "new customers" not in said:
                found.append(f"does not say that {own.short} is closed to new customers")
        for option in question.options:
            reason = question.reason(option)
            for service in self.closed:
                if re.search(
                    rf"\b{re.escape(service.short)} (?:is|are) what you would\b", reason, re.I
                ):
                    found.append(f"`{option}`'s reason recommends {service.short}, which is closed")
        return found

    def services_only(self, question: QuizQuestion) -> list[str]:
        """A question asking for a service offers only services: not a feature of one
        (security groups), a tool (the SDKs) or a practice (CI/CD)."""
        if not _ASKS_FOR_SERVICES.search(question.question):
            return []
        return [
            f"`{option}` is offered as a service but is a {other.kind}"
            for option in question.options
            if (other := self.not_services.get(option.casefold()))
        ]

    # generated questions ----------------------------------------------------------------

    def well_written(self, question: QuizQuestion) -> list[str]:
        found: list[str] = []
        text = _QUOTED.sub("“”", question.question)  # the notes' own words are theirs
        if not question.question.rstrip().endswith("?"):
            found.append("does not end with '?'")
        found += self.miscased(text)
        for option in question.options:  # reasons in the generator's words, not a note's
            reason = question.reason(option)
            if not question.id.startswith("gen-note-"):
                found += [
                    f"{p} (reason for `{option}`)"
                    for p in self.miscased(_QUOTED.sub("“”", reason), True)
                ]
        if _SECOND_PERSON.search(text) and _FIRST_PERSON.search(text):
            found.append("mixes 'you' with 'I/my/we'")
        after_use = re.search(r"\buse to ([\w-]+)(?: ([\w-]+))?", text)
        if after_use:
            word = after_use.group(1)
            if not _can_be_verb(word) and "ADV" in getAllLemmas(word.lower()):
                word = after_use.group(2) or word  # "to automatically react"
            if not _can_be_verb(word):
                found.append(f"'use to' is followed by `{word}`, not a verb")
        after_for = re.search(r"\bpick for ([\w-]+)", text)
        if after_for and _only_a_verb(after_for.group(1)):
            found.append(f"'pick for' is followed by the verb `{after_for.group(1)}`")
        noun = re.search(r"\bpick for (.+?)\?", text)
        if noun and self.wording.form(noun.group(1)) is Form.CLAUSE:
            found.append(f"'pick for' is followed by a clause: `{noun.group(1)}`")
        return found

    def miscased(self, text: str, lower_only: bool = False) -> list[str]:
        """Names and proper nouns written otherwise than the knowledge's own prose writes
        them: "aws", "s3", "java" (the prose says "Python, Java, Go"); with `lower_only`,
        only those written in lower case (a note may write "NAT Gateway")."""
        found = []
        for name in self.cased_names:
            for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.I):
                said = match.group(0)
                if " " not in name and said == said.lower() and said not in self.wording.casing:
                    continue  # also a plain word the prose writes in lower case: "batch jobs"
                if said != name and (said == said.lower() or not lower_only):
                    found.append(f"`{said}` should be written `{name}`")
        for word in re.findall(r"[A-Za-z0-9][A-Za-z0-9+#]*", text):
            cased = self.wording.casing.get(word.lower())
            if cased and word == word.lower() and cased != word:
                found.append(f"`{word}` should be written `{cased}`")
        return found

    def option_services(self, question: QuizQuestion) -> list[Service] | None:
        """The service each option names (the answer is the question's own service)."""
        own = self.knowledge.services.get(question.service)
        services = [
            own if option == question.answer else self.by_short.get(option)
            for option in question.options
        ]
        return None if any(s is None for s in services) else services  # type: ignore[return-value]

    def one_answer_by_rules(self, question: QuizQuestion) -> list[str]:
        """Read the scenario as a question, judge every option by the rules: exactly
        one may meet every need it states, and it must be the answer."""
        reading = self.lexicon.read(question.question)
        needs: list[tuple[Need, float | None]] = []
        for need in self.knowledge.rules.needs:
            if need.parameter == "duration_minutes" and reading.duration_minutes:
                needs.append((need, reading.duration_minutes))
            elif need.parameter == "memory_gb" and reading.memory_gb:
                needs.append((need, reading.memory_gb))
            elif not need.parameter and need.id in reading.needs:
                needs.append((need, None))
        services = self.option_services(question)
        if not needs or services is None:
            return ["the scenario states no need the rules can test, or an option is unknown"]
        meeting = [
            s.short
            for s in services
            if all(
                s.traits.get(need.scope or need.trait)
                and need.judge(s.traits, value, s.trait_notes)[0]
                for need, value in needs
            )
        ]
        if meeting != [question.answer]:
            return [f"options meeting every stated need: {meeting or 'none'}"]
        return []

    def one_answer_by_use(self, question: QuizQuestion) -> list[str]:
        """The answer's use cases fit the question clearly best among the options."""
        services = self.option_services(question)
        if services is None:
            return ["an option is not a known service"]
        found = [  # a description of the option never says why it does not fit
            f"`{option}`'s reason does not say what it is for instead"
            for option in question.options
            if option != question.answer and " what you would " not in question.reason(option)
        ]
        scores = dict(self.use_index.best(self.lexicon.terms(question.question), limit=None))
        answer = services[question.answer_index]
        best = scores.get(self.position[answer.id], 0.0)
        rivals = [
            s.short
            for s in services
            if s is not answer and scores.get(self.position[s.id], 0.0) > best * RIVAL_SHARE
        ]
        if best <= 0:
            return [*found, "the answer's use cases do not fit the question"]
        return found + ([f"also defensible: {', '.join(rivals)}"] if rivals else [])

    def one_answer_by_definition(self, question: QuizQuestion) -> list[str]:
        """The quoted description is the answer's own summary, and no other option is
        described by it nearly as well (by its summary and use cases)."""
        services = self.option_services(question)
        if services is None:
            return ["an option is not a known service"]
        answer = services[question.answer_index]
        quoted = re.search(r"“(.+?)”", question.question)
        if quoted is None or quoted.group(1) not in answer.summary:
            return ["the description quoted is not the answer's summary"]
        terms = self.lexicon.terms(quoted.group(1))
        described = dict(self.what_index.best(terms, limit=None))
        best = described.get(self.position[answer.id], 0.0)
        rivals = [
            s.short
            for s in services
            if s is not answer and described.get(self.position[s.id], 0.0) > best * RIVAL_SHARE
        ]
        return [f"also described so: {', '.join(rivals)}"] if rivals else []

    def one_number(self, question: QuizQuestion) -> list[str]:
        values = [_NUMBER.match(o) for o in question.options]
        if any(v is None for v in values):
            return ["an option is not a number"]
        numbers = [float(v.group(0)) for v in values if v]
        return [] if len(set(numbers)) == len(numbers) else ["two options are the same number"]


def _can_be_verb(word: str) -> bool:
    return word.lower() in getAllLemmas(word.lower()).get("VERB", ())


def _only_a_verb(word: str) -> bool:
    readings = getAllLemmas(word.lower())
    return set(readings) == {"VERB"} and word.lower() in readings["VERB"]
