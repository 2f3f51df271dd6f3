/* Park list filters: sector, city and level, without a page reload.
   Without JavaScript the form is not shown (html.no-js) and every park is listed. */
(function () {
  "use strict";
  function setUp(form) {
    var cards = Array.prototype.slice.call(document.querySelectorAll(".park-list > .park-card"));
    var count = form.querySelector("[data-park-count]");
    var template = count.getAttribute("data-template");
    var templateOne = count.getAttribute("data-template-one") || template;
    var empty = form.querySelector("[data-park-empty]");
    var params = new URLSearchParams(window.location.search);
    ["sector", "city", "level"].forEach(function (name) {
      var select = form.elements[name];
      if (params.has(name)) select.value = params.get(name);
    });

    function apply() {
      var sector = form.elements.sector.value;
      var city = form.elements.city.value;
      var level = form.elements.level.value;
      var shown = 0;
      cards.forEach(function (card) {
        var visible = (!sector || card.dataset.sectors.split(" ").indexOf(sector) !== -1) &&
          (!city || card.dataset.city === city) &&
          (!level || card.dataset.level === level);
        card.hidden = !visible;
        if (visible) shown += 1;
      });
      count.textContent = (shown === 1 ? templateOne : template).replace("{count}", shown);
      empty.hidden = shown > 0;
      var query = new URLSearchParams();
      if (sector) query.set("sector", sector);
      if (city) query.set("city", city);
      if (level) query.set("level", level);
      var search = query.toString();
      window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
    }

    form.addEventListener("change", apply);
    // "reset" fires before the controls change back, so look once they have.
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply();
  }
  document.querySelectorAll("form[data-park-filter]").forEach(setUp);
})();
