/* Choosing two to four parks to compare, from the finder, a park page or the map: the choice is
   kept in the browser (localStorage) and the tray leads to /compare/?parks=a,b. Any button
   with data-cmp="<park slug>" takes part, also one drawn after this script ran. */
(function () {
  "use strict";

  const KEY = "sitegen-compare";
  const tray = document.querySelector("[data-compare-tray]");
  if (!tray) return;
  const most = Number(tray.dataset.max);
  const go = tray.querySelector("[data-compare-go]");
  const base = go.getAttribute("href");

  function chosen() {
    try {
      const kept = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(kept) ? kept.filter((slug) => typeof slug === "string").slice(0, most) : [];
    } catch (error) {
      return [];
    }
  }

  function keep(slugs) {
    try { window.localStorage.setItem(KEY, JSON.stringify(slugs)); } catch (error) { /* private mode: this page only */ }
    draw(slugs);
  }

  function draw(slugs) {
    document.querySelectorAll("[data-cmp]").forEach((button) => {
      const picked = slugs.includes(button.dataset.cmp);
      button.setAttribute("aria-pressed", String(picked));
      button.disabled = !picked && slugs.length >= most;
      button.title = button.disabled ? tray.dataset.full : "";
    });
    tray.dataset.chosen = slugs.join(",");  // for buttons drawn later, such as in a map popup
    tray.hidden = slugs.length === 0;
    tray.querySelector("[data-compare-count]").textContent = slugs.length;
    go.setAttribute("href", base + "?parks=" + slugs.join(","));
  }

  let slugs = chosen();
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-cmp]");
    if (button) {
      const slug = button.dataset.cmp;
      slugs = slugs.includes(slug) ? slugs.filter((other) => other !== slug) : slugs.concat([slug]).slice(0, most);
      keep(slugs);
    } else if (event.target.closest("[data-compare-clear]")) {
      slugs = [];
      keep(slugs);
    }
  });
  window.addEventListener("storage", () => { slugs = chosen(); draw(slugs); });
  draw(slugs);
})();
