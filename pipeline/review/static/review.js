// pmm review page. No framework, no build step, nothing from the internet.
// Every text that comes from a PDF is untrusted: it reaches the page only as DOM text nodes
// (textContent / createTextNode), never as HTML.
"use strict";

(() => {
  const { config, $, el, link, toast, api } = window.pmm;
  const ui = config.ui;
  const MAX_MATCHES = 8;

  const state = {
    reviewer: localStorage.getItem("pmm.reviewer") || "",
    scheme: localStorage.getItem("pmm.scheme") || "",
    strategy: localStorage.getItem("pmm.strategy") || config.default_strategy,
    item: null,
    labels: [],            // [{id, name}] of the scheme, for the filter box
    skipped: new Set(),    // action ids skipped in this page session
    undo: [],              // [{decision_id, action_id, scheme}] newest last
    selection: [],         // labels picked with Shift+digit, decided together with Enter
    matches: [],
    matchIndex: 0,
    focusLabel: null,      // whose evidence is highlighted
    busy: false,
  };
  if (!config.schemes.some((s) => s.id === state.scheme)) state.scheme = config.schemes[0].id;
  if (!config.strategies.some((s) => s.id === state.strategy)) state.strategy = config.default_strategy;

  // --- small helpers -------------------------------------------------------------------------

  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // --- rendering -------------------------------------------------------------------------------

  function labelName(id) {
    const found = state.labels.find((l) => l.id === id);
    return found ? found.name : "";
  }

  function labelText(id) {
    if (id === null) return ui.none_label;
    const name = labelName(id);
    return name ? `${id} — ${name}` : id;
  }

  function showProgress(progress) {
    if (!progress) return;
    $("progress-text").textContent = `${progress.decided} / ${progress.total}`;
    const share = progress.total ? (100 * progress.decided) / progress.total : 0;
    $("progress-bar").style.width = `${share.toFixed(1)}%`;
  }

  // The text with whitespace runs collapsed to one space and lower-cased, and for each of its
  // characters the index it came from: evidence sentences are stored whitespace-collapsed.
  function searchable(text) {
    let flat = "";
    const origin = [];
    let inSpace = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (/\s/.test(c)) {
        if (!inSpace) { flat += " "; origin.push(i); }
        inSpace = true;
      } else {
        flat += c;
        origin.push(i);
        inSpace = false;
      }
    }
    const lower = flat.toLowerCase();
    // toLowerCase may change the length of rare characters; then search case-sensitively.
    return { flat: lower.length === flat.length ? lower : flat, folded: lower.length === flat.length, origin };
  }

  const WORD_CHAR = /[\p{L}\p{N}]/u;

  // Marks the evidence of one label in the text: sentences as a band, terms in bold.
  function highlighted(text, evidence) {
    const flags = new Uint8Array(text.length);
    const where = searchable(text);
    const mark = (needle, bit, wholeWords) => {
      let pin = String(needle || "").replace(/\s*…$/, "").split(/\s+/).filter(Boolean).join(" ");
      if (where.folded) pin = pin.toLowerCase();
      if (!pin) return;
      let from = 0;
      for (;;) {
        const at = where.flat.indexOf(pin, from);
        if (at < 0) break;
        from = at + pin.length;
        const before = where.flat[at - 1];
        const after = where.flat[at + pin.length];
        if (wholeWords && ((before && WORD_CHAR.test(before)) || (after && WORD_CHAR.test(after)))) continue;
        const start = where.origin[at];
        const end = where.origin[at + pin.length - 1] + 1;
        for (let i = start; i < end; i++) flags[i] |= bit;
        if (!wholeWords) break;   // a sentence once; a term everywhere it stands as a word
      }
    };
    const ev = evidence && typeof evidence === "object" ? evidence : {};
    for (const sentence of Array.isArray(ev.sentences) ? ev.sentences : []) mark(sentence, 1, false);
    for (const term of Array.isArray(ev.terms) ? ev.terms : []) mark(term, 2, true);
    const fragment = document.createDocumentFragment();
    let start = 0;
    for (let i = 1; i <= text.length; i++) {
      if (i < text.length && flags[i] === flags[start]) continue;
      const piece = text.slice(start, i);
      const bits = flags[start];
      if (!bits) fragment.append(document.createTextNode(piece));
      else {
        const classes = [bits & 1 ? "ev-sentence" : "", bits & 2 ? "ev-term" : ""].join(" ").trim();
        fragment.append(el("span", classes, piece));
      }
      start = i;
    }
    return fragment;
  }

  function renderText() {
    const item = state.item;
    const evidence = (item.evidence || {})[state.focusLabel];
    $("action-text").replaceChildren(highlighted(item.text, evidence));
    const note = $("evidence-note");
    if (evidence && ((evidence.sentences || []).length || (evidence.terms || []).length)) {
      note.replaceChildren(ui.evidence_for + " ", el("strong", null, labelText(state.focusLabel)));
      note.hidden = false;
    } else {
      note.hidden = true;
    }
  }

  function acceptLabels() {
    const item = state.item;
    if (!item) return [];
    if (item.assigned && item.assigned.length) return item.assigned.slice();
    return item.suggestions.length ? [item.suggestions[0].label] : [];
  }

  function renderSuggestions() {
    const item = state.item;
    const list = $("suggestions");
    const assigned = new Set(item.assigned || []);
    list.replaceChildren(...item.suggestions.slice(0, 9).map((s, index) => {
      const pct = Math.round(100 * s.score);
      const fill = el("span", "fill");
      fill.style.width = `${Math.max(2, pct)}%`;
      const classes = ["suggestion"];
      if (state.selection.includes(s.label)) classes.push("picked");
      if (s.score < 0.05) classes.push("faint");
      const li = el("li", classes.join(" "),
        el("kbd", null, String(index + 1)),
        el("span", "label-id", s.label),
        el("span", "label-name", assigned.has(s.label) ? el("span", "tag", ui.assigned) : null,
          s.name || labelName(s.label)),
        el("span", "pct", `${pct} %`),
        el("span", "track", fill));
      li.dataset.label = s.label;
      li.addEventListener("click", (event) => {
        if (event.shiftKey) toggleSelection(s.label); else decide([s.label]);
      });
      li.addEventListener("mouseenter", () => { state.focusLabel = s.label; renderText(); });
      return li;
    }));
    const accept = acceptLabels();
    $("accept-hint").replaceChildren(ui.accept_hint + ": ",
      el("strong", null, accept.map((l) => l).join(", ") || "–"));
  }

  function renderSelection() {
    const box = $("selection");
    box.hidden = state.selection.length === 0;
    box.replaceChildren(...state.selection.map((label) => el("span", "chip", labelText(label))),
      el("span", "hint", " ⏎"));
    for (const li of $("suggestions").children) {
      li.classList.toggle("picked", state.selection.includes(li.dataset.label));
    }
  }

  function renderMeta() {
    const item = state.item;
    const parts = [el("span", "chip id", `#${item.action_id}`)];
    if (item.external_id) parts.push(el("span", "chip", item.external_id));
    if (item.actor) parts.push(el("span", "chip actor", item.actor));
    if (item.period) parts.push(el("span", "chip period", `${ui.period} ${item.period}`));
    if (item.carried) {
      // A continuing programme: last period's decided labels, and a link to last period's text.
      const last = link(item.carried.url,
        `${ui.como_en.replace("{period}", item.carried.previous_period || "")}: ${item.carried.labels.join(", ")}`);
      parts.push(el("span", "chip carried-chip", last));
    }
    if (item.file_name) {
      const pages = (item.pages || []).length ? ` · ${ui.page} ${item.pages.join("–")}` : "";
      parts.push(el("span", "chip file", item.file_name + pages));
    }
    if ((item.stated_objectives || []).length) {
      parts.push(el("span", "chip stated", `${ui.stated} ${item.stated_objectives.join(", ")}`));
    }
    parts.push(el("span", "chip model", `${ui.model} ${item.model_version}`));
    if (item.decision) {
      parts.push(el("span", "chip decided", `✓ ${item.decision.labels.join(", ")} (${item.decision.reviewer})`));
    }
    $("meta").replaceChildren(...parts);
  }

  function renderRegion() {
    const item = state.item;
    const img = $("region");
    const missing = $("region-missing");
    img.hidden = true;
    missing.hidden = true;
    img.removeAttribute("src");
    if (item.has_region && item.region_url) {
      img.onload = () => { img.hidden = false; };
      img.onerror = () => { img.hidden = true; missing.hidden = false; };
      img.src = item.region_url;
    } else {
      missing.hidden = false;
    }
  }

  function show(item, progress) {
    showProgress(progress);
    state.item = item;
    state.selection = [];
    $("loading").hidden = true;
    $("filter").value = "";
    renderMatches();
    if (!item) {
      $("work").hidden = true;
      $("done").hidden = false;
      $("done-text").textContent = ui.done + (state.skipped.size ? " " + ui.done_skipped : "");
      return;
    }
    $("done").hidden = true;
    $("work").hidden = false;
    const evidenceLabels = Object.keys(item.evidence || {});
    const preferred = acceptLabels().find((l) => evidenceLabels.includes(l));
    state.focusLabel = preferred || (item.suggestions[0] && item.suggestions[0].label) || null;
    renderMeta();
    renderText();
    renderSuggestions();
    renderSelection();
    renderRegion();
    window.scrollTo({ top: 0 });
  }

  // --- actions ---------------------------------------------------------------------------------

  async function guarded(task) {
    if (state.busy) return;
    state.busy = true;
    try { await task(); } catch (error) { toast(error.message, "error"); } finally { state.busy = false; }
  }

  function loadNext() {
    return api("GET", "/api/next", {
      scheme: state.scheme, reviewer: state.reviewer, strategy: state.strategy,
      exclude: [...state.skipped].join(","),
    }).then((data) => show(data.item, data.progress));
  }

  function decide(labels) {
    return guarded(async () => {
      const item = state.item;
      if (!item) return;
      const data = await api("POST", "/api/decisions", {}, {
        action_id: item.action_id, scheme: state.scheme, labels,
        reviewer: state.reviewer, model_version: item.model_version,
      });
      state.undo.push({ decision_id: data.decision_id, action_id: item.action_id, scheme: state.scheme });
      toast(`${ui.saved}: ${labels.length ? labels.map(labelText).join(" · ") : ui.none_label}`, "ok");
      showProgress(data.progress);
      await loadNext();
    });
  }

  function undo() {
    return guarded(async () => {
      const last = state.undo.pop();
      if (!last) { toast(ui.nothing_to_undo); return; }
      await api("POST", `/api/decisions/${last.decision_id}/undo`, {}, { reviewer: state.reviewer });
      state.skipped.delete(last.action_id);
      if (last.scheme !== state.scheme) { toast(ui.undone, "ok"); return; }
      const data = await api("GET", `/api/actions/${last.action_id}`,
        { scheme: last.scheme, reviewer: state.reviewer });
      show(data.item, data.progress);
      toast(ui.undone, "ok");
    });
  }

  function skip() {
    return guarded(async () => {
      const item = state.item;
      if (!item) return;
      state.skipped.add(item.action_id);
      await api("POST", "/api/release", {},
        { action_id: item.action_id, scheme: state.scheme, reviewer: state.reviewer });
      toast(ui.skipped);
      await loadNext();
    });
  }

  function toggleSelection(label) {
    const at = state.selection.indexOf(label);
    if (at >= 0) state.selection.splice(at, 1); else state.selection.push(label);
    renderSelection();
  }

  // --- the label filter ------------------------------------------------------------------------

  function findLabels(query) {
    const q = fold(query.trim());
    if (!q) return [];
    const words = q.split(/\s+/);
    const scored = [];
    for (const label of state.labels) {
      const id = fold(label.id);
      const name = fold(label.name);
      let rank = null;
      if (id === q) rank = 0;
      else if (id.startsWith(q)) rank = 1;
      else if (words.every((w) => name.includes(w) || id.includes(w))) rank = name.startsWith(q) ? 2 : 3;
      if (rank !== null) scored.push([rank, label]);
    }
    const noneWords = fold(ui.none_label);
    if (words.every((w) => noneWords.includes(w))) scored.push([4, { id: null, name: ui.none_label }]);
    scored.sort((a, b) => a[0] - b[0]);
    return scored.slice(0, MAX_MATCHES).map((pair) => pair[1]);
  }

  function renderMatches() {
    const list = $("matches");
    const query = $("filter").value;
    state.matches = findLabels(query);
    state.matchIndex = Math.min(state.matchIndex, Math.max(0, state.matches.length - 1));
    if (query.trim() && !state.matches.length) {
      list.replaceChildren(el("li", "empty", ui.no_match));
      return;
    }
    list.replaceChildren(...state.matches.map((label, index) => {
      const li = el("li", index === state.matchIndex ? "active" : "",
        el("span", "label-id", label.id === null ? "∅" : label.id), el("span", "label-name", label.name));
      li.addEventListener("mousedown", (event) => {
        event.preventDefault();
        pickMatch(index, event.shiftKey);
      });
      return li;
    }));
  }

  function pickMatch(index, addToSelection) {
    const label = state.matches[index];
    if (!label) return;
    if (addToSelection && label.id !== null) {
      toggleSelection(label.id);
      $("filter").value = "";
      renderMatches();
      return;
    }
    $("filter").blur();
    decide(label.id === null ? [] : [label.id]);
  }

  // --- keys ------------------------------------------------------------------------------------

  function onFilterKey(event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      const n = state.matches.length;
      if (n) state.matchIndex = (state.matchIndex + step + n) % n;
      renderMatches();
    } else if (event.key === "Enter") {
      event.preventDefault();
      pickMatch(state.matchIndex, event.shiftKey);
    } else if (event.key === "Escape") {
      $("filter").value = "";
      renderMatches();
      $("filter").blur();
    }
  }

  function onKey(event) {
    if (!$("name-overlay").hidden) return;
    if (event.target === $("filter")) { onFilterKey(event); return; }
    // A focused select or button keeps its own keys.
    if (event.target instanceof HTMLSelectElement) return;
    if (event.target instanceof HTMLButtonElement && (event.key === "Enter" || event.key === " ")) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (!state.item) return;
    const digit = /^Digit([1-9])$/.exec(event.code) || /^Numpad([1-9])$/.exec(event.code);
    if (digit) {
      event.preventDefault();
      const suggestion = state.item.suggestions[Number(digit[1]) - 1];
      if (!suggestion) return;
      if (event.shiftKey) toggleSelection(suggestion.label); else decide([suggestion.label]);
      return;
    }
    switch (event.key) {
      case "Enter":
      case "a":
        event.preventDefault();
        decide(state.selection.length ? state.selection.slice() : acceptLabels());
        break;
      case "u":
        event.preventDefault();
        undo();
        break;
      case "s":
        event.preventDefault();
        skip();
        break;
      case "/":
        event.preventDefault();
        $("filter").focus();
        break;
      case "Escape":
        state.selection = [];
        renderSelection();
        break;
      default:
        break;
    }
  }

  // --- the reviewer's name, scheme and order ---------------------------------------------------

  function askName() {
    $("name-input").value = state.reviewer;
    $("name-overlay").hidden = false;
    $("name-input").focus();
  }

  function setReviewer(name) {
    state.reviewer = name.trim().slice(0, 120);
    localStorage.setItem("pmm.reviewer", state.reviewer);
    $("reviewer-name").textContent = state.reviewer;
    $("name-overlay").hidden = true;
  }

  async function loadLabels() {
    const data = await api("GET", "/api/labels", { scheme: state.scheme });
    state.labels = data.labels;
  }

  function fillSelect(select, options, value) {
    select.replaceChildren(...options.map((o) => {
      const option = el("option", null, o.name);
      option.value = o.id;
      return option;
    }));
    select.value = value;
  }

  function start() {
    return guarded(async () => {
      await loadLabels();
      await loadNext();
    });
  }

  fillSelect($("scheme"), config.schemes, state.scheme);
  fillSelect($("strategy"), config.strategies, state.strategy);
  $("scheme").addEventListener("change", (event) => {
    state.scheme = event.target.value;
    localStorage.setItem("pmm.scheme", state.scheme);
    state.skipped.clear();
    event.target.blur();
    start();
  });
  $("strategy").addEventListener("change", (event) => {
    state.strategy = event.target.value;
    localStorage.setItem("pmm.strategy", state.strategy);
    event.target.blur();
    start();
  });
  $("filter").addEventListener("input", () => { state.matchIndex = 0; renderMatches(); });
  $("change-name").addEventListener("click", askName);
  $("name-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const name = $("name-input").value.trim();
    if (!name) return;
    const first = !state.reviewer;
    setReviewer(name);
    if (first || !state.item) start();
  });
  document.addEventListener("keydown", onKey);

  if (state.reviewer) {
    $("reviewer-name").textContent = state.reviewer;
    start();
  } else {
    $("loading").hidden = true;
    askName();
  }
})();
