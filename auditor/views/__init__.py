"""Stage 3, views: the analysis checks share, computed from the snapshot on demand, once per
audit (``cache.view``), with settings passed in as parameters. Views never fetch and never
write the snapshot.

- ``cache``: the ``@view`` memo; ``evidence``: T (bilingual text) and Evidence.
- ``columns``, ``listing``, ``dates``: the site's columns, their dated rows, dates in text and URLs.
- ``page_text``: the homepage's text sources (footer, scripts, frames), markers, sponsors, links' state.
- ``homepage``: whether the homepage could be read.
- ``freshness``, ``disclosure``, ``guides``, ``letters``, ``labelled``, ``search``,
  ``personal_data``: what the freshness, 政府信息公开, 办事服务, 互动交流, search and privacy checks read.
"""
