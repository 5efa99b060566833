"""The views' parameters built from the checks' settings.

A view never reads a setting by check id: it takes its parameters (GuideSettings,
LetterSettings) explicitly. Several checks share one view — the three services checks one
guide scan, the interaction checks one letter scan — so the settings that configure a shared
view are declared here, once, per check (each check adds them to its own ``settings=``), and
the view's parameters are built from their values under the profile. The defaults are the
view's own parameter defaults (auditor.views.guides, auditor.views.letters): written once.
"""
from __future__ import annotations

from auditor.checking.check import Setting, declared_values, profile_table
from auditor.views.guides import ELEMENTS_ID, FLOWCHART_ID, GUIDES_ID, GuideSettings
from auditor.views.letters import BOARD_ID, RESPONSE_ID, LetterSettings

_GUIDES = GuideSettings()
_LETTERS = LetterSettings()

# check id -> the settings of the guide scan that check declares
GUIDE_SETTINGS: dict[str, dict[str, Setting]] = {
    GUIDES_ID: {
        "column_keywords": Setting(list(_GUIDES.column_keywords),
                                   "names of the 办事服务 column (or name it: [columns.named] services = \"URL\")"),
        "column_exclude": Setting(list(_GUIDES.column_exclude), "words that make a column no 办事服务 column"),
        "guide_keywords": Setting(list(_GUIDES.guide_keywords),
                                  "names that make a page a guide (title, ColumnName, ArticleTitle, breadcrumb, link text)"),
        "exclude": Setting(list(_GUIDES.exclude),
                           "a page whose title, ColumnName/ArticleTitle or last breadcrumb has one of these is no guide"),
        "min_elements": Setting(_GUIDES.min_elements,
                                "a page not named as a guide needs labelled sections of this many categories "
                                "(two of them among 设定依据/申请条件/办理材料/办理流程)"),
    },
    ELEMENTS_ID: {
        "elements": Setting(_GUIDES.elements_table,
                            "the 10 重点要素类别 and their synonyms (docs/rules.md#R-veto-guide-elements; only the first "
                            "four names are verified ✅, the rest ❓); the first is the item's name, which a guide's "
                            "title stands for when no section does. A profile adds or replaces one category."),
        "boundaries": Setting(list(_GUIDES.boundaries), "section labels that are none of the ten: they end the previous section"),
        "empty_values": Setting(list(_GUIDES.empty_values),
                                "a section whose value is one of these says nothing (the element counts as missing)"),
        "none_is_answer": Setting(list(_GUIDES.none_is_answer),
                                  "… except \"无\" in these categories (\"收费标准：无\" means no fee)"),
    },
    FLOWCHART_ID: {
        "markers": Setting(list(_GUIDES.markers), "words in an image's alt/title or a link label (Chinese), or "
                                                  "file-name tokens (lct1.png), that mark a flowchart"),
    },
}

# check id -> the settings of the letter and channel views that check declares
LETTER_SETTINGS: dict[str, dict[str, Setting]] = {
    BOARD_ID: {
        "column_keywords": Setting(list(_LETTERS.column_keywords),
                                   "names of the 互动交流 column (or name it: [columns.named] interaction = \"URL\")"),
        "channel_labels": Setting(list(_LETTERS.channel_labels), "link labels of consultation channels"),
        "channel_exclude": Setting(list(_LETTERS.channel_exclude),
                                   "links whose label has one of these are no channels (2019 veto wording: "
                                   "网上信访、纪检举报等专门渠道除外)"),
    },
    RESPONSE_ID: {
        "exclude_columns": Setting(list(_LETTERS.exclude_columns),
                                   "columns that are not 政务咨询类 (title, ColumnName/ColumnType or breadcrumb)"),
        "letter_context": Setting(list(_LETTERS.letter_context),
                                  "pages showing 留言时间 are read as letter lists only near the homepage (depth <= 1), "
                                  "when their title/ColumnName/breadcrumb (Chinese words) or URL (ASCII words) has "
                                  "one of these, or when a list links to them"),
        "max_detail_pages": Setting(_LETTERS.max_detail_pages, "letter pages read at most (each needs a parse)"),
        "reply_link_labels": Setting(list(_LETTERS.reply_link_labels),
                                     "links a letter's page shows its answer behind: the answer is read on the linked "
                                     "page; a linked page that was not read leaves the letter \"could not tell\""),
    },
}


def _values(profile, declared: dict[str, dict[str, Setting]], check_id: str) -> dict:
    return declared_values(declared[check_id], profile_table(profile, check_id))


def _words(values: dict, key: str) -> tuple[str, ...]:
    return tuple(str(v) for v in values[key])


def guide_settings(profile) -> GuideSettings:
    """The guide scan's parameters: services.guides, services.guide-elements and services.flowchart."""
    guides = _values(profile, GUIDE_SETTINGS, GUIDES_ID)
    elements = _values(profile, GUIDE_SETTINGS, ELEMENTS_ID)
    flowchart = _values(profile, GUIDE_SETTINGS, FLOWCHART_ID)
    return GuideSettings(
        column_keywords=_words(guides, "column_keywords"),
        column_exclude=_words(guides, "column_exclude"),
        guide_keywords=_words(guides, "guide_keywords"),
        exclude=_words(guides, "exclude"),
        min_elements=int(guides["min_elements"]),
        elements=tuple((str(k), tuple(str(s) for s in v)) for k, v in elements["elements"].items()),
        boundaries=_words(elements, "boundaries"),
        empty_values=_words(elements, "empty_values"),
        none_is_answer=_words(elements, "none_is_answer"),
        markers=_words(flowchart, "markers"),
    )


def letter_settings(profile) -> LetterSettings:
    """The letter and channel views' parameters: interaction.message-board and interaction.response."""
    board = _values(profile, LETTER_SETTINGS, BOARD_ID)
    response = _values(profile, LETTER_SETTINGS, RESPONSE_ID)
    return LetterSettings(
        column_keywords=_words(board, "column_keywords"),
        channel_labels=_words(board, "channel_labels"),
        channel_exclude=_words(board, "channel_exclude"),
        exclude_columns=_words(response, "exclude_columns"),
        letter_context=_words(response, "letter_context"),
        max_detail_pages=int(response["max_detail_pages"]),
        reply_link_labels=_words(response, "reply_link_labels"),
    )
