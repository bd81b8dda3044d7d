"""Reads for the pages: collective and channel names a viewer may see, the ranking weights."""

from atelier.collective.models import Channel
from atelier.collective.selectors import visible_collectives
from atelier.feed import components
from atelier.feed.config import Ranking
from atelier.feed.scorer import max_contributions


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


def ranking_weights(r: Ranking) -> dict:
    """What the pages need to describe the ranking: labels, descriptions, weights, ceilings.

    A post's contributions (weight x points) come with the post (`score_contributions` of
    `explain=true`); here only the most each component can contribute, from the scorer, so
    no page multiplies a weight by points. Labels and descriptions come from the one
    component table.
    """
    names = components.shown(r)
    ceilings = components.ceilings(r)
    most = max_contributions(r)
    return {
        "config_version": r.version,
        "components": list(names),
        "labels": {name: components.BY_NAME[name].label for name in names},
        "help": {name: components.BY_NAME[name].description for name in names},
        "weights": {name: r.weight(name) for name in names},
        "max_points": {name: ceilings[name] for name in names},
        "max_contributions": {name: most[name] for name in names},
        "seen_factor": r.seen_factor,
        "diversity_decay": r.diversity_decay,
        "diversity_floor": r.diversity_floor,
        "recency_decay_hours": r.recency_decay_hours,
    }
