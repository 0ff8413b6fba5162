// Shift Companion's service worker: the app shell, pages when there is no signal, and sending
// the outbox in the background where the browser offers Background Sync.
importScripts({{ outbox }});

const VERSION = {{ version }};
const SHELL = {{ shell }};
const SHELL_CACHE = `shell-${VERSION}`;
const PAGES_CACHE = "pages";
const OFFLINE_URL = "/offline";

self.addEventListener("install", (event) => {
  // No skipWaiting(): a new version waits until the person taps "Update", so a page never
  // reloads under a half-filled form.
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)));
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
  if (type === "forget-pages") event.waitUntil(caches.delete(PAGES_CACHE));
  if (type === "keep-pages") event.waitUntil(keepPages(urls || []));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // writes always go to the network; nothing is cached
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (SHELL.includes(url.pathname + url.search)) {
    event.respondWith(caches.match(request).then((found) => found || fetch(request)));
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirst(request));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag === "outbox") event.waitUntil(ShiftOutbox.flushForSignedInUser());
});

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected && isPage(response)) {
      const cache = await caches.open(PAGES_CACHE);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const pages = await caches.open(PAGES_CACHE);
    return (await pages.match(request)) || (await caches.match(OFFLINE_URL));
  }
}

async function keepPages(urls) {
  // Pages a person may need with no signal (the note form for each person at their site).
  const cache = await caches.open(PAGES_CACHE);
  await Promise.all(
    urls.map(async (url) => {
      const response = await fetch(url, { credentials: "same-origin" }).catch(() => null);
      if (response && response.ok && !response.redirected && isPage(response)) {
        await cache.put(url, response);
      }
    }),
  );
}

function isPage(response) {
  return (response.headers.get("content-type") || "").startsWith("text/html");
}
