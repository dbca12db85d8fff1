/* Every staff screen: when a form was refused, the focus starts on the summary of what to correct
   (#form-errors), so a screen reader reads it first and the Tab key goes on from it to the fields.
   Select2's boxes (Flask-AppBuilder's drop-downs) name themselves by the value chosen; each is
   given its field's label first, so a screen reader says "Case type: Factory nuisance". The list's
   filter bar is named the same way, below. */
(function () {
  "use strict";
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }

  /* "Back" links (an error page's): the page before, without a javascript: address, which the
     staff pages' Content-Security-Policy does not run. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-history-back]");
    if (link && window.history.length > 1) { event.preventDefault(); window.history.back(); }
  });

  /* Select2's own words (a search that finds nothing, the button that clears a choice) are
     English unless it is given others; Flask-AppBuilder makes its boxes in a ready handler,
     which runs after this script, so the default set here is theirs. */
  if ((document.documentElement.lang || "th") === "th" && window.jQuery && window.jQuery.fn.select2) {
    window.jQuery.fn.select2.defaults.set("language", {
      errorLoading: function () { return "โหลดรายการไม่สำเร็จ"; },
      inputTooLong: function (args) { return "กรุณาลบออก " + (args.input.length - args.maximum) + " ตัวอักษร"; },
      inputTooShort: function (args) { return "กรุณาพิมพ์เพิ่มอีก " + (args.minimum - args.input.length) + " ตัวอักษร"; },
      loadingMore: function () { return "กำลังโหลดเพิ่ม…"; },
      maximumSelected: function (args) { return "เลือกได้ไม่เกิน " + args.maximum + " รายการ"; },
      noResults: function () { return "ไม่พบข้อมูล"; },
      searching: function () { return "กำลังค้นหา…"; },
      removeAllItems: function () { return "ล้างค่าที่เลือก"; }
    });
  }

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

  /* The list's filter bar (Flask-AppBuilder's ab_filters.js) builds each filter as a row: a
     link "× Column" that removes it, a drop-down of conditions, a field for the value; none of
     them says which column it belongs to. Each is named after its column, as rows come and go. */
  var thai = (document.documentElement.lang || "th") === "th";
  var words = thai ? {remove: "นำตัวกรองออก: ", condition: ": เงื่อนไข", value: ": ค่า"}
                   : {remove: "Remove the filter: ", condition: ": condition", value: ": value"};
  var named = 0;

  function labelFilterRow(row) {
    var remove = row.querySelector("a.remove-filter");
    var cells = row.querySelectorAll("td.filter");
    if (!remove || cells.length < 2) { return; }
    var column = remove.textContent.replace("\u00d7", "").trim();
    remove.setAttribute("aria-label", words.remove + column);
    var condition = cells[0].querySelector("select");
    if (condition) {
      condition.setAttribute("aria-label", column + words.condition);
      var box = condition.nextElementSibling;
      var selection = box && box.classList.contains("select2") ? box.querySelector(".select2-selection") : null;
      if (selection && !selection.hasAttribute("data-named")) {
        var name = document.createElement("span");
        name.className = "sr-only";
        name.id = "filter-name-" + (named += 1);
        name.textContent = column + words.condition;
        cells[0].appendChild(name);
        var value = box.querySelector(".select2-selection__rendered");
        selection.setAttribute("aria-labelledby", name.id + (value && value.id ? " " + value.id : ""));
        selection.setAttribute("data-named", "");
      }
    }
    cells[cells.length - 1].querySelectorAll("input:not([type=hidden]), select").forEach(function (field) {
      field.setAttribute("aria-label", column + words.value);
    });
  }

  function labelFilterBars() {
    document.querySelectorAll("table.filters").forEach(function (table) {
      table.querySelectorAll("tr").forEach(labelFilterRow);
      if (!table.hasAttribute("data-watched") && window.MutationObserver) {
        table.setAttribute("data-watched", "");
        new MutationObserver(function () { table.querySelectorAll("tr").forEach(labelFilterRow); })
          .observe(table, {childList: true, subtree: true});
      }
    });
  }

  /* A filter the user adds starts on a condition of the page's choosing, by its column:
     - a text column the page names in data-filter-contains (the title, a reference...) starts on
       "contains", which finds a word anywhere; Flask-AppBuilder starts every text filter on
       "starts with";
     - a column of fixed values named in data-filter-equal (statuses, kinds, flags...) offers
       "equal" and "not equal" only, starting on "equal": "starts with" or "ends with" mean
       nothing for a value chosen from a list.
     The conditions keep Flask-AppBuilder's numbers (2 "contains", 3 "equal", 7 "not equal"), so
     links read as before. */
  var CONTAINS = "2", EQUAL = "3", NOT_EQUAL = "7";
  var STARTS = [
    {attribute: "data-filter-contains", condition: CONTAINS, keep: null},
    {attribute: "data-filter-equal", condition: EQUAL, keep: [EQUAL, NOT_EQUAL]}
  ];

  function startOnChosenCondition(event) {
    var column = event.currentTarget.getAttribute("name");
    var start = STARTS.filter(function (rule) {
      var holder = document.querySelector("[" + rule.attribute + "]");
      return holder && holder.getAttribute(rule.attribute).split(" ").indexOf(column) >= 0;
    })[0];
    var rows = document.querySelectorAll("table.filters tr");
    var row = rows[rows.length - 1];
    var condition = row && row.querySelector("select.filter-op");
    var value = row && row.querySelector(".filter_val");
    if (!start || !condition || !value || !condition.querySelector("option[value='" + start.condition + "']")) { return; }
    if (start.keep) {
      Array.prototype.slice.call(condition.options).forEach(function (option) {
        if (start.keep.indexOf(option.value) < 0) { option.remove(); }
      });
    }
    window.jQuery(condition).val(start.condition).trigger("change");
    value.setAttribute("name", "_flt_" + start.condition + "_" + column);
  }

  /* The quick link whose filters are the list's own is marked as the one shown (aria-current,
     and a tick, not colour alone). Page, size and order do not count. */
  function markCurrentQuickLink() {
    var own = function (params) {
      var kept = [];
      params.forEach(function (value, key) {
        if (!/^(page_|psize_|_oc_|_od_)/.test(key)) { kept.push(key + "=" + value); }
      });
      return kept.sort().join("&");
    };
    var shown = own(new URLSearchParams(window.location.search));
    document.querySelectorAll(".case-quick-filters a.btn:not(.pull-right)").forEach(function (link) {
      if (own(new URL(link.href, window.location.href).searchParams) === shown) {
        link.classList.add("active");
        link.setAttribute("aria-current", "page");
      }
    });
  }

  /* Flask-AppBuilder gives its links Bootstrap tooltips, which stay over the page until the focus
     or the pointer leaves the link; Escape puts them away (WCAG 1.4.13), the focus staying put. */
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !window.jQuery || !window.jQuery.fn.tooltip) { return; }
    if (document.querySelector(".tooltip.in")) { window.jQuery("[data-original-title]").tooltip("hide"); }
  });

  if (window.jQuery) {
    // After Flask-AppBuilder's own ready handlers (ab.js, the filter bar) have made the boxes.
    window.jQuery(function () {
      window.setTimeout(function () {
        labelSelect2Boxes(); labelFilterBars();
        window.jQuery("a.filter").on("click", startOnChosenCondition);
        markCurrentQuickLink();
      }, 0);
    });
  }
})();
