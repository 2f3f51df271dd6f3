/* The site finder: narrows the grouped list of parks and sites to what a project needs, and
   keeps the choice in the address so a result can be passed on. */
/*
 * Without JavaScript the form is not shown (html.no-js) and the whole list stands, grouped by
 * city then park. Each city is <section class="fc" data-c>, each park <li class="fp" data-s>
 * (its sectors, separated by spaces), each available site <li data-k data-a data-p data-d>:
 * kind, area in its own unit (亩 for land, ㎡ for buildings), price in the unit the finder
 * compares (万元/亩 for land, 元/㎡·月 for buildings; absent when on request or in another
 * unit) and the day it can be taken over as 20260301 (absent: now). The attributes are read
 * once; a change then touches only the rows whose visibility changes.
 */
(function () {
  "use strict";

  const form = document.querySelector("[data-finder]");
  if (!form) return;
  const NUMBERS = ["amin", "amax", "pmax"];
  // Changing the address restyles every link on the page (their URLs are resolved against it):
  // done once typing pauses, never in the frame that shows the result.
  const ADDRESS_DELAY = 300;
  let remembering = 0;

  function readSite(node) {
    const data = node.dataset;
    return {node, shown: true, kind: data.k, area: Number(data.a),
      price: data.p === undefined ? NaN : Number(data.p), day: data.d ? Number(data.d) : 0};
  }

  function readPark(node) {
    return {node, shown: true, sectors: node.dataset.s.split(" "),
      sites: Array.from(node.querySelectorAll(".fs > li"), readSite)};
  }

  const cities = Array.from(document.querySelectorAll(".fc"), (node) => (
    {node, shown: true, id: node.dataset.c, parks: Array.from(node.querySelectorAll(".fp"), readPark)}
  ));
  const count = form.querySelector("[data-finder-count]");
  const none = document.querySelector("[data-finder-none]");

  function show(item, visible) {
    if (item.shown !== visible) {
      item.shown = visible;
      item.node.hidden = !visible;
    }
  }

  function number(value) {
    return value === null || value === "" || !isFinite(value) ? null : Number(value);
  }

  function chosen() {
    const data = new FormData(form);
    const wanted = {sector: data.get("sector") || "", kind: data.get("kind") || "", cities: data.getAll("city"),
      by: data.get("by") ? Number(String(data.get("by")).replace(/-/g, "")) : 0};
    NUMBERS.forEach((name) => { wanted[name] = number(data.get(name)); });
    wanted.bySite = Boolean(wanted.kind || wanted.by || NUMBERS.some((name) => wanted[name] !== null));
    return wanted;
  }

  function fits(site, wanted) {
    return (!wanted.kind || site.kind === wanted.kind) &&
      (wanted.amin === null || site.area >= wanted.amin) &&
      (wanted.amax === null || site.area <= wanted.amax) &&
      (wanted.pmax === null || site.price <= wanted.pmax) &&
      (!wanted.by || site.day <= wanted.by);
  }

  function apply() {
    const wanted = chosen();
    let parks = 0;
    let sites = 0;
    // A hidden city or park hides what it holds: its rows are left as they are.
    cities.forEach((city) => {
      let shownParks = 0;
      if (!wanted.cities.length || wanted.cities.includes(city.id)) {
        city.parks.forEach((park) => {
          let fitting = -1;
          if (!wanted.sector || park.sectors.includes(wanted.sector)) {
            fitting = 0;
            park.sites.forEach((site) => {
              const visible = fits(site, wanted);
              show(site, visible);
              if (visible) fitting += 1;
            });
          }
          const visible = fitting > 0 || (fitting === 0 && !wanted.bySite);
          show(park, visible);
          if (visible) { shownParks += 1; sites += fitting; }
        });
      }
      show(city, shownParks > 0);
      parks += shownParks;
    });
    count.textContent = form.dataset.counted.replace("{parks}", parks).replace("{sites}", sites);
    none.hidden = parks > 0;
    window.clearTimeout(remembering);
    remembering = window.setTimeout(remember, ADDRESS_DELAY, wanted);
  }

  function remember(wanted) {
    const query = new URLSearchParams();
    if (wanted.sector) query.set("sector", wanted.sector);
    wanted.cities.forEach((city) => query.append("city", city));
    if (wanted.kind) query.set("kind", wanted.kind);
    NUMBERS.forEach((name) => { if (wanted[name] !== null) query.set(name, wanted[name]); });
    if (form.elements.by.value) query.set("by", form.elements.by.value);
    const search = query.toString();
    window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
  }

  function restore() {
    // Only an address with a query restores: without one, what a reader ticked before this
    // script ran (a slow phone) is kept.
    if (!window.location.search) return;
    const params = new URLSearchParams(window.location.search);
    ["sector", "kind"].forEach((name) => {
      const select = form.elements[name];
      if (Array.from(select.options).some((option) => option.value === params.get(name))) select.value = params.get(name);
    });
    const cityIds = params.getAll("city").flatMap((value) => value.split(","));
    form.querySelectorAll("input[name=city]").forEach((box) => { box.checked = cityIds.includes(box.value); });
    NUMBERS.forEach((name) => { if (number(params.get(name)) !== null) form.elements[name].value = params.get(name); });
    if (/^\d{4}-\d{2}-\d{2}$/.test(params.get("by") || "")) form.elements.by.value = params.get("by");
  }

  restore();
  form.addEventListener("change", apply);
  form.addEventListener("input", apply);
  form.addEventListener("submit", (event) => { event.preventDefault(); apply(); });
  form.addEventListener("reset", () => window.setTimeout(apply));
  apply();
})();
