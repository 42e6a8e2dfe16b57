"""The site survives its database connection dropping, and says so plainly while it is down.

Requests go through Django's WSGI handler (as under gunicorn, with the request signals
that open, check and close connections), from one long-lived worker thread whose
database connection persists between requests like a gunicorn worker's does with
`DATABASE_CONN_MAX_AGE` set. That thread's connection is its own, outside the test's
transaction, so it sees the migrated database (Wagtail's root page and default site)
and can be cut off without touching the test's connection.

What is correct and achievable:
- A dropped connection (PostgreSQL restarted, a proxy or firewall cutting idle
  connections, `pg_terminate_backend`) costs no request: with `CONN_HEALTH_CHECKS`
  Django checks a reused connection before the first query of each request and opens
  a new one. Without health checks the first request after the drop would fail (a 503
  page) and only the next would recover: tested too, as the reason for the setting.
- While the database refuses connections, visitors get the site's plain 503 page
  (`Retry-After`, not cached, no traceback) and API clients a JSON problem; the first
  request after it is back succeeds.
- SQLite has no server and no connection to drop, so the drop tests run on PostgreSQL.
"""

import io
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from unittest import mock, skipUnless

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection as test_connection
from django.db import connections
from django.test import TestCase

from tests.env_settings import PRODUCTION_ENV, settings_from_env

ON_POSTGRESQL = test_connection.vendor == "postgresql"
# Pages that query the database in their view: a page of the site and the API.
PAGE = "/sitemap.xml"
API = "/api/v2/pages/"


class Worker:
    """A thread serving requests one at a time, keeping its database connection."""

    def __init__(self, health_checks=True):
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.handler = WSGIHandler()
        self.run(self._persist, health_checks)

    def run(self, function, *args):
        return self.pool.submit(function, *args).result(timeout=60)

    def get(self, path):
        return self.run(self._get, path)

    def backend_pid(self):
        return self.run(lambda: connections["default"].connection.info.backend_pid)

    def stop(self):
        self.run(close_connection)
        self.pool.shutdown()

    @staticmethod
    def _persist(health_checks):
        # The worker's own connection settings: kept open between requests.
        db = connections["default"]
        db.settings_dict = {
            **db.settings_dict,
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": health_checks,
        }

    def _get(self, path):
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"] = int(status.split()[0])
            answer["headers"] = dict(headers)

        result = self.handler(wsgi_environ(path), start_response)
        try:
            answer["body"] = b"".join(result).decode()
        finally:
            result.close()  # request_finished: Django closes or keeps the connection
        return answer


def close_connection():
    # Looked up in the calling thread: each thread has its own connection.
    connections["default"].close()


def wsgi_environ(path):
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "localhost",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def terminate(pid):
    """Cut a backend off from the server side, as a database restart would."""
    with test_connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert cursor.fetchone()[0], "the backend was not terminated"


@contextmanager
def database_down(worker):
    """The database refuses every new connection (and, on PostgreSQL, drops the open one)."""
    if ON_POSTGRESQL:
        terminate(worker.backend_pid())
        target, method = "get_new_connection", "could not connect to server: Connection refused"
    else:
        target, method = "create_cursor", "unable to open database file"
    db_class = type(worker.run(lambda: connections["default"]))
    error = worker.run(lambda: connections["default"].Database.OperationalError)
    with mock.patch.object(db_class, target, side_effect=error(method)):
        yield


class ConnectionSettingsTests(TestCase):
    def test_health_checks_are_on_in_every_environment(self):
        self.assertTrue(settings.DATABASES["default"]["CONN_HEALTH_CHECKS"])
        production = settings_from_env(
            ["DATABASES"],
            {**PRODUCTION_ENV, "DATABASE_URL": "postgres://smop@db:5432/smop"},
        )
        self.assertTrue(production["DATABASES"]["default"]["CONN_HEALTH_CHECKS"])


@skipUnless(ON_POSTGRESQL, "a SQLite connection is a file in the process: nothing can drop it")
class DroppedConnectionTests(TestCase):
    def worker(self, **kwargs):
        worker = Worker(**kwargs)
        self.addCleanup(worker.stop)
        first = worker.get(API)
        self.assertEqual(first["status"], 200, first["body"][:300])
        return worker

    def test_the_first_request_after_a_drop_succeeds_on_a_new_connection(self):
        worker = self.worker()
        old_pid = worker.backend_pid()
        self.assertEqual(worker.get(PAGE)["status"], 200)
        self.assertEqual(worker.backend_pid(), old_pid, "the connection was not kept")
        terminate(old_pid)
        for path in (API, PAGE):
            with self.subTest(path=path):
                response = worker.get(path)
                self.assertEqual(response["status"], 200, response["body"][:300])
        self.assertNotEqual(worker.backend_pid(), old_pid)

    def test_without_health_checks_one_request_fails_cleanly_then_the_site_recovers(self):
        worker = self.worker(health_checks=False)
        terminate(worker.backend_pid())
        failed = worker.get(API)
        self.assertEqual(failed["status"], 503)
        self.assertNotIn("Traceback", failed["body"])
        self.assertEqual(worker.get(API)["status"], 200)


class DatabaseDownTests(TestCase):
    def setUp(self):
        self.worker = Worker()
        self.addCleanup(self.worker.stop)
        self.assertEqual(self.worker.get(PAGE)["status"], 200)

    def test_visitors_get_a_plain_503_page_and_the_site_recovers(self):
        with database_down(self.worker):
            response = self.worker.get(PAGE)
        self.assertEqual(response["status"], 503)
        self.assertEqual(response["headers"]["Retry-After"], "30")
        self.assertIn("no-store", response["headers"]["Cache-Control"])
        self.assertIn("text/html", response["headers"]["Content-Type"])
        self.assertIn("The site is briefly unavailable", response["body"])
        for detail in ("Traceback", "OperationalError", "unable to open", "could not connect"):
            self.assertNotIn(detail, response["body"])
        self.assertEqual(self.worker.get(PAGE)["status"], 200)

    def test_api_clients_get_a_json_problem(self):
        with database_down(self.worker):
            response = self.worker.get(API)
        self.assertEqual(response["status"], 503)
        self.assertEqual(response["headers"]["Content-Type"], "application/problem+json")
        self.assertIn('"status": 503', response["body"])
        self.assertNotIn("Traceback", response["body"])
        self.assertEqual(self.worker.get(API)["status"], 200)
