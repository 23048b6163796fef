# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
{
    "name": "Certifications & Retraining",
    "version": "18.0.1.0.0",
    "category": "Website/eLearning",
    "summary": "Certifications with expiry, reminders and retraining for eLearning",
    "author": "Certifications Retraining Authors",
    "website": "https://github.com/certifications-retraining/certifications_retraining",
    "license": "LGPL-3",
    "depends": ["website_slides", "hr"],
    "data": [
        "security/certification_security.xml",
        "security/ir.model.access.csv",
        "views/certification_menus.xml",
    ],
    "demo": [],
    "assets": {
        "web.assets_tests": [
            "certifications_retraining/static/tests/tours/**/*",
        ],
    },
    "application": True,
    "installable": True,
}
