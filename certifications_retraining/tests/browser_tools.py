# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Browser helpers for the tours: a browser in another timezone, and
screenshots of the page a tour ends on. Both act on Odoo's own
``ChromeBrowser`` through the Chrome DevTools protocol it already speaks."""

import base64
from contextlib import contextmanager
from unittest.mock import patch

from odoo.tests.common import ChromeBrowser


@contextmanager
def browser_timezone(timezone):
    """Tours started inside run in a browser whose clock is in ``timezone``
    (``Emulation.setTimezoneOverride``, set before the first page loads)."""
    navigate_to = ChromeBrowser.navigate_to

    def navigate_in_timezone(browser, url, wait_stop=False):
        browser._websocket_request(
            "Emulation.setTimezoneOverride", params={"timezoneId": timezone}
        )
        return navigate_to(browser, url, wait_stop=wait_stop)

    with patch.object(ChromeBrowser, "navigate_to", navigate_in_timezone):
        yield


@contextmanager
def capture_last_page(shots):
    """Tours started inside append a PNG (bytes) of the page they end on to
    ``shots``, taken just before the browser closes."""
    stop = ChromeBrowser.stop

    def stop_after_screenshot(browser):
        if browser.ws is not None:
            result = browser._websocket_request(
                "Page.captureScreenshot", params={"format": "png"}, timeout=30
            )
            if result and result.get("data"):
                shots.append(base64.b64decode(result["data"]))
        return stop(browser)

    with patch.object(ChromeBrowser, "stop", stop_after_screenshot):
        yield
