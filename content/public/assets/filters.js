/* Filters for the public lists, without a server (self-hosted, no dependencies).
 *
 * 1. <form class="lh-filters" data-target="TABLE_ID">: each <select name="X"> keeps the rows
 *    of the table whose data-X attribute equals the value (or, for a space-separated list,
 *    contains it). The choice is kept in the address (?year=2024&stage=整改) so it can be shared.
 * 2. <div id="lh-items" data-src="items-2024.json" data-year-src="items-{year}.json"
 *    data-all-src="items.json">: the rectification items explorer. Loads one year's open-data
 *    JSON (data-src: the latest year, selected first; all years only when asked) and shows the
 *    matching items, 50 at a time.
 */
(function () {
  "use strict";

  function matches(value, wanted) {
    if (!wanted) return true;
    return (value || "").split(" ").indexOf(wanted) !== -1;
  }

  function readParams(form) {
    var params = new URLSearchParams(window.location.search);
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (s) {
      if (params.has(s.name)) s.value = params.get(s.name);
    });
  }

  function writeParams(form) {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (s) {
      if (s.value) params.set(s.name, s.value);
    });
    var query = params.toString();
    window.history.replaceState(null, "", query ? "?" + query : window.location.pathname);
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

  function cell(tr, text) {
    var td = document.createElement("td");
    td.textContent = text === null || text === undefined || text === "" ? "—" : String(text);
    tr.appendChild(td);
    return td;
  }

  function setupItems(box) {
    var form = document.querySelector("form.lh-filters[data-items]");
    var body = box.querySelector("tbody");
    var more = box.querySelector(".lh-more");
    var count = form && form.querySelector(".lh-count");
    var all = [], limit = 50;
    // the columns, in order, are the header's data-key attributes (generators/pages/inspections.py:
    // EXPLORER_COLUMNS); each names a field of open-data/items*.json
    var keys = Array.prototype.map.call(box.querySelectorAll("thead th[data-key]"),
                                        function (th) { return th.getAttribute("data-key"); });
    var overdueLabel = box.getAttribute("data-overdue-label") || "";
    function value(it, key) {
      if (key === "current_deadline") return it.revised_deadline || it.deadline;
      if (key === "status") return it.status + (it.overdue ? "(" + overdueLabel + ")" : "");
      return it[key];
    }
    function render() {
      var w = wanted(form), shown = all.filter(function (it) {
        return (!w.year || String(it.year) === w.year) &&
          (!w.status || it.status === w.status) &&
          (!w.category || it.category === w.category) &&
          (!w.overdue || String(it.overdue) === w.overdue);
      });
      body.textContent = "";
      shown.slice(0, limit).forEach(function (it) {
        var tr = document.createElement("tr");
        keys.forEach(function (key) {
          if (key !== "organisation") { cell(tr, value(it, key)); return; }
          var td = cell(tr, ""), a = document.createElement("a");
          a.href = "../inspections/" + encodeURIComponent(it.inspection) + "/";
          a.textContent = it.organisation_name;
          td.textContent = "";
          td.appendChild(a);
        });
        body.appendChild(tr);
      });
      if (count) count.textContent = "共 " + shown.length + " 项,显示前 " + Math.min(limit, shown.length) + " 项";
      if (more) more.hidden = shown.length <= limit;
    }
    var cache = {};
    function load() {
      var year = form.querySelector("select[name=year]").value;
      var src = year ? box.getAttribute("data-year-src").replace("{year}", year) : box.getAttribute("data-all-src");
      if (cache[src]) { all = cache[src]; render(); return; }
      fetch(src).then(function (r) { return r.json(); }).then(function (data) {
        cache[src] = all = data;
        box.hidden = false;
        render();
      });
    }
    if (more) more.addEventListener("click", function () { limit += 50; render(); });
    readParams(form);
    form.addEventListener("change", function (event) {
      writeParams(form);
      limit = 50;
      if (event.target.name === "year") load(); else render();
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
