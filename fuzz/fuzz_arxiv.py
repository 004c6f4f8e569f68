"""Fuzz target: the `arxiv` corpus reader. `python fuzz/fuzz_arxiv.py -runs=1000`"""

from target import run_target

if __name__ == "__main__":
    run_target("arxiv")
