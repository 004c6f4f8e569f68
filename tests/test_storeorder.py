"""kg.storeorder: SipHash-2-4-128 as the reference code computes it, and Oxigraph's own order of graph names."""

import pyoxigraph as ox
import pytest

from kg.storeorder import in_store_order, siphash24_128, store_key

REFERENCE_KEY = bytes(range(16))
# vectors_sip128 of the reference implementation (github.com/veorq/SipHash, vectors.h): message 00 01 .. (n-1)
REFERENCE = {
    0: "a3817f04ba25a8e66df67214c7550293",
    1: "da87c1d86b99af44347659119b22fc45",
    7: "a1f1ebbed8dbc153c0b84aa61ff08239",
    8: "3b62a9ba6258f5610f83e264f31497b4",
    15: "5493e99933b0a8117e08ec0f97cfc3d9",
}


@pytest.mark.parametrize("length", sorted(REFERENCE))
def test_siphash_matches_reference_vectors(length):
    assert siphash24_128(bytes(range(length)), REFERENCE_KEY).hex() == REFERENCE[length]


def test_store_key_is_the_order_of_oxigraphs_on_disk_graph_list(tmp_path):
    names = [f"https://example.org/kg/paper/arxiv:2403.{i:05d}/graph" for i in range(60)]
    names += ["https://example.org/kg/paper/x/\u00e9t\u00e9/graph", "https://example.org/kg/corpus"]
    store = ox.Store(str(tmp_path / "store"))
    for name in names:
        store.add(ox.Quad(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"),
                          ox.Literal("o"), ox.NamedNode(name)))
    listed = [graph.value for graph in store.named_graphs()]
    assert listed == in_store_order(names, str)
    assert listed != sorted(names)  # the order is the hashes', not the IRIs'
    assert len({store_key(name) for name in names}) == len(names)
