"""Every threshold the answer engine decides by, in one place.

Chosen on the tuning sets only: tests/data/questions.yaml (the project's own set),
the `tune` halves of tests/data/dev (the independent writer's 150 questions), fresh,
chat2, chat3, chat4, chat5 and chat6 (blind writers), tests/data/chat/tune.yaml, and
the tuned new-note topics (networking, storage, messaging, migration, governance,
databases, devtools, analytics, observability, contact, partnerdata, webhosting, keys,
meshnet, collab, search, fsx, modernize, langai, industrial, genai, mlplatform, dbperf,
devplat, lookout, insights, secrets, bigdata, vehicles, loadbal, silicon, s3extras,
k8sextras). The check halves and the untuned note topics (security, ml, appint, iot,
resilience, media, hpc, edge, cost, identity, containers2, enduser, frontend, desktops,
gamelift, health, frontier, aiapps, datagov, workflows, compliance, aidev, nosql,
accounts, ec2buy, secops, hybridnet, opsreview, dataprotect, transfer, streaming,
broadcast, opsmgmt, netdiag, dataint, dbmigrate, mlops) are never used to pick them;
scripts/score.py prints both.
"""

from __future__ import annotations

# Lexical evidence (BM25 scores over the facts and the services' use cases).
MIN_COVERAGE = 0.6  # share of a question's weighted terms the knowledge must know
MIN_OPEN_COVERAGE = 0.4  # share a question naming no service nor need must have known
MIN_FACT_SCORE = 1.5  # a fact hit this strong answers a question about no named service
MIN_FIT = 4.0  # a use-case match this strong may add an unnamed service to named ones
MIN_FIT_SCORE = 7.0  # two shared terms this strong put a question in scope
MIN_TELLING_WEIGHT = 2.5  # IDF weight a short question needs to be in scope
FACT_COORDINATION = 0.5  # a fact covering more of the question's terms ranks higher
FACT_PROXIMITY = 0.25  # share of a term's weight a fact gains per two asked terms side by side
NOTE_WEIGHT = 0.8  # a raw note statement counts a little less than a curated fact
QUANTITY_BOOST = 1.6  # a statement giving the kind of quantity asked ("how long": hours)
ASKED_TERM_WEIGHT = 1.5  # the thing a "what X…" question asks for counts this much more
NAME_WORD_WEIGHT = 0.5  # a word said with a service's name ("sns topic") counts this much
MIN_SOURCE_OVERLAP = 2  # shared terms that tie a curated fact to one line of its note

# Judgement (a candidate's score is its fit, 0..1, plus these).
OUT_OF_SCOPE_PENALTY = 0.25  # a hard need a service's kind does not cover
SOFT_PASS = 0.25  # meets a soft need (events, schedules, a predictable price)
HARD_PASS = 0.1  # meets a hard need (every feasible candidate does)
CONDITIONAL_PASS = 0.5  # share of a pass when the need is met only on a stated condition
SOFT_FAIL = 0.05  # misses a soft need
CLOSED_PENALTY = 0.5  # a service closed to new customers, not asked about by name
NAMED_BONUS = 0.3  # a named candidate that meets every need is what was asked about
ALTERNATIVE_BONUS = 0.25  # the alternative the knowledge gives to a named one that fails
WIDEN_SHARE = 0.7  # a service named as context fits at most this share of the best: add it
CANDIDATE_WIDEN_SHARE = 0.5  # options give way to a service fitting twice as well, names aside
RUNNER_FIT_SHARE = 0.7  # a duration is a run length if a code runner fits this near the best
CLOSE_MARGIN = 0.12  # runner-up this close: suggest the comparison
MIN_NEED_TERMS = 3  # a question that names a service states a need in at least this many terms
OFF_TOPIC_OVERRULED_BY = 5  # use-case terms one service shares that outweigh an everyday word
NOT_FOR_SHARED = 2  # terms a question shares with what a named service is not for, and
NOT_FOR_SHARE = 0.4  # the share of that phrase's meaning they carry, to rule the service out
STATEMENT_COVERS = 0.8  # a named service's statement with this share of the asked terms is
# what a question about it asks, whichever service its words fit best
STRONG_STATEMENT = 9.0  # a recommended service's statement this close to the question is quoted
FACT_MARGIN = 0.5  # how much better another service must fit a question that asks a fact

# Confidence (calibrated: the chance an answer is right, see calibration.py).
WORDS_ONLY_CEILING = 0.75  # most an answer on shared words alone may claim (out of scope < 0.8)
MIN_ANSWER_CONFIDENCE = 0.15  # below this the engine says it cannot tell, and suggests

SIDE_CANDIDATES = 5  # statements looked at for each side of "x vs y", a definition first
SIDE_SHARE = 0.7  # a second statement on one side of "x vs y" this close to its best is quoted
SECOND_FACT_SHARE = 0.5  # a second fact this close to the best is quoted with it
SIBLING_REACH = 1  # a quoted note sentence brings this many neighbours on each side
MAX_LIST_MATES = 4  # an item of a list this short is quoted with the rest of the list
SUB_POINT_REACH = 2  # a quoted bullet brings this many of its sub-points
MAX_TOPIC_WORDS = 6  # a longer heading is a sentence, not the name of a part of a service
MAX_PICKS = 2  # "pick X for …" lines per service in a comparison
MAX_SIDE_BY_SIDE = 4  # sentences quoted from a note's section comparing two services
ANSWER_LIMIT = 900  # characters of answer text
