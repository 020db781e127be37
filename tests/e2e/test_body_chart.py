"""The body chart's contract, proven in a real browser: click a point, choose a side, hear "acupoint:pick"."""

import pytest

from acupath.accounts.models import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LISTEN = """() => {
  window.__picks = [];
  document.addEventListener("acupoint:pick", (e) => window.__picks.push(e.detail));
}"""


def mark(code, side):
    return f'.bc-point[data-code="{code}"] .bc-mark[data-side="{side}"] .bc-hit'


@pytest.fixture
def chart_page(live_server, page):
    UserFactory(username="practitioner", role=Role.PRACTITIONER)
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.fill("#id_username", "practitioner")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_picking_bl23_on_both_sides_announces_the_pick_and_marks_it_chosen(live_server, chart_page, shot):
    page = chart_page
    page.goto(f"{live_server.url}/points/chart/?pick=1")
    page.evaluate(LISTEN)

    page.click(mark("BL23", "left"))
    panel = page.locator(".bc-panel")
    assert panel.locator(".bc-code").inner_text() == "BL23"
    assert panel.locator(".bc-pinyin").inner_text() == "Shènshù"
    assert panel.locator(".bc-english").inner_text() == "Kidney Shu"
    assert "L2" in panel.locator(".bc-location").inner_text()
    assert panel.locator(".bc-side[data-side=midline]").is_hidden()
    assert page.evaluate("window.__picks") == []  # looking is not picking

    panel.locator("button:text('Both')").click()
    assert page.evaluate("window.__picks") == [{"code": "BL23", "side": "both", "pinyin": "Shènshù"}]
    assert panel.locator(".bc-picked").inner_text() == "Added BL23 Shènshù, both sides."

    # The page plays host: it answers with "acupoint:chosen", and the chart marks BL23 on both sides.
    page.wait_for_selector('.bc-point.is-chosen[data-code="BL23"]')
    assert page.locator("#picked-points li").all_inner_texts() == ["BL23 Shènshù (both)"]
    shot("body-chart-picked-bl23")


def test_a_midline_point_offers_only_midline_and_a_right_side_click_suggests_right(live_server, chart_page):
    page = chart_page
    page.goto(f"{live_server.url}/points/chart/?pick=1")
    page.evaluate(LISTEN)

    page.click(mark("GV4", "midline"))
    sides = page.locator(".bc-side:visible").all_inner_texts()
    assert sides == ["Midline"]
    page.click(".bc-side[data-side=midline]")

    page.click(mark("BL40", "right"))
    assert page.locator(".bc-side.is-clicked-side").get_attribute("data-side") == "right"
    page.click(".bc-side[data-side=right]")
    assert page.evaluate("window.__picks") == [
        {"code": "GV4", "side": "midline", "pinyin": "Mìngmén"},
        {"code": "BL40", "side": "right", "pinyin": "Wěizhōng"},
    ]


def test_host_page_can_mark_chosen_points_and_the_explore_page_offers_no_picking(live_server, chart_page):
    page = chart_page
    page.goto(f"{live_server.url}/points/chart/")
    page.evaluate(
        """() => document.dispatchEvent(new CustomEvent("acupoint:chosen", {detail: {codes: ["BL40", "gv4"]}}))"""
    )
    chosen = page.locator(".bc-point.is-chosen").evaluate_all("els => els.map(e => e.dataset.code)")
    assert sorted(chosen) == ["BL40", "GV4"]

    page.click(mark("BL57", "left"))
    assert page.locator(".bc-code").inner_text() == "BL57"
    assert page.locator(".bc-side").count() == 0


def test_the_front_view_is_one_tap_away_and_picks_the_same_way(live_server, chart_page, shot):
    page = chart_page
    page.goto(f"{live_server.url}/points/chart/?pick=1")
    page.evaluate(LISTEN)
    assert page.locator('.bc-figure[data-view="anterior"]').is_hidden()

    page.click(".bc-tab[data-show=anterior]")
    assert page.locator('.bc-figure[data-view="posterior"]').is_hidden()
    page.click(mark("ST36", "right"))
    assert page.locator(".bc-code").inner_text() == "ST36"
    page.click(".bc-side[data-side=right]")
    assert page.evaluate("window.__picks") == [{"code": "ST36", "side": "right", "pinyin": "Zúsānlǐ"}]
    page.wait_for_selector('.bc-point.is-chosen[data-code="ST36"]')
    shot("body-chart-front-picked-st36")
