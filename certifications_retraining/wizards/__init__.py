from . import certification_program_delete
from . import certification_program_assign
from . import certification_program_grant
from . import certification_award_import
from . import certification_award_import_column
from . import certification_award_edit
from . import certification_consistency_check
from . import certification_consistency_check_line
