/* Accessibility that Material 9.8 leaves to the site (checked by tests/test_accessibility.py).
 *
 * - A table wider than the screen scrolls inside itself; make it focusable so a keyboard
 *   can scroll it too (axe: scrollable-region-focusable), also tables that scripts fill
 *   in later (the items explorer) and after the window is resized.
 * - Material's search is a role="dialog" without a name; name it after its input
 *   (axe: aria-dialog-name).
 * - The edition selector's button (drawn by Material once versions.json has loaded) is
 *   named "选择当前版本" but shows "2025 latest": its name must contain what it shows
 *   (axe: label-content-name-mismatch).
 */
(function () {
  "use strict";

  function focusableTables() {
    document.querySelectorAll(".md-typeset table").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth) {
        table.setAttribute("tabindex", "0");
      } else {
        table.removeAttribute("tabindex");
      }
    });
  }

  function nameSearch() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    var input = document.querySelector(".md-search__input");
    if (dialog && input && !dialog.hasAttribute("aria-label")) {
      dialog.setAttribute("aria-label", input.getAttribute("aria-label") || "搜索");
    }
  }

  function nameEditionSelector() {
    var button = document.querySelector(".md-version__current");
    if (!button) return;
    var alias = button.querySelector(".md-version__alias");
    if (alias && !/\s$/.test(alias.previousSibling ? alias.previousSibling.textContent : " ")) {
      button.insertBefore(document.createTextNode(" "), alias);  // "2025 latest", not "2025latest"
    }
    var shown = Array.prototype.map.call(button.childNodes, function (n) { return n.textContent.trim(); })
      .filter(Boolean).join(" ");
    if (!button.hasAttribute("data-lh-label")) {
      button.setAttribute("data-lh-label", button.getAttribute("aria-label") || "");
    }
    var label = button.getAttribute("data-lh-label");
    button.setAttribute("aria-label", label ? shown + "(" + label + ")" : shown);
  }

  var pending = false;
  function later() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        focusableTables();
        nameEditionSelector();
      });
    }
  }

  function run() {
    nameSearch();
    focusableTables();
    nameEditionSelector();
    if (window.MutationObserver) {  // tables and the edition selector that scripts add later:
      // at once (a microtask), so a table is focusable as soon as it is filled in
      new MutationObserver(function () {
        focusableTables();
        nameEditionSelector();
      }).observe(document.body, { childList: true, subtree: true });
    }
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(run);  // after Material has wrapped the tables, on every page
  } else {
    document.addEventListener("DOMContentLoaded", run);
  }
  window.addEventListener("resize", later);
})();
