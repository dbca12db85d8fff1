/* Every staff screen: when a form was refused, the focus starts on the summary of what to correct
   (#form-errors), so a screen reader reads it first and the Tab key goes on from it to the fields.
   Select2's boxes (Flask-AppBuilder's drop-downs) name themselves by the value chosen; each is
   given its field's label first, so a screen reader says "Case type: Factory nuisance". */
(function () {
  "use strict";
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }

  function labelSelect2Boxes() {
    document.querySelectorAll("select.select2-hidden-accessible[id]").forEach(function (select) {
      var label = document.querySelector("label[for='" + select.id + "']");
      var box = select.nextElementSibling;
      if (!label || !box || !box.classList.contains("select2")) { return; }
      if (!label.id) { label.id = select.id + "-label"; }
      var selection = box.querySelector(".select2-selection");
      if (selection) {
        var value = box.querySelector(".select2-selection__rendered");
        selection.setAttribute("aria-labelledby", label.id + (value && value.id ? " " + value.id : ""));
      }
      var search = box.querySelector(".select2-search__field");
      if (search) { search.setAttribute("aria-labelledby", label.id); }
    });
  }

  if (window.jQuery) {
    // After Flask-AppBuilder's own ready handler (ab.js, loaded first) has made the boxes.
    window.jQuery(function () { window.setTimeout(labelSelect2Boxes, 0); });
  }
})();
