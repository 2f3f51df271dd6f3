// Starts Decap CMS with the configuration sitegen generates from its schema (config.json).
// Each browser tab names itself to the preview server, so a save from a tab that read a file
// before another tab changed it is refused instead of overwriting that change.
(function () {
  "use strict";
  var tab = Date.now().toString(36) + Math.random().toString(36).slice(2, 10);

  function proposeName(proxyUrl, entry) {
    var data = entry.get("data");
    if (!entry.get("newRecord") || data.get("file_name")) {
      return Promise.resolve(data);
    }
    var name = data.getIn(["name", "zh"]) || data.getIn(["title", "zh"]) || "";
    return fetch(proxyUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: JSON.stringify({ action: "proposeName", params: { collection: entry.get("collection"), name: name } })
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) {
          throw new Error(answer.error);
        }
        return data.set("file_name", answer.name);
      });
    });
  }

  fetch("config.json", { cache: "no-store" })
    .then(function (response) { return response.json(); })
    .then(function (config) {
      if (config.backend.name === "proxy") {
        config.backend.proxy_url = config.backend.proxy_url + "?tab=" + tab;
        window.CMS.registerEventListener({
          name: "preSave",
          handler: function (event) { return proposeName(config.backend.proxy_url, event.entry); }
        });
      }
      window.CMS.init({ config: config });
    });
})();
