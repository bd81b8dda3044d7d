"""The rankers an evaluation compares, and ranking files.

Every ranker is a `Ranking` run through the live feed's scorer, `atelier.feed.scorer.rank`
(score, seen factor, author diversity, tie-breaking), on the as-of candidates. The simple
baselines are configurations of it: only the recency weight (`chronological`), only
engagement, uncapped (`popular`); their seen factor and diversity are neutral (1).

`hot` (Hacker News gravity, engagement / (age in hours + 2) ** 1.8) is no component of
the engine yet. ADAPTER, until it is: `hot_candidates` puts the hot value in the
candidates' `hearts` column (and zero in praise, trophies, comments), so the uncapped
engagement component of `rank` scores that value times the points of a heart (the same
factor for every post: the order is the hot order). The component to add to
atelier/feed/components.py would be
    points = raw / (hours_old + 2) ** hot_gravity,
    raw = components.engagement_raw (the configured points per reaction),
    hours_old = (now - created_at) / 3600,
with hot_gravity = 1.8 (a new RankingConfig field) and the weight `weight_hot` (0 by default).
"""

import json
import math
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from django.core.exceptions import ValidationError

from atelier.feed.components import NAMES, engagement_raw
from atelier.feed.config import Ranking, default_ranking
from atelier.feed.features import Candidates, Viewer
from atelier.feed.models import RankingConfig
from atelier.feed.scorer import rank

HOT_GRAVITY = 1.8
# The fields a ranking file may set: every number of the ranking but its version.
FILE_FIELDS = tuple(name for name in Ranking.__dataclass_fields__ if name != "version")
INTEGER_FIELDS = frozenset(
    name for name in FILE_FIELDS if Ranking.__dataclass_fields__[name].type is int
)
# The fields that change the order of a feed (not the cache lifetimes or the budget).
SCORING_FIELDS = tuple(
    name
    for name in FILE_FIELDS
    if name != "candidate_budget" and not name.endswith("_cache_seconds")
)


def hot_candidates(c: Candidates, r: Ranking, now: float) -> Candidates:
    """ADAPTER (see the module's doc): the hot value, from `r`'s engagement, in the `hearts`
    column."""
    hours = (now - c.created_at) / 3600.0
    raw = engagement_raw(c, r)
    zero = np.zeros(len(c), dtype=np.float64)
    return replace(
        c, hearts=raw / (hours + 2.0) ** HOT_GRAVITY, praise=zero, trophies=zero, comments=zero
    )


@dataclass(frozen=True)
class Ranker:
    name: str
    ranking: Ranking
    hot: bool = False  # through the hot adapter

    def order(self, c: Candidates, v: Viewer, now: float) -> np.ndarray:
        """Indices of `c` in the ranker's order."""
        if self.hot:
            c = hot_candidates(c, self.ranking, now)
        return rank(c, v, self.ranking, now)[1].order


def only(weights: dict[str, float], **fields) -> Ranking:
    """docs/api.md's ranking with every weight 0 but `weights`, seen and diversity neutral."""
    zero = {f"weight_{name}": 0.0 for name in NAMES}
    zero.update({f"weight_{name}": w for name, w in weights.items()})
    neutral = {"seen_factor": 1.0, "diversity_decay": 1.0, "diversity_floor": 1.0}
    return replace(default_ranking(), **zero, **neutral, **fields)


def baselines() -> list[Ranker]:
    default = default_ranking()
    kept = ("recency", "engagement", "collective")
    return [
        Ranker("chronological", only({"recency": 1.0})),
        Ranker("popular", only({"engagement": 1.0}, engagement_cap=math.inf)),
        Ranker("hot", only({"engagement": 1.0}, engagement_cap=math.inf), hot=True),
        # The "recency + engagement + collective": docs/api.md's weights for those three.
        Ranker(
            "rec+eng+coll",
            replace(default, **{f"weight_{n}": 0.0 for n in NAMES if n not in kept}),
        ),
        Ranker("default", default),
    ]


class RankingFileError(ValueError):
    pass


def read_ranking_file(path: str | Path) -> dict:
    """The fields of a ranking file: `{"ranking": {field: number, ...}, ...}`.

    Only FILE_FIELDS may appear in "ranking"; other top-level keys ("about": what wrote it)
    are kept for people and ignored. Errors name the file and the field.
    """
    try:
        data = json.loads(Path(path).read_text())
    except OSError as error:
        raise RankingFileError(f"cannot read {path}: {error.strerror or error}") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise RankingFileError(f"{path} is not JSON: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("ranking"), dict):
        raise RankingFileError(
            f'{path}: expected a JSON object with a "ranking" object of fields, '
            f'e.g. {{"ranking": {{"weight_recency": 0.2}}}}'
        )
    fields = data["ranking"]
    unknown = sorted(set(fields) - set(FILE_FIELDS))
    if unknown:
        raise RankingFileError(
            f"{path}: unknown field(s) {', '.join(unknown)}; known: {', '.join(FILE_FIELDS)}"
        )
    for name, value in fields.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise RankingFileError(f"{path}: {name} must be a number, not {value!r}")
        if not math.isfinite(value):
            raise RankingFileError(f"{path}: {name} must be finite")
        if name in INTEGER_FIELDS and value != int(value):
            raise RankingFileError(f"{path}: {name} must be a whole number, not {value!r}")
    return dict(fields)


def validated_row(row: RankingConfig, fields: dict, source: str) -> RankingConfig:
    """`row` with `fields` set, checked by the model's validators (ranges, integers)."""
    for name, value in fields.items():
        setattr(row, name, value)
    try:
        row.clean_fields(exclude=["updated_at"])
        row.clean()
    except ValidationError as error:
        details = (
            "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            if hasattr(error, "error_dict")
            else " ".join(error.messages)
        )
        raise RankingFileError(f"{source}: {details}") from error
    return row


def ranking_from_file(path: str | Path) -> Ranking:
    """A file's ranking over docs/api.md's defaults (fields it leaves out keep the default)."""
    fields = read_ranking_file(path)
    row = validated_row(RankingConfig(), fields, str(path))
    return replace(default_ranking(), **{name: getattr(row, name) for name in fields})


def ranking_file(ranking: Ranking, about: dict) -> dict:
    """The JSON a ranking is written as (what `atelier load_ranking` reads)."""
    return {
        "ranking": {name: getattr(ranking, name) for name in SCORING_FIELDS},
        "about": about,
    }
