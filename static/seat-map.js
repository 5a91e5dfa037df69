// The seat map: tap (or focus and press Enter or Space) a free seat to pick it. Picking ticks
// the seat's box in the form below, which works on its own without this script.
(function () {
  "use strict";
  var form = document.querySelector("form.pick");
  if (!form) return;
  var total = document.getElementById("total");
  var boxes = {};
  form.querySelectorAll("input[name=seat]").forEach(function (box) { boxes[box.value] = box; });

  function refresh() {
    var sum = 0;
    Object.keys(boxes).forEach(function (id) {
      var box = boxes[id];
      var seat = document.querySelector('g.seat[data-seat-id="' + id + '"]');
      if (seat) seat.classList.toggle("chosen", box.checked);
      // At the door a seat may be sold as a concession: its type's price counts.
      var type = form.querySelector('select[name="type.' + id + '"]');
      var price = type ? type.selectedOptions[0].dataset.price : box.dataset.price;
      if (box.checked) sum += Number(price || 0);
    });
    total.textContent = sum.toLocaleString(total.dataset.lang === "en" ? "en" : "ru").replace(/,/g, "\u00a0");
  }

  form.addEventListener("change", refresh);

  function toggle(seat) {
    var box = boxes[seat.dataset.seatId];
    if (!box) return;
    box.checked = !box.checked;
    refresh();
  }

  document.querySelectorAll("g.seat.available").forEach(function (seat) {
    seat.addEventListener("click", function () { toggle(seat); });
    seat.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); toggle(seat); }
    });
  });
  form.addEventListener("change", refresh);
  refresh();
})();
