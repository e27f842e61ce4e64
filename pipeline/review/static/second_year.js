// pmm second-year views: possible duplicates side by side, and carried-forward labels in bulk.
// Texts from PDFs reach the page only as DOM text nodes, never as HTML.
"use strict";

(() => {
  const { config, $, el, link, toast, api } = window.pmm;
  const ui = config.ui;

  // The reviewer's name is the one the review page remembers.
  const reviewerBox = $("reviewer");
  reviewerBox.value = localStorage.getItem("pmm.reviewer") || "";
  reviewerBox.addEventListener("change", () => {
    localStorage.setItem("pmm.reviewer", reviewerBox.value.trim().slice(0, 120));
  });
  function reviewer() {
    const name = reviewerBox.value.trim();
    if (!name) { toast(ui.need_name, "error"); reviewerBox.focus(); return null; }
    localStorage.setItem("pmm.reviewer", name);
    return name;
  }

  const periodBox = $("period");
  const choices = [...config.periods.map((p) => [p, p]), ["", ui.all_periods]];
  periodBox.replaceChildren(...choices.map(([value, name]) => {
    const option = el("option", null, name);
    option.value = value;
    return option;
  }));
  periodBox.value = localStorage.getItem("pmm.period") ?? (config.periods[0] || "");
  if (![...periodBox.options].some((o) => o.value === periodBox.value)) periodBox.value = config.periods[0] || "";
  periodBox.addEventListener("change", () => { localStorage.setItem("pmm.period", periodBox.value); load(); });

  function empty(message) {
    $("empty").textContent = message;
    $("empty").hidden = !message;
  }

  function side(action) {
    const pages = (action.pages || []).length ? ` · ${action.pages.join("–")}` : "";
    return el("div", "side",
      el("div", "meta",
        el("span", "chip id", `#${action.id}`),
        action.actor ? el("span", "chip actor", action.actor) : null,
        action.period ? el("span", "chip period", `${ui.period} ${action.period}`) : null,
        action.file_name ? el("span", "chip file", action.file_name + pages) : null),
      el("div", "text", action.text));
  }

  // --- duplicates ------------------------------------------------------------------------------

  async function loadPairs() {
    const data = await api("GET", "/api/duplicates", { period: periodBox.value });
    const box = $("pairs");
    box.replaceChildren(...data.pairs.map((pair) => {
      const why = (ui.why[pair.reason] || pair.reason)
        + (pair.score !== null ? ` · ${ui.similarity} ${Math.round(100 * pair.score)} %` : "");
      const same = el("button", "same", ui.same);
      const different = el("button", "different", ui.different);
      const card = el("article", "pair", el("div", "why", why),
        el("div", "sides", side(pair.left), side(pair.right)),
        el("div", "buttons", same, different));
      card.dataset.pair = `${pair.action_id}-${pair.other_id}`;
      const resolve = async (verdict) => {
        const name = reviewer();
        if (!name) return;
        try {
          await api("POST", "/api/duplicates/resolve", {},
            { action_id: pair.action_id, other_id: pair.other_id, verdict, reviewer: name });
          card.remove();
          toast(verdict === "same" ? ui.resolved_same : ui.resolved_different, "ok");
          if (!box.children.length) empty(ui.no_duplicates);
        } catch (error) { toast(error.message, "error"); }
      };
      same.addEventListener("click", () => resolve("same"));
      different.addEventListener("click", () => resolve("different"));
      return card;
    }));
    empty(data.pairs.length ? "" : ui.no_duplicates);
  }

  // --- carried-forward labels -------------------------------------------------------------------

  function scheme() { return $("scheme").value || "gcm"; }

  async function loadCarried() {
    const data = await api("GET", "/api/carried", { period: periodBox.value, scheme: scheme() });
    const list = $("carried");
    list.replaceChildren(...data.items.map((item) => {
      const box = el("input");
      box.type = "checkbox";
      box.checked = $("select-all").checked;
      box.value = String(item.action_id);
      box.className = "pick-one";
      const labels = item.labels.map((l) => `${l.label}${l.name ? " — " + l.name : ""}`).join(" · ");
      const li = el("li", null, box, el("div", null,
        el("div", "meta",
          el("span", "chip id", `#${item.action_id}`),
          item.actor ? el("span", "chip actor", item.actor) : null,
          item.period ? el("span", "chip period", `${ui.period} ${item.period}`) : null,
          el("span", "chip carried-chip",
            link(item.previous_url, ui.como_en.replace("{period}", item.previous_period || "")))),
        el("div", "labels", el("span", "como", labels)),
        el("div", "text", item.text)));
      li.dataset.action = String(item.action_id);
      return li;
    }));
    empty(data.items.length ? "" : ui.no_carried);
  }

  async function acceptSelected() {
    const name = reviewer();
    if (!name) return;
    const ids = [...document.querySelectorAll("#carried input.pick-one:checked")].map((b) => Number(b.value));
    if (!ids.length) return;
    try {
      const data = await api("POST", "/api/carried/accept", {},
        { scheme: scheme(), reviewer: name, action_ids: ids });
      toast(ui.accepted.replace("{n}", data.accepted), "ok");
      await loadCarried();
    } catch (error) { toast(error.message, "error"); }
  }

  function load() {
    const task = config.view === "duplicates" ? loadPairs() : loadCarried();
    task.catch((error) => toast(error.message, "error"));
  }

  if (config.view === "carried") {
    $("scheme").replaceChildren(...config.schemes.map((s) => {
      const option = el("option", null, s);
      option.value = s;
      return option;
    }));
    $("scheme").addEventListener("change", load);
    $("select-all").addEventListener("change", (event) => {
      for (const box of document.querySelectorAll("#carried input.pick-one")) box.checked = event.target.checked;
    });
    $("accept-selected").addEventListener("click", acceptSelected);
  }
  load();
})();
