// Filters fold on phones: the page sends them open (readable without JavaScript, after the
// results), and a narrow screen closes them until the reader opens them.
(function () {
  "use strict";
  var filters = document.querySelector("details[data-fold-below]");
  if (!filters) return;
  var width = parseInt(filters.getAttribute("data-fold-below"), 10);
  if (window.matchMedia("(max-width: " + width + "px)").matches) filters.open = false;
})();

// Search-as-you-type: asks the same-origin suggest API and shows titles under the box.
(function () {
  "use strict";
  var form = document.querySelector("form[data-suggest-url]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var list = document.getElementById("search-suggestions");
  var timer = null;
  var latest = 0;

  function close() {
    list.hidden = true;
    list.textContent = "";
    input.setAttribute("aria-expanded", "false");
  }

  function show(suggestions) {
    list.textContent = "";
    suggestions.forEach(function (title, index) {
      var item = document.createElement("li");
      item.setAttribute("role", "option");
      item.id = "search-suggestion-" + index;
      item.textContent = title;
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
        input.value = title;
        close();
        form.submit();
      });
      list.appendChild(item);
    });
    list.hidden = suggestions.length === 0;
    input.setAttribute("aria-expanded", suggestions.length ? "true" : "false");
  }

  function fetchSuggestions() {
    var text = input.value.trim();
    if (!text) { close(); return; }
    var ticket = ++latest;
    var url = form.dataset.suggestUrl + "?" + new URLSearchParams({ q: text, locale: form.dataset.locale });
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (data) { if (ticket === latest) show(data.suggestions || []); })
      .catch(close);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 150);
  });
  input.addEventListener("keydown", function (event) {
    var options = Array.prototype.slice.call(list.children);
    if (!options.length) return;
    var current = options.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var next = event.key === "ArrowDown" ? current + 1 : current - 1;
      next = (next + options.length) % options.length;
      options.forEach(function (o) { o.removeAttribute("aria-selected"); });
      options[next].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[next].id);
    } else if (event.key === "Enter" && current >= 0) {
      input.value = options[current].textContent;
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
