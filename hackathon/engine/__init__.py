"""The hackathon's engines: pure computations (no database, no HTTP). teams: balanced team formation."""

from .teams import (
    ROLES,
    BalanceMeasure,
    BalanceWeights,
    Participant,
    Team,
    TeamFormation,
    TeamRules,
    form_teams,
    random_formation,
    team_count,
)

__all__ = [
    "ROLES",
    "BalanceMeasure",
    "BalanceWeights",
    "Participant",
    "Team",
    "TeamFormation",
    "TeamRules",
    "form_teams",
    "random_formation",
    "team_count",
]
