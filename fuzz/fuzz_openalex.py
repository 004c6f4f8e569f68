"""Fuzz target: the `openalex` corpus reader. `python fuzz/fuzz_openalex.py -runs=1000`"""

from target import run_target

if __name__ == "__main__":
    run_target("openalex")
