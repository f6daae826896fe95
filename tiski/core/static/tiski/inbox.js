// Tiski inbox: keyboard shortcuts, the canned-response picker, small conveniences.
// Plain JavaScript on top of htmx; every action also works without it (forms post).
(function () {
  "use strict";

  const $ = (selector, root) => (root || document).querySelector(selector);
  const $$ = (selector, root) => Array.from((root || document).querySelectorAll(selector));

  function isTyping(target) {
    const tag = target.tagName;
    return target.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  function scrollTimeline() {
    const timeline = $("#timeline");
    if (timeline) timeline.scrollTop = timeline.scrollHeight;
  }

  function markSelectedRow() {
    const pane = $("#conversation");
    const id = pane && pane.dataset.conversation;
    $$(".row").forEach((row) => {
      const selected = !!id && row.id === "conv-row-" + id;
      row.classList.toggle("selected", selected);
      const link = $("a", row);
      if (link) {
        if (selected) link.setAttribute("aria-current", "true");
        else link.removeAttribute("aria-current");
      }
    });
  }

  function openRow(offset) {
    const links = $$("[data-row-link]");
    if (!links.length) return;
    // The open pane, not the list's highlight, says where we are: the highlight only
    // catches up when htmx settles.
    const pane = $("#conversation");
    const open = pane && pane.dataset.conversation;
    const current = links.findIndex((a) => a.closest(".row").id === "conv-row-" + open);
    const next = current === -1 ? 0 : Math.min(links.length - 1, Math.max(0, current + offset));
    links[next].click();
    links[next].scrollIntoView({ block: "nearest" });
  }

  function focusComposer(kind) {
    const radio = $(`.composer input[name=kind][value=${kind}]`);
    if (radio) radio.checked = true;
    const text = $("#composer-text");
    if (text) text.focus();
  }

  function clickShortcut(key) {
    const button = $(`#conversation [data-shortcut="${key}"]`);
    if (button) button.click();
  }

  function toggleMenu(name) {
    const menu = $(`#conversation details[data-menu="${name}"]`);
    if (!menu) return;
    menu.open = !menu.open;
    if (menu.open) {
      const first = $("input, button", menu.querySelector(".menu-body"));
      if (first) first.focus();
    }
  }

  let pendingG = false;
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      $$("details[open]:not(.order)").forEach((d) => (d.open = false)); // orders stay open
      closeCanned();
      if (isTyping(event.target)) event.target.blur();
      return;
    }
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter" && event.target.id === "composer-text") {
      event.preventDefault();
      const form = event.target.form;
      if (form) form.requestSubmit();
      return;
    }
    if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (pendingG) {
      pendingG = false;
      const target = { m: "mine", u: "unassigned", o: "all" }[event.key];
      const link = target && $(`[data-nav="${target}"]`);
      if (link) {
        event.preventDefault();
        link.click();
      }
      return;
    }
    const actions = {
      j: () => openRow(1),
      k: () => openRow(-1),
      r: () => focusComposer("reply"),
      n: () => focusComposer("note"),
      a: () => clickShortcut("a"),
      e: () => clickShortcut("e"),
      p: () => clickShortcut("p"),
      o: () => clickShortcut("o"),
      s: () => toggleMenu("snooze"),
      l: () => toggleMenu("labels"),
      g: () => (pendingG = true),
      "?": () => $("#shortcuts").showModal(),
    };
    const action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  function markConversationOpen() {
    const pane = $("#conversation");
    const app = $(".app");
    if (app) app.classList.toggle("has-conversation", !!(pane && pane.dataset.conversation));
  }

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-action=shortcuts]")) $("#shortcuts").showModal();
    const toggle = event.target.closest(".nav-toggle");
    if (toggle) {
      const sidebar = toggle.closest(".sidebar");
      const open = sidebar.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    // A click outside an open menu closes it, as menus do everywhere else.
    $$("details.menu[open]").forEach((menu) => {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });

  // --- canned responses: type "/" then part of a shortcut or title ---------------------
  let canned = null; // loaded once per conversation
  let cannedFor = null;
  let matches = [];
  let active = 0;

  function closeCanned() {
    const menu = $("#canned-menu");
    if (menu) menu.hidden = true;
    matches = [];
  }

  async function loadCanned() {
    const pane = $("#conversation");
    if (!pane || !pane.dataset.cannedUrl) return [];
    if (cannedFor !== pane.dataset.conversation) {
      const response = await fetch(pane.dataset.cannedUrl, { headers: { Accept: "application/json" } });
      canned = response.ok ? (await response.json()).responses : [];
      cannedFor = pane.dataset.conversation;
    }
    return canned;
  }

  function slashQuery(textarea) {
    const before = textarea.value.slice(0, textarea.selectionStart);
    const match = /(^|\s)\/([\p{L}\p{N}-]*)$/u.exec(before);
    return match ? { query: match[2].toLowerCase(), start: before.length - match[2].length - 1 } : null;
  }

  function renderCanned(menu) {
    menu.replaceChildren(
      ...matches.map((item, index) => {
        const option = document.createElement("div");
        option.className = "canned-option";
        option.setAttribute("role", "option");
        option.id = "canned-" + index;
        option.setAttribute("aria-selected", index === active ? "true" : "false");
        const title = document.createElement("strong");
        title.textContent = "/" + item.shortcut + " · " + item.title;
        const text = document.createElement("span");
        text.className = "text";
        text.textContent = item.text;
        option.append(title, text);
        option.addEventListener("mousedown", (e) => {
          e.preventDefault();
          active = index;
          insertCanned($("#composer-text"));
        });
        return option;
      })
    );
    menu.hidden = matches.length === 0;
    const textarea = $("#composer-text");
    if (textarea) textarea.setAttribute("aria-activedescendant", matches.length ? "canned-" + active : "");
  }

  function insertCanned(textarea) {
    const slash = slashQuery(textarea);
    const item = matches[active];
    if (!slash || !item) return closeCanned();
    const after = textarea.value.slice(textarea.selectionStart);
    textarea.value = textarea.value.slice(0, slash.start) + item.text + after;
    const caret = slash.start + item.text.length;
    textarea.setSelectionRange(caret, caret);
    closeCanned();
  }

  document.addEventListener("input", async (event) => {
    const textarea = event.target;
    if (textarea.id !== "composer-text") return;
    const slash = slashQuery(textarea);
    const menu = $("#canned-menu");
    if (!slash || !menu) return closeCanned();
    const all = await loadCanned();
    matches = all.filter(
      (item) => item.shortcut.includes(slash.query) || item.title.toLowerCase().includes(slash.query)
    ).slice(0, 8);
    active = 0;
    renderCanned(menu);
  });

  document.addEventListener("keydown", (event) => {
    if (event.target.id !== "composer-text" || !matches.length) return;
    const menu = $("#canned-menu");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      active = (active + (event.key === "ArrowDown" ? 1 : -1) + matches.length) % matches.length;
      renderCanned(menu);
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      insertCanned(event.target);
    }
  }, true);

  // --- the contact's orders beside the conversation --------------------------------------
  // The server renders what an order's buttons insert, in the conversation's language
  // (data-insert); here it only goes into the composer, where the agent's cursor was.
  function insertIntoComposer(text) {
    const textarea = $("#composer-text");
    if (!textarea || !text) return;
    const atCaret = textarea.dataset.caret === "1"; // else after what is there (a kept draft)
    const start = atCaret ? textarea.selectionStart : textarea.value.length;
    const end = atCaret ? textarea.selectionEnd : textarea.value.length;
    const before = textarea.value.slice(0, start);
    const after = textarea.value.slice(end);
    // A summary of several lines stands on lines of its own; a link is a word among words.
    const lines = text.includes("\n");
    const lead = before === "" || (lines ? /\n$/ : /\s$/).test(before) ? "" : lines ? "\n" : " ";
    const tail = after === "" || (lines ? /^\n/ : /^\s/).test(after) ? "" : lines ? "\n" : " ";
    textarea.setRangeText(lead + text + tail, start, end, "end");
    textarea.focus();
    textarea.dispatchEvent(new Event("input", { bubbles: true })); // typing, as if typed
  }

  function showOrder(order) {
    order.open = true;
    order.scrollIntoView({ block: "nearest" });
    $("summary", order).focus({ preventScroll: true });
    order.classList.remove("order-flash");
    void order.offsetWidth; // restart the highlight
    order.classList.add("order-flash");
  }

  // An order number in a message: its order in the sidebar, fetched if it is not there
  // (an older order, or another customer's).
  async function openMentionedOrder(link) {
    const id = "order-" + link.dataset.order;
    if (!document.getElementById(id)) {
      let response;
      try {
        response = await fetch(link.dataset.orderUrl, { headers: { Accept: "text/html" }, credentials: "same-origin" });
      } catch (error) {
        return;
      }
      const list = $("#order-list");
      if (!response.ok || !list) return;
      const html = await response.text(); // the server's own render
      if (!document.getElementById(id)) {
        const item = document.createElement("li");
        item.innerHTML = html;
        list.prepend(item);
      }
    }
    const order = document.getElementById(id);
    if (order) showOrder(order);
  }

  document.addEventListener("focusin", (event) => {
    if (event.target.id === "composer-text") event.target.dataset.caret = "1";
  });
  document.addEventListener("click", (event) => {
    const insert = event.target.closest("[data-insert]");
    if (insert) insertIntoComposer(insert.dataset.insert);
    const mention = event.target.closest("a.order-mention[data-order-url]");
    if (mention) {
      event.preventDefault();
      openMentionedOrder(mention);
    }
  });

  // --- unsent text survives swaps of the same conversation -----------------------------
  // The composer is part of the conversation pane, which a sent reply, a reload after a
  // gap in the live events or a merge (inbox-live.js) swaps whole. What the agent typed
  // and has not sent goes into the new pane when it shows the same conversation, or the
  // one it was merged into; opening another conversation starts empty.
  let sentText = null;
  let kept = null; // { ids: [conversation ids it may go to], text }
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (event.target.matches && event.target.matches("form.composer")) {
      const text = $("#composer-text");
      sentText = text ? text.value : null;
    }
  });
  document.addEventListener("htmx:beforeSwap", (event) => {
    const pane = $("#conversation");
    if (!pane || !event.detail.target || event.detail.target.id !== "conversation") return;
    const elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    const sending = !!(elt && elt.matches && elt.matches("form.composer"));
    const text = $("#composer-text");
    const value = text ? text.value : "";
    kept =
      value && !(sending && value === sentText)
        ? { ids: [pane.dataset.conversation, pane.dataset.continuesAs], text: value }
        : null;
    if (sending) sentText = null;
  });

  // --- after htmx swaps ------------------------------------------------------------------
  // An outerHTML swap fires afterSwap on the element it removed, which no longer reaches
  // the document; htmx:load fires on the new content instead.
  document.addEventListener("htmx:load", (event) => {
    if (event.target.id === "conversation") {
      const text = $("#composer-text");
      if (kept && text && kept.ids.includes(event.target.dataset.conversation)) {
        text.value = kept.text;
      }
      kept = null;
      scrollTimeline();
      markSelectedRow();
      markConversationOpen();
      closeCanned();
    }
  });

  document.addEventListener("DOMContentLoaded", () => {
    scrollTimeline();
    markSelectedRow();
  });
})();
