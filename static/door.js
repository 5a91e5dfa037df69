// The door: scan (camera) or type ticket codes, see the answer full-screen, undo a mistake,
// search by name, and keep working when the network drops. The performance's door data (every
// ticket as a hash of its code) is kept in this browser; without the network a code is checked
// against it, the check-in is queued with a nonce, and the queue is uploaded when the network
// returns. The server's answer to a nonce is the first one, so an upload repeated is harmless.
// A booking that still owes money is not admitted until staff take it (cash, card or Kaspi) or
// let it in unpaid; offline, the payment waits in the queue with its check-in.
(function () {
  "use strict";
  // Signing out forgets the door lists kept in this browser (they hold names). Check-ins still
  // waiting to upload stay, and go up when the door page of their performance opens again.
  document.querySelectorAll('form[action="/signout"]').forEach(function (form) {
    form.addEventListener("submit", function () {
      Object.keys(localStorage)
        .filter(function (key) { return key.indexOf("kassa-door-data-") === 0; })
        .forEach(function (key) { localStorage.removeItem(key); });
    });
  });
  var root = document.getElementById("door");
  if (!root) return;
  var performanceId = Number(root.dataset.performance);
  var csrf = root.dataset.csrf;
  var lang = root.dataset.lang;
  var timeZone = root.dataset.timezone;
  var text = JSON.parse(document.getElementById("door-text").textContent);
  var dataKey = "kassa-door-data-" + performanceId;
  var queueKey = "kassa-door-queue-" + performanceId;
  var CODE = /^[A-Z2-7]{26}$/;

  var device = localStorage.getItem("kassa-door-device");
  if (!device) {
    device = "door-" + randomId().slice(0, 8);
    localStorage.setItem("kassa-door-device", device);
  }
  // The page's own door data, or the copy kept in this browser if that is newer: a page
  // reloaded without the network comes from the service worker's cache, as old as its last
  // load, while the kept copy has every scan since.
  var data = JSON.parse(document.getElementById("door-data").textContent);
  var kept = stored(dataKey);
  if (kept && kept.performance && kept.performance.id === performanceId &&
      (!navigator.onLine || kept.generated_at >= data.generated_at)) data = kept;
  var queue = stored(queueKey) || [];
  var conflicts = [];
  var direction = "in";
  var last = null; // the last movement: { id } once on the server, { nonce } while queued
  var online = navigator.onLine;
  var busy = false;
  var owing = null; // the scan waiting for its payment: { code, nonce, ticket }
  applyQueue();
  save();

  function $(id) { return document.getElementById(id); }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return values[name] == null ? "" : values[name]; });
  }
  function randomId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }
  function stored(key) {
    try { return JSON.parse(localStorage.getItem(key)); } catch (e) { return null; }
  }
  function save() {
    localStorage.setItem(dataKey, JSON.stringify(data));
    localStorage.setItem(queueKey, JSON.stringify(queue));
  }
  function normalise(code) { return code.replace(/\s+/g, "").toUpperCase(); }
  function hash(code) {
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(code)).then(function (digest) {
      return Array.prototype.map.call(new Uint8Array(digest), function (b) { return (b + 256).toString(16).slice(1); }).join("");
    });
  }
  function clock(at) {
    return new Date(at).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit", timeZone: timeZone });
  }
  var zonesData = document.getElementById("door-zones");
  var zoneNames = zonesData ? JSON.parse(zonesData.textContent) : {};
  function seatOf(ticket) {
    var zone = ticket.seat.zone;
    return fill(text.seat, ticket.seat) + (zone ? ", " + (zoneNames[zone] || zone) : "");
  }
  function tenge(amount) { return new Intl.NumberFormat(lang).format(amount) + "\u00a0₸"; }
  // Paid once for the whole booking: its other tickets owe nothing now.
  function settle(reference) {
    data.tickets.forEach(function (t) { if (t.reference === reference) t.amount_due = 0; });
  }
  function byHash(codeHash) {
    return data.tickets.find(function (t) { return t.code_hash === codeHash; });
  }

  // Scans still queued count as done on this phone, even after fresh door data arrives.
  function applyQueue() {
    queue.forEach(function (item) {
      var ticket = byHash(item.hash);
      if (!ticket) return;
      ticket.inside = item.direction === "in";
      ticket.last_checkin = { at: item.at, by: text["door-this-device"], direction: item.direction };
      if (item.payment || item.admit_unpaid) settle(ticket.reference);
    });
  }

  function api(method, path, body) {
    return fetch(path, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
      body: body ? JSON.stringify(body) : undefined,
    });
  }

  function render() {
    var admitted = data.tickets.filter(function (t) { return t.last_checkin; }).length;
    $("count-admitted").textContent = admitted;
    $("count-expected").textContent = data.tickets.length - admitted;
    $("count-inside").textContent = data.tickets.filter(function (t) { return t.inside; }).length;
    var banner = $("offline");
    banner.hidden = online && queue.length === 0;
    banner.textContent = fill(text["door-offline"], { count: queue.length });
    $("undo").disabled = !last;
    var list = document.querySelector("#conflicts ul");
    list.textContent = "";
    conflicts.forEach(function (c) {
      var item = document.createElement("li");
      item.textContent = c;
      list.appendChild(item);
    });
    $("conflicts").hidden = conflicts.length === 0;
  }

  function setOnline(value) {
    online = value;
    render();
  }

  // The answer fills the screen: green admitted, red refused, amber for the odd cases.
  // `check`, for a concession coming in, says what to look at before letting them pass.
  function show(colour, verdict, detail, paying, check) {
    var box = $("result");
    box.className = "result " + colour;
    box.querySelector(".verdict").textContent = verdict;
    box.querySelector(".check").textContent = check || "";
    box.querySelector(".check").hidden = !check;
    box.querySelector(".detail").textContent = detail || "";
    box.querySelector(".pay").hidden = !paying;
    if (!paying) owing = null;
    box.hidden = false;
    box.focus();
    if (navigator.vibrate) navigator.vibrate(colour === "green" ? 80 : [80, 60, 80]);
  }
  function hide() {
    $("result").hidden = true;
    $("q").value = "";
    $("q").focus();
  }

  // A concession ticket asks the door to look at the card (or the age) before letting in.
  function concession(ticket) {
    return ticket && ticket.type && ticket.type !== "full" ? text["door-check-" + ticket.type] || "" : "";
  }
  function ticketLine(ticket) {
    return ticket ? seatOf(ticket) + " · " + (ticket.name || text["walk-up"]) : "";
  }

  // What a booking owes, and the buttons to take it.
  function askPayment(ticket, due) {
    var seats = (due.seats || [ticket.seat]).map(function (seat) { return fill(text.seat, seat); }).join(", ");
    return show("amber", fill(text["door-payment-due"], { amount: tenge(due.amount) }),
      fill(text["door-payment-due-detail"], { name: ticket.name || text["walk-up"], reference: ticket.reference, seats: seats }), true, concession(ticket));
  }

  function present(answer, code, nonce) {
    var ticket = answer.ticket;
    switch (answer.result) {
      case "payment_due":
        askPayment(ticket, answer.due);
        owing = { code: code, nonce: nonce, ticket: ticket };
        return;
      case "admitted":
        if (answer.taken) {
          return show("green", fill(text["door-paid"], { amount: tenge(answer.taken.amount), method: text["door-pay-" + answer.taken.method] }), ticketLine(ticket), false, concession(ticket));
        }
        return show("green", text["door-admitted"], ticketLine(ticket), false, concession(ticket));
      case "left":
        return show("green", text["door-left"], ticketLine(ticket));
      case "already_admitted":
        return show("red", text["door-already"],
          fill(text["door-already-detail"], { at: answer.first_at ? clock(answer.first_at) : "", by: answer.by || "" }) + " · " + ticketLine(ticket));
      case "not_inside":
        return show("amber", text["door-not-inside"], ticketLine(ticket));
      case "wrong_performance":
        var other = ticket.performance;
        return show("amber", text["door-wrong"],
          fill(text["door-wrong-detail"], { title: other.production, when: new Date(other.starts_at).toLocaleString(lang, { timeZone: timeZone, day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" }) }) + " · " + ticketLine(ticket));
      case "cancelled":
        return show("amber", text["door-cancelled"], ticketLine(ticket));
      default:
        return show("red", text["door-unknown"], "");
    }
  }

  // Keeps the saved door data in step with an answer from the server.
  function remember(code, answer) {
    return hash(code).then(function (codeHash) {
      var ticket = byHash(codeHash);
      if (!ticket) return;
      if (answer.ticket) ticket.amount_due = answer.ticket.amount_due;
      if (answer.taken || (answer.ticket && answer.ticket.amount_due === 0)) settle(ticket.reference);
      if (answer.result === "admitted" || answer.result === "left") {
        ticket.inside = answer.result === "admitted";
        ticket.last_checkin = answer.checkin;
        last = { id: answer.checkin.id, hash: codeHash };
      } else if (answer.result === "already_admitted") {
        ticket.inside = true;
        ticket.last_checkin = ticket.last_checkin || { at: answer.first_at, by: answer.by, direction: "in" };
      }
      save();
    });
  }

  // Scans a code; `pay` (a method, or "unpaid") answers a payment asked for, with the nonce
  // of the scan that asked.
  function check(raw, pay, sameNonce) {
    var code = normalise(raw);
    if (busy) return Promise.resolve();
    busy = true;
    var nonce = sameNonce || randomId();
    var body = { code: code, performance_id: performanceId, direction: direction, nonce: nonce, device: device };
    if (pay === "unpaid") body.admit_unpaid = true;
    else if (pay) body.payment = { method: pay };
    return api("POST", "/api/v1/checkins", body)
      .then(function (response) {
        if (response.status === 401) return show("red", text["door-signed-out"], "");
        if (response.status >= 500) throw new Error("server " + response.status);
        return response.json().then(function (answer) {
          setOnline(true);
          present(answer, code, nonce);
          return remember(code, answer);
        });
      })
      .catch(function () {
        setOnline(false);
        return checkOffline(code, nonce, pay);
      })
      .finally(function () { busy = false; render(); });
  }

  // Without the network: the saved list decides, and the check-in waits in the queue.
  function checkOffline(code, nonce, pay) {
    return hash(code).then(function (codeHash) {
      if (data.cancelled.indexOf(codeHash) >= 0) return show("amber", text["door-cancelled"], "");
      var ticket = byHash(codeHash);
      if (!ticket) return show("red", text["door-unknown"], "");
      if (direction === "in" && ticket.inside) {
        var first = ticket.last_checkin || {};
        return show("red", text["door-already"],
          fill(text["door-already-detail"], { at: first.at ? clock(first.at) : "", by: first.by || "" }) + " · " + ticketLine(ticket));
      }
      if (direction === "out" && !ticket.inside) return show("amber", text["door-not-inside"], ticketLine(ticket));
      if (direction === "in" && ticket.amount_due > 0 && !pay) {
        var seats = data.tickets.filter(function (t) { return t.reference === ticket.reference; }).map(function (t) { return t.seat; });
        askPayment(ticket, { amount: ticket.amount_due, seats: seats });
        owing = { code: code, nonce: nonce, ticket: ticket };
        return;
      }
      var at = new Date().toISOString();
      var dueBefore = ticket.amount_due || 0;
      var item = { code: code, hash: codeHash, nonce: nonce, direction: direction, at: at };
      if (pay === "unpaid") item.admit_unpaid = true;
      else if (pay) item.payment = { method: pay };
      queue.push(item);
      if (pay) settle(ticket.reference);
      ticket.inside = direction === "in";
      ticket.last_checkin = { at: at, by: text["door-this-device"], direction: direction };
      last = { nonce: nonce, hash: codeHash };
      save();
      if (pay && pay !== "unpaid") {
        return show("green", fill(text["door-paid"], { amount: tenge(dueBefore), method: text["door-pay-" + pay] }), ticketLine(ticket), false, concession(ticket));
      }
      if (direction === "in") return show("green", text["door-admitted"], ticketLine(ticket), false, concession(ticket));
      show("green", text["door-left"], ticketLine(ticket));
    });
  }

  var syncing = false;
  // Uploads the queue in order. Any answer settles a scan; one other than admitted (or left)
  // means the other door was first, and is listed for the staff to see.
  function sync() {
    if (syncing) return Promise.resolve();
    syncing = true;
    function next() {
      if (queue.length === 0) return refresh();
      var item = queue[0];
      var body = { code: item.code, performance_id: performanceId, direction: item.direction, nonce: item.nonce, device: device };
      if (item.payment) body.payment = item.payment;
      if (item.admit_unpaid) body.admit_unpaid = true;
      return api("POST", "/api/v1/checkins", body).then(function (response) {
        if (response.status === 401 || response.status >= 500) throw new Error("not now");
        return response.json().then(function (answer) {
          queue.shift();
          if (last && last.nonce === item.nonce) last = answer.checkin ? { id: answer.checkin.id, hash: item.hash } : null;
          if (answer.result !== "admitted" && answer.result !== "left") {
            var ticket = byHash(item.hash) || answer.ticket || {};
            var result = answer.result === "payment_due"
              ? fill(text["door-payment-due"], { amount: tenge(answer.due.amount) })
              : text[{ already_admitted: "door-already", not_inside: "door-not-inside", cancelled: "door-cancelled", wrong_performance: "door-wrong" }[answer.result] || "door-unknown"];
            if (answer.first_at) result += " " + fill(text["door-already-detail"], { at: clock(answer.first_at), by: answer.by || "" });
            conflicts.push(fill(text["door-conflict"], { name: ticket.name || text["walk-up"], seat: ticket.seat ? seatOf(ticket) : "", result: result }));
          }
          save();
          return next();
        });
      });
    }
    return next()
      .then(function () { setOnline(true); })
      .catch(function () { setOnline(false); })
      .finally(function () { syncing = false; render(); });
  }

  // Fresh door data: what the other door admitted meanwhile.
  function refresh() {
    return api("GET", "/api/v1/performances/" + performanceId + "/door").then(function (response) {
      if (!response.ok) return;
      return response.json().then(function (fresh) {
        data = fresh;
        applyQueue();
        save();
        render();
      });
    });
  }

  function undo() {
    if (!last) return;
    var undone = last;
    last = null;
    if (undone.nonce) {
      queue = queue.filter(function (item) { return item.nonce !== undone.nonce; });
      var ticket = byHash(undone.hash);
      if (ticket) {
        ticket.inside = !ticket.inside;
        ticket.last_checkin = null;
      }
      save();
      render();
      return show("neutral", text["door-undone"], ticketLine(ticket));
    }
    api("DELETE", "/api/v1/checkins/" + undone.id)
      .then(function (response) {
        if (!response.ok) throw new Error("undo " + response.status);
        show("neutral", text["door-undone"], ticketLine(byHash(undone.hash)));
        return refresh();
      })
      .catch(function () {
        last = undone;
        show("red", text["door-server-error"], "");
      })
      .finally(render);
  }

  // A name, reference or seat: matches from the server, or from the saved list offline.
  function search(q) {
    var list = $("matches");
    list.textContent = "";
    function add(ticket, code) {
      var item = document.createElement("li");
      var line = seatOf(ticket) + " · " + (ticket.name || text["walk-up"]) + " · " + ticket.reference;
      if (ticket.inside) line += " · " + text["door-inside"];
      if (ticket.status && ticket.status !== "valid") line += " · " + text["door-cancelled"];
      item.appendChild(document.createTextNode(line + " "));
      // Offered only where it can work: to come in when not inside, to go out when inside.
      var fits = direction === "in" ? !ticket.inside : ticket.inside;
      if (code && ticket.status === "valid" && fits) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = text[direction === "in" ? "door-admit" : "door-let-out"];
        button.addEventListener("click", function () { list.textContent = ""; check(code); });
        item.appendChild(button);
      }
      list.appendChild(item);
    }
    function none() {
      var item = document.createElement("li");
      item.textContent = text["door-no-match"];
      list.appendChild(item);
    }
    api("GET", "/api/v1/performances/" + performanceId + "/attendees?q=" + encodeURIComponent(q))
      .then(function (response) {
        if (!response.ok) throw new Error("search " + response.status);
        return response.json().then(function (found) {
          setOnline(true);
          if (found.attendees.length === 0) return none();
          found.attendees.forEach(function (ticket) { add(ticket, ticket.code); });
        });
      })
      .catch(function () {
        setOnline(false);
        var needle = q.trim().toLowerCase();
        var seat = needle.split(/\D+/).filter(Boolean).map(Number);
        var matches = data.tickets.filter(function (t) {
          return t.name.toLowerCase().indexOf(needle) >= 0 || t.reference.toLowerCase() === needle ||
            (seat.length === 2 && t.seat.row === seat[0] && t.seat.number === seat[1]);
        });
        if (matches.length === 0) return none();
        matches.forEach(function (ticket) { add(ticket, null); });
        var note = document.createElement("li");
        note.textContent = text["door-offline-admit"];
        list.appendChild(note);
      });
  }

  // The camera: the browser's BarcodeDetector where there is one, else the vendored jsQR.
  var camera = { stream: null, detector: null, recent: "", recentAt: 0 };
  function loadQrReader() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) return resolve();
      var script = document.createElement("script");
      script.src = "/static/vendor/jsQR.js";
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }
  function startCamera() {
    var video = $("camera");
    // Some browsers have a BarcodeDetector that reads no QR codes (Chromium on Linux): ask it.
    var formats = window.BarcodeDetector && window.BarcodeDetector.getSupportedFormats
      ? window.BarcodeDetector.getSupportedFormats().catch(function () { return []; })
      : Promise.resolve([]);
    var ready = formats.then(function (supported) {
      if (supported.indexOf("qr_code") >= 0) {
        camera.detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        video.dataset.reader = "barcode-detector";
        return;
      }
      return loadQrReader().then(function () { video.dataset.reader = "jsqr"; });
    });
    return ready
      .then(function () { return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }); })
      .then(function (stream) {
        camera.stream = stream;
        video.srcObject = stream;
        video.hidden = false;
        $("camera-toggle").textContent = text["door-stop-camera"];
        return video.play().then(function () { requestAnimationFrame(frame); });
      })
      .catch(function () { stopCamera(); show("amber", text["door-no-camera"], ""); });
  }
  function stopCamera() {
    if (camera.stream) camera.stream.getTracks().forEach(function (track) { track.stop(); });
    camera.stream = null;
    $("camera").hidden = true;
    $("camera-toggle").textContent = text["door-scan-camera"];
  }
  var canvas = document.createElement("canvas");
  function read(video) {
    if (camera.detector) {
      return camera.detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
    }
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0);
    var image = context.getImageData(0, 0, canvas.width, canvas.height);
    var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
    return Promise.resolve(found ? found.data : null);
  }
  function frame() {
    if (!camera.stream) return;
    var video = $("camera");
    var waiting = !$("result").hidden || busy || video.readyState < 2;
    (waiting ? Promise.resolve(null) : read(video))
      .then(function (value) {
        // The same code held in front of the camera is read once, not every frame.
        var now = Date.now();
        if (value && (value !== camera.recent || now - camera.recentAt > 5000)) {
          camera.recent = value;
          camera.recentAt = now;
          return check(value);
        }
      })
      .catch(function () {})
      .finally(function () { setTimeout(function () { requestAnimationFrame(frame); }, 120); });
  }

  $("camera-toggle").addEventListener("click", function () {
    if (camera.stream) stopCamera(); else startCamera();
  });
  $("lookup").addEventListener("submit", function (event) {
    event.preventDefault();
    var q = $("q").value.trim();
    if (!q) return;
    $("matches").textContent = "";
    if (CODE.test(normalise(q))) check(q); else search(q);
  });
  $("next").addEventListener("click", hide);
  document.querySelectorAll("#result .pay button").forEach(function (button) {
    button.addEventListener("click", function () {
      if (!owing) return;
      var paying = owing;
      owing = null;
      check(paying.code, button.dataset.pay, paying.nonce);
    });
  });
  $("result").addEventListener("keydown", function (event) {
    if (event.key === "Enter" || event.key === "Escape" || event.key === " ") { event.preventDefault(); hide(); }
  });
  $("undo").addEventListener("click", undo);
  document.querySelectorAll(".direction button").forEach(function (button) {
    button.addEventListener("click", function () {
      direction = button.dataset.direction;
      document.querySelectorAll(".direction button").forEach(function (b) {
        b.setAttribute("aria-pressed", String(b === button));
      });
    });
  });
  window.addEventListener("online", function () { setOnline(true); sync(); });
  window.addEventListener("offline", function () { setOnline(false); });
  setInterval(function () { if (queue.length) sync(); else refresh().catch(function () { setOnline(false); }); }, 15000);
  render();
  if (queue.length) sync();
  // The door keeps working when the page is reloaded without the network.
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/door/sw.js").catch(function () {});
})();
