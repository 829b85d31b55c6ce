/* Qiaoyin media: click-to-load embeds and accessible carousels (progressive enhancement:
   without this script embeds stay links and carousels stay a list of every photo). */
(function () {
  "use strict";
  if (window.qiaoyinMedia) return;
  window.qiaoyinMedia = true;

  function loadEmbed(button) {
    var figure = button.closest("[data-media-embed]");
    var template = figure.querySelector("template[data-media-embed-content]");
    var frame = document.createElement("div");
    frame.className = "media-embed__frame";
    frame.appendChild(template.content.cloneNode(true));
    figure.querySelector(".media-embed__consent").replaceWith(frame);
    var iframe = frame.querySelector("iframe");
    if (iframe) iframe.focus();
  }

  function setUpCarousel(carousel) {
    var slides = Array.prototype.slice.call(carousel.querySelectorAll(".media-gallery__slide"));
    var controls = carousel.querySelector(".media-gallery__controls");
    var position = carousel.querySelector("[data-carousel-position]");
    if (slides.length < 2) return;
    var current = 0;
    function show(index) {
      current = (index + slides.length) % slides.length;
      slides.forEach(function (slide, i) { slide.hidden = i !== current; });
      position.textContent = (current + 1) + " / " + slides.length;
    }
    carousel.querySelector("[data-carousel-previous]").addEventListener("click", function () { show(current - 1); });
    carousel.querySelector("[data-carousel-next]").addEventListener("click", function () { show(current + 1); });
    carousel.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft") show(current - 1);
      if (event.key === "ArrowRight") show(current + 1);
    });
    controls.hidden = false;
    show(0);
  }

  function init() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-media-embed-load]");
      if (button) loadEmbed(button);
    });
    document.querySelectorAll("[data-media-carousel]").forEach(setUpCarousel);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
