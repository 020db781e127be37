"""The shipped acupoint data (channels.yaml, acupoints.yaml) and the loader's schema checks.

Expected values come from the sources, not from the data files: WHO 1991/2008 channel sizes,
clinical reference section 4 (back-pain points and roles) and section 5 (cautions).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from acupath.knowledge.domain.catalogue import (
    CatalogueError,
    Caution,
    PointRecord,
    Region,
    Tag,
    load_catalogue,
    strip_tones,
)

WHO_CHANNEL_SIZES = {
    "LU": 11, "LI": 20, "ST": 45, "SP": 21, "HT": 9, "SI": 19, "BL": 67,
    "KI": 27, "PC": 9, "TE": 23, "GB": 44, "LR": 14, "GV": 28, "CV": 24,
}  # fmt: skip

BACK_PAIN_POINTS = [
    *(f"BL{n}" for n in (17, *range(20, 35), 36, 37, 40, *range(50, 55), 57, 58, 60, 62)),
    *(f"GV{n}" for n in (3, 4, 5, 6, 20, 26)),
    "GB30", "GB31", "GB34", "GB39", "GB41", "SI3", "LR3", "KI3", "KI7", "SP6", "SP9", "ST36",
    "LI4", "HT7", "PC6", "EX-HN3", "EX-B1", "EX-B2", "EX-B7", "EX-B8", "EX-UE7",
]  # fmt: skip

# A few landmarks along every channel: a shifted sequence would move these names.
NAMES = {
    "LU1": "Zhongfu", "LU7": "Lieque", "LU11": "Shaoshang", "LI4": "Hegu", "LI20": "Yingxiang",
    "ST36": "Zusanli", "ST45": "Lidui", "SP6": "Sanyinjiao", "SP21": "Dabao", "HT7": "Shenmen",
    "HT9": "Shaochong", "SI3": "Houxi", "SI19": "Tinggong", "BL23": "Shenshu", "BL40": "Weizhong",
    "BL43": "Gaohuang", "BL54": "Zhibian", "BL67": "Zhiyin", "KI3": "Taixi", "KI27": "Shufu",
    "PC6": "Neiguan", "PC9": "Zhongchong", "TE5": "Waiguan", "TE15": "Tianliao",
    "TE23": "Sizhukong", "GB20": "Fengchi", "GB30": "Huantiao", "GB44": "Zuqiaoyin",
    "LR3": "Taichong", "LR14": "Qimen", "GV4": "Mingmen", "GV20": "Baihui", "GV28": "Yinjiao",
    "CV4": "Guanyuan", "CV12": "Zhongwan", "CV24": "Chengjiang", "EX-HN3": "Yintang",
    "EX-B2": "Jiaji", "EX-UE7": "Yaotongdian",
}  # fmt: skip

CATALOGUE = load_catalogue()


def _point(code: str) -> PointRecord:
    return CATALOGUE.point(code)


# --- counts and numbering -------------------------------------------------------------------


@pytest.mark.parametrize(("channel", "size"), WHO_CHANNEL_SIZES.items())
def test_each_channel_has_its_who_number_of_points(channel: str, size: int) -> None:
    points = CATALOGUE.channel_points(channel)
    assert len(points) == size
    assert [p.number for p in points] == list(range(1, size + 1))
    assert [p.code for p in points] == [f"{channel}{n}" for n in range(1, size + 1)]
    assert CATALOGUE.channel(channel).point_count == size


def test_channels_are_listed_in_who_order() -> None:
    assert [c.code for c in CATALOGUE.channels] == list(WHO_CHANNEL_SIZES)


def test_the_fourteen_channels_hold_361_points() -> None:
    assert CATALOGUE.who_channel_point_count() == 361
    assert sum(1 for p in CATALOGUE.points if not p.is_extra) == 361


def test_yintang_is_an_extra_point_reachable_as_gv29_but_not_counted_on_gv() -> None:
    yintang = _point("GV29")
    assert (yintang.code, yintang.channel, yintang.number) == ("EX-HN3", "EX", 3)
    assert "GV29" in yintang.aliases
    assert len(CATALOGUE.channel_points("GV")) == 28
    assert "EX-HN3" not in {p.code for p in CATALOGUE.channel_points("GV")}


def test_required_extra_points_are_present() -> None:
    extras = {p.code for p in CATALOGUE.extra_points()}
    assert {"EX-HN3", "EX-B2", "EX-B7", "EX-B8", "EX-UE7"} <= extras


def test_points_run_in_channel_order_then_extras() -> None:
    order = [p.channel for p in CATALOGUE.points]
    channel_runs = list(dict.fromkeys(order))
    assert channel_runs == [*WHO_CHANNEL_SIZES, "EX"]


def test_codes_and_aliases_are_unique() -> None:
    codes = [p.code for p in CATALOGUE.points]
    aliases = [a for p in CATALOGUE.points for a in p.aliases]
    assert len(codes) == len(set(codes))
    assert len(aliases) == len(set(aliases))
    assert not set(aliases) & set(codes)
    channel_aliases = [a for c in CATALOGUE.channels for a in c.aliases]
    assert len(channel_aliases) == len(set(channel_aliases))


# --- record content -------------------------------------------------------------------------


@pytest.mark.parametrize("point", CATALOGUE.points, ids=lambda p: p.code)
def test_every_point_has_its_names_region_and_location(point: PointRecord) -> None:
    for field in ("code", "channel", "pinyin", "chinese", "english", "location"):
        assert getattr(point, field).strip(), field
    assert isinstance(point.region, Region)
    assert point.pinyin != strip_tones(point.pinyin), "pinyin should carry tone marks"
    assert all("\u4e00" <= char <= "\u9fff" for char in point.chinese)


@pytest.mark.parametrize(("code", "name"), NAMES.items())
def test_landmark_points_carry_their_standard_names(code: str, name: str) -> None:
    assert _point(code).pinyin_plain == name


@pytest.mark.parametrize("code", BACK_PAIN_POINTS)
def test_back_pain_points_carry_depth_cautions_and_tags(code: str) -> None:
    point = _point(code)
    assert point.depth is not None
    assert point.cautions is not None
    assert point.tags


@pytest.mark.parametrize(
    ("code", "tags"),
    [
        ("BL23", {Tag.LOCAL_LUMBAR, Tag.PATTERN_KIDNEY_DEFICIENCY, Tag.PATTERN_COLD_DAMP}),
        ("BL40", {Tag.DISTAL_BLADDER, Tag.DISTAL_GENERAL, Tag.PATTERN_BLOOD_STASIS}),
        ("BL32", {Tag.LOCAL_SACRAL, Tag.PATTERN_BLOOD_STASIS}),
        ("BL52", {Tag.LOCAL_LUMBAR, Tag.PATTERN_KIDNEY_DEFICIENCY}),
        ("BL54", {Tag.LOCAL_BUTTOCK, Tag.DISTAL_BLADDER}),
        ("BL57", {Tag.DISTAL_BLADDER}),
        ("GB30", {Tag.LOCAL_BUTTOCK, Tag.DISTAL_GALLBLADDER}),
        ("GB34", {Tag.DISTAL_GALLBLADDER}),
        ("GV3", {Tag.LOCAL_LUMBAR, Tag.MIDLINE_GOVERNOR, Tag.PATTERN_COLD_DAMP}),
        ("GV4", {Tag.MIDLINE_GOVERNOR, Tag.PATTERN_KIDNEY_DEFICIENCY}),
        ("GV26", {Tag.ACUTE_SPRAIN}),
        ("SI3", {Tag.MIDLINE_GOVERNOR}),
        ("EX-UE7", {Tag.ACUTE_SPRAIN}),
        ("EX-HN3", {Tag.CALMING}),
        ("HT7", {Tag.CALMING}),
        ("PC6", {Tag.CALMING}),
        ("GV20", {Tag.CALMING}),
        ("LR3", {Tag.PATTERN_QI_STAGNATION, Tag.CALMING}),
        ("SP6", {Tag.PATTERN_BLOOD_STASIS}),
        ("KI3", {Tag.PATTERN_KIDNEY_DEFICIENCY}),
        ("EX-B2", {Tag.LOCAL_LUMBAR}),
    ],
)
def test_back_pain_roles_follow_the_clinical_reference(code: str, tags: set[Tag]) -> None:
    assert tags <= set(_point(code).tags or ())


# --- cautions -------------------------------------------------------------------------------


def _with(caution: Caution) -> set[str]:
    return {p.code for p in CATALOGUE.points if caution in (p.cautions or ())}


def test_pregnancy_forbidden_is_exactly_the_traditional_five() -> None:
    assert _with(Caution.PREGNANCY_FORBIDDEN) == {"LI4", "SP6", "BL60", "BL67", "GB21"}


def test_lung_field_points_carry_the_pneumothorax_caution_and_a_max_depth() -> None:
    bladder = {f"BL{n}" for n in (*range(11, 22), *range(41, 51))}
    chest = {p.code for p in CATALOGUE.points if p.region is Region.CHEST and p.channel != "CV"}
    expected = bladder | chest | {"GB21", "LU1", "LU2", "CV22"}
    assert expected <= _with(Caution.THORACIC_PNEUMOTHORAX)
    for code in _with(Caution.THORACIC_PNEUMOTHORAX):
        assert _point(code).max_safe_depth_cm is not None, code


def test_no_recorded_depth_goes_beyond_the_safe_maximum() -> None:
    for point in CATALOGUE.points:
        if point.depth and point.max_safe_depth_cm:
            assert point.depth.max_cm <= point.max_safe_depth_cm, point.code


def test_specific_hazards_are_flagged() -> None:
    assert {"LR3"} == _with(Caution.HYPOTENSION_SYNCOPE)
    assert {"BL1", "ST1"} <= _with(Caution.EYE_ORBIT)
    assert {"GV15", "GV16"} <= _with(Caution.SPINAL_CORD)
    assert {"ST9", "LU9", "HT1", "SP11", "LR12", "BL40"} <= _with(Caution.MAJOR_VESSEL)


def test_abdominal_wall_points_carry_the_abdominal_organs_caution() -> None:
    groin_or_perineum = {"CV1", "ST30", "SP12", "LR12"}
    abdominal = {p.code for p in CATALOGUE.points if p.region in (Region.UPPER_ABDOMEN, Region.LOWER_ABDOMEN)}
    assert abdominal - groin_or_perineum <= _with(Caution.ABDOMINAL_ORGANS)


def test_headers_name_dataset_version_source_and_licence() -> None:
    for header, dataset in ((CATALOGUE.header, "acupoints"), (CATALOGUE.channels_header, "channels")):
        assert header.dataset == dataset
        assert header.version >= 1
        assert "WHO" in header.source
        assert "CC-BY-4.0" in header.licence


def test_strip_tones_removes_marks_and_umlaut() -> None:
    assert strip_tones("Shènshù") == "Shenshu"
    assert strip_tones("Zhōnglǚshù") == "Zhonglushu"
    assert strip_tones("Fù'āi") == "Fu'ai"


# --- schema rejections ----------------------------------------------------------------------


def minimal_data() -> tuple[dict[str, Any], dict[str, Any]]:
    """A tiny valid catalogue: LU with two points, BL and GV with one each, and Yintang."""
    header = {"version": 1, "source": "test", "licence": "CC-BY-4.0"}
    channels = {
        "dataset": "channels",
        **header,
        "channels": [
            {"code": "LU", "name": "Lung", "pinyin": "Fèi", "chinese": "肺", "point_count": 2},
            {"code": "BL", "name": "Bladder", "pinyin": "Pángguāng", "chinese": "膀胱",
             "point_count": 1, "aliases": ["UB"]},
            {"code": "GV", "name": "Governor Vessel", "pinyin": "Dū Mài", "chinese": "督脉",
             "point_count": 1, "aliases": ["DU"]},
        ],
    }  # fmt: skip

    def point(code: str, channel: str, number: int, **extra: Any) -> dict[str, Any]:
        return {"code": code, "channel": channel, "number": number, "pinyin": "Zhōngfǔ",
                "chinese": "中府", "english": "Test", "region": "chest",
                "location": "Somewhere precise.", **extra}  # fmt: skip

    points = {
        "dataset": "acupoints",
        **header,
        "points": [
            point("LU1", "LU", 1, depth={"min_cm": 0.5, "max_cm": 1.0, "angle": "oblique"},
                  max_safe_depth_cm=1.0, cautions=["thoracic_pneumothorax"], tags=["calming"]),
            point("LU2", "LU", 2),
            point("BL1", "BL", 1, region="face"),
            point("GV1", "GV", 1, region="sacral"),
            point("EX-HN3", "EX", 3, region="face", aliases=["GV29"]),
        ],
    }  # fmt: skip
    return channels, points


def write_catalogue(directory: Path, channels: dict[str, Any], points: dict[str, Any]) -> Path:
    for name, data in (("channels.yaml", channels), ("acupoints.yaml", points)):
        (directory / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return directory


def test_minimal_catalogue_loads(tmp_path: Path) -> None:
    catalogue = load_catalogue(write_catalogue(tmp_path, *minimal_data()))
    assert [p.code for p in catalogue.points] == ["LU1", "LU2", "BL1", "GV1", "EX-HN3"]
    assert catalogue.who_channel_point_count() == 4


_DELETE = object()


def _broken(tmp_path: Path, change: str, value: Any, *, index: int = 0, target: str = "points") -> str:
    channels, points = copy.deepcopy(minimal_data())
    records = points["points"] if target == "points" else channels["channels"]
    if value is _DELETE:
        del records[index][change]
    else:
        records[index][change] = value
    with pytest.raises(CatalogueError) as raised:
        load_catalogue(write_catalogue(tmp_path, channels, points))
    return str(raised.value)


@pytest.mark.parametrize(
    ("change", "value", "index", "expected"),
    [
        ("region", "lumbarr", 1, ["(LU2).region", "lumbarr"]),
        ("tags", ["local_lumbarr"], 0, ["(LU1).tags[0]", "local_lumbarr"]),
        ("cautions", ["sharp"], 0, ["(LU1).cautions[0]", "sharp"]),
        ("number", 3, 1, ["'LU2' disagrees with channel LU and number 3"]),
        ("channel", "BL", 1, ["'LU2' disagrees with channel BL"]),
        ("code", "EX-HN4", 4, ["'EX-HN4' disagrees with number 3"]),
        ("code", "EX-ZZ3", 4, ["not of the form EX-"]),
        ("max_safe_depth_cm", _DELETE, 0, ["thoracic_pneumothorax needs a max_safe_depth_cm"]),
        ("max_safe_depth_cm", 0.8, 0, ["exceeds max_safe_depth_cm 0.8"]),
        ("depth", _DELETE, 0, ["treatment tags also needs depth and cautions"]),
        ("location", "", 1, ["(LU2).location"]),
        ("tag", ["calming"], 1, ["(LU2).tag", "Extra inputs are not permitted"]),
        ("depth", {"min_cm": 2, "max_cm": 1, "angle": "oblique"}, 1, ["min_cm 2.0 is greater"]),
        ("depth", {"min_cm": 1, "max_cm": 2, "angle": "sideways"}, 1, ["angle", "sideways"]),
    ],
)
def test_schema_rejects_bad_point_fields(
    tmp_path: Path, change: str, value: Any, index: int, expected: list[str]
) -> None:
    message = _broken(tmp_path, change, value, index=index)
    assert "acupoints.yaml" in message
    for fragment in expected:
        assert fragment in message


def test_duplicate_point_code_is_rejected(tmp_path: Path) -> None:
    channels, points = minimal_data()
    points["points"].append(copy.deepcopy(points["points"][1]))
    with pytest.raises(CatalogueError, match="duplicate point code 'LU2'"):
        load_catalogue(write_catalogue(tmp_path, channels, points))


def test_duplicate_alias_is_rejected(tmp_path: Path) -> None:
    channels, points = minimal_data()
    points["points"][2]["aliases"] = ["gv-29"]
    with pytest.raises(CatalogueError, match="duplicate alias"):
        load_catalogue(write_catalogue(tmp_path, channels, points))


def test_alias_on_an_unknown_channel_is_rejected(tmp_path: Path) -> None:
    channels, points = minimal_data()
    points["points"][4]["aliases"] = ["ZZ29"]
    with pytest.raises(CatalogueError, match="alias 'ZZ29' is not a code on a known channel"):
        load_catalogue(write_catalogue(tmp_path, channels, points))


def test_alias_that_is_a_real_point_code_is_rejected(tmp_path: Path) -> None:
    channels, points = minimal_data()
    points["points"][4]["aliases"] = ["UB1"]
    with pytest.raises(CatalogueError, match="alias 'UB1' is itself a point code"):
        load_catalogue(write_catalogue(tmp_path, channels, points))


def test_channel_alias_that_is_another_channels_code_is_rejected(tmp_path: Path) -> None:
    message = _broken(tmp_path, "aliases", ["BL"], index=0, target="channels")
    assert "channel alias 'BL' of LU is already BL" in message


def test_point_count_mismatch_names_the_missing_point(tmp_path: Path) -> None:
    message = _broken(tmp_path, "point_count", 3, index=0, target="channels")
    assert "channel LU: point_count is 3 but 2 points are listed" in message
    assert "missing LU3" in message


def test_point_on_an_unknown_channel_is_rejected(tmp_path: Path) -> None:
    channels, points = minimal_data()
    points["points"].append({**points["points"][1], "code": "XX1", "channel": "XX", "number": 1})
    with pytest.raises(CatalogueError, match="XX1: unknown channel 'XX'"):
        load_catalogue(write_catalogue(tmp_path, channels, points))


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    channels, points = minimal_data()
    points["points"][1]["region"] = "nowhere"
    points["points"][2]["english"] = ""
    with pytest.raises(CatalogueError) as raised:
        load_catalogue(write_catalogue(tmp_path, channels, points))
    assert "nowhere" in str(raised.value)
    assert "(BL1).english" in str(raised.value)


def test_header_is_required_and_dataset_must_match(tmp_path: Path) -> None:
    channels, points = minimal_data()
    del points["licence"]
    with pytest.raises(CatalogueError, match="licence"):
        load_catalogue(write_catalogue(tmp_path, channels, points))
    channels, points = minimal_data()
    points["dataset"] = "channels"
    with pytest.raises(CatalogueError, match="dataset is 'channels', expected 'acupoints'"):
        load_catalogue(write_catalogue(tmp_path, channels, points))


def test_missing_file_and_bad_yaml_are_reported(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="file not found"):
        load_catalogue(tmp_path)
    write_catalogue(tmp_path, *minimal_data())
    (tmp_path / "acupoints.yaml").write_text("points: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid YAML"):
        load_catalogue(tmp_path)


# --- regions and cautions the safety rules read (issue 12 clinical audit) ----------------------


@pytest.mark.parametrize("code", ["BL27", "BL28", "BL29", "BL30", "BL31", "BL32", "BL33", "BL34", "BL53", "BL54"])
def test_points_level_with_the_sacral_foramina_are_sacral(code: str) -> None:
    # BL53 and BL54 lie level with the 2nd and 4th sacral foramina, lateral to BL32 and BL34.
    assert load_catalogue().point(code).region == "sacral"


@pytest.mark.parametrize("number", range(3, 17))
def test_gv3_to_gv16_carry_the_spinal_caution_with_a_maximum_depth(number: int) -> None:
    point = load_catalogue().point(f"GV{number}")
    assert "spinal_cord" in (point.cautions or ())
    assert point.max_safe_depth_cm is not None


def test_huatuojiaji_overlie_the_lung_only_at_thoracic_levels() -> None:
    jiaji = load_catalogue().point("EX-B2")
    assert "thoracic_pneumothorax" not in (jiaji.cautions or ())
    assert dict(jiaji.level_cautions) == {"upper_back": ("thoracic_pneumothorax",)}


def test_a_depth_caution_without_a_maximum_depth_is_refused() -> None:
    with pytest.raises(ValueError, match="spinal_cord needs a max_safe_depth_cm"):
        PointRecord.model_validate(
            {
                "code": "GV9", "channel": "GV", "number": 9, "pinyin": "Zhìyáng", "chinese": "至阳",
                "english": "Reaching Yang", "region": "upper_back", "location": "below T7",
                "cautions": ["spinal_cord"],
            }
        )  # fmt: skip
