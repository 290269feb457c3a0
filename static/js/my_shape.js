// "My shape": a drawing that is missing is asked for with a POST (a GET never writes), then the
// panel is fetched again until it is done.
(function () {
  var DELAY_MS = 2000;
  var MAX_TRIES = 30;
  var tries = 0;
  function replacePanel(panel, html) {
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var fresh = holder.querySelector("#my-shape");
    if (fresh) panel.replaceWith(fresh);
  }
  function poll() {
    var panel = document.getElementById("my-shape");
    if (!panel || panel.dataset.myShape !== "drawing" || tries >= MAX_TRIES) return;
    tries += 1;
    fetch(panel.dataset.pollUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        replacePanel(panel, html);
        window.setTimeout(poll, DELAY_MS);
      })
      .catch(function () { window.setTimeout(poll, DELAY_MS); });
  }
  function request() {
    var panel = document.getElementById("my-shape");
    if (!panel || !panel.dataset.requestUrl) return window.setTimeout(poll, DELAY_MS);
    fetch(panel.dataset.requestUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": panel.dataset.csrf || "" },
    })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html) replacePanel(panel, html);
        window.setTimeout(poll, DELAY_MS);
      })
      .catch(function () { window.setTimeout(poll, DELAY_MS); });
  }
  request();
})();
