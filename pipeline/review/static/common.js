// pmm pages' shared helpers: the page's config, DOM building, the toast and the JSON API.
// Loaded before review.js and second_year.js, which take what they need from `window.pmm`.
// Every text that comes from a PDF is untrusted: it reaches the page only as DOM text nodes
// (textContent / createTextNode), never as HTML.
"use strict";

window.pmm = (() => {
  const config = JSON.parse(document.getElementById("pmm-config").textContent);
  const $ = (id) => document.getElementById(id);

  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  // A link that opens in a new tab without giving that tab a handle on this page.
  function link(href, ...children) {
    const a = el("a", null, ...children);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener";
    return a;
  }

  let toastTimer = null;
  function toast(message, kind) {
    const box = $("toast");
    box.textContent = message;
    box.className = "toast" + (kind ? " " + kind : "");
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { box.hidden = true; }, kind === "error" ? 6000 : 2200);
  }

  async function api(method, path, params, body) {
    const url = new URL(path, window.location.origin);
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, v);
    }
    url.searchParams.set("lang", config.lang);
    const headers = { "Accept": "application/json", [config.csrf_header]: "1" };
    const init = { method, headers, credentials: "same-origin" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(url, init);
    let data = {};
    try { data = await response.json(); } catch (_) { /* not JSON: keep the status */ }
    if (!response.ok) throw new Error(data.error || `${config.ui.error || "Error"} ${response.status}`);
    return data;
  }

  return Object.freeze({ config, $, el, link, toast, api });
})();
