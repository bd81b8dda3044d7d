"""Reads for the pages: collective and channel names a viewer may see, the ranking weights."""

from atelier.collective.models import Channel
from atelier.collective.selectors import visible_collectives
from atelier.feed.config import Ranking
from atelier.feed.scoring import COMPONENTS

# How each component reads on the pages: a short label and one sentence a person understands.
COMPONENT_LABELS = {
    "recency": ("Freshness", "New posts score higher; the points fade over a day or two."),
    "social": ("Fellow", "The author is one of your fellows."),
    "interaction": (
        "Your appreciation",
        "How often you gave hearts, praise and trophies to this author's work.",
    ),
    "engagement": ("Popularity", "Hearts, praise, trophies and comments on this post."),
    "collective": ("Your collective", "Posted in a collective you belong to."),
    "post_type": ("Kind of post", "A kind of post you often appreciate or said you prefer."),
    "recent_boost": ("Recently appreciated", "You appreciated this author in the past week."),
    "artist_type": ("Kind of artist", "By a kind of artist you said you prefer."),
}


def names_for(user, *, collective_ids: list[int], channel_ids: list[int]) -> dict:
    """Return `{"collectives": {id: name}, "channels": {id: name}}` for those `user` may see.

    A private collective the viewer is not in (and its channels) is left out, as if it did
    not exist: the same rule as everywhere else, never a hint.
    """
    visible = visible_collectives(user)
    collectives = {}
    if collective_ids:
        rows = visible.filter(pk__in=collective_ids).values_list("id", "name")
        collectives = {str(pk): name for pk, name in rows}
    channels = {}
    if channel_ids:
        rows = Channel.objects.filter(
            pk__in=channel_ids, collective__in=visible.values("pk")
        ).values_list("id", "name")
        channels = {str(pk): name for pk, name in rows}
    return {"collectives": collectives, "channels": channels}


def max_points(r: Ranking) -> dict[str, float]:
    """The most points each component can give, so a page can draw a bar against its ceiling."""
    return {
        "recency": r.recency_points,
        "social": r.social_points,
        "interaction": r.interaction_cap,
        "engagement": r.engagement_cap,
        "collective": r.collective_points,
        "post_type": max(r.post_type_cap, r.preferred_post_type_points),
        "recent_boost": r.recent_boost_points,
        "artist_type": r.artist_type_points,
    }


def ranking_weights(r: Ranking) -> dict:
    """What the "Why am I seeing this?" panel needs to turn points into contributions.

    A component's contribution to the score is weight x points (API.md's formula).
    """
    ceilings = max_points(r)
    return {
        "config_version": r.version,
        "components": list(COMPONENTS),
        "labels": {name: COMPONENT_LABELS[name][0] for name in COMPONENTS},
        "help": {name: COMPONENT_LABELS[name][1] for name in COMPONENTS},
        "weights": {name: r.weight(name) for name in COMPONENTS},
        "max_points": {name: ceilings[name] for name in COMPONENTS},
        "seen_factor": r.seen_factor,
        "diversity_decay": r.diversity_decay,
        "diversity_floor": r.diversity_floor,
        "recency_decay_hours": r.recency_decay_hours,
    }
