"""Split assignment: a pure function of a document's ``story_id``.

Documents of one story never straddle splits, and a story's split never changes between
versions, because it depends on nothing but the story id (not on the corpus size or order).
"""

from __future__ import annotations

import hashlib

SPLITS: tuple[str, ...] = ("train", "validation", "test")
SALT = "newsspans-split-v1:"
#: Buckets 0-79 train, 80-89 validation, 90-99 test.
BOUNDS: tuple[tuple[str, int], ...] = (("train", 80), ("validation", 90), ("test", 100))

RULE = (
    f"bucket = int(sha256(('{SALT}' + story_id).encode('utf-8')).hexdigest()[:8], 16) % 100; "
    "buckets 0-79 are train, 80-89 validation, 90-99 test"
)


def bucket(story_id: str) -> int:
    return int(hashlib.sha256((SALT + story_id).encode("utf-8")).hexdigest()[:8], 16) % 100


def split_of(story_id: str) -> str:
    b = bucket(story_id)
    for name, bound in BOUNDS:
        if b < bound:
            return name
    raise AssertionError("unreachable: bucket is below 100")
