/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
// Odoo 19.0 version of reminder_program_field_18.0.js (loaded by the series data file,
// data/certification_data_19.0.xml): 19.0 renders a many2one through an inner Many2One
// component, which shows nothing at all for an empty readonly value.
// The certification of a reminder rule; an empty one reads as its placeholder
// ("All new certifications": the default rules copied to each new certification).
import { xml } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { Many2One } from "@web/views/fields/many2one/many2one";
import {
    Many2OneField,
    buildM2OFieldDescription,
} from "@web/views/fields/many2one/many2one_field";

export class ReminderProgram extends Many2One {
    static template = xml`
        <t t-if="props.readonly and !props.value and props.placeholder">
            <div class="o_many2one"><span t-esc="props.placeholder"/></div>
        </t>
        <t t-else="" t-call="web.Many2One"/>`;
}

export class ReminderProgramField extends Many2OneField {
    static components = { ...Many2OneField.components, Many2One: ReminderProgram };
}

registry.category("fields").add("certification_reminder_program", {
    ...buildM2OFieldDescription(ReminderProgramField),
});
