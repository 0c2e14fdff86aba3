"""A bounded writer: posts comments through the real form endpoint at a steady rate.

    python bench/writer.py URL THREAD_ID --rate 50 --seconds 11 --parents 1,2,3

Gets a CSRF token and cookie the way a browser without JavaScript does (the
reply form page, which is never cached), then posts `rate` comments a second
for `seconds` from a few keep-alive connections, a third of them replies,
each body unique. Stops by itself; prints one line `WRITER-JSON {...}`.
"""

import argparse
import http.client
import http.cookies
import json
import random
import re
import threading
import time
import urllib.parse

CONNECTIONS = 10
TOKEN_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def varied_text(rng: random.Random) -> str:
    """Markdown that differs from every other post (the intake refuses near duplicates)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = [
        rng.choice(["tram", "*ferry*", "quay", "vote", "rent", "**council**", "budget"])
        if rng.random() < 0.4
        else "".join(rng.choices(letters, k=rng.randint(3, 9)))
        for _ in range(rng.randint(10, 60))
    ]
    return " ".join(words).capitalize() + "."


def csrf(host: str, port: int, form_path: str) -> tuple[str, str]:
    """(form token, Cookie header) from a page with a form."""
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", form_path)
    response = conn.getresponse()
    page = response.read().decode()
    jar = http.cookies.SimpleCookie()
    for value in response.headers.get_all("Set-Cookie") or []:
        jar.load(value)
    conn.close()
    match = TOKEN_FIELD.search(page)
    if response.status != 200 or not match or "csrftoken" not in jar:
        raise SystemExit(f"No CSRF token at {form_path} ({response.status})")
    cookie = "; ".join(f"{k}={m.value}" for k, m in jar.items())
    return match.group(1), cookie


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("thread", type=int)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--parents", default="")
    args = parser.parse_args()
    parts = urllib.parse.urlsplit(args.url)
    host, port = parts.hostname, parts.port or 80
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit("The writer only posts to this machine.")
    parents = [int(p) for p in args.parents.split(",") if p]
    token, cookie = csrf(host, port, f"/comments/{parents[0]}/reply/")
    total = int(args.rate * args.seconds)
    started = time.monotonic() + 0.2
    counts = {"acknowledged": 0, "refused": 0, "errors": 0, "late": 0}
    lock = threading.Lock()

    def post(worker: int) -> None:
        rng = random.Random(worker)
        conn = http.client.HTTPConnection(host, port, timeout=30)
        for n in range(worker, total, CONNECTIONS):
            due = started + n / args.rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            elif delay < -0.5:
                with lock:
                    counts["late"] += 1
            fields = {"body": f"{varied_text(rng)} (writer {worker}-{n})", "name": "Bench Writer"}
            fields["csrfmiddlewaretoken"] = token
            if parents and rng.random() < 0.3:
                fields["parent"] = str(rng.choice(parents))
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
            try:
                conn.request(
                    "POST",
                    f"/threads/{args.thread}/comments/",
                    body=urllib.parse.urlencode(fields),
                    headers=headers,
                )
                response = conn.getresponse()
                response.read()
                key = "acknowledged" if response.status in (201, 303) else "refused"
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
                key = "errors"
            with lock:
                counts[key] += 1
        conn.close()

    workers = [threading.Thread(target=post, args=(w,)) for w in range(CONNECTIONS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    print(
        "WRITER-JSON "
        + json.dumps({**counts, "sent": total, "seconds": elapsed, "rate": total / elapsed}),
        flush=True,
    )


if __name__ == "__main__":
    main()
