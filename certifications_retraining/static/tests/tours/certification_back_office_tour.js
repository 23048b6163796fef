import { registry } from "@web/core/registry";

async function waitFor(check, message) {
    for (let i = 0; i < 50; i++) {
        if (check()) {
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(message);
}

// Reminder rules: each recipient's template, the default rules named as such.
registry.category("web_tour.tours").add("certifications_retraining_reminder_rules", {
    url: "/odoo/action-certifications_retraining.certification_reminder_action",
    steps: () => [
        {
            content: "Default rules read 'All new certifications'",
            trigger: ".o_data_row td[name='program_id']:contains('All new certifications')",
        },
        {
            content: "Each recipient's template: the manager gets the Manager Reminder",
            trigger: ".o_data_row:contains('Tour Rules Certification')",
            run() {
                const rows = [...document.querySelectorAll(".o_data_row")].filter(
                    (row) =>
                        row.textContent.includes("Tour Rules Certification") &&
                        row.querySelector("td[name='recipient']").textContent.trim() === "Manager"
                );
                if (!rows.length) {
                    throw new Error("No manager rule listed");
                }
                for (const row of rows) {
                    const learner = row.querySelector("td[name='template_id']").textContent;
                    const manager = row.querySelector("td[name='manager_template_id']").textContent;
                    if (learner.includes("Expires Soon") || !manager.includes("Manager Reminder")) {
                        throw new Error(`Manager row shows "${learner}" / "${manager}"`);
                    }
                }
            },
        },
    ],
});

// Consistency checker: a titled page (no "New", nothing to save), a fix that
// says what it does, a message that says it was done, no breadcrumb per click.
registry.category("web_tour.tours").add("certifications_retraining_consistency", {
    url: "/odoo/action-certifications_retraining.certification_consistency_check_action_open",
    steps: () => [
        {
            content: "The page has a real title",
            trigger: ".o_breadcrumb .active:contains('Consistency Check')",
            run() {
                if (document.querySelector(".o_form_button_save:not(.d-none), .o_form_status_indicator_buttons:not(.invisible)")) {
                    throw new Error("Save icons on the consistency check");
                }
                if (document.querySelector(".o_breadcrumb").textContent.includes("New")) {
                    throw new Error("The consistency check is a 'New' record");
                }
            },
        },
        {
            content: "Fix the valid awards past their expiry",
            trigger: ".o_data_row:contains('Valid award past its expiry') button[name='action_confirm_fix']",
            run: "click",
        },
        {
            content: "The confirmation says what the fix will do",
            trigger: ".modal .o_certification_fix_summary:contains('Mark'):contains('as expired')",
        },
        {
            content: "Fix",
            trigger: ".modal button[name='action_fix']",
            run: "click",
        },
        {
            content: "A message confirms it",
            trigger: ".o_notification:contains('Fixed: Mark'):contains('as expired')",
        },
        {
            content: "The problem is gone from the page, with no new breadcrumb",
            trigger: ".o_breadcrumb .active:contains('Consistency Check')",
            async run() {
                await waitFor(
                    () =>
                        ![...document.querySelectorAll(".o_data_row")].some((row) =>
                            row.textContent.includes("Valid award past its expiry")
                        ),
                    "The fixed problem is still listed"
                );
                if (document.querySelectorAll(".o_breadcrumb .breadcrumb-item").length) {
                    throw new Error("A breadcrumb was added");
                }
            },
        },
    ],
});

// Audit log: labels, not key=value dumps.
registry.category("web_tour.tours").add("certifications_retraining_audit_readable", {
    url: "/odoo/action-certifications_retraining.certification_audit_log_action",
    steps: () => [
        {
            content: "The issue row lists its values by label",
            trigger: ".o_data_row:contains('Tour Readable Learner') td[name='new_value_display']:contains(': Valid')",
            run() {
                if (this.anchor.textContent.includes("=")) {
                    throw new Error(`A key=value dump: ${this.anchor.textContent}`);
                }
            },
        },
    ],
});
