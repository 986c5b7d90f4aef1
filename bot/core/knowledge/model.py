"""The service model every part of the core shares: a service, its facts and relations.

Kept apart from the loader so that services built from YAML and services discovered in
the notes are one type, made in either place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The trait of a service AWS no longer sells to new customers (its trait note says since
# when and what to use instead): answers say so and never recommend it for new work.
CLOSED_TO_NEW_CUSTOMERS = "closed_to_new_customers"


@dataclass(frozen=True)
class Fact:
    id: str
    service: str
    text: str
    about: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Relation:
    kind: str
    service: str
    text: str


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    short: str
    aliases: tuple[str, ...]
    stands_for: str | None
    category: str
    summary: str
    traits: dict[str, object]
    facts: tuple[Fact, ...]
    use_cases: tuple[str, ...]
    not_for: tuple[str, ...]
    relations: tuple[Relation, ...]
    path: str
    from_notes: bool = False  # built from the notes alone: traits not stated are unknown
    # How a true trait holds when it holds only one way: serverless "on Fargate".
    trait_notes: dict[str, str] = field(default_factory=dict)
    # "service", or what it is instead: a "feature" of another service, a "tool", a "concept"
    kind: str = "service"

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.source for f in self.facts))
