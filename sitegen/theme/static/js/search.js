/* The search page: queries the Pagefind index built with the site (no server, no other host).
   Results show each entry's own one-line summary; ?q=… in the address runs a search, so a
   search can be linked to and works again after the back button. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-search]");
  if (!form) return;
  var input = form.elements.q;
  var status = document.querySelector(".search-status");
  var list = document.querySelector("[data-search-results]");
  var siteRoot = new URL(form.dataset.siteRoot, window.location.href);
  var bundle = new URL(form.dataset.bundle, window.location.href);
  // A large site's index comes in parts (pagefind/sitegen-shards.json lists the others).
  var loading = import(bundle.href).then(function (pagefind) {
    return fetch(new URL("sitegen-shards.json", bundle).href)
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (shards) {
        return Promise.all(shards.map(function (shard) {
          return pagefind.mergeIndex(new URL(shard, bundle).href);
        }));
      })
      .then(function () { return pagefind; });
  });
  var latest = 0;

  // [[kind, heading], ...] in the order the groups are shown.
  var kindList = JSON.parse(form.dataset.kinds);
  var kinds = {};
  kindList.forEach(function (pair) { kinds[pair[0]] = pair[1]; });
  var order = kindList.map(function (pair) { return pair[0]; });

  /* What a result shows: the page itself when its own text matched, and each matching
     section of it (a site's card on its park's page, found at its anchor "site-…"), as an
     entry of that section's kind with the summary the page keeps for it; the sections with
     the most words matched first. */
  function entries(result) {
    var found = [];
    var pageMatched = false;
    (result.sub_results || []).forEach(function (sub) {
      var id = sub.anchor && sub.anchor.id;
      var kind = id ? id.split("-")[0] : "";
      if (!id || !kinds[kind]) {
        pageMatched = true;
        return;
      }
      // A section without a summary of its own is told apart by its page: a site by its park.
      found.push({ kind: kind, url: sub.url, title: sub.title,
        summary: result.meta["summary-" + id] || result.meta.title, matches: sub.locations.length });
    });
    found.sort(function (a, b) { return b.matches - a.matches; });  // the section the query names first
    if (pageMatched || !found.length) {
      var kind = kinds[result.meta.kind] ? result.meta.kind : "page";
      found.unshift({ kind: kind, url: result.url, title: result.meta.title, summary: result.meta.summary });
    }
    return found;
  }

  /* Results grouped by kind (parks, sectors, cities, chains, sites, policies, events, pages),
     each group in Pagefind's order of relevance. */
  function show(results) {
    list.textContent = "";
    var groups = {};
    var count = 0;
    results.forEach(function (result) {
      entries(result).forEach(function (entry) {
        (groups[entry.kind] = groups[entry.kind] || []).push(entry);
        count += 1;
      });
    });
    order.forEach(function (kind) {
      if (!groups[kind]) return;
      var section = document.createElement("section");
      section.className = "search-group";
      var heading = document.createElement("h2");
      heading.textContent = kinds[kind] + " (" + groups[kind].length + ")";
      section.appendChild(heading);
      var items = document.createElement("ul");
      items.className = "search-results";
      groups[kind].forEach(function (entry) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = new URL(entry.url, siteRoot).href;
        link.textContent = entry.title;
        item.appendChild(link);
        if (entry.summary) {
          var summary = document.createElement("p");
          summary.textContent = entry.summary;
          item.appendChild(summary);
        }
        items.appendChild(item);
      });
      section.appendChild(items);
      list.appendChild(section);
    });
    status.textContent = count
      ? (count === 1 && form.dataset.countTemplateOne || form.dataset.countTemplate).replace("{count}", count)
      : form.dataset.none;
  }

  function search(query) {
    var ticket = ++latest;
    if (!query.trim()) {
      list.textContent = "";
      status.textContent = "";
      return;
    }
    loading
      .then(function (pagefind) { return pagefind.search(query); })
      .then(function (found) { return Promise.all(found.results.slice(0, 50).map(function (r) { return r.data(); })); })
      .then(function (results) { if (ticket === latest) show(results); })
      .catch(function () { status.textContent = form.dataset.unavailable; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    window.history.replaceState(null, "", url);
    search(input.value);
  });
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 250);
  });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    search(initial);
  }
})();
