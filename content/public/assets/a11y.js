/* Accessibility that Material 9.8 leaves to the site (checked by tests/test_accessibility.py).
 *
 * - A table wider than the screen scrolls inside itself; make it focusable so a keyboard
 *   can scroll it too (axe: scrollable-region-focusable), also tables that scripts fill
 *   in later (the items explorer) and after the window is resized.
 * - Material's search is a role="dialog" without a name; name it after its input
 *   (axe: aria-dialog-name).
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

  var pending = false;
  function later() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () { pending = false; focusableTables(); });
    }
  }

  function run() {
    nameSearch();
    focusableTables();
    var content = document.querySelector(".md-content");
    if (content && window.MutationObserver) {
      new MutationObserver(later).observe(content, { childList: true, subtree: true });
    }
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(run);  // after Material has wrapped the tables, on every page
  } else {
    document.addEventListener("DOMContentLoaded", run);
  }
  window.addEventListener("resize", later);
})();
