// The door's service worker: keeps the door pages and their scripts and styles, so that a door
// page reloaded without the network still opens (its door data then comes from the copy the
// page keeps in the browser). Pages are fetched from the network first; API calls are never
// kept, so that the page can tell when the network is gone.
"use strict";
const CACHE = "kassa-door-v1";
const ASSETS = ["/static/door.js", "/static/kassa.css", "/static/vendor/jsQR.js"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  // Keep the pages already open, which loaded before this worker existed.
  event.waitUntil(
    self.clients.claim()
      .then(() => self.clients.matchAll({ type: "window" }))
      .then((windows) => caches.open(CACHE).then((cache) =>
        Promise.all(windows.map((w) => cache.add(w.url).catch(() => {}))))),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method === "POST" && url.pathname === "/signout") {
    // Signing out forgets the kept pages: they list the audience's names.
    event.waitUntil(caches.delete(CACHE));
    return;
  }
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  const keep = request.mode === "navigate" ? url.pathname.startsWith("/door/") : ASSETS.includes(url.pathname);
  if (!keep) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.match(request).then((kept) => kept || Response.error())),
  );
});
