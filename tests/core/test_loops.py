"""PerLoop: one object per running event loop, replaced once its task has ended."""

from __future__ import annotations

import asyncio

from tiski.core.loops import PerLoop


class Ticker:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.task: asyncio.Task[None] = loop.create_task(asyncio.sleep(3600))


async def test_the_same_object_until_its_task_ends_then_a_new_one() -> None:
    tickers: PerLoop[Ticker] = PerLoop(Ticker)
    first = tickers.get()
    assert tickers.get() is first
    first.task.cancel()
    await asyncio.sleep(0)
    second = tickers.get()
    assert second is not first and not second.task.done()
    assert tickers.pop() is second
    assert tickers.pop() is None
    second.task.cancel()


def test_each_loop_has_its_own_and_pop_outside_a_loop_is_none() -> None:
    tickers: PerLoop[Ticker] = PerLoop(Ticker)

    async def take() -> Ticker:
        ticker = tickers.get()
        ticker.task.cancel()
        return ticker

    assert asyncio.run(take()) is not asyncio.run(take())
    assert tickers.pop() is None
