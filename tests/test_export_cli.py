"""`kg export` from the command line, streaming, and what happens with bad input."""

from __future__ import annotations

import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import cli, main
from kg.export.rdf import generate_rdf
from kg.export.streaming import chunks_from_writer
from kg.quadstore import Quads

FIXTURE = Path(__file__).parent / "fixtures" / "export_small.trig"


def test_default_output_beside_the_graph_and_stdout(tmp_path: Path) -> None:
    graph = tmp_path / "graph.trig"
    graph.write_bytes(FIXTURE.read_bytes())
    result = CliRunner().invoke(cli, ["export", str(graph), "--format", "nquads"])
    assert result.exit_code == 0, result.output
    assert len((tmp_path / "graph.nq").read_text().splitlines()) == 49
    result = CliRunner().invoke(cli, ["export", str(graph), "-f", "ntriples", "-o", "-"])
    assert result.exit_code == 0 and result.stdout.count(" .\n") == 49
    result = CliRunner().invoke(cli, ["export", str(tmp_path), "-f", "neo4j"])  # a build directory
    assert result.exit_code == 0 and (tmp_path / "neo4j" / "import.sh").is_file()


def test_unknown_format_and_directory_to_stdout_are_refused() -> None:
    assert CliRunner().invoke(cli, ["export", str(FIXTURE), "-f", "excel"]).exit_code == 2
    result = CliRunner().invoke(cli, ["export", str(FIXTURE), "-f", "neo4j", "-o", "-"])
    assert result.exit_code == 2 and "writes a directory" in result.output


def test_bad_input_names_file_and_line(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://x/a> <http://x/b> <http://x/c> .\n<http://x/a> <http://x/b> \"open .\n")
    out = tmp_path / "out.nt"
    with pytest.raises(SystemExit) as exit_:
        main(["export", str(bad), "-f", "ntriples", "-o", str(out)])
    assert exit_.value.code == 2
    assert f"{bad}:2:" in capsys.readouterr().err
    assert not out.exists()  # nothing half-written


def test_large_graphs_stream_in_bounded_chunks() -> None:
    store = ox.Store()
    store.extend(
        ox.Quad(ox.NamedNode(f"http://x/s{n}"), ox.NamedNode("http://x/p"), ox.Literal("v" * 50), ox.NamedNode(f"http://x/g{n % 7}"))
        for n in range(20_000)
    )
    chunks = generate_rdf(Quads(store), format=ox.RdfFormat.N_QUADS)
    sizes = [len(chunk) for chunk in chunks]
    assert len(sizes) > 20 and max(sizes) < 2 * 65536  # never the whole 1.9 MB text at once
    assert sum(sizes) > 1_900_000


def test_closing_early_stops_the_writer_and_errors_reach_the_consumer() -> None:
    def endless(out) -> None:
        while True:
            out.write(b"x" * 1000)

    before = threading.active_count()
    chunks = chunks_from_writer(endless, chunk_size=4096)
    next(chunks)
    chunks.close()
    assert threading.active_count() == before

    def failing(out) -> None:
        out.write(b"partial")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        list(chunks_from_writer(failing))


@pytest.mark.parametrize("format", [ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG, ox.RdfFormat.TURTLE])
def test_graphs_past_the_sorting_limit_stream_in_store_order(format, monkeypatch) -> None:
    import kg.export.rdf

    monkeypatch.setattr(kg.export.rdf, "SORTED_LIMIT", 10)
    quads = Quads(ox.Store())
    quads.store.extend(
        ox.Quad(ox.NamedNode(f"http://x/s{n % 5}"), ox.NamedNode("http://x/p"), ox.Literal(f"v{n}"), ox.NamedNode(f"http://x/g{n % 3}"))
        for n in range(60)
    )
    text = b"".join(generate_rdf(quads, format=format))
    read = list(ox.parse(text, format=format))
    expected = len(quads.store) if format.supports_datasets else len(set(q.triple for q in quads.store))
    assert len(read) == expected == 60
