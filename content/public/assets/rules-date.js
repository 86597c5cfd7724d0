/* Rule pages (both builds): the date picker. The page carries each version's period
   (<li data-version data-from data-to data-href>, dates as YYYY-MM-DD, to inclusive and
   empty while in force); this shows which version was in force on the picked date and
   links its text. No request, no storage; without JavaScript the picker stays hidden
   and the page's table of versions gives the same periods. */
(function () {
  "use strict";

  function say(out, parts) {
    out.textContent = "";
    parts.forEach(function (p) {
      if (typeof p === "string") {
        out.appendChild(document.createTextNode(p));
      } else {
        var a = document.createElement("a");
        a.href = p.href;
        a.textContent = p.text;
        out.appendChild(a);
      }
    });
  }

  function answer(box, day) {
    var asOf = box.getAttribute("data-as-of");
    var issued = box.getAttribute("data-issued");
    var repealed = box.getAttribute("data-repealed");
    var rows = box.querySelectorAll(".rule-on-date__periods li");
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
      return [];
    }
    if (day < issued) {
      return [day + ":本制度尚未印发(" + issued + " 印发)。"];
    }
    if (repealed && day >= repealed) {
      return [day + ":本制度已废止(" + repealed + " 起不再施行)。"];
    }
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      var from = r.getAttribute("data-from");
      var to = r.getAttribute("data-to");
      if (day >= from && (!to || day <= to)) {
        var n = r.getAttribute("data-version");
        var span = to ? from + " 至 " + to : from + " 起";
        var parts = [day + " 施行的是", {href: r.getAttribute("data-href"), text: "第 " + n + " 版"}, "(施行期间 " + span + ")。"];
        if (r.hasAttribute("data-pending")) {
          parts.push("这一版已印发,尚未施行:自 " + from + " 起施行。");
        }
        if (day > asOf) {
          parts.push("本站数据截至 " + asOf + ",此后的修订未收录。");
        }
        return parts;
      }
    }
    return [day + ":本制度已印发,尚未施行。"];
  }

  function setup() {
    Array.prototype.forEach.call(document.querySelectorAll(".rule-on-date"), function (box) {
      var input = box.querySelector(".rule-on-date__input");
      var out = box.querySelector(".rule-on-date__result");
      if (!input || !out || box.getAttribute("data-ready")) {
        return;
      }
      box.setAttribute("data-ready", "1");
      box.hidden = false;
      var show = function () { say(out, answer(box, input.value)); };
      input.addEventListener("input", show);
      input.addEventListener("change", show);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
