"""SQLite SQL → PostgreSQL SQL, mechanically: the storage modules are written once, in SQLite's dialect.

Every storage module (and every migration) is plain SQLite SQL with `?` or `:name` parameters. On
PostgreSQL, `bot/storage/pg.py` passes each statement through `translate()` once (cached) and runs
the result with asyncpg. What is translated:
- parameters `?` / `?NNN` / `:name` → `$n` (a name used twice is one parameter);
- `INSERT OR IGNORE` → `… ON CONFLICT DO NOTHING`; `INSERT OR REPLACE` → an upsert on the table's key;
- `datetime('now')` / `date('now')` → the same UTC text; `IFNULL` → `COALESCE`; `GROUP_CONCAT` → `string_agg`;
- two-argument `MAX(a, b)` / `MIN(a, b)` → `GREATEST` / `LEAST`;
- `json_each(x)` → `json_array_elements_text(x)` with its `value` column (compare it with CAST for numbers);
- `a IS NOT b` / `a IS b` (b not NULL) → `IS DISTINCT FROM` / `IS NOT DISTINCT FROM`;
- `LIKE` → `ILIKE` (SQLite's LIKE ignores ASCII case);
- DDL: `INTEGER` → `BIGINT` (Telegram ids pass 2³¹), `INTEGER PRIMARY KEY` → an identity key, `TEXT` →
  `TEXT COLLATE "C"` (byte order, as SQLite's BINARY), `REAL`, `BLOB`, `AUTOINCREMENT`, `WITHOUT ROWID`,
  `STRICT`; `PRAGMA` statements are dropped;
- `BEGIN IMMEDIATE|DEFERRED|EXCLUSIVE` → `BEGIN`;
- an INSERT into a table with an `id` column gets `RETURNING id`, which is the cursor's `lastrowid`.
`COLLATE NOCASE` stays: migrations create a case-insensitive ICU collation named `nocase` first.
What it cannot translate has to be written portably in the storage module (docs/architecture.md lists it).
The lexical steps it is made of (masking literals, finding calls and their arguments, splitting a
migration file) are in sql_text.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.storage.sql_text import mask, rewrite_calls, split_script, unmask

_PARAM = re.compile(r"\?(\d*)|(?<![:\w]):([A-Za-z_]\w*)")
_NOW = re.compile(r"\b(datetime|date)\s*\(\s*'now'\s*\)", re.I)
_INSERT_OR = re.compile(r"\bINSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\b|\bREPLACE\s+INTO\b", re.I)
_INSERT_TABLE = re.compile(r"^\s*INSERT\s+INTO\s+([\w.]+)\s*(\(([^)]*)\))?", re.I)
_IS_DISTINCT = re.compile(r"\bIS\s+NOT\s+(?!NULL\b|TRUE\b|FALSE\b|DISTINCT\b)", re.I)
_IS_SAME = re.compile(r"\bIS\s+(?!NOT\b|NULL\b|TRUE\b|FALSE\b|DISTINCT\b)", re.I)
_RETURNING = re.compile(r"\bRETURNING\b", re.I)
_BEGIN = re.compile(r"^\s*BEGIN\s+(IMMEDIATE|DEFERRED|EXCLUSIVE)\b", re.I)
_ROWS_FIRST = re.compile(r"^\s*\(?\s*(SELECT|WITH|VALUES|EXPLAIN|SHOW)\b", re.I)
_KEYWORDS = frozenset(
    "where on join left right inner outer cross natural group order limit offset union except intersect "
    "having window using and or not returning".split()
)

NOW_TEXT = "to_char(timezone('UTC', now()), 'YYYY-MM-DD HH24:MI:SS')"
TODAY_TEXT = "to_char(timezone('UTC', now()), 'YYYY-MM-DD')"
# what `COLLATE NOCASE` means on PostgreSQL: case-insensitive comparison (ICU, every script)
NOCASE_COLLATION = (
    "CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false)"
)


@dataclass(frozen=True)
class Translated:
    """One statement in PostgreSQL's dialect; `order` maps $1… to the caller's parameters."""

    text: str | None  # None: nothing to run (a PRAGMA)
    order: tuple[int | str | tuple[str, int | str], ...]
    returns_rows: bool  # SELECT or RETURNING: fetch rows (else execute and read the status)
    rowid: bool  # RETURNING id was added: its value is lastrowid, the rows are not the caller's
    is_insert: bool
    json_params: tuple[tuple[int, int | str], ...] = ()  # ($n, caller's key) of each json_each(?) argument

    def bind(self, params: tuple | list | dict | None) -> list:
        if not self.order:
            return []
        if params is None:
            params = ()
        values = []
        for key in self.order:
            if isinstance(key, tuple):  # a `? IS NULL` test: only whether it is NULL matters
                value = params[key[1]]  # type: ignore[index]
                values.append(None if value is None else str(value))
            else:
                values.append(params[key])  # type: ignore[index]
        return values


@dataclass(frozen=True)
class Schema:
    """What translation needs to know of the tables: which have an `id` column, and their keys."""

    id_tables: frozenset[str] = frozenset()
    keys: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def key_of(self, table: str) -> tuple[str, ...]:
        return dict(self.keys).get(table.lower(), ())


def _json_each(int_params: frozenset[int]):
    """json_each(x) → its elements as a `value` column: text, or BIGINT when x is bound to a list of ints."""

    def rewrite(args: list[str], rest: str) -> tuple[str, int]:
        alias = re.match(r"\s+(?:AS\s+)?([A-Za-z_]\w*)", rest, re.I)
        consumed = 0
        name = "json_each"
        if alias and alias.group(1).lower() not in _KEYWORDS:
            name, consumed = alias.group(1), alias.end()
        elements = f"json_array_elements_text(CAST({args[0].strip()} AS json))"
        number = re.fullmatch(r"\s*\$(\d+)\s*", args[0])
        if number and int(number.group(1)) in int_params:  # SQLite compares ids with them as numbers
            return f"(SELECT CAST(value AS BIGINT) AS value FROM {elements}) AS {name}", consumed  # noqa: S608
        return f"{elements} AS {name}(value)", consumed

    return rewrite


def _min_max(func: str):
    def rewrite(args: list[str], rest: str) -> tuple[str | None, int]:
        if len(args) < 2:
            return None, 0
        return f"{func}({','.join(args)})", 0
    return rewrite


_CONDITION = re.compile(r"<>|!=|>=|<=|[=<>]|\b(IS|IN|LIKE|BETWEEN|AND|OR|NOT|EXISTS)\b", re.I)


def _sum_of_condition(args: list[str], rest: str) -> tuple[str | None, int]:
    # SQLite counts with SUM(a >= b) (a condition is 0/1); PostgreSQL sums integers, not booleans
    arg = args[0]
    depth, flat = 0, []
    for ch in arg:
        depth += ch == "("
        flat.append(ch if depth == 0 else " ")
        depth -= ch == ")"
    if len(args) != 1 or arg.strip().upper().startswith("CASE") or not _CONDITION.search("".join(flat)):
        return None, 0
    return f"SUM(CAST(({arg}) AS INTEGER))", 0


def _group_concat(args: list[str], rest: str) -> tuple[str, int]:
    sep = args[1] if len(args) > 1 else "','"
    return f"string_agg(CAST({args[0]} AS TEXT), {sep})", 0


def _ddl_types(sql: str) -> str:
    sql = re.sub(r"\bINTEGER\s+PRIMARY\s+KEY(\s+AUTOINCREMENT)?\b",
                 "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", sql, flags=re.I)
    sql = re.sub(r"\bAUTOINCREMENT\b", "", sql, flags=re.I)
    sql = re.sub(r"\bREAL\b", "DOUBLE PRECISION", sql, flags=re.I)
    sql = re.sub(r"\bBLOB\b", "BYTEA", sql, flags=re.I)
    # SQLite compares text byte by byte (BINARY); "C" does the same whatever the server's locale, so
    # ORDER BY and the range tests on ISO timestamps agree on both databases (NOCASE columns keep theirs)
    sql = re.sub(r"\bTEXT\b(?!\s+COLLATE\b)", 'TEXT COLLATE "C"', sql, flags=re.I)
    sql = re.sub(r"\)\s*(WITHOUT\s+ROWID|STRICT)(\s*,\s*(WITHOUT\s+ROWID|STRICT))*\s*$", ")", sql, flags=re.I)
    return sql


def _numbered_params(sql: str) -> tuple[str, tuple]:
    order: list = []
    names: dict[str, int] = {}
    counter = [0]

    def number(match: re.Match[str]) -> str:
        if match.group(2) is not None:  # :name
            name = match.group(2)
            if name not in names:
                order.append(name)
                names[name] = len(order)
            return f"${names[name]}"
        if match.group(1):  # ?NNN (1-based)
            index = int(match.group(1)) - 1
            if index not in order:
                order.append(index)
            return f"${order.index(index) + 1}"
        index = counter[0]
        counter[0] += 1
        order.append(index)
        return f"${len(order)}"

    sql = _PARAM.sub(number, sql)

    # PostgreSQL types a parameter where it first appears, and `$1 IS NULL` says nothing of its type:
    # a NULL test reads the parameter as text (bound to NULL or not NULL like the original); when the
    # parameter is also used elsewhere, the test gets a text parameter of its own
    null_tests = re.compile(r"\$(\d+)(\s+IS(?:\s+NOT\s+|\s+)NULL\b)", re.I)
    tested = {int(m.group(1)) for m in null_tests.finditer(sql)}
    elsewhere = {int(m.group(1)) for m in re.finditer(r"\$(\d+)(?!\d)(?!\s+IS(?:\s+NOT)?\s+NULL\b)", sql,
                                                       flags=re.I)}

    def null_test(match: re.Match[str]) -> str:
        number = int(match.group(1))
        if number not in elsewhere:
            return f"CAST(${number} AS TEXT){match.group(2)}"
        order.append(("null", order[number - 1]))
        return f"CAST(${len(order)} AS TEXT){match.group(2)}"

    sql = null_tests.sub(null_test, sql)
    for number in tested - elsewhere:
        order[number - 1] = ("null", order[number - 1])
    return sql, tuple(order)


def _upsert(table: str, columns: list[str], key: tuple[str, ...]) -> str:
    if not key:
        raise ValueError(f"INSERT OR REPLACE into {table}: its primary key is unknown")
    updates = [c for c in columns if c.lower() not in {k.lower() for k in key}]
    if not updates:
        return f" ON CONFLICT ({', '.join(key)}) DO NOTHING"
    sets = ", ".join(f"{c} = excluded.{c}" for c in updates)
    return f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET {sets}"


def translate(sql: str, schema: Schema = Schema(), *, many: bool = False,  # noqa: B008
              int_json: frozenset[int] = frozenset()) -> Translated:
    """One SQLite statement → PostgreSQL (see the module docstring).

    `int_json`: the $n of json_each arguments bound to lists of integers (pg.py looks at the values).
    """
    return _translate(sql, schema, many, int_json)


@lru_cache(maxsize=4096)
def _translate(sql: str, schema: Schema, many: bool, int_json: frozenset[int]) -> Translated:
    sql = _NOW.sub(lambda m: NOW_TEXT if m.group(1).lower() == "datetime" else TODAY_TEXT, sql)
    text, literals = mask(sql)
    text = text.strip().rstrip(";").strip()
    first = text.split(None, 1)[0].upper() if text else ""
    if first == "PRAGMA" or not text:
        return Translated(None, (), False, False, False)
    text = _BEGIN.sub("BEGIN", text)
    text, order = _numbered_params(text)
    conflict = ""
    replace = _INSERT_OR.search(text)
    if replace:
        text = _INSERT_OR.sub("INSERT INTO", text, count=1)
        target = _INSERT_TABLE.match(text)
        if (replace.group(1) or "REPLACE").upper() == "IGNORE":
            conflict = " ON CONFLICT DO NOTHING"
        elif target and target.group(3):
            columns = [c.strip() for c in target.group(3).split(",")]
            conflict = _upsert(target.group(1), columns, schema.key_of(target.group(1)))
        else:
            raise ValueError("INSERT OR REPLACE needs a column list on PostgreSQL")
    if first in ("CREATE", "ALTER"):
        text = _ddl_types(text)
    text = re.sub(r"\bINTEGER\b", "BIGINT", text, flags=re.I)
    text = re.sub(r"\bIFNULL\s*\(", "COALESCE(", text, flags=re.I)
    json_params = tuple((int(n), order[int(n) - 1]) for n in re.findall(r"\bjson_each\s*\(\s*\$(\d+)\s*\)", text))
    text = rewrite_calls(text, "json_each", _json_each(int_json), rescan=False)
    text = rewrite_calls(text, "max", _min_max("GREATEST"))
    text = rewrite_calls(text, "min", _min_max("LEAST"))
    text = rewrite_calls(text, "group_concat", _group_concat)
    text = rewrite_calls(text, "sum", _sum_of_condition)
    text = _IS_DISTINCT.sub("IS DISTINCT FROM ", text)
    text = _IS_SAME.sub("IS NOT DISTINCT FROM ", text)
    text = re.sub(r"\bLIKE\b", "ILIKE", text, flags=re.I) if first != "CREATE" else text
    returning = _RETURNING.search(text)
    if conflict:
        text = (text[:returning.start()] + conflict.strip() + " " + text[returning.start():]) if returning \
            else text + conflict
        returning = _RETURNING.search(text)
    target = _INSERT_TABLE.match(text) if first in ("INSERT", "REPLACE") else None
    rowid = False
    if target and not returning and not many and target.group(1).lower() in schema.id_tables:
        text += " RETURNING id"
        rowid = True
    returns_rows = bool(returning) or rowid or bool(_ROWS_FIRST.match(text))
    return Translated(unmask(text, literals), order, returns_rows, rowid, target is not None, json_params)


def translate_script(script: str, schema: Schema = Schema()) -> str:  # noqa: B008
    """A whole migration file in PostgreSQL's dialect (parameterless statements only)."""
    statements = []
    for statement in split_script(script):
        translated = translate(statement, schema)
        if translated.text is not None:
            statements.append(translated.text)
    return ";\n".join(statements) + (";" if statements else "")
