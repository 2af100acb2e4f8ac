// The dashboard: sign-in, the refresh loop and the live feed. Read-only: it calls only
// read methods and subscriptions of the node's API.
import { session, call, Live, RPCError } from "./rpc.js";
import { $, short } from "./format.js";
import { renderHealth, renderLiquidity, renderChannels, renderDetail, renderPayments, renderRisk, renderAlerts } from "./panels.js";

const REFRESH_MS = 2000;
const PAGE = 50;

const s = {
  info: null, page: null, closing: [], stats: null, metrics: [], recent: [], seen: new Set(),
  riskEvents: [], riskClients: [], riskError: "", eventAlerts: [], channelEvents: [],
  query: { status: "", query: "", sort: "id", desc: false, offset: 0, limit: PAGE },
  span: "minutes", detail: null,
};
let live = null, timer = null, soon = null;

function showLogin(msg) {
  if (live) { live.stop(); live = null; }
  clearTimeout(timer);
  $("#dash").hidden = true; $("#login").hidden = false; $("#logout").hidden = true;
  $("#login-error").textContent = msg || "";
  setConn("signed out", "");
}

function setConn(text, cls) { const c = $("#conn"); c.textContent = text; c.className = "pill " + cls; }

async function signIn(token) {
  session.set(token.trim());
  try {
    s.info = await call("sluice_nodeInfo");
  } catch (e) {
    session.clear();
    showLogin(e instanceof RPCError && e.code === 401 ? "Token refused by the node." : "Cannot reach the node: " + e.message);
    return;
  }
  $("#login").hidden = true; $("#dash").hidden = false; $("#logout").hidden = false;
  live = new Live(["payments", "channelEvents"], onNotify, (ok) => setConn(ok ? "live" : "reconnecting", ok ? "ok" : "warn"));
  await refresh();
}

async function optional(method, ...params) {
  try { return { v: await call(method, ...params) }; } catch (e) {
    if (e instanceof RPCError && e.code === 401) throw e;
    return { err: e.code === -32601 ? "not configured on this node" : e.message };
  }
}

async function refresh() {
  clearTimeout(timer);
  try {
    const [info, page, closing, stats, metrics, risk, clients] = await Promise.all([
      call("sluice_nodeInfo").catch((e) => { if (e.code === 401) throw e; return null; }),
      call("sluice_channelPage", s.query),
      call("sluice_channelPage", { status: "closing", sort: "settleAfter", limit: 100 }),
      optional("sluice_paymentStats"), optional("sluice_metrics"),
      optional("sluice_riskEvents", { limit: 1000 }), optional("sluice_riskClients"),
    ]);
    const t0 = performance.now();
    s.info = info; s.page = page; s.closing = closing.channels;
    s.stats = stats.v || null; s.metrics = metrics.v || [];
    s.riskEvents = risk.v || []; s.riskClients = clients.v || []; s.riskError = risk.err || "";
    if (s.stats) mergeRecent(s.stats.recent);
    render();
    // How long the data took to render, for the operator's devtools and the tests.
    document.body.dataset.renderMs = (performance.now() - t0).toFixed(1);
    document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes || 0) + 1);
    if (s.detail) await openDetail(s.detail, true);
  } catch (e) {
    if (e instanceof RPCError && e.code === 401) { session.clear(); showLogin("The node refused the token."); return; }
    setConn("error: " + e.message, "bad");
  }
  timer = setTimeout(refresh, REFRESH_MS);
}

function refreshSoon() { clearTimeout(soon); soon = setTimeout(refresh, 150); }

function render() {
  renderHealth(s); renderLiquidity(s); renderChannels(s); renderPayments(s); renderRisk(s); renderAlerts(s);
}

// mergeRecent keeps the newest 100 payments, from the stats snapshot and the live feed.
function mergeRecent(list) {
  for (const p of list) {
    const k = p.paymentId + p.direction;
    if (!s.seen.has(k)) { s.seen.add(k); s.recent.push(p); }
  }
  s.recent.sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
  if (s.recent.length > 100) {
    for (const p of s.recent.splice(100)) s.seen.delete(p.paymentId + p.direction);
  }
}

function onNotify(topic, v) {
  if (topic === "payments") {
    mergeRecent([v]);
    renderPayments(s);
    refreshSoon();
  } else if (topic === "channelEvents") {
    s.channelEvents.unshift(v);
    s.channelEvents.length = Math.min(s.channelEvents.length, 200);
    const text = {
      closed: `channel ${short(v.channel)} closed on chain (block ${v.block}): challenge period started`,
      proof_updated: `proof submitted on chain for channel ${short(v.channel)} (block ${v.block})`,
      settled: `channel ${short(v.channel)} settled`,
    }[v.kind];
    if (text) {
      s.eventAlerts.unshift({ cls: v.kind === "settled" ? "" : "bad", text: new Date(v.time).toLocaleTimeString() + " " + text });
      s.eventAlerts.length = Math.min(s.eventAlerts.length, 50);
    }
    refreshSoon();
  }
}

async function openDetail(id, quiet) {
  s.detail = id;
  try {
    const ch = await call("sluice_channel", id);
    let payments = [], cursor = "";
    for (let i = 0; i < 10; i++) { // the log is oldest first: walk to its end, keep the newest 100
      const page = await call("sluice_payments", { channel: id, cursor, limit: 1000 });
      payments = payments.concat(page.payments).slice(-100);
      if (!page.next) break;
      cursor = page.next;
    }
    renderDetail(ch, payments.reverse(), s.channelEvents.filter((e) => e.channel === id));
    if (!quiet) $("#channel-detail").scrollIntoView();
  } catch (e) {
    if (e instanceof RPCError && e.code === 401) { session.clear(); showLogin("The node refused the token."); }
  }
}

function wire() {
  $("#login-form").addEventListener("submit", (ev) => { ev.preventDefault(); const t = $("#token").value; $("#token").value = ""; signIn(t); });
  $("#logout").addEventListener("click", () => { session.clear(); showLogin(""); });
  let typing = null;
  $("#channel-query").addEventListener("input", (ev) => {
    clearTimeout(typing);
    typing = setTimeout(() => { s.query.query = ev.target.value; s.query.offset = 0; refresh(); }, 200);
  });
  $("#channel-status").addEventListener("change", (ev) => { s.query.status = ev.target.value; s.query.offset = 0; refresh(); });
  $("#page-prev").addEventListener("click", () => { s.query.offset = Math.max(0, s.query.offset - PAGE); refresh(); });
  $("#page-next").addEventListener("click", () => { s.query.offset += PAGE; refresh(); });
  for (const th of document.querySelectorAll("#channel-table th[data-sort]")) {
    th.addEventListener("click", () => {
      const k = th.dataset.sort;
      s.query.desc = s.query.sort === k ? !s.query.desc : false;
      s.query.sort = k; s.query.offset = 0; refresh();
    });
  }
  document.body.addEventListener("click", (ev) => {
    const tr = ev.target.closest("tr[data-channel]");
    if (tr) openDetail(tr.getAttribute("data-channel"));
  });
  $("#detail-close").addEventListener("click", () => { s.detail = null; $("#channel-detail").hidden = true; });
  for (const r of document.querySelectorAll("input[name=span]")) {
    r.addEventListener("change", () => { s.span = r.value; renderPayments(s); });
  }
  // Countdowns tick between refreshes.
  setInterval(() => { if (s.page) { renderChannels(s); renderHealth(s); renderAlerts(s); } }, 1000);
}

wire();
if (session.token()) signIn(session.token()); else showLogin("");
