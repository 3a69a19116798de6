// nanomet-kg query page: named queries, a SPARQL editor, a results table with labels. No dependencies.
"use strict";

const ENDPOINT = "/sparql";
let PREFIXES = {}; // prefix → namespace, from /queries.json

const $ = (id) => document.getElementById(id);
let library = [];
let last = null; // {vars, bindings, labels}

function compact(iri) {
  let best = null;
  for (const [prefix, ns] of Object.entries(PREFIXES)) {
    if (iri.startsWith(ns) && (!best || ns.length > PREFIXES[best].length)) best = prefix;
  }
  return best ? `${best}:${iri.slice(PREFIXES[best].length)}` : iri;
}

async function post(query, accept) {
  const response = await fetch(ENDPOINT, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: accept },
    body: new URLSearchParams({ query }),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  return response;
}

async function fetchLabels(bindings) {
  const iris = new Set();
  for (const row of bindings) {
    for (const term of Object.values(row)) {
      if (term.type === "uri" && !/[<>"{}|^`\\\s]/.test(term.value)) iris.add(term.value);
    }
  }
  if (!iris.size) return {};
  const values = [...iris].slice(0, 2000).map((iri) => `<${iri}>`).join(" ");
  const query = `SELECT ?node ?label WHERE { VALUES ?node { ${values} } ?node rdfs:label ?label }`;
  const data = await (await post(query, "application/sparql-results+json")).json();
  const labels = {};
  for (const row of data.results.bindings) {
    const node = row.node.value, label = row.label.value;
    if (!(node in labels) || label < labels[node]) labels[node] = label;
  }
  return labels;
}

function cellText(term, labels) {
  if (!term) return "";
  if (term.type === "uri") return labels[term.value] || compact(term.value);
  if (term.type === "bnode") return `_:${term.value}`;
  return term.value;
}

function render() {
  const table = $("results");
  table.replaceChildren();
  if (!last) return;
  const iris = $("show-iris").checked;
  const withIri = new Set();
  for (const row of last.bindings) for (const [k, t] of Object.entries(row)) if (t.type === "uri") withIri.add(k);
  const columns = [];
  for (const v of last.vars) {
    columns.push([v, false]);
    if (iris && withIri.has(v)) columns.push([v, true]);
  }
  const head = table.createTHead().insertRow();
  for (const [v, isIri] of columns) {
    const th = document.createElement("th");
    th.textContent = isIri ? `${v}_iri` : v;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const row of last.bindings) {
    const tr = body.insertRow();
    for (const [v, isIri] of columns) {
      const td = tr.insertCell();
      const term = row[v];
      if (isIri) {
        td.textContent = term && term.type === "uri" ? compact(term.value) : "";
        td.className = "iri";
      } else {
        td.textContent = cellText(term, last.labels);
        if (term && term.type === "uri") td.title = term.value;
        if (term && term.datatype && /#(integer|decimal|double)$/.test(term.datatype)) td.className = "number";
      }
    }
  }
}

async function run() {
  const query = $("query-text").value;
  const status = $("status");
  status.className = "";
  status.textContent = "running …";
  $("run").disabled = true;
  const started = performance.now();
  try {
    const data = await (await post(query, "application/sparql-results+json")).json();
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if ("boolean" in data) {
      last = null;
      render();
      status.textContent = `ASK: ${data.boolean} (${seconds} s)`;
      return;
    }
    const bindings = data.results.bindings;
    last = { vars: data.head.vars, bindings, labels: await fetchLabels(bindings) };
    render();
    status.textContent = `${bindings.length} row${bindings.length === 1 ? "" : "s"} (${seconds} s)`;
  } catch (error) {
    last = null;
    render();
    status.className = "error";
    status.textContent = error.message;
  } finally {
    $("run").disabled = false;
  }
}

async function download(event) {
  event.preventDefault();
  const format = event.target.dataset.format;
  const accept = { csv: "text/csv", tsv: "text/tab-separated-values", json: "application/sparql-results+json" }[format];
  try {
    const blob = await (await post($("query-text").value, accept)).blob();
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `${$("query-select").value || "query"}.${format}`;
    link.click();
    URL.revokeObjectURL(link.href);
  } catch (error) {
    $("status").className = "error";
    $("status").textContent = error.message;
  }
}

function choose(name) {
  const entry = library.find((q) => q.name === name);
  $("query-select").value = entry ? entry.name : "";
  $("query-description").textContent = entry ? entry.description : "";
  if (entry) $("query-text").value = entry.text;
}

async function init() {
  $("endpoint").textContent = new URL(ENDPOINT, window.location.href).href;
  $("run").addEventListener("click", run);
  $("show-iris").addEventListener("change", render);
  for (const link of document.querySelectorAll(".downloads a")) link.addEventListener("click", download);
  $("query-text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run();
  });
  $("query-select").addEventListener("change", (event) => {
    choose(event.target.value);
    window.location.hash = event.target.value ? `query=${event.target.value}` : "";
  });
  try {
    const document_ = await (await fetch("/queries.json")).json();
    library = document_.queries;
    PREFIXES = document_.prefixes;
  } catch (error) {
    $("status").className = "error";
    $("status").textContent = `could not load the named queries: ${error.message}`;
    return;
  }
  const select = $("query-select");
  for (const q of library) {
    const option = document.createElement("option");
    option.value = q.name;
    option.textContent = `${q.name} — ${q.title}`;
    select.appendChild(option);
  }
  const fromHash = () => new URLSearchParams(window.location.hash.slice(1)).get("query");
  window.addEventListener("hashchange", () => choose(fromHash() || ""));
  choose(fromHash() || "carriers-mechanisms");
  document.body.dataset.ready = "true";
}

init();
