// The public map: gates and projects from the GeoJSON endpoints, drawn with Leaflet (served
// locally). Everything shown comes from the data as text (textContent), never as HTML.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var data = el.dataset;
  var notice = document.getElementById("map-notice");
  var countEl = document.getElementById("map-count");
  var layers = (data.layers || "").split(",");
  // Cao Bằng, until the markers are loaded.
  var map = L.map(el, { scrollWheelZoom: false, zoomControl: false }).setView([22.75, 106.3], 9);
  L.control.zoom({ zoomInTitle: data.labelZoomIn, zoomOutTitle: data.labelZoomOut }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  var canvas = L.canvas({ padding: 0.5 });
  var bounds = L.latLngBounds([]);
  var counts = { Gates: 0, Projects: 0 };

  if (data.tiles) {
    var failed = false;
    var tiles = L.tileLayer(data.tiles, {
      maxZoom: 18,
      attribution: "&copy; OpenStreetMap contributors"
    });
    tiles.on("tileerror", function () {
      if (failed) { return; }
      failed = true;
      notice.hidden = false;
      el.classList.add("no-tiles");
    });
    tiles.addTo(map);
  } else {
    el.classList.add("no-tiles");
  }

  function popup(props, kindLabel) {
    var box = document.createElement("div");
    var kind = document.createElement("p");
    kind.className = "popup-kind";
    kind.textContent = kindLabel + (props.kind_label ? " · " + props.kind_label : "") +
      (props.status_label ? " · " + props.status_label : "");
    var link = document.createElement("a");
    link.href = props.url;
    link.textContent = props.name;
    link.className = "popup-name";
    box.appendChild(kind);
    box.appendChild(link);
    if (props.approximate) {
      var approx = document.createElement("p");
      approx.className = "popup-approx";
      approx.textContent = "(" + data.labelApproximate + ")";
      box.appendChild(approx);
    }
    return box;
  }

  function style(kind, approximate, many) {
    var colour = kind === "gates" ? "#0b6e4f" : "#b3541e";
    var options = {
      radius: kind === "gates" ? 8 : 6,
      color: colour,
      weight: 2,
      fillColor: colour,
      fillOpacity: approximate ? 0 : 0.75,
      dashArray: approximate ? "4 3" : null,
      className: "marker-" + kind + (approximate ? " marker-approximate" : "")
    };
    if (many) { options.renderer = canvas; }
    return options;
  }

  function counted(kind) {
    var n = counts[kind];
    var label = n === 1 ? data["label" + kind + "One"] : data["label" + kind + "Other"];
    return label.replace("{n}", n.toLocaleString(document.documentElement.lang));
  }

  function showCount() {
    var parts = [];
    if (layers.indexOf("gates") >= 0) { parts.push(counted("Gates")); }
    if (layers.indexOf("projects") >= 0) { parts.push(counted("Projects")); }
    countEl.textContent = data.labelOnMap.replace("{what}", parts.join(", "));
  }

  // An SVG marker can be reached with the keyboard and names what it marks.
  function makeReachable(marker, name) {
    var path = marker.getElement && marker.getElement();
    if (!path) { return; }
    path.setAttribute("tabindex", "0");
    path.setAttribute("role", "button");
    path.setAttribute("aria-label", name);
    path.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        marker.openPopup();
      }
    });
  }

  function load(kind, url, label) {
    return fetch(url, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status === 400 ? "filters" : "load"); }
        return response.json();
      })
      .then(function (collection) {
        // Thousands of markers are drawn on a canvas; fewer as SVG, one element each.
        var many = collection.features.length > 2000;
        collection.features.forEach(function (f) {
          var c = f.geometry.coordinates;
          var latLng = L.latLng(c[1], c[0]);
          var marker = L.circleMarker(latLng, style(kind, f.properties.approximate, many))
            .bindPopup(popup(f.properties, label))
            .bindTooltip(f.properties.name)
            .addTo(map);
          if (!many) { makeReachable(marker, f.properties.name); }
          bounds.extend(latLng);
        });
        counts[kind === "gates" ? "Gates" : "Projects"] = collection.features.length;
      });
  }

  var jobs = [];
  if (layers.indexOf("gates") >= 0) { jobs.push(load("gates", data.gatesUrl, data.labelGate)); }
  if (layers.indexOf("projects") >= 0) {
    jobs.push(load("projects", data.projectsUrl, data.labelProject));
  }
  Promise.all(jobs).then(function () {
    if (bounds.isValid()) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 12 }); }
    showCount();
    el.dataset.loaded = "true";
  }).catch(function (error) {
    countEl.textContent = error.message === "filters" ? data.labelError : data.labelLoadError;
    el.dataset.loaded = "error";
  });
})();
