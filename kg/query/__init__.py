"""Questions to the store: typed parameters, the named-query library (``named/*.rq``), name resolution,
results, store statistics and the one :class:`kg.query.handle.KG` handle that ``kg.open()`` returns."""
