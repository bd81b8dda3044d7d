"""Posts, appreciations (hearts, praise, trophies), comments, critiques, seen and hidden marks."""
