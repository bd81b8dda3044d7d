"""Locust's virtual members for `make load` (run by benchmarks/load/run.py, headless).

Each virtual user plays a member for a short session (5 to 15 actions), then another one.
Members are drawn from the viewers file written by `atelier load_prepare`, ordered by
activity, with Zipf-like weights (rank ** -LOAD_SKEW): the most active members, whose
feeds are the costliest to rank, come back most often. Two mixes (LOAD_MIX):

- `mixed`: personalized first pages and `next` pages, chronological and anonymous pages,
  hearts (and taking them back), praise and trophies, seen marks, counters, a post's page,
  comments and new posts;
- `chronological`: the newest-first first page and `next` pages only, the baseline.

Responses carry X-DB-Queries (the server runs with QUERY_COUNT_HEADER=true); the counts per
request kind are written to LOAD_QUERIES_OUT when Locust stops.
"""

import json
import os
import random
from collections import defaultdict

from locust import HttpUser, between, events

VIEWERS = json.load(open(os.environ["LOAD_VIEWERS"]))["viewers"]
MIX = os.environ.get("LOAD_MIX", "mixed")
SKEW = float(os.environ.get("LOAD_SKEW", "0.8"))
PAGE_SIZE = int(os.environ.get("LOAD_PAGE_SIZE", "20"))
WEIGHTS = [1.0 / (rank + 1) ** SKEW for rank in range(len(VIEWERS))]
POST_TYPES = ("image", "video", "novel", "poem", "music", "comic")
RNG = random.Random(int(os.environ.get("LOAD_SEED", "1")))

# Request kind -> [responses with the header, total queries, most queries].
QUERIES: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])


@events.request.add_listener
def count_queries(request_type, name, response=None, exception=None, **kwargs):
    header = response.headers.get("X-DB-Queries") if response is not None else None
    if header is not None:
        row = QUERIES[name]
        row[0] += 1
        row[1] += int(header)
        row[2] = max(row[2], int(header))


@events.quitting.add_listener
def write_queries(environment, **kwargs):
    out = os.environ.get("LOAD_QUERIES_OUT")
    if out:
        with open(out, "w") as fh:
            json.dump(
                {k: {"responses": n, "queries": q, "max": m} for k, (n, q, m) in QUERIES.items()},
                fh,
            )


class Member(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.new_session()

    def new_session(self):
        viewer = RNG.choices(VIEWERS, weights=WEIGHTS)[0]
        self.auth = {"Authorization": f"Token {viewer['token']}"}
        self.actions_left = RNG.randint(5, 15)
        self.page_ids: list[int] = []
        self.next_url = {"personalized": None, "chronological": None}
        self.hearted: list[int] = []

    # --- Reads ------------------------------------------------------------------------------

    def _expect(self, response, *statuses):
        if response.status_code not in statuses:
            response.failure(f"{response.status_code}: {response.text[:200]}")
            return False
        response.success()
        return True

    def _feed(self, ordering: str, follow_next: bool):
        url = self.next_url[ordering] if follow_next else None
        kind = f"feed {ordering} {'next' if url else 'page 1'}"
        url = url or f"/api/posts/?ordering={ordering}&page_size={PAGE_SIZE}"
        with self.client.get(url, headers=self.auth, name=kind, catch_response=True) as r:
            if self._expect(r, 200):
                body = r.json()
                self.next_url[ordering] = body["next"]
                self.page_ids = [post["id"] for post in body["results"]]

    def personalized_first(self):
        self._feed("personalized", follow_next=False)

    def personalized_next(self):
        self._feed("personalized", follow_next=True)

    def chronological_first(self):
        self._feed("chronological", follow_next=False)

    def chronological_next(self):
        self._feed("chronological", follow_next=True)

    def anonymous(self):
        url = f"/api/posts/?page_size={PAGE_SIZE}"
        with self.client.get(url, name="feed anonymous", catch_response=True) as r:
            self._expect(r, 200)

    def _post_id(self) -> int:
        if not self.page_ids:
            self.personalized_first()
        return RNG.choice(self.page_ids) if self.page_ids else 1

    def post_detail(self):
        with self.client.get(
            f"/api/posts/{self._post_id()}/", headers=self.auth, name="post", catch_response=True
        ) as r:
            self._expect(r, 200)

    def counters(self):
        if not self.page_ids:
            self.personalized_first()
        ids = ",".join(str(i) for i in self.page_ids[:20]) or "1"
        with self.client.get(
            f"/api/posts/meta/?ids={ids}", headers=self.auth, name="meta", catch_response=True
        ) as r:
            self._expect(r, 200)

    # --- Writes -----------------------------------------------------------------------------

    def heart(self):
        post_id = self._post_id()
        with self.client.post(
            f"/api/posts/{post_id}/heart/", headers=self.auth, name="heart", catch_response=True
        ) as r:
            if self._expect(r, 200, 201):
                self.hearted.append(post_id)

    def unheart(self):
        if not self.hearted:
            return self.heart()
        post_id = self.hearted.pop()
        with self.client.delete(
            f"/api/posts/{post_id}/heart/", headers=self.auth, name="unheart", catch_response=True
        ) as r:
            self._expect(r, 204)

    def praise_or_trophy(self):
        kind = RNG.choice(("praise", "trophy"))
        with self.client.post(
            f"/api/posts/{self._post_id()}/{kind}/", headers=self.auth, name=kind,
            catch_response=True,
        ) as r:  # fmt: skip
            self._expect(r, 200, 201)

    def seen(self):
        if not self.page_ids:
            self.personalized_first()
        with self.client.post(
            "/api/posts/seen/", json={"post_ids": self.page_ids[:20]}, headers=self.auth,
            name="seen", catch_response=True,
        ) as r:  # fmt: skip
            self._expect(r, 204)

    def comment(self):
        with self.client.post(
            f"/api/posts/{self._post_id()}/comments/", json={"text": "Lovely light here."},
            headers=self.auth, name="comment", catch_response=True,
        ) as r:  # fmt: skip
            self._expect(r, 201)

    def new_post(self):
        body = {"title": "Study in blue", "post_type": RNG.choice(POST_TYPES), "body": "Work."}
        with self.client.post(
            "/api/posts/", json=body, headers=self.auth, name="new post", catch_response=True
        ) as r:
            self._expect(r, 201)


MIXES = {
    # Weights: reads dominate, as on any community site; about one action in four writes.
    "mixed": {
        Member.personalized_first: 28,
        Member.personalized_next: 12,
        Member.chronological_first: 6,
        Member.chronological_next: 3,
        Member.anonymous: 8,
        Member.post_detail: 6,
        Member.counters: 6,
        Member.heart: 10,
        Member.unheart: 4,
        Member.praise_or_trophy: 4,
        Member.seen: 5,
        Member.comment: 4,
        Member.new_post: 4,
    },
    "chronological": {
        Member.chronological_first: 70,
        Member.chronological_next: 30,
    },
}
_ACTIONS = [action for action, weight in MIXES[MIX].items() for _ in range(weight)]


def act(user: Member):
    """One action of the mix; after the session's last one, the next member takes over."""
    RNG.choice(_ACTIONS)(user)
    user.actions_left -= 1
    if user.actions_left <= 0:
        user.new_session()


Member.tasks = [act]
