// Counts one read of the article shown, even when the page came from the page cache.
// Same-origin only; no cookies, no third-party script.
(function () {
  "use strict";
  var article = document.querySelector("[data-read-beacon][data-page-id]");
  if (!article || !navigator.sendBeacon) {
    return;
  }
  var body = new FormData();
  body.append("page", article.getAttribute("data-page-id"));
  navigator.sendBeacon(article.getAttribute("data-read-beacon"), body);
})();
