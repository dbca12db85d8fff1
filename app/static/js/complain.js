/* The complaint form: district suggestions for the chosen province, "use my location", and a check
   of the chosen photos before sending (a form past the server's size limit is refused before any
   field is read, and what was typed would be lost). A refused form starts with the focus on its
   list of what to correct. */
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

  var photos = document.getElementById("photos");
  var photosCheck = document.getElementById("photos-check");
  var refusedPhotos = photos && photos.getAttribute("aria-invalid") === "true";

  function photosFit() {
    var files = photos.files || [], problems = [], i;
    if (files.length > Number(photos.dataset.maxCount)) {
      problems.push(photos.dataset.tooMany.replace("{count}", files.length));
    } else {
      for (i = 0; i < files.length; i += 1) {
        if (files[i].size > Number(photos.dataset.maxBytes)) {
          problems.push(photos.dataset.tooLarge.replace("{n}", i + 1));
        }
      }
    }
    photosCheck.textContent = problems.join(" ");
    photosCheck.hidden = problems.length === 0;
    if (problems.length) {
      photos.setAttribute("aria-invalid", "true");
    } else if (!refusedPhotos) {
      photos.removeAttribute("aria-invalid");
    }
    return problems.length === 0;
  }
  if (photos && photosCheck && photos.form) {
    photos.addEventListener("change", photosFit);
    photos.form.addEventListener("submit", function (event) {
      if (!photosFit()) {
        event.preventDefault();
        photos.focus();
      }
    });
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
