// IndexedDB for the desk: the event's check-in list (offline copy) and the queue of scans that
// wait to be sent. One database per origin; rows carry the event's slug.
const DB_NAME = "events-desk";
const DB_VERSION = 1;

let opening = null;

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains("lists")) db.createObjectStore("lists", { keyPath: "slug" });
        if (!db.objectStoreNames.contains("queue")) {
          const queue = db.createObjectStore("queue", { keyPath: "nonce" });
          queue.createIndex("slug", "slug");
        }
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  return opening;
}

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function store(name, mode) {
  const db = await open();
  return db.transaction(name, mode).objectStore(name);
}

export async function saveList(slug, list) {
  return done((await store("lists", "readwrite")).put({ slug, list, saved_at: Date.now() }));
}

export async function loadList(slug) {
  const row = await done((await store("lists", "readonly")).get(slug));
  return row ? row.list : null;
}

export async function enqueue(slug, body) {
  return done((await store("queue", "readwrite")).put({ slug, nonce: body.nonce, body, queued_at: Date.now() }));
}

export async function queued(slug) {
  const rows = await done((await store("queue", "readonly")).index("slug").getAll(slug));
  return rows.sort((a, b) => a.queued_at - b.queued_at);
}

export async function dequeue(nonce) {
  return done((await store("queue", "readwrite")).delete(nonce));
}
