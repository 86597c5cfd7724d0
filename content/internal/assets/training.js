/* Internal build only (mkdocs.internal.yml). Two things, both kept in this browser's
   localStorage only; nothing is sent anywhere.

   1. The reading-progress checklist of the curriculum pages. Each step is an
      <li data-check="kind-id">; this adds a checkbox to it and keeps the tick under
      "luohe-progress:" + page path + ":" + item id.
   2. The self-check of a session page. Each option is a link a.luohe-option to the
      explanation p#qN-x.luohe-reveal (CSS :target shows it without a script). With the
      script, options become buttons: a wrong choice says so and lets the reader try
      again (the answer stays hidden), a right one shows the explanation; no history
      entry, no jump. The score (questions answered right, and right at the first try)
      is kept under "luohe-quiz:" + page path; 全部重做 clears it.
   Without JavaScript (or without storage) the pages stay plain lists and links. */
(function () {
  "use strict";
  var PREFIX = "luohe-progress:";
  var QUIZ = "luohe-quiz:";

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

  function checklist(store) {
    var items = document.querySelectorAll("article li[data-check]");
    if (!items.length || document.querySelector(".luohe-progress")) {
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

  function quiz(store) {
    var links = document.querySelectorAll("article a.luohe-option");
    if (!links.length || document.querySelector(".luohe-score")) {
      return;
    }
    var storeKey = QUIZ + window.location.pathname;
    var state = {};
    try {
      state = JSON.parse(store.getItem(storeKey) || "{}") || {};
    } catch (e) {
      state = {};
    }
    var questions = {};  // n -> {options: [button], feedback: <p>}
    var order = [];

    Array.prototype.forEach.call(links, function (a) {
      var m = /^#q(\d+)-([a-f])$/.exec(a.getAttribute("href") || "");
      if (!m) {
        return;
      }
      var n = m[1];
      var reveal = document.getElementById("q" + n + "-" + m[2]);
      if (!reveal) {
        return;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "luohe-option";
      button.textContent = a.textContent;
      button.setAttribute("data-q", n);
      button._reveal = reveal;
      button._right = reveal.classList.contains("luohe-right");
      a.parentNode.replaceChild(button, a);
      if (!questions[n]) {
        var feedback = document.createElement("p");
        feedback.className = "luohe-feedback";
        feedback.setAttribute("aria-live", "polite");
        var list = button.closest("ul") || button.parentNode;
        list.parentNode.insertBefore(feedback, list.nextSibling);
        questions[n] = {options: [], feedback: feedback};
        order.push(n);
      }
      questions[n].options.push(button);
    });
    if (!order.length) {
      return;
    }

    var score = document.createElement("p");
    score.className = "luohe-score";
    score.setAttribute("aria-live", "polite");
    var text = document.createElement("span");
    var reset = document.createElement("button");
    reset.type = "button";
    reset.className = "luohe-retry";
    reset.textContent = "全部重做";
    score.appendChild(text);
    score.appendChild(document.createTextNode(" "));
    score.appendChild(reset);
    var first = document.getElementById("q" + order[0]);
    first.parentNode.insertBefore(score, first);

    function save() {
      try {
        store.setItem(storeKey, JSON.stringify(state));
      } catch (e) { /* storage full or refused: the page still works */ }
    }

    function render() {
      var right = 0;
      var firstTry = 0;
      order.forEach(function (n) {
        var q = questions[n];
        var s = state[n] || {tries: 0, wrong: []};
        q.options.forEach(function (b) {
          var letter = b.textContent.charAt(0);
          var wrong = (s.wrong || []).indexOf(letter) >= 0;
          var chosenRight = s.done && b._right;
          b.classList.toggle("luohe-chosen-wrong", wrong);
          b.classList.toggle("luohe-chosen-right", !!chosenRight);
          b.disabled = wrong || !!s.done;
          b.setAttribute("aria-pressed", wrong || chosenRight ? "true" : "false");
          b._reveal.classList.toggle("luohe-shown", !!chosenRight);
        });
        if (s.done) {
          right++;
          if (s.tries === 1) {
            firstTry++;
          }
          q.feedback.textContent = "";
        } else if ((s.wrong || []).length) {
          q.feedback.textContent = "✘ " + s.wrong[s.wrong.length - 1] + " 不对,再选一次。";
        } else {
          q.feedback.textContent = "";
        }
      });
      text.textContent = "得分:答对 " + right + " / " + order.length + " 题,其中一次答对 " + firstTry + " 题。";
    }

    order.forEach(function (n) {
      questions[n].options.forEach(function (b) {
        b.addEventListener("click", function () {
          var s = state[n] || {tries: 0, wrong: []};
          if (s.done) {
            return;
          }
          s.tries += 1;
          if (b._right) {
            s.done = true;
          } else {
            s.wrong = (s.wrong || []).concat([b.textContent.charAt(0)]);
          }
          state[n] = s;
          save();
          render();
        });
      });
    });
    reset.addEventListener("click", function () {
      state = {};
      try {
        store.removeItem(storeKey);
      } catch (e) { /* nothing kept */ }
      render();
    });
    render();
  }

  function setup() {
    var store = storage();
    if (!store) {
      return;
    }
    checklist(store);
    quiz(store);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
