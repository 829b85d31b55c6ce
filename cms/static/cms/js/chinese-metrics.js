// Content metrics (Checks panel) for Chinese text. Wagtail counts "words" with the browser's
// word segmenter and reads English at its speed; Chinese is measured in characters, read at
// about 400 a minute. Latin words in the text count as one each, at Wagtail's reading speed.
(function () {
  const HAN = /\p{Script=Han}/gu;
  const LATIN_WORD = /[\p{Script=Latin}\d]+/gu;
  const CHARACTERS_PER_MINUTE = 400;
  const WORDS_PER_MINUTE = 238;

  document.addEventListener("w-preview:content", (event) => {
    const content = event.detail && event.detail.content;
    if (!content || !String(content.lang || "").toLowerCase().startsWith("zh")) return;
    const text = content.innerText || "";
    const characters = (text.match(HAN) || []).length;
    const words = (text.match(LATIN_WORD) || []).length;
    const minutes = Math.max(
      1,
      Math.round(characters / CHARACTERS_PER_MINUTE + words / WORDS_PER_MINUTE),
    );
    // Wagtail writes its own figures right after this event: ours go in after it.
    setTimeout(() => {
      const count = document.querySelector("[data-content-word-count]");
      const time = document.querySelector("[data-content-reading-time]");
      if (count) count.textContent = String(characters + words);
      if (time) {
        const unit = window.ngettext
          ? window.ngettext("%(num)s min", "%(num)s mins", minutes)
          : "%(num)s min";
        time.textContent = unit.replace("%(num)s", String(minutes));
      }
    }, 0);
  });
})();
