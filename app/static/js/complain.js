/* The complaint form: what was typed kept across a switch of language, district suggestions for the
   chosen province, "use my location", and a check of the chosen photos before sending (a form past
   the server's size limit is refused before any field is read, and what was typed would be lost).
   A refused form starts with the focus on its list of what to correct. */
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
  /* Switching language loads the form again: what was typed goes along, in this tab's
     sessionStorage, until the form in the other language has put it back (files cannot go, nor
     the form's security fields). */
  var form = province && province.form;
  var DRAFT = "rueang-complaint-draft";
  function carried(element) {
    return element.name && element.type !== "file" && element.type !== "hidden" && element.type !== "submit" &&
      element.type !== "button" && !element.closest(".hp");
  }
  function storage() {
    try { return window.sessionStorage; } catch (blocked) { return null; }
  }
  if (form && storage()) {
    var draft = storage().getItem(DRAFT);
    storage().removeItem(DRAFT);
    if (draft) {
      var values = JSON.parse(draft);
      Array.prototype.forEach.call(form.elements, function (element) {
        if (!carried(element) || !Object.prototype.hasOwnProperty.call(values, element.name)) { return; }
        if (element.type === "radio" || element.type === "checkbox") {
          element.checked = values[element.name] === element.value;
        } else if (!element.value) {
          element.value = values[element.name];
        }
      });
    }
    Array.prototype.forEach.call(document.querySelectorAll(".langs a"), function (link) {
      link.addEventListener("click", function () {
        var values = {};
        Array.prototype.forEach.call(form.elements, function (element) {
          if (!carried(element) || ((element.type === "radio" || element.type === "checkbox") && !element.checked)) {
            return;
          }
          if (element.value) { values[element.name] = element.value; }
        });
        if (Object.keys(values).length) { storage().setItem(DRAFT, JSON.stringify(values)); }
      });
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
  // The server's word on photos sent before is about files no longer chosen: once others are
  // chosen it goes, beside the field and in the list above the form, so that two messages about
  // "photo 1" never disagree.
  function forgetRefusedPhotos() {
    if (!refusedPhotos) { return; }
    refusedPhotos = false;
    var said = document.getElementById("photos-error");
    if (said) { said.remove(); }
    photos.setAttribute("aria-describedby", (photos.getAttribute("aria-describedby") || "")
      .split(" ").filter(function (id) { return id && id !== "photos-error"; }).join(" "));
    Array.prototype.forEach.call(document.querySelectorAll('#form-errors a[href="#photos"]'), function (link) {
      var item = link.closest("li");
      if (item) { item.remove(); }
    });
    var list = document.querySelector("#form-errors ul");
    if (list && !list.children.length) { document.getElementById("form-errors").hidden = true; }
  }
  if (photos && photosCheck && photos.form) {
    photos.addEventListener("change", forgetRefusedPhotos);
    photos.addEventListener("change", photosFit);
    photos.form.addEventListener("submit", function (event) {
      if (!photosFit()) {
        event.preventDefault();
        photos.focus();
      }
    });
  }

  // A double tap on a slow connection must not file the complaint twice: once the form is on
  // its way, a second sending is dropped. Coming back to the page (the browser's back button)
  // makes it sendable again.
  var complaint = document.querySelector("form.complaint");
  if (complaint) {
    var sending = false;
    var send = complaint.querySelector("button[type=submit]");
    complaint.addEventListener("submit", function (event) {
      if (event.defaultPrevented) { return; }
      if (sending) {
        event.preventDefault();
        return;
      }
      sending = true;
      if (send) {
        send.setAttribute("aria-disabled", "true");
        send.textContent = send.dataset.sending || send.textContent;
      }
    });
    window.addEventListener("pageshow", function () {
      sending = false;
      if (send) {
        send.removeAttribute("aria-disabled");
        send.textContent = send.dataset.idle || send.textContent;
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
