// Small DOM and formatting helpers. Everything from the node is written with textContent,
// never as HTML.

export const $ = (sel) => document.querySelector(sel);

export function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

export function row(cells, attrs) {
  const tr = document.createElement("tr");
  for (const c of cells) {
    if (c instanceof Node) { const td = el("td"); td.append(c); tr.append(td); }
    else if (c && typeof c === "object") { tr.append(el("td", c.text, c.cls)); }
    else tr.append(el("td", c));
  }
  for (const [k, v] of Object.entries(attrs || {})) tr.setAttribute(k, v);
  return tr;
}

export function fillBody(table, rows, empty) {
  const body = table.tBodies[0];
  body.replaceChildren(...rows);
  if (rows.length === 0 && empty) {
    const tr = row([{ text: empty, cls: "muted" }]);
    tr.firstChild.colSpan = table.tHead.rows[0].cells.length;
    body.append(tr);
  }
}

export function fillKV(dl, pairs) {
  const out = [];
  for (const [k, v, cls] of pairs) { out.push(el("dt", k)); out.push(el("dd", v, cls)); }
  dl.replaceChildren(...out);
}

export const ZERO = "0x0000000000000000000000000000000000000000";

export function short(hex) { return hex && hex.length > 14 ? hex.slice(0, 8) + "…" + hex.slice(-4) : (hex || ""); }

export function tokenName(t) { return !t || t === ZERO ? "ETH" : short(t); }

// amount renders base units: ETH in ether with up to 6 decimals, other tokens as base units.
export function amount(v, token) {
  let n;
  try { n = BigInt(v || "0"); } catch { return String(v); }
  if (token && token !== ZERO) return n.toString();
  const whole = n / 10n ** 18n;
  let frac = (n % 10n ** 18n).toString().padStart(18, "0").slice(0, 6).replace(/0+$/, "");
  return whole.toString() + (frac ? "." + frac : "") + " ETH";
}

export function ratio(a, b) {
  const x = BigInt(a || "0"), y = BigInt(b || "0");
  if (x + y === 0n) return 0;
  return Number((x * 1000n) / (x + y)) / 10;
}

export function age(iso) {
  if (!iso) return "—";
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return s + " s ago";
  if (s < 3600) return Math.floor(s / 60) + " min ago";
  return Math.floor(s / 3600) + " h ago";
}

// countdown renders the time left until a unix-seconds deadline.
export function countdown(unix) {
  const left = Math.round(unix - Date.now() / 1000);
  if (left <= 0) return "over (settle possible)";
  const h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
  return (h ? h + "h " : "") + (h || m ? m + "m " : "") + s + "s left";
}

export function micros(us) {
  if (!us) return "—";
  return us < 1000 ? us + " µs" : (us / 1000).toFixed(us < 10000 ? 2 : 0) + " ms";
}

export function clock(iso) { return iso ? new Date(iso).toLocaleTimeString() : ""; }
