"""A long-tailed community for benchmarks, written as a dump file (NumPy, seconds per million).

Activity is Zipf-like, as on real art sites: a few members hold thousands of fellows and
appreciate thousands of authors, a few authors post a great deal, most members do little.
About 6 dump lines per post: users (posts / 10), fellow pairs (8 per user), posts,
hearts, praise and trophies (4 per post), comments (1 per post) and memberships of 40
collectives. Deterministic for a seed. With `text`, posts get titles and bodies worth
searching (atelier/dump/longtail_text.py) instead of "Work N"; every other record stays
the same.
"""

import json
from datetime import UTC, datetime

import numpy as np

from atelier.dump.longtail_text import post_texts

START = datetime(2025, 1, 1, tzinfo=UTC).timestamp()
POST_TYPES = ("image", "video", "novel", "poem", "music", "comic")
ARTIST_TYPES = ("visual_artist", "writer", "musician", "filmmaker", "photographer", "other")
COLLECTIVES = 40


def _zipf_weights(n: int, rng: np.random.Generator, exponent: float = 1.0) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1, dtype=np.float64) ** exponent
    rng.shuffle(weights)
    return weights / weights.sum()


def _iso(seconds: np.ndarray) -> list[str]:
    return [
        datetime.fromtimestamp(float(s), tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") for s in seconds
    ]


def write_longtail_dump(
    path: str, *, posts: int, seed: int = 1, days: int = 365, text: bool = False
) -> int:
    """Write the community to `path`; return the number of lines."""
    rng = np.random.default_rng(seed)
    users = max(50, posts // 10)
    activity = _zipf_weights(users, rng)  # how much a member appreciates and befriends
    output = _zipf_weights(users, rng)  # how much a member posts
    lines = 0
    with open(path, "w") as out:

        def emit(record: dict) -> None:
            nonlocal lines
            out.write(json.dumps(record, separators=(",", ":")))
            out.write("\n")
            lines += 1

        joined = _iso(START - rng.uniform(0, 30 * 86400, users))
        artist = rng.integers(0, len(ARTIST_TYPES), users)
        for u in range(users):
            emit({"kind": "user", "id": u + 1, "username": f"m{u + 1}",
                  "artist_type": ARTIST_TYPES[artist[u]], "date_joined": joined[u]})  # fmt: skip

        # Fellows: both ends drawn by activity, so the most active members collect thousands.
        n_pairs = users * 8
        a = rng.choice(users, n_pairs, p=activity)
        b = rng.choice(users, n_pairs, p=activity)
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        pairs = np.unique(lo[lo != hi] * users + hi[lo != hi])
        when = _iso(START + rng.uniform(0, days * 86400 * 0.5, len(pairs)))
        for pair, at in zip(pairs.tolist(), when, strict=True):
            emit({"kind": "fellow", "from": pair // users + 1, "to": pair % users + 1,
                  "status": "accepted", "created_at": at})  # fmt: skip

        # Collectives, one channel each; members drawn by activity (the busiest join many).
        for c in range(COLLECTIVES):
            emit({"kind": "collective", "id": c + 1, "name": f"Collective {c + 1}",
                  "visibility": "private" if c % 5 == 4 else "public", "created_by": 1,
                  "created_at": joined[0]})  # fmt: skip
            emit({"kind": "channel", "id": c + 1, "collective": c + 1, "name": "general"})
        member_draws = rng.choice(users, users * 2, p=activity)
        member_of = rng.integers(0, COLLECTIVES, len(member_draws))
        members = np.unique(member_draws * COLLECTIVES + member_of)
        for m in members.tolist():
            emit({"kind": "member", "user": m // COLLECTIVES + 1,
                  "collective": m % COLLECTIVES + 1, "role": "member",
                  "joined_at": joined[m // COLLECTIVES]})  # fmt: skip
        membership = set(members.tolist())

        # Posts, oldest first; 15% in a collective the author belongs to.
        authors = rng.choice(users, posts, p=output)
        created = np.sort(START + rng.uniform(0, days * 86400, posts))
        created_text = _iso(created)
        types = rng.integers(0, len(POST_TYPES), posts)
        in_collective = rng.random(posts) < 0.15
        picks = rng.integers(0, COLLECTIVES, posts)
        titles, bodies = post_texts(posts, seed) if text else (None, None)
        for i in range(posts):
            author = int(authors[i])
            channel = None
            if in_collective[i] and author * COLLECTIVES + int(picks[i]) in membership:
                channel = int(picks[i]) + 1
            emit({"kind": "post", "id": i + 1, "author": author + 1,
                  "post_type": POST_TYPES[types[i]],
                  "title": titles[i] if text else f"Work {i + 1}",
                  "body": bodies[i] if text else "",
                  "channel": channel, "created_at": created_text[i],
                  "is_deleted": False})  # fmt: skip

        # Appreciations: who by activity, which post by its author's output (fame follows
        # output) and a per-post popularity; a reaction comes hours after the post.
        n_appr = posts * 4
        who = rng.choice(users, n_appr, p=activity)
        popularity = rng.pareto(1.5, posts) + 1.0
        post_p = popularity * output[authors] * users
        post_p /= post_p.sum()
        which = rng.choice(posts, n_appr, p=post_p)
        kind = rng.choice(3, n_appr, p=[0.8, 0.15, 0.05])
        keys, first = np.unique((which * users + who) * 3 + kind, return_index=True)
        delay = rng.exponential(10 * 3600, len(keys))
        at = _iso(created[which[first]] + delay)
        kinds = ("heart", "praise", "trophy")
        for j, key in enumerate(keys.tolist()):
            p, rest = divmod(key, users * 3)
            u, k = divmod(rest, 3)
            emit({"kind": kinds[k], "user": u + 1, "post": p + 1, "created_at": at[j]})

        n_comments = posts
        cwho = rng.choice(users, n_comments, p=activity)
        cwhich = rng.choice(posts, n_comments, p=post_p)
        cat = _iso(created[cwhich] + rng.exponential(10 * 3600, n_comments))
        for j in range(n_comments):
            emit({"kind": "comment", "id": j + 1, "user": int(cwho[j]) + 1,
                  "post": int(cwhich[j]) + 1, "text": "Lovely", "created_at": cat[j]})  # fmt: skip
    return lines
