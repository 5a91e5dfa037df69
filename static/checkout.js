// The checkout's total follows the ticket types picked per seat; without this script the
// booking's page shows the total once booked.
(function () {
  "use strict";
  var form = document.getElementById("checkout");
  var total = form && form.querySelector("[data-total]");
  if (!total) return;
  function tenge(amount) {
    return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0") + "\u00a0₸";
  }
  function update() {
    var sum = 0;
    form.querySelectorAll(".tickets li").forEach(function (seat) {
      var select = seat.querySelector("select");
      var priced = select ? select.selectedOptions[0] : seat.querySelector("[data-amount]");
      sum += Number(priced.dataset.amount);
    });
    total.textContent = tenge(sum);
  }
  form.addEventListener("change", update);
  update();
})();
