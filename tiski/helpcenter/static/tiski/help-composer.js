// The composer's help-article picker: the "Help article" button opens a search over the
// store's published articles (the server renders the panel and its results, htmx swaps
// them); a result's buttons carry data-insert, which inbox.js puts into the reply at the
// cursor. This file only opens, closes and moves the keyboard focus.
(function () {
  "use strict";

  const $ = (selector, root) => (root || document).querySelector(selector);

  function toggleButton() {
    return $("[data-help-picker]");
  }

  async function openPicker(panel, button) {
    panel.hidden = false;
    button.setAttribute("aria-expanded", "true");
    if (!panel.dataset.loaded) {
      panel.dataset.loaded = "1";
      await htmx.ajax("GET", panel.dataset.url, { target: panel, swap: "innerHTML" });
    }
    const search = $("#help-q", panel);
    if (search) search.focus();
  }

  function closePicker(panel, returnFocus) {
    panel.hidden = true;
    const button = toggleButton();
    if (button) {
      button.setAttribute("aria-expanded", "false");
      if (returnFocus) button.focus();
    }
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-help-picker]");
    if (!button) return;
    const panel = document.getElementById(button.getAttribute("aria-controls"));
    if (!panel) return;
    if (panel.hidden) openPicker(panel, button);
    else closePicker(panel, false);
  });

  // Keys inside the panel: Escape closes it (and only it); the arrows walk from the
  // search box through the results' buttons and back.
  document.addEventListener(
    "keydown",
    (event) => {
      const panel = event.target.closest && event.target.closest("#help-picker");
      if (!panel) return;
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        closePicker(panel, true);
        return;
      }
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      if (event.target.tagName === "SELECT") return;
      const stops = [$("#help-q", panel), ...panel.querySelectorAll(".help-result-actions button")];
      const index = stops.indexOf(event.target);
      if (index === -1) return;
      event.preventDefault();
      const next = stops[Math.max(0, Math.min(stops.length - 1, index + (event.key === "ArrowDown" ? 1 : -1)))];
      if (next) next.focus();
    },
    true
  );

  // A swapped conversation pane brings its own closed, empty picker; nothing to reset.
})();
