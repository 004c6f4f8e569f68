"""Fuzz target: the `tsv` corpus reader. `python fuzz/fuzz_tsv.py -runs=1000`"""

from target import run_target

if __name__ == "__main__":
    run_target("tsv")
