// The dashboard's only way to the node: JSON-RPC over HTTP (POST /) with the bearer
// header, and the same API over a WebSocket for subscriptions. The token lives in this
// tab's sessionStorage and never in a URL.

const KEY = "sluice.apiToken";

export const session = {
  token() { return sessionStorage.getItem(KEY) || ""; },
  set(t) { sessionStorage.setItem(KEY, t); },
  clear() { sessionStorage.removeItem(KEY); },
};

// RPCError carries the JSON-RPC error code; code 401 stands for a refused token.
export class RPCError extends Error {
  constructor(code, message) { super(message); this.code = code; }
}

let nextID = 1;

export async function call(method, ...params) {
  const res = await fetch("/", {
    method: "POST",
    headers: { "Content-Type": "application/json", "Authorization": "Bearer " + session.token() },
    body: JSON.stringify({ jsonrpc: "2.0", id: nextID++, method, params }),
    cache: "no-store",
    credentials: "omit",
    referrerPolicy: "no-referrer",
  });
  if (res.status === 401) throw new RPCError(401, "the node refused this token");
  const body = await res.json();
  if (body.error) throw new RPCError(body.error.code, body.error.message);
  return body.result;
}

// Live opens one WebSocket and keeps the given subscriptions on it, reconnecting after a
// drop. onNotify(topic, result) gets every notification; onState(ok) the link's state.
export class Live {
  constructor(topics, onNotify, onState) {
    this.topics = topics; this.onNotify = onNotify; this.onState = onState;
    this.subs = new Map(); this.pending = new Map(); this.stopped = false; this.retry = 500;
    this.open();
  }
  open() {
    const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/";
    // Browsers cannot set headers on a WebSocket: the token travels as a subprotocol
    // (sluice.bearer.<token>), a request header like Authorization, never in the URL.
    const ws = new WebSocket(url, ["sluice.v1", "sluice.bearer." + session.token()]);
    this.ws = ws;
    ws.onopen = () => {
      this.retry = 500;
      this.onState(true);
      for (const topic of this.topics) {
        const id = nextID++;
        this.pending.set(id, topic);
        ws.send(JSON.stringify({ jsonrpc: "2.0", id, method: "sluice_subscribe", params: [topic] }));
      }
    };
    ws.onmessage = (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch { return; }
      if (msg.id !== undefined && this.pending.has(msg.id)) {
        const topic = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.result) this.subs.set(msg.result, topic);
        return;
      }
      if (msg.method === "sluice_subscription" && msg.params) {
        const topic = this.subs.get(msg.params.subscription);
        if (topic) this.onNotify(topic, msg.params.result);
      }
    };
    ws.onclose = () => {
      this.onState(false);
      this.subs.clear(); this.pending.clear();
      if (!this.stopped) {
        this.timer = setTimeout(() => this.open(), this.retry);
        this.retry = Math.min(this.retry * 2, 10000);
      }
    };
  }
  stop() { this.stopped = true; clearTimeout(this.timer); if (this.ws) this.ws.close(); }
}
