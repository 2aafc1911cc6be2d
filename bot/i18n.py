"""Localized texts: gettext .po catalogues read at run time with Babel (no compiled .mo files).

Layout: `locales/<lang>/LC_MESSAGES/<domain>.po`, one .po per feature area (common, order, admin...).
Message ids are symbolic and start with their file's domain (`common.menu_help`, `order.ask_link`);
placeholders are str.format style (`{name}`); English is the complete source. Adding a language is
dropping one folder; adding a feature's texts is dropping one .po per language.

Call shapes (tests/i18n scans bot/ for these, so ids written literally are checked):
    rt.i18n.t(lang, "common.help")            # one text
    tr = rt.i18n.bind(lang); tr("common.help") # many texts in one language
    LABEL = N_("common.menu_help")             # marks an id kept in a constant, translated later
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from io import BytesIO
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
DEFAULT_LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"


def N_(msgid: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    """Mark a message id kept in a constant; returns it unchanged."""
    return msgid


def _norm(code: str) -> str:
    """Compare language codes the way Telegram and gettext spell them: pt-BR == pt_br."""
    return code.strip().replace("_", "-").lower()


def read_catalogue(path: Path) -> dict[str, str]:
    """Translated (non-empty, non-fuzzy) messages of one .po file as {msgid: text}."""
    with path.open("rb") as fh:
        catalog = read_po(fh)
    found = {}
    for message in catalog:
        if not message.id or not isinstance(message.id, str) or message.fuzzy:
            continue  # header entry, plural forms (unused here), or an unreviewed translation
        if isinstance(message.string, str) and message.string:
            found[message.id] = message.string
    return found


class _Params(dict):
    """Format parameters that log a missing placeholder instead of raising."""

    def __init__(self, params: Mapping[str, object], msgid: str, lang: str) -> None:
        super().__init__(params)
        self.msgid, self.lang = msgid, lang

    def __missing__(self, key: str) -> str:
        log.warning("message %s (%s) has no value for placeholder {%s}", self.msgid, self.lang, key)
        return "{" + key + "}"


class Translator:
    """Every loaded catalogue; create with `Translator.load()`."""

    def __init__(self, catalogues: dict[str, dict[str, str]], default: str = SOURCE_LANGUAGE) -> None:
        self._catalogues = catalogues
        self._by_norm = {_norm(lang): lang for lang in catalogues}
        self.default = self._by_norm.get(_norm(default), default)

    @classmethod
    def load(cls, locales_dir: Path | None = None, *, default: str = SOURCE_LANGUAGE) -> Translator:
        """Read every `<lang>/LC_MESSAGES/*.po` under locales_dir (default: the repo's locales/)."""
        root = Path(locales_dir) if locales_dir else DEFAULT_LOCALES_DIR
        catalogues: dict[str, dict[str, str]] = {}
        for po in sorted(root.glob("*/LC_MESSAGES/*.po")):
            lang = po.parent.parent.name
            catalogues.setdefault(lang, {}).update(read_catalogue(po))
        if not catalogues:
            log.warning("no .po catalogues found under %s; texts will show their ids", root)
        return cls(catalogues, default=default)

    @property
    def languages(self) -> list[str]:
        """Loaded language codes (folder names), sorted."""
        return sorted(self._catalogues)

    def resolve(self, stored: str | None, telegram_code: str | None, default: str) -> str:
        """The customer's language: stored choice, else Telegram's code (exact, then base), else default."""
        for candidate in (stored, telegram_code):
            if not candidate:
                continue
            norm = _norm(candidate)
            if norm in self._by_norm:
                return self._by_norm[norm]
            base = norm.split("-", 1)[0]
            if base in self._by_norm:
                return self._by_norm[base]
        return self._by_norm.get(_norm(default), default)

    def has(self, lang: str, msgid: str) -> bool:
        """Whether `lang` itself translates msgid (no fallback)."""
        return msgid in self._catalogues.get(self._by_norm.get(_norm(lang), lang), {})

    def t(self, lang: str, msgid: str, **params: object) -> str:
        """The text of msgid in lang (falling back to the default locale, English, then the id)."""
        template = self._lookup(lang, msgid)
        if not params and "{" not in template:
            return template
        try:
            return template.format_map(_Params(params, msgid, lang))
        except (ValueError, IndexError, AttributeError, KeyError, TypeError) as exc:
            log.warning("message %s (%s) is not a valid template: %s", msgid, lang, exc)
            return template

    def template(self, lang: str, msgid: str) -> str:
        """The unformatted text of msgid in lang (same fallbacks as t): for pages that fill it themselves."""
        return self._lookup(lang, msgid)

    def bind(self, lang: str) -> Callable[..., str]:
        """A `tr(msgid, **params)` for one language."""

        def tr(msgid: str, **params: object) -> str:
            return self.t(lang, msgid, **params)

        return tr

    def language_name(self, lang: str) -> str:
        """The language's own name for itself ("English", "Русский"), or the code if Babel lacks it."""
        try:
            name = Locale.parse(lang.replace("-", "_")).get_display_name()
        except (ValueError, TypeError, UnknownLocaleError):
            return lang
        return (name[:1].upper() + name[1:]) if name else lang

    def _lookup(self, lang: str, msgid: str) -> str:
        lang = self._by_norm.get(_norm(lang), lang)
        for candidate in (lang, self.default, SOURCE_LANGUAGE):
            text = self._catalogues.get(candidate, {}).get(msgid)
            if text:
                return text
        log.warning("message id %s is in no catalogue", msgid)
        return msgid


def write_template(domain: str, locales_dir: Path | None = None) -> str:
    """A .pot template (ids, empty texts) for one domain, made from its English .po."""
    source = (Path(locales_dir) if locales_dir else DEFAULT_LOCALES_DIR) / SOURCE_LANGUAGE
    template = Catalog(domain=domain, project="smm-bot")
    for msgid in read_catalogue(source / "LC_MESSAGES" / f"{domain}.po"):
        template.add(msgid, "")
    out = BytesIO()
    write_po(out, template, omit_header=False, width=0)
    return out.getvalue().decode("utf-8")


if __name__ == "__main__":  # python -m bot.i18n template <domain>  (see README: updating translations)
    import sys

    if len(sys.argv) != 3 or sys.argv[1] != "template":
        sys.exit("usage: python -m bot.i18n template <domain>")
    sys.stdout.write(write_template(sys.argv[2]))
