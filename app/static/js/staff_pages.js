/* Every staff screen: when a form was refused, the focus starts on the summary of what to correct
   (#form-errors), so a screen reader reads it first and the Tab key goes on from it to the fields. */
(function () {
  "use strict";
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }
})();
