"""Benchmark: push a 1-million-triple graph to a local Oxigraph server (target: under 60 s).

Generates a kg-shaped N-Quads file (one named graph per paper; titles, abstracts with
escapes and non-ASCII text, dates, typed entities, ``kg:mentions`` links), starts
``oxigraph serve`` on a free loopback port with its data in a temporary directory, and
times `kg.push.push` end to end: parsing the file, planning the batches, sending them
and checking the triple count of every graph.

Usage::

    python bench/bench_push.py [--triples 1000000] [--protocol gsp|update] [--batch-size 1000]
                               [--concurrency 2] [--write-doc docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from benchdoc import replace_section

from kg.push import push

KG = "https://w3id.org/kg/ontology#"
BASE = "https://w3id.org/kg/resource/"
TARGET_SECONDS = 60.0


def write_graph(path: Path, *, triples: int, seed: int = 0) -> int:
    """Write ``triples`` distinct quads shaped like a kg build; return how many were written.

    Each paper has its own named graph of 40 triples (title, abstract with escapes and
    non-ASCII text, date, and 36 ``kg:mentions``/``kg:uses`` links); the entities it
    links to are described (type and label) in one shared graph, as `kg build` does.
    """
    rng = random.Random(seed)
    entities_graph = f"<{BASE}graph/entities>"
    described: set[int] = set()
    written = paper = 0
    with path.open("w", encoding="utf-8") as out:
        while written < triples:
            graph, subject = f"<{BASE}graph/paper/{paper}>", f"<{BASE}paper/{paper}>"
            lines = [
                f"{subject} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KG}Paper> {graph} .",
                f'{subject} <http://purl.org/dc/terms/title> "Paper {paper}: a \\"study\\" of naïve models" {graph} .',
                f'{subject} <http://purl.org/dc/terms/abstract> "Line one.\\nLine two, with données." {graph} .',
                f'{subject} <http://purl.org/dc/terms/date> "2024-01-{1 + paper % 28:02d}"^^<http://www.w3.org/2001/XMLSchema#date> {graph} .',
            ]
            for entity in rng.sample(range(200_000), 18):
                iri = f"<{BASE}entity/{entity}>"
                lines.append(f"{subject} <{KG}mentions> {iri} {graph} .")
                lines.append(f"{subject} <{KG}uses> {iri} {graph} .")
                if entity not in described:
                    described.add(entity)
                    lines.append(f"{iri} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KG}Method> {entities_graph} .")
                    lines.append(f'{iri} <http://www.w3.org/2004/02/skos/core#prefLabel> "method {entity}" {entities_graph} .')
            lines = lines[: triples - written]
            out.write("\n".join(lines) + "\n")
            written += len(lines)
            paper += 1
    return written


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(location: Path, port: int) -> subprocess.Popen:
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    process = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/query", params={"query": "ASK {}"}, timeout=2)
            return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("oxigraph server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--protocol", choices=["gsp", "update"], default="update")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--write-doc", type=Path, help="add the result to this benchmarks page (its bench_push section)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-bench-push-") as temp:
        data = Path(temp) / "graph.nq"
        triples = write_graph(data, triples=args.triples)
        port = free_port()
        server = start_server(Path(temp) / "store", port)
        try:
            start = time.perf_counter()
            report = push(data, endpoint=f"http://127.0.0.1:{port}", store="oxigraph", protocol=args.protocol,
                          batch_size=args.batch_size, concurrency=args.concurrency, replace=True)
            seconds = time.perf_counter() - start
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert report.triples == triples and all(want == got for want, got in report.counts.values())
    verdict = "met" if seconds < TARGET_SECONDS else "MISSED"
    phases = ", ".join(f"{name} {value:.1f} s" for name, value in report.seconds.items())
    print(f"{report.summary()}\n{triples} triples in {seconds:.1f} s ({phases}; {triples / seconds:,.0f} triples/s); "
          f"target < {TARGET_SECONDS:.0f} s: {verdict}")
    if args.write_doc:
        command = (f"python bench/bench_push.py --triples {args.triples} --protocol {args.protocol} "
                   f"--batch-size {args.batch_size} --concurrency {args.concurrency} --write-doc docs/benchmarks.md")
        load = os.getloadavg()[0]
        row = (f"| {time.strftime('%Y-%m-%d')} | {args.protocol} | {args.batch_size} / {args.concurrency} | {triples:,} "
               f"| {seconds:.1f} s | {phases} | < {TARGET_SECONDS:.0f} s: {verdict} "
               f"| {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, load {load:.1f} "
               f"| `{command}` |")
        write_doc(args.write_doc, row)


def write_doc(path: Path, row: str, *, keep: int = 8) -> None:
    """Add ``row`` to this benchmark's table in ``path`` (keeping the last ``keep`` rows)."""
    start = "<!-- bench_push:start -->"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    section = text.split(start, 1)[1].split("<!-- bench_push:end -->", 1)[0] if start in text else ""
    rows = [line for line in section.splitlines() if line.startswith("| 2")] + [row]
    replace_section(path, "bench_push", (
        "## Push: 1 million triples to an Oxigraph server (`bench/bench_push.py`)\n\n"
        "A kg-shaped N-Quads file (one named graph of 40 triples per paper, entities described in a "
        "shared graph; 17,136 graphs for a million triples) pushed with `kg.push.push` to `oxigraph serve` "
        "on loopback, timed end to end: *read* parses the file and cuts the batches, *send* is the "
        "requests, *check* asks the store for the triple count of every graph.\n\n"
        "The send phase is the store's CPU (about 27 µs a triple in Oxigraph 0.5.13); more requests"
        " in flight do not shorten it (1, 2 and 4 measured within 1 s of each other), as Oxigraph "
        "applies write transactions one at a time. On the shared 2-core development machine at load"
        " 9 the same million-triple update push took 154-168 s: there the target is not met.\n\n"
        "| date | protocol | batch / in flight | triples | total | phases | target | machine | command |\n"
        "|---|---|---|---|---|---|---|---|---|\n" + "\n".join(rows[-keep:]) + "\n"
    ))


if __name__ == "__main__":
    main()
