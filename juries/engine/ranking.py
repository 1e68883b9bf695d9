"""Ranking rounds: jurors order the entries; the Schulze method and the Borda count, side by side.

A ballot ranks entries in tiers (best first; several entries in one tier are ranked equal). It may be
partial: of the entries the juror was asked to rank (`considered`, by default every entry of the round),
those left unranked count below the ranked ones, equal among themselves; entries outside `considered` (not
assigned, recused) get no preference at all from that juror, so they are neither helped nor hurt.

Schulze: d[a][b] is the number of jurors preferring a to b; a path's strength is its weakest link, only
links where d[a][b] > d[b][a] count; p[a][b] is the strongest path from a to b. a ranks above b when
p[a][b] > p[b][a]. The order is built in tiers: the entries no remaining entry beats, then the next...; a
tier of several entries is a tie (Schulze proved this relation transitive, so tiers are well defined).

Borda: from each juror, an entry gets one point per considered entry ranked below it and half a point per
entry ranked equal (m - 1 points for the first of m entries). Because jurors may consider different numbers
of entries, entries are ordered by their mean share of the points they could get (points / (m - 1),
averaged over the jurors who considered them); with complete ballots this is the classic Borda order. The
classic point totals are reported too. Shares are compared exactly (fractions): equal shares are ties.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from .base import N_, EngineInputError, Id, Message, Param, names

BALLOT_UNKNOWN_ENTRY = "ballot_unknown_entry"
BALLOT_ENTRY_TWICE = "ballot_entry_twice"
BALLOT_BAD_COUNT = "ballot_bad_count"
ENTRY_TWICE = "entry_twice"
SCHULZE_WINNER = "schulze_winner"
SCHULZE_TIE = "schulze_tie"
BORDA_TIE = "borda_tie"
METHODS_AGREE = "methods_agree"
METHODS_DIFFER = "methods_differ"
NO_BALLOTS = "no_ballots"


@dataclass(frozen=True)
class Ballot:
    ranking: tuple[tuple[Id, ...], ...]  # tiers, best first
    voter: Id | None = None
    count: int = 1  # identical ballots cast (the worked examples of the literature use it)
    considered: frozenset[Id] | None = None  # entries this voter was asked to rank; None: all of them

    @classmethod
    def of(cls, *order: Id, voter: Id | None = None, count: int = 1) -> Ballot:
        """A strict order: one entry per tier."""
        return cls(tuple((e,) for e in order), voter=voter, count=count)

    def ranked(self) -> list[Id]:
        return [e for tier in self.ranking for e in tier]


@dataclass(frozen=True)
class SchulzeResult:
    entries: tuple[Id, ...]  # the index order of both matrices
    preferences: tuple[tuple[int, ...], ...]  # d[i][j]: jurors preferring entries[i] to entries[j]
    strongest_paths: tuple[tuple[int, ...], ...]  # p[i][j]
    order: tuple[tuple[Id, ...], ...]  # tiers, best first; a tier of several entries is a tie

    @property
    def winners(self) -> tuple[Id, ...]:
        return self.order[0] if self.order else ()

    @property
    def ties(self) -> tuple[tuple[Id, ...], ...]:
        return tuple(t for t in self.order if len(t) > 1)

    def beats(self, a: Id, b: Id) -> bool:
        i, j = self.entries.index(a), self.entries.index(b)
        return self.strongest_paths[i][j] > self.strongest_paths[j][i]


@dataclass(frozen=True)
class BordaResult:
    entries: tuple[Id, ...]
    points: tuple[float, ...]  # classic Borda points, in the order of `entries`
    voters: tuple[int, ...]  # jurors who considered each entry (ballot counts included)
    mean_share: tuple[float, ...]  # mean of points / (m - 1) over those jurors, 0-1
    order: tuple[tuple[Id, ...], ...]  # tiers by mean share, best first

    @property
    def ties(self) -> tuple[tuple[Id, ...], ...]:
        return tuple(t for t in self.order if len(t) > 1)


@dataclass(frozen=True)
class RankedEntry:
    entry: Id
    schulze_rank: int  # competition rank: 1, 2, 2, 4
    schulze_tied_with: tuple[Id, ...]
    borda_rank: int
    borda_tied_with: tuple[Id, ...]
    borda_points: float
    borda_mean_share: float
    voters: int


@dataclass(frozen=True)
class RankingResult:
    entries: tuple[Id, ...]
    schulze: SchulzeResult
    borda: BordaResult
    standings: tuple[RankedEntry, ...]  # in Schulze order, ties in input order
    methods_agree: bool  # the two orders (tiers included) are the same
    explanation: tuple[Message, ...]


def rank(entries: Sequence[Id], ballots: Sequence[Ballot]) -> RankingResult:
    """Schulze and Borda on the same ballots. EngineInputError on an entry unknown or ranked twice in a
    ballot, or a ballot count below 1."""
    order = _check(entries, ballots)
    schulze = _schulze(order, ballots)
    borda = _borda(order, ballots)
    s_rank, s_tied = _competition(schulze.order)
    b_rank, b_tied = _competition(borda.order)
    idx = {e: i for i, e in enumerate(order)}
    standings = tuple(
        RankedEntry(
            entry=e,
            schulze_rank=s_rank[e],
            schulze_tied_with=s_tied[e],
            borda_rank=b_rank[e],
            borda_tied_with=b_tied[e],
            borda_points=borda.points[idx[e]],
            borda_mean_share=borda.mean_share[idx[e]],
            voters=borda.voters[idx[e]],
        )
        for tier in schulze.order
        for e in tier
    )
    agree = schulze.order == borda.order
    return RankingResult(
        entries=tuple(order),
        schulze=schulze,
        borda=borda,
        standings=standings,
        methods_agree=agree,
        explanation=_explain(schulze, borda, agree, ballots),
    )


def schulze(entries: Sequence[Id], ballots: Sequence[Ballot]) -> SchulzeResult:
    return _schulze(_check(entries, ballots), ballots)


def borda(entries: Sequence[Id], ballots: Sequence[Ballot]) -> BordaResult:
    return _borda(_check(entries, ballots), ballots)


def _check(entries: Sequence[Id], ballots: Sequence[Ballot]) -> list[Id]:
    problems: list[Message] = []
    order = list(dict.fromkeys(entries))
    if len(order) != len(entries):
        twice = [e for i, e in enumerate(entries) if e in entries[:i]]
        template = N_("These entries are listed twice: %(entries)s.")
        problems.append(
            Message(ENTRY_TWICE, template, {"entries": names(twice)}, field="entries", subjects=tuple(twice))
        )
    known = set(order)
    for i, b in enumerate(ballots):
        who = str(b.voter) if b.voter is not None else f"#{i + 1}"
        ranked = b.ranked()
        unknown = [e for e in ranked if e not in known]
        unknown += [e for e in (b.considered or ()) if e not in known and e not in unknown]
        if unknown:
            template = N_("The ranking of %(voter)s names entries that are not in this round: %(entries)s.")
            params: dict[str, Param] = {"voter": who, "entries": names(unknown)}
            problems.append(Message(BALLOT_UNKNOWN_ENTRY, template, params, field=f"ballots[{i}]"))
        twice = list(dict.fromkeys(e for j, e in enumerate(ranked) if e in ranked[:j]))
        if twice:
            template = N_("The ranking of %(voter)s places %(entries)s more than once.")
            params = {"voter": who, "entries": names(twice)}
            problems.append(Message(BALLOT_ENTRY_TWICE, template, params, field=f"ballots[{i}]"))
        if isinstance(b.count, bool) or not isinstance(b.count, int) or b.count < 1:
            template = N_("A ballot is cast at least once (count %(count)s).")
            problems.append(
                Message(BALLOT_BAD_COUNT, template, {"count": str(b.count)}, field=f"ballots[{i}].count")
            )
    if problems:
        raise EngineInputError(problems)
    return order


def _levels(ballot: Ballot, order: list[Id]) -> dict[Id, int]:
    """Entry -> level in this ballot (0 = best); considered but unranked entries share the last level;
    entries the voter did not consider are absent."""
    level = {e: t for t, tier in enumerate(ballot.ranking) for e in tier}
    considered = set(order) if ballot.considered is None else set(ballot.considered) | set(level)
    bottom = len(ballot.ranking)
    for e in order:
        if e in considered and e not in level:
            level[e] = bottom
    return level


def _schulze(order: list[Id], ballots: Sequence[Ballot]) -> SchulzeResult:
    n = len(order)
    d = [[0] * n for _ in range(n)]
    for b in ballots:
        level = _levels(b, order)
        present = [(i, level[e]) for i, e in enumerate(order) if e in level]
        for i, li in present:
            for j, lj in present:
                if li < lj:
                    d[i][j] += b.count
    p = [[d[i][j] if i != j and d[i][j] > d[j][i] else 0 for j in range(n)] for i in range(n)]
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            pji = p[j][i]
            if not pji:
                continue
            row_i, row_j = p[i], p[j]
            for k in range(n):
                if k != i and k != j:
                    via = min(pji, row_i[k])
                    if via > row_j[k]:
                        row_j[k] = via
    remaining = list(range(n))
    tiers: list[tuple[Id, ...]] = []
    while remaining:
        top = [i for i in remaining if not any(p[j][i] > p[i][j] for j in remaining if j != i)]
        tiers.append(tuple(order[i] for i in top))
        remaining = [i for i in remaining if i not in top]
    return SchulzeResult(
        entries=tuple(order),
        preferences=tuple(tuple(row) for row in d),
        strongest_paths=tuple(tuple(row) for row in p),
        order=tuple(tiers),
    )


def _borda(order: list[Id], ballots: Sequence[Ballot]) -> BordaResult:
    n = len(order)
    points = [Fraction(0)] * n
    share_sum = [Fraction(0)] * n
    voters = [0] * n
    for b in ballots:
        level = _levels(b, order)
        m = len(level)
        if m < 2:
            continue
        for i, e in enumerate(order):
            if e not in level:
                continue
            below = sum(1 for lv in level.values() if lv > level[e])
            equal = sum(1 for lv in level.values() if lv == level[e]) - 1
            got = below + Fraction(equal, 2)
            points[i] += got * b.count
            share_sum[i] += got / (m - 1) * b.count
            voters[i] += b.count
    mean = [share_sum[i] / voters[i] if voters[i] else Fraction(0) for i in range(n)]
    by_value: dict[Fraction, list[Id]] = {}
    for i, e in enumerate(order):
        by_value.setdefault(mean[i], []).append(e)
    tiers = tuple(tuple(by_value[v]) for v in sorted(by_value, reverse=True))
    return BordaResult(
        entries=tuple(order),
        points=tuple(float(x) for x in points),
        voters=tuple(voters),
        mean_share=tuple(float(x) for x in mean),
        order=tiers,
    )


def _competition(tiers: Iterable[tuple[Id, ...]]) -> tuple[dict[Id, int], dict[Id, tuple[Id, ...]]]:
    ranks: dict[Id, int] = {}
    tied: dict[Id, tuple[Id, ...]] = {}
    position = 1
    for tier in tiers:
        for e in tier:
            ranks[e] = position
            tied[e] = tuple(x for x in tier if x != e)
        position += len(tier)
    return ranks, tied


def _explain(
    schulze: SchulzeResult, borda: BordaResult, agree: bool, ballots: Sequence[Ballot]
) -> tuple[Message, ...]:
    notes: list[Message] = []
    if not ballots or not schulze.entries:
        return (Message(NO_BALLOTS, N_("No rankings yet.")),)
    winners = schulze.winners
    if len(winners) == 1:
        template = N_(
            "Schulze method: %(entry)s comes first: against every other entry, the strongest chain of "
            "majorities leading from it is stronger than the one leading back to it."
        )
        notes.append(Message(SCHULZE_WINNER, template, {"entry": str(winners[0])}, subjects=winners))
    for tier in schulze.ties:
        template = N_(
            "Schulze method: %(entries)s are tied: neither's strongest chain of majorities over the other is "
            "stronger. Staff decide between them."
        )
        notes.append(Message(SCHULZE_TIE, template, {"entries": names(tier)}, subjects=tier))
    for tier in borda.ties:
        template = N_("Borda count: %(entries)s are tied (same share of the points).")
        notes.append(Message(BORDA_TIE, template, {"entries": names(tier)}, subjects=tier))
    if agree:
        notes.append(
            Message(METHODS_AGREE, N_("The Schulze method and the Borda count give the same order."))
        )
    else:
        template = N_(
            "The Schulze method and the Borda count differ. Schulze follows the majorities between pairs of "
            "entries; Borda adds up positions, so a few jurors ranking an entry very low weigh more."
        )
        notes.append(Message(METHODS_DIFFER, template))
    return tuple(notes)
