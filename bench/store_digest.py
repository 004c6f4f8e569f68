"""An order-free digest of a build directory's store: are two stores the same graph?

`tests/test_incremental.py` compares the sorted quads of small builds; at 100,000 papers
(30 M quads, 6.7 GB of N-Quads) sorting both is slow, so this sums a 128-bit hash of each
N-Quads line as the store dumps it (a multiset digest: the same quads in any order give the
same sum), leaving out the run timestamps (`prov:startedAtTime`, `prov:endedAtTime`),
which differ from run to run. Every term of a build is an IRI or a literal (no blank
nodes), so equal lines mean equal quads.

    python bench/store_digest.py INCREMENTAL/store FRESH/store

prints each store's quad count and digest, and exits 1 when they differ.
"""

from __future__ import annotations

import argparse
import hashlib
import sys

import pyoxigraph as ox

_SKIPPED = (b"<http://www.w3.org/ns/prov#startedAtTime>", b"<http://www.w3.org/ns/prov#endedAtTime>")


class _LineDigest:
    """A file-like sink for `Store.dump`: hashes each whole line as it arrives."""

    def __init__(self) -> None:
        self.total = self.lines = 0
        self._rest = b""

    def write(self, data: bytes) -> int:
        chunk = self._rest + bytes(data)
        *whole, self._rest = chunk.split(b"\n")
        for line in whole:
            self._add(line)
        return len(data)

    def _add(self, line: bytes) -> None:
        if not line:
            return
        if any(predicate in line for predicate in _SKIPPED):
            return
        digest = hashlib.blake2b(line, digest_size=16).digest()
        self.total = (self.total + int.from_bytes(digest, "big")) % (1 << 128)
        self.lines += 1

    def flush(self) -> None:
        pass


def store_digest(path: str) -> tuple[int, str]:
    """(quads, digest) of the store at ``path``, run timestamps left out.

    Examples
    --------
    >>> import tempfile
    >>> a, b = tempfile.mkdtemp(), tempfile.mkdtemp()
    >>> quads = [ox.Quad(ox.NamedNode(f"http://x/s{i}"), ox.NamedNode("http://x/p"), ox.Literal(str(i)),
    ...                  ox.NamedNode("http://x/g")) for i in range(3)]
    >>> first, second = ox.Store(a), ox.Store(b)
    >>> first.extend(quads); second.extend(reversed(quads))
    >>> del first, second
    >>> store_digest(a) == store_digest(b)
    True
    """
    sink = _LineDigest()
    ox.Store.read_only(path).dump(output=sink, format=ox.RdfFormat.N_QUADS)
    sink._add(sink._rest)
    return sink.lines, format(sink.total, "032x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stores", nargs="+", help="store directories (DIR/store of a build directory)")
    args = parser.parse_args(argv)
    digests = []
    for path in args.stores:
        quads, digest = store_digest(path)
        digests.append(digest)
        print(f"{path}\t{quads} quads\t{digest}")
    return 0 if len(set(digests)) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
