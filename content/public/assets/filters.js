/* Filters for the public lists, without a server (self-hosted, no dependencies).
 *
 * 1. <form class="lh-filters" data-target="TABLE_ID">: each <select name="X"> keeps the rows
 *    of the table whose data-X attribute equals the value (or, for a space-separated list,
 *    contains it). The choice is kept in the address (?year=2024&stage=整改) so it can be shared.
 * 2. <div id="lh-items" data-src="items-2024.json" data-year-src="items-{year}.json"
 *    data-all-src="items.json">: the rectification items explorer. Loads one year's open-data
 *    JSON (data-src: the latest year, selected first; all years only when asked) and shows the
 *    matching items, 50 at a time, filtered by year, county, organisation, owner unit, status,
 *    overdue and category, into the same table.lh-items an inspection page has (items.css).
 *    The lists of organisations and owner units (<select data-fill="X">) are filled from the
 *    items loaded, narrowed to the chosen county: a city with all its villages has thousands,
 *    which the page would otherwise carry as options in its HTML.
 */
(function () {
  "use strict";

  function matches(value, wanted) {
    if (!wanted) return true;
    return (value || "").split(" ").indexOf(wanted) !== -1;
  }

  function readParams(form) {
    var params = new URLSearchParams(window.location.search);
    // a list filled later (data-fill) takes its choice when it is filled
    Array.prototype.forEach.call(form.querySelectorAll("select:not([data-fill])"), function (s) {
      if (params.has(s.name)) s.value = params.get(s.name);
    });
  }

  function writeParams(form) {
    var params = new URLSearchParams(window.location.search);  // others (a search's ?h=) stay
    // a choice other than the list's first (its default) is kept, so "all years" (year=)
    // survives a reload where the items explorer would otherwise show the latest year
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (s) {
      params.delete(s.name);
      if (s.options.length && s.value !== s.options[0].value) params.set(s.name, s.value);
    });
    var query = params.toString();
    window.history.replaceState(null, "", (query ? "?" + query : window.location.pathname) + window.location.hash);
  }

  function wanted(form) {
    var out = {};
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (s) { out[s.name] = s.value; });
    return out;
  }

  function setupTable(form) {
    var table = document.getElementById(form.getAttribute("data-target"));
    if (!table) return;
    var rows = table.querySelectorAll("tbody tr");
    var count = form.querySelector(".lh-count");
    function apply() {
      var w = wanted(form), shown = 0;
      Array.prototype.forEach.call(rows, function (row) {
        var ok = Object.keys(w).every(function (k) { return matches(row.getAttribute("data-" + k), w[k]); });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      if (count) count.textContent = "显示 " + shown + " / " + rows.length + " 项";
    }
    readParams(form);
    form.addEventListener("change", function () { writeParams(form); apply(); });
    apply();
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // 2024-06-30 -> 2024年6月30日 (generators/text.py: date_zh); none -> —
  function dateZh(iso) {
    if (!iso) return "—";
    var p = iso.split("-");
    return p[0] + "年" + Number(p[1]) + "月" + Number(p[2]) + "日";
  }

  function setupItems(box) {
    var form = document.querySelector("form.lh-filters[data-items]");
    var body = box.querySelector("tbody");
    var more = box.querySelector(".lh-more");
    var count = form && form.querySelector(".lh-count");
    var all = [], limit = 50;
    // the columns, in order, are the header's data-key attributes (generators/pages/inspections.py:
    // EXPLORER_COLUMNS), each with its label (the field's declared title), as on an inspection page
    var columns = Array.prototype.map.call(box.querySelectorAll("thead th[data-key]"), function (th) {
      return {key: th.getAttribute("data-key"), label: th.textContent};
    });
    var tags = JSON.parse(box.getAttribute("data-tags") || "{}");
    var labels = JSON.parse(box.getAttribute("data-labels") || "{}");
    function tag(text, kind) { return el("strong", "lh-tag lh-tag--" + kind, text); }
    function note(label, text) { return el("span", "lh-item__note", label + ":" + text); }
    function fill(td, key, it) {
      var page = "../inspections/" + encodeURIComponent(it.inspection) + "/";
      if (key === "description") {
        td.appendChild(document.createTextNode(it.description + " "));
        if (it.sample) td.appendChild(tag("示例", "new"));
        var a = el("a", "lh-permalink", "¶");
        a.href = page + "#" + encodeURIComponent(it.id);
        a.title = "本条整改事项的链接";
        a.setAttribute("aria-label", a.title);
        td.appendChild(a);
        td.appendChild(note(labels.category, it.category));
      } else if (key === "status") {
        td.appendChild(tag(it.status, tags[it.status] || "new"));
        if (it.overdue) td.appendChild(tag(labels.overdue, "late"));
        if (it.done) td.appendChild(note(labels.done, dateZh(it.done)));
      } else if (key === "current_deadline") {
        td.appendChild(document.createTextNode(dateZh(it.revised_deadline || it.deadline)));
        if (it.revised_deadline) {
          td.appendChild(note(labels.deadline, dateZh(it.deadline)));
          td.appendChild(note(labels.revision_reason, it.revision_reason || "—"));
        }
      } else if (key === "organisation") {
        var link = el("a", "", it.organisation_name);
        link.href = page;
        td.appendChild(link);
        td.appendChild(el("span", "lh-item__note", it.county + " · " + it.round_title));
      } else {
        td.textContent = it[key] === null || it[key] === undefined || it[key] === "" ? "—" : String(it[key]);
      }
    }
    function keep(it, w) {
      return (!w.year || String(it.year) === w.year) &&
        (!w.county || it.county === w.county) &&
        (!w.organisation || it.organisation === w.organisation) &&
        (!w.owner_unit || it.owner_unit === w.owner_unit) &&
        (!w.status || it.status === w.status) &&
        (!w.category || it.category === w.category) &&
        (!w.overdue || String(it.overdue) === w.overdue);
    }
    function render() {
      var w = wanted(form), shown = all.filter(function (it) { return keep(it, w); });
      body.textContent = "";
      shown.slice(0, limit).forEach(function (it) {
        var tr = document.createElement("tr");
        columns.forEach(function (c) {
          var td = el("td", c.key === "description" ? "lh-item__problem" : c.key === "status" ? "lh-item__status" : "");
          td.setAttribute("data-label", c.label);
          fill(td, c.key, it);
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
      if (count) count.textContent = "共 " + shown.length + " 项,显示前 " + Math.min(limit, shown.length) + " 项";
      if (more) more.hidden = shown.length <= limit;
    }
    var years = form.querySelector("select[name=year]");
    // what the address asks of the lists filled from the items, until they are filled
    var pending = new URLSearchParams(window.location.search), loaded = false;
    var cache = {};
    function load() {
      var year = years.value;
      var src = year ? box.getAttribute("data-year-src").replace("{year}", year) : box.getAttribute("data-all-src");
      if (cache[src]) { all = cache[src]; settle(); return; }
      fetch(src).then(function (r) { return r.json(); }).then(function (data) {
        cache[src] = data;
        if (years.value !== year) return;  // another year was chosen meanwhile
        all = data;
        box.hidden = false;
        settle();
      });
    }
    function settle() {
      loaded = true;
      var missed = fillChoices();
      // a shared address names an organisation without a year: it may have items in earlier
      // years only, so all years are shown rather than the choice dropped
      if (missed && years.value !== "" && !pending.has("year")) { years.value = ""; load(); return; }
      pending = new URLSearchParams();
      writeParams(form);
      render();
    }
    // the choices of a list filled from the items (organisations grouped by county, in the
    // county list's order; owner units), narrowed to the chosen county; whether the address
    // asked for one that is not among them
    function choices(select, county) {
      var name = select.name, seen = Object.create(null), groups = Object.create(null), order = [];
      all.forEach(function (it) {
        if (county && it.county !== county) return;
        var value = it[name];
        if (value === null || value === undefined || value === "" || seen[value]) return;
        seen[value] = true;
        var group = name === "organisation" ? it.county : "";
        if (!groups[group]) { groups[group] = []; order.push(group); }
        groups[group].push({value: value, label: name === "organisation" ? it.organisation_name : value});
      });
      var counties = Array.prototype.map.call(form.querySelectorAll("select[name=county] option"),
                                              function (o) { return o.value; });
      order.sort(function (a, b) { return counties.indexOf(a) - counties.indexOf(b); });
      var asked = pending.has(name) ? pending.get(name) : select.value, kept = !asked;
      var first = select.options[0], fragment = document.createDocumentFragment();  // first: 全部
      order.forEach(function (group) {
        var parent = fragment;
        if (group) { parent = el("optgroup"); parent.label = group; fragment.appendChild(parent); }
        groups[group].sort(function (a, b) { return a.label < b.label ? -1 : a.label > b.label ? 1 : 0; });
        groups[group].forEach(function (c) {
          var option = el("option", "", c.label);
          option.value = c.value;
          parent.appendChild(option);
          if (c.value === asked) kept = true;
        });
      });
      while (first.nextSibling) select.removeChild(first.nextSibling);
      select.appendChild(fragment);
      select.value = kept ? asked : "";
      return !kept && pending.has(name);
    }
    function fillChoices() {
      var county = form.querySelector("select[name=county]").value, missed = false;
      Array.prototype.forEach.call(form.querySelectorAll("select[data-fill]"), function (s) {
        missed = choices(s, county) || missed;
      });
      return missed;
    }
    if (more) more.addEventListener("click", function () { limit += 50; render(); });
    readParams(form);
    form.addEventListener("change", function (event) {
      limit = 50;
      if (event.target.name === "year") { writeParams(form); load(); return; }
      if (event.target.name === "county" && loaded) fillChoices();
      writeParams(form);
      render();
    });
    load();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form.lh-filters[data-target]"), setupTable);
    var items = document.getElementById("lh-items");
    if (items) setupItems(items);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
