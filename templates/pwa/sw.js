// Shift Companion's service worker: the app shell, pages when there is no signal, and sending
// the outbox (and a sign-out made with no signal) in the background where the browser offers
// Background Sync.
importScripts({{ outbox }});

const VERSION = {{ version }};
const SHELL = {{ shell }};
const SHELL_CACHE = `shell-${VERSION}`;
const PAGES_CACHE = "pages";
const OFFLINE_URL = "/offline";
const LOGIN_URL = "/login";
let forgotten = 0; // how many times this person's pages were forgotten (signing out)

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
  if (type === "forget-pages") {
    forgotten += 1;
    event.waitUntil(caches.delete(PAGES_CACHE));
  }
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
// for no signal meanwhile, unless the person signs out first.
async function navigate(event) {
  const request = event.request;
  const since = forgotten;
  if ((await ShiftSession.endIfAsked()) === "waiting") {
    if (new URL(request.url).pathname === LOGIN_URL) return caches.match(LOGIN_URL);
    return Response.redirect(LOGIN_URL, 303);
  }
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected && isPage(response)) {
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
