// Map of the units: GeoJSON outlines coloured by the server (choropleth), drawn with the vendored
// Leaflet and no tiles unless the site sets a tile URL of its own intranet. No inline code (CSP).
(function () {
  "use strict";
  if (!window.L) { return; }
  document.querySelectorAll("[data-unit-map]").forEach(function (node) {
    var dataNode = document.getElementById(node.getAttribute("data-unit-map"));
    if (!dataNode) { return; }
    var data = JSON.parse(dataNode.textContent);
    var unitOfMeasure = data.properties.unit_of_measure || "";
    var map = window.L.map(node, { zoomSnap: 0.25, scrollWheelZoom: false, attributionControl: false });
    var tiles = node.getAttribute("data-tile-url");
    if (tiles) {
      window.L.tileLayer(tiles, { attribution: node.getAttribute("data-tile-attribution") || "" }).addTo(map);
      window.L.control.attribution({ prefix: false }).addTo(map);
    }
    var base = { color: "#343a40", weight: 1, fillOpacity: 0.85 };
    var layer = window.L.geoJSON(data, {
      filter: function (feature) { return !!feature.geometry; },
      style: function (feature) {
        return { color: base.color, weight: base.weight, fillOpacity: base.fillOpacity, fillColor: feature.properties.colour };
      },
      onEachFeature: function (feature, shape) {
        var p = feature.properties;
        var text = document.createElement("span");
        var name = document.createElement("strong");
        name.textContent = p.name;
        text.appendChild(name);
        text.appendChild(document.createTextNode(": " + p.label + (p.value === null ? "" : " " + unitOfMeasure)));
        // Hover with a mouse, tap on a phone: both open the figure.
        shape.bindTooltip(text, { sticky: true, direction: "top" });
        shape.on("mouseover", function () { shape.setStyle({ weight: 3 }); shape.bringToFront(); });
        shape.on("mouseout", function () { shape.setStyle({ weight: base.weight }); });
        shape.on("click", function () { shape.openTooltip(); });
      }
    }).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds, { padding: [8, 8] }); }
    node.setAttribute("data-map-ready", String(layer.getLayers().length));
  });
})();
