import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";
import { selectOption } from "./compat";

// One good row, one row for an unknown user; the first column needs mapping.
const CSV = [
    "Login,certification_code,certification_issue_date,always_valid,certification_expire_date,type,code",
    "tour_csv_learner,TOURCSV,2024-01-15,1,,manual,",
    "nobody_here,TOURCSV,2024-01-15,1,,manual,",
].join("\n");

registry.category("web_tour.tours").add("certifications_retraining_import_csv", {
    url: "/odoo/action-certifications_retraining.certification_award_action",
    steps: () => [
        {
            content: "Open the import from the Awarded users page",
            trigger: "button.o_certification_import_csv",
            run: "click",
        },
        {
            content: "Upload the file",
            trigger: ".modal .o_field_widget[name='file']",
            run() {
                const input = this.anchor.querySelector("input.o_input_file");
                const transfer = new DataTransfer();
                transfer.items.add(new File([CSV], "tour.csv", { type: "text/csv" }));
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The file is uploaded",
            trigger: ".modal .o_field_widget[name='file'] input.o_input:value('tour.csv')",
        },
        {
            content: "Go to the mapping",
            trigger: ".modal button[name='action_next']",
            run: "click",
        },
        {
            content: "Canonical headers are pre-mapped",
            trigger: ".modal .o_data_row:contains('certification_code') td[name='field_name']:contains('certification_code')",
        },
        {
            content: "Map the Login column",
            trigger: ".modal .o_data_row:contains('Login') td[name='field_name']",
            run: "click",
        },
        ...selectOption(
            ".modal .o_data_row:contains('Login') td[name='field_name']",
            "username",
            "... to username"
        ),
        {
            content: "The preview shows the learner under username",
            trigger: ".modal .o_certification_import_preview th:contains('username')",
        },
        {
            content: "... with the first rows",
            trigger: ".modal .o_certification_import_preview td:contains('tour_csv_learner')",
        },
        {
            content: "Import",
            trigger: ".modal button[name='action_import']",
            run: "click",
        },
        {
            content: "The job is queued",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Queued')",
        },
        {
            content: "... as a CSV import job of 2 rows",
            trigger: ".o_form_view .o_field_widget[name='job_type']:contains('CSV import')",
        },
    ],
});

async function callKw(model, method, args, kwargs = {}) {
    return rpc(`/web/dataset/call_kw/${model}/${method}`, { model, method, args, kwargs });
}

/** Run the jobs cron the way "Run Manually" does, until no job is open. */
async function runJobsCron() {
    const [data] = await callKw("ir.model.data", "search_read", [
        [
            ["module", "=", "certifications_retraining"],
            ["name", "=", "certification_job_cron"],
        ],
        ["res_id"],
    ]);
    for (let call = 0; call < 20; call++) {
        await callKw("ir.cron", "method_direct_trigger", [[data.res_id]]);
        const open = await callKw("certification.job", "search_count", [
            [["state", "in", ["queued", "running"]]],
        ]);
        if (!open) {
            return;
        }
    }
    throw new Error("the jobs never finished");
}

// The form follows its job: the job runs while the page stays open, and the
// form shows "Done" and the counts without a reload (bus notification or poll).
registry.category("web_tour.tours").add("certifications_retraining_import_job_done", {
    steps: () => [
        {
            content: "The job is queued",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Queued')",
        },
        {
            content: "The cron runs the job while the form stays open",
            trigger: ".o_form_view .o_field_widget[name='count_created']",
            async run() {
                window.certificationJobPageNotReloaded = true;
                await runJobsCron();
            },
        },
        {
            content: "The job is done",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Done')",
            timeout: 20000,
        },
        {
            content: "Its progress bar is full",
            trigger: ".o_field_widget[name='progress'] .o_progressbar_value:contains('100')",
        },
        {
            content: "One award created",
            trigger: ".o_field_widget[name='count_created']:contains('1')",
        },
        {
            content: "One failed row, downloadable",
            trigger: ".o_field_widget[name='result_file'] a, .o_field_widget[name='result_file'] button",
        },
        {
            content: "... all without reloading the page",
            trigger: ".o_form_view",
            run() {
                if (!window.certificationJobPageNotReloaded) {
                    throw new Error("the job page was reloaded");
                }
            },
        },
    ],
});
