"""The users of bench/peak_evening.py (locust imports this file; it needs no Django).

PEAK_PLAN names a JSON file: {"cookie": name, "notice": id, "guardians": [session, …], "logins": [phone, …],
"password": …, "teachers": [[session, receipts path], …]}. Each simulated guardian takes the next session (or, for
one in LOGIN_EVERY, logs in on the login page first), then opens the inbox, opens and confirms the notice and opens
the home page, with think time; head teachers reload the receipts page; a few users time the trivial view /ping
in the same run."""

from __future__ import annotations

import itertools
import json
import os
import re

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["PEAK_PLAN"], encoding="utf-8").read())
SESSIONS = itertools.cycle(PLAN["guardians"])
LOGINS = itertools.cycle(PLAN["logins"])
TEACHERS = itertools.cycle(PLAN["teachers"])
COUNTER = itertools.count()
LOGIN_EVERY = 10  # one simulated guardian in ten logs in with a password
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Guardian(HttpUser):
    weight = 20
    wait_time = between(2, 8)

    def on_start(self) -> None:
        self.notice = PLAN["notice"]
        if next(COUNTER) % LOGIN_EVERY == 0:
            page = self.client.get("/login/", name="login page")
            found = TOKEN.search(page.text)
            self.client.post("/login/", name="login", allow_redirects=False, headers={"Referer": self.host + "/login/"},
                             data={"phone": next(LOGINS), "password": PLAN["password"],
                                   "csrfmiddlewaretoken": found.group(1) if found else ""})  # fmt: skip
        else:
            self.client.cookies.set(PLAN["cookie"], next(SESSIONS))

    @task
    def evening(self) -> None:
        inbox = self.client.get("/notices/", name="inbox")
        if f"/notices/{self.notice}/" not in inbox.text:
            return  # the fan-out has not reached this family yet: it opens the notice on a later visit
        page = self.client.get(f"/notices/{self.notice}/", name="notice")
        found = TOKEN.search(page.text)
        self.client.post(f"/notices/{self.notice}/respond/", name="confirm", allow_redirects=False,
                         headers={"Referer": self.host + f"/notices/{self.notice}/"},
                         data={"csrfmiddlewaretoken": found.group(1) if found else ""})  # fmt: skip
        self.client.get("/", name="home")


class HeadTeacher(HttpUser):
    weight = 1
    wait_time = between(3, 6)

    def on_start(self) -> None:
        session, self.receipts = next(TEACHERS)
        self.client.cookies.set(PLAN["cookie"], session)

    @task
    def watch(self) -> None:
        self.client.get(self.receipts, name="receipts")


class Trivial(HttpUser):
    weight = 1
    wait_time = between(0.5, 1)

    @task
    def ping(self) -> None:
        self.client.get("/ping", name="ping")
