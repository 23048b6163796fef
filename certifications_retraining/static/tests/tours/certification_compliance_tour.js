import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("certifications_retraining_compliance", {
    url: "/odoo/action-certifications_retraining.certification_compliance_report_action",
    steps: () => [
        {
            content: "The compliance pivot shows the department",
            trigger: ".o_pivot th:contains('Tour Department')",
        },
        {
            content: "It opens on the compliance states with the compliance rate",
            trigger: ".o_pivot:has(th:contains('Compliant')):has(th:contains('Missing')) th:contains('Compliance Rate (%)')",
        },
        {
            content: "Open the search menu",
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Keep missing certifications only",
            trigger: ".o_filter_menu .o_menu_item:contains('Missing')",
            run: "click",
        },
        {
            content: "Close the search menu",
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "The filter is applied",
            trigger: ".o_searchview_facet:contains('Missing')",
        },
        {
            content: "Only the missing state is left in the pivot",
            trigger: ".o_pivot:not(:has(th:contains('Compliant'))) th:contains('Missing')",
        },
        {
            content: "Drill into the department's missing certifications",
            trigger: ".o_pivot tr:has(th:contains('Tour Department')) td.o_pivot_cell_value:last",
            run: "click",
        },
        {
            content: "The employee's missing certification is listed",
            trigger: ".o_list_view .o_data_row:contains('Tour Employee'):contains('Tour Safety') .badge:contains('Missing')",
        },
        {
            content: "The certification the employee holds is not",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Tour Forklift')))",
        },
    ],
});
