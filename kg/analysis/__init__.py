"""Graph analysis on a NetworkX projection of the store: node types, hierarchies, paths, DWPC,
reachability, hubs, gaps and heatmaps."""
