"""Portion marks with controls and the one roll-up (markings.rollup) every product's
banner comes from (issue 17; the contract's "Format 1 additions, turn 3")."""

from __future__ import annotations

import pytest

from briefgen.markings import MarkError, parse_mark, rollup
from briefgen.model import Markings

AUTHORITY = {"classified_by": "A. Officer", "reason": "1.4(b)", "declassify_on": "20480615"}
CUI = {"controlled_by": ["Department of Defense", "OUSD(P)"], "categories": ["OPSEC"], "poc": "X"}


def block(**fields) -> Markings:
    return Markings.model_validate({"system": "us", "default": "U", **fields})


@pytest.mark.parametrize(
    ("fields", "printed", "banner"),
    [
        # NOFORN wins over REL TO
        ({}, ["C//NF", "C//REL TO USA, OMN", "SBU"], "CONFIDENTIAL//NOFORN"),
        # an edition that drops the only NOFORN portion: REL TO of what is left
        ({}, ["C//REL TO USA, OMN", "SBU", None], "CONFIDENTIAL//REL TO USA, OMN"),
        # REL TO: the countries every classified portion shares, USA first
        ({}, ["C//REL TO USA, GBR, OMN", "S//REL TO OMN, LTU, USA"], "SECRET//REL TO USA, OMN"),
        (
            {},
            ["S//REL TO USA, GBR, LTU", "C//REL TO USA, LTU, GBR"],
            "SECRET//REL TO USA, GBR, LTU",
        ),
        # nothing shared but USA: releasable to no one (never `REL TO USA`: markings.py)
        ({}, ["C//REL TO USA, GBR", "C//REL TO USA, OMN"], "CONFIDENTIAL//NOFORN"),
        ({}, ["S//REL TO USA, GBR", "C//REL TO USA, OMN", "U"], "SECRET//NOFORN"),
        ({"controls": ["REL TO USA, GBR", "REL TO USA, OMN"]}, ["C", "U"], "CONFIDENTIAL//NOFORN"),
        # a classified portion without REL TO: no REL TO in the banner
        ({}, ["C//REL TO USA, OMN", "C"], "CONFIDENTIAL"),
        # unclassified portions with NF: NOFORN, and no REL TO without a classified portion
        ({}, ["U//NF", "U"], "UNCLASSIFIED//NOFORN"),
        ({}, ["SBU//NOFORN", None], "SENSITIVE BUT UNCLASSIFIED//NOFORN"),
        ({}, ["U", "SBU"], "SENSITIVE BUT UNCLASSIFIED"),
        # markings.controls: the controls of classified portions that give none of their own
        ({"controls": ["NOFORN"]}, ["C", None], "CONFIDENTIAL//NOFORN"),
        ({"controls": ["NOFORN"]}, ["U", None], "UNCLASSIFIED"),  # not on U (issue 17)
        (
            {"controls": ["REL TO USA, GBR"]},
            ["C", "C//REL TO USA, GBR, OMN"],
            "CONFIDENTIAL//REL TO USA, GBR",
        ),
        # CUI, with and without a limited dissemination control
        ({"cui": CUI}, ["CUI", None], "CUI"),
        ({"cui": {**CUI, "dissemination": "FEDCON"}}, ["CUI", "U"], "CUI//FEDCON"),
        ({"cui": {**CUI, "dissemination": "FEDCON"}}, ["CUI//NF"], "CUI//NOFORN/FEDCON"),
        ({"cui": {**CUI, "dissemination": "FEDCON"}}, ["CUI", "C//NF"], "CONFIDENTIAL//NOFORN"),
        # a product that prints nothing marked is at the default
        ({"default": "SBU"}, [], "SENSITIVE BUT UNCLASSIFIED"),
    ],
)
def test_rollup(fields, printed, banner):
    assert rollup(block(**fields), printed).banner == banner


def test_rollup_says_what_the_first_page_carries():
    cui = block(cui=CUI)
    assert (rollup(cui, ["CUI"]).cui, rollup(cui, ["CUI"]).authority) == (True, False)
    both = rollup(cui, ["CUI", "C"])
    assert (both.cui, both.authority, both.banner) == (True, True, "CONFIDENTIAL")
    plain = rollup(block(), ["U", None])
    assert (plain.cui, plain.authority, plain.portion_marks) == (False, False, False)
    assert rollup(block(), ["U//NF"]).portion_marks  # the NF must show on its portion


def test_rollup_of_other_systems():
    uk = Markings.model_validate({"system": "uk", "controls": ["UK EYES ONLY"]})
    assert rollup(uk, ["OS", None]).banner == "OFFICIAL-SENSITIVE//UK EYES ONLY"
    plain = Markings.model_validate({"system": "plain", "banner": "COMPANY CONFIDENTIAL"})
    assert rollup(plain, [None]).banner == "COMPANY CONFIDENTIAL"
    assert rollup(None, ["C"]).banner is None


@pytest.mark.parametrize(
    ("fields", "mark", "printed"),
    [
        ({}, "C//noforn", "(C//NF)"),
        ({}, "C//REL TO omn,  USA", "(C//REL TO USA, OMN)"),
        ({"controls": ["NOFORN"]}, None, "(U)"),
        ({"controls": ["NOFORN"]}, "S", "(S//NF)"),
        ({"controls": ["NOFORN"]}, "S//REL TO USA, GBR", "(S//REL TO USA, GBR)"),
        # file controls whose REL TO lists share only USA: NF, never `REL TO USA`
        ({"controls": ["REL TO USA, GBR", "REL TO USA, OMN"]}, "C", "(C//NF)"),
        ({"controls": ["REL TO USA, GBR, OMN", "REL TO OMN, USA"]}, "C", "(C//REL TO USA, OMN)"),
        ({"default": "C//NF"}, None, "(C//NF)"),
        ({"cui": CUI}, "CUI", "(CUI)"),
    ],
)
def test_portion_marks_print_in_full(fields, mark, printed):
    marking = rollup(block(**fields), ["S"])
    assert marking.portion(mark) == printed


@pytest.mark.parametrize(
    ("system", "mark", "message"),
    [
        ("us", "C//NOFRN", "unknown control 'NOFRN'"),
        ("us", "C//REL TO USA, LT", "did you mean LTU?"),
        ("us", "C//REL TO USA, DE", "did you mean DEU?"),
        ("us", "C//REL TO USA, XXX", "'XXX' in REL TO is not an ISO 3166 alpha-3"),
        ("us", "C//REL TO GBR, LTU", "starts with USA"),
        ("us", "C//REL TO USA", "releases to no one"),
        ("us", "SBU//REL TO USA, GBR", "REL TO applies to classified portions"),
        ("us", "CUI//REL TO USA, GBR", "REL TO applies to classified portions"),
        ("us", "Q", "not a mark of the us system"),
        ("us", "c//NF", "not a mark of the us system"),
        ("uk", "S//NF", "belong to the us system"),
    ],
)
def test_bad_marks_say_why(system, mark, message):
    with pytest.raises(MarkError, match=message.replace("(", r"\(").replace("?", r"\?")):
        parse_mark(system, mark)


def test_good_marks_parse():
    assert str(parse_mark("us", "U//nf")) == "U//NF"
    assert str(parse_mark("us", "TS//REL TO LTU, USA, GBR")) == "TS//REL TO USA, GBR, LTU"
    assert str(parse_mark("us", "CUI")) == "CUI"


def test_an_alpha_2_release_to_hints_its_alpha_3_and_writes_nothing(tmp_path):
    from conftest import CORPUS, run_cli

    out = tmp_path / "p.pdf"
    result = run_cli("build", CORPUS / "good" / "partners.yaml", "--release-to", "gb", "-o", out)
    assert result.returncode == 2
    assert "--release-to GB: not an ISO 3166 alpha-3 country code (did you mean GBR?)" in (
        result.stderr
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("fields", "marks", "joined"),
    [
        ({}, ["U", None], "U"),
        ({}, ["C//REL TO USA, OMN", "U"], "C//REL TO USA, OMN"),
        ({}, ["C//REL TO USA, GBR", "C//REL TO USA, OMN"], "C//NF"),
        ({}, ["C//NF", "S"], "S//NF"),
        ({"controls": ["NOFORN"]}, ["C", "U"], "C//NF"),
        ({"default": "SBU"}, [None, "U"], "SBU"),
    ],
)
def test_one_mark_for_a_portion_made_of_others(fields, marks, joined):
    """A day's timeline draws several titles: one portion, marked as the roll-up of them."""
    assert rollup(block(**fields), ["S"]).joined(marks) == joined
