/* The industry map's chain selector: the parks of one chain, each marker coloured by its link. */
/*
 * No dependencies, ES2017. Relies on the hook the map's script fills (see map.js):
 * window.sitegenMaps[mapId] = {map, layer, markers, home}, each marker carrying
 * marker.feature.properties.slug. The form (map_chains.html) holds one legend per chain,
 * <div data-chain="SLUG"> with <li data-link="ID" data-colour="#RRGGBB" data-parks="slug slug">,
 * in tier order: a park in several links takes the colour of its first.
 * While a chain is chosen the sector filters step aside; choosing none gives them back.
 */
(function () {
  "use strict";

  function linkOfParks(legend) {
    const found = new Map();
    legend.querySelectorAll("[data-link]").forEach((item) => {
      item.dataset.parks.split(" ").filter(Boolean).forEach((slug) => {
        if (!found.has(slug)) found.set(slug, {link: item.dataset.link, colour: item.dataset.colour});
      });
    });
    return found;
  }

  function chainIcon(colour) {
    return L.divIcon({
      className: "sg-pin sg-pin--member chain-pin",
      html: '<span style="--sg-colour:' + colour + '"></span>',
      iconSize: [20, 20]
    });
  }

  function connect(form) {
    const id = form.dataset.chainSelector;
    const entry = (window.sitegenMaps || {})[id];
    if (!entry) return;
    const filters = document.querySelector('[data-sitegen-map-filters="' + id + '"]');
    const list = document.querySelector('[data-sitegen-map-list="' + id + '"]');
    const rows = list ? Array.from(list.querySelectorAll("[data-slug]")) : [];
    const select = form.elements.chain;
    const original = new Map(entry.markers.map((marker) => [marker, marker.options.icon]));
    const icons = {};
    let beforeChain = null;  // the markers the sector filters showed when a chain was chosen

    function show(slug) {
      form.querySelectorAll("[data-chain]").forEach((legend) => {
        legend.hidden = legend.dataset.chain !== slug;
      });
      entry.map.closePopup();
      entry.markers.forEach((marker) => marker.setIcon(original.get(marker)));
      delete entry.map.getContainer().dataset.chain;
      if (!slug) {
        if (beforeChain) redraw(beforeChain);
        beforeChain = null;
        rows.forEach((row) => { row.hidden = false; });
        if (filters) {
          filters.hidden = false;
          filters.dispatchEvent(new Event("change"));  // map.js hides rows and counts by its own filters
        }
        return;
      }
      if (filters) filters.hidden = true;
      if (!beforeChain) beforeChain = entry.markers.filter((marker) => isShown(marker));
      const hosts = linkOfParks(form.querySelector('[data-chain="' + slug + '"]'));
      const chosen = entry.markers.filter((marker) => hosts.has(marker.feature.properties.slug));
      chosen.forEach((marker) => {
        const host = hosts.get(marker.feature.properties.slug);
        icons[host.colour] = icons[host.colour] || chainIcon(host.colour);
        marker.setIcon(icons[host.colour]);
        marker.feature.properties.chainLink = host.link;
      });
      redraw(chosen);
      rows.forEach((row) => {
        row.hidden = !hosts.has(row.dataset.slug);
      });
      entry.map.getContainer().dataset.chain = slug;
      if (chosen.length) entry.map.fitBounds(L.latLngBounds(chosen.map((m) => m.getLatLng())), {maxZoom: 10, padding: [30, 30]});
    }

    function isShown(marker) {
      return entry.layer.hasLayer(marker) || Boolean(entry.layer.getVisibleParent && entry.layer.getVisibleParent(marker));
    }

    function redraw(markers) {
      entry.layer.clearLayers();
      if (entry.layer.addLayers) entry.layer.addLayers(markers);
      else markers.forEach((marker) => entry.layer.addLayer(marker));
    }

    select.addEventListener("change", () => show(select.value));
    form.addEventListener("submit", (event) => event.preventDefault());
    if (select.value) show(select.value);
  }

  function start() {
    document.querySelectorAll("[data-chain-selector]").forEach(connect);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
