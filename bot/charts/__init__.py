"""PNG charts for the operators (matplotlib, Agg backend: no display, no pyplot global state).

Rendering is CPU work: callers run it with asyncio.to_thread so the event loop never waits on it.
Each call builds its own Figure, so concurrent renders in threads share nothing. Money arrives
as integer minor units and is turned into floats here only to be drawn.
"""
