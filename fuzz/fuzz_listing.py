"""Fuzz target: the `listing` corpus reader. `python fuzz/fuzz_listing.py -runs=1000`"""

from target import run_target

if __name__ == "__main__":
    run_target("listing")
