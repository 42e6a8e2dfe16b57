"""The WSGI entry point gunicorn serves: the application, and its garbage-collector tuning."""

from tests.env_settings import PRODUCTION_ENV, json_printed_by

GC_STATE = """
import gc, json
import cms.wsgi
print(json.dumps({
    "threshold": gc.get_threshold(),
    "frozen": gc.get_freeze_count(),
    "callable": callable(cms.wsgi.application),
}))
"""


def test_wsgi_application_loads_with_the_collector_tuned():
    state = json_printed_by(GC_STATE, PRODUCTION_ENV)

    assert state["callable"]
    # Young collections batched, older generations left at Python's defaults.
    assert state["threshold"] == [20_000, 10, 10]
    # Django, Wagtail and the URLconf were frozen out of later collections.
    assert state["frozen"] > 50_000
