"""The points pages: search by code, pinyin (tone marks optional), English, channel or region, in constant queries."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def browse(signed_in, practitioner, reference):
    client = signed_in(practitioner.user)

    def get(path="/points/", htmx=False, **params):
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        return client.get(path, params, **headers)

    return get


def listed(response):
    return [p.code for p in response.context["page"]]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("BL23", ["BL23"]),
        ("ub-40", ["BL40"]),
        ("Du4", ["GV4"]),
        ("shènshù", ["BL23"]),
        ("shenshu", ["BL23"]),
        ("Wei zhong", ["BL40"]),
        ("kidney shu", ["BL23"]),
        ("委中", ["BL40"]),
    ],
)
def test_search_finds_by_code_pinyin_english_or_chinese(browse, q, expected):
    assert listed(browse(q=q)) == expected


def test_search_by_channel_code_in_the_box_lists_that_channel(browse):
    response = browse(q="GB")
    assert response.context["page"].paginator.count == 44


def test_search_by_region_name_in_the_box_lists_that_region(browse):
    codes = listed(browse(q="lumbar"))
    assert {"BL23", "GV4", "EX-B7"} <= set(codes)


def test_channel_and_region_selects_narrow_the_list(browse):
    assert listed(browse(channel="GV", region="lumbar")) == ["GV3", "GV4", "GV5"]
    assert listed(browse(channel="EX", region="hand")) == ["EX-UE7"]


def test_an_unknown_channel_says_so_instead_of_failing(browse):
    response = browse(channel="XQ")
    assert response.status_code == 200
    assert "Unknown channel &#x27;XQ&#x27;" in response.content.decode()
    assert listed(response) == []


def test_typing_in_the_search_box_returns_only_the_results_partial(browse):
    response = browse(htmx=True, q="shenshu")
    html = response.content.decode()
    assert "<html" not in html
    assert "Shènshù" in html


def test_region_names_are_shown_in_plain_words(browse):
    html = browse(q="BL40").content.decode()
    assert '<td class="small muted">Knee</td>' in html
    assert '<option value="lumbar" >Low back (lumbar)</option>' in html


def test_search_page_queries_do_not_grow_with_the_number_of_matches(
    signed_in, practitioner, reference, django_assert_num_queries
):
    client = signed_in(practitioner.user)
    client.get("/points/")  # warm caches
    # session, user, the count, the page of points (channel joined in), the channels
    with django_assert_num_queries(5):
        one = client.get("/points/", {"q": "shenshu"})
    with django_assert_num_queries(5):
        many = client.get("/points/", {"q": "shu"})
    assert one.context["page"].paginator.count == 1
    assert len(many.context["page"]) > 30


def test_point_page_redirects_other_spellings_to_the_who_code(browse):
    response = browse("/points/ub23/")
    assert response.status_code == 302
    assert response["Location"] == "/points/BL23/"


def test_point_page_for_an_unknown_code_is_404(browse):
    assert browse("/points/XY99/").status_code == 404


def test_channel_page_answers_legacy_abbreviations_with_the_who_code(browse):
    response = browse("/points/channels/ub/")
    assert response.status_code == 302
    assert response["Location"] == "/points/channels/BL/"


def test_channel_page_lists_its_points_in_order(browse):
    response = browse("/points/channels/BL/")
    assert [p.code for p in response.context["points"]][:3] == ["BL1", "BL2", "BL3"]
    assert len(response.context["points"]) == 67
