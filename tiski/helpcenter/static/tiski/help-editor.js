// The help center editor's small conveniences. Everything works without them: filters
// have a submit button in <noscript>, forms post, and the live preview is htmx.
(function () {
  "use strict";

  // A filter or store picker applies as soon as it changes.
  document.addEventListener("change", (event) => {
    const select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) select.form.requestSubmit();
  });

  // Deleting and restoring ask first; the server does the same thing either way.
  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  // Leaving the editor with unsaved text asks first.
  let dirty = false;
  document.addEventListener("input", (event) => {
    if (event.target.closest("#article-form")) dirty = true;
  });
  document.addEventListener("submit", (event) => {
    if (event.target.id === "article-form") dirty = false;
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) event.preventDefault();
  });
})();
