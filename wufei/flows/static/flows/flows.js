/* Draws the flow Sankey and the chain charts from the JSON the page embeds. */
(function () {
  "use strict";
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function tonnes(grams) {
    return (grams / 1e6).toFixed(3);
  }
  function short(text) {
    return text.length > 16 ? text.slice(0, 15) + "…" : text;
  }
  function sankey(chartId, dataId) {
    var el = document.getElementById(chartId);
    var graph = data(dataId);
    if (!el || !graph || typeof echarts === "undefined") return;
    var labels = {};
    var perStage = {};
    graph.nodes.forEach(function (n) {
      labels[n.name] = n.label;
      perStage[n.depth] = (perStage[n.depth] || 0) + (n.small ? 0.3 : 1);
    });
    // Tall enough for the busiest stage to keep its labels apart.
    var busiest = Math.max.apply(null, Object.keys(perStage).map(function (k) { return perStage[k]; }));
    el.style.height = Math.max(el.clientHeight, Math.ceil(busiest * 22)) + "px";
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          if (p.dataType === "edge") {
            return labels[p.data.source] + " → " + labels[p.data.target] + ": " + tonnes(p.data.value) + " t";
          }
          return labels[p.name] + ": " + tonnes(p.value) + " t";
        }
      },
      series: [{
        type: "sankey",
        left: 8, right: 160, top: 12, bottom: 12,
        nodeAlign: "justify",
        emphasis: { focus: "adjacency" },
        lineStyle: { color: "gradient", opacity: 0.35 },
        label: { formatter: function (p) { return short(labels[p.name]); }, fontSize: 11 },
        data: graph.nodes.map(function (n) {
          var node = { name: n.name, depth: n.depth };
          if (n.itemStyle) node.itemStyle = n.itemStyle;
          if (n.small) node.label = { show: false };
          if (n.unexplained) node.label = { fontWeight: "bold", color: "#d62728" };
          return node;
        }),
        links: graph.links
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.rendered = "1";
  }
  function series() {
    var el = document.getElementById("chain-series");
    var s = data("chain-series-data");
    if (!el || !s || typeof echarts === "undefined") return;
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 50, right: 16, top: 36, bottom: 28 },
      xAxis: { type: "category", data: data("chain-months") },
      yAxis: { type: "value", name: "t" },
      series: s.map(function (item) { item.barMaxWidth = 48; return item; })
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.rendered = "1";
  }
  sankey("flow-sankey", "flow-data");
  sankey("chain-sankey", "chain-data");
  series();
})();
