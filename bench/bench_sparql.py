"""Benchmark: every named query through `kg query` on a synthetic graph of 1 million triples.

The graph is written in the project's vocabulary (docs/CONTRACTS.md, ontology/kg.ttl):
papers in one named graph each, with mentions, introduced/used entities, relations with
evidence, mention and sentence spans, plus entity descriptions and analytics terms.
Entity popularity is Zipf-like, so the most-mentioned entities (the ones the bench binds)
are the expensive case. Target: each named query answers in under 1 second.

Usage::

    python bench/bench_sparql.py --triples 1000000 --write-doc docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KG = "https://w3id.org/kg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
BASE = "https://w3id.org/kg/resource/"
TYPES = ("Method", "Model", "Dataset", "Benchmark", "Task", "Metric")
RELATIONS = ("basedOn", "evaluatedOn", "appliedTo", "outperforms")
TRIPLES_PER_PAPER = 118  # measured from the generator below; sizes the paper count
ENTITIES_PER_PAPER = 8


def _lit(text: str, datatype: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"' + (f"^^<{XSD}{datatype}>" if datatype else "")


def write_synthetic_graph(path: Path, *, triples: int = 1_000_000, seed: int = 0) -> int:
    """Write about ``triples`` quads of a synthetic corpus graph as N-Quads; return the count."""
    rng = random.Random(seed)
    n_papers = max(10, triples // TRIPLES_PER_PAPER)
    n_entities = max(60, n_papers * 2)
    entity_type = [TYPES[i % len(TYPES)] for i in range(n_entities)]
    # Zipf-like popularity: entity i drawn with weight 1/(i+1)
    weights = [1.0 / (i + 1) for i in range(n_entities)]
    count = 0
    with open(path, "w", encoding="utf-8") as out:

        def quad(s: str, p: str, o: str, g: str) -> None:
            nonlocal count
            out.write(f"{s} <{p}> {o} <{g}> .\n")
            count += 1

        shared = f"{BASE}graph/corpus"
        papers_of = [0] * n_entities
        support: dict[tuple[int, str, int], list[int]] = {}
        population = range(n_entities)
        for p in range(n_papers):
            paper, graph = f"<{BASE}paper/{p}>", f"{BASE}paper/{p}/graph"
            quad(paper, RDF_TYPE, f"<{KG}Paper>", graph)
            quad(paper, f"{DCT}identifier", _lit(f"paper-{p}"), graph)
            quad(paper, f"{DCT}title", _lit(f"A study number {p} of things"), graph)
            quad(paper, f"{DCT}date", _lit(f"20{10 + p % 15}-0{1 + p % 9}-1{p % 9}", "date"), graph)
            quad(paper, f"{DCT}abstract", _lit(f"We study problem {p}. " * 5), graph)
            quad(paper, f"{DCT}creator", _lit(f"Author {rng.randrange(5000)}"), graph)
            quad(paper, f"{DCT}creator", _lit(f"Author {rng.randrange(5000)}"), graph)
            chosen = sorted(set(rng.choices(population, weights=weights, k=ENTITIES_PER_PAPER)))
            for s in range(3):
                sentence = f"<{BASE}paper/{p}/sentence/{s}>"
                quad(sentence, RDF_TYPE, f"<{KG}Sentence>", graph)
                quad(sentence, f"{KG}inPaper", paper, graph)
                quad(sentence, f"{KG}field", _lit("abstract"), graph)
                quad(sentence, f"{KG}start", _lit(str(s * 40), "integer"), graph)
                quad(sentence, f"{KG}end", _lit(str(s * 40 + 39), "integer"), graph)
                quad(sentence, f"{KG}text", _lit(f"Sentence {s} of paper {p}."), graph)
            for k, i in enumerate(chosen):
                papers_of[i] += 1
                e = f"<{BASE}entity/{i}>"
                quad(paper, f"{KG}mentions", e, graph)
                quad(paper, f"{KG}introduces" if rng.random() < 0.1 else f"{KG}uses", e, graph)
                mention = f"<{BASE}paper/{p}/mention/{k}>"
                quad(mention, RDF_TYPE, f"<{KG}Mention>", graph)
                quad(mention, f"{KG}mentionOf", e, graph)
                quad(mention, f"{KG}inPaper", paper, graph)
                quad(mention, f"{KG}field", _lit("abstract"), graph)
                quad(mention, f"{KG}start", _lit(str(k * 5), "integer"), graph)
                quad(mention, f"{KG}end", _lit(str(k * 5 + 4), "integer"), graph)
                quad(mention, f"{KG}text", _lit(f"{entity_type[i]} {i}"), graph)
                quad(mention, f"{KG}inSentence", f"<{BASE}paper/{p}/sentence/{k % 3}>", graph)
            for r in range(2):
                if len(chosen) < 2:
                    break
                head, tail = rng.sample(chosen, 2)
                relation = "evaluatedOn" if r == 0 else rng.choice(RELATIONS)
                quad(f"<{BASE}entity/{head}>", f"{KG}{relation}", f"<{BASE}entity/{tail}>", graph)
                support.setdefault((head, relation, tail), []).append(p)
                evidence = f"<{BASE}paper/{p}/evidence/{r}>"
                quad(evidence, RDF_TYPE, f"<{KG}Evidence>", graph)
                quad(evidence, f"{RDF}subject", f"<{BASE}entity/{head}>", graph)
                quad(evidence, f"{RDF}predicate", f"<{KG}{relation}>", graph)
                quad(evidence, f"{RDF}object", f"<{BASE}entity/{tail}>", graph)
                quad(evidence, f"{KG}inPaper", paper, graph)
                quad(evidence, f"{KG}text", _lit(f"Sentence {r} of paper {p}."), graph)
                quad(evidence, f"{KG}sentenceIndex", _lit(str(r), "integer"), graph)
        for i in range(n_entities):
            if not papers_of[i]:
                continue  # the builder writes only entities that some paper mentions
            e = f"<{BASE}entity/{i}>"
            quad(e, RDF_TYPE, f"<{KG}{entity_type[i]}>", shared)
            quad(e, f"{SKOS}prefLabel", _lit(f"{entity_type[i]} {i}"), shared)
            quad(e, f"{SKOS}altLabel", _lit(f"{entity_type[i][:2].upper()}-{i}"), shared)
            quad(e, f"{KG}paperCount", _lit(str(papers_of[i]), "integer"), shared)
        analytics = f"{BASE}graph/analytics"
        for rank, i in enumerate(range(min(n_entities, 2000)), start=1):
            e = f"<{BASE}entity/{i}>"
            quad(e, f"{KG}centralityRank", _lit(str(rank), "integer"), analytics)
            quad(e, f"{KG}centralityScore", _lit(f"{1 - rank / 2001:.4f}", "double"), analytics)
            quad(e, f"{KG}inCommunity", f"<{BASE}community/{i % 20}>", analytics)
        for c in range(20):
            quad(f"<{BASE}community/{c}>", RDFS_LABEL, _lit(f"community {c}"), analytics)
        for n, ((head, relation, tail), papers) in enumerate(sorted(support.items())):
            node = f"<{BASE}relation/{n}>"
            quad(node, RDF_TYPE, f"<{KG}RelationSupport>", shared)
            quad(node, f"{RDF}subject", f"<{BASE}entity/{head}>", shared)
            quad(node, f"{RDF}predicate", f"<{KG}{relation}>", shared)
            quad(node, f"{RDF}object", f"<{BASE}entity/{tail}>", shared)
            quad(node, f"{KG}supportCount", _lit(str(len(papers)), "integer"), shared)
            for p in papers:
                quad(node, f"{KG}supportedBy", f"<{BASE}paper/{p}>", shared)
    return count


# The most-mentioned entity of each type (Zipf rank 0..3), i.e. the costliest to bind.
BINDINGS = {
    "based-on": {"entity": "Model 1"},
    "co-mentions": {"entity": "Model 1"},
    "datasets-for-method": {"method": "Method 0"},
    "entity-mentions": {"entity": "Dataset 2"},
    "fact-provenance": {"subject": "Method 0"},
    "models-on-benchmark": {"benchmark": "Benchmark 3"},
    "papers-mentioning": {"entity": "Dataset 2"},
}
KG_COMMAND = [sys.executable, "-c", "from kg.cli import main; main()"]


def _kg_query(store: Path, name: str) -> tuple[float, int]:
    binds = [f"--bind={k}={v}" for k, v in BINDINGS.get(name, {}).items()]
    started = time.perf_counter()
    done = subprocess.run([*KG_COMMAND, "query", str(store), "--name", name, *binds, "--format", "csv"],
                          capture_output=True, text=True, check=True)
    return time.perf_counter() - started, max(0, len(done.stdout.splitlines()) - 1)


def _in_process(store: Path, name: str, repeat: int) -> float:
    from rdflib import Literal

    from kg.sparql import named_query, run_query
    from kg.sparql.diskstore import open_read_only
    from kg.sparql.terms import from_oxigraph

    opened = open_read_only(store)
    bindings = {k: Literal(v) for k, v in BINDINGS.get(name, {}).items()}
    best = float("inf")
    for _ in range(repeat):
        from_oxigraph.cache_clear()  # as in a fresh `kg query`: no terms converted yet
        started = time.perf_counter()
        run_query(opened, named_query(name).text, bindings=bindings)
        best = min(best, time.perf_counter() - started)
    return best


def _load() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=None, help="keep the graph and store here (default: temporary)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--target", type=float, default=1.0, help="seconds each named query may take")
    parser.add_argument("--write-doc", type=Path, default=None, help="update the SPARQL section of this Markdown file")
    args = parser.parse_args(argv)
    from kg.sparql import named_queries

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-sparql-"))
    workdir.mkdir(parents=True, exist_ok=True)
    graph, store = workdir / f"synthetic-{args.triples}-{args.seed}.nq", workdir / f"store-{args.triples}-{args.seed}"
    if not graph.exists():
        started = time.perf_counter()
        quads = write_synthetic_graph(graph, triples=args.triples, seed=args.seed)
        print(f"wrote {quads} quads in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    from kg.sparql.diskstore import is_store_directory

    reused = is_store_directory(store)  # rebuilt anyway if the graph file changed
    started = time.perf_counter()
    subprocess.run([*KG_COMMAND, "query", str(graph), "--store", str(store), "ASK { ?s ?p ?o }"], check=True, capture_output=True)
    build_seconds = time.perf_counter() - started
    loading = (
        f"The on-disk store came from an earlier run in {workdir} (`kg query GRAPH --store DIR` loads it on first use)."
        if reused
        else f"Loading the N-Quads file into the on-disk store (`kg query GRAPH --store DIR`, first run only) took {build_seconds:.1f} s."
    )
    from kg.sparql.diskstore import open_read_only

    quads = len(open_read_only(store))
    load_before = _load()
    rows, failures, slowest = [], 0, 0.0
    for name in named_queries():
        timings = [_kg_query(store, name) for _ in range(args.repeat)]
        wall = statistics.median(t for t, _ in timings)
        best = min(t for t, _ in timings)
        query_only = _in_process(store, name, args.repeat)
        ok = wall < args.target
        failures += not ok
        slowest = max(slowest, wall)
        binds = ", ".join(f"{k}={v}" for k, v in BINDINGS.get(name, {}).items()) or "-"
        rows.append(f"| {name} | {binds} | {timings[0][1]} | {wall:.2f} | {best:.2f} | {query_only:.3f} | {'yes' if ok else 'NO'} |")
        print(rows[-1], file=sys.stderr)
    n_queries = len(rows)
    section = (
        "## SPARQL: named queries on 1 million triples (`bench/bench_sparql.py`)\n\n"
        f"Synthetic graph in the project vocabulary: {quads:,} quads (seed {args.seed}), Zipf-like entity "
        "popularity; each parameter is bound to the most-mentioned entity of its type (the costliest case). "
        f"`kg query STORE --name N --format csv` wall time is the median (and best) of {args.repeat} runs, Python "
        "start-up included; *query only* is the best in-process `run_query` time on the open store, term "
        "conversion cache cleared before each run. "
        f"{loading} Target: under {args.target:g} s per query through `kg query`.\n\n"
        f"Machine: {os.cpu_count()} CPUs, 1-minute load average {load_before:.1f} before and {_load():.1f} after "
        f"the run (Python {sys.version.split()[0]}, pyoxigraph {_version('pyoxigraph')}, rdflib {_version('rdflib')}).\n\n"
        "| named query | bound | rows | `kg query` wall, median (s) | best (s) | query only (s) | under target |\n"
        "|---|---|---:|---:|---:|---:|---|\n" + "\n".join(rows) + "\n\n"
        f"Result: {n_queries - failures} of {n_queries} named queries under {args.target:g} s through `kg query`; "
        f"slowest median {slowest:.2f} s.\n\n"
        f"Command: `python bench/bench_sparql.py --triples {args.triples} --seed {args.seed} --repeat {args.repeat} "
        "--write-doc docs/benchmarks.md`\n\n"
    )
    print(section)
    if args.write_doc:
        from benchdoc import replace_section  # bench/ is on sys.path when run as a script

        replace_section(args.write_doc, "bench_sparql", section)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
