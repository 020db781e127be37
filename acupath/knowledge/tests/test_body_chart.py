"""The body chart: its data file names only real points, it is laid out legibly, and the page draws it."""

from __future__ import annotations

import copy
import itertools
import math
import re
from pathlib import Path

import pytest
import yaml

from acupath.knowledge.body_chart import DOT_RADIUS, HIT_RADIUS, chart_layout
from acupath.knowledge.body_chart_file import DATA_FILE, BodyChartError, Side, load_body_chart, unknown_codes
from acupath.knowledge.domain.catalogue import load_catalogue
from acupath.knowledge.selectors import body_chart

CATALOGUE = load_catalogue()
CHART = load_body_chart()
LAYOUT = chart_layout("posterior")
POSTERIOR = LAYOUT.get("posterior")
ANTERIOR = LAYOUT.get("anterior")

# The brief's minimum for the back view: the points of back-pain care that show from behind.
BACK_VIEW_POINTS = {
    "BL17", "BL20", "BL21", "BL22", "BL23", "BL24", "BL25", "BL26", "BL31", "BL32", "BL33", "BL34",
    "BL36", "BL37", "BL40", "BL52", "BL54", "BL57", "BL58", "BL60", "BL62", "GV3", "GV4", "GV5",
    "GV14", "GB30", "GB31", "GB34", "GB39", "EX-B2", "EX-B7", "EX-B8",
}  # fmt: skip
MIDLINE_POINTS = {"GV3", "GV4", "GV5", "GV6", "GV14", "GV20", "GV26", "EX-B8", "EX-HN3"}
FRONT_VIEW_POINTS = {"ST36", "SP6", "SP9", "LR3", "PC6", "HT7", "GV26", "EX-HN3"}
TABLET_TOUCH_PX = 24


def _marks(view=POSTERIOR):
    return [(point.code, mark) for point in view.points for mark in point.marks]


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "body_chart.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _raw() -> dict:
    return copy.deepcopy(yaml.safe_load(DATA_FILE.read_text(encoding="utf-8")))


# --- the data file ---------------------------------------------------------------------------


def test_data_file_has_a_dataset_header():
    assert CHART.dataset == "body_chart"
    assert CHART.version >= 1
    assert CHART.source
    assert CHART.licence


def test_every_code_on_the_chart_is_a_who_code_in_the_catalogue():
    assert unknown_codes(CHART, CATALOGUE) == []
    for record in CHART.points:
        assert CATALOGUE.point(record.code).code == record.code


def test_a_code_missing_from_the_catalogue_is_reported_by_name(tmp_path):
    data = _raw()
    data["points"][0]["code"] = "BL99"
    data["channels"][0]["code"] = "XQ"
    chart = load_body_chart(_write(tmp_path, data))
    assert unknown_codes(chart, CATALOGUE) == ["point 'BL99'", "channel 'XQ'"]
    with pytest.raises(BodyChartError, match="BL99"):
        chart_layout("posterior", chart=chart, catalogue=CATALOGUE)


def test_a_legacy_spelling_in_the_data_file_is_refused_not_silently_mapped(tmp_path):
    data = _raw()
    data["points"][0]["code"] = "UB23"
    assert unknown_codes(load_body_chart(_write(tmp_path, data)), CATALOGUE) == ["point 'UB23'"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["points"][2].update(x=60), "bilateral point is given on the left of the picture"),
        (lambda d: d["points"][0].update(x=49), "must sit on the midline"),
        (lambda d: d["points"].append(dict(d["points"][0], view="anterior")), "placed twice"),
        (lambda d: d["points"][0].update(view="lateral"), "not in views"),
        (lambda d: d["points"][0].update(y=250), "less than or equal to 200"),
        (lambda d: d.update(dataset="acupoints"), "expected 'body_chart'"),
    ],
)
def test_malformed_chart_data_is_refused_with_a_reason(tmp_path, change, message):
    data = _raw()
    change(data)
    with pytest.raises(BodyChartError, match=message):
        load_body_chart(_write(tmp_path, data))


def test_an_unknown_view_is_refused_naming_the_views():
    with pytest.raises(BodyChartError, match=r"'lateral'.*posterior, anterior"):
        chart_layout("lateral", chart=CHART, catalogue=CATALOGUE)


# --- what the back view shows ---------------------------------------------------------------


def test_back_view_shows_the_back_pain_points_and_the_front_view_the_rest():
    assert {p.code for p in POSTERIOR.points} >= BACK_VIEW_POINTS
    assert {p.code for p in ANTERIOR.points} >= FRONT_VIEW_POINTS


def test_every_point_is_on_one_view_only():
    assert len(LAYOUT.codes) == len(set(LAYOUT.codes))


def test_the_named_view_comes_first():
    assert [v.view for v in chart_layout("anterior").views] == ["anterior", "posterior"]
    assert [v.view for v in LAYOUT.views] == ["posterior", "anterior"]


@pytest.mark.parametrize(("view", "patient_left_on_the_left"), [(POSTERIOR, True), (ANTERIOR, False)])
def test_bilateral_points_have_a_mark_on_each_side_mirrored_across_the_midline(view, patient_left_on_the_left):
    for point in view.points:
        sides = {mark.side: mark for mark in point.marks}
        if point.code in MIDLINE_POINTS:
            assert set(sides) == {Side.MIDLINE}, point.code
            assert sides[Side.MIDLINE].x == 50
        else:
            assert set(sides) == {Side.LEFT, Side.RIGHT}, point.code
            left, right = sides[Side.LEFT], sides[Side.RIGHT]
            assert (left.x < 50 < right.x) is patient_left_on_the_left, point.code
            assert left.x + right.x == pytest.approx(100)
            assert left.y == right.y


def test_side_notes_name_the_patient_side_shown_on_each_side_of_the_picture():
    assert [n[3] for n in POSTERIOR.side_notes] == ["Patient's left", "Patient's right"]
    assert [n[3] for n in ANTERIOR.side_notes] == ["Patient's right", "Patient's left"]


def test_points_sit_in_anatomical_order_from_head_to_foot():
    y = {point.code: point.marks[0].y for point in POSTERIOR.points}
    spine = ["GV20", "GV14", "BL17", "BL20", "BL21", "BL22", "BL23", "BL24", "BL25", "BL26", "BL31", "BL32"]
    leg = ["BL33", "BL34", "BL36", "BL37", "BL40", "BL57", "BL60", "BL62"]
    assert [y[c] for c in spine + leg] == sorted(y[c] for c in spine + leg)
    assert y["GV4"] == y["BL23"] == y["BL52"]  # all at the lower border of L2
    assert y["GV3"] == y["BL25"] == y["EX-B7"]  # L4, level with the iliac crests
    assert y["GB30"] < y["BL36"] < y["GB31"] < y["BL40"] < y["GB34"] < y["GB39"] < y["BL60"]


def test_inner_bladder_line_lies_between_the_spine_and_the_outer_line():
    x = {point.code: point.marks[0].x for point in POSTERIOR.points}  # patient's left
    assert x["GV4"] > x["EX-B2"] > x["BL23"] > x["BL52"] > x["EX-B7"]
    assert x["BL54"] == x["BL52"]  # the outer line runs straight down to the buttock
    assert x["GB31"] < x["BL37"] and x["GB34"] < x["BL40"]  # Gallbladder on the outer side of the leg


@pytest.mark.parametrize("view", [POSTERIOR, ANTERIOR], ids=["posterior", "anterior"])
def test_every_touch_target_is_at_least_24_pixels_clear_of_the_next_at_tablet_size(view):
    scale = CHART.views[view.view].px_per_unit
    assert 2 * HIT_RADIUS * scale >= TABLET_TOUCH_PX
    closest = min(
        (math.dist((a.x, a.y), (b.x, b.y)), code_a, code_b)
        for (code_a, a), (code_b, b) in itertools.combinations(_marks(view), 2)
    )
    assert closest[0] * scale >= TABLET_TOUCH_PX, closest


@pytest.mark.parametrize("view", [POSTERIOR, ANTERIOR], ids=["posterior", "anterior"])
def test_labels_overlap_neither_each_other_nor_other_points(view):
    def overlaps(a, b, pad=0.1):
        return a[0] < b[2] + pad and b[0] < a[2] + pad and a[1] < b[3] + pad and b[1] < a[3] + pad

    marks = _marks(view)
    labelled = [(code, mark) for code, mark in marks if mark.label]
    for (code_a, a), (code_b, b) in itertools.combinations(labelled, 2):
        assert not overlaps(a.label.box, b.label.box), (code_a, a.side, code_b, b.side)
    for code_a, a in labelled:
        for code_b, b in marks:
            if b is a:
                continue
            dot = (b.x - DOT_RADIUS, b.y - DOT_RADIUS, b.x + DOT_RADIUS, b.y + DOT_RADIUS)
            assert not overlaps(a.label.box, dot), (code_a, a.side, "over", code_b, b.side)


def test_bilateral_labels_sit_on_the_outer_side_unless_the_data_says_otherwise():
    records = {r.code: r for r in CHART.points}
    bl23 = next(p for p in POSTERIOR.points if p.code == "BL23")
    left, right = bl23.marks
    assert records["BL23"].label == "out"
    assert (left.label.anchor, right.label.anchor) == ("end", "start")
    assert left.label.x < left.x and right.label.x > right.x


def test_front_view_draws_the_stomach_and_spleen_channels_of_the_leg():
    assert {c.code for c in ANTERIOR.channels} >= {"ST", "SP"}
    st36 = next(p for p in ANTERIOR.points if p.code == "ST36")
    sp6 = next(p for p in ANTERIOR.points if p.code == "SP6")
    right_st36 = next(m for m in st36.marks if m.side == Side.RIGHT)
    right_sp6 = next(m for m in sp6.marks if m.side == Side.RIGHT)
    assert right_st36.x < right_sp6.x < 50  # front view: ST36 on the outer shin, SP6 on the inner side
    assert right_st36.y < right_sp6.y


def test_channels_of_the_back_and_legs_are_drawn_on_both_sides():
    paths = {}
    for channel in POSTERIOR.channels:
        paths.setdefault(channel.code, []).extend(channel.paths)
    assert len(paths["GV"]) == 1  # the midline
    assert len(paths["BL"]) == 4  # inner and outer lines, left and right
    assert len(paths["GB"]) == 4  # shoulder and leg, left and right
    assert all(re.fullmatch(r"M[-\d. ]+( C[-\d. ]+)+( Z)?", d) for d in paths["BL"])


def test_bladder_inner_line_passes_through_bl23_bl40_and_ends_at_the_little_toe():
    inner = next(c for c in CHART.channels if c.code == "BL" and "inner" in c.name)
    x = {p.code: (p.x, p.y) for p in CHART.points}
    for code in ("BL26", "BL36", "BL37", "BL40", "BL57", "BL60", "BL62", "BL67"):
        assert min(math.dist(x[code], vertex) for vertex in inner.path) < 0.5, code


def test_layout_carries_the_panel_facts_from_the_catalogue():
    bl40 = next(p for p in POSTERIOR.points if p.code == "BL40")
    assert (bl40.pinyin, bl40.english, bl40.channel_name) == ("Wěizhōng", "Bend Middle", "Bladder")
    assert "popliteal" in bl40.location
    assert "Near a major blood vessel" in bl40.cautions
    assert bl40.depth.endswith("perpendicular")
    assert "Near a major blood vessel" in bl40.cautions_json


def test_the_selector_reads_no_database(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        chart = body_chart("posterior")
    assert chart.view == "posterior"
    assert chart.views[0] is chart.get("posterior")


# --- the page ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_chart_page_draws_an_svg_with_bl23_and_bl40_on_both_sides(signed_in, practitioner, django_assert_num_queries):
    client = signed_in(practitioner.user)
    client.get("/points/chart/")  # warm the per-process caches (clinic name and zone)
    with django_assert_num_queries(2):  # the session and the user; the chart itself needs none
        response = client.get("/points/chart/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg class="bc-svg"') == 2  # the back view, then the front view (hidden)
    assert '<figure class="bc-figure" data-view="anterior" hidden>' in html
    for code in ("BL23", "BL40"):
        group = re.search(rf'<g class="bc-point[^"]*" data-code="{code}".*?\n        </g>', html, re.S)
        assert group, code
        sides = re.findall(r'class="bc-mark" data-side="(\w+)"', group.group(0))
        assert sides == ["left", "right"], code
        assert group.group(0).count(f">{code}</text>") == 2
    assert 'data-pick="false"' in html
    assert "bc-sides" not in html  # no side buttons unless picking
    assert "knowledge/body-chart.js" in html


@pytest.mark.django_db
def test_chart_page_in_pick_mode_offers_the_side_buttons(signed_in, practitioner):
    html = signed_in(practitioner.user).get("/points/chart/", {"pick": "1"}).content.decode()
    assert 'data-pick="true"' in html
    for side in ("left", "right", "both", "midline"):
        assert f'class="bc-side" data-side="{side}"' in html


@pytest.mark.django_db
def test_chart_page_needs_a_signed_in_user(client):
    response = client.get("/points/chart/")
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


@pytest.mark.django_db
def test_points_list_links_to_the_chart(signed_in, practitioner, reference):
    html = signed_in(practitioner.user).get("/points/").content.decode()
    assert 'href="/points/chart/"' in html
