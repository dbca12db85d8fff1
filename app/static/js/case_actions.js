// The case page's actions: a move that ends the case (rejected, cancelled), sends it to another
// agency or reopens it asks once before it is sent. The question comes from the form (data-confirm), in the
// reader's language; with data-confirm-values, only for those choices of its select.
(function () {
  "use strict";
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var only = (form.getAttribute("data-confirm-values") || "").split(" ").filter(Boolean);
      var select = form.querySelector("select");
      if (only.length && (!select || only.indexOf(select.value) < 0)) {
        return;
      }
      var chosen = select && select.selectedIndex >= 0 ? select.options[select.selectedIndex].text : "";
      if (!window.confirm(form.getAttribute("data-confirm").replace("%s", chosen))) {
        event.preventDefault();
      }
    });
  });
})();
