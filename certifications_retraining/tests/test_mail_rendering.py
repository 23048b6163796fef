# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CertificationCase, make_portal_learner

ISSUED = "certifications_retraining.mail_template_certification_issued"
EXPIRED = "certifications_retraining.mail_template_certification_expired"
REMINDER = "certifications_retraining.mail_template_certification_reminder"

# What the learner receives and what the chatter keeps: every value of the
# outgoing mail that the old and the new path must agree on.
MAIL_FIELDS = [
    "subject",
    "body_html",
    "body",
    "email_from",
    "reply_to",
    "email_to",
    "email_cc",
    "recipient_ids",
    "author_id",
    "model",
    "res_id",
    "record_name",
    "message_type",
    "subtype_id",
    "auto_delete",
    "is_notification",
    "headers",
    "state",
    "failure_type",
    "mail_server_id",
    "attachment_ids",
]
TRANSLATIONS = {
    "fr_FR": ("Certification délivrée : ", "Félicitations ! Votre certification"),
    "de_DE": (
        "Zertifizierung ausgestellt: ",
        "Herzlichen Glückwunsch! Ihre Zertifizierung",
    ),
}


@tagged("post_install", "-at_install")
class TestMailRendering(CertificationCase):
    """``_send_certification_mail`` renders each template once per batch and
    language; the learner must receive exactly what Odoo's mass-mail composer
    would have sent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Award = cls.env["certification.award"]
        for lang in TRANSLATIONS:
            cls.env["res.lang"]._activate_lang(lang)
        cls.program.with_context(lang="fr_FR").name = "Cariste"
        cls.program.with_context(lang="de_DE").name = "Gabelstaplerfahrer"
        learners = cls.learner
        for index, (lang, tz) in enumerate(
            [
                ("fr_FR", "Europe/Paris"),
                ("de_DE", "Europe/Berlin"),
                ("fr_FR", "Pacific/Auckland"),
                ("de_DE", "America/New_York"),
                ("en_US", "Asia/Tokyo"),
            ]
        ):
            user = make_portal_learner(
                cls.env, login=f"lang_learner_{index}", name=f"Learner {index} Lang"
            )
            user.partner_id.write({"lang": lang, "tz": tz})
            learners |= user
        # no email: the composer cancels that mail, so must we
        learners[-1].partner_id.email = False
        cls.learners = learners
        for xmlid in (ISSUED, EXPIRED, REMINDER):
            cls._translate_subject(cls.env.ref(xmlid))
        cls.awards = cls.Award._issue_awards(
            [
                {"program_id": cls.program.id, "partner_id": user.partner_id.id}
                for user in learners
            ],
            notify=False,
        )
        # one never expires: the other branch of the template
        cls.awards[1].is_always_valid = True

    @classmethod
    def _translate_subject(cls, template):
        for lang, (subject, _congrats) in TRANSLATIONS.items():
            template.with_context(lang=lang).subject = template.subject.replace(
                "Certification issued: ", subject
            ).replace("Your certification", subject)

    @staticmethod
    def _translate_body(template):
        """The French and German bodies, as an admin writes them in the back
        office (one value per language)."""
        for lang, (_subject, congrats) in TRANSLATIONS.items():
            words = {
                "Congratulations! Your certification": congrats,
                "Your certification": congrats,
                "Hello": "Bonjour" if lang == "fr_FR" else "Hallo",
                "View my certification": f"[{lang}] View",
                "Renew now": f"[{lang}] Renew",
            }
            body = template.body_html
            for word, translation in words.items():
                body = body.replace(word, translation)
            template.with_context(lang=lang).body_html = body

    def _send_with_odoo_composer(self, awards, template):
        """The reference: Odoo's mass-mail composer on the same template."""
        composer = (
            self.env["mail.compose.message"]
            .sudo()
            .create(
                {
                    "composition_mode": "mass_mail",
                    "model": awards._name,
                    "res_ids": awards.ids,
                    "template_id": template.id,
                    "author_id": self.env.company.partner_id.id,
                    "force_send": False,
                    "record_name": False,
                }
            )
        )
        mails, _messages = composer._action_send_mail()
        return mails

    def _values(self, mails):
        mails.flush_recordset()
        return {
            mail.res_id: {
                name: value.ids if hasattr(value, "ids") else value
                for name, value in mail.read(MAIL_FIELDS)[0].items()
                if name != "id"
            }
            for mail in mails
        }

    def _assert_same_mails(self, xmlid, translated_langs=()):
        template = self.env.ref(xmlid)
        expected = self._values(self._send_with_odoo_composer(self.awards, template))
        mails = self.awards._send_certification_mail(xmlid)
        self.assertEqual(len(mails), len(self.awards), "one mail per award")
        got = self._values(mails)
        self.assertEqual(set(got), set(self.awards.ids), "each mail on its award")
        for award in self.awards:
            skip = (
                ("body", "body_html")
                if award.partner_id.lang in translated_langs
                else ()
            )
            for name in set(MAIL_FIELDS) - set(skip):
                self.assertEqual(
                    got[award.id][name],
                    expected[award.id][name],
                    f"{name} ({award.partner_id.lang})",
                )
        return mails

    def _by_lang(self, mails):
        by_lang = {
            lang: mails.filtered(
                lambda m, lang=lang: self.Award.browse(m.res_id).partner_id.lang == lang
            )
            for lang in ("en_US", "fr_FR", "de_DE")
        }
        self.assertTrue(all(by_lang.values()), "the three languages are covered")
        return by_lang

    def test_issued_mail_same_as_odoo_composer_in_three_languages(self):
        mails = self._assert_same_mails(ISSUED)
        by_lang = self._by_lang(mails)
        for mail in by_lang["fr_FR"]:
            self.assertEqual(mail.subject, "Certification délivrée : Cariste")
            self.assertIn("Cariste", mail.body_html)
        for mail in by_lang["de_DE"]:
            self.assertEqual(
                mail.subject, "Zertifizierung ausgestellt: Gabelstaplerfahrer"
            )
            self.assertIn("Gabelstaplerfahrer", mail.body_html)
        for mail in by_lang["en_US"]:
            self.assertIn("Certification issued: Forklift Operator", mail.subject)
        never = mails.filtered(lambda m: m.res_id == self.awards[1].id)
        self.assertIn("never expires", never.body_html, "per-award branch kept")
        no_email = mails.filtered(lambda m: m.res_id == self.awards[-1].id)
        self.assertEqual(no_email.state, "cancel", "no address: cancelled, as Odoo")
        for award in self.awards:
            mail = mails.filtered(lambda m, award=award: m.res_id == award.id)
            self.assertIn(mail.mail_message_id, award.message_ids, "in the chatter")
            self.assertIn(award.access_url, mail.body_html, "the award's own link")

    def test_translated_body_reaches_each_learner(self):
        """With a translated body, each learner gets the template's body in
        their language; every other value (and the English body) is the
        composer's. (The composer alone sends its untranslated copy of the
        body to all when the template has inline styles.)"""
        template = self.env.ref(ISSUED)
        self._translate_body(template)
        mails = self._assert_same_mails(ISSUED, translated_langs=TRANSLATIONS)
        by_lang = self._by_lang(mails)
        for mail in by_lang["fr_FR"]:
            self.assertIn("Bonjour", mail.body_html)
            self.assertIn("Félicitations ! Votre certification", mail.body_html)
            self.assertIn("[fr_FR] View", mail.body_html)
        for mail in by_lang["de_DE"]:
            self.assertIn("Hallo", mail.body_html)
            self.assertIn("Herzlichen Glückwunsch! Ihre Zertifizierung", mail.body_html)
        for mail in by_lang["en_US"]:
            self.assertIn("Hello", mail.body_html)
            self.assertIn("View my certification", mail.body_html)

    def test_expired_and_reminder_mails_same_as_odoo_composer(self):
        self._assert_same_mails(EXPIRED)
        self._assert_same_mails(REMINDER)

    def test_edited_template_body_is_used(self):
        template = self.env.ref(ISSUED)
        edited = (
            '<p>Edited by the admin for <t t-out="object.partner_id.name"/>'
            ' until <t t-out="format_date(object.learner_date_expiry)"/></p>'
        )
        for lang in ("en_US", *TRANSLATIONS):
            template.with_context(lang=lang).write(
                {"body_html": edited, "subject": "Edited: {{ object.program_id.name }}"}
            )
        mails = self._assert_same_mails(ISSUED)
        for award in self.awards:
            mail = mails.filtered(lambda m, award=award: m.res_id == award.id)
            self.assertIn(
                f"Edited by the admin for {award.partner_id.name}", mail.body_html
            )
            program = award.program_id.with_context(lang=award.partner_id.lang)
            self.assertEqual(mail.subject, f"Edited: {program.name}")

    def test_template_record_or_xmlid(self):
        by_record = self.awards._send_certification_mail(self.env.ref(ISSUED))
        by_xmlid = self.awards._send_certification_mail(ISSUED)
        self.assertEqual(
            sorted(by_record.mapped("body_html")), sorted(by_xmlid.mapped("body_html"))
        )

    def test_broken_template_raises_as_odoo(self):
        template = self.env.ref(ISSUED)
        template.body_html = '<p t-out="object.no_such_field"/>'
        with self.assertRaises(UserError):
            self.awards._send_certification_mail(template)
