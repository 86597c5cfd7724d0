// The header's search with Pagefind (issue #16; markup in overrides/partials/pagefind.html).
// Every change of the box is searched: typing, an input method's committed text, a paste
// (the `input` event, which a paste fires and a key release does not), a reset. Nothing of
// Pagefind is loaded on a page view: loading starts when the reader shows the intent to search
// (a pointer or finger down on the search button or box, focus in the box, the `/` key), and
// then asks for Pagefind's script, its entry file, WebAssembly and metadata at once rather than
// one after another (Pagefind runs on the page, without its worker: one file and one round
// trip fewer). While the reader types, the index chunks of the words typed so far are loaded;
// a query typed before the index is ready waits for it and is then answered. The results are
// shown as their fragments arrive; only the answer to the latest query is shown.
(() => {
  "use strict";
  // The button and the dialog (a template after the header) go where Material puts its search.
  const parts = document.getElementById("luohe-search");
  const header = document.querySelector(".md-header__inner");
  if (parts && header) header.append(parts.content.cloneNode(true));
  const form = document.forms.namedItem("pagefind");
  if (!form) return;
  const box = form.elements.query;
  const toggle = document.getElementById("__search");
  const dialog = form.closest(".md-search");
  const meta = dialog.querySelector(".md-search-result__meta");
  const list = dialog.querySelector(".md-search-result__list");
  const resultBox = dialog.querySelector(".md-search-result");
  const words = JSON.parse(document.getElementById("__config").textContent).translations;
  const base = new URL(form.dataset.base.replace(/\/?$/, "/"), location.href);
  const SHOWN = 10;
  const CANDIDATES = 12;
  const FIRST = 5;
  const FEW = 5;
  const TERMS = 8;
  const SHORT = 12;  // characters: a name, not a sentence
  const COVERED = 0.6;  // share of a short query in words of two characters or more, below which its pairs are searched
  const NEAR = 0.75;  // share of pairs of characters a title has in common with a query
  const PARTS = 3;
  const PAUSE_MS = 150;
  const LOADING = "正在加载搜索索引……";
  let engine = null;
  let latest = null;
  let ready = false;

  // <link rel=preload> for the files Pagefind asks for, so that they travel together
  function preload(href, as) {
    const link = Object.assign(document.createElement("link"), { rel: as === "module" ? "modulepreload" : "preload", href });
    if (as !== "module") Object.assign(link, { as, crossOrigin: "anonymous" });
    document.head.append(link);
  }

  function load() {
    if (!engine) {
      const dir = new URL("pagefind/", base);
      const tag = String(Date.now());  // Pagefind's own cache breaker for its entry file, chosen here to preload it
      const entry = new URL(`pagefind-entry.json?ts=${tag}`, dir).href;
      preload(new URL("pagefind.js", dir).href, "module");
      preload(entry, "fetch");
      preload(new URL("wasm.unknown.pagefind", dir).href, "fetch");
      // the metadata's name is in the entry file: read a copy of it (the preload is Pagefind's)
      fetch(`${entry}-`).then((r) => r.json()).then((json) => {
        for (const language of Object.values(json.languages || {})) preload(new URL(`pagefind.${language.hash}.pf_meta`, dir).href, "fetch");
      }).catch(() => {});
      // a large site's index comes in parts (hooks/search_pagefind.py): merged into one search
      const parts = fetch(new URL(`parts.json?ts=${tag}`, dir)).then((r) => (r.ok ? r.json() : [])).then((names) => {
        for (const name of names) preload(new URL(`${name}pagefind-entry.json?ts=${tag}`, dir).href, "fetch");
        return names;
      }).catch(() => []);
      engine = import(new URL("pagefind.js", dir).href).then(async (pagefind) => {
        const options = { baseUrl: base.pathname, excerptLength: 30, metaCacheTag: tag };
        await pagefind.options({ ...options, noWorker: true });
        await pagefind.init();
        await Promise.all((await parts).map((name) => pagefind.mergeIndex(new URL(name, dir).pathname, options)));
        ready = true;
        return pagefind;
      });
      engine.catch(() => { meta.textContent = "搜索暂时不可用,请稍后再试"; });
    }
    return engine;
  }

  // while the reader types: the chunks of the words typed so far, before the pause ends
  function warm() {
    const query = box.value.trim();
    if (query) load().then((pagefind) => pagefind.preload(query)).catch(() => {});
  }

  // Pagefind's excerpt is HTML with <mark> around the words found: keep only text and marks.
  function excerpt(html) {
    const parsed = document.createElement("template");
    parsed.innerHTML = html;
    const out = document.createElement("p");
    for (const node of parsed.content.childNodes) {
      if (node.nodeName === "MARK") out.append(Object.assign(document.createElement("mark"), { textContent: node.textContent }));
      else out.append(node.textContent);
    }
    return out;
  }

  function result(page) {
    const item = document.createElement("li");
    item.className = "md-search-result__item";
    const link = Object.assign(document.createElement("a"), { href: page.url, className: "md-search-result__link", tabIndex: -1 });
    const article = Object.assign(document.createElement("article"), { className: "md-search-result__article md-typeset" });
    const icon = Object.assign(document.createElement("div"), { className: "md-search-result__icon md-icon" });
    const section = Object.assign(document.createElement("span"), { className: "luohe-search-section", textContent: page.meta.section || "" });
    const title = Object.assign(document.createElement("h1"), { textContent: page.meta.title || page.url });
    article.append(icon, section, title, excerpt(page.excerpt));
    link.append(article);
    item.append(link);
    // the parts of the page (a rule's articles, a notice's sections) where the words are, as
    // Material shows them: a link to each under the page's own
    for (const part of (page.sub_results || []).filter((s) => s.url.includes("#") && s.title !== page.meta.title).slice(0, PARTS)) {
      const partLink = Object.assign(document.createElement("a"), { href: part.url, className: "md-search-result__link", tabIndex: -1 });
      const partArticle = Object.assign(document.createElement("article"), { className: "md-search-result__article md-typeset" });
      partArticle.append(Object.assign(document.createElement("h2"), { textContent: part.title.replace(/¶$/, "") }), excerpt(part.excerpt));
      partLink.append(partArticle);
      item.append(partLink);
    }
    return item;
  }

  // Pagefind finds the pages that hold every word of the query, as the browser cuts it into
  // words (Intl.Segmenter), while the index holds the words as Pagefind's indexer cut them: a
  // name can be cut differently in both (中共舞阳县甲镇委员会 found nothing), a pasted sentence
  // or a name with one wrong character can have few or no pages. Then the parts of the query are
  // searched on their own and the pages holding the most of them follow: its words of two
  // characters or more, or, for a short query (a name) that such words cover badly (共舞, 委员
  // of 中共舞阳县甲镇委员会), or a query with fewer than two of them, its pairs of characters.
  const pairs = (text) => [...new Set([...text].slice(1).map((c, i) => text[i] + c).filter((t) => /^[\p{L}\p{N}]{2}$/u.test(t)))];

  async function find(pagefind, query) {
    const all = (await pagefind.search(query)).results;
    if (all.length >= FEW) return all;
    const segmenter = new Intl.Segmenter("zh", { granularity: "word" });
    const words = [...new Set([...segmenter.segment(query)].filter((s) => s.isWordLike).map((s) => s.segment).filter((t) => t.length > 1))];
    const covered = words.join("").length / [...query].length;
    // at most TERMS of them, the longest, so that a pasted paragraph does not load the whole index
    const terms = (words.length < 2 || ([...query].length <= SHORT && covered < COVERED) ? pairs(query) : words)
      .map((t, i) => [t, i]).sort((a, b) => b[0].length - a[0].length || a[1] - b[1]).slice(0, TERMS).map((x) => x[0]);
    if (terms.length < 2) return all;
    const each = await Promise.all(terms.map((t) => pagefind.search(t)));
    const pages = new Map();
    each.forEach((found, i) => found.results.forEach((r) => {
      const page = pages.get(r.id) || { result: r, terms: 0, weight: 0 };
      page.terms += 1;
      page.weight += terms[i].length * r.score;
      pages.set(r.id, page);
    }));
    const first = new Set(all.map((r) => r.id));
    const more = [...pages.values()].filter((p) => !first.has(p.result.id));
    return all.concat(more.sort((a, b) => b.terms - a.terms || b.weight - a.weight).map((p) => p.result));
  }

  // Among the first candidates, a page whose title is the query, then one whose title holds it
  // or is held by it (a rule's or an organisation's name) or which has a heading that holds it
  // (a rule's document number), then one whose title shares most of
  // the query's pairs of characters (a name with a wrong character: 民证局 for 民政局), comes
  // before the others.
  function byTitle(query, pages) {
    const plain = (text) => (text || "").replace(/[\s,，。、“”《》〔〕()（）]/g, "");
    const q = plain(query);
    const asked = pairs(q);
    const near = (title) => {
      const own = new Set(pairs(title));
      const shared = asked.filter((t) => own.has(t)).length;
      return asked.length >= 4 ? (2 * shared) / (asked.length + own.size) : 0;
    };
    const rank = (page) => {
      const title = plain(page.meta.title);
      if (title === q) return 0;
      if (title && (title.includes(q) || (title.length >= 4 && q.includes(title)))) return 1;
      // a heading of the page that holds the query: a rule's 文号 漯巡办〔2019〕2号 (not 〔2019〕12号)
      if (q.length >= 4 && (page.sub_results || []).some((part) => plain(part.title).includes(q))) return 1;
      const likeness = near(title);
      return likeness >= NEAR ? 2 - likeness : 2;
    };
    return pages.map((page, i) => [rank(page), i, page]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((x) => x[2]);
  }

  function count(n) {
    if (n === 0) return words["search.result.none"];
    if (n === 1) return words["search.result.one"];
    return words["search.result.other"].replace("#", n);
  }

  // The candidates' fragments are asked for in two groups: the first FIRST (within a browser's
  // six connections to a host, leaving one for an index chunk), each shown as soon as it and
  // the ones before it in Pagefind's order are in; then, unless the query has changed, the rest, and the whole list once
  // more, with the titles that match first (byTitle). The list is aria-busy from a change of the
  // box until then.
  async function search() {
    const query = box.value.trim();
    latest = query;
    if (!query) {
      list.replaceChildren();
      resultBox.removeAttribute("aria-busy");
      meta.textContent = words["search.result.placeholder"];
      return;
    }
    resultBox.setAttribute("aria-busy", "true");
    if (!ready) meta.textContent = LOADING;
    const pagefind = await load();
    const found = await find(pagefind, query);
    if (latest !== query) return;
    const candidates = found.slice(0, CANDIDATES);
    const arrived = [];
    const first = await Promise.all(candidates.slice(0, FIRST).map((r, i) => r.data().then((page) => {
      arrived[i] = page;
      let n = 0;
      while (arrived[n]) n += 1;
      if (latest === query && n > i) {  // each page as soon as the ones before it are in
        meta.textContent = count(found.length);
        list.replaceChildren(...arrived.slice(0, n).map(result));
      }
      return page;
    })));
    if (latest !== query) return;
    meta.textContent = count(found.length);
    if (candidates.length > FIRST) {
      const rest = await Promise.all(candidates.slice(FIRST).map((r) => r.data()));
      if (latest !== query) return;
      first.push(...rest);
    }
    list.replaceChildren(...byTitle(query, first).slice(0, SHOWN).map(result));
    if (box.value.trim() === query) resultBox.removeAttribute("aria-busy");
  }

  function open() {
    if (!toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    box.focus();
    load();
  }

  function close() {
    toggle.checked = false;
    toggle.dispatchEvent(new Event("change"));
    box.blur();
  }

  // a short pause after each change, so that fast typing loads the results of the last query only
  let pause = null;
  const soon = () => {
    resultBox.setAttribute("aria-busy", "true");  // until the list answers what the box holds
    clearTimeout(pause);
    pause = setTimeout(search, PAUSE_MS);
  };
  box.addEventListener("input", (event) => { if (!event.isComposing) { warm(); soon(); } });
  box.addEventListener("compositionend", () => { warm(); soon(); });
  // the intent to search: a pointer or finger down on the button or in the box starts loading
  for (const target of [form, ...document.querySelectorAll('label[for="__search"]')]) {
    target.addEventListener("pointerdown", () => { load(); }, { passive: true });
  }
  box.addEventListener("focus", open);  // a click into the desktop box opens the results, as Material's does
  form.addEventListener("reset", () => setTimeout(search));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = list.querySelector("a");
    if (first) location.href = first.href;
  });
  toggle.addEventListener("change", () => { if (toggle.checked) { box.focus(); load(); } });
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    const typing = target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (toggle.checked && event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (!typing && ["/", "s", "f"].includes(event.key)) {
      event.preventDefault();
      open();
    } else if (target === box && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      const links = [...list.querySelectorAll("a")];
      if (!links.length) return;
      event.preventDefault();
      links[event.key === "ArrowDown" ? 0 : links.length - 1].focus();
    }
  });
  list.addEventListener("keydown", (event) => {
    const links = [...list.querySelectorAll("a")];
    const at = links.indexOf(document.activeElement);
    if (at < 0 || !["ArrowDown", "ArrowUp"].includes(event.key)) return;
    event.preventDefault();
    const next = at + (event.key === "ArrowDown" ? 1 : -1);
    (next < 0 || next >= links.length ? box : links[next]).focus();
  });

  const asked = new URLSearchParams(location.search).get("q");
  if (asked) {
    box.value = asked;
    open();
    search();
  }
})();
