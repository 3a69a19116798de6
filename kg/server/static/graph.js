// The neighbourhood graph of an entity page (vis-network, served from the copy inside pyvis): the entity
// and its neighbours; a click on a node adds that node's neighbours and shows a link to its page.
"use strict";
(function () {
  const box = document.getElementById("graph");
  if (!box || typeof vis === "undefined") return;
  const details = document.getElementById("graph-details");
  const COLOURS = { Formulation: "#d1495b", Study: "#8d99ae", ClinicalTrial: "#6a4c93",
    RegulatoryApproval: "#9b5de5", CarrierType: "#3a9d23", Agent: "#f3a712", Target: "#2e86ab",
    Mechanism: "#17a398", CascadeStep: "#ffcb47", CancerType: "#ef8fc5", Organ: "#a0522d" };
  const nodes = new vis.DataSet();
  const edges = new vis.DataSet();
  const expanded = new Set();
  const network = new vis.Network(box, { nodes, edges }, {
    layout: { randomSeed: 7 },
    physics: { solver: "forceAtlas2Based", stabilization: { iterations: 200 },
               forceAtlas2Based: { gravitationalConstant: -60, springLength: 110, avoidOverlap: 0.6 } },
    nodes: { shape: "dot", size: 12, font: { size: 13, strokeWidth: 3, strokeColor: "#ffffff" } },
    edges: { arrows: { to: { enabled: true, scaleFactor: 0.5 } }, font: { size: 10, color: "#555555" },
             color: { color: "#9aa5b1" }, smooth: { type: "continuous" } },
    interaction: { hover: true },
  });

  function add(data) {
    data.nodes.forEach((n) => {
      if (nodes.get(n.id)) return;
      nodes.add({ id: n.id, label: n.label, title: n.type, href: n.href, typeLabel: n.type,
                  color: { background: COLOURS[n.family] || "#cccccc", border: "#333333" } });
    });
    data.edges.forEach((e) => {
      const id = e.from + " " + e.predicate + " " + e.to;
      if (!edges.get(id)) edges.add({ id, from: e.from, to: e.to, label: e.label });
    });
  }
  async function expand(iri) {
    if (expanded.has(iri)) return;
    expanded.add(iri);
    const response = await fetch("/api/neighbours?iri=" + encodeURIComponent(iri));
    if (!response.ok) return;
    box.dataset.stable = "false";
    add(await response.json());
    box.dataset.nodes = String(nodes.length);
    box.dataset.expanded = Array.from(expanded).join(" ");
  }
  function describe(iri) {
    const node = nodes.get(iri);
    details.replaceChildren();
    if (!node) return;
    const link = document.createElement("a");
    link.textContent = node.label;
    link.href = node.href || "#";
    link.id = "graph-open";
    const type = document.createElement("span");
    type.className = "type";
    type.textContent = node.typeLabel || "";
    details.append("Selected: ", link, " ", type);
  }
  network.on("click", (params) => {
    if (!params.nodes.length) return;
    const iri = params.nodes[0];
    describe(iri);
    expand(iri);
  });
  network.on("stabilizationIterationsDone", () => { network.fit(); box.dataset.stable = "true"; });
  network.on("stabilized", () => { box.dataset.stable = "true"; });
  window.kgGraph = { network, nodes, edges, expand };
  expand(box.dataset.iri);
})();
