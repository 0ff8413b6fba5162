// Shift Companion's service worker: the app shell, pages when there is no signal, sending
// the outbox (and a sign-out made with no signal) in the background where the browser offers
// Background Sync, and showing pushed notifications.
importScripts({{ outbox }});

const VERSION = {{ version }};
const SHELL = {{ shell }};
const SHELL_CACHE = `shell-${VERSION}`;
const PAGES_CACHE = "pages";
const OFFLINE_URL = "/offline";
const LOGIN_URL = "/login";
const HOME_URL = "/home";
const ICON = {{ icon }};
let forgotten = 0; // how many times the pages kept for a person were forgotten

self.addEventListener("install", (event) => {
  // No skipWaiting(): a new version waits until the person taps "Update", so a page never
  // reloads under a half-filled form. Fetched without the cookie: the shell is nobody's.
  const requests = SHELL.map((url) => new Request(url, { credentials: "omit" }));
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(requests)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("shell-") && name !== SHELL_CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const { type, urls } = event.data || {};
  if (type === "skip-waiting") self.skipWaiting();
  if (type === "forget-pages") event.waitUntil(forgetPages());
  if (type === "keep-pages") event.waitUntil(keepPages(urls || []));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // writes always go to the network; nothing is cached
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(event));
  } else if (SHELL.includes(url.pathname + url.search)) {
    event.respondWith(caches.match(request).then((found) => found || fetch(request)));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag === "sign-out") event.waitUntil(endSession());
  if (event.tag === "outbox") {
    event.waitUntil(endSession().then(() => ShiftOutbox.flushForSignedInUser()));
  }
});

async function endSession() {
  if ((await ShiftSession.endIfAsked()) === "waiting") throw new Error("no signal yet");
}

// A sign-out made with no signal reaches the server before any page is fetched with the old
// cookie; until it has, every page is the sign-in page. A page is shown as it arrives and kept
// for no signal meanwhile, unless the person signs out first. The server shows its sign-in page
// only to someone not signed in (a signed-in person is sent on), so that page forgets the pages
// kept, however the last sign-in ended: signed out before the page's scripts ran, timed out, or
// ended by a password change. The next person to pick up the phone never sees them.
async function navigate(event) {
  const request = event.request;
  const since = forgotten;
  if ((await ShiftSession.endIfAsked()) === "waiting") {
    if (new URL(request.url).pathname === LOGIN_URL) return caches.match(LOGIN_URL);
    return Response.redirect(LOGIN_URL, 303);
  }
  try {
    const response = await fetch(request);
    if (response.ok && new URL(request.url).pathname === LOGIN_URL) {
      event.waitUntil(forgetPages());
    } else if (response.ok && !response.redirected && isPage(response)) {
      const copy = response.clone();
      event.waitUntil(
        caches.open(PAGES_CACHE).then((cache) => keep(cache, request, copy, () => since === forgotten)),
      );
    }
    return response;
  } catch (error) {
    return (await caches.match(request)) || (await caches.match(OFFLINE_URL));
  }
}

function forgetPages() {
  forgotten += 1;
  return caches.delete(PAGES_CACHE);
}

async function keepPages(urls) {
  // Pages a person may need with no signal (the note form for each person at their site, the
  // outbox page); none of them if the person signs out meanwhile.
  const since = forgotten;
  const cache = await caches.open(PAGES_CACHE);
  await Promise.all(
    urls.map(async (url) => {
      // A page already kept stays as it is (opening it with signal refreshes it): replacing it
      // here would leave it missing for a moment, and the signal may go just then.
      if (await cache.match(url)) return;
      const response = await fetch(url, { credentials: "same-origin" }).catch(() => null);
      if (response && response.ok && !response.redirected && isPage(response)) {
        await keep(cache, url, response, () => since === forgotten);
      }
    }),
  );
}

// A page is read whole before it replaces the one kept: putting a response still arriving
// would lose the kept page, not only the new one, if the signal went halfway through.
async function keep(cache, request, response, stillWanted = () => true) {
  const body = await response.blob().catch(() => null);
  if (body === null || !stillWanted()) return;
  const { status, statusText, headers } = response;
  await cache.put(request, new Response(body, { status, statusText, headers }));
}

function isPage(response) {
  return (response.headers.get("content-type") || "").startsWith("text/html");
}

// --- notifications ------------------------------------------------------------------------

// A push always shows a notification, whatever arrives: a browser ends a subscription whose
// pushes show nothing (Safari does, at once). The server sends fixed wording as JSON:
// {title, body, url, tag}, where url is a path in this app and a repeat with the same tag
// replaces the one still shown.
const FALLBACK = { title: "Shift Companion", body: "Something is waiting for you. Open the app to see it." };

self.addEventListener("push", (event) => {
  const message = pushed(event);
  event.waitUntil(
    self.registration.showNotification(message.title, {
      body: message.body,
      tag: message.tag,
      icon: ICON,
      data: { url: message.url },
    }),
  );
});

function pushed(event) {
  let data = null;
  try {
    data = event.data ? event.data.json() : null;
  } catch (error) {
    data = null; // not JSON: the generic notification still shows
  }
  const text = (value) => (typeof value === "string" ? value.trim() : "");
  const fields = data !== null && typeof data === "object" ? data : {};
  const title = text(fields.title);
  return {
    title: title || FALLBACK.title,
    body: title ? text(fields.body) : FALLBACK.body,
    tag: text(fields.tag) || undefined,
    url: appPath(fields.url),
  };
}

// Only a path of this app is ever opened from a notification, never another site.
function appPath(url) {
  if (typeof url !== "string" || !url.startsWith("/") || url.startsWith("//") || url.startsWith("/\\")) {
    return HOME_URL;
  }
  const resolved = new URL(url, self.location.origin);
  if (resolved.origin !== self.location.origin) return HOME_URL;
  return resolved.pathname + resolved.search + resolved.hash;
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(openApp(appPath((event.notification.data || {}).url)));
});

// The app's open window, brought to the page the notification is about; or a new window.
async function openApp(path) {
  const target = new URL(path, self.location.origin).href;
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((client) => client.url === target) || windows[0];
  if (!open) return self.clients.openWindow(target);
  const shown = open.url === target ? open : (await open.navigate(target).catch(() => null)) || open;
  return shown.focus().catch(() => shown);
}
