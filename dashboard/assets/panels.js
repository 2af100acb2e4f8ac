// Rendering of each panel from the API's answers. No panel fetches anything itself.
import { $, el, row, fillBody, fillKV, short, tokenName, amount, ratio, age, countdown, micros, clock } from "./format.js";
import { drawChart } from "./chart.js";

// Fields of sluice_nodeInfo this page knows; any other (such as a chain health field a
// newer node adds) is shown as it comes.
const KNOWN_INFO = new Set(["address", "peerId", "listenAddrs", "chainId", "contract", "version", "peers", "chainHead", "syncedBlock"]);
const LAG_WARN = 5;

export function metricSum(metrics, name, pred) {
  let s = 0, seen = false;
  for (const m of metrics || []) if (m.name === name && (!pred || pred(m.labels || {}))) { s += m.value; seen = true; }
  return seen ? s : null;
}

// chainStatus reads the node's own chain health field when it has one, else judges from
// the processed block's lag behind the head.
export function chainStatus(info) {
  if (!info) return { ok: false, text: "node unreachable" };
  for (const [k, v] of Object.entries(info)) {
    if (KNOWN_INFO.has(k) || v === null || typeof v !== "object" || Array.isArray(v)) continue;
    const healthy = v.rpcOK ?? v.healthy ?? v.ok ?? (typeof v.status === "string" ? /^(ok|healthy|up)$/i.test(v.status) : undefined);
    if (healthy !== undefined) {
      const why = v.error || v.lastError || v.status || "";
      return { ok: !!healthy, text: (healthy ? "healthy" : "DOWN") + (why && !healthy ? ": " + why : "") };
    }
  }
  const lag = info.chainHead - info.syncedBlock;
  if (!info.chainHead) return { ok: false, text: "no chain head seen" };
  return { ok: lag <= LAG_WARN, text: lag <= LAG_WARN ? "following (lag " + lag + ")" : "lagging " + lag + " blocks" };
}

export function renderHealth(s) {
  const info = s.info || {};
  const cs = chainStatus(s.info);
  const pairs = [
    ["address", info.address || "—"],
    ["version", info.version || "—"],
    ["chain id", String(info.chainId ?? "—")],
    ["chain head", String(info.chainHead ?? "—")],
    ["processed block", String(info.syncedBlock ?? "—"), (info.chainHead - info.syncedBlock) > LAG_WARN ? "warn" : ""],
    ["chain RPC", cs.text, cs.ok ? "ok" : "bad"],
    ["peers connected", String(info.peers ?? "—")],
  ];
  for (const [k, v] of Object.entries(info)) {
    if (KNOWN_INFO.has(k)) continue;
    if (v && typeof v === "object" && !Array.isArray(v)) {
      for (const [sk, sv] of Object.entries(v)) pairs.push([k + "." + sk, Array.isArray(sv) ? (sv.join(", ") || "none") : String(sv)]);
    } else pairs.push([k, Array.isArray(v) ? v.join(", ") : String(v)]);
  }
  const pending = metricSum(s.metrics, "sluice_tower_client_pending_channels");
  const accepted = metricSum(s.metrics, "sluice_tower_client_registrations_total", (l) => l.result === "accepted" || l.answer === "accepted");
  pairs.push(["watchtower", pending === null ? "not configured" : pending + " channel(s) awaiting confirmation" + (accepted !== null ? ", " + accepted + " proofs registered" : ""), pending > 0 ? "warn" : ""]);
  fillKV($("#health-list"), pairs);
  $("#node-address").textContent = info.address || "";
  const rows = (s.closing || []).filter((c) => c.defense).map((c) =>
    row([{ text: short(c.id), cls: "mono" }, { text: c.defense, cls: "defense " + (c.defense === "on_chain" ? "ok" : "bad") },
      { text: countdown(c.settleAfter), cls: "countdown" }], { "data-channel": c.id, class: "link" }));
  fillBody($("#defenses"), rows, "none");
}

export function renderLiquidity(s) {
  const page = s.page || {};
  const info = s.info || {};
  const onChain = info.balance ?? info.ethBalance ?? info.gasBalance;
  let inChannels = 0n;
  for (const l of page.liquidity || []) if (l.token === "0x0000000000000000000000000000000000000000") inChannels += BigInt(l.ours);
  fillKV($("#liquidity-list"), [
    ["on-chain balance", onChain !== undefined ? amount(onChain) : "not read yet (the watcher reads it every 15 s)"],
    ["ours in ETH channels", amount(inChannels.toString())],
  ]);
  fillBody($("#liquidity-table"), (page.liquidity || []).map((l) =>
    row([tokenName(l.token), l.channels, amount(l.ours, l.token), amount(l.theirs, l.token), amount(l.reserved, l.token)])), "no open channels");
}

function splitBar(ours, theirs) {
  const bar = el("span", null, "bar");
  const fill = el("span");
  fill.style.width = ratio(ours, theirs) + "%";
  bar.title = ratio(ours, theirs) + "% ours";
  bar.append(fill);
  return bar;
}

export function renderChannels(s) {
  const page = s.page || { channels: [], total: 0, counts: {} };
  const c = page.counts || {};
  $("#channel-counts").textContent = `${c.open || 0} open · ${c.closing || 0} closing · ${c.settled || 0} settled`;
  const rows = page.channels.map((ch) => {
    const us = ch.us === "A" ? 0 : 1, them = 1 - us;
    const nonce = Math.max(ch.latestProofs?.[0]?.nonce || 0, ch.latestProofs?.[1]?.nonce || 0);
    return row([
      { text: short(ch.id), cls: "mono" }, { text: ch.status, cls: "state " + (ch.status === "closing" ? "warn" : "") },
      { text: short(ch.partner), cls: "mono" }, tokenName(ch.token),
      amount(ch.balance[us], ch.token), amount(ch.balance[them], ch.token), splitBar(ch.balance[us], ch.balance[them]),
      nonce, age(ch.lastProofAt),
      { text: ch.status === "closing" ? countdown(ch.settleAfter) + (ch.defense ? " · defense " + ch.defense : "") : "", cls: "countdown" },
    ], { "data-channel": ch.id, class: "link" });
  });
  fillBody($("#channel-table"), rows, "no channels match");
  const q = s.query;
  const last = Math.min(page.total, q.offset + page.channels.length);
  $("#page-info").textContent = page.total ? `${q.offset + 1}–${last} of ${page.total}` : "0 of 0";
  $("#page-prev").disabled = q.offset === 0;
  $("#page-next").disabled = last >= page.total;
  for (const th of document.querySelectorAll("#channel-table th[data-sort]")) {
    th.classList.toggle("sorted", th.dataset.sort === q.sort);
    th.classList.toggle("desc", th.dataset.sort === q.sort && q.desc);
  }
}

export function renderDetail(ch, payments, events) {
  $("#channel-detail").hidden = false;
  $("#detail-id").textContent = ch.id;
  const us = ch.us === "A" ? 0 : 1, them = 1 - us;
  fillKV($("#detail-state"), [
    ["status", ch.status], ["we are", ch.us], ["partner", ch.partner], ["token", tokenName(ch.token)],
    ["deposits (A / B)", amount(ch.deposit[0], ch.token) + " / " + amount(ch.deposit[1], ch.token)],
    ["balance ours / theirs", amount(ch.balance[us], ch.token) + " / " + amount(ch.balance[them], ch.token)],
    ["challenge period", ch.challengePeriod + " s"],
    ["challenge ends", ch.status === "closing" ? countdown(ch.settleAfter) : "—"],
    ["defense", ch.defense || "—"], ["payments", String(ch.payments)],
  ]);
  const d = ch.domain || {};
  fillKV($("#detail-domain"), [["name", d.name], ["version", d.version], ["chainId", String(d.chainId)],
    ["verifyingContract", d.verifyingContract], ["separator", d.separator || "—"]]);
  fillBody($("#detail-proofs"), [0, 1].filter((i) => ch.latestProofs[i]).map((i) => {
    const p = ch.latestProofs[i];
    return row([(i === 0 ? "A " : "B ") + (i === us ? "(us)" : "(partner)"), p.nonce, amount(p.transferred, ch.token), { text: p.signature, cls: "mono sig" }]);
  }), "no proofs yet");
  $("#detail-events").replaceChildren(...(events.length ? events.map((e) => el("li", `${clock(e.time)} ${e.kind} (block ${e.block || "?"}, tx ${short(e.txHash)})`)) : [el("li", "none seen", "muted")]));
  fillBody($("#detail-payments"), payments.map((p) => row([clock(p.time), p.direction, amount(p.amount, ch.token), p.proof.nonce, { text: short(p.paymentId), cls: "mono" }])), "no payments");
}

export function renderPayments(s) {
  const st = s.stats;
  if (st) {
    drawChart($("#payment-chart"), s.span === "hours" ? st.hours : st.minutes);
    const l = st.latency;
    // Payments per second over the last five whole minutes (the current one is still filling).
    const last5 = st.minutes.slice(-6, -1).reduce((n, b) => n + b.sent + b.received, 0);
    const rate = `${(last5 / 300).toFixed(2)} payments/s (5 min)`;
    $("#latency").textContent = rate + " · " + (l.samples ? `latency p50 ${micros(l.p50Micros)} · p90 ${micros(l.p90Micros)} · p99 ${micros(l.p99Micros)} · max ${micros(l.maxMicros)} (${l.samples} sent)` : "no outgoing payments yet");
  }
  fillBody($("#recent"), s.recent.map((p) => row([clock(p.time), p.direction, { text: short(p.channel), cls: "mono" }, amount(p.amount), micros(p.latencyMicros)], { "data-payment": p.paymentId })), "none yet");
  const codes = new Map();
  for (const m of s.metrics || []) {
    if (m.name === "sluice_rejects_total" || m.name === "sluice_peer_refused_signed_proofs_total") {
      const code = (m.labels && (m.labels.code || Object.values(m.labels)[0])) || "?";
      const k = (m.name === "sluice_rejects_total" ? "" : "peer refused: ") + code;
      codes.set(k, (codes.get(k) || 0) + m.value);
    }
  }
  fillBody($("#rejects"), [...codes].filter(([, v]) => v > 0).map(([k, v]) => row([k, v])), "no rejects");
}

export function renderRisk(s) {
  if (s.riskError) { fillKV($("#risk-list"), [["risk engine", s.riskError]]); fillBody($("#risk-table"), [], ""); }
  else {
    const by = new Map();
    let stepUps = 0;
    for (const e of s.riskEvents || []) {
      if (e.outcome === "step_up") stepUps++;
      for (const r of (e.reasons && e.reasons.length ? e.reasons : ["—"])) {
        const k = e.outcome + "\u0000" + r;
        by.set(k, (by.get(k) || 0) + 1);
      }
    }
    fillKV($("#risk-list"), [["decisions (latest)", String((s.riskEvents || []).length)], ["step-ups", String(stepUps)],
      ["clients", String((s.riskClients || []).length)]]);
    fillBody($("#risk-table"), [...by].map(([k, v]) => { const [o, r] = k.split("\u0000"); return row([o, r, v]); }), "no decisions yet");
  }
  const dl = $("#risk-list");
  const bans = metricSum(s.metrics, "sluice_peer_bans_total");
  const refused = metricSum(s.metrics, "sluice_sessions_refused_total");
  dl.append(el("dt", "peer bans"), el("dd", bans === null ? "—" : String(bans)));
  dl.append(el("dt", "sessions refused"), el("dd", refused === null ? "—" : String(refused)));
}

// renderAlerts lists what needs the operator: standing conditions first, then events.
export function renderAlerts(s) {
  const items = [];
  const cs = chainStatus(s.info);
  if (!cs.ok) items.push(["bad", "chain RPC: " + cs.text]);
  for (const c of s.closing || []) {
    if (c.defense && c.defense !== "on_chain") items.push(["bad", `defense ${c.defense} on channel ${short(c.id)}: ${countdown(c.settleAfter)}`]);
    else items.push(["warn", `channel ${short(c.id)} is closing: ${countdown(c.settleAfter)}${c.defense ? " · defense on chain" : ""}`]);
  }
  const onChain = s.info && (s.info.balance ?? s.info.ethBalance ?? s.info.gasBalance);
  if (onChain !== undefined && BigInt(onChain) < 10n ** 16n) items.push(["bad", "low gas balance: " + amount(onChain)]);
  for (const a of s.eventAlerts) items.push([a.cls, a.text]);
  $("#alert-list").replaceChildren(...(items.length ? items.map(([cls, t]) => el("li", t, cls)) : [el("li", "all quiet", "ok")]));
}
