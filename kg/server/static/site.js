// Completion for every input with data-complete (the search box on every page, the entity parameters of
// the question forms): names as you type, with their type. Without JavaScript the forms still submit.
// All text is set with textContent: nothing from the graph is ever parsed as HTML.
"use strict";
(function () {
  function attach(input) {
    const list = document.createElement("ul");
    list.className = "completions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("aria-autocomplete", "list");
    input.parentNode.insertBefore(list, input.nextSibling);
    const navigates = input.closest("form.search") !== null;
    let matches = [], active = -1, timer = null, asked = "";

    function choose(index) {
      const match = matches[index];
      if (!match) return;
      if (navigates && match.href) { window.location.href = match.href; return; }
      input.value = match.label;
      close();
    }
    function close() { list.hidden = true; active = -1; }
    function show() {
      list.replaceChildren();
      matches.forEach((m, i) => {
        const item = document.createElement("li");
        item.setAttribute("role", "option");
        item.dataset.iri = m.iri;
        const name = document.createElement("span");
        name.className = "name";
        name.textContent = m.label;
        const type = document.createElement("span");
        type.className = "type";
        type.textContent = m.type_label;
        item.append(name, " ", type);
        if (m.matched) {
          const also = document.createElement("span");
          also.className = "matched";
          also.textContent = m.matched;
          item.append(" ", also);
        }
        if (i === active) item.classList.add("active");
        item.addEventListener("mousedown", (event) => { event.preventDefault(); choose(i); });
        list.append(item);
      });
      list.hidden = matches.length === 0;
    }
    async function ask() {
      const text = input.value.trim();
      if (!text) { matches = []; close(); return; }
      asked = text;
      const url = new URL(input.dataset.complete, window.location.href);
      url.searchParams.set("q", text);
      if (input.dataset.types) url.searchParams.set("type", input.dataset.types);
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (!response.ok || asked !== text) return;
        matches = (await response.json()).matches;
        active = -1;
        show();
      } catch (error) { /* the form still works without completion */ }
    }
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(ask, 120); });
    input.addEventListener("keydown", (event) => {
      if (list.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        active = (active + step + matches.length) % matches.length;
        show();
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
  }
  document.querySelectorAll("input[data-complete]").forEach(attach);
  // forms that narrow as you tick (the find page): submit on every change of a checkbox
  document.querySelectorAll("form[data-autosubmit]").forEach((form) => {
    form.addEventListener("change", (event) => {
      if (event.target.type === "checkbox") form.submit();
    });
  });
  document.body.dataset.ready = "true";
})();
