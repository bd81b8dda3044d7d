"""Titles and bodies for the long-tailed community, so that search has something to find.

Words follow a Zipf-Mandelbrot law (rank r drawn in proportion to 1 / (r + 50)) over a
vocabulary of 20,000 words: the art words and the demo's words first (the common ones),
then invented words for the long tail. With about 15 words a post, the commonest word is
in about 5% of the posts, the 1,000th in about 0.2%, the 10,000th in about 0.03%: a few
words match a great many posts and most match a few, as on a real site. Short English
words ("of", "the") join titles as they would; the search configurations drop them.

Drawn from a generator of their own, so a community's other records do not change with
or without text. Deterministic for a seed.
"""

from itertools import product

import numpy as np

from atelier.dump import demo_words

VOCABULARY_SIZE = 20_000
MANDELBROT_SHIFT = 50
# About a third of the posts have no text but their title, as on the sites this imitates.
EMPTY_BODY_SHARE = 0.3

ART_WORDS = (
    "ink", "portrait", "sketch", "landscape", "study", "watercolour", "charcoal", "figure",
    "light", "colour", "shadow", "still", "life", "abstract", "street", "night", "city",
    "sea", "forest", "mountain", "flower", "bird", "cat", "dog", "horse", "woman", "man",
    "child", "hands", "face", "eyes", "sky", "cloud", "rain", "snow", "summer", "autumn",
    "spring", "morning", "evening", "dusk", "dawn", "moon", "sun", "star", "walnut", "oak",
    "pine", "stone", "glass", "paper", "canvas", "oil", "acrylic", "pastel", "pencil",
    "graphite", "gouache", "linocut", "etching", "print", "collage", "zine", "comic", "panel",
    "page", "chapter", "poem", "verse", "song", "loop", "beat", "demo", "mix", "film",
    "frame", "reel", "scene", "shot", "photo", "lens", "grain", "exposure", "portrait",
    "self", "series", "daily", "practice", "gesture", "anatomy", "perspective", "texture",
    "pattern", "palette", "brush", "pen", "nib", "quill", "blue", "red", "yellow", "ochre",
    "umber", "sepia", "indigo", "violet", "green", "black", "white", "gold", "silver",
    "copper", "bronze", "river", "harbour", "bridge", "window", "door", "garden", "kitchen",
    "market", "train", "tram", "station", "boat", "ferry", "lighthouse", "island", "desert",
    "field", "meadow", "orchard", "tree", "leaf", "root", "seed", "fruit", "bread", "coffee",
    "tea", "cup", "bowl", "vase", "bottle", "lamp", "lantern", "candle", "mirror", "chair",
    "table", "room", "house", "roof", "wall", "tile", "mosaic", "sculpture", "clay", "wood",
    "carving", "ceramic", "thread", "textile", "quilt", "embroidery", "knit", "weave",
    "dancer", "music", "piano", "guitar", "violin", "drum", "voice", "choir", "opera",
    "dream", "memory", "silence", "storm", "wind", "fire", "smoke", "fog", "mist", "tide",
)  # fmt: skip
FILLER = ("of", "the", "in", "at", "with", "and", "on", "a", "after", "before", "under")
_SYLLABLES = (
    "ka", "lo", "mi", "ren", "sa", "tor", "vel", "qua", "dri", "ne", "bo", "shi", "gal",
    "pe", "run", "ty", "zo", "fen", "ul", "mar", "osk", "ith", "bre", "cal",
)  # fmt: skip


def vocabulary() -> list[str]:
    """The words by rank: art words, the demo's words, then invented ones (distinct)."""
    words: dict[str, None] = {}
    demo = demo_words.NOUNS + demo_words.ADJECTIVES + demo_words.MEDIUMS
    crafts = tuple(w for group in demo_words.CRAFT_WORDS.values() for w in group)
    for word in ART_WORDS + demo + crafts:
        if word.isalpha():
            words[word] = None
    for length in (2, 3, 4):
        for parts in product(_SYLLABLES, repeat=length):
            if len(words) >= VOCABULARY_SIZE:
                return list(words)
            words["".join(parts)] = None
    return list(words)


def post_texts(posts: int, seed: int) -> tuple[list[str], list[str]]:
    """`posts` (title, body) pairs: titles of 2 to 5 words, bodies of 5 to 30 or none."""
    rng = np.random.default_rng([seed, 19])
    words = np.array(vocabulary(), dtype=object)
    ranks = np.arange(1, len(words) + 1, dtype=np.float64)
    p = 1.0 / (ranks + MANDELBROT_SHIFT)
    p /= p.sum()
    title_lengths = rng.integers(2, 6, posts)
    body_lengths = np.where(rng.random(posts) < EMPTY_BODY_SHARE, 0, rng.integers(5, 31, posts))
    drawn = words[rng.choice(len(words), int(title_lengths.sum() + body_lengths.sum()), p=p)]
    fillers = rng.random(posts) < 0.4
    filler_words = rng.choice(FILLER, posts)
    titles, bodies, at = [], [], 0
    for i in range(posts):
        title = list(drawn[at : at + title_lengths[i]])
        at += title_lengths[i]
        if fillers[i]:  # "lantern of walnut": a short English word, as titles have
            title.insert(1, filler_words[i])
        titles.append(" ".join(title).capitalize())
        body = drawn[at : at + body_lengths[i]]
        at += body_lengths[i]
        bodies.append(" ".join(body).capitalize() + "." if len(body) else "")
    return titles, bodies
