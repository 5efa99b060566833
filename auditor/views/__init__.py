"""Stage 4, views: analysis several checks share (columns, list items, dates …), computed
from the snapshot on demand and memoised per audit. Views never fetch and never write
the snapshot."""
