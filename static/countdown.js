// The checkout countdown: minutes and seconds left on the hold, then a note that it ran out.
(function () {
  "use strict";
  var box = document.getElementById("countdown");
  if (!box) return;
  var ends = Date.parse(box.dataset.expires);
  var clock = box.querySelector("[data-left]");
  function tick() {
    var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
    clock.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    if (left === 0) {
      box.classList.add("expired");
      box.textContent = box.dataset.expiredText;
      return;
    }
    setTimeout(tick, 1000);
  }
  tick();
})();
