"""Graph-analysis commands: ``paths``, ``reach``, ``hubs``, ``gaps`` (NetworkX over the projection)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import click

from kg.cli.options import holding_projections, shared_options
from kg.cli.output import FORMAT_OPTION, emit_json, emit_rows
from kg.core.errors import QueryError, excerpt
from kg.core.schema import AXES

SECTIONS = ("whitespace", "weak", "biology", "hypotheses")


@contextmanager
def _graphs(settings, *, full: bool = True, collapsed: bool = False):
    """Open the graph the options select (store, ``--backend``, ``--endpoint``) and yield (its KG,
    projections…): the full one and/or the collapsed one."""
    with settings.open_kg() as handle:
        graphs = [handle.projection()] if full else []
        if collapsed:
            graphs.append(handle.projection(collapse_studies=True))
        holding_projections()
        yield handle, *graphs


def _node(handle, graph, name: str) -> str:
    """The projection node a user's name resolves to."""
    iri = handle.resolve(name).value
    if iri not in graph:
        raise QueryError(f"{excerpt(name)} is not part of the analysed graph (studies are folded into their "
                         f"formulations unless you pass --studies)")
    return iri


# ------------------------------------------------------------------------------------------------ paths

@click.command()
@click.argument("source")
@click.argument("target")
@click.option("--max-hops", type=click.IntRange(1, 8), default=3, show_default=True,
              help="Longest path to list (ignored with --via).")
@click.option("--via", "metapath", metavar="TYPE,…",
              help="Metapath: the type of every node, source and target included, e.g. "
                   "CarrierType,Formulation,Target,CascadeStep.")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True,
              help="At most this many paths.")
@click.option("--studies", is_flag=True,
              help="Keep study nodes instead of folding them into formulation links.")
@FORMAT_OPTION
@shared_options
@click.pass_obj
def paths(settings, source: str, target: str, max_hops: int, metapath: str | None, limit: int, studies: bool,
          fmt: str) -> None:
    """Shortest and all simple paths between two named entities, each hop with its statements' sources.

    Statements are followed in both directions (the arrow shows which way each one runs); source
    documents and evidence levels are never passed through; a path never goes up a hierarchy and
    straight down again. See ``kg.analysis.paths`` for the rules.
    """
    from kg.analysis.paths import PathIndex, parse_metapath

    types = parse_metapath(metapath) if metapath else None
    with _graphs(settings, full=studies, collapsed=not studies) as (handle, graph):
        start, end = _node(handle, graph, source), _node(handle, graph, target)
        if start == end:
            raise QueryError(f"{excerpt(source)} and {excerpt(target)} name the same entity")
        index = PathIndex(graph)
        found = index.paths(start, end, max_hops, types, limit)
        nearest = index.distances_to(end).get(start)
        hops = max_hops if types is None else len(types) - 1
        _print_paths(graph, found, fmt, start, end, hops, nearest, limit, types is not None)


def _print_paths(graph, found, fmt: str, start: str, end: str, hops: int, nearest: int | None,
                 limit: int, metapath: bool) -> None:
    label = {n: graph.nodes[n]["label"] for p in found for n in p.nodes} | {
        start: graph.nodes[start]["label"], end: graph.nodes[end]["label"]}
    if fmt == "table":
        if not found:
            along = "along the metapath" if metapath else f"within {hops} hops"
            apart = f"; the nearest connection is {nearest} hops" if nearest is not None else \
                "; they are not connected"
            click.echo(f"no path from {label[start]} to {label[end]} {along}{apart}")
            return
        more = f" (the first {limit}: --limit for more)" if len(found) >= limit else ""
        click.echo(f"{len(found)} path(s) from {label[start]} to {label[end]}, shortest {found[0].hops} "
                   f"hop(s){more}")
        for number, path in enumerate(found, 1):
            click.echo(f"\n{number}. {path.describe(graph)}")
            for a, b, links in path.steps():
                for link in links:
                    evidence = f" [{link.evidence}]" if link.evidence else ""
                    sources = "; ".join(link.sources) or "—"
                    click.echo(f"   {label[a]} {link.arrow()} {label[b]}{evidence}: {sources}")
        return
    columns = ["path", "hops", "hop", "from", "predicate", "direction", "to", "evidence", "sources"]
    rows = [[number, path.hops, hop, label[a], link.predicate, "→" if link.forward else "←", label[b],
             link.evidence, "; ".join(link.sources)]
            for number, path in enumerate(found, 1)
            for hop, (a, b, links) in enumerate(path.steps(), 1)
            for link in links]
    records = [{"path": number, "hops": path.hops,
                "nodes": [{"iri": n, "label": label[n], "type": graph.nodes[n]["type"]} for n in path.nodes],
                "links": [[{"predicate": link.predicate, "forward": link.forward, "evidence": link.evidence,
                            "sources": list(link.sources)} for link in links] for links in path.links]}
               for number, path in enumerate(found, 1)]
    emit_rows(columns, rows, fmt, records)


# ------------------------------------------------------------------------------------------------ reach

@click.command()
@click.option("--from", "row_axis", default="carrier", show_default=True, metavar="AXIS",
              help=f"Row axis: {', '.join(AXES)}.")
@click.option("--to", "col_axis", default="mechanism", show_default=True, metavar="AXIS", help="Column axis.")
@click.option("--level", type=click.Choice(["family", "leaf"]), default="family", show_default=True,
              help="Carrier types and mechanisms as families or as stated.")
@click.option("--via", metavar="AXIS",
              help="Reach the columns through background biology of this formulation axis, e.g. "
                   "--to step --via target (target involvedIn step).")
@click.option("--value", type=click.Choice(["formulations", "studies", "evidence"]), default="formulations",
              show_default=True, help="What a cell shows in the matrix (evidence = best nmo:rank).")
@click.option("--all", "complete", is_flag=True, help="Show every node of both axes, also with no support.")
@click.option("--long", "long_form", is_flag=True,
              help="One row per non-empty cell with all counts, best evidence and formulation names.")
@click.option("--png", type=click.Path(dir_okay=False, path_type=Path), help="Also write a heatmap PNG here.")
@FORMAT_OPTION
@shared_options
@click.pass_obj
def reach(settings, row_axis: str, col_axis: str, level: str, via: str | None, value: str, complete: bool,
          long_form: bool, png: Path | None, fmt: str) -> None:
    """Which X reach which Y: a matrix of supporting formulations/studies and the best evidence per cell.

    Example: ``kg reach --from carrier --to step --via target --png reach.png``.
    """
    from kg.analysis.reach import reach as reach_matrix

    with _graphs(settings) as (_, graph):
        matrix = reach_matrix(graph, row_axis, col_axis, level, via, all_rows=complete, all_cols=complete)
    if long_form or fmt == "json":
        records = matrix.records()
        columns = list(records[0]) if records else [row_axis, col_axis]
        emit_rows(columns, [list(r.values()) for r in records], fmt, records)
    else:
        emit_rows(*matrix.wide(value), fmt)
    if png is not None:
        from kg.analysis.heatmap import save_heatmap

        click.echo(f"heatmap: {save_heatmap(matrix, png, value)}", err=True)


# ------------------------------------------------------------------------------------------------- hubs

DEGREE_BIAS_NOTE = (
    "note: degree mostly measures how much the two reviews say about a node; PageRank on this undirected "
    "graph largely restates degree (Spearman with degree: pagerank {pagerank}, betweenness {betweenness}). "
    "Compare within a type (type_rank) and read high scores as 'central in what was curated'.")


@click.command()
@click.option("--type", "node_type", metavar="TYPE",
              help="Only nodes of this type (e.g. Target, carrier, step).")
@click.option("--by", type=click.Choice(["pagerank", "degree", "betweenness"]), default="pagerank",
              show_default=True, help="Sort by this metric.")
@click.option("--top", type=click.IntRange(1), default=20, show_default=True,
              help="How many nodes (per type with --per-type).")
@click.option("--per-type", is_flag=True, help="The top nodes of every type.")
@click.option("--samples", type=click.IntRange(1), metavar="N",
              help="Estimate betweenness from N pivot nodes with NetworkX [default: exact up to 2,000 nodes, "
                   "else estimated from pivots, with igraph if installed; the output says which].")
@FORMAT_OPTION
@shared_options
@click.pass_obj
def hubs(settings, node_type: str | None, by: str, top: int, per_type: bool, samples: int | None,
         fmt: str) -> None:
    """Degree, betweenness and PageRank per node (studies folded into formulation links)."""
    from kg.analysis.hubs import degree_correlation, hub_analysis, top_per_family
    from kg.analysis.node_types import type_name

    wanted = type_name(node_type) if node_type else None
    with _graphs(settings, full=False, collapsed=True) as (_, graph):
        found = hub_analysis(graph, wanted, by, samples)
    scores = found.scores
    click.echo(f"betweenness: {found.betweenness.describe()}", err=True)
    click.echo(DEGREE_BIAS_NOTE.format(**degree_correlation(scores)), err=True)
    shown = top_per_family(scores, top) if per_type else scores[:top]
    columns = ["label", "type", "degree", "betweenness", "pagerank", "type_rank"]
    emit_rows(columns, [[s.label, s.type, s.degree, s.betweenness, s.pagerank, s.type_rank] for s in shown],
              fmt, [s.record() for s in shown])


# ------------------------------------------------------------------------------------------------- gaps

@click.command()
@click.option("--show", default=",".join(SECTIONS), show_default=True, metavar="SECTION,…",
              help="Sections: whitespace, weak, biology, hypotheses.")
@click.option("--top", type=click.IntRange(1), default=15, show_default=True,
              help="Rows per section (per matrix for whitespace); JSON lists everything.")
@click.option("--damping", type=click.FloatRange(0), default=0.4, show_default=True,
              help="DWPC damping exponent w (0 = plain path count).")
@click.option("--paths", "path_count", type=click.IntRange(0), default=3, show_default=True,
              help="Supporting paths shown per hypothesis.")
@click.option("--validate", "run_validation", is_flag=True,
              help="Instead: hold each review out in turn and score every ranking against what it fills "
                   "(AUROC, AP, P@10 with bootstrap 95% CIs, baselines, learned weights; "
                   "docs/VALIDATION.md).")
@click.option("--permutations", type=click.IntRange(0), default=5, show_default=True,
              help="Degree-preserving permutations of the graph behind the permutation z-score (0 = none).")
@FORMAT_OPTION
@shared_options
@click.pass_obj
def gaps(settings, show: str, top: int, damping: float, path_count: int, run_validation: bool,
         permutations: int, fmt: str) -> None:
    """White space, weak evidence, unaddressed biology and validated carrier family → step hypotheses."""
    from kg.analysis import gaps as gap_analysis

    if run_validation:
        _validation(settings, damping, permutations, fmt)
        return
    sections = [s.strip() for s in show.split(",") if s.strip()]
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown or not sections:
        named = ", ".join(excerpt(u, quote=False) for u in unknown) or "(none)"
        raise QueryError(f"unknown section(s) {named}; use {', '.join(SECTIONS)}")
    if fmt in ("csv", "tsv") and len(sections) > 1:
        raise QueryError(f"{fmt} holds one table: choose one section with --show")
    found: dict[str, list[dict]] = {}
    model = ""
    with _graphs(settings, collapsed="hypotheses" in sections) as (store, graph, *collapsed):
        if "whitespace" in sections:
            found["whitespace"] = gap_analysis.white_space(graph)
        if "weak" in sections:
            found["weak"] = gap_analysis.weak_evidence(graph)
        if "biology" in sections:
            found["biology"] = gap_analysis.unaddressed_biology(graph)
        if "hypotheses" in sections:
            from kg.analysis.ranking import ranked_hypotheses

            ranked = ranked_hypotheses(graph, collapsed[0], damping, permutations, store)
            found["hypotheses"] = ranked.records(path_count)
            model = ranked.summary()
    if model and fmt not in ("table", "md"):
        click.echo(model, err=True)
    if fmt == "json":
        emit_json(found)
        return
    for name, records in found.items():
        if fmt in ("table", "md"):
            click.echo(f"\n## {SECTION_TITLES[name]} ({len(records)})\n")
            if name == "hypotheses":
                click.echo(f"{model}\n")
        shown = _top_per_matrix(records, top) if name == "whitespace" else records[:top]
        shown = [{k: v for k, v in r.items() if not k.endswith("_node")} for r in shown]
        if shown:
            emit_rows(list(shown[0]), [list(r.values()) for r in shown], fmt)


def _validation(settings, damping: float, permutations: int, fmt: str) -> None:
    """Print the cross-review validation: one table per task, then decisions, damping, weights."""
    from kg.analysis.validate import validate

    with _graphs(settings, full=False) as (store, ):
        result = validate(store, permutations=permutations, damping=damping)
    decisions = [{"task": d.task, "kept": d.ranker, "why": d.reason,
                  **{f"AUROC {k}": str(v) for k, v in d.auroc.items()}} for d in result.decisions.values()]
    if fmt == "json":
        emit_json({"results": result.table(), "decisions": decisions, "damping": result.damping,
                   "weights": result.weights})
        return
    columns = ["task", "direction", "ranker", "positives", "negatives", "AUROC", "AP", "P@10"]
    tables = [("cross-review validation (value [bootstrap 95% CI])", columns,
               [[r[c] for c in columns] for r in result.table()]),
              ("kept rankings", list(decisions[0]), [list(d.values()) for d in decisions]),
              ("summed DWPC AUROC by damping exponent w", list(result.damping[0]),
               [list(d.values()) for d in result.damping]),
              ("learned weights (standardised features)", ["model", "feature", "weight"],
               [[m, f, round(w, 3)] for m, ws in result.weights.items() for f, w in ws.items()])]
    for title, header, rows in tables:
        if fmt in ("table", "md"):
            click.echo(f"\n## {title}\n")
        emit_rows(header, rows, fmt)


SECTION_TITLES = {
    "whitespace": "white space: empty cells of carrier family × step, target × step, mechanism family × site",
    "weak": "cascade steps and targets with no evidence beyond in vitro / ex vivo",
    "biology": "targets involved in a step where no formulation targeting them acts",
    "hypotheses": "carrier family → step hypotheses ranked by the validated model",
}


def _top_per_matrix(cells: list[dict], top: int) -> list[dict]:
    seen: dict[str, int] = {}
    kept = []
    for cell in cells:
        seen[cell["matrix"]] = seen.get(cell["matrix"], 0) + 1
        if seen[cell["matrix"]] <= top:
            kept.append(cell)
    return kept

