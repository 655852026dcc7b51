// The console's only door to `fanzha serve`: fetch with the session token, JSON in and out,
// and the server's error shape {"error":{"code","message","field"}} turned into an ApiError
// whose message names the field, so every screen can show it as it is.
import { reactive } from 'vue';

const kTokenKey = 'fz.session';

// The signed-in user: {token, expires_at, user: {name, role, unit, permissions[]}}.
export const session = reactive(loadSession());

function loadSession() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(kTokenKey) || 'null');
    if (saved && saved.token) return saved;
  } catch (e) {
    // A damaged entry is dropped: the user logs in again.
  }
  return { token: '', expires_at: '', user: null };
}

function saveSession() {
  sessionStorage.setItem(kTokenKey, JSON.stringify(session));
}

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(field ? `${message} (${field})` : message);
    this.status = status;
    this.code = code;
    this.field = field || '';
  }
}

// Called when the server says the session is gone (401): the router sends the user to login.
let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export async function request(method, path, { params, body, text } = {}) {
  const headers = {};
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  let payload;
  if (text !== undefined) {
    headers['Content-Type'] = 'text/plain; charset=utf-8';
    payload = text;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(path + query(params), { method, headers, body: payload });
  const raw = await res.text();
  let data = null;
  if (raw) {
    try {
      data = JSON.parse(raw);
    } catch (e) {
      data = raw;
    }
  }
  if (!res.ok) {
    const err = (data && data.error) || {};
    if (res.status === 401 && path !== '/api/auth/login') {
      clearSession();
      onUnauthorized();
    }
    throw new ApiError(res.status, err.code || String(res.status),
                       err.message || `HTTP ${res.status}`, err.field);
  }
  return data;
}

export const api = {
  get: (path, params) => request('GET', path, { params }),
  post: (path, body, params) => request('POST', path, { body, params }),
  put: (path, body) => request('PUT', path, { body }),
  del: (path) => request('DELETE', path),
  postText: (path, text) => request('POST', path, { text }),
};

// Downloads a file answer (CSV export) with the session token and saves it under `filename`.
export async function download(path, params, filename) {
  const res = await fetch(path + query(params), {
    headers: session.token ? { Authorization: `Bearer ${session.token}` } : {} });
  if (!res.ok) {
    let message = `HTTP ${res.status}`;
    try {
      message = (await res.json()).error.message || message;
    } catch (e) {
      // not a JSON error
    }
    throw new ApiError(res.status, String(res.status), message);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export async function login(user, password) {
  const res = await request('POST', '/api/auth/login', { body: { user, password } });
  session.token = res.token;
  session.expires_at = res.expires_at;
  session.user = res.user;
  saveSession();
  return res;
}

export async function refreshMe() {
  const me = await api.get('/api/auth/me');
  // /api/auth/me may answer the user object itself or {user: {...}}.
  session.user = { ...(session.user || {}), ...(me.user || me) };
  saveSession();
  return session.user;
}

export async function logout() {
  try {
    if (session.token) await api.post('/api/auth/logout', {});
  } finally {
    clearSession();
  }
}

export function clearSession() {
  session.token = '';
  session.expires_at = '';
  session.user = null;
  sessionStorage.removeItem(kTokenKey);
  sessionStorage.removeItem('fz.unitNames');
}

export function can(permission) {
  return !!(session.user && (session.user.permissions || []).includes(permission));
}

// Lists answer {rows, next}; some answer a bare array. Screens use rowsOf() for both.
export function rowsOf(page) {
  if (Array.isArray(page)) return page;
  if (!page) return [];
  return page.rows || page.items || page.users || page.units || [];
}

// A fresh idempotency key per click, so a double click records one action.
export function requestId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}
