"""Fuzz target: the `textclean` text clean-up (kg.textclean.clean_text). `python fuzz/fuzz_textclean.py -runs=1000`"""

from target import run_target

if __name__ == "__main__":
    run_target("textclean")
