// The page editor fills the slug with the title's pinyin as the editor types (cms/slugs.py
// makes it on the server, where pypinyin's dictionary is). A slug the editor typed is theirs:
// it is only replaced while it is empty or still the one filled in from the title.
(function () {
  const form = document.querySelector("form[data-edit-form]") || document;
  const title = form.querySelector("#id_title");
  const slug = form.querySelector("#id_slug");
  const endpoint = document.querySelector("script[data-pinyin-slug-url]");
  if (!title || !slug || !endpoint) return;
  const url = endpoint.dataset.pinyinSlugUrl;
  let filled = slug.value === "" ? "" : null;
  let timer = null;

  // Wagtail's own title → slug sync keeps Chinese characters or drops them: ours replaces it.
  slug.addEventListener("w-sync:apply", (event) => event.stopImmediatePropagation(), true);
  document.addEventListener(
    "w-sync:apply",
    (event) => { if (event.target === slug) event.stopImmediatePropagation(); },
    true,
  );

  function fill() {
    if (filled === null || slug.value !== filled) return; // the editor's own slug
    const text = title.value.trim();
    if (!text) return;
    fetch(`${url}?title=${encodeURIComponent(text)}`, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (data && data.slug && (slug.value === filled)) {
          slug.value = data.slug;
          filled = data.slug;
        }
      });
  }

  title.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(fill, 300);
  });
  title.addEventListener("change", fill);
  slug.addEventListener("input", () => { filled = slug.value === "" ? "" : null; });
})();
