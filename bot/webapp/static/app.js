// The storefront Mini App: catalogue (search, filters, virtual list), service page with the order
// form (checked and priced by the server with the chat's rules), My orders, Balance.
import { api, ApiError, newToken, setInitData } from "./api.js";
import { VirtualList } from "./vlist.js";

const $ = (id) => document.getElementById(id);
const MICRO = 1e6;
let T = {}, tg = null, all = [], cats = new Map(), list = null, shownTab = "shop";

const fill = (text, params) => text.replace(/\{(\w+)\}/g, (m, k) => (k in params ? params[k] : m));
const el = (tag, cls, text) => { const n = document.createElement(tag); if (cls) n.className = cls; if (text != null) n.textContent = text; return n; };
// texts rendered by the bot's own locale renderers (the chat's HTML subset, customer values escaped)
const rich = (tag, cls, html) => { const n = el(tag, cls); n.innerHTML = html; return n; };

function fatal(text) { document.querySelector("main").hidden = true; $("tabs").hidden = true; const f = $("fatal"); f.hidden = false; f.textContent = text; }
// Telegram's own confirmation popup inside Telegram, the browser's elsewhere
const ask = (text) => new Promise((resolve) => (tg && tg.showConfirm ? tg.showConfirm(text, resolve) : resolve(window.confirm(text))));
function problem(err) { return err instanceof ApiError && err.body.text ? err.body.text : T.err_network || "Network error"; }

function waitForSdk() {
  if (window.Telegram && window.Telegram.WebApp) return Promise.resolve(window.Telegram.WebApp);
  return new Promise((resolve) => {
    const s = $("tg-sdk");
    const done = () => resolve(window.Telegram && window.Telegram.WebApp || null);
    s.addEventListener("load", done); s.addEventListener("error", done);
    setTimeout(done, 8000);
  });
}

function show(tab) {
  shownTab = tab;
  for (const v of document.querySelectorAll(".view")) v.classList.toggle("on", v.id === "v-" + tab);
  const navTab = tab === "service" ? "shop" : tab;
  for (const b of $("tabs").children) b.classList.toggle("on", b.dataset.tab === navTab);
  if (tg && tg.BackButton) { tab === "service" ? tg.BackButton.show() : tg.BackButton.hide(); }
  if (tab === "shop" && list) list.schedule();
}

// ---- catalogue -----------------------------------------------------------------------------------
function option(value, text) { const o = el("option", null, text); o.value = value; return o; }

function fillCategories() {
  const p = $("platform").value, sel = $("category"), was = sel.value;
  sel.textContent = ""; sel.appendChild(option("", T.all_categories));
  for (const [id, c] of cats) if (!p || c.platform === p) sel.appendChild(option(id, c.name));
  sel.value = [...sel.options].some((o) => o.value === was) ? was : "";
}

function applyFilters() {
  const words = $("q").value.toLowerCase().split(/\s+/).filter(Boolean);
  const p = $("platform").value, c = $("category").value;
  const lo = parseFloat($("pmin").value.replace(",", ".")), hi = parseFloat($("pmax").value.replace(",", "."));
  const refill = $("frefill").checked, cancel = $("fcancel").checked;
  const found = all.filter((s) =>
    (!p || s.platform === p) && (!c || String(s.cat) === c) && (!refill || s.refill) && (!cancel || s.cancel) &&
    (isNaN(lo) || s.price >= lo * MICRO) && (isNaN(hi) || s.price <= hi * MICRO) &&
    words.every((w) => s.text.includes(w)));
  $("count").textContent = found.length ? fill(T.found, { count: found.length }) : T.nothing_found;
  $("count").dataset.q = $("q").value;
  list.setItems(found);
}

function renderRow(row, s) {
  row.textContent = "";
  row.appendChild(el("b", null, s.name));
  const info = el("small");
  info.appendChild(el("span", null, cats.get(String(s.cat)).name));
  info.appendChild(el("span", "p", s.priceText + " " + (s.pkg ? T.per_package : T.per_1000)));
  row.appendChild(info);
}

async function loadCatalogue() {
  const data = await api("catalogue");
  const sel = $("platform"); sel.textContent = ""; sel.appendChild(option("", T.all_platforms));
  for (const [key, label] of data.platforms) sel.appendChild(option(key, label));
  for (const [id, name, platform] of data.categories) cats.set(String(id), { name, platform });
  all = data.services.map(([key, name, cat, price, priceText, min, max, refill, cancel, pkg]) => ({
    key, name, cat, price, priceText, min, max, refill, cancel, pkg,
    platform: cats.get(String(cat)).platform, text: (name + " " + cats.get(String(cat)).name).toLowerCase() }));
  fillCategories();
  applyFilters();
}

// ---- service page and order form -------------------------------------------------------------------
let form = null; // {key, token, quote, timer}

function fieldInput(f) {
  let input;
  if (f.kind === "lines") input = el("textarea");
  else if (f.kind === "choice") {
    input = el("select"); if (f.optional) input.appendChild(option("", "—"));
    for (const c of f.choices) input.appendChild(Array.isArray(c) ? option(String(c[0]), c[1]) : option(String(c), String(c)));
  } else { input = el("input"); input.type = "text"; if (f.kind === "number") input.inputMode = "numeric"; }
  input.name = f.name; input.id = "f-" + f.name;
  return input;
}

function serviceHeader(box, s) {
  box.textContent = "";
  const back = el("button", "btn ghost", T.back); back.onclick = () => show("shop"); box.appendChild(back);
  box.appendChild(el("h2", null, s.name));
  box.appendChild(el("div", "hint", s.category));
  box.appendChild(el("div", null, s.price_text + " " + (s.per_package ? T.per_package : T.per_1000)));
  box.appendChild(el("div", "hint", fill(T.limits, { min: s.min, max: s.max }) +
    (s.refill ? " · " + T.refill : "") + (s.cancel ? " · " + T.cancel_allowed : "")));
}

// The row already knows the header: it shows at once, the description and the form follow
let opening = 0;
async function openService(row) {
  show("service");
  const box = $("service"), mine = ++opening;
  serviceHeader(box, { name: row.name, category: cats.get(String(row.cat)).name, price_text: row.priceText,
    per_package: row.pkg, min: row.min, max: row.max, refill: row.refill, cancel: row.cancel });
  const wait = box.appendChild(el("div", "hint", T.loading));
  let s;
  try { s = await api("service?key=" + encodeURIComponent(row.key)); } catch (e) { wait.textContent = problem(e); return; }
  if (mine !== opening || shownTab !== "service") return; // another service was opened, or the page left
  serviceHeader(box, s);
  if (s.description) { box.appendChild(el("h2", null, T.description)); box.appendChild(el("div", "msg hint", s.description)); }
  const fields = el("form"); fields.id = "order-form"; fields.onsubmit = (e) => e.preventDefault();
  const conditional = [];
  for (const f of s.fields) {
    const wrap = el("div", "field");
    if (f.when) conditional.push([wrap, f.when]);
    const label = el("label", null, f.label + (f.optional ? " (" + T.optional + ")" : "")); label.htmlFor = "f-" + f.name;
    wrap.appendChild(label); wrap.appendChild(rich("div", "hint msg", f.prompt));
    wrap.appendChild(fieldInput(f)); wrap.appendChild(el("div", "err")).id = "e-" + f.name;
    fields.appendChild(wrap);
  }
  box.appendChild(fields);
  // a field asked only with one answer of another (web traffic's keyword or referrer) shows with it
  const applyWhen = () => { for (const [wrap, [name, value]] of conditional) wrap.hidden = fields.elements[name].value !== String(value); };
  applyWhen(); fields.addEventListener("input", applyWhen); fields.addEventListener("change", applyWhen);
  const sum = el("div"); sum.id = "sum"; box.appendChild(sum);
  const confirm = el("button", "btn", fill(T.confirm, { price: "" })); confirm.id = "confirm"; confirm.disabled = true;
  box.appendChild(confirm);
  const out = el("div", "out"); out.id = "outcome"; out.hidden = true; box.appendChild(out);
  form = { key: s.key, token: newToken(), quote: null, timer: 0, seq: 0 };
  fields.addEventListener("input", () => { clearTimeout(form.timer); confirm.disabled = true; form.timer = setTimeout(requote, 250); });
  confirm.onclick = placeOrder;
}

function values() {
  const out = {};
  for (const input of $("order-form").elements) if (input.name && !input.closest(".field").hidden) out[input.name] = input.value;
  return out;
}

function showQuote(q) {
  for (const e of document.querySelectorAll("#order-form .err")) e.textContent = "";
  const sum = $("sum"), confirm = $("confirm");
  sum.textContent = "";
  form.quote = q.ok ? q : null;
  if (!q.ok) {
    for (const [name, text] of Object.entries(q.errors || {})) { const e = $("e-" + name); if (e) e.innerHTML = text; }
    confirm.disabled = true; return;
  }
  const line = (a, b, id) => { const r = el("div", "sum"); r.appendChild(el("span", null, a)); const v = el("b", null, b); if (id) v.id = id; r.appendChild(v); sum.appendChild(r); };
  line(T.total, q.price_text, "total");
  if (q.short) sum.appendChild(el("div", "err", fill(T.short, { missing: q.short_text })));
  else line(T.balance_after, q.after_text, "after");
  confirm.textContent = fill(T.confirm, { price: q.price_text });
  confirm.disabled = q.short;
}

async function requote() {
  const seq = ++form.seq;
  try { const q = await api("quote", { key: form.key, fields: values() }); if (seq === form.seq) showQuote(q); }
  catch (e) { $("sum").textContent = problem(e); }
}

async function placeOrder() {
  const confirm = $("confirm"), out = $("outcome");
  if (!form.quote) return;
  confirm.disabled = true; out.hidden = false; out.textContent = T.placing;
  let r;
  try { r = await api("order", { key: form.key, fields: values(), token: form.token, price: form.quote.price }); }
  catch (e) { out.textContent = problem(e); confirm.disabled = false; return; } // same token: a retry cannot place twice
  out.innerHTML = r.text || "";
  if (r.outcome === "quote_changed" || r.outcome === "invalid") { showQuote(r); return; }
  if (r.outcome === "insufficient") { confirm.disabled = false; return; }
  form.token = newToken(); // placed (or settled): a new order needs a new confirmation
  if (tg && tg.HapticFeedback) tg.HapticFeedback.notificationOccurred(r.outcome === "placed" ? "success" : "error");
}

// ---- My orders -----------------------------------------------------------------------------------------
function orderCard(o) {
  const card = el("div", "card"); card.id = "order-" + o.id;
  card.appendChild(rich("div", "msg", o.card));
  const acts = el("div", "acts");
  const act = (label, action) => {
    const b = el("button", null, label); b.dataset.action = action;
    b.onclick = async () => {
      if (action === "cancel" && !(await ask(T.cancel_sure))) return;
      b.disabled = true;
      try { const r = await api("orders/" + o.id + "/" + action, {}); const fresh = orderCard(r.order); fresh.appendChild(rich("div", "hint msg notice", r.notice)); card.replaceWith(fresh); }
      catch (e) { card.appendChild(el("div", "err", problem(e))); b.disabled = false; }
    };
    acts.appendChild(b);
  };
  act(T.refresh, "refresh");
  if (o.can_refill) act(T.refill_button, "refill");
  if (o.can_cancel) act(T.cancel_button, "cancel");
  card.appendChild(acts);
  return card;
}

async function loadOrders(offset = 0) {
  const box = $("orders");
  if (!offset) box.textContent = T.loading;
  let data;
  try { data = await api("orders?offset=" + offset); } catch (e) { box.textContent = problem(e); return; }
  if (!offset) box.textContent = "";
  const more = box.querySelector(".more"); if (more) more.remove();
  if (!data.total) { box.appendChild(el("div", "hint", T.orders_empty)); return; }
  for (const o of data.items) box.appendChild(orderCard(o));
  if (offset + data.items.length < data.total) {
    const b = el("button", "btn ghost more", T.more); b.onclick = () => loadOrders(offset + data.items.length); box.appendChild(b);
  }
}

// ---- Balance -------------------------------------------------------------------------------------------------
async function loadBalance() {
  const box = $("balance"); box.textContent = T.loading;
  let data;
  try { data = await api("balance"); } catch (e) { box.textContent = problem(e); return; }
  box.textContent = "";
  box.appendChild(el("div", "hint", T.your_balance));
  box.appendChild(el("h2", null, data.balance_text)).id = "balance-amount";
  box.appendChild(rich("div", "card msg", data.text));
  if (data.methods.length) {
    box.appendChild(el("div", "hint", T.topup_methods));
    const ul = el("ul"); for (const m of data.methods) ul.appendChild(el("li", null, m)); box.appendChild(ul);
  }
  const b = el("button", "btn", T.topup_in_chat); b.id = "topup";
  const note = el("div", "hint");
  b.onclick = async () => {
    b.disabled = true;
    try { note.textContent = (await api("topup", {})).text; if (tg && tg.close) setTimeout(() => tg.close(), 1200); }
    catch (e) { note.textContent = problem(e); b.disabled = false; }
  };
  box.appendChild(b); box.appendChild(note);
}

// ---- start ----------------------------------------------------------------------------------------------------
async function main() {
  tg = await waitForSdk();
  if (tg) { setInitData(tg.initData); tg.ready(); if (tg.expand) tg.expand(); if (tg.BackButton) tg.BackButton.onClick(() => show("shop")); }
  let me;
  try { me = await api("me"); } catch (e) { fatal(problem(e)); return; }
  T = me.texts; document.documentElement.lang = me.lang; document.title = T.title;
  const names = { shop: T.tab_shop, orders: T.tab_orders, balance: T.tab_balance };
  for (const b of $("tabs").children) {
    b.textContent = names[b.dataset.tab];
    b.onclick = () => { show(b.dataset.tab); if (b.dataset.tab === "orders") loadOrders(); if (b.dataset.tab === "balance") loadBalance(); };
  }
  $("q").placeholder = T.search; $("pmin").placeholder = T.price_from; $("pmax").placeholder = T.price_to;
  $("l-refill").textContent = T.only_refill; $("l-cancel").textContent = T.only_cancel;
  list = new VirtualList($("list"), 64, renderRow, (s) => openService(s));
  let timer = 0;
  $("q").addEventListener("input", () => { delete $("count").dataset.q; clearTimeout(timer); timer = setTimeout(applyFilters, 120); });
  for (const id of ["pmin", "pmax"]) $(id).addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(applyFilters, 200); });
  $("platform").addEventListener("change", () => { fillCategories(); applyFilters(); });
  for (const id of ["category", "frefill", "fcancel"]) $(id).addEventListener("change", applyFilters);
  try { await loadCatalogue(); } catch (e) { $("count").textContent = problem(e); }
  document.body.dataset.ready = "1";
}

main();
