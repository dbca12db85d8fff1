// Flask-AppBuilder's date pickers (bootstrap-datepicker, set up by ab.js when the page is ready)
// in Thai on Thai screens: day and month names as bootstrap-datepicker's own Thai locale has them.
// The field still takes the date as yyyy-mm-dd in the Christian Era, as the forms read it.
(function ($) {
  "use strict";
  if (!$ || !$.fn || !$.fn.datepicker) {
    return;
  }
  $.fn.datepicker.dates.th = {
    days: ["อาทิตย์", "จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์"],
    daysShort: ["อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"],
    daysMin: ["อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"],
    months: ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
             "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"],
    monthsShort: ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."],
    today: "วันนี้",
    clear: "ล้าง"
  };
  var script = document.currentScript;
  if (script && script.getAttribute("data-lang") === "th") {
    $.fn.datepicker.defaults.language = "th";
  }
})(window.jQuery);
