import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("certifications_retraining_compliance_date", {
    url: "/odoo/action-certifications_retraining.certification_compliance_report_action",
    steps: () => [
        {
            content: "Open the Reporting menu",
            trigger: ".o_main_navbar button:contains('Reporting')",
            run: "click",
        },
        {
            content: "Compliance at date…",
            trigger: ".dropdown-item:contains('Compliance at date')",
            run: "click",
        },
        {
            content: "The dialog asks for a date (today by default)",
            trigger: ".modal .o_field_widget[name='date'] input",
        },
        {
            content: "Show the compliance at that date",
            trigger: ".modal button[name='action_open_report']",
            run: "click",
        },
        {
            content: "The report's title carries the date",
            trigger: ".o_breadcrumb .active:contains('Compliance at')",
        },
        {
            content: "... at a URL without the dialog's id (a reload would read it as a record)",
            trigger: ".o_breadcrumb .active:contains('Compliance at')",
            run() {
                const path = window.location.pathname;
                if (/\/\d+(\/|$)/.test(path)) {
                    throw new Error(`The dialog's id is in the URL ${path}`);
                }
            },
        },
        {
            content: "The pivot lists the department",
            trigger: ".o_pivot th:contains('Tour Department')",
        },
        {
            content: "Switch to the graph",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "The compliance graph is drawn (states in their colours)",
            trigger: ".o_graph_renderer canvas",
        },
    ],
});
