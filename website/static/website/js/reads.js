// Counts one read of the article shown, even when the page came from the page cache.
// Same-origin only; no cookie, no local storage, no third-party script. Readers whose browser
// asks not to be tracked (Do Not Track, Global Privacy Control) are not counted at all.
(function () {
  "use strict";
  var article = document.querySelector("[data-read-beacon][data-page-id]");
  if (!article || !navigator.sendBeacon) {
    return;
  }
  if (navigator.doNotTrack === "1" || window.doNotTrack === "1" || navigator.globalPrivacyControl) {
    return;
  }
  // Form-encoded, not FormData: the server parses it in a fraction of a multipart body's time.
  var body = new URLSearchParams();
  body.append("page", article.getAttribute("data-page-id"));
  // Where the reader came from: the server keeps only its class and domain.
  body.append("referrer", document.referrer || "");
  var source = new URLSearchParams(window.location.search).get("utm_source");
  if (source) {
    body.append("utm_source", source.slice(0, 64));
  }
  navigator.sendBeacon(article.getAttribute("data-read-beacon"), body);
})();
