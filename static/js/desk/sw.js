// The desk's service worker, served at /desk/{slug}/sw.js with Service-Worker-Allowed so that
// its scope /desk/{slug} covers the page itself. It keeps the page, its JS/CSS and the vendored
// decoder so the desk opens without a network; the check-in API is never cached (the page keeps
// its own copy of the attendee list in IndexedDB and queues scans there).
const scope = new URL(self.registration.scope).pathname.replace(/\/$/, "");
const CACHE = `events-desk-v1:${scope}`;
const ASSETS = [
  scope,
  "/static/css/site.css",
  "/static/css/desk.css",
  "/static/js/desk/desk.js",
  "/static/js/desk/camera.js",
  "/static/js/desk/feedback.js",
  "/static/js/desk/store.js",
  "/static/vendor/zxing-wasm/zxing-reader.js",
  "/static/vendor/zxing-wasm/zxing_reader.wasm",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(ASSETS.map((url) => new Request(url, { credentials: "same-origin" })))),
  );
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("events-desk-") && key.endsWith(`:${scope}`) && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

function isAsset(url) {
  return url.origin === self.location.origin && (url.pathname === scope || ASSETS.includes(url.pathname));
}

// Network first (fresh code and a fresh CSRF token when online), the cached copy when not.
async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  const key = new URL(request.url).pathname;
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || !isAsset(url)) return;
  event.respondWith(networkFirst(event.request));
});
