"""A brute-force reference of docs/api.md's ranking formula in plain Python, for the tests.

It reads whole tables and follows docs/api.md's text literally; it shares no code with the
engine except the configuration values it is given.
"""

import math
from collections import Counter, defaultdict

from atelier.collective.models import CollectiveMember
from atelier.core.models import Block, User, UserFellow, UserPreference
from atelier.post.models import Appreciation, Comment, HiddenPost, Post, SeenPost

API_WEIGHTS = {
    "recency": 0.15,
    "social": 0.25,
    "interaction": 0.20,
    "engagement": 0.15,
    "collective": 0.15,
    "post_type": 0.10,
    "recent_boost": 0.10,
    "artist_type": 0.10,
    # Beyond docs/api.md's table: weight 0 by default.
    "fellow_fresh": 0.0,
    "social_proof": 0.0,
    "conversation": 0.0,
}
# docs/api.md's points per reaction in `engagement`: hearts + 2*praise + 5*trophies + 0.5*comments.
API_ENGAGEMENT = {"heart": 1.0, "praise": 2.0, "trophy": 5.0, "comment": 0.5}


def reference_feed(
    viewer_id: int, now, *, unseen: bool = False, weights=None, engagement=None, cap=50.0
) -> list[dict]:
    """Return the viewer's whole feed, ranked: [{id, score, points..., seen, diversity}].

    `weights` and `engagement` (points per reaction) replace docs/api.md's values they name;
    `cap` is engagement's.
    """
    weights = {**API_WEIGHTS, **(weights or {})}
    per = {**API_ENGAGEMENT, **(engagement or {})}
    users = {u.id: u for u in User.objects.all()}
    fellows = set()
    for f in UserFellow.objects.filter(status="accepted"):
        if f.user_id == viewer_id:
            fellows.add(f.fellow_user_id)
        if f.fellow_user_id == viewer_id:
            fellows.add(f.user_id)
    collectives = {
        m.collective_id for m in CollectiveMember.objects.all() if m.user_id == viewer_id
    }
    blocked = set()
    for b in Block.objects.all():
        if b.blocker_id == viewer_id:
            blocked.add(b.blocked_id)
        if b.blocked_id == viewer_id:
            blocked.add(b.blocker_id)
    pref = UserPreference.objects.filter(user_id=viewer_id).first()
    preferred_types = set(pref.preferred_post_types) if pref else set()
    preferred_artists = set(pref.preferred_artist_types) if pref else set()
    muted = {c.id for c in pref.muted_collectives.all()} if pref else set()
    hidden = {h.post_id for h in HiddenPost.objects.all() if h.user_id == viewer_id}
    seen = {s.post_id for s in SeenPost.objects.all() if s.user_id == viewer_id}
    posts = {p.id: p for p in Post.objects.all()}

    mine = [a for a in Appreciation.objects.all() if a.user_id == viewer_id]
    per_author = Counter(posts[a.post_id].author_id for a in mine)
    per_type = Counter(posts[a.post_id].post_type for a in mine)
    latest = defaultdict(lambda: None)
    for a in mine:
        author = posts[a.post_id].author_id
        if latest[author] is None or a.created_at > latest[author]:
            latest[author] = a.created_at
    comments = [c for c in Comment.objects.all() if not c.is_deleted]
    engaged = defaultdict(set)  # post -> members who appreciated or commented on it
    for a in Appreciation.objects.all():
        engaged[a.post_id].add(a.user_id)
    for c in comments:
        engaged[c.post_id].add(c.author_id)
    talked = Counter(posts[c.post_id].author_id for c in comments if c.author_id == viewer_id)
    top_types = [t for t, n in sorted(per_type.items(), key=lambda x: (-x[1], x[0])) if n > 0][:3]

    feed = []
    for p in posts.values():
        if p.is_deleted or p.id in hidden or p.author_id in blocked:
            continue
        if p.collective_id is not None and p.collective_id not in collectives:
            continue
        if p.collective_id in muted:
            continue
        if unseen and p.id in seen:
            continue
        hours_old = (now - p.created_at).total_seconds() / 3600
        points = {
            "recency": 100 * math.exp(-hours_old / 24),
            "social": 50.0 if p.author_id in fellows else 0.0,
            "interaction": float(min(5 * per_author[p.author_id], 40)),
            "engagement": float(
                min(
                    per["heart"] * p.hearts_count
                    + per["praise"] * p.praise_count
                    + per["trophy"] * p.trophy_count
                    + per["comment"] * p.comment_count,
                    cap,
                )
            ),
            "collective": 30.0 if p.collective_id in collectives else 0.0,
            "post_type": 50.0
            if p.post_type in preferred_types
            else (float(min(per_type[p.post_type], 50)) if p.post_type in top_types else 0.0),
            "recent_boost": 0.0,
            "artist_type": 30.0 if users[p.author_id].artist_type in preferred_artists else 0.0,
            "fellow_fresh": 50 * math.exp(-hours_old / 48) if p.author_id in fellows else 0.0,
            "social_proof": float(min(10 * len(engaged[p.id] & fellows), 50)),
            "conversation": float(min(5 * talked[p.author_id], 40)),
        }
        if latest[p.author_id] is not None:
            d = (now - latest[p.author_id]).total_seconds() / 86400
            if d < 7:
                points["recent_boost"] = 20 * (1 - d / 7)
        score = sum(weights[name] * value for name, value in points.items())
        if p.id in seen:
            score *= 0.5
        feed.append(
            {
                "id": p.id,
                "author": p.author_id,
                "created_at": p.created_at,
                "base": score,
                "seen": p.id in seen,
                **points,
            }
        )

    def key(score_name):
        return lambda e: (-e[score_name], -e["created_at"].timestamp(), -e["id"])

    feed.sort(key=key("base"))
    k_of = Counter()
    for entry in feed:
        k = k_of[entry["author"]]
        k_of[entry["author"]] += 1
        entry["diversity"] = max(0.5**k, 0.25)
        entry["score"] = entry["base"] * entry["diversity"]
    feed.sort(key=key("score"))
    return feed
