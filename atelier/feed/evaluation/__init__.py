"""Offline replay evaluation of the feed's scorer (`atelier evaluate`).

- `community`: the database's rows read once into NumPy arrays, and `Community.hydrate`,
  the bulk as-of hydrator (the same `Candidates` as `features.hydrate(..., as_of=T)`);
- `protocol`: moments, viewers, candidates and relevant posts, as the issue defines them;
- `metrics`: HR@k, NDCG@k, MRR, paired bootstrap intervals;
- `rankers`: the rankers (each a `Ranking` run through `atelier.feed.scorer.rank`) and
  ranking files (`--weights`, `--tune`'s output, `atelier load_ranking`);
- `runner`: the evaluation itself, its table, JSON and chart; `tune`: the weight search.
"""
