"""Curated Turtle → a validated store: SHACL compiled to SPARQL (pyshacl as the reference), lint, and the
atomic store swap (:mod:`kg.build.pipeline`)."""
