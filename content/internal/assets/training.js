/* Internal build only (mkdocs.internal.yml): the reading-progress checklist of the
   curriculum pages. Each step is an <li data-check="kind-id">; this adds a checkbox
   to it and keeps the tick in this browser's localStorage under
   "luohe-progress:" + page path + ":" + item id. Nothing is sent anywhere.
   Without JavaScript (or without storage) the page stays a plain ordered list. */
(function () {
  "use strict";
  var PREFIX = "luohe-progress:";

  function storage() {
    try {
      var s = window.localStorage;
      s.setItem(PREFIX + "probe", "1");
      s.removeItem(PREFIX + "probe");
      return s;
    } catch (e) {
      return null;
    }
  }

  function key(id) {
    return PREFIX + window.location.pathname + ":" + id;
  }

  function setup() {
    var items = document.querySelectorAll("article li[data-check]");
    var store = storage();
    if (!items.length || !store || document.querySelector(".luohe-progress")) {
      return;
    }
    var status = document.createElement("p");
    status.className = "luohe-progress";
    status.setAttribute("aria-live", "polite");

    function update() {
      var done = 0;
      for (var i = 0; i < items.length; i++) {
        if (items[i].querySelector("input.luohe-check").checked) {
          done++;
        }
      }
      status.textContent = "已完成 " + done + " / " + items.length + " 步";
    }

    Array.prototype.forEach.call(items, function (li) {
      var id = li.getAttribute("data-check");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.className = "luohe-check";
      box.setAttribute("aria-label", "已读完这一步");
      box.checked = store.getItem(key(id)) === "1";
      li.classList.toggle("luohe-done", box.checked);
      box.addEventListener("change", function () {
        if (box.checked) {
          store.setItem(key(id), "1");
        } else {
          store.removeItem(key(id));
        }
        li.classList.toggle("luohe-done", box.checked);
        update();
      });
      li.insertBefore(box, li.firstChild);
    });
    var list = items[0].parentNode;
    list.parentNode.insertBefore(status, list);
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
