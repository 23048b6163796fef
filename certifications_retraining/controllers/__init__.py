from . import portal
from . import credential
