"""Interactive HTML views of the knowledge graph: one self-contained, offline page per view.

:func:`build_view` draws the whole graph, an ego network (``focus=``), the entities of a named query's
result (``query=``, ``params=``) or the paths between two entities (``paths=(a, b)``), and returns a
:class:`View` to ``write()`` or to show in a notebook. ``kg view`` is the same from the command line.
"""

from __future__ import annotations

from kg.views.view import View, build_view, select

__all__ = ["View", "build_view", "select"]
