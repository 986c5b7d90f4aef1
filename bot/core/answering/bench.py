"""`python -m bot bench`: load, index and answer timings, against a naive fuzzy baseline.

Performance goals are checked here, by numbers printed in one run, rather than by timed
tests that flake on a busy machine.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.core.answering.engine import Engine
from bot.core.answering.engine_cache import load_engine, paused_gc
from bot.core.answering.evaluate import load_cases
from bot.core.cache_folder import code_digest
from bot.core.knowledge.loader import Fact, Knowledge, load_knowledge
from bot.core.knowledge.parse_cache import ParseCache

QUESTIONS_FILE = Path(__file__).resolve().parents[3] / "tests" / "data" / "questions.yaml"


def bench_questions(knowledge: Knowledge, count: int = 1000) -> list[str]:
    """At least `count` realistic questions built from the knowledge and the test set."""
    questions: list[str] = []
    if QUESTIONS_FILE.exists():
        questions += [case.question for case in load_cases(QUESTIONS_FILE)]
    services = list(knowledge.services.values())
    rng = random.Random(7)
    templates = [
        "what is {s}",
        "{s} max memory?",
        "what does {s} cost",
        "{s} vs {t}",
        "difference between {s} and {t}",
        "which service should I use to {u}",
        "{u} for a {n} hour job",
        "{s} or {t} to {u}",
        "{s} limits??",
        "how tall is mount {w}",
    ]
    while len(questions) < count:
        s, t = rng.sample(services, 2)
        use = rng.choice(s.use_cases or (s.summary,))
        template = rng.choice(templates)
        questions.append(
            template.format(s=s.short, t=t.short, u=use, n=rng.randint(1, 30), w=s.short)
        )
    return questions


def grow(knowledge: Knowledge, total_facts: int, seed: int = 11) -> Knowledge:
    """A knowledge base with `total_facts` facts: the real ones plus generated ones made
    from the real vocabulary, so the index sees realistic term frequencies."""
    rng = random.Random(seed)
    vocabulary = sorted({w for f in knowledge.facts for w in f.text.split() if w.isalpha()})
    services = dict(knowledge.services)
    ids = list(services)
    extra: dict[str, list[Fact]] = {sid: [] for sid in ids}
    needed = total_facts - len(knowledge.facts)
    for number in range(max(0, needed)):
        sid = ids[number % len(ids)]
        text = " ".join(rng.choices(vocabulary, k=rng.randint(8, 18)))
        extra[sid].append(Fact(f"{sid}-gen-{number}", sid, text, (), "general"))
    for sid in ids:
        service = services[sid]
        services[sid] = dataclasses.replace(service, facts=service.facts + tuple(extra[sid]))
    return dataclasses.replace(knowledge, services=services)


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return p50 * 1000, p99 * 1000


def _time_each(answer: Callable[[str], object], questions: list[str]) -> tuple[float, float]:
    samples = []
    for question in questions:
        started = time.perf_counter()
        answer(question)
        samples.append(time.perf_counter() - started)
    return _percentiles(samples)


def _naive(knowledge: Knowledge) -> Callable[[str], object]:
    texts = [fact.text for fact in knowledge.facts]
    return lambda question: process.extractOne(question, texts, scorer=fuzz.WRatio)


def _ask_process(cache: Path) -> tuple[float, float]:
    """Wall time (s) and peak resident memory (MB) of a separate `python -m bot ask`,
    start to finish: interpreter, imports, knowledge (built, or from the engine cache in
    `cache`) and the answer.

    Linux counts the forked child's size before exec, so this runs first, while the
    benchmark process is still small; the memory figure is an upper bound."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot", "ask", "batch or lambda for a 2 hour job?"],
        check=True,
        capture_output=True,
        env={**os.environ, "XDG_CACHE_HOME": str(cache)},
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def _cached_start(cache: str) -> float:
    """Milliseconds to get the shipped engine from the cache the `ask` runs wrote."""
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = cache
    try:
        started = time.perf_counter()
        load_engine()
        return 1000 * (time.perf_counter() - started)
    finally:
        if saved is None:
            del os.environ["XDG_CACHE_HOME"]
        else:
            os.environ["XDG_CACHE_HOME"] = saved


def _timed_build(parsed_file: str | None) -> tuple[float, float]:
    """Milliseconds to load and to index the knowledge, as a start builds it; with
    `parsed_file`, the YAML files and the catalogue come from that parse cache."""
    parsed = ParseCache(Path(parsed_file), code_digest()) if parsed_file else None
    with paused_gc():
        started = time.perf_counter()
        knowledge = load_knowledge(parsed=parsed)
        loaded = time.perf_counter()
        Engine(knowledge)
        indexed = time.perf_counter()
    return 1000 * (loaded - started), 1000 * (indexed - loaded)


def _best_build(parsed_file: str | None, runs: int = 3) -> tuple[float, float]:
    """The quickest of `runs` of `_timed_build`, each in a fresh interpreter: a second
    build in one process would reuse the first one's word and stem caches."""
    context = multiprocessing.get_context("spawn")
    timings = []
    for _ in range(runs):
        with context.Pool(1) as pool:
            timings.append(pool.apply(_timed_build, (parsed_file,)))
    return min(timings, key=sum)


def run(size: int = 100_000, count: int = 1000, naive_sample: int = 200) -> str:
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as cache:
        cold_seconds, ask_peak = _ask_process(Path(cache))  # builds and writes the cache
        ask_seconds, _ = _ask_process(Path(cache))
        cached_ms = _cached_start(cache)
        # The `ask` runs left the parse cache a start finds once a note is added.
        load_ms, index_ms = _best_build(None)
        after_note = sum(_best_build(str(Path(cache) / "cloudnotes" / "parsed.pickle")))
    knowledge = load_knowledge()
    engine = Engine(knowledge)
    lines.append(
        f"shipped knowledge: {len(knowledge.facts)} facts, {len(knowledge.notes)} note "
        f"statements; load {load_ms:.1f} ms, index {index_ms:.1f} ms with nothing cached "
        f"(best of 3 starts); "
        f"{after_note:.1f} ms once a note is added (YAML files and catalogue from the "
        f"parse cache, every note read again); {cached_ms:.1f} ms with nothing changed "
        f"(the engine cache)"
    )
    questions = bench_questions(knowledge, count)
    _time_each(engine.answer, questions[:100])  # warm caches, as a running bot has them
    ours = _time_each(engine.answer, questions)
    naive = _time_each(_naive(knowledge), questions)
    lines.append(
        f"  engine  p50 {ours[0]:.3f} ms  p99 {ours[1]:.3f} ms  over {len(questions)} questions"
    )
    lines.append(f"  naive   p50 {naive[0]:.3f} ms  p99 {naive[1]:.3f} ms  (WRatio extractOne)")

    started = time.perf_counter()
    big = grow(knowledge, size)
    big_engine = Engine(big)
    built = time.perf_counter() - started
    lines.append(f"generated knowledge: {len(big.facts)} facts; build and index {built:.2f} s")
    big_ours = _time_each(big_engine.answer, questions)
    sample = questions[:naive_sample]
    big_naive = _time_each(_naive(big), sample)
    lines.append(f"  engine  p50 {big_ours[0]:.3f} ms  p99 {big_ours[1]:.3f} ms")
    lines.append(
        f"  naive   p50 {big_naive[0]:.3f} ms  p99 {big_naive[1]:.3f} ms  "
        f"(over {len(sample)} questions)"
    )
    lines.append(
        f"  ratio naive/engine: p50 x{big_naive[0] / big_ours[0]:.1f}, "
        f"p99 x{big_naive[1] / big_ours[1]:.1f}"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines.append(f"peak memory of this benchmark process: {peak:.0f} MB")
    lines.append(
        f"one-question `python -m bot ask`: {ask_seconds:.2f} s start to finish "
        f"({cold_seconds:.2f} s on the first run, which builds the engine cache), "
        f"peak memory {ask_peak:.0f} MB (upper bound)"
    )
    return "\n".join(lines)
