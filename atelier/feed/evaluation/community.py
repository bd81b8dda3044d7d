"""A community's rows in NumPy arrays, and features as of any moment computed from them.

`load_community()` reads every row the feed's features depend on once (a few seconds for
the shared reddit dump). `Community.hydrate(viewer, posts, T)` then computes the same
`Candidates` as `atelier.feed.features.hydrate(viewer, posts, as_of=T)` does in SQL —
counters, fellows, memberships, what the viewer gave each author and seen marks, all
from rows timestamped strictly before T — with timestamp filters over sorted arrays
(tested equal on SQLite and PostgreSQL: atelier/tests/test_evaluate_hydration.py).
"""

from collections import Counter
from dataclasses import dataclass

import numpy as np

from atelier.collective.models import Collective, CollectiveMember
from atelier.core.models import User, UserFellow, UserPreference
from atelier.feed.features import Candidates, Viewer
from atelier.post.models import Appreciation, Comment, Post, SeenPost

KINDS = ("heart", "praise", "trophy")


def _epoch(values) -> np.ndarray:
    return np.array([v.timestamp() for v in values], dtype=np.float64)


@dataclass
class ByUser:
    """Rows grouped by user (a CSR layout): user u's rows are [start[u], end[u]) of `order`,
    sorted by time."""

    users: np.ndarray  # sorted distinct user ids
    starts: np.ndarray
    ends: np.ndarray
    order: np.ndarray  # row indices, grouped by user, by time within a user

    @classmethod
    def build(cls, user: np.ndarray, time: np.ndarray) -> "ByUser":
        order = np.lexsort((time, user))
        grouped = user[order]
        users, starts = np.unique(grouped, return_index=True)
        ends = np.r_[starts[1:], len(grouped)].astype(np.int64)
        return cls(users=users, starts=starts, ends=ends, order=order)

    def rows(self, user_id: int, time: np.ndarray, before: float) -> np.ndarray:
        """Row indices of the user's rows with time < `before`."""
        i = np.searchsorted(self.users, user_id)
        if i >= len(self.users) or self.users[i] != user_id:
            return np.zeros(0, dtype=np.int64)
        rows = self.order[self.starts[i] : self.ends[i]]
        return rows[: np.searchsorted(time[rows], before, side="left")]


@dataclass
class Community:
    # Posts, in id order: index i everywhere below.
    post_id: np.ndarray
    post_author: np.ndarray
    post_collective: np.ndarray  # 0: not in a collective
    post_created: np.ndarray
    post_type: np.ndarray  # object (str)
    post_artist: np.ndarray  # object (str): the author's artist type
    post_deleted: np.ndarray  # bool
    post_public: np.ndarray  # bool: anyone may see it (no collective, or a public one)
    # Appreciations, by time.
    a_user: np.ndarray
    a_post: np.ndarray  # post index
    a_author: np.ndarray
    a_kind: np.ndarray  # index into KINDS
    a_type: np.ndarray  # object (str): the post's type
    a_time: np.ndarray
    # Comments that are not deleted, by time.
    c_user: np.ndarray
    c_post: np.ndarray
    c_time: np.ndarray
    # Accepted fellow relations, both directions.
    f_user: np.ndarray
    f_other: np.ndarray
    f_time: np.ndarray
    # Memberships.
    m_user: np.ndarray
    m_collective: np.ndarray
    m_time: np.ndarray
    # Seen marks.
    s_user: np.ndarray
    s_post: np.ndarray
    s_time: np.ndarray
    preferences: dict[int, tuple[frozenset, frozenset]]

    def __post_init__(self) -> None:
        self.a_by_user = ByUser.build(self.a_user, self.a_time)
        self.c_by_user = ByUser.build(self.c_user, self.c_time)
        self.f_by_user = ByUser.build(self.f_user, self.f_time)
        self.m_by_user = ByUser.build(self.m_user, self.m_time)
        self.s_by_user = ByUser.build(self.s_user, self.s_time)
        self._counted_at: float | None = None

    def __len__(self) -> int:
        return len(self.post_id)

    def index_of(self, post_ids) -> np.ndarray:
        return np.searchsorted(self.post_id, np.asarray(post_ids, dtype=np.int64))

    # --- post features as of T ---------------------------------------------------------
    def counters(self, at: float) -> np.ndarray:
        """Hearts, praise, trophies and comments of every post from rows before `at`:
        shape (4, posts). Cached for the last moment asked."""
        if self._counted_at != at:
            n = len(self)
            k = np.searchsorted(self.a_time, at, side="left")
            kinds, posts = self.a_kind[:k], self.a_post[:k]
            counts = [np.bincount(posts[kinds == j], minlength=n) for j in range(3)]
            m = np.searchsorted(self.c_time, at, side="left")
            counts.append(np.bincount(self.c_post[:m], minlength=n))
            self._counts = np.array(counts, dtype=np.float64)
            self._counted_at = at
        return self._counts

    # --- viewer relations as of T ------------------------------------------------------
    def fellows(self, viewer_id: int, at: float) -> np.ndarray:
        return self.f_other[self.f_by_user.rows(viewer_id, self.f_time, at)]

    def collectives(self, viewer_id: int, at: float) -> np.ndarray:
        return self.m_collective[self.m_by_user.rows(viewer_id, self.m_time, at)]

    def appreciations(self, viewer_id: int, at: float) -> np.ndarray:
        """The viewer's appreciations before `at` of posts that existed then."""
        rows = self.a_by_user.rows(viewer_id, self.a_time, at)
        return rows[self.post_created[self.a_post[rows]] < at]

    def comments_given(self, viewer_id: int, at: float) -> np.ndarray:
        """The viewer's comments before `at` on posts that existed then."""
        rows = self.c_by_user.rows(viewer_id, self.c_time, at)
        return rows[self.post_created[self.c_post[rows]] < at]

    def engagement_pairs(self, at: float, since: float) -> np.ndarray:
        """Distinct (post index, member) pairs, as post * 2**32 + member, of the
        appreciations and comments before `at` on posts created since `since`. Cached for
        the last (at, since): every viewer of a moment shares it."""
        if getattr(self, "_pairs_key", None) != (at, since):
            k = np.searchsorted(self.a_time, at, side="left")
            m = np.searchsorted(self.c_time, at, side="left")
            posts = np.r_[self.a_post[:k], self.c_post[:m]]
            users = np.r_[self.a_user[:k], self.c_user[:m]]
            keep = self.post_created[posts] >= since
            self._pairs = np.unique(posts[keep] * 2**32 + users[keep])
            self._pairs_key = (at, since)
        return self._pairs

    def engaged_before(self, viewer_id: int, at: float) -> np.ndarray:
        """Indices of the posts the viewer appreciated or commented on before `at`."""
        a = self.a_post[self.appreciations(viewer_id, at)]
        c = self.c_post[self.c_by_user.rows(viewer_id, self.c_time, at)]
        return np.union1d(a, c)

    def hydrate(self, viewer_id: int, posts: np.ndarray, at: float) -> Candidates:
        """`features.hydrate(viewer_id, posts, as_of=T)` for post indices `posts`, from the
        arrays (rows in the order of `posts`)."""
        posts = np.asarray(posts, dtype=np.int64)
        counts = self.counters(at)[:, posts]
        authors = self.post_author[posts]
        collectives = self.post_collective[posts]
        given = self.appreciations(viewer_id, at)
        total = np.zeros(len(posts), dtype=np.float64)
        last = np.full(len(posts), np.nan, dtype=np.float64)
        if len(given):
            by = np.argsort(self.a_author[given], kind="stable")
            g_authors = self.a_author[given][by]
            g_times = self.a_time[given][by]
            uniq, starts, n = np.unique(g_authors, return_index=True, return_counts=True)
            latest = np.maximum.reduceat(g_times, starts)
            j = np.clip(np.searchsorted(uniq, authors), 0, len(uniq) - 1)
            hit = uniq[j] == authors
            total[hit] = n[j[hit]]
            last[hit] = latest[j[hit]]
        seen_rows = self.s_by_user.rows(viewer_id, self.s_time, at)
        fellows = self.fellows(viewer_id, at)
        # Fellows who engaged with each post (social proof).
        engaged = np.zeros(len(posts), dtype=np.float64)
        if len(posts) and len(fellows):
            since = np.floor(self.post_created[posts].min() / 86400.0) * 86400.0
            pairs = self.engagement_pairs(at, since)
            by_fellow = pairs[np.isin(pairs % 2**32, fellows)] // 2**32
            counted, n = np.unique(by_fellow, return_counts=True)
            j = np.clip(np.searchsorted(counted, posts), 0, max(len(counted) - 1, 0))
            hit = (counted[j] == posts) if len(counted) else np.zeros(len(posts), dtype=bool)
            engaged[hit] = n[j[hit]]
        # Comments the viewer wrote on each candidate's author.
        talked = np.zeros(len(posts), dtype=np.float64)
        written = self.post_author[self.c_post[self.comments_given(viewer_id, at)]]
        if len(written):
            w_authors, w_n = np.unique(written, return_counts=True)
            j = np.clip(np.searchsorted(w_authors, authors), 0, len(w_authors) - 1)
            hit = w_authors[j] == authors
            talked[hit] = w_n[j[hit]]
        return Candidates(
            post_id=self.post_id[posts],
            author_id=authors,
            collective_id=collectives,
            created_at=self.post_created[posts],
            post_type=self.post_type[posts],
            artist_type=self.post_artist[posts],
            hearts=counts[0],
            praise=counts[1],
            trophies=counts[2],
            comments=counts[3],
            is_fellow=np.isin(authors, fellows),
            in_collective=(collectives != 0)
            & np.isin(collectives, self.collectives(viewer_id, at)),
            author_appreciations=total,
            author_last=last,
            seen=np.isin(posts, self.s_post[seen_rows]),
            fellows_engaged=engaged,
            author_comments=talked,
        )

    def viewer(self, viewer_id: int, at: float) -> Viewer:
        """`features.viewer_profile(viewer_id, as_of=T)`."""
        types = Counter(self.a_type[self.appreciations(viewer_id, at)].tolist())
        post_types, artist_types = self.preferences.get(viewer_id, (frozenset(), frozenset()))
        return Viewer(
            user_id=viewer_id,
            preferred_post_types=post_types,
            preferred_artist_types=artist_types,
            type_appreciations=tuple(sorted(types.items())),
        )


def load_community() -> Community:
    """Read the current database's community into arrays (one query per table)."""
    artist = dict(User.objects.values_list("id", "artist_type"))
    public = {
        pk: vis == Collective.Visibility.PUBLIC
        for pk, vis in Collective.objects.values_list("id", "visibility")
    }
    posts = list(
        Post.objects.order_by("id").values_list(
            "id", "author_id", "collective_id", "created_at", "post_type", "is_deleted"
        )
    )
    cols = list(zip(*posts, strict=True)) if posts else [()] * 6
    post_id = np.array(cols[0], dtype=np.int64)
    index = {pk: i for i, pk in enumerate(cols[0])}
    collective = np.array([c or 0 for c in cols[2]], dtype=np.int64)

    def post_index(ids) -> np.ndarray:
        return np.array([index[p] for p in ids], dtype=np.int64)

    a = list(
        Appreciation.objects.order_by("created_at", "id").values_list(
            "user_id", "post_id", "post_author_id", "kind", "post_type", "created_at"
        )
    )
    ac = list(zip(*a, strict=True)) if a else [()] * 6
    c = list(
        Comment.objects.filter(is_deleted=False)
        .order_by("created_at", "id")
        .values_list("author_id", "post_id", "created_at")
    )
    cc = list(zip(*c, strict=True)) if c else [()] * 3
    f = list(
        UserFellow.objects.filter(status=UserFellow.Status.ACCEPTED).values_list(
            "user_id", "fellow_user_id", "created_at"
        )
    )
    fc = list(zip(*f, strict=True)) if f else [()] * 3
    m = list(CollectiveMember.objects.values_list("user_id", "collective_id", "joined_at"))
    mc = list(zip(*m, strict=True)) if m else [()] * 3
    s = list(SeenPost.objects.values_list("user_id", "post_id", "seen_at"))
    sc = list(zip(*s, strict=True)) if s else [()] * 3
    f_time = _epoch(fc[2])
    prefs = {
        user: (frozenset(types or ()), frozenset(artists or ()))
        for user, types, artists in UserPreference.objects.values_list(
            "user_id", "preferred_post_types", "preferred_artist_types"
        )
    }
    return Community(
        post_id=post_id,
        post_author=np.array(cols[1], dtype=np.int64),
        post_collective=collective,
        post_created=_epoch(cols[3]),
        post_type=np.array(cols[4], dtype=object),
        post_artist=np.array([artist[u] for u in cols[1]], dtype=object),
        post_deleted=np.array(cols[5], dtype=bool),
        post_public=np.array([c == 0 or public[c] for c in collective], dtype=bool),
        a_user=np.array(ac[0], dtype=np.int64),
        a_post=post_index(ac[1]),
        a_author=np.array(ac[2], dtype=np.int64),
        a_kind=np.array([KINDS.index(k) for k in ac[3]], dtype=np.int8),
        a_type=np.array(ac[4], dtype=object),
        a_time=_epoch(ac[5]),
        c_user=np.array(cc[0], dtype=np.int64),
        c_post=post_index(cc[1]),
        c_time=_epoch(cc[2]),
        f_user=np.array(fc[0] + fc[1], dtype=np.int64),
        f_other=np.array(fc[1] + fc[0], dtype=np.int64),
        f_time=np.r_[f_time, f_time],
        m_user=np.array(mc[0], dtype=np.int64),
        m_collective=np.array(mc[1], dtype=np.int64),
        m_time=_epoch(mc[2]),
        s_user=np.array(sc[0], dtype=np.int64),
        s_post=post_index(sc[1]),
        s_time=_epoch(sc[2]),
        preferences=prefs,
    )
