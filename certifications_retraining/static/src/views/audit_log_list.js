/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import { onWillStart } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { ListController } from "@web/views/list/list_controller";
import { listView } from "@web/views/list/list_view";

/** The audit log list, with a red banner when the last verification found
 * the hash chain broken. */
export class AuditLogListController extends ListController {
    static template = "certifications_retraining.AuditLogListView";

    setup() {
        super.setup();
        this.orm = useService("orm");
        onWillStart(async () => {
            this.brokenRowId = await this.orm.call(
                "certification.audit.log",
                "get_chain_broken_row",
                []
            );
        });
    }
}

registry.category("views").add("certification_audit_log_list", {
    ...listView,
    Controller: AuditLogListController,
});
