"""Ranking rounds: the literature's worked examples for Schulze and Borda, partial ballots, properties."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from juries.engine import Ballot, EngineInputError, rank
from juries.engine.ranking import (
    BALLOT_BAD_COUNT,
    BALLOT_ENTRY_TWICE,
    BALLOT_UNKNOWN_ENTRY,
    METHODS_AGREE,
    METHODS_DIFFER,
    SCHULZE_TIE,
    SCHULZE_WINNER,
)

# Wikipedia, "Schulze method", the example with 45 voters and 5 candidates.
WIKIPEDIA_45 = [
    Ballot.of(*"ACBED", count=5),
    Ballot.of(*"ADECB", count=5),
    Ballot.of(*"BEDAC", count=8),
    Ballot.of(*"CABED", count=3),
    Ballot.of(*"CAEBD", count=7),
    Ballot.of(*"CBADE", count=2),
    Ballot.of(*"DCEBA", count=7),
    Ballot.of(*"EBADC", count=8),
]


def test_schulze_wikipedia_45_voters():
    result = rank("ABCDE", WIKIPEDIA_45)
    s = result.schulze
    assert s.preferences == (
        (0, 20, 26, 30, 22),
        (25, 0, 16, 33, 18),
        (19, 29, 0, 17, 24),
        (15, 12, 28, 0, 14),
        (23, 27, 21, 31, 0),
    )
    assert s.strongest_paths == (
        (0, 28, 28, 30, 24),
        (25, 0, 28, 33, 24),
        (25, 29, 0, 29, 24),
        (25, 28, 28, 0, 24),
        (25, 28, 28, 31, 0),
    )
    assert s.order == (("E",), ("A",), ("C",), ("B",), ("D",))
    assert s.winners == ("E",) and s.ties == ()
    assert s.beats("E", "A") and not s.beats("A", "E")
    assert [r.entry for r in result.standings] == list("EACBD")
    assert [r.schulze_rank for r in result.standings] == [1, 2, 3, 4, 5]
    assert result.explanation[0].code == SCHULZE_WINNER and result.explanation[0].subjects == ("E",)


def test_borda_tennessee_capital():
    """Wikipedia's Borda count example: Memphis has the most first places, Nashville wins the count;
    Schulze puts Knoxville above Memphis (58 to 42), so the two methods differ."""
    ballots = [
        Ballot.of("Memphis", "Nashville", "Chattanooga", "Knoxville", count=42),
        Ballot.of("Nashville", "Chattanooga", "Knoxville", "Memphis", count=26),
        Ballot.of("Chattanooga", "Knoxville", "Nashville", "Memphis", count=15),
        Ballot.of("Knoxville", "Chattanooga", "Nashville", "Memphis", count=17),
    ]
    cities = ["Memphis", "Nashville", "Chattanooga", "Knoxville"]
    result = rank(cities, ballots)
    assert dict(zip(cities, result.borda.points, strict=True)) == {
        "Memphis": 126,
        "Nashville": 194,
        "Chattanooga": 173,
        "Knoxville": 107,
    }
    assert result.borda.order == (("Nashville",), ("Chattanooga",), ("Memphis",), ("Knoxville",))
    assert result.schulze.order == (("Nashville",), ("Chattanooga",), ("Knoxville",), ("Memphis",))
    assert not result.methods_agree
    assert any(n.code == METHODS_DIFFER for n in result.explanation)
    assert result.borda.voters == (100, 100, 100, 100)
    assert result.borda.mean_share[1] == pytest.approx(194 / 300)


def test_a_cycle_is_a_tie_and_flagged():
    result = rank("ABC", [Ballot.of(*"ABC"), Ballot.of(*"BCA"), Ballot.of(*"CAB")])
    assert result.schulze.order == (("A", "B", "C"),)
    assert result.borda.order == (("A", "B", "C"),)
    assert [r.schulze_rank for r in result.standings] == [1, 1, 1]
    assert result.standings[0].schulze_tied_with == ("B", "C")
    assert any(n.code == SCHULZE_TIE for n in result.explanation)
    assert result.methods_agree and any(n.code == METHODS_AGREE for n in result.explanation)


def test_partial_ballot_puts_unranked_entries_below_ranked_ones():
    # juror 1 ranks only B; juror 2 ranks A over B over C
    result = rank("ABC", [Ballot((("B",),), voter="j1"), Ballot.of(*"ABC", voter="j2")])
    d = result.schulze.preferences
    assert d[1][0] == 1 and d[1][2] == 2  # B over A (j1), B over C (j1 and j2)
    assert d[0][2] == 1 and d[2][0] == 0  # j1 has no preference between A and C
    assert result.schulze.order == (("A", "B"), ("C",))  # A and B: one juror each
    # Borda with ties at the bottom: j1 gives B 2, A and C 0.5 each; j2 gives A 2, B 1
    assert result.borda.points == (2.5, 3.0, 0.5)
    assert result.borda.order == (("B",), ("A",), ("C",))


def test_entries_a_juror_did_not_consider_are_neither_helped_nor_hurt():
    """Juror 1 was not assigned D (recused): D's standing comes from juror 2 alone."""
    ballots = [
        Ballot(tuple((e,) for e in "ABC"), voter="j1", considered=frozenset("ABC")),
        Ballot.of(*"DABC", voter="j2"),
    ]
    result = rank("ABCD", ballots)
    d = result.schulze.preferences
    assert d[3][0] == 1 and d[0][3] == 0  # only j2 compares D with A
    assert result.borda.voters == (2, 2, 2, 1)
    assert result.borda.mean_share[3] == pytest.approx(1.0)  # first on the only ballot that considered it
    # D beats A 1-0 (j1 expressed nothing about D) and no path leads back to D
    assert result.schulze.order == (("D",), ("A",), ("B",), ("C",))
    # had j1's ballot counted D as unranked, A would have drawn 1-1 with D
    unassigned = rank("ABCD", [Ballot.of(*"ABC"), Ballot.of(*"DABC")])
    assert unassigned.schulze.preferences[0][3] == 1


def test_tiers_within_a_ballot_are_equal_ranks():
    result = rank("ABC", [Ballot((("A", "B"), ("C",)))])
    d = result.schulze.preferences
    assert d[0][1] == d[1][0] == 0 and d[0][2] == d[1][2] == 1
    assert result.borda.points == (1.5, 1.5, 0.0)


def test_bad_ballots_are_refused():
    with pytest.raises(EngineInputError) as caught:
        rank("AB", [Ballot.of("A", "Z"), Ballot.of("A", "A"), Ballot.of("A", count=0)])
    assert [p.code for p in caught.value.problems] == [
        BALLOT_UNKNOWN_ENTRY,
        BALLOT_ENTRY_TWICE,
        BALLOT_BAD_COUNT,
    ]
    assert [p.field for p in caught.value.problems] == ["ballots[0]", "ballots[1]", "ballots[2].count"]


def test_no_ballot_ties_everyone():
    result = rank("AB", [])
    assert result.schulze.order == (("A", "B"),)
    assert result.explanation[0].code == "no_ballots"


ENTRIES = "ABCDE"


@st.composite
def ballots(draw):
    n = draw(st.integers(2, 5))
    entries = ENTRIES[:n]
    out = []
    for _ in range(draw(st.integers(1, 7))):
        order = draw(st.permutations(entries))
        cut = draw(st.integers(1, n))  # a partial ranking of the first `cut`
        out.append(Ballot.of(*order[:cut], count=draw(st.integers(1, 3))))
    return entries, out


@settings(max_examples=80, deadline=2000, derandomize=True)
@given(ballots())
def test_schulze_properties(case):
    entries, cast = case
    result = rank(entries, cast)
    s = result.schulze
    n = len(entries)
    assert sorted(e for tier in s.order for e in tier) == sorted(entries)
    # the relation "beats" is transitive (Schulze's theorem) and the tiers follow it
    for a, b, c in itertools.permutations(entries, 3):
        if s.beats(a, b) and s.beats(b, c):
            assert s.beats(a, c)
    position = {e: t for t, tier in enumerate(s.order) for e in tier}
    for a, b in itertools.permutations(entries, 2):
        if s.beats(a, b):
            assert position[a] < position[b]
    # a Condorcet winner (beats everyone head to head) is the only Schulze winner
    d = s.preferences
    for i in range(n):
        if all(d[i][j] > d[j][i] for j in range(n) if j != i):
            assert s.winners == (entries[i],)
    # Borda: each ballot hands out m(m - 1)/2 points over its m considered entries
    assert sum(result.borda.points) == pytest.approx(sum(b.count * n * (n - 1) / 2 for b in cast))
