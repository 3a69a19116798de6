/* nanomet-kg view: draws the embedded graph with vis-network, lets physics settle and then switches it
   off, and wires the search box, the type and link filters and the details panel. No network access. */
(function () {
  "use strict";
  var state = window.kgState;
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  window.kgNetwork = network;

  var GREEK = {"α": "a", "β": "b", "γ": "g", "δ": "d", "ε": "e", "κ": "k", "λ": "l", "μ": "m", "σ": "s", "ω": "o"};

  /* The same normalisation as kg.names.normalize_name: case, spaces, hyphens and Greek letters ignored. */
  function normalise(text) {
    var t = text.toLowerCase().replace(/[αβγδεκλμσω]/g, function (c) { return GREEK[c]; });
    t = t.replace(/(alpha|beta|gamma|delta|epsilon|kappa|lambda|sigma|omega)/g, function (w) { return w.charAt(0); });
    t = t.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    return t.replace(/[\s\-_.,'’()]+/g, "");
  }

  function element(tag, text, className) {
    var el = document.createElement(tag);
    if (text !== undefined) { el.textContent = text; }
    if (className) { el.className = className; }
    return el;
  }

  /* A legend symbol: the node shape in its colour, as a small SVG. */
  function swatch(shape, colour, dashes) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "18");
    svg.setAttribute("height", "14");
    svg.setAttribute("viewBox", "0 0 18 14");
    var mark;
    if (shape === "line") {
      mark = document.createElementNS(ns, "line");
      mark.setAttribute("x1", "1"); mark.setAttribute("y1", "7"); mark.setAttribute("x2", "17"); mark.setAttribute("y2", "7");
      mark.setAttribute("stroke", colour); mark.setAttribute("stroke-width", "3");
      if (dashes) { mark.setAttribute("stroke-dasharray", "4 3"); }
    } else if (shape === "dot") {
      mark = document.createElementNS(ns, "circle");
      mark.setAttribute("cx", "9"); mark.setAttribute("cy", "7"); mark.setAttribute("r", "6");
    } else {
      var points = {
        square: "3,1 15,1 15,13 3,13", diamond: "9,0 16,7 9,14 2,7", triangle: "9,1 16,13 2,13",
        triangleDown: "2,1 16,1 9,13", hexagon: "5,1 13,1 17,7 13,13 5,13 1,7",
        star: "9,0 11,5 16,5 12,8 14,13 9,10 4,13 6,8 2,5 7,5"
      }[shape] || "3,1 15,1 15,13 3,13";
      mark = document.createElementNS(ns, "polygon");
      mark.setAttribute("points", points);
    }
    if (shape !== "line") { mark.setAttribute("fill", colour); mark.setAttribute("stroke", "#333"); mark.setAttribute("stroke-width", "0.8"); }
    svg.appendChild(mark);
    return svg;
  }

  /* ---------------------------------------------------------------- filters */
  var hiddenFamilies = {};
  var hiddenKinds = {};

  function applyFilters() {
    nodes.update(data.nodes.map(function (n) { return {id: n.id, hidden: !!hiddenFamilies[n.family]}; }));
    edges.update(data.edges.map(function (e) { return {id: e.id, hidden: !!hiddenKinds[e.kind]}; }));
    state.visibleNodes = data.nodes.filter(function (n) { return !hiddenFamilies[n.family]; }).length;
    window.kgReport();
  }

  function legendEntry(list, text, count, symbol, hidden, key, extra) {
    var item = element("li");
    var label = element("label");
    var box = element("input");
    box.type = "checkbox";
    box.checked = true;
    box.addEventListener("change", function () { hidden[key] = !box.checked; applyFilters(); });
    label.appendChild(box);
    label.appendChild(symbol);
    var words = element("span", text + " ");
    words.appendChild(element("span", "(" + count + ")", "count"));
    if (extra) { words.appendChild(element("span", extra, "predicates")); }
    label.appendChild(words);
    item.appendChild(label);
    list.appendChild(item);
  }

  var familyList = document.getElementById("kg-families");
  data.legend.families.forEach(function (f) {
    legendEntry(familyList, f.label, f.count, swatch(f.shape, f.colour), hiddenFamilies, f.family);
  });
  var kindList = document.getElementById("kg-kinds");
  data.legend.edges.forEach(function (k) {
    legendEntry(kindList, k.kind, k.count, swatch("line", k.colour, k.dashes), hiddenKinds, k.kind,
                k.predicates.join(", "));
  });

  /* ---------------------------------------------------------------- details panel */
  var details = document.getElementById("kg-details");

  function showDetails(item) {
    details.textContent = "";
    state.details = item ? item.id : null;
    if (!item) { details.appendChild(element("p", "Click a node or a link.", "hint")); return; }
    var lines = item.title.split("\n");
    details.appendChild(element("p", lines[0], "name"));
    details.appendChild(element("pre", lines.slice(1).join("\n")));
    if (item.links && item.links.length) {
      var list = element("ul");
      item.links.forEach(function (link) {
        var li = element("li");
        var a = element("a", link[0]);
        a.href = link[1];
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        li.appendChild(a);
        list.appendChild(li);
      });
      details.appendChild(list);
    }
  }

  network.on("click", function (params) {
    if (params.nodes.length) { showDetails(nodes.get(params.nodes[0])); }
    else if (params.edges.length) { showDetails(edges.get(params.edges[0])); }
    else { showDetails(null); }
  });

  /* ---------------------------------------------------------------- search */
  var search = document.getElementById("kg-search");
  var found = document.getElementById("kg-found");
  var names = document.getElementById("kg-names");
  data.nodes.map(function (n) { return n.label; }).sort().forEach(function (label) {
    var option = element("option");
    option.value = label;
    names.appendChild(option);
  });

  function find(text, zoom) {
    var query = normalise(text || "");
    if (!query) {
      network.unselectAll();
      found.textContent = "";
      state.found = null;
      window.kgReport();
      return [];
    }
    var ids = data.nodes.filter(function (n) {
      return !hiddenFamilies[n.family] && n.search.indexOf(query) >= 0;
    }).map(function (n) { return n.id; });
    network.selectNodes(ids, false);
    found.textContent = ids.length === 1 ? "1 match" : ids.length + " matches";
    if (zoom && ids.length === 1) {
      network.focus(ids[0], {scale: Math.max(network.getScale(), 1.0), animation: false});
      showDetails(nodes.get(ids[0]));
    } else if (zoom && ids.length > 1) {
      network.fit({nodes: ids, animation: false});
    }
    state.found = ids.length;
    window.kgReport();
    return ids;
  }

  search.addEventListener("input", function () { find(search.value, false); });
  search.addEventListener("change", function () { find(search.value, true); });
  search.addEventListener("keydown", function (event) { if (event.key === "Enter") { find(search.value, true); } });

  /* The page address can ask for a search (#find=CD44: select and zoom) or for a node's details
     (#show=CD44: select it and pin its details, the view unchanged). */
  function fromAddress() {
    var hash = decodeURIComponent((window.location.hash || "").replace(/^#/, ""));
    if (hash.indexOf("find=") === 0) {
      search.value = hash.slice(5);
      find(search.value, true);
    } else if (hash.indexOf("show=") === 0) {
      var name = normalise(hash.slice(5));
      var node = data.nodes.filter(function (n) { return n.search.split("|").indexOf(name) >= 0; })[0];
      if (node) {
        network.selectNodes([node.id]);
        showDetails(nodes.get(node.id));
      }
    }
  }

  /* ---------------------------------------------------------------- layout: settle, then stay still */
  var loading = document.getElementById("kg-loading");
  var progress = document.getElementById("kg-progress");
  network.on("stabilizationProgress", function (p) { progress.value = Math.round(100 * p.iterations / p.total); });

  function painted(canvas) {
    var pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    var count = 0;
    for (var i = 3; i < pixels.length; i += 16) { if (pixels[i] > 0) { count += 1; } }
    return count;
  }

  function settle() {
    network.setOptions({physics: false});
    loading.className = "done";
    network.fit({animation: false});
    state.stabilized = true;
    network.once("afterDrawing", function (ctx) {
      state.ready = true;
      state.nodes = nodes.length;
      state.edges = edges.length;
      state.drawnNodes = network.body.nodeIndices.length;
      state.drawnEdges = network.body.edgeIndices.length;
      state.physics = network.physics.options.enabled;
      state.painted = painted(ctx.canvas);
      state.readyMs = Math.round(window.performance.now());  /* since the page started loading */
      fromAddress();
      window.kgReport();
    });
    network.redraw();
  }

  if (data.nodes.length) {
    network.once("stabilizationIterationsDone", settle);
  } else {
    settle();
  }
  applyFilters();
})();
