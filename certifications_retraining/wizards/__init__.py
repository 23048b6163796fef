from . import certification_program_delete
