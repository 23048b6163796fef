/** @odoo-module **/
import {onWillUnmount} from "@odoo/owl";
import {FormController} from "@web/views/form/form_controller";
import {formView} from "@web/views/form/form_view";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";

const POLL_DELAY = 3000; // Ms

/**
 * The job form follows its job live: it reloads the record when the server
 * says the job moved (bus notification "certification_job_updated") and,
 * as a fallback, polls every few seconds while the job is queued or running.
 */
export class CertificationJobFormController extends FormController {
    setup() {
        super.setup();
        this.busService = useService("bus_service");
        this.onJobUpdated = (payload) => {
            if (payload && payload.id === this.model.root.resId) {
                this.reloadJob();
            }
        };
        this.busService.subscribe("certification_job_updated", this.onJobUpdated);
        this.pollTimer = setInterval(() => {
            if (["queued", "running"].includes(this.model.root.data.state)) {
                this.reloadJob();
            }
        }, POLL_DELAY);
        onWillUnmount(() => {
            clearInterval(this.pollTimer);
            this.busService.unsubscribe("certification_job_updated", this.onJobUpdated);
        });
    }

    async reloadJob() {
        // isDirty() is async in Odoo 18 (a bare `isDirty` is a function, always truthy)
        const root = this.model.root;
        if (this.reloading || !root.resId) {
            return;
        }
        this.reloading = true;
        try {
            if (!(await root.isDirty())) {
                await root.load();
            }
        } finally {
            this.reloading = false;
        }
    }
}

registry.category("views").add("certification_job_form", {
    ...formView,
    Controller: CertificationJobFormController,
});
