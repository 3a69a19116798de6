"""nanomet-kg: a knowledge graph of cancer nanomedicine against metastasis.

The Python API is re-exported here; heavy modules load on first use.
"""

from __future__ import annotations

__version__ = "0.1.0"
