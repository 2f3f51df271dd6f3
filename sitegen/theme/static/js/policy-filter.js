/* The policies list: filters by city, park and sector, with the choice kept in the address. */
/*
 * Without JavaScript the form is not shown (html.no-js) and every current policy is listed,
 * grouped by where it applies. Each policy is <li class="policy-item" data-everywhere data-cities
 * data-parks data-sectors> with its scope (ids separated by spaces); each park option
 * carries data-city and data-sectors, so the page decides, as the build does
 * (sitegen.content.model.PolicyScope.covers), whether a policy applies in a park. A policy may
 * stand in two groups; a group with nothing left to show is hidden.
 */
(function () {
  "use strict";

  const words = (text) => (text ? text.split(" ") : []);

  function scopeOf(item) {
    const data = item.dataset;
    return {
      everywhere: data.everywhere === "yes",
      cities: words(data.cities),
      parks: words(data.parks),
      sectors: words(data.sectors),
    };
  }

  function everywhere(scope) {
    return scope.everywhere;
  }

  function covers(scope, park) {
    const placed = everywhere(scope) || scope.cities.includes(park.city) || scope.parks.includes(park.slug);
    return placed && (!scope.sectors.length || scope.sectors.some((sector) => park.sectors.includes(sector)));
  }

  function matches(scope, chosen, parks) {
    if (chosen.park) return covers(scope, parks[chosen.park]);
    if (chosen.city) {
      const inCity = everywhere(scope) || scope.cities.includes(chosen.city) ||
        scope.parks.some((slug) => parks[slug] && parks[slug].city === chosen.city);
      if (!inCity) return false;
    }
    return !chosen.sector || !scope.sectors.length || scope.sectors.includes(chosen.sector);
  }

  function setUp(form) {
    const names = ["city", "park", "sector"];
    const parks = {};
    Array.from(form.elements.park.options).forEach((option) => {
      if (option.value) {
        parks[option.value] = {slug: option.value, city: option.dataset.city, sectors: words(option.dataset.sectors)};
      }
    });
    const items = Array.from(document.querySelectorAll(".policy-group .policy-item"));
    const scopes = new Map(items.map((item) => [item, scopeOf(item)]));
    const none = document.querySelector("[data-policy-none]");
    const params = new URLSearchParams(window.location.search);
    names.forEach((name) => {
      const select = form.elements[name];
      if (params.has(name) && Array.from(select.options).some((o) => o.value === params.get(name))) {
        select.value = params.get(name);
      }
    });

    function apply() {
      const chosen = {};
      names.forEach((name) => { chosen[name] = form.elements[name].value; });
      items.forEach((item) => { item.hidden = !matches(scopes.get(item), chosen, parks); });
      let shown = 0;
      document.querySelectorAll(".policy-group").forEach((group) => {
        const visible = group.querySelectorAll(".policy-item:not([hidden])").length;
        group.hidden = visible === 0;
        shown += visible;
      });
      none.hidden = shown > 0;
      const query = new URLSearchParams();
      names.forEach((name) => { if (chosen[name]) query.set(name, chosen[name]); });
      const search = query.toString();
      window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
    }

    form.addEventListener("change", apply);
    form.addEventListener("submit", (event) => event.preventDefault());
    if (names.some((name) => form.elements[name].value)) apply();
  }

  document.querySelectorAll("[data-policy-filter]").forEach(setUp);
})();
