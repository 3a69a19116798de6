"""Name normalisation shared by the lint (duplicate labels) and name resolution (query parameters).

Case-insensitive, blind to spaces, hyphens and dots, and Greek-tolerant: HIF-1α, HIF-1alpha and hif1a
are one name. Other punctuation counts ("phase I/II" is not "phase III").

>>> normalize_name("HIF-1α") == normalize_name("HIF-1alpha") == normalize_name("hif 1a")
True
>>> normalize_name("integrin αvβ3") == normalize_name("Integrin alphavbeta3")
True
>>> normalize_name("TGF-β")
'tgfb'
>>> normalize_name("phase I/II") == normalize_name("phase III")
False
"""

from __future__ import annotations

import re
import unicodedata

_GREEK = {"α": "a", "β": "b", "γ": "g", "δ": "d", "ε": "e", "κ": "k", "λ": "l", "μ": "m", "σ": "s", "ω": "o"}
_GREEK_WORDS = re.compile(r"(alpha|beta|gamma|delta|epsilon|kappa|lambda|sigma|omega)")
_JOINERS = re.compile(r"[\s\-_.,'’()]+")
_WORD_INITIAL = {"alpha": "a", "beta": "b", "gamma": "g", "delta": "d", "epsilon": "e", "kappa": "k",
                 "lambda": "l", "sigma": "s", "omega": "o"}


_GREEK_TABLE = str.maketrans(_GREEK)


def normalize_name(name: str) -> str:
    """Key under which two spellings of one name compare equal."""
    text = name.casefold().translate(_GREEK_TABLE)
    text = _GREEK_WORDS.sub(lambda m: _WORD_INITIAL[m.group(1)], text)
    if not text.isascii():  # (ASCII text has no accents to strip: the lint normalises every label)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _JOINERS.sub("", text)
