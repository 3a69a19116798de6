"""What every layer uses: prefixes and namespaces, errors, name normalisation, SPARQL text binding, the
model's terms (:mod:`kg.core.schema`), source locations, citations and Turtle loading. Imports no other
``kg`` package."""
