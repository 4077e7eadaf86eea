// The client form as text fields, and its conversion to and from the core's ClientInput.
import type { AddressForm } from "../../bindings/AddressForm";
import type { Client } from "../../bindings/Client";
import type { ClientInput } from "../../bindings/ClientInput";
import type { Diet } from "../../bindings/Diet";
import type { Language } from "../../bindings/Language";

export type ClientForm = {
  name: string;
  phone: string;
  email: string;
  language: Language;
  diet: Diet;
  address: AddressForm;
  time_zone: string;
  culture_notes: string;
  notes: string;
  manager_id: string;
  partner_id: string;
  tour_ids: string[];
};

export function emptyClientForm(managerId?: string): ClientForm {
  return {
    name: "",
    phone: "",
    email: "",
    language: "unknown",
    diet: "none",
    address: "unknown",
    time_zone: "",
    culture_notes: "",
    notes: "",
    manager_id: managerId ?? "",
    partner_id: "",
    tour_ids: [],
  };
}

export function clientToForm(c: Client): ClientForm {
  return {
    name: c.name,
    phone: c.phone ?? "",
    email: c.email ?? "",
    language: c.language,
    diet: c.culture.diet,
    address: c.culture.address,
    time_zone: c.culture.time_zone ?? "",
    culture_notes: c.culture.notes,
    notes: c.notes,
    manager_id: c.manager_id ?? "",
    partner_id: c.partner_id ?? "",
    tour_ids: [...c.tour_ids],
  };
}

const opt = (v: string): string | undefined => (v.trim() === "" ? undefined : v.trim());

/** The form as the core expects it: empty optional texts become absent. */
export function formToInput(f: ClientForm): ClientInput {
  return {
    name: f.name,
    phone: opt(f.phone),
    email: opt(f.email),
    language: f.language,
    culture: { diet: f.diet, address: f.address, time_zone: opt(f.time_zone), notes: f.culture_notes },
    notes: f.notes,
    manager_id: opt(f.manager_id),
    partner_id: opt(f.partner_id),
    tour_ids: f.tour_ids,
  };
}
