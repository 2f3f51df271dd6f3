/* The projects list: filters by stage, sector, city and park, and totals of what is shown. */
/*
 * Without JavaScript the form is not shown (html.no-js) and every project is listed with the
 * totals the build wrote. Each project is <li class="project" data-stage data-sector data-city
 * data-park data-investment>, data-investment empty when the source states no amount: such a
 * project is counted apart, never as zero. The totals' wording comes from the page
 * (data-total, data-amount, data-without, data-none, and data-total-one and data-without-one
 * for a count of one; {placeholders} as in i18n.yaml).
 */
(function () {
  "use strict";

  /* 亿元 as the build writes them (sitegen/render/chains.py format_amount); the unit comes from
     the page, so Traditional Chinese pages, converted as a whole, say 億元. */
  function formatAmount(value, lang, unit) {
    const plain = (number) => {
      const text = String(Number(number.toFixed(6)));
      return Math.abs(number) >= 10000 ? Number(text).toLocaleString("en-US", {maximumFractionDigits: 6}) : text;
    };
    if (lang !== "en") return plain(value) + unit;
    if (value >= 10) return plain(value / 10) + " billion yuan";
    return plain(value * 100) + " million yuan";
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
  }

  function setUp(form) {
    const items = Array.from(document.querySelectorAll(".project-list > .project"));
    const totals = document.querySelector("[data-project-totals]");
    const names = ["stage", "sector", "city", "park"];
    const params = new URLSearchParams(window.location.search);
    names.forEach((name) => {
      const select = form.elements[name];
      if (params.has(name) && Array.from(select.options).some((o) => o.value === params.get(name))) {
        select.value = params.get(name);
      }
    });

    function matches(item, chosen) {
      return names.every((name) => {
        if (!chosen[name]) return true;
        const value = item.dataset[name];
        return name === "park" && chosen.park === "-" ? value === "" : value === chosen[name];
      });
    }

    function apply() {
      const chosen = {};
      names.forEach((name) => { chosen[name] = form.elements[name].value; });
      let count = 0, stated = 0, sum = 0;
      items.forEach((item) => {
        const visible = matches(item, chosen);
        item.hidden = !visible;
        if (!visible) return;
        count += 1;
        if (item.dataset.investment !== "") {
          stated += 1;
          sum += Number(item.dataset.investment);
        }
      });
      const data = totals.dataset;
      const parts = count ? [fill(count === 1 ? data.totalOne : data.total, {count})] : [data.none];
      if (stated) parts.push(fill(data.amount, {stated, amount: formatAmount(sum, data.lang, data.yiYuan)}));
      const without = count - stated;
      if (without) parts.push(fill(without === 1 ? data.withoutOne : data.without, {count: without}));
      totals.textContent = parts.join(" ");
      const query = new URLSearchParams();
      names.forEach((name) => { if (chosen[name]) query.set(name, chosen[name]); });
      const search = query.toString();
      window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
    }

    form.addEventListener("change", apply);
    form.addEventListener("submit", (event) => event.preventDefault());
    if (names.some((name) => form.elements[name].value)) apply();
  }

  document.querySelectorAll("[data-project-filter]").forEach(setUp);
})();
