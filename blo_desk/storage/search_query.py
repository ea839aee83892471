"""The search's matching rules in each engine's terms: an FTS5 MATCH at the post, a tsvector and tsquery at HQ."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.orm import Session

from blo_desk.domain.search_text import latin_key, tokens
from blo_desk.storage.substances import substance_index

# What SQLite's unicode61 tokenizer keeps as a token (its default categories L* N* Co): letters and digits; every
# other character, the underscore included, separates tokens. The body is normalized already (search_text), so
# FTS5's own case folding changes nothing, and the same split gives the same tokens on both engines.
_FTS_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
# PostgreSQL's tsvector limits: a lexeme under 2 KB, positions up to 16,383, at most 256 positions per lexeme.
_MAX_LEXEME_BYTES = 2047
_MAX_POSITION = 16383
_MAX_POSITIONS = 256
#: Marks the lexemes of a token's first one and two characters; never part of a token (index_tokens).
PREFIX_MARK = "~"
# Every x, and every h that is not the second letter of sh, ch or zh (hx_variants swaps them).
_HX_RE = re.compile(r"x|(?<![scz])h")
#: How many h/x letters of a word get both spellings (2 letters: 3 more options per word at most).
HX_SPOTS = 2


def hx_variants(key: str) -> list[str]:
    """A Latin key with its h and x swapped (the first HX_SPOTS of them, each way): Russian writes Uzbek h and x
    alike as х, so "Рахимов" (key "raximov") must meet "Rahimov", and "Rahimov" must meet "Рахимов". An h of sh,
    ch or zh is a letter of its own and stays."""
    spots = [m.start() for m in _HX_RE.finditer(key)][:HX_SPOTS]
    variants = []
    for mask in range(1, 2 ** len(spots)):
        letters = list(key)
        for bit, spot in enumerate(spots):
            if mask >> bit & 1:
                letters[spot] = "h" if letters[spot] == "x" else "x"
        variants.append("".join(letters))
    return variants


def word_options(word: str) -> list[str]:
    """What a typed (normalized) word may match: itself, its Latin key and that key's h/x spellings (hx_variants,
    from three letters on), and, when it names a substance in any inflection or synonym ("героина", "nasha"), the
    substance's English name, which every case with it holds."""
    substances = substance_index()
    key = latin_key(word)
    options = dict.fromkeys([word, key, *(hx_variants(key) if len(key) >= 3 else ())])
    for code in substances.codes_in(word):
        found = substances.get(code)
        if found is not None:
            options.setdefault(" ".join(tokens(found.name_en)), None)
    return [option for option in options if option]


def fts_query(text_query: str) -> str:
    """A safe FTS5 MATCH expression: every typed word must appear as a prefix, in either script, or as the
    substance it names (word_options)."""
    terms = []
    for tok in tokens(text_query):
        quoted = [f'"{option}"*' for option in word_options(tok)]
        terms.append(quoted[0] if len(quoted) == 1 else f"({' OR '.join(quoted)})")
    return " AND ".join(terms)


def index_tokens(body: str) -> list[str]:
    """The tokens FTS5 makes of a search body (or of one quoted option of a query), in order."""
    return _FTS_TOKEN_RE.findall(body)


def search_vector(body: str) -> str:
    """The search body as PostgreSQL tsvector text: each FTS5 token a lexeme with its positions, so that a prefix
    (`'kar':*`) and a phrase of several words (`'cannabis' <-> 'marijuana':*`) match exactly as FTS5 matches;
    plus, like FTS5's prefix indexes of one and two characters (migration 0007), a lexeme for each first one and
    two characters of a token (`'a~'`, `'01~'`): a typed `a` or `01` is then one entry of the GIN index, not the
    union of every word starting so."""
    found = _FTS_TOKEN_RE.findall(body)
    if len(found) > _MAX_POSITIONS:
        return _clipped_search_vector(found)
    # A body of no more tokens than a lexeme may have positions (nearly every case: HQ's import makes one per case)
    # reaches no limit but the lexeme's size: each lexeme's text is written as its tokens come.
    lexemes: dict[str, str] = {}
    held = lexemes.get
    for n, token in enumerate(found, start=1):
        before = held(token)
        lexemes[token] = f"'{token}':{n}" if before is None else f"{before},{n}"
    if found and max(map(len, lexemes)) * 4 > _MAX_LEXEME_BYTES:
        return _clipped_search_vector(found)
    return " ".join([*lexemes.values(), *_prefix_lexemes(lexemes)])


def _clipped_search_vector(found: list[str]) -> str:
    """search_vector of a body whose tokens may reach tsvector's limits: positions above 16,383 are written as
    16,383 (once), a lexeme keeps its first 256 positions, a lexeme over 2 KB is left out."""
    positions: dict[str, list[int]] = {}
    for n, token in enumerate(found, start=1):
        held = positions.get(token)
        if held is None:
            positions[token] = [n if n < _MAX_POSITION else _MAX_POSITION]
        elif len(held) < _MAX_POSITIONS and held[-1] != (position := min(n, _MAX_POSITION)):
            held.append(position)
    lexemes = [
        f"'{token}':{','.join(map(str, found))}"
        for token, found in positions.items()
        # a character is at most 4 bytes in UTF-8: only a very long token needs its length checked
        if len(token) * 4 <= _MAX_LEXEME_BYTES or len(token.encode("utf-8")) <= _MAX_LEXEME_BYTES
    ]
    return " ".join([*lexemes, *_prefix_lexemes(positions)])


def _prefix_lexemes(tokens: Iterable[str]) -> list[str]:
    """The short-prefix lexemes of the tokens (each distinct token once, in order): their first one, then their
    first two characters, each once."""
    tokens = list(tokens)
    prefixes = dict.fromkeys([token[:1] for token in tokens])
    prefixes.update(dict.fromkeys([token[:2] for token in tokens if len(token) >= 2]))
    return [f"'{prefix}{PREFIX_MARK}'" for prefix in prefixes]


def _term(token: str, *, prefix: bool = True) -> str:
    """A typed token as a prefix: one short-prefix lexeme for one or two characters, a prefix match beyond (or,
    without `prefix`, the whole word only)."""
    if len(token) <= 2:
        return f"'{token}{PREFIX_MARK}'"
    return f"'{token}':*" if prefix else f"'{token}'"


def _phrase(option: str, *, prefix: bool = True) -> str | None:
    """One option of fts_query as a tsquery: its tokens adjacent, the last one a prefix (FTS5's `"a b"*`)."""
    found = index_tokens(option)
    if not found:
        return None  # FTS5's empty phrase matches nothing
    if len(found) == 1:
        return _term(found[0], prefix=prefix)
    # a phrase needs positions, which the short-prefix lexemes do not carry: its last token is a plain prefix
    return " <-> ".join([*(f"'{t}'" for t in found[:-1]), f"'{found[-1]}'" + (":*" if prefix else "")])


def ts_query(text_query: str, *, whole_words: bool = False) -> str | None:
    """fts_query's expression as PostgreSQL tsquery text (to be cast, never parsed by a text search parser), or
    None when a typed word can match nothing, as FTS5 then finds nothing. Lexemes are letters and digits only
    (index_tokens), so nothing typed can change the expression's shape.

    With `whole_words`, each word of three characters or more matches only as typed, not as a prefix: a query that
    finds a part of the search's matches (never a case the search does not find). HQ counts it first when a search
    may be over the exact-count limit (repositories.CaseRepository._page): the GIN index answers a whole word from
    its posting list, skipping through it, where a prefix collects every match of every word so starting first
    (on a million cases `Rahimova Madina` took 10 ms of index work as whole words, 90 ms as prefixes)."""
    terms = []
    for tok in tokens(text_query):
        options = [p for p in (_phrase(option, prefix=not whole_words) for option in word_options(tok)) if p]
        if not options:
            return None
        terms.append(options[0] if len(options) == 1 else f"({' | '.join(options)})")
    return " & ".join(terms)


def write_vectors(session: Session, bodies: list[tuple[str | None, str]]) -> None:
    """PostgreSQL only: set the search_vector column (migration 0011) of the given cases, (case id, body)."""
    session.execute(text("UPDATE seizure_case SET search_vector = CAST(:v AS tsvector) WHERE id = :id"),
                    [{"id": case_id, "v": search_vector(body)} for case_id, body in bodies])
