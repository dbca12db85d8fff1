// Date and month pickers of the staff screens: every input marked data-day-picker (a date) or
// data-month-picker (a month), whether in the page from the start or added later (the list's
// filters), gets Flask-AppBuilder's bootstrap-datepicker. On Thai screens the picker names days
// and months in Thai and shows Buddhist-Era years everywhere (heading, year and decade views),
// and the field shows dd/mm/yyyy with a B.E. year; on English screens yyyy-mm-dd, C.E.
// The field sends what it shows; the server reads it (app/domain/thai_dates.py). What is typed
// by hand is read here by the same rules, so the picker opens on it and the field shows it back
// in the screen's form; what this script cannot read is left as typed for the server to answer.
(function ($) {
  "use strict";
  if (!$ || !$.fn || !$.fn.datepicker) {
    return;
  }
  var BE_OFFSET = 543;
  var TWO_DIGIT_BE_PIVOT = 40;
  var THAI_MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
                     "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"];
  var THAI_MONTHS_SHORT = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."];
  var ENGLISH_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                        "october", "november", "december"];

  $.fn.datepicker.dates.th = {
    days: ["อาทิตย์", "จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์"],
    daysShort: ["อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"],
    daysMin: ["อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"],
    months: THAI_MONTHS,
    monthsShort: THAI_MONTHS_SHORT,
    today: "วันนี้",
    clear: "ล้าง",
    monthsTitle: "เดือน",
    titleFormat: "MM yyyy"
  };
  var script = document.currentScript;
  var screenLang = script && script.getAttribute("data-lang") === "th" ? "th" : "en";
  $.fn.datepicker.defaults.language = screenLang;

  // ---- reading and writing, as app/domain/thai_dates.py does ------------------------------------

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function cleaned(text) {
    return String(text || "").replace(/[๐-๙]/g, function (c) { return String(c.charCodeAt(0) - 0x0e50); })
      .replace(/\s+/g, " ").trim().toLowerCase().replace(/^วัน\S{0,12}?ที่\s*/, "");
  }

  // A four-digit year of 2400 or more is B.E., one from 1900 to 2200 C.E.; two digits: B.E. 25yy
  // from 40 up, else C.E. 20yy. null: neither.
  function fullYear(text) {
    var year = parseInt(text, 10);
    if (text.length === 2) { return year >= TWO_DIGIT_BE_PIVOT ? 2500 + year - BE_OFFSET : 2000 + year; }
    if (year >= 2400) { return year - BE_OFFSET; }
    return year >= 1900 && year <= 2200 ? year : null;
  }

  function monthOfName(word) {
    var key = word.replace(/\./g, "");
    for (var i = 0; i < 12; i++) {
      if (key === THAI_MONTHS[i] || key === THAI_MONTHS_SHORT[i].replace(/\./g, "") ||
          key === ENGLISH_MONTHS[i] || key === ENGLISH_MONTHS[i].slice(0, 3)) {
        return i + 1;
      }
    }
    return null;
  }

  function utcDate(year, month, day) {
    if (year === null || month === null) { return null; }
    var date = new Date(Date.UTC(year, month - 1, day));
    var exists = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
    return exists && year >= 1900 && year <= 2200 ? date : null;
  }

  function readDay(text) {
    var t = cleaned(text), m;
    if ((m = /^(\d{4})[-\/.](\d{1,2})[-\/.](\d{1,2})$/.exec(t))) { return utcDate(fullYear(m[1]), +m[2], +m[3]); }
    if ((m = /^(\d{1,2})[-\/.](\d{1,2})[-\/.](\d{2}|\d{4})$/.exec(t))) { return utcDate(fullYear(m[3]), +m[2], +m[1]); }
    if ((m = /^(\d{1,2}) ?([^\d\s]+) ?(\d{2}|\d{4})$/.exec(t))) { return utcDate(fullYear(m[3]), monthOfName(m[2]), +m[1]); }
    return null;
  }

  function showDay(date, lang) {
    var y = date.getUTCFullYear(), m = pad(date.getUTCMonth() + 1), d = pad(date.getUTCDate());
    return lang === "th" ? d + "/" + m + "/" + (y + BE_OFFSET) : y + "-" + m + "-" + d;
  }

  function readMonth(text) {
    var t = cleaned(text), m;
    if ((m = /^(\d{4})[-\/.](\d{1,2})$/.exec(t))) { return utcDate(fullYear(m[1]), +m[2], 1); }
    if ((m = /^(\d{1,2})[-\/. ](\d{4}|\d{2})$/.exec(t))) { return utcDate(fullYear(m[2]), +m[1], 1); }
    if ((m = /^([^\d\s]+) ?(\d{4}|\d{2})$/.exec(t))) { return utcDate(fullYear(m[2]), monthOfName(m[1]), 1); }
    return null;
  }

  function showMonth(date, lang) {
    var y = date.getUTCFullYear(), m = pad(date.getUTCMonth() + 1);
    return lang === "th" ? m + "/" + (y + BE_OFFSET) : y + "-" + m;
  }

  function format(read, show) {
    return {
      toDisplay: function (date) { return show(date, screenLang); },
      toValue: function (text) { return read(text); }
    };
  }

  // ---- B.E. years in the picker itself ----------------------------------------------------------
  // bootstrap-datepicker writes C.E. years into its headings and year cells, and reads a clicked
  // year back from the cell's text: the cells are relabelled after each drawing and given their
  // C.E. text back just before a click is handled.

  var Picker = $.fn.datepicker.Constructor.prototype;
  var drawn = Picker.fill, clicked = Picker.click;

  function plusEra(text) {
    return text.replace(/\d{4}/g, function (year) { return String(+year + BE_OFFSET); });
  }

  Picker.fill = function () {
    drawn.apply(this, arguments);
    if (this.o.language !== "th") { return; }
    var view = this.viewDate, picker = this.picker;
    if (!isNaN(view.getUTCFullYear())) {
      picker.find(".datepicker-days .datepicker-switch")
        .text(THAI_MONTHS[view.getUTCMonth()] + " " + (view.getUTCFullYear() + BE_OFFSET));
    }
    picker.find(".datepicker-months .datepicker-switch, .datepicker-years .datepicker-switch, " +
                ".datepicker-decades .datepicker-switch, .datepicker-centuries .datepicker-switch").each(function () {
      $(this).text(plusEra($(this).text()));
    });
    picker.find("span.year, span.decade, span.century").each(function () {
      this.setAttribute("data-ce", this.textContent);
      this.textContent = String(+this.textContent + BE_OFFSET);
    });
  };

  Picker.click = function (event) {
    var cell = $(event.target).closest("span.year, span.decade, span.century");
    if (cell.length && cell.attr("data-ce")) {
      cell.text(cell.attr("data-ce"));
    }
    return clicked.apply(this, arguments);
  };

  // ---- the fields ------------------------------------------------------------------------------

  var KINDS = {
    day: {selector: "input[data-day-picker]", read: readDay, show: showDay, options: {}},
    month: {selector: "input[data-month-picker]", read: readMonth, show: showMonth,
            options: {minViewMode: 1, startView: 1}}
  };

  function kindOf(input) {
    return input.hasAttribute("data-month-picker") ? KINDS.month : KINDS.day;
  }

  // The value as the screen writes it, when this script can read it; otherwise left alone (an ISO
  // moment from a dashboard's link, or a mistake the server will explain).
  function tidy(input) {
    var kind = kindOf(input), date = kind.read(input.value);
    if (date) { input.value = kind.show(date, screenLang); }
  }

  function setUp(input) {
    var $input = $(input);
    if ($input.data("datepicker")) { return false; }
    var kind = kindOf(input);
    tidy(input);
    $input.datepicker($.extend({
      language: screenLang,
      format: format(kind.read, kind.show),
      forceParse: false,
      autoclose: true,
      todayHighlight: true,
      todayBtn: "linked",
      clearBtn: true
    }, kind.options));
    $input.on("change blur", function () { tidy(input); });
    return true;
  }

  var fields = KINDS.day.selector + ", " + KINDS.month.selector;
  $(function () {
    $(fields).each(function () { setUp(this); });
  });
  // Fields added later (a list filter chosen from its menu) are set up when first used.
  $(document).on("focus click", fields, function () {
    if (setUp(this)) { $(this).datepicker("show"); }
  });
  $(document).on("click", ".rueang-date .input-group-addon", function () {
    $(this).siblings("input").trigger("focus");
  });

  window.rueangDates = {readDay: readDay, showDay: showDay, readMonth: readMonth, showMonth: showMonth};
})(window.jQuery);
