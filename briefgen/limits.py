"""Every limit briefgen enforces, in one place (README's "Security and limits" lists them).

A trip file, its libraries and a house style may come from others: each bound here keeps
one build finite in memory and time, and each is reported as a located error or one line.
"""

MAX_FILE_BYTES = 5 * 1024 * 1024  # a trip or library file, counted as read
MAX_NODES = 200_000  # keys, values and list items written in one file (counted as read)
MAX_DEPTH = 64  # lists and mappings nested in one another, in one file
MAX_ALIAS_NODES = 200_000  # nodes produced by expanding aliases (written nodes do not count)
MAX_ALIAS_CHARS = 20_000_000  # characters of scalar text produced by expanding aliases
MAX_TEXT_CHARS = 100_000  # any one Text (a paragraph, bullet, bio paragraph)
MAX_ASSET_BYTES = 20 * 1024 * 1024  # a photo, logo or font the PDF engine may read
MAX_TEMPLATE_BYTES = 1024 * 1024  # one house-style template
MAX_TEMPLATE_REPEAT = 100_000  # characters or items a template's `*` may build
LONG_WORD_CHARS = 200  # a "word" longer than this may break anywhere (else layout is quadratic)
DEFAULT_MAX_MEMORY_MB = 2048  # each build's child process (--max-memory)
DEFAULT_TIMEOUT_SECONDS = 300.0  # each build's child process (--timeout)
MAX_TIMEOUT_SECONDS = 86_400.0  # a day: --timeout above it is a usage error
MAX_COPIES = 500  # --copies: numbered copies in one PDF
MAX_INCLUDE_DEPTH = 16  # libraries including libraries, from the trip file down
MAX_OUTPUTS = 500  # outputs one run may plan (trips x layouts x meeting packets)
MAX_PHOTO_PIXELS = 50_000_000  # a photo's width x height, read from its header first
MAX_COMBINING_MARKS = 16  # combining marks after one base character (a grapheme)


def outputs_problem(planned: int) -> str | None:
    """Why a run that plans `planned` outputs is refused before anything is built, or None."""
    if planned <= MAX_OUTPUTS:
        return None
    return (
        f"this run would write {planned:,} outputs, over the limit of {MAX_OUTPUTS:,} per run "
        "(trips × layouts, one per meeting for `meeting`): build fewer layouts or trips, or "
        "one meeting with --event; nothing was written"
    )
