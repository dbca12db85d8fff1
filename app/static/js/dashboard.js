/* Rueang dashboards: fetch the figures as JSON, draw them with the app's own Chart.js, refresh
   them on a timer without reloading the page. Staff pages (data-drill="1") turn every tile and
   bar into a link to the case list with the same filters. Nothing is loaded from another host. */
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root) { return; }
  // Without Chart.js (it failed to load) the tiles and the tables are still kept current.
  var charting = typeof Chart !== "undefined";

  var T = JSON.parse(root.getAttribute("data-texts") || "{}");
  var lang = root.getAttribute("data-lang") || "th";
  var drill = root.getAttribute("data-drill") === "1";
  var refreshMs = Math.max(1, parseFloat(root.getAttribute("data-refresh") || "15")) * 1000;
  var dataUrl = root.getAttribute("data-url") + window.location.search;
  var numberFormat = new Intl.NumberFormat(lang === "th" ? "th-TH" : "en-GB");
  var charts = {};
  var LABEL_SHARE = 0.4;
  var timer = null;

  // Every bar at least 3:1 against the white page (WCAG 1.4.11; tests/unit/test_css_contrast.py).
  var COLOURS = { blue: "#0d6efd", green: "#198754", orange: "#e8590c", red: "#dc3545", grey: "#6c757d",
                  purple: "#6f42c1", teal: "#0f9d76", gold: "#b8860b", slate: "#495057", brown: "#8d6e63" };
  var STATUS_COLOURS = { received: COLOURS.grey, in_progress: COLOURS.blue, waiting_applicant: COLOURS.gold,
                         forwarded: COLOURS.purple, resolved: COLOURS.green, rejected: COLOURS.slate,
                         cancelled: COLOURS.brown };

  if (charting) {
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.animation = false;  // figures change in place every refresh; no jumping bars
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.plugins.legend.display = false;
  }

  function fmt(n) { return n === null || n === undefined ? T.none : numberFormat.format(n); }
  function pct(x) { return x === null || x === undefined ? T.none : numberFormat.format(Math.round(x * 1000) / 10) + "%"; }

  // Each chart: how to read its rows from the payload, where a click on a bar goes, and the
  // headings of its table (the rows' labels, then each series).
  var CHARTS = {
    by_status: { type: "bar", rows: function (d) { return d.by_status; }, heading: T.status,
                 series: [{ value: "count", href: "href", colour: function (r) { return STATUS_COLOURS[r.status]; }, label: T.cases }] },
    by_type: { type: "bar", horizontal: true, rows: function (d) { return d.by_type; }, heading: T.case_type,
               series: [{ value: "count", href: "href", colour: COLOURS.blue, label: T.cases }] },
    by_agency: { type: "bar", rows: function (d) { return d.by_agency; }, heading: T.agency,
                 series: [{ value: "count", href: "href", colour: COLOURS.blue, label: T.cases }] },
    weekly: { type: "bar", legend: true, rows: function (d) { return d.weekly; }, heading: T.week,
              series: [{ value: "new", href: "new_href", colour: COLOURS.blue, label: T["new"] },
                       { value: "closed", href: "closed_href", colour: COLOURS.green, label: T.closed }] },
    on_time_by_agency: { type: "bar", max: 100, rows: function (d) { return d.by_agency; }, heading: T.agency,
                         series: [{ value: function (r) { return r.on_time_share === null ? null : Math.round(r.on_time_share * 1000) / 10; },
                                   href: "closed_href", colour: COLOURS.green, label: T.on_time_percent }] },
    top_provinces: { type: "bar", horizontal: true, rows: function (d) { return d.top_provinces; }, heading: T.province,
                     series: [{ value: "count", href: "href", colour: COLOURS.teal, label: T.cases }] },
    satisfaction_by_agency: { type: "bar", max: 5, rows: function (d) { return d.by_agency; }, heading: T.agency,
                              series: [{ value: "satisfaction", href: "rated_href", colour: COLOURS.orange, label: T.average_score }] }
  };

  // A label shortened to `room` pixels, cut between whole characters (a Thai vowel or tone mark
  // stays with its consonant) and ended with "…", so it reads from its start.
  var segmenter = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter(lang, { granularity: "grapheme" }) : null;
  function characters(text) {
    return segmenter ? Array.from(segmenter.segment(text), function (s) { return s.segment; }) : text.match(/\P{M}\p{M}*/gu) || [];
  }
  function fitted(ctx, font, text, room) {
    ctx.save();
    ctx.font = font;
    var parts = characters(text), shown = text;
    if (ctx.measureText(text).width > room) {
      var keep = 0, low = 0, high = parts.length - 1;
      while (low <= high) {  // the most characters that fit with the ellipsis
        var middle = (low + high) >> 1;
        if (ctx.measureText(parts.slice(0, middle).join("").trim() + "…").width <= room) { keep = middle; low = middle + 1; } else { high = middle - 1; }
      }
      shown = parts.slice(0, keep).join("").trim() + "…";
    }
    ctx.restore();
    return shown;
  }

  function valueOf(series, row) { return typeof series.value === "function" ? series.value(row) : row[series.value]; }
  function colourOf(series, row) { return typeof series.colour === "function" ? series.colour(row) : series.colour; }

  // The chart's figures as a table: a heading per column, a row per bar, and on staff pages each
  // figure a link to its cases. Left alone while the figures are the same, so a refresh does not
  // take away the keyboard's place in it.
  function table(name, spec, rows) {
    var el = document.getElementById("table-" + name);
    if (!el) { return; }
    var shown = JSON.stringify(rows.map(function (r) {
      return [r.label].concat(spec.series.map(function (s) { return [valueOf(s, r), drill ? r[s.href] : null]; }));
    }));
    if (el.getAttribute("data-shown") === shown) { return; }
    el.setAttribute("data-shown", shown);
    // A keyboard user on one of the figures stays on it (the same row and column) when the table
    // is built anew; the focus would otherwise fall back to the page.
    var focused = document.activeElement, place = null;
    if (focused && focused !== el && el.contains(focused)) {
      var cell = focused.closest("td, th");
      place = cell ? { label: cell.parentNode.cells[0].textContent, column: cell.cellIndex } : null;
    }
    var head = el.tHead, body = el.tBodies[0];
    head.textContent = "";
    body.textContent = "";
    var top = head.insertRow();
    [spec.heading].concat(spec.series.map(function (s) { return s.label; })).forEach(function (text) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = text;
      top.appendChild(th);
    });
    rows.forEach(function (r) {
      var tr = body.insertRow();
      var th = document.createElement("th");
      th.scope = "row";
      th.textContent = r.label;
      tr.appendChild(th);
      spec.series.forEach(function (s) {
        var td = tr.insertCell(), value = valueOf(s, r), text = fmt(value), href = r[s.href];
        if (drill && href && value !== null && value !== undefined) {
          var a = document.createElement("a");
          a.href = href;
          a.textContent = text;
          td.appendChild(a);
        } else {
          td.textContent = text;
        }
      });
    });
    if (place) {
      var row = Array.prototype.find.call(body.rows, function (tr) { return tr.cells[0].textContent === place.label; });
      var target = row && row.cells[place.column] && row.cells[place.column].querySelector("a");
      if (!target) { el.tabIndex = -1; target = el; }
      target.focus({ preventScroll: true });
    }
  }

  function draw(name, spec, data) {
    var canvas = document.getElementById("chart-" + name);
    if (!canvas) { return; }
    var rows = spec.rows(data) || [];
    table(name, spec, rows);
    if (!charting) { return; }
    var labels = rows.map(function (r) { return r.label; });
    var datasets = spec.series.map(function (s) {
      return { label: s.label || "", data: rows.map(function (r) { return valueOf(s, r); }),
               backgroundColor: rows.map(function (r) { return colourOf(s, r); }),
               hrefs: rows.map(function (r) { return r[s.href]; }) };
    });
    var chart = charts[name];
    if (chart) {
      chart.data.labels = labels;
      chart.data.datasets.forEach(function (ds, i) {
        ds.data = datasets[i].data; ds.backgroundColor = datasets[i].backgroundColor; ds.hrefs = datasets[i].hrefs;
      });
      chart.update("none");
      return;
    }
    var valueAxis = { beginAtZero: true, ticks: { precision: 0 } };
    if (spec.max) { valueAxis.max = spec.max; }
    // Every category keeps its label (Chart.js would skip some when crowded); the tooltip keeps the
    // whole name. Chart.js gives a side axis at most half the chart and cuts off the start of a wider
    // label, so a side label is fitted to LABEL_SHARE of the width, leaving the bars the rest.
    var categoryAxis = { ticks: { autoSkip: !spec.horizontal, callback: function (value) {
      var text = String(this.getLabelForValue(value));
      if (spec.horizontal) {
        return fitted(this.ctx, Chart.helpers.toFont(this.options.ticks.font).string, text, this.chart.width * LABEL_SHARE);
      }
      return text.length > 30 ? text.slice(0, 29) + "…" : text;
    } } };
    charts[name] = new Chart(canvas, {
      type: spec.type,
      data: { labels: labels, datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        scales: spec.horizontal ? { x: valueAxis, y: categoryAxis } : { y: valueAxis, x: categoryAxis },
        plugins: { legend: { display: !!spec.legend } },
        onClick: function (event, elements, c) {
          if (!drill || !elements.length) { return; }
          var el = elements[0];
          var href = c.data.datasets[el.datasetIndex].hrefs[el.index];
          if (href) { window.location.href = href; }
        },
        onHover: function (event, elements) {
          event.native.target.style.cursor = drill && elements.length ? "pointer" : "default";
        }
      }
    });
  }

  function tile(name, value, note, href) {
    var el = root.querySelector('[data-tile="' + name + '"]');
    if (!el) { return; }
    el.querySelector(".dash-tile-value").textContent = value;
    el.querySelector(".dash-tile-note").textContent = note || "";
    if (drill && href) { el.setAttribute("href", href); } else { el.removeAttribute("href"); }
  }

  function render(data) {
    var tiles = data.tiles, links = data.links || {};
    ["total", "open", "new_today", "new_week", "closed_month", "breached", "at_risk"].forEach(function (k) {
      tile(k, fmt(tiles[k]), "", links[k]);
    });
    tile("on_time_share", pct(tiles.on_time_share), fmt(tiles.on_time) + " / " + fmt(tiles.closed) + " " + T.of_closed,
         links.on_time_share);
    tile("median_close_days", tiles.median_close_days === null ? T.none : fmt(tiles.median_close_days),
         T.days, links.median_close_days);
    tile("satisfaction", tiles.satisfaction === null ? T.none : fmt(tiles.satisfaction) + " / 5",
         fmt(tiles.ratings) + " " + T.ratings, links.satisfaction);
    Object.keys(CHARTS).forEach(function (name) { draw(name, CHARTS[name], data); });
    var updated = root.querySelector(".dash-updated");
    updated.textContent = data.generated_label;
    updated.setAttribute("datetime", data.generated_at);
    updated.setAttribute("data-updated", data.generated_at);
    root.setAttribute("data-loaded", "1");
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, refreshMs);
  }

  // A 5xx (or 408, 429) may pass, so it is asked again; another 4xx, such as a 422 for a bad
  // filter, would get the same answer until the filters change, which reloads the page.
  function passing(status) { return status >= 500 || status === 408 || status === 429; }

  var problem = root.querySelector(".dash-problem");
  var refusal = root.querySelector(".dash-error");
  var refused = false;

  function refuse(status, body) {
    refused = true;
    clearTimeout(timer);
    var message = (lang === "th" && body.message_th) || body.message || T.refused + " (HTTP " + status + ")";
    refusal.textContent = message;
    refusal.hidden = false;
    refusal.setAttribute("data-refused", "1");
    problem.hidden = true;
  }

  function refresh() {
    if (refused) { return; }
    fetch(dataUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) { window.location.reload(); return null; }
        if (response.ok) { return response.json(); }
        if (passing(response.status)) { throw new Error("HTTP " + response.status); }
        return response.json().catch(function () { return {}; }).then(function (body) {
          refuse(response.status, body || {});
          return null;
        });
      })
      .then(function (body) {
        if (!body) { return; }
        problem.hidden = true;
        refusal.hidden = true;
        render(body);
      })
      .catch(function () { problem.hidden = false; })
      .then(function () { if (!refused) { schedule(); } });
  }

  // Hidden tabs do not poll; they catch up as soon as they are shown again.
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { clearTimeout(timer); } else if (!refused) { refresh(); }
  });
  // The page came with its figures: drawn at once, then kept current.
  var first = document.getElementById("dashboard-first");
  if (first) {
    render(JSON.parse(first.textContent));
    schedule();
  } else {
    refresh();
  }
})();
