"""The answer engine: facts, comparisons and decisions, reasoned over `knowledge/`.

A question is read (reader.py), then answered by the first of these that fits:
a comparison between named services, a decision tested against the rules' needs and
the services' traits and use cases, a fact about a named service, or a fact found in
the facts and raw notes. When nothing fits well enough it says so and suggests
questions it can answer, rather than guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.answering.answer import Answer
from bot.core.answering.index import Bm25Index
from bot.core.answering.reader import (
    COMPARE_CUES,
    DECISION_CUES,
    STANDS_FOR_CUES,
    WHAT_IS_CUES,
    YES_NO_CUES,
    Lexicon,
    Reading,
)
from bot.core.answering.retrieval import HybridIndex, MeaningIndex
from bot.core.answering.semantic import shared_embedder
from bot.core.answering.thresholds import (
    ANSWER_LIMIT,
    CLOSE_MARGIN,
    FACT_MARGIN,
    MIN_COVERAGE,
    MIN_FACT_SCORE,
    MIN_FIT,
    MIN_FIT_SCORE,
    MIN_IN_SCOPE_COSINE,
    MIN_NEED_TERMS,
    MIN_TELLING_WEIGHT,
    NOTE_WEIGHT,
    OUT_OF_SCOPE_PENALTY,
    SEMANTIC_FLOOR,
    SEMANTIC_SHARE,
)
from bot.core.knowledge.loader import GENERAL_SOURCE, Comparison, Knowledge, Need, Service
from bot.core.knowledge.text import truncate, words

# Words that frame a question rather than say what it is about.
_FRAME_WORDS = frozenset(
    """what is are does do tell about explain describe define definition overview service
    services aws amazon mean stand stands for acronym short full form name info which
    should use recommend pick choose option options need want run""".split()
)


@dataclass
class Verdict:
    """How one candidate service fares against a question's needs."""

    service: Service
    score: float = 0.0
    fit: float = 0.0
    passes: list[str] = field(default_factory=list)
    fails: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        return not self.fails


@dataclass(frozen=True)
class _Doc:
    """A fact or note statement in the fact index."""

    text: str
    services: tuple[str, ...]
    source: str  # fact id or note file
    note: str | None  # the note file a fact came from, if any


class Engine:
    """Answers questions over one loaded knowledge base; build once, ask many times."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.services = list(knowledge.services.values())
        texts = [
            text
            for s in self.services
            for text in (s.name, s.summary, *s.aliases, *s.use_cases, *(f.text for f in s.facts))
        ]
        texts += [" ".join(n.phrases) for n in knowledge.rules.needs]
        texts += [statement.text for statement in knowledge.notes]
        self.embedder = shared_embedder()
        self.lexicon = Lexicon(knowledge, texts, self.embedder)
        self.needs = {need.id: need for need in knowledge.rules.needs}
        self.fit_index = Bm25Index([self._fit_terms(s) for s in self.services])
        self.fit_meaning = MeaningIndex([self._fit_texts(s) for s in self.services], self.embedder)
        self.docs: list[_Doc] = []
        doc_terms: list[list[str]] = []
        doc_texts: list[str] = []
        weights: list[float] = []
        for service in self.services:
            if service.from_notes:
                continue  # its facts are the note statements indexed below
            for fact in service.facts:
                note = fact.source if fact.source != GENERAL_SOURCE else None
                self.docs.append(_Doc(fact.text, (service.id,), fact.id, note))
                doc_terms.append(self.lexicon.terms(f"{fact.text} {' '.join(fact.about)}"))
                doc_texts.append(fact.text)
                weights.append(1.0)
        for statement in knowledge.notes:
            self.docs.append(_Doc(statement.text, statement.services, statement.where, None))
            doc_terms.append(self.lexicon.terms(f"{statement.text} {statement.context}"))
            doc_texts.append(f"{statement.context} {statement.text}")
            weights.append(NOTE_WEIGHT)
        self.fact_index = HybridIndex(doc_terms, doc_texts, self.embedder, weights)
        self.docs_of: dict[str, set[int]] = {s.id: set() for s in self.services}
        for number, doc in enumerate(self.docs):
            for sid in doc.services:
                self.docs_of.setdefault(sid, set()).add(number)
        self.comparisons = list(knowledge.comparisons)
        self.position = {s.id: n for n, s in enumerate(self.services)}
        self.frame_terms = frozenset(self.lexicon.term(w) for w in _FRAME_WORDS)
        self.own_terms = {
            s.id: set(self.lexicon.terms(f"{s.id} {s.name} {s.short} {s.stands_for or ''}"))
            for s in self.services
        }
        # The terms a service's facts are asked by ("max memory", "pricing").
        self.fact_asks = {
            s.id: [frozenset(self.lexicon.terms(a)) for f in s.facts for a in f.about]
            for s in self.services
        }

    def _fit_terms(self, service: Service) -> list[str]:
        """What a service is for, as index terms; use cases count twice. Its own names
        are left out: a question that names it is matched by name, and other services'
        use cases that name it ("trigger a lambda on a schedule") should win on them."""
        parts = [service.summary, service.stands_for or ""] + list(service.use_cases) * 2
        if service.from_notes:
            parts += [self._without_names(fact.text) for fact in service.facts]
        own = set(self.lexicon.terms(f"{service.id} {service.short}"))
        return [t for t in self.lexicon.terms(" ".join(parts)) if t not in own]

    def _fit_texts(self, service: Service) -> list[str]:
        """What a service is for, as texts whose meaning a question is compared with."""
        texts = [service.summary, *service.use_cases]
        if service.from_notes:
            texts += [self._without_names(fact.text) for fact in service.facts]
        return [text for text in texts if text.strip()]

    def _fit_scores(self, reading: Reading, semantic: bool = True) -> dict[int, float]:
        """How well each service's purpose fits the question, 0..1 against the best:
        BM25 over its use cases and semantic closeness to them, blended."""
        lexical = self.fit_index.scores(self._fit_query(reading))
        top_lexical = max(lexical.values(), default=0.0) or 1.0
        if not semantic:
            return {number: score / top_lexical for number, score in lexical.items()}
        closeness = self.fit_meaning.closest(reading.vector)
        top = float(closeness.max()) if len(closeness) else 0.0
        spread = top - SEMANTIC_FLOOR
        fused: dict[int, float] = {}
        for number in range(len(self.services)):
            meaning = (float(closeness[number]) - SEMANTIC_FLOOR) / spread if spread > 0 else 0.0
            score = (1 - SEMANTIC_SHARE) * lexical.get(number, 0.0) / top_lexical
            score += SEMANTIC_SHARE * max(0.0, meaning)
            if score > 0:
                fused[number] = score
        return fused

    def _without_names(self, text: str) -> str:
        """The text with the services it names left out: a statement about a NAT gateway
        that mentions S3 says nothing about what the NAT gateway is for."""
        tokens = words(text)
        for mention in reversed(self.lexicon.names.find(text)):
            del tokens[mention.start : mention.end]
        return " ".join(tokens)

    # --- entry point -----------------------------------------------------------------

    def answer(self, question: str) -> Answer:
        if not isinstance(question, str):
            question = ""
        reading = self.lexicon.read(question)
        if reading.is_empty:
            return self._none(reading, "Ask me about the AWS services in your notes.")
        if reading.unknown:
            return self._not_in_notes(reading)
        named = reading.services
        params = bool(self._question_needs_numbers(reading))
        if len(named) >= 2 and self._is_comparison(reading, params):
            return self._compare(reading, named)
        if len(named) >= 2:
            return self._decide(reading, named)
        if len(named) == 1:
            return self._about_one(reading, named[0], params)
        return self._open_question(reading, params)

    def _question_needs_numbers(self, reading: Reading) -> list[Need]:
        return [need for need, value in self._question_needs(reading) if value is not None]

    # --- kinds of question -----------------------------------------------------------

    def _is_comparison(self, reading: Reading, params: bool) -> bool:
        if reading.has(COMPARE_CUES):
            return True
        content = [t for t in reading.terms if t not in self.frame_terms]
        return not params and not reading.needs and len(content) <= 1

    def _about_one(self, reading: Reading, sid: str, params: bool) -> Answer:
        service = self.knowledge.services[sid]
        decision_needs = params or any(self.needs[n].hard for n in reading.needs)
        yes_no = reading.tokens[0] in YES_NO_CUES
        if decision_needs and (reading.has(DECISION_CUES) or yes_no or params):
            return self._decide(reading, [sid], single=True)
        if reading.has(STANDS_FOR_CUES) and service.stands_for:
            text = f"{service.short} stands for {service.stands_for}. {service.summary}"
            return self._fact_answer(reading, service, text, self._service_sources(service))
        content = [t for t in reading.terms if t not in self.frame_terms]
        content += [t for t in reading.name_terms if t not in self.own_terms[sid]]
        if not content:
            return self._card(reading, service)
        hits = self._best_docs(content, self.docs_of.get(sid, set()), reading=reading)
        if not reading.has(WHAT_IS_CUES) and self._fits_another_service(reading, service, hits):
            # "trigger my lambda on a cron schedule": the named service is the object.
            return self._decide(reading, [])
        if hits and hits[0][1] >= MIN_FACT_SCORE * 0.6:
            return self._from_docs(reading, service, hits)
        trait_answer = self._trait_answer(reading, service)
        if trait_answer is not None:
            return trait_answer
        if reading.has(DECISION_CUES) and self._coverage(reading.terms) >= MIN_COVERAGE:
            return self._decide(reading, [], mentioned=[sid])
        return self._card(reading, service, confidence=0.6)

    def _fits_another_service(
        self, reading: Reading, service: Service, hits: list[tuple[int, float]]
    ) -> bool:
        """True when the question states a need another service's use cases answer
        clearly better, and does not ask about one of the named service's facts."""
        content = {t for t in reading.terms if t not in self.frame_terms}
        if reading.tokens[0] in YES_NO_CUES or len(content) < MIN_NEED_TERMS:
            return False  # "lambda max mem?" is short: a fact about the named service
        asked = set(reading.terms)
        asks_fact = any(ask and ask <= asked for ask in self.fact_asks[service.id])
        if service.from_notes:  # the notes' statements are its facts, asked in their words
            asks_fact = bool(hits) and hits[0][1] >= MIN_FACT_SCORE
        # Words, not meaning, decide this: a question naming a service is close in
        # meaning to many services' use cases, but only shared words show another fits.
        ranked = self._rank(reading, [s.id for s in self.services], [], semantic=False)
        if not ranked or ranked[0].service is service or not ranked[0].feasible:
            return False
        own = next((v.score for v in ranked if v.service is service), 0.0)
        return ranked[0].score - own >= (FACT_MARGIN if asks_fact else CLOSE_MARGIN)

    def _fit_query(self, reading: Reading) -> list[str]:
        """The question's terms for matching use cases, with the words of the services it
        names: "give my lambda permission" matches IAM's "give a lambda permission"."""
        return [t for t in reading.terms if t not in self.frame_terms] + reading.name_terms

    def _open_question(self, reading: Reading, params: bool) -> Answer:
        if self._off_topic(reading):
            return self._none(reading)
        states_needs = params or bool(reading.needs)
        if not states_needs and not self._in_scope(reading):
            return self._none(reading)
        if reading.has(WHAT_IS_CUES) and not states_needs and not reading.has(DECISION_CUES):
            hits = self._best_docs(reading.terms, None, reading=reading)
            if hits and hits[0][1] >= MIN_FACT_SCORE:
                service = self.knowledge.services[self.docs[hits[0][0]].services[0]]
                return self._from_docs(reading, service, hits)
        return self._decide(reading, [])

    def _in_scope(self, reading: Reading) -> bool:
        """Whether some service's use cases explain the question well enough to answer.

        One shared everyday word ("team", "time") is not enough: the best service must
        match two terms strongly, or most of a short question with a telling term.
        """
        terms = [t for t in reading.terms if t not in self.frame_terms]
        best = self.fit_index.best(terms, limit=1)
        if not best:
            return False
        number, score = best[0]
        matched = self.fit_index.matched(terms, number)
        weight = sum(self.fit_index.term_weight(t) for t in matched)
        total = sum(self.fit_index.term_weight(t) for t in set(terms))
        if len(matched) >= 2 and score >= MIN_FIT_SCORE:
            return True
        closeness = self.fit_meaning.closest(reading.vector)
        if len(closeness) and float(closeness.max()) >= MIN_IN_SCOPE_COSINE:
            return True
        return weight / total >= MIN_COVERAGE and weight >= MIN_TELLING_WEIGHT

    # --- decisions -------------------------------------------------------------------

    def _question_needs(self, reading: Reading) -> list[tuple[Need, float | None]]:
        found: list[tuple[Need, float | None]] = []
        for need in self.needs.values():
            if need.parameter == "duration_minutes" and self._is_run_length(reading, need):
                found.append((need, reading.duration_minutes))
            elif need.parameter == "memory_gb" and reading.memory_gb is not None:
                found.append((need, reading.memory_gb))
            elif need.id in reading.needs and not need.parameter:
                found.append((need, None))
        return found

    def _is_run_length(self, reading: Reading, need: Need) -> bool:
        """Whether the question's duration is how long something runs: it speaks of a
        job or a run, or names a service that runs code. "cpu over 80% for 5 mins" and
        "query the last 24h" state durations that rule nothing out."""
        if reading.duration_minutes is None:
            return False
        if any(token in self.knowledge.rules.run_words for token in reading.tokens):
            return True
        scope = need.scope or need.trait
        return any(self.knowledge.services[sid].traits.get(scope) for sid in reading.services)

    def _judge(self, service: Service, needs: list[tuple[Need, float | None]]) -> Verdict:
        verdict = Verdict(service)
        for need, value in needs:
            if service.from_notes and need.trait not in service.traits:
                continue  # the notes do not say: no verdict either way
            if need.scope and service.traits.get(need.scope) is not True:
                # A number (2 hours, 16 GB) means running something: rule out what cannot.
                # A phrase (docker, GPU) may be about storing or building it: no verdict.
                if need.hard and need.parameter:
                    verdict.fails.append("is not a service that runs code or jobs")
                elif need.hard:
                    verdict.score -= OUT_OF_SCOPE_PENALTY
                continue
            ok, text = need.judge(service.traits, value)
            if ok:
                verdict.passes.append(text)
                verdict.score += 0.25 if not need.hard else 0.1
            elif need.hard:
                verdict.fails.append(text)
            else:
                verdict.score -= 0.05
        return verdict

    def _decide(
        self,
        reading: Reading,
        named: list[str],
        single: bool = False,
        mentioned: list[str] | None = None,
    ) -> Answer:
        needs = self._question_needs(reading)
        mentioned = list(mentioned or []) + (named if single else [])
        pool = named if named and not single else [s.id for s in self.services]
        if named and not single:
            pool = self._widen(reading, named)
        ranked = self._rank(reading, pool, mentioned)
        feasible = [v for v in ranked if v.feasible]
        if not feasible:
            return self._nothing_fits(reading, ranked, needs)
        best = feasible[0]
        if not named and best.fit == 0 and not needs:
            return self._none(reading)
        runner_up = feasible[1] if len(feasible) > 1 else None
        shown_out = [v for v in ranked if not v.feasible and v.service.id in (named + mentioned)]
        if not shown_out and needs:
            shown_out = [v for v in ranked if not v.feasible and v.fit >= 0.5][:2]
        return self._decision_answer(reading, best, runner_up, shown_out, named, needs)

    def _widen(self, reading: Reading, named: list[str]) -> list[str]:
        """The named services, and the service made for the question when it fits far
        better: "a yaml template to define lambda functions and api gateway" is SAM."""
        fit = self.fit_index.scores(self._fit_query(reading))
        if not fit:
            return named
        top = max(fit, key=fit.__getitem__)
        best_named = max(fit.get(self.position[s], 0.0) for s in named)
        if fit[top] >= MIN_FIT and fit[top] >= 2 * best_named:
            return [*named, self.services[top].id]
        return named

    def _rank(
        self, reading: Reading, pool: list[str], mentioned: list[str], semantic: bool = True
    ) -> list[Verdict]:
        """Candidates judged against the question's needs and ranked by needs and fit."""
        needs = self._question_needs(reading)
        fit = self._fit_scores(reading, semantic)
        top_fit = max(fit.values(), default=0.0) or 1.0
        verdicts: list[Verdict] = []
        failing_named: set[str] = set()
        for number, service in enumerate(self.services):
            if service.id not in pool and service.id not in mentioned:
                continue
            verdict = self._judge(service, needs)
            verdict.fit = fit.get(number, 0.0) / top_fit
            verdict.score += verdict.fit
            if service.id in mentioned and verdict.feasible:
                verdict.score += 0.3
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
                verdict.score += 0.25
        return sorted(verdicts, key=lambda v: (-v.score, v.service.id))

    def _decision_answer(
        self,
        reading: Reading,
        best: Verdict,
        runner_up: Verdict | None,
        ruled_out: list[Verdict],
        named: list[str],
        needs: list[tuple[Need, float | None]],
    ) -> Answer:
        service = best.service
        margin = best.score - runner_up.score if runner_up else 1.0
        split_by_rule = bool(ruled_out) and bool(needs)
        confidence = 0.95 if split_by_rule else min(0.95, 0.55 + margin)
        if named and len(named) >= 2 and not split_by_rule:
            confidence = min(confidence, 0.8)
        why = [f"{service.short} {reason}" for reason in best.passes if reason]
        if service.from_notes:
            hits = self._best_docs(self._fit_query(reading), self.docs_of.get(service.id, set()))
            why += [
                self.docs[n].text.rstrip(".") for n, score in hits[:2] if score >= hits[0][1] * 0.7
            ]
        elif fit_reason := self._fit_reason(service, reading):
            why.append(f"{service.short} is for: {fit_reason}")
        out = [f"{v.service.short} ✗ {'; '.join(dict.fromkeys(v.fails))}" for v in ruled_out]
        lead = service.name
        if reading.tokens[0] in YES_NO_CUES and named == [service.id]:
            lead = f"Yes, {service.name}"
        elif reading.tokens[0] in YES_NO_CUES and len(named) == 1 and ruled_out:
            lead = f"No: use {service.name} instead"
        parts = [f"{lead}."]
        parts += [f"{line}." for line in out]
        parts += [f"{line}." for line in why[:2]]
        if not why:
            parts.append(service.summary)
        sources = self._decision_sources(service, ruled_out, needs)
        suggestions: list[str] = []
        if runner_up and margin < CLOSE_MARGIN:
            suggestions.append(f"{service.short} vs {runner_up.service.short}")
            suggestions.append(f"What is {runner_up.service.short}?")
        return Answer(
            question=reading.original,
            kind="rule",
            service=self._label(service),
            answer=truncate(" ".join(parts), ANSWER_LIMIT),
            confidence=confidence,
            sources=sources,
            suggestions=suggestions,
            title=service.name,
            why=why,
            ruled_out=out,
        )

    def _nothing_fits(
        self, reading: Reading, ranked: list[Verdict], needs: list[tuple[Need, float | None]]
    ) -> Answer:
        closest = min(ranked, key=lambda v: (len(v.fails), -v.score))
        lines = [f"{v.service.short} ✗ {'; '.join(v.fails)}" for v in ranked[:3]]
        text = (
            "Nothing in the notes meets every need in that question. "
            + " ".join(f"{line}." for line in lines)
            + f" Closest: {closest.service.name}."
        )
        return Answer(
            question=reading.original,
            kind="rule",
            service=self._label(closest.service),
            answer=truncate(text, ANSWER_LIMIT),
            confidence=0.4,
            sources=self._decision_sources(closest.service, ranked[:3], needs),
            suggestions=[f"What is {closest.service.short}?"],
            title="No service fits every need",
            ruled_out=lines,
        )

    def _fit_reason(self, service: Service, reading: Reading) -> str:
        """The use case that best matches the question, to say why the service fits."""
        best, best_score = "", 0.0
        asked = set(reading.terms)
        for use_case in service.use_cases:
            overlap = len(asked & set(self.lexicon.terms(use_case)))
            if overlap > best_score:
                best, best_score = use_case, overlap
        return best

    def _decision_sources(
        self, service: Service, ruled_out: list[Verdict], needs: list[tuple[Need, float | None]]
    ) -> list[str]:
        need_terms = [
            t
            for need, _ in needs
            for t in self.lexicon.terms(f"{need.trait} {need.id} {' '.join(need.phrases[:3])}")
        ]
        sources: list[str] = []
        for verdict in [*ruled_out, None]:
            target = verdict.service if verdict else service
            hits = self._best_docs(need_terms, self.docs_of.get(target.id, set()), limit=1)
            if hits:
                sources.append(self.docs[hits[0][0]].source)
        sources += self._service_sources(service)
        return list(dict.fromkeys(sources))[:4]

    # --- facts -----------------------------------------------------------------------

    def _best_docs(
        self,
        terms: list[str],
        allowed: set[int] | None,
        limit: int = 3,
        reading: Reading | None = None,
    ) -> list[tuple[int, float]]:
        """Facts and note statements on the terms, and on the question's meaning when
        the reading is given."""
        if not terms and reading is None:
            return []
        vector = reading.vector if reading is not None else None
        return self.fact_index.best(terms, vector, allowed, limit)

    def _from_docs(
        self, reading: Reading, service: Service, hits: list[tuple[int, float]]
    ) -> Answer:
        top_score = hits[0][1]
        chosen = [n for n, score in hits if score >= top_score * 0.85][:2]
        texts = list(dict.fromkeys(self.docs[n].text for n in chosen))
        sources: list[str] = []
        for n in chosen:
            doc = self.docs[n]
            sources.append(doc.source)
            if doc.note:
                sources.append(doc.note)
        confidence = min(0.95, 0.5 + top_score / 12)
        text = " ".join(t if t.endswith((".", "!", "?")) else f"{t}." for t in texts)
        return self._fact_answer(reading, service, text, sources, confidence)

    def _fact_answer(
        self,
        reading: Reading,
        service: Service,
        text: str,
        sources: list[str],
        confidence: float = 0.9,
    ) -> Answer:
        return Answer(
            question=reading.original,
            kind="fact",
            service=self._label(service),
            answer=truncate(text, ANSWER_LIMIT),
            confidence=confidence,
            sources=list(dict.fromkeys(sources))[:4],
            title=service.name,
        )

    def _card(self, reading: Reading, service: Service, confidence: float = 0.9) -> Answer:
        """What a service is, for 'what is X' or a bare service name."""
        text = f"{service.name}: {service.summary}"
        if service.stands_for and service.stands_for.lower() not in text.lower():
            text = f"{service.name} ({service.stands_for}): {service.summary}"
        if service.facts:
            text += f" {service.facts[0].text}"
        sources = [service.facts[0].id] if service.facts else []
        return self._fact_answer(
            reading, service, text, sources + self._service_sources(service), confidence
        )

    def _trait_answer(self, reading: Reading, service: Service) -> Answer | None:
        needs = [(self.needs[n], None) for n in reading.needs if not self.needs[n].parameter]
        if not needs:
            return None
        verdict = self._judge(service, needs)
        said = [*verdict.fails, *verdict.passes]
        if not said:
            return None
        lead = "No" if verdict.fails else "Yes"
        text = f"{lead}: {service.short} " + f"; {service.short} ".join(said) + "."
        return self._fact_answer(reading, service, text, self._service_sources(service), 0.8)

    def _service_sources(self, service: Service) -> list[str]:
        return [s for s in service.sources if s != GENERAL_SOURCE][:2]

    # --- comparisons -----------------------------------------------------------------

    def _find_comparison(self, pair: set[str]) -> Comparison | None:
        matches = [c for c in self.comparisons if pair <= set(c.services)]
        return min(matches, key=lambda c: len(c.services), default=None)

    def _compare(self, reading: Reading, named: list[str]) -> Answer:
        pair = named[:3] if len(named) > 2 else named[:2]
        services = [self.knowledge.services[s] for s in pair]
        entry = self._find_comparison(set(pair))
        names = " vs ".join(s.short for s in services)
        if entry is not None:
            lines = [f"{names}: {entry.summary}"]
            lines += [f"{p.rstrip('.')}." for p in entry.points[:3]]
            for sid, when in entry.choose.items():
                if sid in pair:
                    lines.append(
                        f"Pick {self.knowledge.services[sid].short} for {when.rstrip('.')}."
                    )
            sources = [entry.id] + ([entry.source] if entry.source != GENERAL_SOURCE else [])
            confidence = 0.95
        else:
            lines = [f"{names}:"] + [f"{s.short}: {s.summary}" for s in services]
            lines += self._trait_differences(services)
            notes_lines, notes_sources = self._notes_differences(services, reading)
            lines += notes_lines
            sources = notes_sources + [src for s in services for src in self._service_sources(s)]
            confidence = 0.75
        return Answer(
            question=reading.original,
            kind="comparison",
            service=self._label(services[0]),
            answer=truncate(" ".join(lines), ANSWER_LIMIT),
            confidence=confidence,
            sources=list(dict.fromkeys(sources))[:4],
            title=names,
            why=lines[1:],
        )

    def _notes_differences(
        self, services: list[Service], reading: Reading
    ) -> tuple[list[str], list[str]]:
        """What the notes say sets the services apart: rows of a table that lays them
        side by side, statements on a point both are described by ("transitive"), and
        the notes' own advice on when to pick each."""
        ids = [s.id for s in services]
        lines: list[str] = []
        sources: list[str] = []
        for table in self.knowledge.note_index.tables:
            if not set(ids) <= set(table.services):
                continue
            columns = [table.services.index(sid) for sid in ids]
            for label, values in table.rows[:6]:
                cells = [
                    f"{self.knowledge.services[sid].short} {values[c]}"
                    for sid, c in zip(ids, columns, strict=True)
                    if c < len(values)
                ]
                lines.append(f"{label}: {'; '.join(cells)}.")
            sources.append(f"{table.file}:{table.line}")
            break
        if not lines:
            for number in self._contrasting_docs(ids, reading):
                lines.append(self.docs[number].text)
                sources.append(self.docs[number].source)
        for choice in self.knowledge.note_index.choices:
            picked = [sid for sid in choice.services if sid in ids]
            if picked:
                short = self.knowledge.services[picked[0]].short
                lines.append(f"Pick {short} for: {choice.need.rstrip('.')}.")
        return lines, sources

    def _contrasting_docs(self, ids: list[str], reading: Reading) -> list[int]:
        """For each service, its statement on the most telling point the notes describe
        both services by, or on what the question asks."""
        doc_terms = self.fact_index.lexical.doc_terms
        term_sets = {
            sid: {t for n in self.docs_of.get(sid, set()) for t in doc_terms[n]} for sid in ids
        }
        names = {t for sid in ids for t in self.own_terms.get(sid, set())}
        shared = set.intersection(*term_sets.values()) - names - self.frame_terms
        asked = [t for t in reading.terms if t not in self.frame_terms]
        point = max(shared, key=self.fact_index.lexical.term_weight, default=None)
        query = asked + ([point] * 2 if point else [])
        chosen: list[int] = []
        for sid in ids:
            mine = {n for n in self.docs_of.get(sid, set()) if self.docs[n].services[0] == sid}
            chosen += [number for number, _ in self._best_docs(query, mine, limit=1)]
        return chosen

    def _trait_differences(self, services: list[Service]) -> list[str]:
        lines: list[str] = []
        for need in self.needs.values():
            if need.parameter or not need.hard:
                continue
            values = [s.traits.get(need.trait) for s in services]
            if len(set(map(repr, values))) > 1 and all(v is not None for v in values):
                verdicts = [
                    f"{s.short} {need.passes if v else need.fails}"
                    for s, v in zip(services, values, strict=True)
                ]
                lines.append("; ".join(verdicts) + ".")
        return lines[:3]

    # --- out of scope ----------------------------------------------------------------

    def _coverage(self, terms: list[str]) -> float:
        """Share of the question's meaning (IDF-weighted) that the knowledge knows at all."""
        if not terms:
            return 0.0
        total = known = 0.0
        for term in set(terms):
            weight = self.fit_index.term_weight(term)
            in_facts = term in self.fact_index.lexical
            total += weight
            if term in self.fit_index or in_facts:
                known += weight
        return known / total if total else 0.0

    def _off_topic(self, reading: Reading) -> bool:
        said = [*reading.terms, *(self.lexicon.term(w) for w in words(reading.text))]
        return any(t in self.lexicon.off_topic for t in said)

    def _none(self, reading: Reading, lead: str | None = None) -> Answer:
        suggestions = self._suggestions(reading)
        text = lead or "That is not in the notes, so I won't guess."
        return Answer(
            question=reading.original,
            kind="none",
            service=None,
            answer=text + " I can answer questions about the AWS services in your notes.",
            confidence=0.0,
            suggestions=suggestions,
            title="Not in the notes",
        )

    def _not_in_notes(self, reading: Reading) -> Answer:
        """A catalogued AWS service the knowledge does not cover, said by name."""
        entries = [self.knowledge.catalogue.entries.get(sid) for sid in reading.unknown]
        names = [e.name for e in entries if e is not None] or ["That service"]
        verb = "is" if len(names) == 1 else "are"
        lead = f"{' and '.join(names)} {verb} not in your notes yet, so I won't guess."
        return self._none(reading, lead)

    def _suggestions(self, reading: Reading) -> list[str]:
        """Up to three questions the knowledge can answer, near what was asked."""
        fit = self.fit_index.best(reading.terms, limit=3) if reading.terms else []
        related = [self.services[n] for n, _ in fit]
        suggestions = [f"What is {s.short}?" for s in related[:2]]
        for comparison in self.comparisons:
            if len(suggestions) >= 3:
                break
            shorts = [self.knowledge.services[s].short for s in comparison.services[:2]]
            suggestions.append(f"{shorts[0]} vs {shorts[1]}")
        return suggestions[:3]

    def _label(self, service: Service) -> str:
        """The service's canonical name with its acronym, e.g. 'Amazon EKS (Elastic ...)'."""
        label = service.name
        for extra in (service.short, service.stands_for):
            if extra and extra.lower() not in label.lower():
                label += f" ({extra})"
        return label
