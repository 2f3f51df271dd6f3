/* The industry map's filters: sectors, city, level and membership, with live counts. */
/*
 * No dependencies, ES2017. The hook it relies on is filled by the map's generated script
 * (sitegen/mapping.py):
 *
 *   window.sitegenMaps[mapId] = {map, layer, markers, home}
 *
 * `layer` holds the visible markers (a MarkerClusterGroup), `markers` are all of them, each
 * with marker.feature.properties = {slug, city, level, sectors, member, ...}, and `home` is
 * the bounds of Shandong.
 *
 * The page's filter form (written in the template; shown only when JavaScript runs, by the
 * page's html.no-js / html.js class, so it takes its place before the map draws):
 *
 *   <form class="sg-map-filters" data-sitegen-map-filters="industry" data-needs-js>
 *     <fieldset><legend>Sectors</legend>
 *       <label><input type="checkbox" name="sector" value="SECTOR_ID" checked>
 *         <span class="sg-swatch" style="--sg-colour:#RRGGBB"></span> Label
 *         <span class="sg-count" data-count="sector:SECTOR_ID"></span></label> ...
 *     </fieldset>
 *     <select name="city"><option value="" data-label="All cities">All cities</option>
 *       <option value="CITY_ID" data-label="Jinan">Jinan</option> ...</select>
 *     <select name="level"> same, values national|provincial|municipal|other|none </select>
 *     <label><input type="checkbox" name="member" value="member" checked> members</label>
 *     <label><input type="checkbox" name="member" value="other" checked> other parks</label>
 *     <output data-count="visible" aria-live="polite"></output>
 *     <button type="button" data-sitegen-map-action="fit">Fit to Shandong</button>
 *     <button type="reset">Show all</button>
 *   </form>
 *
 * Any of the four groups may be left out. A filter is "all" when its control is missing or
 * when the chosen value is "". A park shows when it passes every filter; for sectors, when
 * its main sector (the pin's colour) is checked, so the legend's colours and boxes agree.
 * A button data-sitegen-map-only="SECTOR_ID" checks that sector alone; choosing a city zooms
 * to its parks and the reset button back to Shandong; [data-sitegen-map-sheet] buttons open and close the filters as a sheet over
 * the map on phones (body.sg-sheet-open); [data-sitegen-map-empty] shows when no park is left. Counts: an element with data-count="DIMENSION:VALUE" gets
 * the number of parks that value would show given the other filters; "DIMENSION:" the
 * number passing the other filters; "visible" and "all" the totals. An <option> with
 * data-label is relabelled "Label (count)". If the page has a list of the same parks,
 * <... data-sitegen-map-list="industry"> whose rows carry data-slug="SLUG", rows of hidden
 * parks get the `hidden` attribute.
 */
(function () {
  "use strict";

  const DIMENSIONS = ["sector", "city", "level", "member"];

  function valuesOf(properties, dimension) {
    // By main sector: the one that colours the pin, so unticking a colour hides its pins.
    if (dimension === "sector") return [properties.sectors[0]];
    if (dimension === "city") return [properties.city];
    if (dimension === "level") return [properties.level || "none"];
    return [properties.member ? "member" : "other"];
  }

  /* The chosen values of one dimension as a Set, or null when it does not filter. */
  function chosenValues(form, data, dimension) {
    if (!form.elements[dimension]) return null;
    const values = data.getAll(dimension);
    return values.includes("") ? null : new Set(values);
  }

  function countsFor(markers, chosen) {
    const counts = {};
    const totals = {};
    const visible = [];
    const hidden = new Set();
    DIMENSIONS.forEach((dimension) => {
      counts[dimension] = new Map();
      totals[dimension] = 0;
    });
    markers.forEach((marker) => {
      const properties = marker.feature.properties;
      let failures = 0;
      let failed = null;
      DIMENSIONS.forEach((dimension) => {
        const wanted = chosen[dimension];
        if (wanted && !valuesOf(properties, dimension).some((value) => wanted.has(value))) {
          failures += 1;
          failed = dimension;
        }
      });
      if (failures === 0) visible.push(marker);
      else hidden.add(properties.slug);
      DIMENSIONS.forEach((dimension) => {
        if (failures === 0 || (failures === 1 && failed === dimension)) {
          totals[dimension] += 1;
          valuesOf(properties, dimension).forEach((value) => {
            counts[dimension].set(value, (counts[dimension].get(value) || 0) + 1);
          });
        }
      });
    });
    return {counts, totals, visible, hidden};
  }

  function countText(key, result, all) {
    if (key === "visible") return result.visible.length;
    if (key === "all") return all;
    const colon = key.indexOf(":");
    const dimension = key.slice(0, colon);
    const value = key.slice(colon + 1);
    if (!(dimension in result.counts)) return "";
    return value === "" ? result.totals[dimension] : result.counts[dimension].get(value) || 0;
  }

  function showCounts(form, result, all) {
    form.querySelectorAll("[data-count]").forEach((element) => {
      element.textContent = countText(element.dataset.count, result, all);
    });
    form.querySelectorAll("option[data-label]").forEach((option) => {
      const select = option.closest("select");
      const count = countText(select.name + ":" + option.value, result, all);
      option.textContent = option.dataset.label + " (" + count + ")";
    });
  }

  function showMarkers(entry, visible) {
    entry.map.closePopup();
    entry.layer.clearLayers();
    if (entry.layer.addLayers) entry.layer.addLayers(visible);
    else visible.forEach((marker) => entry.layer.addLayer(marker));
  }

  function connect(form) {
    const id = form.dataset.sitegenMapFilters;
    const entry = (window.sitegenMaps || {})[id];
    if (!entry) return;
    const list = document.querySelector('[data-sitegen-map-list="' + id + '"]');
    const rows = list ? Array.from(list.querySelectorAll("[data-slug]")) : [];
    let shown = null;
    let hiddenSlugs = new Set();

    function apply() {
      const data = new FormData(form);
      const chosen = {};
      DIMENSIONS.forEach((dimension) => {
        chosen[dimension] = chosenValues(form, data, dimension);
      });
      const result = countsFor(entry.markers, chosen);
      const key = result.visible.map((marker) => marker.feature.properties.slug).join(" ");
      if (key !== shown) {
        shown = key;
        showMarkers(entry, result.visible);
      }
      hiddenSlugs = result.hidden;
      rows.forEach((row) => {
        row.hidden = result.hidden.has(row.dataset.slug);
      });
      showCounts(form, result, entry.markers.length);
      if (empty) empty.hidden = result.visible.length > 0;
      mirrors.forEach((mirror) => {
        mirror.textContent = result.visible.length;
      });
    }

    const empty = form.querySelector("[data-sitegen-map-empty]");
    const mirrors = document.querySelectorAll("[data-count-mirror]");

    /* Leaflet drops a view asked for while a zoom animates, so such a move waits for its end. */
    let zooming = false;
    entry.map.on("zoomanim", () => {
      zooming = true;
    });
    entry.map.on("zoomend", () => {
      zooming = false;
    });
    function whenStill(move) {
      if (zooming) entry.map.once("zoomend", move);
      else move();
    }

    /* Zoom to the parks shown, e.g. after choosing a city; Shandong when none is chosen. */
    function fitShown() {
      whenStill(() => {
        const shownMarkers = entry.markers.filter((marker) => !hiddenSlugs.has(marker.feature.properties.slug));
        if (shownMarkers.length && shownMarkers.length < entry.markers.length) {
          entry.map.fitBounds(L.latLngBounds(shownMarkers.map((marker) => marker.getLatLng())), {maxZoom: 11, padding: [32, 32]});
        } else {
          entry.map.fitBounds(entry.home);
        }
      });
    }

    form.addEventListener("change", (event) => {
      apply();
      if (event.target.name === "city") fitShown();
    });
    form.addEventListener("click", (event) => {
      const only = event.target.closest("[data-sitegen-map-only]");
      if (!only) return;
      form.querySelectorAll('input[name="sector"]').forEach((box) => {
        box.checked = box.value === only.dataset.sitegenMapOnly;
      });
      apply();
    });
    // On phones the filters open as a sheet over the map, and close back to it.
    document.querySelectorAll("[data-sitegen-map-sheet]").forEach((button) => {
      button.addEventListener("click", () => {
        const open = !document.body.classList.contains("sg-sheet-open");
        document.body.classList.toggle("sg-sheet-open", open);
        document.querySelectorAll("[aria-controls]").forEach((toggle) => toggle.setAttribute("aria-expanded", open));
        if (!open) entry.map.invalidateSize();
      });
    });
    form.addEventListener("submit", (event) => event.preventDefault());
    // "reset" fires before the controls change back, so look once they have. Every park is
    // shown again, so the map goes back to Shandong from a city it may have zoomed to.
    form.addEventListener("reset", () =>
      setTimeout(() => {
        apply();
        fitShown();
      }, 0),
    );
    form.addEventListener("click", (event) => {
      const button = event.target.closest("[data-sitegen-map-action]");
      if (button && button.dataset.sitegenMapAction === "fit") whenStill(() => entry.map.fitBounds(entry.home));
    });
    shown = entry.markers.map((marker) => marker.feature.properties.slug).join(" ");
    apply();
  }

  function start() {
    document.querySelectorAll("[data-sitegen-map-filters]").forEach(connect);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
