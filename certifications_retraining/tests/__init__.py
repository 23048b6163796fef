from . import test_install
from . import test_engine
from . import test_portal
from . import test_reporting
from . import test_reporting_tour
from . import test_expiry_notifications
from . import test_renew_link
