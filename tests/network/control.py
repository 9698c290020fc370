"""The test's eyes and hands at the server, run beside the simulator in its namespace.

`python -m tests.network.control SIM_URL` (such as `http://10.213.7.1:8000/sim`) reads
`GET SIM_URL/state` every 50 ms over the server's own loopback, never over the degraded
link, and prints its agents as one JSON line, `{"agents": [...]}`, whenever they change:
the server's truth as it happens. Each line on stdin, `{"path": "/callers", "body":
{...}}`, is POSTed to SIM_URL + path and answered with `{"reply": {"status": ...,
"body": ...}}`. The end of stdin ends it, and so does a failure to read the truth.
"""

import asyncio
import json
import sys
from typing import Any

import aiohttp

POLL = 0.05


async def _watch_truth(http: aiohttp.ClientSession, url: str) -> None:
    last = None
    while True:
        async with http.get(f"{url}/state") as response:
            agents = (await response.json())["agents"]
        if agents != last:
            last = agents
            _say({"agents": agents})
        await asyncio.sleep(POLL)


async def _carry_out(http: aiohttp.ClientSession, url: str, requests: asyncio.StreamReader) -> None:
    async for line in requests:
        request = json.loads(line)
        body = request.get("body", {})
        async with http.post(f"{url}{request['path']}", json=body) as response:
            _say({"reply": {"status": response.status, "body": await response.json()}})


def _say(message: dict[str, Any]) -> None:
    print(json.dumps(message, sort_keys=True), flush=True)


async def main(url: str) -> None:
    loop = asyncio.get_running_loop()
    requests = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(requests), sys.stdin)
    async with aiohttp.ClientSession() as http:
        tasks = {
            asyncio.create_task(_watch_truth(http, url)),
            asyncio.create_task(_carry_out(http, url, requests)),
        }
        done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        for task in done:
            task.result()  # a failure to read the truth ends the control loudly


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
