// Tiski inbox, live: a websocket says what changed; the page fetches that part.
// Events carry sequence numbers; after a reconnect the socket replays what was missed.
// The composer is never replaced, so an agent's unsent text survives every update.
(function () {
  "use strict";

  const $ = (selector, root) => (root || document).querySelector(selector);
  const strings = JSON.parse(($("#inbox-strings") || { textContent: "{}" }).textContent);
  const format = (text, values) => text.replace(/%\((\w+)\)s/g, (_, key) => values[key] ?? "");

  // A fetch aborted by navigation rejects; the next event or reconnect catches up anyway.
  function load(url, options) {
    if (!window.htmx) return Promise.resolve();
    return htmx.ajax("GET", url, options).catch(() => {});
  }

  let socket = null;
  let backoff = 1000;
  let watched = null; // the conversation id the server knows we watch

  // --- the open conversation ---------------------------------------------------------

  function pane() {
    const el = $("#conversation");
    return el && el.dataset.conversation ? el : null;
  }

  function lastSeq() {
    const el = pane();
    return el ? parseInt(el.dataset.lastSeq || "0", 10) : 0;
  }

  function watch() {
    const el = pane();
    const id = el ? parseInt(el.dataset.conversation, 10) : null;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    if (id === null) {
      if (watched !== null) send({ type: "unwatch" });
      watched = null;
      return;
    }
    watched = id;
    send({ type: "watch", conversation: id, after_seq: lastSeq() });
    markRead();
  }

  let fetching = null;
  let again = false;
  async function refreshEntries(since) {
    // One fetch at a time; events arriving meanwhile ask for one more afterwards.
    if (fetching) {
      again = true;
      return fetching;
    }
    const el = pane();
    if (!el) return;
    const id = el.dataset.conversation;
    fetching = (async () => {
      const from = since === undefined ? lastSeq() : since;
      let response;
      try {
        response = await fetch(`/conversations/${id}/entries/?since=${from}`, {
          headers: { Accept: "text/html" },
          credentials: "same-origin",
        });
      } catch (error) {
        return; // offline or navigating away: the next event asks again
      }
      if (!response.ok || !pane() || pane().dataset.conversation !== id) return;
      const timeline = $("#timeline");
      const template = document.createElement("template");
      template.innerHTML = await response.text(); // the server's own sanitised render
      const nearBottom = timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < 80;
      for (const entry of Array.from(template.content.children)) {
        const existing = timeline.querySelector(`[data-id="${entry.dataset.id}"]`);
        if (existing) existing.replaceWith(entry);
        else timeline.append(entry);
      }
      const last = parseInt(response.headers.get("X-Last-Seq") || "0", 10);
      if (last > lastSeq()) pane().dataset.lastSeq = String(last);
      if (nearBottom) timeline.scrollTop = timeline.scrollHeight;
      markRead();
    })().finally(() => {
      fetching = null;
      if (again) {
        again = false;
        refreshEntries();
      }
    });
    return fetching;
  }

  function refreshHeader() {
    const el = pane();
    if (!el || !window.htmx) return;
    // Not while the agent is using a menu in the header: it would close under them.
    if (document.querySelector(".conv-header details[open]")) return setTimeout(refreshHeader, 2000);
    load(`/conversations/${el.dataset.conversation}/header/`, {
      target: ".conv-header",
      swap: "outerHTML",
    });
  }

  // --- lists and counts, at most once a second ------------------------------------------

  const timers = {};
  function soon(name, fn, delay) {
    clearTimeout(timers[name]);
    timers[name] = setTimeout(fn, delay);
  }

  function refreshList() {
    const list = $("#conversation-list");
    if (!list || !window.htmx || !list.dataset.refreshUrl) return;
    if (list.scrollTop > 120) {
      // The agent is reading further down: don't pull the list from under them.
      const note = $("#list-updates");
      if (note) note.hidden = false;
      return;
    }
    load(list.dataset.refreshUrl, { target: "#conversation-list", swap: "innerHTML" });
  }

  function refreshNav() {
    if (!window.htmx || !$("#nav-body")) return;
    load("/inbox/nav/", { target: "#nav-body", select: "#nav-body", swap: "outerHTML" });
  }

  // --- frames from the server -------------------------------------------------------

  const HEADER_EVENTS = new Set([
    "conversation.assigned",
    "conversation.status_changed",
    "conversation.priority_changed",
    "conversation.labels_changed",
    "conversation.cc_changed",
  ]);
  const LIST_EVENTS = new Set([
    "conversation.created",
    "message.created",
    ...HEADER_EVENTS,
    "conversation.merged",
  ]);

  function onEvent(event) {
    const open = pane();
    if (open && event.conversation_id === parseInt(open.dataset.conversation, 10)) {
      if (event.type === "conversation.merged") {
        open.dataset.continuesAs = String(event.target_id); // the composer's text follows
        load(`/conversations/${event.target_id}/`, { target: "#conversation", swap: "outerHTML" });
      } else if (event.type === "message.status_changed" || event.type === "conversation.read") {
        refreshEntries(Math.max(0, lastSeq() - 40)); // re-render recent entries' receipts
      } else if (event.seq > lastSeq()) {
        refreshEntries();
      }
      if (HEADER_EVENTS.has(event.type)) refreshHeader();
    }
    if (LIST_EVENTS.has(event.type)) {
      soon("list", refreshList, 400);
      soon("nav", refreshNav, 1000);
    } else if (event.type === "agent.presence") {
      soon("nav", refreshNav, 500);
    }
  }

  let typingHide = null;
  function onTyping(frame) {
    const line = $("#typing-line");
    const open = pane();
    if (!line || !open || frame.conversation_id !== parseInt(open.dataset.conversation, 10)) return;
    clearTimeout(typingHide);
    if (!frame.active) {
      line.hidden = true;
      return;
    }
    const text =
      frame.who === "contact"
        ? strings.typing_customer
        : format(frame.note ? strings.typing_note : strings.typing_agent, { name: frame.name });
    line.textContent = text;
    line.hidden = false;
    typingHide = setTimeout(() => (line.hidden = true), 6000);
  }

  function onViewers(frame) {
    const box = $("#viewers");
    const open = pane();
    if (!box || !open || frame.conversation_id !== parseInt(open.dataset.conversation, 10)) return;
    const names = frame.agents.map((a) => a.name).join(", ");
    box.textContent = names ? format(strings.viewers, { names }) : "";
    box.hidden = !names;
  }

  function receive(frame) {
    if (frame.type === "event") onEvent(frame.event);
    else if (frame.type === "typing") onTyping(frame);
    else if (frame.type === "viewers") onViewers(frame);
    else if (frame.type === "reset" && pane()) {
      load(`/conversations/${pane().dataset.conversation}/`, {
        target: "#conversation",
        swap: "outerHTML",
      });
    }
  }

  // --- the socket --------------------------------------------------------------------

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  }

  function status(text) {
    const box = $("#live-status");
    if (!box) return;
    box.textContent = text || "";
    box.hidden = !text;
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/ws/inbox/`);
    socket.addEventListener("open", () => {
      backoff = 1000;
      status("");
      watched = null;
      watch();
      // Whatever happened while we were away: lists and counts catch up.
      soon("list", refreshList, 200);
      soon("nav", refreshNav, 300);
    });
    socket.addEventListener("message", (message) => {
      try {
        receive(JSON.parse(message.data));
      } catch (error) {
        console.error("tiski: bad frame", error);
      }
    });
    socket.addEventListener("close", (close) => {
      if (close.code === 4401) return; // logged out: the next page load goes to the login
      status(strings.reconnecting);
      setTimeout(connect, backoff + Math.random() * 500);
      backoff = Math.min(backoff * 2, 30000);
    });
  }

  // --- the agent's own activity -------------------------------------------------------

  let readSent = 0;
  function markRead() {
    if (document.visibilityState !== "visible" || !pane()) return;
    const seq = lastSeq();
    if (seq > readSent) {
      readSent = seq;
      soon("read", () => send({ type: "read", seq }), 800);
    }
  }

  let typingSent = 0;
  let typingStop = null;
  document.addEventListener("input", (event) => {
    if (event.target.id !== "composer-text") return;
    const mode = ($(".composer input[name=kind]:checked") || {}).value === "note" ? "note" : "reply";
    const now = Date.now();
    if (now - typingSent > 2500) {
      typingSent = now;
      send({ type: "typing", active: true, mode });
    }
    clearTimeout(typingStop);
    typingStop = setTimeout(() => {
      typingSent = 0;
      send({ type: "typing", active: false, mode });
    }, 4000);
  });

  document.addEventListener("htmx:load", (event) => {
    if (event.target.id === "conversation") {
      readSent = 0;
      watch();
    }
  });
  document.addEventListener("visibilitychange", markRead);
  document.addEventListener("click", (event) => {
    if (event.target.closest("#list-updates")) {
      event.target.closest("#list-updates").hidden = true;
      $("#conversation-list").scrollTop = 0;
      refreshList();
    }
  });

  if ("WebSocket" in window) connect();
})();
