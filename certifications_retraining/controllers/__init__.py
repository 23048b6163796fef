from . import portal
from . import certification_import
from . import credential
