// "My shape": while the mannequin is being drawn, fetch the panel again until it is done.
(function () {
  var DELAY_MS = 2000;
  var MAX_TRIES = 30;
  var tries = 0;
  function poll() {
    var panel = document.getElementById("my-shape");
    if (!panel || panel.dataset.myShape !== "drawing" || tries >= MAX_TRIES) return;
    tries += 1;
    fetch(panel.dataset.pollUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        var fresh = holder.querySelector("#my-shape");
        if (fresh) panel.replaceWith(fresh);
        window.setTimeout(poll, DELAY_MS);
      })
      .catch(function () { window.setTimeout(poll, DELAY_MS); });
  }
  window.setTimeout(poll, DELAY_MS);
})();
