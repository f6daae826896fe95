/* The public help center's only script: search as you type and the vote without a reload.
 *
 * Everything works without it: the search box is a GET form to the results page and
 * the vote a POST form. With it, the search box becomes an ARIA combobox (WAI-ARIA
 * Authoring Practices, "list autocomplete"): suggestions from <help center>/<lang>/suggest/
 * in a listbox, Up/Down to move, Enter to open, Escape to close.
 *
 * The report of unanswered searches counts a search when the customer stops typing
 * (a pause of 1.5 s, or leaving the field): that request carries final=1. If the form is
 * then submitted with the same text, it says counted=1 so the results page does not
 * count it a second time.
 */
(function () {
  "use strict";

  var SUGGEST_DELAY = 150;
  var FINAL_DELAY = 1500;
  var uid = 0;

  function normal(text) {
    return text.replace(/\s+/g, " ").trim();
  }

  function combobox(form) {
    var input = form.querySelector("input[name=q]");
    if (!input) return;
    var endpoint = form.getAttribute("data-suggest");
    var language = document.documentElement.lang;
    // Links in the page start with the help center's prefix: "" on its own domain.
    var prefix = endpoint.slice(0, endpoint.length - ("/" + language + "/suggest/").length);
    var id = "help-suggestions-" + (++uid);
    var list = document.createElement("ul");
    list.id = id;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent : "");
    list.hidden = true;
    input.parentNode.appendChild(list);
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    form.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);

    var results = [];
    var active = -1;
    var suggestTimer = 0;
    var finalTimer = 0;
    var counted = "";
    var asked = 0;

    function localHref(url) {
      // Suggestions carry absolute URLs (the widget needs them); the page stays on its host.
      try {
        var path = new URL(url, location.href).pathname;
        var at = path.indexOf("/" + language + "/");
        return at >= 0 ? prefix + path.slice(at) : url;
      } catch (e) {
        return url;
      }
    }

    function open(isOpen) {
      list.hidden = !isOpen;
      input.setAttribute("aria-expanded", isOpen ? "true" : "false");
      if (!isOpen) select(-1);
    }

    function select(index) {
      active = index;
      var options = list.children;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(found) {
      results = found;
      list.textContent = "";
      found.forEach(function (result, index) {
        var option = document.createElement("li");
        option.id = id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var title = document.createElement("strong");
        title.textContent = result.title;
        option.appendChild(title);
        if (result.excerpt) {
          var excerpt = document.createElement("span");
          excerpt.textContent = result.excerpt;
          option.appendChild(excerpt);
        }
        // mousedown, not click: the input keeps focus and the list stays until we go.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          go(index);
        });
        list.appendChild(option);
      });
      open(found.length > 0);
      status.textContent = found.length
        ? form.getAttribute("data-results-text") + " " + found.length
        : form.getAttribute("data-none-text");
    }

    function ask(final) {
      var text = normal(input.value);
      if (!text) {
        render([]);
        status.textContent = "";
        return;
      }
      var ticket = ++asked;
      var url = endpoint + "?q=" + encodeURIComponent(text) + (final ? "&final=1" : "");
      if (final) counted = text;
      fetch(url, { credentials: "omit", keepalive: final })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          // An answer to an older text must not replace a newer one.
          if (data && ticket === asked && document.activeElement === input) render(data.results || []);
        })
        .catch(function () { /* offline: the form still submits */ });
    }

    function countNow() {
      clearTimeout(finalTimer);
      var text = normal(input.value);
      if (text && text !== counted) ask(true);
    }

    function go(index) {
      var result = results[index];
      if (!result) return;
      countNow();
      location.href = localHref(result.url);
    }

    input.addEventListener("input", function () {
      clearTimeout(suggestTimer);
      clearTimeout(finalTimer);
      suggestTimer = setTimeout(function () { ask(false); }, SUGGEST_DELAY);
      finalTimer = setTimeout(countNow, FINAL_DELAY);
    });
    input.addEventListener("keydown", function (event) {
      var count = list.children.length;
      if (event.key === "ArrowDown" && count) {
        event.preventDefault();
        if (list.hidden) open(true);
        select(active + 1 >= count ? 0 : active + 1);
      } else if (event.key === "ArrowUp" && count) {
        event.preventDefault();
        if (list.hidden) open(true);
        select(active <= 0 ? count - 1 : active - 1);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        go(active);
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          open(false);
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
        }
      }
    });
    input.addEventListener("blur", function () {
      open(false);
      countNow();
    });
    input.addEventListener("focus", function () {
      if (list.children.length && normal(input.value)) open(true);
    });
    form.addEventListener("submit", function () {
      clearTimeout(finalTimer);
      clearTimeout(suggestTimer);
      var old = form.querySelector("input[name=counted]");
      if (old) old.remove();
      if (normal(input.value) && normal(input.value) === counted) {
        var flag = document.createElement("input");
        flag.type = "hidden";
        flag.name = "counted";
        flag.value = "1";
        form.appendChild(flag);
      }
    });
  }

  function vote(form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || !window.fetch || !window.FormData) return;
      event.preventDefault();
      var data = new FormData(form);
      data.set(button.name, button.value);
      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (answer) {
          var thanks = document.createElement("p");
          thanks.style.margin = "0";
          thanks.style.fontWeight = "700";
          thanks.textContent = answer.message;
          thanks.tabIndex = -1;
          form.replaceWith(thanks);
          thanks.focus();
        })
        .catch(function () {
          // Post the ordinary way; form.submit() sends no button, so carry its answer.
          var answer = document.createElement("input");
          answer.type = "hidden";
          answer.name = button.name;
          answer.value = button.value;
          form.appendChild(answer);
          form.submit();
        });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form.search[data-suggest]"), combobox);
    Array.prototype.forEach.call(document.querySelectorAll("#feedback form"), vote);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
