import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("certifications_retraining_audit", {
    url: "/odoo/action-certifications_retraining.certification_audit_log_action",
    steps: () => [
        {
            content: "The broken chain shows a red banner above the list",
            trigger: ".o_list_view .alert-danger.o_certification_audit_broken",
        },
        {
            content: "The learner's issue row is listed",
            trigger: ".o_data_row:contains('Tour Audit Learner') td[name='action']:contains('Issue')",
            run: "click",
        },
        {
            content: "The row opens in a form",
            trigger: ".o_form_view .o_field_widget[name='partner_ref_id']:contains('Tour Audit Learner')",
        },
        {
            content: "The award is shown while it exists",
            trigger: ".o_form_view .o_field_widget[name='award_ref_id']:contains('Tour Audit Certification')",
        },
    ],
});
