from . import test_install
from . import test_engine
from . import test_award_import
from . import test_program_grant
from . import test_ui_award_import
