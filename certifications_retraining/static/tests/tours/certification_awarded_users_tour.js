import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("certifications_retraining_awarded_users", {
    url: "/odoo/action-certifications_retraining.certification_program_action",
    steps: () => [
        {
            content: "The card words validity and counts per number",
            trigger: ".o_kanban_record:contains('Tour Awarded Certification'):contains('Valid for 1 year'):contains('1 learner awarded'):contains('2 items')",
        },
        {
            content: "Open the certification",
            trigger: ".o_kanban_record:contains('Tour Awarded Certification')",
            run: "click",
        },
        {
            content: "The form opens its learning plans too",
            trigger: ".o_form_view button[name='action_view_learning_plans']:contains('1')",
        },
        {
            content: "Open its awarded users",
            trigger: ".o_form_view button[name='action_view_awards']",
            run: "click",
        },
        {
            content: "An expired award says how long ago",
            trigger: ".o_list_view td[name='days_left_label']:contains('Expired 10 days ago')",
        },
        {
            content: "Dates are shown as dates",
            trigger: ".o_list_view td[name='learner_date_issued']:not(:contains(':'))",
        },
        {
            content: "The page title is not squeezed by the header buttons",
            trigger: ".o_control_panel .o_last_breadcrumb_item span",
            run() {
                if (this.anchor.scrollWidth > this.anchor.clientWidth + 1) {
                    throw new Error("The page title is cut off");
                }
            },
        },
        {
            content: "Short header buttons: Award, Import CSV",
            trigger: ".o_control_panel button.o_certification_award_users:contains('Award'):not(:contains('Users'))",
        },
        {
            content: "... Import CSV",
            trigger: ".o_control_panel button.o_certification_import_csv:contains('Import CSV')",
        },
        {
            content: "The breadcrumb is not cut either",
            trigger: ".o_control_panel .o_breadcrumb",
            run() {
                for (const item of this.anchor.querySelectorAll(".breadcrumb-item, .o_last_breadcrumb_item span")) {
                    if (item.scrollWidth > item.clientWidth + 1) {
                        throw new Error(`The breadcrumb item "${item.textContent}" is cut off`);
                    }
                }
            },
        },
        {
            content: "Award",
            trigger: ".o_control_panel button.o_certification_award_users",
            run: "click",
        },
        {
            content: "The certification is preselected",
            trigger: ".modal .o_field_widget[name='program_id']:contains('Tour Awarded Certification'), .modal .o_field_widget[name='program_id'] input:value('Tour Awarded Certification')",
        },
    ],
});

// Learner: Renew now from the list row, then the course page says so.
