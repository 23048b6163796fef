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
        "security/certification_rules.xml",
        "views/certification_program_views.xml",
        "views/certification_award_views.xml",
        "views/slide_learning_plan_views.xml",
        "views/certification_external_training_views.xml",
        "views/slide_channel_views.xml",
        "wizards/certification_program_delete_views.xml",
        "views/certification_portal_templates.xml",
        "views/website_slides_templates.xml",
        "report/certification_award_report.xml",
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
