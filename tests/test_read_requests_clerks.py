"""The request ledger as clerks keep it (docs/read.md, docs/requests.md): the address in two
columns (楼栋 | 门牌, 楼号 | 室号)."""
from __future__ import annotations

from datetime import date

import pytest

from helpers import save_sheet as save
from toolkit import api
from toolkit.read import read_workspace

AS_OF = date(2026, 11, 23)


@pytest.mark.parametrize("building, room", [("楼栋", "门牌"), ("楼号", "室号"), ("楼栋", "室号"),
                                            ("楼号", "门牌号")])
def test_building_and_room_columns_are_one_address(tmp_path, building, room):
    """楼栋 | 门牌 used to read 楼栋 alone (门牌 an F005 duplicate, 楼号 | 室号 two F006s): every
    flat of building 12 was one place, and R210 called two neighbours' requests a repeat."""
    folder = save(tmp_path / "ws", [
        ["编号", "登记日期", "来源", "小区", building, room, "诉求内容", "类别", "分类日期"],
        ["SQ-1", "2026-11-02", "来电", "松和苑", "12号", "301室", "楼上漏水到家里天花板", "物业服务", "2026-11-03"],
        ["SQ-2", "2026-11-10", "来电", "松和苑", "12号", "502室", "门口电瓶车挡路没法走", "物业服务", "2026-11-11"],
        ["SQ-3", "2026-11-12", "来电", "松和苑", 12, 502, "下水道堵塞", "物业服务", "2026-11-13"],
        ["SQ-4", "2026-11-12", "来电", "松和苑", "7", None, "路灯不亮", "物业服务", "2026-11-13"],
    ], name="诉求台账.xlsx", title="诉求")
    ws = read_workspace([folder], as_of=AS_OF)
    assert not [f for f in ws.findings if f.code in ("F005", "F006")]
    records = ws.ledger("requests")
    assert [r.values["address"] for r in records] == ["12号301室", "12号502室", "12号502室", "7号"]
    assert (records[0].cells["address"].column, records[0].cells["address"].header) \
        == ("E", f"{building}/{room}")
    result = api.check([folder], as_of=AS_OF)
    # 301 and 502 are two places; 12 | 502 is the same flat as 12号 | 502室
    assert [(f.record, f.params["earlier_ids"]) for f in result.findings if f.code == "R210"] \
        == [("SQ-3", ["SQ-2"])]


def test_a_room_column_holding_the_whole_address_is_not_doubled(tmp_path):
    """门牌 written as the whole address (12号502室) under 楼栋 12: the address is 12号502室,
    not 12号12号502室 (which R210 compared as another place than 12 | 502)."""
    folder = save(tmp_path / "ws", [
        ["编号", "登记日期", "来源", "小区", "楼栋", "门牌", "诉求内容", "类别", "分类日期"],
        ["SQ-1", "2026-11-10", "来电", "松和苑", "12", "12号502室", "下水道堵塞", "物业服务", "2026-11-11"],
        ["SQ-2", "2026-11-12", "来电", "松和苑", "12号楼", "12号楼301室", "路灯不亮", "物业服务", "2026-11-13"],
        ["SQ-3", "2026-11-12", "来电", "松和苑", 12, 502, "下水道堵塞", "物业服务", "2026-11-13"],
        ["SQ-4", "2026-11-12", "来电", "松和苑", 1, "12号502室", "门口堆物", "物业服务", "2026-11-13"],
    ], name="诉求台账.xlsx", title="诉求")
    ws = read_workspace([folder], as_of=AS_OF)
    assert [r.values["address"] for r in ws.ledger("requests")] == [
        "12号502室", "12号楼301室", "12号502室", "1号12号502室"]
    result = api.check([folder], as_of=AS_OF)
    assert [(f.record, f.params["earlier_ids"]) for f in result.findings if f.code == "R210"] \
        == [("SQ-3", ["SQ-1"])]
