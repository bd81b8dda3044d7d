"""The invented words the demo community is written with: handles, titles, remarks."""

FIRST_NAMES = (
    "ada", "ines", "mara", "kofi", "lena", "tomas", "yuki", "sami", "nadia", "oren", "priya",
    "felix", "juno", "rafa", "elif", "noor", "bram", "lucia", "theo", "amara", "iris", "kenji",
    "sol", "greta", "ravi", "zoe", "milo", "ana", "emeka", "vera", "hugo", "leila", "pablo",
    "selin", "otto", "maya", "dario", "freya", "jonas", "aiko", "wren", "marek", "lior",
    "nina", "tariq", "clara", "idris", "paz", "ruth", "viggo",
)  # fmt: skip

ADJECTIVES = (
    "quiet", "amber", "hollow", "late", "paper", "velvet", "salt", "borrowed", "small",
    "northern", "blue", "tidal", "slow", "copper", "faded", "wild", "bright", "lost", "soft",
    "electric", "winter", "golden", "restless", "early", "silver", "green", "unfinished",
    "distant", "crooked", "gentle",
)  # fmt: skip

NOUNS = (
    "lantern", "harbour", "moth", "orchard", "window", "static", "river", "fern", "comet",
    "staircase", "kettle", "tram", "lighthouse", "meadow", "signal", "attic", "ferry", "heron",
    "quarry", "garden", "mirror", "balcony", "lagoon", "thread", "compass", "pylon", "dune",
    "alley", "glacier", "market",
)  # fmt: skip

# What each artist type calls their craft in a handle ("mara_inks", "kofi.loops").
CRAFT_WORDS = {
    "visual_artist": ("draws", "sketches", "paints", "inks", "studio", "gouache"),
    "writer": ("writes", "verses", "pages", "quill", "drafts", "stories"),
    "musician": ("sounds", "beats", "loops", "keys", "tapes", "strings"),
    "filmmaker": ("films", "reels", "frames", "cuts", "super8", "cinema"),
    "photographer": ("shoots", "lens", "light", "grain", "35mm", "exposure"),
    "other": ("makes", "crafts", "works", "collects", "zines", "things"),
}

# The share of each artist type among the members, roughly.
ARTIST_TYPE_WEIGHTS = {
    "visual_artist": 25,
    "writer": 20,
    "photographer": 17,
    "musician": 15,
    "filmmaker": 10,
    "other": 13,
}

# Which post types each artist type publishes, and how often.
POST_TYPE_AFFINITY = {
    "visual_artist": {"image": 60, "comic": 30, "video": 5, "poem": 5},
    "writer": {"novel": 50, "poem": 40, "comic": 5, "image": 5},
    "musician": {"music": 80, "video": 12, "poem": 8},
    "filmmaker": {"video": 75, "image": 15, "music": 10},
    "photographer": {"image": 85, "video": 15},
    "other": {"image": 20, "video": 15, "novel": 15, "poem": 15, "music": 15, "comic": 20},
}

# (name, themes by artist type, private?); the first three are what a tiny demo gets.
COLLECTIVES = (
    ("Inkwell Society", ("writer",), False),
    ("Night Shutter", ("photographer",), False),
    ("Verse Garden", ("writer",), True),
    ("Loop Station", ("musician",), False),
    ("Panel Crew", ("visual_artist",), False),
    ("Frame by Frame", ("filmmaker",), False),
    ("Charcoal & Coffee", ("visual_artist",), True),
    ("Open Studio", ("visual_artist", "writer", "musician", "filmmaker", "photographer", "other"),
     False),
    ("Grain & Light", ("photographer", "filmmaker"), False),
    ("Field Recordings", ("musician",), True),
    ("Zine Club", ("writer", "visual_artist", "other"), False),
    ("Stop Motion Hour", ("filmmaker", "visual_artist"), True),
    ("Late Night Sketch", ("visual_artist",), False),
    ("Sound & Vision", ("musician", "filmmaker"), False),
)  # fmt: skip

CHANNEL_NAMES = ("showcase", "works-in-progress", "critique-corner", "prompts", "collabs")

SUBJECTS = (
    "my grandmother's hands", "the night bus", "rain on a tin roof", "the last ferry home",
    "an empty swimming pool", "the corner shop at dawn", "my neighbour's cat", "fog on the river",
    "a broken umbrella", "the first warm day", "a crowded platform", "sunflowers after the storm",
    "the view from the tenth floor", "an old radio", "the bakery queue", "winter light",
)  # fmt: skip
MEDIUMS = ("gouache", "charcoal", "ink", "watercolour", "graphite", "linocut", "oil pastel")
PLACES = ("the harbour", "Lisbon", "the allotment", "the old mill", "the coast", "the market")
KEYS = ("D minor", "E flat", "A minor", "G major", "F sharp minor", "C major")

# Title templates by post type; {a} adjective, {n} noun, {s} subject, {m} medium,
# {p} place, {k} key, {i} a small number.
TITLES = {
    "image": (
        "{A} {n}", "Study of {s}", "{S} in {m}", "Sketchbook page {i}", "{A} {n}, {m} on paper",
        "Portrait: {s}",
    ),
    "video": (
        "{A} {n} (short film)", "Timelapse: {s}", "B-roll from {p}", "One minute of {s}",
        "{A} {n}, shot on my phone",
    ),
    "novel": (
        "Chapter {i}: the {a} {n}", "The {n} of {p}", "{A} {n} (excerpt)",
        "A story about {s}", "The {a} {n}, part {i}",
    ),
    "poem": ("{A} {n}", "Ode to {s}", "Before the {n}", "Three lines on {s}", "{A} hours"),
    "music": (
        "{A} {n} (demo)", "Loop #{i}", "{N} in {k}", "Sketch in {k}", "{A} {n}, live take",
    ),
    "comic": (
        "{A} {n} #{i}", "Four panels about {s}", "Strip: {s}", "The {n} chronicles, page {i}",
    ),
}  # fmt: skip

BODIES = (
    "Made this over the weekend.",
    "Still figuring out the lighting on this one.",
    "Feedback very welcome.",
    "Part of a series I'm working on this month.",
    "This took far longer than I'd like to admit.",
    "Trying something new here, be gentle.",
    "Finally finished it!",
    "Based on a walk I took last week.",
    "First attempt, more to come.",
    "Inspired by {s}.",
)

COMMENTS = (
    "This is gorgeous.", "The colours!", "Saving this one.", "Love the mood here.",
    "How long did this take?", "Wow, just wow.", "This made my morning.", "So good.",
    "I keep coming back to this.", "The details are incredible.", "Need more of this.",
    "Beautiful work, as always.", "This deserves way more attention.", "Absolutely love it.",
    "What a vibe.", "Goosebumps.", "You're getting so good at this.", "Stunning.",
)  # fmt: skip

COMMENTS_BY_TYPE = {
    "image": ("The lighting is perfect.", "Those shadows!", "Love the composition."),
    "video": ("That transition!", "The pacing is spot on.", "Great sound design too."),
    "novel": ("I need the next chapter.", "Your dialogue is so natural.", "Couldn't stop reading."),
    "poem": ("That last line hit hard.", "Read it three times.", "The imagery is lovely."),
    "music": ("Can't stop replaying the bridge.", "That bassline!", "On repeat all day."),
    "comic": ("Laughed out loud at panel three.", "The expressions are perfect.", "More please!"),
}

CRITIQUES_BY_TYPE = {
    "image": (
        "The horizon sits dead centre; moving it to a third would give the sky more room.",
        "The values in the background compete with the subject; try knocking them back.",
        "Lovely palette, but the left edge feels unresolved compared to the rest.",
    ),
    "video": (
        "The cut at the midpoint feels abrupt; a J-cut would smooth it.",
        "Audio levels jump between scenes; a quick normalise pass would help.",
        "Strong opening shot, but the middle drags; I'd trim ten seconds.",
    ),
    "novel": (
        "Strong opening, but the middle section drags; tighten the dialogue.",
        "The point of view slips in the second scene; I wasn't sure whose head I was in.",
        "Great atmosphere; the ending could use one more beat before the reveal.",
    ),
    "poem": (
        "The second stanza loses the rhythm of the first; trim a syllable or two.",
        "I'd cut the final line; the penultimate one lands harder on its own.",
        "Beautiful images, but a couple of adjectives are doing the same work.",
    ),
    "music": (
        "The mix is a bit muddy around the low mids; the bass and kick are fighting.",
        "The vocal sits too far back in the chorus.",
        "Great groove; the outro repeats one time too many for me.",
    ),
    "comic": (
        "Panel three is crowded; the speech bubble covers the key expression.",
        "The reading order in the second row is ambiguous.",
        "Lettering is a little small for phone screens.",
    ),
}
