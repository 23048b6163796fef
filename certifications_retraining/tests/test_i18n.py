# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import pathlib

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path

MODULE = "certifications_retraining"


@tagged("post_install", "-at_install")
class TestShippedTranslations(TransactionCase):
    """Every shipped translation (i18n/<lang>.po) reaches the records of the
    addon once the language is installed: menus, actions, views, fields,
    selections, constraints, groups, mail templates, report. Odoo drops a
    view term silently when its translation changes the term's markup (a
    ``t-`` attribute, a tag that cannot be translated as a whole); the user
    then reads English in the middle of a translated screen."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        i18n = pathlib.Path(file_path(f"{MODULE}/i18n"))
        Lang = cls.env["res.lang"].with_context(active_test=False)
        cls.translations = {}
        for po_path in sorted(i18n.glob("*.po")):
            lang = Lang.search([("iso_code", "=", po_path.stem)], limit=1).code
            cls.env["res.lang"]._activate_lang(lang or po_path.stem)
            cls.translations[lang or po_path.stem] = {
                entry.msgid: entry.msgstr
                for entry in polib.pofile(str(po_path))
                if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags
            }
        cls.env["ir.module.module"]._load_module_terms(
            [MODULE], list(cls.translations), overwrite=True
        )
        data = cls.env["ir.model.data"].search([("module", "=", MODULE)])
        cls.records = [
            cls.env[model].browse(rows.mapped("res_id")).exists()
            for model, rows in data.grouped("model").items()
            if model in cls.env
        ]

    def test_french_and_german_are_shipped(self):
        self.assertIn("fr_FR", self.translations)
        self.assertIn("de_DE", self.translations)
        pot = polib.pofile(file_path(f"{MODULE}/i18n/{MODULE}.pot"))
        self.assertGreater(len(pot), 500, "the template holds the addon's strings")

    def test_every_shipped_term_reaches_its_record(self):
        checked, dropped = 0, []
        for lang, translations in self.translations.items():
            for records in self.records:
                fields = [
                    f for f in records._fields.values() if f.translate and f.store
                ]
                if records._name == "ir.model.fields":
                    # field labels Odoo gives itself (``display_name`` of every
                    # model, which 19.0 labels from its own translations) or
                    # does not export, as its own exporter
                    records = records.filtered(
                        lambda f: (
                            f.name != "display_name"
                            and self.env[f.model]
                            ._fields[f.name]
                            .export_string_translation
                        )
                    )
                for record, field in ((r, f) for r in records for f in fields):
                    terms = field.get_trans_terms(
                        record.with_context(lang="en_US")[field.name] or ""
                    )
                    expected = [translations.get(term) or term for term in terms]
                    got = field.get_trans_terms(
                        record.with_context(lang=lang)[field.name] or ""
                    )
                    checked += sum(1 for term in terms if term in translations)
                    if got != expected:
                        dropped += [
                            f"{lang} {record._name},{field.name} #{record.id}: {term!r}"
                            for term in terms
                            if (translations.get(term) or term) not in got
                        ] or [f"{lang} {record._name},{field.name} #{record.id}"]
        self.assertFalse(dropped, "translations not applied:\n" + "\n".join(dropped))
        self.assertGreater(checked, 1000, "the shipped files were loaded and compared")

    def test_french_menu_and_mail_wording(self):
        """Spot check on what a French user sees first."""
        fr = self.translations["fr_FR"]
        menu = self.env.ref(f"{MODULE}.certification_reporting_menu")
        self.assertEqual(menu.with_context(lang="fr_FR").name, fr["Reporting"])
        template = self.env.ref(f"{MODULE}.mail_template_certification_issued")
        subject = template.with_context(lang="fr_FR").subject
        self.assertEqual(subject, fr[template.with_context(lang="en_US").subject])
        self.assertIn("Certification délivrée", subject)
