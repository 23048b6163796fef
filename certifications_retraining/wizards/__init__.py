from . import certification_program_delete
from . import certification_program_assign
