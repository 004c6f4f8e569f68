"""Fuzz target: the `bibtex` corpus reader. `python fuzz/fuzz_bibtex.py -runs=1000`"""

from target import run_target

if __name__ == "__main__":
    run_target("bibtex")
