/* The regulator's map (一张图): draws the figures embedded by the page (json_script
 * "dash-data") with the vendored ECharts. Every mark carries the URL of the records it sums;
 * a click opens it. The district map is the shipped GeoJSON (no tiles, works offline); a
 * region without one gets a scatter on plain longitude/latitude axes. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dash-data").textContent);
  var root = document.querySelector("[data-testid=dashboard]");
  var dark = root.classList.contains("screen");
  var theme = dark ? "dark" : null;
  var charts = [];
  var ink = dark ? "#d6e4f0" : "#1f2a24";
  var muted = dark ? "#8aa0b4" : "#6b7a72";

  function chart(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    var c = echarts.init(el, theme, { renderer: "canvas" });
    c.on("click", function (p) {
      var d = p.data || {};
      if (d.url) { window.location.href = d.url; return; }
      if (p.seriesType === "line" && p.seriesIndex !== undefined) {
        var s = data.monthly.series[p.seriesIndex];
        if (s) window.location.href = s.urls[p.dataIndex];
      }
    });
    charts.push(c);
    return c;
  }

  function num(s) { return Number(s); }
  function scaled(value, max, lo, hi) {
    if (!max) return lo;
    return lo + (hi - lo) * Math.sqrt(value / max);
  }
  var base = { backgroundColor: "transparent", textStyle: { color: ink } };

  /* --- map ----------------------------------------------------------------------------- */
  function clampInto(box, lon, lat) {
    /* A point outside the box is moved onto its edge along the line from the box centre. */
    var cx = (box[0] + box[2]) / 2, cy = (box[1] + box[3]) / 2;
    var dx = lon - cx, dy = lat - cy, t = 1;
    if (dx > 0 && lon > box[2]) t = Math.min(t, (box[2] - cx) / dx);
    if (dx < 0 && lon < box[0]) t = Math.min(t, (box[0] - cx) / dx);
    if (dy > 0 && lat > box[3]) t = Math.min(t, (box[3] - cy) / dy);
    if (dy < 0 && lat < box[1]) t = Math.min(t, (box[1] - cy) / dy);
    return [cx + dx * t, cy + dy * t];
  }

  function facilitySeries(coordinateSystem, place, centre) {
    var maxT = Math.max.apply(null, data.facilities.map(function (f) { return num(f.tonnes); }).concat([0]));
    return data.kinds.map(function (k) {
      return {
        type: "scatter",
        name: k.label,
        coordinateSystem: coordinateSystem,
        itemStyle: { color: k.color, opacity: 0.85, borderColor: dark ? "#0b1a2b" : "#fff", borderWidth: 0.5 },
        emphasis: { scale: 1.6 },
        labelLayout: { hideOverlap: true },
        zlevel: 2,
        data: data.facilities.filter(function (f) { return f.kind === k.key; }).map(function (f) {
          var xy = place(num(f.lon), num(f.lat));
          return {
            name: f.organisation + " · " + f.name,
            value: [xy[0], xy[1], num(f.tonnes)],
            url: f.url,
            symbol: f.inside ? "circle" : "diamond",
            symbolSize: scaled(num(f.tonnes), maxT, 4, 22),
            label: f.inside ? undefined : {
              show: true, formatter: f.organisation, color: muted, fontSize: 11,
              position: xy[0] > centre ? "left" : "right"
            }
          };
        })
      };
    });
  }

  function flowSeries(coordinateSystem, place) {
    var maxT = Math.max.apply(null, data.flows.map(function (f) { return num(f.tonnes); }).concat([0]));
    return {
      type: "lines",
      name: "flows",
      coordinateSystem: coordinateSystem,
      zlevel: 1,
      lineStyle: { color: dark ? "#4dabf7" : "#1971c2", opacity: 0.22, curveness: 0.2 },
      emphasis: { lineStyle: { opacity: 0.9 } },
      data: data.flows.map(function (f) {
        return {
          name: f.from_name + " → " + f.to_name,
          coords: [place(num(f.from[0]), num(f.from[1])), place(num(f.to[0]), num(f.to[1]))],
          value: num(f.tonnes),
          manifests: f.manifests,
          url: f.url,
          lineStyle: { width: scaled(num(f.tonnes), maxT, 0.6, 6) }
        };
      })
    };
  }

  var tooltip = {
    trigger: "item",
    formatter: function (p) {
      var d = p.data || {};
      if (p.seriesType === "lines") return d.name + "<br>" + d.value.toFixed(3) + " t · " + d.manifests;
      if (p.seriesType === "scatter") return d.name + "<br>" + p.seriesName + " · " + d.value[2].toFixed(3) + " t";
      return p.name;
    }
  };

  function legend() {
    return { type: "scroll", bottom: 0, textStyle: { color: ink }, data: data.kinds.map(function (k) { return k.label; }) };
  }

  function drawGeo(c, geo) {
    var streets = geo.features.filter(function (f) { return f.properties.level !== "county"; });
    var codes = {};
    streets.forEach(function (f) { codes[f.properties.name] = f.properties.code; });
    echarts.registerMap(data.map.name, { type: "FeatureCollection", features: streets });
    var box = [Infinity, Infinity, -Infinity, -Infinity];
    streets.forEach(function (f) {
      f.geometry.coordinates[0].forEach(function (pt) {
        box = [Math.min(box[0], pt[0]), Math.min(box[1], pt[1]), Math.max(box[2], pt[0]), Math.max(box[3], pt[1])];
      });
    });
    var w = box[2] - box[0], h = box[3] - box[1];
    var view = [box[0] - 0.45 * w, box[1] - 0.3 * h, box[2] + 0.45 * w, box[3] + 0.3 * h];
    var place = function (lon, lat) { return clampInto(view, lon, lat); };
    c.setOption(Object.assign({}, base, {
      tooltip: tooltip,
      legend: legend(),
      geo: {
        map: data.map.name,
        roam: true,
        boundingCoords: [[view[0], view[3]], [view[2], view[1]]],
        label: { show: true, color: muted, fontSize: 13 },
        itemStyle: { areaColor: dark ? "rgba(40,90,140,.35)" : "rgba(47,158,68,.10)", borderColor: dark ? "#4dabf7" : "#2f9e44", borderWidth: 1.2 },
        emphasis: { itemStyle: { areaColor: dark ? "rgba(77,171,247,.4)" : "rgba(47,158,68,.25)" }, label: { color: ink } }
      },
      series: [flowSeries("geo", place)].concat(facilitySeries("geo", place, (view[0] + view[2]) / 2))
    }));
    c.on("click", function (p) {
      if (p.componentType === "geo" && codes[p.name]) {
        window.location.href = root.dataset.regionUrl.replace("CODE", codes[p.name]);
      }
    });
  }

  function drawAxes(c) {
    var same = function (lon, lat) { return [lon, lat]; };
    c.setOption(Object.assign({}, base, {
      tooltip: tooltip,
      legend: legend(),
      grid: { left: 50, right: 20, top: 20, bottom: 50 },
      xAxis: { type: "value", scale: true, name: "E", axisLabel: { color: muted }, splitLine: { lineStyle: { opacity: 0.2 } } },
      yAxis: { type: "value", scale: true, name: "N", axisLabel: { color: muted }, splitLine: { lineStyle: { opacity: 0.2 } } },
      series: [flowSeries("cartesian2d", same)].concat(facilitySeries("cartesian2d", same, Infinity))
    }));
  }

  var mapChart = chart("chart-map");
  if (mapChart) {
    if (data.map) {
      fetch(data.map.url).then(function (r) { return r.json(); }).then(function (geo) {
        drawGeo(mapChart, geo);
      });
    } else {
      drawAxes(mapChart);
    }
  }

  /* --- streams, codes, monthly ---------------------------------------------------------- */
  var streams = chart("chart-streams");
  if (streams) {
    streams.setOption(Object.assign({}, base, {
      tooltip: { trigger: "item", formatter: "{b}: {c} t ({d}%)" },
      series: [{
        type: "pie", radius: ["45%", "72%"], center: ["50%", "52%"],
        label: { color: ink, formatter: "{b}\n{c} t", fontSize: 11 },
        data: data.streams.map(function (s) { return { name: s.label, value: num(s.tonnes), url: s.url }; })
      }]
    }));
  }

  var tiers = chart("chart-tiers");
  if (tiers) {
    tiers.setOption(Object.assign({}, base, {
      tooltip: { trigger: "item", formatter: "{b}: {c}" },
      series: [{
        type: "pie", radius: ["35%", "65%"], center: ["50%", "50%"],
        label: { color: ink, formatter: "{c}", fontSize: 12 },
        data: data.tiers.filter(function (t) { return t.count > 0; }).map(function (t) {
          var colour = { key: "#e03131", simplified: "#f59f00", registered: "#2f9e44" }[t.key];
          return { name: t.label, value: t.count, url: t.url, itemStyle: { color: colour } };
        })
      }]
    }));
  }

  var codes = chart("chart-codes");
  if (codes) {
    var rows = data.codes.slice().reverse();
    codes.setOption(Object.assign({}, base, {
      tooltip: { trigger: "item", formatter: "{b}: {c} t" },
      grid: { left: 90, right: 50, top: 10, bottom: 25 },
      xAxis: { type: "value", axisLabel: { color: muted }, splitLine: { lineStyle: { opacity: 0.2 } } },
      yAxis: { type: "category", axisLabel: { color: ink }, data: rows.map(function (r) { return r.code; }) },
      series: [{
        type: "bar", itemStyle: { color: dark ? "#ffa94d" : "#e8590c" },
        label: { show: true, position: "right", color: muted, fontSize: 11 },
        data: rows.map(function (r) { return { name: r.code, value: num(r.tonnes), url: r.url }; })
      }]
    }));
  }

  var monthly = chart("chart-monthly");
  if (monthly) {
    monthly.setOption(Object.assign({}, base, {
      tooltip: { trigger: "axis" },
      legend: { top: 0, textStyle: { color: ink } },
      grid: { left: 60, right: 20, top: 35, bottom: 25 },
      xAxis: { type: "category", data: data.monthly.months, axisLabel: { color: muted } },
      yAxis: { type: "value", axisLabel: { color: muted }, splitLine: { lineStyle: { opacity: 0.2 } } },
      series: data.monthly.series.map(function (s) {
        return { type: "line", name: s.label, smooth: true, smoothMonotone: "x", symbolSize: 7, data: s.tonnes.map(num) };
      })
    }));
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
