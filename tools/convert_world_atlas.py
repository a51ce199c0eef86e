#!/usr/bin/env python3
"""Convert world-atlas TopoJSON country outlines into assets/map/countries.json.

The board map draws real country outlines from Natural Earth (public domain),
as packaged by the npm package `world-atlas`. To regenerate the asset:

    cd /tmp && npm pack world-atlas && tar xzf world-atlas-*.tgz
    python3 tools/convert_world_atlas.py /tmp/package/countries-50m.json \
        assets/map/countries.json

(Both arguments are optional; those are the defaults, relative to the current
directory for the output.) Standard library only.

Output: {"source": "...", "countries": [{"name", "id", "polygons"}]} where each
polygon is a list of rings (outer ring first, then holes) and each ring is a
flat list [lon, lat, lon, lat, ...] of integers in hundredths of a degree.
Rings are not closed (the first point is not repeated). Consecutive duplicate
points after rounding are dropped, as are rings with fewer than 3 points and
anything lying wholly south of -60° (Antarctica and nearby islands). Each
TopoJSON arc is simplified (Douglas-Peucker, TOLERANCE) before the rings are
stitched, and the few rings crossing the antimeridian are cut at ±180° so that
every ring is a plain polygon in lon/lat. Crimea is drawn within Ukraine's
internationally recognised borders (see move_crimea_to_ukraine).
"""

import json
import os
import sys

SOUTH_LIMIT = -60.0
# Douglas-Peucker tolerance in hundredths of a degree, applied to each arc
# (so borders shared by two countries stay identical). At 0.02° (about 2 km)
# the 50m data takes about half a megabyte (1 MB unsimplified) and is still
# finer than a screen pixel even when the board zooms in on Ukraine.
TOLERANCE = 2


def decode_arcs(topo):
    """Absolute lon/lat arcs from quantized, delta-encoded TopoJSON arcs."""
    transform = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy, *_ in arc:
                x += dx
                y += dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(p[0], p[1]) for p in arc]
        arcs.append(points)
    return arcs


def simplify(points, tolerance):
    """Douglas-Peucker on one arc, keeping both ends (shared with neighbours)."""
    if len(points) < 3 or tolerance <= 0:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        norm2 = dx * dx + dy * dy
        best, best_d2 = None, tolerance * tolerance
        for i in range(first + 1, last):
            px, py = points[i][0] - ax, points[i][1] - ay
            if norm2 == 0:  # closed arc (an island): distance to the end point
                d2 = px * px + py * py
            else:
                cross = px * dy - py * dx
                d2 = cross * cross / norm2
            if d2 > best_d2:
                best, best_d2 = i, d2
        if best is not None:
            keep[best] = True
            stack.append((first, best))
            stack.append((best, last))
    return [p for p, k in zip(points, keep) if k]


def quantize_arc(points):
    """Hundredths of a degree, without consecutive duplicates."""
    out = []
    for lon, lat in points:
        q = (round(lon * 100), round(lat * 100))
        if not out or out[-1] != q:
            out.append(q)
    return out


def ring_points(arcs, indices):
    """Stitch arcs into one ring; index ~i (negative) is arc i reversed."""
    points = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their joining point.
        points.extend(arc[1:] if points else arc)
    return points


def clean_ring(points):
    """No consecutive duplicates, not closed."""
    out = []
    for q in points:
        if not out or out[-1] != q:
            out.append(q)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def signed_area(ring):
    area = 0
    for i, (x0, y0) in enumerate(ring):
        x1, y1 = ring[(i + 1) % len(ring)]
        area += x0 * y1 - x1 * y0
    return area / 2


def crosses_itself(ring):
    """Whether two non-adjacent edges of a small ring cross (a bow-tie)."""
    if len(ring) > 64:
        return False  # only tiny islands collapse like this; skip the O(n²)
    n = len(ring)

    def orient(a, b, c):
        v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        return (v > 0) - (v < 0)

    for i in range(n):
        a, b = ring[i], ring[(i + 1) % n]
        for j in range(i + 2, n):
            if (j + 1) % n == i:
                continue
            c, d = ring[j], ring[(j + 1) % n]
            if orient(a, b, c) * orient(a, b, d) < 0 and orient(c, d, a) * orient(c, d, b) < 0:
                return True
    return False


def convert_ring(arcs, indices):
    """A clean ring, or None if it is degenerate. `arcs` is (simplified, raw):
    a ring that simplification collapses or twists (a tiny island) keeps its
    raw arcs."""
    for arc_set in arcs:
        ring = clean_ring(ring_points(arc_set, indices))
        if len(ring) >= 3 and signed_area(ring) != 0 and not crosses_itself(ring):
            return ring
    return None


def clip(ring, x, keep_below):
    """Sutherland-Hodgman: the part of a ring with lon <= x (or >= x)."""
    inside = (lambda p: p[0] <= x) if keep_below else (lambda p: p[0] >= x)
    out = []
    for i, cur in enumerate(ring):
        prev = ring[i - 1]
        if inside(cur) != inside(prev):
            t = (x - prev[0]) / (cur[0] - prev[0])
            out.append((x, round(prev[1] + t * (cur[1] - prev[1]))))
        if inside(cur):
            out.append(cur)
    return out


def split_antimeridian(ring):
    """Rings crossing ±180° (Chukotka, Wrangel Island, Fiji) as pieces that
    each stay within [-180°, 180°]."""
    if all(abs(a[0] - b[0]) <= 18000 for a, b in zip(ring, ring[1:] + ring[:1])):
        return [ring]
    unwrapped, shift = [], 0
    for i, (lon, lat) in enumerate(ring):
        if i and lon + shift - unwrapped[-1][0] > 18000:
            shift -= 36000
        elif i and lon + shift - unwrapped[-1][0] < -18000:
            shift += 36000
        unwrapped.append((lon + shift, lat))
    middle = clip(clip(unwrapped, 18000, True), -18000, False)
    east = [(lon - 36000, lat) for lon, lat in clip(unwrapped, 18000, False)]
    west = [(lon + 36000, lat) for lon, lat in clip(unwrapped, -18000, True)]
    return [r for r in (clean_ring(piece) for piece in (middle, east, west)) if len(r) >= 3 and signed_area(r) != 0]


def convert_polygon(arcs, rings):
    """One TopoJSON polygon as a list of polygons (more than one if it is
    split at the antimeridian), each a list of flat rings."""
    outer = convert_ring(arcs, rings[0])
    if outer is None or max(lat for _, lat in outer) < SOUTH_LIMIT * 100:
        return []
    holes = []
    for hole_arcs in rings[1:]:
        hole = convert_ring(arcs, hole_arcs)
        if hole is not None:
            assert len(split_antimeridian(hole)) == 1, "hole across the antimeridian"
            holes.append(hole)
    pieces = split_antimeridian(outer)
    if pieces != [outer]:
        assert not holes, "split polygon with holes"
    flat = lambda ring: [c for point in ring for c in point]
    return [[flat(piece)] + [flat(h) for h in holes] for piece in pieces]


def move_crimea_to_ukraine(countries):
    """Draw Crimea inside Ukraine's internationally recognised borders (UN
    General Assembly resolution 68/262). Natural Earth's default view puts it
    in Russia's outline; the game shows the occupation with its front line."""
    by_id = {c["id"]: c for c in countries}
    russia, ukraine = by_id.get("643"), by_id.get("804")
    if not russia or not ukraine:
        return
    def in_crimea(polygon):
        outer = polygon[0]
        lons, lats = outer[0::2], outer[1::2]
        return (
            min(lons) >= 3200 and max(lons) <= 3700
            and min(lats) >= 4400 and max(lats) <= 4650
        )
    moved = [p for p in russia["polygons"] if in_crimea(p)]
    if len(moved) != 1:
        sys.exit("expected one Crimea polygon in Russia's outline, found %d" % len(moved))
    russia["polygons"] = [p for p in russia["polygons"] if not in_crimea(p)]
    ukraine["polygons"].extend(moved)


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "/tmp/package/countries-50m.json"
    dst = sys.argv[2] if len(sys.argv) > 2 else "assets/map/countries.json"
    with open(src, encoding="utf-8") as f:
        topo = json.load(f)
    version = "?"
    package_json = os.path.join(os.path.dirname(os.path.abspath(src)), "package.json")
    if os.path.exists(package_json):
        with open(package_json, encoding="utf-8") as f:
            version = json.load(f).get("version", "?")

    raw = [quantize_arc(arc) for arc in decode_arcs(topo)]
    arcs = ([simplify(arc, TOLERANCE) for arc in raw], raw)
    countries = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        converted = [p for rings in polygons for p in convert_polygon(arcs, rings)]
        if not converted:
            continue
        countries.append(
            {
                "name": geometry.get("properties", {}).get("name", ""),
                "id": str(geometry.get("id", "")),
                "polygons": converted,
            }
        )
    move_crimea_to_ukraine(countries)
    countries.sort(key=lambda c: c["name"])

    out = {
        "source": "Natural Earth 1:%s via world-atlas %s (%s), public domain"
        % (
            os.path.basename(src).split("-")[-1].split(".")[0],
            version,
            os.path.basename(src),
        ),
        "countries": countries,
    }
    os.makedirs(os.path.dirname(os.path.abspath(dst)), exist_ok=True)
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(out, f, separators=(",", ":"), ensure_ascii=False)
        f.write("\n")

    points = sum(len(r) // 2 for c in countries for p in c["polygons"] for r in p)
    print(
        "%s: %d countries, %d points, %d bytes"
        % (dst, len(countries), points, os.path.getsize(dst))
    )


if __name__ == "__main__":
    main()
