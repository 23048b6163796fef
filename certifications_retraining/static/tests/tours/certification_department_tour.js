import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("certifications_retraining_department_rate", {
    url: "/odoo/action-hr.hr_department_kanban_action",
    steps: () => [
        {
            content: "The department card shows its compliance rate, green when all hold theirs",
            trigger: ".o_kanban_record:contains('Tour Department') .o_certification_compliance_badge.text-bg-success:contains('100')",
        },
        {
            content: "The card of a department where nobody holds it is red",
            trigger: ".o_kanban_record:contains('Tour Empty Department') .o_certification_compliance_badge.text-bg-danger:contains('0')",
        },
        {
            content: "Open the department's compliance rows",
            trigger: ".o_kanban_record:contains('Tour Department') a[name='action_open_certification_compliance']",
            run: "click",
        },
        {
            content: "The compliance report opens on that department",
            trigger: ".o_breadcrumb .active:contains('Compliance: Tour Department')",
        },
    ],
});
