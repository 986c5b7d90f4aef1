"""Judging candidate services against what a question needs.

Retrieval says which services a question is about; judgement tests each against the
needs the question states (a 2 hour run, GPUs, no servers) by the rules and the
services' traits, and ranks them by needs met and fit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.answering.reader import Reading, phrase_key
from bot.core.answering.retrieval import Retriever
from bot.core.answering.thresholds import (
    ALTERNATIVE_BONUS,
    CLOSED_PENALTY,
    CONDITIONAL_PASS,
    HARD_PASS,
    MIN_FIT,
    NAMED_BONUS,
    NOT_FOR_SHARE,
    NOT_FOR_SHARED,
    OUT_OF_SCOPE_PENALTY,
    RUNNER_FIT_SHARE,
    SOFT_FAIL,
    SOFT_PASS,
)
from bot.core.knowledge.loader import Knowledge, Need
from bot.core.knowledge.model import CLOSED_TO_NEW_CUSTOMERS, Service
from bot.core.knowledge.text import words

NOT_A_RUNNER = "is not a service that runs code or jobs"


@dataclass
class Verdict:
    """How one candidate service fares against a question's needs."""

    service: Service
    score: float = 0.0
    fit: float = 0.0
    passes: list[str] = field(default_factory=list)
    fails: list[str] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        return not self.fails


Needs = list[tuple[Need, float | None]]


class Judge:
    def __init__(self, knowledge: Knowledge, retriever: Retriever) -> None:
        self.knowledge = knowledge
        self.retriever = retriever
        self.needs = {need.id: need for need in knowledge.rules.needs}
        # The needs each notes-only service's statements state, when it is first judged.
        self._said: dict[str, frozenset[str]] = {}
        lexicon = retriever.lexicon
        # Each "not for" phrase: its text, the terms it is not for (not those it says are
        # not needed: "simple container apps that do not need Kubernetes" is not against
        # Kubernetes), and whether it opens with an action.
        self.not_for_terms = {
            s.id: [
                (text, terms, words(text)[0].endswith("ing"))
                for text in s.not_for
                if (terms := lexicon.terms(" ".join(_before_negation(words(text)))))
            ]
            for s in knowledge.services.values()
        }

    def not_for(self, reading: Reading, service: Service) -> str | None:
        """What the service is not for ("caching images, videos or web pages"), when the
        question asks just that."""
        asked = set(self.retriever.content(reading))
        weight = self.retriever.fit_index.term_weight
        for text, terms, acts in self.not_for_terms.get(service.id, []):
            shared = asked & set(terms)
            share = sum(map(weight, shared)) / (sum(map(weight, set(terms))) or 1.0)
            # An action it opens with says what it is not for ("storing Docker images"):
            # a question that runs a Docker image shares the image, not the storing.
            # Without one ("complex SQL joins"), the things it names are enough.
            if (
                (terms[0] in shared or not acts)
                and len(shared) >= NOT_FOR_SHARED
                and share >= NOT_FOR_SHARE
            ):
                return text
        return None

    def question_needs(self, reading: Reading) -> Needs:
        found: Needs = []
        for need in self.needs.values():
            if need.parameter == "duration_minutes" and self.is_run_length(reading, need):
                found.append((need, reading.duration_minutes))
            elif need.parameter == "memory_gb" and reading.memory_gb is not None:
                found.append((need, reading.memory_gb))
            elif need.id in reading.needs and not need.parameter:
                found.append((need, None))
        return found

    def numbers(self, reading: Reading) -> bool:
        """Whether the question states a number a rule tests (a run length, a size)."""
        return any(value is not None for _, value in self.question_needs(reading))

    def is_run_length(self, reading: Reading, need: Need) -> bool:
        """Whether the question's duration is how long something runs: it speaks of a
        job or a run, or names a service that runs code. "cpu over 80% for 5 mins" and
        "query the last 24h" state durations that rule nothing out; "takes 3 s to load"
        is a run only if something that runs code fits the question."""
        if reading.duration_minutes is None:
            return False
        scope = need.scope or need.trait
        if any(self.knowledge.services[sid].traits.get(scope) for sid in reading.services):
            return True
        rules = self.knowledge.rules
        tokens = reading.tokens
        if any(
            token in rules.run_words and not rules.query_words & set(tokens[at + 1 : at + 4])
            for at, token in enumerate(tokens)
        ):
            return True  # "run big aggregate sql all day long" runs queries, not code
        if not any(token in rules.taking_words for token in tokens):
            return False
        # "images take forever to load" speaks of taking time, but of a CDN's work: a run
        # length only when a service that runs code is among those the question fits.
        fit = self.retriever.fit_scores(reading)
        top = max(fit.values(), default=0.0)
        return any(
            self.retriever.services[n].traits.get(scope)
            for n, score in fit.items()
            if score >= RUNNER_FIT_SHARE * top
        )

    def _notes_say(self, service: Service, need: Need) -> bool:
        """Whether a notes-only service's statements state the need, read as a question's
        words are ("consistent latency" states low latency; "no low latency" does not)."""
        said = self._said.get(service.id)
        if said is None:
            key = f" {phrase_key(' '.join(f.text for f in service.facts))} "
            said = self._said[service.id] = frozenset(self.retriever.lexicon.needs_stated(key))
        return need.id in said

    def judge(self, service: Service, needs: Needs) -> Verdict:
        """Test a service against each need; a trait it states counts whatever its kind
        ("is dynamodb serverless?")."""
        verdict = Verdict(service)
        for need, value in needs:
            if service.from_notes and need.trait not in service.traits:
                # The notes give no traits; a need they say in its own words ("EMR-S is
                # serverless", "consistent latency") favours the service as the trait
                # would, else no verdict. No reason is shown: the quoted line says it.
                if self._notes_say(service, need):
                    verdict.score += HARD_PASS if need.hard else SOFT_PASS
                continue
            # A trait the service states is judged whatever its scope: DynamoDB and
            # CodeBuild say they are serverless though neither "runs workloads".
            states_it = need.trait in service.traits
            if need.scope and service.traits.get(need.scope) is not True and not states_it:
                # A number (2 hours, 16 GB) means running something: rule out what cannot.
                # A phrase (docker, GPU) may be about storing or building it: no verdict.
                if need.hard and need.parameter:
                    verdict.fails.append(NOT_A_RUNNER)
                elif need.hard:
                    verdict.score -= OUT_OF_SCOPE_PENALTY
                continue
            ok, text = need.judge(service.traits, value, service.trait_notes)
            if ok:
                verdict.passes.append(text)
                gain = SOFT_PASS if not need.hard else HARD_PASS
                # Met only on a condition ("when its tasks run on Fargate"): the service
                # that meets it outright fits better.
                verdict.score += (
                    gain * CONDITIONAL_PASS if need.trait in service.trait_notes else gain
                )
            elif need.hard:
                verdict.fails.append(text)
            else:
                verdict.score -= SOFT_FAIL
        return verdict

    def rank(
        self, reading: Reading, needs: Needs, pool: list[str], mentioned: list[str]
    ) -> list[Verdict]:
        """Candidates judged against the question's needs (from `question_needs`) and
        ranked by needs and fit."""
        fit = self.retriever.fit_scores(reading)
        top_fit = max(fit.values(), default=0.0) or 1.0
        verdicts: list[Verdict] = []
        failing_named: set[str] = set()
        for number, service in enumerate(self.retriever.services):
            if service.id not in pool and service.id not in mentioned:
                continue
            verdict = self.judge(service, needs)
            # A service the question names is ruled out when asked for what it is not
            # for ("route 53 or global accelerator for caching images").
            named = service.id in reading.services
            if named and (wrong_for := self.not_for(reading, service)) is not None:
                verdict.fails.append(f"is not for {wrong_for}")
            verdict.fit = fit.get(number, 0.0) / top_fit
            verdict.score += verdict.fit
            if service.traits.get(CLOSED_TO_NEW_CUSTOMERS) and service.id not in mentioned:
                verdict.score -= CLOSED_PENALTY  # not for new work unless asked about
            if service.id in mentioned and verdict.feasible:
                verdict.score += NAMED_BONUS
            if service.id in mentioned and not verdict.feasible:
                failing_named.add(service.id)
            verdicts.append(verdict)
        alternatives = {
            r.service
            for sid in failing_named
            for r in self.knowledge.services[sid].relations
            if r.kind == "alternative_to"
        }
        for verdict in verdicts:
            if verdict.service.id in alternatives:
                verdict.score += ALTERNATIVE_BONUS
        return sorted(verdicts, key=lambda v: (-v.score, v.service.id))

    def widen(
        self, reading: Reading, named: list[str], share: float, options: bool = False
    ) -> list[str]:
        """The named services, and the service made for the question when it fits far
        better: "a yaml template to define lambda functions and api gateway" is SAM.
        Named as `options` ("lambda or fargate for …"), the names say nothing of what the
        question needs, so every service is measured without them."""
        # Named as context, a service's own words ("behind API Gateway") do not make it
        # fit: it is measured on what the question asks besides the names.
        besides = self.retriever.fit_index.scores(self.retriever.content(reading))
        fit = (
            besides
            if options
            else self.retriever.fit_index.scores(self.retriever.fit_query(reading))
        )
        if not fit:
            return named
        top = max(fit, key=fit.__getitem__)
        if fit[top] < MIN_FIT:  # one shared word ("team") is no better fit
            return named
        position = self.retriever.position
        best_named = max(besides.get(position[s], 0.0) for s in named)
        if best_named <= share * fit[top]:
            return [*named, self.retriever.services[top].id]
        return named


_NOT = frozenset({"no", "not", "without", "dont", "never"})


def _before_negation(tokens: list[str]) -> list[str]:
    """The words before the first negation: what a "not for" phrase is about."""
    return next((tokens[:n] for n, t in enumerate(tokens) if t in _NOT), tokens)
