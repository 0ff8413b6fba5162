// The outbox: records made on this phone wait in IndexedDB until the server has them; and a
// sign-out made with no signal, waiting to reach the server. Loaded by the pages and by the
// service worker, so both send the same way.
(function (root) {
  "use strict";

  const DB_NAME = "shift-companion";
  const STORE = "outbox";
  const SYNC_URL = "/api/v1/sync";
  const ME_URL = "/api/v1/me";
  const BATCH = 50;
  const KEEP = new Set(["created", "duplicate"]);
  const ATTENTION = new Set(["conflict", "invalid", "forbidden"]);
  const MAX_DELAY_MS = 5 * 60 * 1000;
  const TIMEOUT_MS = 20 * 1000;
  const LOCK = "shift-companion-outbox";

  function request(req) {
    return new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  function openDb() {
    const opening = indexedDB.open(DB_NAME, 1);
    opening.onupgradeneeded = () => {
      const store = opening.result.createObjectStore(STORE, { keyPath: "id" });
      store.createIndex("user", "userId");
    };
    return request(opening);
  }

  // Every write is durable before we say "saved": strict durability waits for the disk.
  async function withStore(mode, work) {
    const db = await openDb();
    try {
      const tx = db.transaction(STORE, mode, { durability: "strict" });
      const done = new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
      const result = await work(tx.objectStore(STORE));
      await done;
      return result;
    } finally {
      db.close();
    }
  }

  function newEntry(item) {
    return { ...item, status: "waiting", attempts: 0, nextAttemptAt: 0, createdAt: Date.now(), reason: "", errors: [] };
  }

  function add(item) {
    return withStore("readwrite", (store) => request(store.add(newEntry(item))));
  }

  // A record that needed attention, changed and saved again: it goes under a new id (the old
  // one may be taken on the server), and the old item goes in the same transaction.
  function replace(oldId, item) {
    return withStore("readwrite", (store) => {
      store.delete(oldId);
      return request(store.add(newEntry(item)));
    });
  }

  // A record not sent yet, changed on the phone: it keeps its id. Under the sending lock, so it
  // never changes on its way to the server; false if it was sent before the change was saved.
  function change(id, item) {
    const work = () => withStore("readwrite", async (store) => {
      const entry = await request(store.get(id));
      if (!entry) return false;
      await request(store.put({ ...newEntry(item), id, createdAt: entry.createdAt }));
      return true;
    });
    return root.navigator.locks ? root.navigator.locks.request(LOCK, work) : work();
  }

  function get(id) {
    return withStore("readonly", (store) => request(store.get(id)));
  }

  function forUser(userId) {
    return withStore("readonly", (store) => request(store.index("user").getAll(userId)));
  }

  function put(entry) {
    return withStore("readwrite", (store) => request(store.put(entry)));
  }

  function remove(id) {
    return withStore("readwrite", (store) => request(store.delete(id)));
  }

  async function counts(userId) {
    const items = await forUser(userId);
    return {
      waiting: items.filter((item) => item.status === "waiting").length,
      attention: items.filter((item) => item.status === "attention").length,
      nextAttemptAt: Math.min(
        ...items.filter((item) => item.status === "waiting").map((item) => item.nextAttemptAt),
      ),
    };
  }

  function backOff(entry) {
    // Exponential, with jitter so phones coming back into signal together do not pile in.
    const attempts = entry.attempts + 1;
    const delay = Math.min(1000 * 2 ** attempts, MAX_DELAY_MS) * (0.5 + Math.random());
    return put({ ...entry, attempts, nextAttemptAt: Date.now() + delay });
  }

  function needsAttention(entry, reason, errors) {
    return put({ ...entry, status: "attention", reason, errors: errors || [] });
  }

  async function sendBatch(batch) {
    let response;
    try {
      response = await fetch(SYNC_URL, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ items: batch.map(({ id, type, payload }) => ({ id, type, payload })) }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      // No signal, a dropped connection or a timeout: the server may or may not have the
      // items, which is safe either way, because a resend is answered "duplicate".
      return "retry";
    }
    if (response.status === 401) return "signed-out";
    if (response.status === 413 || response.status === 422) {
      await Promise.all(batch.map((entry) => needsAttention(entry, "Too large to send.")));
      return "done";
    }
    if (!response.ok) return "retry";
    const answer = await response.json();
    const byId = new Map(batch.map((entry) => [entry.id, entry]));
    for (const result of answer.results) {
      const entry = byId.get(result.id);
      if (!entry) continue;
      if (KEEP.has(result.status)) await remove(entry.id);
      else if (ATTENTION.has(result.status)) await needsAttention(entry, result.message, result.errors);
    }
    return "done";
  }

  // Send what is due for this user, one batch at a time. Items stay until the server answers
  // created or duplicate; network errors and 5xx keep them and try again later.
  async function flushNow(userId) {
    const due = (await forUser(userId)).filter(
      (entry) => entry.status === "waiting" && entry.nextAttemptAt <= Date.now(),
    );
    for (let start = 0; start < due.length; start += BATCH) {
      const batch = due.slice(start, start + BATCH);
      const outcome = await sendBatch(batch);
      if (outcome === "retry") {
        await Promise.all(due.slice(start).map(backOff));
        return outcome;
      }
      if (outcome === "signed-out") return outcome;
    }
    return "done";
  }

  // One flush at a time across tabs and the service worker.
  function flush(userId) {
    if (!userId) return Promise.resolve("signed-out");
    if (!root.navigator.locks) return flushNow(userId);
    return root.navigator.locks.request(LOCK, () => flushNow(userId));
  }

  async function flushForSignedInUser() {
    const response = await fetch(ME_URL, { credentials: "same-origin" }).catch(() => null);
    if (!response || !response.ok) return "signed-out";
    const me = await response.json();
    return flush(me.id);
  }

  async function resend(id) {
    const item = await get(id);
    if (item) await put({ ...item, status: "waiting", attempts: 0, nextAttemptAt: 0 });
  }

  root.ShiftOutbox = { add, replace, change, get, forUser, remove, resend, counts, flush, flushForSignedInUser };

  // --- signing out with no signal ---------------------------------------------------------
  // The session cookie cannot be removed by script, so a sign-out made with no signal is kept
  // (an entry in its own cache, which pages and the worker both read) and sent as soon as
  // there is signal, before any page is fetched with the old cookie.

  const SIGN_OUT_CACHE = "sign-out-waiting";
  const SIGN_OUT_URL = "/api/v1/auth/logout";

  async function endLater() {
    if (!root.caches) return; // not a secure context: no worker either, the form signs out
    const cache = await root.caches.open(SIGN_OUT_CACHE);
    await cache.put(SIGN_OUT_URL, new Response(""));
  }

  // "none" when no sign-out waits, "ended" when the server has just ended the session,
  // "waiting" when it could not be told yet.
  async function endIfAsked() {
    if (!root.caches || !(await root.caches.has(SIGN_OUT_CACHE))) return "none";
    const response = await fetch(SIGN_OUT_URL, { method: "POST", credentials: "same-origin" }).catch(() => null);
    if (!response || !response.ok) return "waiting";
    await root.caches.delete(SIGN_OUT_CACHE);
    return "ended";
  }

  root.ShiftSession = { endLater, endIfAsked };
})(self);
