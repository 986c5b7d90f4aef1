"""Comparing named services: a curated comparison when there is one, else what the
notes say sets them apart (a table, a section written for the pair, contrasting lines)
and what their traits do.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.core.answering.findings import ComparisonFinding
from bot.core.answering.reader import COMPARE_CUES, Lexicon, Reading
from bot.core.answering.retrieval import Retriever, service_sources
from bot.core.answering.thresholds import MAX_PICKS, MAX_SIDE_BY_SIDE, SIDE_SHARE
from bot.core.knowledge.loader import Comparison, Knowledge, Need
from bot.core.knowledge.model import Service
from bot.core.knowledge.notes import NoteTable
from bot.core.knowledge.text import words


class Comparer:
    def __init__(
        self,
        knowledge: Knowledge,
        lexicon: Lexicon,
        retriever: Retriever,
        needs: dict[str, Need],
    ) -> None:
        self.knowledge = knowledge
        self.lexicon = lexicon
        self.retriever = retriever
        self.needs = needs  # the judge's, for the trait differences
        self._cue_terms = frozenset(t for cue in COMPARE_CUES for t in lexicon.terms(cue))
        # Where each curated comparison sits in its note, worked out once per load.
        self.where = {c.id: retriever.where(c.source, c.summary) for c in knowledge.comparisons}

    def _find_comparison(self, pair: set[str]) -> Comparison | None:
        matches = [c for c in self.knowledge.comparisons if pair <= set(c.services)]
        return min(matches, key=lambda c: len(c.services), default=None)

    def compare(self, reading: Reading, named: list[str]) -> ComparisonFinding:
        """Two or three named services side by side: a curated comparison, else what
        the notes and the traits say sets them apart."""
        pair = named[:3] if len(named) > 2 else named[:2]
        services = [self.knowledge.services[s] for s in pair]
        entry = self._find_comparison(set(pair))
        if entry is not None:
            found = ComparisonFinding(services, confidence=0.95)
            if len(entry.services) == len(pair):
                found.summary = entry.summary
                found.points = list(entry.points[:3])
            else:  # an entry on more services: only what it says of these
                found.summary = None
                found.points = [p for p in map(self._only_about(pair), entry.points) if p][:3]
            found.picks = [
                (self.knowledge.services[sid], when)
                for sid, when in entry.choose.items()
                if sid in pair
            ]
            found.sources = [self.where[entry.id]]
            return found
        found = ComparisonFinding(services)
        # What each is for first: "Route 53 is DNS; CloudFront is a CDN" is the answer to
        # most "X vs Y" asked without a curated comparison; then what sets them apart.
        # Asked on one point ("… pricing, how do they differ"), what the notes say on it
        # comes first.
        aspect = set(self._aspect(reading))
        notes_points, found.sources = self._notes_differences(services, reading, aspect)
        found.points = [f"{s.short}: {s.summary}" for s in services]
        found.points += self._trait_differences(services)
        on_point = any(aspect & set(self.lexicon.terms(p.split(":")[0])) for p in notes_points)
        found.points = notes_points + found.points if on_point else found.points + notes_points
        found.picks = self._note_picks(services)
        found.sources += [src for s in services for src in service_sources(s)]
        return found

    def _only_about(self, sids: list[str]) -> Callable[[str], str]:
        """A comparison point cut to the clauses about these services: "Location: Outposts
        in your data center; Local Zones in metro sites" keeps Local Zones' clause."""

        def cut(point: str) -> str:
            label, _, body = point.partition(": ")
            if not body or ";" not in body:
                label, body = "", point
            clauses = [
                clause
                for clause in body.split(";")
                if any(m.service in sids for m in self.lexicon.names.find(clause))
            ]
            text = "; ".join(c.strip() for c in clauses)
            return f"{label}: {text}" if label and text else text

        return cut

    def _aspect(self, reading: Reading) -> list[str]:
        """What a comparison is asked on, besides the services: "pricing" in "lightsail
        vs app runner pricing, how do they differ"."""
        return [t for t in self.retriever.content(reading) if t not in self._cue_terms]

    def _notes_differences(
        self, services: list[Service], reading: Reading, aspect: set[str]
    ) -> tuple[list[str], list[str]]:
        """What the notes say sets the services apart: rows of a table that lays them
        side by side (the rows on the point asked first), else statements on a point both
        are described by ("transitive")."""
        ids = [s.id for s in services]
        # A line the notes wrote to set these very services apart ("**GDB vs AF**: …")
        # says it first, before the rows of a table.
        led = self.retriever.under_lead.get(frozenset(ids), [])[:MAX_SIDE_BY_SIDE]
        lines, sources = self._table_rows(ids, reading, aspect)
        if led:
            return self.retriever.quoted(led) + lines, [d.where for d in led] + sources
        if lines:
            return lines, sources
        side_by_side = self.retriever.under_heading.get(frozenset(ids), [])
        if side_by_side:  # a section the notes wrote to compare them ("SNS vs SQS")
            docs = side_by_side[:MAX_SIDE_BY_SIDE]
        else:
            docs = [self.retriever.docs[n] for n in self._contrasting_docs(ids, reading)]
        return self.retriever.quoted(docs), [doc.where for doc in docs]

    def _table_rows(
        self, ids: list[str], reading: Reading, aspect: set[str]
    ) -> tuple[list[str], list[str]]:
        """The rows of a table that lays the services side by side (the rows on the point
        asked first), and where it is; nothing when no table holds them all."""
        for table in self.knowledge.note_index.tables:
            if not set(ids) <= set(table.services):
                continue
            columns = [self._column(table, sid, reading) for sid in ids]
            rows = sorted(table.rows, key=lambda row: not aspect & set(self.lexicon.terms(row[0])))
            lines = []
            for row_label, values in rows[:6]:
                cells = [
                    f"{self.knowledge.services[sid].short} {values[c]}"
                    for sid, c in zip(ids, columns, strict=True)
                    if c < len(values)
                ]
                lines.append(f"{row_label}: {'; '.join(cells)}")
            return lines, [f"{table.file}:{table.line}"]
        return [], []

    def _column(self, table: NoteTable, sid: str, reading: Reading) -> int:
        """Where a service is in a table: of the places it holds ("Aurora provisioned",
        "Aurora Serverless v2"), the one whose label shares most with the question."""
        places = [n for n, s in enumerate(table.services) if s == sid]
        asked = set(reading.tokens)
        return max(
            places,
            key=lambda n: (
                len(asked & set(words(table.labels[n]))) if n < len(table.labels) else 0,
                -n,
            ),
        )

    def _note_picks(self, services: list[Service]) -> list[tuple[Service, str]]:
        """The notes' own advice on when to pick each ("need → service" lines)."""
        ids = [s.id for s in services]
        picks = []
        for choice in self.knowledge.note_index.choices:
            picked = [sid for sid in choice.services if sid in ids]
            if len(picked) == 1 and sum(s.id == picked[0] for s, _ in picks) < MAX_PICKS:
                picks.append((self.knowledge.services[picked[0]], choice.need))
        return picks

    def _contrasting_docs(self, ids: list[str], reading: Reading) -> list[int]:
        """For each service, its statement on the most telling point the notes describe
        both services by, or on what the question asks."""
        index = self.retriever.fact_index
        term_sets = {
            sid: {t for n in self.retriever.docs_about(sid) for t in index.doc_terms[n]}
            for sid in ids
        }
        names = {t for sid in ids for t in self.retriever.own_terms.get(sid, set())}
        shared = set.intersection(*term_sets.values()) - names - self.retriever.frame_terms
        point = max(sorted(shared), key=index.term_weight, default=None)  # ties: first a-z
        query = self.retriever.content(reading) + ([point] * 2 if point else [])
        chosen: list[int] = []
        for sid in ids:
            mine = {
                n
                for n in self.retriever.docs_about(sid)
                if self.retriever.docs[n].services[0] == sid
            }
            hits = self.retriever.best_docs(query, mine, limit=2)
            chosen += [n for n, score in hits if score >= hits[0][1] * SIDE_SHARE]
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
                lines.append("; ".join(verdicts))
        return lines[:3]
