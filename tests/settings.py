"""The settings the test suite runs with: the project's own (portal/settings.py), read with DEBUG on unless the
environment says otherwise, as `make run` reads them: the demo app installed, static files found where they lie,
cookies without Secure for the browser tests on http://. (During each test Django still runs with DEBUG off.)
Production's defaults are checked in tests/test_deployment.py, and the tests that run the production stack start
their processes with portal.settings and DEBUG off."""

import os

os.environ.setdefault("DEBUG", "true")
# The suite asks for many pages from one address; tests/test_rate_limits.py proves the 429 at low rates of its own.
os.environ.setdefault("SEARCH_RATE_LIMIT", "100000/min")
os.environ.setdefault("API_RATE_LIMIT", "100000/min")

from portal.settings import *  # noqa: F403
