"""/api/v1/acupoints and /api/v1/channels: reference data for any signed-in user, never for anonymous callers."""

import pytest
from django.test import Client, RequestFactory

from acupath.accounts.models import Role
from acupath.accounts.services import token_issue
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WHO_CHANNEL_SIZES = {
    "LU": 11, "LI": 20, "ST": 45, "SP": 21, "HT": 9, "SI": 19, "BL": 67,
    "KI": 27, "PC": 9, "TE": 23, "GB": 44, "LR": 14, "GV": 28, "CV": 24,
}  # fmt: skip


@pytest.fixture
def reader(reference, practitioner):
    return practitioner.user


@pytest.fixture
def signed(reader):
    """A GET with a bearer token issued beforehand, so query counts see only the request."""
    token = token_issue(
        request=RequestFactory().post("/api/v1/auth/token"), username=reader.username, password=PASSWORD
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def get(path, **params):
        return client.get(path, params)

    return get


def codes(body):
    return [item["code"] for item in body["items"]]


# --- who may read --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/acupoints", "/api/v1/acupoints/BL23", "/api/v1/channels"])
def test_reference_api_refuses_anonymous_callers_with_401(api, reference, path):
    assert api.get(path).status_code == 401


@pytest.mark.parametrize("role", [Role.FRONTDESK, Role.OWNER, Role.PATIENT])
def test_any_signed_in_role_may_read_reference_data(api, reference, role):
    user = UserFactory(role=role)
    assert api.get("/api/v1/acupoints/BL23", user=user).status_code == 200


def test_the_signed_in_browser_session_may_read_reference_data(client, reference, practitioner):
    client.force_login(practitioner.user)
    response = client.get("/api/v1/acupoints", {"channel": "GV", "limit": 1})
    assert response.status_code == 200
    assert response.json()["count"] == 28


# --- the list --------------------------------------------------------------------------------


def test_bladder_channel_lists_67_points_in_order(api, reader):
    body = api.get("/api/v1/acupoints", user=reader, channel="BL", limit=100).json()
    assert body["count"] == 67
    assert codes(body) == [f"BL{n}" for n in range(1, 68)]


def test_the_fourteen_channels_together_hold_361_points(api, reader):
    counts = {
        code: api.get("/api/v1/acupoints", user=reader, channel=code, limit=1).json()["count"]
        for code in WHO_CHANNEL_SIZES
    }
    assert counts == WHO_CHANNEL_SIZES
    assert sum(counts.values()) == 361


def test_channel_filter_accepts_legacy_abbreviations(api, reader):
    assert api.get("/api/v1/acupoints", user=reader, channel="ub", limit=1).json()["count"] == 67
    assert api.get("/api/v1/acupoints", user=reader, channel="Du", limit=1).json()["count"] == 28


def test_channel_ex_gives_the_extra_points_and_not_the_ashi_pseudo_point(api, reader):
    body = api.get("/api/v1/acupoints", user=reader, channel="EX").json()
    assert codes(body) == ["EX-HN1", "EX-HN3", "EX-HN5", "EX-B1", "EX-B2", "EX-B7", "EX-B8", "EX-UE7"]
    assert {item["channel"] for item in body["items"]} == {"EX"}


def test_an_unknown_channel_is_refused_naming_it(api, reader):
    response = api.get("/api/v1/acupoints", user=reader, channel="XQ")
    assert response.status_code == 422
    assert "XQ" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize("q", ["shènshù", "shenshu", "Shenshu", "SHENSHU"])
def test_search_by_pinyin_with_or_without_tone_marks(api, reader, q):
    body = api.get("/api/v1/acupoints", user=reader, q=q).json()
    assert codes(body) == ["BL23"]


def test_search_by_english_gloss(api, reader):
    body = api.get("/api/v1/acupoints", user=reader, q="kidney shu").json()
    assert codes(body) == ["BL23"]


def test_search_by_code_in_any_spelling_finds_exactly_that_point(api, reader):
    assert codes(api.get("/api/v1/acupoints", user=reader, q="ub 40").json()) == ["BL40"]
    assert codes(api.get("/api/v1/acupoints", user=reader, q="GV29").json()) == ["EX-HN3"]


def test_region_filter_gives_only_points_of_that_region(api, reader):
    body = api.get("/api/v1/acupoints", user=reader, region="lumbar", limit=100).json()
    assert body["count"] == len(body["items"]) > 0
    assert {item["region"] for item in body["items"]} == {"lumbar"}
    assert {"BL23", "BL52", "GV4", "EX-B7"} <= set(codes(body))
    assert "BL40" not in codes(body)


def test_region_and_channel_filters_combine(api, reader):
    body = api.get("/api/v1/acupoints", user=reader, region="lumbar", channel="GV").json()
    assert codes(body) == ["GV3", "GV4", "GV5"]


def test_an_unknown_region_is_refused_naming_it(api, reader):
    response = api.get("/api/v1/acupoints", user=reader, region="elbowz")
    assert response.status_code == 422
    assert "elbowz" in response.json()["detail"][0]["msg"]


def test_list_is_paged_by_offset_and_limit(api, reader):
    body = api.get("/api/v1/acupoints", user=reader, channel="BL", offset=20, limit=5).json()
    assert body["count"] == 67
    assert codes(body) == ["BL21", "BL22", "BL23", "BL24", "BL25"]


def test_list_takes_the_same_number_of_queries_for_one_point_or_four_hundred(signed, django_assert_num_queries):
    signed("/api/v1/acupoints")  # warm the catalogue cache
    # token lookup, the page of points (channel joined in), the count
    with django_assert_num_queries(3):
        one = signed("/api/v1/acupoints", q="shenshu").json()
    with django_assert_num_queries(3):
        many = signed("/api/v1/acupoints", limit=400).json()
    assert len(one["items"]) == 1
    assert len(many["items"]) == many["count"] >= 369


# --- one point -------------------------------------------------------------------------------


def test_point_by_legacy_spelling_answers_in_who_form_with_names(api, reader):
    response = api.get("/api/v1/acupoints/ub-23", user=reader)
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "BL23"
    assert (body["pinyin"], body["pinyin_plain"], body["english"]) == ("Shènshù", "Shenshu", "Kidney Shu")
    assert body["chinese"]
    assert (body["channel"], body["region"]) == ("BL", "lumbar")
    assert "L2" in body["location"]
    assert body["depth"]["min_cm"] < body["depth"]["max_cm"]
    assert body["depth"]["angle"] == "perpendicular"
    assert {"code": "local_lumbar", "label": "Local point for the low back"} in body["tags"]
    assert set(body) >= {"cautions", "aliases", "max_safe_depth_cm"}


def test_point_cautions_come_with_their_plain_words(api, reader):
    body = api.get("/api/v1/acupoints/BL40", user=reader).json()
    assert {"code": "major_vessel", "label": "Near a major blood vessel"} in body["cautions"]


def test_gv29_resolves_to_yintang_ex_hn3(api, reader):
    body = api.get("/api/v1/acupoints/GV29", user=reader).json()
    assert body["code"] == "EX-HN3"
    assert body["channel"] == "EX"
    assert "GV29" in body["aliases"]


def test_a_point_without_needling_detail_answers_depth_null(api, reader):
    body = api.get("/api/v1/acupoints/LU3", user=reader).json()
    assert body["code"] == "LU3"
    assert body["depth"] is None


def test_unknown_code_is_404_naming_the_code_as_typed(api, reader):
    response = api.get("/api/v1/acupoints/XY99", user=reader)
    assert response.status_code == 404
    assert "XY99" in response.json()["detail"]


def test_out_of_range_code_is_404_saying_what_the_channel_holds(api, reader):
    response = api.get("/api/v1/acupoints/bl99", user=reader)
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert "bl99" in detail
    assert "BL1 to BL67" in detail


def test_a_known_code_not_yet_loaded_is_404_not_500(api, practitioner):
    # no `reference` fixture: the database has no points
    response = api.get("/api/v1/acupoints/BL23", user=practitioner.user)
    assert response.status_code == 404
    assert "BL23" in response.json()["detail"]


def test_one_point_costs_two_queries(signed, django_assert_num_queries):
    signed("/api/v1/acupoints/GV4")  # warms the per-process cache (the clinic's zone), as a running server has it
    with django_assert_num_queries(2):  # token lookup, the point with its channel
        assert signed("/api/v1/acupoints/GV4").status_code == 200


# --- channels --------------------------------------------------------------------------------


def test_channels_list_the_fourteen_in_who_order_with_names_and_counts(signed, django_assert_num_queries):
    signed("/api/v1/channels")  # warms the per-process cache (the clinic's zone), as a running server has it
    with django_assert_num_queries(2):  # token lookup, the channels
        body = signed("/api/v1/channels").json()
    assert [c["code"] for c in body] == list(WHO_CHANNEL_SIZES)
    assert {c["code"]: c["point_count"] for c in body} == WHO_CHANNEL_SIZES
    bladder = body[6]
    assert (bladder["name"], bladder["pinyin"], bladder["chinese"]) == (
        "Bladder",
        "Zú Tàiyáng Pángguāng Jīng",
        "足太阳膀胱经",
    )
    assert set(bladder) == {"code", "name", "pinyin", "chinese", "point_count"}


def test_openapi_document_lists_the_reference_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/acupoints", "/api/v1/acupoints/{code}", "/api/v1/channels"} <= set(paths)
    assert paths["/api/v1/acupoints"]["get"]["tags"] == ["reference"]
