"""Fuzz target: the `json` corpus reader. `python fuzz/fuzz_json.py -runs=1000`"""

from target import run_target

if __name__ == "__main__":
    run_target("json")
