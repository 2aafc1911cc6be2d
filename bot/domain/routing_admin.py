"""The operators' side of routes: define, list, remove, and suggest groups of equivalent services.

    /route <name> [priority|cheapest] [loss] main:12 backup:34 third:7   (member order = priority)

A route needs two or more members, each on a different configured panel, each a cached service
of one order type, whose min–max ranges overlap, and none already in another route. Defining an
existing name replaces its members and settings. Suggestions group unrouted services of
different panels with the same type, similar names (shared words) and overlapping bounds; each
has a short key (a hash of its members) so an Accept button recomputes and finds it again, or
finds it gone when the catalogue or the routes changed meanwhile.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.domain.errors import DomainError
from bot.domain.route_plan import CHEAPEST, POLICIES, PRIORITY
from bot.storage import catalogue as catalogue_store
from bot.storage import routes
from bot.storage.db import Database
from bot.storage.routes import Member, Offer, Route

if TYPE_CHECKING:
    from bot.panel.hub import PanelHub

NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
RESERVED = frozenset({"list", "off", "suggest", "loss", *POLICIES})
LOSS_WORD = "loss"
MAX_MEMBERS = 10
SIMILARITY = 0.6  # shared words ÷ all words of the two names
COMMON_WORD = 200  # a word in more services than this on one panel (and type) is not looked up
MAX_SUGGESTIONS = 8
_WORD = re.compile(r"[^\W_]+")


class RouteRefused(DomainError):
    """A /route that cannot be made: `reason` is a short code, `detail` names what is at fault."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason, self.detail = reason, detail


@dataclass(frozen=True)
class RouteSpec:
    """A parsed /route definition."""

    name: str
    policy: str
    allow_loss: bool
    members: list[Member]


def parse_spec(args: list[str]) -> RouteSpec:
    """`<name> [priority|cheapest] [loss] panel:service ...` -> RouteSpec; RouteRefused('usage') when malformed."""
    if len(args) < 3:
        raise RouteRefused("usage")
    name = args[0].lower()
    if not NAME.fullmatch(name) or name in RESERVED:
        raise RouteRefused("bad_name", args[0][:32])
    policy, allow_loss, members = PRIORITY, False, []
    for token in args[1:]:
        word = token.lower()
        if word in POLICIES:
            policy = word
        elif word == LOSS_WORD:
            allow_loss = True
        elif ":" in token:
            panel, _, service_id = token.partition(":")
            if not panel or not service_id:
                raise RouteRefused("bad_member", token[:64])
            members.append(Member(panel, service_id))
        else:
            raise RouteRefused("bad_member", token[:64])
    if len(members) < 2 or len(members) > MAX_MEMBERS:
        raise RouteRefused("member_count")
    return RouteSpec(name, policy, allow_loss, members)


async def define(db: Database, panels: PanelHub, spec: RouteSpec, *, actor: int) -> Route:
    """Check and save a route (replacing one of the same name); RouteRefused says what is wrong."""
    seen_panels: set[str] = set()
    services = []
    for member in spec.members:
        if member.panel not in panels.names:
            raise RouteRefused("unknown_panel", member.panel[:32])
        if member.panel in seen_panels:
            raise RouteRefused("panel_twice", member.panel[:32])
        seen_panels.add(member.panel)
        service = await catalogue_store.get_service(db.conn, member.panel, member.service_id)
        if service is None:
            raise RouteRefused("unknown_service", str(member)[:64])
        services.append(service)
    if len({s.type for s in services}) > 1:
        raise RouteRefused("mixed_types", ", ".join(f"{m}={s.type.value}" for m, s in zip(spec.members, services,
                                                                                        strict=True)))
    if max(s.min for s in services) > min(s.max for s in services):
        raise RouteRefused("no_overlap")
    async with db.transaction() as conn:
        for member in spec.members:
            other = await routes.route_of(conn, member.panel, member.service_id)
            if other is not None and other.name != spec.name:
                raise RouteRefused("in_other_route", f"{member} ({other.name})")
        await routes.save_route(conn, spec.name, spec.policy, spec.allow_loss, spec.members, actor)
        saved = await routes.by_name(conn, spec.name)
    assert saved is not None
    return saved


async def remove(db: Database, name: str) -> bool:
    """/route off <name>: False when there is no such route."""
    async with db.transaction() as conn:
        return await routes.delete_route(conn, name.lower())


async def all_routes(db: Database) -> list[Route]:
    """Every route, by name."""
    return await routes.all_routes(db.conn)


# ---- suggestions -------------------------------------------------------------------------

@dataclass(frozen=True)
class Suggestion:
    """A group of equivalent services on different panels, in panel configuration order."""

    key: str
    name: str
    offers: tuple[Offer, ...]

    @property
    def members(self) -> list[Member]:
        return [Member(o.panel, o.service_id) for o in self.offers]


def words(name: str) -> frozenset[str]:
    """The words of a service name, casefolded (any script)."""
    return frozenset(_WORD.findall(name.casefold()))


def similar(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared words ÷ all words (Jaccard)."""
    return len(a & b) / len(a | b) if a and b else 0.0


def _overlap(offers: list[Offer]) -> bool:
    return max(o.min for o in offers) <= min(o.max for o in offers)


def _slug(name: str, key: str, taken: set[str]) -> str:
    base = "-".join(_WORD.findall(name.casefold().encode("ascii", "ignore").decode()))[:24].strip("-") or "route"
    slug = base if NAME.fullmatch(base) and base not in RESERVED and base not in taken else f"{base[:19]}-{key[:4]}"
    return slug if NAME.fullmatch(slug) else f"r-{key[:8]}"


def group_offers(offers: list[Offer], panel_order: list[str]) -> list[list[Offer]]:
    """Greedy groups: each service of the first panels picks the most similar match on each later panel."""
    rank = {p: i for i, p in enumerate(panel_order)}
    offers = sorted((o for o in offers if o.panel in rank), key=lambda o: rank[o.panel])
    index: dict[tuple[str, str, str], list[Offer]] = defaultdict(list)  # (panel, type, word) -> offers
    names = {id(o): words(o.name) for o in offers}
    for offer in offers:
        for word in names[id(offer)]:
            index[(offer.panel, offer.type, word)].append(offer)
    for key in [k for k, found in index.items() if len(found) > COMMON_WORD]:
        del index[key]  # a word most services share ("instagram") finds nothing alike: keeps it fast
    used: set[int] = set()
    groups = []
    for offer in offers:
        if id(offer) in used:
            continue
        group = [offer]
        for panel in panel_order[rank[offer.panel] + 1:]:
            pool = {id(c): c for w in names[id(offer)] for c in index.get((panel, offer.type, w), ())}
            scored = [(similar(names[id(offer)], names[i]), c) for i, c in pool.items() if i not in used]
            scored = [(score, c) for score, c in scored if score >= SIMILARITY and _overlap([*group, c])]
            if scored:
                group.append(max(scored, key=lambda sc: sc[0])[1])
        if len(group) > 1:
            used.update(id(o) for o in group)
            groups.append(group)
    return groups


async def suggest(db: Database, panels: PanelHub, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """Groups to propose, each with a key for its Accept button and a free route name."""
    groups = group_offers(await routes.unrouted_offers(db.conn), panels.names)
    taken = {r.name for r in await routes.all_routes(db.conn)}
    found = []
    for group in groups[:limit]:
        key = hashlib.sha1(",".join(f"{o.panel}:{o.service_id}" for o in group).encode()).hexdigest()[:10]
        name = _slug(group[0].name, key, taken)
        taken.add(name)
        found.append(Suggestion(key, name, tuple(group)))
    return found


async def accept(db: Database, panels: PanelHub, key: str, *, actor: int) -> Route:
    """Save the suggestion with this key as a route (priority policy, no loss); RouteRefused('stale') when gone."""
    for suggestion in await suggest(db, panels, limit=10_000):
        if suggestion.key == key:
            return await define(db, panels, RouteSpec(suggestion.name, PRIORITY, False, suggestion.members),
                                actor=actor)
    raise RouteRefused("stale")


__all__ = ["CHEAPEST", "PRIORITY", "RouteRefused", "RouteSpec", "Suggestion", "accept", "all_routes", "define",
           "parse_spec", "remove", "suggest"]
