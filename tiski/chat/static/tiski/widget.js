/*! Tiski chat widget. One dependency-free file; the shop embeds it with
 *    <script src="https://DESK/static/tiski/widget.js" data-tiski-token="…" async></script>
 *  The protocol it speaks is docs/chat.md. Every text it shows comes from the session's
 *  `strings`; server data only ever reaches the page through textContent and attributes. */
(() => {
  'use strict';
  const W = window, D = document;
  if (W.Tiski && W.Tiski.version) return; // embedded twice: one widget is enough

  // --- where we come from -----------------------------------------------------------------
  const script = D.currentScript || D.querySelector('script[data-tiski-token]');
  const TOKEN = script && script.dataset.tiskiToken;
  if (!TOKEN) return;
  // The desk is wherever this file was loaded from: everything before /static/.
  const BASE = new URL(script.src, location.href).href.replace(/\/static\/.*$/, '');
  const KEY = 'tiski:' + TOKEN;
  const IMAGE = /^image\/(png|jpeg|gif|webp)$/;
  const ACCEPT = 'image/png,image/jpeg,image/gif,image/webp,application/pdf';

  // --- stored state: {v: visitor token, o: outbox [{c, t}], p: pre-chat values (and an
  // email left offline) for the first message, f: pre-chat form done, r: last agent seq
  // the visitor has seen, e: email left}. localStorage may be unavailable.
  let S = {};
  try { S = JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { /* private mode */ }
  if (!Array.isArray(S.o)) S.o = [];
  const save = () => { try { localStorage.setItem(KEY, JSON.stringify(S)); } catch (e) { /* full */ } };

  const uuid = () => (crypto.randomUUID ? crypto.randomUUID()
    : 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
      const r = crypto.getRandomValues(new Uint8Array(1))[0] & 15;
      return (c === 'x' ? r : (r & 3) | 8).toString(16);
    }));

  // --- session and conversation state ----------------------------------------------------
  let X = null;          // the session answer
  let T = {};            // its strings
  let ident = W.TiskiIdentity || null;
  let conv = null;       // the conversation id the socket follows
  let seen = new Set();  // event seqs of `conv` already handled
  let hi = 0;            // highest seq of `conv` seen: `hello` asks for what came after
  let agentRead = 0;     // the desk has read the visitor's messages up to this seq
  let readSent = 0;      // highest seq sent in a `read` frame
  let msgs = [];         // rendered messages, in order (see add())
  const byId = new Map();
  let unread = 0, isOpen = false, wantOpen = script.dataset.tiskiOpen === 'true', focusOnOpen = false;
  let gestured = false;  // WebAudio may only start after the visitor did something

  // --- DOM helpers -------------------------------------------------------------------------
  // h('div', {class: 'x', text: 'y', onclick: f}, ...children): never parses HTML.
  const h = (tag, attrs, ...kids) => {
    const el = D.createElement(tag);
    for (const k in attrs || {}) {
      const v = attrs[k];
      if (v == null || v === false) continue;
      if (k === 'text') el.textContent = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    }
    el.append(...kids.filter((kid) => kid != null));
    return el;
  };
  const NS = 'http://www.w3.org/2000/svg';
  const icon = (d) => {
    const svg = D.createElementNS(NS, 'svg'), path = D.createElementNS(NS, 'path');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    path.setAttribute('d', d);
    svg.append(path);
    return svg;
  };
  const CHAT = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z';
  const CLOSE = 'M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6 10.6 12 5 6.4z';
  const CLIP = 'M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z';
  const BOX = 'M12 2 3 6.5v11l9 4.5 9-4.5v-11L12 2zm0 2.2 6.5 3.3-6.5 3.3-6.5-3.3L12 4.2zM5 9.1l6 3v7.4l-6-3V9.1zm8 10.4v-7.4l6-3v7.4l-6 3z';
  const fill = (s, key, value) => s.replace('%(' + key + ')s', value);
  const abs = (url) => new URL(url, BASE + '/').href;

  // Black or white text, whichever reads better on the brand colour (WCAG luminance).
  const ink = (hex) => {
    const n = parseInt(hex.slice(1), 16);
    const [r, g, b] = [16, 8, 0].map((s) => {
      const c = ((n >> s) & 255) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    const L = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    return (L + 0.05) / 0.05 > 1.05 / (L + 0.05) ? '#111' : '#fff';
  };

  // Text with its http(s) URLs as links, built as nodes: nothing is parsed as HTML.
  const rich = (el, text) => {
    const re = /\bhttps?:\/\/[^\s<>"]+/gi;
    let i = 0, m;
    while ((m = re.exec(text))) {
      const url = m[0].replace(/[.,;:!?)\]'"»]+$/, ''); // trailing punctuation is the sentence's
      let link = null;
      try {
        const u = new URL(url);
        if (u.protocol === 'http:' || u.protocol === 'https:') {
          link = h('a', { href: u.href, target: '_blank', rel: 'noopener noreferrer nofollow', text: url });
        }
      } catch (e) { /* not a URL after all */ }
      el.append(text.slice(i, m.index), link || url);
      i = re.lastIndex = m.index + url.length;
    }
    el.append(text.slice(i));
  };

  // --- styles (in a shadow root: the shop's CSS cannot reach in, ours cannot leak out) ----
  const CSS = `
:host{all:initial}
*{box-sizing:border-box}
[hidden]{display:none!important}
.w{font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1b1b1f}
button,input,select,textarea{font:inherit;color:inherit}
:focus-visible{outline:2px solid #fff;box-shadow:0 0 0 4px #111;outline-offset:0}
.launch{position:fixed;right:20px;bottom:20px;width:60px;height:60px;border-radius:50%;border:0;cursor:pointer;background:var(--c);color:var(--t);box-shadow:0 4px 16px rgba(0,0,0,.25);display:grid;place-items:center;z-index:2147483000}
.launch svg{width:28px;height:28px;fill:currentColor}
.launch svg+svg,.open .launch svg:first-child{display:none}
.open .launch svg+svg{display:block}
.badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#d4111d;color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center;border:2px solid #fff}
.panel{position:fixed;right:20px;bottom:92px;width:370px;height:min(600px,calc(100vh - 112px));background:#fff;border-radius:14px;box-shadow:0 8px 40px rgba(0,0,0,.28);display:flex;flex-direction:column;overflow:hidden;z-index:2147483001}
.head{display:flex;align-items:center;gap:10px;padding:12px 12px 12px 16px;background:var(--c);color:var(--t)}
.head h2{margin:0;font-size:16px;font-weight:700}
.head .sub{font-size:13px;opacity:.9}
.head .tx{flex:1;min-width:0}
.av{flex:none;width:34px;height:34px;border-radius:50%;display:grid;place-items:center;font-size:13px;font-weight:700;background:#e8e8ee;color:#333}
.head .av{background:rgba(255,255,255,.9);color:#222}
.x{border:0;background:transparent;color:inherit;width:40px;height:40px;border-radius:8px;cursor:pointer;display:grid;place-items:center}
.x svg{width:22px;height:22px;fill:currentColor}
.acts{display:flex;gap:6px;padding:8px 10px 0;border-top:1px solid #e3e3ea}
.acts+.comp{border-top:0}
.ob{display:flex;align-items:center;gap:5px;color:inherit;text-decoration:none;border:1px solid #b9bac6;border-radius:16px;padding:4px 12px 4px 8px;background:#fff;cursor:pointer;font-size:13px;font-weight:600}
.ob svg{width:18px;height:18px;fill:currentColor}
.note{padding:8px 16px;font-size:13px;background:#fff4d6;color:#4a3800}
.off{padding:12px 16px;background:#f3f4f7;font-size:14px;border-bottom:1px solid #e3e3ea}
.off p{margin:4px 0}
.row{display:flex;gap:6px;margin-top:6px}
.row input{flex:1;min-width:0}
input,select{border:1px solid #b9bac6;border-radius:8px;padding:8px 10px;background:#fff;width:100%}
.btn{border:0;border-radius:8px;padding:8px 14px;background:var(--c);color:var(--t);cursor:pointer;font-weight:600}
.log{flex:1;overflow-y:auto;padding:14px 12px;display:flex;flex-direction:column;gap:8px;overscroll-behavior:contain}
.m{display:flex;gap:8px;align-items:flex-end;max-width:88%}
.m .av{width:28px;height:28px;font-size:11px}
.me{align-self:flex-end;flex-direction:row-reverse}
.col{display:flex;flex-direction:column;min-width:0}
.me .col{align-items:flex-end}
.who{font-size:12px;color:#5b5b66;margin:0 0 2px 4px}
.b{padding:8px 12px;border-radius:16px;background:#eff0f4;white-space:pre-wrap;overflow-wrap:anywhere}
.me .b{background:var(--c);color:var(--t)}
.b a{color:inherit;text-decoration:underline}
.b .img{display:block;margin-top:4px}
.b img{display:block;max-width:220px;max-height:220px;border-radius:10px}
.b .file::before{content:"\\1F4CE  "}
.st{font-size:12px;color:#5b5b66;margin:2px 4px 0}
.st:empty{display:none}
.pend .b{opacity:.75}
.fail .b{outline:2px solid #d4111d}
.retry{border:0;background:none;padding:0;color:#b00017;text-decoration:underline;cursor:pointer;font-size:12px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.typing{padding:0 16px 6px;font-size:13px;color:#5b5b66;font-style:italic}
.err{padding:6px 16px;font-size:13px;color:#b00017}
.pre{padding:14px 16px;display:flex;flex-direction:column;gap:10px;overflow-y:auto}
.pre p{margin:0}
.pre label,.of label{display:flex;flex-direction:column;gap:4px;font-size:14px;font-weight:600}
.comp{display:flex;align-items:flex-end;gap:6px;padding:10px;border-top:1px solid #e3e3ea}
.comp textarea{flex:1;resize:none;border:1px solid #b9bac6;border-radius:10px;padding:8px 10px;max-height:120px;min-height:40px;font-size:16px;line-height:1.35}
.clip{border:0;background:transparent;width:40px;height:40px;border-radius:8px;cursor:pointer;display:grid;place-items:center;color:#444}
.clip svg{width:22px;height:22px;fill:currentColor}
.po .log,.po .pre,.po .comp,.po .typing,.po .off,.po .acts,.po .sg{display:none!important}
.hc{color:inherit;font-size:13px;white-space:nowrap}
.sg{padding:6px 6px 4px 16px;border-top:1px solid #e3e3ea;font-size:14px}
.sg>div{display:flex;justify-content:space-between;align-items:center;font-size:13px;color:#5b5b66}
.sg .x{width:32px;height:32px}
.sg ul{margin:0;padding-left:18px}
.sg a{color:inherit;font-weight:600}
.ord{flex:1;overflow-y:auto;padding:14px 16px;display:flex;flex-direction:column;gap:12px}
.oh{display:flex;justify-content:space-between;align-items:center;gap:8px}
.oh h3{margin:0;font-size:16px}
.lnk{border:0;background:none;padding:4px 0;color:inherit;text-decoration:underline;cursor:pointer;font-size:14px}
.of{display:flex;flex-direction:column;gap:10px}
.of p,.ord p{margin:0}
.res{display:flex;flex-direction:column;gap:10px}
.card{border:1px solid #d9dae2;border-radius:12px;padding:12px;display:flex;flex-direction:column;gap:6px;font-size:14px}
.ch{display:flex;justify-content:space-between;align-items:center;gap:8px;font-size:15px}
.pill{padding:2px 10px;border-radius:12px;background:#eef0f4;font-size:13px;font-weight:600;text-align:right}
.mu{font-size:13px;color:#5b5b66}
.card ul{margin:0;padding-left:18px}
.pc{border-top:1px solid #e3e3ea;padding-top:6px}
.card a{display:block;color:#1b1b1f;font-weight:600;margin-top:2px}
.oe{color:#b00017}
@media (max-width:479.98px){
.panel{inset:0;width:auto;height:auto;border-radius:0}
.open .launch{display:none}
}
@media (prefers-reduced-motion:no-preference){.panel{animation:up .16s ease-out}@keyframes up{from{opacity:0;transform:translateY(12px)}}}
`;

  // --- the UI ---------------------------------------------------------------------------
  let host, ui = null;

  function build() {
    host = D.createElement('tiski-chat');
    host.style.cssText = 'all:initial;position:fixed;z-index:2147483000';
    const root = host.attachShadow({ mode: 'open' });
    try { // constructable sheets are not blocked by a shop's style-src CSP
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      root.append(h('style', { text: CSS }));
    }
    const u = ui = {};
    u.badge = h('span', { class: 'badge', 'aria-hidden': 'true', hidden: true });
    u.launch = h('button', { type: 'button', class: 'launch', 'aria-expanded': 'false', 'aria-controls': 'tiski-panel', onclick: () => toggle() }, icon(CHAT), icon(CLOSE), u.badge);
    u.avatar = h('span', { class: 'av', 'aria-hidden': 'true' });
    u.title = h('h2', { id: 'tiski-title' });
    u.sub = h('div', { class: 'sub' });
    u.close = h('button', { type: 'button', class: 'x', onclick: () => close() }, icon(CLOSE));
    u.hc = h('a', { class: 'hc', target: '_blank', rel: 'noopener' });
    u.sgx = h('button', { type: 'button', class: 'x', onclick: () => { sgOff = true; unsg(); ui.text.focus(); } }, icon(CLOSE));
    u.sg = h('div', { class: 'sg', role: 'region', 'aria-labelledby': 'tiski-sg', hidden: true }, h('div', {}, u.sgh = h('span', { id: 'tiski-sg' }), u.sgx), u.sgl = h('ul'));
    u.sgn = h('span', { class: 'sr', 'aria-live': 'polite' });
    u.rb = h('a', { class: 'ob', target: '_blank', rel: 'noopener' }, icon(BOX), u.rbl = h('span'));
    u.obtn = h('button', { type: 'button', class: 'ob', 'aria-expanded': 'false', 'aria-controls': 'tiski-orders', onclick: () => orders(!ordOpen) }, icon(BOX), u.obl = h('span'));
    u.ord = h('div', { class: 'ord', id: 'tiski-orders', role: 'region', 'aria-labelledby': 'tiski-oh', hidden: true });
    u.net = h('div', { class: 'note', role: 'status', hidden: true });
    u.off = h('div', { class: 'off', hidden: true });
    u.log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', tabindex: '0' });
    u.typing = h('div', { class: 'typing', role: 'status' });
    u.err = h('div', { class: 'err', role: 'alert' });
    u.pre = h('form', { class: 'pre', hidden: true, novalidate: true, onsubmit: prechatDone });
    u.file = h('input', { type: 'file', accept: ACCEPT, multiple: true, hidden: true, onchange: picked });
    u.attach = h('button', { type: 'button', class: 'clip', onclick: () => u.file.click() }, icon(CLIP));
    u.text = h('textarea', { rows: '1', oninput: typed, onkeydown: (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(); }
    } });
    u.send = h('button', { type: 'submit', class: 'btn' });
    u.comp = h('form', { class: 'comp', onsubmit: (e) => { e.preventDefault(); submit(); } }, u.attach, u.file, u.text, u.send);
    u.panel = h('div', { class: 'panel', id: 'tiski-panel', role: 'dialog', 'aria-modal': 'false', hidden: true },
      h('div', { class: 'head' }, u.avatar, h('div', { class: 'tx' }, u.title, u.sub), u.hc, u.close),
      u.net, u.off, u.log, u.ord, u.pre, u.typing, u.err, u.sgn, u.sg, h('div', { class: 'acts' }, u.obtn, u.rb), u.comp);
    u.log.addEventListener('scroll', () => {
      const l = u.log;
      stick = l.scrollHeight - l.scrollTop - l.clientHeight < 40;
    });
    u.wrap = h('div', { class: 'w' }, u.panel, u.launch);
    u.wrap.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && isOpen) { e.stopPropagation(); ordOpen ? orders(false) : close(); }
    });
    root.append(u.wrap);
    D.body.append(host);
  }

  // Texts, colours and the parts that depend on the session (called again after a new one).
  function dress() {
    const u = ui, color = /^#[0-9a-f]{6}$/i.test(X.store.color) ? X.store.color : '#1f6feb';
    host.style.setProperty('--c', color);
    host.style.setProperty('--t', ink(color));
    u.title.textContent = X.store.name;
    u.panel.setAttribute('aria-label', X.store.name + ': ' + T.title);
    u.close.setAttribute('aria-label', T.close);
    u.close.title = T.close;
    u.attach.setAttribute('aria-label', T.attach);
    u.attach.title = T.attach;
    u.text.setAttribute('aria-label', T.placeholder);
    u.text.placeholder = T.placeholder;
    u.text.maxLength = X.limits.text;
    u.send.textContent = T.send;
    u.obl.textContent = T.order_status;
    u.rbl.textContent = T.return_items;
    u.rb.hidden = !X.store.returns_url;
    u.rb.href = X.store.returns_url || '';
    u.log.setAttribute('aria-label', T.title);
    u.net.textContent = T.reconnecting;
    u.hc.hidden = !X.store.help_url;
    u.hc.href = X.store.help_url || '';
    u.hc.textContent = T.help_center;
    u.sgh.textContent = T.suggest_title;
    u.sgx.setAttribute('aria-label', T.suggest_hide);
    offline();
    badge();
  }

  // "Nobody can answer now": when we are back, and (if the store wants it) an email form.
  function offline() {
    const u = ui, hours = X.hours;
    u.off.hidden = hours.available;
    u.off.textContent = '';
    if (hours.available) return;
    u.off.append(h('p', {}, h('strong', { text: T.offline_title })));
    if (hours.opens_text) u.off.append(h('p', { class: 'opens', text: fill(T.offline_opens, 'when', hours.opens_text) }));
    if (S.e) u.off.append(h('p', { class: 'saved', text: fill(T.email_saved, 'email', S.e) }));
    else if (X.ask_email) {
      const input = h('input', { type: 'email', required: true, autocomplete: 'email', placeholder: T.email_placeholder, 'aria-label': T.email_placeholder });
      u.off.append(h('p', { text: T.offline_email }), h('form', { class: 'row', novalidate: true, onsubmit: (e) => {
        e.preventDefault();
        const email = input.value.trim();
        if (!email || !input.checkValidity()) { input.focus(); return; }
        leaveEmail(email);
      } }, input, h('button', { type: 'submit', class: 'btn', text: T.email_save })));
    }
  }

  function leaveEmail(email) {
    if (conv) {
      pendingEmail = email;  // sent now, or after the reconnect
      send({ type: 'email', email });
    } else {
      // No conversation yet: the address goes with the first message (prechat.email).
      S.p = Object.assign({}, S.p, { email });
      emailSaved(email);
    }
  }
  let pendingEmail = null;
  function emailSaved(email) {
    pendingEmail = null;
    S.e = email;
    save();
    offline();
  }

  // The pre-chat form, when the store asks and there is no conversation yet.
  function prechat() {
    const u = ui, p = X.prechat, need = !!p && !conv && !S.f && !S.o.length;
    u.pre.hidden = !need;
    u.comp.hidden = need;
    u.pre.textContent = '';
    if (!need) return;
    u.pre.append(h('p', { text: T.prechat_intro }));
    for (const name of p.fields) {
      const req = p.required.includes(name);
      let field;
      if (name === 'topic' && p.topics.length) {
        field = h('select', { name }, h('option', { value: '', text: '—' }), ...p.topics.map((t) => h('option', { value: t, text: t })));
      } else {
        field = h('input', { name, type: name === 'email' ? 'email' : 'text', autocomplete: name === 'topic' ? 'off' : name });
      }
      field.required = req;
      if (req) field.setAttribute('aria-required', 'true');
      u.pre.append(h('label', {}, h('span', { text: T[name] + (req ? ' *' : '') }, req ? h('span', { class: 'sr', text: ' (' + T.required + ')' }) : null), field));
    }
    u.pre.append(h('button', { type: 'submit', class: 'btn', text: T.start }));
  }

  function prechatDone(e) {
    e.preventDefault();
    const form = ui.pre;
    if (!form.checkValidity()) { form.reportValidity(); return; }
    const values = {};
    for (const el of form.elements) if (el.name && el.value.trim()) values[el.name] = el.value.trim();
    S.p = Object.assign({}, S.p, values);
    S.f = true;
    save();
    prechat();
    ui.text.focus();
  }

  // --- order status: looked up by number and email, or the signed-in customer's own -------
  let ordOpen = false;
  function orders(on) {
    const u = ui;
    ordOpen = on;
    u.panel.classList.toggle('po', on);
    u.ord.hidden = !on;
    u.obtn.setAttribute('aria-expanded', on);
    if (!on) { u.obtn.focus(); readUp(); return; }
    u.ord.textContent = '';
    u.ores = h('div', { class: 'res', 'aria-live': 'polite' });
    const head = h('h3', { id: 'tiski-oh', tabindex: '-1', text: T.order_status });
    u.ord.append(h('div', { class: 'oh' }, head, h('button', { type: 'button', class: 'lnk', text: T.order_back, onclick: () => orders(false) })));
    if (X.identified) {
      u.ord.append(u.ores);
      ask({ type: 'order.recent' });
      head.focus();
    } else {
      u.ord.append(lookupForm(), u.ores);
      u.ord.querySelector('input').focus();
    }
  }

  function lookupForm() {
    const num = h('input', { name: 'number', required: true, maxlength: '50', autocomplete: 'off', spellcheck: 'false' });
    const em = h('input', { name: 'email', type: 'email', required: true, maxlength: '254', autocomplete: 'email' });
    return h('form', { class: 'of', novalidate: true, onsubmit: (e) => {
      e.preventDefault();
      if (!e.target.checkValidity()) { e.target.reportValidity(); return; }
      ask({ type: 'order.lookup', number: num.value.trim(), email: em.value.trim() });
    } }, h('p', { text: T.order_intro }), h('label', {}, T.order_number, num), h('label', {}, T.order_email, em),
    h('button', { type: 'submit', class: 'btn', text: T.order_find }));
  }

  function ask(f) {
    f.language = X.language;
    if (!ready) { onote(T.error); return; }
    onote(T.order_wait, 'mu');
    send(f);
  }

  function onote(text, cls = 'oe') {
    ui.ores.textContent = '';
    ui.ores.append(h('p', { class: cls, text }));
  }

  const link = (url, text) => /^https?:\/\//i.test(url || '') ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', text }) : '';

  function showOrders(list, mine) {
    const r = ui.ores;
    r.textContent = '';
    if (mine) {
      r.append(h('p', { class: 'mu', text: list.length ? T.order_mine : T.order_no_orders }));
      if (!list.length && !ui.ord.querySelector('form')) ui.ord.insertBefore(lookupForm(), r);
    }
    for (const o of list) {
      const c = h('div', { class: 'card' },
        h('div', { class: 'ch' }, h('strong', { text: o.number }), h('span', { class: 'pill', text: o.status_label })),
        h('div', { class: 'mu', text: fill(T.order_placed, 'date', o.placed) + ' · ' + fill(T.order_total, 'amount', o.total) }),
        h('ul', {}, ...o.items.map((i) => h('li', { text: i.quantity + ' × ' + i.title + (i.variant ? ' (' + i.variant + ')' : '') }))));
      for (const p of o.parcels) {
        const when = p.delivered ? fill(T.order_delivered, 'date', p.delivered) : p.expected && fill(T.order_expected, 'date', p.expected);
        c.append(h('div', { class: 'pc' }, [p.carrier, p.status_label !== o.status_label && p.status_label, when].filter(Boolean).join(' · '),
          link(p.tracking_url, T.order_track + (p.tracking_number ? ' ' + p.tracking_number : ''))));
      }
      c.append(link(o.url, T.order_open));
      r.append(c);
    }
  }

  // --- messages ---------------------------------------------------------------------------
  // A message record: {el, b (bubble), st (status line), id, seq, dir ("in" = visitor),
  // cid, text, pending, failed, up (files being uploaded), to (ack timer)}.

  const fromSession = (m) => ({
    id: m.id, seq: m.seq, dir: m.direction, author: m.author, initials: m.initials,
    text: m.text, at: m.at, cid: m.client_id,
    files: (m.attachments || []).map((a) => ({ name: a.name, url: a.url, image: a.image })),
  });
  const fromEvent = (e) => {
    const parts = (e.author_name || '').split(/\s+/).filter(Boolean);
    return {
      id: e.message_id, seq: e.seq, dir: e.direction, text: e.body_text || '', at: e.created_at,
      author: parts[0] || '', initials: e.initials || (parts[0] || '').slice(0, 1).toUpperCase(),
      files: (e.attachments || []).map((a) => ({ name: a.filename, url: a.url, image: IMAGE.test(a.content_type) })),
    };
  };

  function body(x, m) {
    x.b.textContent = '';
    if (x.dir === 'in') x.b.append(h('span', { class: 'sr', text: T.you + ': ' }));
    rich(x.b, m.text || '');
    for (const f of m.files || []) {
      if (!f.url) continue;
      const url = abs(f.url);
      if (!/^(https?|blob):/.test(url)) continue;
      const attrs = { href: url, target: '_blank', rel: 'noopener noreferrer' };
      if (f.image) {
        const img = h('img', { src: url, alt: f.name });
        img.addEventListener('load', () => stick && scrollDown());
        x.b.append(h('a', Object.assign({ class: 'img' }, attrs), img));
      } else x.b.append(h('a', Object.assign({ class: 'file' }, attrs), f.name));
    }
  }

  // Render a message in seq order (messages not stored yet stay at the end).
  function add(m) {
    const mine = m.dir === 'in';
    const x = { id: m.id, seq: m.seq, dir: m.dir, cid: m.cid, text: m.text || '', fname: ((m.files || [])[0] || {}).name || '' };
    x.b = h('div', { class: 'b' });
    x.st = h('div', { class: 'st' });
    x.el = h('div', { class: 'm ' + (mine ? 'me' : 'them') },
      mine ? null : h('span', { class: 'av', 'aria-hidden': 'true', text: m.initials || (m.author || X.store.name).slice(0, 1).toUpperCase() }),
      h('div', { class: 'col' }, mine ? null : h('div', { class: 'who', text: m.author || X.store.name }), x.b, x.st));
    if (m.at) x.el.title = new Date(m.at).toLocaleString(X.language);
    body(x, m);
    const before = m.seq ? msgs.find((y) => y.seq == null || y.seq > m.seq) : null;
    if (before) {
      ui.log.insertBefore(x.el, before.el);
      msgs.splice(msgs.indexOf(before), 0, x);
    } else {
      ui.log.append(x.el);
      msgs.push(x);
    }
    if (x.id) byId.set(x.id, x);
    if (!mine && m.id && m.author) agent(m.author, m.initials);
    return x;
  }

  // A stored message (from the session or an event): update its bubble or add one.
  function upsert(m, live) {
    let x = byId.get(m.id) || (m.cid && msgs.find((y) => y.cid === m.cid));
    // The visitor's own message coming back as an event carries no client id: fall back
    // to the text (or file name), for bubbles still waiting for their ack only.
    if (!x && m.dir === 'in') {
      x = msgs.find((y) => y.dir === 'in' && !y.id && y.text === (m.text || '') &&
        y.fname === ((m.files[0] || {}).name || ''));
    }
    if (x) {
      x.id = m.id;
      x.seq = m.seq;
      x.pending = x.failed = false;
      byId.set(m.id, x);
      if (m.files.length) body(x, m); // the desk's links replace the local previews
    } else {
      x = add(m);
      if (live && m.dir !== 'in') notify();
    }
    if (live) scrollDown(m.dir === 'in');
    status();
    return x;
  }

  // "Sending…", "Sent" or "Read" under the visitor's last message; failed ones offer a retry.
  function status() {
    const mine = msgs.filter((x) => x.dir === 'in'), last = mine[mine.length - 1];
    for (const x of mine) {
      x.el.classList.toggle('pend', !!x.pending && !x.failed);
      x.el.classList.toggle('fail', !!x.failed);
      x.st.textContent = '';
      if (x.failed) x.st.append(h('button', { type: 'button', class: 'retry', text: T.failed, onclick: () => retry(x) }));
      else if (x === last) x.st.textContent = x.pending ? T.sending : x.seq && x.seq <= agentRead ? T.read : T.sent;
    }
  }

  function agent(name, initials) {
    ui.sub.textContent = name;
    ui.avatar.textContent = initials || name.slice(0, 1).toUpperCase();
  }

  let stick = true; // the visitor is at the bottom of the list: follow new messages
  const scrollDown = (force) => {
    if (force || stick) ui.log.scrollTop = ui.log.scrollHeight;
  };

  // Everything from the session: greeting, history, then what is still in the outbox.
  function render() {
    ui.log.textContent = '';
    msgs = [];
    byId.clear();
    const c = X.conversation;
    setConv(c ? c.id : null);
    hi = c ? c.last_seq : 0;
    agentRead = c ? c.agent_read_seq : 0;
    ui.sub.textContent = T.title;
    ui.avatar.textContent = X.store.name.slice(0, 1).toUpperCase();
    add({ dir: 'out', seq: 0, text: X.store.greeting, author: X.store.name, files: [] });
    const stored = new Set();
    let top = 0;
    for (const m of c ? c.messages : []) {
      const x = upsert(fromSession(m), false);
      if (x.cid) stored.add(x.cid);
      if (m.direction !== 'in') top = Math.max(top, m.seq);
    }
    S.o = S.o.filter((o) => !stored.has(o.c)); // stored before its ack got through
    for (const o of S.o) Object.assign(add({ dir: 'in', text: o.t, cid: o.c, files: [] }), { pending: true });
    for (const x of uploads) if (!x.id) { ui.log.append(x.el); msgs.push(x); }
    if (S.r == null) S.r = top; // a new browser: what is there is not news
    unread = msgs.filter((x) => x.dir !== 'in' && x.seq > S.r).length;
    save();
    status();
    badge();
    prechat();
    stick = true;
    scrollDown(true);
  }

  function setConv(id) {
    if (id === conv) return;
    conv = id;
    seen = new Set();
    hi = readSent = 0;
  }

  // --- sending ------------------------------------------------------------------------------
  function submit() {
    const text = ui.text.value.trim();
    if (!text) return;
    if (text.length > X.limits.text) { error(T.too_long); return; }
    ui.text.value = '';
    grow();
    typing(false);
    sgOff = false;
    unsg();
    error('');
    const o = { c: uuid(), t: text };
    S.o.push(o);
    save();
    const x = add({ dir: 'in', text, cid: o.c, files: [] });
    scrollDown(true);
    deliver(o, x);
  }

  // Send (or resend, with the same client id) an outbox message; the ack settles it.
  function deliver(o, x) {
    x.pending = true;
    x.failed = false;
    status();
    clearTimeout(x.to);
    x.to = setTimeout(() => {
      if (!x.pending) return;
      x.failed = true; // no ack in time: say so, and try a fresh connection
      status();
      drop();
      reconnect(0);
    }, 10000);
    if (!ready) return; // sent on (re)connect
    const frame = { type: 'message', client_id: o.c, text: o.t };
    if (!conv && S.p) frame.prechat = S.p;
    send(frame);
  }

  function retry(x) {
    error('');
    if (x.up) { upload(x); return; }
    let o = S.o.find((y) => y.c === x.cid);
    if (!o) { o = { c: x.cid, t: x.text }; S.o.push(o); save(); }
    deliver(o, x);
    if (!ws) reconnect(0);
  }

  function onAck(a) {
    S.o = S.o.filter((o) => o.c !== a.client_id);
    const changed = a.conversation_id !== conv;
    if (changed) setConv(a.conversation_id);
    if (S.p) { S.p = null; prechat(); } // the pre-chat answers went with the first message
    save();
    const x = msgs.find((y) => y.cid === a.client_id);
    const stored = byId.get(a.message_id);
    if (x && stored && stored !== x) {
      x.el.remove(); // its event came first and could not be matched: keep one bubble
      msgs.splice(msgs.indexOf(x), 1);
    } else if (x) {
      Object.assign(x, { id: a.message_id, seq: a.seq, pending: false, failed: false });
      byId.set(x.id, x);
    }
    if (x) clearTimeout(x.to);
    status();
    return changed;
  }

  // --- files --------------------------------------------------------------------------------
  const uploads = [];

  function picked() {
    const files = [...ui.file.files].slice(0, 5);
    ui.file.value = '';
    if (!files.length) return;
    if (files.some((f) => !ACCEPT.includes(f.type) || f.size > X.limits.file_bytes)) {
      error(T.bad_file);
      return;
    }
    error('');
    const x = add({
      dir: 'in', text: '', cid: uuid(),
      files: files.map((f) => ({ name: f.name, url: URL.createObjectURL(f), image: IMAGE.test(f.type) })),
    });
    x.up = files;
    uploads.push(x);
    scrollDown(true);
    upload(x);
  }

  async function upload(x, again) {
    x.pending = true;
    x.failed = x.net = false;
    status();
    const form = new FormData();
    form.append('token', TOKEN);
    form.append('visitor', S.v);
    form.append('client_id', x.cid);
    for (const f of x.up) form.append('file', f, f.name);
    let r;
    try {
      r = await fetch(BASE + '/chat/upload', { method: 'POST', body: form });
    } catch (e) {
      x.failed = x.net = true; // retried by the visitor, or on reconnect
      status();
      return;
    }
    if (r.status === 401 && !again) { // the visitor token expired: a new session first
      drop();
      if (await start(true)) { connect(); upload(x, true); }
      return;
    }
    const a = await r.json().catch(() => ({}));
    if (!r.ok) {
      x.failed = true;
      error(r.status === 413 || r.status === 415 ? T.bad_file : r.status === 429 ? T.too_many : T.error);
      status();
      return;
    }
    uploads.splice(uploads.indexOf(x), 1);
    // A file that started a conversation: reconnect so the socket follows it (and replays
    // the message with the desk's links).
    if (onAck(a)) { drop(); reconnect(0); }
  }

  // --- the websocket ---------------------------------------------------------------------------
  let ws = null, ready = false, tries = 0, retryTimer = 0, lastFrame = 0, stopped = false;
  const send = (frame) => ws && ws.readyState === 1 && ws.send(JSON.stringify(frame));

  function connect() {
    clearTimeout(retryTimer);
    if (ws || stopped || !X) return;
    const url = new URL(X.websocket || '/ws/chat/', BASE + '/');
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = '?token=' + encodeURIComponent(TOKEN) + '&visitor=' + encodeURIComponent(S.v);
    const s = ws = new WebSocket(url.href);
    s.onopen = () => { lastFrame = Date.now(); send({ type: 'hello', after_seq: hi }); };
    s.onmessage = (e) => {
      if (s !== ws) return;
      lastFrame = Date.now();
      let f;
      try { f = JSON.parse(e.data); } catch (err) { return; }
      frame(f);
    };
    s.onclose = (e) => { if (s === ws) closed(e.code); };
  }

  // Forget the current socket at once (a dead network may never finish the close handshake).
  function drop() {
    const s = ws;
    ws = null;
    ready = false;
    if (s) {
      s.onclose = s.onmessage = s.onopen = null;
      try { s.close(); } catch (e) { /* already closed */ }
    }
    down(true);
  }

  function closed(code) {
    drop();
    if (code === 4404) { stopped = true; return; } // the widget token is gone
    if (code === 4401) { restart(); return; }       // the visitor token: new session
    reconnect(code === 4429 ? 15000 : null);
  }

  // Exponential backoff with jitter, capped at ~30 s.
  function reconnect(delay) {
    clearTimeout(retryTimer);
    if (delay == null) delay = Math.min(30000, 1000 * 2 ** tries) * (0.5 + Math.random() / 2);
    tries = Math.min(tries + 1, 10);
    retryTimer = setTimeout(connect, delay);
  }

  let downTimer = 0;
  function down(yes) {
    // A blink (a reconnect that works at once) is not worth a banner.
    if (yes) {
      if (!downTimer) downTimer = setTimeout(() => { if (ui && !ready) ui.net.hidden = false; }, 1500);
      return;
    }
    clearTimeout(downTimer);
    downTimer = 0;
    if (ui) ui.net.hidden = true;
  }

  async function restart() {
    drop();
    if (await start(true)) connect();
  }

  function frame(f) {
    switch (f.type) {
      case 'event':
        event(f.event);
        break;
      case 'ready':
        if (f.conversation_id && f.conversation_id !== conv) {
          // The desk follows another conversation than we showed: catch up on that one.
          setConv(f.conversation_id);
          send({ type: 'hello', after_seq: 0 });
          return;
        }
        ready = true;
        tries = 0;
        down(false);
        for (const o of S.o) deliver(o, msgs.find((x) => x.cid === o.c) || add({ dir: 'in', text: o.t, cid: o.c, files: [] }));
        for (const x of uploads) if (x.net) upload(x);
        if (pendingEmail) send({ type: 'email', email: pendingEmail });
        readUp();
        break;
      case 'ack':
        onAck(f);
        break;
      case 'reset':
        restart();
        break;
      case 'typing':
        agentTyping(f);
        break;
      case 'email_saved':
        emailSaved(f.email);
        break;
      case 'order.status':
        showOrders([f.order]);
        break;
      case 'order.list':
        showOrders(f.orders, true);
        break;
      case 'order.not_found':
        onote(T.order_not_found);
        break;
      case 'error': {
        if (f.code === 'lookup_limited' || f.code === 'order_invalid') {
          onote(f.code === 'order_invalid' ? T.order_invalid : T.order_limited);
          break;
        }
        const x = f.client_id && msgs.find((y) => y.cid === f.client_id && !y.id);
        if (x) {
          clearTimeout(x.to);
          x.pending = false;
          x.failed = true;
          if (f.code === 'empty' || f.code === 'too_long' || f.code === 'bad_frame') {
            S.o = S.o.filter((o) => o.c !== x.cid); // resending would fail the same way
            save();
          }
          status();
        }
        error(f.code === 'too_long' ? T.too_long : f.code === 'rate_limited' ? T.too_many : T.error);
        if (f.code === 'email') pendingEmail = null;
        break;
      }
    }
  }

  function event(e) {
    if (!e || e.conversation_id !== conv) return; // a conversation we no longer follow
    if (seen.has(e.seq)) return;                   // replayed around a reconnect
    seen.add(e.seq);
    hi = Math.max(hi, e.seq);
    if (e.type === 'message.created' && e.kind === 'reply') {
      const x = upsert(fromEvent(e), true);
      if (x.dir !== 'in') { agentTyping({ active: false }); readUp(); }
    } else if (e.type === 'conversation.read' && e.by === 'agent') {
      agentRead = Math.max(agentRead, e.up_to_seq);
      status();
    }
  }

  let typingTimer = 0;
  function agentTyping(f) {
    clearTimeout(typingTimer);
    ui.typing.textContent = f.active ? fill(T.typing, 'name', f.name || T.agent) : '';
    if (f.active) typingTimer = setTimeout(() => { ui.typing.textContent = ''; }, 8000);
  }

  // The visitor is typing: at most one frame every 2.5 s, and "stopped" after a pause.
  let typingSent = 0, typingOff = 0;
  function typed() {
    grow();
    suggest();
    clearTimeout(typingOff);
    if (!ui.text.value.trim()) { typing(false); return; }
    if (Date.now() - typingSent > 2500) { typingSent = Date.now(); send({ type: 'typing', active: true }); }
    typingOff = setTimeout(() => typing(false), 3000);
  }
  function typing(active) {
    clearTimeout(typingOff);
    if (!active && typingSent) { typingSent = 0; send({ type: 'typing', active: false }); }
  }
  function grow() {
    const t = ui.text;
    t.style.height = 'auto';
    t.style.height = Math.min(t.scrollHeight + 2, 120) + 'px';
  }

  // --- help center articles offered while a question is typed (before it is sent) ------
  let sgT = 0, sgF = 0, sgA = null, sgOff = false;
  const sgDone = new Set(); // texts already counted as searches for the shop's report
  const sgUrl = (q) => X.store.suggest_url + '?q=' + encodeURIComponent(q);
  function suggest() {
    const q = ui.text.value.trim().slice(0, 200);
    unsg(true);
    if (!X.store.suggest_url || sgOff || (q.match(/\p{L}/gu) || []).length < 3) { unsg(); return; }
    sgT = setTimeout(async () => {
      const a = sgA = new AbortController();
      let list;
      try {
        list = (await (await fetch(sgUrl(q), { signal: a.signal })).json()).results.slice(0, 3);
      } catch (e) { list = []; } // offline, refused, aborted: the chat goes on without
      if (a !== sgA) return; // a newer text's request has taken over
      ui.sgl.textContent = '';
      for (const r of list) {
        const l = link(r.url, r.title);
        if (!l) continue;
        l.title = r.excerpt || '';
        l.addEventListener('click', () => counted(q));
        ui.sgl.append(h('li', {}, l));
      }
      const n = ui.sgl.children.length;
      ui.sg.hidden = !n;
      ui.sgn.textContent = n ? T['suggest_' + n] : '';
    }, 300);
    sgF = setTimeout(() => counted(q), 1500); // a pause: this is what they are asking
  }
  // Stop asking; `keep` leaves the list shown until the next answer replaces it.
  function unsg(keep) {
    clearTimeout(sgT);
    clearTimeout(sgF);
    if (sgA) sgA.abort();
    sgA = null;
    if (keep) return;
    ui.sg.hidden = true;
    ui.sgn.textContent = '';
  }
  function counted(q) {
    if (sgDone.has(q)) return;
    sgDone.add(q);
    fetch(sgUrl(q) + '&final=1').catch(() => {});
  }

  function error(text) { if (ui) ui.err.textContent = text; }

  // --- reading and notifying -----------------------------------------------------------------
  const visible = () => isOpen && !ordOpen && !D.hidden;

  // The visitor sees the panel: tell the desk (only agents' messages: reading our own
  // read receipts would go round in circles) and clear the badge.
  function readUp() {
    if (!visible()) return;
    let top = 0;
    for (const x of msgs) if (x.dir !== 'in' && x.seq > top) top = x.seq;
    unread = 0;
    badge();
    stopBlink();
    if (top > (S.r || 0)) { S.r = top; save(); }
    if (ready && top > readSent) { readSent = top; send({ type: 'read', seq: top }); }
  }

  function notify() {
    if (visible()) return;
    unread++;
    badge();
    beep();
    if (D.hidden) blink();
  }

  function badge() {
    if (!ui) return;
    ui.badge.hidden = !unread;
    ui.badge.textContent = unread > 99 ? '99+' : unread;
    ui.launch.setAttribute('aria-label', T.open + (unread ? ' (' + unread + ')' : ''));
  }

  let audio = null;
  function beep() {
    if (!gestured) return; // browsers refuse sound before the visitor did anything
    try {
      audio = audio || new (W.AudioContext || W.webkitAudioContext)();
      const t = audio.currentTime, osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.15, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.3);
      osc.connect(gain).connect(audio.destination);
      osc.start(t);
      osc.stop(t + 0.32);
    } catch (e) { /* no sound, then */ }
  }

  let blinkTimer = 0, title = '';
  function blink() {
    if (blinkTimer) return;
    title = D.title;
    let on = false;
    blinkTimer = setInterval(() => { D.title = (on = !on) ? T.new_message : title; }, 1000);
  }
  function stopBlink() {
    if (!blinkTimer) return;
    clearInterval(blinkTimer);
    blinkTimer = 0;
    D.title = title;
  }

  // --- opening and closing ----------------------------------------------------------------------
  function open(focus = true) {
    if (!ui) { wantOpen = true; focusOnOpen = focus; return; }
    isOpen = true;
    ui.panel.hidden = false;
    ui.wrap.classList.add('open');
    ui.launch.setAttribute('aria-expanded', 'true');
    stick = true;
    scrollDown(true);
    if (focus) (ordOpen ? ui.ord.querySelector('input,h3') : ui.pre.hidden ? ui.text : ui.pre.querySelector('input,select') || ui.text).focus();
    readUp();
  }
  function close() {
    wantOpen = false;
    if (!ui || !isOpen) return;
    isOpen = false;
    ui.panel.hidden = true;
    ui.wrap.classList.remove('open');
    ui.launch.setAttribute('aria-expanded', 'false');
    typing(false);
    ui.launch.focus();
  }
  const toggle = () => (isOpen ? close() : open());

  // --- the session ----------------------------------------------------------------------------
  // Returns true once a session is loaded; retries by itself on network trouble.
  async function start(again) {
    const langs = [script.dataset.tiskiLang, D.documentElement.lang, ...(navigator.languages || [navigator.language])];
    let r;
    try {
      r = await fetch(BASE + '/chat/session', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          token: TOKEN,
          visitor: S.v || null,
          identity: ident,
          languages: langs.filter(Boolean).slice(0, 10),
          tz: Intl.DateTimeFormat().resolvedOptions().timeZone,
        }),
      });
    } catch (e) { r = null; }
    if (r && r.status === 403 && ident) { ident = null; return start(again); } // a bad signature: go on anonymously
    if (r && r.status === 404) { stopped = true; return false; }
    if (!r || !r.ok) {
      const delay = Math.min(30000, 1000 * 2 ** tries++) * (0.5 + Math.random() / 2);
      return new Promise((done) => setTimeout(() => done(start(again)), delay));
    }
    X = await r.json();
    T = X.strings;
    // A new visitor (logged out, expired): forget the previous one. After a 4401 or a
    // reset in this page the outbox is the same visitor's and goes out again.
    if (X.fresh) S = again ? { o: S.o } : { o: [] };
    S.v = X.visitor;
    save();
    if (!ui) build();
    setConv(null);
    dress();
    render();
    if (wantOpen) open(focusOnOpen);
    return true;
  }

  function boot() {
    for (const kind of ['pointerdown', 'keydown']) addEventListener(kind, () => { gestured = true; }, { capture: true, once: true });
    D.addEventListener('visibilitychange', () => {
      if (D.hidden) return;
      stopBlink();
      readUp();
      if (!ws && X) reconnect(0);
    });
    addEventListener('online', () => { tries = 0; if (!ready) { drop(); reconnect(0); } });
    addEventListener('offline', () => { if (ws) { drop(); reconnect(); } });
    // A ping now and then: a connection that stopped answering is replaced.
    setInterval(() => {
      if (!ws || ws.readyState !== 1) return;
      if (Date.now() - lastFrame > 45000) { drop(); reconnect(0); } else send({ type: 'ping' });
    }, 20000);
    start(false).then((ok) => ok && connect());
  }

  W.Tiski = { version: 1, open: () => open(), close, toggle };
  if (D.readyState === 'loading') D.addEventListener('DOMContentLoaded', boot);
  else boot();
})();
