"""Benchmarks of nanomet-kg: a synthetic-KG generator shaped like the curated graph, and the runner that
measures build, named queries, analyses and views on it (see ``docs/PERFORMANCE.md``)."""
