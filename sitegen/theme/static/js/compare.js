/* The compare view: two to four parks side by side, drawn from their own pages.
 *
 * A static site cannot draw every combination of parks ahead of time, so /compare/?parks=a,b
 * fetches each chosen park's page (the page itself, already built; nothing extra is made) and
 * takes from it what an investor compares: key facts, figures, sites available, costs,
 * policies, chains and the contact. Facts, figures and costs line up by their row labels.
 * Links are made absolute against the park page they came from.
 */
(function () {
  "use strict";

  const root = document.querySelector("[data-compare]");
  if (!root) return;
  const labels = root.dataset;
  const MOST = 4;
  const table = root.querySelector("[data-compare-table]");
  const status = root.querySelector("[data-compare-status]");

  function chosenSlugs() {
    const params = new URLSearchParams(window.location.search);
    const slugs = params.getAll("parks").flatMap((value) => value.split(","));
    return Array.from(new Set(slugs.filter((slug) => /^[a-z0-9][a-z0-9-]*$/.test(slug)))).slice(0, MOST);
  }

  function absolute(node, base) {
    node.querySelectorAll("[href]").forEach((link) => { link.href = new URL(link.getAttribute("href"), base).href; });
    node.querySelectorAll("[src]").forEach((image) => { image.src = new URL(image.getAttribute("src"), base).href; });
    return node;
  }

  function labelled(rows) {
    const found = new Map();
    rows.forEach((row) => {
      const head = row.querySelector("th");
      const cells = row.querySelectorAll("td");
      if (!head || !cells.length) return;
      const label = head.cloneNode(true);
      label.querySelectorAll(".tag").forEach((tag) => tag.remove());
      found.set(label.textContent.trim(), Array.from(cells).slice(0, 2).map((cell) => cell.innerHTML).join(" · "));
    });
    return found;
  }

  function listOf(links) {
    if (!links.length) return labels.lNone;
    return "<ul>" + links.map((link) => "<li>" + link.outerHTML + "</li>").join("") + "</ul>";
  }

  function sitesOf(page, base) {
    const cards = Array.from(page.querySelectorAll(".site-card")).filter((card) => card.querySelector(".site-status--available"));
    if (!cards.length) return labels.lNone;
    const items = cards.map((card) => {
      const link = document.createElement("a");
      link.href = new URL("#" + card.id, base).href;
      link.textContent = card.querySelector(".site-card__name").firstChild.textContent.trim();
      const facts = Array.from(card.querySelectorAll(".site-facts dd")).slice(0, 3).map((fact) => fact.textContent.trim());
      return "<li>" + link.outerHTML + " " + facts.join(" · ") + "</li>";
    });
    return "<p>" + labels.lAvailable.replace("{count}", cards.length) + "</p><ul>" + items.join("") + "</ul>";
  }

  function readPark(slug, text, base) {
    const page = absolute(new DOMParser().parseFromString(text, "text/html").body, base);
    const contact = page.querySelector("#contact");
    if (contact) contact.querySelector("h2").remove();
    return {
      slug,
      name: page.querySelector("h1").textContent.trim(),
      url: base,
      facts: labelled(page.querySelectorAll("table.facts tr")),
      figures: labelled(page.querySelectorAll("table.figures tbody tr")),
      costs: labelled(page.querySelectorAll(".park-costs table.costs tbody tr")),
      sites: sitesOf(page, base),
      policies: listOf(Array.from(page.querySelectorAll(".park-policies .policy-item__title a"))),
      chains: listOf(Array.from(page.querySelectorAll(".park-chains li > a:first-child"))),
      contact: contact ? contact.innerHTML : labels.lNone,
    };
  }

  function cell(tag, html, scope) {
    const node = document.createElement(tag);
    if (scope) node.scope = scope;
    node.innerHTML = html;
    return node;
  }

  function addRow(label, cells, section) {
    const row = table.tBodies[0].insertRow();
    if (section) row.className = "compare-section";
    row.appendChild(cell("th", label, "row")).textContent = label;
    cells.forEach((html) => row.appendChild(cell("td", html)));
  }

  function addLabelled(title, parks, key) {
    const names = [];
    parks.forEach((park) => park[key].forEach((value, name) => { if (!names.includes(name)) names.push(name); }));
    if (!names.length) return;
    addRow(title, parks.map(() => ""), true);
    names.forEach((name) => addRow(name, parks.map((park) => park[key].get(name) || "—")));
  }

  function draw(parks, slugs) {
    table.innerHTML = "";
    const head = table.createTHead().insertRow();
    head.appendChild(cell("td", ""));
    parks.forEach((park) => {
      const rest = slugs.filter((slug) => slug !== park.slug).join(",");
      const remove = '<a class="compare-remove" href="?parks=' + rest + '">' + labels.lRemove + "</a>";
      head.appendChild(cell("th", '<a href="' + park.url + '">' + park.name.replace(/</g, "&lt;") + "</a> " + remove, "col"));
    });
    table.createTBody();
    addLabelled(labels.lFacts, parks, "facts");
    addLabelled(labels.lFigures, parks, "figures");
    addRow(labels.lSites, parks.map((park) => park.sites), true);
    addLabelled(labels.lCosts, parks, "costs");
    addRow(labels.lPolicies, parks.map((park) => park.policies), true);
    addRow(labels.lChains, parks.map((park) => park.chains), true);
    addRow(labels.lContact, parks.map((park) => park.contact), true);
    table.hidden = false;
  }

  const slugs = chosenSlugs();
  if (slugs.length) {
    // The address is the choice: the compare buttons and tray (compare-pick.js, run next) show it.
    try { window.localStorage.setItem("sitegen-compare", JSON.stringify(slugs)); } catch (error) { /* private mode */ }
  }
  if (!slugs.length) {
    root.querySelector("[data-compare-empty]").hidden = false;
    return;
  }
  Promise.all(slugs.map((slug) => {
    const base = new URL(labels.parks + slug + "/", window.location.href).href;
    return fetch(base).then((response) => (response.ok ? response.text() : null))
      .then((text) => (text === null ? null : readPark(slug, text, base)), () => null);
  })).then((found) => {
    const parks = found.filter(Boolean);
    const missing = slugs.filter((slug) => !parks.some((park) => park.slug === slug));
    if (missing.length) {
      status.textContent = labels.lFailed.replace("{parks}", missing.join(", "));
      status.hidden = false;
    }
    if (parks.length) draw(parks, parks.map((park) => park.slug));
    else root.querySelector("[data-compare-empty]").hidden = false;
  });
})();
