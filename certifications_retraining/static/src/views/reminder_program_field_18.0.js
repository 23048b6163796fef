/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
// Odoo 18.0 version (loaded by the series data file, data/certification_data_18.0.xml).
// The certification of a reminder rule; an empty one reads as its placeholder
// ("All new certifications": the default rules copied to each new certification).
import { registry } from "@web/core/registry";
import { Many2OneField, many2OneField } from "@web/views/fields/many2one/many2one_field";

export class ReminderProgramField extends Many2OneField {
    get displayName() {
        return super.displayName || (this.props.readonly && this.props.placeholder) || "";
    }
}

registry.category("fields").add("certification_reminder_program", {
    ...many2OneField,
    component: ReminderProgramField,
});
