"""API.md's ranking formula, defined once: SQL expressions, the bound, diversity and reasons.

Read it next to API.md's table. Each component is computed in points by the database
(`component_expressions`), weighted and summed (`score_expression`), halved for seen
posts, then author diversity is applied in Python over the ranked list (`apply_diversity`).
"""

import math
from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Case,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    OuterRef,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Exp, Least

from atelier.feed.config import Ranking
from atelier.feed.inputs import FeedInputs
from atelier.post.models import SeenPost

COMPONENTS = (
    "recency",
    "social",
    "interaction",
    "engagement",
    "collective",
    "post_type",
    "recent_boost",
    "artist_type",
)
_FLOAT = FloatField()


class HoursBetween(Func):
    """(later - earlier) in hours, as a double, to the microsecond on PostgreSQL and SQLite."""

    output_field = _FLOAT
    arity = 2

    def _operands(self, compiler):
        later_sql, later_params = compiler.compile(self.source_expressions[0])
        earlier_sql, earlier_params = compiler.compile(self.source_expressions[1])
        return later_sql, earlier_sql, (*later_params, *earlier_params)

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL
        later, earlier, params = self._operands(compiler)
        return f"(EXTRACT(EPOCH FROM ({later} - {earlier}))::double precision / 3600.0)", params

    def as_sqlite(self, compiler, connection, **extra):
        # julianday() keeps only milliseconds; Django stores "YYYY-MM-DD HH:MM:SS[.ffffff]",
        # so whole seconds come from strftime('%s') and the fraction from the text itself.
        # Each operand appears twice in the SQL, so its parameters are given twice.
        later_sql, later_p = compiler.compile(self.source_expressions[0])
        earlier_sql, earlier_p = compiler.compile(self.source_expressions[1])

        def epoch(sql: str) -> str:
            whole = f"CAST(strftime('%%s', substr({sql}, 1, 19)) AS REAL)"
            return f"({whole} + CAST(substr({sql}, 20) AS REAL))"

        sql = f"(({epoch(later_sql)} - {epoch(earlier_sql)}) / 3600.0)"
        return sql, (*later_p, *later_p, *earlier_p, *earlier_p)


class AuthorLookup(Func):
    """CASE author_id WHEN a1 THEN v1 WHEN a2 THEN v2 ... ELSE NULL END, for a per-author input.

    Written as one simple CASE with plain parameters: hundreds of authors would otherwise
    cost hundreds of When() expressions for the ORM to resolve on every ranking.
    """

    def __init__(self, mapping: dict, output_field, **extra):
        self.mapping = sorted(mapping.items())
        super().__init__(F("author_id"), output_field=output_field, **extra)

    def as_sql(self, compiler, connection, **extra):
        column, column_params = compiler.compile(self.source_expressions[0])
        adapt = self.output_field.get_db_prep_value
        authors = [a for a, _ in self.mapping]
        values = [adapt(v, connection) for _, v in self.mapping]
        if connection.vendor == "postgresql":
            # Two array parameters and a lookup in C, instead of two parameters per author.
            kind = "timestamptz" if isinstance(self.output_field, DateTimeField) else "float8"
            sql = f"((%s::{kind}[])[array_position(%s::bigint[], {column})])"
            return sql, (values, authors, *column_params)
        whens = " ".join("WHEN %s THEN %s" for _ in self.mapping)
        params = [p for pair in zip(authors, values, strict=True) for p in pair]
        return f"(CASE {column} {whens} ELSE NULL END)", (*column_params, *params)


def _float(value: float) -> Value:
    return Value(float(value), output_field=_FLOAT)


def _when_in(field: str, ids, then) -> Case:
    """CASE WHEN field IN ids THEN then ELSE 0 (just 0 when ids is empty)."""
    if not ids:
        return _float(0.0)
    lookup = "in" if "__" in field else "in_ids"  # id columns: see atelier/feed/lookups.py
    return Case(When(**{f"{field}__{lookup}": sorted(ids)}, then=then), default=_float(0.0))


def post_type_points(r: Ranking, inputs: FeedInputs) -> dict[str, float]:
    """Points per post type: preferred types get the full points; my top N types min(n, cap).

    Ties among equally-used types are broken by type name, so the choice is deterministic.
    """
    used = sorted(
        ((n, t) for t, n in inputs.type_interactions.items() if n > 0), key=lambda x: (-x[0], x[1])
    )
    points = {t: min(float(n), r.post_type_cap) for n, t in used[: r.post_type_top_n]}
    for t in inputs.preferred_post_types:
        points[t] = r.preferred_post_type_points
    return points


def recent_boost_authors(r: Ranking, inputs: FeedInputs, now: datetime) -> dict[int, datetime]:
    """Authors I appreciated within the boost window, with when I last did."""
    window = r.recent_boost_days * 86400.0
    return {a: t for a, t in inputs.author_latest.items() if (now - t).total_seconds() < window}


def component_expressions(r: Ranking, inputs: FeedInputs, now: datetime) -> dict:
    """One SQL expression per component, in points, for a Post queryset."""
    now_value = Value(now)
    hours_old = HoursBetween(now_value, F("created_at"))

    # Authors grouped by how often I appreciated them: a few hashed IN lists (counts take
    # few distinct values) rather than one lookup per author.
    by_count: dict[int, list[int]] = {}
    for author, n in inputs.author_interactions.items():
        by_count.setdefault(n, []).append(author)
    if by_count:
        n_expr = Case(
            *[
                When(author_id__in_ids=ids, then=_float(n))
                for n, ids in sorted(by_count.items(), key=lambda kv: -len(kv[1]))
            ],
            default=_float(0.0),
        )
        interaction = Least(n_expr * _float(r.interaction_points_each), _float(r.interaction_cap))
    else:
        interaction = _float(0.0)

    engagement = Least(
        ExpressionWrapper(
            Cast("hearts_count", _FLOAT)
            + _float(2.0) * Cast("praise_count", _FLOAT)
            + _float(5.0) * Cast("trophy_count", _FLOAT)
            + _float(0.5) * Cast("comment_count", _FLOAT),
            output_field=_FLOAT,
        ),
        _float(r.engagement_cap),
    )

    type_points = post_type_points(r, inputs)
    post_type = (
        Case(
            *[When(post_type=t, then=_float(p)) for t, p in sorted(type_points.items())],
            default=_float(0.0),
        )
        if type_points
        else _float(0.0)
    )

    boosted = recent_boost_authors(r, inputs, now)
    if boosted:
        days = HoursBetween(now_value, AuthorLookup(boosted, DateTimeField())) / _float(24.0)
        recent_boost = Coalesce(
            _float(r.recent_boost_points) * (_float(1.0) - days / _float(r.recent_boost_days)),
            _float(0.0),
        )
    else:
        recent_boost = _float(0.0)

    return {
        "recency": _float(r.recency_points) * Exp(-hours_old / _float(r.recency_decay_hours)),
        "social": _when_in("author_id", inputs.fellow_ids, _float(r.social_points)),
        "interaction": interaction,
        "engagement": engagement,
        "collective": _when_in("collective_id", inputs.collective_ids, _float(r.collective_points)),
        "post_type": post_type,
        "recent_boost": recent_boost,
        "artist_type": _when_in(
            "author__artist_type", inputs.preferred_artist_types, _float(r.artist_type_points)
        ),
    }


def annotate_scores(queryset, r: Ranking, inputs: FeedInputs, now: datetime):
    """Annotate `c_<component>` points, `seen` and `base_score` (weighted sum times seen factor)."""
    exprs = component_expressions(r, inputs, now)
    annotations = {f"c_{name}": Cast(expr, _FLOAT) for name, expr in exprs.items()}
    qs = queryset.annotate(
        **annotations,
        seen=Exists(SeenPost.objects.filter(user_id=inputs.user_id, post_id=OuterRef("pk"))),
    )
    weighted = sum(
        (_float(r.weight(name)) * F(f"c_{name}") for name in COMPONENTS), start=_float(0.0)
    )
    seen_factor = Case(When(seen=True, then=_float(r.seen_factor)), default=_float(1.0))
    return qs.annotate(base_score=Cast(weighted * seen_factor, _FLOAT))


@dataclass
class Scored:
    """One ranked post: its points per component, seen mark, diversity factor, final score."""

    id: int
    author_id: int
    created_at: datetime
    base_score: float
    seen: bool
    points: dict[str, float]
    diversity: float = 1.0
    score: float = 0.0

    def breakdown(self) -> dict:
        return {**self.points, "seen": self.seen, "diversity": self.diversity}


def _order_key(score: float, item: "Scored"):
    # Higher score first; ties: newest first, then higher id.
    return (-score, -item.created_at.timestamp(), -item.id)


def apply_diversity(items: list[Scored], r: Ranking) -> list[Scored]:
    """API.md's author diversity: the k-th post of an author (in score order) is multiplied
    by max(decay ** k, floor); then everything is sorted again by the result."""
    items = sorted(items, key=lambda s: _order_key(s.base_score, s))
    seen_authors: dict[int, int] = {}
    for item in items:
        k = seen_authors.get(item.author_id, 0)
        seen_authors[item.author_id] = k + 1
        item.diversity = max(r.diversity_decay**k, r.diversity_floor)
        item.score = item.base_score * item.diversity
    return sorted(items, key=lambda s: _order_key(s.score, s))


def recency_points(r: Ranking, hours_old: float) -> float:
    return r.recency_points * math.exp(-hours_old / r.recency_decay_hours)


def reason_for(item: Scored, r: Ranking, *, author_name: str, collective_name: str | None) -> str:
    """One short sentence naming the strongest personal signal behind a post."""
    weighted = {name: r.weight(name) * item.points.get(name, 0.0) for name in COMPONENTS}
    personal = {
        "social": f"From your fellow {author_name}",
        "collective": f"In your collective {collective_name}" if collective_name else None,
        "interaction": f"You often appreciate {author_name}'s work",
        "recent_boost": f"You recently appreciated {author_name}'s work",
        "artist_type": f"By {author_name}, a kind of artist you prefer",
        "post_type": "A kind of post you enjoy",
    }
    best = max(
        (name for name in personal if personal[name] and weighted[name] > 0),
        key=lambda name: weighted[name],
        default=None,
    )
    if best is not None:
        return personal[best]
    if weighted["engagement"] > weighted["recency"]:
        return "Popular right now"
    return "New"
