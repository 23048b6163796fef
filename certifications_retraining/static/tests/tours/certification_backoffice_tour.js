import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("certifications_retraining_create_program", {
    url: "/odoo/action-certifications_retraining.certification_program_action",
    steps: () => [
        {
            content: "Create a certification",
            trigger: ".o_control_panel_main_buttons .o-kanban-button-new",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_field_widget[name='name'] input",
            run: "edit Tour Certification",
        },
        {
            content: "Valid for 6 months",
            trigger: ".o_field_widget[name='validity_number'] input",
            run: "edit 6",
        },
        {
            content: "Open the courses tab",
            trigger: ".o_notebook_headers a[name='courses']",
            run: "click",
        },
        {
            content: "Assign a course",
            trigger: "div[name='channel_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Pick the tour course",
            trigger: ".modal .o_data_row td:contains('Tour Course')",
            run: "click",
        },
        {
            content: "The course is listed",
            trigger: "div[name='channel_ids'] .o_data_row:contains('Tour Course')",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
    ],
});

registry.category("web_tour.tours").add("certifications_retraining_see_award", {
    url: "/odoo/action-certifications_retraining.certification_award_action",
    steps: () => [
        {
            content: "The learner's award is listed as valid",
            trigger: ".o_data_row:contains('Tour Certification'):contains('Tour Learner') .badge:contains('Valid')",
        },
        {
            content: "Open it",
            trigger: ".o_data_row:contains('Tour Certification') td[name='program_id']",
            run: "click",
        },
        {
            content: "It was earned by completing the course",
            trigger: ".o_field_widget[name='channel_id'] input:value('Tour Course')",
        },
    ],
});
