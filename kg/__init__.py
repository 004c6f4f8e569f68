"""kg: a knowledge graph of what science papers are made of."""

__version__ = "0.1.0"
