/* LE DAMIER door check-in: camera (jsQR), hardware scanner, search, undo, offline mode.
 *
 * The page holds no secret: a device token (from the pairing link /door#pair=<token>) lives in
 * localStorage and authenticates every API call. Offline, codes are verified locally with the
 * event's Ed25519 public key (WebCrypto) against the downloaded ticket list, and scans wait in
 * IndexedDB until the network returns; the server then reconciles them (earliest scan wins).
 */
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const root = $("door");
  const T = JSON.parse(root.dataset.i18n);
  const LS_DEVICES = "ld-door-devices";
  const LS_CURRENT = "ld-door-current";
  const STATES = ["valid", "checked_in", "cancelled", "refunded", "unpaid"];

  let devices = JSON.parse(localStorage.getItem(LS_DEVICES) || "{}");
  let current = null;
  let list = null; // {byId: Map(ticketId -> entry), byCode: Map(short code -> ticketId), types, keyVersion, event}
  let publicKey = null;
  let lastOk = null;
  const seen = new Map(); // code -> last time seen by the camera
  let syncing = false;

  // ---- small helpers ------------------------------------------------------------------------
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  }
  function b64urlDecode(text) {
    if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
    const pad = "=".repeat((4 - (text.length % 4)) % 4);
    const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/") + pad);
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  }
  function b64urlEncode(bytes) {
    return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function saveDevices() {
    localStorage.setItem(LS_DEVICES, JSON.stringify(devices));
  }
  function doorName() {
    return ($("door-name").value || (current && current.door) || "").trim();
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (_m, key) => (values[key] === undefined ? "" : String(values[key])));
  }
  function clock(iso) {
    return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }
  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // ---- short ticket codes (ticketing/shortcode.py): 9 symbols, the last a Luhn mod 32 check --------
  const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  function normaliseCode(text) {
    return (text || "").replace(/[\s\-._]/g, "").toUpperCase();
  }
  function looksLikeShortCode(text) {
    const code = normaliseCode(text);
    return code.length === 9 && [...code].every((c) => ALPHABET.includes(c));
  }
  function shortCodeChecks(code) {
    const values = [...code].map((c) => ALPHABET.indexOf(c));
    let total = 0;
    let factor = 2;
    for (let i = 7; i >= 0; i -= 1) {
      const addend = factor * values[i];
      total += Math.floor(addend / 32) + (addend % 32);
      factor = 3 - factor;
    }
    return (32 - (total % 32)) % 32 === values[8];
  }
  function displayCode(code) {
    return code ? `${code.slice(0, 3)}-${code.slice(3, 6)}-${code.slice(6)}` : "";
  }
  function alreadyText(at, door, by) {
    const time = at ? clock(at) : "";
    if (door && by) return fill(T.already_at_door_by, { time, door, by });
    if (by) return fill(T.already_at_by, { time, by });
    return fill(T.already_at, { time });
  }

  // ---- IndexedDB: pending scans and the downloaded lists -------------------------------------
  let dbPromise = null;
  function idb() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const req = indexedDB.open("ld-door", 1);
        req.onupgradeneeded = () => {
          req.result.createObjectStore("scans", { keyPath: "scan_id" });
          req.result.createObjectStore("lists", { keyPath: "event" });
        };
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    }
    return dbPromise;
  }
  async function store(name, mode, fn) {
    const db = await idb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(name, mode);
      const req = fn(tx.objectStore(name));
      tx.oncomplete = () => resolve(req ? req.result : undefined);
      tx.onerror = () => reject(tx.error);
    });
  }
  const putScan = (scan) => store("scans", "readwrite", (s) => s.put(scan));
  const deleteScan = (id) => store("scans", "readwrite", (s) => s.delete(id));
  const allScans = () => store("scans", "readonly", (s) => s.getAll());
  const putList = (data) => store("lists", "readwrite", (s) => s.put(data));
  const getList = (event) => store("lists", "readonly", (s) => s.get(event));

  // ---- the API ------------------------------------------------------------------------------
  class AuthError extends Error {}
  async function api(method, url, body) {
    const response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${current.token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
    if (response.status === 401) throw new AuthError("revoked");
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const err = new Error(data.detail || response.statusText);
      err.status = response.status;
      throw err;
    }
    return data;
  }

  // ---- results: colour, sound, vibration ----------------------------------------------------
  let audio = null;
  function beep(ok) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const tones = ok ? [[880, 0, 0.12]] : [[220, 0, 0.18], [180, 0.22, 0.3]];
      for (const [freq, start, end] of tones) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.frequency.value = freq;
        osc.type = ok ? "sine" : "square";
        gain.gain.value = 0.2;
        osc.connect(gain).connect(audio.destination);
        osc.start(audio.currentTime + start);
        osc.stop(audio.currentTime + end);
      }
    } catch (e) {
      /* no audio on this device */
    }
    if (navigator.vibrate) navigator.vibrate(ok ? 120 : [200, 100, 200]);
  }

  function show(result, offline) {
    const box = $("result");
    const status = result.status;
    box.className = `result ${status}`;
    box.dataset.status = status;
    box.dataset.offline = offline ? "1" : "0";
    $("result-title").textContent = T[status] || status;
    const t = result.ticket || {};
    $("result-name").textContent = t.name || t.initials || (result.reason === "unknown_ticket" ? T.unknown_ticket : "");
    const detail = [];
    if (t.ticket_type) detail.push(t.ticket_type);
    if (t.organisation) detail.push(t.organisation);
    if (t.code) detail.push(displayCode(normaliseCode(t.code)));
    if (offline) detail.push(`(${T.verified_offline})`);
    $("result-detail").textContent = detail.join(" · ");
    $("result-why").textContent = result.explanation || "";
    lastOk = status === "ok" && result.checkin_id ? result : null;
    $("undo").hidden = !lastOk;
    beep(status === "ok");
  }

  // ---- offline verification -----------------------------------------------------------------
  async function importKey(info) {
    publicKey = null;
    try {
      publicKey = await crypto.subtle.importKey("raw", b64urlDecode(info.public_key), { name: "Ed25519" }, false, [
        "verify",
      ]);
    } catch (e) {
      publicKey = null;
    }
  }

  async function verifyLocal(code) {
    if (!code.startsWith("LD1") || !publicKey || !list) return null;
    const body = code.slice(3);
    const raw = b64urlDecode(body);
    if (!raw || raw.length !== 75 || b64urlEncode(raw) !== body) return null;
    const head = raw.slice(0, 11);
    const view = new DataView(head.buffer);
    if (view.getUint8(0) !== 1 || view.getUint16(1) !== list.keyVersion) return null;
    const valid = await crypto.subtle.verify({ name: "Ed25519" }, publicKey, raw.slice(11), head);
    if (!valid) return null;
    return { event: view.getUint32(3), ticket: view.getUint32(7) };
  }

  function refusal(status, reason) {
    return { status, reason, explanation: T.reasons[reason] || "" };
  }

  async function offlineCheck(scan) {
    let signed = null;
    if (scan.code && scan.code.startsWith("LD1")) signed = await verifyLocal(scan.code);
    else if (scan.code) {
      const id = list && list.byCode.get(normaliseCode(scan.code));
      if (!id) return { ...refusal("invalid", "unknown_ticket"), explanation: T.not_in_list };
      signed = { event: current.event, ticket: id };
    } else signed = { event: current.event, ticket: scan.ticket_id };
    if (!signed) return refusal("invalid", "bad_signature");
    if (signed.event !== current.event) return refusal("wrong_event", "wrong_event"); // names nobody
    const entry = list && list.byId.get(signed.ticket);
    if (!entry) return { ...refusal("invalid", "unknown_ticket"), explanation: T.not_in_list };
    const ticket = {
      id: signed.ticket,
      name: entry.name,
      initials: entry.initials,
      code: entry.code,
      ticket_type: list.types[String(entry.type)] || "",
    };
    const state = STATES[entry.state];
    if (state === "checked_in") {
      return { status: "already", reason: "already", ticket, explanation: alreadyText(entry.at, entry.door, entry.by) };
    }
    if (state !== "valid") return { ...refusal(state, entry.reason || state), ticket };
    const at = new Date().toISOString();
    // Admitted here: a second scan on this device says "already", and when.
    Object.assign(entry, { state: 1, reason: "already", at, door: doorName(), by: T.this_phone });
    await putScan({ ...scan, ticket_id: signed.ticket, accepted: true, event: current.event, token: current.token });
    await updatePending();
    return { status: "ok", ticket };
  }

  // ---- scanning -----------------------------------------------------------------------------
  // Typed or scanned text: a signed QR code, a short ticket code (checked locally first: a typo is
  // caught at once), or anything else (an order reference, a name): searched.
  async function handleTyped(text) {
    const value = (text || "").trim();
    if (!value) return;
    if (value.startsWith("LD1")) return handleCode(value);
    if (looksLikeShortCode(value)) {
      const code = normaliseCode(value);
      if (!shortCodeChecks(code)) {
        return show({ ...refusal("invalid", "typo"), ticket: { name: displayCode(code) } }, false);
      }
      return handleCode(code);
    }
    $("search").value = value;
    const count = await runSearch(value);
    const box = $("result");
    box.className = "result idle";
    box.dataset.status = "search";
    $("result-title").textContent = T.search;
    $("result-name").textContent = "";
    $("result-detail").textContent = "";
    $("result-why").textContent = count ? fill(T.searching, { q: value }) : T.no_match;
    $("undo").hidden = true;
  }

  async function handleCode(text, ticketId) {
    if (!current) return;
    const scan = { scan_id: uuid(), scanned_at: new Date().toISOString(), door: doorName() };
    if (ticketId) scan.ticket_id = ticketId;
    else scan.code = text.trim();
    if (!scan.code && !scan.ticket_id) return;
    let result = null;
    if (navigator.onLine) {
      try {
        result = await api("POST", "/api/devices/redeem", scan);
      } catch (e) {
        if (e instanceof AuthError) return notPaired(true);
        if (e.status) result = { status: "invalid", reason: e.message };
        result = result || null; // network failure: decide offline
      }
    }
    if (result) {
      show(result, false);
      if (result.status === "ok" && list && result.ticket) {
        const entry = list.byId.get(result.ticket.id);
        if (entry) Object.assign(entry, { state: 1, reason: "already", at: scan.scanned_at, door: doorName(), by: current.name });
      }
      refreshCounters();
    } else {
      show(await offlineCheck(scan), true);
    }
  }

  const video = $("video");
  const canvas = $("canvas");
  let stream = null;
  async function startCamera() {
    if (stream || !navigator.mediaDevices) return;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      video.srcObject = stream;
      await video.play();
      requestAnimationFrame(tick);
    } catch (e) {
      stream = null;
      $("result-detail").textContent = T.camera_error;
    }
  }
  function stopCamera() {
    if (!stream) return;
    stream.getTracks().forEach((t) => t.stop());
    stream = null;
  }
  let lastDecode = 0;
  function tick(now) {
    if (!stream) return;
    if (now - lastDecode > 150 && video.readyState >= 2 && window.jsQR) {
      lastDecode = now;
      const w = video.videoWidth;
      const h = video.videoHeight;
      if (w && h) {
        canvas.width = w;
        canvas.height = h;
        const ctx = canvas.getContext("2d", { willReadFrequently: true });
        ctx.drawImage(video, 0, 0, w, h);
        const found = window.jsQR(ctx.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: "dontInvert" });
        if (found && found.data) {
          const previous = seen.get(found.data) || 0;
          seen.set(found.data, Date.now());
          if (Date.now() - previous > 5000) handleCode(found.data);
        }
      }
    }
    requestAnimationFrame(tick);
  }

  // ---- devices, lists, sync -----------------------------------------------------------------
  function notPaired(revoked) {
    if (revoked && current) {
      delete devices[current.event];
      saveDevices();
      current = null;
    }
    $("setup").hidden = false;
    $("setup-text").textContent = T.no_device;
    renderDevices();
  }

  function renderDevices() {
    const select = $("device-select");
    select.innerHTML = "";
    for (const d of Object.values(devices)) {
      const opt = document.createElement("option");
      opt.value = d.event;
      opt.textContent = `${d.title} — ${d.name}`;
      opt.selected = current && current.event === d.event;
      select.appendChild(opt);
    }
    $("setup").hidden = Object.keys(devices).length > 1 ? false : $("setup").hidden;
  }

  async function pairFromHash() {
    const match = location.hash.match(/pair=([A-Za-z0-9_-]+)/);
    if (!match) return;
    history.replaceState(null, "", location.pathname);
    const token = match[1];
    const response = await fetch("/api/devices/me", { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) return notPaired(false);
    const me = await response.json();
    devices[me.event.id] = { token, event: me.event.id, title: me.event.title, name: me.name, door: me.door };
    saveDevices();
    localStorage.setItem(LS_CURRENT, String(me.event.id));
  }

  async function select(eventId) {
    current = devices[eventId] || null;
    if (!current) return notPaired(false);
    localStorage.setItem(LS_CURRENT, String(current.event));
    $("event-title").textContent = current.title;
    $("device-name").textContent = current.name;
    $("door-name").value = localStorage.getItem(`ld-door-door-${current.event}`) || current.door || "";
    const cached = await getList(current.event);
    if (cached) await useList(cached.data);
    await downloadList();
    refreshCounters();
  }

  async function useList(data) {
    // Rows: [ticket id, state, initials, ticket type id, short code, name, reason, checked in at, door, by]
    // (trailing empty fields left out).
    const byId = new Map();
    const byCode = new Map();
    for (const t of data.tickets) {
      byId.set(t[0], {
        state: t[1],
        initials: t[2],
        type: t[3],
        code: t[4] || "",
        name: t[5] || "",
        folded: fold(t[5]),
        reason: t[6] || "",
        at: t[7] || "",
        door: t[8] || "",
        by: t[9] || "",
      });
      if (t[4]) byCode.set(t[4], t[0]);
    }
    list = { event: data.event, keyVersion: data.key.key_version, types: data.types, byId, byCode };
    await importKey(data.key);
    // Scans made offline and not uploaded yet stay "checked in" on this device.
    for (const scan of await allScans()) {
      const entry = scan.event === data.event && list.byId.get(scan.ticket_id);
      if (entry) Object.assign(entry, { state: 1, reason: "already", at: scan.scanned_at, door: scan.door, by: T.this_phone });
    }
    root.dataset.listSize = String(list.byId.size);
  }

  async function downloadList() {
    if (!current || !navigator.onLine) return;
    try {
      const data = await api("GET", "/api/devices/tickets");
      await putList({ event: data.event, data });
      await useList(data);
      root.dataset.ready = "1";
    } catch (e) {
      if (e instanceof AuthError) notPaired(true);
    }
  }

  async function updatePending() {
    const scans = await allScans();
    $("pending").textContent = scans.length ? `${scans.length} ${T.pending}` : "";
    root.dataset.pending = String(scans.length);
    return scans;
  }

  async function flush() {
    if (syncing || !navigator.onLine) return;
    syncing = true;
    try {
      const pending = await updatePending();
      const byDevice = new Map();
      for (const s of pending) {
        // A phone re-paired for the same event uploads its earlier scans with its new token.
        const token = (devices[s.event] && devices[s.event].token) || s.token;
        if (!byDevice.has(token)) byDevice.set(token, []);
        byDevice.get(token).push(s);
      }
      let flagged = 0;
      for (const [token, scans] of byDevice) {
        const response = await fetch("/api/devices/scans", {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({
            scans: scans.map(({ scan_id, code, ticket_id, scanned_at, door, accepted }) => ({
              scan_id,
              code,
              ticket_id,
              scanned_at,
              door,
              accepted,
            })),
          }),
        });
        if (response.status === 401) {
          // Revoked: the scans stay on this phone (never dropped) until it is paired again.
          if (current && current.token === token) notPaired(true);
          continue;
        }
        if (!response.ok) continue;
        const body = await response.json();
        flagged += body.results.filter((r) => r.flag).length;
        for (const s of scans) await deleteScan(s.scan_id);
      }
      if (pending.length) {
        $("result-detail").textContent = flagged ? `${T.synced} · ${flagged} ${T.conflicts}` : T.synced;
        root.dataset.synced = String(Number(root.dataset.synced || 0) + pending.length);
        await downloadList();
      }
      await updatePending();
    } catch (e) {
      /* still offline: retry later */
    } finally {
      syncing = false;
    }
  }

  async function refreshCounters() {
    if (!current || !navigator.onLine) return;
    try {
      const c = await api("GET", "/api/devices/counters");
      $("count-total").textContent = `${c.checked_in} / ${c.expected}`;
      $("count-types").innerHTML = "";
      for (const t of c.by_type) {
        const row = $("count-types").insertRow();
        row.insertCell().textContent = t.name;
        row.insertCell().textContent = `${t.checked_in} / ${t.expected}`;
      }
      $("count-doors").innerHTML = "";
      for (const d of c.by_door) {
        const row = $("count-doors").insertRow();
        row.insertCell().textContent = d.door;
        row.insertCell().textContent = String(d.checked_in);
      }
    } catch (e) {
      /* offline or revoked: keep the last figures */
    }
  }

  function setNet() {
    $("net").textContent = navigator.onLine ? T.online : T.offline;
    $("net").className = navigator.onLine ? "net on" : "net off";
    root.dataset.online = navigator.onLine ? "1" : "0";
  }

  // ---- search and undo ----------------------------------------------------------------------
  // Offline: the downloaded list, by name (accents and case ignored) or short code.
  function searchLocal(q) {
    if (!list) return [];
    const folded = fold(q);
    const code = normaliseCode(q);
    const found = [];
    for (const [id, e] of list.byId) {
      if (e.code === code || (folded.length >= 2 && e.folded.includes(folded))) {
        const state = e.state === 1 ? "in" : STATES[e.state];
        let explanation = "";
        if (e.state === 1) explanation = alreadyText(e.at, e.door, e.by);
        else if (state !== "valid") explanation = T.reasons[e.reason] || T.reasons[state] || "";
        found.push({ id, name: e.name, code: e.code, organisation: "", email: "", ticket_type: list.types[String(e.type)] || "", state, explanation });
        if (found.length >= 20) break;
      }
    }
    return found.sort((a, b) => a.name.localeCompare(b.name));
  }

  async function runSearch(q) {
    const ul = $("search-results");
    ul.innerHTML = "";
    if (!current || q.length < 2) return 0;
    let found = null;
    if (navigator.onLine) {
      try {
        found = await api("GET", `/api/devices/search?q=${encodeURIComponent(q)}`);
      } catch (e) {
        if (e instanceof AuthError) {
          notPaired(true);
          return 0;
        }
        found = null; // the network failed: search the downloaded list
      }
    }
    if (found === null) found = searchLocal(q);
    if (!Array.isArray(found)) found = [];
    if (!found.length) {
      const li = document.createElement("li");
      li.textContent = T.no_match;
      ul.appendChild(li);
    }
    for (const f of found) {
      const li = document.createElement("li");
      li.dataset.state = f.state;
      const who = document.createElement("div");
      who.className = "who";
      const name = document.createElement("strong");
      name.textContent = f.name;
      who.appendChild(name);
      const facts = [f.organisation || f.email, f.ticket_type, f.code && displayCode(normaliseCode(f.code))];
      const detail = document.createElement("span");
      detail.className = "facts";
      detail.textContent = facts.filter(Boolean).join(" · ");
      who.appendChild(detail);
      li.appendChild(who);
      if (f.state === "valid") {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = T.check_in;
        button.dataset.ticket = f.id;
        button.addEventListener("click", () => handleCode("", f.id));
        li.appendChild(button);
      } else {
        // Never a grey button without a reason: say why this ticket cannot enter.
        const why = document.createElement("span");
        why.className = `why ${f.state}`;
        why.dataset.testid = "search-why";
        why.textContent = f.explanation || T.reasons[f.reason] || T[f.state] || f.state;
        who.appendChild(why);
      }
      ul.appendChild(li);
    }
    return found.length;
  }

  $("search-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    await runSearch($("search").value.trim());
  });

  $("undo").addEventListener("click", async () => {
    if (!lastOk) return;
    try {
      await api("POST", "/api/devices/undo", { checkin_id: lastOk.checkin_id });
      const entry = list && lastOk.ticket && list.byId.get(lastOk.ticket.id);
      if (entry) Object.assign(entry, { state: 0, reason: "", at: "", door: "", by: "" });
      $("result").className = "result idle";
      $("result").dataset.status = "undone";
      $("result-title").textContent = T.undone;
      $("undo").hidden = true;
      lastOk = null;
      refreshCounters();
    } catch (e) {
      $("result-detail").textContent = e.message;
    }
  });

  // Keyboard-wedge scanners type the code then Enter into the focused field.
  const wedge = $("wedge");
  wedge.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const text = wedge.value;
    wedge.value = "";
    handleTyped(text);
  });
  document.addEventListener("click", (event) => {
    if (!event.target.closest("input, select, button, form")) wedge.focus();
  });

  $("camera").addEventListener("click", () => {
    // Remembered: a door that works with a hardware scanner keeps the camera off after a reload.
    localStorage.setItem("ld-door-camera", stream ? "off" : "on");
    return stream ? stopCamera() : startCamera();
  });
  $("device-select").addEventListener("change", (event) => select(Number(event.target.value)));
  $("door-name").addEventListener("change", () => {
    if (current) localStorage.setItem(`ld-door-door-${current.event}`, doorName());
  });
  window.addEventListener("online", () => {
    setNet();
    flush();
  });
  window.addEventListener("offline", setNet);
  window.addEventListener("hashchange", async () => {
    if (!location.hash.includes("pair=")) return;
    await pairFromHash();
    renderDevices();
    const wanted = Number(localStorage.getItem(LS_CURRENT));
    if (wanted && devices[wanted]) await select(wanted);
  });

  async function start() {
    setNet();
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/door-sw.js", { scope: "/" }).catch(() => {});
    }
    await pairFromHash();
    const wanted = Number(localStorage.getItem(LS_CURRENT)) || Number(Object.keys(devices)[0]);
    renderDevices();
    if (wanted && devices[wanted]) await select(wanted);
    else notPaired(false);
    await updatePending();
    wedge.focus();
    if (localStorage.getItem("ld-door-camera") !== "off") startCamera();
    setInterval(() => {
      flush();
      refreshCounters();
    }, 4000);
    setInterval(downloadList, 60000);
    flush();
    root.dataset.started = "1";
  }
  start();
})();
