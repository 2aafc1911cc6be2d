"""The page's files, read once at start-up and versioned by content.

Each script's relative imports (`from "./api.js"`) and the page's `static/app.js` get `?v=<hash of
that file>`, so a release changes every URL whose content changed: versioned URLs are cached for a
year (immutable), the page itself is revalidated on every open (ETag → 304). No build step: this is
a string rewrite of plain ES modules.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources

from aiohttp import web

TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml",
         ".png": "image/png"}
REVALIDATE = "no-cache"
IMMUTABLE = "public, max-age=31536000, immutable"
# the page's only outside script is Telegram's; everything else comes from here
CSP = ("default-src 'self'; script-src 'self' https://telegram.org; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'")
_IMPORT = re.compile(rb'((?:from|import)\s*\(?\s*)"\./([\w.-]+\.js)"')


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    content_type: str
    version: str  # hash of the body as served

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


def _digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:16]


def load_static() -> dict[str, StaticFile]:
    """Every file of bot/webapp/static, imports versioned, keyed by name."""
    raw = {}
    for item in resources.files("bot.webapp").joinpath("static").iterdir():
        suffix = "." + item.name.rsplit(".", 1)[-1]
        if item.is_file() and suffix in TYPES:
            raw[item.name] = item.read_bytes()
    done: dict[str, StaticFile] = {}

    def build(name: str, seen: tuple[str, ...] = ()) -> StaticFile:
        if name in done:
            return done[name]
        if name in seen or name not in raw:
            raise ValueError(f"static file {name}: missing or imported in a cycle")
        body = raw[name]
        if name.endswith(".js"):
            body = _IMPORT.sub(lambda m: m.group(1) + b'"./' + m.group(2) + b"?v="
                               + build(m.group(2).decode(), (*seen, name)).version.encode() + b'"', body)
        done[name] = StaticFile(body, TYPES["." + name.rsplit(".", 1)[-1]], _digest(body))
        return done[name]

    for name in sorted(n for n in raw if n.endswith(".js")):
        build(name)
    for name, body in raw.items():
        if name.endswith(".html"):
            for script, file in list(done.items()):
                body = body.replace(f'src="static/{script}"'.encode(), f'src="static/{script}?v={file.version}"'.encode())
        if name not in done:
            done[name] = StaticFile(body, TYPES["." + name.rsplit(".", 1)[-1]], _digest(body))
    return done


def serve_file(file: StaticFile, request: web.Request, *, page: bool = False) -> web.Response:
    """The file with its ETag (304 when the browser has it) and the caching its URL allows."""
    versioned = not page and request.query.get("v") == file.version
    headers = {"ETag": file.etag, "Cache-Control": IMMUTABLE if versioned else REVALIDATE,
               "X-Content-Type-Options": "nosniff"}
    if page:
        headers["Content-Security-Policy"] = CSP
        headers["Referrer-Policy"] = "no-referrer"
    if file.etag in request.headers.get("If-None-Match", ""):
        return web.Response(status=304, headers=headers)
    response = web.Response(body=file.body, content_type=file.content_type, headers=headers,
                            charset="utf-8" if file.content_type.startswith("text") else None)
    if len(file.body) > 1024:
        response.enable_compression()
    return response
