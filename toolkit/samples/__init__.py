"""Synthetic sample workspaces: fictional 居民区 with all four ledgers, for demos, tests and
load tests. ``python -m toolkit.samples --communities 3 --seed 1 -o out/``.

The builders of fictional people (names, valid resident IDs, phones) are exported for tests.
"""
from toolkit.samples.generate import (Community, Defect, Sizes, build_community, care_tier,
                                      generate_town, inject_defects, write_community,
                                      write_ledger)
from toolkit.samples.people import (break_check_digit, break_phone, id_check_digit, id_is_valid,
                                    make_address, make_birth, make_id_number, make_landline,
                                    make_mobile, make_name, make_phone)

__all__ = ["Community", "Defect", "Sizes", "build_community", "care_tier", "generate_town",
           "inject_defects", "write_community", "write_ledger", "break_check_digit",
           "break_phone", "id_check_digit", "id_is_valid", "make_address", "make_birth",
           "make_id_number", "make_landline", "make_mobile", "make_name", "make_phone"]
