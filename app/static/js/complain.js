/* The complaint form: district suggestions for the chosen province, and "use my location". A
   refused form starts with the focus on its list of what to correct. */
(function () {
  "use strict";
  var refused = document.getElementById("form-errors");
  if (refused) { refused.focus(); }
  var province = document.getElementById("province");
  var names = document.getElementById("district-names");
  var data = document.getElementById("district-data");
  var districts = data ? JSON.parse(data.textContent) : {};

  function suggestDistricts() {
    if (!province || !names) { return; }
    names.textContent = "";
    (districts[province.value] || []).forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      names.appendChild(option);
    });
  }
  if (province) {
    province.addEventListener("change", suggestDistricts);
    suggestDistricts();
  }

  var button = document.getElementById("use-location");
  var status = document.getElementById("location-status");
  if (!button || !("geolocation" in navigator)) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.dataset.waiting;
    navigator.geolocation.getCurrentPosition(function (position) {
      document.getElementById("latitude").value = position.coords.latitude.toFixed(6);
      document.getElementById("longitude").value = position.coords.longitude.toFixed(6);
      status.textContent = button.dataset.done;
    }, function () {
      status.textContent = button.dataset.failed;
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
}());
