// nanomet-kg query page: named queries with parameter inputs (names completed and bound as RDF terms by
// the server), a SPARQL editor, a results table with labels. No dependencies; text is set, never parsed as HTML.
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
  const status = $("status");
  $("run").disabled = true;
  if (current && dirty) binding = bind();
  if (current && binding && !(await binding)) {
    $("run").disabled = false;
    return;
  }
  const query = $("query-text").value;
  status.className = "";
  status.textContent = "running …";
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

// ------------------------------------------------------------------ parameter inputs

let current = null; // the chosen named query
let dirty = false; // inputs changed since the query text was last bound
let binding = null; // the latest bind request (a promise of success)
const picked = {}; // parameter → {label: iri} from its last completions

function initialValue(param, given) {
  if (given[param.name] !== undefined) return given[param.name];
  if (param.required) return param.example;
  return param.default === "any" ? "" : param.default;
}

function inputFor(param, value) {
  // a select for a choice or a boolean, a number or text input otherwise; entity names get completions
  let input;
  let list = null;
  const choices = param.values.length ? param.values : param.type === "boolean" ? ["true", "false"] : null;
  if (choices) {
    input = document.createElement("select");
    const options = param.default === "any" ? [["", "(any)"]] : [];
    for (const choice of choices) options.push([choice, choice]);
    for (const [optionValue, text] of options) {
      const option = document.createElement("option");
      option.value = optionValue;
      option.textContent = text;
      input.appendChild(option);
    }
    input.value = choices.includes(value) ? value : "";
  } else {
    input = document.createElement("input");
    input.type = param.type === "integer" || param.type === "decimal" ? "number" : "text";
    if (input.type === "number") input.step = param.type === "integer" ? "1" : "any";
    input.value = value;
    input.placeholder = param.required ? "required" : `any${param.example ? ` (e.g. ${param.example})` : ""}`;
    if (param.kind !== "literal") {
      list = document.createElement("datalist");
      list.id = `complete-${param.name}`;
      input.setAttribute("list", list.id);
      input.addEventListener("input", () => complete(param, input, list));
      input.dataset.entity = "true";
    }
  }
  input.id = `param-${param.name}`;
  input.name = param.name;
  input.addEventListener("change", () => { binding = bind(); });
  input.addEventListener("input", () => { dirty = true; });
  return [input, list];
}

function renderParams(entry, given) {
  const form = $("params");
  form.replaceChildren();
  for (const param of entry ? entry.params : []) {
    const label = document.createElement("label");
    label.htmlFor = `param-${param.name}`;
    label.textContent = param.name;
    const [input, list] = inputFor(param, initialValue(param, given));
    const cell = document.createElement("span");
    cell.appendChild(input);
    if (list) cell.appendChild(list);
    const help = document.createElement("span");
    help.className = "help";
    help.textContent = `${param.help}${param.required ? " (required)" : ""}`;
    form.append(label, cell, help);
  }
}

let completing = 0;
async function complete(param, input, list) {
  const ticket = ++completing;
  const query = new URLSearchParams({ q: input.value });
  if (param.classes.length) query.set("type", param.classes.join("|"));
  try {
    const response = await fetch(`/api/complete?${query}`);
    if (!response.ok || ticket !== completing) return;
    const { matches } = await response.json();
    picked[param.name] = {};
    list.replaceChildren();
    for (const match of matches) {
      picked[param.name][match.label] = match.iri;
      const option = document.createElement("option");
      option.value = match.label;
      option.label = match.matched ? `${match.matched} · ${match.type_label}` : match.type_label;
      list.appendChild(option);
    }
  } catch (error) {
    // completion is a convenience: the name is still resolved when the query is bound
  }
}

function paramValues() {
  const values = new URLSearchParams();
  for (const input of $("params").elements) {
    let value = input.value.trim();
    if (input.dataset.entity && picked[input.name] && picked[input.name][value]) value = picked[input.name][value];
    if (value) values.set(input.name, value);
  }
  return values;
}

let bindTicket = 0;
async function bind() {
  // the named query's SPARQL with the inputs bound as RDF terms, from the server (names resolved there)
  if (!current) return true;
  const ticket = ++bindTicket;
  dirty = false;
  try {
    const response = await fetch(`/api/bind/${encodeURIComponent(current.name)}?${paramValues()}`);
    const text = await response.text();
    if (ticket !== bindTicket) return false; // a later change superseded this one
    if (!response.ok) throw new Error(text);
    $("query-text").value = JSON.parse(text).sparql;
    if ($("status").className === "error") {
      $("status").className = "";
      $("status").textContent = "";
    }
    return true;
  } catch (error) {
    if (ticket === bindTicket) {
      dirty = true;
      $("status").className = "error";
      $("status").textContent = error.message;
    }
    return false;
  }
}

function choose(name, given = {}) {
  const entry = library.find((q) => q.name === name);
  current = entry || null;
  $("query-select").value = entry ? entry.name : "";
  $("query-description").textContent = entry ? entry.description : "";
  renderParams(entry, given);
  if (entry) {
    $("query-text").value = entry.sparql;
    binding = bind();
    return binding;
  }
  binding = null;
  return Promise.resolve(true);
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
    window.location.hash = event.target.value ? `query=${encodeURIComponent(event.target.value)}` : "";
  });
  $("params").addEventListener("submit", (event) => { event.preventDefault(); run(); });
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
  // #query=NAME&param=value… chooses a query and fills its inputs
  const fromHash = () => {
    const given = Object.fromEntries(new URLSearchParams(window.location.hash.slice(1)));
    const name = given.query;
    delete given.query;
    return [name, given];
  };
  window.addEventListener("hashchange", () => { const [name, given] = fromHash(); choose(name || "", given); });
  const [name, given] = fromHash();
  await choose(name || "carriers-mechanisms", given);
  document.body.dataset.ready = "true";
}

init();
