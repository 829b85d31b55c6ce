// "Copy link" on article pages: the button shows only where the clipboard can be written;
// elsewhere readers copy the link from the field next to it. No third-party script.
(function () {
  "use strict";
  var button = document.querySelector("[data-copy-link]");
  if (!button || !navigator.clipboard || !window.isSecureContext) {
    return;
  }
  var status = document.querySelector("[data-copy-status]");
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(button.getAttribute("data-copy-link")).then(function () {
      if (status) {
        status.textContent = button.getAttribute("data-copied");
      }
    });
  });
})();
