from . import certification_award_report
from . import certification_compliance_report
from . import certification_compliance_trend
