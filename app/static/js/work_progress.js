/* Background work a page follows (an import's check or write, an export): its status is polled
   every second, the progress bar moved, and each answer handed to the page, which returns false
   to stop following (having reloaded, or shown the result). */
(function () {
  "use strict";
  window.followWork = function (statusUrl, onStatus) {
    function poll() {
      fetch(statusUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (s) {
        var p = s.progress || {}, bar = document.getElementById("progress-bar");
        if (bar && p.total) {
          bar.style.width = Math.round(100 * p.done / p.total) + "%";
          bar.setAttribute("aria-valuenow", Math.round(100 * p.done / p.total));
          bar.textContent = p.done.toLocaleString() + " / " + p.total.toLocaleString();
        }
        if (onStatus(s) !== false) { setTimeout(poll, 1000); }
      }).catch(function () { setTimeout(poll, 3000); });
    }
    setTimeout(poll, 500);
  };
}());
