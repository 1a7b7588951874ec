"""The IP addresses of §7.308(d)(1)(i)(F): keys, searches, access times and the row-by-row check
of a provider's CSV log, and how an attachment of one is shown while its job runs. No
database."""

from __future__ import annotations

import csv
import io
import ipaddress
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import IllegalTransition
from core.jobs.rules import JobState
from intake.ai.ip_log import (
    ACCESS_KINDS,
    ACTION_BY_TEXT,
    EXAMPLE_ROWS,
    TEMPLATE_HEADER,
    IpLogStatus,
    canonical_ip,
    check_ip_log,
    ip_key,
    lines_below_header,
    next_ip_log_status,
    parse_access_time,
    parse_search,
    shown_ip_log_status,
)

prop = settings(database=None, max_examples=300)
HEADER = list(TEMPLATE_HEADER)
WHEN = "2027-01-05T14:03:22+08:00"
# The unspecified IPv4 address, built rather than written (a linter takes the literal for a bind).
UNSPECIFIED = str(ipaddress.IPv4Address(0))


def key_of(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """The key written out independently: IPv4 as ::ffff:a.b.c.d, then 32 hex digits."""
    value = int(address)
    if address.version == 4:
        value |= 0xFFFF << 32
    return f"{value:032x}"


ipv4 = st.integers(0, 2**32 - 1).map(ipaddress.IPv4Address)
ipv6 = st.integers(0, 2**128 - 1).map(ipaddress.IPv6Address)
# Mostly zero groups, so that runs of zeros (and ties between runs) come up often.
ipv6_with_zero_runs = st.lists(
    st.sampled_from([0, 0, 0, 1, 0xDB8, 0xFFFF]), min_size=8, max_size=8
).map(lambda groups: ipaddress.IPv6Address(sum(g << (16 * (7 - i)) for i, g in enumerate(groups))))
any_address = st.one_of(ipv4, ipv6, ipv6_with_zero_runs)


def not_mapped(address: ipaddress.IPv6Address) -> bool:
    return address.ipv4_mapped is None


# --- Keys and the one way of writing an address ---------------------------------------------


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("192.0.2.1", "00000000000000000000ffffc0000201"),
        ("::ffff:192.0.2.1", "00000000000000000000ffffc0000201"),
        ("::FFFF:c000:0201", "00000000000000000000ffffc0000201"),
        (UNSPECIFIED, "00000000000000000000ffff00000000"),
        ("255.255.255.255", "00000000000000000000ffffffffffff"),
        ("2001:db8::1", "20010db8000000000000000000000001"),
        ("2001:DB8:0:0:0:0:0:1", "20010db8000000000000000000000001"),
        ("::", "00000000000000000000000000000000"),
        ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffffffffffffffffffffffffffffffff"),
        (" 198.51.100.7\t", "00000000000000000000ffffc6336407"),
    ],
)
def test_an_address_is_keyed_as_32_hex_digits_with_ipv4_mapped_into_ipv6(written, key):
    assert ip_key(written) == key


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("192.0.2.1", "192.0.2.1"),
        # A dual-stack server's view of an IPv4 client is shown as the IPv4 address it keys as.
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("::ffff:c000:201", "192.0.2.1"),
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"),  # the longest run of zeros
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),  # the first of two equal runs
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),  # one zero group stays
        ("0:0:0:0:0:0:0:1", "::1"),
        ("1:0:0:0:0:0:0:0", "1::"),
        ("0:0:0:0:0:0:0:0", "::"),
        ("64:ff9b::192.0.2.1", "64:ff9b::c000:201"),  # NAT64: only mapped addresses read as IPv4
        ("::192.0.2.1", "::c000:201"),
    ],
)
def test_an_address_is_written_one_way(written, canonical):
    assert canonical_ip(written) == canonical


@prop
@given(address=any_address)
def test_the_key_is_the_128_bit_value_for_any_address(address):
    assert ip_key(str(address)) == key_of(address)
    assert ip_key(address.exploded) == key_of(address)


@prop
@given(address=st.one_of(ipv6, ipv6_with_zero_runs).filter(not_mapped))
def test_ipv6_is_compressed_as_the_standard_library_compresses_it(address):
    assert canonical_ip(address.exploded) == str(address)
    assert canonical_ip(address.exploded.upper()) == str(address)


@prop
@given(first=any_address, second=any_address)
def test_keys_sort_as_the_addresses_do(first, second):
    # Numeric order of the 128-bit values, IPv4 counted as ::ffff:a.b.c.d.
    def value(address):
        return int(address) | (0xFFFF << 32 if address.version == 4 else 0)

    assert (ip_key(str(first)) < ip_key(str(second))) == (value(first) < value(second))
    assert (ip_key(str(first)) == ip_key(str(second))) == (value(first) == value(second))


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("192.0.2.256", "is not an IPv4 or IPv6 address"),
        ("192.0.2", "is not an IPv4 or IPv6 address"),
        ("192.0.2.1.5", "is not an IPv4 or IPv6 address"),
        ("2001:db8::1::2", "is not an IPv4 or IPv6 address"),
        ("2001:db8::g", "is not an IPv4 or IPv6 address"),
        ("example.com", "is not an IPv4 or IPv6 address"),
        ("", "is not an IPv4 or IPv6 address"),
        ("\uff11\uff19\uff12.0.2.1", "is not an IPv4 or IPv6 address"),  # full-width digits
        ("192.0.2.1\x00", "is not an IPv4 or IPv6 address"),
        ("192.0.2.010", "leading zero"),
        ("192.0.2.1:443", "has a port"),
        ("[2001:db8::1]:443", "has a port"),
        ("[2001:db8::1]", "brackets"),
        ("fe80::1%eth0", "has a zone"),
    ],
)
def test_what_is_not_an_address_is_refused_saying_why(written, said):
    with pytest.raises(ValueError, match=said):
        ip_key(written)
    with pytest.raises(ValueError, match=said):
        canonical_ip(written)


# --- Searching ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "low", "high", "label"),
    [
        ("203.0.113.5", "203.0.113.5", "203.0.113.5", "203.0.113.5"),
        (" ::FFFF:203.0.113.5 ", "203.0.113.5", "203.0.113.5", "203.0.113.5"),
        ("2001:DB8::5", "2001:db8::5", "2001:db8::5", "2001:db8::5"),
        ("203.0.113.0/24", "203.0.113.0", "203.0.113.255", "203.0.113.0/24"),
        ("203.0.113.0 / 24", "203.0.113.0", "203.0.113.255", "203.0.113.0/24"),
        ("203.0.113.9/32", "203.0.113.9", "203.0.113.9", "203.0.113.9/32"),
        ("::ffff:203.0.113.0/120", "203.0.113.0", "203.0.113.255", "203.0.113.0/24"),
        ("2001:db8::/32", "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db8::/32"),
        (f"{UNSPECIFIED}/0", UNSPECIFIED, "255.255.255.255", f"{UNSPECIFIED}/0"),
        ("::/0", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::/0"),
    ],
)
def test_a_search_spans_the_keys_of_its_first_and_last_address(typed, low, high, label):
    search = parse_search(typed)
    assert (search.low, search.high, search.label) == (ip_key(low), ip_key(high), label)


@pytest.mark.parametrize(
    ("cidr", "first", "last", "just_before", "just_after"),
    [
        ("203.0.113.0/24", "203.0.113.0", "203.0.113.255", "203.0.112.255", "203.0.114.0"),
        ("192.0.2.128/25", "192.0.2.128", "192.0.2.255", "192.0.2.127", "192.0.3.0"),
        ("10.0.0.0/8", "10.0.0.0", "10.255.255.255", "9.255.255.255", "11.0.0.0"),
        ("198.51.100.7/32", "198.51.100.7", "198.51.100.7", "198.51.100.6", "198.51.100.8"),
        (
            "2001:db8::/32",
            "2001:db8::",
            "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
            "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff",
            "2001:db9::",
        ),
        (
            "2001:db8:abcd:12::/64",
            "2001:db8:abcd:12::",
            "2001:db8:abcd:12:ffff:ffff:ffff:ffff",
            "2001:db8:abcd:11:ffff:ffff:ffff:ffff",
            "2001:db8:abcd:13::",
        ),
        # All of IPv4 and nothing of IPv6 on either side of it.
        (f"{UNSPECIFIED}/0", UNSPECIFIED, "255.255.255.255", "::fffe:ffff:ffff", "::1:0:0:0"),
    ],
)
def test_a_range_brackets_exactly_the_addresses_inside_it(
    cidr, first, last, just_before, just_after
):
    search = parse_search(cidr)
    assert search.low <= ip_key(first) <= search.high
    assert search.low <= ip_key(last) <= search.high
    assert ip_key(just_before) < search.low
    assert ip_key(just_after) > search.high


@prop
@given(
    network=st.one_of(
        st.tuples(ipv4, st.integers(0, 32)).map(
            lambda pair: ipaddress.ip_network(f"{pair[0]}/{pair[1]}", strict=False)
        ),
        st.tuples(ipv6, st.integers(0, 128)).map(
            lambda pair: ipaddress.ip_network(f"{pair[0]}/{pair[1]}", strict=False)
        ),
    ),
    stranger=any_address,
)
def test_a_range_holds_the_addresses_the_standard_library_says_it_holds(network, stranger):
    search = parse_search(str(network))
    # In the key space an IPv4 address is ::ffff:a.b.c.d and an IPv4 range ::ffff:a.b.c.d/96+n,
    # so a wide IPv6 range (::/0) holds IPv4 addresses too.
    if network.version == 4:
        network = ipaddress.IPv6Network(
            (int(network.network_address) | 0xFFFF << 32, 96 + network.prefixlen)
        )
    first, last = int(network.network_address), int(network.broadcast_address)
    edges = [value for value in (first - 1, first, last, last + 1) if 0 <= value < 2**128]
    for address in [*map(ipaddress.IPv6Address, edges), stranger]:
        inside = ipaddress.IPv6Address(int(key_of(address), 16)) in network
        assert (search.low <= ip_key(str(address)) <= search.high) == inside, address


def test_a_range_written_with_host_bits_is_read_as_its_network_and_says_so():
    search = parse_search("203.0.113.7/24")
    assert (search.low, search.high) == (
        parse_search("203.0.113.0/24").low,
        parse_search("203.0.113.0/24").high,
    )
    assert search.label == "203.0.113.0/24 (the network containing 203.0.113.7)"
    wide = parse_search("2001:db8:1::9/32")
    assert wide.label == "2001:db8::/32 (the network containing 2001:db8:1::9)"


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("", "Enter an IP address"),
        ("   ", "Enter an IP address"),
        ("not an address", "“not an address” is not an IPv4 or IPv6 address"),
        ("203.0.113.0-203.0.113.9", "is not an IPv4 or IPv6 address"),
        ("203.0.113.5:8080", "has a port"),
        ("203.0.113.0/33", "An IPv4 prefix length is 0 to 32; /33 is too long"),
        ("2001:db8::/129", "An IPv6 prefix length is 0 to 128; /129 is too long"),
        ("203.0.113.0/", "is not a prefix length"),
        ("203.0.113.0/abc", "“/abc” is not a prefix length"),
        ("203.0.113.0/24/8", "is not a prefix length"),
        ("203.0.113.0/²", "is not a prefix length"),
        ("203.0.113.0/255.255.255.0", "is not a prefix length"),
    ],
)
def test_a_search_that_cannot_be_read_says_why_in_a_sentence(typed, said):
    with pytest.raises(ValueError, match=said) as refused:
        parse_search(typed)
    assert str(refused.value).endswith(".")


# --- Access times ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "utc", "offset"),
    [
        ("2027-01-05T14:03:22+08:00", datetime(2027, 1, 5, 6, 3, 22, tzinfo=UTC), 480),
        ("2027-01-05T14:03:22+05:30", datetime(2027, 1, 5, 8, 33, 22, tzinfo=UTC), 330),
        ("2027-01-05T14:03:22-04:00", datetime(2027, 1, 5, 18, 3, 22, tzinfo=UTC), -240),
        ("2027-01-05T23:30:00-04:00", datetime(2027, 1, 6, 3, 30, tzinfo=UTC), -240),
        ("2027-01-05T14:03:22+0800", datetime(2027, 1, 5, 6, 3, 22, tzinfo=UTC), 480),
        ("2027-01-05T14:03:22+00:00", datetime(2027, 1, 5, 14, 3, 22, tzinfo=UTC), 0),
        # Z and -00:00: UTC, with the local offset not stated (RFC 3339 §4.3).
        ("2027-01-05T14:03:22Z", datetime(2027, 1, 5, 14, 3, 22, tzinfo=UTC), None),
        ("2027-01-05t14:03:22z", datetime(2027, 1, 5, 14, 3, 22, tzinfo=UTC), None),
        ("2027-01-05T14:03:22-00:00", datetime(2027, 1, 5, 14, 3, 22, tzinfo=UTC), None),
        ("2027-01-05 14:03:22.25+08:00", datetime(2027, 1, 5, 6, 3, 22, 250000, tzinfo=UTC), 480),
        (
            "2027-01-05T14:03:22.123456789Z",
            datetime(2027, 1, 5, 14, 3, 22, 123456, tzinfo=UTC),
            None,
        ),
        (" 2027-01-05T14:03:22Z ", datetime(2027, 1, 5, 14, 3, 22, tzinfo=UTC), None),
    ],
)
def test_an_access_time_is_kept_in_utc_with_the_offset_the_filer_gave(written, utc, offset):
    at, minutes = parse_access_time(written)
    assert (at, minutes) == (utc, offset)
    assert at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("2027-01-05T14:03:22", "has no UTC offset"),
        ("2027-01-05 14:03:22.5", "has no UTC offset"),
        ("2027-01-05", "is not a date and time written YYYY-MM-DDTHH:MM:SS"),
        ("2027-01-05T14:03+08:00", "is not a date and time written"),
        ("20270105T140322+0800", "is not a date and time written"),
        ("05/01/2027 14:03:22 +08:00", "is not a date and time written"),
        ("2027-01-05T14:03:22 PST", "is not a date and time written"),
        ("1736085802", "is not a date and time written"),
        ("", "is not a date and time written"),
        ("2027-02-30T10:00:00Z", "is not a real date and time"),
        ("2027-01-05T24:00:00Z", "is not a real date and time"),
        ("2027-01-05T14:03:22+08:00:30", "whole minutes"),
        ("2027-01-05T14:03:22+24:00", "is not a date and time written"),
        ("0001-01-01T00:00:00+01:00", "out of range"),
    ],
)
def test_an_access_time_that_cannot_be_placed_is_refused_saying_why(written, said):
    with pytest.raises(ValueError, match=said):
        parse_access_time(written)


# --- The file ----------------------------------------------------------------------------------


def checked(*rows, header=HEADER, **options):
    return check_ip_log([header, *rows], **options)


def cells(check):
    return [(problem.row, problem.column, problem.value) for problem in check.problems]


def test_a_good_file_gives_entries_ready_to_insert():
    check = checked(
        ["192.0.2.44", "2027-01-05T14:03:22+08:00", "access"],
        ["2001:DB8:4F::17", "2027-01-05T14:07:45.250Z", "administration"],
        ["::ffff:192.0.2.44", "2027-01-05T06:03:22+00:00", "access"],
    )
    assert check.ok
    assert (check.rows_total, check.problem_count, check.problems) == (3, 0, [])
    assert check.entries == [
        (
            "00000000000000000000ffffc000022c",
            "192.0.2.44",
            datetime(2027, 1, 5, 6, 3, 22, tzinfo=UTC),
            480,
            "access",
        ),
        (
            "20010db8004f00000000000000000017",
            "2001:db8:4f::17",
            datetime(2027, 1, 5, 14, 7, 45, 250000, tzinfo=UTC),
            None,
            "administration",
        ),
        (
            "00000000000000000000ffffc000022c",
            "192.0.2.44",
            datetime(2027, 1, 5, 6, 3, 22, tzinfo=UTC),
            0,
            "access",
        ),
    ]


def test_the_template_and_its_examples_pass_the_check_with_documentation_addresses():
    check = check_ip_log([TEMPLATE_HEADER, *EXAMPLE_ROWS])
    assert check.ok
    assert len(check.entries) == len(EXAMPLE_ROWS)
    assert {entry[4] for entry in check.entries} == set(ACCESS_KINDS)
    documentation = [parse_search(r) for r in ("192.0.2.0/24", "198.51.100.0/24", "2001:db8::/32")]
    for key, *_ in check.entries:
        assert any(search.low <= key <= search.high for search in documentation)
    assert any(":" in address for address, *_ in EXAMPLE_ROWS)
    assert any(":" not in address for address, *_ in EXAMPLE_ROWS)


def test_the_same_address_at_the_same_instant_twice_is_not_a_problem():
    row = ["203.0.113.5", WHEN, "access"]
    check = checked(row, row)
    assert check.ok
    assert len(check.entries) == 2


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("access", "access"),
        ("Access", "access"),
        ("", "access"),
        ("administration", "administration"),
        ("ADMINISTRATION", "administration"),
        ("admin", "administration"),
        ("Administrative  action", "administration"),
    ],
)
def test_the_action_is_access_or_administration(written, kind):
    check = checked(["203.0.113.5", WHEN, written])
    assert check.ok
    assert check.entries[0][4] == kind


def test_every_accepted_spelling_of_an_action_is_one_of_the_two_kinds():
    for written in ACTION_BY_TEXT:
        check = checked(["203.0.113.5", WHEN, written])
        assert check.entries[0][4] in ACCESS_KINDS, written


def test_without_an_action_column_every_row_is_an_access():
    check = checked(["203.0.113.5", WHEN], header=["ip_address", "accessed_at"])
    assert check.ok
    assert check.entries[0][4] == "access"


def test_an_unknown_action_is_refused():
    check = checked(["203.0.113.5", WHEN, "login"])
    assert cells(check) == [(2, "action", "login")]
    assert "must be access or administration" in check.problems[0].message


@pytest.mark.parametrize(
    ("header", "row"),
    [
        (["IP Address", "Accessed At", "ACTION"], ["203.0.113.5", WHEN, "admin"]),
        (["\ufeffip_address", "accessed_at", "action"], ["203.0.113.5", WHEN, "admin"]),
        (["  ip-address ", "accessed-at", "Action"], ["203.0.113.5", WHEN, "admin"]),
        (["accessed_at", "action", "ip_address"], [WHEN, "admin", "203.0.113.5"]),
    ],
)
def test_header_names_are_read_as_the_template_names_them(header, row):
    check = checked(row, header=header)
    assert check.ok
    assert check.entries[0][1:] == (
        "203.0.113.5",
        datetime(2027, 1, 5, 6, 3, 22, tzinfo=UTC),
        480,
        "administration",
    )


def test_a_file_read_by_csv_with_a_byte_order_mark_and_quotes_is_read():
    text = (
        '\ufeff"ip_address","accessed_at","action"\r\n'
        '"192.0.2.1","2027-01-05T14:03:22Z","access"\r\n'
    )
    check = check_ip_log(csv.reader(io.StringIO(text, newline="")))
    assert check.ok
    assert check.entries[0][1] == "192.0.2.1"


GOOD_ROW = ["203.0.113.5", WHEN, "access"]


@pytest.mark.parametrize(
    ("rows", "column", "said"),
    [
        ([], "", "the file is empty; row 1 must name the columns"),
        ([["", " "], GOOD_ROW], "", "row 1 is empty"),
        ([["ip_address"], GOOD_ROW], "", "the file is missing the column(s) accessed_at"),
        ([["action"], GOOD_ROW], "", "missing the column(s) ip_address, accessed_at"),
        (
            [["ip_address", "accessed_at", "user_agent"], GOOD_ROW],
            "user_agent",
            "unknown column user_agent (column C)",
        ),
        (
            [["ip_address", "accessed_at", "IP address"], GOOD_ROW],
            "ip_address",
            "column ip_address appears twice (columns A and C)",
        ),
        ([HEADER], "", "the file has no rows below the header"),
        ([HEADER, [], ["", "", ""], ["  "]], "", "the file has no rows below the header"),
    ],
)
def test_a_file_without_a_usable_header_or_rows_has_a_problem_on_row_1(rows, column, said):
    check = check_ip_log(rows)
    assert not check.ok
    assert check.entries == []
    assert (check.problems[0].row, check.problems[0].column) == (1, column)
    assert said in check.problems[0].message


def test_a_header_problem_stops_the_rows_being_checked():
    check = checked(["not an address", "yesterday", "?"], header=["ip_address", "when"])
    assert check.rows_total == 0
    assert {problem.row for problem in check.problems} == {1}
    assert [problem.column for problem in check.problems] == ["", "when"]


def test_a_bad_address_is_refused_with_its_spreadsheet_row_number():
    check = checked(
        ["192.0.2.1", WHEN, "access"],
        [],  # a blank line keeps its number
        ["192.0.2.300", WHEN, "access"],
        ["192.0.2.3", WHEN, "access"],
    )
    assert not check.ok
    assert check.entries == []  # all or nothing
    assert cells(check) == [(4, "ip_address", "192.0.2.300")]
    problem = check.problems[0]
    assert problem.message.startswith("is not an IPv4 or IPv6 address")
    assert problem.citation == "§7.308(d)(1)(i)(F)"
    assert check.rows_total == 3


def test_a_time_without_an_offset_is_refused_on_its_row():
    check = checked(["192.0.2.1", WHEN, "access"], ["192.0.2.2", "2027-01-05 14:03:22", "access"])
    assert cells(check) == [(3, "accessed_at", "2027-01-05 14:03:22")]
    assert "has no UTC offset" in check.problems[0].message


def test_every_wrong_cell_of_a_row_is_listed_in_column_order():
    check = checked([UNSPECIFIED, "soon", "logout"])
    assert cells(check) == [
        (2, "ip_address", UNSPECIFIED),
        (2, "accessed_at", "soon"),
        (2, "action", "logout"),
    ]
    assert "unspecified address" in check.problems[0].message


def test_missing_cells_are_required():
    check = checked(["192.0.2.1"], ["", WHEN, "access"])
    assert cells(check) == [(2, "accessed_at", ""), (3, "ip_address", "")]
    assert all(problem.message.startswith("is required") for problem in check.problems)


def test_a_value_under_a_column_without_a_name_is_a_problem():
    header = ["ip_address", "", "accessed_at"]
    check = checked(["192.0.2.1", "", WHEN], ["192.0.2.2", "note", WHEN], header=header)
    assert cells(check) == [(3, "", "")]
    assert "column B, which has no name in row 1" in check.problems[0].message
    beyond = checked(["192.0.2.1", WHEN, "access", "", "extra"])
    assert "column E, which has no name in row 1" in beyond.problems[0].message
    assert checked(["192.0.2.1", WHEN, "access", "", ""]).ok  # empty trailing cells are fine
    only_a_note = checked(["", "note", ""], header=header)
    assert cells(only_a_note) == [(2, "", ""), (2, "ip_address", ""), (2, "accessed_at", "")]


def test_blank_lines_are_skipped_and_not_counted():
    check = checked([], ["192.0.2.1", WHEN, "access"], ["", " ", ""], ["192.0.2.2", WHEN, ""], [""])
    assert check.ok
    assert check.rows_total == 2
    assert len(check.entries) == 2


def test_a_file_with_more_rows_than_allowed_is_refused_on_row_1():
    row = ["192.0.2.1", WHEN, "access"]
    assert checked(row, [], row, row, max_rows=3).ok  # blank lines do not count
    check = checked(row, row, row, row, row, max_rows=3)
    assert not check.ok
    assert check.entries == []
    assert cells(check) == [(1, "", "")]
    assert "more than 3 rows; at most 3 go in one file" in check.problems[0].message


def test_problems_past_the_limit_are_counted_but_not_listed():
    bad = ["192.0.2.999", WHEN, "access"]
    check = checked(bad, bad, bad, bad, bad, max_listed_problems=2)
    assert check.problem_count == 5
    assert [problem.row for problem in check.problems] == [2, 3]


def test_a_problem_with_the_whole_file_is_listed_first_even_when_the_list_is_full():
    bad = ["192.0.2.999", WHEN, "access"]
    check = checked(bad, bad, bad, bad, max_rows=3, max_listed_problems=2)
    assert check.problem_count == 4
    assert [problem.row for problem in check.problems] == [1, 2]


def test_a_runaway_cell_is_cut_short_in_the_problem_list():
    check = checked(["x" * 5000, WHEN, "access"])
    assert check.problems[0].value == "x" * 200 + "…"


def test_progress_is_told_the_rows_read_as_it_goes_and_at_the_end():
    told = []
    rows = [["192.0.2.1", WHEN, "access"]] * 25
    check = checked(*rows, progress=told.append, progress_every=10)
    assert check.ok
    assert told == [10, 20, 25]


def test_rows_can_come_from_a_generator_read_once():
    def lines():
        yield HEADER
        for number in range(1, 4):
            yield [f"192.0.2.{number}", WHEN, "access"]

    check = check_ip_log(lines())
    assert [entry[1] for entry in check.entries] == ["192.0.2.1", "192.0.2.2", "192.0.2.3"]


def test_a_file_of_more_addresses_than_are_remembered_is_read_right(monkeypatch):
    monkeypatch.setattr("intake.ai.ip_log.REMEMBERED_ADDRESSES", 2)
    addresses = [f"2001:db8::{number}" for number in range(1, 6)] * 2
    check = checked(*([address, WHEN, "access"] for address in addresses))
    assert [entry[1] for entry in check.entries] == addresses
    assert [entry[0] for entry in check.entries] == [ip_key(address) for address in addresses]


# --- An attachment's way through the job worker ---------------------------------------------


@pytest.mark.parametrize(
    ("stored", "job_state", "shown"),
    [
        (IpLogStatus.QUEUED, JobState.QUEUED, IpLogStatus.QUEUED),
        (IpLogStatus.QUEUED, JobState.RUNNING, IpLogStatus.CHECKING),
        # An analyst's retry: the log waits, then is checked, again.
        (IpLogStatus.FAILED, JobState.QUEUED, IpLogStatus.QUEUED),
        (IpLogStatus.FAILED, JobState.RUNNING, IpLogStatus.CHECKING),
        (IpLogStatus.FAILED, JobState.FAILED, IpLogStatus.FAILED),
        (IpLogStatus.ATTACHED, JobState.SUCCEEDED, IpLogStatus.ATTACHED),
        (IpLogStatus.REJECTED, JobState.SUCCEEDED, IpLogStatus.REJECTED),
        (IpLogStatus.QUEUED, None, IpLogStatus.QUEUED),
    ],
)
def test_an_attachment_is_shown_as_its_job_stands_until_the_job_has_stored_its_outcome(
    stored, job_state, shown
):
    assert shown_ip_log_status(stored, job_state) is shown


def test_an_attached_or_rejected_log_is_never_checked_again():
    for finished in (IpLogStatus.ATTACHED, IpLogStatus.REJECTED):
        with pytest.raises(IllegalTransition):
            next_ip_log_status(finished, IpLogStatus.CHECKING)
    assert next_ip_log_status(IpLogStatus.FAILED, IpLogStatus.CHECKING) is IpLogStatus.CHECKING


@pytest.mark.parametrize(
    ("content", "rows"),
    [
        (b"ip_address,accessed_at\n192.0.2.1,2027-01-05T14:03:22Z\n", 1),
        (b"ip_address,accessed_at\n192.0.2.1,2027-01-05T14:03:22Z", 1),
        (b"ip_address,accessed_at\r\n" + b"192.0.2.1,2027-01-05T14:03:22Z\r\n" * 3, 3),
        (b"ip_address,accessed_at\n", 0),
    ],
)
def test_the_rows_a_log_seems_to_have_are_counted_from_its_lines(content, rows):
    breaks = content.count(b"\n")
    assert lines_below_header(breaks, ends_with_line_break=content.endswith(b"\n")) == rows
