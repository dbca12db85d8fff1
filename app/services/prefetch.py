"""Read the next batch of a slow iterator in a background thread while the caller works on this one.

The sync job reads pages from a departmental system (network waits, JSON parsing) and writes
batches to the database (waits on the server). Overlapping the two keeps both busy:

    with Prefetched(lambda: connector.fetch_updates(since), batch_size=2000) as batches:
        for batch in batches:
            write(batch)

The iterator runs entirely in the thread; an error it raises is raised again in the caller, at
the point the failed batch would have come. Leaving the block early (an error while writing)
stops the thread and closes the iterator. At most `depth` batches wait in memory.
"""
from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator

_DONE = object()
_POLL_SECONDS = 0.1


class _Failure:
    __slots__ = ("error",)

    def __init__(self, error: BaseException):
        self.error = error


class Prefetched:
    def __init__(self, make_iterable: Callable[[], Iterable], *, batch_size: int, depth: int = 2,
                 name: str = "prefetch"):
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._make_iterable = make_iterable
        self._batch_size = batch_size
        self._queue: queue.Queue = queue.Queue(maxsize=max(1, depth))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._produce, name=name, daemon=True)
        self._started = False

    def __enter__(self) -> Prefetched:
        self._thread.start()
        self._started = True
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __iter__(self) -> Iterator[list]:
        if not self._started:
            raise RuntimeError("use Prefetched as a context manager")
        while True:
            item = self._queue.get()
            if item is _DONE:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield item

    def close(self, timeout: float = 30.0) -> None:
        self._stop.set()
        # Unblock a producer waiting for room in the queue.
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        if self._started:
            self._thread.join(timeout)

    def _put(self, item) -> bool:
        """Hand an item to the consumer; False when the consumer has gone."""
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def _produce(self) -> None:
        iterator = None
        try:
            iterator = iter(self._make_iterable())
            size = self._batch_size
            batch = []
            append = batch.append
            for item in iterator:
                append(item)
                if len(batch) >= size:
                    if not self._put(batch):
                        return
                    batch = []
                    append = batch.append
            if batch and not self._put(batch):
                return
            self._put(_DONE)
        except BaseException as error:  # handed to the consumer, which decides
            self._put(_Failure(error))
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                try:
                    close()
                except Exception:  # a generator failing to close must not hide the real outcome
                    pass
