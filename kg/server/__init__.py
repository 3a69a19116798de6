"""The read-only SPARQL endpoint (``kg serve``): HTTP app, query worker processes, the query page."""
