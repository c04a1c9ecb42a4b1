"""The sync pipeline without a homeserver: rooms side by side and each in order, and the sync
token stored only when its batch and every earlier one are handled (nothing seen is lost)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from bot.platforms.matrix import pipeline as pipeline_module
from bot.platforms.matrix.pipeline import Pipeline


class Store:
    def __init__(self) -> None:
        self.tokens: list[str] = []
        self.batches = 0

    async def save(self, token: str) -> None:
        self.tokens.append(token)

    async def saved(self, batches: int) -> None:
        self.batches += batches


async def _until(condition: Callable[[], bool], limit: float = 5.0) -> None:
    """A bounded wait for a condition that the pipeline's tasks make true."""
    async with asyncio.timeout(limit):
        while not condition():  # noqa: ASYNC110 - the tasks under test signal nothing else
            await asyncio.sleep(0)


async def test_rooms_run_side_by_side_each_in_order() -> None:
    store = Store()
    pipe = Pipeline(store.save, store.saved, concurrency=4)
    gate = asyncio.Event()
    done: list[str] = []

    def work(label: str, wait: bool = False) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            if wait:
                await gate.wait()
            done.append(label)
        return run

    batch = pipe.open("t1")
    pipe.put(batch, "!a", work("a1", wait=True))
    pipe.put(batch, "!a", work("a2"))
    pipe.put(batch, "!b", work("b1"))
    pipe.seal(batch)
    await _until(lambda: "b1" in done)
    assert done == ["b1"]  # room b is not held up by room a's slow first item
    assert store.tokens == []  # a1 and a2 are not done: t1 is not stored
    gate.set()
    await _until(lambda: store.tokens == ["t1"])
    assert done == ["b1", "a1", "a2"] and store.batches == 1


async def test_a_later_batch_done_first_waits_for_the_earlier_one() -> None:
    store = Store()
    pipe = Pipeline(store.save, store.saved)
    gate = asyncio.Event()

    async def slow() -> None:
        await gate.wait()

    async def quick() -> None:
        return None

    first = pipe.open("t1")
    pipe.put(first, "!a", slow)
    pipe.seal(first)
    second = pipe.open("t2")
    pipe.put(second, "!b", quick)
    pipe.seal(second)
    await _until(lambda: pipe.backlog == 1)
    await asyncio.sleep(0.01)
    assert store.tokens == []  # t2 is handled, but t1 is not: a crash must re-deliver t1
    gate.set()
    await _until(lambda: store.batches == 2)
    assert store.tokens[-1] == "t2"


async def test_failed_work_is_tried_again_and_holds_its_room(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline_module, "RETRY_FIRST_S", 0.0)
    store = Store()
    pipe = Pipeline(store.save, store.saved)
    calls: list[str] = []

    async def flaky() -> None:
        calls.append("flaky")
        if calls.count("flaky") < 3:
            raise RuntimeError("the database is away")

    async def after() -> None:
        calls.append("after")

    batch = pipe.open("t1")
    pipe.put(batch, "!a", flaky)
    pipe.put(batch, "!a", after)
    pipe.seal(batch)
    await _until(lambda: store.tokens == ["t1"])
    assert calls == ["flaky", "flaky", "flaky", "after"]


async def test_a_batch_not_queued_whole_moves_no_token() -> None:
    store = Store()
    pipe = Pipeline(store.save, store.saved)
    batch = pipe.open("t1")
    batch.token = None  # its back-fill failed: it is fetched again
    pipe.seal(batch)
    await pipe.close(grace=1.0)
    assert store.tokens == []


async def test_close_stores_what_is_done_and_leaves_the_rest() -> None:
    store = Store()
    pipe = Pipeline(store.save, store.saved)
    never = asyncio.Event()

    async def stuck() -> None:
        await never.wait()

    async def quick() -> None:
        return None

    first = pipe.open("t1")
    pipe.put(first, "!a", quick)
    pipe.seal(first)
    second = pipe.open("t2")
    pipe.put(second, "!a", stuck)
    pipe.seal(second)
    await _until(lambda: pipe.backlog == 1)
    await pipe.close(grace=0.1)
    assert store.tokens and store.tokens[-1] == "t1"  # t2 comes again after the restart
