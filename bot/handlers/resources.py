"""resurs, resurser: needs, offers, matches and the forum's priorities (issue 15).

Who may do what (DOMAIN.md: each actor decides over its own resources; the forum directs):
- `resurs behov|erbjud`: any called participant, for the speaker's own actor;
- `resurs matcha`: the chair, Länsstyrelsen, or the actor whose offer it is;
- `resurs levererad|avböj`: the offering actor; `resurs återkalla`: the item's own actor;
- `resurs prioritera`: any called participant, as a decision of direction of the forum
  (like `beslut`); `resurser`: any called participant.
Every change is a timeline entry; refusals change nothing.
"""

from __future__ import annotations

from bot.domain.errors import Conflict, Forbidden, NotFound
from bot.domain.record import Activation, Decision, EntryKind
from bot.domain.resources import (
    Priority,
    Resource,
    ResourceKind,
    ResourceState,
    check_pair,
    pair_gaps,
    plan_change,
)
from bot.grammar.commands import (
    ResourceChange,
    ResourceEntry,
    ResourceMatch,
    ResourcePrioritise,
    Resources,
)
from bot.grammar.resources import complete_resource, same_resource
from bot.handlers.context import Ctx
from bot.handlers.types import Reply
from bot.texts import t
from bot.texts.markup import inline, plain
from bot.texts.schedule import when

_OPEN = ResourceState.OPEN


def playbook_resources(ctx: Ctx, act: Activation) -> list[str]:
    """The typical resources the activation's scenario names (empty without one)."""
    scenario = ctx.roster.scenarios_by_key.get(act.scenario or "")
    return list(scenario.resources) if scenario else []


async def entry(ctx: Ctx, body: ResourceEntry) -> Reply:
    """`resurs behov|erbjud`: a new open item of the speaker's actor, numbered in the event's
    series; the resource word completes to the scenario's typical resources."""
    act = ctx.need_activation()
    row = await ctx.as_participant()
    number = await ctx.uow.resources.next_number(act.event_id)
    item = await ctx.uow.resources.add(Resource(
        id=None, event_id=act.event_id, activation_id=act.id, number=number, kind=body.kind,
        actor=row.actor, person=ctx.person, function=row.function,
        what=complete_resource(body.what, playbook_resources(ctx, act), body.count),
        count=body.count,
        spec=body.spec, place=body.place, purpose=body.purpose, due=body.due,
        state=ResourceState.OPEN, created_at=ctx.now, changed_at=ctx.now, changed_by=ctx.person,
    ))
    actor = ctx.actor_name(row.actor)
    await ctx.log(EntryKind.RESOURCE,  # the timeline holds text; it is escaped when shown
                  plain(ctx.t("log.resource_new", kind=_kind(ctx, item).capitalize(), n=number,
                              actor=actor, what=describe(ctx, item))),
                  function=row.function, actor=row.actor, data=_data(item))
    code = "resource.need_done" if item.kind is ResourceKind.NEED else "resource.offer_done"
    return ctx.reply(code, n=number, actor=actor, what=describe(ctx, item), id=act.id)


async def match(ctx: Ctx, body: ResourceMatch) -> Reply:
    """`resurs matcha`: an open need and an open offer become a matched pair (by the chair,
    Länsstyrelsen or the offering actor). Refusals: `resource.unknown`, `resource.not_a_pair`,
    `resource.auth_match`, `resource.final`, `resource.already_matched`."""
    act = ctx.need_activation()
    row = await ctx.as_participant()
    first, second = await _item(ctx, act, body.first), await _item(ctx, act, body.second)
    if first.kind is second.kind:
        raise Conflict("resource.not_a_pair", first=_name(ctx, first).capitalize(),
                       second=_name(ctx, second))
    offer = first if first.kind is ResourceKind.OFFER else second
    if not (await ctx.is_convener_side(row) or offer.actor in await _my_actors(ctx)):
        raise Forbidden("resource.auth_match", chair=ctx.label(act.chair), n=offer.number,
                        actor=ctx.actor_name(offer.actor))
    need, offer = check_pair(first, second)
    for item, partner in ((need, offer), (offer, need)):
        _set(ctx, item, ResourceState.MATCHED, partner.number)
        await ctx.uow.resources.update(item)
    text = ctx.t("log.resource_matched", need=need.number, offer=offer.number,
                 what=f"{ctx.actor_name(offer.actor)} → {ctx.actor_name(need.actor)}, "
                      f"{describe(ctx, offer)}")
    await ctx.log(EntryKind.RESOURCE, plain(text), function=row.function, actor=row.actor,
                  data={"resource": need.number, "partner": offer.number, "state": "matchad"})
    await _tell_other_rooms(ctx, [need, offer], text)
    answer = ctx.t("resource.matched", need=need.number, offer=offer.number,
                   need_actor=ctx.actor_name(need.actor),
                   offer_actor=ctx.actor_name(offer.actor))
    notes = [ctx.t(code, need=need.number, offer=offer.number, need_what=inline(need.what),
                   offer_what=inline(offer.what), need_count=need.count,
                   offer_count=offer.count)
             for code in pair_gaps(need, offer)]
    return ctx.reply_text(" ".join([answer, *notes]))


async def change(ctx: Ctx, body: ResourceChange) -> Reply:
    """levererad (the pair), avböj (an offer; its need opens again), återkalla (own item;
    a matched partner opens again)."""
    act = ctx.need_activation()
    row = await ctx.as_participant()
    item = await _item(ctx, act, body.number)
    partner = await ctx.uow.resources.get(act.event_id, item.partner) if item.partner else None
    change = plan_change(item, partner, body.to)
    await _check_own(ctx, change.owner)
    for changed, state in change.moves:
        _set(ctx, changed, state, changed.partner if state is not ResourceState.OPEN else None)
        await ctx.uow.resources.update(changed)
    main, *rest = change.moves
    also = "".join(ctx.t("resource.also", what=_kind(ctx, c), m=c.number, state=_state(ctx, s))
                   for c, s in rest)
    text = ctx.t("log.resource_changed", kind=_kind(ctx, main[0]).capitalize(),
                 n=main[0].number, actor=ctx.actor_name(main[0].actor),
                 what=describe(ctx, main[0]), state=_state(ctx, main[1]), also=also)
    await ctx.log(EntryKind.RESOURCE, plain(text), function=row.function, actor=row.actor,
                  data=_data(main[0]))
    await _tell_other_rooms(ctx, [c for c, _s in change.moves], text)
    return ctx.reply("resource.changed", kind=_kind(ctx, main[0]).capitalize(),
                     n=main[0].number, state=_state(ctx, main[1]), also=also,
                     id=act.id)


async def prioritise(ctx: Ctx, body: ResourcePrioritise) -> Reply:
    """The forum's direction on a scarce resource: a decision of direction (numbered with the
    event's decisions) linked to the needs of that resource that are not withdrawn."""
    act = ctx.need_activation()
    row = await ctx.as_participant()
    what = complete_resource(body.what, playbook_resources(ctx, act))
    needs = [i.number for i in await ctx.uow.resources.of_event(act.event_id)
             if i.kind is ResourceKind.NEED and i.state is not ResourceState.WITHDRAWN
             and same_resource(i.what, what)]
    rank = t("sv", "resource.rank", rank=body.rank) if body.rank else ""
    text = t("sv", "resource.priority_text", what=what[:1].upper() + what[1:], to=body.to,
             rank=rank)
    number = len(await ctx.uow.decisions.of_event(act.event_id)) + 1
    await ctx.uow.decisions.add(Decision(
        id=None, event_id=act.event_id, activation_id=act.id, forum=act.forum, number=number,
        text=text, person=ctx.person, function=row.function, created_at=ctx.now))
    await ctx.uow.resources.add_priority(Priority(
        id=None, event_id=act.event_id, activation_id=act.id, decision=number, what=what,
        to=body.to, rank=body.rank, person=ctx.person, function=row.function,
        created_at=ctx.now, needs=needs))
    forum = ctx.roster.forum(act.forum).name
    await ctx.log(EntryKind.DECISION, ctx.t("log.decision", n=number, forum=forum, text=text),
                  function=row.function, actor=row.actor,
                  data={"number": number, "priority": {"what": what, "to": body.to,
                                                       "rank": body.rank, "needs": needs}})
    shown = ", ".join(str(n) for n in needs) or ctx.t("resources.none")
    return ctx.reply("resource.prioritised", n=number, forum=forum, id=act.id, text=text,
                     needs=shown)


async def listing(ctx: Ctx, body: Resources) -> Reply:
    """`resurser`, for any called participant (also after the activation is closed)."""
    act = ctx.need_activation()
    await ctx.as_participant()
    return Reply(await resource_listing(ctx, act), lang=ctx.lang, activation_id=act.id)


# -- what people read ---------------------------------------------------------------------
def describe(ctx: Ctx, item: Resource) -> str:
    """'4 bandvagnar för hemtjänst i Norrtälje, senast 18:00' in the speaker's language."""
    text = " ".join([inline(item.quantity()),  # what people typed stays text (markup.py)
                     *([ctx.t("resources.purpose", purpose=inline(item.purpose))]
                       if item.purpose else []),
                     *([ctx.t("resources.place", place=inline(item.place))]
                       if item.place else [])])
    if item.due is not None:
        code = "resources.by" if item.kind is ResourceKind.NEED else "resources.available"
        text += ", " + ctx.t(code, at=when(ctx.lang, item.due, ctx.tz, ctx.now))
    return text


def _line(ctx: Ctx, item: Resource, *, state: bool = False) -> str:
    line = f"- {_name(ctx, item)} — **{ctx.actor_name(item.actor)}**: {describe(ctx, item)}"
    if state:
        other = ResourceKind.OFFER if item.kind is ResourceKind.NEED else ResourceKind.NEED
        line += f" — {_state(ctx, item.state)}"
        if item.partner is not None:
            line += f" ({_kind_name(ctx, other)} {item.partner})"
    return line


def _priority_line(ctx: Ctx, p: Priority) -> str:
    needs = ", ".join(f"{ctx.t('resources.need')} {n}" for n in p.needs)
    rank = ctx.t("resource.rank", rank=p.rank) if p.rank else ""
    return ctx.t("resources.priority", n=p.decision, what=inline(p.what), to=inline(p.to),
                 rank=rank,
                 needs=needs or ctx.t("resources.no_needs"))


async def resource_listing(ctx: Ctx, act: Activation) -> str:
    """`resurser`: open needs, open offers, matched pairs, priorities, closed items."""
    items = await ctx.uow.resources.of_event(act.event_id)
    priorities = await ctx.uow.resources.priorities(act.event_id)
    mark = ctx.t("exercise.mark") if act.exercise else ""
    lines = [ctx.t("resources.header", mark=mark, id=act.id, title=inline(act.title),
                   at=ctx.local(ctx.now, date=True))]
    if not items and not priorities:
        return "\n".join([*lines, ctx.t("resources.empty")])
    by_number = {i.number: i for i in items}
    pairs = [(n, by_number[n.partner]) for n in items if n.kind is ResourceKind.NEED
             and n.partner in by_number and n.state is not ResourceState.OPEN
             and by_number[n.partner].partner == n.number]
    sections = [
        ("resources.open_needs", [_line(ctx, i) for i in items
                                  if i.kind is ResourceKind.NEED and i.state is _OPEN]),
        ("resources.open_offers", [_line(ctx, i) for i in items
                                   if i.kind is ResourceKind.OFFER and i.state is _OPEN]),
        ("resources.pairs", [ctx.t("resources.pair", need=n.number, offer=o.number,
                                   need_actor=ctx.actor_name(n.actor), need_what=describe(ctx, n),
                                   offer_actor=ctx.actor_name(o.actor),
                                   offer_what=describe(ctx, o), state=_state(ctx, o.state))
                             for n, o in pairs]),
        ("resources.priorities", [_priority_line(ctx, p) for p in priorities]),
        ("resources.closed", [_line(ctx, i, state=True) for i in items
                              if i.state in (ResourceState.DECLINED, ResourceState.WITHDRAWN)]),
    ]
    for code, found in sections:
        if found:
            lines += [ctx.t(code, n=len(found)), *found]
    return "\n".join(lines)


async def picture_section(ctx: Ctx, act: Activation) -> list[str]:
    """The lägesbild's short resource line: open needs by actor, unmatched offers."""
    items = await ctx.uow.resources.of_event(act.event_id)
    if not items:
        return []

    def by_actor(kind: ResourceKind) -> str:
        grouped: dict[str, list[str]] = {}
        for i in items:
            if i.kind is kind and i.state is _OPEN:
                grouped.setdefault(ctx.actor_name(i.actor), []).append(
                    f"{i.quantity()} ({i.number})")
        return "; ".join(f"{a}: {', '.join(w)}" for a, w in grouped.items()) or ctx.t(
            "resources.none")

    return [ctx.t("resources.picture", needs=by_actor(ResourceKind.NEED),
                  offers=by_actor(ResourceKind.OFFER))]


async def protocol_section(ctx: Ctx, act: Activation) -> list[str]:
    """The protocol's resource section: every item with its state, then the priorities."""
    items = await ctx.uow.resources.of_event(act.event_id)
    priorities = await ctx.uow.resources.priorities(act.event_id)
    lines = [ctx.t("protocol.resources")]
    lines += [_line(ctx, i, state=True) for i in items]
    lines += [_priority_line(ctx, p) for p in priorities]
    return lines if len(lines) > 1 else [*lines, ctx.t("protocol.none")]

# -- helpers -------------------------------------------------------------------------------
async def _item(ctx: Ctx, act: Activation, number: int) -> Resource:
    item = await ctx.uow.resources.get(act.event_id, number)
    if item is None:
        known = [i.number for i in await ctx.uow.resources.of_event(act.event_id)]
        raise NotFound("resource.unknown", n=number,
                       known=", ".join(map(str, known)) or t(ctx.speaker_lang, "resources.none"))
    return item


async def _my_actors(ctx: Ctx) -> set[str]:
    return {r.actor for r in await ctx.my_rows()}


async def _tell_other_rooms(ctx: Ctx, items: list[Resource], text: str) -> None:
    """A change made in one forum's room is posted in the (active) rooms where the items
    were recorded, so the actors there see it without reading the other room."""
    here = ctx.need_activation().id
    for activation_id in dict.fromkeys(i.activation_id for i in items if i.activation_id != here):
        other = await ctx.uow.activations.get(activation_id)
        if other is not None and other.is_active:
            ctx.post_war_room(ctx.t("resource.elsewhere", text=text, id=here), activation_id)


async def _check_own(ctx: Ctx, item: Resource) -> None:
    if item.actor not in await _my_actors(ctx):
        raise Forbidden("resource.not_yours", n=item.number, actor=ctx.actor_name(item.actor))


def _set(ctx: Ctx, item: Resource, state: ResourceState, partner: int | None) -> None:
    item.state, item.partner = state, partner
    item.changed_at, item.changed_by = ctx.now, ctx.person


def _kind(ctx: Ctx, item: Resource) -> str:
    return _kind_name(ctx, item.kind)


def _kind_name(ctx: Ctx, kind: ResourceKind) -> str:
    return ctx.t("resources.need" if kind is ResourceKind.NEED else "resources.offer")


def _state(ctx: Ctx, state: ResourceState) -> str:
    return ctx.t(f"resources.state.{state.name.lower()}")


def _name(ctx: Ctx, item: Resource) -> str:
    return f"{_kind(ctx, item)} {item.number}"


def _data(item: Resource) -> dict[str, object]:
    return {"resource": item.number, "kind": item.kind.value, "state": item.state.value,
            "partner": item.partner}
