"""Which exemption lifts a request for a copy of a CIP (§7.305(a), §7.303(d); §7.306(b), (e))."""

from __future__ import annotations

import pytest

from core.hooks import CIP_CERTIFICATION, RESELLER_CERTIFICATION, Waiver, copy_request_waived

PROVIDER = Waiver(CIP_CERTIFICATION, None, "exempt since 2027-03-01 (§7.306(e))")
RESELLER_7 = Waiver(RESELLER_CERTIFICATION, 7, "Neva Cloud, exempt since 2027-03-01 (§7.306(e))")


@pytest.mark.parametrize(
    ("waivers", "reseller_id", "lifted_by"),
    [
        ([], None, None),
        ([], 7, None),
        # A provider's exemption lifts §7.305, and its copy on request with it (§7.306(e)).
        ([PROVIDER], None, PROVIDER),
        # ...but not §7.303 for its foreign resellers, which (e) names only for theirs.
        ([PROVIDER], 7, None),
        # A reseller's exemption lifts §7.303 for that reseller alone.
        ([RESELLER_7], 7, RESELLER_7),
        ([RESELLER_7], 8, None),
        ([RESELLER_7], None, None),
    ],
)
def test_a_copy_request_is_lifted_only_by_the_exemption_of_whose_cip_it_asks(
    waivers, reseller_id, lifted_by
):
    assert copy_request_waived(waivers, reseller_id) == lifted_by
