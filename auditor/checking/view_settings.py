"""The views' parameters built from the checks' settings.

A view never reads a setting by check id: it takes its parameters (GuideSettings,
LetterSettings) explicitly. Several checks share one view — the three services checks one
guide scan, the interaction checks one letter scan — so its parameters are built here, once,
from the settings of the checks that configure it (the profile keys stay where they were).
"""
from __future__ import annotations

from auditor.views.guides import ELEMENTS_ID, FLOWCHART_ID, GUIDES_ID, GuideSettings
from auditor.views.letters import BOARD_ID, RESPONSE_ID, LetterSettings

_GUIDES = GuideSettings()
_LETTERS = LetterSettings()


def setting_list(profile, check_id: str, key: str, default: list[str]) -> list[str]:
    value = profile.check_setting(check_id, key, None)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return list(default)



def _words(profile, check_id: str, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(setting_list(profile, check_id, key, list(default)))


def guide_settings(profile) -> GuideSettings:
    """The guide scan's parameters: services.guides, services.guide-elements and services.flowchart."""
    table = profile.check_setting(ELEMENTS_ID, "elements", None)
    if isinstance(table, dict) and table and all(isinstance(v, list) for v in table.values()):
        elements = tuple((str(k), tuple(str(s) for s in v)) for k, v in table.items())
    else:
        elements = _GUIDES.elements
    return GuideSettings(
        column_keywords=_words(profile, GUIDES_ID, "column_keywords", _GUIDES.column_keywords),
        column_exclude=_words(profile, GUIDES_ID, "column_exclude", _GUIDES.column_exclude),
        guide_keywords=_words(profile, GUIDES_ID, "guide_keywords", _GUIDES.guide_keywords),
        exclude=_words(profile, GUIDES_ID, "exclude", _GUIDES.exclude),
        min_elements=int(profile.check_setting(GUIDES_ID, "min_elements", _GUIDES.min_elements)),
        elements=elements,
        boundaries=_words(profile, ELEMENTS_ID, "boundaries", _GUIDES.boundaries),
        empty_values=_words(profile, ELEMENTS_ID, "empty_values", _GUIDES.empty_values),
        none_is_answer=_words(profile, ELEMENTS_ID, "none_is_answer", _GUIDES.none_is_answer),
        markers=_words(profile, FLOWCHART_ID, "markers", _GUIDES.markers),
    )


def letter_settings(profile) -> LetterSettings:
    """The letter and channel views' parameters: interaction.message-board and interaction.response."""
    return LetterSettings(
        column_keywords=_words(profile, BOARD_ID, "column_keywords", _LETTERS.column_keywords),
        channel_labels=_words(profile, BOARD_ID, "channel_labels", _LETTERS.channel_labels),
        channel_exclude=_words(profile, BOARD_ID, "channel_exclude", _LETTERS.channel_exclude),
        exclude_columns=_words(profile, RESPONSE_ID, "exclude_columns", _LETTERS.exclude_columns),
        letter_context=_words(profile, RESPONSE_ID, "letter_context", _LETTERS.letter_context),
        max_detail_pages=int(profile.check_setting(RESPONSE_ID, "max_detail_pages", _LETTERS.max_detail_pages)),
        reply_link_labels=_words(profile, RESPONSE_ID, "reply_link_labels", _LETTERS.reply_link_labels),
    )
