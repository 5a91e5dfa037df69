// The seat map: tap (or focus and press Enter or Space) a free seat to pick it. Picking ticks
// the seat's box in the form, which works on its own without this script. Where the page has
// a summary (the audience's pages), the boxes give way to it: each chosen seat with its zone
// and price and a button to remove it, the total, and a live region that tells screen readers
// what changed.
(function () {
  "use strict";
  var form = document.querySelector("form.pick");
  if (!form) return;
  var total = document.getElementById("total");
  var summary = document.getElementById("chosen-seats");
  var news = document.getElementById("seat-news");
  var map = document.querySelector("svg.seat-map");
  var boxes = {};
  var order = [];
  form.querySelectorAll("input[name=seat]").forEach(function (box) { boxes[box.value] = box; });

  // A seat's tap area stays at least 32 CSS px wide: a hall too wide for the screen scrolls
  // sideways in its frame instead of shrinking below a thumb.
  if (map && map.dataset.tap) {
    var width = map.viewBox.baseVal.width;
    map.style.minWidth = Math.ceil(width * 32 / Number(map.dataset.tap)) + "px";
  }

  function money(amount) {
    var lang = document.documentElement.lang === "en" ? "en" : "ru";
    return amount.toLocaleString(lang).replace(/,/g, "\u00a0");
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return key in values ? values[key] : whole;
    });
  }
  function priceOf(id) {
    // At the door a seat may be sold as a concession: its type's price counts.
    var type = form.querySelector('select[name="type.' + id + '"]');
    var box = boxes[id];
    return Number((type ? type.selectedOptions[0].dataset.price : box.dataset.price) || 0);
  }
  function chosen() {
    return order.filter(function (id) { return boxes[id].checked; });
  }

  function drawSummary(ids) {
    if (!summary) return;
    var list = summary.querySelector(".chosen-list");
    list.textContent = "";
    ids.forEach(function (id) {
      var box = boxes[id];
      var item = document.createElement("li");
      var what = document.createElement("span");
      var parts = [box.dataset.name, box.dataset.zone];
      if (box.dataset.price) parts.push(money(priceOf(id)) + " ₸");
      what.textContent = parts.join(" · ");
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "secondary";
      remove.textContent = summary.dataset.removeText;
      remove.setAttribute("aria-label", fill(summary.dataset.remove, { seat: box.dataset.name }));
      remove.addEventListener("click", function () { set(id, false); });
      item.appendChild(what);
      item.appendChild(remove);
      list.appendChild(item);
    });
    summary.querySelector(".empty").hidden = ids.length > 0;
  }

  function refresh() {
    // Seats ticked in the form directly (or kept by the browser on reload) join the order.
    Object.keys(boxes).forEach(function (id) {
      if (boxes[id].checked && order.indexOf(id) < 0) order.push(id);
    });
    order = order.filter(function (id) { return boxes[id].checked; });
    var sum = 0;
    Object.keys(boxes).forEach(function (id) {
      var box = boxes[id];
      var seat = document.querySelector('g.seat[data-seat-id="' + id + '"]');
      if (seat) {
        seat.classList.toggle("chosen", box.checked);
        if (seat.hasAttribute("aria-pressed")) seat.setAttribute("aria-pressed", String(box.checked));
      }
      if (box.checked) sum += priceOf(id);
    });
    if (total) total.textContent = money(sum);
    var ids = chosen();
    drawSummary(ids);
    return { count: ids.length, total: money(sum) };
  }

  function set(id, on) {
    var box = boxes[id];
    if (!box || box.checked === on) return;
    box.checked = on;
    if (on) order.push(id);
    var now = refresh();
    if (news && summary) {
      var template = on ? summary.dataset.chosen : summary.dataset.removed;
      news.textContent = fill(template, { seat: box.dataset.name, count: now.count, total: now.total });
    }
  }

  document.querySelectorAll("g.seat.available").forEach(function (seat) {
    var id = seat.dataset.seatId;
    seat.addEventListener("click", function () { if (boxes[id]) set(id, !boxes[id].checked); });
    seat.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        if (boxes[id]) set(id, !boxes[id].checked);
      }
    });
  });
  form.addEventListener("change", function () { refresh(); });
  if (summary) {
    summary.hidden = false;
    form.classList.add("mapped");
  }
  refresh();
})();
