/* Small SVG charts for the dashboard: line, stacked bars, horizontal bars, grouped bars.
 * Each draws into a container at its current pixel width (so text stays readable on a
 * phone) and is drawn again when the window is resized. No dependencies. */
(function () {
  "use strict";

  var NS = "http://www.w3.org/2000/svg";

  function svgEl(tag, attrs, text) {
    var node = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function titled(node, text) {
    node.appendChild(svgEl("title", {}, text));
    return node;
  }

  // A round upper bound for an axis and its ticks: 0, step, 2*step, ... >= max.
  function niceScale(max, count) {
    count = count || 4;
    if (!(max > 0)) max = 1;
    var raw = max / count;
    var magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 2.5, 5, 10]
      .map(function (m) {
        return m * magnitude;
      })
      .find(function (s) {
        return s >= raw;
      });
    var ticks = [0];
    while (ticks[ticks.length - 1] < max - step * 1e-9) {
      ticks.push(Number((ticks.length * step).toPrecision(12)));
    }
    return { max: ticks[ticks.length - 1], ticks: ticks };
  }

  function frame(container, height, label) {
    container.textContent = "";
    var width = Math.max(280, Math.floor(container.clientWidth || 320));
    var svg = svgEl("svg", {
      viewBox: "0 0 " + width + " " + height,
      width: width,
      height: height,
      role: "img",
      "aria-label": label,
    });
    container.appendChild(svg);
    return { svg: svg, width: width, height: height };
  }

  function empty(container, message) {
    container.textContent = "";
    var p = document.createElement("p");
    p.className = "chart-empty";
    p.textContent = message;
    container.appendChild(p);
  }

  function yAxis(svg, scale, box, format) {
    var grid = svgEl("g", { class: "grid" });
    var axis = svgEl("g", { class: "axis" });
    scale.ticks.forEach(function (tick) {
      var y = box.bottom - (tick / scale.max) * (box.bottom - box.top);
      grid.appendChild(svgEl("line", { x1: box.left, x2: box.right, y1: y, y2: y }));
      axis.appendChild(
        svgEl("text", { x: box.left - 6, y: y + 4, "text-anchor": "end" }, format(tick))
      );
    });
    svg.appendChild(grid);
    svg.appendChild(axis);
  }

  /* Lines over categorical x values. series: [{label, className, values: [number|null]}],
   * one value per entry of `xs`; a null leaves a gap. */
  function lineChart(container, opts) {
    var all = [];
    opts.series.forEach(function (s) {
      s.values.forEach(function (v) {
        if (v !== null && v !== undefined) all.push(v);
      });
    });
    if (!all.length) return empty(container, opts.emptyMessage || "No data in this window.");
    var f = frame(container, opts.height || 240, opts.label);
    var box = { left: 44, right: f.width - 12, top: 12, bottom: f.height - 28 };
    var scale = niceScale(Math.max.apply(null, all));
    yAxis(f.svg, scale, box, opts.formatY);
    var n = opts.xs.length;
    var xAt = function (i) {
      return n > 1 ? box.left + (i / (n - 1)) * (box.right - box.left) : (box.left + box.right) / 2;
    };
    var yAt = function (v) {
      return box.bottom - (v / scale.max) * (box.bottom - box.top);
    };

    var axis = svgEl("g", { class: "axis" });
    var every = Math.max(1, Math.ceil(n / Math.max(2, Math.floor((box.right - box.left) / 70))));
    for (var i = 0; i < n; i += every) {
      axis.appendChild(
        svgEl("text", { x: xAt(i), y: f.height - 8, "text-anchor": "middle" }, opts.formatX(opts.xs[i]))
      );
    }
    axis.appendChild(
      svgEl("line", { class: "axis-line", x1: box.left, x2: box.right, y1: box.bottom, y2: box.bottom })
    );
    f.svg.appendChild(axis);

    opts.series.forEach(function (s) {
      var g = svgEl("g", { class: "series", "data-series": s.key });
      var d = "";
      var pen = false;
      s.values.forEach(function (v, i) {
        if (v === null || v === undefined) {
          pen = false;
          return;
        }
        d += (pen ? "L" : "M") + xAt(i).toFixed(1) + " " + yAt(v).toFixed(1);
        pen = true;
      });
      if (d) g.appendChild(svgEl("path", { class: "series-line " + s.className, d: d }));
      s.values.forEach(function (v, i) {
        if (v === null || v === undefined) return;
        var dot = svgEl("circle", { class: s.className, cx: xAt(i), cy: yAt(v), r: n > 40 ? 2 : 3 });
        g.appendChild(titled(dot, s.label + ", " + opts.formatX(opts.xs[i]) + ": " + opts.formatY(v)));
      });
      f.svg.appendChild(g);
    });
  }

  /* Vertical stacked bars. categories: [{label, segments: [{key, className, value, title}]}]. */
  function stackedBars(container, opts) {
    var totals = opts.categories.map(function (c) {
      return c.segments.reduce(function (sum, s) {
        return sum + Math.max(0, s.value || 0);
      }, 0);
    });
    if (!opts.categories.length || !(Math.max.apply(null, totals) > 0)) {
      return empty(container, opts.emptyMessage || "No data in this window.");
    }
    var f = frame(container, opts.height || 260, opts.label);
    var box = { left: 40, right: f.width - 8, top: 18, bottom: f.height - 28 };
    var scale = niceScale(Math.max.apply(null, totals));
    yAxis(f.svg, scale, box, opts.formatY);
    var slot = (box.right - box.left) / opts.categories.length;
    var barWidth = Math.min(56, slot * 0.62);
    var axis = svgEl("g", { class: "axis" });
    opts.categories.forEach(function (c, i) {
      var x = box.left + slot * i + (slot - barWidth) / 2;
      var y = box.bottom;
      var g = svgEl("g", { class: "bar-stack", "data-category": c.key || c.label });
      c.segments.forEach(function (s) {
        var v = Math.max(0, s.value || 0);
        if (!v) return;
        var h = (v / scale.max) * (box.bottom - box.top);
        y -= h;
        g.appendChild(
          titled(
            svgEl("rect", { class: s.className, x: x, y: y, width: barWidth, height: Math.max(h, 0.5) }),
            s.title
          )
        );
      });
      g.appendChild(
        svgEl(
          "text",
          { class: "value-label", x: x + barWidth / 2, y: y - 5, "text-anchor": "middle" },
          opts.formatY(totals[i])
        )
      );
      f.svg.appendChild(g);
      axis.appendChild(
        svgEl("text", { x: x + barWidth / 2, y: f.height - 8, "text-anchor": "middle" }, c.label)
      );
    });
    axis.appendChild(
      svgEl("line", { class: "axis-line", x1: box.left, x2: box.right, y1: box.bottom, y2: box.bottom })
    );
    f.svg.appendChild(axis);
  }

  /* Horizontal bars on a fixed 0..max scale (rates: max 1). rows: [{label, value|null, title}]. */
  function horizontalBars(container, opts) {
    var rowHeight = 34;
    var f = frame(container, opts.rows.length * rowHeight + 8, opts.label);
    var labelWidth = opts.labelWidth || 92;
    var valueWidth = 64;
    var left = labelWidth;
    var right = f.width - valueWidth;
    opts.rows.forEach(function (r, i) {
      var y = 4 + i * rowHeight;
      var g = svgEl("g", { class: "hbar", "data-row": r.key || r.label });
      g.appendChild(svgEl("text", { class: "label", x: 0, y: y + 18 }, r.label));
      g.appendChild(
        svgEl("rect", { class: "f-track", x: left, y: y + 6, width: right - left, height: 16, rx: 4 })
      );
      if (r.value !== null && r.value !== undefined) {
        var w = Math.max(0, Math.min(1, r.value / opts.max)) * (right - left);
        g.appendChild(
          titled(
            svgEl("rect", { class: r.className || "f-hit", x: left, y: y + 6, width: Math.max(w, 1), height: 16, rx: 4 }),
            r.title
          )
        );
      }
      g.appendChild(
        svgEl(
          "text",
          { class: "value-label", x: f.width - 4, y: y + 18, "text-anchor": "end" },
          r.value === null || r.value === undefined ? "no data" : opts.format(r.value)
        )
      );
      f.svg.appendChild(g);
    });
  }

  /* Vertical grouped bars. groups: [{label, bars: [{key, className, value|null, title}]}]. */
  function groupedBars(container, opts) {
    var values = [];
    opts.groups.forEach(function (g) {
      g.bars.forEach(function (b) {
        if (b.value !== null && b.value !== undefined) values.push(b.value);
      });
    });
    if (!values.length) return empty(container, opts.emptyMessage || "No data in this window.");
    var f = frame(container, opts.height || 240, opts.label);
    var box = { left: 48, right: f.width - 8, top: 18, bottom: f.height - 28 };
    var scale = niceScale(Math.max.apply(null, values));
    yAxis(f.svg, scale, box, opts.formatY);
    var slot = (box.right - box.left) / opts.groups.length;
    var perGroup = opts.groups[0].bars.length;
    var barWidth = Math.min(40, (slot * 0.7) / perGroup);
    var axis = svgEl("g", { class: "axis" });
    opts.groups.forEach(function (group, gi) {
      var start = box.left + slot * gi + (slot - barWidth * perGroup) / 2;
      var g = svgEl("g", { class: "bar-group", "data-group": group.key || group.label });
      group.bars.forEach(function (b, bi) {
        if (b.value === null || b.value === undefined) return;
        var h = (b.value / scale.max) * (box.bottom - box.top);
        var x = start + bi * barWidth;
        g.appendChild(
          titled(
            svgEl("rect", { class: b.className, x: x + 1, y: box.bottom - h, width: barWidth - 2, height: Math.max(h, 0.5) }),
            b.title
          )
        );
        if (barWidth >= 26) {
          g.appendChild(
            svgEl(
              "text",
              { class: "value-label", x: x + barWidth / 2, y: box.bottom - h - 4, "text-anchor": "middle" },
              opts.formatValue ? opts.formatValue(b.value) : opts.formatY(b.value)
            )
          );
        }
      });
      f.svg.appendChild(g);
      axis.appendChild(
        svgEl("text", { x: box.left + slot * gi + slot / 2, y: f.height - 8, "text-anchor": "middle" }, group.label)
      );
    });
    axis.appendChild(
      svgEl("line", { class: "axis-line", x1: box.left, x2: box.right, y1: box.bottom, y2: box.bottom })
    );
    f.svg.appendChild(axis);
  }

  window.AtelierCharts = {
    lineChart: lineChart,
    stackedBars: stackedBars,
    horizontalBars: horizontalBars,
    groupedBars: groupedBars,
    niceScale: niceScale,
  };
})();
