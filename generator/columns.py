"""The columns of the data contract, by file.

Names only, and no library beyond Python's own: a client's mention file can be read while the
libraries the checks need are still loading (see ``pipeline.check``).
"""

MENTION_REQUIRED = ("date", "brand", "sentiment")
MENTION_OPTIONAL = (
    "platform",
    "kind",
    "media_type",
    "url",
    "author",
    "text",
    "likes",
    "comments",
    "reposts",
    "reach",
)
#: Times of day, for an export that writes a mention's time in a column of its own: read as
#: part of the mention's date.
MENTION_TIME = "time"
ACCOUNT_REQUIRED = ("period", "platform")
ACCOUNT_OPTIONAL = ("followers", "posts", "likes", "comments", "reposts", "reach")
OUTCOME_REQUIRED = ("period", "metric", "value")

MENTION_COUNTS = ("likes", "comments", "reposts", "reach")
#: Columns of a few values repeated over every row, read as categories.
MENTION_REPEATED = ("brand", "sentiment", "platform", "kind", "media_type")
