"""The digests of a large corpus's document files, kept small: what the source digest needs.

The source digest is the SHA-256 of the sorted ``<path>\\t<sha256>`` lines of every file read. A
folder's build keeps them in a dict (it hashes every file again at its end); a packed corpus's
shards are checked against its manifest instead, so its document files' lines are only needed
for the digest: each chunk's lines are kept sorted and compressed (``add``), and merged in order
at the end (``lines``), so a million documents cost tens of megabytes, not a dict of millions of
strings.
"""

from __future__ import annotations

import heapq
import zlib
from collections import Counter
from typing import Iterator


class FoldedDigests:
    def __init__(self) -> None:
        self._blobs: list[bytes] = []
        #: Files per top-level folder (``texts``, ``suggestions``...).
        self.counts: Counter = Counter()

    def add(self, digests: dict[str, str]) -> None:
        if not digests:
            return
        lines = "".join(f"{path}\t{digest}\n" for path, digest in sorted(digests.items()))
        # A file name that is not UTF-8 reaches here as surrogate escapes: kept as its bytes.
        self._blobs.append(zlib.compress(lines.encode("utf-8", "surrogateescape"), 1))
        self.counts.update(path.split("/", 1)[0] for path in digests)

    def lines(self) -> Iterator[str]:
        """Every line, sorted."""
        return heapq.merge(*(_blob_lines(blob) for blob in self._blobs))


def _blob_lines(blob: bytes, size: int = 1 << 16) -> Iterator[str]:
    """The lines of one compressed blob, decompressed a piece at a time."""
    inflate = zlib.decompressobj()
    rest = b""
    for start in range(0, len(blob), size):
        rest += inflate.decompress(blob[start:start + size])
        *whole, rest = rest.split(b"\n")
        for line in whole:
            yield line.decode("utf-8", "surrogateescape") + "\n"
    rest += inflate.flush()
    for line in rest.split(b"\n")[:-1]:
        yield line.decode("utf-8", "surrogateescape") + "\n"
