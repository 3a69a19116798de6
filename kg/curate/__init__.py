"""Curation from tables: study rows (TSV, CSV, YAML) → resolved, checked, validated Turtle, and back.

- :mod:`kg.curate.columns` — the table format: sheets, columns, the ``"; "`` separator, the slug rule
- :mod:`kg.curate.tables` — reading and writing tables; problems with their row and column
- :mod:`kg.curate.context` — resolving cells with the query layer's resolver (:mod:`kg.query.resolve`)
- :mod:`kg.curate.vocabulary` — the sources, vocabulary and statements sheets
- :mod:`kg.curate.studies` — study rows → formulations and studies
- :mod:`kg.curate.turtle` — deterministic Turtle
- :mod:`kg.curate.importing` — ``kg curate import``: plan, check, validate (:mod:`kg.build.pipeline`), write
- :mod:`kg.curate.exporting` — ``kg curate export``: the graph's studies as a table

It sits above :mod:`kg.build` and :mod:`kg.query` (whose validation and resolver it uses) and below the CLI.
"""
