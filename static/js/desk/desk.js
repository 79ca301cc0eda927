// The check-in desk. Talks to the check-in API (CHECKIN_CONTRACT.md); decides on the device
// from the offline list when the network is gone and queues those scans in IndexedDB.
import { Camera } from "./camera.js";
import { signal, unlockAudio } from "./feedback.js";
import * as store from "./store.js";

const config = JSON.parse(document.getElementById("desk-config").textContent);
const M = config.messages;
const slug = config.slug;
const $ = (id) => document.getElementById(id);
const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";

// Without JavaScript every panel shows and the forms post to the server; with it, they fold away.
for (const name of ["settings", "search", "walkin"]) $(`${name}-panel`).hidden = true;

const KEY_DESK = "events.desk.name";
const KEY_DOOR = `events.desk.door.${slug}`;
const KEY_LAST = `events.desk.last.${slug}`;
const LIST_REFRESH_MS = 60_000;
const SYNC_EVERY_MS = 5_000;
const COUNTS_EVERY_MS = 5_000;
const KIND = { ok: "ok", already_checked_in: "warn" };

const state = {
  desk: localStorage.getItem(KEY_DESK) || $("desk-name").value.trim(),
  door: localStorage.getItem(KEY_DOOR) || "",
  online: navigator.onLine,
  list: null,
  byToken: new Map(),
  byId: new Map(),
  sessionSeen: new Set(),
  waiting: 0,
  lastText: null,
  syncing: false,
};

function fmt(text, values = {}) {
  return text.replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));
}

const timeFormat = (() => {
  try {
    return new Intl.DateTimeFormat(config.language, {
      hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: config.timezone,
    });
  } catch {
    return new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", timeZone: config.timezone });
  }
})();
const localTime = (iso) => (iso ? timeFormat.format(new Date(iso)) : "");

function nonce() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function pick(text) {
  if (!text || typeof text === "string") return text || "";
  return text[config.language] || Object.values(text).find(Boolean) || "";
}

async function api(method, path, body) {
  const headers = { Accept: "application/json", "X-CSRF-Token": csrf };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const sep = path.includes("?") ? "&" : "?";
  return fetch(`${config.api}${path}${sep}lang=${config.language}`, {
    method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body),
  });
}

// --- status line: online/offline, scans waiting, live count -------------------------------

function setOnline(online) {
  state.online = online;
  const pill = $("net-status");
  pill.dataset.online = String(online);
  pill.textContent = online ? M.online : M.offline;
}

async function refreshWaiting() {
  state.waiting = (await store.queued(slug)).length;
  const pill = $("queue-count");
  pill.dataset.count = String(state.waiting);
  pill.textContent = state.waiting === 0 ? M.waiting_none : fmt(M.waiting, { count: state.waiting });
}

function showCounts(counts) {
  if (counts && typeof counts.checked_in === "number") {
    const pill = $("live-count");
    pill.dataset.checkedIn = String(counts.checked_in);
    pill.textContent = fmt(M.counts, { checked_in: counts.checked_in, confirmed: counts.confirmed });
  }
}

async function refreshCounts() {
  try {
    const response = await api("GET", "/checkin-counts");
    if (response.ok) showCounts(await response.json());
  } catch {
    /* offline: counted again when the network returns */
  }
}

// --- the offline list ------------------------------------------------------------------------

function index(list) {
  state.list = list;
  state.byToken = new Map();
  state.byId = new Map();
  for (const person of list?.registrations || []) {
    if (person.token) state.byToken.set(person.token, person);
    state.byId.set(person.id, person);
  }
  const door = $("door");
  const keep = state.door;
  door.replaceChildren(new Option(M.main_entrance, ""));
  for (const session of list?.sessions || []) {
    if (session.requires_checkin) {
      const when = session.starts_at ? `${localTime(session.starts_at)} · ` : "";
      door.append(new Option(`${when}${pick(session.title)}`, String(session.id)));
    }
  }
  door.value = [...door.options].some((o) => o.value === keep) ? keep : "";
  state.door = door.value;
  showWhere();
}

async function refreshList() {
  try {
    const response = await api("GET", "/checkin-list");
    if (!response.ok) return;
    const list = await response.json();
    setOnline(true);
    index(list);
    await store.saveList(slug, list);
  } catch {
    setOnline(false);
  }
}

function remember(person) {
  if (!state.list || !person) return;
  const known = state.byId.get(person.id);
  if (known) Object.assign(known, person);
  else {
    state.list.registrations.push(person);
    state.byId.set(person.id, person);
  }
  store.saveList(slug, state.list).catch(console.error);
}

function decideHere(body) {
  const person = body.registration_id != null ? state.byId.get(body.registration_id) : state.byToken.get(body.token);
  const answer = {
    status: "unknown", registration: person || null, first_checked_in_at: null, first_desk: null,
    checkin_id: null, undo_until: null, offline: true,
  };
  if (!person) return answer;
  if (person.status === "cancelled" || person.status === "rejected") answer.status = "cancelled";
  else if (person.status === "waitlisted") answer.status = "waitlisted";
  else if (person.status === "pending") answer.status = "pending";
  else if (body.session_id != null) {
    const key = `${person.id}:${body.session_id}`;
    answer.status = state.sessionSeen.has(key) ? "already_checked_in" : "ok";
    state.sessionSeen.add(key);
  } else if (person.checked_in_at) {
    Object.assign(answer, { status: "already_checked_in", first_checked_in_at: person.checked_in_at, first_desk: person.desk });
  } else {
    person.checked_in_at = body.scanned_at;
    person.desk = body.desk;
    store.saveList(slug, state.list).catch(console.error);
    answer.status = "ok";
  }
  return answer;
}

// --- showing an answer -------------------------------------------------------------------------

function show(answer) {
  const kind = KIND[answer.status] || "bad";
  const result = $("result");
  const person = answer.registration;
  result.dataset.kind = kind;
  result.dataset.status = answer.status;
  $("result-title").textContent = M[answer.status] || M.error;
  $("result-name").textContent = person ? `${person.given_name} ${person.family_name}` : "";
  $("result-organisation").textContent = person?.organisation || "";
  $("result-category").textContent = person ? config.categories[person.category] || person.category || "" : "";
  let detail = "";
  if (answer.status === "already_checked_in" && answer.first_checked_in_at) {
    detail = fmt(M.already_at, { time: localTime(answer.first_checked_in_at), desk: answer.first_desk || "?" });
  } else if (answer.status === "error") {
    detail = answer.message || "";
  }
  if (answer.offline) detail = `${detail} ${M.offline_decided}`.trim();
  $("result-detail").textContent = detail;
  const badge = $("result-badge");
  badge.hidden = !answer.badge_url;
  if (answer.badge_url) badge.href = answer.badge_url;
  result.hidden = false;
  $("announce").textContent = [$("result-title").textContent, $("result-name").textContent,
    $("result-organisation").textContent, $("result-category").textContent, detail].filter(Boolean).join(". ");
  signal(kind);
  camera?.pause();
}

function hideResult() {
  if ($("result").hidden) return;
  $("result").hidden = true;
  camera?.resume(state.lastText);
}

function showMessage(text, kind = "bad") {
  show({ status: "error", message: text, registration: null });
  $("result").dataset.kind = kind;
}

// --- undo --------------------------------------------------------------------------------------

function lastCheckin() {
  try {
    return JSON.parse(localStorage.getItem(KEY_LAST) || "null");
  } catch {
    return null;
  }
}

function setLast(value) {
  if (value) localStorage.setItem(KEY_LAST, JSON.stringify(value));
  else localStorage.removeItem(KEY_LAST);
  updateUndo();
}

function updateUndo() {
  const last = lastCheckin();
  const usable = last && last.checkin_id && last.desk === state.desk && Date.parse(last.undo_until) > Date.now();
  $("btn-undo").disabled = !usable;
}

async function undo() {
  const last = lastCheckin();
  if (!last?.checkin_id) return;
  try {
    const response = await api("POST", `/checkins/${last.checkin_id}/undo`, { desk: state.desk });
    const data = await response.json().catch(() => ({}));
    if (response.ok) {
      const person = state.byId.get(last.registration_id);
      if (person && !last.session_id) Object.assign(person, { checked_in_at: null, desk: null });
      if (person) store.saveList(slug, state.list).catch(console.error);
      setLast(null);
      show({ status: "undone", registration: person || null });
      $("result").dataset.kind = "warn";
      $("result-title").textContent = M.undone;
      return;
    }
    setLast(null);
    showMessage(M[data.code] || data.message || data.detail || M.error);
  } catch {
    showMessage(M.offline_unavailable);
  }
}

// --- scanning ----------------------------------------------------------------------------------

function afterAnswer(answer, body) {
  if (answer.registration && !body.session_id && (answer.status === "ok" || answer.status === "already_checked_in")) {
    const person = state.byId.get(answer.registration.id);
    if (person && !person.checked_in_at) {
      Object.assign(person, { checked_in_at: answer.first_checked_in_at || body.scanned_at, desk: answer.first_desk || body.desk });
      store.saveList(slug, state.list).catch(console.error);
    }
  }
  if (answer.status === "ok") {
    setLast({
      nonce: body.nonce, desk: body.desk, session_id: body.session_id, checkin_id: answer.checkin_id,
      undo_until: answer.undo_until, registration_id: answer.registration?.id,
    });
  }
}

const RETRY_LATER = new Set([0, 429, 502, 503, 504]);
// What an offline desk showed, as the check-in API's "shown" takes it.
const SHOWN = { ok: "admitted", already_checked_in: "already" };

async function scan(what) {
  hideResult();
  if (!state.desk) {
    openPanel("settings");
    $("announce").textContent = M.desk_required;
    return;
  }
  const body = {
    token: what.token ?? null,
    registration_id: what.registration_id ?? null,
    nonce: nonce(),
    scanned_at: new Date().toISOString(),
    desk: state.desk,
    session_id: state.door ? Number(state.door) : null,
    offline: false,
  };
  if (navigator.onLine) {
    try {
      const response = await api("POST", "/checkins", body);
      if (response.ok) {
        setOnline(true);
        const answer = await response.json();
        show(answer);
        afterAnswer(answer, body);
        refreshCounts();
        if (state.waiting) sync();
        return;
      }
      if (!RETRY_LATER.has(response.status)) {
        const data = await response.json().catch(() => ({}));
        showMessage(data.message || data.detail || M.error);
        return;
      }
    } catch {
      setOnline(false);
    }
  } else {
    setOnline(false);
  }
  body.offline = true;
  const answer = decideHere(body);
  // The server flags a double admission only when this device let the person in (green).
  body.shown = SHOWN[answer.status] || "refused";
  await store.enqueue(slug, body);
  await refreshWaiting();
  show(answer);
  if (answer.status === "ok") setLast({ nonce: body.nonce, desk: body.desk, session_id: body.session_id, checkin_id: null, registration_id: answer.registration?.id });
}

async function sync() {
  if (state.syncing || !navigator.onLine) return;
  state.syncing = true;
  let sent = 0;
  try {
    for (const row of await store.queued(slug)) {
      let response;
      try {
        response = await api("POST", "/checkins", row.body);
      } catch {
        setOnline(false);
        break;
      }
      if (RETRY_LATER.has(response.status) || response.status === 401 || response.status === 403) break;
      setOnline(true);
      if (response.ok) {
        const answer = await response.json();
        const last = lastCheckin();
        if (last && last.nonce === row.nonce && answer.status === "ok") setLast({ ...last, checkin_id: answer.checkin_id, undo_until: answer.undo_until });
      }
      // Any other answer is final for this scan (sent again it would be answered the same).
      await store.dequeue(row.nonce);
      sent += 1;
    }
  } finally {
    state.syncing = false;
    await refreshWaiting();
    if (sent) refreshCounts();
  }
}

// --- search and walk-ins ------------------------------------------------------------------------

function searchHere(q) {
  const needle = q.toLocaleLowerCase();
  return (state.list?.registrations || [])
    .filter((p) => `${p.given_name} ${p.family_name} ${p.family_name} ${p.given_name} ${p.organisation || ""}`.toLocaleLowerCase().includes(needle))
    .slice(0, 20);
}

async function search(q) {
  let results = null;
  if (navigator.onLine) {
    try {
      const response = await api("GET", `/checkin-search?q=${encodeURIComponent(q)}`);
      if (response.ok) results = (await response.json()).results;
    } catch {
      setOnline(false);
    }
  }
  if (results === null) results = searchHere(q);
  const list = $("search-results");
  list.replaceChildren();
  if (!results.length) {
    const li = document.createElement("li");
    li.textContent = M.no_results;
    list.append(li);
    return;
  }
  for (const person of results) {
    const li = document.createElement("li");
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = `${person.given_name} ${person.family_name}`;
    const small = document.createElement("small");
    small.textContent = [person.organisation, config.categories[person.category] || person.category].filter(Boolean).join(" · ");
    who.append(small);
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = M.check_in;
    button.addEventListener("click", () => scan({ registration_id: person.id }));
    li.append(who, button);
    list.append(li);
  }
}

async function walkIn(form) {
  const error = $("walkin-error");
  error.hidden = true;
  if (!state.desk) {
    openPanel("settings");
    return;
  }
  const data = Object.fromEntries(new FormData(form).entries());
  const body = {
    given_name: data.given_name.trim(), family_name: data.family_name.trim(),
    organisation: data.organisation.trim(), country: data.country, category: data.category,
    email: data.email.trim() || null, desk: state.desk, nonce: nonce(),
  };
  let response;
  try {
    response = await api("POST", "/walk-ins", body);
  } catch {
    setOnline(false);
    error.textContent = M.offline_unavailable;
    error.hidden = false;
    return;
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    error.textContent = [M.walkin_error, answer.message || answer.detail].filter(Boolean).join(": ");
    error.hidden = false;
    return;
  }
  form.reset();
  closePanels();
  remember({ ...answer.registration, checked_in_at: answer.checkin?.first_checked_in_at || new Date().toISOString(), desk: state.desk });
  const checkin = answer.checkin || { status: "ok" };
  show({ ...checkin, registration: checkin.registration || answer.registration, badge_url: answer.badge_url });
  $("result-detail").textContent = M.walkin_done;
  afterAnswer(checkin, { nonce: body.nonce, desk: body.desk, session_id: null, scanned_at: new Date().toISOString() });
  refreshCounts();
}

// --- panels, desk name, door --------------------------------------------------------------------

const PANELS = { settings: "btn-settings", search: "btn-search", walkin: "btn-walkin" };

function openPanel(name) {
  for (const [panel, button] of Object.entries(PANELS)) {
    const open = panel === name;
    $(`${panel}-panel`).hidden = !open;
    $(button).setAttribute("aria-expanded", String(open));
  }
  const first = { settings: "desk-name", search: "search-input", walkin: "walkin-given" }[name];
  $(first)?.focus();
}

function closePanels() {
  for (const [panel, button] of Object.entries(PANELS)) {
    $(`${panel}-panel`).hidden = true;
    $(button).setAttribute("aria-expanded", "false");
  }
  $("scan-input").focus();
}

function togglePanel(name) {
  if ($(`${name}-panel`).hidden) openPanel(name);
  else closePanels();
}

function showWhere() {
  $("desk-label").textContent = state.desk || "—";
  const door = $("door");
  $("door-label").textContent = door.selectedOptions[0]?.textContent || M.main_entrance;
}

let camera = null;

async function toggleCamera() {
  const button = $("btn-camera");
  if (camera?.running) {
    camera.stop();
    $("camera").hidden = true;
    button.setAttribute("aria-pressed", "false");
    $("scan-input").focus();
    return;
  }
  camera = camera || new Camera($("camera-video"), config.wasm, (text) => {
    state.lastText = text;
    scan({ token: text.trim() });
  });
  $("camera").hidden = false;
  button.setAttribute("aria-pressed", "true");
  try {
    await camera.start();
    $("announce").textContent = M.camera_on;
  } catch (error) {
    console.error(error);
    camera.stop();
    $("camera").hidden = true;
    button.setAttribute("aria-pressed", "false");
    showMessage(M.camera_error);
  }
}

function wire() {
  document.addEventListener("pointerdown", unlockAudio, { once: true });
  document.addEventListener("keydown", unlockAudio, { once: true });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      hideResult();
      closePanels();
    }
  });
  $("scan-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("scan-input");
    const token = input.value.trim();
    input.value = "";
    if (!token) hideResult();
    else scan({ token });
    input.focus();
  });
  $("result-next").addEventListener("click", (event) => {
    event.preventDefault();
    hideResult();
    $("scan-input").focus();
  });
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const q = $("search-input").value.trim();
    if (q.length >= 2) search(q);
  });
  $("walkin-form").addEventListener("submit", (event) => {
    event.preventDefault();
    walkIn(event.target);
  });
  $("settings-form").addEventListener("submit", (event) => {
    event.preventDefault();
    state.desk = $("desk-name").value.trim().slice(0, 40);
    state.door = $("door").value;
    if (!state.desk) return;
    localStorage.setItem(KEY_DESK, state.desk);
    localStorage.setItem(KEY_DOOR, state.door);
    showWhere();
    updateUndo();
    closePanels();
  });
  $("btn-camera").addEventListener("click", toggleCamera);
  $("btn-search").addEventListener("click", () => togglePanel("search"));
  $("btn-walkin").addEventListener("click", () => togglePanel("walkin"));
  $("btn-settings").addEventListener("click", () => togglePanel("settings"));
  $("btn-undo").addEventListener("click", undo);
  window.addEventListener("online", () => {
    setOnline(true);
    sync();
    refreshList();
    refreshCounts();
  });
  window.addEventListener("offline", () => setOnline(false));
}

async function start() {
  wire();
  $("desk-name").value = state.desk;
  showWhere();
  setOnline(navigator.onLine);
  try {
    index(await store.loadList(slug));
  } catch (error) {
    console.error(error);
  }
  await refreshWaiting();
  updateUndo();
  if (state.desk) $("scan-input").focus();
  else openPanel("settings");
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.serviceWorker, { scope: config.scope }).catch(console.error);
  }
  await refreshList();
  refreshCounts();
  sync();
  setInterval(() => {
    if (state.waiting) sync();
    updateUndo();
  }, SYNC_EVERY_MS);
  setInterval(refreshList, LIST_REFRESH_MS);
  // Counts by polling, not the checkin-stream: a desk needs no second-by-second update, and
  // fifty desks each holding a stream would hold fifty server connections.
  setInterval(() => {
    if (navigator.onLine) refreshCounts();
  }, COUNTS_EVERY_MS);
  document.body.dataset.deskReady = "true";
}

start();
