"""A believable demo community, produced as community-dump records for the importer.

`DemoCommunity(...).records()` yields the same JSON-ready dicts a dump file holds, in
dependency order, so `seed_demo` writes through exactly the import path. Everything comes
from one random.Random(seed) and times are offsets from `now`, so a seed and a `now`
always give the same community. Popularity is long-tailed on purpose: a few prolific
authors, a few very popular posts, most posts with a handful of hearts.
"""

import math
import random
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate
from typing import Any

from atelier.dump import demo_words as words
from atelier.dump import records
from atelier.dump.records import format_time

DEMO_USERNAME, DEMO_PASSWORD = "demo", "demo-password"
ADMIN_USERNAME, ADMIN_PASSWORD = "admin", "admin-password"

# The mix of interactions, by kind (hearts common, trophies rare).
INTERACTION_MIX = {"heart": 68, "comment": 18, "praise": 8, "critique": 4, "trophy": 2}
FELLOWS_PER_USER = 4  # fellow relations (any status) per member, on average
DAY = 86_400
REACTION_DELAY = 10 * 3600  # mean seconds between a post and a reaction to it
SEEN_SHARE = 0.6  # of the posts a user interacted with, how many they are marked as seen on
BROWSE_SHARE = 0.2  # extra seen marks without an interaction, per interaction


@dataclass
class _User:
    id: int
    username: str
    artist_type: str
    date_joined: datetime
    activity: float  # how much they appreciate and comment
    output: float  # how much they post
    fame: float  # how much others appreciate their posts
    password: str | None = None
    staff: bool = False
    fellows: list[int] = field(default_factory=list)
    collectives: list[int] = field(default_factory=list)


@dataclass
class _Post:
    id: int
    author: int
    post_type: str
    title: str
    body: str
    channel: int | None
    collective: int | None
    created_at: datetime
    deleted_at: datetime | None
    weight: float  # popularity


class _Picker:
    """Weighted random choice over a fixed population, O(log n) a draw."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(accumulate(weights))

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect(self.cumulative, rng.random() * self.cumulative[-1])]

    def __bool__(self) -> bool:
        """False when nothing can be picked (no items, or no weight at all)."""
        return bool(self.cumulative) and self.cumulative[-1] > 0


def _seconds(seconds: float) -> timedelta:
    # Whole seconds: the demo's times read like a real community's, not like floats.
    return timedelta(seconds=int(seconds))


def _zipf(count: int, rng: random.Random, exponent: float, offset: float = 0.0) -> list[float]:
    """Weights 1/(rank+offset)**exponent, ranks shuffled: long-tailed, in no particular order.

    The offset flattens the head: with 0 the top rank alone outweighs dozens of others.
    """
    ranks = list(range(1, count + 1))
    rng.shuffle(ranks)
    return [1.0 / (rank + offset) ** exponent for rank in ranks]


def _upper_decile(weights: list[float]) -> float:
    """The weight of someone in the top tenth: clearly active, not a star."""
    return sorted(weights, reverse=True)[len(weights) // 10] if weights else 1.0


class DemoCommunity:
    """Plans a community in memory (compactly), then streams it as dump records."""

    def __init__(
        self,
        *,
        users: int,
        posts: int,
        days: int,
        interactions: int,
        seed: int,
        now: datetime,
    ) -> None:
        if users < 2:
            raise ValueError("the demo needs at least 2 users (demo and admin)")
        self.rng = random.Random(seed)
        self.now = now.replace(microsecond=0)
        self.window_start = self.now - timedelta(days=days)
        self.n_users, self.n_posts, self.n_interactions = users, posts, interactions
        self._plan()

    # --- public -----------------------------------------------------------------------

    @property
    def size(self) -> int:
        """How many records `records()` yields."""
        return (
            len(self.users) + len(self.collectives) + len(self.channels) + len(self.members)
            + len(self.fellows) + len(self.posts) + len(self.appreciations)
            + len(self.remarks) + len(self.preferences) + len(self.seen)
        )  # fmt: skip

    def records(self) -> Iterator[dict[str, Any]]:
        """Yield the community as dump records, in dependency order."""
        for user in self.users:
            record: dict[str, Any] = {
                "kind": "user",
                "id": user.id,
                "username": user.username,
                "artist_type": user.artist_type,
                "date_joined": format_time(user.date_joined),
            }
            if user.password is not None:
                record["password"] = user.password
            if user.staff:
                record["is_staff"] = record["is_superuser"] = True
            yield record
        for collective in self.collectives:
            yield records.collective_record(*collective)
        for channel in self.channels:
            yield records.channel_record(*channel)
        for member in self.members:
            yield records.member_record(*member)
        for fellow in self.fellows:
            yield records.fellow_record(*fellow)
        for post in self.posts:
            yield records.post_record(
                post.id, post.author, post.post_type, post.title, post.body, post.channel,
                post.created_at, post.deleted_at,
            )  # fmt: skip
        for appreciation in self.appreciations:
            yield records.appreciation_record(*appreciation)
        for remark in self.remarks:
            yield records.remark_record(*remark)
        for preference in self.preferences:
            yield records.preference_record(*preference)
        for seen in self.seen:
            yield records.seen_record(*seen)

    # --- planning ---------------------------------------------------------------------

    def _plan(self) -> None:
        self._plan_users()
        self._plan_collectives()
        self._plan_fellows()
        self._plan_preferences()  # before interactions: nobody appreciates whom they block
        self._plan_posts()
        self._plan_interactions()

    def _between(self, start: datetime, end: datetime) -> datetime:
        span = max((end - start).total_seconds(), 0.0)
        return start + _seconds(self.rng.random() * span)

    def _plan_users(self) -> None:
        rng = self.rng
        n = self.n_users
        activity = _zipf(n, rng, 1.0, offset=3)
        # A few prolific authors, a long tail, and a third who hardly ever post (lurkers).
        output = [w * (0.05 if rng.random() < 0.35 else 1.0) for w in _zipf(n, rng, 1.0, 8)]
        fame = _zipf(n, rng, 0.9, offset=2)
        types = _Picker(list(words.ARTIST_TYPE_WEIGHTS), list(words.ARTIST_TYPE_WEIGHTS.values()))
        taken = {ADMIN_USERNAME, DEMO_USERNAME}
        self.users: list[_User] = []
        for index in range(n):
            user_id = index + 1
            joined = self.window_start - _seconds(rng.uniform(1, 400) * DAY)
            if user_id == 1:
                # Staff, not a member of the community: little activity of their own.
                user = _User(user_id, ADMIN_USERNAME, "other", joined, 0.01, 0.0, 0.01)
                user.password, user.staff = ADMIN_PASSWORD, True
            elif user_id == 2:
                # An ordinary, fairly active member, so their feed is personal.
                user = _User(
                    user_id, DEMO_USERNAME, "photographer", joined, _upper_decile(activity),
                    _upper_decile(output), _upper_decile(fame),
                )  # fmt: skip
                user.password = DEMO_PASSWORD
            else:
                artist_type = types.pick(rng)
                handle = self._handle(artist_type, taken)
                user = _User(
                    user_id, handle, artist_type, joined, activity[index], output[index],
                    fame[index],
                )  # fmt: skip
            self.users.append(user)
        self.demo = self.users[1]

    def _handle(self, artist_type: str, taken: set[str]) -> str:
        rng = self.rng
        first = rng.choice(words.FIRST_NAMES)
        craft = rng.choice(words.CRAFT_WORDS[artist_type])
        shapes = (
            f"{first}_{craft}",
            f"{first}.{craft}",
            f"{rng.choice(words.ADJECTIVES)}{rng.choice(words.NOUNS)}",
            f"{rng.choice(words.NOUNS)}_{first}",
            f"{first}{rng.choice(words.NOUNS)}",
            f"{craft}by{first}",
        )
        handle = rng.choice(shapes)
        while handle in taken:
            handle = f"{handle}{rng.randint(2, 99)}"
        taken.add(handle)
        return handle

    def _plan_collectives(self) -> None:
        rng = self.rng
        count = min(len(words.COLLECTIVES), max(3, self.n_users // 25))
        members_of: dict[int, list[_User]] = {}
        self.collectives: list[tuple] = []
        self.channels: list[tuple] = []
        self.members: list[tuple] = []
        self.general_channel: dict[int, int] = {}
        self.collective_channels: dict[int, list[int]] = {}
        self.collective_private: dict[int, bool] = {}
        themes: dict[int, tuple[str, ...]] = {}
        for index, (_name, theme, private) in enumerate(words.COLLECTIVES[:count]):
            collective_id = index + 1
            themes[collective_id] = theme
            self.collective_private[collective_id] = private
            members_of[collective_id] = []
            names = ["general", *rng.sample(words.CHANNEL_NAMES, rng.randint(1, 3))]
            self.collective_channels[collective_id] = []
            for channel_name in names:
                channel_id = len(self.channels) + 1
                self.channels.append((channel_id, collective_id, channel_name))
                self.collective_channels[collective_id].append(channel_id)
            self.general_channel[collective_id] = self.collective_channels[collective_id][0]

        # Each member joins a few, preferring their craft's collectives; private ones are
        # smaller (invitation only). The demo account belongs to three, one private.
        ids = list(themes)
        for user in self.users[2:]:
            how_many = rng.choices((0, 1, 2, 3, 4), weights=(20, 35, 25, 13, 7))[0]
            weights = [
                (4.0 if user.artist_type in themes[c] else 1.0)
                * (0.4 if self.collective_private[c] else 1.0)
                for c in ids
            ]
            chosen: list[int] = []
            for _ in range(how_many):
                collective_id = rng.choices(ids, weights=weights)[0]
                if collective_id not in chosen:
                    chosen.append(collective_id)
            for collective_id in chosen:
                members_of[collective_id].append(user)
        demo_picks = [c for c in ids if "photographer" in themes[c]][:1]
        demo_picks += [c for c in ids if c not in demo_picks and not self.collective_private[c]][:1]
        demo_picks += [c for c in ids if c not in demo_picks and self.collective_private[c]][:1]
        for collective_id in demo_picks:
            members_of[collective_id].insert(0, self.demo)

        for collective_id in ids:
            people = members_of[collective_id] or [rng.choice(self.users[1:])]
            founder = max(people, key=lambda u: (u.activity, -u.id))
            created_at = min(u.date_joined for u in people) + _seconds(rng.uniform(0, DAY))
            visibility = "private" if self.collective_private[collective_id] else "public"
            name = words.COLLECTIVES[collective_id - 1][0]
            self.collectives.append((collective_id, name, visibility, founder.id, created_at))
            for user in sorted(people, key=lambda u: u.id):
                role = "admin" if user is founder else "member"
                joined_at = self._between(max(created_at, user.date_joined), self.window_start)
                self.members.append((user.id, collective_id, role, joined_at))
                user.collectives.append(collective_id)

    def _plan_fellows(self) -> None:
        """Pairs drawn by sociability, biased to shared collectives and crafts."""
        rng = self.rng
        people = self.users[2:]
        self.fellows: list[tuple] = []
        if len(people) < 2:
            return
        social = _Picker(people, [u.activity + u.fame for u in people])
        pairs: set[tuple[int, int]] = set()

        def add(a: _User, b: _User, status: str) -> None:
            pair = (min(a.id, b.id), max(a.id, b.id))
            if a is b or pair in pairs:
                return
            pairs.add(pair)
            created_at = self._between(max(a.date_joined, b.date_joined), self.now)
            responded_at = None
            if status != "pending":
                responded_at = min(self.now, created_at + _seconds(rng.uniform(60, 3 * DAY)))
                if status == "accepted":
                    a.fellows.append(b.id)
                    b.fellows.append(a.id)
            self.fellows.append((a.id, b.id, status, created_at, responded_at))

        wanted = len(people) * FELLOWS_PER_USER // 2
        for _ in range(wanted * 10):
            if len(pairs) >= wanted:
                break
            a, b = social.pick(rng), social.pick(rng)
            affinity = (a.artist_type == b.artist_type) + bool(
                set(a.collectives) & set(b.collectives)
            )
            if rng.random() > 0.3 + 0.35 * affinity:
                continue
            add(a, b, rng.choices(("accepted", "pending", "declined"), weights=(85, 11, 4))[0])
        # The demo account: a dozen fellows, requests waiting both ways.
        others = [u for u in people if u is not self.demo]
        for other in rng.sample(others, min(12, len(others))):
            add(self.demo, other, "accepted")
        for other in rng.sample(others, min(3, len(others))):
            add(other, self.demo, "pending")
        if others:
            add(self.demo, rng.choice(others), "pending")
        self.fellows.sort(key=lambda f: f[3])

    def _plan_preferences(self) -> None:
        rng = self.rng
        self.preferences: list[tuple] = []
        self.blocked_pairs: set[tuple[int, int]] = set()
        people = self.users[2:]
        for user in self.users[1:]:
            if user is self.demo:
                self.preferences.append((user.id, ["image", "comic"], ["visual_artist"], [], []))
                continue
            if rng.random() > 0.3:
                continue
            affinity = words.POST_TYPE_AFFINITY[user.artist_type]
            post_types = rng.sample(sorted(affinity), min(len(affinity), rng.randint(1, 2)))
            artist_types = rng.sample(sorted(words.ARTIST_TYPE_WEIGHTS), rng.randint(0, 2))
            muted = (
                [rng.choice(user.collectives)] if user.collectives and rng.random() < 0.1 else []
            )
            blocked = []
            if rng.random() < 0.08:
                target = rng.choice(people)
                if target is not user and target.id not in user.fellows:
                    blocked.append(target.id)
                    self.blocked_pairs.add((min(user.id, target.id), max(user.id, target.id)))
            self.preferences.append((user.id, post_types, artist_types, muted, blocked))

    def _plan_posts(self) -> None:
        rng = self.rng
        authors = [u for u in self.users if u.output > 0]
        picker = _Picker(authors, [u.output for u in authors])
        type_pickers = {
            artist_type: _Picker(list(mix), list(mix.values()))
            for artist_type, mix in words.POST_TYPE_AFFINITY.items()
        }
        window = (self.now - self.window_start).total_seconds()
        planned = []
        for _ in range(self.n_posts):
            author = picker.pick(rng)
            post_type = type_pickers[author.artist_type].pick(rng)
            # Slightly more posts lately, so the demo feed looks alive.
            created_at = self.now - _seconds(window * rng.random() ** 1.2)
            channel = collective = None
            if author.collectives and rng.random() < 0.3:
                collective = rng.choice(author.collectives)
                channels = self.collective_channels[collective]
                channel = channels[0] if rng.random() < 0.5 else rng.choice(channels)
            deleted_at = None
            if rng.random() < 0.015:
                deleted_at = self._between(created_at, self.now)
            # Heavy-tailed: a few posts take off, most get a handful of appreciations.
            weight = author.fame * min(rng.paretovariate(1.2), 60.0)
            # Reactions arrive with an exponential delay: a post an hour old has had only
            # a share of the reactions it will get, a deleted one no more after deletion.
            lived = ((deleted_at or self.now) - created_at).total_seconds()
            weight *= 1 - math.exp(-lived / REACTION_DELAY)
            body = rng.choice(words.BODIES).format(s=rng.choice(words.SUBJECTS))
            planned.append(
                _Post(
                    id=0,  # numbered below, once sorted by time
                    author=author.id,
                    post_type=post_type,
                    title=self._title(post_type),
                    body=body if rng.random() < 0.6 else "",
                    channel=channel,
                    collective=collective,
                    created_at=created_at,
                    deleted_at=deleted_at,
                    weight=weight,
                )
            )
        planned.sort(key=lambda p: p.created_at)
        for index, post in enumerate(planned):
            post.id = index + 1
        self.posts = planned

    def _title(self, post_type: str) -> str:
        rng = self.rng
        adjective, noun, subject = (
            rng.choice(words.ADJECTIVES),
            rng.choice(words.NOUNS),
            rng.choice(words.SUBJECTS),
        )
        return rng.choice(words.TITLES[post_type]).format(
            a=adjective,
            A=adjective.capitalize(),
            n=noun,
            N=noun.capitalize(),
            s=subject,
            S=subject[0].upper() + subject[1:],
            m=rng.choice(words.MEDIUMS),
            p=rng.choice(words.PLACES),
            k=rng.choice(words.KEYS),
            i=rng.randint(1, 40),
        )

    def _plan_interactions(self) -> None:
        rng = self.rng
        self.appreciations: list[tuple] = []
        self.remarks: list[tuple] = []
        self.seen: list[tuple] = []
        if not self.posts:
            return
        by_id = {u.id: u for u in self.users}
        everyone = _Picker(self.users, [u.activity for u in self.users])
        members: dict[int, list[_User]] = {}
        for user_id, collective_id, _role, _joined in self.members:
            members.setdefault(collective_id, []).append(by_id[user_id])
        member_pickers = {c: _Picker(us, [u.activity for u in us]) for c, us in members.items()}
        posts = _Picker(self.posts, [p.weight for p in self.posts])
        if not posts:  # every post is brand new (--days 0): nobody has reacted yet
            return
        kinds = _Picker(list(INTERACTION_MIX), list(INTERACTION_MIX.values()))
        given: set[tuple[str, int, int]] = set()
        seen: dict[tuple[int, int], datetime] = {}

        def can_see(user: _User, post: _Post) -> bool:
            if user.id == post.author:
                return False
            if post.collective is not None and post.collective not in user.collectives:
                return False
            return (min(user.id, post.author), max(user.id, post.author)) not in self.blocked_pairs

        for _ in range(self.n_interactions):
            kind = kinds.pick(rng)
            for _attempt in range(6):
                post = posts.pick(rng)
                author = by_id[post.author]
                if author.fellows and rng.random() < 0.35:
                    user = by_id[rng.choice(author.fellows)]
                elif post.collective is not None:
                    user = member_pickers[post.collective].pick(rng)
                else:
                    user = everyone.pick(rng)
                if not can_see(user, post) or (kind, user.id, post.id) in given:
                    continue
                created_at = post.created_at + self._reaction_delay(post)
                if kind in ("comment", "critique"):
                    self.remarks.append(
                        (kind, user.id, post.id, self._remark(kind, post), created_at)
                    )
                else:
                    given.add((kind, user.id, post.id))
                    self.appreciations.append((kind, user.id, post.id, created_at))
                if rng.random() < SEEN_SHARE:
                    glance = max(post.created_at, created_at - _seconds(rng.uniform(0, 1800)))
                    key = (user.id, post.id)
                    seen[key] = min(seen.get(key, glance), glance)
                break

        # Scrolling past without reacting.
        for _ in range(int(self.n_interactions * BROWSE_SHARE)):
            post = posts.pick(rng)
            user = everyone.pick(rng)
            if can_see(user, post) and (user.id, post.id) not in seen:
                seen[(user.id, post.id)] = self._between(
                    post.created_at, post.deleted_at or self.now
                )

        self.appreciations.sort(key=lambda a: a[3])
        # Comments, then critiques (the format's order), each numbered by time.
        self.remarks.sort(key=lambda r: (r[0] != "comment", r[4]))
        numbered: list[tuple] = []
        next_id = {"comment": 1, "critique": 1}
        for kind, user_id, post_id, text, created_at in self.remarks:
            numbered.append((kind, next_id[kind], user_id, post_id, text, created_at))
            next_id[kind] += 1
        self.remarks = numbered
        self.seen = sorted(
            ((user_id, post_id, at) for (user_id, post_id), at in seen.items()),
            key=lambda s: (s[2], s[0], s[1]),
        )

    def _reaction_delay(self, post: _Post) -> timedelta:
        """An exponential delay, conditioned on falling before now (or the deletion)."""
        lived = ((post.deleted_at or self.now) - post.created_at).total_seconds()
        reached = 1 - math.exp(-lived / REACTION_DELAY)
        return _seconds(-REACTION_DELAY * math.log(1 - self.rng.random() * reached))

    def _remark(self, kind: str, post: _Post) -> str:
        rng = self.rng
        if kind == "critique":
            return rng.choice(words.CRITIQUES_BY_TYPE[post.post_type])
        if rng.random() < 0.4:
            return rng.choice(words.COMMENTS_BY_TYPE[post.post_type])
        return rng.choice(words.COMMENTS)
