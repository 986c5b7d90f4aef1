"""The answer engine: which kind of question this is, and what the knowledge finds for it.

A question is read (reader.py), its candidates retrieved by words and meaning
(retrieval.py), judged against its needs (judgement.py), and the findings worded by the
composer (composer.py). The engine routes: a comparison between named services, a
decision, a fact about a named service, or a fact found in the facts and notes. When
nothing fits well enough it says so and suggests questions it can answer.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

from bot.core.answering.answer import Answer
from bot.core.answering.calibration import calibrated
from bot.core.answering.comparing import Comparer
from bot.core.answering.composer import compose
from bot.core.answering.findings import (
    FactFinding,
    Finding,
    NotAnswered,
    NothingFits,
    Recommendation,
    Ruled,
    kind_of,
)
from bot.core.answering.judgement import Judge, Needs, Verdict
from bot.core.answering.reader import (
    COMPARE_CUES,
    DECISION_CUES,
    STANDS_FOR_CUES,
    Lexicon,
    Reading,
)
from bot.core.answering.retrieval import Retriever, service_sources
from bot.core.answering.thresholds import (
    CANDIDATE_WIDEN_SHARE,
    CLOSE_MARGIN,
    FACT_MARGIN,
    MAX_SIDE_BY_SIDE,
    MIN_ANSWER_CONFIDENCE,
    MIN_COVERAGE,
    MIN_FACT_SCORE,
    MIN_NEED_TERMS,
    MIN_OPEN_COVERAGE,
    OFF_TOPIC_OVERRULED_BY,
    SECOND_FACT_SHARE,
    SIDE_CANDIDATES,
    SIDE_SHARE,
    STATEMENT_COVERS,
    STRONG_STATEMENT,
    WIDEN_SHARE,
    WORDS_ONLY_CEILING,
)
from bot.core.knowledge.loader import Knowledge
from bot.core.knowledge.model import Service
from bot.core.knowledge.note_names import singular
from bot.core.knowledge.text import STOPWORDS, words

CANDIDATE_WORDS = frozenset({"or", "vs", "versus"})  # "lambda or fargate": both are options
# Where a question starts, after or before the things it sets side by side.
_QUESTION_OPENERS = frozenset(
    "which what whats how when where why should is are does do can".split()
)


# Quantities a question asks of a service it names ("biggest file", "how many hosts"),
# where a price or a time is as often the need it states ("cheap, every night").
_OWN = ("size", "count")


class Engine:
    """Answers questions over one loaded knowledge base; build once, ask many times."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.services = list(knowledge.services.values())
        texts = [
            text
            for s in self.services
            for text in (s.name, s.summary, *s.aliases, *s.use_cases, *s.not_for)
        ]
        texts += [f"{f.text} {' '.join(f.about)}" for s in self.services for f in s.facts]
        texts += [f"{c.summary} {' '.join(c.points)}" for c in knowledge.comparisons]
        texts += [" ".join(n.phrases) for n in knowledge.rules.needs]
        texts += [statement.text for statement in knowledge.notes]
        self.lexicon = Lexicon(knowledge, texts)
        self.retriever = Retriever(knowledge, self.lexicon)
        self.judge = Judge(knowledge, self.retriever)
        # The note line each "need -> service" use case came from, to quote it whole.
        said = {statement.id: statement for statement in knowledge.notes}
        self._choice_lines = {
            (sid, choice.need): said[choice.statement]
            for choice in knowledge.note_index.choices
            for sid in choice.services
            if choice.statement in said
        }
        self.comparer = Comparer(knowledge, self.lexicon, self.retriever, self.judge.needs)

    def answer(self, question: str) -> Answer:
        if not isinstance(question, str):
            question = ""
        reading = self.lexicon.read(question)
        finding = self._find(reading)
        if not isinstance(finding, NotAnswered):
            finding.confidence = calibrated(kind_of(finding), finding.confidence)
            if getattr(finding, "words_only", False):
                # A question outside the notes can share a use case's or a fact's words;
                # an answer resting on them alone is never called confident.
                finding.confidence = min(finding.confidence, WORDS_ONLY_CEILING)
            if finding.confidence < MIN_ANSWER_CONFIDENCE:
                return compose(reading.original, self._unsure(reading, finding))
        return compose(reading.original, finding)

    def _find(self, reading: Reading) -> Finding:
        if reading.is_empty:
            return NotAnswered("empty")
        if (
            reading.unknown
            and not (reading.has(DECISION_CUES) and self._plainly_a_use_case(reading))
            and not self._named_in_passing(reading)
        ):
            return self._about_a_covered_service(reading) or self._not_in_notes(reading)
        reading = self._as_one_services_modes(reading)
        named = reading.services
        params = self.judge.numbers(reading)
        if reading.defines and named:  # "alb = ? saw it in the ecs notes"
            return self._about_one(reading, named[0], params)
        if len(named) == 1 and (other := self._other_side(reading, named[0])):
            named = [*named, other]  # "kb vs agents": Bedrock Agents, set beside the KB
        if len(named) >= 2 and self._is_comparison(reading, params):
            return self.comparer.compare(reading, named)
        if len(named) <= 1 and (sides := self._sides_compared(reading)) is not None:
            return sides  # "glacier instant vs flexible retrieval", "scp vs iam policy"
        if len(named) >= 2:
            fact = self._asked_fact(reading, named, yes_no=True)
            return fact or self._decide(reading, named)
        if len(named) == 1:
            return self._about_one(reading, named[0], params)
        return self._open_question(reading, params)

    # --- kinds of question -----------------------------------------------------------

    def _as_one_services_modes(self, reading: Reading) -> Reading:
        """ "transcribe streaming vs batch": the side after "vs" is an everyday word that
        is also a service's name (AWS Batch), set against a mode of the service named
        before it, and that service's statements say the word: the two modes of one
        service are compared, and Batch is not named."""
        tokens = reading.tokens
        middle = _side_by_side_at(tokens, reading.has(COMPARE_CUES))
        if middle is None or len(reading.mentions) != 2:
            return reading
        before, after = sorted(reading.mentions, key=lambda m: m.start)
        word = tokens[after.start] if after.end - after.start == 1 else ""
        if (
            after.start != middle + 1
            or not self.lexicon.is_plain_word_name(word)
            or not before.end < middle  # "streaming": a mode said after the name
            or before.service == after.service
        ):
            return reading
        term = self.lexicon.term(word)
        index = self.retriever.fact_index
        if not any(term in index.doc_terms[n] for n in self.retriever.docs_about(before.service)):
            return reading
        return replace(reading, mentions=[before])

    def _other_side(self, reading: Reading, sid: str) -> str | None:
        """The service a one-word side of "X vs Y" names by its name's last word ("kb vs
        agents": Bedrock Agents), when the other side is the service named, right at the
        "vs", and exactly one other service's name ends in that word."""
        tokens = reading.tokens
        middle = _side_by_side_at(tokens, reading.has(COMPARE_CUES))
        if middle is None:
            return None
        mention = next(m for m in reading.mentions if m.service == sid)
        if mention.end == middle:
            at = middle + 1
        elif mention.start == middle + 1:
            at = middle - 1
        else:
            return None  # "routing profile vs queue in connect": the service is context
        if not 0 <= at < len(tokens) or tokens[at] in STOPWORDS:
            return None
        if any(m.start <= at < m.end for m in reading.mentions):
            return None
        word = singular(tokens[at])
        heads = [s.id for s in self.services if s.id != sid and _head_of(s.name) == word]
        return heads[0] if len(heads) == 1 else None

    def _is_comparison(self, reading: Reading, params: bool) -> bool:
        if reading.has(COMPARE_CUES):
            return True
        if reading.yes_no:
            return False  # "does lightsail support auto scaling" asks a fact
        content = self.retriever.content(reading)
        return not params and not reading.needs and len(content) <= 1

    def _about_one(self, reading: Reading, sid: str, params: bool) -> Finding:
        service = self.knowledge.services[sid]
        if params and (fact := self._asked_fact(reading, [sid])) is not None:
            return fact  # "how many free seconds with a 128 MB function" asks a fact
        decision_needs = params or any(self.judge.needs[n].hard for n in reading.needs)
        yes_no = reading.yes_no
        if yes_no and not params and (traits := self._traits(reading, service)) is not None:
            return traits  # "is dynamodb serverless?" is about DynamoDB
        if decision_needs and (reading.has(DECISION_CUES) or params):
            return self._decide(reading, [sid], single=True)
        if (reading.has(STANDS_FOR_CUES) or reading.defines) and service.stands_for:
            return FactFinding(service, "stands_for", sources=service_sources(service))
        if reading.defines:
            return self._card(service)
        content = self.retriever.content(reading)
        # Words said with its name ("topic" in "sns topic") help tell its facts apart, but
        # less than what is asked of it ("what endpoints can subscribe").
        name_words = [t for t in reading.name_terms if t not in self.retriever.own_terms[sid]]
        if not content and not name_words and reading.asks_for is None:
            return self._card(service)  # "is proton still a thing" asks a date: not the card
        docs = self.retriever.docs_about(sid)
        weights = self.retriever.term_weights(reading, [t for t in name_words if t not in content])
        content += name_words
        hits = self.retriever.best_docs(content, docs, asks=reading.asks_for, weights=weights)
        asks_about_it = (
            reading.asks_what
            or reading.has(COMPARE_CUES)
            or reading.has(STANDS_FOR_CUES)
            or _asks_of(reading, sid)
            # "biggest file u can send over wickr": a size or a count is the named
            # service's own (_OWN)
            or reading.asks_for in _OWN
        )
        if not asks_about_it and self._fits_another_service(reading, service, hits):
            # "trigger my lambda on a cron schedule": the named service is the object.
            return self._decide(reading, [])
        if hits and hits[0][1] >= MIN_FACT_SCORE * 0.6:
            return self._from_docs(service, hits)
        traits = self._traits(reading, service)
        if traits is not None and yes_no:
            return traits
        covered = self.retriever.coverage(content) >= MIN_COVERAGE
        if reading.has(DECISION_CUES) and (covered or reading.needs):
            # "how do i run a lambda every night": how to get it done, not whether
            return self._decide(reading, [], mentioned=[sid])
        return traits or self._card(service, confidence=0.6)

    def _fits_another_service(
        self, reading: Reading, service: Service, hits: list[tuple[int, float]]
    ) -> bool:
        """True when the question states a need another service's use cases answer
        clearly better, and does not ask about one of the named service's facts."""
        content = set(self.retriever.content(reading))
        if reading.yes_no or len(content) < MIN_NEED_TERMS:
            return False  # "lambda max mem?" is short: a fact about the named service
        if hits and hits[0][1] >= STRONG_STATEMENT and not reading.needs:
            return False  # its own statement says what is asked ("up to 10 secondary regions")
        if (
            hits
            and len(self.retriever.fact_index.matched(content, hits[0][0]))
            >= len(content) * STATEMENT_COVERS
        ):
            return False  # one of its own statements says nearly every word asked
        asked = set(reading.terms)
        # A fact is asked when what it is asked by ("max memory") is more than a third of
        # the question: "trigger" alone in "trigger my lambda on a cron schedule" or in
        # "describe lambda functions and their triggers in a short yaml file" is not.
        asks_fact = any(
            ask and ask <= asked and len(ask) * 3 > len(content)
            for ask in self.retriever.fact_asks[service.id]
        )
        if service.from_notes:  # the notes' statements are its facts, asked in their words
            asks_fact = bool(hits) and hits[0][1] >= MIN_FACT_SCORE
        everyone = [s.id for s in self.services]
        ranked = self.judge.rank(reading, self.judge.question_needs(reading), everyone, [])
        if not ranked or ranked[0].service is service or not ranked[0].feasible:
            return False
        own = next((v.score for v in ranked if v.service is service), 0.0)
        # "let two vpcs talk": VPC peering, a part of the VPC, answers what a VPC does.
        part = self._is_part_of(ranked[0].service, service)
        return ranked[0].score - own >= (FACT_MARGIN if asks_fact and not part else CLOSE_MARGIN)

    def _is_part_of(self, part: Service, whole: Service) -> bool:
        """Whether `part` is named as a feature of `whole` ("VPC peering", "S3 Lifecycle")."""
        inner = self.lexicon.names.find(" ".join(words(part.name)[:-1]))
        return any(m.service == whole.id for m in inner)

    def _open_question(self, reading: Reading, params: bool) -> Finding:
        if self._off_topic(reading):
            return self._none(reading)
        states_needs = params or bool(reading.needs)
        if params and (fact := self._asked_fact(reading, [])) is not None:
            return fact
        if (
            not states_needs
            and self._known_share(reading) < MIN_OPEN_COVERAGE
            and not self._plainly_a_use_case(reading)  # a long story around a plain need
        ):
            return self._none(reading)  # "a good pho place near the office": mostly unknown
        in_scope = states_needs or self.retriever.in_scope(reading)
        # "faas = ? saw it in the serverless section" asks what a word means, whatever
        # needs its words state.
        plain = not states_needs and not reading.has(DECISION_CUES)
        if (reading.asks_what and (plain or reading.asks_meaning)) or reading.terse:
            # A statement that says two things asked puts the question in scope, whatever
            # the services are for ("how much are v2 pipelines gonna cost").
            found = self._statement_answering(reading, shared=1 if in_scope else 2)
            if found is not None:
                return found
        if not in_scope:
            return self._none(reading)
        if reading.asks_what and states_needs and not params and not reading.has(DECISION_CUES):
            # "serverless v2 with auto pause, how long to wake up": a need's words in a
            # name; a statement saying what is asked answers it.
            found = self._statement_answering(reading, shared=2, at_least=STRONG_STATEMENT)
            if found is not None:
                return found
        return self._decide(reading, [])

    def _statement_answering(
        self, reading: Reading, shared: int, at_least: float = MIN_FACT_SCORE
    ) -> FactFinding | None:
        """The statement that answers an open "what/how much" question, if one does, on
        at least `shared` of its terms and with a score of `at_least`."""
        hits = self.retriever.best_docs(reading.terms, None, asks=reading.asks_for)
        if not hits or hits[0][1] < at_least:
            return None
        asked = set(reading.terms)
        if reading.terse:  # "ftps passive port range? partner firewall guy is asking"
            asked = set(self.lexicon.terms(reading.text.partition("?")[0]))
            telling = max(sorted(asked), key=self.retriever.fact_index.term_weight, default="")
            if telling not in self.retriever.fact_index.matched(asked, hits[0][0]):
                return None  # "schemas max limits?": the statement is on the small words
        covers = len(self.retriever.fact_index.matched(asked, hits[0][0]))
        # A statement sharing a few words of a long "what do we load it into" is no
        # answer to it: that question asks which service. One giving the kind of
        # quantity asked ("how long": 7 days) on two of its words answers it.
        gives = reading.asks_for in self.retriever.quantity_kinds[hits[0][0]]
        if covers < shared or not (covers * 2 >= len(asked) or (gives and covers >= 2)):
            return None
        doc = self.retriever.docs[hits[0][0]]
        found = self._from_docs(self.knowledge.subject(doc.services[0]), hits)
        found.words_only = True
        return found

    def _sides_compared(self, reading: Reading) -> FactFinding | None:
        """Two things set side by side that are not two services ("instant vs flexible
        retrieval", "scp vs iam policy"): what the notes say of each side."""
        tokens = reading.tokens
        middle = _side_by_side_at(tokens, reading.has(COMPARE_CUES))
        if middle is None:
            return None
        # Each side runs to where a question starts: "v1 vs v2 pipelines, which is
        # cheaper" sets v1 against "v2 pipelines", not against the rest of the question.
        first = max((n + 1 for n in range(middle) if tokens[n] in _QUESTION_OPENERS), default=0)
        last = next(
            (n for n in range(middle + 1, len(tokens)) if tokens[n] in _QUESTION_OPENERS),
            len(tokens),
        )
        chosen: list[tuple[int, float]] = []
        extra: list[tuple[int, float]] = []
        asked = self.lexicon.terms(" ".join(tokens[:first] + tokens[last:]))
        aspect = [t for t in asked if t not in self.retriever.frame_terms]
        spans = ((first, middle), (middle + 1, last))
        named = [[m.service for m in reading.mentions if a <= m.start < b] for a, b in spans]
        for (start, end), side in zip(spans, named, strict=True):
            # "keyspaces on-demand or provisioned capacity": a side that names nothing is
            # about what the other side names.
            side = side or [s for other in named for s in other]
            allowed = set().union(*(self.retriever.docs_about(s) for s in side)) if side else None
            own = set().union(*(self.retriever.own_terms.get(s, set()) for s in side))
            # "rolling in eb": a one-word alias says which service, not which side
            own |= set().union(*(self.retriever.alias_terms.get(s, set()) for s in side))
            terms = [
                t
                for t in self.lexicon.terms(" ".join(tokens[start:end]))
                if t not in own and t not in self.retriever.frame_terms
            ]
            taken = {number for number, _ in chosen}  # a doc answers one side only
            found = self.retriever.best_docs(terms, allowed, limit=SIDE_CANDIDATES)
            hits = [h for h in found if h[0] not in taken]
            # "rolling = deploy in batches…" says what the side is; "rolling with
            # additional batch = like rolling…" only says the word twice.
            hits.sort(key=lambda h: self.retriever.defines[h[0]] != frozenset(terms))
            if not terms or not hits or hits[0][1] < MIN_FACT_SCORE:
                return None
            chosen.append(hits[0])
            # A second statement on the side, from another line, close behind: a table
            # cell says how much, the line that explains it says what it is.
            line = self.retriever.docs[hits[0][0]].where
            more = [
                h
                for h in hits[1:3]
                if self.retriever.docs[h[0]].where != line and h[1] >= hits[0][1] * SIDE_SHARE
            ]
            if aspect:  # "…, which one charges retrieval fees": the side's line on that
                on_point = self.retriever.best_docs(terms + aspect, allowed)
                point = [
                    h
                    for h in on_point[:3]
                    if self.retriever.docs[h[0]].where != line
                    and self.retriever.fact_index.matched(aspect, h[0])
                    and self.retriever.fact_index.matched(terms, h[0])
                    and h[0] not in {n for n, _ in more[:1]}
                ]
                extra.extend(point[:1])
            extra.extend(more[:1])
        docs = [self.retriever.docs[n] for n, _ in chosen]
        if docs[0].text == docs[1].text:
            return None
        # Each side with the rest of its line: a table row says more than one cell.
        said = list(  # two hits on one table row bring the row once
            dict.fromkeys(
                d for n, _ in chosen + extra for d in self.retriever.line_of(n, MAX_SIDE_BY_SIDE)
            )
        )
        return FactFinding(
            self.knowledge.subject(docs[0].services[0]),
            "statements",
            statements=self.retriever.quoted(said),
            sources=list(dict.fromkeys(doc.where for doc in said)),
            confidence=min(0.9, 0.5 + min(score for _, score in chosen) / 12),
        )

    def _known_share(self, reading: Reading) -> float:
        return self.retriever.coverage(self.retriever.content(reading))

    def _asked_fact(
        self, reading: Reading, named: list[str], yes_no: bool = False
    ) -> FactFinding | None:
        """A question that asks what, where or how much (or, with `yes_no`, whether)
        asks a fact, even with a number or a second service in it: "how many free
        seconds with a 128 MB function", "where does a batch job get disk space, since
        lambda's is tiny". The fact is looked up among the named services' facts."""
        # "biggest pdf i can put behind a knowledge base": a size or a count asks a fact
        # (a price or a time is often the need: "cheap, every night")
        asks = reading.asks_what or (yes_no and reading.yes_no) or reading.asks_for in _OWN
        if not asks or reading.has(DECISION_CUES):
            return None
        allowed = set().union(*(self.retriever.docs_about(s) for s in named)) if named else None
        query = self.retriever.content(reading)
        if len(named) >= 2:  # "does lightsail support auto scaling": one's fact, the other
            query += reading.name_terms  # named in it
        weights = self.retriever.term_weights(reading)
        hits = self.retriever.best_docs(query, allowed, asks=reading.asks_for, weights=weights)
        if not hits or hits[0][1] < MIN_FACT_SCORE:
            return None
        doc = self.retriever.docs[hits[0][0]]
        about = next((s for s in doc.services if s in named), doc.services[0])
        found = self._from_docs(self.knowledge.subject(about), hits)
        found.words_only = not named
        return found

    # --- decisions -------------------------------------------------------------------

    def _decide(
        self,
        reading: Reading,
        named: list[str],
        single: bool = False,
        mentioned: list[str] | None = None,
    ) -> Finding:
        needs = self.judge.question_needs(reading)
        mentioned = list(mentioned or []) + (named if single else [])
        everyone = [s.id for s in self.services]
        pool = named if named and not single else everyone
        if named and not single:
            # Names that are context ("lambda functions in a yaml template") give way to
            # a service that fits far better; named options only when none of them
            # shares a word with the question ("ecs or eks for a queue of dependent sims").
            options = self._names_candidates(reading)
            share = CANDIDATE_WIDEN_SHARE if options else WIDEN_SHARE
            if any(self.judge.not_for(reading, self.knowledge.services[s]) for s in named):
                share = 1.0  # a named option is asked for what it is not for: add the best
            pool = self.judge.widen(reading, named, share, options)
        ranked = self.judge.rank(reading, needs, pool, mentioned)
        feasible = [v for v in ranked if v.feasible]
        if named and not single and not feasible:
            # Every named option fails a need: recommend one that meets them all.
            ranked = self.judge.rank(reading, needs, everyone, named)
            feasible = [v for v in ranked if v.feasible]
        if not feasible:
            return self._nothing_fits(ranked, needs)
        best = feasible[0]
        if not named and best.fit == 0 and not needs:
            return self._none(reading)
        runner_up = feasible[1] if len(feasible) > 1 else None
        shown_out = [v for v in ranked if not v.feasible and v.service.id in (named + mentioned)]
        if not shown_out and needs:
            # The one that would have been picked but for a need, if any.
            shown_out = [v for v in ranked if not v.feasible and v.fit >= best.fit][:1]
        return self._recommend(reading, best, runner_up, shown_out, named, needs)

    def _names_candidates(self, reading: Reading) -> bool:
        """Whether the services named are the options asked between ("lambda or fargate
        for…", "ECS, EKS or Batch?") rather than context ("lambda functions behind API
        Gateway in a short yaml template")."""
        spans = sorted((m.start, m.end) for m in reading.mentions if m.service in reading.known)
        return any(
            CANDIDATE_WORDS & set(reading.tokens[end:start])
            for (_, end), (start, _) in pairwise(spans)
        )

    def _recommend(
        self,
        reading: Reading,
        best: Verdict,
        runner_up: Verdict | None,
        ruled_out: list[Verdict],
        named: list[str],
        needs: Needs,
    ) -> Recommendation:
        service = best.service
        margin = best.score - runner_up.score if runner_up else 1.0
        split_by_rule = bool(ruled_out) and bool(needs)
        confidence = 0.95 if split_by_rule else min(0.95, 0.55 + margin)
        if named and len(named) >= 2 and not split_by_rule:
            confidence = min(confidence, 0.8)
        found = Recommendation(
            service,
            passes=list(best.passes),
            ruled_out=[Ruled(v.service, v.fails) for v in ruled_out],
            sources=self._decision_sources(service, ruled_out, needs),
            confidence=confidence,
            words_only=not named,
        )
        if named and service.id not in named:  # the options asked about fit less well
            out = {v.service.id for v in ruled_out}
            found.passed_over = [self.knowledge.services[s] for s in named if s not in out]
        docs = self.retriever.docs_about(service.id)
        if named == [service.id] and not ruled_out:  # about it: what the notes say
            hits = self.retriever.best_docs(self.retriever.content(reading), docs, 1)
            self._quote(found, [n for n, s in hits if s >= MIN_FACT_SCORE])
        elif service.from_notes:
            hits = self.retriever.best_docs(self.retriever.fit_query(reading), docs)
            self._quote(found, [n for n, s in hits[:2] if s >= hits[0][1] * 0.7])
        else:
            found.use_case = self._fit_reason(service, reading)
            # A statement of its notes that says what is asked ("QUEUED = runs one at a
            # time in order") says more than the use case it was picked for.
            hits = self.retriever.best_docs(self.retriever.content(reading), docs, 1)
            self._quote(found, [n for n, s in hits if s >= STRONG_STATEMENT])
            line = self._choice_lines.get((service.id, found.use_case))
            if line is not None and not found.quotes:
                # "monorepo, only run when … changes: CodePipeline V2 trigger with file path
                # filter": the notes' whole line says how, not only what it is for.
                found.quotes = [line.text]
                found.sources = [line.where, *found.sources]
        if reading.yes_no and named == [service.id]:
            found.verdict = "yes"
        elif reading.yes_no and len(named) == 1 and ruled_out:
            found.verdict = "no"
        if runner_up and margin < CLOSE_MARGIN:
            found.runner_up = runner_up.service
        return found

    def _quote(self, found: Recommendation, numbers: list[int]) -> None:
        """Quote these statements as why it fits, and cite where each one is."""
        docs = [self.retriever.docs[n] for n in numbers]
        found.quotes = self.retriever.quoted(docs)
        found.sources = [d.where for d in docs if d.where] + found.sources

    def _nothing_fits(self, ranked: list[Verdict], needs: Needs) -> NothingFits:
        closest = min(ranked, key=lambda v: (len(v.fails), -v.score))
        return NothingFits(
            ruled_out=[Ruled(v.service, v.fails) for v in ranked[:3]],
            closest=closest.service,
            sources=self._decision_sources(closest.service, ranked[:3], needs),
        )

    def _fit_reason(self, service: Service, reading: Reading) -> str:
        """The use case that best matches the question, to say why the service fits."""
        best, best_score = "", 0
        asked = set(reading.terms)
        for use_case in service.use_cases:
            overlap = len(asked & set(self.lexicon.terms(use_case)))
            if overlap > best_score:
                best, best_score = use_case, overlap
        return best

    def _decision_sources(
        self, service: Service, ruled_out: list[Verdict], needs: Needs
    ) -> list[str]:
        need_terms = [
            t
            for need, _ in needs
            for t in self.lexicon.terms(f"{need.trait} {need.id} {' '.join(need.phrases[:3])}")
        ]
        sources: list[str] = []
        for verdict in [*ruled_out, None]:
            target = verdict.service if verdict else service
            docs = self.retriever.docs_about(target.id)
            hits = self.retriever.best_docs(need_terms, docs, limit=1)
            if hits:
                sources.append(self.retriever.docs[hits[0][0]].where)
        return sources + service_sources(service)

    # --- facts -----------------------------------------------------------------------

    def _from_docs(self, service: Service, hits: list[tuple[int, float]]) -> FactFinding:
        top_score = hits[0][1]
        close = [n for n, score in hits if score >= top_score * SECOND_FACT_SHARE][:2]
        chosen = self.retriever.with_siblings(close)
        statements = self.retriever.quoted(chosen)
        owner = self.knowledge.services.get(chosen[0].services[0]) if chosen else None
        # "When to use: … faster failover" under RDS Proxy, asked of Aurora: whose it is.
        # Only a service's name says so; a concept's ("CI/CD: …") or a feature's does not.
        if owner is not None and owner.id != service.id and owner.kind == "service":
            named = {m.service for m in self.lexicon.names.find(statements[0])}
            if owner.id not in named:
                statements[0] = f"{owner.short}: {statements[0]}"
        return FactFinding(
            service,
            "statements",
            statements=statements,
            sources=[doc.where for doc in chosen],
            confidence=min(0.95, 0.5 + top_score / 12),
        )

    def _card(self, service: Service, confidence: float = 0.9) -> FactFinding:
        """What a service is, for 'what is X' or a bare service name."""
        first = service.facts[0] if service.facts else None
        return FactFinding(
            service,
            "card",
            statements=[first.text] if first else [],
            sources=self._fact_sources(service),
            confidence=confidence,
        )

    def _traits(self, reading: Reading, service: Service) -> FactFinding | None:
        """A yes or no on the traits a question asks about ("is dynamodb serverless")."""
        needs = [
            (self.judge.needs[n], None) for n in reading.needs if not self.judge.needs[n].parameter
        ]
        if not needs:
            return None
        verdict = self.judge.judge(service, needs)
        if not verdict.fails and not verdict.passes:
            return None
        docs = self.retriever.docs_about(service.id)
        hits = self.retriever.best_docs(self.retriever.content(reading), docs, 1)
        support = [self.retriever.docs[n] for n, score in hits if score >= MIN_FACT_SCORE]
        return FactFinding(
            service,
            "traits",
            statements=self.retriever.quoted(support),
            passes=verdict.passes,
            fails=verdict.fails,
            sources=[doc.where for doc in support] + service_sources(service),
            confidence=0.8,
        )

    def _fact_sources(self, service: Service) -> list[str]:
        first = [self.retriever.fact_where[f.id] for f in service.facts[:1]]
        return [where for where in first if where] + service_sources(service)

    # --- out of scope ----------------------------------------------------------------

    def _off_topic(self, reading: Reading) -> bool:
        """Another cloud ("azure functions"), or a word of another field ("recipe"),
        unless the question is plainly about a use case ("we used to be on heroku, is
        there a paas on aws that handles capacity, load balancing, health monitoring")."""
        said = {*reading.tokens, *words(reading.text)}
        other = reading.has(self.lexicon.other_clouds)
        if not other and not any(self.lexicon.is_off_topic(w) for w in said):
            return False
        return not self._plainly_a_use_case(reading)

    def _named_in_passing(self, reading: Reading) -> bool:
        """Whether the service the question fits best names, in its own knowledge, every
        uncovered service the question names: "sql over vpc flow logs sitting in s3" is
        Athena's ("analyze CloudTrail, load balancer or VPC flow logs stored in S3"), not
        a question about VPC."""
        if reading.yes_no or reading.asks_what:
            return False  # "is shield advanced worth it": asks about it, whoever names it
        if set(reading.unknown) <= reading.examples:
            return True  # "call aws services like sqs and kms without a nat": examples
        content = self.retriever.content(reading)
        best = self.retriever.fit_index.best(content, limit=1)
        if not best or len(self.retriever.fit_index.matched(content, best[0][0])) < MIN_NEED_TERMS:
            return False
        service = self.services[best[0][0]]
        return set(reading.unknown) <= self._names_in(service)

    def _names_in(self, service: Service) -> set[str]:
        """The services a service's summary, use cases and facts name."""
        texts = (service.summary, *service.use_cases, *(f.text for f in service.facts))
        return {m.service for text in texts for m in self.lexicon.names.find(text)}

    def _plainly_a_use_case(self, reading: Reading) -> bool:
        """Whether one service's use cases share so many of the question's terms that a
        stray word (an everyday one, another cloud's name, an AWS service the notes do
        not cover, named in passing) does not make it a question about something else."""
        content = self.retriever.content(reading)
        best = self.retriever.fit_index.best(content, limit=1)
        matched = self.retriever.fit_index.matched(content, best[0][0]) if best else set()
        return len(matched - self.lexicon.off_topic) >= OFF_TOPIC_OVERRULED_BY

    def _none(self, reading: Reading) -> NotAnswered:
        return NotAnswered("not_in_notes", suggestions=self._suggestions(reading))

    def _unsure(self, reading: Reading, finding: Finding) -> NotAnswered:
        """Too unsure to answer: say so, and offer the guess as a question to ask."""
        guess = getattr(finding, "service", None) or getattr(finding, "closest", None)
        suggestions = self._suggestions(reading)
        if isinstance(guess, Service):
            suggestions = [f"What is {guess.short}?", *suggestions]
        return NotAnswered("unsure", suggestions=list(dict.fromkeys(suggestions))[:3])

    def _about_a_covered_service(self, reading: Reading) -> FactFinding | None:
        """ "can aws batch plug into step functions": the notes do not cover Step
        Functions, but what they say of Batch may name it; then that is the answer."""
        if not reading.services:
            return None
        allowed = set().union(*(self.retriever.docs_about(s) for s in reading.services))
        for sid in reading.unknown:
            entry = self.knowledge.catalogue.entries.get(sid)
            if entry is None:
                continue
            wanted = set(self.lexicon.terms(entry.name)) - self.retriever.frame_terms
            query = self.retriever.content(reading) + sorted(wanted) * 2
            hits = [
                (n, score)
                for n, score in self.retriever.best_docs(query, allowed)
                if wanted <= self.retriever.fact_index.matched(wanted, n)
            ]
            if hits:  # told as what the statement is about: "Trusted Advisor: e.g. idle
                doc = self.retriever.docs[hits[0][0]]  # load balancers…", not "ALB: …"
                return self._from_docs(self.knowledge.subject(doc.services[0]), hits)
        return None

    def _not_in_notes(self, reading: Reading) -> NotAnswered:
        """A catalogued AWS service the knowledge does not cover, said by name."""
        entries = [self.knowledge.catalogue.entries.get(sid) for sid in reading.unknown]
        return NotAnswered(
            "missing_services",
            missing=[e.name for e in entries if e is not None],
            suggestions=self._suggestions(reading),
        )

    def _suggestions(self, reading: Reading) -> list[str]:
        """Up to three questions the knowledge can answer, near what was asked."""
        fit = self.retriever.fit_index.best(reading.terms, limit=3) if reading.terms else []
        suggestions = [f"What is {self.services[n].short}?" for n, _ in fit[:2]]
        for comparison in self.knowledge.comparisons:
            if len(suggestions) >= 3:
                break
            shorts = [self.knowledge.services[s].short for s in comparison.services[:2]]
            suggestions.append(f"{shorts[0]} vs {shorts[1]}")
        return suggestions[:3]


_WH_WORDS = frozenset({"what", "whats", "how", "where", "when", "why", "who"})
_AUXILIARIES = frozenset({"does", "do", "is", "are", "can", "will", "has", "have", "did"})


def _head_of(name: str) -> str:
    """The last word of a name of several words, singular ("Bedrock Agents" → "agent")."""
    written = name.lower().split()
    return singular(written[-1]) if len(written) > 1 else ""


def _side_by_side_at(tokens: list[str], compares: bool) -> int | None:
    """Where a question sets two things side by side: its "vs"; or, when it asks for a
    difference, the "and" of "between x and y" or the "or" of "x or y, whats the diff"."""
    if "vs" in tokens:
        return tokens.index("vs")
    if not compares:
        return None
    if "between" in tokens and "and" in tokens[tokens.index("between") :]:
        return tokens.index("and", tokens.index("between"))
    return tokens.index("or") if "or" in tokens else None


def _asks_of(reading: Reading, sid: str) -> bool:
    """ "what languages does elastic beanstalk support", "where do aws batch jobs run":
    a wh-question whose subject is the service asks one of its facts."""
    tokens = reading.tokens
    return any(
        m.service == sid
        and m.start > 1
        and tokens[m.start - 1] in _AUXILIARIES
        and _WH_WORDS & set(tokens[: m.start - 1])
        for m in reading.mentions
    )
