// Talking to the bot's server: every call carries Telegram's initData (Authorization: tma ...).
let initData = "";

export function setInitData(value) { initData = value || ""; }

export class ApiError extends Error {
  constructor(status, body) { super(body && body.text || "HTTP " + status); this.status = status; this.body = body || {}; }
}

export async function api(path, body) {
  const options = { headers: { Authorization: "tma " + initData } };
  if (body !== undefined) {
    options.method = "POST";
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch("api/" + path, options);
  let data = null;
  try { data = await response.json(); } catch (e) { data = null; }
  if (!response.ok && !(data && data.outcome)) throw new ApiError(response.status, data);
  return data;
}

// A random client token: the same order form keeps it until the order is placed (at-most-once).
export function newToken() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => "abcdefghijklmnopqrstuvwxyz0123456789"[b % 36]).join("");
}
