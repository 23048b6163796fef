# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""``make load``: the traffic Locust sends to Odoo (headless, run by
tools/load.py with ``LOAD_DATA`` naming the json the seed wrote).

- ``Learner``: a logged-in portal learner on Odoo's own ``/my`` and a course
  page ``/slides/<course>`` and on ours: ``/my/certifications``, an award's
  page, its PDF, its credential (``.jwt``);
- ``Verifier``: anonymous, on the verification page, the status list, JWKS,
  issuer profile and the credential ``.jwt`` / ``.json``;
- ``Completer``: once ``LOAD_GO`` exists (the import job is queued and the
  expiry cron due), learners finishing the last slide of a course one after
  the other: each opens the slide (Odoo's page, which counts the view) and
  then marks it completed; ``learner-to-award`` is the time from sending the
  completion
  until ``/my/certifications`` lists the certification it earns. Each
  completion is also written to ``LOAD_COMPLETIONS`` (json lines).
"""

import json
import os
import random
import re
import time

import gevent
from locust import HttpUser, between, events, task

with open(os.environ["LOAD_DATA"]) as data_file:
    DATA = json.load(data_file)
TIMEOUT = float(os.environ.get("LOAD_TIMEOUT", "60"))
COMPLETERS = list(DATA["completers"])
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def login(client, login_name):
    page = client.get("/web/login", name="/web/login", timeout=TIMEOUT)
    token = CSRF.search(page.text)
    with client.post(
        "/web/login",
        data={
            "login": login_name,
            "password": DATA["password"],
            "csrf_token": token.group(1) if token else "",
            "redirect": "/my",
        },
        name="/web/login (POST)",
        timeout=TIMEOUT,
        catch_response=True,
    ) as response:
        if "/web/login" in response.url:
            response.failure(f"login of {login_name} refused")


class Learner(HttpUser):
    weight = 3
    wait_time = between(0.2, 1.0)

    def on_start(self):
        self.learner = random.choice(DATA["learners"])
        login(self.client, self.learner["login"])

    def get(self, path, name):
        """A page of a logged-in learner: sent to the login page instead (the
        session was logged out) is an error, then the learner logs in again."""
        with self.client.get(
            path, name=name, timeout=TIMEOUT, catch_response=True
        ) as response:
            if "/web/login" in response.url:
                response.failure("logged out: redirected to /web/login")
                logged_out = True
            else:
                logged_out = False
        if logged_out:
            login(self.client, self.learner["login"])

    @task(4)
    def my_home(self):
        self.get("/my", "/my (Odoo)")

    @task(4)
    def course_page(self):
        self.get(DATA["course_url"], "/slides/<course> (Odoo)")

    @task(4)
    def my_certifications(self):
        self.get("/my/certifications", "/my/certifications")

    @task(4)
    def award_page(self):
        self.get(
            f"/my/certifications/{self.learner['award']}", "/my/certifications/<id>"
        )

    @task(1)
    def award_pdf(self):
        self.get(
            f"/my/certifications/{self.learner['award']}?report_type=pdf",
            "/my/certifications/<id>?report_type=pdf",
        )

    @task(2)
    def own_credential(self):
        self.get(
            f"/certifications/credential/{self.learner['token']}.jwt?download=1",
            "/certifications/credential/<token>.jwt (learner)",
        )


class Verifier(HttpUser):
    weight = 3
    wait_time = between(0.2, 1.0)

    def get(self, path, name, **kwargs):
        self.client.get(path, name=name, timeout=TIMEOUT, **kwargs)

    @task(4)
    def verify(self):
        token = random.choice(DATA["tokens"])
        self.get(f"/certifications/verify/{token}", "/certifications/verify/<token>")

    @task(3)
    def status_list(self):
        company = random.choice(DATA["companies"])
        self.get(
            f"/certifications/status/{company}", "/certifications/status/<company>"
        )

    @task(2)
    def jwks(self):
        company = random.choice(DATA["companies"])
        self.get(
            f"/certifications/issuer/{company}/jwks.json",
            "/certifications/issuer/<company>/jwks.json",
        )

    @task(2)
    def issuer(self):
        company = random.choice(DATA["companies"])
        self.get(
            f"/certifications/issuer/{company}", "/certifications/issuer/<company>"
        )

    @task(2)
    def credential_jwt(self):
        token = random.choice(DATA["tokens"])
        self.get(
            f"/certifications/credential/{token}.jwt",
            "/certifications/credential/<token>.jwt",
        )

    @task(2)
    def credential_json(self):
        token = random.choice(DATA["tokens"])
        self.get(
            f"/certifications/credential/{token}.json",
            "/certifications/credential/<token>.json",
        )


class Completer(HttpUser):
    fixed_count = int(os.environ.get("LOAD_COMPLETER_USERS", "4"))
    wait_time = between(0.5, 1.5)

    @task
    def finish_course(self):
        if not COMPLETERS:
            gevent.sleep(5)
            return
        login_name = COMPLETERS.pop()
        self.client.cookies.clear()
        login(self.client, login_name)
        # logged in: now wait for the import and the cron to be under way
        while not os.path.exists(os.environ["LOAD_GO"]):
            gevent.sleep(0.2)
        # as in the browser: the learner opens the slide (Odoo's page, which
        # records the view and moves the slide's view counters) and then
        # marks it completed; learner-to-award starts with the completion
        self.client.get(
            DATA["last_slide_url"], name="/slides/slide/<slide> (Odoo)", timeout=TIMEOUT
        )
        gevent.sleep(random.uniform(0.5, 1.5))  # reading it
        start = time.time()
        sent = time.perf_counter()
        self.client.post(
            "/slides/slide/set_completed",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"slide_id": DATA["last_slide"]},
            },
            name="/slides/slide/set_completed (Odoo)",
            timeout=TIMEOUT,
        )
        seen = False
        while time.perf_counter() - sent < TIMEOUT:
            page = self.client.get(
                "/my/certifications", name="/my/certifications", timeout=TIMEOUT
            )
            if DATA["course_certification"] in page.text:
                seen = True
                break
            gevent.sleep(0.1)
        elapsed = (time.perf_counter() - sent) * 1000
        events.request.fire(
            request_type="AWARD",
            name="learner-to-award",
            response_time=elapsed,
            response_length=0,
            exception=None if seen else Exception("no award"),
            context={},
        )
        with open(os.environ["LOAD_COMPLETIONS"], "a") as out:
            out.write(
                json.dumps(
                    {"login": login_name, "start": start, "ms": elapsed, "seen": seen}
                )
                + "\n"
            )
