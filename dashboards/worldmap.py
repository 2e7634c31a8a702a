"""The world map the choropleth draws on, served by the app itself.

plotly.js fetches its base map (``world_110m.json``) from cdn.plot.ly, which an offline
analyst machine or CI cannot reach. The country outlines bundled with the countryinfo
package (a dependency) are turned into a TopoJSON file in plotly's layout (objects
``countries``, ``land``, ``coastlines`` ...; country ids are ISO 3166-1 alpha-3) and the
graphs point ``topojsonURL`` at the app's own route.
"""

from __future__ import annotations

import itertools
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import countryinfo

TOPOJSON_ROUTE = "/_bw/topojson/"
_LAYERS_WITHOUT_DATA = ("ocean", "lakes", "rivers", "subunits")


def _signed_area(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in itertools.pairwise(ring))


def _oriented(ring: list[list[float]], exterior: bool) -> list[list[float]]:
    """d3-geo (plotly's renderer) wants exterior rings clockwise and holes anticlockwise;
    a ring the wrong way round would fill the rest of the globe."""
    clockwise = _signed_area(ring) < 0
    return ring if clockwise == exterior else ring[::-1]


def _country_features() -> list[dict[str, Any]]:
    folder = Path(countryinfo.__file__).parent / "data"
    features: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.json")):
        info = json.loads(path.read_text(encoding="utf-8"))
        for feature in (info.get("geoJSON") or {}).get("features", []):
            if feature.get("id") and feature.get("geometry"):
                features.setdefault(feature["id"], feature)
    return list(features.values())


@lru_cache(maxsize=1)
def world_topojson() -> str:
    """TopoJSON text with every polygon ring as its own (unquantized) arc."""
    arcs: list[list[list[float]]] = []

    def arc(ring: list[list[float]], exterior: bool) -> int:
        arcs.append([[round(x, 4), round(y, 4)] for x, y, *_ in _oriented(ring, exterior)])
        return len(arcs) - 1

    def polygon(rings: list[list[list[float]]]) -> list[list[int]]:
        return [[arc(ring, i == 0)] for i, ring in enumerate(rings)]

    countries = []
    for feature in _country_features():
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            shape = {"type": "Polygon", "arcs": polygon(geometry["coordinates"])}
        else:
            shape = {"type": "MultiPolygon", "arcs": [polygon(p) for p in geometry["coordinates"]]}
        countries.append({**shape, "id": feature["id"]})
    land = [{k: v for k, v in c.items() if k != "id"} for c in countries]
    coast = {"type": "MultiLineString", "arcs": [[i] for i in range(len(arcs))]}
    objects: dict[str, Any] = {
        "countries": {"type": "GeometryCollection", "geometries": countries},
        "land": {"type": "GeometryCollection", "geometries": land},
        "coastlines": {"type": "GeometryCollection", "geometries": [coast]},
    }
    for name in _LAYERS_WITHOUT_DATA:
        objects[name] = {"type": "GeometryCollection", "geometries": []}
    return json.dumps({"type": "Topology", "objects": objects, "arcs": arcs}, separators=(",", ":"))
