"""A simulated 培训台账 for given 街镇 (the loop demo: the inspection's training items pre-filled).

The demo's training stage grades real submissions of its own sample roster, whose 街镇
(:data:`toolkit.training.course.simulate.SAMPLE_TOWNS`) are not those of the inspection's sample city.  For
the loop, :func:`sample_town_roster` invents trainees for the city's 街镇 — 街镇 staff and one
cadre per 村居, 岗位 from :mod:`toolkit.policy.audiences` — and :func:`simulated_stats` invents their
results on the planned exercises, deterministic in the seed, through the same tables as
``jiuzhu course report`` (:func:`toolkit.training.analytics.analytics.stats_from`); write them with
:func:`toolkit.training.analytics.ledger.write_ledger`.  Everything is marked 示例数据 (``Roster.sample``).
"""

from __future__ import annotations

import hashlib
import random
from datetime import datetime

from toolkit.policy.audiences import ROLES, TOWN_STAFF, VILLAGE_CADRE
from toolkit.training.analytics.analytics import TrainingStats, stats_from
from toolkit.training.course.roster import Roster, Trainee
from toolkit.training.course.simulate import GIVEN, SURNAMES

VILLAGE_SUFFIXES = ("东村", "西村", "南社区", "北社区", "中心村")
TOWN_OFFICE = "街镇机关"
"""The 村居 column of a 街镇 staff member (the roster requires one)."""
MAX_SCORE = 10.0
PROFILES = (("all", 0.5), ("partial", 0.3), ("none", 0.2))
"""How a 街镇's cadres took part: every 村居, some, none (weights)."""


def _rng(seed: int, *parts: object) -> random.Random:
    digest = hashlib.sha256("|".join(map(str, (seed, *parts))).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        if name not in used:
            used.add(name)
            return name


def sample_town_roster(towns: list[str], seed: int = 2019) -> Roster:
    """Per 街镇: one or two staff (岗位 of :data:`TOWN_STAFF`) and one cadre per invented 村居 (2–4)."""
    staff_roles = [r for r, a in ROLES.items() if a == TOWN_STAFF and r != TOWN_STAFF]
    cadre_roles = [r for r, a in ROLES.items() if a == VILLAGE_CADRE and r != VILLAGE_CADRE]
    trainees, used = [], set()
    for town in towns:
        rng = _rng(seed, "roster", town)
        people = [(TOWN_OFFICE, rng.choice(staff_roles)) for _ in range(rng.choice((1, 2)))]
        people += [(town[:2] + suffix, rng.choice(cadre_roles))
                   for suffix in VILLAGE_SUFFIXES[:rng.randint(2, 4)]]
        for village, role in people:
            trainees.append(Trainee(f"sc{len(trainees) + 1:04d}", _name(rng, used), town, village, role))
    return Roster(tuple(trainees), sample=True)


def simulated_stats(roster: Roster, assignments: list[str], seed: int = 2019, pass_rate: float = 0.6) -> TrainingStats:
    """Invented results of every trainee on ``assignments`` (one to all of them, or none)."""
    submissions = []
    for town in dict.fromkeys(t.town for t in roster.trainees):
        rng = _rng(seed, "profile", town)
        profile = rng.choices([p for p, _ in PROFILES], weights=[w for _, w in PROFILES])[0]
        cadres = [t for t in roster.trainees if t.town == town and ROLES.get(t.role) != TOWN_STAFF]
        absent = {t.id for t in cadres} if profile == "none" else (
            {t.id for t in rng.sample(cadres, min(len(cadres), max(1, len(cadres) // 2)))} if profile == "partial" else set())
        for t in roster.trainees:
            if t.town != town:
                continue
            person = _rng(seed, "person", t.id)
            if t.id in absent or (ROLES.get(t.role) == TOWN_STAFF and person.random() < 0.25):
                continue
            for index, assignment in enumerate(assignments):
                if index and person.random() < 0.2:
                    continue                                 # the first exercise at least
                passed = person.random() < 0.75
                score = float(person.randint(6, 10) if passed else person.randint(0, 5))
                submissions.append({
                    "student": t.id, "assignment": assignment, "score": score, "max_score": MAX_SCORE,
                    "timestamp": datetime(2019, person.randint(3, 10), person.randint(1, 28), person.randint(1, 9)),
                    "late_seconds": 0.0, "needs_manual": False})
    return stats_from(list(assignments), submissions, [], roster, pass_rate=pass_rate)
