"""How a statement's source place is written for people: ``CMR2022 §4 [78]``."""

from __future__ import annotations


def citation(doc: str, section: str | None, lines: str | None, refs: str | None) -> str:
    """A human citation such as ``CMR2022 §4 [78]`` or ``NH2026 l.601-605 [178, 179]``.

    >>> citation("CMR2022", "4", None, "78")
    'CMR2022 §4 [78]'
    >>> citation("NH2026", "Table 1", "731", "164,12")
    'NH2026 Table 1 l.731 [12, 164]'
    >>> citation("Illustration2099", "Figure 2", None, None)
    'Illustration2099 Figure 2'
    """
    where = []
    if section:
        where.append(f"§{section}" if section[:1].isdigit() else section)  # §4, but Table 2, Figure 3
    if lines:
        where.append(f"l.{lines}")
    numbers = sorted({int(r) for r in refs.split(",") if r}) if refs else []
    cited = f" [{', '.join(map(str, numbers))}]" if numbers else ""
    return f"{doc} {' '.join(where)}{cited}".strip()
