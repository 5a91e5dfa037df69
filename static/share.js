// The Share button: the phone's own share sheet where the browser has the Web Share API, and
// otherwise the link copied to the clipboard, said in the page's language. Without this script
// the button stays hidden (the address bar has the link).
(function () {
  "use strict";
  var button = document.getElementById("share");
  if (!button) return;
  var status = document.getElementById("share-status");
  var shared = { title: button.dataset.title, text: button.dataset.text, url: button.dataset.url };
  var canShare = typeof navigator.share === "function" && (!navigator.canShare || navigator.canShare(shared));
  if (!canShare && !(navigator.clipboard && navigator.clipboard.writeText)) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    if (canShare) {
      navigator.share(shared).catch(function () { /* dismissed: nothing to say */ });
      return;
    }
    navigator.clipboard.writeText(shared.url).then(function () {
      status.textContent = button.dataset.copied;
    });
  });
})();
