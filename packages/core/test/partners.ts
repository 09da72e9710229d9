/** Test rows: an Odoo `res.partner` row as a contact's read returns it, with `extra` fields over the defaults. */
export function partner(id: number, extra: Record<string, unknown> = {}) {
  return {
    id,
    name: `Person ${id}`,
    email: `p${id}@example.com`,
    phone: false,
    function: false,
    city: false,
    parent_id: false,
    commercial_partner_id: [id, `Person ${id}`],
    is_company: false,
    active: true,
    ...extra,
  };
}
