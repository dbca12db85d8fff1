/* Dashboard filters: the case-type list offers only the chosen agency's types (every type when no
   agency is chosen), and a chosen type that the newly chosen agency does not have is cleared. */
(function () {
  "use strict";
  var form = document.querySelector(".dash-filters");
  var agency = form && form.querySelector("select[name=agency]");
  var type = form && form.querySelector("select[name=type]");
  if (!agency || !type) { return; }

  // Options are taken out of the list rather than hidden: not every browser hides an <option>.
  var every = Array.prototype.slice.call(type.options);

  function offer() {
    var chosen = agency.value, kept = type.value;
    var offered = every.filter(function (option) {
      return !option.value || !chosen || option.getAttribute("data-agency") === chosen;
    });
    while (type.options.length) { type.remove(0); }
    offered.forEach(function (option) { type.add(option); });
    type.value = offered.some(function (option) { return option.value === kept; }) ? kept : "";
  }

  agency.addEventListener("change", offer);
  offer();
})();
