/* The staff dashboard: GET /api/analytics/summary/ drawn as charts (charts.js) and tables. */
(function () {
  "use strict";

  var root = document.getElementById("dashboard");
  if (!root || !window.AtelierCharts) return;
  var Charts = window.AtelierCharts;

  var VARIANTS = [
    { key: "personalized", label: "For you", className: "v-personalized" },
    { key: "chronological", label: "Newest", className: "v-chronological" },
  ];
  var CACHE_LEVELS = [
    { key: "relations", label: "Relations" },
    { key: "snapshot", label: "Snapshot" },
  ];
  var PERCENTILES = ["p50", "p95", "p99"];
  var DWELL_MEASURES = [
    { key: "seconds_per_page", label: "per page", className: "f-dwell-page" },
    { key: "seconds_per_exposed_post", label: "per shown post", className: "f-dwell-shown" },
    { key: "seconds_per_viewed_post", label: "per post looked at", className: "f-dwell-viewed" },
  ];

  var summary = null;
  var weights = null;

  // ---- Formatting ------------------------------------------------------------------------

  function isNum(v) {
    return typeof v === "number" && isFinite(v);
  }

  function pct(v, digits) {
    if (!isNum(v)) return "—";
    return (v * 100).toFixed(digits === undefined ? 1 : digits) + "%";
  }

  function num(v, digits) {
    if (!isNum(v)) return "—";
    return v.toLocaleString(undefined, {
      minimumFractionDigits: digits || 0,
      maximumFractionDigits: digits || 0,
    });
  }

  function secs(v) {
    return isNum(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) + " s" : "—";
  }

  // A total of seconds as people say it: "42 s", "12 min", "11.5 h".
  function duration(v) {
    if (!isNum(v)) return "—";
    if (v >= 3600) return (v / 3600).toFixed(1) + " h";
    if (v >= 60) return (v / 60).toFixed(0) + " min";
    return v.toFixed(1) + " s";
  }

  function ms(v) {
    return isNum(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) + " ms" : "—";
  }

  function shortDate(iso) {
    var d = new Date(iso + "T00:00:00Z");
    return d.toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
  }

  function humanize(word) {
    var text = String(word).replace(/_/g, " ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function table(containerId, head, rows) {
    var container = document.getElementById(containerId);
    container.textContent = "";
    var t = el("table", "data-table");
    var thead = el("thead");
    var tr = el("tr");
    head.forEach(function (h) {
      tr.appendChild(el("th", "", h));
    });
    thead.appendChild(tr);
    t.appendChild(thead);
    var tbody = el("tbody");
    rows.forEach(function (row) {
      var r = el("tr");
      row.forEach(function (cell) {
        r.appendChild(el("td", "", cell));
      });
      tbody.appendChild(r);
    });
    t.appendChild(tbody);
    container.appendChild(t);
  }

  // ---- Sections --------------------------------------------------------------------------

  function kpis(data) {
    var box = document.getElementById("kpis");
    box.textContent = "";
    var p = data.variants.personalized || {};
    var c = data.variants.chronological || {};
    var lift =
      isNum(p.engagement_rate) && isNum(c.engagement_rate) && c.engagement_rate > 0
        ? p.engagement_rate / c.engagement_rate - 1
        : null;
    var pages = (p.pages || 0) + (c.pages || 0);
    var snapshot = (data.cache || {}).snapshot || {};
    var latency = (data.latency_ms || {}).personalized || {};
    var dwell = data.dwell || {};
    var pDwell = dwell.personalized || {};
    var cDwell = dwell.chronological || {};
    var tiles = [
      ["Engagement, For you", pct(p.engagement_rate), num(p.exposed_posts) + " posts shown"],
      ["Engagement, Newest", pct(c.engagement_rate), num(c.exposed_posts) + " posts shown"],
      [
        "Lift of For you",
        isNum(lift) ? (lift >= 0 ? "+" : "") + (lift * 100).toFixed(0) + "%" : "—",
        "relative to Newest",
      ],
      [
        "On screen per page, For you",
        secs(pDwell.seconds_per_page),
        "Newest: " + secs(cDwell.seconds_per_page),
      ],
      ["Feed pages served", num(pages), num(p.pages) + " For you · " + num(c.pages) + " Newest"],
      ["Snapshot cache hits", pct(snapshot.hit_rate, 0), num(snapshot.hits) + " of " + num((snapshot.hits || 0) + (snapshot.misses || 0))],
      ["p95 response, For you", ms(latency.p95), "median " + ms(latency.p50)],
    ];
    tiles.forEach(function (tile) {
      var k = el("div", "kpi");
      k.append(el("div", "kpi-label", tile[0]), el("div", "kpi-value", tile[1]), el("div", "kpi-sub", tile[2]));
      box.appendChild(k);
    });
  }

  function engagement(data) {
    var byDate = {};
    var dates = [];
    (data.engagement_over_time || []).forEach(function (row) {
      if (!(row.date in byDate)) {
        byDate[row.date] = {};
        dates.push(row.date);
      }
      byDate[row.date][row.variant] = row;
    });
    dates.sort();
    Charts.lineChart(document.getElementById("chart-engagement"), {
      label: "Engagement rate per day for each variant",
      xs: dates,
      formatX: shortDate,
      formatY: function (v) {
        return v === 0 ? "0%" : pct(v, v < 0.1 ? 1 : 0);
      },
      emptyMessage: "No feed pages were served in this period yet.",
      series: VARIANTS.map(function (v) {
        return {
          key: v.key,
          label: v.label,
          className: v.className,
          values: dates.map(function (d) {
            var row = byDate[d][v.key];
            return row && isNum(row.engagement_rate) ? row.engagement_rate : null;
          }),
        };
      }),
    });
    table(
      "table-variants",
      ["Variant", "Pages", "Shown", "Engaged", "Rate", "Opened", "CTR"],
      VARIANTS.map(function (v) {
        var f = data.variants[v.key] || {};
        return [
          v.label,
          num(f.pages),
          num(f.exposed_posts),
          num(f.engaged_posts),
          pct(f.engagement_rate),
          num(f.opened_posts),
          pct(f.click_through),
        ];
      })
    );
  }

  function timeOnScreen(data) {
    var dwell = data.dwell || {};
    Charts.groupedBars(document.getElementById("chart-dwell"), {
      label: "Seconds on screen per page, per shown post and per post looked at, per variant",
      formatY: function (v) {
        return v.toFixed(v < 10 ? 1 : 0);
      },
      formatValue: function (v) {
        return v.toFixed(v < 10 ? 1 : 0);
      },
      emptyMessage: "No time on screen was reported in this period yet.",
      groups: VARIANTS.map(function (v) {
        var f = dwell[v.key] || {};
        return {
          key: v.key,
          label: v.label,
          bars: DWELL_MEASURES.map(function (m) {
            return {
              key: m.key,
              className: m.className,
              value: isNum(f[m.key]) && f.seconds > 0 ? f[m.key] : null,
              title: v.label + ", " + m.label + ": " + secs(f[m.key]),
            };
          }),
        };
      }),
    });
    table(
      "table-dwell",
      ["Variant", "On screen", "Shown posts looked at", "Per page", "Per shown post", "Per post looked at"],
      VARIANTS.map(function (v) {
        var f = dwell[v.key] || {};
        return [
          v.label,
          duration(f.seconds),
          num(f.viewed_posts),
          secs(f.seconds_per_page),
          secs(f.seconds_per_exposed_post),
          secs(f.seconds_per_viewed_post),
        ];
      })
    );
  }

  function components(data) {
    var legend = document.getElementById("legend-components");
    legend.textContent = "";
    weights.components.forEach(function (key) {
      var li = el("li");
      li.append(el("span", "swatch c-" + key), document.createTextNode(weights.labels[key] || humanize(key)));
      legend.appendChild(li);
    });
    var types = Object.keys(data.score_by_post_type || {}).sort();
    var categories = types.map(function (type) {
      var row = data.score_by_post_type[type];
      return {
        key: type,
        label: humanize(type),
        segments: weights.components.map(function (key) {
          var points = row.components ? row.components[key] : null;
          // The API's mean contribution (the scorer's weight × points): never multiplied here.
          var given = row.contributions ? row.contributions[key] : null;
          var value = isNum(given) ? given : 0;
          return {
            key: key,
            className: "f-" + key,
            value: value,
            title:
              humanize(type) + " · " + (weights.labels[key] || key) + ": " + value.toFixed(2) +
              " (" + (isNum(points) ? points.toFixed(1) : "—") + " pts × " + weights.weights[key] + ")",
          };
        }),
      };
    });
    Charts.stackedBars(document.getElementById("chart-components"), {
      label: "Mean contribution of each ranking signal by post type",
      categories: categories,
      formatY: function (v) {
        return v.toFixed(v < 10 ? 1 : 0);
      },
      emptyMessage: "No personalized pages with scores in this period yet.",
    });
    // Post types across, figures down: narrow enough for a phone without scrolling far.
    var rows = [
      ["Shown"].concat(
        types.map(function (t) {
          return num(data.score_by_post_type[t].exposed_posts);
        })
      ),
      ["Mean score"].concat(
        types.map(function (t) {
          return num(data.score_by_post_type[t].mean_score, 1);
        })
      ),
    ].concat(
      weights.components.map(function (key) {
        return [weights.labels[key] || humanize(key)].concat(
          types.map(function (t) {
            var c = data.score_by_post_type[t].contributions || {};
            return isNum(c[key]) ? c[key].toFixed(1) : "—";
          })
        );
      })
    );
    if (types.length) table("table-components", [""].concat(types.map(humanize)), rows);
    else document.getElementById("table-components").textContent = "";
  }

  function cache(data) {
    var levels = data.cache || {};
    Charts.horizontalBars(document.getElementById("chart-cache"), {
      label: "Cache hit rate per level",
      max: 1,
      format: function (v) {
        return pct(v, 0);
      },
      rows: CACHE_LEVELS.map(function (level) {
        var f = levels[level.key] || {};
        return {
          key: level.key,
          label: level.label,
          value: isNum(f.hit_rate) ? f.hit_rate : null,
          className: "f-hit",
          title: level.label + ": " + num(f.hits) + " hits, " + num(f.misses) + " misses",
        };
      }),
    });
    table(
      "table-cache",
      ["Level", "Hits", "Misses", "Hit rate"],
      CACHE_LEVELS.map(function (level) {
        var f = levels[level.key] || {};
        return [level.label, num(f.hits), num(f.misses), pct(f.hit_rate)];
      })
    );
  }

  function latency(data) {
    var lat = data.latency_ms || {};
    Charts.groupedBars(document.getElementById("chart-latency"), {
      label: "Feed response time percentiles per variant",
      formatY: function (v) {
        return v.toFixed(0);
      },
      formatValue: function (v) {
        return v.toFixed(v < 10 ? 1 : 0);
      },
      emptyMessage: "No timed feed pages in this period yet.",
      groups: VARIANTS.map(function (v) {
        var f = lat[v.key] || {};
        return {
          key: v.key,
          label: v.label,
          bars: PERCENTILES.map(function (p) {
            return {
              key: p,
              className: "f-" + p,
              value: isNum(f[p]) ? f[p] : null,
              title: v.label + " " + p + ": " + ms(f[p]),
            };
          }),
        };
      }),
    });
    table(
      "table-latency",
      ["Variant", "Pages", "p50", "p95", "p99"],
      VARIANTS.map(function (v) {
        var f = lat[v.key] || {};
        return [v.label, num(f.pages), ms(f.p50), ms(f.p95), ms(f.p99)];
      })
    );
  }

  function diversity(data) {
    var div = data.diversity || {};
    table(
      "table-diversity",
      ["Variant", "Authors per page", "Post types per page"],
      VARIANTS.map(function (v) {
        var f = div[v.key] || {};
        return [v.label, num(f.authors_per_page, 1), num(f.post_types_per_page, 1)];
      })
    );
  }

  function windowLine(data) {
    var w = data.window || {};
    var line = document.getElementById("dash-window");
    if (!w.from) return;
    var from = new Date(w.from).toLocaleDateString(undefined, { month: "short", day: "numeric" });
    var to = new Date(w.to).toLocaleDateString(undefined, { month: "short", day: "numeric", year: "numeric" });
    var text = "For you against Newest, " + from + " – " + to + " (" + w.days + " days)";
    if (isNum(w.attribution_window_hours)) {
      text += "; an action counts within " + w.attribution_window_hours + " h of the post being shown";
    }
    line.textContent = text + ".";
  }

  function draw() {
    if (!summary || !weights) return;
    windowLine(summary);
    kpis(summary);
    engagement(summary);
    timeOnScreen(summary);
    components(summary);
    cache(summary);
    latency(summary);
    diversity(summary);
    root.setAttribute("aria-busy", "false");
    root.dataset.ready = "true";
    document.getElementById("dash-loading").hidden = true;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(
      function (res) {
        if (!res.ok) {
          var error = new Error("HTTP " + res.status);
          error.status = res.status;
          throw error;
        }
        return res.json();
      }
    );
  }

  function fail(error) {
    var box = document.getElementById("dash-error");
    box.textContent =
      error.status === 404
        ? "The analytics summary is not available on this server (GET /api/analytics/summary/ answered 404)."
        : "Could not load the analytics summary (" + error.message + "). Reload to try again.";
    box.hidden = false;
    root.setAttribute("aria-busy", "false");
    document.getElementById("dash-loading").hidden = true;
    document.getElementById("kpis").hidden = true;
  }

  Promise.all([getJSON(root.dataset.summaryUrl), getJSON(root.dataset.weightsUrl)])
    .then(function (answers) {
      summary = answers[0];
      weights = answers[1];
      draw();
    })
    .catch(fail);

  // Charts are drawn at the container's pixel width: draw again when that changes.
  var resizeTimer = null;
  var lastWidth = window.innerWidth;
  window.addEventListener("resize", function () {
    if (window.innerWidth === lastWidth) return;
    lastWidth = window.innerWidth;
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(draw, 150);
  });
})();
