"""Human labels of the juries' codes (genres, rubric criteria), in the current language."""

from __future__ import annotations

from lib.i18n import _

GENRE_LABELS = {
    "documentary": lambda: _("Documentary"),
    "animation": lambda: _("Animation"),
    "music_video": lambda: _("Music video"),
    "video_art": lambda: _("Video art"),
    "fiction": lambda: _("Fiction"),
    "other": lambda: _("Other"),
}
CRITERION_LABELS = {
    "artistic_quality": lambda: _("Artistic quality"),
    "fit_with_buyers": lambda: _("Fit with the buyers present"),
    "technical_quality": lambda: _("Technical quality"),
    # the hackathon's rubric (hackathon.judging)
    "innovation": lambda: _("Innovation"),
    "feasibility": lambda: _("Feasibility"),
    "impact": lambda: _("Impact on audiences and artists"),
    "team": lambda: _("Team"),
}
