"""Fuzz target: the `csv` corpus reader. `python fuzz/fuzz_csv.py -runs=1000`"""

from target import run_target

if __name__ == "__main__":
    run_target("csv")
