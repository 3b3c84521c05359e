"""Where a member's votes are remembered: the voted window in the member record (128
proposals), the `_voted` words for older windows, and ids beyond the window field — each
voice still counted once, whatever order the windows are voted in. Through
``tests/contracts/targets/BallotsHarness.vy``, which can create a proposal with any id."""

from __future__ import annotations

import ape
import pytest

from tests.contracts.helpers import FOR, helper

WIDTH = 128
VOTED_SHIFT, WINDOW_SHIFT = 80, 208  # contracts/modules/membership.vy
WINDOW_FIELD = 2**22 - 1


@pytest.fixture
def harness(accounts, founders):
    h = accounts[8].deploy(helper("BallotsHarness"))
    for f in founders:
        h.join(f, sender=accounts[8])
    ape.chain.mine()  # the founders joined before any proposal's block
    return h


def _window(record: int) -> int:
    return (record >> WINDOW_SHIFT) & WINDOW_FIELD


def _bits(record: int) -> int:
    return (record >> VOTED_SHIFT) & (2**WIDTH - 1)


def _open(harness, *ids):
    for pid in ids:
        harness.create_at(pid, sender=ape.accounts.test_accounts[8])


def test_voted_window__a_vote_lives_in_the_member_record(harness, founder):
    _open(harness, 5)
    harness.cast(5, founder, FOR, sender=founder)
    record = harness.record(founder)
    assert (_window(record), _bits(record)) == (0, 1 << 5)
    assert harness.voted_word(founder, 0) == 0  # no slot of its own
    assert harness.has_voted(5, founder) and not harness.has_voted(6, founder)
    with ape.reverts("charter: already voted"):
        harness.cast(5, founder, FOR, sender=founder)


def test_voted_window__a_newer_window_moves_the_old_bits_out(harness, founder):
    _open(harness, 127, 128)
    harness.cast(127, founder, FOR, sender=founder)
    harness.cast(128, founder, FOR, sender=founder)  # window 1
    record = harness.record(founder)
    assert (_window(record), _bits(record)) == (1, 1)
    assert harness.voted_word(founder, 0) == 1 << 127
    assert harness.has_voted(127, founder) and harness.has_voted(128, founder)
    with ape.reverts("charter: already voted"):
        harness.cast(127, founder, FOR, sender=founder)  # remembered in `_voted`
    with ape.reverts("charter: already voted"):
        harness.cast(128, founder, FOR, sender=founder)


def test_voted_window__an_older_window_still_open_is_kept_in_voted(harness, founder):
    _open(harness, 3, 300)
    harness.cast(300, founder, FOR, sender=founder)  # window 2 first
    harness.cast(3, founder, FOR, sender=founder)  # then window 0, still open
    record = harness.record(founder)
    assert (_window(record), _bits(record)) == (2, 1 << (300 % WIDTH))
    assert harness.voted_word(founder, 0) == 1 << 3
    assert harness.has_voted(3, founder)
    with ape.reverts("charter: already voted"):
        harness.cast(3, founder, FOR, sender=founder)
    assert harness.tallies(3) == (0, 1, 0) and harness.tallies(300) == (0, 1, 0)


def test_voted_window__ids_beyond_the_window_field_use_voted(harness, founder):
    far = (WINDOW_FIELD + 1) * WIDTH + 7
    _open(harness, far)
    before = harness.record(founder)
    harness.cast(far, founder, FOR, sender=founder)
    assert harness.record(founder) == before  # the flags above the window are untouched
    assert harness.voted_word(founder, far // WIDTH) == 1 << 7
    assert harness.has_voted(far, founder)
    with ape.reverts("charter: already voted"):
        harness.cast(far, founder, FOR, sender=founder)


def test_voted_window__leaving_keeps_what_was_counted(harness, founder):
    _open(harness, 9)
    harness.cast(9, founder, FOR, sender=founder)
    harness.leave(founder, sender=founder)
    assert harness.has_voted(9, founder)
    harness.join(founder, sender=founder)
    assert harness.has_voted(9, founder)
    assert _bits(harness.record(founder)) == 1 << 9
